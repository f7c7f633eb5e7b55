package pgstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

// threadColumns are the columns scanThread reads, of threads t.
const threadColumns = `t.id, coalesce(t.user_id, ''), t.session_id, t.mode, t.escalated, t.started_at, t.updated_at,
	t.ended_at, t.first_message, t.messages, coalesce(t.alias, ''), t.read, t.webhook_url, t.webhook_token,
	t.persona`

// scanThread reads a row of threadColumns; no row is store.ErrNotFound.
func scanThread(row pgx.Row) (*store.Thread, error) {
	th := new(store.Thread)
	var ended *time.Time
	err := row.Scan(&th.ID, &th.UserID, &th.SessionID, &th.Mode, &th.Escalated, &th.StartedAt, &th.UpdatedAt,
		&ended, &th.FirstMessage, &th.Messages, &th.Alias, &th.Read, &th.WebhookURL, &th.WebhookToken,
		&th.Persona)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	th.StartedAt, th.UpdatedAt = th.StartedAt.UTC(), th.UpdatedAt.UTC()
	if ended != nil {
		th.EndedAt = ended.UTC()
	}
	return th, nil
}

const insertThreadSQL = `
INSERT INTO threads (id, user_id, session_id, mode, escalated, started_at, updated_at, ended_at, first_message, messages,
	alias, read, webhook_url, webhook_token, persona)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`

const updateThreadSQL = `
UPDATE threads SET user_id = $2, session_id = $3, mode = $4, escalated = $5, started_at = $6, updated_at = $7,
	ended_at = $8, first_message = $9, messages = $10, alias = $11, read = $12, webhook_url = $13, webhook_token = $14,
	persona = $15
WHERE id = $1`

func threadArgs(th *store.Thread) []any {
	return []any{th.ID, nullString(th.UserID), th.SessionID, th.Mode, th.Escalated, th.StartedAt, th.UpdatedAt,
		nullTime(th.EndedAt), th.FirstMessage, th.Messages, nullString(th.Alias), th.Read, th.WebhookURL, th.WebhookToken,
		th.Persona}
}

// appendMessages numbers msgs as the next messages of thread th, and
// updates th; it writes nothing.
func appendMessages(th *store.Thread, msgs []store.Message, now time.Time) {
	for i := range msgs {
		m := &msgs[i]
		th.Messages++
		m.ThreadID = th.ID
		m.Seq = th.Messages
		if m.CreatedAt.IsZero() {
			m.CreatedAt = now
		}
		if th.FirstMessage == "" && m.Type == store.UserMessage && m.Trigger == "" {
			th.FirstMessage = m.Text
		}
	}
	if len(msgs) > 0 {
		th.UpdatedAt = now
	}
}

// insertMessagesSQL inserts the messages of one append, one array of each
// column, in one statement.
const insertMessagesSQL = `
INSERT INTO messages (thread_id, seq, type, system_type, text, fulfillment, interaction_id, score, reaction,
	agent_id, agent_name, icon_url, goto, trigger, created_at)
SELECT $1, * FROM unnest($2::integer[], $3::text[], $4::text[], $5::text[], $6::bytea[], $7::text[],
	$8::double precision[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
	$15::timestamptz[])`

func messageArgs(threadID string, msgs []store.Message) []any {
	n := len(msgs)
	seq, score := make([]int32, n), make([]float64, n)
	typ, sys, text, inter, reaction := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	agentID, agentName, icon := make([]string, n), make([]string, n), make([]string, n)
	gotos, triggers := make([]string, n), make([]string, n)
	ful := make([][]byte, n)
	at := make([]time.Time, n)
	for i, m := range msgs {
		seq[i], typ[i], sys[i], text[i], inter[i], score[i], reaction[i], at[i] =
			int32(m.Seq), m.Type, m.SystemType, m.Text, m.InteractionID, m.Score, m.Reaction, m.CreatedAt
		agentID[i], agentName[i], icon[i] = m.AgentID, m.AgentName, m.IconURL
		gotos[i], triggers[i] = m.Goto, m.Trigger
		if m.Fulfillment != nil {
			ful[i] = m.Fulfillment
		}
	}
	return []any{threadID, seq, typ, sys, text, ful, inter, score, reaction, agentID, agentName, icon, gotos, triggers, at}
}

// Thread implements [store.Threads].
func (db *DB) Thread(ctx context.Context, id string) (store.Thread, error) {
	if err := store.CheckID("threadId", id); err != nil {
		return store.Thread{}, err
	}
	if err := db.enter(ctx); err != nil {
		return store.Thread{}, err
	}
	defer db.exit()
	th, err := scanThread(db.pool.QueryRow(ctx, `SELECT `+threadColumns+` FROM threads t WHERE t.id = $1`, id))
	if err != nil {
		return store.Thread{}, db.wrap(ctx, "get thread", err)
	}
	return *th, nil
}

// AppendMessages implements [store.Threads]. It locks the thread's row, as
// a turn of its session does, so that messages are numbered one after
// another whoever appends them.
func (db *DB) AppendMessages(ctx context.Context, threadID string, msgs ...store.Message) ([]store.Message, error) {
	if err := store.CheckID("threadId", threadID); err != nil {
		return nil, err
	}
	if len(msgs) == 0 || len(msgs) > store.MaxMessagesPage {
		return nil, &store.FieldError{Field: "messages", Rule: fmt.Sprintf("must have 1 to %d entries", store.MaxMessagesPage)}
	}
	for i := range msgs {
		if err := store.CheckMessage(&msgs[i]); err != nil {
			return nil, fmt.Errorf("messages[%d]: %w", i, err)
		}
	}
	var out []store.Message
	err := db.tx(ctx, func(tx pgx.Tx) error {
		th, err := scanThread(tx.QueryRow(ctx, `SELECT `+threadColumns+` FROM threads t WHERE t.id = $1 FOR UPDATE`, threadID))
		if err != nil {
			return err
		}
		now := db.clock()
		out = slices.Clone(msgs)
		appendMessages(th, out, now)
		var batch pgx.Batch
		batch.Queue(insertMessagesSQL, messageArgs(th.ID, out)...)
		db.queueNotify(&batch, th.ID, out[0].Seq, out[len(out)-1].Seq)
		es := make([]store.LogEntry, len(out))
		for i, m := range out {
			es[i] = store.LogEntry{Kind: store.LogMessage, ThreadID: th.ID, Seq: m.Seq}
		}
		db.queueLog(&batch, es)
		batch.Queue(updateThreadSQL, threadArgs(th)...)
		batch.Queue(addCountersSQL, db.counterArgs(now, sessionShard(th.SessionID), store.Counters{Messages: int64(len(out))})...)
		return tx.SendBatch(ctx, &batch).Close()
	})
	if err != nil {
		return nil, db.wrap(ctx, "append messages", err)
	}
	return out, nil
}

// Messages implements [store.Threads].
func (db *DB) Messages(ctx context.Context, threadID string, after, limit int) ([]store.Message, error) {
	if err := store.CheckID("threadId", threadID); err != nil {
		return nil, err
	}
	if after < 0 {
		return nil, &store.FieldError{Field: "after", Rule: "must not be negative"}
	}
	if limit < 1 || limit > store.MaxMessagesPage {
		return nil, &store.FieldError{Field: "limit", Rule: fmt.Sprintf("must be 1 to %d", store.MaxMessagesPage)}
	}
	if err := db.enter(ctx); err != nil {
		return nil, err
	}
	defer db.exit()
	rows, err := db.pool.Query(ctx, `
SELECT seq, type, system_type, text, fulfillment, interaction_id, score, reaction, agent_id, agent_name, icon_url,
	goto, trigger, created_at
FROM messages WHERE thread_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, threadID, after, limit)
	if err != nil {
		return nil, db.wrap(ctx, "list messages", err)
	}
	msgs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Message, error) {
		m := store.Message{ThreadID: threadID}
		var ful []byte
		err := row.Scan(&m.Seq, &m.Type, &m.SystemType, &m.Text, &ful, &m.InteractionID, &m.Score, &m.Reaction,
			&m.AgentID, &m.AgentName, &m.IconURL, &m.Goto, &m.Trigger, &m.CreatedAt)
		if ful != nil {
			m.Fulfillment = ful
		}
		m.CreatedAt = m.CreatedAt.UTC()
		return m, err
	})
	if err != nil {
		return nil, db.wrap(ctx, "list messages", err)
	}
	if len(msgs) == 0 {
		if err := db.exists(ctx, "threads", threadID); err != nil {
			return nil, db.wrap(ctx, "list messages", err)
		}
		return nil, nil
	}
	return msgs, nil
}

// exists returns store.ErrNotFound unless table has a row with the id.
func (db *DB) exists(ctx context.Context, table, id string) error {
	var ok bool
	if err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+table+` WHERE id = $1)`, id).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return store.ErrNotFound
	}
	return nil
}

// SetReaction implements [store.Threads].
func (db *DB) SetReaction(ctx context.Context, threadID string, seq int, reaction string) error {
	if err := store.CheckID("threadId", threadID); err != nil {
		return err
	}
	if err := store.CheckReaction(reaction, false); err != nil {
		return err
	}
	if seq < 1 {
		return &store.FieldError{Field: "seq", Rule: "must be positive"}
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var old string
		err := tx.QueryRow(ctx, `SELECT reaction FROM messages WHERE thread_id = $1 AND seq = $2 FOR UPDATE`, threadID, seq).Scan(&old)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		var c store.Counters
		c.AddReaction(old, -1)
		c.AddReaction(reaction, 1)
		if _, err := tx.Exec(ctx, `UPDATE messages SET reaction = $3 WHERE thread_id = $1 AND seq = $2`, threadID, seq, reaction); err != nil {
			return err
		}
		return db.addCounters(ctx, tx, db.clock(), sessionShard(threadID), c)
	})
	return db.wrap(ctx, "set reaction", err)
}

// Conversations implements [store.Threads].
func (db *DB) Conversations(ctx context.Context, userID string) ([]store.Thread, error) {
	if err := store.CheckID("userId", userID); err != nil {
		return nil, err
	}
	if err := db.enter(ctx); err != nil {
		return nil, err
	}
	defer db.exit()
	rows, err := db.pool.Query(ctx, `SELECT `+threadColumns+` FROM threads t WHERE t.user_id = $1 ORDER BY t.id DESC`, userID)
	if err != nil {
		return nil, db.wrap(ctx, "list conversations", err)
	}
	threads, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Thread, error) {
		th, err := scanThread(row)
		if err != nil {
			return store.Thread{}, err
		}
		return *th, nil
	})
	if err != nil {
		return nil, db.wrap(ctx, "list conversations", err)
	}
	if len(threads) == 0 {
		if err := db.exists(ctx, "users", userID); err != nil {
			return nil, db.wrap(ctx, "list conversations", err)
		}
	}
	return threads, nil
}

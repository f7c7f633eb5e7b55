package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

// lockThread reads a thread inside tx and locks its row until tx ends.
func lockThread(ctx context.Context, tx pgx.Tx, id string) (*store.Thread, error) {
	return scanThread(tx.QueryRow(ctx, `SELECT `+threadColumns+` FROM threads t WHERE t.id = $1 FOR UPDATE`, id))
}

// CreateThread implements [store.ThreadAdmin]. The unique index on aliases
// keeps an alias to one thread, whichever process creates it.
func (db *DB) CreateThread(ctx context.Context, th store.Thread) (store.Thread, error) {
	if th.Mode == "" {
		th.Mode = store.ModeAI
	}
	th.Messages, th.Read, th.FirstMessage, th.Escalated = 0, 0, "", false
	th.EndedAt = time.Time{}
	if err := store.CheckThread(&th); err != nil {
		return store.Thread{}, err
	}
	th.ID = db.newID()
	if th.SessionID == "" {
		th.SessionID = th.ID
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		now := db.clock()
		th.StartedAt, th.UpdatedAt = now, now
		if th.Alias != "" {
			var taken bool
			err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM threads WHERE alias = $1 OR id = $1)`, th.Alias).Scan(&taken)
			if err != nil {
				return err
			}
			if taken {
				return fmt.Errorf("thread %q: %w", th.Alias, store.ErrConflict)
			}
		}
		var batch pgx.Batch
		batch.Queue(insertThreadSQL, threadArgs(&th)...)
		db.queueLog(&batch, []store.LogEntry{{Kind: store.LogThreadCreated, ThreadID: th.ID}})
		return threadWriteErr(tx.SendBatch(ctx, &batch).Close(), &th)
	})
	if err != nil {
		return store.Thread{}, db.wrap(ctx, "create thread", err)
	}
	return th, nil
}

// threadWriteErr translates the errors of writing th: an alias taken
// meanwhile, or an unknown user.
func threadWriteErr(err error, th *store.Thread) error {
	switch code, _ := pgCode(err); code {
	case codeUnique:
		return fmt.Errorf("thread %q: %w", th.Alias, store.ErrConflict)
	case codeForeignKey:
		return fmt.Errorf("user %s: %w", th.UserID, store.ErrNotFound)
	}
	return err
}

// ThreadByAlias implements [store.ThreadAdmin].
func (db *DB) ThreadByAlias(ctx context.Context, alias string) (store.Thread, error) {
	if err := store.CheckThreadAlias(alias); err != nil {
		return store.Thread{}, err
	}
	if err := db.enter(ctx); err != nil {
		return store.Thread{}, err
	}
	defer db.exit()
	th, err := scanThread(db.pool.QueryRow(ctx, `SELECT `+threadColumns+` FROM threads t WHERE t.alias = $1`, alias))
	if err != nil {
		return store.Thread{}, db.wrap(ctx, "get thread by alias", err)
	}
	return *th, nil
}

// ListThreads implements [store.ThreadAdmin]: the filters become a WHERE
// clause, the threads come newest first (ids sort by creation), and a page
// reads one thread more than it holds, to tell whether another follows.
func (db *DB) ListThreads(ctx context.Context, q store.ThreadQuery) (store.ThreadPage, error) {
	q, err := q.Normalize()
	if err != nil {
		return store.ThreadPage{}, err
	}
	if err := db.enter(ctx); err != nil {
		return store.ThreadPage{}, err
	}
	defer db.exit()
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	where := []string{"true"}
	if q.Mode != "" {
		where = append(where, "t.mode = "+arg(q.Mode))
	}
	if q.Escalated != nil {
		where = append(where, "t.escalated = "+arg(*q.Escalated))
	}
	if q.Read != nil {
		if *q.Read {
			where = append(where, "t.read >= t.messages")
		} else {
			where = append(where, "t.read < t.messages")
		}
	}
	if q.UserID != "" {
		where = append(where, "t.user_id = "+arg(q.UserID))
	}
	if !q.From.IsZero() {
		where = append(where, "t.started_at >= "+arg(q.From))
	}
	if !q.To.IsZero() {
		where = append(where, "t.started_at < "+arg(q.To))
	}
	sql := `SELECT ` + threadColumns + ` FROM threads t WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY t.id DESC LIMIT ` + strconv.Itoa(q.Limit+1) + ` OFFSET ` + strconv.Itoa((q.Page-1)*q.Limit)
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return store.ThreadPage{}, db.wrap(ctx, "list threads", err)
	}
	threads, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Thread, error) {
		th, err := scanThread(row)
		if err != nil {
			return store.Thread{}, err
		}
		return *th, nil
	})
	if err != nil {
		return store.ThreadPage{}, db.wrap(ctx, "list threads", err)
	}
	var page store.ThreadPage
	if len(threads) > q.Limit {
		threads, page.HasMore = threads[:q.Limit], true
	}
	if len(threads) > 0 {
		page.Threads = threads
	}
	return page, nil
}

// UpdateThread implements [store.ThreadAdmin]. It locks the thread's row,
// as turns and AppendMessages do.
func (db *DB) UpdateThread(ctx context.Context, id string, fn func(*store.Thread) error) (store.Thread, error) {
	if err := store.CheckID("threadId", id); err != nil {
		return store.Thread{}, err
	}
	var out store.Thread
	err := db.tx(ctx, func(tx pgx.Tx) error {
		old, err := lockThread(ctx, tx, id)
		if err != nil {
			return err
		}
		th := *old
		if err := callThread(fn, &th); err != nil {
			return err
		}
		// What fn may not change.
		th.ID, th.Alias, th.SessionID, th.StartedAt = old.ID, old.Alias, old.SessionID, old.StartedAt
		th.Messages, th.FirstMessage, th.UpdatedAt = old.Messages, old.FirstMessage, old.UpdatedAt
		if err := store.CheckThread(&th); err != nil {
			return &hookError{err}
		}
		th.EndedAt = th.EndedAt.UTC().Truncate(time.Microsecond)
		var batch pgx.Batch
		batch.Queue(updateThreadSQL, threadArgs(&th)...)
		db.queueLog(&batch, []store.LogEntry{{Kind: store.LogThreadChanged, ThreadID: id}})
		if err := threadWriteErr(tx.SendBatch(ctx, &batch).Close(), &th); err != nil {
			return &hookError{err}
		}
		out = th
		return nil
	})
	var he *hookError
	if errors.As(err, &he) {
		err = he.err
	}
	if err != nil {
		return store.Thread{}, db.wrap(ctx, "update thread", err)
	}
	return out, nil
}

// callThread calls UpdateThread's fn, turning a panic into an error.
func callThread(fn func(*store.Thread) error, th *store.Thread) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &hookError{fmt.Errorf("pgstore: update function panicked: %v", r)}
		}
	}()
	if err := fn(th); err != nil {
		return &hookError{err}
	}
	return nil
}

// DeleteThread implements [store.ThreadAdmin]: one DELETE, whose foreign
// key deletes the messages in the same transaction. A session whose
// current thread it was starts a new one at its next turn.
func (db *DB) DeleteThread(ctx context.Context, id string) error {
	if err := store.CheckID("threadId", id); err != nil {
		return err
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var alias string
		err := tx.QueryRow(ctx, `DELETE FROM threads WHERE id = $1 RETURNING coalesce(alias, '')`, id).Scan(&alias)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		var batch pgx.Batch
		db.queueLog(&batch, []store.LogEntry{{Kind: store.LogThreadDeleted, ThreadID: id, Alias: alias}})
		return tx.SendBatch(ctx, &batch).Close()
	})
	return db.wrap(ctx, "delete thread", err)
}

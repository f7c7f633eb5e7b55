package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

// automatedLock serializes the creation of automated messages, which
// checks their number.
var automatedLock = int64(hash64("parley-pgstore-automated"))

// createdAt returns the creation time of a record of table being saved:
// now for a new one (isNew), after checking, under the advisory lock, that
// table holds fewer than limit records (what names them); else the time
// of the record id it replaces, which it locks (ErrNotFound if none).
func createdAt(ctx context.Context, tx pgx.Tx, table string, lock int64, limit int, what, id string, isNew bool, now time.Time) (time.Time, error) {
	if isNew {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lock); err != nil {
			return now, err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			return now, err
		}
		if n >= limit {
			return now, &store.FieldError{Field: "id", Rule: fmt.Sprintf("a bot keeps at most %d %s", limit, what)}
		}
		return now, nil
	}
	var t time.Time
	err := tx.QueryRow(ctx, `SELECT (data->>'createdAt')::timestamptz FROM `+table+` WHERE id = $1 FOR UPDATE`, id).Scan(&t)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, store.ErrNotFound
	}
	return t.UTC(), err
}

// SaveAutomatedMessage implements [store.AutomatedMessages].
func (db *DB) SaveAutomatedMessage(ctx context.Context, m store.AutomatedMessage) (store.AutomatedMessage, error) {
	if err := store.CheckAutomatedMessage(&m); err != nil {
		return store.AutomatedMessage{}, err
	}
	m.QuickReplies = append([]string(nil), m.QuickReplies...)
	m.Trigger.Days = append([]string(nil), m.Trigger.Days...)
	now := db.clock()
	isNew := m.ID == ""
	if isNew {
		m.ID = db.newID()
	}
	out := m
	err := db.tx(ctx, func(tx pgx.Tx) error {
		out = m
		var err error
		out.CreatedAt, err = createdAt(ctx, tx, "automated_messages", automatedLock, store.MaxAutomatedMessages, "automated messages", m.ID, isNew, now)
		if err != nil {
			return err
		}
		out.UpdatedAt = now
		_, err = tx.Exec(ctx, `INSERT INTO automated_messages (id, data) VALUES ($1, $2)
ON CONFLICT (id) DO UPDATE SET data = excluded.data`, out.ID, &out)
		return err
	})
	if err != nil {
		return store.AutomatedMessage{}, db.wrap(ctx, "save automated message", err)
	}
	return out, nil
}

// AutomatedMessages implements [store.AutomatedMessages].
func (db *DB) AutomatedMessages(ctx context.Context) ([]store.AutomatedMessage, error) {
	return listData(ctx, db, "automated_messages", "list automated messages", func(m *store.AutomatedMessage) {
		m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	})
}

// listData returns the data column of every row of table, decoded, in the
// order of their ids; fix adjusts each.
func listData[T any](ctx context.Context, db *DB, table, op string, fix func(*T)) ([]T, error) {
	if err := db.enter(ctx); err != nil {
		return nil, err
	}
	defer db.exit()
	rows, err := db.pool.Query(ctx, `SELECT data FROM `+table+` ORDER BY id`)
	if err != nil {
		return nil, db.wrap(ctx, op, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (T, error) {
		var v T
		err := row.Scan(&v)
		fix(&v)
		return v, err
	})
	if err != nil {
		return nil, db.wrap(ctx, op, err)
	}
	return out, nil
}

// DeleteAutomatedMessage implements [store.AutomatedMessages].
func (db *DB) DeleteAutomatedMessage(ctx context.Context, id string) error {
	return db.deleteByID(ctx, "automated_messages", id, "delete automated message")
}

// deleteByID deletes the row of table with the given id: ErrNotFound if
// there is none.
func (db *DB) deleteByID(ctx context.Context, table, id, op string) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE id = $1`, id)
		if err == nil && tag.RowsAffected() == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	return db.wrap(ctx, op, err)
}

// ClaimAutomatedDelivery implements [store.AutomatedMessages]: the message's row is
// locked for share (a delete waits) and the delivery's row for update.
func (db *DB) ClaimAutomatedDelivery(ctx context.Context, messageID, recipient string, fn func(*store.AutomatedDelivery) error) (store.AutomatedDelivery, error) {
	if err := store.CheckID("messageId", messageID); err != nil {
		return store.AutomatedDelivery{}, err
	}
	if err := store.CheckRecipient(recipient); err != nil {
		return store.AutomatedDelivery{}, err
	}
	var out store.AutomatedDelivery
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM automated_messages WHERE id = $1 FOR SHARE`, messageID).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO automated_deliveries (recipient, message_id, count, session_id) VALUES ($1, $2, 0, '')
ON CONFLICT DO NOTHING`, recipient, messageID); err != nil {
			return err
		}
		d := store.AutomatedDelivery{MessageID: messageID, Recipient: recipient}
		var last *time.Time
		err = tx.QueryRow(ctx, `SELECT count, last, session_id FROM automated_deliveries WHERE recipient = $1 AND message_id = $2 FOR UPDATE`,
			recipient, messageID).Scan(&d.Count, &last, &d.SessionID)
		if err != nil {
			return err
		}
		if last != nil {
			d.Last = last.UTC()
		}
		if err := fn(&d); err != nil {
			return err
		}
		d.MessageID, d.Recipient = messageID, recipient
		d.Last = d.Last.UTC().Truncate(time.Microsecond)
		last = nil
		if !d.Last.IsZero() {
			last = &d.Last
		}
		_, err = tx.Exec(ctx, `UPDATE automated_deliveries SET count = $3, last = $4, session_id = $5 WHERE recipient = $1 AND message_id = $2`,
			recipient, messageID, d.Count, last, d.SessionID)
		out = d
		return err
	})
	if err != nil {
		return store.AutomatedDelivery{}, db.wrap(ctx, "claim delivery", err)
	}
	return out, nil
}

// AutomatedDeliveries implements [store.AutomatedMessages].
func (db *DB) AutomatedDeliveries(ctx context.Context, recipient string) ([]store.AutomatedDelivery, error) {
	if err := store.CheckRecipient(recipient); err != nil {
		return nil, err
	}
	if err := db.enter(ctx); err != nil {
		return nil, err
	}
	defer db.exit()
	rows, err := db.pool.Query(ctx, `SELECT message_id, count, last, session_id FROM automated_deliveries
WHERE recipient = $1 AND count > 0 ORDER BY message_id`, recipient)
	if err != nil {
		return nil, db.wrap(ctx, "deliveries", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.AutomatedDelivery, error) {
		d := store.AutomatedDelivery{Recipient: recipient}
		var last *time.Time
		err := row.Scan(&d.MessageID, &d.Count, &last, &d.SessionID)
		if last != nil {
			d.Last = last.UTC()
		}
		return d, err
	})
	if err != nil {
		return nil, db.wrap(ctx, "deliveries", err)
	}
	return out, nil
}

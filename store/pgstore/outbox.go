package pgstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

const insertDeliverySQL = `
INSERT INTO outbox (id, key, event, url, token, payload, attempts, last_error, created_at, next_at)
VALUES ($1, $2, $3, $4, $5, $6, 0, '', $7, $7)`

// queueDeliveries checks ds, numbers them and queues their inserts.
func (db *DB) queueDeliveries(batch *pgx.Batch, ds []store.Delivery, now time.Time) error {
	for i := range ds {
		d := &ds[i]
		if err := store.CheckDelivery(d); err != nil {
			return fmt.Errorf("deliveries[%d]: %w", i, err)
		}
		d.ID, d.CreatedAt, d.NextAt, d.Attempts, d.LastError = db.newID(), now, now, 0, ""
		batch.Queue(insertDeliverySQL, d.ID, d.Key, d.Event, d.URL, d.Token, []byte(d.Payload), now)
	}
	return nil
}

// Enqueue implements [store.Outbox].
func (db *DB) Enqueue(ctx context.Context, ds ...store.Delivery) ([]store.Delivery, error) {
	if len(ds) == 0 || len(ds) > 1000 {
		return nil, &store.FieldError{Field: "deliveries", Rule: "must have 1 to 1000 entries"}
	}
	out := make([]store.Delivery, len(ds))
	err := db.tx(ctx, func(tx pgx.Tx) error {
		copy(out, ds)
		var batch pgx.Batch
		if err := db.queueDeliveries(&batch, out, db.clock()); err != nil {
			return err
		}
		return tx.SendBatch(ctx, &batch).Close()
	})
	if err != nil {
		return nil, db.wrap(ctx, "enqueue", err)
	}
	return out, nil
}

// An outboxLead is a DB's claim on its schema's outbox: a connection of
// its own, outside the pool, that holds a session advisory lock while this
// DB is the one draining the outbox. PostgreSQL releases the lock when the
// connection ends, however the process holding it ends.
type outboxLead struct {
	mu   sync.Mutex
	conn *pgx.Conn // nil until the first DueDeliveries, and after a failure
	held bool      // conn holds the lock
}

// dueSQL selects the oldest delivery of each key, if it is due.
const dueSQL = `
SELECT id, key, event, url, token, payload, attempts, last_error, created_at, next_at
FROM (SELECT DISTINCT ON (key) * FROM outbox ORDER BY key, id) o
WHERE next_at <= $1 ORDER BY id LIMIT $2`

// lead makes sure l has a connection and tries to take the outbox lock
// with it, if it does not hold it yet.
func (db *DB) lead(ctx context.Context, l *outboxLead) error {
	if l.conn != nil && l.conn.IsClosed() {
		l.conn, l.held = nil, false
	}
	if l.conn == nil {
		cfg := db.pool.Config().ConnConfig.Copy()
		cfg.RuntimeParams["application_name"] = "parley outbox " + db.schema
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			return err
		}
		l.conn = conn
	}
	if l.held {
		return nil
	}
	err := l.conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, db.outboxKey()).Scan(&l.held)
	if err != nil {
		l.drop()
	}
	return err
}

// drop closes l's connection, which releases the lock.
func (l *outboxLead) drop() {
	if l.conn != nil {
		l.conn.Close(context.Background())
	}
	l.conn, l.held = nil, false
}

func (db *DB) outboxKey() int64 { return int64(hash64("parley-outbox " + db.schema)) }

// DueDeliveries implements [store.Outbox]: the oldest delivery of each
// key, if it is due. Of the DBs sharing a schema, in any number of
// processes, only the one holding the outbox lock gets deliveries (see the
// package doc); the others get none, and take the lock over when its
// holder closes or dies.
func (db *DB) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]store.Delivery, error) {
	if limit < 1 || limit > 1000 {
		return nil, &store.FieldError{Field: "limit", Rule: "must be 1 to 1000"}
	}
	if err := db.enter(ctx); err != nil {
		return nil, err
	}
	defer db.exit()
	l := &db.outbox
	l.mu.Lock()
	defer l.mu.Unlock()
	// A connection that died since the last call is found dead by the
	// first query on it: then connect again, once.
	out, err := db.due(ctx, l, now, limit)
	if err != nil && ctx.Err() == nil {
		l.drop()
		out, err = db.due(ctx, l, now, limit)
	}
	if err != nil {
		l.drop()
		return nil, db.wrap(ctx, "due deliveries", err)
	}
	return out, nil
}

// due is DueDeliveries with l held.
func (db *DB) due(ctx context.Context, l *outboxLead, now time.Time, limit int) ([]store.Delivery, error) {
	if err := db.lead(ctx, l); err != nil || !l.held {
		return nil, err
	}
	rows, err := l.conn.Query(ctx, dueSQL, now, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Delivery, error) {
		var d store.Delivery
		var payload []byte
		err := row.Scan(&d.ID, &d.Key, &d.Event, &d.URL, &d.Token, &payload, &d.Attempts, &d.LastError, &d.CreatedAt, &d.NextAt)
		d.Payload = payload
		d.CreatedAt, d.NextAt = d.CreatedAt.UTC(), d.NextAt.UTC()
		return d, err
	})
}

// Delivered implements [store.Outbox].
func (db *DB) Delivered(ctx context.Context, id string) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	return db.wrap(ctx, "delivered", db.execOne(ctx, `DELETE FROM outbox WHERE id = $1`, id))
}

// RetryDelivery implements [store.Outbox].
func (db *DB) RetryDelivery(ctx context.Context, id string, next time.Time, lastErr string) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	return db.wrap(ctx, "retry delivery", db.execOne(ctx,
		`UPDATE outbox SET attempts = attempts + 1, next_at = $2, last_error = $3 WHERE id = $1`,
		id, next.UTC(), store.TruncateError(lastErr)))
}

package pgstore

import (
	"context"
	"fmt"
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

// DueDeliveries implements [store.Outbox]: the oldest delivery of each
// key, if it is due.
func (db *DB) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]store.Delivery, error) {
	if limit < 1 || limit > 1000 {
		return nil, &store.FieldError{Field: "limit", Rule: "must be 1 to 1000"}
	}
	if err := db.enter(ctx); err != nil {
		return nil, err
	}
	defer db.exit()
	rows, err := db.pool.Query(ctx, `
SELECT id, key, event, url, token, payload, attempts, last_error, created_at, next_at
FROM (SELECT DISTINCT ON (key) * FROM outbox ORDER BY key, id) o
WHERE next_at <= $1 ORDER BY id LIMIT $2`, now, limit)
	if err != nil {
		return nil, db.wrap(ctx, "due deliveries", err)
	}
	var out []store.Delivery
	for rows.Next() {
		var d store.Delivery
		var payload []byte
		if err := rows.Scan(&d.ID, &d.Key, &d.Event, &d.URL, &d.Token, &payload, &d.Attempts, &d.LastError, &d.CreatedAt, &d.NextAt); err != nil {
			rows.Close()
			return nil, db.wrap(ctx, "due deliveries", err)
		}
		d.Payload = payload
		d.CreatedAt, d.NextAt = d.CreatedAt.UTC(), d.NextAt.UTC()
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, db.wrap(ctx, "due deliveries", err)
	}
	return out, nil
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

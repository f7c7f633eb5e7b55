package pgstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

// AddVisit implements [store.Visits]: one transaction closes the
// visitor's open visit, inserts the new one and deletes those beyond
// store.MaxVisits.
func (db *DB) AddVisit(ctx context.Context, v store.Visit) (store.Visit, error) {
	if err := store.CheckVisit(&v); err != nil {
		return store.Visit{}, err
	}
	now := db.clock()
	v.ID, v.LandedAt, v.LeftAt = db.newID(), now, time.Time{}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE visits SET left_at = $2 WHERE visitor = $1 AND left_at IS NULL`, v.Visitor, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO visits (id, visitor, session_id, url, title, referrer, landed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, v.ID, v.Visitor, v.SessionID, v.URL, v.Title, v.Referrer, now); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM visits WHERE visitor = $1 AND id < (
	SELECT id FROM visits WHERE visitor = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)`, v.Visitor, store.MaxVisits-1)
		return err
	})
	if err != nil {
		return store.Visit{}, db.wrap(ctx, "add visit", err)
	}
	return v, nil
}

// EndVisit implements [store.Visits].
func (db *DB) EndVisit(ctx context.Context, visitor string) error {
	if err := store.CheckVisitor(visitor); err != nil {
		return err
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE visits SET left_at = $2 WHERE visitor = $1 AND left_at IS NULL`, visitor, db.clock())
		return err
	})
	return db.wrap(ctx, "end visit", err)
}

// Visits implements [store.Visits].
func (db *DB) Visits(ctx context.Context, visitor string) ([]store.Visit, error) {
	if err := store.CheckVisitor(visitor); err != nil {
		return nil, err
	}
	if err := db.enter(ctx); err != nil {
		return nil, err
	}
	defer db.exit()
	rows, err := db.pool.Query(ctx, `SELECT id, session_id, url, title, referrer, landed_at, left_at FROM visits
WHERE visitor = $1 ORDER BY id DESC`, visitor)
	if err != nil {
		return nil, db.wrap(ctx, "visits", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Visit, error) {
		v := store.Visit{Visitor: visitor}
		var left *time.Time
		err := row.Scan(&v.ID, &v.SessionID, &v.URL, &v.Title, &v.Referrer, &v.LandedAt, &left)
		v.LandedAt = v.LandedAt.UTC()
		if left != nil {
			v.LeftAt = left.UTC()
		}
		return v, err
	})
	if err != nil {
		return nil, db.wrap(ctx, "visits", err)
	}
	return out, nil
}

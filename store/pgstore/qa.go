package pgstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

// qaLock serializes the creation of Q&A, which checks their number.
var qaLock = int64(hash64("parley-pgstore-qa"))

// SaveQA implements [store.QAs]. The table's unique index on label keeps
// labels unique across processes.
func (db *DB) SaveQA(ctx context.Context, q store.QA) (store.QA, error) {
	if err := store.CheckQA(&q); err != nil {
		return store.QA{}, err
	}
	q.Questions = append([]string(nil), q.Questions...)
	now := db.clock()
	isNew := q.ID == ""
	if isNew {
		q.ID = db.newID()
	}
	out := q
	err := db.tx(ctx, func(tx pgx.Tx) error {
		out = q
		var err error
		out.CreatedAt, err = createdAt(ctx, tx, "qas", qaLock, store.MaxQAs, "Q&A", q.ID, isNew, now)
		if err != nil {
			return err
		}
		out.UpdatedAt = now
		_, err = tx.Exec(ctx, `INSERT INTO qas (id, label, data) VALUES ($1, $2, $3)
ON CONFLICT (id) DO UPDATE SET label = excluded.label, data = excluded.data`, out.ID, out.Label, &out)
		if code, _ := pgCode(err); code == codeUnique {
			return fmt.Errorf("%w: label %q is another Q&A's", store.ErrConflict, q.Label)
		}
		return err
	})
	if err != nil {
		return store.QA{}, db.wrap(ctx, "save Q&A", err)
	}
	return out, nil
}

// QAs implements [store.QAs].
func (db *DB) QAs(ctx context.Context) ([]store.QA, error) {
	return listData(ctx, db, "qas", "list Q&A", func(q *store.QA) {
		q.CreatedAt, q.UpdatedAt = q.CreatedAt.UTC(), q.UpdatedAt.UTC()
	})
}

// DeleteQA implements [store.QAs].
func (db *DB) DeleteQA(ctx context.Context, id string) error {
	return db.deleteByID(ctx, "qas", id, "delete Q&A")
}

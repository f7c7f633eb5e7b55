package badgerstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// Stored Q&A are JSON records under Q <id>, with their labels under
// q <label> → id, which keeps labels unique.

func loadQA(txn kv, id string) (*store.QA, error) {
	q := new(store.QA)
	if err := get(txn, key1(kQA, id), func(v []byte) error { return json.Unmarshal(v, q) }); err != nil {
		return nil, err
	}
	return q, nil
}

// SaveQA implements [store.QAs].
func (db *DB) SaveQA(ctx context.Context, q store.QA) (store.QA, error) {
	if err := store.CheckQA(&q); err != nil {
		return store.QA{}, err
	}
	now := db.now().UTC()
	isNew := q.ID == ""
	if isNew {
		q.ID = db.newID()
	}
	out := q
	err := db.update(ctx, func(txn *badger.Txn) error {
		out = q
		label := strKey(kQALabel, q.Label)
		var owner string
		err := get(txn, label, func(v []byte) error { owner = hexID(v); return nil })
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if owner != "" && owner != q.ID {
			return fmt.Errorf("%w: label %q is another Q&A's", store.ErrConflict, q.Label)
		}
		if isNew {
			n := 0
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kQA}})
			for it.Rewind(); it.Valid(); it.Next() {
				n++
			}
			it.Close()
			if n >= store.MaxQAs {
				return &store.FieldError{Field: "id", Rule: fmt.Sprintf("a bot keeps at most %d Q&A", store.MaxQAs)}
			}
			out.CreatedAt = now
		} else {
			old, err := loadQA(txn, q.ID)
			if err != nil {
				return err
			}
			out.CreatedAt = old.CreatedAt
			if old.Label != q.Label {
				if err := txn.Delete(strKey(kQALabel, old.Label)); err != nil {
					return err
				}
			}
		}
		out.UpdatedAt = now
		b, err := json.Marshal(&out)
		if err != nil {
			return err
		}
		if err := txn.Set(label, rawID(out.ID)); err != nil {
			return err
		}
		return txn.Set(key1(kQA, out.ID), b)
	})
	if err != nil {
		return store.QA{}, db.wrap("save Q&A", err)
	}
	return out, nil
}

// QAs implements [store.QAs].
func (db *DB) QAs(ctx context.Context) ([]store.QA, error) {
	return listJSON[store.QA](ctx, db, kQA, "list Q&A")
}

// DeleteQA implements [store.QAs].
func (db *DB) DeleteQA(ctx context.Context, id string) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	err := db.update(ctx, func(txn *badger.Txn) error {
		q, err := loadQA(txn, id)
		if err != nil {
			return err
		}
		if err := txn.Delete(strKey(kQALabel, q.Label)); err != nil {
			return err
		}
		return txn.Delete(key1(kQA, id))
	})
	if err != nil {
		return db.wrap("delete Q&A", err)
	}
	return nil
}

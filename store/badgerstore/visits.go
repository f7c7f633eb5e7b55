package badgerstore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"slices"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// A visit is a JSON record under v <visitor length: 2> <visitor> <visit>:
// the length keeps one visitor's prefix from being another's, and the ids
// sort the visits in the order they landed.

// visitRecord is a visit as stored.
type visitRecord struct {
	SessionID string `json:"s"`
	URL       string `json:"u"`
	Title     string `json:"t,omitempty"`
	Referrer  string `json:"r,omitempty"`
	Landed    int64  `json:"l"`           // Unix nanoseconds
	Left      int64  `json:"e,omitempty"` // Unix nanoseconds, 0 while open
}

func visitPrefix(visitor string) []byte {
	k := binary.BigEndian.AppendUint16([]byte{kVisit}, uint16(len(visitor)))
	return append(k, visitor...)
}

func (r *visitRecord) visit(visitor, id string) store.Visit {
	v := store.Visit{ID: id, Visitor: visitor, SessionID: r.SessionID, URL: r.URL, Title: r.Title, Referrer: r.Referrer,
		LandedAt: time.Unix(0, r.Landed).UTC()}
	if r.Left != 0 {
		v.LeftAt = time.Unix(0, r.Left).UTC()
	}
	return v
}

// visitKeys returns the keys of the visitor's visits, oldest first, and
// the record of the newest.
func visitKeys(txn *badger.Txn, prefix []byte) (keys [][]byte, last *visitRecord, err error) {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		keys = append(keys, it.Item().KeyCopy(nil))
	}
	if len(keys) == 0 {
		return nil, nil, nil
	}
	last = new(visitRecord)
	err = get(txn, keys[len(keys)-1], func(v []byte) error { return json.Unmarshal(v, last) })
	return keys, last, err
}

func putVisit(txn *badger.Txn, k []byte, r *visitRecord) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return txn.Set(k, b)
}

// AddVisit implements [store.Visits].
func (db *DB) AddVisit(ctx context.Context, v store.Visit) (store.Visit, error) {
	if err := store.CheckVisit(&v); err != nil {
		return store.Visit{}, err
	}
	now := db.now().UTC()
	v.ID, v.LandedAt, v.LeftAt = db.newID(), now, time.Time{}
	prefix := visitPrefix(v.Visitor)
	rec := visitRecord{SessionID: v.SessionID, URL: v.URL, Title: v.Title, Referrer: v.Referrer, Landed: now.UnixNano()}
	err := db.update(ctx, func(txn *badger.Txn) error {
		keys, last, err := visitKeys(txn, prefix)
		if err != nil {
			return err
		}
		if last != nil && last.Left == 0 {
			last.Left = now.UnixNano()
			if err := putVisit(txn, keys[len(keys)-1], last); err != nil {
				return err
			}
		}
		for len(keys) >= store.MaxVisits {
			if err := txn.Delete(keys[0]); err != nil {
				return err
			}
			keys = keys[1:]
		}
		return putVisit(txn, appendID(append([]byte(nil), prefix...), v.ID), &rec)
	})
	if err != nil {
		return store.Visit{}, db.wrap("add visit", err)
	}
	return v, nil
}

// EndVisit implements [store.Visits].
func (db *DB) EndVisit(ctx context.Context, visitor string) error {
	if err := store.CheckVisitor(visitor); err != nil {
		return err
	}
	now := db.now().UnixNano()
	err := db.update(ctx, func(txn *badger.Txn) error {
		keys, last, err := visitKeys(txn, visitPrefix(visitor))
		if err != nil || last == nil || last.Left != 0 {
			return err
		}
		last.Left = now
		return putVisit(txn, keys[len(keys)-1], last)
	})
	if err != nil {
		return db.wrap("end visit", err)
	}
	return nil
}

// Visits implements [store.Visits].
func (db *DB) Visits(ctx context.Context, visitor string) ([]store.Visit, error) {
	if err := store.CheckVisitor(visitor); err != nil {
		return nil, err
	}
	prefix := visitPrefix(visitor)
	var out []store.Visit
	err := db.view(ctx, func(txn *badger.Txn) error {
		out = out[:0]
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var r visitRecord
			if err := it.Item().Value(func(b []byte) error { return json.Unmarshal(b, &r) }); err != nil {
				return err
			}
			out = append(out, r.visit(visitor, hexID(it.Item().Key()[len(prefix):])))
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap("visits", err)
	}
	slices.Reverse(out)
	return out, nil
}

// purgeVisits deletes the visits of visitor.
func (db *DB) purgeVisits(visitor string) error {
	return db.deletePrefix(context.Background(), visitPrefix(visitor))
}

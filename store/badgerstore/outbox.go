package badgerstore

import (
	"context"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// Outbox records: "o" <id> → a delivery, in the order of their ids.

func encodeDelivery(d *store.Delivery) []byte {
	e := encoder{make([]byte, 0, 64+len(d.Key)+len(d.Event)+len(d.URL)+len(d.Token)+len(d.Payload)+len(d.LastError))}
	e.byte(recordFormat)
	e.str(d.Key)
	e.str(d.Event)
	e.str(d.URL)
	e.str(d.Token)
	e.bytes(d.Payload)
	e.uint(uint64(d.Attempts))
	e.str(d.LastError)
	e.time(d.CreatedAt)
	e.time(d.NextAt)
	return e.b
}

func decodeDelivery(b []byte, id string, d *store.Delivery) error {
	dec := decoder{b: b}
	dec.version()
	d.ID = id
	d.Key = dec.str()
	d.Event = dec.str()
	d.URL = dec.str()
	d.Token = dec.str()
	d.Payload = append([]byte(nil), dec.raw()...)
	d.Attempts = int(dec.uint())
	d.LastError = dec.str()
	d.CreatedAt = dec.time()
	d.NextAt = dec.time()
	return dec.err
}

// putDeliveries checks ds, numbers them and writes them in txn.
func (db *DB) putDeliveries(txn kv, ds []store.Delivery, now time.Time) error {
	for i := range ds {
		d := &ds[i]
		if err := store.CheckDelivery(d); err != nil {
			return fmt.Errorf("deliveries[%d]: %w", i, err)
		}
		d.ID, d.CreatedAt, d.NextAt, d.Attempts, d.LastError = db.newID(), now, now, 0, ""
		if err := txn.Set(key1(kOutbox, d.ID), encodeDelivery(d)); err != nil {
			return err
		}
	}
	return nil
}

// Enqueue implements [store.Outbox].
func (db *DB) Enqueue(ctx context.Context, ds ...store.Delivery) ([]store.Delivery, error) {
	if len(ds) == 0 || len(ds) > 1000 {
		return nil, &store.FieldError{Field: "deliveries", Rule: "must have 1 to 1000 entries"}
	}
	out := make([]store.Delivery, len(ds))
	err := db.update(ctx, func(txn *badger.Txn) error {
		copy(out, ds)
		return db.putDeliveries(txn, out, db.now().UTC())
	})
	if err != nil {
		return nil, db.wrap("enqueue", err)
	}
	return out, nil
}

// DueDeliveries implements [store.Outbox]. It walks the outbox from its
// oldest delivery: the outbox holds what has not been delivered yet.
func (db *DB) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]store.Delivery, error) {
	if limit < 1 || limit > 1000 {
		return nil, &store.FieldError{Field: "limit", Rule: "must be 1 to 1000"}
	}
	var out []store.Delivery
	err := db.view(ctx, func(txn *badger.Txn) error {
		out = out[:0]
		seen := map[string]bool{}
		prefix := []byte{kOutbox}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid() && len(out) < limit; it.Next() {
			item := it.Item()
			var d store.Delivery
			err := item.Value(func(v []byte) error { return decodeDelivery(v, hexID(item.Key()[1:]), &d) })
			if err != nil {
				return err
			}
			if seen[d.Key] {
				continue
			}
			seen[d.Key] = true
			if !d.NextAt.After(now) {
				out = append(out, d)
			}
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap("due deliveries", err)
	}
	return out, nil
}

// Delivered implements [store.Outbox].
func (db *DB) Delivered(ctx context.Context, id string) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	err := db.update(ctx, func(txn *badger.Txn) error {
		if _, err := txn.Get(key1(kOutbox, id)); err != nil {
			return notFound(err)
		}
		return txn.Delete(key1(kOutbox, id))
	})
	return db.wrap2("delivered", err)
}

// RetryDelivery implements [store.Outbox].
func (db *DB) RetryDelivery(ctx context.Context, id string, next time.Time, lastErr string) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	err := db.update(ctx, func(txn *badger.Txn) error {
		var d store.Delivery
		if err := get(txn, key1(kOutbox, id), func(v []byte) error { return decodeDelivery(v, id, &d) }); err != nil {
			return err
		}
		d.Attempts++
		d.NextAt, d.LastError = next.UTC(), store.TruncateError(lastErr)
		return txn.Set(key1(kOutbox, id), encodeDelivery(&d))
	})
	return db.wrap2("retry delivery", err)
}

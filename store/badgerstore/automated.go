package badgerstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// Automated messages are JSON records under A <id>; a delivery is a JSON
// record under D <recipient> \x00 <message>, indexed under d <message>
// <recipient> so that deleting a message finds its deliveries.

// deliveryRecord is a delivery as stored.
type deliveryRecord struct {
	Count     int    `json:"n"`
	Last      int64  `json:"t"` // Unix nanoseconds
	SessionID string `json:"s,omitempty"`
}

func deliveryKey(recipient, msg string) []byte {
	k := append([]byte{kDelivery}, recipient...)
	k = append(k, 0)
	return appendID(k, msg)
}

func deliveryIndexKey(msg, recipient string) []byte {
	return append(key1(kMsgDelivery, msg), recipient...)
}

func loadAutomated(txn kv, id string) (*store.AutomatedMessage, error) {
	m := new(store.AutomatedMessage)
	err := get(txn, key1(kAutomated, id), func(v []byte) error { return json.Unmarshal(v, m) })
	if err != nil {
		return nil, err
	}
	return m, nil
}

// SaveAutomatedMessage implements [store.AutomatedMessages].
func (db *DB) SaveAutomatedMessage(ctx context.Context, m store.AutomatedMessage) (store.AutomatedMessage, error) {
	if err := store.CheckAutomatedMessage(&m); err != nil {
		return store.AutomatedMessage{}, err
	}
	m.QuickReplies = append([]string(nil), m.QuickReplies...)
	m.Trigger.Days = append([]string(nil), m.Trigger.Days...)
	now := db.now().UTC()
	isNew := m.ID == ""
	if isNew {
		m.ID = db.newID()
	}
	out := m
	err := db.update(ctx, func(txn *badger.Txn) error {
		out = m
		if isNew {
			n := 0
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kAutomated}})
			for it.Rewind(); it.Valid(); it.Next() {
				n++
			}
			it.Close()
			if n >= store.MaxAutomatedMessages {
				return &store.FieldError{Field: "id", Rule: fmt.Sprintf("a bot keeps at most %d automated messages", store.MaxAutomatedMessages)}
			}
			out.CreatedAt = now
		} else {
			old, err := loadAutomated(txn, m.ID)
			if err != nil {
				return err
			}
			out.CreatedAt = old.CreatedAt
		}
		out.UpdatedAt = now
		b, err := json.Marshal(&out)
		if err != nil {
			return err
		}
		return txn.Set(key1(kAutomated, out.ID), b)
	})
	if err != nil {
		return store.AutomatedMessage{}, db.wrap("save automated message", err)
	}
	return out, nil
}

// AutomatedMessages implements [store.AutomatedMessages].
func (db *DB) AutomatedMessages(ctx context.Context) ([]store.AutomatedMessage, error) {
	return listJSON[store.AutomatedMessage](ctx, db, kAutomated, "list automated messages")
}

// listJSON returns the JSON records under the key kind, decoded, in key
// order.
func listJSON[T any](ctx context.Context, db *DB, kind byte, op string) ([]T, error) {
	var out []T
	err := db.view(ctx, func(txn *badger.Txn) error {
		out = out[:0]
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kind}, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var v T
			if err := it.Item().Value(func(b []byte) error { return json.Unmarshal(b, &v) }); err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap(op, err)
	}
	return out, nil
}

// DeleteAutomatedMessage implements [store.AutomatedMessages].
func (db *DB) DeleteAutomatedMessage(ctx context.Context, id string) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	err := db.update(ctx, func(txn *badger.Txn) error {
		if _, err := loadAutomated(txn, id); err != nil {
			return err
		}
		if err := txn.Delete(key1(kAutomated, id)); err != nil {
			return err
		}
		return txn.Set(purgeKey(kAutomated, id), nil)
	})
	if err != nil {
		return db.wrap("delete automated message", err)
	}
	if err := db.purgeAutomated(id); err != nil {
		return db.wrap("delete automated message", err)
	}
	return nil
}

// purgeAutomated deletes the deliveries of a deleted message, then its
// purge key.
func (db *DB) purgeAutomated(id string) error {
	prefix := key1(kMsgDelivery, id)
	err := db.eachBatch(context.Background(), prefix, func(txn *badger.Txn, k []byte) error {
		if err := txn.Delete(deliveryKey(string(k[len(prefix):]), id)); err != nil {
			return err
		}
		return txn.Delete(k)
	})
	if err != nil {
		return err
	}
	return db.bdb.Update(func(txn *badger.Txn) error { return txn.Delete(purgeKey(kAutomated, id)) })
}

// purgeDeliveries deletes the deliveries to recipient.
func (db *DB) purgeDeliveries(recipient string) error {
	prefix := append(append([]byte{kDelivery}, recipient...), 0)
	return db.eachBatch(context.Background(), prefix, func(txn *badger.Txn, k []byte) error {
		if err := txn.Delete(deliveryIndexKey(hexID(k[len(prefix):]), recipient)); err != nil {
			return err
		}
		return txn.Delete(k)
	})
}

// ClaimAutomatedDelivery implements [store.AutomatedMessages].
func (db *DB) ClaimAutomatedDelivery(ctx context.Context, messageID, recipient string, fn func(*store.AutomatedDelivery) error) (store.AutomatedDelivery, error) {
	if err := store.CheckID("messageId", messageID); err != nil {
		return store.AutomatedDelivery{}, err
	}
	if err := store.CheckRecipient(recipient); err != nil {
		return store.AutomatedDelivery{}, err
	}
	var out store.AutomatedDelivery
	err := db.update(ctx, func(txn *badger.Txn) error {
		if ok, err := exists(txn, key1(kAutomated, messageID)); err != nil {
			return err
		} else if !ok {
			return store.ErrNotFound
		}
		// Reading the message's key makes a concurrent delete conflict.
		var r deliveryRecord
		k := deliveryKey(recipient, messageID)
		err := get(txn, k, func(v []byte) error { return json.Unmarshal(v, &r) })
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		d := recordDelivery(messageID, recipient, r)
		if err := fn(&d); err != nil {
			return err
		}
		d.MessageID, d.Recipient = messageID, recipient
		b, err := json.Marshal(deliveryRecord{Count: d.Count, Last: d.Last.UnixNano(), SessionID: d.SessionID})
		if err != nil {
			return err
		}
		if r.Count == 0 {
			if err := txn.Set(deliveryIndexKey(messageID, recipient), nil); err != nil {
				return err
			}
		}
		out = d
		return txn.Set(k, b)
	})
	if err != nil {
		return store.AutomatedDelivery{}, db.wrap("claim delivery", err)
	}
	return out, nil
}

func recordDelivery(msg, recipient string, r deliveryRecord) store.AutomatedDelivery {
	d := store.AutomatedDelivery{MessageID: msg, Recipient: recipient, Count: r.Count, SessionID: r.SessionID}
	if r.Last != 0 {
		d.Last = time.Unix(0, r.Last).UTC()
	}
	return d
}

// AutomatedDeliveries implements [store.AutomatedMessages].
func (db *DB) AutomatedDeliveries(ctx context.Context, recipient string) ([]store.AutomatedDelivery, error) {
	if err := store.CheckRecipient(recipient); err != nil {
		return nil, err
	}
	var out []store.AutomatedDelivery
	prefix := append(append([]byte{kDelivery}, recipient...), 0)
	err := db.view(ctx, func(txn *badger.Txn) error {
		out = out[:0]
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var r deliveryRecord
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &r) }); err != nil {
				return err
			}
			out = append(out, recordDelivery(hexID(it.Item().Key()[len(prefix):]), recipient, r))
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap("deliveries", err)
	}
	return out, nil
}

package badgerstore

import (
	"context"
	"errors"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// batchKeys bounds the keys one purge transaction deletes, well below
// Badger's limit on a transaction even in the SmallDevice profile.
const batchKeys = 500

func purgeKey(kind byte, id string) []byte {
	return appendID([]byte{kPurge, kind}, id)
}

// purgeAll finishes the purges that a previous process left undone.
func (db *DB) purgeAll() error {
	var keys [][]byte
	err := db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kPurge}})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			keys = append(keys, it.Item().KeyCopy(nil))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if len(k) != 14 {
			continue
		}
		id := hexID(k[2:])
		switch k[1] {
		case kUser:
			err = db.purgeUser(context.Background(), id)
		case kSegment:
			err = db.purgeSegment(id)
		case kThread:
			err = db.purgeThread(id)
		case kAutomated:
			err = db.purgeAutomated(id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// purgeUser deletes the sessions, threads and messages of a deleted user,
// then its purge key. Each session and thread goes under its session's
// lock (see hot.go), one at a time. When ctx ends it stops between two
// transactions and returns ctx's error, leaving the purge key for Open.
func (db *DB) purgeUser(ctx context.Context, id string) error {
	// Sessions: the index entry goes; the session too if it still is the
	// user's (a later turn may have reused the session id without a user).
	err := db.eachKey(ctx, key1(kUserSess, id), func(k []byte) error {
		sid := string(k[13:])
		defer db.lockSession(sid)()
		return db.retry(ctx, func(txn *badger.Txn) error {
			var s store.Session
			err := get(txn, strKey(kSession, sid), func(v []byte) error { _, err := decodeSession(v, sid, &s); return err })
			if err == nil && s.UserID == id {
				if err := txn.Delete(strKey(kSession, sid)); err != nil {
					return err
				}
			} else if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			return txn.Delete(k)
		})
	})
	if err != nil {
		return err
	}
	err = db.eachKey(ctx, key1(kUserThread, id), func(k []byte) error {
		tid := hexID(k[13:])
		var th *store.Thread
		err := db.bdb.View(func(txn *badger.Txn) error {
			var err error
			th, err = loadThread(txn, tid)
			return err
		})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if th != nil && th.SessionID != "" {
			defer db.lockSession(th.SessionID)()
		}
		if err := db.deletePrefix(ctx, key1(kMessage, tid)); err != nil {
			return err
		}
		return db.retry(ctx, func(txn *badger.Txn) error {
			if err := txn.Delete(key1(kThread, tid)); err != nil {
				return err
			}
			if th != nil && th.Alias != "" {
				if err := txn.Delete(aliasKey(th.Alias)); err != nil {
					return err
				}
			}
			if th != nil && th.SessionID != "" {
				// A session kept (now another user's) still carries the
				// thread as its current one: not any more.
				if err := db.forgetThread(txn, th.SessionID, tid); err != nil {
					return err
				}
			}
			return txn.Delete(k)
		})
	})
	if err != nil {
		return err
	}
	if err := db.purgeFeedback(ctx, id); err != nil {
		return err
	}
	if err := db.deletePrefix(ctx, key1(kActivity, id)); err != nil {
		return err
	}
	if err := db.purgeDeliveries(id); err != nil {
		return err
	}
	if err := db.purgeVisits(id); err != nil {
		return err
	}
	if err := db.purgeCompany(id); err != nil {
		return err
	}
	if err := db.purgeMeetings(id); err != nil {
		return err
	}
	return db.bdb.Update(func(txn *badger.Txn) error { return txn.Delete(purgeKey(kUser, id)) })
}

// forgetThread rewrites session sid without the copy of thread tid it may
// carry (see putSession), so that nothing of a deleted thread remains; its
// next turn finds the thread gone and starts afresh.
func (db *DB) forgetThread(txn *badger.Txn, sid, tid string) error {
	var s store.Session
	var carried []byte
	err := get(txn, strKey(kSession, sid), func(v []byte) error {
		var err error
		carried, err = decodeSession(v, sid, &s)
		return err
	})
	if errors.Is(err, store.ErrNotFound) || err == nil && (carried == nil || s.ThreadID != tid) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = db.putSession(txn, &s, nil, db.now().UTC())
	return err
}

// eachKey calls fn for every key under prefix, one at a time, in batches
// of reads, until ctx ends. fn must delete the key, or the walk never ends.
func (db *DB) eachKey(ctx context.Context, prefix []byte, fn func(k []byte) error) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var keys [][]byte
		err := db.bdb.View(func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
			defer it.Close()
			for it.Rewind(); it.Valid() && len(keys) < batchKeys; it.Next() {
				keys = append(keys, it.Item().KeyCopy(nil))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := fn(k); err != nil {
				return err
			}
		}
		if len(keys) < batchKeys {
			return nil
		}
	}
}

// purgeSegment removes a deleted segment from its members' records, then
// its purge key.
func (db *DB) purgeSegment(seg string) error {
	err := db.eachKey(context.Background(), key1(kMember, seg), func(k []byte) error {
		uid := hexID(k[13:])
		unlock, err := db.lockUsers(uid)
		if err != nil {
			return err
		}
		defer unlock()
		return db.retry(context.Background(), func(txn *badger.Txn) error {
			u, err := loadUser(txn, uid)
			if err == nil {
				old := u.Clone()
				u.Segments = removeID(u.Segments, seg)
				if _, err := putUser(txn, &old, u); err != nil {
					return err
				}
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			return txn.Delete(k)
		})
	})
	if err != nil {
		return err
	}
	// The changes of its member count (see counts.go).
	if err := db.deletePrefix(context.Background(), key1(kSegment, seg)); err != nil {
		return err
	}
	return db.bdb.Update(func(txn *badger.Txn) error { return txn.Delete(purgeKey(kSegment, seg)) })
}

// deletePrefix deletes every key under prefix, in batches, until ctx ends.
func (db *DB) deletePrefix(ctx context.Context, prefix []byte) error {
	return db.eachBatch(ctx, prefix, func(txn *badger.Txn, k []byte) error { return txn.Delete(k) })
}

// eachBatch calls fn for every key under prefix, up to batchKeys keys per
// transaction, fewer when a transaction grows too big for Badger. fn must
// delete the key, or the walk never ends. It stops when ctx ends.
func (db *DB) eachBatch(ctx context.Context, prefix []byte, fn func(txn *badger.Txn, k []byte) error) error {
	size := batchKeys
	for {
		n := 0
		err := db.retry(ctx, func(txn *badger.Txn) error {
			n = 0
			var keys [][]byte
			it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
			for it.Rewind(); it.Valid() && len(keys) < size; it.Next() {
				keys = append(keys, it.Item().KeyCopy(nil))
			}
			it.Close()
			for _, k := range keys {
				if err := fn(txn, k); err != nil {
					return err
				}
			}
			n = len(keys)
			return nil
		})
		if errors.Is(err, badger.ErrTxnTooBig) && size > 1 {
			size /= 2
			continue
		}
		if err != nil {
			return err
		}
		if n < size {
			return nil
		}
	}
}

func removeID(ids []string, id string) []string {
	out := ids[:0]
	for _, s := range ids {
		if s != id {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

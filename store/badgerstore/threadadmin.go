package badgerstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// LoadThread implements [store.TurnBackend]: the thread becomes the one the
// turn compares with when it decides whether to write the thread's record.
func (b *turnBackend) LoadThread(id string) (*store.Thread, error) {
	if err := store.CheckID("threadId", id); err != nil {
		return nil, err
	}
	th, err := loadThread(b.txn, id)
	if err != nil {
		return nil, err
	}
	b.thread = *th
	return th, nil
}

// aliasKey is the key of a thread alias.
func aliasKey(alias string) []byte { return strKey(kAlias, alias) }

// CreateThread implements [store.ThreadAdmin].
func (db *DB) CreateThread(ctx context.Context, th store.Thread) (store.Thread, error) {
	if th.Mode == "" {
		th.Mode = store.ModeAI
	}
	th.Messages, th.Read, th.FirstMessage, th.Escalated = 0, 0, "", false
	th.EndedAt = time.Time{}
	if err := store.CheckThread(&th); err != nil {
		return store.Thread{}, err
	}
	th.ID = db.newID()
	if th.SessionID == "" {
		th.SessionID = th.ID
	}
	err := db.updateLogged(ctx, func(txn *badger.Txn, add func(...store.LogEntry) error) error {
		now := db.now().UTC()
		th.StartedAt, th.UpdatedAt = now, now
		if th.Alias != "" {
			taken, err := exists(txn, aliasKey(th.Alias))
			if err != nil {
				return err
			}
			if !taken && store.ValidID(th.Alias) {
				taken, err = exists(txn, key1(kThread, th.Alias))
				if err != nil {
					return err
				}
			}
			if taken {
				return fmt.Errorf("thread %q: %w", th.Alias, store.ErrConflict)
			}
			if err := txn.Set(aliasKey(th.Alias), rawID(th.ID)); err != nil {
				return err
			}
		}
		if th.UserID != "" {
			if _, err := txn.Get(key1(kUser, th.UserID)); err != nil {
				return fmt.Errorf("user %s: %w", th.UserID, notFound(err))
			}
			if err := txn.Set(key2(kUserThread, th.UserID, th.ID), nil); err != nil {
				return err
			}
		}
		if err := add(store.LogEntry{Kind: store.LogThreadCreated, ThreadID: th.ID}); err != nil {
			return err
		}
		return txn.Set(key1(kThread, th.ID), encodeThread(nil, &th))
	})
	if err != nil {
		return store.Thread{}, db.wrap("create thread", err)
	}
	return th, nil
}

// ThreadByAlias implements [store.ThreadAdmin].
func (db *DB) ThreadByAlias(ctx context.Context, alias string) (store.Thread, error) {
	if err := store.CheckThreadAlias(alias); err != nil {
		return store.Thread{}, err
	}
	var th *store.Thread
	err := db.view(ctx, func(txn *badger.Txn) error {
		var id string
		err := get(txn, aliasKey(alias), func(v []byte) error {
			if len(v) != 12 {
				return errCorrupt
			}
			id = hexID(v)
			return nil
		})
		if err != nil {
			return err
		}
		th, err = loadThread(txn, id)
		return err
	})
	if err != nil {
		return store.Thread{}, db.wrap("get thread by alias", err)
	}
	return *th, nil
}

// ListThreads implements [store.ThreadAdmin]. It walks the threads from
// the newest and filters them: a page costs a read of every thread before
// it, or of every thread when the filters keep few.
func (db *DB) ListThreads(ctx context.Context, q store.ThreadQuery) (store.ThreadPage, error) {
	q, err := q.Normalize()
	if err != nil {
		return store.ThreadPage{}, err
	}
	var page store.ThreadPage
	err = db.view(ctx, func(txn *badger.Txn) error {
		page = store.ThreadPage{}
		skip := (q.Page - 1) * q.Limit
		prefix := []byte{kThread}
		opts := badger.IteratorOptions{Prefix: prefix, Reverse: true}
		if q.UserID != "" {
			// A user's threads have an index.
			prefix = key1(kUserThread, q.UserID)
			opts.Prefix = prefix
			opts.PrefetchValues = false
		}
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(append(bytes.Clone(prefix), 0xff)); it.ValidForPrefix(prefix); it.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			k := it.Item().Key()
			if len(k) != len(prefix)+12 && q.UserID != "" || len(k) != 13 && q.UserID == "" {
				continue
			}
			th, err := loadThread(txn, hexID(k[len(k)-12:]))
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if !q.Match(th) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			if len(page.Threads) == q.Limit {
				page.HasMore = true
				return nil
			}
			page.Threads = append(page.Threads, *th)
		}
		return nil
	})
	if err != nil {
		return store.ThreadPage{}, db.wrap("list threads", err)
	}
	return page, nil
}

// threadSession returns the session a thread is written under.
func (db *DB) threadSession(id string) (string, error) {
	var sessionID string
	err := db.bdb.View(func(txn *badger.Txn) error {
		var th store.Thread
		err := get(txn, key1(kThread, id), func(v []byte) error { return decodeThread(v, id, &th) })
		sessionID = th.SessionID
		return err
	})
	return sessionID, err
}

// UpdateThread implements [store.ThreadAdmin]. Like AppendMessages, it
// writes under the thread's session lock, and writes the session's record
// too when that carries the thread (see putSession).
func (db *DB) UpdateThread(ctx context.Context, id string, fn func(*store.Thread) error) (store.Thread, error) {
	if err := store.CheckID("threadId", id); err != nil {
		return store.Thread{}, err
	}
	if err := ctx.Err(); err != nil {
		return store.Thread{}, err
	}
	if err := db.enter(); err != nil {
		return store.Thread{}, err
	}
	defer db.exit()
	var out store.Thread
	err := db.writeThread(ctx, id, func(txn *badger.Txn, add func(...store.LogEntry) error, th *store.Thread, now time.Time) error {
		old := *th
		if err := fn(th); err != nil {
			return &hookError{err}
		}
		// What fn may not change.
		th.ID, th.Alias, th.SessionID, th.StartedAt = old.ID, old.Alias, old.SessionID, old.StartedAt
		th.Messages, th.FirstMessage, th.UpdatedAt = old.Messages, old.FirstMessage, old.UpdatedAt
		if err := store.CheckThread(th); err != nil {
			return &hookError{err}
		}
		if th.UserID != old.UserID {
			if th.UserID != "" {
				if _, err := txn.Get(key1(kUser, th.UserID)); err != nil {
					return &hookError{fmt.Errorf("user %s: %w", th.UserID, notFound(err))}
				}
				if err := txn.Set(key2(kUserThread, th.UserID, id), nil); err != nil {
					return err
				}
			}
			if old.UserID != "" {
				if err := txn.Delete(key2(kUserThread, old.UserID, id)); err != nil {
					return err
				}
			}
		}
		out = *th
		return add(store.LogEntry{Kind: store.LogThreadChanged, ThreadID: id})
	})
	if err != nil {
		var he *hookError
		if errors.As(err, &he) {
			err = he.err
		}
		return store.Thread{}, db.wrap("update thread", err)
	}
	return out, nil
}

// DeleteThread implements [store.ThreadAdmin]. One transaction removes the
// thread's record, alias and index entry and leaves a purge key; its
// messages go after, in batches, and Open finishes a purge a crash
// interrupted.
func (db *DB) DeleteThread(ctx context.Context, id string) error {
	if err := store.CheckID("threadId", id); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := db.enter(); err != nil {
		return err
	}
	defer db.exit()
	sessionID, err := db.threadSession(id)
	if err != nil {
		return db.wrap("delete thread", err)
	}
	if sessionID != "" {
		defer db.lockSession(sessionID)()
	}
	err = db.logged(ctx, func(txn *badger.Txn, add func(...store.LogEntry) error) error {
		th, err := loadThread(txn, id)
		if err != nil {
			return err
		}
		if err := add(store.LogEntry{Kind: store.LogThreadDeleted, ThreadID: id, Alias: th.Alias}); err != nil {
			return err
		}
		if th.Alias != "" {
			if err := txn.Delete(aliasKey(th.Alias)); err != nil {
				return err
			}
		}
		if th.UserID != "" {
			if err := txn.Delete(key2(kUserThread, th.UserID, id)); err != nil {
				return err
			}
		}
		if sessionID != "" {
			if err := db.forgetThread(txn, sessionID, id); err != nil {
				return err
			}
		}
		if err := txn.Set(purgeKey(kThread, id), nil); err != nil {
			return err
		}
		return txn.Delete(key1(kThread, id))
	})
	if err != nil {
		return db.wrap("delete thread", err)
	}
	return db.wrap2("delete thread", db.purgeThread(id))
}

// purgeThread deletes the messages of a deleted thread, then its purge
// key.
func (db *DB) purgeThread(id string) error {
	if err := db.deletePrefix(context.Background(), key1(kMessage, id)); err != nil {
		return err
	}
	return db.bdb.Update(func(txn *badger.Txn) error { return txn.Delete(purgeKey(kThread, id)) })
}

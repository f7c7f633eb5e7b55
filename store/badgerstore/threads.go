package badgerstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// Thread implements [store.Threads].
func (db *DB) Thread(ctx context.Context, id string) (store.Thread, error) {
	if err := store.CheckID("threadId", id); err != nil {
		return store.Thread{}, err
	}
	var t *store.Thread
	err := db.view(ctx, func(txn *badger.Txn) error {
		var err error
		t, err = loadThread(txn, id)
		return err
	})
	if err != nil {
		return store.Thread{}, db.wrap("get thread", err)
	}
	return *t, nil
}

// AppendMessages implements [store.Threads].
func (db *DB) AppendMessages(ctx context.Context, threadID string, msgs ...store.Message) ([]store.Message, error) {
	if err := store.CheckID("threadId", threadID); err != nil {
		return nil, err
	}
	if len(msgs) == 0 || len(msgs) > store.MaxMessagesPage {
		return nil, &store.FieldError{Field: "messages", Rule: fmt.Sprintf("must have 1 to %d entries", store.MaxMessagesPage)}
	}
	for i := range msgs {
		if err := store.CheckMessage(&msgs[i]); err != nil {
			return nil, fmt.Errorf("messages[%d]: %w", i, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := db.enter(); err != nil {
		return nil, err
	}
	defer db.exit()
	var out []store.Message
	err := db.writeThread(ctx, threadID, func(txn *badger.Txn, add func(...store.LogEntry) error, th *store.Thread, now time.Time) error {
		out = slices.Clone(msgs)
		if err := db.appendMessages(txn, th, out, now); err != nil {
			return err
		}
		es := make([]store.LogEntry, len(out))
		for i, m := range out {
			es[i] = store.LogEntry{Kind: store.LogMessage, ThreadID: th.ID, Seq: m.Seq}
		}
		if err := add(es...); err != nil {
			return err
		}
		return db.addCounters(txn, now, store.Counters{Messages: int64(len(out))})
	})
	if err != nil {
		return nil, db.wrap("append messages", err)
	}
	return out, nil
}

// writeThread changes the thread id by fn, in a logged transaction, and
// writes it back. A thread is written under its session's lock, and may
// be the session's current thread, which the session's record carries
// and which may be kept in memory (see hot.go): then it is read from
// there and written there too (see putSession). The caller has entered
// db.
func (db *DB) writeThread(ctx context.Context, id string, fn func(txn *badger.Txn, add func(...store.LogEntry) error, th *store.Thread, now time.Time) error) error {
	sessionID, err := db.threadSession(id)
	if err != nil {
		return err
	}
	var stripe int
	var hot *hotSession
	if sessionID != "" {
		stripe = db.stripe(sessionID)
		db.locks[stripe].Lock()
		defer db.locks[stripe].Unlock()
		hot = db.hotSessions[stripe].find(sessionID)
	}
	var s *store.Session
	var srec []byte
	err = db.logged(ctx, func(txn *badger.Txn, add func(...store.LogEntry) error) error {
		now := db.now().UTC()
		var carried []byte
		s, srec = nil, nil
		if sessionID != "" {
			var err error
			s, carried, err = loadSession(txn, sessionID, now, hot)
			switch {
			case errors.Is(err, store.ErrNotFound):
			case err != nil:
				return err
			case s.ThreadID != id:
				s, carried = nil, nil
			}
		}
		th := new(store.Thread)
		var err error
		if carried != nil {
			err = decodeThread(carried, id, th)
		} else {
			th, err = loadThread(txn, id)
		}
		if err != nil {
			return err
		}
		if err := fn(txn, add, th, now); err != nil {
			return err
		}
		rec := encodeThread(nil, th)
		if err := txn.Set(key1(kThread, id), rec); err != nil {
			return err
		}
		if s != nil {
			if srec, err = db.putSession(txn, s, rec, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if sessionID != "" {
			db.hotSessions[stripe].drop(sessionID)
		}
		return err
	}
	if srec != nil {
		db.hotSessions[stripe].put(sessionID, hotSession{session: srec, userID: s.UserID})
	}
	return nil
}

// Messages implements [store.Threads].
func (db *DB) Messages(ctx context.Context, threadID string, after, limit int) ([]store.Message, error) {
	if err := store.CheckID("threadId", threadID); err != nil {
		return nil, err
	}
	if after < 0 {
		return nil, &store.FieldError{Field: "after", Rule: "must not be negative"}
	}
	if limit < 1 || limit > store.MaxMessagesPage {
		return nil, &store.FieldError{Field: "limit", Rule: fmt.Sprintf("must be 1 to %d", store.MaxMessagesPage)}
	}
	var msgs []store.Message
	err := db.view(ctx, func(txn *badger.Txn) error {
		msgs = msgs[:0]
		if _, err := txn.Get(key1(kThread, threadID)); err != nil {
			return err
		}
		prefix := key1(kMessage, threadID)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: min(limit, 10)})
		defer it.Close()
		// The record holding message after+1 starts at most
		// messagesPerKey-1 messages before it.
		var batch []store.Message
		for it.Seek(messageKey(threadID, max(1, after+2-messagesPerKey))); it.ValidForPrefix(prefix) && len(msgs) < limit; it.Next() {
			item := it.Item()
			seq, err := messageSeq(item.Key())
			if err != nil {
				return err
			}
			err = item.Value(func(v []byte) error {
				batch, err = decodeMessages(v, threadID, seq, batch[:0])
				return err
			})
			if err != nil {
				return err
			}
			for _, m := range batch {
				if m.Seq > after && len(msgs) < limit {
					msgs = append(msgs, m)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap("list messages", notFound(err))
	}
	return msgs, nil
}

// SetReaction implements [store.Threads].
func (db *DB) SetReaction(ctx context.Context, threadID string, seq int, reaction string) error {
	if err := store.CheckID("threadId", threadID); err != nil {
		return err
	}
	if err := store.CheckReaction(reaction, false); err != nil {
		return err
	}
	if seq < 1 {
		return &store.FieldError{Field: "seq", Rule: "must be positive"}
	}
	err := db.update(ctx, func(txn *badger.Txn) error {
		k, msgs, err := findMessage(txn, threadID, seq)
		if err != nil {
			return err
		}
		m := &msgs[seq-msgs[0].Seq]
		var c store.Counters
		c.AddReaction(m.Reaction, -1)
		c.AddReaction(reaction, 1)
		m.Reaction = reaction
		if err := txn.Set(k, encodeMessages(nil, msgs)); err != nil {
			return err
		}
		if c.IsZero() {
			return nil
		}
		return db.addCounters(txn, db.now(), c)
	})
	return db.wrap2("set reaction", err)
}

// findMessage returns the key of the record holding message seq of a
// thread, and the record's messages.
func findMessage(txn *badger.Txn, threadID string, seq int) ([]byte, []store.Message, error) {
	prefix := key1(kMessage, threadID)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	for it.Seek(messageKey(threadID, max(1, seq+1-messagesPerKey))); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		first, err := messageSeq(item.Key())
		if err != nil {
			return nil, nil, err
		}
		if first > seq {
			break
		}
		var msgs []store.Message
		err = item.Value(func(v []byte) error {
			msgs, err = decodeMessages(v, threadID, first, nil)
			return err
		})
		if err != nil {
			return nil, nil, err
		}
		if seq < first+len(msgs) {
			return item.KeyCopy(nil), msgs, nil
		}
	}
	return nil, nil, store.ErrNotFound
}

// messageSeq returns the sequence number in a message key.
func messageSeq(k []byte) (int, error) {
	if len(k) != 17 {
		return 0, errCorrupt
	}
	return int(binary.BigEndian.Uint32(k[13:])), nil
}

// Conversations implements [store.Threads].
func (db *DB) Conversations(ctx context.Context, userID string) ([]store.Thread, error) {
	if err := store.CheckID("userId", userID); err != nil {
		return nil, err
	}
	var threads []store.Thread
	err := db.view(ctx, func(txn *badger.Txn) error {
		threads = threads[:0]
		if _, err := txn.Get(key1(kUser, userID)); err != nil {
			return err
		}
		prefix := key1(kUserThread, userID)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: true})
		defer it.Close()
		for it.Seek(append(prefix, 0xff)); it.ValidForPrefix(prefix); it.Next() {
			t, err := loadThread(txn, hexID(it.Item().Key()[13:]))
			if err != nil {
				return err
			}
			threads = append(threads, *t)
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap("list conversations", notFound(err))
	}
	return threads, nil
}

// notFound translates Badger's missing key into store.ErrNotFound.
func notFound(err error) error {
	if err == badger.ErrKeyNotFound {
		return store.ErrNotFound
	}
	return err
}

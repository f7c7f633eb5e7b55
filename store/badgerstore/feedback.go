package badgerstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// Feedback records are keyed by their id (f <feedback>), which sorts them
// in creation order, with an index by user (F <user> <feedback>) for the
// feedback of one user and for DeleteUser.

// AddFeedback implements [store.Feedbacks]: the record, its index entry,
// the user's count, the day's counters and, for a reaction, the message's
// reaction go in one transaction.
func (db *DB) AddFeedback(ctx context.Context, f store.Feedback) (store.Feedback, error) {
	if err := store.CheckFeedback(&f); err != nil {
		return store.Feedback{}, err
	}
	if err := db.enter(); err != nil {
		return store.Feedback{}, err
	}
	defer db.exit()
	unlock, err := db.lockUsers(f.UserID)
	if err != nil {
		return store.Feedback{}, db.wrap("add feedback", err)
	}
	defer unlock()
	f.ID = db.newID()
	f.CreatedAt = db.now().UTC()
	c := store.Counters{Feedback: 1}
	if f.Kind == store.FeedbackNPS {
		switch store.NPSGroup(f.Score) {
		case store.Positive:
			c.NPSPositive = 1
		case store.Neutral:
			c.NPSNeutral = 1
		default:
			c.NPSNegative = 1
		}
	}
	base := c
	err = db.retry(ctx, func(txn *badger.Txn) error {
		c = base
		old, err := loadUser(txn, f.UserID)
		if err != nil {
			return fmt.Errorf("userId: %w", err)
		}
		if f.ThreadID != "" {
			th, err := loadThread(txn, f.ThreadID)
			if err == nil && th.UserID != f.UserID {
				err = store.ErrNotFound
			}
			if err != nil {
				return fmt.Errorf("threadId: %w", err)
			}
		}
		if f.Kind == store.FeedbackReaction {
			k, msgs, err := findMessage(txn, f.ThreadID, f.Seq)
			if err != nil {
				return fmt.Errorf("seq: %w", err)
			}
			m := &msgs[f.Seq-msgs[0].Seq]
			c.AddReaction(m.Reaction, -1) // as SetReaction counts
			c.AddReaction(f.Reaction, 1)
			m.Reaction = f.Reaction
			if err := txn.Set(k, encodeMessages(nil, msgs)); err != nil {
				return err
			}
		}
		u := old.Clone()
		u.Feedback++
		if _, err := putUser(txn, old, &u); err != nil {
			return err
		}
		if err := txn.Set(key1(kFeedback, f.ID), encodeFeedback(nil, &f)); err != nil {
			return err
		}
		if err := txn.Set(key2(kUserFeed, f.UserID, f.ID), nil); err != nil {
			return err
		}
		return db.addCounters(txn, f.CreatedAt, c)
	})
	if err != nil {
		return store.Feedback{}, db.wrap("add feedback", err)
	}
	return f, nil
}

// ListFeedback implements [store.Feedbacks]. Without a user it walks the
// records newest first; with one, that user's index.
func (db *DB) ListFeedback(ctx context.Context, q store.FeedbackQuery) (store.FeedbackPage, error) {
	q, err := q.Normalize()
	if err != nil {
		return store.FeedbackPage{}, err
	}
	var page store.FeedbackPage
	err = db.view(ctx, func(txn *badger.Txn) error {
		page = store.FeedbackPage{}
		prefix := []byte{kFeedback}
		if q.UserID != "" {
			prefix = key1(kUserFeed, q.UserID)
		}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: true})
		defer it.Close()
		start := append(bytes.Clone(prefix), bytes.Repeat([]byte{0xff}, 13)...)
		if q.After != "" {
			start = appendID(bytes.Clone(prefix), q.After)
		}
		n := 0
		for it.Seek(start); it.ValidForPrefix(prefix); it.Next() {
			k := it.Item().Key()
			if len(k) != len(prefix)+12 {
				return errCorrupt
			}
			id := hexID(k[len(prefix):])
			if id == q.After {
				continue
			}
			if n++; n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			var f store.Feedback
			err := get(txn, key1(kFeedback, id), func(v []byte) error { return decodeFeedback(v, id, &f) })
			if err != nil {
				return err
			}
			if !q.Matches(&f) {
				if !q.From.IsZero() && f.CreatedAt.Before(q.From) {
					break // older still below
				}
				continue
			}
			page.Feedback = append(page.Feedback, f)
			if len(page.Feedback) == q.Limit {
				page.Next = id
				break
			}
		}
		return nil
	})
	if err != nil {
		return store.FeedbackPage{}, db.wrap("list feedback", err)
	}
	return page, nil
}

// purgeFeedback deletes the feedback of a deleted user.
func (db *DB) purgeFeedback(ctx context.Context, user string) error {
	return db.eachBatch(ctx, key1(kUserFeed, user), func(txn *badger.Txn, k []byte) error {
		if len(k) != 25 {
			return errCorrupt
		}
		if err := txn.Delete(append([]byte{kFeedback}, k[13:]...)); err != nil && !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		return txn.Delete(k)
	})
}

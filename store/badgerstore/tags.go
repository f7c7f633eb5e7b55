package badgerstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// A tag is known by its name: its key (k <name>) and the changes after
// it (see counts.go) hold the number of users with it, and the key goes
// when the last user loses it. The users' records hold their tags, which
// is what a filter by tag reads.

func tagKey(name string) []byte { return strKey(kTag, name) }

// Tags implements [store.Tags]: one pass over the counts and their
// changes, which follow each count's key.
func (db *DB) Tags(ctx context.Context) ([]store.Tag, error) {
	var tags []store.Tag
	err := db.view(ctx, func(txn *badger.Txn) error {
		tags = tags[:0]
		var name []byte
		var n int64
		flush := func() {
			if name != nil && n > 0 {
				s := string(name)
				tags = append(tags, store.Tag{ID: store.TagID(s), Name: s, Users: int(n)})
			}
			name, n = nil, 0
		}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kTag}})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			k := item.Key()[1:]
			i := bytes.IndexByte(k, 0)
			if i < 0 {
				i = len(k)
			}
			if !bytes.Equal(k[:i], name) {
				flush()
				name = bytes.Clone(k[:i])
			}
			err := item.Value(func(v []byte) error {
				if i < len(k) {
					d, err := readDelta(v)
					n += d
					return err
				}
				c, w := binary.Uvarint(v)
				if w <= 0 {
					return errCorrupt
				}
				n += int64(c)
				return nil
			})
			if err != nil {
				return err
			}
		}
		flush()
		return nil
	})
	if err != nil {
		return nil, db.wrap("list tags", err)
	}
	return tags, nil
}

// AddTags implements [store.Tags].
func (db *DB) AddTags(ctx context.Context, tags, userIDs []string) error {
	if err := store.CheckTagging(tags, userIDs); err != nil {
		return err
	}
	tags = slices.Compact(slices.Sorted(slices.Values(tags)))
	tooMany := func(u *store.User) error {
		if all, _ := store.AddTagNames(slices.Clone(u.Tags), tags); len(all) > store.MaxTagsPerUser {
			return &store.FieldError{Field: "tags", Rule: fmt.Sprintf("user %s would have more than %d tags", u.ID, store.MaxTagsPerUser)}
		}
		return nil
	}
	return db.changeUsers(ctx, "add tags", userIDs, tooMany, func(txn *badger.Txn, u *store.User, c *store.Counters) error {
		if err := tooMany(u); err != nil {
			return err
		}
		for _, t := range tags {
			if !u.HasTag(t) {
				if err := db.addTagUsers(txn, t, 1); err != nil {
					return err
				}
				c.Tagged++
			}
		}
		u.Tags, _ = store.AddTagNames(u.Tags, tags)
		return nil
	})
}

// RemoveTags implements [store.Tags].
func (db *DB) RemoveTags(ctx context.Context, tags, userIDs []string) error {
	if err := store.CheckTagging(tags, userIDs); err != nil {
		return err
	}
	tags = slices.Compact(slices.Sorted(slices.Values(tags)))
	return db.changeUsers(ctx, "remove tags", userIDs, nil, func(txn *badger.Txn, u *store.User, _ *store.Counters) error {
		for _, t := range tags {
			if u.HasTag(t) {
				if err := db.addTagUsers(txn, t, -1); err != nil {
					return err
				}
			}
		}
		u.Tags, _ = store.RemoveTagNames(u.Tags, tags)
		return nil
	})
}

// changeUsers changes many users, as AddToSegments does: it checks that
// every user exists (and passes check, if not nil) first, so that a bad one
// changes nothing; then it changes them in batches, one transaction each,
// holding their locks. fn changes a copy of the user read in the
// transaction, may write other keys, and may add to the counters of the
// batch.
func (db *DB) changeUsers(ctx context.Context, op string, userIDs []string, check func(u *store.User) error,
	fn func(txn *badger.Txn, u *store.User, c *store.Counters) error) error {
	users := slices.Compact(slices.Sorted(slices.Values(userIDs)))
	if err := db.enter(); err != nil {
		return err
	}
	defer db.exit()
	err := db.viewUsers(ctx, func(txn *badger.Txn) error {
		for _, id := range users {
			u, err := loadUser(txn, id)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("user %s: %w", id, store.ErrNotFound)
			}
			if err != nil {
				return err
			}
			if check != nil {
				if err := check(u); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return db.wrap(op, err)
	}
	per := max(1, batchKeys/8)
	for start := 0; start < len(users); {
		batch := users[start:min(start+per, len(users))]
		unlock, err := db.lockUsers(batch...)
		if err != nil {
			return db.wrap(op, err)
		}
		err = db.retry(ctx, func(txn *badger.Txn) error {
			var c store.Counters
			for _, id := range batch {
				old, err := loadUser(txn, id)
				if err != nil {
					return fmt.Errorf("user %s: %w", id, err)
				}
				u := old.Clone()
				if err := fn(txn, &u, &c); err != nil {
					return err
				}
				if _, err := putUser(txn, old, &u); err != nil {
					return err
				}
			}
			if c.IsZero() {
				return nil
			}
			return db.addCounters(txn, db.now(), c)
		})
		unlock()
		if errors.Is(err, badger.ErrTxnTooBig) && per > 1 {
			per /= 2
			continue
		}
		if err != nil {
			return db.wrap(op, err)
		}
		start += len(batch)
	}
	return nil
}

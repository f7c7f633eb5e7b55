package badgerstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// loadUser reads a user inside txn.
func loadUser(txn kv, id string) (*store.User, error) {
	u := new(store.User)
	err := get(txn, key1(kUser, id), func(v []byte) error { return decodeUser(v, id, u) })
	if err != nil {
		return nil, err
	}
	return u, nil
}

// userByIndex reads the user an index key (userId or email) points to.
func userByIndex(txn *badger.Txn, key []byte) (*store.User, error) {
	var id string
	err := get(txn, key, func(v []byte) error {
		if len(v) != 12 {
			return errCorrupt
		}
		id = hexID(v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return loadUser(txn, id)
}

// putUser writes u and keeps its indexes in step with old, the user as it
// was read in this transaction (nil for a new user). A default_email taken
// by another user is store.ErrConflict. It returns the record.
func putUser(txn kv, old, u *store.User) ([]byte, error) {
	if old == nil {
		if err := txn.Set(strKey(kUserID, u.UserID), rawID(u.ID)); err != nil {
			return nil, err
		}
	}
	oldEmail, email := "", u.Email()
	if old != nil {
		oldEmail = old.Email()
	}
	if ek := emailKey(email); !bytes.Equal(emailKey(oldEmail), ek) {
		if oldEmail != "" {
			if err := txn.Delete(emailKey(oldEmail)); err != nil {
				return nil, err
			}
		}
		if email != "" {
			taken, err := exists(txn, ek)
			if err != nil {
				return nil, err
			}
			inUse := fmt.Errorf("%w: attributes.default_email %q is in use", store.ErrConflict, email)
			if taken {
				return nil, inUse
			}
			if b, ok := txn.(*batch); ok {
				// The key was free when the turn read it: it must still
				// be when the turn commits (see group.go).
				b.mustBeAbsent(ek, &hookError{inUse})
			}
			if err := txn.Set(ek, rawID(u.ID)); err != nil {
				return nil, err
			}
		}
	}
	if old != nil && !old.LastSeen.Equal(u.LastSeen) {
		if err := txn.Delete(lastSeenKey(old.LastSeen, u.ID)); err != nil {
			return nil, err
		}
	}
	// The lastSeen index holds a copy of the record, so that a page sorted
	// by lastSeen is read in one pass like one sorted by createdAt.
	rec := encodeUser(nil, u)
	if err := txn.Set(lastSeenKey(u.LastSeen, u.ID), rec); err != nil {
		return nil, err
	}
	return rec, txn.Set(key1(kUser, u.ID), rec)
}

// sameUser reports whether a and b are stored alike, so that a turn need
// not write b over a.
func sameUser(a, b *store.User) bool {
	return a.ID == b.ID && a.UserID == b.UserID && a.Banned == b.Banned &&
		maps.Equal(a.Attributes, b.Attributes) && slices.Equal(a.Segments, b.Segments) &&
		a.Conversations == b.Conversations && a.SessionID == b.SessionID &&
		a.CreatedAt.Equal(b.CreatedAt) && a.LastSeen.Equal(b.LastSeen)
}

// CreateUser implements [store.Users].
func (db *DB) CreateUser(ctx context.Context, in store.User) (store.User, error) {
	if err := store.CheckUser(&in); err != nil {
		return store.User{}, err
	}
	u := in.Clone()
	if u.UserID == "" {
		u.UserID = u.Email()
		if u.UserID == "" {
			u.UserID = newUUID()
		}
		if err := store.CheckUserID(u.UserID); err != nil {
			return store.User{}, fmt.Errorf("%w (attributes.default_email used as userId)", err)
		}
	}
	slices.Sort(u.Segments)
	u.Segments = slices.Compact(u.Segments)
	u.Banned = in.Banned
	u.Conversations = 0
	u.SessionID = ""
	u.ID = db.newID()
	u.CreatedAt = db.now().UTC()
	u.LastSeen = u.CreatedAt
	err := db.update(ctx, func(txn *badger.Txn) error {
		taken, err := exists(txn, strKey(kUserID, u.UserID))
		if err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("%w: userId %q is in use", store.ErrConflict, u.UserID)
		}
		for _, seg := range u.Segments {
			if err := addMembers(txn, seg, 1); err != nil {
				return err
			}
			if err := txn.Set(key2(kMember, seg, u.ID), nil); err != nil {
				return err
			}
		}
		if _, err := putUser(txn, nil, &u); err != nil {
			return err
		}
		return db.addCounters(txn, u.CreatedAt, store.Counters{NewUsers: 1})
	})
	if err != nil {
		return store.User{}, db.wrap("create user", err)
	}
	return u, nil
}

// User implements [store.Users].
func (db *DB) User(ctx context.Context, id string) (store.User, error) {
	if err := store.CheckID("id", id); err != nil {
		return store.User{}, err
	}
	return db.readUser(ctx, "get user", func(txn *badger.Txn) (*store.User, error) { return loadUser(txn, id) })
}

// UserByUserID implements [store.Users].
func (db *DB) UserByUserID(ctx context.Context, userID string) (store.User, error) {
	if err := store.CheckUserID(userID); err != nil {
		return store.User{}, err
	}
	return db.readUser(ctx, "get user by userId", func(txn *badger.Txn) (*store.User, error) {
		return userByIndex(txn, strKey(kUserID, userID))
	})
}

// UserByEmail implements [store.Users].
func (db *DB) UserByEmail(ctx context.Context, email string) (store.User, error) {
	if email == "" {
		return store.User{}, &store.FieldError{Field: "email", Rule: "must not be empty"}
	}
	return db.readUser(ctx, "get user by email", func(txn *badger.Txn) (*store.User, error) {
		return userByIndex(txn, emailKey(email))
	})
}

func (db *DB) readUser(ctx context.Context, op string, fn func(txn *badger.Txn) (*store.User, error)) (store.User, error) {
	var u *store.User
	err := db.view(ctx, func(txn *badger.Txn) error {
		var err error
		u, err = fn(txn)
		return err
	})
	if err != nil {
		return store.User{}, db.wrap(op, err)
	}
	return *u, nil
}

// UpdateUser implements [store.Users].
func (db *DB) UpdateUser(ctx context.Context, id string, attrs map[string]string) (store.User, error) {
	if err := store.CheckID("id", id); err != nil {
		return store.User{}, err
	}
	if err := store.CheckAttributeUpdate("attributes", attrs); err != nil {
		return store.User{}, err
	}
	return db.modifyUser(ctx, "update user", id, func(u *store.User) error {
		u.Attributes = store.MergeAttributes(u.Attributes, attrs)
		return store.CheckAttributes("attributes", u.Attributes)
	})
}

// SetBanned implements [store.Users].
func (db *DB) SetBanned(ctx context.Context, id string, banned bool) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	_, err := db.modifyUser(ctx, "ban user", id, func(u *store.User) error {
		u.Banned = banned
		return nil
	})
	return err
}

func (db *DB) modifyUser(ctx context.Context, op, id string, fn func(u *store.User) error) (store.User, error) {
	if err := db.enter(); err != nil {
		return store.User{}, err
	}
	defer db.exit()
	defer db.lockUsers(id)()
	var u store.User
	err := db.retry(ctx, func(txn *badger.Txn) error {
		old, err := loadUser(txn, id)
		if err != nil {
			return err
		}
		u = old.Clone()
		if err := fn(&u); err != nil {
			return err
		}
		_, err = putUser(txn, old, &u)
		return err
	})
	if err != nil {
		return store.User{}, db.wrap(op, err)
	}
	return u, nil
}

// ListUsers implements [store.Users]. Sorted by createdAt it walks the user
// records in key order (ids sort by creation); sorted by lastSeen it walks
// the lastSeen index. Filters are checked on each user in that order until
// the page is full, so a filter that few users match costs a longer walk.
func (db *DB) ListUsers(ctx context.Context, q store.UserQuery) (store.UserPage, error) {
	q, err := q.Normalize()
	if err != nil {
		return store.UserPage{}, err
	}
	var page store.UserPage
	err = db.view(ctx, func(txn *badger.Txn) error {
		page.Users = page.Users[:0]
		if q.Sort == store.SortLastSeen {
			return db.listByLastSeen(ctx, txn, &q, &page)
		}
		return db.listByCreatedAt(ctx, txn, &q, &page)
	})
	if err != nil {
		return store.UserPage{}, db.wrap("list users", err)
	}
	if len(page.Users) == q.Limit {
		page.Next = page.Users[len(page.Users)-1].ID
	}
	return page, nil
}

// seekStart returns where an iteration over prefix starts: at the cursor key
// if any, else at the first (or, reversed, the last) key of the prefix.
func seekStart(prefix, cursor []byte, reverse bool) []byte {
	if cursor != nil {
		return cursor
	}
	if reverse {
		return append(bytes.Clone(prefix), 0xff)
	}
	return prefix
}

func (db *DB) listByCreatedAt(ctx context.Context, txn *badger.Txn, q *store.UserQuery, page *store.UserPage) error {
	var cursor []byte
	if q.After != "" {
		cursor = key1(kUser, q.After)
	}
	return fillPage(ctx, txn, []byte{kUser}, cursor, 1, q, page)
}

func (db *DB) listByLastSeen(ctx context.Context, txn *badger.Txn, q *store.UserQuery, page *store.UserPage) error {
	var cursor []byte
	if q.After != "" {
		u, err := loadUser(txn, q.After)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("after: %w", err)
		}
		if err != nil {
			return err
		}
		cursor = lastSeenKey(u.LastSeen, u.ID)
	}
	return fillPage(ctx, txn, []byte{kLastSeen}, cursor, 1+8, q, page)
}

// fillPage walks the user records under prefix (the users, or the lastSeen
// index, whose values are copies of them) in q's order from just past
// cursor, and appends those matching q to page until it is full. The user's
// id is the 12 bytes at idAt in each key.
func fillPage(ctx context.Context, txn *badger.Txn, prefix, cursor []byte, idAt int, q *store.UserQuery, page *store.UserPage) error {
	// Values live in the LSM tree (see badgerOptions): reading them in
	// place beats prefetching copies.
	opts := badger.IteratorOptions{Prefix: prefix, Reverse: q.Order == store.Desc}
	it := txn.NewIterator(opts)
	defer it.Close()
	m := newMatcher(q)
	n := 0
	for it.Seek(seekStart(prefix, cursor, opts.Reverse)); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		k := item.Key()
		if cursor != nil && bytes.Equal(k, cursor) {
			continue
		}
		if len(k) != idAt+12 {
			return errCorrupt
		}
		if n++; n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		var u store.User
		ok := false
		err := item.Value(func(v []byte) error {
			var err error
			if ok, err = m.match(v); !ok || err != nil {
				return err
			}
			return decodeUser(v, hexID(k[idAt:]), &u)
		})
		if err != nil {
			return err
		}
		if ok {
			page.Users = append(page.Users, u)
			if len(page.Users) == q.Limit {
				return nil
			}
		}
	}
	return nil
}

// DeleteUser implements [store.Users]. The user and its indexes go in one
// transaction, which also records a purge; then the sessions and threads go
// one at a time, each under its session's lock, and messages in batches. If
// the process stops before the purge is done, Open finishes it.
func (db *DB) DeleteUser(ctx context.Context, id string) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	if err := db.enter(); err != nil {
		return err
	}
	defer db.exit()
	unlock := db.lockUsers(id)
	err := db.retry(ctx, func(txn *badger.Txn) error {
		u, err := loadUser(txn, id)
		if err != nil {
			return err
		}
		for _, k := range [][]byte{key1(kUser, id), strKey(kUserID, u.UserID), lastSeenKey(u.LastSeen, id)} {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		if e := u.Email(); e != "" {
			if err := txn.Delete(emailKey(e)); err != nil {
				return err
			}
		}
		for _, seg := range u.Segments {
			if err := txn.Delete(key2(kMember, seg, id)); err != nil {
				return err
			}
			if err := addMembers(txn, seg, -1); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		return txn.Set(purgeKey(kUser, id), nil)
	})
	unlock() // before the purge, which takes session locks
	if err != nil {
		return db.wrap("delete user", err)
	}
	if err := db.purgeUser(id); err != nil {
		return db.wrap("delete user", err)
	}
	return nil
}

// wrap names the operation in err, keeping sentinel and context errors
// testable with errors.Is. Badger's own errors are not exposed as values.
func (db *DB) wrap(op string, err error) error {
	var fe *store.FieldError
	switch {
	case errors.As(err, &fe), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, store.ErrClosed):
		return err
	case errors.Is(err, badger.ErrDBClosed):
		return store.ErrClosed
	case errors.Is(err, badger.ErrTxnTooBig):
		return fmt.Errorf("badgerstore: %s: too much at once", op)
	}
	return fmt.Errorf("badgerstore: %s: %w", op, err)
}

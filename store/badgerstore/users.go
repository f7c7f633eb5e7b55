package badgerstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
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
// was read in this transaction (nil for a new user), which the lastSeen
// index must hold at its lastSeen (see settle). A default_email taken by
// another user is store.ErrConflict. It returns the record.
func putUser(txn kv, old, u *store.User) ([]byte, error) {
	rec, err := putUserRecord(txn, old, u)
	if err != nil {
		return nil, err
	}
	if old != nil && !old.LastSeen.Equal(u.LastSeen) {
		if err := txn.Delete(lastSeenKey(old.LastSeen, u.ID)); err != nil {
			return nil, err
		}
	}
	// The lastSeen index holds a copy of the record, so that a page sorted
	// by lastSeen is read in one pass like one sorted by createdAt.
	return rec, txn.Set(lastSeenKey(u.LastSeen, u.ID), rec)
}

// putUserRecord is putUser but for the lastSeen index, which a turn leaves
// to lastseen.go.
func putUserRecord(txn kv, old, u *store.User) ([]byte, error) {
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
	rec := encodeUser(nil, u)
	return rec, txn.Set(key1(kUser, u.ID), rec)
}

// sameButLastSeen reports whether b differs from a in lastSeen alone.
func sameButLastSeen(a, b *store.User) bool {
	c := *b
	c.LastSeen, c.Messages = a.LastSeen, a.Messages
	return sameUser(a, &c)
}

// sameUser reports whether a and b are stored alike, so that a turn need
// not write b over a.
func sameUser(a, b *store.User) bool {
	return a.ID == b.ID && a.UserID == b.UserID && a.Banned == b.Banned &&
		maps.Equal(a.Attributes, b.Attributes) && slices.Equal(a.Segments, b.Segments) &&
		a.Conversations == b.Conversations && a.SessionID == b.SessionID && a.VerifiedEmail == b.VerifiedEmail &&
		slices.Equal(a.Tags, b.Tags) && a.Feedback == b.Feedback && a.Messages == b.Messages &&
		a.CreatedAt.Equal(b.CreatedAt) && a.LastSeen.Equal(b.LastSeen)
}

// CreateUser implements [store.Users].
func (db *DB) CreateUser(ctx context.Context, in store.User) (store.User, error) {
	u, err := db.newUser(&in)
	if err != nil {
		return store.User{}, err
	}
	err = db.update(ctx, func(txn *badger.Txn) error { return db.insertUser(txn, &u) })
	if err != nil {
		return store.User{}, db.wrap("create user", err)
	}
	db.noteUserID(u.UserID, u.ID)
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
	if err := ctx.Err(); err != nil {
		return store.User{}, db.wrap("get user by userId", err)
	}
	if err := db.enter(); err != nil {
		return store.User{}, db.wrap("get user by userId", err)
	}
	u, ok := db.hotUserByUserID(userID)
	db.exit()
	if ok {
		return u, nil
	}
	u, err := db.readUser(ctx, "get user by userId", func(txn *badger.Txn) (*store.User, error) {
		return userByIndex(txn, strKey(kUserID, userID))
	})
	if err == nil {
		db.noteUserID(userID, u.ID)
	}
	return u, err
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
	err := db.viewUsers(ctx, func(txn *badger.Txn) error {
		var err error
		if u, err = fn(txn); err == nil {
			db.lastSeen.latest(u)
		}
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
		if len(u.Attributes) == 0 {
			return &store.FieldError{Field: "attributes", Rule: "must leave the user at least 1 attribute"}
		}
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
	unlock, err := db.lockUsers(id)
	if err != nil {
		return store.User{}, db.wrap(op, err)
	}
	defer unlock()
	var u store.User
	err = db.retry(ctx, func(txn *badger.Txn) error {
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
	filteredByLastSeen := slices.ContainsFunc(q.Filters, behindField)
	switch {
	case q.Sort == store.SortLastSeen:
		err = db.viewLastSeen(ctx, func(txn *badger.Txn) error { return db.listByLastSeen(ctx, txn, &q, &page) })
	case filteredByLastSeen:
		err = db.viewLastSeen(ctx, func(txn *badger.Txn) error { return db.listByCreatedAt(ctx, txn, &q, &page) })
	default:
		// The records may be behind on lastSeen (lastseen.go): the page
		// takes the latest.
		err = db.viewUsers(ctx, func(txn *badger.Txn) error {
			if err := db.listByCreatedAt(ctx, txn, &q, &page); err != nil {
				return err
			}
			for i := range page.Users {
				db.lastSeen.latest(&page.Users[i])
			}
			return nil
		})
	}
	if err != nil {
		return store.UserPage{}, db.wrap("list users", err)
	}
	if len(page.Users) == q.Limit {
		page.Next = page.Users[len(page.Users)-1].ID
	}
	return page, nil
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
// id is the 12 bytes at idAt in each key; the 8 bytes after prefix are a
// time (see keys.go).
func fillPage(ctx context.Context, txn *badger.Txn, prefix, cursor []byte, idAt int, q *store.UserQuery, page *store.UserPage) error {
	pf := &pageFill{ctx: ctx, limit: q.Limit, skip: q.Offset, page: page, m: newMatcher(q), prefix: prefix, idAt: idAt, upper: cursor}
	if q.Order == store.Desc {
		err := pf.desc(txn)
		if testHookDesc != nil {
			testHookDesc(pf)
		}
		return err
	}
	// Values live in the LSM tree (see badgerOptions): reading them in
	// place beats prefetching copies.
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	start := prefix
	if cursor != nil {
		start = cursor
	}
	for it.Seek(start); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		if cursor != nil && bytes.Equal(item.Key(), cursor) {
			continue
		}
		if full, err := pf.take(item); full || err != nil {
			return err
		}
	}
	return nil
}

// A pageFill is one walk of fillPage.
type pageFill struct {
	ctx    context.Context
	limit  int
	skip   int // matches still to skip before the page (UserQuery.Offset)
	page   *store.UserPage
	m      *matcher
	prefix []byte
	idAt   int
	// A descending walk has yet to read the keys below upper (all keys
	// under prefix when nil).
	upper []byte
	read  int // records read
	hits  int // matching records found, whether the page took them or not
	// The matches of the current window, copied, in key order.
	win  []byte
	wins []winMatch
	// Windows read, and how many of them ended as segments, for tests.
	windows, segments int
}

// testHookDesc, if set, sees every descending walk when it ends.
var testHookDesc func(pf *pageFill)

type winMatch struct {
	id       [12]byte
	from, to int // the record, in win
}

// check counts the record under key k, and sometimes checks ctx.
func (pf *pageFill) check(k []byte) error {
	if len(k) != pf.idAt+12 {
		return errCorrupt
	}
	if pf.read++; pf.read%1024 == 0 {
		return pf.ctx.Err()
	}
	return nil
}

// take adds item's user to the page if it matches, and reports whether the
// page is full.
func (pf *pageFill) take(item *badger.Item) (full bool, err error) {
	k := item.Key()
	if err := pf.check(k); err != nil {
		return false, err
	}
	err = item.Value(func(v []byte) error {
		ok, err := pf.m.match(v)
		if !ok || err != nil {
			return err
		}
		pf.hits++
		return pf.add(k[pf.idAt:], v)
	})
	return len(pf.page.Users) == pf.limit, err
}

func (pf *pageFill) add(id, v []byte) error {
	if pf.skip > 0 {
		pf.skip--
		return nil
	}
	pf.page.Users = append(pf.page.Users, store.User{})
	return decodeUser(v, hexID(id), &pf.page.Users[len(pf.page.Users)-1])
}

// Badger reads keys backwards at a cost: in a memtable every step is a new
// search from the top of the skiplist. A descending walk therefore reads a
// few records backwards, which fills most pages, and then reads what lies
// below in windows: ranges of keys, each read forwards, whose matches are
// kept and taken newest first.
//
// The walk sizes a window from what it has read so far: it should hold
// about as many records as the page needs at the rate of matches so far,
// and the keys it spans follow from how many records the key numbers read
// held. Keys come in bursts, so a window may hold many more records than
// meant: the walk then stops reading it, keeps what it read as a segment (the
// lower part of the window), and reads what lies above in smaller windows
// before taking the segment's matches. No record is read twice.
const (
	probeRecords = 512     // records read backwards first
	minWindow    = 256     // the fewest records a window is sized for
	maxWindow    = 4 << 10 // the most
)

// A segment is a part of a window read before what lies above it: the keys
// from from (inclusive) up to to, the first key not read.
type segment struct {
	from, to []byte
	wins     int // its matches are pf.wins[wins:], when it is on top
	win      int // and their records pf.win[win:]
}

// desc walks backwards from pf.upper.
func (pf *pageFill) desc(txn *badger.Txn) error {
	rev := txn.NewIterator(badger.IteratorOptions{Prefix: pf.prefix, Reverse: true})
	span, done, err := pf.backwards(rev)
	rev.Close()
	if done || err != nil {
		return err
	}
	fwd := txn.NewIterator(badger.IteratorOptions{Prefix: pf.prefix})
	defer fwd.Close()
	// spanRead key numbers held records records, in what was read.
	spanRead, records := span, pf.read
	var segs []segment
	for {
		if err := pf.ctx.Err(); err != nil {
			return err
		}
		want := pf.windowSize(records)
		width := uint64(math.MaxUint64)
		if w := spanRead / float64(records) * float64(want); w < math.MaxUint64 {
			width = max(1, uint64(w))
		}
		low := pf.prefix // the first key
		if top := pf.keyNum(pf.upper); top > width {
			low = binary.BigEndian.AppendUint64(bytes.Clone(pf.prefix), top-width)
		}
		if len(segs) > 0 && bytes.Compare(low, segs[len(segs)-1].to) < 0 {
			low = segs[len(segs)-1].to
		}
		wins, win := len(pf.wins), len(pf.win)
		n, stop, err := pf.window(fwd, low, 2*want)
		pf.windows++
		if err != nil {
			return err
		}
		end := pf.upper
		if stop != nil {
			end = stop
		}
		spanRead += float64(pf.keyNum(end) - pf.keyNum(low))
		records += n
		if stop != nil {
			segs = append(segs, segment{from: low, to: stop, wins: wins, win: win})
			pf.segments++
			continue
		}
		if full, err := pf.takeWindow(wins, win); full || err != nil {
			return err
		}
		pf.upper = low
		for len(segs) > 0 && bytes.Equal(pf.upper, segs[len(segs)-1].to) {
			sg := segs[len(segs)-1]
			segs = segs[:len(segs)-1]
			if full, err := pf.takeWindow(sg.wins, sg.win); full || err != nil {
				return err
			}
			pf.upper = sg.from
		}
		if len(pf.upper) == len(pf.prefix) {
			return nil // read from the first key
		}
	}
}

// windowSize is how many records the next window should hold: as many as
// should fill the page at the rate of matches so far, or twice what was read
// when nothing matched yet; and at most 4 times the records its width is
// estimated from.
func (pf *pageFill) windowSize(records int) int {
	want := 2 * pf.read
	if pf.hits > 0 {
		want = (pf.limit + pf.skip - len(pf.page.Users)) * pf.read / pf.hits
	}
	return min(max(want, minWindow), maxWindow, 4*records)
}

// takeWindow adds the matches pf.wins[wins:] to the page, newest first,
// drops them, and reports whether the page is full.
func (pf *pageFill) takeWindow(wins, win int) (full bool, err error) {
	for i := len(pf.wins) - 1; i >= wins; i-- {
		w := &pf.wins[i]
		if err := pf.add(w.id[:], pf.win[w.from:w.to]); err != nil {
			return false, err
		}
		if len(pf.page.Users) == pf.limit {
			return true, nil
		}
	}
	pf.wins, pf.win = pf.wins[:wins], pf.win[:win]
	return false, nil
}

// keyNum returns the 8 bytes after the prefix of k as a number (0 for the
// prefix alone): keys under prefix sort by it first.
func (pf *pageFill) keyNum(k []byte) uint64 {
	if len(k) < len(pf.prefix)+8 {
		return 0
	}
	return binary.BigEndian.Uint64(k[len(pf.prefix):])
}

// backwards reads up to probeRecords records below pf.upper, newest first,
// and moves pf.upper down to the last it read. It returns the key numbers
// those records span, and done when the page is full or no key is left.
func (pf *pageFill) backwards(it *badger.Iterator) (span float64, done bool, err error) {
	start := pf.upper
	if start == nil {
		// Past every key under prefix: keys hold 12 to 20 bytes after it.
		start = append(bytes.Clone(pf.prefix), bytes.Repeat([]byte{0xff}, 24)...)
	}
	var first uint64
	n := 0
	for it.Seek(start); it.ValidForPrefix(pf.prefix); it.Next() {
		item := it.Item()
		k := item.Key()
		if pf.upper != nil && bytes.Compare(k, pf.upper) >= 0 {
			continue // the cursor itself
		}
		if full, err := pf.take(item); full || err != nil {
			return 0, true, err
		}
		if n == 0 {
			first = pf.keyNum(k)
			if pf.upper != nil {
				first = pf.keyNum(pf.upper)
			}
		}
		if n++; n == probeRecords {
			pf.upper = bytes.Clone(k)
			return float64(first - pf.keyNum(k)), false, nil
		}
	}
	return 0, true, nil
}

// window reads the records from low up to pf.upper forwards, and appends
// the matches to pf.wins. It returns the number of records it read; if there
// are more than max, it stops and returns the first key it did not read.
func (pf *pageFill) window(it *badger.Iterator, low []byte, max int) (n int, stop []byte, err error) {
	for it.Seek(low); it.ValidForPrefix(pf.prefix); it.Next() {
		item := it.Item()
		k := item.Key()
		if bytes.Compare(k, pf.upper) >= 0 {
			break
		}
		if n == max {
			return n, bytes.Clone(k), nil
		}
		if err := pf.check(k); err != nil {
			return n, nil, err
		}
		n++
		err := item.Value(func(v []byte) error {
			ok, err := pf.m.match(v)
			if !ok || err != nil {
				return err
			}
			pf.hits++
			w := winMatch{from: len(pf.win)}
			copy(w.id[:], k[pf.idAt:])
			pf.win = append(pf.win, v...)
			w.to = len(pf.win)
			pf.wins = append(pf.wins, w)
			return nil
		})
		if err != nil {
			return n, nil, err
		}
	}
	return n, nil, nil
}

// DeleteUser implements [store.Users]. The user and its indexes go in one
// transaction, which also records a purge; then the sessions and threads go
// one at a time, each under its session's lock, and messages in batches. If
// the process stops before the purge is done, Open finishes it. If ctx ends
// during the purge, DeleteUser stops between two transactions and returns
// ctx's error: the user is gone, and Open finishes the purge.
func (db *DB) DeleteUser(ctx context.Context, id string) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	if err := db.enter(); err != nil {
		return err
	}
	defer db.exit()
	unlock, err := db.lockUsers(id)
	if err != nil {
		return db.wrap("delete user", err)
	}
	err = db.retry(ctx, func(txn *badger.Txn) error {
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
			if err := db.addMembers(txn, seg, -1); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		for _, t := range u.Tags {
			if err := db.addTagUsers(txn, t, -1); err != nil {
				return err
			}
		}
		return txn.Set(purgeKey(kUser, id), nil)
	})
	unlock() // before the purge, which takes session locks
	if err != nil {
		return db.wrap("delete user", err)
	}
	if err := db.purgeUser(ctx, id); err != nil {
		return db.wrap("delete user", err)
	}
	if err := db.scrubJournals(); err != nil {
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

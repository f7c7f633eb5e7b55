package badgerstore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// newUser is store.NewUser with this DB's id and clock.
func (db *DB) newUser(in *store.User) (store.User, error) {
	return store.NewUser(in, db.newID(), db.now())
}

// insertUser writes a new user u (from newUser) with its memberships and
// tags in txn, and counts it.
func (db *DB) insertUser(txn *badger.Txn, u *store.User) error {
	taken, err := exists(txn, strKey(kUserID, u.UserID))
	if err != nil {
		return err
	}
	if taken {
		return fmt.Errorf("%w: userId %q is in use", store.ErrConflict, u.UserID)
	}
	for _, seg := range u.Segments {
		if err := db.addMembers(txn, seg, 1); err != nil {
			return err
		}
		if err := txn.Set(key2(kMember, seg, u.ID), nil); err != nil {
			return err
		}
	}
	for _, t := range u.Tags {
		if err := db.addTagUsers(txn, t, 1); err != nil {
			return err
		}
	}
	if _, err := putUser(txn, nil, u); err != nil {
		return err
	}
	return db.addCounters(txn, u.CreatedAt, store.Counters{NewUsers: 1, Tagged: int64(len(u.Tags))})
}

// CreateUsers implements [store.Users]. The users go in transactions of a
// few hundred keys each; if one fails, the users the earlier ones created
// are deleted again before CreateUsers returns the error.
func (db *DB) CreateUsers(ctx context.Context, in []store.User) ([]store.User, error) {
	if len(in) < 1 || len(in) > store.MaxUsersPerOp {
		return nil, &store.FieldError{Field: "users", Rule: fmt.Sprintf("must have 1 to %d entries", store.MaxUsersPerOp)}
	}
	users := make([]store.User, len(in))
	for i := range in {
		u, err := db.newUser(&in[i])
		if err != nil {
			return nil, store.InBatch(i, err)
		}
		users[i] = u
	}
	if err := store.DistinctInBatch(users); err != nil {
		return nil, err
	}
	if err := db.enter(); err != nil {
		return nil, err
	}
	defer db.exit()
	var created []string
	undo := func() {
		for _, id := range created {
			db.DeleteUser(context.Background(), id)
		}
	}
	per := max(1, batchKeys/(4+len(users[0].Segments)+len(users[0].Tags)))
	for start := 0; start < len(users); {
		batch := users[start:min(start+per, len(users))]
		at := 0
		err := db.retry(ctx, func(txn *badger.Txn) error {
			for i := range batch {
				at = start + i
				if err := db.insertUser(txn, &batch[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if errors.Is(err, badger.ErrTxnTooBig) && per > 1 {
			per /= 2
			continue
		}
		if err != nil {
			undo()
			return nil, store.InBatch(at, db.wrap("create users", err))
		}
		for i := range batch {
			created = append(created, batch[i].ID)
		}
		start += len(batch)
	}
	return users, nil
}

// CountUsers implements [store.Users]: one walk over the user records,
// checking every query's filters on each.
func (db *DB) CountUsers(ctx context.Context, qs ...store.UserQuery) ([]int, error) {
	ms := make([]*matcher, len(qs))
	byLastSeen := false
	for i := range qs {
		q, err := qs[i].Normalize()
		if err != nil {
			return nil, err
		}
		ms[i] = newMatcher(&q)
		byLastSeen = byLastSeen || slices.ContainsFunc(q.Filters, behindField)
	}
	counts := make([]int, len(qs))
	view := db.viewUsers
	if byLastSeen {
		view = db.viewLastSeen // the records must hold the latest lastSeen and messages
	}
	err := view(ctx, func(txn *badger.Txn) error {
		clear(counts)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kUser}})
		defer it.Close()
		n := 0
		for it.Rewind(); it.Valid(); it.Next() {
			if n++; n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			err := it.Item().Value(func(v []byte) error {
				for i, m := range ms {
					ok, err := m.match(v)
					if err != nil {
						return err
					}
					if ok {
						counts[i]++
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap("count users", err)
	}
	return counts, nil
}

// behindField reports whether f reads a field that turns write behind
// (lastseen.go): lastSeen or the number of messages. A page or count
// filtered on one flushes first.
func behindField(f store.Filter) bool {
	return f.Field == store.FieldLastSeen || f.Field == store.FieldMessages
}

// errRelock stops an upsert's transaction that found users it holds no
// lock of.
var errRelock = errors.New("badgerstore: upsert touches users it has not locked")

// UpsertUsers implements [store.Users]. The upserts go in transactions of
// as many as fit, each planned (store.PlanUpserts) and written as one
// Badger transaction that reads each userId and email once. A
// transaction that would change users who exist goes again holding their
// locks, as every write of a user does; new users need none.
func (db *DB) UpsertUsers(ctx context.Context, ups []store.UserUpsert) ([]store.Upserted, error) {
	if len(ups) < 1 || len(ups) > store.MaxUsersPerOp {
		return nil, &store.FieldError{Field: "upserts", Rule: fmt.Sprintf("must have 1 to %d entries", store.MaxUsersPerOp)}
	}
	if err := db.enter(); err != nil {
		return nil, err
	}
	defer db.exit()
	out := make([]store.Upserted, 0, len(ups))
	per := len(ups)
	if fit := int(db.upsertFit.Load()); fit > 0 {
		per = min(per, fit)
	}
	for start := 0; start < len(ups); {
		chunk := ups[start:min(start+per, len(ups))]
		res, size, err := db.upsertChunk(ctx, chunk)
		if errors.Is(err, badger.ErrTxnTooBig) && per > 1 {
			per /= 2
			continue
		}
		if err != nil {
			return out, db.wrap("upsert users", err)
		}
		db.upsertFit.Store(int64(db.fit(len(chunk), size)))
		out = append(out, res...)
		start += len(chunk)
	}
	return out, nil
}

// A txnSize is what a transaction writes, counted as Badger counts it
// against its limits on a transaction (badger.ErrTxnTooBig): entries, and
// their bytes.
type txnSize struct{ entries, bytes int64 }

// set writes key and value in txn and counts them.
func (s *txnSize) set(txn *badger.Txn, key, value []byte) error {
	s.entries++
	s.bytes += int64(len(key)+len(value)) + 12 // a version and two bytes of meta
	return txn.Set(key, value)
}

// fit returns how many upserts like the rows that took size fit in three
// quarters of Badger's limits on a transaction, so that UpsertUsers
// splits a batch before planning it rather than after finding it too big
// (with SmallDevice's memtables of 2 MB, a transaction holds a few
// hundred new users).
func (db *DB) fit(rows int, size txnSize) int {
	n := store.MaxUsersPerOp
	if size.bytes > 0 {
		n = min(n, int(db.bdb.MaxBatchSize()*3/4*int64(rows)/size.bytes))
	}
	if size.entries > 0 {
		n = min(n, int(db.bdb.MaxBatchCount()*3/4*int64(rows)/size.entries))
	}
	return max(1, n)
}

// upsertChunk plans and writes ups in one transaction, and returns what
// it wrote.
func (db *DB) upsertChunk(ctx context.Context, ups []store.UserUpsert) ([]store.Upserted, txnSize, error) {
	locked := map[string]bool{}
	for {
		unlock := func() {}
		if len(locked) > 0 {
			var err error
			if unlock, err = db.lockUsers(slices.Collect(maps.Keys(locked))...); err != nil {
				return nil, txnSize{}, err
			}
		}
		var plan *store.UpsertPlan
		var more []string
		var size txnSize
		err := db.retry(ctx, func(txn *badger.Txn) error {
			var err error
			size = txnSize{}
			if plan, err = store.PlanUpserts(ups, db.upsertLookup(txn)); err != nil {
				return err
			}
			more = more[:0]
			for _, pu := range plan.Users {
				if pu.Old != nil && !locked[pu.Old.ID] {
					more = append(more, pu.Old.ID)
				}
			}
			if len(more) > 0 {
				return errRelock
			}
			return db.writePlan(txn, plan, &size)
		})
		unlock()
		if !errors.Is(err, errRelock) {
			if err != nil {
				return nil, txnSize{}, err
			}
			return plan.Results, size, nil
		}
		for _, id := range more {
			locked[id] = true
		}
	}
}

// upsertLookup reads what store.PlanUpserts needs in txn.
func (db *DB) upsertLookup(txn *badger.Txn) store.UpsertLookup {
	found := func(u *store.User, err error) (*store.User, error) {
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return u, err
	}
	return store.UpsertLookup{
		ByUserID: func(userID string) (*store.User, error) { return found(userByIndex(txn, strKey(kUserID, userID))) },
		ByEmail:  func(email string) (*store.User, error) { return found(userByIndex(txn, emailKey(email))) },
		Segment: func(id string) error {
			s, err := loadSegment(txn, id)
			if err != nil {
				return fmt.Errorf("segment %s: %w", id, err)
			}
			if s.Filter != nil {
				return &store.FieldError{Field: "segments", Rule: fmt.Sprintf("segment %s is a saved filter: its members cannot be added", id)}
			}
			return nil
		},
		NewUser: db.newUser,
	}
}

// writePlan writes what plan says, which it checked against what txn
// read: emails are moved all at once (the old ones deleted first, since
// one user may take another's old email), and the counts of tags,
// segments and the day's counters are written once. It counts the
// writes of users in size.
func (db *DB) writePlan(txn *badger.Txn, plan *store.UpsertPlan, size *txnSize) error {
	for _, pu := range plan.Users {
		if changed, old, _ := pu.EmailChanged(); changed && old != "" {
			if err := txn.Delete(emailKey(old)); err != nil {
				return err
			}
		}
	}
	var c store.Counters
	tagged := map[string]int{}
	joined := map[string]int{}
	for _, pu := range plan.Users {
		u := &pu.New
		if pu.Old == nil {
			c.NewUsers++
			if err := size.set(txn, strKey(kUserID, u.UserID), rawID(u.ID)); err != nil {
				return err
			}
		}
		if changed, _, email := pu.EmailChanged(); changed && email != "" {
			if err := size.set(txn, emailKey(email), rawID(u.ID)); err != nil {
				return err
			}
		}
		tags, segs := pu.Added()
		for _, t := range tags {
			tagged[t]++
		}
		c.Tagged += int64(len(tags))
		for _, s := range segs {
			joined[s]++
			if err := size.set(txn, key2(kMember, s, u.ID), nil); err != nil {
				return err
			}
		}
		rec := encodeUser(nil, u)
		if err := size.set(txn, key1(kUser, u.ID), rec); err != nil {
			return err
		}
		if err := size.set(txn, lastSeenKey(u.LastSeen, u.ID), rec); err != nil {
			return err
		}
	}
	for t, n := range tagged {
		if err := db.addTagUsers(txn, t, n); err != nil {
			return err
		}
	}
	for s, n := range joined {
		if err := db.addMembers(txn, s, n); err != nil {
			return err
		}
	}
	return db.addCounters(txn, db.now(), c)
}

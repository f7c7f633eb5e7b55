package badgerstore

import (
	"slices"
	"sync"
)

// Recent sessions and users are read from memory, not from Badger.
//
// A turn reads its session, the session's current thread and its user.
// Badger reads are costly for records rewritten at every turn: a read finds
// the newest version in a memtable, then still looks into every level that
// may hold an older one. But one process has the directory open, and:
//
//   - a session and its threads are written only by calls holding the
//     session's lock stripe (DB.locks): turns, UpdateSessionAttributes,
//     AppendMessages, the purge of a deleted user;
//   - a user is written only by calls holding the user's lock stripe
//     (DB.userLocks): turns tied to the user, UpdateUser, SetBanned, segment
//     membership, DeleteUser. CreateUser writes an id nobody knows yet.
//
// So each stripe keeps, guarded by its lock, the records of its last few
// sessions or users exactly as last committed, and a turn that finds them
// there reads nothing from Badger; nobody else can write them meanwhile, so
// there is no conflict for Badger to detect. Other calls that write these
// records update the entry (AppendMessages) or drop it; a failed commit
// drops it too.
//
// Records are kept encoded (a turn decodes fresh copies, which its caller
// may keep), in the slices given to Badger, which never change after a
// commit: an entry costs no copy, only its record's bytes (in the coffee
// bot's benchmark, 103 for a session and 52 for the thread it carries, as
// measured before the session carried it).
//
// A turn takes its session's lock, then its user's. It holds one user lock
// at a time: when it meets a user whose lock it does not hold, it lets go of
// the transaction and its user lock, takes the other, and starts again.
// Calls that write several users take their locks in stripe order, and
// never a session lock while holding a user lock.

// hotPerStripe is the number of sessions, and of users, a stripe keeps
// (4,096 of each in all); hotPerStripeSmall is that number in the
// SmallDevice profile (1,024).
const (
	hotPerStripe      = 16
	hotPerStripeSmall = 4
)

// A hotSession is a session's record, which carries its current thread's
// record, as last committed.
type hotSession struct {
	session []byte
	// userID is the session's user ("" if none), also in the record: kept
	// apart so that Update takes the user's lock before decoding it.
	userID string
}

// A hotCache holds the records of a stripe's recent ids. It is guarded by
// the stripe's lock.
type hotCache[V any] struct {
	ids  []string // "" for a free slot
	vals []V
	next int // the slot that a new id takes, round robin
}

func newHotCaches[V any](c []hotCache[V], perStripe int) {
	ids := make([]string, len(c)*perStripe)
	vals := make([]V, len(c)*perStripe)
	for i := range c {
		lo, hi := i*perStripe, (i+1)*perStripe
		c[i] = hotCache[V]{ids: ids[lo:hi:hi], vals: vals[lo:hi:hi]}
	}
}

// find returns the value kept for id, or nil.
func (h *hotCache[V]) find(id string) *V {
	if i := slices.Index(h.ids, id); i >= 0 && id != "" {
		return &h.vals[i]
	}
	return nil
}

// put records id's value as committed.
func (h *hotCache[V]) put(id string, v V) {
	i := slices.Index(h.ids, id)
	if i < 0 {
		i = h.next
		h.next = (h.next + 1) % len(h.ids)
	}
	h.ids[i], h.vals[i] = id, v
}

// drop forgets id.
func (h *hotCache[V]) drop(id string) {
	if i := slices.Index(h.ids, id); i >= 0 {
		var zero V
		h.ids[i], h.vals[i] = "", zero
	}
}

// stripe returns the lock stripe of a session or user id.
func (db *DB) stripe(id string) int { return int(hashString(db.seed, id) % stripes) }

// lockSession takes the lock of a session's stripe, forgets the session's
// records kept in memory, and returns the unlock function. Calls that write
// a session or its threads other than through a turn use it.
func (db *DB) lockSession(sessionID string) (unlock func()) {
	i := db.stripe(sessionID)
	db.locks[i].Lock()
	db.hotSessions[i].drop(sessionID)
	return db.locks[i].Unlock
}

// lockUsers takes the locks of the users' stripes in stripe order, forgets
// their records kept in memory, writes what is noted of them and not yet
// written (their records and lastSeen index entries: see settle), and
// returns the unlock function. Calls that write
// users other than through a turn use it.
func (db *DB) lockUsers(ids ...string) (unlock func(), err error) {
	var held []*sync.Mutex
	seen := [stripes]bool{}
	var order []int
	for _, id := range ids {
		if i := db.stripe(id); !seen[i] {
			seen[i] = true
			order = append(order, i)
		}
	}
	slices.Sort(order)
	for _, i := range order {
		db.userLocks[i].Lock()
		held = append(held, &db.userLocks[i])
	}
	for _, id := range ids {
		db.hotUsers[db.stripe(id)].drop(id)
	}
	unlock = func() {
		for _, mu := range held {
			mu.Unlock()
		}
	}
	if err := db.settle(ids...); err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}

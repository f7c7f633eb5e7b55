package badgerstore

import (
	"slices"
	"strings"
	"sync"

	"github.com/parleybot/parley/store"
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
// So each stripe keeps, guarded by its lock, the records of its recent
// sessions and users exactly as last committed, and a turn that finds them
// there reads nothing from Badger; nobody else can write them meanwhile, so
// there is no conflict for Badger to detect. Other calls that write these
// records update the entry (AppendMessages) or drop it; a failed commit
// drops it too.
//
// Records are kept encoded (a turn decodes fresh copies, which its caller
// may keep), in the slices given to Badger, which never change after a
// commit: an entry costs no copy, only its record's bytes (in the store's
// benchmarks, 192 for a session with the thread it carries, 53 for a user)
// and its place in the stripe's map. The stripes share a byte budget, not
// a number of entries, as records range from tens of bytes to a hundred
// kilobytes (99 attributes of 1,024 characters).
//
// A turn takes its session's lock, then its user's. It holds one user lock
// at a time: when it meets a user whose lock it does not hold, it lets go of
// the transaction and its user lock, takes the other, and starts again.
// Calls that write several users take their locks in stripe order, and
// never a session lock while holding a user lock.

// hotBytes is what the kept records of all stripes may take, sessions
// and users each, counting a fixed hotOverhead an entry for the map and the
// slot; hotBytesSmall is that in the SmallDevice profile. In the default
// profile it holds about 90,000 sessions like the benchmarks' (192 bytes
// with their thread) and 160,000 users without attributes: a server with
// that many conversations going on reads none of them from Badger. The
// ids of recent users by userId (for UserByUserID) take a fourth of it.
const (
	hotBytes      = 32 << 20
	hotBytesSmall = 512 << 10
	hotOverhead   = 128
)

// A hotSession is a session's record, which carries its current thread's
// record, as last committed.
type hotSession struct {
	session []byte
	// userID is the session's user ("" if none), also in the record: kept
	// apart so that Update takes the user's lock before decoding it.
	userID string
}

func (h hotSession) size() int { return len(h.session) + len(h.userID) }

// A userRecord is a user's record as last committed.
type userRecord []byte

func (r userRecord) size() int { return len(r) }

// A userRef is the id of the user a userId names.
type userRef string

func (r userRef) size() int { return len(r) }

// A sized value tells the bytes it takes, for a hotCache's budget.
type sized interface{ size() int }

// A hotCache holds the records of a stripe's recent ids, within a byte
// budget. It is guarded by the stripe's lock. When a record does not fit,
// the cache evicts as the CLOCK algorithm does: a hand goes round the
// slots, and takes the first one not used since it last passed.
type hotCache[V sized] struct {
	index  map[string]int // id → slot
	slots  []hotSlot[V]
	free   []int // slots without an id
	hand   int
	bytes  int
	budget int
}

type hotSlot[V any] struct {
	id   string // "" for a free slot
	val  V
	size int
	used bool // since the hand last passed
}

func newHotCaches[V sized](c []hotCache[V], budget int) {
	for i := range c {
		c[i] = hotCache[V]{index: make(map[string]int), budget: budget / len(c)}
	}
}

// find returns the value kept for id, or nil; the pointer is good until
// the next put or drop.
func (h *hotCache[V]) find(id string) *V {
	i, ok := h.index[id]
	if !ok {
		return nil
	}
	h.slots[i].used = true
	return &h.slots[i].val
}

// put records id's value as committed.
func (h *hotCache[V]) put(id string, v V) {
	i, ok := h.index[id]
	if ok {
		id = h.slots[i].id
		h.remove(i)
	} else {
		// A copy: the caller's id may be part of a larger string.
		id = strings.Clone(id)
	}
	size := len(id) + v.size() + hotOverhead
	if size > h.budget {
		return
	}
	for h.bytes+size > h.budget {
		h.evict()
	}
	if n := len(h.free); n > 0 {
		i, h.free = h.free[n-1], h.free[:n-1]
	} else {
		i = len(h.slots)
		h.slots = append(h.slots, hotSlot[V]{})
	}
	h.slots[i] = hotSlot[V]{id: id, val: v, size: size, used: true}
	h.index[id] = i
	h.bytes += size
}

// evict forgets the first id the hand finds not used since it last passed.
func (h *hotCache[V]) evict() {
	for {
		h.hand = (h.hand + 1) % len(h.slots)
		switch sl := &h.slots[h.hand]; {
		case sl.id == "":
		case sl.used:
			sl.used = false
		default:
			h.remove(h.hand)
			return
		}
	}
}

// drop forgets id.
func (h *hotCache[V]) drop(id string) {
	if i, ok := h.index[id]; ok {
		h.remove(i)
	}
}

// remove frees slot i.
func (h *hotCache[V]) remove(i int) {
	delete(h.index, h.slots[i].id)
	h.bytes -= h.slots[i].size
	h.slots[i] = hotSlot[V]{}
	h.free = append(h.free, i)
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

// noteUserID remembers that userID names the user id.
func (db *DB) noteUserID(userID, id string) {
	if userID == "" {
		return
	}
	i := db.stripe(userID)
	db.userIDMu[i].Lock()
	db.userIDs[i].put(userID, userRef(id))
	db.userIDMu[i].Unlock()
}

// hotUserByUserID returns the user whose userId is userID from the records
// kept in memory, if its record is there, and reports whether it was.
// Every turn tied to a user looks the user up by userId first; a Badger
// read transaction would wait for the commit under way (Badger's read
// timestamp waits for the commits before it) and then read two keys.
//
// A kept record is the user as last committed (see above), read under the
// user's lock as a turn reads it; the id noted for userID is only a hint,
// checked against the record's userId, since a user may have been deleted
// and its userId given to another since. The lock is only tried: a caller
// may hold it (a webhook looking a user up within a turn), and a lock
// taken by a turn of the user is held until its commit, as long as the
// read transaction would wait.
func (db *DB) hotUserByUserID(userID string) (store.User, bool) {
	i := db.stripe(userID)
	db.userIDMu[i].Lock()
	var id string
	if r := db.userIDs[i].find(userID); r != nil {
		id = string(*r)
	}
	db.userIDMu[i].Unlock()
	if id == "" {
		return store.User{}, false
	}
	j := db.stripe(id)
	if !db.userLocks[j].TryLock() {
		return store.User{}, false
	}
	defer db.userLocks[j].Unlock()
	rec := db.hotUsers[j].find(id)
	if rec == nil {
		return store.User{}, false
	}
	var u store.User
	if err := decodeUser(*rec, id, &u); err != nil || u.UserID != userID {
		return store.User{}, false
	}
	db.lastSeen.latest(&u)
	return u, true
}

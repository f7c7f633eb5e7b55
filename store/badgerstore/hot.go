package badgerstore

// Recent sessions are read from memory, not from Badger.
//
// A turn begins by reading its session and the session's current thread.
// Badger reads are costly for records rewritten at every turn: a read
// finds the newest version in a memtable, then still looks into every
// level that may hold an older one. But a session and its threads are
// written only by calls holding the session's lock stripe (turns,
// UpdateSessionAttributes, AppendMessages, the purge of a deleted user), and
// one process has the directory open. So each stripe keeps, guarded by its
// lock, the records of its last few sessions exactly as last committed, and
// a turn that finds its session there reads nothing from Badger. Calls that
// write these records other than through a turn drop the entry; a failed
// commit drops it too.
//
// The records are kept encoded (a turn decodes fresh copies, which its
// caller may keep), and in the slices given to Badger, which never change
// after a commit: an entry costs no copy, about 600 bytes for a session
// and its thread.

// hotPerStripe is the number of sessions a stripe keeps (4,096 in all);
// hotPerStripeSmall is that number in the SmallDevice profile (1,024).
const (
	hotPerStripe      = 16
	hotPerStripeSmall = 4
)

// A hotSession is a session's record and its current thread's record as
// last committed.
type hotSession struct {
	id       string // the session id; "" for a free slot
	session  []byte
	threadID string // "" when the session has no thread
	thread   []byte
}

// A hotStripe holds the recent sessions of one lock stripe. It is guarded
// by the stripe's lock.
type hotStripe struct {
	slots []hotSession
	next  int // the slot that a new session takes, round robin
}

// find returns the entry of session id, or nil.
func (h *hotStripe) find(id string) *hotSession {
	for i := range h.slots {
		if h.slots[i].id == id {
			return &h.slots[i]
		}
	}
	return nil
}

// put records what a turn of session id committed.
func (h *hotStripe) put(e hotSession) {
	if len(h.slots) == 0 {
		return
	}
	if old := h.find(e.id); old != nil {
		*old = e
		return
	}
	h.slots[h.next] = e
	h.next = (h.next + 1) % len(h.slots)
}

// drop forgets session id.
func (h *hotStripe) drop(id string) {
	if e := h.find(id); e != nil {
		*e = hotSession{}
	}
}

package badgerstore

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// Turns that run at once commit together.
//
// A Badger commit costs about as much as writing two keys (a transaction to
// set up, a commit timestamp, a commit marker in the log, a hand-off to
// Badger's writer and back: about 35k instructions, against 16k a key, on
// this project's benchmark machine), and a turn writes two to six keys. So
// a turn does not commit on its own: it reads what it needs in a read-only
// transaction (most often nothing: see hot.go), collects its writes in a
// batch, and hands the batch to the group commit. Whoever hands in a batch
// while no commit runs leads: it commits every batch waiting, in one
// transaction, and then passes the lead to the first batch that arrived
// meanwhile. One turn alone commits at once; many turns share commits.
// (Handing the next group to Badger while it still writes the previous
// one, with CommitWith, was tried: it woke one more goroutine per commit
// and made smaller groups, for no more turns a second.)
//
// A batch needs no conflict detection for what it read: the session, its
// thread and its user are written only under the locks the turn holds until
// its batch is committed (see hot.go), and so is its stripe's counter key.
// The one thing a turn reads that another call may write meanwhile is
// whether a default_email is free: a batch carries that as a key that must
// be absent, which the group checks inside its transaction, so that Badger
// detects a concurrent writer of the key. A batch whose key is taken fails
// alone.

// maxGroup bounds the batches of one commit, so that the lead does not
// keep committing for others for long.
const maxGroup = 64

// A batch is one turn's reads and writes. Its reads see the store as it was
// before the turn, not the batch's own writes: a turn reads before it
// writes.
type batch struct {
	db     *DB
	read   *badger.Txn // opened at the first read
	writes []write
	absent []absentKey
	small  [3]write // writes' first array: a turn writes two or three keys

	// The turn's counters, written with the commit (see counters.go).
	stripe   int
	day      uint32
	counters store.Counters
	shard    counterShard // the stripe's counters once committed,
	shardSet bool         // if the commit writes them

	log []store.LogEntry // the turn's entries of the event log (see log.go)

	user *userNote // what the turn notes of its user (see lastseen.go)
	note userNote  // where user points, if set: no allocation of its own

	err  error     // of the commit, set before done receives
	done chan bool // receives false when committed, true to lead
}

type write struct {
	e   badger.Entry
	del bool
}

// An absentKey is a key that must not exist when the batch commits, and
// the error of the batch if it does.
type absentKey struct {
	key []byte
	err error
}

func newBatch(db *DB, stripe int) *batch {
	b := &batch{db: db, stripe: stripe}
	b.writes = b.small[:0]
	return b
}

// noteUser notes n of the turn's user.
func (b *batch) noteUser(n userNote) {
	b.note = n
	b.user = &b.note
}

func (b *batch) txn() *badger.Txn {
	if b.read == nil {
		b.read = b.db.bdb.NewTransaction(false)
	}
	return b.read
}

func (b *batch) Get(key []byte) (*badger.Item, error) { return b.txn().Get(key) }

func (b *batch) NewIterator(o badger.IteratorOptions) *badger.Iterator {
	return b.txn().NewIterator(o)
}

func (b *batch) Set(key, val []byte) error {
	b.writes = append(b.writes, write{e: badger.Entry{Key: key, Value: val}})
	return nil
}

func (b *batch) SetEntry(e *badger.Entry) error {
	b.writes = append(b.writes, write{e: *e})
	return nil
}

func (b *batch) Delete(key []byte) error {
	b.writes = append(b.writes, write{e: badger.Entry{Key: key}, del: true})
	return nil
}

// mustBeAbsent makes the commit fail with err if key exists then.
func (b *batch) mustBeAbsent(key []byte, err error) {
	b.absent = append(b.absent, absentKey{key, err})
}

// discard ends the batch's reads.
func (b *batch) discard() {
	if b.read != nil {
		b.read.Discard()
		b.read = nil
	}
}

// A grouper gathers the batches that wait for a commit.
type grouper struct {
	mu      sync.Mutex
	pending []*batch
	leading bool // a batch leads: it will commit or pass on the pending ones
}

// commit commits b, alone or with others, and returns its error.
func (db *DB) commit(b *batch) error {
	b.discard()
	if len(b.writes) == 0 {
		return nil
	}
	b.done = make(chan bool, 1)
	g := &db.group
	g.mu.Lock()
	g.pending = append(g.pending, b)
	if g.leading {
		g.mu.Unlock()
		if lead := <-b.done; !lead {
			return b.err
		}
		g.mu.Lock()
	}
	n := min(len(g.pending), maxGroup)
	group := g.pending[:n:n]
	g.pending = append([]*batch(nil), g.pending[n:]...)
	g.leading = true
	g.mu.Unlock()

	if fn := db.cfg.observeCommit; fn != nil {
		start := time.Now()
		db.commitGroup(group)
		fn(len(group), time.Since(start), firstErr(group))
	} else {
		db.commitGroup(group)
	}
	g.mu.Lock()
	if len(g.pending) > 0 {
		g.pending[0].done <- true
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	for _, o := range group {
		if o != b {
			o.done <- false
		}
	}
	return b.err
}

// firstErr returns the error of a commit of group that failed: all its
// batches have one. (A batch whose unique key was taken fails alone.)
func firstErr(group []*batch) error {
	for _, b := range group {
		if b.err == nil {
			return nil
		}
	}
	return group[0].err
}

// commitGroup writes the batches of group in one transaction, retried on
// conflicts, and sets their errors. A group too big for one transaction
// commits in halves.
func (db *DB) commitGroup(group []*batch) {
	var slot uint64
	var journal []byte
	if slices.ContainsFunc(group, func(b *batch) bool { return b.user != nil && b.user.behind }) {
		slot = db.lastSeen.slot()
		journal = journalKey(slot)
	}
	var written bool
	// The log's positions are taken in commit order (see log.go): the
	// group holds the log's writer lock from numbering to commit.
	db.log.mu.Lock()
	pos := db.log.next
	err := db.retry(context.Background(), func(txn *badger.Txn) error {
		var err error
		pos = db.log.next
		written, err = db.fill(txn, group, journal, &pos)
		return err
	})
	db.log.next = pos // a failed commit's positions are not taken again
	if err == nil {
		db.trimLog()
	}
	db.log.mu.Unlock()
	if journal != nil && (err != nil || !written) {
		db.lastSeen.giveBack(slot)
	}
	if err == nil {
		db.groupShard = db.groupNext
		db.lastSeen.note(group, slot, written)
		return
	}
	// The commit may have reached the disk or not: read the groups'
	// counters again next time.
	db.groupShard = counterShard{}
	if errors.Is(err, badger.ErrTxnTooBig) && len(group) > 1 {
		db.commitGroup(group[:len(group)/2])
		db.commitGroup(group[len(group)/2:])
		return
	}
	for _, b := range group {
		if b.err == nil {
			b.err = err
		}
	}
}

// fill writes the batches of group and their counters into txn, except
// those whose absent keys exist, which get their errors. If they leave
// users behind (see lastseen.go), it writes their lastSeen at key journal
// and reports so. It writes their entries of the event log at positions
// from *pos on.
func (db *DB) fill(txn *badger.Txn, group []*batch, journal []byte, pos *uint64) (written bool, err error) {
	for _, b := range group {
		b.err = nil
		for _, a := range b.absent {
			taken, err := exists(txn, a.key)
			if err != nil {
				return false, err
			}
			if taken {
				b.err = a.err
				break
			}
		}
	}
	var behind []byte
	for _, b := range group {
		if b.err != nil {
			continue
		}
		if n := b.user; n != nil && n.behind {
			behind = appendJournal(behind, n)
		}
		for i := range b.writes {
			w := &b.writes[i]
			var err error
			if w.del {
				err = txn.Delete(w.e.Key)
			} else {
				// Badger keeps the entry, and changes its key, only
				// when the transaction commits: a transaction that
				// fails (a conflict, too big) leaves it as it was for
				// the next attempt.
				err = txn.SetEntry(&w.e)
			}
			if err != nil {
				return false, err
			}
		}
		if err := writeLog(txn, pos, b.log); err != nil {
			return false, err
		}
	}
	if journal != nil {
		// Even empty (its users' batches failed): the slot may hold an
		// older journal, which DeleteUser's scrub would not see.
		if err := txn.Set(journal, behind); err != nil {
			return false, err
		}
	}
	return behind != nil, db.writeCounters(txn, group)
}

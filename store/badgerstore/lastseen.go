package badgerstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// Turns write lastSeen behind: in the user records, and in the lastSeen
// index.
//
// In Badger a commit costs about as much per key as a turn's other work
// (BenchmarkBadgerKeys), and a turn writes three: its session, its messages
// and its counters. A turn tied to a user changes the user's lastSeen, and
// most change nothing else about the user. Writing the user's record would
// be a fourth key at every turn, moving the user in the lastSeen index two
// more. So:
//
//   - A turn that changes only its user's lastSeen does not write the
//     record. Its group commit writes one journal key (kJournal) with the
//     lastSeen of each such user of the group, however many turns the group
//     has, and notes the records in memory (lastSeenIndex.note).
//   - A turn that changes more of its user writes the record, and notes only
//     the user's move in the index.
//   - A flush in the background writes what was noted since the last one,
//     once per user however many turns the user had meanwhile. The journal
//     keys written before it began are then obsolete, and later group
//     commits write over them: journal keys are slots, never deleted while
//     the store is open. Deleting them would cost a key each.
//
// Nothing acknowledged lives only in memory: a process that stops without
// Close leaves journal keys, and Open, finding openKey still set, applies
// them to the records and rebuilds the index from the records
// (repairLastSeen). An obsolete journal key is harmless there: a user's
// lastSeen becomes the latest of its record's and the journal's. Restore
// sets openKey too: a backup may hold journal keys, and an index behind its
// records.
//
// Who sees what:
//
//   - A user as noted is the user: a turn holding the user's lock reads it
//     (heldUser), and calls that read user records take the later of the
//     lastSeen they read and the one noted (latest), holding flushMu for
//     reading, so that no flush forgets a noted user they have yet to read.
//   - A flush writes users holding the locks of their stripes (in stripe order);
//     then it forgets them. A call that writes a user outside a turn holds
//     the user's lock, and writes what was noted of the user first (settle):
//     UpdateUser, SetBanned, segment membership, DeleteUser. Only a flush,
//     holding flushMu, forgets: a settled user stays noted, as written.
//   - A page sorted or filtered by lastSeen flushes first and opens its read
//     transaction before the next flush begins (readLastSeen).
//
// Writes are idempotent (the record; delete where the user was in the
// index, set where it is), so a write that failed stays noted, with the
// place it may have reached, and is written again.

// openKey is set while a process has the store open (see above).
var openKey = []byte("\x00open")

// Flushes run every lastSeenFlushEvery, and sooner when maxPendingMoves
// users are noted (a fourth of it in the SmallDevice profile): a few
// hundred bytes each, and a page sorted by lastSeen may wait for their
// flush (about 8 ms for 1,024 moves: BenchmarkListUsersBehind). A minute
// spans the turns of a conversation, seconds apart, so a user chatting is
// written once; a store with more users chatting at once than the bound
// writes each user about once a turn, as if written at the turn, but in
// large batches off the turns' commits (BenchmarkTurnManyUsers).
const (
	lastSeenFlushEvery = time.Minute
	maxPendingMoves    = 4096
)

// flushChunk is about how many users a flush writes in one Badger commit,
// holding their stripes' locks: turns of those users wait for the commit.
const flushChunk = 256

// A lastSeenIndex holds what turns have committed of their users' lastSeen
// and no flush has written yet.
type lastSeenIndex struct {
	// flushMu is held by a flush, and for reading by whoever reads user
	// records (see latest).
	flushMu sync.RWMutex

	mu       sync.Mutex
	pending  map[string]move // by user id
	gen      uint64          // flushes begun
	journals []journal       // written, not yet obsolete
	free     []uint64        // journal slots to write over
	slots    uint64          // journal slots used so far
	max      int
	full     chan struct{} // wakes the flush loop when pending or journals reach max

	// lost is set when the index may disagree with a user's record and
	// reconcile could not tell: Close then leaves openKey for the next Open
	// to repair it.
	lost atomic.Bool
}

// A journal is the slot of a journal key written by a group commit, noted
// when the flushes begun numbered gen.
type journal struct {
	slot, gen uint64
}

// A move is what is noted of a user: its entry in the index is at from
// (and, after a failed write, possibly at also), and goes to lastSeen with
// the record rec, which the user's record key holds too unless record is
// set. A settled move (rec nil) was written: it only tells lastSeen to
// readers until the next flush forgets it.
type move struct {
	from     time.Time
	also     []time.Time
	lastSeen time.Time
	messages int // the user's messages, as rec holds them
	rec      []byte
	record   bool
}

// A userNote is what a turn tied to a user notes once committed: the
// user's lastSeen before the turn (indexed) and after it, its record, and
// whether the turn left the record to the journal (behind).
type userNote struct {
	id                string
	indexed, lastSeen time.Time
	messages          int
	rec               []byte
	behind            bool
}

func (x *lastSeenIndex) init(small bool) {
	x.max = maxPendingMoves
	if small {
		x.max /= 4
	}
	x.pending = make(map[string]move)
	x.full = make(chan struct{}, 1)
}

// slot returns a journal slot to write. The group commit that takes it
// notes it, or gives it back if it did not write it.
func (x *lastSeenIndex) slot() uint64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	if n := len(x.free); n > 0 {
		s := x.free[n-1]
		x.free = x.free[:n-1]
		return s
	}
	x.slots++
	return x.slots - 1
}

// giveBack returns a journal slot that a group commit did not write, or
// that its failed commit may have written: either way, what it holds now
// is obsolete.
func (x *lastSeenIndex) giveBack(slot uint64) {
	x.mu.Lock()
	x.free = append(x.free, slot)
	x.mu.Unlock()
}

// note records what the batches of a group commit wrote, with the journal
// slot (if written) that holds the lastSeen of their users left behind.
// The batches' turns still hold their users' locks.
func (x *lastSeenIndex) note(group []*batch, slot uint64, written bool) {
	x.mu.Lock()
	if written {
		x.journals = append(x.journals, journal{slot, x.gen})
	}
	for _, b := range group {
		n := b.user
		if b.err != nil || n == nil {
			continue
		}
		m, ok := x.pending[n.id]
		if !ok || m.rec == nil {
			m = move{from: n.indexed}
		}
		m.lastSeen, m.messages, m.rec, m.record = n.lastSeen, n.messages, n.rec, n.behind
		x.pending[n.id] = m
	}
	n := max(len(x.pending), len(x.journals))
	x.mu.Unlock()
	if n >= x.max {
		select {
		case x.full <- struct{}{}:
		default:
		}
	}
}

// noted returns the record noted of user id and not yet written, or nil.
// The caller holds the user's lock.
func (x *lastSeenIndex) noted(id string) []byte {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.pending[id].rec
}

// latest sets u's lastSeen to the one noted, if later. Unless the caller
// holds flushMu for reading since before it read u, or u's lock, a flush
// may have written and forgotten a later lastSeen than u's meanwhile.
func (x *lastSeenIndex) latest(u *store.User) {
	x.mu.Lock()
	m, ok := x.pending[u.ID]
	x.mu.Unlock()
	if ok && m.lastSeen.After(u.LastSeen) {
		u.LastSeen = m.lastSeen
	}
	if ok && m.messages > u.Messages {
		u.Messages = m.messages
	}
}

// flushLastSeen writes what is noted of every user, holding the locks of
// the users' stripes, forgets it, and frees the journal slots noted before
// it began.
// The caller holds lastSeen.flushMu.
func (db *DB) flushLastSeen() error {
	x := &db.lastSeen
	var byStripe [stripes][]string
	x.mu.Lock()
	x.gen++
	gen := x.gen
	for id := range x.pending {
		i := db.stripe(id)
		byStripe[i] = append(byStripe[i], id)
	}
	x.mu.Unlock()
	// A write per stripe would cost a Badger commit per stripe; a write
	// takes the stripes, in order, of flushChunk users or more.
	var err error
	var held []int
	var ids []string
	for i := range byStripe {
		if len(byStripe[i]) > 0 {
			db.userLocks[i].Lock()
			held = append(held, i)
			ids = append(ids, byStripe[i]...)
		}
		if len(ids) < flushChunk && i < stripes-1 {
			continue
		}
		werr := db.writeNoted(ids, true)
		for _, h := range held {
			db.userLocks[h].Unlock()
		}
		held, ids = held[:0], ids[:0]
		if err == nil {
			err = werr
		}
	}
	if err != nil {
		return err // the journals stay until a flush writes all
	}
	x.mu.Lock()
	x.journals = slices.DeleteFunc(x.journals, func(j journal) bool {
		if j.gen < gen {
			x.free = append(x.free, j.slot)
			return true
		}
		return false
	})
	x.mu.Unlock()
	return nil
}

// writeNoted writes what is noted of users ids, whose locks the caller
// holds, and then forgets it (a flush, holding flushMu) or keeps it as
// settled.
func (db *DB) writeNoted(ids []string, forget bool) error {
	x := &db.lastSeen
	moves := make(map[string]move, len(ids))
	x.mu.Lock()
	for _, id := range ids {
		if m, ok := x.pending[id]; ok {
			moves[id] = m
		}
	}
	x.mu.Unlock()
	if len(moves) == 0 {
		return nil
	}
	err := db.writeMoves(moves)
	x.mu.Lock()
	defer x.mu.Unlock()
	for id, m := range moves {
		switch {
		case err != nil && m.rec != nil:
			// Written or not: the entry may now be at lastSeen too.
			m.also = append(m.also, m.lastSeen)
			m.also = slices.DeleteFunc(m.also, func(t time.Time) bool { return t.Equal(m.from) })
			slices.SortFunc(m.also, time.Time.Compare)
			m.also = slices.CompactFunc(m.also, time.Time.Equal)
			x.pending[id] = m
		case err != nil:
		case forget:
			delete(x.pending, id)
		default:
			x.pending[id] = move{from: m.lastSeen, lastSeen: m.lastSeen}
		}
	}
	return err
}

// writeMoves writes the records and index entries of moves, in as many
// transactions as they need. Settled moves have nothing to write.
func (db *DB) writeMoves(moves map[string]move) error {
	if db.isFull() {
		return errFull
	}
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	for id, m := range moves {
		if m.rec == nil {
			continue
		}
		if m.record {
			if err := wb.Set(key1(kUser, id), m.rec); err != nil {
				return err
			}
		}
		for _, t := range append([]time.Time{m.from}, m.also...) {
			if !t.Equal(m.lastSeen) {
				if err := wb.Delete(lastSeenKey(t, id)); err != nil {
					return err
				}
			}
		}
		if err := wb.Set(lastSeenKey(m.lastSeen, id), m.rec); err != nil {
			return err
		}
	}
	if testHookWriteMoves != nil {
		return testHookWriteMoves(wb)
	}
	return wb.Flush()
}

// testHookWriteMoves, if set, commits (or not) the writes of writeMoves,
// for tests of failed writes.
var testHookWriteMoves func(wb *badger.WriteBatch) error

// reconcile puts user id, whose lock the caller holds, where its record
// says in the lastSeen index, after a turn's commit that wrote the record
// failed in a way that may have written it or not: the user may be at
// indexed (where it was before the turn), at tried (where the turn would
// have put it), or where a noted move says. If the turn's record was not
// written, the one noted (if later) is the user's. Should this fail too,
// the next Open repairs the index.
func (db *DB) reconcile(id string, indexed, tried time.Time) {
	x := &db.lastSeen
	x.mu.Lock()
	m, noted := x.pending[id]
	x.mu.Unlock()
	var u store.User
	var rec []byte
	err := db.bdb.Update(func(txn *badger.Txn) error {
		rec = nil
		err := get(txn, key1(kUser, id), func(v []byte) error {
			rec = bytes.Clone(v)
			return decodeUser(rec, id, &u)
		})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if rec != nil && m.record && u.LastSeen.Before(m.lastSeen) {
			rec = m.rec
			if err := decodeUser(rec, id, &u); err != nil {
				return err
			}
			if err := txn.Set(key1(kUser, id), rec); err != nil {
				return err
			}
		}
		for _, t := range append([]time.Time{indexed, tried, m.from, m.lastSeen}, m.also...) {
			if rec == nil || !t.Equal(u.LastSeen) {
				if err := txn.Delete(lastSeenKey(t, id)); err != nil {
					return err
				}
			}
		}
		if rec == nil {
			return nil
		}
		return txn.Set(lastSeenKey(u.LastSeen, id), rec)
	})
	if err != nil {
		x.lost.Store(true)
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	switch {
	case rec != nil:
		x.pending[id] = move{from: u.LastSeen, lastSeen: u.LastSeen}
	case noted:
		x.pending[id] = move{from: m.lastSeen, lastSeen: m.lastSeen}
	}
}

// settle writes what is noted of users ids, whose locks the caller holds,
// so that each record and index entry is the user's, as putUser expects.
func (db *DB) settle(ids ...string) error { return db.writeNoted(ids, false) }

// viewLastSeen is view for a call that reads the lastSeen index or filters
// by lastSeen: its transaction sees every turn committed before it.
func (db *DB) viewLastSeen(ctx context.Context, fn func(txn *badger.Txn) error) error {
	return db.viewFrom(ctx, db.readLastSeen, fn)
}

// readLastSeen flushes and opens a read transaction before the next flush
// can begin, which could have written part of its users when the
// transaction began.
func (db *DB) readLastSeen() (*badger.Txn, error) {
	db.lastSeen.flushMu.Lock()
	defer db.lastSeen.flushMu.Unlock()
	if err := db.flushLastSeen(); err != nil {
		return nil, err
	}
	return db.bdb.NewTransaction(false), nil
}

// viewUsers is view for a call that reads user records and sets their
// lastSeen with latest.
func (db *DB) viewUsers(ctx context.Context, fn func(txn *badger.Txn) error) error {
	db.lastSeen.flushMu.RLock()
	defer db.lastSeen.flushMu.RUnlock()
	return db.view(ctx, fn)
}

// flushLoop flushes every lastSeenFlushEvery, or when enough users are
// noted, until Close.
func (db *DB) flushLoop() {
	defer db.loops.Done()
	t := time.NewTicker(lastSeenFlushEvery)
	defer t.Stop()
	for {
		select {
		case <-db.closing:
			return
		case <-t.C:
		case <-db.lastSeen.full:
		}
		db.lastSeen.flushMu.Lock()
		err := db.flushLastSeen()
		db.lastSeen.flushMu.Unlock()
		if err != nil && db.cfg.logger != nil {
			db.cfg.logger.Warn("badgerstore: write lastSeen behind", "err", err)
		}
	}
}

// scrubJournals deletes the journal keys that a flush has made obsolete,
// after one more flush: DeleteUser calls it, so that no key keeps a deleted
// user's id. A later commit writes a slot again.
func (db *DB) scrubJournals() error {
	x := &db.lastSeen
	x.flushMu.Lock()
	defer x.flushMu.Unlock()
	if err := db.flushLastSeen(); err != nil {
		return err
	}
	x.mu.Lock()
	free := x.free
	x.free = nil
	x.mu.Unlock()
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	var err error
	for _, slot := range free {
		if err = wb.Delete(journalKey(slot)); err != nil {
			break
		}
	}
	if err == nil {
		err = wb.Flush()
	}
	x.mu.Lock()
	x.free = append(x.free, free...)
	x.mu.Unlock()
	return err
}

// openLastSeen applies the journal keys and repairs the lastSeen index if
// the last process to open the store did not close it, then marks the
// store open.
func (db *DB) openLastSeen() error {
	crashed := false
	err := db.bdb.View(func(txn *badger.Txn) error {
		_, err := txn.Get(openKey)
		switch {
		case err == nil:
			crashed = true
		case !errors.Is(err, badger.ErrKeyNotFound):
			return err
		}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kJournal}})
		defer it.Close()
		it.Rewind()
		crashed = crashed || it.Valid()
		return nil
	})
	if err != nil {
		return err
	}
	if crashed {
		if err := db.applyJournals(); err != nil {
			return err
		}
		if err := db.repairLastSeen(); err != nil {
			return err
		}
	}
	return db.bdb.Update(func(txn *badger.Txn) error { return txn.Set(openKey, nil) })
}

// closeLastSeen writes what is noted and, if the index is then in step
// with the records, deletes the journal keys and marks the store closed.
func (db *DB) closeLastSeen() error {
	db.lastSeen.flushMu.Lock()
	defer db.lastSeen.flushMu.Unlock()
	if db.isFull() {
		return nil // the journal keys stay, and Open applies them
	}
	if err := db.flushLastSeen(); err != nil {
		return err
	}
	if db.lastSeen.lost.Load() {
		return nil
	}
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	err := db.bdb.View(func(txn *badger.Txn) error {
		err := eachItem(txn, []byte{kJournal}, func(item *badger.Item) error { return wb.Delete(item.KeyCopy(nil)) })
		if err != nil {
			return err
		}
		return wb.Delete(openKey)
	})
	if err != nil {
		return err
	}
	return wb.Flush()
}

// A journal key holds, for each user a group commit left behind, the
// user's 12-byte id and lastSeen (8 bytes, as in keys), and since version 9
// the number of messages the user sent (8 bytes, big-endian), after a
// first byte journalFormat. A value of version 8 has no first byte and
// entries of 20 bytes: its length is a multiple of 4, which 1 + 28n never
// is.
const (
	journalEntry   = 12 + 8 + 8
	journalEntryV8 = 12 + 8
	journalFormat  = 2
)

func journalKey(slot uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{kJournal}, slot)
}

// appendJournal appends a journal entry of n's user to b, which it starts
// with journalFormat when empty.
func appendJournal(b []byte, n *userNote) []byte {
	if len(b) == 0 {
		b = append(b, journalFormat)
	}
	b = appendTime(appendID(b, n.id), n.lastSeen)
	return binary.BigEndian.AppendUint64(b, uint64(n.messages))
}

// applyJournals sets the lastSeen of each user in the journal keys to the
// latest they hold, if later than its record's, and deletes the keys. The
// lastSeen index is left to repairLastSeen.
func (db *DB) applyJournals() error {
	seen := make(map[[12]byte]time.Time)
	sent := make(map[[12]byte]int)
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	err := db.bdb.View(func(txn *badger.Txn) error {
		err := eachItem(txn, []byte{kJournal}, func(item *badger.Item) error {
			err := item.Value(func(v []byte) error {
				size := journalEntryV8
				if len(v)%4 == 1 && v[0] == journalFormat {
					v, size = v[1:], journalEntry
				}
				for ; len(v) >= size; v = v[size:] {
					id := [12]byte(v)
					t := time.Unix(0, int64(binary.BigEndian.Uint64(v[12:])^(1<<63))).UTC()
					if t.After(seen[id]) {
						seen[id] = t
					}
					if size == journalEntry {
						sent[id] = max(sent[id], int(binary.BigEndian.Uint64(v[20:])))
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			return wb.Delete(item.KeyCopy(nil))
		})
		if err != nil {
			return err
		}
		for raw, t := range seen {
			id := hexID(raw[:])
			u, err := loadUser(txn, id)
			if errors.Is(err, store.ErrNotFound) || errors.Is(err, errCorrupt) {
				continue // deleted since, or left to repairLastSeen
			}
			if err != nil {
				return err
			}
			if t.After(u.LastSeen) || sent[raw] > u.Messages {
				u.LastSeen = later(u.LastSeen, t)
				u.Messages = max(u.Messages, sent[raw])
				if err := wb.Set(key1(kUser, id), encodeUser(nil, u)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err == nil {
		err = wb.Flush()
	}
	if err != nil {
		return fmt.Errorf("apply the lastSeen journal: %w", err)
	}
	return nil
}

// repairLastSeen rebuilds the lastSeen index from the user records: each
// user at its lastSeen with a copy of its record, and nothing else. It
// reads the index, then the records, each in key order (a point read per
// user would take several times as long), holding a small summary of each
// entry in memory. It leaves out a record it cannot decode (reading that
// user fails anyway).
func (db *DB) repairLastSeen() error {
	type entry struct {
		key  []byte
		copy uint64 // hash of the record it holds
	}
	seed := maphash.MakeSeed()
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	damaged := 0
	err := db.bdb.View(func(txn *badger.Txn) error {
		index := make(map[[12]byte]entry)
		err := eachItem(txn, []byte{kLastSeen}, func(item *badger.Item) error {
			k := item.KeyCopy(nil)
			if len(k) != 1+8+12 {
				return wb.Delete(k)
			}
			var h uint64
			if err := item.Value(func(v []byte) error { h = maphash.Bytes(seed, v); return nil }); err != nil {
				return err
			}
			id := [12]byte(k[9:])
			if e, ok := index[id]; ok { // a user twice: keep one
				if err := wb.Delete(e.key); err != nil {
					return err
				}
			}
			index[id] = entry{k, h}
			return nil
		})
		if err != nil {
			return err
		}
		err = eachItem(txn, []byte{kUser}, func(item *badger.Item) error {
			if len(item.Key()) != 1+12 {
				return nil
			}
			raw := [12]byte(item.Key()[1:])
			id := hexID(raw[:])
			rec, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			var u store.User
			if decodeUser(rec, id, &u) != nil {
				damaged++
				return nil
			}
			k := lastSeenKey(u.LastSeen, id)
			e, ok := index[raw]
			delete(index, raw)
			switch {
			case ok && bytes.Equal(e.key, k) && e.copy == maphash.Bytes(seed, rec):
				return nil
			case ok && !bytes.Equal(e.key, k):
				if err := wb.Delete(e.key); err != nil {
					return err
				}
			}
			return wb.Set(k, rec)
		})
		if err != nil {
			return err
		}
		for _, e := range index { // entries of no user
			if err := wb.Delete(e.key); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = wb.Flush()
	}
	if err != nil {
		return fmt.Errorf("repair the lastSeen index: %w", err)
	}
	if damaged > 0 && db.cfg.logger != nil {
		db.cfg.logger.Warn("badgerstore: repair the lastSeen index: damaged user records left out", "users", damaged)
	}
	return nil
}

// eachItem calls fn with each item under prefix, in key order.
func eachItem(txn *badger.Txn, prefix []byte, fn func(item *badger.Item) error) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 100})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		if err := fn(it.Item()); err != nil {
			return err
		}
	}
	return nil
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

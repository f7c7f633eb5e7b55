package badgerstore

import (
	"bytes"
	"context"
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

// The lastSeen index is written behind the user records.
//
// A turn tied to a user commits the user's record, lastSeen included, with
// the session, messages and counters. Moving the user in the lastSeen index
// as well would take two more keys (a delete and a set), and in Badger a
// commit's cost is its keys: a user's turn would write five instead of
// three. So a turn notes the move in memory (lastSeenIndex.note), and a
// flush in the background writes the moves noted since the last one, once
// per user however many turns the user had meanwhile. Nothing acknowledged
// lives only in memory: the records are exact, and the index can be rebuilt
// from them.
//
//   - A page sorted by lastSeen flushes first and opens its read transaction
//     before the next flush begins, so it sees every turn acknowledged
//     before it (viewLastSeen).
//   - A call that writes a user outside a turn (UpdateUser, SetBanned,
//     segment membership, DeleteUser) holds the user's lock and flushes the
//     user's pending move first (settle), so that the index holds the user
//     where the record it reads says, as putUser expects.
//   - A process that stops without Close leaves moves unwritten. Open sets
//     the key openKey and Close deletes it after the last flush; Open
//     finding it rebuilds the index from the records (repairLastSeen).
//     Restore sets it too: a backup's index may be behind.
//
// Moves are idempotent (delete where the user was, set where it is), so a
// flush that failed is merged back and written again with the next one.

// openKey is set while a process has the store open (see above).
var openKey = []byte("\x00open")

// Flushes run every lastSeenFlushEvery, and sooner when maxPendingMoves
// users have moves pending (a fourth of it in the SmallDevice profile): a
// few hundred bytes each, and a page sorted by lastSeen may wait for their
// flush (about 8 ms for 1,024 moves: BenchmarkListUsersBehind). A minute
// spans the turns of a conversation, seconds apart, so a user chatting
// moves once; a store with more users chatting at once than the bound
// moves each user about once a turn, as if written at the turn, but in
// large batches off the turns' commits (BenchmarkTurnManyUsers).
const (
	lastSeenFlushEvery = time.Minute
	maxPendingMoves    = 4096
)

// A lastSeenIndex holds the moves in the lastSeen index that turns have
// committed and no flush has written yet.
type lastSeenIndex struct {
	// flushMu is held by a flush, and by whoever needs none to run (see
	// settle and readLastSeen).
	flushMu sync.Mutex

	mu      sync.Mutex
	pending map[string]move // by user id
	max     int
	full    chan struct{} // wakes the flush loop when pending reaches max

	// lost is set when the index may disagree with a user's record and
	// reconcile could not tell: Close then leaves openKey for the next Open
	// to repair it.
	lost atomic.Bool
}

// A move is a user's pending change in the index: the user's entry is at
// from (and, after a failed flush, possibly at also), and goes to lastSeen
// with the record rec.
type move struct {
	from     time.Time
	also     []time.Time
	lastSeen time.Time
	rec      []byte
}

func (x *lastSeenIndex) init(small bool) {
	x.max = maxPendingMoves
	if small {
		x.max /= 4
	}
	x.pending = make(map[string]move)
	x.full = make(chan struct{}, 1)
}

// note records that a turn, holding user id's lock, committed its record
// rec with lastSeen; indexed is the user's lastSeen before the turn.
func (x *lastSeenIndex) note(id string, indexed, lastSeen time.Time, rec []byte) {
	x.mu.Lock()
	m, ok := x.pending[id]
	if !ok {
		m.from = indexed
	}
	m.lastSeen, m.rec = lastSeen, rec
	x.pending[id] = m
	n := len(x.pending)
	x.mu.Unlock()
	if n >= x.max {
		select {
		case x.full <- struct{}{}:
		default:
		}
	}
}

// take removes and returns the pending moves: all of them, or those of ids.
func (x *lastSeenIndex) take(ids []string) map[string]move {
	x.mu.Lock()
	defer x.mu.Unlock()
	if ids == nil {
		moves := x.pending
		x.pending = make(map[string]move, len(moves))
		return moves
	}
	var moves map[string]move
	for _, id := range ids {
		if m, ok := x.pending[id]; ok {
			if moves == nil {
				moves = make(map[string]move)
			}
			moves[id] = m
			delete(x.pending, id)
		}
	}
	return moves
}

// putBack returns the moves of a failed flush. A user may have moved again
// since they were taken: from its latest move's from (where the failed move
// was going) it may also still be where the failed move came from.
func (x *lastSeenIndex) putBack(moves map[string]move) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for id, m := range moves {
		if later, ok := x.pending[id]; ok {
			later.also = append(append(later.also, m.from), m.also...)
			m = later
		}
		m.also = slices.DeleteFunc(m.also, func(t time.Time) bool { return t.Equal(m.from) || t.Equal(m.lastSeen) })
		slices.SortFunc(m.also, time.Time.Compare)
		m.also = slices.CompactFunc(m.also, time.Time.Equal)
		x.pending[id] = m
	}
}

// flushLastSeen writes the pending moves of users ids (nil: all). The
// caller holds lastSeen.flushMu.
func (db *DB) flushLastSeen(ids []string) error {
	moves := db.lastSeen.take(ids)
	if len(moves) == 0 {
		return nil
	}
	err := db.writeMoves(moves)
	if err != nil {
		db.lastSeen.putBack(moves)
	}
	return err
}

// writeMoves writes moves into the lastSeen index, in as many transactions
// as they need.
func (db *DB) writeMoves(moves map[string]move) error {
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	for id, m := range moves {
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
	return wb.Flush()
}

// reconcile puts user id, whose lock the caller holds, where its record
// says in the lastSeen index, after a turn's commit failed in a way that
// may have written the record or not: the user may be at indexed (where it
// was before the turn), at tried (where the turn would have put it), or
// where a pending move says. If the record is gone, so is the user's entry.
// Should this fail too, the next Open repairs the index.
func (db *DB) reconcile(id string, indexed, tried time.Time) {
	db.lastSeen.flushMu.Lock()
	defer db.lastSeen.flushMu.Unlock()
	m := db.lastSeen.take([]string{id})[id]
	err := db.bdb.Update(func(txn *badger.Txn) error {
		var u store.User
		var rec []byte
		err := get(txn, key1(kUser, id), func(v []byte) error {
			rec = bytes.Clone(v)
			return decodeUser(rec, id, &u)
		})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
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
		db.lastSeen.lost.Store(true)
	}
}

// settle writes the pending moves of users ids, whose locks the caller
// holds, so that each is in the index where its record says.
func (db *DB) settle(ids ...string) error {
	db.lastSeen.flushMu.Lock()
	defer db.lastSeen.flushMu.Unlock()
	// Holding the users' locks, no turn can note a move of theirs; holding
	// flushMu, no flush that took one is still writing it.
	return db.flushLastSeen(ids)
}

// viewLastSeen is view for a call that reads the lastSeen index: its
// transaction sees the index in step with every turn committed before it.
func (db *DB) viewLastSeen(ctx context.Context, fn func(txn *badger.Txn) error) error {
	return db.viewFrom(ctx, db.readLastSeen, fn)
}

// readLastSeen flushes the pending moves and opens a read transaction
// before the next flush can begin, which could have written part of its
// moves when the transaction began.
func (db *DB) readLastSeen() (*badger.Txn, error) {
	db.lastSeen.flushMu.Lock()
	defer db.lastSeen.flushMu.Unlock()
	if err := db.flushLastSeen(nil); err != nil {
		return nil, err
	}
	return db.bdb.NewTransaction(false), nil
}

// flushLoop flushes the pending moves every lastSeenFlushEvery, or when
// enough are pending, until Close.
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
		err := db.flushLastSeen(nil)
		db.lastSeen.flushMu.Unlock()
		if err != nil && db.cfg.logger != nil {
			db.cfg.logger.Warn("badgerstore: flush the lastSeen index", "err", err)
		}
	}
}

// openLastSeen repairs the lastSeen index if the last process to open the
// store did not close it, then marks the store open.
func (db *DB) openLastSeen() error {
	err := db.bdb.View(func(txn *badger.Txn) error {
		_, err := txn.Get(openKey)
		return err
	})
	switch {
	case err == nil:
		if err := db.repairLastSeen(); err != nil {
			return err
		}
	case !errors.Is(err, badger.ErrKeyNotFound):
		return err
	}
	return db.bdb.Update(func(txn *badger.Txn) error { return txn.Set(openKey, nil) })
}

// closeLastSeen writes the last pending moves and, if the index is then in
// step with the records, marks the store closed.
func (db *DB) closeLastSeen() error {
	db.lastSeen.flushMu.Lock()
	defer db.lastSeen.flushMu.Unlock()
	if err := db.flushLastSeen(nil); err != nil {
		return err
	}
	if db.lastSeen.lost.Load() {
		return nil
	}
	return db.bdb.Update(func(txn *badger.Txn) error { return txn.Delete(openKey) })
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

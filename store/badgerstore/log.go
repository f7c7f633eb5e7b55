package badgerstore

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// The event log (see [store.EventLog]).
//
// Each change that the log records writes one key per run of entries, in
// the change's transaction: E and the run's last position (8 bytes big
// endian), valued with the run's kind, length, first message number,
// thread and, for a deletion, the thread's alias. A turn that appends two
// messages writes one key.
//
// Positions are numbers taken in commit order: a writer takes db.log.mu,
// numbers its entries from db.log.next, commits, and only then moves
// db.log.next on and lets go. The group commit (group.go) does so for
// every turn of the group at once; the other writers of threads
// (CreateThread, UpdateThread, DeleteThread, AppendMessages) do so
// alone. So no two transactions with entries are ever in flight at once,
// and the entries of one commit all come after those of every commit
// before it. A reader never sees position N+1 while N is still pending:
// N's commit returned before N+1 was taken, and Badger gives every read
// transaction that begins after a commit returned (a read timestamp at
// or past its commit timestamp) that commit, as it waits for every commit
// up to its read timestamp. A commit that fails leaves its positions
// unused: they are never taken again, so a gap is never filled later.
// (A Badger sequence would hand out numbers ahead of the commits, in the
// order they were asked for, not the order they commit in.)
//
// The log keeps the last WithLogRetention entries: once it holds 1/8 more
// (at least 64), the writer that crossed the mark deletes the oldest
// runs and records the last position it deleted in logTrimKey, so that a
// reader resuming from before it is told it lost entries.

// logIDKey holds the log's id, logTrimKey the last position retention
// dropped (8 bytes; absent when none).
var (
	logIDKey   = []byte("\x00logid")
	logTrimKey = []byte("\x00logtrim")
)

// eventLog is the state of the log's writers.
type eventLog struct {
	id      string
	mu      sync.Mutex // held by a writer from numbering to commit
	next    uint64     // the next position
	trimmed uint64     // the last position dropped
	keep    uint64     // retention
}

func logKey(pos uint64) []byte {
	k := make([]byte, 9)
	k[0] = kEventLog
	binary.BigEndian.PutUint64(k[1:], pos)
	return k
}

// openLog reads (or chooses) the log's id and finds its end.
func (db *DB) openLog() error {
	db.log.keep = uint64(db.cfg.logRetention)
	if db.log.keep == 0 {
		db.log.keep = store.DefaultLogRetention
	}
	return db.bdb.Update(func(txn *badger.Txn) error {
		item, err := txn.Get(logIDKey)
		switch {
		case errors.Is(err, badger.ErrKeyNotFound):
			var b [8]byte
			rand.Read(b[:])
			db.log.id = hex.EncodeToString(b[:])
			if err := txn.Set(logIDKey, []byte(db.log.id)); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			db.log.id = string(v)
		}
		if db.log.trimmed, err = readUint64(txn, logTrimKey); err != nil {
			return err
		}
		last, err := lastLogPos(txn)
		db.log.next = max(last, db.log.trimmed) + 1
		return err
	})
}

func readUint64(txn kv, key []byte) (uint64, error) {
	var n uint64
	err := get(txn, key, func(v []byte) error {
		if len(v) != 8 {
			return errors.New("badgerstore: bad log record")
		}
		n = binary.BigEndian.Uint64(v)
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		err = nil
	}
	return n, err
}

// lastLogPos returns the position of the last entry in the log, 0 if none.
func lastLogPos(txn kv) (uint64, error) {
	it := txn.NewIterator(badger.IteratorOptions{Reverse: true, Prefix: []byte{kEventLog}})
	defer it.Close()
	it.Seek([]byte{kEventLog, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	if !it.Valid() {
		return 0, nil
	}
	return binary.BigEndian.Uint64(it.Item().Key()[1:]), nil
}

// writeLog writes entries at positions from *pos on, and moves *pos past
// them. The caller holds db.log.mu.
func writeLog(txn kv, pos *uint64, entries []store.LogEntry) error {
	for len(entries) > 0 {
		e := entries[0]
		n := 1
		if e.Kind == store.LogMessage {
			for n < len(entries) && n < 1<<16 && entries[n].Kind == store.LogMessage &&
				entries[n].ThreadID == e.ThreadID && entries[n].Seq == e.Seq+n {
				n++
			}
		}
		*pos += uint64(n)
		// Key and value in one allocation; Badger keeps both until commit.
		b := make([]byte, 9, 9+1+2*binary.MaxVarintLen64+12+len(e.Alias))
		b[0] = kEventLog
		binary.BigEndian.PutUint64(b[1:9], *pos-1)
		b = append(b, byte(e.Kind))
		b = binary.AppendUvarint(b, uint64(n))
		b = binary.AppendUvarint(b, uint64(e.Seq))
		var id [12]byte
		hex.Decode(id[:], []byte(e.ThreadID))
		b = append(b, id[:]...)
		b = append(b, e.Alias...)
		if err := txn.Set(b[:9:9], b[9:]); err != nil {
			return err
		}
		entries = entries[n:]
	}
	return nil
}

// updateLogged is logged for a call that has not entered the DB.
func (db *DB) updateLogged(ctx context.Context, fn func(txn *badger.Txn, add func(...store.LogEntry) error) error) error {
	if err := db.enter(); err != nil {
		return err
	}
	defer db.exit()
	return db.logged(ctx, fn)
}

// logged runs fn in a transaction, retried on conflicts, with the log's
// writer lock held: fn writes its entries with add.
func (db *DB) logged(ctx context.Context, fn func(txn *badger.Txn, add func(...store.LogEntry) error) error) error {
	db.log.mu.Lock()
	defer db.log.mu.Unlock()
	pos := db.log.next
	err := db.retry(ctx, func(txn *badger.Txn) error {
		pos = db.log.next
		return fn(txn, func(es ...store.LogEntry) error { return writeLog(txn, &pos, es) })
	})
	db.log.next = pos // a failed commit's positions are not taken again
	if err == nil {
		db.trimLog()
	}
	return err
}

// maxTrim bounds the keys one trim deletes; the next commits go on
// where it stopped.
const maxTrim = 4096

// trimLog drops the oldest entries once the log holds 1/8 more than it
// keeps. It records the last position it drops first, then deletes the
// keys in a write batch, which splits them into transactions as Badger
// needs (a small device's transactions are small): a crash between the
// two leaves keys that the next trim deletes, and that no reader reads,
// since readers from before that position are told they lost entries.
// The caller holds db.log.mu.
func (db *DB) trimLog() {
	l := &db.log
	last := l.next - 1
	if last <= l.keep || last-l.keep-l.trimmed < max(l.keep/8, 64) {
		return
	}
	cut := last - l.keep
	trimmed := cut
	var keys [][]byte
	err := db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kEventLog}})
		defer it.Close()
		// From the last trim on: the keys before it are deleted, and
		// skipping their tombstones would cost every trim more.
		for it.Seek(logKey(l.trimmed + 1)); it.Valid(); it.Next() {
			pos := binary.BigEndian.Uint64(it.Item().Key()[1:])
			if pos > cut {
				break
			}
			if len(keys) == maxTrim {
				trimmed = binary.BigEndian.Uint64(keys[len(keys)-1][1:])
				break
			}
			keys = append(keys, it.Item().KeyCopy(nil))
		}
		return nil
	})
	if err == nil {
		err = db.bdb.Update(func(txn *badger.Txn) error {
			return txn.Set(logTrimKey, binary.BigEndian.AppendUint64(nil, trimmed))
		})
	}
	if err == nil {
		wb := db.bdb.NewWriteBatch()
		for _, k := range keys {
			if err = wb.Delete(k); err != nil {
				break
			}
		}
		if err == nil {
			err = wb.Flush()
		} else {
			wb.Cancel()
		}
	}
	if err != nil {
		if db.cfg.logger != nil {
			db.cfg.logger.Warn("badgerstore: trim the event log", "err", err)
		}
		return
	}
	l.trimmed = trimmed
}

// ReadLog implements [store.EventLog].
func (db *DB) ReadLog(ctx context.Context, after store.LogPos, limit int) (store.LogPage, error) {
	if err := store.CheckLogLimit(limit); err != nil {
		return store.LogPage{}, err
	}
	if err := ctx.Err(); err != nil {
		return store.LogPage{}, err
	}
	if err := db.enter(); err != nil {
		return store.LogPage{}, err
	}
	defer db.exit()
	page := store.LogPage{Log: db.log.id}
	err := db.bdb.View(func(txn *badger.Txn) error {
		trimmed, err := readUint64(txn, logTrimKey)
		if err != nil {
			return err
		}
		end, err := lastLogPos(txn)
		if err != nil {
			return err
		}
		end = max(end, trimmed)
		if limit == 0 {
			page.Last = store.LogPos{N: end}
			return nil
		}
		if after.Tx != 0 || after.N < trimmed || after.N > end {
			page.Lost = true
			return nil
		}
		page.Last = after
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kEventLog}})
		defer it.Close()
		for it.Seek(logKey(after.N + 1)); it.Valid(); it.Next() {
			last := binary.BigEndian.Uint64(it.Item().Key()[1:])
			err := it.Item().Value(func(v []byte) error {
				e, n, err := decodeLogRun(v)
				if err != nil {
					return err
				}
				first, seq := last-n+1, e.Seq
				for i := range n {
					if first+i <= after.N {
						continue
					}
					e.Pos = store.LogPos{N: first + i}
					if e.Kind == store.LogMessage {
						e.Seq = seq + int(i)
					}
					page.Entries = append(page.Entries, e)
					if len(page.Entries) == limit {
						return errPageFull
					}
				}
				return nil
			})
			if errors.Is(err, errPageFull) {
				page.Last = page.Entries[len(page.Entries)-1].Pos
				return nil
			}
			if err != nil {
				return err
			}
		}
		page.Last = store.LogPos{N: end}
		return nil
	})
	if err != nil {
		return store.LogPage{}, db.wrap("read the event log", err)
	}
	return page, nil
}

var errPageFull = errors.New("page full")

// decodeLogRun decodes a run's first entry and its length.
func decodeLogRun(v []byte) (store.LogEntry, uint64, error) {
	bad := fmt.Errorf("badgerstore: bad event log record")
	if len(v) < 1 {
		return store.LogEntry{}, 0, bad
	}
	e := store.LogEntry{Kind: store.LogKind(v[0])}
	v = v[1:]
	n, k := binary.Uvarint(v)
	if k <= 0 || n == 0 {
		return e, 0, bad
	}
	v = v[k:]
	seq, k := binary.Uvarint(v)
	if k <= 0 || len(v[k:]) < 12 {
		return e, 0, bad
	}
	v = v[k:]
	e.Seq, e.ThreadID, e.Alias = int(seq), hexID(v[:12]), string(v[12:])
	return e, n, nil
}

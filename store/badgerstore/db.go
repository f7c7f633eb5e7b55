package badgerstore

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// Errors of Open.
var (
	// ErrForeign is returned by Open for a directory that holds something
	// other than a Parley store.
	ErrForeign = errors.New("badgerstore: directory is not a parley store")
	// ErrNewer is returned by Open for a store written by a newer version
	// of Parley, whose schema this version does not know.
	ErrNewer = errors.New("badgerstore: store has a newer schema")
)

// schemaName prefixes the value of the schema key; schemaVersion is the
// version this code writes and reads.
const (
	schemaName    = "parley-badgerstore "
	schemaVersion = 16
)

// stripes is the number of session locks and of counter shards.
const stripes = 256

// maxAttempts bounds the retries of a transaction that keeps conflicting.
const maxAttempts = 200

// A DB is a Parley store in a Badger database. It implements [store.Store].
// A DB is safe for concurrent use. Whoever opens it closes it.
type DB struct {
	bdb *badger.DB
	now func() time.Time
	loc *time.Location
	cfg config

	// ids hands out record ids; counterPfx and counterSeq make counter
	// keys unique across processes sharing the directory over time.
	ids        *store.IDs
	counterPfx [8]byte
	counterSeq atomic.Uint64

	// upsertFit is how many upserts a transaction of UpsertUsers takes,
	// from the size of the last one (see DB.fit); 0 until one committed.
	upsertFit atomic.Int64

	// deltas counts the changes of tag and segment counts written since
	// the background loop last looked for some to fold (see counts.go).
	deltas atomic.Int64

	// mergeMu guards the merge cursor (see counters.go).
	mergeMu    sync.Mutex
	mergeFrom  []byte
	mergeRound int

	// locks serializes turns on one session (a striped lock by session id),
	// so that concurrent turns wait instead of conflicting and retrying.
	locks [stripes]sync.Mutex
	seed  maphash.Seed
	// shards caches the counters each stripe's turns wrote today (see
	// counters.go), hotSessions its recent sessions (see hot.go); both are
	// guarded by the stripe's lock.
	shards      [stripes]counterShard
	hotSessions [stripes]hotCache[hotSession]
	// groupShard is the day's counters of groups of sharedCounters turns
	// or more, as last committed, and groupNext what the commit under way
	// writes (see counters.go); only the group's leader uses them.
	groupShard, groupNext counterShard
	// userLocks serializes the writes of one user (a striped lock by user
	// id); hotUsers[i], the recent users of stripe i, is guarded by
	// userLocks[i].
	userLocks [stripes]sync.Mutex
	hotUsers  [stripes]hotCache[userRecord]
	// userIDs[i] holds the ids of recent users by userId, i being the
	// userId's stripe, for UserByUserID (see hotUserByUserID); it is
	// guarded by userIDMu[i].
	userIDMu [stripes]sync.Mutex
	userIDs  [stripes]hotCache[userRef]

	group    grouper       // turns waiting to commit (see group.go)
	log      eventLog      // the event log's writers (see log.go)
	lastSeen lastSeenIndex // lastSeen written behind (see lastseen.go)

	// mu guards closed and calls: Close waits until calls in flight are done.
	mu       sync.Mutex
	idle     *sync.Cond
	calls    int
	closed   bool
	closing  chan struct{}
	full     atomic.Bool // less free space than the reserve: writes are refused
	disk     disk
	loops    sync.WaitGroup // the merge and flush loops
	finished bool           // the first Close has returned
	err      error          // of the first Close
}

var _ store.Store = (*DB)(nil)

// Open opens the store in dir, creating it if needed. It returns ErrForeign
// if dir holds something else, ErrNewer if a newer Parley wrote it, and an
// error naming Badger's complaint if the files are damaged.
func Open(dir string, opts ...Option) (*DB, error) {
	cfg := config{now: time.Now, loc: time.UTC}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if !cfg.inMemory {
		if dir == "" {
			return nil, errors.New("badgerstore: open: empty directory name")
		}
		if err := checkDir(dir); err != nil {
			return nil, err
		}
		if err := checkSpace(dir, cfg.diskReserve()); err != nil {
			return nil, fmt.Errorf("badgerstore: open %s: %w", dir, err)
		}
	}
	bdb, err := badger.Open(cfg.badgerOptions(dir))
	if err != nil {
		return nil, fmt.Errorf("badgerstore: open %s: %w", dir, err)
	}
	db := &DB{
		bdb:     bdb,
		now:     cfg.now,
		loc:     cfg.loc,
		cfg:     cfg,
		seed:    maphash.MakeSeed(),
		closing: make(chan struct{}),
	}
	db.idle = sync.NewCond(&db.mu)
	hot := cfg.hotBytes()
	newHotCaches(db.hotSessions[:], hot)
	newHotCaches(db.hotUsers[:], hot)
	newHotCaches(db.userIDs[:], hot/4)
	db.lastSeen.init(cfg.small || cfg.budget > 0 && cfg.budget < 256<<20)
	db.ids = store.NewIDs()
	rand.Read(db.counterPfx[:])
	if err := db.checkSchema(); err != nil {
		bdb.Close()
		return nil, fmt.Errorf("badgerstore: open %s: %w", dir, err)
	}
	if err := db.openLog(); err != nil {
		bdb.Close()
		return nil, fmt.Errorf("badgerstore: open %s: event log: %w", dir, err)
	}
	if !cfg.inMemory {
		if err := db.openLastSeen(); err != nil {
			bdb.Close()
			return nil, fmt.Errorf("badgerstore: open %s: %w", dir, err)
		}
	}
	if err := db.purgeAll(); err != nil {
		bdb.Close()
		return nil, fmt.Errorf("badgerstore: open %s: finish deletions: %w", dir, err)
	}
	if err := db.backfillActivity(); err != nil {
		bdb.Close()
		return nil, fmt.Errorf("badgerstore: open %s: days of activity: %w", dir, err)
	}
	if err := db.foldCounts(true); err != nil {
		bdb.Close()
		return nil, fmt.Errorf("badgerstore: open %s: %w", dir, err)
	}
	db.loops.Add(2)
	go db.mergeLoop()
	go db.flushLoop()
	if r := cfg.diskReserve(); r > 0 {
		db.disk.dir, db.disk.reserve = dir, r
		db.checkDisk()
		db.loops.Add(1)
		go db.diskLoop(dir, r)
	}
	return db, nil
}

// checkDir refuses a directory that has files but no Badger MANIFEST.
func checkDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("badgerstore: open %s: %w", dir, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST")); err != nil {
		return fmt.Errorf("badgerstore: open %s: %w", dir, ErrForeign)
	}
	return nil
}

// checkSchema writes the schema key into an empty database and checks it
// in any other.
func (db *DB) checkSchema() error {
	return db.bdb.Update(func(txn *badger.Txn) error {
		item, err := txn.Get(schemaKey)
		if errors.Is(err, badger.ErrKeyNotFound) {
			it := txn.NewIterator(badger.IteratorOptions{})
			it.Rewind()
			empty := !it.Valid()
			it.Close()
			if !empty {
				return ErrForeign
			}
			return txn.Set(schemaKey, []byte(schemaName+strconv.Itoa(schemaVersion)))
		}
		if err != nil {
			return err
		}
		v, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		rest, ok := strings.CutPrefix(string(v), schemaName)
		n, err := strconv.Atoi(rest)
		if !ok || err != nil || n < 1 {
			return ErrForeign
		}
		if n > schemaVersion {
			return fmt.Errorf("%w: version %d, this program knows %d", ErrNewer, n, schemaVersion)
		}
		if n < schemaVersion {
			// Version 2 stores the messages of one append in one record
			// (format 2) and reads version 1's single-message records as
			// they are; version 3 counts a thread's messages from its
			// last message record, where earlier versions kept the
			// thread record up to date; version 4 keeps a copy of a
			// session's current thread in the session record, which
			// earlier versions would leave stale; version 5 writes the
			// lastSeen index behind the user records and repairs it at
			// Open after a crash (lastseen.go), which earlier versions
			// would not; version 6 writes lastSeen behind the user records
			// too, with journal keys for Open to apply after a crash;
			// version 7 adds the Threads API's fields to thread records,
			// agents to message records (format 3), reactions to counters,
			// thread aliases and thread purges; version 8 adds tags and a
			// feedback count to user records, a saved filter to segment
			// records, feedback records and more counters, all read as
			// absent from older records; version 9 adds the number of
			// messages a user sent to user records (format 3) and to
			// the journal keys; version 10 adds automated messages and
			// their deliveries, and a counter of them. Nothing
			// to rewrite, only the version, so that an older program now
			// refuses the directory: it would number new messages from a
			// stale thread record, leave a stale copy, keep a stale index,
			// ignore the journal, drop tags and saved filters, or keep a
			// deleted user's deliveries. Version 11 adds verified emails
			// and personas (see doc.go); version 12 adds goals to
			// counters; version 13 keeps the days users had a turn
			// (activity.go), which Open fills in from each user's lastSeen
			// (backfillKey marks the work to do until it is done); version 14
			// adds visits, companies and meetings, which an older program would
			// keep after deleting their user; version 15 adds how a user's
			// message was sent (a button's goto, a trigger) to message
			// records (format 4), which an older program cannot read;
			// version 16 keeps the counts of tags and segments as a base
			// and changes after it (counts.go), which an older program
			// would read as tags with odd names, or not at all. Their
			// bases are version 15's counts as they are.
			if n < 13 {
				if err := txn.Set(backfillKey, nil); err != nil {
					return err
				}
			}
			return txn.Set(schemaKey, []byte(schemaName+strconv.Itoa(schemaVersion)))
		}
		return nil
	})
}

// Close waits for the calls in flight, then closes the database. It is
// idempotent: later calls return the first call's result. Every other method
// returns store.ErrClosed after Close has begun.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closed {
		for !db.finished {
			db.idle.Wait()
		}
		err := db.err
		db.mu.Unlock()
		return err
	}
	db.closed = true
	close(db.closing)
	for db.calls > 0 {
		db.idle.Wait()
	}
	db.mu.Unlock()
	db.loops.Wait()
	var err error
	if !db.cfg.inMemory {
		err = db.closeLastSeen()
	}
	if cerr := db.bdb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		err = fmt.Errorf("badgerstore: close: %w", err)
	}
	db.mu.Lock()
	db.err = err
	db.finished = true
	db.idle.Broadcast()
	db.mu.Unlock()
	return err
}

// enter registers a call in flight, or returns store.ErrClosed. Every
// exported method that touches Badger calls enter and then exit.
func (db *DB) enter() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.closed {
		return store.ErrClosed
	}
	db.calls++
	return nil
}

func (db *DB) exit() {
	db.mu.Lock()
	db.calls--
	if db.calls == 0 && db.closed {
		db.idle.Broadcast()
	}
	db.mu.Unlock()
}

// newID returns a fresh id (see store.IDs).
func (db *DB) newID() string { return db.ids.Next(db.now()) }

// view runs fn in a read-only transaction.
func (db *DB) view(ctx context.Context, fn func(txn *badger.Txn) error) error {
	return db.viewFrom(ctx, func() (*badger.Txn, error) { return db.bdb.NewTransaction(false), nil }, fn)
}

// viewFrom runs fn in the read-only transaction that begin opens.
func (db *DB) viewFrom(ctx context.Context, begin func() (*badger.Txn, error), fn func(txn *badger.Txn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := db.enter(); err != nil {
		return err
	}
	defer db.exit()
	txn, err := begin()
	if err != nil {
		return err
	}
	defer txn.Discard()
	return fn(txn)
}

// update runs fn in a read-write transaction and commits it, retrying on
// conflicts. fn must be free of side effects outside the transaction.
func (db *DB) update(ctx context.Context, fn func(txn *badger.Txn) error) error {
	if err := db.enter(); err != nil {
		return err
	}
	defer db.exit()
	return db.retry(ctx, fn)
}

func (db *DB) retry(ctx context.Context, fn func(txn *badger.Txn) error) error {
	if db.isFull() {
		return errFull
	}
	for range maxAttempts {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := db.bdb.Update(fn)
		if !errors.Is(err, badger.ErrConflict) {
			return err
		}
	}
	return store.ErrBusy
}

// A kv is where a call reads and writes records: a Badger transaction, or
// a turn's batch (see group.go).
type kv interface {
	Get(key []byte) (*badger.Item, error)
	NewIterator(badger.IteratorOptions) *badger.Iterator
	Set(key, val []byte) error
	SetEntry(e *badger.Entry) error
	Delete(key []byte) error
}

// get reads the value of key into fn, translating a missing key into
// store.ErrNotFound. The value is only valid inside fn.
func get(txn kv, key []byte, fn func(v []byte) error) error {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return store.ErrNotFound
	}
	if err != nil {
		return err
	}
	return item.Value(fn)
}

// exists reports whether key is present.
func exists(txn kv, key []byte) (bool, error) {
	_, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	return err == nil, err
}

func hashString(seed maphash.Seed, s string) uint64 { return maphash.String(seed, s) }

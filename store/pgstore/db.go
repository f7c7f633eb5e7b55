package pgstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/parleybot/parley/store"
)

// defaultMaxConns is the size of a pool, unless the connection string
// sets pool_max_conns, on a machine of up to 8 CPUs.
const defaultMaxConns = 16

// maxAttempts bounds the attempts of a transaction that PostgreSQL keeps
// aborting for a deadlock or a serialization failure.
const maxAttempts = 50

// A DB is a Parley store in one schema of a PostgreSQL database, reached
// through a pool of connections. It implements [store.Store]. A DB is safe
// for concurrent use, and any number of DBs, in any number of processes,
// may share a schema. Whoever opens it closes it.
type DB struct {
	pool   *pgxpool.Pool
	now    func() time.Time
	loc    *time.Location
	schema string
	// lockSpace is mixed into the advisory lock keys of sessions, so that
	// bots in other schemas of the database never wait for each other.
	lockSpace int64

	ids *store.IDs // hands out record ids, apart from other processes

	outbox outboxLead // see DueDeliveries
	// logKeep is the event log's retention; logCount counts the entries
	// this process appended (see log.go).
	logKeep  int
	logCount logCount
	// origin tells this DB's notifications from other processes' (see
	// watch.go); closing is closed when Close begins.
	origin  string
	closing chan struct{}

	// mu guards closed and calls: Close waits until calls in flight are
	// done, then closes the pool.
	mu     sync.Mutex
	idle   *sync.Cond
	calls  int
	closed bool
	done   bool // the first Close has returned
}

var _ store.Store = (*DB)(nil)

// Open connects to the PostgreSQL database named by connString (a URL such
// as "postgres://user@host:5432/db" or a "host=... dbname=..." string, as
// pgx reads it), creates or migrates Parley's tables in the schema (see
// [WithSchema]; "parley" by default), and returns the store. It returns
// [ErrNewer] if a newer Parley migrated the schema, [ErrForeign] if the
// schema holds tables of something else, and an error naming the server's
// complaint if it cannot connect.
//
// The pool's size and timeouts come from connString (pool_max_conns and
// the other pgxpool parameters); by default it opens up to 16 connections
// as they are needed, or two per CPU when there are more than 8 CPUs.
func Open(ctx context.Context, connString string, opts ...Option) (*DB, error) {
	cfg := config{now: time.Now, loc: time.UTC, schema: DefaultSchema}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	pcfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("pgstore: open: %w", err)
	}
	// Every connection of the pool works in the store's schema, so that
	// the SQL names tables without it.
	pcfg.ConnConfig.RuntimeParams["search_path"] = quoteIdent(cfg.schema)
	if !strings.Contains(connString, "pool_max_conns") {
		// A turn's transaction spends most of its time waiting for its
		// commit to reach the disk: more connections than CPUs let
		// PostgreSQL flush many commits at once (BenchmarkTurn, 64
		// sessions on 2 cores: 4 connections 460 turns/s, 16 connections
		// 960, 32 720).
		pcfg.MaxConns = int32(max(defaultMaxConns, 2*runtime.NumCPU()))
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: open: %w", err)
	}
	db := &DB{pool: pool, now: cfg.now, loc: cfg.loc, schema: cfg.schema, closing: make(chan struct{})}
	db.idle = sync.NewCond(&db.mu)
	db.logKeep = cfg.logRetention
	if db.logKeep == 0 {
		db.logKeep = store.DefaultLogRetention
	}
	db.ids = store.NewIDs()
	var o [8]byte
	rand.Read(o[:])
	db.origin = hex.EncodeToString(o[:])
	db.lockSpace = int64(hash64("parley-session-lock " + cfg.schema))
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgstore: open schema %s: %w", cfg.schema, err)
	}
	return db, nil
}

// Schema returns the name of the schema that holds the store's tables.
func (db *DB) Schema() string { return db.schema }

// Close waits for the calls in flight, then closes the pool. It is
// idempotent. Every other method returns [store.ErrClosed] once Close has
// begun.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closed {
		for !db.done {
			db.idle.Wait()
		}
		db.mu.Unlock()
		return nil
	}
	db.closed = true
	close(db.closing)
	for db.calls > 0 {
		db.idle.Wait()
	}
	db.mu.Unlock()
	db.outbox.mu.Lock()
	db.outbox.drop()
	db.outbox.mu.Unlock()
	db.pool.Close()
	db.mu.Lock()
	db.done = true
	db.idle.Broadcast()
	db.mu.Unlock()
	return nil
}

// enter registers a call in flight after checking ctx, or returns
// store.ErrClosed. Every exported method that reaches the database calls
// enter and then exit.
func (db *DB) enter(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
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

// clock returns the store's time, to the microsecond PostgreSQL keeps.
func (db *DB) clock() time.Time { return db.now().UTC().Truncate(time.Microsecond) }

// newID returns a fresh id (see store.IDs).
func (db *DB) newID() string { return db.ids.Next(db.now()) }

// hash64 is FNV-1a, for advisory lock keys: stable across processes and
// versions, unlike hash/maphash.
func hash64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// quoteIdent quotes a PostgreSQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// tx runs fn in a transaction and commits it, running it again when
// PostgreSQL aborted it for a deadlock or a serialization failure. fn must
// be free of side effects outside the transaction.
func (db *DB) tx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if err := db.enter(ctx); err != nil {
		return err
	}
	defer db.exit()
	return db.retry(ctx, fn)
}

func (db *DB) retry(ctx context.Context, fn func(tx pgx.Tx) error) error {
	for range maxAttempts {
		err := pgx.BeginFunc(ctx, db.pool, fn)
		if !retryable(err) {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return store.ErrBusy
}

// retryable reports whether err is PostgreSQL aborting a transaction that
// may succeed when run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return true
	}
	return false
}

// Codes of PostgreSQL errors the store translates.
const (
	codeUnique     = "23505"
	codeForeignKey = "23503"
)

// pgCode returns the SQLSTATE of err and the constraint it names, if err
// is an error of the server.
func pgCode(err error) (code, constraint string) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code, pe.ConstraintName
	}
	return "", ""
}

// wrap names the operation in err, keeping sentinel and context errors
// testable with errors.Is.
func (db *DB) wrap(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	var fe *store.FieldError
	switch {
	case errors.As(err, &fe), errors.Is(err, store.ErrClosed):
		return err
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return fmt.Errorf("pgstore: %s: %w", op, err)
}

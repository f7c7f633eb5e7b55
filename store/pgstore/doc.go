// Package pgstore is Parley's store on PostgreSQL, for deployments that
// outgrow one machine: several `parley serve` processes (or programs
// embedding the engine) share one database and behave as one.
//
//	db, err := pgstore.Open(ctx, "postgres://parley@db.internal:5432/bots", pgstore.WithSchema("coffee"))
//	if err != nil {
//		return err
//	}
//	defer db.Close()
//	eng, err := engine.New(db, bot)
//
// [Open] returns a [*DB], which implements every interface of package
// store and passes store/storetest, the suite store/badgerstore passes.
// Whoever opens a DB closes it: [DB.Close] waits for the calls in flight,
// closes the pool of connections and is idempotent; any call after it
// returns [store.ErrClosed]. A DB is safe for concurrent use.
//
// # One bot, one schema
//
// A store keeps its tables in one PostgreSQL schema, "parley" unless
// [WithSchema] names another. Several bots share a database by opening one
// schema each: their users, sessions, threads and counters never mix, each
// may have a user with the same userId, and DROP SCHEMA deletes one bot
// whole. Every process serving a bot opens the bot's schema.
//
// # Migrations
//
// Open creates the schema and its tables, or migrates them, in one
// transaction holding an advisory lock, so that processes starting at once
// migrate a schema exactly once and a failed migration leaves it as it was.
// The table parley_schema records each version applied. Open refuses a
// schema of a newer version ([ErrNewer]): an older program must not write
// tables it does not know. It refuses a schema holding other tables
// ([ErrForeign]) rather than mixing Parley's in.
//
// # Transactions and locks
//
// Every call is one transaction, at PostgreSQL's default isolation (read
// committed), run again when PostgreSQL aborts it for a deadlock or a
// serialization failure (so [DB.Update]'s function may run more than once,
// as the store contract says).
//
// A chat turn ([DB.Update]) is one transaction in three round trips. It
// first takes the session's advisory lock (pg_advisory_xact_lock on a
// 64-bit hash of the schema and the session id), then reads the session
// and reads and locks the rows of its user and its current thread (SELECT
// ... FOR UPDATE), all in one batch; the engine's function runs; then one
// batch writes the user, the thread, the messages, the session and the
// day's counters, and the transaction commits, which releases the locks.
//
// An advisory lock rather than a row lock on the session, because the
// first turn of a session has no row to lock: two processes receiving the
// first two turns of one session at once would both find it missing, both
// start it, and one would fail on the primary key (or, with INSERT ... ON
// CONFLICT first, every turn would write the session twice). The advisory
// lock exists whether or not the row does, and PostgreSQL grants it in the
// order the turns asked, so the turns of one session run one after another
// in the order they reached the database, and each reads what the one
// before committed. Turns of different sessions take different locks and
// run in parallel. A hash collision between two session ids only makes
// their turns wait for each other.
//
// The user's row is locked because turns of several sessions of one user,
// and UpdateUser, SetBanned and the segment calls, change the user
// concurrently: each reads the row after the previous writer committed, so
// no change is lost. Rows are locked in the order a turn reads them, so two
// turns that tie their sessions to the same two users in opposite orders
// can deadlock: PostgreSQL aborts one after its deadlock_timeout (one
// second by default) and the store runs that turn again
// (TestTurnsSwapUsers). The thread's row is locked because an agent's
// [DB.AppendMessages] numbers messages of the same thread. Uniqueness of
// userId and of attributes.default_email (in lower case) is kept by unique
// indexes, whichever process writes: the loser gets [store.ErrConflict].
//
// Per-day counters are rows of (day, shard), 32 shards a day: a turn adds
// to its session's shard with INSERT ... ON CONFLICT DO UPDATE in its own
// transaction, so a counter is added exactly when the turn commits, never
// twice, and turns of different sessions rarely wait for one counter row.
// The goals a turn reaches go the same way to rows of (day, name, shard)
// in table goals. [DB.Stats] sums the shards.
//
// [DB.UpsertUsers], an import's batch, is one transaction: one query reads
// and locks the users its rows name by userId or email, store.PlanUpserts
// decides, and one round trip of multi-row statements (INSERT ... SELECT
// FROM unnest of arrays) writes the new users, the changed ones, their
// tags and memberships and the counters. A user another process creates
// meanwhile with a userId or email of the batch makes the insert fail on
// the unique index; the transaction then runs again and updates that user.
//
// # Live events across processes
//
// A transaction that appends messages to a thread (a turn, or
// AppendMessages) also sends a notification on the schema's channel
// ("parley SCHEMA", pg_notify), which PostgreSQL delivers when, and only
// if, it commits. [DB.WatchThreads] (store.ThreadWatcher) listens on a
// connection of its own, "parley listen SCHEMA" in pg_stat_activity, and
// reports the other processes' messages; the engine hands them to its
// live readers (SSE and WebSocket streams), so that a reader connected to
// one process sees what another appended. The engine's first live reader
// waits until the listener listens. A notification missed while the
// listener reconnects is made up from the stored messages: after each
// reconnection every thread's reader reads the messages past its last,
// and one that gets a message past the next it expects reads those
// between first (TestFollowAcrossProcesses in engine). Changes to threads
// without messages (created, changed, deleted) are notified too, with 0 as
// the first and last message.
//
// # The event log
//
// Every transaction that appends messages or creates, changes or deletes
// a thread inserts its entries of the event log ([store.EventLog]) into
// the table event_log, with its transaction id (xid8) and a number from an
// identity column. Numbers are taken at insert, not at commit, so the log
// is read in the order of (transaction id, number), and a read returns
// only the entries of transactions older than the oldest transaction
// still running on the server (pg_snapshot_xmin(pg_current_snapshot())):
// those have all ended, and every transaction still to commit has a
// larger id, so no entry ever appears behind a position a reader has
// passed. Positions are "XID.N". Entries of younger transactions wait
// ([store.LogPage.Pending]; the engine reads again within milliseconds):
// a transaction left open for long anywhere on the server (in any
// database) delays the readers of the log, without losing anything. The
// entries of one thread follow its commits as long as its writers take
// their locks before writing, as turns (the session's advisory lock
// first) and UpdateThread do. Every eighth of [WithLogRetention] entries
// (100,000 by default) a process appends, its transaction deletes the
// settled entries before the last retention ones and records the last
// one deleted in event_log_meta, with the log's id: a reader resuming
// from before it is told it lost entries ([store.LogPage.Lost]). Deleting
// a user, which deletes their threads, leaves no entries.
//
// # The webhook outbox
//
// Turns store their webhook deliveries in their own transaction (table
// outbox). Of the DBs sharing a schema, in any number of processes, one at
// a time drains it: [DB.DueDeliveries] returns deliveries only to the DB
// holding the schema's outbox lock, a session advisory lock
// (pg_try_advisory_lock) taken on a connection of its own, outside the
// pool, named "parley outbox SCHEMA" in pg_stat_activity. The others get
// none, and try the lock again at each call; when the holder closes, or
// its process dies and the server ends its connection, the next caller
// takes over. A delivery posted but not yet marked delivered when its
// process died goes out again from the next holder: at least once, as
// the outbox promises (TestOutboxOneProcess).
//
// DeleteUser is one DELETE: foreign keys with ON DELETE CASCADE remove the
// user's sessions, threads, messages and memberships in the same
// transaction. A turn racing it waits for the user's row, and then starts
// its session afresh.
//
// The tests of processes_test.go open two stores on one schema, as two
// processes: the whole conformance suite with calls alternating between
// them, clients sending the turns of shared sessions to both (each turn
// applied once, each client's in order, counters exact), and CreateUser
// racing on one userId and one email.
//
// # Durability
//
// A call returns after PostgreSQL committed its transaction: with the
// server's default synchronous_commit it is on disk, and nothing
// acknowledged is lost when a process of Parley or the server's machine
// dies. Several processes may come and go at any moment.
//
// # Servers
//
// The store runs on PostgreSQL 13 and later; it is tested on 15. Open
// refuses older servers, and CockroachDB and YugabyteDB ([ErrUnsupported]):
// the store relies on PostgreSQL's advisory locks, for the order of a
// session's turns (pg_advisory_xact_lock) and for the one drainer of the
// outbox (pg_try_advisory_lock, held by a connection). CockroachDB long
// had them as functions that lock nothing, and has only lately added the
// transaction-level ones; YugabyteDB added both as a preview in 2025. On
// such a database the session lock would become a row claimed first (an
// INSERT ... ON CONFLICT DO NOTHING of the session, then SELECT ... FOR
// UPDATE), the outbox lock a lease row with an expiry renewed by its
// holder, and the migrations would run their DDL outside one transaction;
// their default serializable isolation would also abort more transactions,
// which the store runs again.
//
// # Testing
//
// The tests need a PostgreSQL server; they never skip. By default they use
// the database test on 127.0.0.1:5432 as user postgres (trust
// authentication), or the database named by PARLEY_POSTGRES; each test
// works in a schema of its own, dropped when it ends (package
// store/pgstore/pgtest). On a Debian machine the server starts with
//
//	pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start
//
// and .ci/run runs that when nothing listens on port 5432.
//
// # Caveats
//
//   - Times are kept to the microsecond, as PostgreSQL keeps them: the
//     store's clock is truncated to the microsecond.
//   - Ids start with the creating process's clock: users created by
//     several processes sort in creation order as far as their clocks
//     agree.
//   - The pool opens up to 16 connections (two per CPU past 8 CPUs) per DB,
//     as turns need them: several bots in one process hold a pool each,
//     and PostgreSQL's max_connections (100 by default) bounds them all.
//     Set pool_max_conns in the connection string to change it.
//   - pgx asks for TLS when the server offers it (sslmode=prefer); on a
//     loopback or otherwise trusted network, sslmode=disable saves the
//     encryption's CPU.
//   - Every process sharing a schema must use the same [WithLocation].
//   - A filter on attributes makes ListUsers scan the users in the page's
//     order until the page is full, as badgerstore does: a filter that few
//     users match reads many rows.
//   - The connection string's search_path is replaced by the schema.
package pgstore

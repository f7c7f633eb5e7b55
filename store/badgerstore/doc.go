// Package badgerstore is Parley's embedded store: a [store.Store] kept in a
// Badger database, a directory on the device with nothing to install.
//
//	db, err := badgerstore.Open("/var/lib/coffee-bot", badgerstore.SmallDevice())
//	if err != nil {
//		return err
//	}
//	defer db.Close()
//	eng, err := engine.New(db, bot)
//
// [Open] returns a [*DB], which implements every interface of package store
// and passes store/storetest on disk and in memory ([InMemory], for tests).
// Whoever opens a DB closes it: [DB.Close] waits for the calls in flight and
// is idempotent; any call after it returns [store.ErrClosed]. A DB is safe
// for concurrent use.
//
// # Transactions
//
// Every call but a turn is one Badger transaction, retried when another
// writer changed what it read. [DB.Update] runs a chat turn: it loads the
// session, its user and its current thread, calls the engine's function,
// and commits session, thread, messages and counters together, with the
// user if the turn changed more of it than lastSeen. A user's lastSeen
// alone is written behind (lastseen.go): the turns committed together write
// one journal key with their users' lastSeen, and a flush every minute
// writes each user's record and moves it in the lastSeen index once,
// however many turns it had. Reads of users take the latest lastSeen from
// memory; a page sorted or filtered by lastSeen, and any write of a user
// outside a turn, flushes first; and Open applies the journal keys and
// rebuilds the index from the records if the last process stopped without
// Close. With [WithLastSeenEvery], a user whose lastSeen is recent is not
// even noted. Turns
// on one session wait for each other (a striped lock) rather than conflict,
// and so do writes of one user; turns on different sessions run in
// parallel. Each lock stripe keeps its recent sessions and users as last
// committed, so a turn mostly reads nothing from Badger (hot.go), and turns
// that finish at once share one Badger commit (group.go). Per-day counters
// never conflict: a turn committed alone or with one other adds to its lock
// stripe's key of the day, whose total the store keeps in memory, so it
// writes without reading; turns committed three or more together add to
// the groups' key of the day, kept in memory the same way, and other calls
// write their own small key, merged into the day's total in the background
// every second.
// The numbers of users of a tag and of members of a segment are kept the
// same way, so that an import's batches, which tag and add members, commit
// side by side (counts.go).
//
// The work of [DB.DeleteUser] and [DB.DeleteSegment] beyond the first
// transaction (messages, sessions, memberships) goes in batches; a purge key
// records it, and Open finishes a purge that a crash interrupted.
// [DB.AddToSegments] and [DB.RemoveFromSegments] check every id first and
// then change the users in batches, each its own transaction.
//
// # Keys and records
//
// Keys start with a byte naming the record kind (see keys.go): users by id,
// secondary indexes by userId, email, lastSeen (holding a copy of the
// record, so pages sorted by lastSeen read in one pass) and segment
// membership; sessions by id; threads; messages by thread and sequence
// (a record holds the messages of one append);
// counters by day. Ids are 12 bytes (24 hex digits) starting with a
// timestamp, so users sort by creation in their own key space. Records use
// a compact binary encoding with a format byte: a typical session takes
// about 360 bytes (encoding/json would take about 800). Values read from
// Badger are decoded into fresh Go values inside the transaction; no
// Badger-owned byte slice escapes it.
//
// # The event log
//
// Every transaction that appends messages or creates, changes or deletes
// a thread writes its entries of the event log ([store.EventLog]) in the
// same transaction: one key per run of entries (E and the run's last
// position). Positions are numbers taken in commit order: a writer holds
// one lock from numbering its entries to its commit (the group commit
// holds it for all its turns at once), so a reader never sees position
// N+1 while N is pending, and the numbers of a failed commit are never
// used again (log.go gives the argument). Positions are plain numbers;
// "\x00logid" names the log. Past [WithLogRetention] entries (100,000 by
// default) and an eighth more, the writer that crossed the mark deletes
// the oldest and records the last position dropped ("\x00logtrim"), so
// that a reader resuming from before it is told so. Deleting a user,
// which deletes their threads, leaves no entries. A store written by an
// older version simply starts with an empty log; the keys need no
// migration, so the schema's version stays.
//
// # Schema and migrations
//
// The key "\x00schema" holds "parley-badgerstore 16". Open writes it into an
// empty directory, and refuses a directory without it ([ErrForeign]) or
// with a higher version ([ErrNewer]). A newer version migrates in Open: it
// reads the older version, rewrites the affected records in batches (each
// record carries its own format byte, so old and new records can be told
// apart while a migration is interrupted and resumed), then writes its
// version last. Downgrades are refused, not attempted.
//
// Version 2 stores the messages of one append (a turn's user message and
// answer) in one record, one key fewer per turn. It reads version 1's
// one-message records as they are, so its migration only writes the
// version. Version 3 takes a thread's number of messages and time of the
// last one from its last message record, and writes the thread record only
// when something else about the thread changes: one key fewer per turn.
// Version 4 keeps a copy of a session's current thread in the session
// record, so that a turn reads one record. Version 5 writes the lastSeen
// index behind the user records, two keys fewer per turn tied to a user,
// and marks the store open ("\x00open") so that the next Open knows to
// repair the index after a crash. Version 6 writes the users' records
// behind too, with journal keys, one key fewer per turn tied to a user.
// Version 7 adds the Threads API: thread records gain an alias, a read
// count and a webhook, message records a format 3 naming agents, counters
// the reactions, and alias and thread-purge keys appear. Version 8 adds
// Userbot's operations: user records of format 2 end with the user's tags
// and feedback count, a segment record of format 2 holds a saved filter,
// counters of format 2 those of users, feedback and tags; tag keys (k)
// and feedback records (f, F) appear. Version 9 counts the messages each
// user sent: user records of format 3 end with the count, which turns
// write behind with lastSeen, and journal keys carry it (a first byte 2,
// then entries of 28 bytes).
// Version 10 adds automated messages (A) and their deliveries (D, d),
// and counters of format 2 may end with the number of automated messages
// sent. Version 11 adds email verification and personas: user records of
// format 4 end with the user's verified email, session records of format
// 2 with the one-time code they wait for, and thread records may end with
// their persona. Version 12 counts goals reached: counters of format 2 may
// end, after the number of automated messages, with the goals by name.
// Version 13 keeps the days each user had a turn (v), which Open fills in
// from the users' lastSeen when it migrates an older store.
// Version 14 adds visits (V), companies (C, L, P, W) and meetings (N, I,
// R). Version 15 adds message records of format 4, whose messages end
// with the goto or trigger a user's message was sent by.
// Version 16 makes the counts of tags and of segment members additive: a
// write adds its change as a key of its own after the count (k <name>
// \x00 <unique>, g <segment> <unique>) instead of rewriting it, reads add
// them up, and Open and a background loop fold them into the count.
// Their migrations too only write the version: an older program would leave
// a stale copy or a stale index, ignore the journal, misread a format 3
// or 4 record, drop tags, saved filters and goals, miss days of activity,
// or keep visits, companies and meetings after deleting their user.
//
// # Memory and SmallDevice
//
// The default profile suits a server (memtables of 32 MB, a 64 MB block
// cache, and up to 32 MB each of the records of recent sessions and users
// as last committed: see hot.go). [SmallDevice] shrinks memtables,
// tables and caches (512 KB of sessions and of users) and turns off
// compression: measured with 100,000 users created and 100,000 turns, the
// live heap peaks at 50–75 MB and the Go heap at about 75 MB in a program
// that sets GOMEMLIMIT=80MiB (95–130 MB without a limit, since the garbage
// collector lets the heap grow to twice the live heap), against a live
// heap of 230 MB and a Go heap of 440 MB with the default profile
// (PARLEY_HEAP=1 go test -run TestHeap).
//
// Both profiles fix their sizes; Badger's tables, though, grow by a factor
// of two at each level, and a compaction builds several at once in memory,
// so that under sustained writes a server's memory grows with its data.
// [MemoryBudget] sizes everything from one figure instead: memtables,
// Badger's block and index caches, tables of one size at every level, value
// log files and the records of recent sessions and users, at most three
// fifths of the budget, the rest left to the garbage collector (the program sets
// its Go memory limit to the budget). parley serve passes it its
// -memory-budget, 512 MB by default; with -profile small it keeps
// SmallDevice's sizes unless given a budget. The budget bounds anonymous
// memory: the files Badger maps add to the resident set as page cache
// does, which the kernel reclaims (see [MemoryBudget]).
//
// # 32-bit systems
//
// The store builds and runs on linux/arm (ARMv6 and ARMv7 boards),
// linux/386 and other 32-bit systems; CI runs its tests on linux/arm under
// emulation. There, Badger's memory maps and the Go heap share 2–3 GB of
// address space, so Open sizes Badger for it in either profile: value log
// files of 64 MB at most (16 MB with SmallDevice; the one being written is
// mapped at twice its size), memtables of 8 MB at most, tables of one size
// no smaller than a memtable, and no compression (Badger's table builder
// corrupts a table that outgrows its first buffer on 32-bit systems; these
// sizes keep every table inside it). For a 32-bit board with 512 MB of
// memory, open with [SmallDevice] and set GOMEMLIMIT=80MiB: on linux/386
// the Go heap then peaked at 89 MB over 100,000 users and 100,000 turns
// (PARLEY_HEAP=1 GOARCH=386 go test -run 'TestHeap/SmallDevice$'). Badger
// maps every table file, so keep the directory well below the address
// space (about 1 GB of data), and each table holds a file descriptor open.
//
// # Durability and SyncWrites
//
// A call returns after its commit reached Badger's write-ahead log in the
// operating system's page cache. Without [WithSyncWrites] a crash or kill of
// the process loses nothing acknowledged (TestCrashSafety kills a writer
// with SIGKILL ten times and checks); a power loss or kernel crash can lose
// the last moments of writes. Turn SyncWrites on when the machine itself may
// go down uncleanly (a battery device, a kiosk unplugged at night); each
// commit then waits for an fsync, which costs milliseconds on most storage.
//
// # Backups
//
// [DB.Backup] writes a consistent snapshot while the store is in use;
// [Restore] creates a new store directory from it.
//
// # Caveats
//
//   - One process opens a directory at a time (Badger locks it).
//   - Badger writes through memory-mapped files, and a process writing a
//     mapped page of a full filesystem is killed (SIGBUS). The store keeps
//     a reserve of free space ([WithDiskReserve]): it looks every second,
//     and before every write once less than twice the reserve is left;
//     below the reserve, writes return store.ErrFull and reads go on, and
//     Open refuses to start. The reserve must hold what Badger writes on
//     its own after writes stop (memtable flushes, compactions): 512 MiB
//     by default, 64 MiB with SmallDevice; a 24 MiB reserve held with
//     SmallDevice in TestFullDisk (cmd/parley), 12 MiB did not.
//   - Sessions past their ExpiresAt read as missing at once; Badger drops the
//     record a day later (TTL), so the disk does not fill with old sessions.
//   - Paging users by lastSeen can skip or repeat a user seen between pages.
//   - A filter that few users match makes ListUsers read many records: about
//     18–25 ms for a page of a 0.1% filter at 100,000 users on two cores
//     (BenchmarkListUsers, 28 ms for a tag), most of it in Badger's
//     iterator. CountUsers reads every user: 42 ms at 100,000 users for one
//     filter, 144 ms for five counted in the same pass (BenchmarkCountUsers).
//   - UserQuery.Offset walks the users it skips: 2.3 ms for an offset of
//     1,000 at 100,000 users.
//   - Logging is off unless [WithLogger] is given; Badger never writes to
//     stderr.
package badgerstore

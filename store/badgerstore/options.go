package badgerstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// An Option configures Open.
type Option func(*config) error

type config struct {
	inMemory bool
	sync     bool
	small    bool
	logger   *slog.Logger
	now      func() time.Time
	loc      *time.Location

	lastSeenEvery time.Duration
	observeCommit func(turns int, d time.Duration, err error)
	reserve       int64
	reserveSet    bool
	budget        int64 // MemoryBudget's bytes; 0 for the profile's sizes
	logRetention  int
}

// WithLogRetention sets how many entries of the event log the store keeps
// (see [store.EventLog]): a live reader away for longer than that many
// messages and thread changes starts again instead of resuming. The
// default is store.DefaultLogRetention (100,000, a few megabytes).
func WithLogRetention(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return errors.New("badgerstore: WithLogRetention: must be positive")
		}
		c.logRetention = n
		return nil
	}
}

// InMemory keeps the whole store in memory; dir is ignored and nothing
// survives Close. For tests. The default is on disk.
func InMemory() Option {
	return func(c *config) error { c.inMemory = true; return nil }
}

// WithSyncWrites makes every commit wait until its data is on stable
// storage (fsync). The default, false, loses nothing when the process
// crashes or is killed, because committed data is already in the operating
// system's cache; turn it on when the machine itself may lose power or
// crash (a device on a battery, a kiosk unplugged at night), at the cost of
// one fsync per write.
func WithSyncWrites(on bool) Option {
	return func(c *config) error { c.sync = on; return nil }
}

// SmallDevice sizes Badger for a device with little memory: small memtables
// and tables, no compression and no block cache. Measured with 100,000 users
// created and 100,000 turns (PARLEY_HEAP=1 go test -run TestHeap), the live
// heap peaks at 50–75 MB, and the Go heap at about 75 MB when the program
// sets GOMEMLIMIT=80MiB, as a program on a small device should (70–74 MB in
// six runs on 2026-12-06; one, right after a full race test run on the same
// machine, reached 103 MB with 94 MB live, so leave headroom): without a
// limit the garbage collector lets the heap grow to about twice the live
// heap (95–130 MB). Badger's defaults take 350 MB or more. Writes and large
// scans are somewhat slower, and the directory somewhat larger. The default
// profile suits a server. On a 32-bit board (512 MB of memory is enough)
// use SmallDevice with GOMEMLIMIT=80MiB; see "32-bit systems" in the
// package doc for what Open changes there and how big a store may grow.
func SmallDevice() Option {
	return func(c *config) error { c.small = true; return nil }
}

// MinMemoryBudget is the least [MemoryBudget] accepts.
const MinMemoryBudget = 32 << 20

// MemoryBudget sizes the store for a process that should use about bytes
// of memory in all, instead of the profile's fixed sizes (Badger's
// table-building buffers otherwise grow with the data: a server under
// sustained writes went from 428 MB to 1.3 GB in a minute). Of the budget,
// it gives
//
//   - memtables: 1/16 each (2–64 MB), three of them from 256 MB up, else two;
//   - Badger's block cache 1/8 (none with [SmallDevice], whose blocks are
//     read uncompressed in place) and its index cache 1/16, so that the
//     tables' indexes and Bloom filters no longer grow with the data;
//   - tables of 1/256 (256 KB–16 MB) at every level, so that a compaction
//     builds small tables in memory, however deep the level;
//   - value log files of 1/4 (16–256 MB), mapped at twice their size while
//     written;
//   - the store's records of recent sessions and of recent users 1/16 each
//     (see hot.go; 32 MB each at 512 MB), and the ids of recent users by
//     userId 1/64.
//
// That is about three fifths of the budget at most; the rest is for the
// garbage collector's headroom and the engine. A program should also set
// its Go memory limit to the budget (debug.SetMemoryLimit, or GOMEMLIMIT),
// as parley serve -memory-budget does. bytes is at least
// [MinMemoryBudget].
//
// The budget bounds the process's anonymous memory (RssAnon in
// /proc/PID/status): Badger, built without jemalloc, keeps its memtables,
// caches and table builders in the Go heap. It does not bound the pages
// of the files Badger maps (tables, value log files, the memtables'
// logs), which the kernel counts in the resident set too (RssFile), as it
// does the page cache, and drops under memory pressure: a process's RSS
// may exceed the budget by what it recently read or wrote of its files.
func MemoryBudget(bytes int64) Option {
	return func(c *config) error {
		if bytes < MinMemoryBudget {
			return fmt.Errorf("badgerstore: MemoryBudget: %d bytes is below the least, %d (32 MB)", bytes, int64(MinMemoryBudget))
		}
		c.budget = bytes
		return nil
	}
}

// hotBytes returns what the records of recent sessions, and those of
// recent users, may take.
func (c *config) hotBytes() int {
	switch {
	case c.budget > 0:
		return int(min(c.budget/16, hotBytes))
	case c.small:
		return hotBytesSmall
	}
	return hotBytes
}

// budgeted sizes o for c.budget (see MemoryBudget).
func (c *config) budgeted(o badger.Options) badger.Options {
	b := c.budget
	o = o.WithMemTableSize(clamp(b/16, 2<<20, 64<<20)).
		WithNumMemtables(2).
		WithBlockCacheSize(b / 8).
		WithIndexCacheSize(b / 16).
		WithBaseTableSize(clamp(b/256, 256<<10, 16<<20)).
		WithValueLogFileSize(clamp(b/4, 16<<20, 256<<20))
	if b >= 256<<20 {
		o = o.WithNumMemtables(3)
	}
	if c.small {
		o = o.WithBlockCacheSize(0)
	}
	o.BaseLevelSize = max(o.BaseLevelSize, 4*o.BaseTableSize)
	o.TableSizeMultiplier = 1
	return o
}

// clamp returns n within lo and hi.
func clamp(n, lo, hi int64) int64 { return min(max(n, lo), hi) }

// WithLogger sends the store's and Badger's log messages to l. The default
// discards them.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("badgerstore: WithLogger: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithClock sets the clock that stamps records and picks the day of the
// counters. The default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("badgerstore: WithClock: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithLocation sets the time zone of the per-day counters. The default is
// UTC.
func WithLocation(loc *time.Location) Option {
	return func(c *config) error {
		if loc == nil {
			return errors.New("badgerstore: WithLocation: nil location")
		}
		c.loc = loc
		return nil
	}
}

// MaxLastSeenEvery bounds [WithLastSeenEvery].
const MaxLastSeenEvery = 24 * time.Hour

// WithLastSeenEvery lets a turn leave its user's lastSeen as it is while
// that is less than d old, and then not write the user at all unless the
// turn changed something else (attributes, segments, a new conversation,
// another session). A turn tied to a user otherwise writes three keys more
// than a turn without one: the user's record, and the old and new entries
// of its lastSeen index (see BenchmarkTurn and BenchmarkTurnLastSeenMinute).
// With d of a minute, the turns of a conversation after its first in each
// minute cost what turns without a user cost. LastSeen, and listing users
// sorted or filtered by it, are then exact to within d. The default, 0,
// records lastSeen at every turn; d is at most [MaxLastSeenEvery].
func WithLastSeenEvery(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 || d > MaxLastSeenEvery {
			return fmt.Errorf("badgerstore: WithLastSeenEvery: %v is not between 0 and %v", d, MaxLastSeenEvery)
		}
		c.lastSeenEvery = d
		return nil
	}
}

// WithCommitObserver calls fn after each commit of turns (several turns
// finishing at once share one), with how many it carried, how long it
// took and its error, for metrics. fn runs in the committing goroutine
// while the next turns wait, so it must return at once. The default
// observes nothing.
func WithCommitObserver(fn func(turns int, d time.Duration, err error)) Option {
	return func(c *config) error {
		if fn == nil {
			return errors.New("badgerstore: WithCommitObserver: nil function")
		}
		c.observeCommit = fn
		return nil
	}
}

// badgerOptions translates c into Badger's options.
func (c *config) badgerOptions(dir string) badger.Options {
	o := badger.DefaultOptions(dir).
		WithSyncWrites(c.sync).
		WithLogger(nil).
		WithMetricsEnabled(false).
		WithNumCompactors(2).
		WithNumGoroutines(2).
		// A session, user or message is far below 1 KB: keep values in the
		// LSM tree, where scans read them with their keys.
		WithValueThreshold(4 << 10)
	if c.logger != nil {
		o = o.WithLogger(slogger{c.logger})
	}
	if c.small {
		o = o.WithMemTableSize(2 << 20).
			WithNumMemtables(2).
			WithNumLevelZeroTables(2).
			WithNumLevelZeroTablesStall(6).
			WithBaseTableSize(256 << 10).
			WithBaseLevelSize(2 << 20).
			// Uncompressed blocks are read in place from the mapped
			// files: no block cache, no decompression buffers.
			WithCompression(options.None).
			WithBlockCacheSize(0).
			WithValueLogFileSize(16 << 20)
		// Tables of one size at every level: compactions then never
		// build tables of tens of megabytes in memory.
		o.TableSizeMultiplier = 1
	} else {
		o = o.WithMemTableSize(32 << 20).
			WithNumMemtables(3).
			WithBlockCacheSize(64 << 20)
	}
	if c.budget > 0 {
		o = c.budgeted(o)
	}
	if addressBits == 32 {
		o = thirtyTwoBit(o)
	}
	if c.inMemory {
		// Without a value log, Badger refuses any value over the
		// threshold: a session or user with long attributes would not
		// fit in 4 KB. Allow the largest a batch can carry.
		o = o.WithDir("").WithValueDir("").WithInMemory(true).
			WithValueThreshold(min(1<<20, 15*o.MemTableSize/100))
	}
	return o
}

// thirtyTwoBit adapts o to a 32-bit system, where two limits of Badger
// bite.
//
// Address space: Badger maps the value log file being written at twice
// its size; its default (1 GB) would take 2 GB of a 32-bit address space
// and cannot be mapped at all. Values are kept in the tree (see above), so
// the value log holds little.
//
// Table building: Badger builds a table in an allocator (ristretto's
// z.Allocator) of twice its level's table size, taken from a pool shared by
// every table built; on 32-bit systems an allocator that outgrows its first
// buffer starts over at the beginning of it ((bufIdx+1)<<32 is 0 in a
// 32-bit int) and overwrites the table being built, which then reads back
// as garbage. So every table gets the same size, no smaller than a
// memtable (a memtable is flushed into one table); blocks of 16 KB never
// grow past their first allocation for entries below the value threshold;
// and without compression no second copy of a block is made: a table then
// needs at most about 1.4 times its size.
func thirtyTwoBit(o badger.Options) badger.Options {
	if o.MemTableSize > 8<<20 {
		o.MemTableSize = 8 << 20
	}
	o.ValueLogFileSize = min(o.ValueLogFileSize, 64<<20)
	o.BaseTableSize = max(o.BaseTableSize, o.MemTableSize)
	o.TableSizeMultiplier = 1
	o.BaseLevelSize = max(o.BaseLevelSize, 4*o.BaseTableSize)
	o.BlockSize = 16 << 10
	o.Compression = options.None
	return o
}

// addressBits is the width of a pointer: 32 on linux/arm, linux/386 and
// the like, where Badger's memory maps and the Go heap share at most
// 4 GB of address space (see SmallDevice).
const addressBits = 32 << (^uintptr(0) >> 63)

// slogger adapts a *slog.Logger to Badger's Logger.
type slogger struct{ l *slog.Logger }

func (s slogger) log(level slog.Level, format string, args ...any) {
	s.l.Log(context.Background(), level, strings.TrimSpace(fmt.Sprintf(format, args...)), "component", "badger")
}

func (s slogger) Errorf(f string, a ...any)   { s.log(slog.LevelError, f, a...) }
func (s slogger) Warningf(f string, a ...any) { s.log(slog.LevelWarn, f, a...) }
func (s slogger) Infof(f string, a ...any)    { s.log(slog.LevelInfo, f, a...) }
func (s slogger) Debugf(f string, a ...any)   { s.log(slog.LevelDebug, f, a...) }

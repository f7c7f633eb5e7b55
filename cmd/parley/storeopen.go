package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/parleybot/parley/metrics"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/store/pgstore"
)

// storeFlags are the flags of parley serve that choose the store.
type storeFlags struct {
	data     string
	memory   bool
	postgres string // -store
	schema   string
	lastSeen time.Duration
	small    bool     // -profile small
	reserve  byteSize // -disk-reserve
	budget   byteSize // -memory-budget
}

// Default memory budgets of parley serve's profiles (-memory-budget).
const (
	defaultBudget      = 512 << 20
	defaultBudgetSmall = 128 << 20
)

// memoryBudget returns -memory-budget, or its profile's default.
func (f *storeFlags) memoryBudget() int64 {
	switch {
	case f.budget.set:
		return f.budget.n
	case f.small:
		return defaultBudgetSmall
	}
	return defaultBudget
}

// check reports a usage error: exactly one of -data, -memory and -store.
func (f *storeFlags) check() error {
	n := 0
	for _, set := range []bool{f.data != "", f.memory, f.postgres != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("give one of -data DIR, -memory and -store postgres://...")
	}
	if f.postgres != "" {
		if !strings.HasPrefix(f.postgres, "postgres://") && !strings.HasPrefix(f.postgres, "postgresql://") {
			return fmt.Errorf("-store %q: want a PostgreSQL URL, postgres://user@host:port/database", f.postgres)
		}
		if f.lastSeen != 0 {
			return fmt.Errorf("-lastseen-every applies to the Badger store (-data), not to -store")
		}
	}
	return nil
}

// botSchema returns the PostgreSQL schema of the bot named name ("" for
// the one bot of plain -bot flags): -schema itself, or -schema, "_" and the
// name, lower case, with each character a schema may not hold (and each
// underscore) escaped, so that two names never share a schema.
func botSchema(base, name string) string {
	if name == "" {
		return base
	}
	var b strings.Builder
	b.WriteString(base)
	b.WriteByte('_')
	for _, c := range name {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b.WriteRune(c)
		case 'A' <= c && c <= 'Z':
			b.WriteString("_" + string(c-'A'+'a'))
		case c == '-':
			b.WriteString("_0")
		default: // '_'
			b.WriteString("__")
		}
	}
	s := b.String()
	if len(s) > 63 {
		h := fnv.New64a()
		h.Write([]byte(name))
		s = fmt.Sprintf("%s_%016x", s[:46], h.Sum64())
	}
	return s
}

// openStore opens the store of the bot named name.
func (f *storeFlags) openStore(ctx context.Context, name string, log *slog.Logger, met *metrics.Metrics) (store.Store, func() error, error) {
	if f.postgres != "" {
		db, err := pgstore.Open(ctx, f.postgres, pgstore.WithSchema(botSchema(f.schema, name)))
		if err != nil {
			return nil, nil, err
		}
		return db, db.Close, nil
	}
	opts := []badgerstore.Option{badgerstore.WithLogger(log), badgerstore.WithLastSeenEvery(f.lastSeen)}
	if met != nil {
		opts = append(opts, badgerstore.WithCommitObserver(met.Commit))
	}
	if f.small {
		opts = append(opts, badgerstore.SmallDevice())
	}
	// SmallDevice's own sizes fit its default budget.
	if f.budget.set || !f.small {
		opts = append(opts, badgerstore.MemoryBudget(f.memoryBudget()))
	}
	if f.reserve.set {
		opts = append(opts, badgerstore.WithDiskReserve(f.reserve.n))
	}
	dir := f.data
	if f.memory {
		opts = append(opts, badgerstore.InMemory())
	} else if name != "" {
		dir = filepath.Join(f.data, name)
	}
	db, err := badgerstore.Open(dir, opts...)
	if err != nil {
		return nil, nil, err
	}
	return db, db.Close, nil
}

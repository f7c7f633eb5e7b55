package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store/badgerstore"
)

// defaultImportBudget is parley import users' -memory-budget unless given.
const defaultImportBudget = 192 << 20

// runImportUsers imports chat users from a CSV file into a bot's store:
// "parley import users -data DIR FILE.csv" (or -store URL, as parley serve
// takes it). At a terminal it draws a progress bar; it ends with a summary
// and the rows it refused, and exits 1 if it refused any.
func runImportUsers(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import users", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	fs.StringVar(&sf.data, "data", "", "the store's `DIR` (created if missing), as given to parley serve")
	fs.StringVar(&sf.postgres, "store", "", "import into the PostgreSQL database at `URL` (postgres://user@host:port/db) instead of -data")
	fs.StringVar(&sf.schema, "schema", "parley", "with -store, the PostgreSQL `SCHEMA` of the bot")
	profile := fs.String("profile", "server", "the store's `PROFILE`: server, or small for a device with little memory (see badgerstore.SmallDevice)")
	fs.Var(&sf.budget, "memory-budget", "the memory `SIZE` the import should keep within: it sizes the store's memtables, caches and tables (two thirds of it: see badgerstore.MemoryBudget) and, unless GOMEMLIMIT is set, is the Go memory limit (default 192MB; at least 32MB)")
	show := fs.Int("errors", 20, "show at most `N` refused rows")
	quiet := fs.Bool("quiet", false, "no progress bar")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parley import users -data DIR|-store URL [-schema S] [-profile small] [-memory-budget SIZE] [-errors N] [-quiet] FILE.csv|-")
		fmt.Fprintln(stderr, "\nThe first row names the columns: userId, email, name, tags and segments (each")
		fmt.Fprintln(stderr, "a list separated by \";\"), and attributes by their keys. Users found by userId,")
		fmt.Fprintln(stderr, "else by email, are updated; others are created. Running an import again")
		fmt.Fprintln(stderr, "duplicates nobody.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	sf.small = *profile == "small"
	if fs.NArg() != 1 || (sf.data == "") == (sf.postgres == "") || *profile != "server" && *profile != "small" {
		fs.Usage()
		return 2
	}
	if err := sf.check(); err != nil {
		fmt.Fprintf(stderr, "parley import users: %v\n", err)
		return 2
	}
	if sf.budget.set && sf.budget.n < badgerstore.MinMemoryBudget {
		fmt.Fprintf(stderr, "parley import users: -memory-budget %s: want at least 32MB\n", formatBytes(sf.budget.n))
		return 2
	}
	// The store gets two thirds of the budget: an import builds tables
	// faster than a server, and the garbage collector needs the rest as
	// headroom, or it returns memory to the system only to take it back.
	budget := int64(defaultImportBudget)
	if sf.budget.set {
		budget = sf.budget.n
	}
	sf.budget = byteSize{n: max(budget*2/3, badgerstore.MinMemoryBudget), set: true}
	if os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(budget))
	}
	name := fs.Arg(0)
	in, size := stdin, int64(0)
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "parley import users: %v\n", err)
			return 1
		}
		defer f.Close()
		if info, err := f.Stat(); err == nil {
			size = info.Size()
		}
		in = f
	}
	db, closeStore, err := sf.openStore(ctx, "", slog.New(slog.DiscardHandler), nil)
	if err != nil {
		fmt.Fprintf(stderr, "parley import users: open store: %v\n", err)
		return 1
	}
	defer closeStore()

	bar := !*quiet && isTerminal(stderr)
	start := time.Now()
	var last time.Time
	opt := engine.ImportOptions{MaxErrors: max(*show, 1)}
	if bar {
		opt.Progress = func(p engine.ImportProgress) {
			if now := time.Now(); now.Sub(last) >= 100*time.Millisecond {
				last = now
				fmt.Fprint(stderr, "\r"+progressLine(p, size, now.Sub(start)))
			}
		}
	}
	res, err := engine.ImportUsersInto(ctx, db, in, opt)
	if bar {
		fmt.Fprint(stderr, "\r"+progressLine(res.ImportProgress, size, time.Since(start))+"\n")
	}
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "%s: %d rows: %d created, %d updated, %d refused in %v (%.0f rows/s)\n",
		name, res.Rows, res.Created, res.Updated, res.Failed, roundDuration(elapsed), float64(res.Rows)/max(elapsed.Seconds(), 1e-9))
	for i, re := range res.Errors {
		if i == *show {
			break
		}
		fmt.Fprintf(stdout, "  %s:%v\n", name, strings.TrimPrefix(re.Error(), "line "))
	}
	if more := res.Failed - min(len(res.Errors), *show); more > 0 {
		fmt.Fprintf(stdout, "  ... and %d more refused rows (-errors N shows more)\n", more)
	}
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "parley import users: interrupted; run it again to finish: the rows already imported are updated, not duplicated")
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "parley import users: %v\n", err)
		return 1
	case res.Failed > 0:
		return 1
	}
	return 0
}

// progressLine draws the progress of an import: a bar when the size of the
// file is known, and the rows so far.
func progressLine(p engine.ImportProgress, size int64, elapsed time.Duration) string {
	rate := float64(p.Rows) / max(elapsed.Seconds(), 1e-9)
	counts := fmt.Sprintf("%d rows, %d refused, %.0f rows/s", p.Rows, p.Failed, rate)
	if size <= 0 {
		return counts
	}
	frac := min(1, float64(p.Bytes)/float64(size))
	const width = 30
	n := int(frac * width)
	return fmt.Sprintf("[%s%s] %3.0f%%  %s", strings.Repeat("#", n), strings.Repeat(" ", width-n), 100*frac, counts)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// roundDuration rounds d to three significant digits or so, for people.
func roundDuration(d time.Duration) time.Duration {
	for r := 1000 * time.Second; r > time.Nanosecond; r /= 10 {
		if d >= 100*r {
			return d.Round(r)
		}
	}
	return d
}

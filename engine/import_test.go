package engine_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/store/pgstore/pgtest"
)

func TestImportUsers(t *testing.T) {
	ctx := context.Background()
	e, _ := newCoffee(t)
	old, err := e.CreateUser(ctx, store.User{UserID: "known", Attributes: map[string]string{store.AttrEmail: "known@example.com", "plan": "free"}})
	if err != nil {
		t.Fatal(err)
	}
	// A BOM, quoted fields with commas, quotes and newlines, a duplicate,
	// bad rows of every kind, and a known user found by email.
	file := "\ufeff" + `userId,Email,name,plan,tags,segments
ann,ann@example.com,"Ann, Jr.",gold,vip;lead,Newsletter
bob,,"Bob ""the builder""",free,,
,known@example.com,,"pro",customer,Newsletter;Beta
carol,carol@example.com,"Carol
Two Lines",free,vip,
ann,,,platinum,vip;early,
,,Nobody,free,,
dave,dave@example.com,Dave,free,bad` + "\x01" + `tag,
erin,erin@example.com,Erin
frank,FRANK@example.com,Frank,free,,
gina,frank@example.com,Gina,free,,
"bad"quote,x@example.com,X,free,,
known,,,enterprise,,
`
	var progress []engine.ImportProgress
	res, err := e.ImportUsers(ctx, strings.NewReader(file), engine.ImportOptions{Progress: func(p engine.ImportProgress) { progress = append(progress, p) }})
	if err != nil {
		t.Fatal(err)
	}
	want := engine.ImportProgress{Rows: 12, Created: 4, Updated: 3, Failed: 5, Bytes: int64(len(file))}
	if res.ImportProgress != want {
		t.Errorf("result: got %+v, want %+v", res.ImportProgress, want)
	}
	if len(progress) == 0 || progress[len(progress)-1] != want {
		t.Errorf("progress: got %v, want it to end at %+v", progress, want)
	}
	var lines []int
	for _, re := range res.Errors {
		lines = append(lines, re.Line)
	}
	if !slices.Equal(lines, []int{8, 9, 10, 12, 13}) {
		t.Errorf("refused lines: got %v, want [8 9 10 12 13]: %v", lines, res.Errors)
	}
	for _, c := range []struct {
		line   int
		column string
		reason string
	}{
		{8, "", "neither a userId nor an email"},
		{9, "tags", "control characters"},
		{10, "", "fields"},
		{12, "", `belongs to user "frank"`},
		{13, "", "quote"},
	} {
		for _, re := range res.Errors {
			if re.Line == c.line && (re.Column != c.column || !strings.Contains(re.Reason, c.reason)) {
				t.Errorf("line %d: got %q on %q, want %q on %q", c.line, re.Reason, re.Column, c.reason, c.column)
			}
		}
	}
	ann := userByUserID(t, e, "ann")
	if ann.Attributes["default_name"] != "Ann, Jr." || ann.Attributes["plan"] != "platinum" || ann.Attributes["default_email"] != "ann@example.com" {
		t.Errorf("ann (two rows merged): got %v", ann.Attributes)
	}
	if !slices.Equal(ann.Tags, []string{"early", "lead", "vip"}) {
		t.Errorf("ann's tags: got %v", ann.Tags)
	}
	if got := userByUserID(t, e, "bob").Attributes["default_name"]; got != `Bob "the builder"` {
		t.Errorf("bob's name: got %q", got)
	}
	if got := userByUserID(t, e, "carol").Attributes["default_name"]; got != "Carol\nTwo Lines" {
		t.Errorf("carol's name: got %q", got)
	}
	k := userByUserID(t, e, "known")
	if k.ID != old.ID || k.Attributes["plan"] != "enterprise" || !slices.Equal(k.Tags, []string{"customer"}) || len(k.Segments) != 2 {
		t.Errorf("known user, found by email: got %+v", k)
	}
	segs, _ := e.ListSegments(ctx)
	var names []string
	for _, s := range segs {
		names = append(names, fmt.Sprint(s.Name, ":", s.Members))
	}
	if !slices.Equal(names, []string{"Newsletter:2", "Beta:1"}) {
		t.Errorf("segments: got %v, want Newsletter:2 Beta:1", names)
	}

	// Importing again duplicates nobody and changes nothing.
	before, _ := e.CountUsers(ctx, store.UserQuery{})
	res, err = e.ImportUsers(ctx, strings.NewReader(file), engine.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 0 || res.Updated != 7 || res.Failed != 5 {
		t.Errorf("again: got %+v, want 0 created, 7 updated, 5 failed", res.ImportProgress)
	}
	if after, _ := e.CountUsers(ctx, store.UserQuery{}); after != before {
		t.Errorf("users after importing again: got %d, want %d", after, before)
	}
}

func userByUserID(t *testing.T, e *engine.Engine, userID string) store.User {
	t.Helper()
	page, err := e.FindUsers(context.Background(), store.UserQuery{Filters: []store.Filter{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range page.Users {
		if u.UserID == userID {
			return u
		}
	}
	t.Fatalf("no user %q", userID)
	return store.User{}
}

func TestImportUsersHeader(t *testing.T) {
	ctx := context.Background()
	e, _ := newCoffee(t)
	for _, c := range []struct {
		name, file, rule string
	}{
		{"Empty", "", "empty"},
		{"NoIdentity", "name,plan\nAnn,gold\n", "userId or email"},
		{"BadKey", "userId,the plan\nann,gold\n", `"the plan"`},
		{"Duplicate", "userId,email,default_email\nann,a@b.c,a@b.c\n", "columns 2 and 3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.ImportUsers(ctx, strings.NewReader(c.file), engine.ImportOptions{})
			var fe *store.FieldError
			if !errors.As(err, &fe) || fe.Field != "header" || !strings.Contains(fe.Rule, c.rule) {
				t.Errorf("got %v, want a header error saying %q", err, c.rule)
			}
		})
	}
	if n, _ := e.CountUsers(ctx, store.UserQuery{}); n != 0 {
		t.Errorf("users after refused headers: got %d, want 0", n)
	}
}

// TestImportUsersInterrupted stops an import part way, then runs it again:
// every user is there once.
func TestImportUsersInterrupted(t *testing.T) {
	e, _ := newCoffee(t)
	const rows = 3 * engine.ImportBatch
	ctx, cancel := context.WithCancel(context.Background())
	_, err := e.ImportUsers(ctx, csvUsers(rows), engine.ImportOptions{Progress: func(p engine.ImportProgress) {
		if p.Rows >= engine.ImportBatch {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted import: got %v, want context.Canceled", err)
	}
	if n, _ := e.CountUsers(context.Background(), store.UserQuery{}); n == 0 || n >= rows {
		t.Errorf("users after the interruption: got %d, want some", n)
	}
	res, err := e.ImportUsers(context.Background(), csvUsers(rows), engine.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created+res.Updated != rows || res.Failed != 0 {
		t.Errorf("again: got %+v", res.ImportProgress)
	}
	if n, _ := e.CountUsers(context.Background(), store.UserQuery{}); n != rows {
		t.Errorf("users: got %d, want %d", n, rows)
	}
}

// TestImportUsersInOrder imports a file whose batches name the same users
// again and again, by userId, or by email in other letter case: each user
// is created once, and the last row about a user wins, as when the rows
// are applied one after the other.
func TestImportUsersInOrder(t *testing.T) {
	ctx := context.Background()
	e, db := newCoffee(t)
	const users, rows = 50, 4*engine.ImportBatch + 10
	var file strings.Builder
	file.WriteString("userId,email,plan\n")
	last := map[string]int{}
	for i := range rows {
		u := i * 7 % users
		switch {
		case i < users:
			fmt.Fprintf(&file, "u-%d,u-%d@example.com,p%d\n", u, u, i)
		case i%3 == 1:
			fmt.Fprintf(&file, ",U-%d@Example.COM,p%d\n", u, i)
		default:
			fmt.Fprintf(&file, "u-%d,,p%d\n", u, i)
		}
		last[fmt.Sprintf("u-%d", u)] = i
	}
	res, err := e.ImportUsers(ctx, strings.NewReader(file.String()), engine.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != users || res.Updated != rows-users || res.Failed != 0 {
		t.Fatalf("import: got %+v, %v", res.ImportProgress, res.Errors)
	}
	for userID, i := range last {
		u, err := db.UserByUserID(ctx, userID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := u.Attributes["plan"], fmt.Sprintf("p%d", i); got != want {
			t.Errorf("%s: plan %s, want %s (line %d)", userID, got, want, i+2)
		}
	}
}

// csvUsers streams a CSV file of n users, without holding it in memory.
func csvUsers(n int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		buf := []byte("userId,email,name,city,plan,tags\n")
		for i := range n {
			buf = append(buf, "user-"...)
			buf = strconv.AppendInt(buf, int64(i), 10)
			buf = append(buf, ",user"...)
			buf = strconv.AppendInt(buf, int64(i), 10)
			buf = append(buf, "@example.com,User "...)
			buf = strconv.AppendInt(buf, int64(i), 10)
			buf = append(buf, ",Paris,free,"...)
			if i%100 == 0 {
				buf = append(buf, "vip;lead"...)
			}
			buf = append(buf, '\n')
			if len(buf) > 32<<10 {
				if _, err := pw.Write(buf); err != nil {
					return
				}
				buf = buf[:0]
			}
		}
		pw.Write(buf)
		pw.Close()
	}()
	return pr
}

// BenchmarkImportUsers imports a generated file of PARLEY_IMPORT_ROWS rows
// (default 20,000; set it to 1000000 for the figures in the README) into an
// empty store: Badger on disk in its default profile, sized as parley
// import users sizes it by default (MemoryBudget of 128 MB under a Go
// memory limit of 192 MB), and in SmallDevice's profile, and PostgreSQL.
// It reports rows/s, the CPU time of the whole process per row (which the
// load of a shared machine changes less) and the peak Go heap in use,
// sampled every 20 batches.
func BenchmarkImportUsers(b *testing.B) {
	rows := 20_000
	if s := os.Getenv("PARLEY_IMPORT_ROWS"); s != "" {
		var err error
		if rows, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name  string
		open  func(b *testing.B) store.Store
		limit int64 // the Go memory limit during the import; 0 for none
	}{
		{"Badger", func(b *testing.B) store.Store { return openBadger(b) }, 0},
		{"Budget", func(b *testing.B) store.Store { return openBadger(b, badgerstore.MemoryBudget(128<<20)) }, 192 << 20},
		{"SmallDevice", func(b *testing.B) store.Store { return openBadger(b, badgerstore.SmallDevice()) }, 0},
		{"PostgreSQL", openPostgres, 0},
	} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				st := c.open(b)
				runtime.GC()
				if c.limit > 0 {
					defer debug.SetMemoryLimit(debug.SetMemoryLimit(c.limit))
				}
				var peak uint64
				var ms runtime.MemStats
				t0, cpu0 := time.Now(), cpuTime()
				b.StartTimer()
				res, err := engine.ImportUsersInto(context.Background(), st, csvUsers(rows), engine.ImportOptions{Progress: func(p engine.ImportProgress) {
					if p.Rows%(20*engine.ImportBatch) == 0 {
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
					}
				}})
				b.StopTimer()
				if err != nil || res.Created != rows {
					b.Fatalf("import: %+v, %v", res.ImportProgress, err)
				}
				b.ReportMetric(float64(rows)/time.Since(t0).Seconds(), "rows/s")
				b.ReportMetric(float64(cpuTime()-cpu0)/float64(rows), "cpu-ns/row")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			}
		})
	}
}

// openBadger opens a store on disk in a fresh directory, closed when b
// ends.
func openBadger(b *testing.B, opts ...badgerstore.Option) *badgerstore.DB {
	db, err := badgerstore.Open(b.TempDir(), opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// FuzzImportUsers imports arbitrary bytes: an import never panics, either
// refuses the header with a *store.FieldError or accounts for every row
// it read, and leaves as many users as it says it created.
func FuzzImportUsers(f *testing.F) {
	for _, s := range []string{
		"userId,email,tags,segments,plan\nann,ann@x.com,vip;lead,Beta,gold\n",
		"\ufeffemail\n\"a,b\"@x.com\n",
		"userId\n\"unterminated\n",
		"userId,x\nann\nbob,1,2\n",
		"user_id,name\n,\n" + strings.Repeat("u,n\n", 3),
		"",
	} {
		f.Add(s)
	}
	e, _ := newCoffee(f)
	f.Fuzz(func(t *testing.T, file string) {
		ctx := context.Background()
		before, _ := e.CountUsers(ctx, store.UserQuery{})
		res, err := e.ImportUsers(ctx, strings.NewReader(file), engine.ImportOptions{})
		if err != nil {
			var fe *store.FieldError
			if !errors.As(err, &fe) || fe.Field != "header" {
				t.Fatalf("error %v, want a header error", err)
			}
			return
		}
		if res.Created+res.Updated+res.Failed != res.Rows {
			t.Fatalf("rows unaccounted: %+v", res.ImportProgress)
		}
		after, _ := e.CountUsers(ctx, store.UserQuery{})
		if after-before != res.Created {
			t.Fatalf("users: %d more, the result says %d created", after-before, res.Created)
		}
		for _, re := range res.Errors {
			if re.Line < 2 || re.Reason == "" {
				t.Fatalf("row error %+v", re)
			}
		}
	})
}

// openPostgres opens a store in a fresh schema of the test database,
// dropped when b ends.
func openPostgres(b *testing.B) store.Store { return pgtest.Open(b) }

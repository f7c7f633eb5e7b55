package badgerstore_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
)

var ctx = context.Background()

// TestUpdateOneSession runs 64 goroutines × 1,000 turns on one session: every
// turn is applied exactly once.
func TestUpdateOneSession(t *testing.T) {
	t.Parallel()
	const workers, each = 64, 1000
	db := open(t, "", badgerstore.InMemory())
	const sid = "one-busy-session"
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				err := db.Update(ctx, sid, func(t *store.Turn) error {
					t.Session.Failures++
					return nil
				})
				if err != nil {
					t.Errorf("Update: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	s, err := db.Session(ctx, sid)
	if err != nil {
		t.Fatal(err)
	}
	if s.Failures != workers*each {
		t.Errorf("turns applied: got %d, want %d", s.Failures, workers*each)
	}
}

// TestCrashSafety runs a child process that writes with many goroutines and
// prints each write once it is acknowledged, kills it with SIGKILL at a
// random moment, reopens the store and checks that every acknowledged write
// is there. The rounds share one directory.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	t.Parallel()
	const rounds = 10
	dir := t.TempDir()
	acked := map[string]int{} // session → highest acknowledged count
	users := map[string]bool{}
	tied := map[string]tiedTurn{} // session tied to a user → its last acknowledged turn
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v=false")
		cmd.Env = append(os.Environ(), "BADGERSTORE_CRASH_DIR="+dir, "BADGERSTORE_CRASH_ROUND="+strconv.Itoa(round))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
		// Kill at a random moment once the child has acknowledged a write
		// (not from its "ready": on a busy machine it may write nothing for
		// longer than the delay).
		var kill <-chan time.Time
		armed := false
		n := 0
	read:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					break read
				}
				if n > 0 && !armed {
					armed = true
					kill = time.After(time.Duration(20+rand.IntN(200)) * time.Millisecond)
				}
				f := strings.Fields(line)
				switch {
				case len(f) == 1 && f[0] == "ready":
				case len(f) == 3 && f[0] == "turn":
					c, _ := strconv.Atoi(f[2])
					acked[f[1]] = max(acked[f[1]], c)
					n++
				case len(f) == 2 && f[0] == "user":
					users[f[1]] = true
					n++
				case len(f) == 5 && f[0] == "tied":
					c, _ := strconv.Atoi(f[3])
					ns, _ := strconv.ParseInt(f[4], 10, 64)
					if c > tied[f[1]].n {
						tied[f[1]] = tiedTurn{user: f[2], n: c, lastSeen: time.Unix(0, ns)}
					}
					n++
				}
			case <-kill:
				cmd.Process.Signal(syscall.SIGKILL)
				kill = nil
			}
		}
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("round %d: child was not killed (%v); stderr:\n%s", round, err, stderr.String())
		}
		if n == 0 {
			t.Fatalf("round %d: child acknowledged no writes; stderr:\n%s", round, stderr.String())
		}

		db, err := badgerstore.Open(dir)
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		lost := 0
		for sid, c := range acked {
			s, err := db.Session(ctx, sid)
			if err != nil || s.Failures < c {
				lost++
				if lost < 5 {
					t.Errorf("round %d: session %s: got %d turns (%v), want ≥ %d", round, sid, s.Failures, err, c)
				}
			}
		}
		for uid := range users {
			if _, err := db.UserByUserID(ctx, uid); err != nil {
				lost++
				t.Errorf("round %d: user %s: %v", round, uid, err)
			}
		}
		// The turns tied to users left their moves in the lastSeen index
		// pending when the child was killed: Open repaired the index.
		if err := db.CheckLastSeenIndex(); err != nil {
			msg := err.Error()
			if len(msg) > 1000 {
				msg = msg[:1000] + "…"
			}
			t.Errorf("round %d: %s", round, msg)
		}
		listed := checkListedByLastSeen(t, db, round)
		for sid, tt := range tied {
			s, err := db.Session(ctx, sid)
			if err != nil || s.Failures < tt.n || s.UserID != tt.user {
				lost++
				t.Errorf("round %d: session %s: got %d turns of user %q (%v), want ≥ %d of %s", round, sid, s.Failures, s.UserID, err, tt.n, tt.user)
			}
			u, err := db.User(ctx, tt.user)
			if err != nil || u.LastSeen.Before(tt.lastSeen) {
				lost++
				t.Errorf("round %d: user %s: lastSeen %v (%v), want ≥ %v", round, tt.user, u.LastSeen, err, tt.lastSeen)
			}
			if !listed[tt.user] {
				t.Errorf("round %d: user %s: not listed by lastSeen", round, tt.user)
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		t.Logf("round %d: %d writes acknowledged, %d sessions, %d users so far, %d tied sessions, %d lost",
			round, n, len(acked), len(users), len(tied), lost)
	}
}

// A tiedTurn is the last acknowledged turn of a session tied to a user.
type tiedTurn struct {
	user     string // id
	n        int    // turns
	lastSeen time.Time
}

// checkListedByLastSeen walks the pages of users sorted by lastSeen: it
// must list every user once, newest first, with the lastSeen of its
// record. It returns the ids listed.
func checkListedByLastSeen(t *testing.T, db *badgerstore.DB, round int) map[string]bool {
	t.Helper()
	all := map[string]bool{}
	for after := ""; ; {
		p, err := db.ListUsers(ctx, store.UserQuery{After: after})
		if err != nil {
			t.Fatalf("round %d: ListUsers: %v", round, err)
		}
		for _, u := range p.Users {
			all[u.ID] = true
		}
		if after = p.Next; after == "" {
			break
		}
	}
	listed := map[string]bool{}
	var prev time.Time
	problems := 0
	problem := func(format string, args ...any) {
		if problems++; problems <= 5 {
			t.Errorf("round %d: listed by lastSeen: "+format, append([]any{round}, args...)...)
		}
	}
	for after := ""; ; {
		p, err := db.ListUsers(ctx, store.UserQuery{Sort: store.SortLastSeen, After: after})
		if err != nil {
			t.Fatalf("round %d: ListUsers by lastSeen: %v", round, err)
		}
		for _, u := range p.Users {
			if listed[u.ID] {
				problem("user %s twice", u.ID)
			}
			listed[u.ID] = true
			if !prev.IsZero() && u.LastSeen.After(prev) {
				problem("user %s at %v after one at %v", u.ID, u.LastSeen, prev)
			}
			prev = u.LastSeen
			if rec, err := db.User(ctx, u.ID); err != nil || !rec.LastSeen.Equal(u.LastSeen) {
				problem("user %s at %v, its record at %v (%v)", u.ID, u.LastSeen, rec.LastSeen, err)
			}
		}
		if after = p.Next; after == "" {
			break
		}
	}
	for id := range all {
		if !listed[id] {
			problem("user %s missing", id)
		}
	}
	return listed
}

// TestCrashChild is the child of TestCrashSafety; it does nothing otherwise.
// Its goroutines, by g%4: 0 creates users; 1 runs turns on sessions tied to
// users of its own, whose moves in the lastSeen index stay pending until a
// flush; the others run turns without a user, except that g 2 reads pages
// sorted by lastSeen (which flush) and g 6 updates tied users (which settle
// them), so that some kills land in a flush.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv("BADGERSTORE_CRASH_DIR")
	if dir == "" {
		t.Skip("run by TestCrashSafety")
	}
	round := os.Getenv("BADGERSTORE_CRASH_ROUND")
	db, err := badgerstore.Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	var mu sync.Mutex
	say := func(format string, args ...any) {
		mu.Lock()
		fmt.Printf(format+"\n", args...)
		mu.Unlock()
	}
	var tiedMu sync.Mutex
	var tiedUsers []string
	say("ready")
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fail := func(err error) {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(3)
			}
			switch {
			case g%4 == 1:
				var ids [8]string
				for i := 0; ; i++ {
					k := i % len(ids)
					if ids[k] == "" {
						uid := fmt.Sprintf("crash-tied-%s-%d-%d", round, g, k)
						u, err := db.CreateUser(ctx, store.User{UserID: uid})
						if err != nil {
							fail(err)
						}
						say("user %s", uid)
						ids[k] = u.ID
						tiedMu.Lock()
						tiedUsers = append(tiedUsers, u.ID)
						tiedMu.Unlock()
					}
					sid := fmt.Sprintf("crash-tied-%s-%02d-%d", round, g, k)
					var n int
					var now time.Time
					err := db.Update(ctx, sid, func(t *store.Turn) error {
						if t.User == nil {
							if err := t.SetUser(ids[k]); err != nil {
								return err
							}
						}
						t.Session.Failures++
						n, now = t.Session.Failures, t.Now
						t.Append(store.Message{Type: store.UserMessage, Text: "hello " + strconv.Itoa(n)})
						return nil
					})
					if err != nil {
						fail(err)
					}
					say("tied %s %s %d %d", sid, ids[k], n, now.UnixNano())
				}
			case g == 2:
				for {
					if _, err := db.ListUsers(ctx, store.UserQuery{Sort: store.SortLastSeen}); err != nil {
						fail(err)
					}
					time.Sleep(time.Duration(rand.IntN(20)) * time.Millisecond)
				}
			case g == 6:
				for i := 0; ; i++ {
					tiedMu.Lock()
					var id string
					if len(tiedUsers) > 0 {
						id = tiedUsers[rand.IntN(len(tiedUsers))]
					}
					tiedMu.Unlock()
					if id != "" {
						if _, err := db.UpdateUser(ctx, id, map[string]string{"n": strconv.Itoa(i)}); err != nil {
							fail(err)
						}
					}
					time.Sleep(time.Duration(rand.IntN(20)) * time.Millisecond)
				}
			}
			sid := fmt.Sprintf("crash-session-%02d", g)
			for i := 0; ; i++ {
				if g%4 == 0 {
					uid := fmt.Sprintf("crash-user-%s-%d-%d", round, g, i)
					if _, err := db.CreateUser(ctx, store.User{UserID: uid}); err != nil {
						fail(err)
					}
					say("user %s", uid)
					continue
				}
				var n int
				err := db.Update(ctx, sid, func(t *store.Turn) error {
					t.Session.Failures++
					n = t.Session.Failures
					t.Append(store.Message{Type: store.UserMessage, Text: "hello " + strconv.Itoa(n)})
					return nil
				})
				if err != nil {
					fail(err)
				}
				say("turn %s %d", sid, n)
			}
		}()
	}
	wg.Wait()
}

func TestOpenBadDirectory(t *testing.T) {
	t.Run("ErrForeign", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
		_, err := badgerstore.Open(dir)
		if !errors.Is(err, badgerstore.ErrForeign) {
			t.Errorf("got %v, want ErrForeign", err)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "mine" {
			t.Errorf("the foreign file was changed")
		}
	})
	t.Run("Corrupt", func(t *testing.T) {
		dir := t.TempDir()
		db := mustOpen(t, dir)
		db.CreateUser(ctx, store.User{UserID: "u"})
		db.Close()
		if err := os.WriteFile(filepath.Join(dir, "MANIFEST"), []byte("garbage garbage garbage"), 0o644); err != nil {
			t.Fatal(err)
		}
		db, err := badgerstore.Open(dir)
		if err == nil {
			db.Close()
			t.Fatal("Open of a corrupt store succeeded")
		}
		if !strings.HasPrefix(err.Error(), "badgerstore: open ") {
			t.Errorf("got %q, want an error naming the open", err)
		}
	})
	t.Run("File", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "file")
		os.WriteFile(f, nil, 0o644)
		if _, err := badgerstore.Open(f); err == nil {
			t.Error("Open of a file succeeded")
		}
	})
	t.Run("BadOption", func(t *testing.T) {
		if _, err := badgerstore.Open("", badgerstore.InMemory(), badgerstore.WithLogger(nil)); err == nil {
			t.Error("WithLogger(nil): no error")
		}
		if _, err := badgerstore.Open(""); err == nil {
			t.Error(`Open(""): no error`)
		}
	})
}

func mustOpen(t *testing.T, dir string, opts ...badgerstore.Option) *badgerstore.DB {
	t.Helper()
	db, err := badgerstore.Open(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestClose(t *testing.T) {
	db := mustOpen(t, "", badgerstore.InMemory())
	u, err := db.CreateUser(ctx, store.User{UserID: "u"})
	if err != nil {
		t.Fatal(err)
	}
	// Calls race with Close: each returns nil or ErrClosed, none panics.
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				err := db.Update(ctx, fmt.Sprintf("session-close-%d", g), func(t *store.Turn) error {
					t.Append(store.Message{Type: store.UserMessage, Text: "x"})
					return t.SetUser(u.ID)
				})
				if errors.Is(err, store.ErrClosed) {
					return
				}
				if err != nil {
					t.Errorf("Update: %v", err)
					return
				}
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	wg.Wait()
	if err := db.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	checks := map[string]error{}
	_, checks["User"] = db.User(ctx, u.ID)
	_, checks["CreateUser"] = db.CreateUser(ctx, store.User{})
	_, checks["ListUsers"] = db.ListUsers(ctx, store.UserQuery{})
	checks["DeleteUser"] = db.DeleteUser(ctx, u.ID)
	checks["Update"] = db.Update(ctx, "session-closed", func(*store.Turn) error { return nil })
	_, checks["Session"] = db.Session(ctx, "session-closed")
	_, checks["Stats"] = db.Stats(ctx, time.Now(), time.Now())
	checks["Backup"] = db.Backup(ctx, &bytes.Buffer{})
	checks["AddToSegments"] = db.AddToSegments(ctx, []string{u.ID}, []string{u.ID})
	for name, err := range checks {
		if !errors.Is(err, store.ErrClosed) {
			t.Errorf("%s after Close: got %v, want ErrClosed", name, err)
		}
	}
}

func TestReopen(t *testing.T) {
	dir := t.TempDir()
	db := mustOpen(t, dir, badgerstore.WithSyncWrites(true))
	u, _ := db.CreateUser(ctx, store.User{UserID: "kept", Attributes: map[string]string{"a": "b"}})
	db.Update(ctx, "session-reopen", func(t *store.Turn) error {
		t.Append(store.Message{Type: store.UserMessage, Text: "hi"})
		return t.SetUser(u.ID)
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = open(t, dir)
	got, err := db.UserByUserID(ctx, "kept")
	if err != nil || got.Attributes["a"] != "b" || got.Conversations != 1 {
		t.Errorf("after reopen: got %+v, %v", got, err)
	}
	// Ids keep sorting in creation order across processes.
	v, _ := db.CreateUser(ctx, store.User{})
	if v.ID <= u.ID {
		t.Errorf("id after reopen %s sorts before %s", v.ID, u.ID)
	}
}

func TestBackupRestore(t *testing.T) {
	db := open(t, "", badgerstore.InMemory())
	u, _ := db.CreateUser(ctx, store.User{UserID: "backed-up"})
	db.Update(ctx, "session-backup", func(t *store.Turn) error {
		t.Append(store.Message{Type: store.UserMessage, Text: "hi"})
		return t.SetUser(u.ID)
	})
	file := filepath.Join(t.TempDir(), "parley.backup")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, f); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f, _ = os.Open(file)
	defer f.Close()
	if err := badgerstore.Restore(dir, f); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	restored := open(t, dir)
	if _, err := restored.UserByUserID(ctx, "backed-up"); err != nil {
		t.Errorf("user after restore: %v", err)
	}
	s, err := restored.Session(ctx, "session-backup")
	if err != nil || s.UserID != u.ID {
		t.Errorf("session after restore: got %+v, %v", s, err)
	}
	// A store is never restored over another.
	f.Seek(0, 0)
	if err := badgerstore.Restore(dir, f); err == nil {
		t.Errorf("Restore over an open store: no error")
	}
	if err := badgerstore.Restore(t.TempDir(), strings.NewReader("not a backup")); err == nil {
		t.Errorf("Restore of garbage: no error")
	}
}

func TestLogger(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	l := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelDebug}))
	db := mustOpen(t, t.TempDir(), badgerstore.WithLogger(l))
	db.Close()
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(buf.String(), "component=badger") {
		t.Errorf("no Badger log record reached the logger; got %q", buf.String())
	}
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestBigRecords changes segment memberships of users whose records are as
// big as values kept in the LSM tree get, in the SmallDevice profile, whose
// transactions are small: the work is split, nothing fails.
func TestBigRecords(t *testing.T) {
	db := open(t, t.TempDir(), badgerstore.SmallDevice())
	seg, err := db.CreateSegment(ctx, "big")
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 1000)
	var ids []string
	for i := range 300 {
		u, err := db.CreateUser(ctx, store.User{Attributes: map[string]string{"a": long, "b": long, "c": long, "d": long[:900], "n": strconv.Itoa(i)}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	if err := db.AddToSegments(ctx, []string{seg.ID}, ids); err != nil {
		t.Fatalf("AddToSegments: %v", err)
	}
	page, err := db.ListUsers(ctx, store.UserQuery{Filters: []store.Filter{{Field: store.FieldSegment, Op: store.OpEquals, Value: seg.ID}}})
	if err != nil || len(page.Users) != store.MaxPageSize {
		t.Fatalf("members: got %d, %v", len(page.Users), err)
	}
	if err := db.DeleteSegment(ctx, seg.ID); err != nil {
		t.Fatalf("DeleteSegment: %v", err)
	}
	u, err := db.User(ctx, ids[len(ids)-1])
	if err != nil || len(u.Segments) != 0 {
		t.Errorf("user after DeleteSegment: segments %v, %v", u.Segments, err)
	}
}

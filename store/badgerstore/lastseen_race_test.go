package badgerstore

import (
	"bytes"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// TestLastSeenRetie moves sessions from user to user (users of other lock
// stripes, so that turns start again with another lock) while the users
// have moves pending, with lastSeen written at every turn or kept for a
// minute, then deletes a user whose move is pending: the index must stay in
// step, and hold nothing of the deleted user.
func TestLastSeenRetie(t *testing.T) {
	for _, every := range []time.Duration{0, time.Minute} {
		t.Run("every="+every.String(), func(t *testing.T) {
			now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
			db, err := Open(t.TempDir(), WithLastSeenEvery(every), WithClock(func() time.Time { return now }))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var a, b, c string
			for i := 0; c == ""; i++ {
				u, err := db.CreateUser(ctx, store.User{UserID: "user-" + itoa(i)})
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case a == "":
					a = u.ID
				case b == "" && db.stripe(u.ID) != db.stripe(a):
					b = u.ID
				case b != "" && db.stripe(u.ID) != db.stripe(a) && db.stripe(u.ID) != db.stripe(b):
					c = u.ID
				}
			}
			tie := func(sid, id string, attrs map[string]string) {
				t.Helper()
				now = now.Add(20 * time.Second)
				err := db.Update(ctx, sid, func(t *store.Turn) error {
					if err := t.SetUser(id); err != nil {
						return err
					}
					for k, v := range attrs {
						t.User.Attributes = store.MergeAttributes(t.User.Attributes, map[string]string{k: v})
					}
					t.Append(store.Message{Type: store.UserMessage, Text: "hi"})
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			check := func(what string) {
				t.Helper()
				if err := db.CheckLastSeenIndex(); err != nil {
					t.Errorf("%s: %v", what, err)
				}
			}
			tie("session-one", a, nil)
			tie("session-two", b, map[string]string{"plan": "free"})
			tie("session-one", b, map[string]string{"plan": "gold"}) // a to b
			tie("session-two", a, nil)                               // b to a
			tie("session-one", c, nil)                               // b to c
			check("sessions moved between users")
			tie("session-one", a, map[string]string{"plan": "silver"}) // c to a
			tie("session-two", c, map[string]string{"plan": "bronze"}) // a to c
			if n := db.PendingMoves(); n == 0 {
				t.Fatal("no move pending")
			}
			if err := db.DeleteUser(ctx, a); err != nil {
				t.Fatal(err)
			}
			tie("session-one", b, nil) // the session of a deleted user
			check("a user deleted with a move pending")
			err = db.bdb.View(func(txn *badger.Txn) error {
				return eachItem(txn, []byte{kLastSeen}, func(item *badger.Item) error {
					if bytes.HasSuffix(item.Key(), rawID(a)) {
						t.Errorf("the deleted user is still in the index at %x", item.Key())
					}
					return nil
				})
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestLastSeenChurn runs at once turns that move sessions from user to
// user, segment memberships and deletions of segments (which rewrite the
// members), deletions and creations of users, pages sorted by lastSeen and
// a backup, with lastSeen kept for a while and flushes often: the index
// must end in step, in the store, once reopened, and in the restored
// backup.
func TestLastSeenChurn(t *testing.T) {
	dir := t.TempDir()
	base := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	var tick atomic.Int64
	clock := func() time.Time { return base.Add(time.Duration(tick.Add(1)) * 10 * time.Millisecond) }
	opts := []Option{WithLastSeenEvery(time.Second), WithClock(clock)}
	db, err := Open(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()
	db.lastSeen.max = 4 // the flush loop runs often

	var mu sync.Mutex
	users := make([]string, 16)
	made := 0
	newUser := func(i int) {
		u, err := db.CreateUser(ctx, store.User{UserID: "churn-" + itoa(made)})
		if err != nil {
			t.Error(err)
			return
		}
		made++
		users[i] = u.ID
	}
	for i := range users {
		newUser(i)
	}
	user := func(i int) string {
		mu.Lock()
		defer mu.Unlock()
		return users[i%len(users)]
	}
	ok := func(err error) bool {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Error(err)
			return false
		}
		return true
	}
	const rounds = 80
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range rounds {
				id := user(g*7 + i)
				err := db.Update(ctx, "session-churn-"+itoa(g*4+i%4), func(t *store.Turn) error {
					if err := t.SetUser(id); err != nil {
						return err
					}
					if i%5 == 0 {
						t.StartThread()
					}
					t.Append(store.Message{Type: store.UserMessage, Text: "hi"})
					return nil
				})
				if !ok(err) {
					return
				}
			}
		})
	}
	wg.Go(func() { // segments
		seg, err := db.CreateSegment(ctx, "churn")
		if !ok(err) {
			return
		}
		for i := range rounds / 2 {
			ids := []string{user(i), user(i + 3), user(i + 8)}
			switch i % 4 {
			case 0, 1:
				err = db.AddToSegments(ctx, []string{seg.ID}, ids)
			case 2:
				err = db.RemoveFromSegments(ctx, []string{seg.ID}, ids[:1])
			case 3:
				if err = db.DeleteSegment(ctx, seg.ID); err == nil {
					seg, err = db.CreateSegment(ctx, "churn")
				}
			}
			if !ok(err) {
				return
			}
		}
	})
	wg.Go(func() { // users deleted and replaced
		for i := range rounds / 8 {
			if !ok(db.DeleteUser(ctx, user(i*5))) {
				return
			}
			mu.Lock()
			newUser(i * 5 % len(users))
			mu.Unlock()
		}
	})
	var backup bytes.Buffer
	wg.Go(func() { // pages, and a backup half way
		for i := range rounds / 4 {
			if i == rounds/8 {
				if err := db.Backup(ctx, &backup); err != nil {
					t.Error(err)
					return
				}
			}
			q := store.UserQuery{Sort: store.SortLastSeen, Limit: 5}
			// A user listed at a stale place names a cursor elsewhere:
			// the walk could go round for ever.
			for pages := 0; ; pages++ {
				if pages == 200 {
					t.Error("paging by lastSeen does not end")
					return
				}
				p, err := db.ListUsers(ctx, q)
				if !ok(err) {
					return
				}
				seen := map[string]bool{}
				for j, u := range p.Users {
					if seen[u.ID] {
						t.Errorf("user %s twice in a page", u.ID)
					}
					seen[u.ID] = true
					if j > 0 && u.LastSeen.After(p.Users[j-1].LastSeen) {
						t.Errorf("page out of order: %v after %v", u.LastSeen, p.Users[j-1].LastSeen)
					}
				}
				if p.Next == "" || err != nil {
					break // err: the cursor's user was deleted
				}
				q.After = p.Next
			}
		}
	})
	wg.Wait()
	if err := db.CheckLastSeenIndex(); err != nil {
		t.Errorf("after the churn: %v", err)
	}
	db = reopen(t, db, dir, opts...)
	if err := db.CheckLastSeenIndex(); err != nil {
		t.Errorf("reopened: %v", err)
	}
	restored := t.TempDir()
	if err := Restore(restored, &backup); err != nil {
		t.Fatal(err)
	}
	r := mustOpenDB(t, restored)
	defer r.Close()
	if err := r.CheckLastSeenIndex(); err != nil {
		t.Errorf("restored: %v", err)
	}
}

// TestLastSeenBackupInMemory backs up an in-memory store while a turn's
// move in the lastSeen index is pending: the restored store must list the
// user where its record says. An in-memory store never sets openKey and
// Backup does not flush: Restore itself must have the index repaired (before
// it did, the user was listed at its old place, and twice after a turn).
func TestLastSeenBackupInMemory(t *testing.T) {
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	db, err := Open("", InMemory(), WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.CreateUser(ctx, store.User{UserID: "joe"})
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	turnAs(t, db, "session-joe", u.ID)
	if n := db.PendingMoves(); n != 1 {
		t.Fatalf("pending moves: got %d, want 1", n)
	}
	var backup bytes.Buffer
	if err := db.Backup(ctx, &backup); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Restore(dir, &backup); err != nil {
		t.Fatal(err)
	}
	restored := mustOpenDB(t, dir)
	defer restored.Close()
	if err := restored.CheckLastSeenIndex(); err != nil {
		t.Error(err)
	}
	p, err := restored.ListUsers(ctx, store.UserQuery{Sort: store.SortLastSeen})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Users) != 1 || !p.Users[0].LastSeen.Equal(now) {
		t.Errorf("restored, sorted by lastSeen: got %+v, want joe at %v", p.Users, now)
	}
	// The next turn moves joe from where the record says, not from where
	// the index holds him: he is then listed twice.
	now = now.Add(time.Hour)
	restored.now = func() time.Time { return now }
	turnAs(t, restored, "session-joe", u.ID)
	p, err = restored.ListUsers(ctx, store.UserQuery{Sort: store.SortLastSeen})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Users) != 1 {
		t.Errorf("restored, after a turn, sorted by lastSeen: got %d users, want 1", len(p.Users))
	}
}

// TestLastSeenBehindConcurrent runs turns that leave their users' records
// behind and turns that change the users, while flushes run all the time
// and readers check that every read sees what was acknowledged before it:
// a flush must never write a record older than one a turn committed.
func TestLastSeenBehindConcurrent(t *testing.T) {
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.lastSeen.max = 2 // the flush loop runs all the time
	const users, turns = 8, 300
	type acked struct{ n, at atomic.Int64 } // attribute n and lastSeen of the last acknowledged turn
	ids := make([]string, users)
	acks := make([]acked, users)
	for i := range ids {
		u, err := db.CreateUser(ctx, store.User{UserID: "user-" + itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = u.ID
	}
	var wg sync.WaitGroup
	var done atomic.Bool
	for i, id := range ids {
		wg.Go(func() {
			for k := 1; k <= turns; k++ {
				var at time.Time
				err := db.Update(ctx, "session-user-"+itoa(i), func(t *store.Turn) error {
					if t.User == nil {
						if err := t.SetUser(id); err != nil {
							return err
						}
					}
					if k%3 == 0 {
						t.User.Attributes = map[string]string{"n": itoa(k)}
					}
					at = t.Now
					t.Append(store.Message{Type: store.UserMessage, Text: "hi"})
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
				if k%3 == 0 {
					acks[i].n.Store(int64(k))
				}
				acks[i].at.Store(at.UnixNano())
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			for !done.Load() {
				for i, id := range ids {
					n, at := acks[i].n.Load(), acks[i].at.Load()
					u, err := db.User(ctx, id)
					if err != nil {
						t.Error(err)
						return
					}
					got, _ := strconv.Atoi(u.Attributes["n"])
					if int64(got) < n || u.LastSeen.UnixNano() < at {
						t.Errorf("user %d: read n=%d at %v after n=%d at %v was acknowledged", i, got, u.LastSeen, n, time.Unix(0, at).UTC())
						return
					}
				}
			}
		})
	}
	go func() {
		for i := range ids {
			for acks[i].at.Load() == 0 || acks[i].n.Load() < turns {
				time.Sleep(time.Millisecond)
				if t.Failed() {
					break
				}
			}
		}
		done.Store(true)
	}()
	wg.Wait()
	if err := db.CheckLastSeenIndex(); err != nil {
		t.Error(err)
	}
	for i, id := range ids {
		u, err := db.User(ctx, id)
		if err != nil || u.Attributes["n"] != itoa(turns) || u.LastSeen.UnixNano() != acks[i].at.Load() {
			t.Errorf("user %d at the end: %+v (%v)", i, u, err)
		}
	}
}

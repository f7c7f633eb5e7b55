package badgerstore

import (
	"bytes"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// TestSameUser changes each field of a user in turn: sameUser must see
// every change, or a turn would not write it (a field added to store.User
// and not to sameUser fails here).
func TestSameUser(t *testing.T) {
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	base := store.User{
		ID: "5b7ff8476fcccc33c9249a80", UserID: "joe", Attributes: map[string]string{"plan": "free"},
		Segments: []string{"5c46d514bda7873576a30c48"}, Conversations: 2, SessionID: "session-joe",
		CreatedAt: now, LastSeen: now,
	}
	if c := base.Clone(); !sameUser(&base, &c) {
		t.Fatal("a clone differs")
	}
	typ := reflect.TypeFor[store.User]()
	for i := range typ.NumField() {
		c := base.Clone()
		f := reflect.ValueOf(&c).Elem().Field(i)
		switch v := f.Addr().Interface().(type) {
		case *string:
			*v += "x"
		case *bool:
			*v = !*v
		case *int:
			*v++
		case *time.Time:
			*v = v.Add(time.Millisecond)
		case *map[string]string:
			*v = map[string]string{"plan": "gold"}
		case *[]string:
			*v = append(*v, "5c46d514bda7873576a30c49")
		default:
			t.Fatalf("field %s: no change for type %s", typ.Field(i).Name, f.Type())
		}
		if sameUser(&base, &c) {
			t.Errorf("field %s changed, sameUser reports no change", typ.Field(i).Name)
		}
	}
}

// TestLastSeenEvery runs turns of one user's session with lastSeen kept
// for a minute: a turn within the minute that changes nothing else leaves
// the user's record unwritten; a later turn moves lastSeen, and its index
// entry; a turn that changes the user writes it, keeping lastSeen.
func TestLastSeenEvery(t *testing.T) {
	start := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	now := start
	db, err := Open("", InMemory(), WithLastSeenEvery(time.Minute), WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.CreateUser(ctx, store.User{UserID: "joe"})
	if err != nil {
		t.Fatal(err)
	}
	turn := func(at time.Duration, fn func(t *store.Turn)) {
		t.Helper()
		now = start.Add(at)
		err := db.Update(ctx, "session-joe", func(t *store.Turn) error {
			if t.User == nil {
				if err := t.SetUser(u.ID); err != nil {
					return err
				}
			}
			t.Append(store.Message{Type: store.UserMessage, Text: "hi"})
			if fn != nil {
				fn(t)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	version := func() uint64 {
		var v uint64
		db.bdb.View(func(txn *badger.Txn) error {
			item, err := txn.Get(key1(kUser, u.ID))
			if err != nil {
				t.Fatal(err)
			}
			v = item.Version()
			return nil
		})
		return v
	}
	check := func(what string, lastSeen time.Duration, plan string, conversations int) {
		t.Helper()
		got, err := db.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := start.Add(lastSeen); !got.LastSeen.Equal(want) || got.Attributes["plan"] != plan || got.Conversations != conversations {
			t.Errorf("%s: lastSeen %v, plan %q, conversations %d; want %v, %q, %d",
				what, got.LastSeen, got.Attributes["plan"], got.Conversations, want, plan, conversations)
		}
		p, err := db.ListUsers(ctx, store.UserQuery{Sort: store.SortLastSeen, Filters: []store.Filter{
			{Field: store.FieldLastSeen, Op: store.OpAfter, Time: start.Add(lastSeen - time.Millisecond)}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Users) != 1 || !p.Users[0].LastSeen.Equal(start.Add(lastSeen)) {
			t.Errorf("%s: listed by lastSeen: %+v", what, p.Users)
		}
	}
	turn(0, func(t *store.Turn) { t.StartThread() })
	check("first turn", 0, "", 1)
	v := version()
	turn(30*time.Second, nil)
	if version() != v {
		t.Error("a turn within the minute that changed nothing else wrote the user")
	}
	check("within the minute", 0, "", 1)
	turn(70*time.Second, nil)
	check("after the minute", 70*time.Second, "", 1)
	turn(80*time.Second, func(t *store.Turn) { t.User.Attributes = map[string]string{"plan": "gold"} })
	check("a change within the minute", 70*time.Second, "gold", 1)
	turn(90*time.Second, func(t *store.Turn) { t.StartThread() })
	check("a new conversation within the minute", 70*time.Second, "gold", 2)
	if _, err := Open("", InMemory(), WithLastSeenEvery(-time.Second)); err == nil {
		t.Error("WithLastSeenEvery(-1s): no error")
	}
}

// behind opens a store in dir whose users u1…u3 each had a turn, in that
// order, one second apart, so that their moves in the lastSeen index are
// pending; the clock then stands at the last turn.
func behind(t *testing.T, dir string) (db *DB, users []string) {
	t.Helper()
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	db, err := Open(dir, WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for i := range 3 {
		u, err := db.CreateUser(ctx, store.User{UserID: "user-" + itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, u.ID)
	}
	for i, id := range users {
		now = now.Add(time.Second)
		turnAs(t, db, "session-user-"+itoa(i), id)
	}
	if n := db.PendingMoves(); n != 3 {
		t.Fatalf("pending moves: got %d, want 3", n)
	}
	return db, users
}

// turnAs runs a turn of session sid tied to user id.
func turnAs(t *testing.T, db *DB, sid, id string) {
	t.Helper()
	err := db.Update(ctx, sid, func(t *store.Turn) error {
		if t.User == nil {
			if err := t.SetUser(id); err != nil {
				return err
			}
		}
		t.Append(store.Message{Type: store.UserMessage, Text: "hi"})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLastSeenWrittenBehind checks that what a turn leaves to the flush is
// never missed: by a page sorted by lastSeen, by each write of a user
// outside a turn, and by Close.
func TestLastSeenWrittenBehind(t *testing.T) {
	t.Run("ListUsers", func(t *testing.T) {
		db, users := behind(t, t.TempDir())
		p, err := db.ListUsers(ctx, store.UserQuery{Sort: store.SortLastSeen})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range p.Users {
			got = append(got, u.ID)
		}
		if want := []string{users[2], users[1], users[0]}; !reflect.DeepEqual(got, want) {
			t.Errorf("sorted by lastSeen: got %v, want %v", got, want)
		}
		if n := db.PendingMoves(); n != 0 {
			t.Errorf("pending moves after the page: %d", n)
		}
	})
	for _, c := range []struct {
		name  string
		write func(db *DB, id string) error
	}{
		{"UpdateUser", func(db *DB, id string) error {
			_, err := db.UpdateUser(ctx, id, map[string]string{"plan": "gold"})
			return err
		}},
		{"SetBanned", func(db *DB, id string) error { return db.SetBanned(ctx, id, true) }},
		{"AddToSegments", func(db *DB, id string) error {
			seg, err := db.CreateSegment(ctx, "vip")
			if err != nil {
				return err
			}
			return db.AddToSegments(ctx, []string{seg.ID}, []string{id})
		}},
		{"DeleteSegment", func(db *DB, id string) error {
			seg, err := db.CreateSegment(ctx, "vip")
			if err != nil {
				return err
			}
			if err := db.AddToSegments(ctx, []string{seg.ID}, []string{id}); err != nil {
				return err
			}
			turnAs(t, db, "session-user-1", id) // a move pending again
			return db.DeleteSegment(ctx, seg.ID)
		}},
		{"DeleteUser", func(db *DB, id string) error { return db.DeleteUser(ctx, id) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, users := behind(t, t.TempDir())
			if err := c.write(db, users[1]); err != nil {
				t.Fatal(err)
			}
			if err := db.CheckLastSeenIndex(); err != nil {
				t.Error(err)
			}
		})
	}
	t.Run("Close", func(t *testing.T) {
		dir := t.TempDir()
		db, _ := behind(t, dir)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		bdb, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
		if err != nil {
			t.Fatal(err)
		}
		err = bdb.View(func(txn *badger.Txn) error {
			if _, err := txn.Get(openKey); err == nil {
				t.Error("the open key is still there after Close")
			}
			return nil
		})
		bdb.Close()
		if err != nil {
			t.Fatal(err)
		}
		db = reopen(t, mustOpenDB(t, dir), dir)
		if err := db.CheckLastSeenIndex(); err != nil {
			t.Error(err)
		}
	})
}

func mustOpenDB(t *testing.T, dir string) *DB {
	t.Helper()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// TestLastSeenPutBack fails a flush, written or not, while a user moves
// again: the next flush must leave the index in step.
func TestLastSeenPutBack(t *testing.T) {
	for _, landed := range []bool{false, true} {
		t.Run(map[bool]string{false: "lost", true: "landed"}[landed], func(t *testing.T) {
			db, users := behind(t, t.TempDir())
			moves := db.lastSeen.take(nil)
			if landed {
				if err := db.writeMoves(moves); err != nil {
					t.Fatal(err)
				}
			}
			// Two users move again, one of them in another session.
			turnAs(t, db, "session-user-0", users[0])
			turnAs(t, db, "session-user-9", users[1])
			db.lastSeen.putBack(moves)
			if err := db.CheckLastSeenIndex(); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestLastSeenRepair opens stores whose index is out of step with the user
// records, as a process that stopped without Close leaves them: Open must
// rebuild it.
func TestLastSeenRepair(t *testing.T) {
	t.Run("Restore", func(t *testing.T) {
		db, _ := behind(t, t.TempDir())
		var backup bytes.Buffer
		if err := db.Backup(ctx, &backup); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if err := Restore(dir, &backup); err != nil {
			t.Fatal(err)
		}
		db = mustOpenDB(t, dir)
		defer db.Close()
		if err := db.CheckLastSeenIndex(); err != nil {
			t.Error(err)
		}
	})
	t.Run("Damaged", func(t *testing.T) {
		dir := t.TempDir()
		db, users := behind(t, dir)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		bdb, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
		if err != nil {
			t.Fatal(err)
		}
		err = bdb.Update(func(txn *badger.Txn) error {
			recs := make([][]byte, len(users))
			lastSeen := make([]time.Time, len(users))
			for i, id := range users {
				item, err := txn.Get(key1(kUser, id))
				if err != nil {
					return err
				}
				if recs[i], err = item.ValueCopy(nil); err != nil {
					return err
				}
				var u store.User
				if err := decodeUser(recs[i], id, &u); err != nil {
					return err
				}
				lastSeen[i] = u.LastSeen
			}
			for _, kv := range []struct {
				key []byte
				val []byte // nil: delete
			}{
				{openKey, []byte{}},
				{lastSeenKey(lastSeen[0], users[0]), nil},                              // missing
				{lastSeenKey(lastSeen[1].Add(-time.Hour), users[1]), recs[1]},          // stale place
				{lastSeenKey(lastSeen[2], users[2]), recs[0]},                          // stale copy
				{lastSeenKey(lastSeen[2], "5b7ff8476fcccc33c9249a80"), recs[2]},        // nobody's
				{append(lastSeenKey(lastSeen[2], users[2])[:9], "short"...), []byte{}}, // malformed
			} {
				if kv.val == nil {
					err = txn.Delete(kv.key)
				} else {
					err = txn.Set(kv.key, kv.val)
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		bdb.Close()
		if err != nil {
			t.Fatal(err)
		}
		db = mustOpenDB(t, dir)
		defer db.Close()
		if err := db.CheckLastSeenIndex(); err != nil {
			t.Error(err)
		}
	})
}

// TestLastSeenConcurrent runs turns that move users (some of them from
// session to session), writes of users outside turns, deletions, pages
// sorted by lastSeen and flushes all at once; the index must end in step,
// and each page in order.
func TestLastSeenConcurrent(t *testing.T) {
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.lastSeen.max = 8 // the flush loop runs often
	var users []string
	for i := range 12 {
		u, err := db.CreateUser(ctx, store.User{UserID: "user-" + itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, u.ID)
	}
	const rounds = 60
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			for i := range rounds {
				id := users[(g+i)%len(users)]
				err := db.Update(ctx, "session-conc-"+itoa(g*3+i%3), func(t *store.Turn) error {
					if t.User == nil || t.User.ID != id {
						if err := t.SetUser(id); err != nil {
							return err
						}
					}
					t.Append(store.Message{Type: store.UserMessage, Text: "hi"})
					return nil
				})
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for i := range rounds {
			id := users[i%len(users)]
			var err error
			switch i % 3 {
			case 0:
				_, err = db.UpdateUser(ctx, id, map[string]string{"round": itoa(i)})
			case 1:
				err = db.SetBanned(ctx, id, i%2 == 0)
			case 2:
				if i == 32 {
					err = db.DeleteUser(ctx, users[len(users)-1])
				}
			}
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				t.Error(err)
				return
			}
		}
	})
	wg.Go(func() {
		for range rounds / 2 {
			q := store.UserQuery{Sort: store.SortLastSeen}
			for pages := 0; ; pages++ {
				if pages > len(users) {
					t.Error("paging by lastSeen does not end")
					return
				}
				p, err := db.ListUsers(ctx, q)
				if err != nil {
					t.Error(err)
					return
				}
				for i := 1; i < len(p.Users); i++ {
					if p.Users[i].LastSeen.After(p.Users[i-1].LastSeen) {
						t.Errorf("page out of order: %v after %v", p.Users[i].LastSeen, p.Users[i-1].LastSeen)
					}
				}
				if p.Next == "" {
					break
				}
				q.After = p.Next
			}
		}
	})
	wg.Wait()
	if err := db.CheckLastSeenIndex(); err != nil {
		t.Error(err)
	}
}

// TestLastSeenPutBackRepeated fails flushes again and again while a user
// keeps moving: the places a move may still have to clear stay few.
func TestLastSeenPutBackRepeated(t *testing.T) {
	db, users := behind(t, t.TempDir())
	for i := range 5 {
		moves := db.lastSeen.take(nil)
		// The clock stands: the turn moves the user by changing it.
		err := db.Update(ctx, "session-user-0", func(t *store.Turn) error {
			t.User.Attributes = map[string]string{"round": itoa(i)}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		db.lastSeen.putBack(moves)
	}
	if also := db.lastSeen.pending[users[0]].also; len(also) > 2 {
		t.Errorf("a move kept %d other places: %v", len(also), also)
	}
	if err := db.CheckLastSeenIndex(); err != nil {
		t.Error(err)
	}
}

// TestLastSeenReconcile fails a turn's commit after the fact, written or
// not, with the user's move pending or not: reconcile must put the user
// where its record says.
func TestLastSeenReconcile(t *testing.T) {
	for _, c := range []struct {
		name             string
		written, pending bool
	}{
		{"written", true, false},
		{"lost", false, false},
		{"written/pending", true, true},
		{"lost/pending", false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, users := behind(t, t.TempDir())
			id := users[1]
			if !c.pending {
				if err := db.CheckLastSeenIndex(); err != nil { // flushes
					t.Fatal(err)
				}
			}
			old, err := db.User(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			tried := old.LastSeen.Add(time.Minute)
			if c.written {
				u := old.Clone()
				u.LastSeen = tried
				err := db.bdb.Update(func(txn *badger.Txn) error {
					_, err := putUserRecord(txn, &old, &u)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			db.reconcile(id, old.LastSeen, tried)
			if db.lastSeen.lost.Load() {
				t.Error("reconcile gave up")
			}
			if err := db.CheckLastSeenIndex(); err != nil {
				t.Error(err)
			}
		})
	}
}

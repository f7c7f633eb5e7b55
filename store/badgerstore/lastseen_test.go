package badgerstore

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"sync/atomic"
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

// behind opens a store in dir whose users u1…u3 each had two turns, in
// that order, one second apart, so that their records and moves in the
// lastSeen index are behind; the clock then stands at the last turn.
func behind(t *testing.T, dir string) (db *DB, users []string) {
	db, users, _ = behindClock(t, dir)
	return db, users
}

// behindClock is behind, and also returns a function that moves the clock
// on by a second.
func behindClock(t *testing.T, dir string) (db *DB, users []string, tick func()) {
	t.Helper()
	start := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	var seconds atomic.Int64
	tick = func() { seconds.Add(1) }
	db, err := Open(dir, WithClock(func() time.Time { return start.Add(time.Duration(seconds.Load()) * time.Second) }))
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
	// A session's first turn writes its user (who gets the session); the
	// second leaves the user's record behind.
	for range 2 {
		for i, id := range users {
			tick()
			turnAs(t, db, "session-user-"+itoa(i), id)
		}
	}
	if n := db.PendingMoves(); n != 3 {
		t.Fatalf("pending moves: got %d, want 3", n)
	}
	return db, users, tick
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
		{"DeleteUser", func(db *DB, id string) error {
			if err := db.DeleteUser(ctx, id); err != nil {
				return err
			}
			// No journal key may keep the user's id.
			return db.bdb.View(func(txn *badger.Txn) error {
				return eachItem(txn, []byte{kJournal}, func(item *badger.Item) error {
					return item.Value(func(v []byte) error {
						if bytes.Contains(v, rawID(id)) {
							return fmt.Errorf("journal key %x holds the deleted user", item.Key())
						}
						return nil
					})
				})
			})
		}},
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
		bdb, err := badger.Open(rawOptions(dir))
		if err != nil {
			t.Fatal(err)
		}
		err = bdb.View(func(txn *badger.Txn) error {
			if _, err := txn.Get(openKey); err == nil {
				t.Error("the open key is still there after Close")
			}
			if n := countKeys(txn, kJournal); n > 0 {
				t.Errorf("%d journal keys after Close", n)
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

// countKeys returns the number of keys of a kind.
func countKeys(txn *badger.Txn, kind byte) int {
	n := 0
	eachItem(txn, []byte{kind}, func(*badger.Item) error { n++; return nil })
	return n
}

// recordLastSeen returns the lastSeen that user id's record holds.
func recordLastSeen(t *testing.T, db *DB, id string) time.Time {
	t.Helper()
	var u *store.User
	err := db.bdb.View(func(txn *badger.Txn) error {
		var err error
		u, err = loadUser(txn, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return u.LastSeen
}

// lastSeens returns the users' lastSeen as db.User reads them.
func lastSeens(t *testing.T, db *DB, users []string) map[string]time.Time {
	t.Helper()
	m := map[string]time.Time{}
	for _, id := range users {
		u, err := db.User(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		m[id] = u.LastSeen
	}
	return m
}

// TestLastSeenBehindReads reads users whose records are behind: every read
// must see their latest lastSeen.
func TestLastSeenBehindReads(t *testing.T) {
	db, users := behind(t, t.TempDir())
	latest := db.now()
	id := users[2]
	if got := recordLastSeen(t, db, id); !got.Before(latest) {
		t.Fatalf("the record is not behind: lastSeen %v", got)
	}
	check := func(what string, u store.User, err error) {
		t.Helper()
		if err != nil || !u.LastSeen.Equal(latest) {
			t.Errorf("%s: lastSeen %v (%v), want %v", what, u.LastSeen, err, latest)
		}
	}
	u, err := db.User(ctx, id)
	check("User", u, err)
	u, err = db.UserByUserID(ctx, "user-2")
	check("UserByUserID", u, err)
	p, err := db.ListUsers(ctx, store.UserQuery{Limit: 1})
	check("ListUsers by createdAt", p.Users[0], err)
	if db.PendingMoves() == 0 {
		t.Fatal("a page sorted by createdAt flushed")
	}
	p, err = db.ListUsers(ctx, store.UserQuery{Filters: []store.Filter{
		{Field: store.FieldLastSeen, Op: store.OpAfter, Time: latest.Add(-time.Millisecond)}}})
	if err != nil || len(p.Users) != 1 || p.Users[0].ID != id {
		t.Errorf("ListUsers filtered by lastSeen: %+v (%v), want user %s alone", p.Users, err, id)
	}
	if got := recordLastSeen(t, db, id); !got.Equal(latest) {
		t.Errorf("after a page filtered by lastSeen, the record's lastSeen is %v, want %v", got, latest)
	}
}

// TestLastSeenCrash stops a store as a crash would, with records behind:
// Open must give every user its latest lastSeen, from the journal keys.
func TestLastSeenCrash(t *testing.T) {
	dir := t.TempDir()
	db, users := behind(t, dir)
	want := lastSeens(t, db, users)
	if err := db.Crash(); err != nil {
		t.Fatal(err)
	}
	db = mustOpenDB(t, dir)
	defer db.Close()
	for _, id := range users {
		if got := recordLastSeen(t, db, id); !got.Equal(want[id]) {
			t.Errorf("user %s: lastSeen %v after the crash, want %v", id, got, want[id])
		}
	}
	if err := db.CheckLastSeenIndex(); err != nil {
		t.Error(err)
	}
	db.bdb.View(func(txn *badger.Txn) error {
		if n := countKeys(txn, kJournal); n > 0 {
			t.Errorf("%d journal keys after Open applied them", n)
		}
		return nil
	})
}

// TestLastSeenBackupBehind backs up a store whose records are behind: the
// restored store must give every user its latest lastSeen.
func TestLastSeenBackupBehind(t *testing.T) {
	db, users := behind(t, t.TempDir())
	want := lastSeens(t, db, users)
	var buf bytes.Buffer
	if err := db.Backup(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Restore(dir, &buf); err != nil {
		t.Fatal(err)
	}
	restored := mustOpenDB(t, dir)
	defer restored.Close()
	for _, id := range users {
		if got := recordLastSeen(t, restored, id); !got.Equal(want[id]) {
			t.Errorf("user %s: lastSeen %v once restored, want %v", id, got, want[id])
		}
	}
	if err := restored.CheckLastSeenIndex(); err != nil {
		t.Error(err)
	}
}

// TestLastSeenJournalSlots runs turns that leave their users behind, and
// flushes, in turn: group commits write over the journal keys that flushes
// made obsolete, so that their number stays that of the commits between
// two flushes.
func TestLastSeenJournalSlots(t *testing.T) {
	start := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	var ticks atomic.Int64 // the clock moves a millisecond a reading
	db, err := Open(t.TempDir(), WithClock(func() time.Time {
		return start.Add(time.Duration(ticks.Add(1)) * time.Millisecond)
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var users []string
	for i := range 3 {
		u, err := db.CreateUser(ctx, store.User{UserID: "user-" + itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, u.ID)
		turnAs(t, db, "session-user-"+itoa(i), u.ID) // writes the user: its session
	}
	const rounds = 20
	for round := range rounds {
		for i, id := range users {
			turnAs(t, db, "session-user-"+itoa(i), id)
			if u, err := db.User(ctx, id); err != nil || !recordLastSeen(t, db, id).Before(u.LastSeen) {
				t.Fatalf("round %d: the turn did not leave user %d behind (%v)", round, i, err)
			}
		}
		if err := db.CheckLastSeenIndex(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
	db.bdb.View(func(txn *badger.Txn) error {
		// Each round's commits take the slots the flush before it freed.
		if n := countKeys(txn, kJournal); n > len(users) {
			t.Errorf("%d journal keys after %d commits that wrote one, want at most %d", n, rounds*len(users), len(users))
		}
		return nil
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

// failWrites makes the writes of flushes fail, after committing them if
// landed, until the test ends or the returned function is called.
func failWrites(t *testing.T, landed bool) (stop func()) {
	testHookWriteMoves = func(wb *badger.WriteBatch) error {
		if landed {
			if err := wb.Flush(); err != nil {
				return err
			}
		}
		return errors.New("injected failure")
	}
	stop = func() { testHookWriteMoves = nil }
	t.Cleanup(stop)
	return stop
}

// TestLastSeenFailedWrite fails a flush, written or not, while a user
// moves again: the next flush must leave the records and the index in
// step, and reads see the latest lastSeen throughout.
func TestLastSeenFailedWrite(t *testing.T) {
	for _, landed := range []bool{false, true} {
		t.Run(map[bool]string{false: "lost", true: "landed"}[landed], func(t *testing.T) {
			db, users, tick := behindClock(t, t.TempDir())
			want := lastSeens(t, db, users)
			stop := failWrites(t, landed)
			if err := db.CheckLastSeenIndex(); err == nil {
				t.Fatal("the flush did not fail")
			}
			stop()
			for _, id := range users {
				if u, err := db.User(ctx, id); err != nil || !u.LastSeen.Equal(want[id]) {
					t.Errorf("user %s after a failed flush: lastSeen %v (%v), want %v", id, u.LastSeen, err, want[id])
				}
			}
			// Two users move again, one of them in another session.
			tick()
			turnAs(t, db, "session-user-0", users[0])
			turnAs(t, db, "session-user-9", users[1])
			if err := db.CheckLastSeenIndex(); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestLastSeenFailedWriteRepeated fails flushes again and again while a
// user keeps moving: the places a move may still have to clear stay few.
func TestLastSeenFailedWriteRepeated(t *testing.T) {
	db, users := behind(t, t.TempDir())
	for i := range 5 {
		stop := failWrites(t, i%2 == 1)
		if err := db.CheckLastSeenIndex(); err == nil {
			t.Fatal("the flush did not fail")
		}
		stop()
		// The clock stands: the turn moves the user by changing it.
		err := db.Update(ctx, "session-user-0", func(t *store.Turn) error {
			t.User.Attributes = map[string]string{"round": itoa(i)}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
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

// TestLastSeenClockBack runs a turn whose clock is behind the user's
// lastSeen: every read must agree on the lastSeen the turn left, before
// and after a flush.
func TestLastSeenClockBack(t *testing.T) {
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	db, err := Open("", InMemory(), WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	u, err := db.CreateUser(ctx, store.User{UserID: "user-0"})
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	turnAs(t, db, "session-user-0", u.ID)
	now = now.Add(-30 * time.Minute) // the clock goes back
	turnAs(t, db, "session-user-0", u.ID)
	before := lastSeens(t, db, []string{u.ID})[u.ID]
	if _, err := db.ListUsers(ctx, store.UserQuery{Sort: store.SortLastSeen}); err != nil {
		t.Fatal(err)
	}
	after := lastSeens(t, db, []string{u.ID})[u.ID]
	want := now.Add(30 * time.Minute) // lastSeen never goes back
	if !before.Equal(want) || !after.Equal(want) {
		t.Errorf("lastSeen before a flush: got %v, after: %v, want %v", before, after, want)
	}
}

// TestMessagesBehind checks the messages a user sent, which turns write
// behind with lastSeen: reads see the latest count while it is noted, and
// Open applies the journal after a crash.
func TestMessagesBehind(t *testing.T) {
	dir := t.TempDir()
	db, users := behind(t, dir)
	for _, id := range users {
		if u, err := db.User(ctx, id); err != nil || u.Messages != 2 {
			t.Errorf("user %s before the crash: %d messages, %v; want 2", id, u.Messages, err)
		}
		var rec *store.User
		db.bdb.View(func(txn *badger.Txn) error { rec, _ = loadUser(txn, id); return nil })
		if rec == nil || rec.Messages != 1 {
			t.Errorf("user %s: the record should be behind, with 1 message: %+v", id, rec)
		}
	}
	if err := db.Crash(); err != nil {
		t.Fatal(err)
	}
	db = mustOpenDB(t, dir)
	defer db.Close()
	for _, id := range users {
		var rec *store.User
		db.bdb.View(func(txn *badger.Txn) error { rec, _ = loadUser(txn, id); return nil })
		if rec == nil || rec.Messages != 2 {
			t.Errorf("user %s after the crash: record %+v, want 2 messages", id, rec)
		}
	}
}

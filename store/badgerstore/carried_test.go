package badgerstore

import (
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// TestSessionCarriesThread checks, after every way there is of writing a
// session or its threads, that the session's record carries its current
// thread exactly as the thread's own records give it, and that a turn read
// from disk (after a reopen, nothing in memory) numbers on from there.
func TestSessionCarriesThread(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	clock := WithClock(func() time.Time { now = now.Add(time.Second); return now })
	db, err := Open(dir, clock)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const sid = "session-carries"
	check := func(step string, wantMessages int) {
		t.Helper()
		db.bdb.View(func(txn *badger.Txn) error {
			var s store.Session
			var carried []byte
			err := get(txn, strKey(kSession, sid), func(v []byte) error {
				var err error
				carried, err = decodeSession(v, sid, &s)
				carried = append([]byte(nil), carried...)
				return err
			})
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			if carried == nil {
				t.Fatalf("%s: the session carries no thread", step)
			}
			var got store.Thread
			if err := decodeThread(carried, s.ThreadID, &got); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			want, err := loadThread(txn, s.ThreadID)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			if got != *want || got.Messages != wantMessages {
				t.Errorf("%s: carried %+v, stored %+v, want %d messages", step, got, *want, wantMessages)
			}
			return nil
		})
	}
	var first string
	turn := func(fn func(t *store.Turn)) {
		t.Helper()
		err := db.Update(ctx, sid, func(t *store.Turn) error {
			fn(t)
			t.Append(store.Message{Type: store.UserMessage, Text: "hi"}, store.Message{Type: store.BotMessage, Text: "hello"})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	turn(func(t *store.Turn) { first = t.StartThread().ID })
	check("first turn", 2)
	if _, err := db.AppendMessages(ctx, first, store.Message{Type: store.AgentMessage, Text: "Bob here"}); err != nil {
		t.Fatal(err)
	}
	check("an agent's message", 3)
	db = reopen(t, db, dir, clock)
	turn(func(t *store.Turn) { t.Thread.Mode = store.ModeAgent })
	check("a turn read from disk that changes the thread", 5)
	if _, err := db.UpdateSessionAttributes(ctx, sid, map[string]string{"plan": "gold"}); err != nil {
		t.Fatal(err)
	}
	check("session attributes", 5)
	db = reopen(t, db, dir, clock)
	turn(func(t *store.Turn) {})
	check("another turn read from disk", 7)
	turn(func(t *store.Turn) { t.StartThread() })
	check("a new thread", 2)
	if _, err := db.AppendMessages(ctx, first, store.Message{Type: store.AgentMessage, Text: "one more thing"}); err != nil {
		t.Fatal(err)
	}
	check("an agent's message in the ended thread", 2)
	if th, err := db.Thread(ctx, first); err != nil || th.Messages != 8 {
		t.Errorf("ended thread: %+v, %v; want 8 messages", th, err)
	}
}

// TestDeleteUserForgetsCarriedThread deletes a user whose thread is the
// current one of a session now tied to another user: the session, which
// stays, must not keep a copy of the deleted thread (its first message is
// the deleted user's words), and its next turn starts afresh.
func TestDeleteUserForgetsCarriedThread(t *testing.T) {
	db, err := Open("", InMemory())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const sid = "session-passed-on"
	ann, err := db.CreateUser(ctx, store.User{UserID: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	bob, err := db.CreateUser(ctx, store.User{UserID: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{ann.ID, bob.ID} {
		err := db.Update(ctx, sid, func(t *store.Turn) error {
			if err := t.SetUser(who); err != nil {
				return err
			}
			if t.Thread == nil {
				t.StartThread()
			}
			t.Append(store.Message{Type: store.UserMessage, Text: "my secret is " + who})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := db.DeleteUser(ctx, ann.ID); err != nil {
		t.Fatal(err)
	}
	db.bdb.View(func(txn *badger.Txn) error {
		return get(txn, strKey(kSession, sid), func(v []byte) error {
			var s store.Session
			if carried, _ := decodeSession(v, sid, &s); carried != nil || s.UserID != bob.ID {
				t.Errorf("session after the delete: user %s, carries %q", s.UserID, carried)
			}
			return nil
		})
	})
	var next *store.Thread
	err = db.Update(ctx, sid, func(t *store.Turn) error { next = t.Thread; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if next != nil {
		t.Errorf("the next turn continues thread %+v", *next)
	}
}

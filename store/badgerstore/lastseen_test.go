package badgerstore

import (
	"reflect"
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

package badgerstore

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/parleybot/parley/store"
)

// TestMatcherAgrees checks that filtering records in place agrees with
// store.Filter.Matches on decoded users.
func TestMatcherAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	segs := []string{"0123456789abcdef01234567", "aaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbb"}
	vals := []string{"Paris", "Par", "Berlin", "aris"}
	randUser := func() *store.User {
		u := &store.User{ID: segs[0], UserID: "u", Banned: r.IntN(2) == 0, Attributes: map[string]string{},
			CreatedAt: base.Add(time.Duration(r.IntN(10)) * time.Minute), LastSeen: base.Add(time.Duration(r.IntN(10)) * time.Minute)}
		for _, k := range []string{"city", "plan", "x"} {
			if r.IntN(3) > 0 {
				u.Attributes[k] = vals[r.IntN(len(vals))]
			}
		}
		for _, s := range segs {
			if r.IntN(2) == 0 {
				u.Segments = append(u.Segments, s)
			}
		}
		return u
	}
	randFilter := func() store.Filter {
		switch r.IntN(5) {
		case 0:
			return store.Filter{Field: []string{store.FieldCreatedAt, store.FieldLastSeen}[r.IntN(2)],
				Op: []string{store.OpBefore, store.OpAfter}[r.IntN(2)], Time: base.Add(time.Duration(r.IntN(10)) * time.Minute)}
		case 1:
			return store.Filter{Field: store.FieldSegment, Op: []string{store.OpEquals, store.OpNotEquals}[r.IntN(2)], Value: segs[r.IntN(3)]}
		case 2:
			return store.Filter{Field: store.FieldBanned, Op: store.OpEquals, Value: fmt.Sprint(r.IntN(2) == 0)}
		}
		return store.Filter{Field: "attributes." + []string{"city", "plan", "x", "y"}[r.IntN(4)],
			Op: []string{store.OpEquals, store.OpNotEquals, store.OpContains, store.OpExists}[r.IntN(4)], Value: vals[r.IntN(len(vals))]}
	}
	for i := range 5000 {
		u := randUser()
		q := store.UserQuery{Match: []string{store.MatchAll, store.MatchAny}[r.IntN(2)]}
		for range 1 + r.IntN(5) {
			q.Filters = append(q.Filters, randFilter())
		}
		q, err := q.Normalize()
		if err != nil {
			t.Fatal(err)
		}
		got, err := newMatcher(&q).match(encodeUser(nil, u))
		if err != nil {
			t.Fatal(err)
		}
		if want := q.Matches(u); got != want {
			t.Fatalf("case %d: user %+v, query %+v: got %v, want %v", i, u, q, got, want)
		}
	}
}

// TestSessionSize measures a typical idle session as stored: it must stay
// far below 2 KB.
func TestSessionSize(t *testing.T) {
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	s := &store.Session{
		ID: "c6d4bc58-4947-4f82-9e0b-67b87c6dc2de", UserID: "5b7ff847cc3c3fb33c9249a8", StoryID: "5b07fd67c2376e30306d9b0d",
		Contexts: []store.Context{
			{InteractionID: "5b07ffafc2376e30306d9b16", Lifespan: 2, Parameters: map[string]string{"size": "large", "drink": "latte"}},
			{InteractionID: "5b07ffafc2376e30306d9b17", Lifespan: 1},
		},
		Slot:       &store.SlotFilling{InteractionID: "5b07ffafc2376e30306d9b18", Parameter: "milk", Parameters: map[string]string{"size": "large"}},
		Attributes: map[string]string{"default_email": "alexis.mcglynn77@hotmail.com", "default_name": "Alexis", "group-selected": "14"},
		Visited:    []string{"5b07ffafc2376e30306d9b16", "5b07ffafc2376e30306d9b17", "5b07ffafc2376e30306d9b18"},
		Failures:   1, ThreadID: "5c486e62bda7873576a379e4",
		StartedAt: now, UpdatedAt: now, ExpiresAt: now.Add(30 * time.Minute),
	}
	b := encodeSession(nil, s)
	var back store.Session
	if err := decodeSession(b, s.ID, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, *s) {
		t.Errorf("round trip:\ngot  %+v\nwant %+v", back, *s)
	}
	const limit = 2048
	if len(b) > limit {
		t.Errorf("encoded session: got %d bytes, want ≤ %d", len(b), limit)
	}
	j, _ := json.Marshal(s)
	t.Logf("a typical session takes %d bytes (key %d bytes); encoding/json would take %d", len(b), 1+len(s.ID), len(j))
}

func TestCorruptRecord(t *testing.T) {
	u := &store.User{UserID: "u", Attributes: map[string]string{"a": "b"}, Segments: []string{"0123456789abcdef01234567"}}
	b := encodeUser(nil, u)
	for i := range len(b) {
		var got store.User
		if err := decodeUser(b[:i], "x", &got); err == nil {
			t.Errorf("decoding %d of %d bytes: no error", i, len(b))
		}
		var uv userView
		if err := parseUserView(b[:i], &uv); err == nil {
			t.Errorf("viewing %d of %d bytes: no error", i, len(b))
		}
	}
}

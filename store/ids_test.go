package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley/store"
)

// TestIDs checks that ids sort in the order they were handed out, even at
// one time or with the clock going back, and that two IDs (two processes)
// never hand out the same one.
func TestIDs(t *testing.T) {
	a, b := store.NewIDs(), store.NewIDs()
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	last := ""
	seen := map[string]bool{}
	for i := range 100 {
		at := now
		if i%3 == 2 {
			at = now.Add(-time.Hour) // the clock went back
		}
		for _, g := range []*store.IDs{a, b} {
			id := g.Next(at)
			if len(id) != 24 || seen[id] {
				t.Fatalf("id %q: want 24 hex digits, new", id)
			}
			seen[id] = true
			if g == a {
				if id <= last {
					t.Fatalf("id %q after %q", id, last)
				}
				last = id
			}
		}
	}
}

// TestNewUser checks the user a backend stores for CreateUser's input.
func TestNewUser(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.FixedZone("", 3600))
	in := store.User{Attributes: map[string]string{store.AttrEmail: "ann@example.com"}, Tags: []string{"vip", "a", "vip"}, Conversations: 4, SessionID: "s"}
	u, err := store.NewUser(&in, "id-1", now)
	if err != nil {
		t.Fatal(err)
	}
	if u.UserID != "ann@example.com" || u.ID != "id-1" || len(u.Tags) != 2 || u.Tags[0] != "a" || u.Conversations != 0 || u.SessionID != "" || u.CreatedAt.Location() != time.UTC || !u.LastSeen.Equal(now) {
		t.Errorf("NewUser = %+v", u)
	}
	if len(in.Tags) != 3 {
		t.Errorf("NewUser changed its input's tags: %v", in.Tags)
	}
	if u, err := store.NewUser(&store.User{Attributes: map[string]string{"x": "1"}}, "id-2", now); err != nil || len(u.UserID) != 36 {
		t.Errorf("without userId or email: %q, %v; want a UUID", u.UserID, err)
	}
	if _, err := store.NewUser(&store.User{UserID: strings.Repeat("x", store.MaxUserID+1), Attributes: map[string]string{"x": "1"}}, "id-3", now); err == nil {
		t.Error("a userId too long was accepted")
	}
}

package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley/store"
)

// attrs returns n attributes.
func attrs(n int) map[string]string {
	m := make(map[string]string, n)
	for i := range n {
		m[fmt.Sprintf("k%03d", i)] = "v"
	}
	return m
}

// TestLimits checks each field limit at its edges: the last value allowed
// and the first refused, as a *FieldError wrapping ErrInvalid.
func TestLimits(t *testing.T) {
	id := strings.Repeat("a", 24)
	segment := func(op string) store.UserQuery {
		return store.UserQuery{Filters: []store.Filter{{Field: store.FieldSegment, Op: op, Value: id}}}
	}
	for _, c := range []struct {
		name  string
		check func() error
		ok    bool
	}{
		{"Attributes99", func() error { return store.CheckAttributes("attributes", attrs(99)) }, true},
		{"Attributes100", func() error { return store.CheckAttributes("attributes", attrs(100)) }, false},
		{"Update99", func() error { return store.CheckAttributeUpdate("attributes", attrs(99)) }, true},
		{"Update100", func() error { return store.CheckAttributeUpdate("attributes", attrs(100)) }, false},
		// Lengths count characters: 256 two-byte runes are 512 bytes.
		{"UserID256Runes", func() error { return store.CheckUserID(strings.Repeat("é", 256)) }, true},
		{"UserID257Runes", func() error { return store.CheckUserID(strings.Repeat("é", 257)) }, false},
		{"SessionID9", func() error { return store.CheckSessionID(strings.Repeat("s", 9)) }, false},
		{"SessionID10", func() error { return store.CheckSessionID(strings.Repeat("s", 10)) }, true},
		{"SessionID64", func() error { return store.CheckSessionID(strings.Repeat("s", 64)) }, true},
		{"SessionID65", func() error { return store.CheckSessionID(strings.Repeat("s", 65)) }, false},
		{"IDLowercase", func() error { return store.CheckID("id", "0123456789abcdef01234567") }, true},
		{"IDUppercase", func() error { return store.CheckID("id", "0123456789ABCDEF01234567") }, false},
		{"Limit40", func() error { _, err := store.UserQuery{Limit: 40}.Normalize(); return err }, true},
		{"Limit41", func() error { _, err := store.UserQuery{Limit: 41}.Normalize(); return err }, false},
		{"SegmentNotEquals", func() error { _, err := segment(store.OpNotEquals).Normalize(); return err }, true},
		{"SegmentContains", func() error { _, err := segment(store.OpContains).Normalize(); return err }, false},
		{"ReactionEmptyAllowed", func() error { return store.CheckReaction("", true) }, true},
		{"ReactionEmpty", func() error { return store.CheckReaction("", false) }, false},
		{"ReactionOther", func() error { return store.CheckReaction("LOVE", true) }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.check()
			if c.ok && err != nil {
				t.Fatalf("got %v, want nil", err)
			}
			if !c.ok {
				var fe *store.FieldError
				if !errors.As(err, &fe) || !errors.Is(err, store.ErrInvalid) {
					t.Fatalf("got %v, want a *FieldError wrapping ErrInvalid", err)
				}
			}
		})
	}
}

// TestSessionExpired checks that a session expires at ExpiresAt, not
// after, and never without one.
func TestSessionExpired(t *testing.T) {
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	s := store.Session{ExpiresAt: at}
	for _, c := range []struct {
		now  time.Time
		want bool
	}{{at.Add(-time.Nanosecond), false}, {at, true}, {at.Add(time.Nanosecond), true}} {
		if got := s.Expired(c.now); got != c.want {
			t.Errorf("Expired(%v) with ExpiresAt %v: got %v, want %v", c.now, at, got, c.want)
		}
	}
	if (&store.Session{}).Expired(at) {
		t.Errorf("a session without ExpiresAt expired")
	}
}

// TestQueryMatches checks match all (every filter) and match any (one).
func TestQueryMatches(t *testing.T) {
	u := &store.User{Attributes: map[string]string{"city": "Paris", "plan": "free"}}
	paris := store.Filter{Field: "attributes.city", Op: store.OpEquals, Value: "Paris"}
	pro := store.Filter{Field: "attributes.plan", Op: store.OpEquals, Value: "pro"}
	for _, c := range []struct {
		name    string
		match   string
		filters []store.Filter
		want    bool
	}{
		{"NoFilters", store.MatchAll, nil, true},
		{"AllOneHolds", store.MatchAll, []store.Filter{paris, pro}, false},
		{"AllHold", store.MatchAll, []store.Filter{paris}, true},
		{"AnyOneHolds", store.MatchAny, []store.Filter{pro, paris}, true},
		{"AnyNoneHolds", store.MatchAny, []store.Filter{pro}, false},
	} {
		q := store.UserQuery{Match: c.match, Filters: c.filters}
		if got := q.Matches(u); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley/store"
)

func TestNormalizeDefaults(t *testing.T) {
	q, err := store.UserQuery{}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	if q.Limit != 40 || q.Sort != store.SortCreatedAt || q.Order != store.Desc || q.Match != store.MatchAll {
		t.Errorf("got %+v, want limit 40, createdAt desc, match all", q)
	}
}

func TestFieldError(t *testing.T) {
	err := store.CheckAttributes("attributes", map[string]string{store.AttrName: strings.Repeat("n", 257)})
	var fe *store.FieldError
	if !errors.As(err, &fe) || !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("got %v, want a *FieldError wrapping ErrInvalid", err)
	}
	if got, want := err.Error(), "attributes.default_name: must be 1 to 256 characters"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestCheckAttributes(t *testing.T) {
	for _, c := range []struct {
		name   string
		attrs  map[string]string
		update bool
		ok     bool
	}{
		{"OK", map[string]string{"a-b_C9": "x"}, false, true},
		{"Removal", map[string]string{"a": ""}, true, true},
		{"EmptyValue", map[string]string{"a": ""}, false, false},
		{"Dot", map[string]string{"a.b": "x"}, false, false},
		{"Unicode", map[string]string{"é": "x"}, false, false},
		{"Key128", map[string]string{strings.Repeat("k", 128): "x"}, false, true},
		{"Key129", map[string]string{strings.Repeat("k", 129): "x"}, false, false},
		{"Value1024Runes", map[string]string{"k": strings.Repeat("é", 1024)}, false, true},
		{"EmptyUpdate", map[string]string{}, true, false},
		{"NoAttributes", nil, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.update {
				err = store.CheckAttributeUpdate("attributes", c.attrs)
			} else {
				err = store.CheckAttributes("attributes", c.attrs)
			}
			if (err == nil) != c.ok {
				t.Errorf("got %v, want ok=%v", err, c.ok)
			}
		})
	}
}

func TestMergeAttributes(t *testing.T) {
	got := store.MergeAttributes(map[string]string{"a": "1", "b": "2"}, map[string]string{"a": "", "c": "3"})
	if len(got) != 2 || got["b"] != "2" || got["c"] != "3" {
		t.Errorf("got %v, want b=2 c=3", got)
	}
}

func TestFilterMatches(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	u := &store.User{Attributes: map[string]string{"city": "Paris"}, Segments: []string{"aaaaaaaaaaaaaaaaaaaaaaaa"}, CreatedAt: now, LastSeen: now}
	for _, c := range []struct {
		f    store.Filter
		want bool
	}{
		{store.Filter{Field: "attributes.city", Op: store.OpEquals, Value: "Paris"}, true},
		{store.Filter{Field: "attributes.city", Op: store.OpEquals, Value: "paris"}, false},
		{store.Filter{Field: "attributes.city", Op: store.OpNotEquals, Value: "Paris"}, false},
		{store.Filter{Field: "attributes.zip", Op: store.OpNotEquals, Value: "1"}, true},
		{store.Filter{Field: "attributes.city", Op: store.OpContains, Value: "ar"}, true},
		{store.Filter{Field: "attributes.zip", Op: store.OpExists}, false},
		{store.Filter{Field: store.FieldCreatedAt, Op: store.OpBefore, Time: now}, false},
		{store.Filter{Field: store.FieldLastSeen, Op: store.OpAfter, Time: now.Add(-1)}, true},
		{store.Filter{Field: store.FieldSegment, Op: store.OpEquals, Value: "aaaaaaaaaaaaaaaaaaaaaaaa"}, true},
		{store.Filter{Field: store.FieldSegment, Op: store.OpNotEquals, Value: "aaaaaaaaaaaaaaaaaaaaaaaa"}, false},
		{store.Filter{Field: store.FieldBanned, Op: store.OpEquals, Value: "false"}, true},
	} {
		if got := c.f.Matches(u); got != c.want {
			t.Errorf("%+v: got %v, want %v", c.f, got, c.want)
		}
	}
}

// fakeBackend lends a Turn a user and ids.
type fakeBackend struct{ n int }

func (b *fakeBackend) LoadUser(id string) (*store.User, error) {
	if id != "aaaaaaaaaaaaaaaaaaaaaaaa" {
		return nil, store.ErrNotFound
	}
	return &store.User{ID: id}, nil
}

func (b *fakeBackend) LoadThread(id string) (*store.Thread, error) {
	if id != "cccccccccccccccccccccccc" {
		return nil, store.ErrNotFound
	}
	return &store.Thread{ID: id, SessionID: "session-1", Mode: store.ModeAI}, nil
}

func (b *fakeBackend) NewID() string {
	b.n++
	return strings.Repeat("0", 23) + string(rune('0'+b.n))
}

func TestTurn(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tr := store.NewTurn(&fakeBackend{})
	tr.Now, tr.Session, tr.New = now, &store.Session{ID: "session-1"}, true
	if err := tr.SetUser("bbbbbbbbbbbbbbbbbbbbbbbb"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetUser unknown: got %v", err)
	}
	if err := tr.SetUser("aaaaaaaaaaaaaaaaaaaaaaaa"); err != nil || tr.Session.UserID != "aaaaaaaaaaaaaaaaaaaaaaaa" {
		t.Errorf("SetUser: %v, UserID %q", err, tr.Session.UserID)
	}
	tr.Append(store.Message{Type: store.UserMessage, Text: "hi"})
	first := tr.Thread
	if first == nil || !tr.NewThread() || tr.Session.ThreadID != first.ID || first.UserID != tr.Session.UserID {
		t.Fatalf("Append did not start a thread: %+v", first)
	}
	tr.Append(store.Message{Type: store.BotMessage, Text: "hello"})
	if tr.Thread != first || len(tr.Messages) != 2 {
		t.Errorf("second Append: thread %v, %d messages", tr.Thread, len(tr.Messages))
	}
	// A thread ended by the engine is not appended to.
	tr.Thread.EndedAt = now
	tr.Append(store.Message{Type: store.UserMessage, Text: "again"})
	if tr.Thread == first {
		t.Errorf("Append to an ended thread did not start another")
	}
}

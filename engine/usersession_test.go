package engine_test

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

func TestUpdateUserSessionAttributes(t *testing.T) {
	ctx := context.Background()
	fsys := fstest.MapFS{"bot.yaml": {Data: []byte(`stories:
  - name: Main
    interactions:
      - {name: Welcome, role: start, says: [hello], responses: [{text: Hi.}]}
      - {name: Fallback, role: else, responses: [{text: "What?"}]}
`)}}
	bot, err := story.Load(fsys, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e, err := engine.New(db, bot)
	if err != nil {
		t.Fatal(err)
	}
	ann, err := e.CreateUser(ctx, store.User{UserID: "ann", Attributes: map[string]string{"a": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	bob, err := e.CreateUser(ctx, store.User{UserID: "bob", Attributes: map[string]string{"a": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Chat(ctx, engine.Request{SessionID: "session-of-ann", UserID: "ann", Query: "hello"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Chat(ctx, engine.Request{SessionID: "session-of-nobody", Query: "hello"}); err != nil {
		t.Fatal(err)
	}
	attrs := map[string]string{"color": "red"}

	s, err := e.UpdateUserSessionAttributes(ctx, ann.ID, "session-of-ann", attrs)
	if err != nil {
		t.Fatalf("owner: got %v, want nil", err)
	}
	if got := s.Attributes["color"]; got != "red" {
		t.Errorf("owner: got color %q, want red", got)
	}
	for _, tc := range []struct {
		name, user, session string
		want                error
		field               string // of the *engine.NotFoundError
	}{
		{"OtherUser", bob.ID, "session-of-ann", store.ErrNotFound, "sessionId"},
		{"NoUser", ann.ID, "session-of-nobody", store.ErrNotFound, "sessionId"},
		{"UnknownSession", ann.ID, "no-such-session", store.ErrNotFound, "sessionId"},
		{"UnknownUser", "0123456789abcdef01234567", "session-of-ann", store.ErrNotFound, "id"},
		{"BadID", "ann", "session-of-ann", store.ErrInvalid, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.UpdateUserSessionAttributes(ctx, tc.user, tc.session, map[string]string{"color": "blue"})
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			var nf *engine.NotFoundError
			if errors.As(err, &nf) != (tc.field != "") || tc.field != "" && nf.Field != tc.field {
				t.Errorf("got error %#v, want a NotFoundError naming %q", err, tc.field)
			}
		})
	}
	s, err = e.Session(ctx, "session-of-ann")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Attributes["color"]; got != "red" {
		t.Errorf("after refused updates: got color %q, want red", got)
	}
}

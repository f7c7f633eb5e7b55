package engine_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// TestValueTooLong: a set action whose value renders longer than the store
// allows fails the turn with an error naming the bot file's position, is
// logged, and stores nothing of the turn; the value is never cut.
func TestValueTooLong(t *testing.T) {
	const bot = `
stories:
  - name: Main
    interactions:
      - {name: Welcome, role: start, responses: [{text: hi}]}
      - name: Note
        says: [take a note]
        parameters: [{name: text, entity: sys.any}]
        responses:
          - {set: {session: {note: "{{text}}{{text}}"}}}
          - {text: noted}
      - name: Name
        says: [call me that]
        parameters: [{name: text, entity: sys.any}]
        responses:
          - {set: {user: {default_name: "{{text}}{{text}}"}}}
          - {text: named}
      - {name: Fallback, role: else, responses: [{text: what}]}
`
	var logs bytes.Buffer
	e, err := engine.New(openMemory(t), loadBot(t, fstest.MapFS{"bot.yaml": {Data: []byte(bot)}}),
		engine.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := e.CreateUser(ctx, store.User{UserID: "ann", Attributes: map[string]string{"default_name": "Ann"}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, query string
		ok, tooLong int // lengths of the value set, twice the text parameter
		attr        string
	}{
		{"Session", "take a note", 1024, 1026, "note"},
		{"DefaultName", "call me that", 256, 258, "default_name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sid := "session-" + tc.name
			req := engine.Request{SessionID: sid, UserID: "ann", Query: tc.query,
				Parameters: map[string]string{"text": strings.Repeat("é", tc.ok/2)}}
			if _, err := e.Chat(ctx, req); err != nil {
				t.Fatalf("%d characters: got %v, want nil", tc.ok, err)
			}
			logs.Reset()
			req.Parameters["text"] = strings.Repeat("x", tc.tooLong/2)
			_, err := e.Chat(ctx, req)
			if !errors.Is(err, engine.ErrValueTooLong) {
				t.Fatalf("%d characters: got %v, want ErrValueTooLong", tc.tooLong, err)
			}
			if !strings.Contains(err.Error(), "bot.yaml:") {
				t.Errorf("got %q, want the response's position in bot.yaml", err)
			}
			if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "bot.yaml:") {
				t.Errorf("got log %q, want an ERROR line naming bot.yaml", logs.String())
			}
			var got string
			if tc.attr == "default_name" {
				u, err := e.ListUsers(ctx, store.UserQuery{})
				if err != nil {
					t.Fatal(err)
				}
				got = u.Users[0].Attributes[tc.attr]
			} else {
				s, err := e.Session(ctx, sid)
				if err != nil {
					t.Fatal(err)
				}
				got = s.Attributes[tc.attr]
			}
			if got != strings.Repeat("é", tc.ok) {
				t.Errorf("got %s of %d characters, want the value of the first turn, unchanged", tc.attr, len([]rune(got)))
			}
		})
	}
}

// TestTurnLog: at level DEBUG, each turn logs one line with its
// interaction and score; at INFO, none.
func TestTurnLog(t *testing.T) {
	var logs bytes.Buffer
	level := new(slog.LevelVar)
	e, err := engine.New(openMemory(t), loadBot(t, fstest.MapFS{"bot.yaml": {Data: []byte(echoBot)}}),
		engine.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: level}))))
	if err != nil {
		t.Fatal(err)
	}
	logs.Reset()
	if _, err := e.Chat(context.Background(), engine.Request{SessionID: "session-log", Query: "anything"}); err != nil {
		t.Fatal(err)
	}
	if logs.Len() != 0 {
		t.Errorf("at INFO: got %q, want nothing", logs.String())
	}
	level.Set(slog.LevelDebug)
	if _, err := e.Chat(context.Background(), engine.Request{SessionID: "session-log", Query: "anything"}); err != nil {
		t.Fatal(err)
	}
	line := logs.String()
	for _, want := range []string{"level=DEBUG", "msg=turn", "interaction=Fallback", "score=", "fallback=true", "session=session-log"} {
		if !strings.Contains(line, want) {
			t.Errorf("got %q, want %q in it", line, want)
		}
	}
	if n := strings.Count(line, "\n"); n != 1 {
		t.Errorf("got %d lines, want 1", n)
	}
}

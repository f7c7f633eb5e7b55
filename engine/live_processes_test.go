package engine_test

import (
	"context"
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store/pgstore"
	"github.com/parleybot/parley/store/pgstore/pgtest"
	"github.com/parleybot/parley/story"
)

// TestFollowAcrossProcesses runs two engines on one PostgreSQL schema, as
// two processes serving one bot: a reader following a thread through one
// gets the messages appended through the other, and through both at once,
// each once and in order; a reader of the whole bot gets them too.
func TestFollowAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(handoffBot)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	connString, schema := pgtest.Schema(t)
	var engines []*engine.Engine
	for range 2 {
		db, err := pgstore.Open(ctx, connString, pgstore.WithSchema(schema))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		e, err := engine.New(db, bot, engine.WithSeed(1))
		if err != nil {
			t.Fatal(err)
		}
		engines = append(engines, e)
	}
	a, b := engines[0], engines[1]
	if _, err := a.CreateThread(ctx, engine.NewThread{ThreadID: "shared"}); err != nil {
		t.Fatal(err)
	}
	f, err := b.Follow(ctx, engine.Follow{ThreadID: "shared"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := b.Follow(ctx, engine.Follow{})
	if err != nil {
		t.Fatal(err)
	}
	defer all.Close()
	if got := describe(next(t, f)); got != ":thread:AI" {
		t.Errorf("first event: got %s", got)
	}
	if _, err := a.Send(ctx, engine.Message{ThreadID: "shared", Text: "when are you open"}); err != nil {
		t.Fatal(err)
	}
	got := []string{describe(next(t, f)), describe(next(t, f))}
	if fmt.Sprint(got) != "[1:USER_MESSAGE#1 2:NORMAL_MESSAGE#2]" {
		t.Errorf("messages sent through the other process: got %v", got)
	}
	for i, want := range []string{"USER_MESSAGE#1", "NORMAL_MESSAGE#2"} {
		le := nextMessage(t, all)
		if le.Kind != engine.EventMessage || fmt.Sprintf("%s#%d", le.Message.Type, le.Message.Seq) != want {
			t.Errorf("bot feed, event %d: got %s, want %s", i, describe(le), want)
		}
	}
	// Both processes append at once: the reader gets every message once,
	// in order, whatever order the notifications come in.
	const rounds = 10
	done := make(chan error, 2)
	for _, e := range []*engine.Engine{a, b} {
		go func() {
			for range rounds {
				if _, err := e.Send(ctx, engine.Message{ThreadID: "shared", Text: "hello?"}); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	for seq := 3; seq <= 2+2*rounds*2; seq++ {
		le := next(t, f)
		if le.Kind != engine.EventMessage || le.Message.Seq != seq || le.ID != fmt.Sprint(seq) {
			t.Fatalf("message %d: got %s", seq, describe(le))
		}
	}
	// The reader of the whole bot gets them too, each once and in order;
	// one that resumes through the other process from an id this one gave
	// gets the rest.
	var ids []string
	for seq := 3; seq <= 2+2*rounds*2; seq++ {
		le := nextMessage(t, all)
		if le.Message.Seq != seq {
			t.Fatalf("bot feed, message %d: got %s", seq, describe(le))
		}
		ids = append(ids, le.ID)
	}
	resumed, err := a.Follow(ctx, engine.Follow{LastEventID: ids[9]})
	if err != nil {
		t.Fatal(err)
	}
	defer resumed.Close()
	for i := 10; i < len(ids); i++ {
		if le := nextMessage(t, resumed); le.ID != ids[i] || le.Message.Seq != i+3 {
			t.Fatalf("resumed in the other process, event %d: got %s, want %s", i, describe(le), ids[i])
		}
	}
}

// nextMessage returns the next message event of a feed of the whole bot,
// skipping thread events.
func nextMessage(t *testing.T, f *engine.Feed) engine.LiveEvent {
	t.Helper()
	for {
		if le := next(t, f); le.Kind == engine.EventMessage {
			return le
		}
	}
}

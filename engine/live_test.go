package engine_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// next reads one event of f, failing after a while (no timing is
// asserted: the bound only keeps a broken feed from hanging the test).
func next(t *testing.T, f *engine.Feed) engine.LiveEvent {
	t.Helper()
	select {
	case le, ok := <-f.C:
		if !ok {
			t.Fatalf("feed closed: %v", f.Err())
		}
		return le
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
	}
	return engine.LiveEvent{}
}

func describe(le engine.LiveEvent) string {
	switch le.Kind {
	case engine.EventMessage:
		return fmt.Sprintf("%s:%s#%d", le.ID, le.Message.Type, le.Message.Seq)
	case engine.EventThreadChanged:
		return fmt.Sprintf("%s:thread:%s", le.ID, le.Thread.Mode)
	}
	return le.ID + ":" + le.Kind.String()
}

func TestFollowThreadResume(t *testing.T) {
	ctx := context.Background()
	e, _, _ := newThreadEngine(t)
	th, err := e.CreateThread(ctx, engine.NewThread{ThreadID: "live"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.Follow(ctx, engine.Follow{ThreadID: "live"})
	if err != nil {
		t.Fatal(err)
	}
	if got := describe(next(t, f)); got != ":thread:AI" {
		t.Errorf("first event: got %s", got)
	}
	if _, err := e.Send(ctx, engine.Message{ThreadID: "live", Text: "when are you open"}); err != nil {
		t.Fatal(err)
	}
	got := []string{describe(next(t, f)), describe(next(t, f))}
	if fmt.Sprint(got) != "[1:USER_MESSAGE#1 2:NORMAL_MESSAGE#2]" {
		t.Errorf("live: got %v", got)
	}
	f.Close()
	if _, ok := <-f.C; ok {
		t.Error("C not closed after Close")
	}
	// Away: an agent answers; the reader comes back from its last id.
	if _, err := e.Escalate(ctx, th.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Send(ctx, engine.Message{ThreadID: "live", Text: "Here.", From: engine.FromAgent, Agent: engine.Agent{Name: "Bob"}}); err != nil {
		t.Fatal(err)
	}
	f, err = e.Follow(ctx, engine.Follow{ThreadID: "live", LastEventID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got = nil
	for range 4 {
		got = append(got, describe(next(t, f)))
	}
	if fmt.Sprint(got) != "[:thread:AGENT 2:NORMAL_MESSAGE#2 3:SYSTEM_MESSAGE#3 4:AGENT_MESSAGE#4]" {
		t.Errorf("resumed: got %v", got)
	}
	if _, err := e.Send(ctx, engine.Message{ThreadID: "live", Text: "thanks"}); err != nil {
		t.Fatal(err)
	}
	if got := describe(next(t, f)); got != "5:USER_MESSAGE#5" {
		t.Errorf("after resuming: got %s", got)
	}
	if _, err := e.Follow(ctx, engine.Follow{ThreadID: "live", LastEventID: "x"}); err == nil {
		t.Error("a bad LastEventID: got no error")
	}
}

func TestFollowSlowReader(t *testing.T) {
	ctx := context.Background()
	e, _, _ := newThreadEngine(t)
	if _, err := e.CreateThread(ctx, engine.NewThread{ThreadID: "slow"}); err != nil {
		t.Fatal(err)
	}
	slow, err := e.Follow(ctx, engine.Follow{ThreadID: "slow", Buffer: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	// Nobody reads slow: the turns go on regardless.
	for range 5 {
		if _, err := e.Send(ctx, engine.Message{ThreadID: "slow", Text: "opening hours"}); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	for range slow.C {
		n++
	}
	if !errors.Is(slow.Err(), engine.ErrSlowReader) {
		t.Errorf("Err: got %v, want ErrSlowReader", slow.Err())
	}
	// It resumes from the last event it had, losing nothing.
	f, err := e.Follow(ctx, engine.Follow{ThreadID: "slow", LastEventID: "0"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	next(t, f)
	for i := 1; i <= 10; i++ {
		if le := next(t, f); le.Message.Seq != i {
			t.Fatalf("resumed: got %s, want message %d", describe(le), i)
		}
	}
}

// heldMessages is a store whose reads of a thread's messages wait until
// release is closed, as on a loaded machine a feed's first read of the
// store may come well after it opened.
type heldMessages struct {
	*badgerstore.DB
	release chan struct{}
}

func (s heldMessages) Messages(ctx context.Context, threadID string, after, limit int) ([]store.Message, error) {
	<-s.release
	return s.DB.Messages(ctx, threadID, after, limit)
}

// TestFollowThreadOrder changes a thread while its feed has sent the
// thread's state but not yet read the stored messages: the reader gets
// the messages and the change in the order they happened, the change
// between the messages around it, not after the last.
func TestFollowThreadOrder(t *testing.T) {
	for _, tc := range []struct {
		name   string
		resume bool
		want   string
	}{
		{"New", false, "[:thread:AI 1:USER_MESSAGE#1 2:SYSTEM_MESSAGE#2 2:thread:AGENT 3:AGENT_MESSAGE#3]"},
		{"Resumed", true, "[:thread:AI 2:NORMAL_MESSAGE#2 3:USER_MESSAGE#3 4:SYSTEM_MESSAGE#4 4:thread:AGENT 5:AGENT_MESSAGE#5]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(handoffBot)}}, "bot.yaml")
			if err != nil {
				t.Fatal(err)
			}
			db, err := badgerstore.Open("", badgerstore.InMemory())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			st := heldMessages{DB: db, release: make(chan struct{})}
			released := false
			defer func() {
				if !released {
					close(st.release)
				}
			}()
			e, err := engine.New(st, bot, engine.WithSeed(1))
			if err != nil {
				t.Fatal(err)
			}
			th, err := e.CreateThread(ctx, engine.NewThread{ThreadID: "order"})
			if err != nil {
				t.Fatal(err)
			}
			follow := engine.Follow{ThreadID: "order"}
			if tc.resume {
				if _, err := e.Send(ctx, engine.Message{ThreadID: "order", Text: "when are you open"}); err != nil {
					t.Fatal(err)
				}
				follow.LastEventID = "1"
			}
			f, err := e.Follow(ctx, follow)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got := []string{describe(next(t, f))}
			// The feed has read the thread; the escalation and the agent's
			// answer come before it reads the messages.
			if _, err := e.Escalate(ctx, th.ID, "a person please"); err != nil {
				t.Fatal(err)
			}
			if _, err := e.Send(ctx, engine.Message{ThreadID: "order", Text: "Bob here.", From: engine.FromAgent, Agent: engine.Agent{Name: "Bob"}}); err != nil {
				t.Fatal(err)
			}
			close(st.release)
			released = true
			for range strings.Count(tc.want, " ") {
				got = append(got, describe(next(t, f)))
			}
			if fmt.Sprint(got) != tc.want {
				t.Errorf("got %v, want %s", got, tc.want)
			}
		})
	}
}

func TestFollowBot(t *testing.T) {
	ctx := context.Background()
	e, _, _ := newThreadEngine(t)
	bob := engine.Agent{ID: "a1", Name: "Bob"}
	all, err := e.Follow(ctx, engine.Follow{Agent: &bob})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.AgentsPresent(); len(got) != 1 {
		t.Errorf("agents present while following: %v", got)
	}
	// With an agent present, the bot's hand-off succeeds.
	sent, err := e.Send(ctx, engine.Message{Text: "talk to a human"})
	if err != nil {
		t.Fatal(err)
	}
	if sent.Thread.Mode != "AGENT" {
		t.Errorf("hand-off with an agent following: thread %+v", sent.Thread)
	}
	var ids []string
	var kinds []string
	for range 5 { // created, user, bot, system, changed
		le := next(t, all)
		ids = append(ids, le.ID)
		kinds = append(kinds, le.Kind.String())
	}
	if fmt.Sprint(kinds) != "[thread.created message message message thread.changed]" {
		t.Errorf("bot feed: got %v", kinds)
	}
	all.Close()
	if got := e.AgentsPresent(); len(got) != 0 {
		t.Errorf("agents present after closing: %v", got)
	}
	if _, err := e.Send(ctx, engine.Message{Text: "opening hours"}); err != nil {
		t.Fatal(err)
	}
	// Resuming after the second event replays the rest, then the new.
	f, err := e.Follow(ctx, engine.Follow{LastEventID: ids[1]})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i := 2; i < 5; i++ {
		if le := next(t, f); le.ID != ids[i] {
			t.Errorf("resumed event %d: got id %s, want %s", i, le.ID, ids[i])
		}
	}
	kinds = nil
	for range 3 {
		kinds = append(kinds, next(t, f).Kind.String())
	}
	if fmt.Sprint(kinds) != "[thread.created message message]" {
		t.Errorf("after resuming: got %v", kinds)
	}
	g, err := e.Follow(ctx, engine.Follow{LastEventID: "0000-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if le := next(t, g); le.Kind != engine.EventReset {
		t.Errorf("an unknown id: got %s, want a reset", describe(le))
	}
}

// TestFollowBotRetention resumes feeds of the whole bot from ids the
// store's event log still keeps, and from one it dropped: that feed
// starts with an EventReset, then goes on with what happens next.
func TestFollowBotRetention(t *testing.T) {
	ctx := context.Background()
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(handoffBot)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory(), badgerstore.WithLogRetention(20))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e, err := engine.New(db, bot, engine.WithSeed(1))
	if err != nil {
		t.Fatal(err)
	}
	all, err := e.Follow(ctx, engine.Follow{})
	if err != nil {
		t.Fatal(err)
	}
	th, err := e.CreateThread(ctx, engine.NewThread{ThreadID: "kept"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 60 {
		if _, err := e.Send(ctx, engine.Message{ThreadID: th.ID, Text: fmt.Sprint("opening hours ", i)}); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			ids = append(ids, nextMessage(t, all).ID)
		}
	}
	all.Close()
	old, err := e.Follow(ctx, engine.Follow{LastEventID: ids[0]})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if le := next(t, old); le.Kind != engine.EventReset {
		t.Errorf("resumed from a dropped id: got %s, want a reset", describe(le))
	}
	recent, err := e.Follow(ctx, engine.Follow{LastEventID: ids[len(ids)-11]})
	if err != nil {
		t.Fatal(err)
	}
	defer recent.Close()
	for _, want := range ids[len(ids)-10:] {
		if le := nextMessage(t, recent); le.ID != want {
			t.Errorf("resumed from a kept id: got %s, want %s", describe(le), want)
		}
	}
	if _, err := e.Send(ctx, engine.Message{ThreadID: th.ID, Text: "opening hours"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []*engine.Feed{old, recent} {
		if le := nextMessage(t, f); le.Message.Seq != 121 {
			t.Errorf("after resuming: got %s, want message 121", describe(le))
		}
	}
}

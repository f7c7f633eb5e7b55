package engine_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// openMemory opens an in-memory store closed at the end of the test.
func openMemory(tb testing.TB, opts ...badgerstore.Option) *badgerstore.DB {
	tb.Helper()
	db, err := badgerstore.Open("", append([]badgerstore.Option{badgerstore.InMemory()}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func loadBot(tb testing.TB, fsys fstest.MapFS) *story.Bot {
	tb.Helper()
	var names []string
	for name := range fsys {
		names = append(names, name)
	}
	bot, err := story.Load(fsys, names...)
	if err != nil {
		tb.Fatal(err)
	}
	return bot
}

func loadFile(tb testing.TB, path string) *story.Bot {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return loadBot(tb, fstest.MapFS{"bot.yaml": {Data: data}})
}

// newCoffee returns an engine over the coffee example on an in-memory store.
func newCoffee(tb testing.TB, opts ...engine.Option) (*engine.Engine, *badgerstore.DB) {
	tb.Helper()
	db := openMemory(tb)
	e, err := engine.New(db, loadFile(tb, "../examples/coffee/bot.yaml"), append([]engine.Option{engine.WithSeed(1)}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	return e, db
}

const echoBot = `
stories:
  - name: Echo
    interactions:
      - {name: Welcome, role: start, responses: [{text: hi}]}
      - {name: Fallback, role: else, responses: [{text: "{{default_name|ok}}"}]}
`

// TestOneSessionManyGoroutines sends many turns to one session from many
// goroutines at once: every turn is stored, and each goroutine's turns in
// the order it sent them.
//
// 64 goroutines send 1,000 turns each: 16–17 s under the race detector on
// 2 cores (go test -race -run 'TestOneSessionManyGoroutines$' -v), on a
// store with small memtables (SmallDevice); 18 s with the default ones.
func TestOneSessionManyGoroutines(t *testing.T) {
	goroutines, turns := 64, 1000
	db := openMemory(t, badgerstore.SmallDevice())
	e, err := engine.New(db, loadBot(t, fstest.MapFS{"bot.yaml": {Data: []byte(echoBot)}}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const sid = "the-one-session"
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range turns {
				if _, err := e.Chat(ctx, engine.Request{SessionID: sid, Query: fmt.Sprintf("%d %d", g, n)}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	s, err := db.Session(ctx, sid)
	if err != nil {
		t.Fatal(err)
	}
	next := make([]int, goroutines)
	after, users := 0, 0
	for {
		msgs, err := db.Messages(ctx, s.ThreadID, after, store.MaxMessagesPage)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) == 0 {
			break
		}
		for _, m := range msgs {
			after = m.Seq
			if m.Type != store.UserMessage {
				continue
			}
			users++
			var g, n int
			if _, err := fmt.Sscanf(m.Text, "%d %d", &g, &n); err != nil {
				t.Fatalf("message %d: %q: %v", m.Seq, m.Text, err)
			}
			if n != next[g] {
				t.Fatalf("message %d: goroutine %d's turn %d, want its turn %d", m.Seq, g, n, next[g])
			}
			next[g]++
		}
	}
	if want := goroutines * turns; users != want || after != 2*want {
		t.Errorf("got %d user messages of %d, want %d of %d", users, after, want, 2*want)
	}
}

// TestWebhookPanicNamesHook checks that a panicking webhook fails the turn
// with an error naming it.
func TestWebhookPanicNamesHook(t *testing.T) {
	e, _ := newCoffee(t, engine.WithWebhook("machine_status", func(ctx context.Context, call engine.WebhookCall) (engine.WebhookResult, error) {
		panic("boom")
	}))
	_, err := e.Chat(context.Background(), engine.Request{SessionID: "session-panic", Query: "machine status"})
	if err == nil || !strings.Contains(err.Error(), `webhook "machine_status" panicked: boom`) {
		t.Fatalf("got %v, want an error naming the webhook", err)
	}
}

// TestReloadWhileChatting reloads the bot while turns run.
func TestReloadWhileChatting(t *testing.T) {
	e, _ := newCoffee(t)
	coffee := e.Bot()
	echo := loadBot(t, fstest.MapFS{"bot.yaml": {Data: []byte(echoBot)}})
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				_, err := e.Chat(ctx, engine.Request{SessionID: fmt.Sprintf("reload-session-%d", g), Query: "hi"})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for i := range 20 {
		b := coffee
		if i%2 == 0 {
			b = echo
		}
		if err := e.Reload(b); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if err := e.Reload(nil); !errors.Is(err, engine.ErrNoBot) {
		t.Errorf("Reload(nil): got %v, want ErrNoBot", err)
	}
}

// TestNoQueueLeak checks that sessions leave no queue behind, also when a
// waiting call gives up.
func TestNoQueueLeak(t *testing.T) {
	e, _ := newCoffee(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			for n := range 20 {
				if n == 10 && g%2 == 0 {
					cancel()
				}
				e.Chat(ctx, engine.Request{SessionID: fmt.Sprintf("leak-session-%d", g%3), Query: "hi"})
			}
		}()
	}
	wg.Wait()
	if n := engine.QueuedSessions(e); n != 0 {
		t.Errorf("got %d session queues after all turns, want 0", n)
	}
}

func TestNewErrors(t *testing.T) {
	db := openMemory(t)
	bot := loadBot(t, fstest.MapFS{"bot.yaml": {Data: []byte(echoBot)}})
	tests := []struct {
		name string
		st   store.Store
		bot  *story.Bot
		opts []engine.Option
	}{
		{"NilStore", nil, bot, nil},
		{"NilBot", db, nil, nil},
		{"NilLogger", db, bot, []engine.Option{engine.WithLogger(nil)}},
		{"NilClock", db, bot, []engine.Option{engine.WithClock(nil)}},
		{"NilWebhook", db, bot, []engine.Option{engine.WithWebhook("x", nil)}},
		{"EmptyWebhookName", db, bot, []engine.Option{engine.WithWebhook("", func(context.Context, engine.WebhookCall) (engine.WebhookResult, error) {
			return engine.WebhookResult{}, nil
		})}},
		{"NilHandoff", db, bot, []engine.Option{engine.WithHandoff(nil)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := engine.New(tt.st, tt.bot, tt.opts...); err == nil {
				t.Error("got no error")
			}
		})
	}
}

// TestArrivalOrder holds a session busy in a webhook, queues calls one
// after another behind it, and checks that they run in the order they
// arrived (which a bare mutex does not promise).
func TestArrivalOrder(t *testing.T) {
	const sid = "arrival-order"
	entered, release := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	var order []string
	e, _ := newCoffee(t, engine.WithWebhook("machine_status", func(ctx context.Context, call engine.WebhookCall) (engine.WebhookResult, error) {
		close(entered)
		<-release
		return engine.WebhookResult{}, nil
	}))
	e.Subscribe(func(ev engine.Event) {
		if ev.Kind == engine.EventTurn {
			mu.Lock()
			order = append(order, ev.Request.Query)
			mu.Unlock()
		}
	})
	ctx := context.Background()
	var wg sync.WaitGroup
	chat := func(q string) {
		defer wg.Done()
		if _, err := e.Chat(ctx, engine.Request{SessionID: sid, Query: q}); err != nil {
			t.Error(err)
		}
	}
	wg.Add(1)
	go chat("machine status")
	<-entered
	var want []string
	for i := range 20 {
		q := fmt.Sprintf("thanks %d", i)
		want = append(want, q)
		wg.Add(1)
		go chat(q)
		for engine.Waiting(e, sid) != i+1 {
			runtime.Gosched()
		}
	}
	close(release)
	wg.Wait()
	if len(order) != 21 {
		t.Fatalf("got %d turns, want 21", len(order))
	}
	for i, q := range want {
		if order[i+1] != q {
			t.Fatalf("turn %d: got %q, want %q (order %q)", i+1, order[i+1], q, order)
		}
	}
}

// TestWebhookOnceWhenRetried makes the store retry a turn (the webhook
// changes the session's user behind the turn's back, so the commit
// conflicts) and checks that the webhook ran once and its answer is in
// the committed turn.
func TestWebhookOnceWhenRetried(t *testing.T) {
	ctx := context.Background()
	var calls atomic.Int32
	var e *engine.Engine
	var userID string
	st := &countingStore{DB: openMemory(t)}
	e, err := engine.New(st, loadFile(t, "../examples/coffee/bot.yaml"), engine.WithWebhook("machine_status", func(ctx context.Context, call engine.WebhookCall) (engine.WebhookResult, error) {
		if calls.Add(1) == 1 {
			if _, err := e.UpdateUser(ctx, userID, map[string]string{"touched": "yes"}); err != nil {
				return engine.WebhookResult{}, err
			}
		}
		return engine.WebhookResult{Messages: []string{"checked"}, SessionAttributes: map[string]string{"machine_state": "ready"}}, nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.CreateUser(ctx, store.User{UserID: "retry-user", Attributes: map[string]string{"default_name": "Rae"}})
	if err != nil {
		t.Fatal(err)
	}
	userID = u.ID
	var events []engine.EventKind
	e.Subscribe(func(ev engine.Event) { events = append(events, ev.Kind) })
	resp, err := e.Chat(ctx, engine.Request{SessionID: "retry-session", UserID: "retry-user", Query: "machine status"})
	if err != nil {
		t.Fatal(err)
	}
	if n := st.attempts.Load(); n < 2 {
		t.Fatalf("the turn ran %d times, want a retry", n)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("webhook called %d times, want 1", n)
	}
	if got := resp.Result.Fulfillment[0].Message; got != "checked" {
		t.Errorf("got first message %q, want the webhook's %q", got, "checked")
	}
	d, err := e.User(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Attributes["touched"] != "yes" || d.SessionAttributes["machine_state"] != "ready" {
		t.Errorf("got attributes %v and session attributes %v, want touched=yes and machine_state=ready", d.Attributes, d.SessionAttributes)
	}
	want := []engine.EventKind{engine.EventTurn, engine.EventThreadCreated, engine.EventMessage, engine.EventMessage}
	if fmt.Sprint(events) != fmt.Sprint(want) {
		t.Errorf("got events %v, want one turn's %v", events, want)
	}
}

// TestNoEventsWhenTurnFails checks that a failed turn stores nothing and
// tells no subscriber.
func TestNoEventsWhenTurnFails(t *testing.T) {
	ctx := context.Background()
	e, db := newCoffee(t, engine.WithWebhook("machine_status", func(ctx context.Context, call engine.WebhookCall) (engine.WebhookResult, error) {
		return engine.WebhookResult{}, errors.New("down")
	}))
	var n atomic.Int32
	e.Subscribe(func(engine.Event) { n.Add(1) })
	if _, err := e.Chat(ctx, engine.Request{SessionID: "failing-session", Query: "machine status"}); err == nil {
		t.Fatal("got no error")
	}
	if n.Load() != 0 {
		t.Errorf("got %d events, want none", n.Load())
	}
	if _, err := db.Session(ctx, "failing-session"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("got %v reading the session, want store.ErrNotFound", err)
	}
}

// countingStore counts the attempts of turns.
type countingStore struct {
	*badgerstore.DB
	attempts atomic.Int32
}

func (s *countingStore) Update(ctx context.Context, id string, fn func(*store.Turn) error) error {
	return s.DB.Update(ctx, id, func(t *store.Turn) error {
		s.attempts.Add(1)
		return fn(t)
	})
}

// FuzzChat checks that no message makes Chat fail or panic on the coffee
// bot, and that every answer has an interaction and a fulfillment.
func FuzzChat(f *testing.F) {
	for _, q := range append(coffeeTurns, "", " ", "🙂", "a\x00b", "large large large", "{{size}}", "2.5 lattes") {
		f.Add(q, false)
	}
	e, _ := newCoffee(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, q string, reset bool) {
		req := engine.Request{SessionID: "fuzz-session", Query: q, Reset: reset}
		if req.Validate() != nil {
			return
		}
		resp, err := e.Chat(ctx, req)
		if err != nil {
			t.Fatalf("Chat(%q): %v", q, err)
		}
		r := resp.Result
		if r.Source == engine.SourceBot && (r.Interaction.ID == "" || r.Fulfillment == nil) {
			t.Fatalf("Chat(%q): no interaction or fulfillment: %+v", q, r)
		}
	})
}

// TestSubscribeCancel checks that subscribers hear events in the order
// they subscribed, that a cancelled one hears nothing more, and that a
// subscriber may cancel itself while it is being called.
func TestSubscribeCancel(t *testing.T) {
	e, _ := newCoffee(t)
	ctx := context.Background()
	var heard []string
	var cancelSelf func()
	first := e.Subscribe(func(ev engine.Event) {
		if ev.Kind == engine.EventTurn {
			heard = append(heard, "first")
		}
	})
	cancelSelf = e.Subscribe(func(ev engine.Event) {
		if ev.Kind == engine.EventTurn {
			heard = append(heard, "self")
			cancelSelf()
		}
	})
	e.Subscribe(func(ev engine.Event) {
		if ev.Kind == engine.EventTurn {
			heard = append(heard, "last")
		}
	})
	chat := func() {
		t.Helper()
		if _, err := e.Chat(ctx, engine.Request{SessionID: "subscribe-cancel", Query: "hi"}); err != nil {
			t.Fatal(err)
		}
	}
	chat()
	first()
	chat()
	want := []string{"first", "self", "last", "last"}
	if fmt.Sprint(heard) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", heard, want)
	}
}

// TestResponseOutlivesTurn checks that a Response stays as Chat returned
// it while later turns run (Chat recycles its per-turn state).
func TestResponseOutlivesTurn(t *testing.T) {
	e, _ := newCoffee(t)
	ctx := context.Background()
	var resps []engine.Response
	var snaps []string
	for i, q := range coffeeTurns {
		resp, err := e.Chat(ctx, engine.Request{SessionID: fmt.Sprintf("outlives-%d", i%2), Query: q})
		if err != nil {
			t.Fatal(err)
		}
		resps = append(resps, resp)
		snaps = append(snaps, fmt.Sprintf("%+v", resp))
	}
	for i, resp := range resps {
		if got := fmt.Sprintf("%+v", resp); got != snaps[i] {
			t.Errorf("turn %d: response changed after later turns:\ngot  %s\nwant %s", i, got, snaps[i])
		}
	}
}

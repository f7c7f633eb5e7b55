package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// manualClock is a clock the test moves.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// receiver records webhook calls; its mode says how it answers.
type receiver struct {
	mode  atomic.Value // "down" (503), "slow" (answers late), "up"
	mu    sync.Mutex
	calls []engine.WebhookBody
	bad   []string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	var b engine.WebhookBody
	json.Unmarshal(body, &b)
	r.mu.Lock()
	if req.Header.Get(engine.HeaderToken) != "secret" || req.Header.Get(engine.HeaderSignature) != engine.Sign("secret", body) ||
		req.Header.Get(engine.HeaderEventID) != b.EventID {
		r.bad = append(r.bad, string(body))
	}
	r.mu.Unlock()
	switch r.mode.Load() {
	case "down":
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	case "slow":
		time.Sleep(50 * time.Millisecond)
	}
	r.mu.Lock()
	r.calls = append(r.calls, b)
	r.mu.Unlock()
}

// received returns the events received, first deliveries only, and the
// number of repeats.
func (r *receiver) received() (events []string, repeats int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]bool{}
	for _, c := range r.calls {
		if seen[c.EventID] {
			repeats++
			continue
		}
		seen[c.EventID] = true
		var d struct {
			Seq         int    `json:"seq"`
			MessageType string `json:"messageType"`
			ThreadID    string `json:"threadId"`
		}
		json.Unmarshal(c.Data, &d)
		events = append(events, fmt.Sprintf("%s:%s#%d", c.Event, d.MessageType, d.Seq))
	}
	return events, repeats
}

// TestWebhooksReceiverDownSlowBack sends a thread's messages to a
// receiver that is down, then slow, then back: every event arrives, in
// order, and a repeat only ever has the same event id.
func TestWebhooksReceiverDownSlowBack(t *testing.T) {
	rcv := &receiver{}
	rcv.mode.Store("down")
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	clk := &manualClock{t: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)}
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(handoffBot)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory(), badgerstore.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e, err := engine.New(db, bot, engine.WithClock(clk.Now), engine.WithWebhooks(engine.Webhooks{
		ChatbotID: "123", Escalations: engine.Endpoint{URL: srv.URL + "/escalations", Token: "secret"},
	}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); e.RunWebhooks(ctx, nil) }()
	defer func() { cancel(); wg.Wait() }()

	th, err := e.CreateThread(ctx, engine.NewThread{ThreadID: "hooked"})
	if err != nil {
		t.Fatal(err)
	}
	url, token := srv.URL+"/thread", "secret"
	if _, err := e.UpdateThread(ctx, th.ID, engine.ThreadUpdate{WebhookURL: &url, WebhookToken: &token}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"when are you open", "opening hours"} {
		if _, err := e.Send(ctx, engine.Message{ThreadID: "hooked", Text: q}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Escalate(ctx, th.ID, ""); err != nil {
		t.Fatal(err)
	}
	// Down: the first delivery fails and waits.
	waitFor(t, func() bool {
		rcv.mu.Lock()
		defer rcv.mu.Unlock()
		return len(rcv.bad) == 0 && len(rcv.calls) == 0 && attempts(db) > 0
	})
	rcv.mode.Store("slow")
	waitFor(t, func() bool {
		clk.Advance(time.Hour) // past any backoff
		got, _ := rcv.received()
		return len(got) >= 3
	})
	rcv.mode.Store("up")
	waitFor(t, func() bool {
		clk.Advance(time.Hour)
		got, _ := rcv.received()
		return len(got) == 6
	})
	got, repeats := rcv.received()
	// The thread's messages arrive in order; the escalation (another
	// receiver) in its own order.
	var thread, escalations []string
	for _, g := range got {
		if strings.HasPrefix(g, engine.WebhookMessage) {
			thread = append(thread, g)
		} else {
			escalations = append(escalations, g)
		}
	}
	want := "[ADD_MESSAGE:USER_MESSAGE#1 ADD_MESSAGE:NORMAL_MESSAGE#2 ADD_MESSAGE:USER_MESSAGE#3 ADD_MESSAGE:NORMAL_MESSAGE#4 ADD_MESSAGE:SYSTEM_MESSAGE#5]"
	if fmt.Sprint(thread) != want {
		t.Errorf("thread's events:\ngot  %v\nwant %s", thread, want)
	}
	if fmt.Sprint(escalations) != "[CONVERSATION_ESCALATED:#0]" {
		t.Errorf("escalations: got %v", escalations)
	}
	t.Logf("repeats: %d", repeats)
	// The receiver answers before the deliverer records the delivery: the
	// outbox empties just after the last event arrives.
	waitFor(t, func() bool {
		n, err := db.DueDeliveries(ctx, clk.Now().Add(24*time.Hour), 10)
		return err == nil && len(n) == 0
	})
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	if len(rcv.bad) > 0 {
		t.Errorf("calls with a bad token, signature or id: %v", rcv.bad)
	}
}

// attempts returns the failed attempts of the outbox's first delivery.
func attempts(db *badgerstore.DB) int {
	ds, err := db.DueDeliveries(context.Background(), time.Now().Add(1000*time.Hour), 1)
	if err != nil || len(ds) == 0 {
		return 0
	}
	return ds[0].Attempts
}

// waitFor polls cond until it holds; the bound only keeps a broken
// delivery from hanging the test.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// BenchmarkWebhooksSlowReceiver measures deliveries a second to a receiver
// that takes 50 ms to answer each call, from the messages of 100 threads
// (a thread's deliveries leave one at a time; threads in parallel).
func BenchmarkWebhooksSlowReceiver(b *testing.B) {
	var got atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		time.Sleep(50 * time.Millisecond)
		got.Add(1)
	}))
	defer srv.Close()
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(handoffBot)}}, "bot.yaml")
	if err != nil {
		b.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	e, err := engine.New(db, bot, engine.WithWebhooks(engine.Webhooks{Messages: engine.Endpoint{URL: srv.URL, Token: "t"}}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var threads []string
	for range 100 {
		th, err := e.CreateThread(ctx, engine.NewThread{})
		if err != nil {
			b.Fatal(err)
		}
		threads = append(threads, th.ID)
	}
	// Each turn makes two deliveries (the question and the answer).
	turns := max(b.N/2, 1)
	for i := range turns {
		if _, err := e.Send(ctx, engine.Message{ThreadID: threads[i%len(threads)], Text: "opening hours"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	start := time.Now()
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { e.RunWebhooks(rctx, nil); close(done) }()
	for got.Load() < int64(turns*2) {
		time.Sleep(5 * time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	<-done
	b.ReportMetric(float64(turns*2)/elapsed.Seconds(), "deliveries/s")
}

// TestProvidedEmail: a user who gives an email address gets a
// SYSTEM_MESSAGE PROVIDED_EMAIL in the thread and the bot's Leads webhook a
// NEW_LEAD, once.
func TestProvidedEmail(t *testing.T) {
	rcv := &receiver{}
	rcv.mode.Store("up")
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(emailBot)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e, err := engine.New(db, bot, engine.WithWebhooks(engine.Webhooks{ChatbotID: "1", Leads: engine.Endpoint{URL: srv.URL, Token: "secret"}}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); e.RunWebhooks(ctx, nil) }()
	defer func() { cancel(); wg.Wait() }()
	sent, err := e.Send(ctx, engine.Message{Text: "my email is ann@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if got := types(sent.Messages); got != "USER_MESSAGE(my email is ann@example.com) NORMAL_MESSAGE(Thanks.) SYSTEM_MESSAGE:PROVIDED_EMAIL(ann@example.com)" {
		t.Errorf("got %s", got)
	}
	// The same email again is no news.
	sent, err = e.Send(ctx, engine.Message{ThreadID: sent.Thread.ID, Text: "my email is ann@example.com"})
	if err != nil || len(sent.Messages) != 2 {
		t.Errorf("the same email again: got %s, %v", types(sent.Messages), err)
	}
	waitFor(t, func() bool { got, _ := rcv.received(); return len(got) == 1 })
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	if c := rcv.calls[0]; c.Event != engine.WebhookLead || !strings.Contains(string(c.Data), "ann@example.com") || len(rcv.bad) > 0 {
		t.Errorf("lead: got %+v %s, bad %v", c, c.Data, rcv.bad)
	}
}

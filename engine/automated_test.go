package engine_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

const autoBot = `
stories:
  - name: Cafe
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hello!"}]}
      - name: Demo
        says: [book a demo]
        responses:
          - quick_replies:
              title: "Want a demo?"
              buttons: [{title: "Yes", postback: "yes"}, {title: "Later", postback: "later"}]
      - name: Fallback
        role: else
        responses: [{text: "Sorry?"}]
`

// autoClock is a manual clock shared by the engine and the store.
type autoClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *autoClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *autoClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type autoEnv struct {
	testing.TB
	e   *engine.Engine
	db  *badgerstore.DB
	clk *autoClock
	mu  sync.Mutex
	got []string // texts of automated messages delivered to subscribers, "session: text"
}

// newAutoEngine returns an engine on autoBot over in-memory Badger, with a
// manual clock at Saturday 2026-03-14 09:30 UTC, the bot in UTC and opts.
func newAutoEngine(t testing.TB, opts ...engine.Option) *autoEnv {
	t.Helper()
	return newBotEngine(t, autoBot, opts...)
}

// newBotEngine is newAutoEngine on another bot.
func newBotEngine(t testing.TB, botYAML string, opts ...engine.Option) *autoEnv {
	t.Helper()
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(botYAML)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	clk := &autoClock{t: time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)}
	db, err := badgerstore.Open("", badgerstore.InMemory(), badgerstore.WithClock(clk.Now), badgerstore.WithLocation(time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e, err := engine.New(db, bot, append([]engine.Option{engine.WithSeed(1), engine.WithClock(clk.Now), engine.WithTimeZone(time.UTC)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	a := &autoEnv{TB: t, e: e, db: db, clk: clk}
	e.Subscribe(func(ev engine.Event) {
		if ev.Kind == engine.EventMessage && ev.Automated != "" {
			a.mu.Lock()
			text := ev.Message.Text
			if text == "" {
				text = "(rich)"
			}
			a.got = append(a.got, ev.SessionID+": "+text)
			a.mu.Unlock()
		}
	})
	return a
}

// delivered returns the automated messages delivered since the last call.
func (a *autoEnv) delivered() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := strings.Join(a.got, " | ")
	a.got = nil
	return out
}

func (a *autoEnv) save(m store.AutomatedMessage) store.AutomatedMessage {
	a.Helper()
	m, err := a.e.SaveAutomatedMessage(context.Background(), m)
	if err != nil {
		a.Fatalf("SaveAutomatedMessage(%s): %v", m.Name, err)
	}
	return m
}

func (a *autoEnv) chat(session, userID, query string) {
	a.Helper()
	if _, err := a.e.Chat(context.Background(), engine.Request{SessionID: session, UserID: userID, Query: query}); err != nil {
		a.Fatalf("Chat: %v", err)
	}
}

func (a *autoEnv) view(session, userID, url string) {
	a.Helper()
	if _, err := a.e.PageView(context.Background(), engine.PageVisit{SessionID: session, UserID: userID, Page: engine.Page{URL: url, Title: "A page"}}); err != nil {
		a.Fatalf("PageView: %v", err)
	}
}

func (a *autoEnv) notify(session, userID, name string) {
	a.Helper()
	if _, err := a.e.Notify(context.Background(), engine.HostEvent{SessionID: session, UserID: userID, Name: name}); err != nil {
		a.Fatalf("Notify: %v", err)
	}
}

func (a *autoEnv) tick() {
	a.Helper()
	if _, err := a.e.Tick(context.Background()); err != nil {
		a.Fatalf("Tick: %v", err)
	}
}

func (a *autoEnv) want(what, want string) {
	a.Helper()
	if got := a.delivered(); got != want {
		a.Errorf("%s: got %q, want %q", what, got, want)
	}
}

func (a *autoEnv) user(userID string, attrs map[string]string) store.User {
	a.Helper()
	if attrs == nil {
		attrs = map[string]string{"default_name": userID}
	}
	u, err := a.e.CreateUser(context.Background(), store.User{UserID: userID, Attributes: attrs})
	if err != nil {
		a.Fatal(err)
	}
	return u
}

func TestAutomatedTriggers(t *testing.T) {
	ctx := context.Background()
	t.Run("Start", func(t *testing.T) {
		a := newAutoEngine(t)
		a.save(store.AutomatedMessage{Name: "welcome back", Trigger: store.Trigger{On: store.OnStart},
			Condition: `user.default_name != ""`, Text: "Welcome back!"})
		a.chat("session-anon-1", "", "hi")
		a.want("a session without a user", "")
		a.user("ada", nil)
		a.chat("session-ada-01", "ada", "hi")
		a.want("first turn", "session-ada-01: Welcome back!")
		a.chat("session-ada-01", "ada", "hi again")
		a.want("second turn", "")
		msgs, err := a.e.Messages(ctx, mustThread(t, a.e, "session-ada-01"), 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := types(msgs); got != "USER_MESSAGE(hi) NORMAL_MESSAGE(Sorry?) NORMAL_MESSAGE(Welcome back!) USER_MESSAGE(hi again) NORMAL_MESSAGE(Sorry?)" {
			t.Errorf("thread: got %s", got)
		}
	})
	t.Run("PageView", func(t *testing.T) {
		a := newAutoEngine(t)
		a.save(store.AutomatedMessage{Name: "pricing", Trigger: store.Trigger{On: store.OnPageView},
			Condition: `page.path == "/pricing" && page_views >= 2`, Text: "Questions about our plans?", Repeat: store.RepeatSession})
		a.view("session-web-01", "", "https://example.com/")
		a.view("session-web-01", "", "https://example.com/features")
		a.want("other pages", "")
		a.view("session-web-01", "", "https://example.com/pricing?plan=pro")
		a.want("pricing", "session-web-01: Questions about our plans?")
		a.view("session-web-01", "", "https://example.com/pricing")
		a.want("pricing again in the session", "")
	})
	t.Run("TimeOnPage", func(t *testing.T) {
		a := newAutoEngine(t)
		a.save(store.AutomatedMessage{Name: "stuck", Trigger: store.Trigger{On: store.OnPageView, After: 30 * time.Second},
			Condition: `page.path == "/checkout" && time_on_page >= 30`, Text: "Need help to pay?"})
		a.view("session-web-02", "", "https://example.com/checkout")
		a.tick()
		a.want("at once", "")
		a.clk.Advance(29 * time.Second)
		a.tick()
		a.want("after 29 s", "")
		a.clk.Advance(time.Second)
		a.tick()
		a.want("after 30 s", "session-web-02: Need help to pay?")
		a.view("session-web-03", "", "https://example.com/checkout")
		a.clk.Advance(10 * time.Second)
		a.view("session-web-03", "", "https://example.com/")
		a.clk.Advance(30 * time.Second)
		a.tick()
		a.want("left the page", "")
	})
	t.Run("Idle", func(t *testing.T) {
		a := newAutoEngine(t)
		a.save(store.AutomatedMessage{Name: "still there", Trigger: store.Trigger{On: store.OnIdle, After: time.Minute},
			Text: "Still there?", Repeat: store.RepeatAlways})
		a.chat("session-idle-1", "", "hi")
		a.clk.Advance(59 * time.Second)
		a.tick()
		a.want("59 s", "")
		a.clk.Advance(time.Second)
		a.tick()
		a.want("60 s", "session-idle-1: Still there?")
		a.clk.Advance(5 * time.Minute)
		a.tick()
		a.want("once per quiet spell", "")
		a.chat("session-idle-1", "", "yes")
		a.clk.Advance(time.Minute)
		a.tick()
		a.want("after another turn", "session-idle-1: Still there?")
	})
	t.Run("HostEvent", func(t *testing.T) {
		a := newAutoEngine(t)
		a.save(store.AutomatedMessage{Name: "ready", Trigger: store.Trigger{On: store.OnEvent, Event: "drink_ready"},
			Condition: `user.drink != ""`, Text: "Your coffee is ready", Repeat: store.RepeatAlways})
		u := a.user("bob", map[string]string{"drink": "latte"})
		a.chat("session-bob-01", "bob", "hi")
		a.notify("", "bob", "drink_ready")
		a.want("by user", "session-bob-01: Your coffee is ready")
		a.notify("session-bob-01", "", "drink_ready")
		a.want("by session", "session-bob-01: Your coffee is ready")
		a.notify("session-bob-01", "", "drink_spilled")
		a.want("another event", "")
		a.user("cid", nil)
		a.notify("", "cid", "drink_ready")
		a.want("condition false", "")
		days, err := a.e.Stats(ctx, a.clk.Now(), a.clk.Now())
		if err != nil || len(days) != 1 || days[0].Automated != 2 {
			t.Errorf("Stats: got %+v, %v, want 2 automated", days, err)
		}
		ds, err := a.db.AutomatedDeliveries(ctx, u.ID)
		if err != nil || len(ds) != 1 || ds[0].Count != 2 {
			t.Errorf("Deliveries: got %+v, %v", ds, err)
		}
	})
	t.Run("Schedule", func(t *testing.T) {
		a := newAutoEngine(t)
		for _, name := range []string{"u1", "u2", "u3"} {
			a.user(name, map[string]string{"plan": map[string]string{"u1": "pro", "u2": "free", "u3": "pro"}[name]})
		}
		a.chat("session-u1-001", "u1", "hi")
		a.delivered()
		a.save(store.AutomatedMessage{Name: "monday news", Trigger: store.Trigger{On: store.OnSchedule, Daily: "10:00"},
			Condition: `user.plan == "pro"`, Text: "New this week", Repeat: store.RepeatAlways})
		a.tick()
		a.want("before 10:00", "")
		a.clk.Advance(30 * time.Minute)
		a.tick()
		got := a.delivered()
		if !strings.Contains(got, "session-u1-001: New this week") || strings.Count(got, "New this week") != 2 {
			t.Errorf("at 10:00: got %q, want u1 (in its session) and u3", got)
		}
		a.tick()
		a.want("the same firing", "")
		// Another engine on the same store (a restart) does not send the
		// same firing again.
		bot, _ := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(autoBot)}}, "bot.yaml")
		e2, err := engine.New(a.db, bot, engine.WithClock(a.clk.Now), engine.WithTimeZone(time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if n, err := e2.Tick(ctx); n != 0 || err != nil {
			t.Errorf("restarted Tick: sent %d, %v", n, err)
		}
		a.clk.Advance(24 * time.Hour)
		if n, err := e2.Tick(ctx); n != 2 || err != nil {
			t.Errorf("next day: sent %d, %v, want 2", n, err)
		}
	})
	t.Run("ScheduleAt", func(t *testing.T) {
		a := newAutoEngine(t)
		u1 := a.user("u1", nil)
		a.save(store.AutomatedMessage{Name: "sale", Trigger: store.Trigger{On: store.OnSchedule, At: a.clk.Now().Add(time.Hour)}, Text: "Sale starts now"})
		a.tick()
		a.want("before", "")
		a.clk.Advance(time.Hour)
		a.tick()
		a.want("at", u1.ID+": Sale starts now")
	})
}

func mustThread(t *testing.T, e *engine.Engine, session string) string {
	t.Helper()
	s, err := e.Session(context.Background(), session)
	if err != nil {
		t.Fatal(err)
	}
	return s.ThreadID
}

func TestAutomatedDeliveryRules(t *testing.T) {
	event := store.Trigger{On: store.OnEvent, Event: "ping"}
	t.Run("OncePerUser", func(t *testing.T) {
		a := newAutoEngine(t)
		a.save(store.AutomatedMessage{Name: "once", Trigger: event, Text: "Once"})
		a.user("ann", nil)
		a.notify("session-ann-01", "ann", "ping")
		a.notify("session-ann-02", "ann", "ping")
		a.want("two sessions", "session-ann-01: Once")
	})
	t.Run("OncePerSession", func(t *testing.T) {
		a := newAutoEngine(t)
		a.save(store.AutomatedMessage{Name: "session", Trigger: event, Text: "Per session", Repeat: store.RepeatSession})
		a.user("ann", nil)
		a.notify("session-ann-01", "ann", "ping")
		a.notify("session-ann-01", "ann", "ping")
		a.notify("session-ann-02", "ann", "ping")
		a.want("sessions", "session-ann-01: Per session | session-ann-02: Per session")
	})
	t.Run("MaxTimes", func(t *testing.T) {
		a := newAutoEngine(t)
		a.save(store.AutomatedMessage{Name: "thrice", Trigger: event, Text: "N", Repeat: store.RepeatAlways, MaxTimes: 3})
		for range 5 {
			a.notify("session-max-01", "", "ping")
		}
		a.want("five events", "session-max-01: N | session-max-01: N | session-max-01: N")
	})
	t.Run("MinInterval", func(t *testing.T) {
		a := newAutoEngine(t)
		a.save(store.AutomatedMessage{Name: "hourly", Trigger: event, Text: "H", Repeat: store.RepeatAlways, MinInterval: time.Hour})
		a.notify("session-int-01", "", "ping")
		a.clk.Advance(59 * time.Minute)
		a.notify("session-int-01", "", "ping")
		a.clk.Advance(time.Minute)
		a.notify("session-int-01", "", "ping")
		a.want("interval", "session-int-01: H | session-int-01: H")
	})
	t.Run("NotWhileAgentTalks", func(t *testing.T) {
		a := newAutoEngine(t)
		a.save(store.AutomatedMessage{Name: "quiet", Trigger: event, Text: "Q", Repeat: store.RepeatAlways})
		a.save(store.AutomatedMessage{Name: "loud", Trigger: event, Text: "L", Repeat: store.RepeatAlways, DuringAgent: true, Priority: -1})
		a.chat("session-agent-1", "", "hi")
		th := mustThread(t, a.e, "session-agent-1")
		if _, err := a.e.TakeOver(context.Background(), th, engine.Agent{ID: "a1"}, ""); err != nil {
			t.Fatal(err)
		}
		a.notify("session-agent-1", "", "ping")
		a.want("agent mode", "session-agent-1: L")
		if _, err := a.e.HandBack(context.Background(), th, engine.Agent{ID: "a1"}, ""); err != nil {
			t.Fatal(err)
		}
		a.notify("session-agent-1", "", "ping")
		a.want("back to the bot", "session-agent-1: Q")
	})
	t.Run("Priority", func(t *testing.T) {
		a := newAutoEngine(t)
		a.save(store.AutomatedMessage{Name: "low", Trigger: event, Text: "low", Priority: 1})
		a.save(store.AutomatedMessage{Name: "high", Trigger: event, Text: "high", Priority: 9, Condition: `user.vip == "yes"`})
		a.save(store.AutomatedMessage{Name: "mid", Trigger: event, Text: "mid", Priority: 5})
		a.user("vip", map[string]string{"vip": "yes"})
		a.notify("session-vip-01", "vip", "ping")
		a.notify("session-vip-01", "vip", "ping")
		a.notify("session-vip-01", "vip", "ping")
		a.notify("session-vip-01", "vip", "ping")
		a.want("by priority, each once", "session-vip-01: high | session-vip-01: mid | session-vip-01: low")
		a.notify("session-any-01", "", "ping")
		a.want("condition false", "session-any-01: mid")
	})
	t.Run("Concurrent", func(t *testing.T) {
		a := newAutoEngine(t)
		a.save(store.AutomatedMessage{Name: "once", Trigger: event, Text: "Once"})
		ann := a.user("ann", nil)
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a.notify("", "ann", "ping")
			}()
		}
		wg.Wait()
		a.want("eight events at once", ann.ID+": Once")
	})
}

func TestAutomatedContent(t *testing.T) {
	ctx := context.Background()
	a := newAutoEngine(t)
	demo := a.e.Bot().Stories[0].Interactions[1].ID
	a.save(store.AutomatedMessage{Name: "demo", Trigger: store.Trigger{On: store.OnEvent, Event: "pricing3"}, Goto: demo})
	a.save(store.AutomatedMessage{Name: "ask", Trigger: store.Trigger{On: store.OnEvent, Event: "ask"}, Text: "How was it?", QuickReplies: []string{"Good", "Bad"}})
	msgs, err := a.e.Notify(ctx, engine.HostEvent{SessionID: "session-content", Name: "pricing3"})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("Notify goto: %v, %v", msgs, err)
	}
	if m := msgs[0]; m.Type != store.BotMessage || m.InteractionID != demo || !strings.Contains(string(m.Fulfillment), `"Want a demo?"`) {
		t.Errorf("goto message: got %+v", m)
	}
	msgs, err = a.e.Notify(ctx, engine.HostEvent{SessionID: "session-content", Name: "ask"})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("Notify text: %v, %v", msgs, err)
	}
	want := `[{"type":"quickReplies","delay":0,"title":"How was it?","buttons":[{"type":"postback","title":"Good","value":"Good"},{"type":"postback","title":"Bad","value":"Bad"}]}]`
	if got := string(msgs[0].Fulfillment); got != want || msgs[0].Text != "How was it?" {
		t.Errorf("quick replies: got %s %q, want %s", got, msgs[0].Text, want)
	}
	a.want("events", "session-content: (rich) | session-content: How was it?")
	days, _ := a.e.Stats(ctx, a.clk.Now(), a.clk.Now())
	if len(days) != 1 || days[0].Automated != 2 {
		t.Errorf("Stats: got %+v, want 2 automated", days)
	}
}

func TestAutomatedSaveRefused(t *testing.T) {
	a := newAutoEngine(t)
	for _, c := range []struct {
		name  string
		m     store.AutomatedMessage
		field string
		rule  string
	}{
		{"ErrUnknownName", store.AutomatedMessage{Name: "x", Trigger: store.Trigger{On: store.OnStart}, Text: "x", Condition: `user.plan == "pro" && params.x == ""`},
			"condition", `line 1, column 23: unknown name "params"`},
		{"ErrMethod", store.AutomatedMessage{Name: "x", Trigger: store.Trigger{On: store.OnStart}, Text: "x", Condition: `page.url.Contains("x")`},
			"condition", "method calls are not allowed"},
		{"ErrPredicate", store.AutomatedMessage{Name: "x", Trigger: store.Trigger{On: store.OnStart}, Text: "x", Condition: `any(tags, # == "vip")`},
			"condition", "not allowed"},
		{"ErrRange", store.AutomatedMessage{Name: "x", Trigger: store.Trigger{On: store.OnStart}, Text: "x", Condition: `len(1..100000000) > 0`},
			"condition", "not allowed"},
		{"ErrTooBig", store.AutomatedMessage{Name: "x", Trigger: store.Trigger{On: store.OnStart}, Text: "x", Condition: strings.Repeat("visits + ", 250) + "0 > 1"},
			"condition", ""},
		{"ErrNotBool", store.AutomatedMessage{Name: "x", Trigger: store.Trigger{On: store.OnStart}, Text: "x", Condition: `visits`},
			"condition", ""},
		{"ErrGoto", store.AutomatedMessage{Name: "x", Trigger: store.Trigger{On: store.OnStart}, Goto: "0123456789abcdef01234567"},
			"goto", "must name an interaction"},
		{"ErrTrigger", store.AutomatedMessage{Name: "x", Trigger: store.Trigger{On: store.OnIdle}, Text: "x"},
			"trigger.after", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := a.e.SaveAutomatedMessage(context.Background(), c.m)
			var fe *store.FieldError
			if !errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(fe.Rule, c.rule) {
				t.Errorf("got %v, want a *store.FieldError for %s with %q", err, c.field, c.rule)
			}
		})
	}
	if msgs, _ := a.e.AutomatedMessages(context.Background()); len(msgs) != 0 {
		t.Errorf("after refused saves: %d messages stored", len(msgs))
	}
}

// TestAutomatedHostileEvaluation checks that a condition that fails at run
// time (a conversion of a user's text) reads as false and sends nothing.
func TestAutomatedHostileEvaluation(t *testing.T) {
	a := newAutoEngine(t)
	a.save(store.AutomatedMessage{Name: "age", Trigger: store.Trigger{On: store.OnEvent, Event: "x"}, Condition: `int(user.age) > 17`, Text: "Adult"})
	a.user("kid", map[string]string{"age": "twelve"})
	a.notify("", "kid", "x")
	a.want("bad number", "")
}

func TestAutomatedTimeZones(t *testing.T) {
	a := newAutoEngine(t) // 09:30 UTC
	a.save(store.AutomatedMessage{Name: "morning", Trigger: store.Trigger{On: store.OnEvent, Event: "x"}, Condition: `hour < 10`, Text: "Good morning"})
	a.user("rome", map[string]string{"default_timezone": "Europe/Rome"}) // 10:30
	ny := a.user("ny", map[string]string{"default_timezone": "-5"})      // 04:30
	utc := a.user("utc", nil)
	a.notify("", "rome", "x")
	a.notify("", "ny", "x")
	a.notify("", "utc", "x")
	a.want("zones", ny.ID+": Good morning | "+utc.ID+": Good morning")
}

// TestDeclaredAutomatedMessages starts an engine on a bot that declares an
// automated message: it is stored once, however many times the engine
// starts, a stored change wins over the declaration, and the message is
// sent on its event.
func TestDeclaredAutomatedMessages(t *testing.T) {
	db := openMemory(t)
	bot := loadFile(t, "../examples/coffee/bot.yaml")
	ctx := context.Background()
	e, err := engine.New(db, bot)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := e.AutomatedMessages(ctx)
	if err != nil || len(ms) != 1 || ms[0].Name != "Drink ready" || ms[0].Trigger.Event != "drink_ready" || ms[0].Repeat != store.RepeatAlways {
		t.Fatalf("after New: got %+v, %v, want the declared message", ms, err)
	}
	sent, err := e.Notify(ctx, engine.HostEvent{Name: "drink_ready", SessionID: "kiosk-declared-1"})
	if err != nil || len(sent) == 0 || !strings.Contains(sent[0].Text, "is ready") {
		t.Errorf("Notify: got %+v, %v, want the Drink ready answer", sent, err)
	}
	m := ms[0]
	m.Disabled = true
	if _, err := e.SaveAutomatedMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	if e, err = engine.New(db, bot); err != nil {
		t.Fatal(err)
	}
	if err := e.Reload(bot); err != nil {
		t.Fatal(err)
	}
	ms, _ = e.AutomatedMessages(ctx)
	if len(ms) != 1 || !ms[0].Disabled {
		t.Errorf("after restarts: got %+v, want the one stored message, still disabled", ms)
	}
	if sent, _ := e.Notify(ctx, engine.HostEvent{Name: "drink_ready", SessionID: "kiosk-declared-2"}); len(sent) != 0 {
		t.Errorf("a disabled message was sent: %+v", sent)
	}
}

// TestSupportShippingHelp drives the support example's page-based
// automated message: 30 seconds on the shipping page, without a message,
// brings an offer of help, once; another page or a conversation does not.
func TestSupportShippingHelp(t *testing.T) {
	clk := &autoClock{t: time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)}
	db, err := badgerstore.Open("", badgerstore.InMemory(), badgerstore.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e, err := engine.New(db, loadFile(t, "../examples/support/bot.yaml"), engine.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var got []string
	var mu sync.Mutex
	e.Subscribe(func(ev engine.Event) {
		if ev.Kind == engine.EventMessage && ev.Automated != "" {
			mu.Lock()
			got = append(got, ev.SessionID+": "+ev.Message.Text)
			mu.Unlock()
		}
	})
	view := func(session, url string) {
		t.Helper()
		if _, err := e.PageView(ctx, engine.PageVisit{SessionID: session, Page: engine.Page{URL: url}}); err != nil {
			t.Fatal(err)
		}
	}
	tick := func() {
		t.Helper()
		if _, err := e.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	view("visitor-shipping", "https://shop.example.com/shipping")
	view("visitor-returns", "https://shop.example.com/returns")
	view("visitor-chatting", "https://shop.example.com/shipping")
	if _, err := e.Chat(ctx, engine.Request{SessionID: "visitor-chatting", Query: "hi"}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(20 * time.Second)
	tick()
	clk.Advance(15 * time.Second)
	tick()
	clk.Advance(time.Minute)
	tick()
	view("visitor-shipping", "https://shop.example.com/shipping")
	clk.Advance(time.Minute)
	tick()
	mu.Lock()
	defer mu.Unlock()
	want := "visitor-shipping: Looking for delivery times or costs? I can tell you, or track an order."
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q, want once %q", got, want)
	}
}

package engine_test

import (
	"context"
	"errors"
	"fmt"
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

const handoffBot = `
stories:
  - name: Desk
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hello!"}]}
      - name: Hours
        says: [when are you open, opening hours]
        responses: [{text: "Nine to five."}]
      - name: Human
        says: [talk to a human, i want an agent]
        responses:
          - handoff:
              success: {responses: [{text: "An agent is coming."}]}
              failure: {responses: [{text: "Nobody is free."}]}
      - name: Fallback
        role: else
        says: [play a song]
        responses: [{text: "Sorry?"}]
`

// newThreadEngine returns an engine on the hand-off bot over in-memory
// Badger, and the events it delivers, as "kind[:type]" strings.
func newThreadEngine(t *testing.T, opts ...engine.Option) (*engine.Engine, *store.Store, func() []string) {
	t.Helper()
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(handoffBot)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e, err := engine.New(db, bot, append([]engine.Option{engine.WithSeed(1)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var evs []string
	e.Subscribe(func(ev engine.Event) {
		s := ev.Kind.String()
		switch ev.Kind {
		case engine.EventMessage:
			s += ":" + ev.Message.Type
			if ev.Message.SystemType != "" {
				s += ":" + ev.Message.SystemType
			}
			s += fmt.Sprintf("#%d", ev.Message.Seq)
		case engine.EventThreadChanged:
			s += ":" + ev.Thread.Mode
		case engine.EventTurn, engine.EventFallback, engine.EventHandoff:
			return
		}
		mu.Lock()
		evs = append(evs, s)
		mu.Unlock()
	})
	var st store.Store = db
	return e, &st, func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := evs
		evs = nil
		return out
	}
}

func types(msgs []store.Message) string {
	var b []string
	for _, m := range msgs {
		s := m.Type
		if m.SystemType != "" {
			s += ":" + m.SystemType
		}
		if m.Text != "" {
			s += fmt.Sprintf("(%s)", m.Text)
		}
		b = append(b, s)
	}
	return strings.Join(b, " ")
}

func TestThreadConversation(t *testing.T) {
	ctx := context.Background()
	e, _, events := newThreadEngine(t)
	th, err := e.CreateThread(ctx, engine.NewThread{ThreadID: "xyz", UserEmail: "ann@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if th.PublicID() != "xyz" || th.UserID == "" || th.Mode != store.ModeAI {
		t.Fatalf("CreateThread: got %+v", th)
	}
	if got := events(); fmt.Sprint(got) != "[thread.created]" {
		t.Errorf("events of CreateThread: got %v", got)
	}

	// The user asks; the bot answers in the same call.
	sent, err := e.Send(ctx, engine.Message{ThreadID: "xyz", Text: "when are you open"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := types(sent.Messages), "USER_MESSAGE(when are you open) NORMAL_MESSAGE(Nine to five.)"; got != want {
		t.Errorf("Send from the user: got %s, want %s", got, want)
	}
	if sent.Messages[1].Seq != 2 || sent.Thread.Messages != 2 || sent.Response.Result.Source != engine.SourceBot {
		t.Errorf("Send: got seq %d, thread messages %d, source %q", sent.Messages[1].Seq, sent.Thread.Messages, sent.Response.Result.Source)
	}
	// A ChatBot.com turn in the thread's session is the same conversation.
	if _, err := e.Chat(ctx, engine.Request{SessionID: th.SessionID, Query: "play a song"}); err != nil {
		t.Fatal(err)
	}
	// Escalation with a prompt: the thread goes to agents.
	sent, err = e.Escalate(ctx, "xyz", "I need a person")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := types(sent.Messages), "USER_MESSAGE(I need a person) SYSTEM_MESSAGE:CONVERSATION_ESCALATED"; got != want {
		t.Errorf("Escalate: got %s, want %s", got, want)
	}
	if sent.Thread.Mode != store.ModeAgent || !sent.Thread.Escalated {
		t.Errorf("Escalate: got mode %s escalated %v", sent.Thread.Mode, sent.Thread.Escalated)
	}
	// In AGENT mode the user's message is recorded, and the bot is silent.
	sent, err = e.Send(ctx, engine.Message{ThreadID: "xyz", Text: "hello?"})
	if err != nil {
		t.Fatal(err)
	}
	if got := types(sent.Messages); got != "USER_MESSAGE(hello?)" || sent.Response.Result.Source != engine.SourceAgent {
		t.Errorf("Send in AGENT mode: got %s, source %q", got, sent.Response.Result.Source)
	}
	sent, err = e.Send(ctx, engine.Message{ThreadID: th.ID, Text: "Hi, I'm Bob.", From: engine.FromAgent, Agent: engine.Agent{ID: "a1", Name: "Bob"}})
	if err != nil {
		t.Fatal(err)
	}
	if m := sent.Messages[0]; m.Type != store.AgentMessage || m.AgentName != "Bob" || m.AgentID != "a1" || m.Seq != 8 {
		t.Errorf("agent's message: got %+v", m)
	}
	// Handed back, the bot answers again.
	if _, err := e.HandBack(ctx, "xyz", engine.Agent{ID: "a1", Name: "Bob"}, "The bot will take it from here."); err != nil {
		t.Fatal(err)
	}
	sent, err = e.Send(ctx, engine.Message{ThreadID: "xyz", Text: "opening hours"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := types(sent.Messages), "USER_MESSAGE(opening hours) NORMAL_MESSAGE(Nine to five.)"; got != want {
		t.Errorf("Send after HandBack: got %s, want %s", got, want)
	}
	if _, err := e.TakeOver(ctx, "xyz", engine.Agent{Name: "Cy"}, ""); err != nil {
		t.Fatal(err)
	}
	want := "[message:USER_MESSAGE#1 message:NORMAL_MESSAGE#2 message:USER_MESSAGE#3 message:NORMAL_MESSAGE#4 " +
		"message:USER_MESSAGE#5 message:SYSTEM_MESSAGE:CONVERSATION_ESCALATED#6 thread.changed:AGENT " +
		"message:USER_MESSAGE#7 message:AGENT_MESSAGE#8 message:AGENT_MESSAGE#9 thread.changed:AI " +
		"message:USER_MESSAGE#10 message:NORMAL_MESSAGE#11 thread.changed:AGENT]"
	if got := fmt.Sprint(events()); got != want {
		t.Errorf("events:\ngot  %s\nwant %s", got, want)
	}
	all, err := e.Messages(ctx, "xyz", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 11 || all[8].AgentName != "Bob" || all[8].Text != "The bot will take it from here." {
		t.Errorf("stored messages: got %s", types(all))
	}
	u, err := e.User(ctx, th.UserID)
	if err != nil || u.Attributes[store.AttrEmail] != "ann@example.com" {
		t.Errorf("the thread's user: got %+v, %v", u, err)
	}
}

func TestThreadHandoffWithAgentPresent(t *testing.T) {
	ctx := context.Background()
	e, _, _ := newThreadEngine(t)
	sent, err := e.Send(ctx, engine.Message{Text: "talk to a human"})
	if err != nil {
		t.Fatal(err)
	}
	if got := types(sent.Messages); got != "USER_MESSAGE(talk to a human) NORMAL_MESSAGE(Nobody is free.)" {
		t.Errorf("hand-off with nobody present: got %s", got)
	}
	leave := e.AgentPresent(engine.Agent{ID: "a1", Name: "Bob"})
	if got := e.AgentsPresent(); len(got) != 1 || got[0].Name != "Bob" {
		t.Errorf("AgentsPresent: got %v", got)
	}
	sent, err = e.Send(ctx, engine.Message{ThreadID: sent.Thread.ID, Text: "talk to a human"})
	if err != nil {
		t.Fatal(err)
	}
	if got := types(sent.Messages); got != "USER_MESSAGE(talk to a human) NORMAL_MESSAGE(An agent is coming.) SYSTEM_MESSAGE:CONVERSATION_ESCALATED" {
		t.Errorf("hand-off with an agent present: got %s", got)
	}
	if sent.Thread.Mode != store.ModeAgent || !sent.Thread.Escalated {
		t.Errorf("thread after the hand-off: %+v", sent.Thread)
	}
	leave()
	leave()
	if got := e.AgentsPresent(); len(got) != 0 {
		t.Errorf("AgentsPresent after leaving: got %v", got)
	}
}

func TestThreadAdmin(t *testing.T) {
	ctx := context.Background()
	e, st, events := newThreadEngine(t)
	th, err := e.CreateThread(ctx, engine.NewThread{Mode: store.ModeAgent})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Send(ctx, engine.Message{ThreadID: th.ID, Text: "anyone?"}); err != nil {
		t.Fatal(err)
	}
	url, token := "https://example.com/hook", "tok"
	got, err := e.UpdateThread(ctx, th.ID, engine.ThreadUpdate{
		WebhookURL: &url, WebhookToken: &token,
		ChatUser: &engine.ChatUser{Email: "cy@example.com", Name: "Cy", Phone: "+1 555 0100"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.WebhookURL != url || got.WebhookToken != token || got.UserID == "" {
		t.Errorf("UpdateThread: got %+v", got)
	}
	u, err := (*st).User(ctx, got.UserID)
	if err != nil || u.Attributes[store.AttrName] != "Cy" || u.Attributes[engine.AttrPhone] != "+1 555 0100" {
		t.Errorf("chat user: got %+v, %v", u, err)
	}
	if got, err := e.MarkRead(ctx, th.ID, -1); err != nil || got.Read != 1 || got.Unread() != 0 {
		t.Errorf("MarkRead: got %+v, %v", got, err)
	}
	page, err := e.ListThreads(ctx, store.ThreadQuery{Mode: store.ModeAgent, Read: new(bool)})
	if err != nil || len(page.Threads) != 0 {
		t.Errorf("unread AGENT threads: got %+v, %v", page, err)
	}
	if err := e.React(ctx, th.ID, 1, store.Negative); err != nil {
		t.Fatal(err)
	}
	days, err := (*st).Stats(ctx, time.Now(), time.Now())
	if err != nil || days[0].Negative != 1 {
		t.Errorf("reactions counted: got %+v, %v", days, err)
	}
	for name, c := range map[string]struct {
		err  error
		call func() error
	}{
		"EmptyMessage":  {store.ErrInvalid, func() error { _, err := e.Send(ctx, engine.Message{ThreadID: th.ID}); return err }},
		"AgentNoThread": {store.ErrInvalid, func() error { _, err := e.Send(ctx, engine.Message{Text: "x", From: engine.FromAgent}); return err }},
		"BadFrom":       {store.ErrInvalid, func() error { _, err := e.Send(ctx, engine.Message{Text: "x", From: "BOT"}); return err }},
		"UnknownThread": {store.ErrNotFound, func() error { _, err := e.Send(ctx, engine.Message{ThreadID: "nope", Text: "x"}); return err }},
		"BadMode": {store.ErrInvalid, func() error {
			m := "HYBRID"
			_, err := e.UpdateThread(ctx, th.ID, engine.ThreadUpdate{Mode: &m})
			return err
		}},
		"BadWebhook": {store.ErrInvalid, func() error {
			u := "mailto:x"
			_, err := e.UpdateThread(ctx, th.ID, engine.ThreadUpdate{WebhookURL: &u})
			return err
		}},
		"BadEmail":        {store.ErrInvalid, func() error { _, err := e.CreateThread(ctx, engine.NewThread{UserEmail: "nobody"}); return err }},
		"TakenThreadID":   {store.ErrConflict, func() error { _, err := e.CreateThread(ctx, engine.NewThread{ThreadID: th.ID}); return err }},
		"BadReaction":     {store.ErrInvalid, func() error { return e.React(ctx, th.ID, 1, "LOVE") }},
		"ReactNoMessage":  {store.ErrNotFound, func() error { return e.React(ctx, th.ID, 9, store.Positive) }},
		"MarkReadTooMany": {store.ErrInvalid, func() error { _, err := e.MarkRead(ctx, th.ID, 5); return err }},
	} {
		if err := c.call(); !errors.Is(err, c.err) {
			t.Errorf("%s: got %v, want %v", name, err, c.err)
		}
	}
	events()
	if err := e.DeleteThread(ctx, th.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Thread(ctx, th.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Thread after DeleteThread: got %v", err)
	}
	if got := fmt.Sprint(events()); got != "[thread.deleted]" {
		t.Errorf("events of DeleteThread: got %v", got)
	}
}

// TestMessageLimit: a thread that reached the bot's message_limit records
// the user's messages with an EXCEEDED_USAGE_LIMITS, and the bot is silent.
func TestMessageLimit(t *testing.T) {
	ctx := context.Background()
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte("settings: {message_limit: 4}\n" + handoffBot)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e, err := engine.New(db, bot)
	if err != nil {
		t.Fatal(err)
	}
	th, err := e.CreateThread(ctx, engine.NewThread{})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := e.Send(ctx, engine.Message{ThreadID: th.ID, Text: "opening hours"}); err != nil {
			t.Fatal(err)
		}
	}
	sent, err := e.Send(ctx, engine.Message{ThreadID: th.ID, Text: "opening hours"})
	if err != nil {
		t.Fatal(err)
	}
	if got := types(sent.Messages); got != "USER_MESSAGE(opening hours) SYSTEM_MESSAGE:EXCEEDED_USAGE_LIMITS" || sent.Response.Result.Source != engine.SourceLimit {
		t.Errorf("past the limit: got %s, source %q", got, sent.Response.Result.Source)
	}
	// A new thread starts afresh.
	sent, err = e.Send(ctx, engine.Message{Text: "opening hours"})
	if err != nil || types(sent.Messages) != "USER_MESSAGE(opening hours) NORMAL_MESSAGE(Nine to five.)" {
		t.Errorf("a new thread: got %s, %v", types(sent.Messages), err)
	}
}

// TestSendGoto: a goto button chosen in a thread continues at its
// interaction, its title recorded as the user's message; a bad goto, or
// one from an agent, is refused naming the field.
func TestSendGoto(t *testing.T) {
	e, _, _ := newThreadEngine(t)
	ctx := context.Background()
	hours := e.Bot().DefaultStory().InteractionByName("Hours").ID
	sent, err := e.Send(ctx, engine.Message{Text: "Opening hours?", Goto: hours})
	if err != nil {
		t.Fatal(err)
	}
	if len(sent.Messages) != 2 || sent.Messages[0].Type != store.UserMessage || sent.Messages[0].Text != "Opening hours?" ||
		sent.Messages[1].Text != "Nine to five." {
		t.Fatalf("got %+v, want the title as the user's message and Hours' answer", sent.Messages)
	}
	for _, m := range []engine.Message{
		{ThreadID: sent.Thread.ID, Text: "x", Goto: "0123456789abcdef01234567"},
		{ThreadID: sent.Thread.ID, Text: "x", Goto: hours, From: engine.FromAgent, Agent: engine.Agent{ID: "a", Name: "A"}},
	} {
		var fe *store.FieldError
		if _, err := e.Send(ctx, m); !errors.As(err, &fe) || fe.Field != "goto" {
			t.Errorf("Send(%+v): got %v, want an error naming goto", m, err)
		}
	}
}

// TestPageViewThread: the automated messages of a page view go to the
// thread the page follows.
func TestPageViewThread(t *testing.T) {
	e, _, _ := newThreadEngine(t)
	ctx := context.Background()
	if _, err := e.SaveAutomatedMessage(ctx, store.AutomatedMessage{Name: "hi", Trigger: store.Trigger{On: store.OnPageView}, Text: "Need help?"}); err != nil {
		t.Fatal(err)
	}
	th, err := e.CreateThread(ctx, engine.NewThread{})
	if err != nil {
		t.Fatal(err)
	}
	sent, err := e.PageView(ctx, engine.PageVisit{SessionID: th.SessionID, ThreadID: th.ID, Page: engine.Page{URL: "https://example.com/"}})
	if err != nil || len(sent) != 1 || sent[0].ThreadID != th.ID {
		t.Fatalf("got %+v, %v; want the message in thread %s", sent, err, th.ID)
	}
	if th, err = e.Thread(ctx, th.ID); err != nil {
		t.Fatal(err)
	}
	msgs, err := e.AllMessages(ctx, th)
	if err != nil || len(msgs) != 1 || msgs[0].Text != "Need help?" {
		t.Errorf("the thread's messages: %+v, %v; want the automated message", msgs, err)
	}
}

const pressBot = `
stories:
  - name: Desk
    interactions:
      - name: Welcome
        role: start
        responses:
          - text: "Hello!"
          - quick_replies: {title: "Pick one", buttons: [{title: "Hours for {{default_name|you}}", goto: Hours}]}
      - name: Hours
        says: [opening hours]
        responses:
          - text: "Nine to five."
          - buttons: {title: "More", buttons: [{title: Directions, goto: Directions}]}
      - name: Directions
        says: [where are you]
        responses: [{text: "Second floor."}]
      - name: Closing
        triggers: [closing]
        responses: [{text: "We close soon."}]
      - name: Fallback
        role: else
        responses: [{text: "Sorry?"}]
`

// newPressEngine returns an engine on pressBot, with settings prepended
// to the bot file, over in-memory Badger, and the store.
func newPressEngine(t *testing.T, settings string) (*engine.Engine, store.Store) {
	t.Helper()
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(settings + pressBot)}}, "bot.yaml")
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
	return e, db
}

// sessionMessages returns the messages of the session's current thread as
// "TYPE(text) goto=NAME trigger=NAME" lines.
func sessionMessages(t *testing.T, e *engine.Engine, st store.Store, sessionID string) []string {
	t.Helper()
	s, err := st.Session(t.Context(), sessionID)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := st.Messages(t.Context(), s.ThreadID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		line := types([]store.Message{m})
		if m.Goto != "" {
			line += " goto=" + e.Bot().Interaction(m.Goto).Name
		}
		if m.Trigger != "" {
			line += " trigger=" + m.Trigger
		}
		out = append(out, line)
	}
	return out
}

// TestPressesAreUserMessages: a button pressed (a goto) and a trigger are
// recorded as the user's messages, the press with the title of the button
// that leads there (from the last answer's interaction, else from the
// story, else the interaction's name) and the goto, the trigger with its
// name; a typed message carries neither.
func TestPressesAreUserMessages(t *testing.T) {
	e, st := newPressEngine(t, "")
	ctx := t.Context()
	const sid = "session-presses"
	if _, err := e.CreateUser(ctx, store.User{UserID: "ann", Attributes: map[string]string{"default_name": "Ann"}}); err != nil {
		t.Fatal(err)
	}
	id := func(name string) string { return e.Bot().DefaultStory().InteractionByName(name).ID }
	for _, req := range []engine.Request{
		{Trigger: "welcome", UserID: "ann"},
		{Goto: id("Hours")},      // pressed in Welcome's quick replies
		{Goto: id("Directions")}, // pressed in Hours' buttons
		{Goto: id("Hours")},      // no button in Directions: the story's
		{Goto: id("Closing")},    // no button leads there: its name
		{Trigger: "closing"},
		{Query: "where are you"},
	} {
		req.SessionID = sid
		if _, err := e.Chat(ctx, req); err != nil {
			t.Fatalf("Chat(%+v): %v", req, err)
		}
	}
	want := []string{
		"USER_MESSAGE(welcome) trigger=welcome", "NORMAL_MESSAGE(Hello!)",
		"USER_MESSAGE(Hours for Ann) goto=Hours", "NORMAL_MESSAGE(Nine to five.)",
		"USER_MESSAGE(Directions) goto=Directions", "NORMAL_MESSAGE(Second floor.)",
		"USER_MESSAGE(Hours for Ann) goto=Hours", "NORMAL_MESSAGE(Nine to five.)",
		"USER_MESSAGE(Closing) goto=Closing", "NORMAL_MESSAGE(We close soon.)",
		"USER_MESSAGE(closing) trigger=closing", "NORMAL_MESSAGE(We close soon.)",
		"USER_MESSAGE(where are you)", "NORMAL_MESSAGE(Second floor.)",
	}
	if got := sessionMessages(t, e, st, sid); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("thread:\ngot  %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	s, _ := st.Session(ctx, sid)
	th, err := st.Thread(ctx, s.ThreadID)
	if err != nil || th.FirstMessage != "Hours for Ann" || th.Messages != 14 {
		t.Errorf("thread: got first message %q of %d, %v; want the first press of 14 (a trigger is not a first message)", th.FirstMessage, th.Messages, err)
	}
}

// TestMessageLimitCountsPresses: a button pressed and a trigger are user
// messages: they fill a thread toward the bot's message_limit, and once it
// is full they are recorded with an EXCEEDED_USAGE_LIMITS and no answer.
func TestMessageLimitCountsPresses(t *testing.T) {
	e, st := newPressEngine(t, "settings: {message_limit: 4}\n")
	ctx := t.Context()
	const sid = "session-limit-presses"
	hours := e.Bot().DefaultStory().InteractionByName("Hours").ID
	for _, req := range []engine.Request{{Trigger: "welcome"}, {Goto: hours}} {
		req.SessionID = sid
		if resp, err := e.Chat(ctx, req); err != nil || resp.Result.Source != engine.SourceBot {
			t.Fatalf("Chat(%+v): got source %q, %v; want the bot's answer", req, resp.Result.Source, err)
		}
	}
	for _, req := range []engine.Request{{Goto: hours}, {Trigger: "closing"}} {
		req.SessionID = sid
		if resp, err := e.Chat(ctx, req); err != nil || resp.Result.Source != engine.SourceLimit || len(resp.Result.Fulfillment) != 0 {
			t.Errorf("Chat(%+v) in a full thread: got source %q, %+v, %v; want %q and no answer", req, resp.Result.Source, resp.Result.Fulfillment, err, engine.SourceLimit)
		}
	}
	want := []string{
		"USER_MESSAGE(welcome) trigger=welcome", "NORMAL_MESSAGE(Hello!)",
		"USER_MESSAGE(Hours for you) goto=Hours", "NORMAL_MESSAGE(Nine to five.)",
		"USER_MESSAGE(Hours for you) goto=Hours", "SYSTEM_MESSAGE:EXCEEDED_USAGE_LIMITS",
		"USER_MESSAGE(closing) trigger=closing", "SYSTEM_MESSAGE:EXCEEDED_USAGE_LIMITS",
	}
	if got := sessionMessages(t, e, st, sid); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("thread:\ngot  %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

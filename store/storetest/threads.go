package storetest

import (
	"errors"
	"strings"
	"time"

	"github.com/parleybot/parley/store"
)

// thread creates a thread or stops the test.
func (e *env) thread(th store.Thread) store.Thread {
	e.Helper()
	got, err := e.s.CreateThread(ctx, th)
	if err != nil {
		e.Fatalf("CreateThread(%+v): %v", th, err)
	}
	return got
}

func ptr[T any](v T) *T { return &v }

func testCreateThread(e *env) {
	u := e.user("u", nil)
	th := e.thread(store.Thread{UserID: u.ID})
	if !store.ValidID(th.ID) || th.SessionID != th.ID || th.Mode != store.ModeAI || !th.StartedAt.Equal(start) ||
		!th.UpdatedAt.Equal(start) || !th.EndedAt.IsZero() || th.Messages != 0 || th.PublicID() != th.ID {
		e.Errorf("CreateThread: got %+v, want a new open AI thread with its own session", th)
	}
	got, err := e.s.Thread(ctx, th.ID)
	if e.noErr("Thread", err) {
		e.equal("stored", got, th)
	}
	if cs, err := e.s.Conversations(ctx, u.ID); e.noErr("Conversations", err) {
		e.equal("the user's threads", len(cs), 1)
	}

	named := e.thread(store.Thread{Alias: "xyz", Mode: store.ModeAgent, SessionID: "session-named",
		WebhookURL: "https://example.com/hook", WebhookToken: "secret"})
	e.equal("alias", []any{named.Alias, named.PublicID(), named.Mode, named.SessionID, named.WebhookURL, named.WebhookToken},
		[]any{"xyz", "xyz", store.ModeAgent, "session-named", "https://example.com/hook", "secret"})
	got, err = e.s.ThreadByAlias(ctx, "xyz")
	if e.noErr("ThreadByAlias", err) {
		e.equal("by alias", got, named)
	}
	_, err = e.s.ThreadByAlias(ctx, "nope")
	e.wantErr("unknown alias", err, store.ErrNotFound)

	_, err = e.s.CreateThread(ctx, store.Thread{Alias: "xyz"})
	e.wantErr("alias taken", err, store.ErrConflict)
	_, err = e.s.CreateThread(ctx, store.Thread{Alias: th.ID})
	e.wantErr("alias equal to a thread's id", err, store.ErrConflict)
	_, err = e.s.CreateThread(ctx, store.Thread{UserID: "0123456789abcdef01234567"})
	e.wantErr("unknown user", err, store.ErrNotFound)
	for name, bad := range map[string]store.Thread{
		"mode":          {Mode: "HYBRID"},
		"alias control": {Alias: "a\nb"},
		"alias long":    {Alias: strings.Repeat("a", store.MaxThreadAlias+1)},
		"webhookUrl":    {WebhookURL: "ftp://example.com"},
		"webhookToken":  {WebhookToken: strings.Repeat("t", store.MaxToken+1)},
		"sessionId":     {SessionID: "short"},
		"userId":        {UserID: "u"},
	} {
		_, err := e.s.CreateThread(ctx, bad)
		e.wantErr("invalid "+name, err, store.ErrInvalid)
	}
	if p, err := e.s.ListThreads(ctx, store.ThreadQuery{}); e.noErr("ListThreads", err) {
		e.equal("threads after the failures", len(p.Threads), 2)
	}
}

// testThreadTurn runs turns in a thread created outside them, as the
// Threads API's messages do.
func testThreadTurn(e *env) {
	u := e.user("u", nil)
	th := e.thread(store.Thread{UserID: u.ID, Alias: "thread-1"})
	e.clk.Advance(time.Minute)
	e.update(th.SessionID, func(t *store.Turn) error {
		if err := t.UseThread(th.ID); err != nil {
			return err
		}
		if err := t.SetUser(u.ID); err != nil {
			return err
		}
		t.Session.ExpiresAt = t.Now.Add(time.Hour)
		t.Append(store.Message{Type: store.UserMessage, Text: "hello"},
			store.Message{Type: store.BotMessage, Text: "hi"})
		if t.NewThread() {
			e.Errorf("Append after UseThread started a thread")
		}
		return nil
	})
	got, err := e.s.Thread(ctx, th.ID)
	if e.noErr("Thread", err) {
		e.equal("after a turn", []any{got.Messages, got.FirstMessage, got.Alias, got.UpdatedAt.Equal(start.Add(time.Minute))},
			[]any{2, "hello", "thread-1", true})
	}
	if s, err := e.s.Session(ctx, th.SessionID); e.noErr("Session", err) {
		e.equal("the session's thread", s.ThreadID, th.ID)
	}
	// The session expires: a later turn takes the thread again.
	e.clk.Advance(2 * time.Hour)
	e.update(th.SessionID, func(t *store.Turn) error {
		if !t.New || t.Thread != nil {
			e.Errorf("turn after expiry: New %v, Thread %v", t.New, t.Thread)
		}
		if err := t.UseThread(th.ID); err != nil {
			return err
		}
		t.Append(store.Message{Type: store.UserMessage, Text: "again"})
		return nil
	})
	if got, err := e.s.Thread(ctx, th.ID); e.noErr("Thread", err) {
		e.equal("after expiry", got.Messages, 3)
	}
	// A thread of another session is not the turn's to take.
	other := e.thread(store.Thread{})
	err = e.s.Update(ctx, th.SessionID, func(t *store.Turn) error { return t.UseThread(other.ID) })
	e.wantErr("UseThread of another session", err, store.ErrNotFound)
	err = e.s.Update(ctx, th.SessionID, func(t *store.Turn) error { return t.UseThread("0123456789abcdef01234567") })
	e.wantErr("UseThread of no thread", err, store.ErrNotFound)
	// A thread that ended opens again.
	e.update(th.SessionID, func(t *store.Turn) error { t.Thread.EndedAt = t.Now; return nil })
	e.update(th.SessionID, func(t *store.Turn) error {
		if err := t.UseThread(th.ID); err != nil {
			return err
		}
		t.Append(store.Message{Type: store.UserMessage, Text: "reopened"})
		return nil
	})
	if got, err := e.s.Thread(ctx, th.ID); e.noErr("Thread", err) {
		e.equal("reopened", []any{got.Messages, got.EndedAt.IsZero()}, []any{4, true})
	}
}

func testListThreads(e *env) {
	ann, bob := e.user("ann", nil), e.user("bob", nil)
	var all []store.Thread // oldest first
	for i := range 7 {
		th := store.Thread{}
		if i%2 == 0 {
			th.UserID = ann.ID
		} else {
			th.UserID = bob.ID
		}
		if i%3 == 0 {
			th.Mode = store.ModeAgent
		}
		all = append(all, e.thread(th))
		e.clk.Advance(time.Minute)
	}
	// Threads 1 and 2 get messages; 2 is read, 1 is not; 4 is escalated.
	for _, i := range []int{1, 2} {
		_, err := e.s.AppendMessages(ctx, all[i].ID, store.Message{Type: store.UserMessage, Text: "hi"})
		e.noErr("AppendMessages", err)
	}
	_, err := e.s.UpdateThread(ctx, all[2].ID, func(t *store.Thread) error { t.Read = t.Messages; return nil })
	e.noErr("UpdateThread read", err)
	_, err = e.s.UpdateThread(ctx, all[4].ID, func(t *store.Thread) error { t.Escalated = true; return nil })
	e.noErr("UpdateThread escalated", err)

	ids := func(q store.ThreadQuery) ([]int, bool) {
		e.Helper()
		p, err := e.s.ListThreads(ctx, q)
		if err != nil {
			e.Errorf("ListThreads(%+v): %v", q, err)
			return nil, false
		}
		var out []int
		for _, th := range p.Threads {
			for i := range all {
				if all[i].ID == th.ID {
					out = append(out, i)
				}
			}
		}
		return out, p.HasMore
	}
	for _, c := range []struct {
		name string
		q    store.ThreadQuery
		want []int
		more bool
	}{
		{"All", store.ThreadQuery{}, []int{6, 5, 4, 3, 2, 1, 0}, false},
		{"Page1", store.ThreadQuery{Limit: 3}, []int{6, 5, 4}, true},
		{"Page3", store.ThreadQuery{Limit: 3, Page: 3}, []int{0}, false},
		{"Page4", store.ThreadQuery{Limit: 3, Page: 4}, nil, false},
		{"ModeAgent", store.ThreadQuery{Mode: store.ModeAgent}, []int{6, 3, 0}, false},
		{"ModeAI", store.ThreadQuery{Mode: store.ModeAI, Limit: 2}, []int{5, 4}, true},
		{"Escalated", store.ThreadQuery{Escalated: ptr(true)}, []int{4}, false},
		{"Unread", store.ThreadQuery{Read: ptr(false)}, []int{1}, false},
		{"Read", store.ThreadQuery{Read: ptr(true), Limit: 1, Page: 6}, []int{0}, false},
		{"ReadPage5", store.ThreadQuery{Read: ptr(true), Limit: 1, Page: 5}, []int{2}, true},
		{"User", store.ThreadQuery{UserID: bob.ID}, []int{5, 3, 1}, false},
		{"UserPage", store.ThreadQuery{UserID: ann.ID, Limit: 2, Page: 2}, []int{2, 0}, false},
		{"UserAndMode", store.ThreadQuery{UserID: ann.ID, Mode: store.ModeAgent}, []int{6, 0}, false},
		{"From", store.ThreadQuery{From: start.Add(5 * time.Minute)}, []int{6, 5}, false},
		{"Range", store.ThreadQuery{From: start.Add(time.Minute), To: start.Add(3 * time.Minute)}, []int{2, 1}, false},
	} {
		got, more := ids(c.q)
		e.equal(c.name, got, c.want)
		e.equal(c.name+" HasMore", more, c.more)
	}
	for name, q := range map[string]store.ThreadQuery{
		"page":   {Page: -1},
		"limit":  {Limit: store.MaxThreadsPage + 1},
		"mode":   {Mode: "x"},
		"userId": {UserID: "bob"},
		"range":  {From: start, To: start},
	} {
		_, err := e.s.ListThreads(ctx, q)
		e.wantErr("invalid "+name, err, store.ErrInvalid)
	}
}

func testUpdateThread(e *env) {
	const sid = "session-update-thread"
	ann, bob := e.user("ann", nil), e.user("bob", nil)
	e.chat(sid, ann.ID, "hello")
	s, err := e.s.Session(ctx, sid)
	if !e.noErr("Session", err) {
		return
	}
	id := s.ThreadID
	e.clk.Advance(time.Minute)
	th, err := e.s.UpdateThread(ctx, id, func(t *store.Thread) error {
		t.Mode, t.Escalated, t.Read = store.ModeAgent, true, 2
		t.WebhookURL, t.WebhookToken = "http://127.0.0.1:9/hook", "tok"
		t.UserID = bob.ID
		t.Messages, t.Alias, t.SessionID = 99, "changed", "session-changed" // kept
		return nil
	})
	if e.noErr("UpdateThread", err) {
		e.equal("returned", []any{th.Mode, th.Escalated, th.Read, th.WebhookURL, th.WebhookToken, th.UserID, th.Messages, th.Alias, th.SessionID},
			[]any{store.ModeAgent, true, 2, "http://127.0.0.1:9/hook", "tok", bob.ID, 2, "", sid})
	}
	got, err := e.s.Thread(ctx, id)
	if e.noErr("Thread", err) {
		e.equal("stored", got, th)
	}
	// The session's next turn sees the change.
	e.update(sid, func(t *store.Turn) error {
		if t.Thread == nil || t.Thread.ID != id || t.Thread.Mode != store.ModeAgent || t.Thread.WebhookURL == "" {
			e.Errorf("next turn's thread: got %+v", t.Thread)
		}
		t.Append(store.Message{Type: store.UserMessage, Text: "still there?"})
		return nil
	})
	if got, err := e.s.Thread(ctx, id); e.noErr("Thread", err) {
		e.equal("after the turn", []any{got.Messages, got.Read, got.Unread(), got.Mode}, []any{3, 2, 1, store.ModeAgent})
	}
	if cs, err := e.s.Conversations(ctx, bob.ID); e.noErr("Conversations", err) {
		e.equal("the new user's threads", len(cs), 1)
	}
	if cs, err := e.s.Conversations(ctx, ann.ID); e.noErr("Conversations", err) {
		e.equal("the old user's threads", len(cs), 0)
	}

	boom := errors.New("boom")
	_, err = e.s.UpdateThread(ctx, id, func(t *store.Thread) error { t.Mode = store.ModeAI; return boom })
	e.wantErr("fn's error", err, boom)
	_, err = e.s.UpdateThread(ctx, id, func(t *store.Thread) error { t.Read = 4; return nil })
	e.wantErr("read past the messages", err, store.ErrInvalid)
	_, err = e.s.UpdateThread(ctx, id, func(t *store.Thread) error { t.UserID = "0123456789abcdef01234567"; return nil })
	e.wantErr("unknown user", err, store.ErrNotFound)
	if got, err := e.s.Thread(ctx, id); e.noErr("Thread", err) {
		e.equal("after failed updates", []any{got.Mode, got.Read, got.UserID}, []any{store.ModeAgent, 2, bob.ID})
	}
	_, err = e.s.UpdateThread(ctx, "0123456789abcdef01234567", func(*store.Thread) error { return nil })
	e.wantErr("unknown thread", err, store.ErrNotFound)
}

func testDeleteThread(e *env) {
	const sid = "session-delete-thread"
	u := e.user("u", nil)
	th := e.thread(store.Thread{Alias: "doomed", SessionID: sid, UserID: u.ID})
	e.update(sid, func(t *store.Turn) error {
		if err := t.UseThread(th.ID); err != nil {
			return err
		}
		for range 40 {
			t.Append(store.Message{Type: store.UserMessage, Text: "x"})
		}
		return nil
	})
	keep := e.thread(store.Thread{UserID: u.ID})
	e.noErr("DeleteThread", e.s.DeleteThread(ctx, th.ID))
	_, err := e.s.Thread(ctx, th.ID)
	e.wantErr("Thread after delete", err, store.ErrNotFound)
	_, err = e.s.Messages(ctx, th.ID, 0, 10)
	e.wantErr("Messages after delete", err, store.ErrNotFound)
	_, err = e.s.ThreadByAlias(ctx, "doomed")
	e.wantErr("ThreadByAlias after delete", err, store.ErrNotFound)
	if cs, err := e.s.Conversations(ctx, u.ID); e.noErr("Conversations", err) {
		e.equal("the user's threads", len(cs), 1)
	}
	if p, err := e.s.ListThreads(ctx, store.ThreadQuery{}); e.noErr("ListThreads", err) && len(p.Threads) == 1 {
		e.equal("listed", p.Threads[0].ID, keep.ID)
	}
	e.wantErr("DeleteThread again", e.s.DeleteThread(ctx, th.ID), store.ErrNotFound)
	// The alias is free again; the session's next turn starts afresh.
	e.thread(store.Thread{Alias: "doomed"})
	e.update(sid, func(t *store.Turn) error {
		if t.Thread != nil {
			e.Errorf("turn after delete: got thread %+v", t.Thread)
		}
		t.Append(store.Message{Type: store.UserMessage, Text: "new"})
		return nil
	})
	// Deleting a user deletes its threads and frees their aliases.
	v := e.user("v", nil)
	e.thread(store.Thread{Alias: "v's", UserID: v.ID})
	e.noErr("DeleteUser", e.s.DeleteUser(ctx, v.ID))
	_, err = e.s.ThreadByAlias(ctx, "v's")
	e.wantErr("ThreadByAlias after DeleteUser", err, store.ErrNotFound)
	e.thread(store.Thread{Alias: "v's"})
}

func testMessageAgents(e *env) {
	th := e.thread(store.Thread{})
	_, err := e.s.AppendMessages(ctx, th.ID,
		store.Message{Type: store.AgentMessage, Text: "I can help", AgentID: "agent-1", AgentName: "Ann", IconURL: "https://example.com/ann.png"},
		store.Message{Type: store.UserMessage, Text: "thanks"})
	if !e.noErr("AppendMessages", err) {
		return
	}
	got, err := e.s.Messages(ctx, th.ID, 0, 10)
	if e.noErr("Messages", err) && len(got) == 2 {
		e.equal("agent message", []any{got[0].AgentID, got[0].AgentName, got[0].IconURL, got[0].Seq}, []any{"agent-1", "Ann", "https://example.com/ann.png", 1})
		e.equal("user message", []any{got[1].AgentID, got[1].AgentName, got[1].IconURL}, []any{"", "", ""})
	}
	_, err = e.s.AppendMessages(ctx, th.ID, store.Message{Type: store.AgentMessage, AgentName: strings.Repeat("n", store.MaxAgentField+1)})
	e.wantErr("agentName too long", err, store.ErrInvalid)
}

// testMessageSentBy keeps how a user's message was sent (a button's goto,
// a trigger), in a record of several messages and through a turn, and
// refuses a goto or trigger that breaks its rule.
func testMessageSentBy(e *env) {
	th := e.thread(store.Thread{})
	const target = "5b07ffafc2376e30306d9b16"
	_, err := e.s.AppendMessages(ctx, th.ID,
		store.Message{Type: store.UserMessage, Text: "Latte", Goto: target},
		store.Message{Type: store.BotMessage, Text: "One latte"},
		store.Message{Type: store.AgentMessage, Text: "hi", AgentName: "Ann"},
		store.Message{Type: store.UserMessage, Text: "drink_ready", Trigger: "drink_ready"})
	if !e.noErr("AppendMessages", err) {
		return
	}
	const sid = "session-sent-by"
	e.update(sid, func(t *store.Turn) error {
		t.Append(store.Message{Type: store.UserMessage, Text: "welcome", Trigger: "welcome"},
			store.Message{Type: store.BotMessage, Text: "Hello"})
		return nil
	})
	if got, err := e.s.Thread(ctx, th.ID); e.noErr("Thread", err) {
		e.equal("first message (a button's title)", got.FirstMessage, "Latte")
	}
	got, err := e.s.Messages(ctx, th.ID, 0, 10)
	if e.noErr("Messages", err) && len(got) == 4 {
		e.equal("messages' goto and trigger",
			[]any{got[0].Goto, got[0].Trigger, got[1].Goto, got[1].Trigger, got[2].Goto, got[2].AgentName, got[3].Goto, got[3].Trigger},
			[]any{target, "", "", "", "", "Ann", "", "drink_ready"})
	}
	if s, err := e.s.Session(ctx, sid); e.noErr("Session", err) {
		got, err := e.s.Messages(ctx, s.ThreadID, 0, 10)
		if e.noErr("Messages of the turn", err) && len(got) == 2 {
			e.equal("turn's trigger", []any{got[0].Text, got[0].Trigger, got[1].Trigger}, []any{"welcome", "welcome", ""})
		}
		// A trigger is not what a conversation starts with; what the
		// user types next is.
		e.update(sid, func(t *store.Turn) error {
			t.Append(store.Message{Type: store.UserMessage, Text: "a latte"})
			return nil
		})
		if th, err := e.s.Thread(ctx, s.ThreadID); e.noErr("Thread of the turn", err) {
			e.equal("first message after a trigger", []any{th.FirstMessage, th.Messages}, []any{"a latte", 3})
		}
	}
	for _, c := range []struct {
		name string
		m    store.Message
	}{
		{"goto of a bot message", store.Message{Type: store.BotMessage, Text: "x", Goto: target}},
		{"trigger of a system message", store.Message{Type: store.SystemMessage, Trigger: "x"}},
		{"goto and trigger", store.Message{Type: store.UserMessage, Text: "x", Goto: target, Trigger: "x"}},
		{"goto not an id", store.Message{Type: store.UserMessage, Text: "x", Goto: "latte"}},
		{"trigger too long", store.Message{Type: store.UserMessage, Text: "x", Trigger: strings.Repeat("t", store.MaxTrigger+1)}},
	} {
		_, err := e.s.AppendMessages(ctx, th.ID, c.m)
		e.wantErr(c.name, err, store.ErrInvalid)
	}
	if got, err := e.s.Messages(ctx, th.ID, 0, 10); e.noErr("Messages after the refusals", err) {
		e.equal("messages after the refusals", len(got), 4)
	}
}

// testReactionCounters counts reactions on the day they are given, a
// replaced one taken back.
func testReactionCounters(e *env) {
	th := e.thread(store.Thread{})
	_, err := e.s.AppendMessages(ctx, th.ID, store.Message{Type: store.BotMessage, Text: "a"}, store.Message{Type: store.BotMessage, Text: "b"})
	e.noErr("AppendMessages", err)
	e.noErr("SetReaction 1", e.s.SetReaction(ctx, th.ID, 1, store.Positive))
	e.noErr("SetReaction 2", e.s.SetReaction(ctx, th.ID, 2, store.Positive))
	e.noErr("SetReaction 2 again", e.s.SetReaction(ctx, th.ID, 2, store.Negative))
	e.noErr("SetReaction 1 same", e.s.SetReaction(ctx, th.ID, 1, store.Positive))
	days, err := e.s.Stats(ctx, start, start)
	if e.noErr("Stats", err) && len(days) == 1 {
		e.equal("reactions", []int64{days[0].Positive, days[0].Negative, days[0].Neutral}, []int64{1, 1, 0})
	}
	e.wantErr("SetReaction of no message", e.s.SetReaction(ctx, th.ID, 3, store.Positive), store.ErrNotFound)
}

// testVerificationAndPersona keeps what email verification and personas
// leave in a turn: the one-time code a session waits for, the email a
// user verified, the persona of a thread; and refuses them beyond their
// limits, storing nothing of the turn.
func testVerificationAndPersona(e *env) {
	const sid = "session-verification"
	u := e.user("verifier", map[string]string{store.AttrEmail: "ann@example.com"})
	code := &store.Verification{Email: "ann@example.com", Code: "hash-of-the-code", ExpiresAt: start.Add(10 * time.Minute), Attempts: 1}
	e.update(sid, func(t *store.Turn) error {
		if err := t.SetUser(u.ID); err != nil {
			return err
		}
		t.Session.Verification = code
		t.Append(store.Message{Type: store.UserMessage, Text: "ann@example.com"})
		t.Thread.Persona = "pirate"
		return nil
	})
	s, err := e.s.Session(ctx, sid)
	if e.noErr("Session", err) {
		e.equal("the code waited for", s.Verification, code)
	}
	th, err := e.s.Thread(ctx, s.ThreadID)
	if e.noErr("Thread", err) {
		e.equal("the thread's persona", th.Persona, "pirate")
	}
	if got, err := e.s.User(ctx, u.ID); e.noErr("User", err) {
		e.equal("not verified yet", []any{got.VerifiedEmail, got.Verified()}, []any{"", false})
	}

	// The next turn sees them, verifies the email and leaves the persona.
	e.clk.Advance(time.Minute)
	e.update(sid, func(t *store.Turn) error {
		if t.Session.Verification == nil || *t.Session.Verification != *code || t.Thread == nil || t.Thread.Persona != "pirate" {
			e.Errorf("next turn: verification %+v, thread %+v", t.Session.Verification, t.Thread)
		}
		t.Session.Verification = nil
		t.User.VerifiedEmail = "ann@example.com"
		t.Thread.Persona = ""
		t.Append(store.Message{Type: store.UserMessage, Text: "123456"})
		return nil
	})
	if s, err := e.s.Session(ctx, sid); e.noErr("Session", err) && s.Verification != nil {
		e.Errorf("verification after it was cleared: %+v", s.Verification)
	}
	if got, err := e.s.User(ctx, u.ID); e.noErr("User", err) {
		e.equal("verified", []any{got.VerifiedEmail, got.Verified()}, []any{"ann@example.com", true})
	}
	if got, err := e.s.UserByEmail(ctx, "ann@example.com"); e.noErr("UserByEmail", err) {
		e.equal("verified by email", got.VerifiedEmail, "ann@example.com")
	}
	if th, err := e.s.Thread(ctx, s.ThreadID); e.noErr("Thread", err) {
		e.equal("persona cleared", th.Persona, "")
	}
	// A new address is not verified until a code sent to it is.
	if got, err := e.s.UpdateUser(ctx, u.ID, map[string]string{store.AttrEmail: "ann@example.org"}); e.noErr("UpdateUser", err) {
		e.equal("after a new email", []any{got.VerifiedEmail, got.Verified()}, []any{"ann@example.com", false})
	}

	// Threads outside turns keep a persona too.
	named := e.thread(store.Thread{Alias: "persona-thread", Persona: "formal"})
	if got, err := e.s.ThreadByAlias(ctx, "persona-thread"); e.noErr("ThreadByAlias", err) {
		e.equal("created with a persona", got.Persona, "formal")
	}
	if got, err := e.s.UpdateThread(ctx, named.ID, func(t *store.Thread) error { t.Persona = "pirate"; return nil }); e.noErr("UpdateThread", err) {
		e.equal("updated persona", got.Persona, "pirate")
	}
	_, err = e.s.UpdateThread(ctx, named.ID, func(t *store.Thread) error { t.Persona = strings.Repeat("p", store.MaxPersona+1); return nil })
	e.wantErr("persona too long", err, store.ErrInvalid)

	// Beyond their limits, a turn stores nothing.
	for name, fn := range map[string]func(t *store.Turn){
		"verification without a code": func(t *store.Turn) { t.Session.Verification = &store.Verification{Email: "a@b.c"} },
		"verified email too long":     func(t *store.Turn) { t.User.VerifiedEmail = strings.Repeat("e", store.MaxAttributeValue+1) },
		"persona too long":            func(t *store.Turn) { t.Thread.Persona = strings.Repeat("p", store.MaxPersona+1) },
	} {
		err := e.s.Update(ctx, sid, func(t *store.Turn) error {
			t.Append(store.Message{Type: store.UserMessage, Text: name})
			fn(t)
			return nil
		})
		e.wantErr(name, err, store.ErrInvalid)
	}
	if th, err := e.s.Thread(ctx, s.ThreadID); e.noErr("Thread", err) {
		e.equal("messages after the refused turns", th.Messages, 2)
	}
}

package storetest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleybot/parley/store"
)

func testTurnNewSession(e *env) {
	const sid = "session-0001"
	_, err := e.s.Session(ctx, sid)
	e.wantErr("Session before any turn", err, store.ErrNotFound)
	e.update(sid, func(t *store.Turn) error {
		if !t.New || t.Session == nil || t.Session.ID != sid {
			e.Errorf("first turn: got New=%v Session=%+v", t.New, t.Session)
		}
		if !t.Now.Equal(start) {
			e.Errorf("Turn.Now: got %v, want %v", t.Now, start)
		}
		t.Session.StoryID = "story"
		t.Session.Contexts = []store.Context{{InteractionID: "i1", Lifespan: 2, Parameters: map[string]string{"size": "L"}}}
		t.Session.Slot = &store.SlotFilling{InteractionID: "i2", Parameter: "size", Parameters: map[string]string{"a": "b"}, Attempts: 1}
		t.Session.Attributes = map[string]string{"lang": "en"}
		t.Session.Blocked = []string{"i0", "i1"}
		t.Session.Failures = 3
		return nil
	})
	e.clk.Advance(time.Second)
	e.update(sid, func(t *store.Turn) error {
		if t.New {
			e.Errorf("second turn: New is true")
		}
		if t.Session.StoryID != "story" || len(t.Session.Contexts) != 1 || t.Session.Contexts[0].Lifespan != 2 {
			e.Errorf("second turn: session not kept: %+v", t.Session)
		}
		t.Session.Contexts[0].Lifespan--
		return nil
	})
	s, err := e.s.Session(ctx, sid)
	if !e.noErr("Session", err) {
		return
	}
	e.equal("Contexts", s.Contexts, []store.Context{{InteractionID: "i1", Lifespan: 1, Parameters: map[string]string{"size": "L"}}})
	e.equal("Slot", *s.Slot, store.SlotFilling{InteractionID: "i2", Parameter: "size", Parameters: map[string]string{"a": "b"}, Attempts: 1})
	e.equal("Attributes", s.Attributes, map[string]string{"lang": "en"})
	e.equal("Blocked", s.Blocked, []string{"i0", "i1"})
	e.equal("Failures", s.Failures, 3)
	if !s.StartedAt.Equal(start) || !s.UpdatedAt.Equal(start.Add(time.Second)) {
		e.Errorf("StartedAt, UpdatedAt: got %v, %v", s.StartedAt, s.UpdatedAt)
	}
	for _, bad := range []string{"short", strings.Repeat("s", 65)} {
		e.wantErr("session id "+bad, e.s.Update(ctx, bad, func(*store.Turn) error { return nil }), store.ErrInvalid)
		_, err := e.s.Session(ctx, bad)
		e.wantErr("Session "+bad, err, store.ErrInvalid)
	}
}

func testTurnError(e *env) {
	const sid = "session-error"
	u := e.user("u", nil)
	boom := errors.New("boom")
	err := e.s.Update(ctx, sid, func(t *store.Turn) error {
		if err := t.SetUser(u.ID); err != nil {
			return err
		}
		t.User.Attributes = map[string]string{"x": "y"}
		t.Append(store.Message{Type: store.UserMessage, Text: "hi"})
		return boom
	})
	e.wantErr("Update returning an error", err, boom)
	_, err = e.s.Session(ctx, sid)
	e.wantErr("Session after failed turn", err, store.ErrNotFound)
	if got, _ := e.s.User(ctx, u.ID); len(got.Attributes) != 0 || got.Conversations != 0 {
		e.Errorf("user after failed turn: got %+v", got)
	}
	err = e.s.Update(ctx, sid, func(t *store.Turn) error { return t.SetUser("0123456789abcdef01234567") })
	e.wantErr("SetUser unknown", err, store.ErrNotFound)
}

func testTurnUserAndThread(e *env) {
	const sid = "session-thread"
	u := e.user("u", nil)
	e.update(sid, func(t *store.Turn) error {
		if err := t.SetUser(u.ID); err != nil {
			return err
		}
		t.User.Attributes = map[string]string{"default_name": "Ann"}
		t.Append(store.Message{Type: store.UserMessage, Text: "hello"},
			store.Message{Type: store.BotMessage, Text: "hi Ann", InteractionID: "welcome", Score: 0.9,
				Fulfillment: []byte(`[{"type":"text","message":"hi Ann"}]`)})
		if t.Thread == nil || !t.NewThread() {
			e.Errorf("Append did not start a thread")
		}
		return nil
	})
	e.clk.Advance(time.Minute)
	var firstThread string
	var seqs []int
	e.update(sid, func(t *store.Turn) error {
		if t.User == nil || t.User.ID != u.ID || t.Thread == nil {
			e.Fatalf("second turn: User %v, Thread %v", t.User, t.Thread)
		}
		firstThread = t.Thread.ID
		t.Append(store.Message{Type: store.UserMessage, Text: "agent please"})
		t.Thread.Mode = store.ModeAgent
		t.Thread.Escalated = true
		t.Append(store.Message{Type: store.SystemMessage, SystemType: store.ConversationEscalated})
		t.Counters.Handoffs++
		return nil
	})
	got, err := e.s.User(ctx, u.ID)
	if e.noErr("User", err) {
		e.equal("user attributes set in a turn", got.Attributes, map[string]string{"default_name": "Ann"})
		e.equal("Conversations", got.Conversations, 1)
		if !got.LastSeen.Equal(start.Add(time.Minute)) {
			e.Errorf("LastSeen: got %v, want %v", got.LastSeen, start.Add(time.Minute))
		}
		e.equal("SessionID", got.SessionID, sid)
	}
	if s, err := e.s.ActiveSession(ctx, u.ID); e.noErr("ActiveSession", err) {
		e.equal("ActiveSession", s.ID, sid)
	}
	th, err := e.s.Thread(ctx, firstThread)
	if e.noErr("Thread", err) {
		e.equal("Thread", []any{th.UserID, th.SessionID, th.Mode, th.Escalated, th.FirstMessage, th.Messages},
			[]any{u.ID, sid, store.ModeAgent, true, "hello", 4})
	}
	msgs, err := e.s.Messages(ctx, firstThread, 0, 100)
	if e.noErr("Messages", err) && len(msgs) == 4 {
		for i, m := range msgs {
			seqs = append(seqs, m.Seq)
			if m.ThreadID != firstThread {
				e.Errorf("message %d ThreadID: got %q", i, m.ThreadID)
			}
		}
		e.equal("seqs", seqs, []int{1, 2, 3, 4})
		e.equal("bot message", []any{msgs[1].Text, msgs[1].InteractionID, msgs[1].Score, string(msgs[1].Fulfillment)},
			[]any{"hi Ann", "welcome", 0.9, `[{"type":"text","message":"hi Ann"}]`})
		e.equal("system type", msgs[3].SystemType, store.ConversationEscalated)
		if !msgs[0].CreatedAt.Equal(start) || !msgs[2].CreatedAt.Equal(start.Add(time.Minute)) {
			e.Errorf("CreatedAt: got %v, %v", msgs[0].CreatedAt, msgs[2].CreatedAt)
		}
	} else {
		e.Errorf("Messages: got %d, want 4", len(msgs))
	}
	page, err := e.s.Messages(ctx, firstThread, 2, 1)
	if e.noErr("Messages page", err) && len(page) == 1 {
		e.equal("page after 2", page[0].Seq, 3)
	}
	// An agent answers outside a turn; a reaction is set.
	added, err := e.s.AppendMessages(ctx, firstThread, store.Message{Type: store.AgentMessage, Text: "Hello, I'm Bob"})
	if e.noErr("AppendMessages", err) && len(added) == 1 {
		e.equal("agent message Seq", added[0].Seq, 5)
	}
	e.noErr("SetReaction", e.s.SetReaction(ctx, firstThread, 2, store.Positive))
	if m, _ := e.s.Messages(ctx, firstThread, 1, 1); len(m) == 1 {
		e.equal("reaction", m[0].Reaction, store.Positive)
	}
	// The next turn goes on after the agent's message.
	e.clk.Advance(time.Second)
	e.update(sid, func(t *store.Turn) error {
		t.Append(store.Message{Type: store.UserMessage, Text: "thanks Bob"})
		return nil
	})
	if m, err := e.s.Messages(ctx, firstThread, 5, 10); e.noErr("Messages after 5", err) {
		e.equal("turn after an agent message", len(m) == 1 && m[0].Seq == 6 && m[0].Text == "thanks Bob", true)
	}
	if th, err := e.s.Thread(ctx, firstThread); e.noErr("Thread", err) {
		e.equal("Messages after a turn", th.Messages, 6)
		e.equal("UpdatedAt after a turn", th.UpdatedAt.Equal(e.clk.Now()), true)
	}
	e.wantErr("bad reaction", e.s.SetReaction(ctx, firstThread, 2, "LOVE"), store.ErrInvalid)
	e.wantErr("unknown message", e.s.SetReaction(ctx, firstThread, 99, store.Negative), store.ErrNotFound)

	// A new thread ends the old one.
	e.clk.Advance(time.Hour)
	var second string
	e.update(sid, func(t *store.Turn) error {
		second = t.StartThread().ID
		t.Append(store.Message{Type: store.UserMessage, Text: "back again"})
		return nil
	})
	old, _ := e.s.Thread(ctx, firstThread)
	if !old.EndedAt.Equal(start.Add(time.Minute + time.Second + time.Hour)) {
		e.Errorf("EndedAt of the old thread: got %v", old.EndedAt)
	}
	e.equal("messages of the old thread", old.Messages, 6)
	conv, err := e.s.Conversations(ctx, u.ID)
	if e.noErr("Conversations", err) && len(conv) != 2 {
		e.Errorf("Conversations: got %d threads, want 2", len(conv))
	} else if err == nil {
		e.equal("Conversations, newest first", []string{conv[0].ID, conv[1].ID}, []string{second, firstThread})
		e.equal("first messages", []string{conv[0].FirstMessage, conv[1].FirstMessage}, []string{"back again", "hello"})
	}
	if got, _ := e.s.User(ctx, u.ID); got.Conversations != 2 {
		e.Errorf("Conversations count: got %d, want 2", got.Conversations)
	}
	_, err = e.s.Thread(ctx, "0123456789abcdef01234567")
	e.wantErr("unknown thread", err, store.ErrNotFound)
	_, err = e.s.Messages(ctx, firstThread, 0, 0)
	e.wantErr("limit 0", err, store.ErrInvalid)
	_, err = e.s.AppendMessages(ctx, firstThread, store.Message{Type: "SHOUT"})
	e.wantErr("bad message type", err, store.ErrInvalid)
}

func testTurnInvalid(e *env) {
	const sid = "session-invalid"
	u := e.user("u", map[string]string{"a": "b"})
	e.chat(sid, u.ID, "hi")
	for name, fn := range map[string]func(t *store.Turn) error{
		"session attribute": func(t *store.Turn) error {
			t.Session.Attributes = map[string]string{"bad key": "x"}
			return nil
		},
		"user attribute": func(t *store.Turn) error {
			t.User.Attributes["long"] = strings.Repeat("x", 1025)
			t.Append(store.Message{Type: store.UserMessage, Text: "lost"})
			return nil
		},
		"message type": func(t *store.Turn) error {
			t.Append(store.Message{Type: "WHISPER"})
			return nil
		},
	} {
		e.wantErr(name, e.s.Update(ctx, sid, fn), store.ErrInvalid)
	}
	got, _ := e.s.User(ctx, u.ID)
	e.equal("user after invalid turns", got.Attributes, map[string]string{"a": "b"})
	s, _ := e.s.Session(ctx, sid)
	if th, err := e.s.Thread(ctx, s.ThreadID); e.noErr("Thread", err) {
		e.equal("messages after invalid turns", th.Messages, 2)
	}
	e.user("v", map[string]string{store.AttrEmail: "v@x.y"})
	err := e.s.Update(ctx, sid, func(t *store.Turn) error {
		t.User.Attributes[store.AttrEmail] = "V@x.y"
		return nil
	})
	e.wantErr("email taken in a turn", err, store.ErrConflict)
}

// testTurnConcurrent runs many turns on one session at once: none is lost.
func testTurnConcurrent(e *env) {
	const sid = "session-concurrent"
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				err := e.s.Update(ctx, sid, func(t *store.Turn) error {
					t.Session.Failures++
					t.Append(store.Message{Type: store.UserMessage, Text: "x"})
					return nil
				})
				if err != nil {
					e.Errorf("Update: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	s, err := e.s.Session(ctx, sid)
	if e.noErr("Session", err) {
		e.equal("turns applied", s.Failures, workers*each)
		th, _ := e.s.Thread(ctx, s.ThreadID)
		e.equal("messages appended", th.Messages, workers*each)
	}
}

func testSessionExpiry(e *env) {
	const sid = "session-expiry"
	u := e.user("u", nil)
	e.update(sid, func(t *store.Turn) error {
		if err := t.SetUser(u.ID); err != nil {
			return err
		}
		t.Session.Attributes = map[string]string{"k": "v"}
		t.Session.ExpiresAt = t.Now.Add(30 * time.Minute)
		return nil
	})
	e.clk.Advance(29 * time.Minute)
	if _, err := e.s.Session(ctx, sid); err != nil {
		e.Errorf("Session before expiry: %v", err)
	}
	e.clk.Advance(time.Minute)
	_, err := e.s.Session(ctx, sid)
	e.wantErr("Session at expiry", err, store.ErrNotFound)
	_, err = e.s.ActiveSession(ctx, u.ID)
	e.wantErr("ActiveSession after expiry", err, store.ErrNotFound)
	_, err = e.s.UpdateSessionAttributes(ctx, sid, map[string]string{"a": "b"})
	e.wantErr("UpdateSessionAttributes after expiry", err, store.ErrNotFound)
	e.update(sid, func(t *store.Turn) error {
		if !t.New || t.Session.Attributes != nil || t.User != nil {
			e.Errorf("turn after expiry: got New=%v Session=%+v User=%v, want a fresh session", t.New, t.Session, t.User)
		}
		return nil
	})
}

func testSessionAttributes(e *env) {
	const sid = "session-attrs"
	u := e.user("u", nil)
	e.update(sid, func(t *store.Turn) error {
		t.Session.Attributes = map[string]string{"a": "1", "b": "2"}
		return t.SetUser(u.ID)
	})
	s, err := e.s.UpdateSessionAttributes(ctx, sid, map[string]string{"a": "", "c": "3"})
	if e.noErr("UpdateSessionAttributes", err) {
		e.equal("merged", s.Attributes, map[string]string{"b": "2", "c": "3"})
	}
	if s, err := e.s.ActiveSession(ctx, u.ID); e.noErr("ActiveSession", err) {
		e.equal("stored", s.Attributes, map[string]string{"b": "2", "c": "3"})
	}
	_, err = e.s.UpdateSessionAttributes(ctx, "session-unknown", map[string]string{"a": "1"})
	e.wantErr("unknown session", err, store.ErrNotFound)
	_, err = e.s.UpdateSessionAttributes(ctx, sid, map[string]string{"a b": "1"})
	e.wantErr("bad key", err, store.ErrInvalid)
	_, err = e.s.UpdateSessionAttributes(ctx, sid, map[string]string{})
	e.wantErr("no attributes", err, store.ErrInvalid)
	_, err = e.s.ActiveSession(ctx, e.user("idle", nil).ID)
	e.wantErr("user without a session", err, store.ErrNotFound)
}

// testStats counts across a day boundary of the configured zone (start is
// 23:30 there).
func testStats(e *env) {
	u := e.user("u", nil)
	e.chat("session-stats-1", u.ID, "hi")
	e.update("session-stats-1", func(t *store.Turn) error { t.Counters.Fallbacks++; return nil })
	e.clk.Advance(time.Hour) // the next day in zone, the same in UTC
	e.user("v", nil)
	e.chat("session-stats-2", "", "hi")
	e.update("session-stats-2", func(t *store.Turn) error {
		t.Counters.Fallbacks += 2
		t.Counters.Handoffs++
		return nil
	})
	days, err := e.s.Stats(ctx, start.Add(-24*time.Hour), start.Add(time.Hour))
	if !e.noErr("Stats", err) {
		return
	}
	e.equal("dates", []string{days[0].Date, days[1].Date, days[2].Date}, []string{"2026-03-13", "2026-03-14", "2026-03-15"})
	e.equal("first day", days[0].Counters, store.Counters{})
	e.equal("day 1", days[1].Counters, store.Counters{Messages: 2, Sessions: 1, NewUsers: 1, Fallbacks: 1, ActiveUsers: 1})
	e.equal("day 2", days[2].Counters, store.Counters{Messages: 2, Sessions: 1, NewUsers: 1, Fallbacks: 2, Handoffs: 1})
	_, err = e.s.Stats(ctx, start, start.Add(-48*time.Hour))
	e.wantErr("to before from", err, store.ErrInvalid)
}

// testStatsConcurrent runs turns of many sessions at once, so that a
// backend that commits them together has to count them together: not one
// is lost or counted twice.
func testStatsConcurrent(e *env) {
	const workers, sessions, turns = 16, 3, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range sessions * turns {
				err := e.s.Update(ctx, fmt.Sprintf("session-count-%d-%d", w, n%sessions), func(t *store.Turn) error {
					t.Append(store.Message{Type: store.UserMessage, Text: "hi"},
						store.Message{Type: store.BotMessage, Text: "hello"})
					t.Counters.Fallbacks++
					return nil
				})
				if err != nil {
					e.Errorf("Update: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	days, err := e.s.Stats(ctx, start, start)
	if !e.noErr("Stats", err) {
		return
	}
	e.equal("counters", days[0].Counters, store.Counters{
		Messages: 2 * workers * sessions * turns, Sessions: workers * sessions, Fallbacks: workers * sessions * turns})
}

// testFallbackQueries counts the messages fallbacks answered per day, in
// the configured zone (start is 23:30 there), concurrent turns on the same
// text included; a turn that fails counts nothing.
func testFallbackQueries(e *env) {
	fellBack := func(sid, text string) {
		e.update(sid, func(t *store.Turn) error {
			t.Append(store.Message{Type: store.UserMessage, Text: text}, store.Message{Type: store.BotMessage, Text: "Sorry?"})
			t.Fallback = text
			return nil
		})
	}
	fellBack("session-fallback-1", "where is my parcel")
	fellBack("session-fallback-1", "où est mon colis ?")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := e.s.Update(ctx, fmt.Sprintf("session-fallback-c%d", i), func(t *store.Turn) error {
				t.Append(store.Message{Type: store.UserMessage, Text: "refund"})
				t.Fallback = "refund"
				return nil
			})
			e.noErr("Update", err)
		}()
	}
	wg.Wait()
	err := e.s.Update(ctx, "session-fallback-1", func(t *store.Turn) error {
		t.Fallback = "never counted"
		return errors.New("the turn fails")
	})
	if err == nil {
		e.Errorf("a failing turn: got no error")
	}
	err = e.s.Update(ctx, "session-fallback-1", func(t *store.Turn) error { t.Fallback = "a\x00b"; return nil })
	e.wantErr("a NUL in Fallback", err, store.ErrInvalid)
	e.clk.Advance(time.Hour) // the next day in zone
	fellBack("session-fallback-2", "where is my parcel")
	fellBack("session-fallback-3", "where is my parcel")

	fq := func(text string, n int64) store.FallbackQuery { return store.FallbackQuery{Text: text, Count: n} }
	got, err := e.s.FallbackQueries(ctx, start, start, 10)
	if e.noErr("FallbackQueries, first day", err) {
		e.equal("first day", got, []store.FallbackQuery{fq("refund", 8), fq("où est mon colis ?", 1), fq("where is my parcel", 1)})
	}
	got, err = e.s.FallbackQueries(ctx, start, start.Add(time.Hour), 2)
	if e.noErr("FallbackQueries, two days", err) {
		e.equal("two days, top 2", got, []store.FallbackQuery{fq("refund", 8), fq("where is my parcel", 3)})
	}
	got, err = e.s.FallbackQueries(ctx, start.Add(time.Hour), start.Add(48*time.Hour), 10)
	if e.noErr("FallbackQueries, second day on", err) {
		e.equal("second day on", got, []store.FallbackQuery{fq("where is my parcel", 2)})
	}
	got, err = e.s.FallbackQueries(ctx, start.Add(-72*time.Hour), start.Add(-48*time.Hour), 10)
	if e.noErr("FallbackQueries, before", err) {
		e.equal("days without any", len(got), 0)
	}
	_, err = e.s.FallbackQueries(ctx, start, start, 0)
	e.wantErr("limit 0", err, store.ErrInvalid)
	_, err = e.s.FallbackQueries(ctx, start, start, store.MaxFallbackQueries+1)
	e.wantErr("limit too large", err, store.ErrInvalid)
	_, err = e.s.FallbackQueries(ctx, start, start.Add(-48*time.Hour), 10)
	e.wantErr("to before from", err, store.ErrInvalid)
}

// testTurnChangesUser ties sessions to one user, then to another, in the
// next turn: the turn succeeds, and the session, the new user and
// ActiveSession follow. (Ten pairs, so that a backend that locks users
// apart meets pairs that lock apart.)
func testTurnChangesUser(e *env) {
	for i := range 10 {
		sid := fmt.Sprintf("session-changes-user-%d", i)
		a := e.user(fmt.Sprintf("first-%d", i), nil)
		b := e.user(fmt.Sprintf("second-%d", i), nil)
		e.chat(sid, a.ID, "hello")
		e.chat(sid, b.ID, "it is me now")
		s, err := e.s.Session(ctx, sid)
		if !e.noErr("Session", err) {
			return
		}
		e.equal("session's user", s.UserID, b.ID)
		active, err := e.s.ActiveSession(ctx, b.ID)
		if e.noErr("ActiveSession of the new user", err) {
			e.equal("active session", active.ID, sid)
		}
		_, err = e.s.ActiveSession(ctx, a.ID)
		e.wantErr("ActiveSession of the first user", err, store.ErrNotFound)
	}
}

// testTurnAfterUserChanges changes a user between turns of its session by
// every other way there is: each turn sees the change and keeps it.
func testTurnAfterUserChanges(e *env) {
	const sid = "session-user-changes"
	u := e.user("changing", nil)
	seg, err := e.s.CreateSegment(ctx, "Regulars")
	if err != nil {
		e.Fatal(err)
	}
	e.chat(sid, u.ID, "hello")
	_, err = e.s.UpdateUser(ctx, u.ID, map[string]string{"plan": "gold"})
	e.noErr("UpdateUser", err)
	e.noErr("SetBanned", e.s.SetBanned(ctx, u.ID, true))
	e.noErr("AddToSegments", e.s.AddToSegments(ctx, []string{seg.ID}, []string{u.ID}))
	e.update(sid, func(t *store.Turn) error {
		if t.User == nil {
			e.Fatalf("turn: no user")
		}
		e.equal("turn sees the user's changes", []any{t.User.Attributes["plan"], t.User.Banned, t.User.InSegment(seg.ID)},
			[]any{"gold", true, true})
		if t.User.Attributes == nil {
			t.User.Attributes = map[string]string{}
		}
		t.User.Attributes["drink"] = "latte"
		return nil
	})
	e.noErr("RemoveFromSegments", e.s.RemoveFromSegments(ctx, []string{seg.ID}, []string{u.ID}))
	_, err = e.s.UpdateUser(ctx, u.ID, map[string]string{"plan": ""})
	e.noErr("UpdateUser", err)
	e.chat(sid, u.ID, "again")
	got, err := e.s.User(ctx, u.ID)
	if e.noErr("User", err) {
		e.equal("user after turns and changes", []any{got.Attributes, got.Banned, got.InSegment(seg.ID)},
			[]any{map[string]string{"drink": "latte"}, true, false})
	}
	e.noErr("DeleteSegment", e.s.DeleteSegment(ctx, seg.ID))
	e.noErr("DeleteUser", e.s.DeleteUser(ctx, u.ID))
	e.update(sid, func(t *store.Turn) error {
		if t.User != nil {
			e.Errorf("turn after DeleteUser: got user %s", t.User.ID)
		}
		return nil
	})
}

// testTurnUserConcurrent runs turns of several sessions of one user at once,
// while the user is updated: no change is lost.
func testTurnUserConcurrent(e *env) {
	const sessions, each, updates = 6, 20, 30
	u := e.user("busy", nil)
	var wg sync.WaitGroup
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sid := fmt.Sprintf("session-busy-%d", i)
			for n := range each {
				err := e.s.Update(ctx, sid, func(t *store.Turn) error {
					if err := t.SetUser(u.ID); err != nil {
						return err
					}
					if t.User.Attributes == nil {
						t.User.Attributes = map[string]string{}
					}
					t.User.Attributes[fmt.Sprintf("turns-%d", i)] = strconv.Itoa(n + 1)
					return nil
				})
				if err != nil {
					e.Errorf("Update: %v", err)
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := range updates {
			if _, err := e.s.UpdateUser(ctx, u.ID, map[string]string{fmt.Sprintf("update-%d", n): "x"}); err != nil {
				e.Errorf("UpdateUser: %v", err)
				return
			}
		}
	}()
	wg.Wait()
	got, err := e.s.User(ctx, u.ID)
	if !e.noErr("User", err) {
		return
	}
	want := map[string]string{}
	for i := range sessions {
		want[fmt.Sprintf("turns-%d", i)] = strconv.Itoa(each)
	}
	for n := range updates {
		want[fmt.Sprintf("update-%d", n)] = "x"
	}
	e.equal("attributes after concurrent turns and updates", got.Attributes, want)
}

// testTurnEmailRace gives one default_email to two users at once, in turns
// of their sessions and by CreateUser: exactly one of them gets it.
func testTurnEmailRace(e *env) {
	a, b := e.user("racer-a", nil), e.user("racer-b", nil)
	e.chat("session-racer-a", a.ID, "hi")
	e.chat("session-racer-b", b.ID, "hi")
	for round := range 10 {
		email := fmt.Sprintf("race%d@x.y", round)
		errs := make([]error, 3)
		var wg sync.WaitGroup
		for i, u := range []store.User{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = e.s.Update(ctx, "session-"+u.UserID, func(t *store.Turn) error {
					t.User.Attributes = map[string]string{store.AttrEmail: email}
					return nil
				})
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[2] = e.s.CreateUser(ctx, store.User{UserID: fmt.Sprintf("racer-new-%d", round),
				Attributes: map[string]string{store.AttrEmail: email}})
		}()
		wg.Wait()
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, store.ErrConflict):
				e.Errorf("round %d, racer %d: %v", round, i, err)
			}
		}
		if won != 1 {
			e.Errorf("round %d: %d of 3 got %s (errors %v)", round, won, email, errs)
		}
		if _, err := e.s.UserByEmail(ctx, email); err != nil {
			e.Errorf("round %d: UserByEmail: %v", round, err)
		}
	}
}

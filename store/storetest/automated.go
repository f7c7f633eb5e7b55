package storetest

import (
	"errors"
	"sync"
	"time"

	"github.com/parleybot/parley/store"
)

func automated(name string) store.AutomatedMessage {
	return store.AutomatedMessage{
		Name:         name,
		Trigger:      store.Trigger{On: store.OnEvent, Event: "drink_ready"},
		Condition:    `user.drink != ""`,
		Text:         "Your coffee is ready",
		QuickReplies: []string{"Thanks", "Where?"},
	}
}

// testAutomatedMessages saves, lists, replaces and deletes automated
// messages.
func testAutomatedMessages(e *env) {
	m, err := e.s.SaveAutomatedMessage(ctx, automated("ready"))
	if !e.noErr("SaveAutomatedMessage", err) {
		return
	}
	if !store.ValidID(m.ID) {
		e.Errorf("ID: got %q, want 24 hex", m.ID)
	}
	e.equal("Repeat", m.Repeat, store.RepeatOnce)
	e.equal("CreatedAt", m.CreatedAt, start)
	e.equal("UpdatedAt", m.UpdatedAt, start)
	e.clk.Advance(time.Minute)
	n, err := e.s.SaveAutomatedMessage(ctx, store.AutomatedMessage{Name: "welcome", Trigger: store.Trigger{On: store.OnStart}, Text: "Hi", Priority: 5})
	e.noErr("SaveAutomatedMessage 2", err)

	m.Text, m.Priority, m.MinInterval = "Ready!", -3, time.Hour
	m.CreatedAt = time.Time{}
	m2, err := e.s.SaveAutomatedMessage(ctx, m)
	if e.noErr("SaveAutomatedMessage replace", err) {
		e.equal("replaced ID", m2.ID, m.ID)
		e.equal("replaced CreatedAt", m2.CreatedAt, start)
		e.equal("replaced UpdatedAt", m2.UpdatedAt, start.Add(time.Minute))
	}
	all, err := e.s.AutomatedMessages(ctx)
	if e.noErr("AutomatedMessages", err) && len(all) == 2 {
		e.equal("order", []string{all[0].ID, all[1].ID}, []string{m.ID, n.ID})
		got := all[0]
		e.equal("text", got.Text, "Ready!")
		e.equal("priority", got.Priority, -3)
		e.equal("minInterval", got.MinInterval, time.Hour)
		e.equal("quickReplies", got.QuickReplies, []string{"Thanks", "Where?"})
		e.equal("trigger", got.Trigger.Event, "drink_ready")
		e.equal("condition", got.Condition, `user.drink != ""`)
	} else {
		e.Errorf("AutomatedMessages: got %d, want 2", len(all))
	}

	unknown := automated("x")
	unknown.ID = "0123456789abcdef01234567"
	_, err = e.s.SaveAutomatedMessage(ctx, unknown)
	e.wantErr("replace unknown", err, store.ErrNotFound)

	for _, c := range []struct {
		field string
		edit  func(m *store.AutomatedMessage)
	}{
		{"name", func(m *store.AutomatedMessage) { m.Name = "" }},
		{"trigger.on", func(m *store.AutomatedMessage) { m.Trigger.On = "whenever" }},
		{"trigger.event", func(m *store.AutomatedMessage) { m.Trigger.Event = "drink ready" }},
		{"trigger.after", func(m *store.AutomatedMessage) { m.Trigger = store.Trigger{On: store.OnIdle} }},
		{"trigger.at", func(m *store.AutomatedMessage) { m.Trigger = store.Trigger{On: store.OnSchedule} }},
		{"trigger.daily", func(m *store.AutomatedMessage) { m.Trigger = store.Trigger{On: store.OnSchedule, Daily: "25:00"} }},
		{"trigger.days[0]", func(m *store.AutomatedMessage) {
			m.Trigger = store.Trigger{On: store.OnSchedule, Daily: "09:00", Days: []string{"Mon"}}
		}},
		{"repeat", func(m *store.AutomatedMessage) { m.Repeat = "twice" }},
		{"maxTimes", func(m *store.AutomatedMessage) { m.MaxTimes = -1 }},
		{"priority", func(m *store.AutomatedMessage) { m.Priority = 1001 }},
		{"text", func(m *store.AutomatedMessage) { m.Text, m.QuickReplies = "", nil }},
		{"quickReplies[1]", func(m *store.AutomatedMessage) { m.QuickReplies = []string{"a", ""} }},
		{"goto", func(m *store.AutomatedMessage) { m.Goto = "welcome" }},
	} {
		bad := automated("bad")
		c.edit(&bad)
		_, err := e.s.SaveAutomatedMessage(ctx, bad)
		var fe *store.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			e.Errorf("invalid %s: got %v, want a *store.FieldError for %s", c.field, err, c.field)
		}
	}
	all, _ = e.s.AutomatedMessages(ctx)
	e.equal("after invalid saves", len(all), 2)

	e.noErr("DeleteAutomatedMessage", e.s.DeleteAutomatedMessage(ctx, n.ID))
	e.wantErr("delete again", e.s.DeleteAutomatedMessage(ctx, n.ID), store.ErrNotFound)
	e.wantErr("delete bad id", e.s.DeleteAutomatedMessage(ctx, "nope"), store.ErrInvalid)
	all, _ = e.s.AutomatedMessages(ctx)
	e.equal("after delete", len(all), 1)
}

// testDeliveries claims deliveries: rules checked in fn hold under
// concurrent claims, a refused claim writes nothing, and deleting the
// message or the user deletes its deliveries.
func testDeliveries(e *env) {
	m, err := e.s.SaveAutomatedMessage(ctx, automated("ready"))
	if !e.noErr("SaveAutomatedMessage", err) {
		return
	}
	u := e.user("u", nil)
	once := func(d *store.AutomatedDelivery) error {
		if d.Count > 0 {
			return errSent
		}
		d.Count++
		d.Last = e.clk.Now()
		d.SessionID = "session-claim-1"
		return nil
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.s.ClaimAutomatedDelivery(ctx, m.ID, u.ID, once)
			switch {
			case err == nil:
				mu.Lock()
				won++
				mu.Unlock()
			case !errors.Is(err, errSent):
				e.Errorf("ClaimAutomatedDelivery: %v", err)
			}
		}()
	}
	wg.Wait()
	e.equal("claims won", won, 1)

	e.clk.Advance(time.Minute)
	d, err := e.s.ClaimAutomatedDelivery(ctx, m.ID, u.ID, func(d *store.AutomatedDelivery) error {
		e.equal("count seen", d.Count, 1)
		e.equal("last seen", d.Last, start)
		e.equal("session seen", d.SessionID, "session-claim-1")
		d.Count++
		d.Last = e.clk.Now()
		return nil
	})
	if e.noErr("ClaimAutomatedDelivery again", err) {
		e.equal("delivery", []any{d.MessageID, d.Recipient, d.Count, d.Last}, []any{m.ID, u.ID, 2, start.Add(time.Minute)})
	}
	_, err = e.s.ClaimAutomatedDelivery(ctx, m.ID, "session-anon-1", func(d *store.AutomatedDelivery) error { return errSent })
	e.wantErr("refused claim", err, errSent)
	ds, err := e.s.AutomatedDeliveries(ctx, "session-anon-1")
	e.noErr("Deliveries", err)
	e.equal("deliveries after a refused claim", len(ds), 0)

	_, err = e.s.ClaimAutomatedDelivery(ctx, m.ID, "session-anon-1", once)
	e.noErr("claim for a session", err)
	ds, err = e.s.AutomatedDeliveries(ctx, u.ID)
	if e.noErr("Deliveries", err) && len(ds) == 1 {
		e.equal("user's delivery", []any{ds[0].MessageID, ds[0].Count}, []any{m.ID, 2})
	} else {
		e.Errorf("Deliveries: got %d, want 1", len(ds))
	}
	_, err = e.s.ClaimAutomatedDelivery(ctx, "0123456789abcdef01234567", u.ID, once)
	e.wantErr("claim of an unknown message", err, store.ErrNotFound)
	_, err = e.s.ClaimAutomatedDelivery(ctx, m.ID, "x", once)
	e.wantErr("claim for a bad recipient", err, store.ErrInvalid)

	e.noErr("DeleteUser", e.s.DeleteUser(ctx, u.ID))
	ds, _ = e.s.AutomatedDeliveries(ctx, u.ID)
	e.equal("deliveries of a deleted user", len(ds), 0)

	e.noErr("DeleteAutomatedMessage", e.s.DeleteAutomatedMessage(ctx, m.ID))
	ds, _ = e.s.AutomatedDeliveries(ctx, "session-anon-1")
	e.equal("deliveries of a deleted message", len(ds), 0)
	_, err = e.s.ClaimAutomatedDelivery(ctx, m.ID, "session-anon-1", once)
	e.wantErr("claim of a deleted message", err, store.ErrNotFound)
	// A message saved again under a new id starts afresh.
	m2, _ := e.s.SaveAutomatedMessage(ctx, automated("ready"))
	d, err = e.s.ClaimAutomatedDelivery(ctx, m2.ID, "session-anon-1", once)
	if e.noErr("claim of a new message", err) {
		e.equal("new count", d.Count, 1)
	}
}

var errSent = errors.New("already sent")

// testAutomatedCounter counts automated messages per day, as the engine
// adds them to a turn.
func testAutomatedCounter(e *env) {
	e.update("session-automated-1", func(t *store.Turn) error {
		t.Append(store.Message{Type: store.BotMessage, Text: "Your coffee is ready"})
		t.Counters.Automated++
		return nil
	})
	days, err := e.s.Stats(ctx, start, start)
	if e.noErr("Stats", err) && len(days) == 1 {
		e.equal("Automated", days[0].Automated, 1)
		e.equal("Messages", days[0].Messages, 1)
	}
}

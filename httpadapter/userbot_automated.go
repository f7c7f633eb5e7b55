package httpadapter

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/parleybot/parley/store"
)

// Userbot's automated-messages channels: the messages the bot sends first
// (engine.SaveAutomatedMessage). Over the socket:
//
//	automated-messages.get                                  → {"messages":[AutomatedMessage]}
//	automated-messages.save {"name":"Drink ready","trigger":{"on":"event","event":"drink_ready"},
//	                         "condition":"user.drink != \"\"","text":"Your {{drink}} is ready!"}
//	                                                        → AutomatedMessage (an "id" replaces that message)
//	automated-messages.delete {"ids":["<id>","<id>"]}       → {"deleted":2}
//
// A condition that does not compile is refused with a 400 on field
// "condition" whose message gives its line and column. Durations
// (trigger.after, minInterval) are in seconds, times RFC 3339.

// AutomatedMessage is an automated message in the payloads and replies of
// the automated-messages channels; see store.AutomatedMessage for the
// meaning of each field.
type AutomatedMessage struct {
	ID           string         `json:"id,omitempty"`
	Name         string         `json:"name"`
	Disabled     bool           `json:"disabled,omitempty"`
	Trigger      AutomatedEvent `json:"trigger"`
	Condition    string         `json:"condition,omitempty"`
	Repeat       string         `json:"repeat,omitempty"`
	MaxTimes     int            `json:"maxTimes,omitempty"`
	MinInterval  float64        `json:"minInterval,omitempty"` // seconds
	DuringAgent  bool           `json:"duringAgent,omitempty"`
	Priority     int            `json:"priority,omitempty"`
	Text         string         `json:"text,omitempty"`
	QuickReplies []string       `json:"quickReplies,omitempty"`
	Goto         string         `json:"goto,omitempty"`
	CreatedAt    string         `json:"createdAt,omitempty"`
	UpdatedAt    string         `json:"updatedAt,omitempty"`
}

// AutomatedEvent is the trigger of an AutomatedMessage.
type AutomatedEvent struct {
	On    string   `json:"on"`
	Event string   `json:"event,omitempty"`
	After float64  `json:"after,omitempty"` // seconds
	At    string   `json:"at,omitempty"`    // RFC 3339
	Daily string   `json:"daily,omitempty"` // "15:04"
	Days  []string `json:"days,omitempty"`
}

func seconds(d time.Duration) float64 { return d.Seconds() }

func duration(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func automatedMessage(m store.AutomatedMessage) AutomatedMessage {
	out := AutomatedMessage{ID: m.ID, Name: m.Name, Disabled: m.Disabled, Condition: m.Condition, Repeat: m.Repeat,
		MaxTimes: m.MaxTimes, MinInterval: seconds(m.MinInterval), DuringAgent: m.DuringAgent, Priority: m.Priority,
		Text: m.Text, QuickReplies: m.QuickReplies, Goto: m.Goto, CreatedAt: stamp(m.CreatedAt), UpdatedAt: stamp(m.UpdatedAt),
		Trigger: AutomatedEvent{On: m.Trigger.On, Event: m.Trigger.Event, After: seconds(m.Trigger.After), Daily: m.Trigger.Daily, Days: m.Trigger.Days}}
	if !m.Trigger.At.IsZero() {
		out.Trigger.At = m.Trigger.At.UTC().Format(time.RFC3339)
	}
	return out
}

func opAutomatedGet(c *opCall) (any, error) {
	if err := c.payload(&struct{}{}, false); err != nil {
		return nil, err
	}
	ms, err := c.eng.AutomatedMessages(c.ctx)
	if err != nil {
		return nil, err
	}
	out := make([]AutomatedMessage, len(ms))
	for i, m := range ms {
		out[i] = automatedMessage(m)
	}
	return map[string]any{"messages": out}, nil
}

func opAutomatedSave(c *opCall) (any, error) {
	var p AutomatedMessage
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	m := store.AutomatedMessage{ID: p.ID, Name: p.Name, Disabled: p.Disabled, Condition: p.Condition, Repeat: p.Repeat,
		MaxTimes: p.MaxTimes, MinInterval: duration(p.MinInterval), DuringAgent: p.DuringAgent, Priority: p.Priority,
		Text: p.Text, QuickReplies: p.QuickReplies, Goto: p.Goto,
		Trigger: store.Trigger{On: p.Trigger.On, Event: p.Trigger.Event, After: duration(p.Trigger.After), Daily: p.Trigger.Daily, Days: p.Trigger.Days}}
	if p.Trigger.At != "" {
		t, err := time.Parse(time.RFC3339Nano, p.Trigger.At)
		if err != nil {
			return nil, badRequest("trigger.at", "must be an RFC 3339 time")
		}
		m.Trigger.At = t
	}
	saved, err := c.eng.SaveAutomatedMessage(c.ctx, m)
	if errors.Is(err, store.ErrNotFound) {
		return nil, withField("id", err)
	}
	if err != nil {
		return nil, err
	}
	return automatedMessage(saved), nil
}

func opAutomatedDelete(c *opCall) (any, error) {
	var p struct {
		ID  string   `json:"id"`
		IDs []string `json:"ids"`
	}
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	ids := p.IDs
	if p.ID != "" {
		ids = append(ids, p.ID)
	}
	if len(ids) == 0 || len(ids) > 1000 {
		return nil, badRequest("ids", "must be 1 to 1,000 ids")
	}
	// All or none: every id must name a message before one is deleted.
	ms, err := c.eng.AutomatedMessages(c.ctx)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		field := fmt.Sprintf("ids[%d]", i)
		if !store.ValidID(id) {
			return nil, badRequest(field, "must be an id (24 hex characters)")
		}
		if !slices.ContainsFunc(ms, func(m store.AutomatedMessage) bool { return m.ID == id }) {
			return nil, withField(field, store.ErrNotFound)
		}
	}
	n := 0
	for _, id := range slices.Compact(slices.Sorted(slices.Values(ids))) {
		if err := c.eng.DeleteAutomatedMessage(c.ctx, id); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		n++
	}
	return map[string]any{"deleted": n}, nil
}

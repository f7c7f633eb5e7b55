package engine

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parleybot/parley/store"
)

// EventKind says what an Event reports.
type EventKind uint8

// Kinds of events. Every turn is an EventTurn; a turn answered by a
// fallback is also an EventFallback, and a turn that handed the
// conversation to an agent is also an EventHandoff. Every message appended
// to a thread, by a turn or otherwise (a user's, the bot's, an agent's, a
// system message), is an EventMessage; a thread created, changed (mode,
// escalation, read count, webhook, user) or deleted is an
// EventThreadCreated, EventThreadChanged or EventThreadDeleted.
const (
	EventTurn EventKind = iota + 1
	EventFallback
	EventHandoff
	EventMessage
	EventThreadCreated
	EventThreadChanged
	EventThreadDeleted
)

// String returns "turn", "fallback", "handoff", "message",
// "thread.created", "thread.changed", "thread.deleted" or "reset".
func (k EventKind) String() string {
	switch k {
	case EventTurn:
		return "turn"
	case EventFallback:
		return "fallback"
	case EventHandoff:
		return "handoff"
	case EventMessage:
		return "message"
	case EventThreadCreated:
		return "thread.created"
	case EventThreadChanged:
		return "thread.changed"
	case EventThreadDeleted:
		return "thread.deleted"
	case EventReset:
		return "reset"
	}
	return "unknown"
}

// An Event reports a committed change to subscribers: a turn, a message,
// a thread's change.
type Event struct {
	Kind      EventKind
	SessionID string
	// UserID is the store id of the session's user, "" if none.
	UserID string
	// ThreadID is the store id of the thread the event is about (for a
	// turn, the thread its messages went to).
	ThreadID string
	Time     time.Time
	// Request and Response are the turn's, for EventTurn, EventFallback
	// and EventHandoff.
	Request  Request
	Response Response
	// Agent is true, for an EventHandoff, when an agent took the
	// conversation (the success branch ran).
	Agent bool
	// Thread is the thread after the change, for EventMessage and the
	// thread events (API clients know it by Thread.PublicID()).
	Thread store.Thread
	// Message is the message appended, for EventMessage, with its Seq.
	Message store.Message
	// Automated is the id of the automated message that Message is, ""
	// if it is not one.
	Automated string
}

// events holds the subscribers: a list that every change replaces whole,
// so that a turn reads it without taking a lock.
type events struct {
	mu   sync.Mutex // serializes changes
	next int
	subs atomic.Pointer[[]subscriber]
}

type subscriber struct {
	id int
	fn func(Event)
}

// Subscribe registers fn to receive events. fn is called after the change
// has been committed, in the goroutine of the call that made it (Chat,
// Send, Escalate, ...), while the session's queue is held, so events of
// one session (and so of one thread) arrive in the order of its changes. It must return quickly and
// must not keep the Event's maps beyond the call unless it copies them;
// a panic in fn is recovered and logged. Subscribe returns a function that
// cancels the subscription.
func (e *Engine) Subscribe(fn func(Event)) (cancel func()) {
	e.events.mu.Lock()
	defer e.events.mu.Unlock()
	id := e.events.next
	e.events.next++
	subs := append(slices.Clip(e.subscribers()), subscriber{id: id, fn: fn})
	e.events.subs.Store(&subs)
	return func() {
		e.events.mu.Lock()
		defer e.events.mu.Unlock()
		subs := slices.DeleteFunc(slices.Clone(e.subscribers()), func(s subscriber) bool { return s.id == id })
		e.events.subs.Store(&subs)
	}
}

// subscribers returns the subscribers, oldest first. The list is shared:
// it must not be changed.
func (e *Engine) subscribers() []subscriber {
	if p := e.events.subs.Load(); p != nil {
		return *p
	}
	return nil
}

// emit sends ev to subs. A subscriber may subscribe or cancel meanwhile:
// that changes the list of the next event.
func (e *Engine) emit(subs []subscriber, ev Event) {
	for _, s := range subs {
		e.safelyEmit(s.fn, ev)
	}
}

func (e *Engine) safelyEmit(fn func(Event), ev Event) {
	defer func() {
		if r := recover(); r != nil {
			e.log.Error("engine: event subscriber panicked", "kind", ev.Kind.String(), "panic", r)
		}
	}()
	fn(ev)
}

package engine

import (
	"sync"
	"time"
)

// EventKind says what an Event reports.
type EventKind uint8

// Kinds of events. Every turn is an EventTurn; a turn answered by a
// fallback is also an EventFallback, and a turn that handed the
// conversation to an agent is also an EventHandoff.
const (
	EventTurn EventKind = iota + 1
	EventFallback
	EventHandoff
)

// String returns "turn", "fallback" or "handoff".
func (k EventKind) String() string {
	switch k {
	case EventTurn:
		return "turn"
	case EventFallback:
		return "fallback"
	case EventHandoff:
		return "handoff"
	}
	return "unknown"
}

// An Event reports a committed turn to subscribers.
type Event struct {
	Kind      EventKind
	SessionID string
	// UserID is the store id of the session's user, "" if none.
	UserID string
	// ThreadID is the thread the turn's messages went to.
	ThreadID string
	Time     time.Time
	Request  Request
	Response Response
	// Agent is true, for an EventHandoff, when an agent took the
	// conversation (the success branch ran).
	Agent bool
}

// events holds the subscribers.
type events struct {
	mu   sync.RWMutex
	next int
	subs map[int]func(Event)
}

// Subscribe registers fn to receive events. fn is called after the turn
// has been committed, in the goroutine of the Chat call, so events of one
// session arrive in the order of its turns. It must return quickly and
// must not keep the Event's maps beyond the call unless it copies them;
// a panic in fn is recovered and logged. Subscribe returns a function that
// cancels the subscription.
func (e *Engine) Subscribe(fn func(Event)) (cancel func()) {
	e.events.mu.Lock()
	defer e.events.mu.Unlock()
	if e.events.subs == nil {
		e.events.subs = make(map[int]func(Event))
	}
	id := e.events.next
	e.events.next++
	e.events.subs[id] = fn
	return func() {
		e.events.mu.Lock()
		defer e.events.mu.Unlock()
		delete(e.events.subs, id)
	}
}

// subscribed reports whether anyone listens, so that a turn nobody
// listens to builds no events.
func (e *Engine) subscribed() bool {
	e.events.mu.RLock()
	defer e.events.mu.RUnlock()
	return len(e.events.subs) > 0
}

func (e *Engine) emit(ev Event) {
	e.events.mu.RLock()
	if len(e.events.subs) == 0 {
		e.events.mu.RUnlock()
		return
	}
	subs := make([]func(Event), 0, len(e.events.subs))
	for _, fn := range e.events.subs {
		subs = append(subs, fn)
	}
	e.events.mu.RUnlock()
	// Called without the lock, so a subscriber may subscribe or cancel.
	for _, fn := range subs {
		e.safelyEmit(fn, ev)
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

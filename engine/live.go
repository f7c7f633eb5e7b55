package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleybot/parley/store"
)

// Live delivery: a Feed carries the events of one thread, or of every
// thread of the bot, to one reader (a server-sent event stream, a socket),
// from a bounded buffer, so that a slow reader never slows turns: a reader
// that falls too far behind is dropped and resumes from where it was.

// ErrSlowReader ends a Feed whose reader fell behind by more than its
// buffer. The reader resumes with a new Feed from its last event id.
var ErrSlowReader = errors.New("engine: live reader fell behind and was dropped")

// DefaultFeedBuffer is the events a Feed holds for a slow reader by
// default.
const DefaultFeedBuffer = 256

// feedRing is the number of recent events the engine keeps for the feeds
// of the whole bot to resume from.
const feedRing = 4096

// Follow says what a Feed carries.
type Follow struct {
	// ThreadID is the thread to follow (as the caller knows it); "" follows
	// every thread of the bot.
	ThreadID string
	// LastEventID is the id of the last event the reader had, to resume
	// after it; "" starts with what happens next (after, for a thread, its
	// state), without replaying the thread's messages.
	LastEventID string
	// Buffer is how many events may wait for the reader before it is
	// dropped; 0 means DefaultFeedBuffer.
	Buffer int
	// Agent, when not nil, is present (see [Engine.AgentPresent]) while the
	// feed is open.
	Agent *Agent
}

// A LiveEvent is an event of a Feed with its id, from which a reader
// resumes. Kind is EventMessage, EventThreadChanged, EventThreadCreated or
// EventThreadDeleted, or EventReset.
type LiveEvent struct {
	ID string
	Event
}

// EventReset tells the reader of a feed of the whole bot that it could not
// resume from its last event id (the engine restarted, or the reader was
// away too long): it should read the threads again.
const EventReset EventKind = 100

// A Feed is a live stream of events for one reader. Read C until it is
// closed, then Err says why: the context ended (its error), the reader was
// too slow (ErrSlowReader). Close it when done. A Feed is safe for use by
// one reader and one closer.
type Feed struct {
	// C delivers the events. For a thread, ids are the message numbers
	// (Seq) and a resumed feed replays the stored messages after its last
	// id, so nothing is lost or repeated; for the whole bot, ids name the
	// engine's recent events, and a feed that cannot resume from its id
	// starts with an EventReset.
	C <-chan LiveEvent

	out    chan LiveEvent
	in     chan *LiveEvent // shared with other feeds: read only
	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	err    error
}

// Err returns why C was closed, once it is.
func (f *Feed) Err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// Close stops the feed and waits for it to end.
func (f *Feed) Close() {
	f.cancel()
	<-f.done
}

func (f *Feed) fail(err error) {
	f.mu.Lock()
	if f.err == nil {
		f.err = err
	}
	f.mu.Unlock()
	f.cancel()
}

// hub fans the engine's thread and message events out to feeds, and keeps
// the recent ones, numbered, for feeds of the whole bot to resume from.
type hub struct {
	epoch string
	mu    sync.Mutex
	next  uint64       // the number of the next event
	ring  []*LiveEvent // the last feedRing events, oldest first; read only
	subs  map[*hubSub]struct{}
}

type hubSub struct {
	thread string // store id, "" for all
	feed   *Feed
}

// liveHub returns the engine's hub, starting it on first use.
func (e *Engine) liveHub() *hub {
	e.hubOnce.Do(func() {
		var b [4]byte
		rand.Read(b[:])
		e.hub = &hub{epoch: hex.EncodeToString(b[:]), subs: map[*hubSub]struct{}{}}
		e.Subscribe(e.hub.publish)
		if w, ok := e.st.(store.ThreadWatcher); ok {
			// Messages other processes append reach this one's readers;
			// the watch ends when the store closes. The first feed waits
			// (a few seconds at most) until the store listens, so that it
			// misses nothing appended after it opened.
			listening := make(chan struct{})
			var once sync.Once
			go w.WatchThreads(context.Background(), func(threadID string, first, last int) {
				if threadID == "" {
					once.Do(func() { close(listening) })
				}
				e.remoteMessages(threadID, first, last)
			})
			select {
			case <-listening:
			case <-time.After(5 * time.Second):
			}
		}
	})
	return e.hub
}

// remoteMessages hands the messages first to last of a thread, appended
// by another process sharing the store, to this process's feeds. A thread
// feed that misses some catches up from the store (see pump).
func (e *Engine) remoteMessages(threadID string, first, last int) {
	if threadID == "" {
		e.hub.catchUp()
		return
	}
	ctx := context.Background()
	th, err := e.st.Thread(ctx, threadID)
	if err != nil {
		return // deleted meanwhile
	}
	for after := first - 1; after < last; {
		msgs, err := e.st.Messages(ctx, threadID, after, min(last-after, store.MaxMessagesPage))
		if err != nil || len(msgs) == 0 {
			return
		}
		for _, m := range msgs {
			e.hub.publish(Event{Kind: EventMessage, SessionID: th.SessionID, UserID: th.UserID, ThreadID: th.ID, Time: m.CreatedAt, Thread: th, Message: m})
			after = m.Seq
		}
	}
}

// publish numbers a thread or message event, keeps it and hands it to the
// feeds that want it, without ever waiting for one.
func (h *hub) publish(ev Event) {
	switch ev.Kind {
	case EventMessage, EventThreadCreated, EventThreadChanged, EventThreadDeleted:
	default:
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	le := &LiveEvent{ID: h.epoch + "-" + strconv.FormatUint(h.next, 10), Event: ev}
	h.next++
	if len(h.ring) == feedRing {
		copy(h.ring, h.ring[1:])
		h.ring = h.ring[:feedRing-1]
	}
	h.ring = append(h.ring, le)
	for s := range h.subs {
		if s.thread != "" && s.thread != ev.ThreadID {
			continue
		}
		select {
		case s.feed.in <- le:
		default:
			delete(h.subs, s)
			s.feed.fail(ErrSlowReader)
		}
	}
}

// eventCatchUp tells a thread's feed to read the stored messages past the
// last it sent: notifications of other processes' messages may have been
// missed. Feeds never pass it on.
const eventCatchUp EventKind = 101

// catchUp asks every thread's feed to catch up from the store.
func (h *hub) catchUp() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		if s.thread == "" {
			continue
		}
		select {
		case s.feed.in <- &LiveEvent{Event: Event{Kind: eventCatchUp}}:
		default:
			delete(h.subs, s)
			s.feed.fail(ErrSlowReader)
		}
	}
}

func (h *hub) remove(s *hubSub) {
	h.mu.Lock()
	delete(h.subs, s)
	h.mu.Unlock()
}

// Follow opens a Feed. For a thread it first sends an EventThreadChanged
// with the thread's state (no id), then, when resuming, the stored messages
// after LastEventID (a message number), then what happens next. The feed
// ends when ctx ends, when Close is called, or when the reader falls
// behind. An unknown thread is store.ErrNotFound; a LastEventID of a thread
// that is not a number is a *store.FieldError.
func (e *Engine) Follow(ctx context.Context, f Follow) (*Feed, error) {
	if f.Buffer == 0 {
		f.Buffer = DefaultFeedBuffer
	}
	if f.Buffer < 1 {
		return nil, invalid("buffer", "must be positive")
	}
	var th store.Thread
	after := -1 // no replay
	if f.ThreadID != "" {
		var err error
		if th, err = e.Thread(ctx, f.ThreadID); err != nil {
			return nil, err
		}
		if f.LastEventID != "" {
			after, err = strconv.Atoi(f.LastEventID)
			if err != nil || after < 0 {
				return nil, invalid("lastEventId", "must be the number of a message of the thread")
			}
		}
	}
	h := e.liveHub()
	ctx, cancel := context.WithCancel(ctx)
	feed := &Feed{out: make(chan LiveEvent), in: make(chan *LiveEvent, f.Buffer), cancel: cancel, done: make(chan struct{})}
	feed.C = feed.out
	sub := &hubSub{thread: th.ID, feed: feed}
	// Subscribe before reading the store, so that nothing falls between.
	h.mu.Lock()
	var backlog []*LiveEvent
	if th.ID == "" && f.LastEventID != "" {
		backlog = h.since(f.LastEventID)
	}
	h.subs[sub] = struct{}{}
	h.mu.Unlock()
	var leave func()
	if f.Agent != nil {
		leave = e.AgentPresent(*f.Agent)
	}
	go func() {
		defer close(feed.done)
		defer close(feed.out)
		defer h.remove(sub)
		if leave != nil {
			defer leave()
		}
		err := e.pump(ctx, feed, th, after, backlog)
		feed.fail(err)
	}()
	return feed, nil
}

// since returns the kept events after id, or one EventReset when id is
// not among them. h.mu is held.
func (h *hub) since(id string) []*LiveEvent {
	epoch, n, ok := strings.Cut(id, "-")
	num, err := strconv.ParseUint(n, 10, 64)
	if ok && err == nil && epoch == h.epoch && len(h.ring) > 0 {
		first := h.next - uint64(len(h.ring))
		if num+1 >= first && num < h.next {
			return append([]*LiveEvent(nil), h.ring[num+1-first:]...)
		}
	}
	return []*LiveEvent{{Event: Event{Kind: EventReset}}}
}

// pump feeds the reader: the thread's state and stored messages, or the
// backlog, then the live events, skipping what it already sent.
func (e *Engine) pump(ctx context.Context, f *Feed, th store.Thread, after int, backlog []*LiveEvent) error {
	send := func(le LiveEvent) error {
		select {
		case f.out <- le:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	sent := after // the last message number sent, for a thread
	if th.ID != "" {
		// Read again now that the feed listens: nothing falls between.
		var err error
		if th, err = e.st.Thread(ctx, th.ID); err != nil {
			return fmt.Errorf("engine: follow thread: %w", err)
		}
		if sent < 0 {
			sent = th.Messages
		}
		if err := send(LiveEvent{Event: Event{Kind: EventThreadChanged, SessionID: th.SessionID, UserID: th.UserID, ThreadID: th.ID, Time: e.now(), Thread: th}}); err != nil {
			return err
		}
		for {
			msgs, err := e.st.Messages(ctx, th.ID, sent, store.MaxMessagesPage)
			if err != nil {
				return fmt.Errorf("engine: replay thread %s: %w", th.ID, err)
			}
			for _, m := range msgs {
				if err := send(LiveEvent{ID: strconv.Itoa(m.Seq), Event: Event{Kind: EventMessage, SessionID: th.SessionID, UserID: th.UserID, ThreadID: th.ID, Thread: th, Message: m, Time: m.CreatedAt}}); err != nil {
					return err
				}
				sent = m.Seq
			}
			if len(msgs) < store.MaxMessagesPage {
				break
			}
		}
	}
	for _, le := range backlog {
		if err := send(*le); err != nil {
			return err
		}
	}
	for {
		select {
		case p := <-f.in:
			le := *p
			if le.Kind == eventCatchUp {
				for {
					msgs, err := e.st.Messages(ctx, th.ID, sent, store.MaxMessagesPage)
					if err != nil || len(msgs) == 0 {
						break
					}
					for _, m := range msgs {
						if err := send(LiveEvent{ID: strconv.Itoa(m.Seq), Event: Event{Kind: EventMessage, SessionID: th.SessionID, UserID: th.UserID, ThreadID: th.ID, Thread: th, Message: m, Time: m.CreatedAt}}); err != nil {
							return err
						}
						sent = m.Seq
					}
				}
				continue
			}
			if th.ID != "" {
				if le.Kind == EventMessage {
					if le.Message.Seq <= sent {
						continue // replayed from the store already
					}
					// Messages before this one that the feed missed (another
					// process's, whose notification comes later or never)
					// come from the store first.
					for sent < le.Message.Seq-1 {
						msgs, err := e.st.Messages(ctx, th.ID, sent, min(le.Message.Seq-1-sent, store.MaxMessagesPage))
						if err != nil || len(msgs) == 0 {
							break
						}
						for _, m := range msgs {
							if err := send(LiveEvent{ID: strconv.Itoa(m.Seq), Event: Event{Kind: EventMessage, SessionID: th.SessionID, UserID: th.UserID, ThreadID: th.ID, Thread: le.Thread, Message: m, Time: m.CreatedAt}}); err != nil {
								return err
							}
							sent = m.Seq
						}
					}
					sent = le.Message.Seq
				}
				le.ID = strconv.Itoa(sent)
			}
			if err := send(le); err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

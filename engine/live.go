package engine

import (
	"context"
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

	pos store.LogPos // in the event log, for a feed of the whole bot
}

// EventReset tells the reader of a feed of the whole bot that it could not
// resume from its last event id (the store's event log no longer has the
// entries after it, or the id is not of this store's log): it should read
// the threads again.
const EventReset EventKind = 100

// A Feed is a live stream of events for one reader. Read C until it is
// closed, then Err says why: the context ended (its error), the reader was
// too slow (ErrSlowReader). Close it when done. A Feed is safe for use by
// one reader and one closer.
type Feed struct {
	// C delivers the events. For a thread, ids are the message numbers
	// (Seq) and a resumed feed replays the stored messages after its last
	// id, so nothing is lost or repeated; for the whole bot, ids are
	// positions in the store's event log ("LOG-POSITION", see
	// [store.EventLog]), a resumed feed replays the log after its last id,
	// whichever process or run of the program wrote it, and a feed that
	// cannot resume from its id (older than the log keeps) starts with an
	// EventReset.
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

// hub fans the engine's thread and message events out to the feeds of a
// thread, and the store's event log out to the feeds of the whole bot.
type hub struct {
	mu   sync.Mutex
	subs map[*hubSub]struct{}
	// The tail of the event log: one goroutine reads the log while feeds
	// of the whole bot are open (tailing, botSubs of them), woken by wake
	// after each change.
	tailing bool
	botSubs int
	wake    chan struct{}
}

type hubSub struct {
	thread string // store id, "" for all
	feed   *Feed
}

// liveHub returns the engine's hub, starting it on first use.
func (e *Engine) liveHub() *hub {
	e.hubOnce.Do(func() {
		e.hub = &hub{subs: map[*hubSub]struct{}{}, wake: make(chan struct{}, 1)}
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
	e.hub.wakeTail()
	if threadID == "" {
		e.hub.catchUp()
		return
	}
	ctx := context.Background()
	th, err := e.st.Thread(ctx, threadID)
	if first == 0 {
		// The thread changed, was created or deleted.
		if errors.Is(err, store.ErrNotFound) {
			e.hub.publish(Event{Kind: EventThreadDeleted, ThreadID: threadID, Time: e.now(), Thread: store.Thread{ID: threadID}})
		} else if err == nil {
			e.hub.publish(Event{Kind: EventThreadChanged, SessionID: th.SessionID, UserID: th.UserID, ThreadID: th.ID, Time: e.now(), Thread: th})
		}
		return
	}
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

// publish hands a thread or message event to the feeds of its thread,
// without ever waiting for one, and wakes the tail of the event log.
func (h *hub) publish(ev Event) {
	switch ev.Kind {
	case EventMessage, EventThreadCreated, EventThreadChanged, EventThreadDeleted:
	default:
		return
	}
	h.wakeTail()
	h.mu.Lock()
	defer h.mu.Unlock()
	var le *LiveEvent
	for s := range h.subs {
		if s.thread == "" || s.thread != ev.ThreadID {
			continue
		}
		if le == nil {
			le = &LiveEvent{Event: ev}
		}
		h.offer(s, le)
	}
}

// offer hands le to a feed, or drops the feed if its buffer is full. h.mu
// is held.
func (h *hub) offer(s *hubSub, le *LiveEvent) {
	select {
	case s.feed.in <- le:
	default:
		h.drop(s, ErrSlowReader)
	}
}

// drop ends a feed with err. h.mu is held.
func (h *hub) drop(s *hubSub, err error) {
	if _, ok := h.subs[s]; !ok {
		return
	}
	delete(h.subs, s)
	if s.thread == "" {
		h.botSubs--
	}
	s.feed.fail(err)
}

// wakeTail tells the tail of the event log that the log may have grown.
func (h *hub) wakeTail() {
	select {
	case h.wake <- struct{}{}:
	default:
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
		h.offer(s, &LiveEvent{Event: Event{Kind: eventCatchUp}})
	}
}

func (h *hub) remove(s *hubSub) {
	h.mu.Lock()
	if _, ok := h.subs[s]; ok {
		delete(h.subs, s)
		if s.thread == "" {
			h.botSubs--
		}
	}
	h.mu.Unlock()
	if s.thread == "" {
		h.wakeTail() // to end if it was the last
	}
}

// Follow opens a Feed. For a thread it first sends an EventThreadChanged
// with the thread's state (no id), then, when resuming, the stored messages
// after LastEventID (a message number) up to that state, then what happens
// next, messages and changes in the order they happened. For the
// whole bot it sends, when resuming, the entries of the store's event log
// after LastEventID (or an EventReset when the log no longer has them, or
// the id is not of this store's log), then what happens next. The feed
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
	var r resume
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
	} else {
		end, err := e.st.ReadLog(ctx, store.LogPos{}, 0)
		if err != nil {
			return nil, fmt.Errorf("engine: follow: %w", err)
		}
		r = resume{log: end.Log, end: end.Last}
		if f.LastEventID != "" {
			log, pos, ok := strings.Cut(f.LastEventID, "-")
			r.from, err = store.ParseLogPos(pos)
			r.on = ok && err == nil && log == end.Log
			r.reset = !r.on
		}
	}
	h := e.liveHub()
	ctx, cancel := context.WithCancel(ctx)
	feed := &Feed{out: make(chan LiveEvent), in: make(chan *LiveEvent, f.Buffer), cancel: cancel, done: make(chan struct{})}
	feed.C = feed.out
	sub := &hubSub{thread: th.ID, feed: feed}
	// Subscribe before reading the store, so that nothing falls between.
	h.mu.Lock()
	if th.ID == "" {
		h.botSubs++
		if !h.tailing {
			h.tailing = true
			go e.tailLog(h, r.log, r.end)
		}
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
		err := e.pump(ctx, feed, th, after, r)
		feed.fail(err)
	}()
	return feed, nil
}

// resume is where a feed of the whole bot resumes in the event log.
type resume struct {
	log   string       // the store's log
	end   store.LogPos // its end when the feed opened
	on    bool         // resume after from
	from  store.LogPos
	reset bool // the id is not of this log: start with an EventReset
}

// tailLog reads the event log after pos while feeds of the whole bot are
// open, and hands its entries to them: woken after each change, and,
// while entries wait for older transactions (pgstore), again soon. A
// feed that opens while it runs gets what it reads next; one that
// resumes reads the log itself up to at least there, since the log only
// grows at its end.
func (e *Engine) tailLog(h *hub, log string, pos store.LogPos) {
	ctx := context.Background()
	retry := time.Duration(-1) // read at once
	for {
		switch {
		case retry > 0:
			t := time.NewTimer(retry)
			select {
			case <-h.wake:
			case <-t.C:
			}
			t.Stop()
		case retry == 0:
			<-h.wake
		}
		h.mu.Lock()
		if h.botSubs == 0 {
			h.tailing = false
			h.mu.Unlock()
			return
		}
		h.mu.Unlock()
		page, err := e.st.ReadLog(ctx, pos, store.MaxLogPage)
		var evs []*LiveEvent
		if err == nil && !page.Lost && page.Log == log {
			evs, err = e.logEvents(ctx, page)
		}
		if err != nil {
			e.log.Warn("engine: read the event log", "err", err)
			retry = time.Second
			continue
		}
		if page.Lost || page.Log != log {
			// The log dropped what the tail had not read yet (or the
			// store was replaced): its readers start again.
			h.mu.Lock()
			for s := range h.subs {
				if s.thread == "" {
					h.drop(s, ErrSlowReader)
				}
			}
			h.mu.Unlock()
			end, err := e.st.ReadLog(ctx, store.LogPos{}, 0)
			if err != nil {
				retry = time.Second
				continue
			}
			log, pos, retry = end.Log, end.Last, -1
			continue
		}
		h.mu.Lock()
		for _, le := range evs {
			for s := range h.subs {
				if s.thread == "" {
					h.offer(s, le)
				}
			}
		}
		h.mu.Unlock()
		progress := pos != page.Last
		pos = page.Last
		switch {
		case len(page.Entries) == store.MaxLogPage:
			retry = -1
		case !page.Pending:
			retry = 0
		case progress:
			retry = 5 * time.Millisecond
		default:
			retry = min(max(2*retry, 5*time.Millisecond), 500*time.Millisecond)
		}
	}
}

// logEvents turns entries of the event log into the events of a feed of
// the whole bot, reading the messages and threads they name as they are
// now. Entries of threads deleted since are left out (their deletion
// comes after them).
func (e *Engine) logEvents(ctx context.Context, page store.LogPage) ([]*LiveEvent, error) {
	es := page.Entries
	threads := map[string]*store.Thread{}
	thread := func(id string) (*store.Thread, error) {
		if th, ok := threads[id]; ok {
			return th, nil
		}
		th, err := e.st.Thread(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			threads[id] = nil
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		threads[id] = &th
		return &th, nil
	}
	id := func(p store.LogPos) string { return page.Log + "-" + p.String() }
	var out []*LiveEvent
	for i := 0; i < len(es); {
		x := es[i]
		n := 1
		if x.Kind == store.LogMessage {
			for i+n < len(es) && n < store.MaxMessagesPage && es[i+n].Kind == store.LogMessage &&
				es[i+n].ThreadID == x.ThreadID && es[i+n].Seq == x.Seq+n {
				n++
			}
		}
		i += n
		if x.Kind == store.LogThreadDeleted {
			gone := store.Thread{ID: x.ThreadID, Alias: x.Alias}
			out = append(out, &LiveEvent{ID: id(x.Pos), pos: x.Pos, Event: Event{Kind: EventThreadDeleted, ThreadID: x.ThreadID, Time: e.now(), Thread: gone}})
			continue
		}
		th, err := thread(x.ThreadID)
		if err != nil {
			return nil, err
		}
		if th == nil {
			continue
		}
		if x.Kind != store.LogMessage {
			kind := EventThreadChanged
			if x.Kind == store.LogThreadCreated {
				kind = EventThreadCreated
			}
			out = append(out, &LiveEvent{ID: id(x.Pos), pos: x.Pos, Event: Event{Kind: kind, SessionID: th.SessionID, UserID: th.UserID, ThreadID: th.ID, Time: e.now(), Thread: *th}})
			continue
		}
		msgs, err := e.st.Messages(ctx, x.ThreadID, x.Seq-1, n)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			if k := m.Seq - x.Seq; k >= 0 && k < n {
				p := es[i-n+k].Pos
				out = append(out, &LiveEvent{ID: id(p), pos: p, Event: Event{Kind: EventMessage, SessionID: th.SessionID, UserID: th.UserID, ThreadID: th.ID, Time: m.CreatedAt, Thread: *th, Message: m}})
			}
		}
	}
	return out, nil
}

// pump feeds the reader: the thread's state and stored messages, or the
// event log after its last id, then the live events, skipping what it
// already sent.
func (e *Engine) pump(ctx context.Context, f *Feed, th store.Thread, after int, r resume) error {
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
		// Replay the stored messages up to the state just sent, no further:
		// what came after it is waiting in f.in, in order with the
		// thread's changes, whatever time the reader took to read the state.
		for sent < th.Messages {
			msgs, err := e.st.Messages(ctx, th.ID, sent, min(th.Messages-sent, store.MaxMessagesPage))
			if err != nil {
				return fmt.Errorf("engine: replay thread %s: %w", th.ID, err)
			}
			if len(msgs) == 0 {
				break
			}
			for _, m := range msgs {
				if err := send(LiveEvent{ID: strconv.Itoa(m.Seq), Event: Event{Kind: EventMessage, SessionID: th.SessionID, UserID: th.UserID, ThreadID: th.ID, Thread: th, Message: m, Time: m.CreatedAt}}); err != nil {
					return err
				}
				sent = m.Seq
			}
		}
	}
	var logged store.LogPos // the last log position sent, for the whole bot
	switch {
	case r.reset:
		if err := send(LiveEvent{Event: Event{Kind: EventReset}}); err != nil {
			return err
		}
	case r.on:
		// Live events come after the tail's position when the feed
		// subscribed; the log is read to at least there.
		for logged = r.from; ; {
			page, err := e.st.ReadLog(ctx, logged, store.MaxLogPage)
			if err != nil {
				return fmt.Errorf("engine: replay the event log: %w", err)
			}
			if page.Lost || page.Log != r.log {
				logged = store.LogPos{}
				if err := send(LiveEvent{Event: Event{Kind: EventReset}}); err != nil {
					return err
				}
				break
			}
			evs, err := e.logEvents(ctx, page)
			if err != nil {
				return fmt.Errorf("engine: replay the event log: %w", err)
			}
			for _, le := range evs {
				if err := send(*le); err != nil {
					return err
				}
			}
			logged = page.Last
			if len(page.Entries) < store.MaxLogPage {
				break
			}
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
			if th.ID == "" && !logged.Less(le.pos) {
				continue // replayed from the log already
			}
			if th.ID != "" && le.Thread.Alias == "" {
				le.Thread.Alias = th.Alias // another process's deletion names only the id
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

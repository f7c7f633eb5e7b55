package engine

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

// Automated messages: the bot speaks first. An operator saves a
// store.AutomatedMessage (a trigger, a condition, delivery rules and what
// to say); when its trigger happens to a session the engine evaluates the
// condition and, within the rules, appends the message to the session's
// thread as a bot message, after its commit, so that it reaches Subscribe
// like any other message, and counts it in the day's Automated counter.
//
// Triggers reach the engine as calls: a session's first turn (OnStart),
// PageView (OnPageView), Notify (OnEvent); Tick, which RunAutomations
// calls every second, sends what time decides: pages viewed for a while,
// idle sessions and schedules.
//
// Of several messages a trigger would send at once, only the one of
// highest priority (then the oldest) is sent.

// AutoRefresh is how often an engine reads the automated messages again
// from the store, to see those another process saved. Saves and deletes
// through the engine take effect at once.
const AutoRefresh = 10 * time.Second

// maxWatched bounds the sessions watched for idle and time-on-page
// triggers; beyond it, the sessions quiet the longest are forgotten.
const maxWatched = 200000

// automation is the engine's state for automated messages.
type automation struct {
	set    atomic.Pointer[autoSet]
	loadMu sync.Mutex

	mu    sync.Mutex
	watch map[string]*watched // by session id
	ran   map[string]bool     // schedule firings this engine ran: id@unix
	// reminded are the reminders this engine sent, message@meeting, with
	// the meeting's start (forgotten a day after).
	reminded map[string]time.Time
	zones    sync.Map // time zone names of users → *time.Location (nil if unknown)
}

// autoSet is the automated messages, compiled and sorted by trigger.
type autoSet struct {
	loaded    time.Time
	start     []*autoMsg
	page      []*autoMsg // page views, at once
	pageLater []*autoMsg // page views, after a time on the page
	idle      []*autoMsg
	schedule  []*autoMsg
	meeting   []*autoMsg
	events    map[string][]*autoMsg
	segments  map[string]store.Segment // by id
}

type autoMsg struct {
	store.AutomatedMessage
	cond *story.AutomationCondition // nil: always
}

// watched is what the engine knows of a live session for time-based
// triggers.
type watched struct {
	userID   string
	threadID string // the thread the page reported, "" for the session's
	page     Page
	landed   time.Time // when the page was viewed
	views    int       // pages viewed in the session
	active   time.Time // the last turn or page view
	firedFor map[string]bool
}

// A HostEvent is something the host reports about a user: an order is
// ready, a payment failed.
type HostEvent struct {
	// Name is the event (1–128 letters, digits, '_', '-', '.'), matched by
	// automated messages whose trigger is store.OnEvent with that Event.
	Name string
	// SessionID is the session to speak in. If "", the session of the
	// user's last turn is used (or one named after the user, if they
	// never chatted).
	SessionID string
	// UserID is the user (their userId or store id), "" if the session
	// says.
	UserID string
}

// SaveAutomatedMessage checks, compiles and stores an automated message (a
// new one when m.ID is "") and returns it as stored. A condition that does
// not compile is a *store.FieldError for "condition" whose rule gives the
// line and column of the problem; a goto must name an interaction of the
// bot.
func (e *Engine) SaveAutomatedMessage(ctx context.Context, m store.AutomatedMessage) (store.AutomatedMessage, error) {
	if err := store.CheckAutomatedMessage(&m); err != nil {
		return store.AutomatedMessage{}, err
	}
	if err := CheckCondition(ConditionAutomated, m.Condition); err != nil {
		return store.AutomatedMessage{}, conditionError(err)
	}
	if m.Goto != "" && e.bot.Load().inters[m.Goto] == nil {
		return store.AutomatedMessage{}, invalid("goto", "must name an interaction of the bot")
	}
	out, err := e.st.SaveAutomatedMessage(ctx, m)
	if err != nil {
		return store.AutomatedMessage{}, fmt.Errorf("engine: save automated message: %w", err)
	}
	e.auto.set.Store(nil) // read again at the next use
	return out, nil
}

// AutomatedMessages returns every automated message, oldest first.
func (e *Engine) AutomatedMessages(ctx context.Context) ([]store.AutomatedMessage, error) {
	return e.st.AutomatedMessages(ctx)
}

// DeleteAutomatedMessage deletes an automated message and the record of
// whom it was sent to.
func (e *Engine) DeleteAutomatedMessage(ctx context.Context, id string) error {
	if err := e.st.DeleteAutomatedMessage(ctx, id); err != nil {
		return fmt.Errorf("engine: delete automated message: %w", err)
	}
	e.auto.set.Store(nil)
	return nil
}

// autoMessages returns the compiled automated messages, reading them from
// the store when they are older than AutoRefresh (one caller reads, the
// others go on with the old set meanwhile).
func (e *Engine) autoMessages(ctx context.Context) (*autoSet, error) {
	set := e.auto.set.Load()
	now := time.Now()
	if set != nil && now.Sub(set.loaded) < AutoRefresh {
		return set, nil
	}
	if set != nil {
		if !e.auto.loadMu.TryLock() {
			return set, nil
		}
	} else {
		e.auto.loadMu.Lock()
	}
	defer e.auto.loadMu.Unlock()
	if cur := e.auto.set.Load(); cur != nil && cur != set {
		return cur, nil // loaded meanwhile
	}
	msgs, err := e.st.AutomatedMessages(ctx)
	if err != nil {
		if set != nil {
			e.log.Warn("engine: read automated messages", "err", err)
			return set, nil
		}
		return nil, fmt.Errorf("engine: automated messages: %w", err)
	}
	segs, err := e.st.ListSegments(ctx)
	if err != nil {
		return nil, fmt.Errorf("engine: automated messages: %w", err)
	}
	set = &autoSet{loaded: now, events: map[string][]*autoMsg{}, segments: map[string]store.Segment{}}
	for _, s := range segs {
		set.segments[s.ID] = s
	}
	for _, m := range msgs {
		if m.Disabled {
			continue
		}
		am := &autoMsg{AutomatedMessage: m}
		if m.Condition != "" {
			if am.cond, err = story.CompileAutomationCondition(m.Condition); err != nil {
				e.log.Warn("engine: automated message with a bad condition is left out", "id", m.ID, "err", err)
				continue
			}
		}
		switch m.Trigger.On {
		case store.OnStart:
			set.start = append(set.start, am)
		case store.OnPageView:
			if m.Trigger.After > 0 {
				set.pageLater = append(set.pageLater, am)
			} else {
				set.page = append(set.page, am)
			}
		case store.OnIdle:
			set.idle = append(set.idle, am)
		case store.OnEvent:
			set.events[m.Trigger.Event] = append(set.events[m.Trigger.Event], am)
		case store.OnSchedule:
			set.schedule = append(set.schedule, am)
		case store.OnMeeting:
			set.meeting = append(set.meeting, am)
		}
	}
	for _, list := range [][]*autoMsg{set.start, set.page, set.pageLater, set.idle, set.schedule, set.meeting} {
		sortByPriority(list)
	}
	for _, list := range set.events {
		sortByPriority(list)
	}
	e.auto.set.Store(set)
	return set, nil
}

// sortByPriority sorts messages by priority, highest first, then oldest
// first (ids sort by creation).
func sortByPriority(list []*autoMsg) {
	slices.SortStableFunc(list, func(a, b *autoMsg) int {
		if a.Priority != b.Priority {
			return b.Priority - a.Priority
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// Notify reports a host event (such as "drink_ready") about a user or a
// session, and sends the automated messages it triggers. It returns the
// messages sent.
func (e *Engine) Notify(ctx context.Context, ev HostEvent) ([]store.Message, error) {
	if err := store.CheckEventName("name", ev.Name); err != nil {
		return nil, err
	}
	var u *store.User
	if ev.UserID != "" {
		found, err := e.findUser(ctx, ev.UserID)
		if err != nil {
			return nil, &NotFoundError{Field: "userId", Err: store.ErrNotFound}
		}
		u = &found
	}
	sessionID := ev.SessionID
	switch {
	case sessionID != "":
		if err := store.CheckSessionID(sessionID); err != nil {
			return nil, err
		}
	case u != nil:
		sessionID = sessionOf(u)
	default:
		return nil, invalid("sessionId", "is required without a userId")
	}
	set, err := e.autoMessages(ctx)
	if err != nil {
		return nil, err
	}
	d := occasion{sessionID: sessionID, event: ev.Name, user: u}
	if u != nil {
		d.userID = u.ID
	}
	return e.automate(ctx, set.events[ev.Name], d)
}

// sessionOf is the session to speak to u in: that of their last turn, or
// one named after them.
func sessionOf(u *store.User) string {
	if u.SessionID != "" {
		return u.SessionID
	}
	return u.ID
}

// An occasion is a chance to send one of some automated messages to a
// session.
type occasion struct {
	sessionID string
	threadID  string         // the thread to speak in (its store id), "" for the session's
	userID    string         // the store id of the user, "" for the session's
	user      *store.User    // the user, if already read
	event     string         // what env.Event says
	firing    time.Time      // the schedule's time, for a schedule (or a reminder's)
	meeting   *store.Meeting // the meeting a reminder is for
}

// errRefused is a delivery a rule refuses.
var errRefused = errors.New("engine: refused by a delivery rule")

// automate sends the first of cands (sorted by priority) whose condition
// holds and whose rules allow it, and returns the messages appended.
func (e *Engine) automate(ctx context.Context, cands []*autoMsg, d occasion) ([]store.Message, error) {
	if len(cands) == 0 {
		return nil, nil
	}
	now := e.now()
	sess, err := e.st.Session(ctx, d.sessionID)
	if errors.Is(err, store.ErrNotFound) {
		sess, err = store.Session{ID: d.sessionID}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("engine: automated message: %w", err)
	}
	uid := d.userID
	if uid == "" {
		uid = sess.UserID
	}
	u := d.user
	if u == nil && uid != "" {
		found, err := e.st.User(ctx, uid)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("engine: automated message: %w", err)
		}
		if err == nil {
			u = &found
		}
	}
	var th *store.Thread
	threadID := sess.ThreadID
	if d.threadID != "" {
		threadID = d.threadID
	}
	if threadID != "" {
		t, err := e.st.Thread(ctx, threadID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("engine: automated message: %w", err)
		}
		if err == nil && t.EndedAt.IsZero() {
			th = &t
		}
	}
	recipient := d.sessionID
	if u != nil {
		recipient = u.ID
	}
	dels, err := e.st.AutomatedDeliveries(ctx, recipient)
	if err != nil {
		return nil, fmt.Errorf("engine: automated message: %w", err)
	}
	sent := make(map[string]store.AutomatedDelivery, len(dels))
	for _, dl := range dels {
		sent[dl.MessageID] = dl
	}
	agent := th != nil && th.Mode == store.ModeAgent
	env := e.autoEnv(u, &sess, th, d, now)
	set := e.auto.set.Load()
	for _, m := range cands {
		if agent && !m.DuringAgent {
			continue
		}
		prev := sent[m.ID]
		if !allowed(&m.AutomatedMessage, &prev, d.sessionID, now, d.firing) {
			continue
		}
		if m.cond != nil {
			env.Sent = prev.Count
			if m.cond.Uses("segments") && env.Segments == nil && u != nil {
				env.Segments = segmentNames(u, set)
			}
			if usesVisits(m.cond) && env.PageCounts == nil {
				if err := e.visitsEnv(ctx, env, recipient); err != nil {
					return nil, fmt.Errorf("engine: automated message: %w", err)
				}
			}
			if (m.cond.Uses("meeting") || m.cond.Uses("meeting_in")) && env.Meeting == nil {
				if err := e.meetingEnv(ctx, env, u, now); err != nil {
					return nil, fmt.Errorf("engine: automated message: %w", err)
				}
			}
			ok, err := m.cond.Eval(env)
			if err != nil {
				e.log.Debug("engine: automated message condition failed", "id", m.ID, "err", err)
			}
			if !ok {
				continue
			}
		}
		_, err := e.st.ClaimAutomatedDelivery(ctx, m.ID, recipient, func(dl *store.AutomatedDelivery) error {
			if !allowed(&m.AutomatedMessage, dl, d.sessionID, now, d.firing) {
				return errRefused
			}
			dl.Count++
			dl.Last, dl.SessionID = now, d.sessionID
			return nil
		})
		if errors.Is(err, errRefused) || errors.Is(err, store.ErrNotFound) {
			continue // sent meanwhile, or deleted
		}
		if err != nil {
			return nil, fmt.Errorf("engine: automated message %s: %w", m.ID, err)
		}
		return e.send(ctx, m, d, uid)
	}
	return nil, nil
}

// allowed reports whether the delivery rules of m allow sending it again
// after prev, in session sessionID, at now (for the schedule firing at
// firing, if not zero).
func allowed(m *store.AutomatedMessage, prev *store.AutomatedDelivery, sessionID string, now, firing time.Time) bool {
	switch {
	case m.Repeat == store.RepeatOnce && prev.Count > 0,
		m.Repeat == store.RepeatSession && prev.Count > 0 && prev.SessionID == sessionID,
		m.MaxTimes > 0 && prev.Count >= m.MaxTimes,
		m.MinInterval > 0 && !prev.Last.IsZero() && now.Sub(prev.Last) < m.MinInterval,
		!firing.IsZero() && !prev.Last.IsZero() && !prev.Last.Before(firing):
		return false
	}
	return true
}

// send appends m to the session's thread, after its claim.
func (e *Engine) send(ctx context.Context, m *autoMsg, d occasion, userID string) ([]store.Message, error) {
	if m.Goto != "" {
		cb := e.bot.Load()
		if cb.inters[m.Goto] == nil {
			e.log.Warn("engine: automated message goes to an interaction the bot no longer has", "id", m.ID, "goto", m.Goto)
			return nil, nil
		}
		var out Sent
		_, _, err := e.runTurn(ctx, Request{SessionID: d.sessionID, Goto: m.Goto, UserID: userID}, d.threadID, "", &out, m.ID)
		if err != nil {
			return nil, fmt.Errorf("engine: automated message %s: %w", m.ID, err)
		}
		return out.Messages, nil
	}
	msg := store.Message{Type: store.BotMessage, Text: m.Text}
	if len(m.QuickReplies) > 0 {
		f := Fulfillment{Type: TypeQuickReplies, Title: m.Text}
		for _, q := range m.QuickReplies {
			f.Buttons = append(f.Buttons, Button{Type: ButtonPostback, Title: q, Value: q})
		}
		msg.Fulfillment = appendFulfillments(nil, []Fulfillment{f})
	}
	if err := e.queues.acquire(ctx, d.sessionID); err != nil {
		return nil, err
	}
	defer e.queues.release(d.sessionID)
	timeout := e.bot.Load().timeout
	var last *store.Turn
	err := e.st.Update(ctx, d.sessionID, func(t *store.Turn) error {
		if userID != "" && t.User == nil {
			if err := t.SetUser(userID); err != nil {
				return err
			}
		}
		if t.New {
			t.Session.ExpiresAt = t.Now.Add(timeout)
		}
		if d.threadID != "" {
			if err := t.UseThread(d.threadID); err != nil {
				return err
			}
		}
		t.Append(msg)
		t.Counters.Automated++
		last = t
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("engine: automated message %s: %w", m.ID, err)
	}
	msgs := slices.Clone(last.Messages)
	if subs := e.subscribers(); len(subs) > 0 {
		th := *last.Thread
		now := e.now()
		for _, mm := range msgs {
			e.emit(subs, Event{Kind: EventMessage, SessionID: d.sessionID, UserID: th.UserID, ThreadID: th.ID, Time: now, Thread: th, Message: mm, Automated: m.ID})
		}
	}
	return msgs, nil
}

// autoEnv builds what conditions see.
func (e *Engine) autoEnv(u *store.User, s *store.Session, th *store.Thread, d occasion, now time.Time) *story.AutomationEnv {
	env := &story.AutomationEnv{Session: s.Attributes, Event: d.event, Time: now.In(e.botZone()), MeetingIn: -1}
	if d.meeting != nil {
		setMeetingEnv(env, d.meeting, now)
	}
	if u != nil {
		env.User = u.Attributes
		env.Tags = u.Tags
		env.FirstSeen = int(now.Sub(u.CreatedAt) / time.Second)
		env.LastSeen = int(now.Sub(u.LastSeen) / time.Second)
		env.Conversations = u.Conversations
		if loc := e.userZone(u.Attributes["default_timezone"]); loc != nil {
			env.Time = now.In(loc)
		}
	}
	if th != nil {
		env.Messages = th.Messages
		env.Agent = th.Mode == store.ModeAgent
	}
	e.auto.mu.Lock()
	if w := e.auto.watch[d.sessionID]; w != nil {
		env.PageViews = w.views
		if w.page.URL != "" {
			env.Page = pageMap(w.page)
			env.TimeOnPage = int(now.Sub(w.landed) / time.Second)
		}
	}
	e.auto.mu.Unlock()
	return env
}

// pageMap is a page as conditions see it.
func pageMap(p Page) map[string]string {
	m := map[string]string{"url": p.URL, "title": p.Title, "referrer": p.Referrer}
	if u, err := url.Parse(p.URL); err == nil {
		m["host"], m["path"], m["query"] = u.Host, pathOf(p.URL), u.RawQuery
	}
	return m
}

// segmentNames returns the names of the segments u belongs to: explicit
// memberships and saved filters u matches.
func segmentNames(u *store.User, set *autoSet) []string {
	names := []string{}
	for _, id := range u.Segments {
		if s, ok := set.segments[id]; ok {
			names = append(names, s.Name)
		}
	}
	for _, s := range set.segments {
		if s.Filter != nil {
			q := s.Filter.Query()
			if q.Matches(u) {
				names = append(names, s.Name)
			}
		}
	}
	return names
}

// conditionZone is the zone whose time of day a condition reads: the
// bot's timezone setting, else the user's default_timezone, else UTC;
// never the process's local zone.
func (e *Engine) conditionZone(cb *compiled, user map[string]string) *time.Location {
	if loc := cb.bot.Settings.TimeZone; loc != nil {
		return loc
	}
	if loc := e.userZone(user["default_timezone"]); loc != nil {
		return loc
	}
	return time.UTC
}

// botZone is the zone of automated messages' schedules and of their
// conditions for a user without a default_timezone: WithTimeZone's, else
// the bot's timezone setting, else UTC.
func (e *Engine) botZone() *time.Location {
	if e.zone != nil {
		return e.zone
	}
	if loc := e.bot.Load().bot.Settings.TimeZone; loc != nil {
		return loc
	}
	return time.UTC
}

// userZone returns the location of a user's default_timezone: an IANA
// name ("Europe/Rome") or an offset in hours from UTC ("+2", "-5.5"); nil
// if there is none or it is not understood.
func (e *Engine) userZone(tz string) *time.Location {
	if tz == "" {
		return nil
	}
	if v, ok := e.auto.zones.Load(tz); ok {
		loc, _ := v.(*time.Location)
		return loc
	}
	var loc *time.Location
	if h, err := strconv.ParseFloat(strings.TrimPrefix(tz, "UTC"), 64); err == nil && h >= -14 && h <= 14 {
		loc = time.FixedZone("UTC"+tz, int(h*3600))
	} else if l, err := time.LoadLocation(tz); err == nil && tz != "Local" {
		loc = l
	}
	e.auto.zones.Store(tz, loc)
	return loc
}

// watched returns the session's watch, made if needed. a.mu is held.
func (a *automation) watched(sessionID string) *watched {
	if a.watch == nil {
		a.watch = map[string]*watched{}
	}
	w := a.watch[sessionID]
	if w == nil {
		if len(a.watch) >= maxWatched {
			a.forgetOldest()
		}
		w = &watched{firedFor: map[string]bool{}}
		a.watch[sessionID] = w
	}
	return w
}

// forgetOldest forgets the tenth of the watched sessions quiet the
// longest. a.mu is held.
func (a *automation) forgetOldest() {
	times := make([]time.Time, 0, len(a.watch))
	for _, w := range a.watch {
		times = append(times, w.active)
	}
	slices.SortFunc(times, func(x, y time.Time) int { return x.Compare(y) })
	cut := times[len(times)/10]
	for id, w := range a.watch {
		if !w.active.After(cut) {
			delete(a.watch, id)
		}
	}
}

// afterTurn notes a session's turn for idle triggers and its user's
// company, and sends what a conversation's start triggers.
func (e *Engine) afterTurn(ctx context.Context, sessionID, userID string, started bool) {
	e.noteLead(ctx, Visitor{SessionID: sessionID}, userID, false, "")
	set, err := e.autoMessages(ctx)
	if err != nil {
		e.log.Warn("engine: automated messages", "err", err)
		return
	}
	if len(set.idle) > 0 || len(set.pageLater) > 0 {
		now := e.now()
		e.auto.mu.Lock()
		w := e.auto.watched(sessionID)
		if userID != "" {
			w.userID = userID
		}
		w.active = now
		for id := range w.firedFor {
			if !strings.HasPrefix(id, "page:") {
				delete(w.firedFor, id)
			}
		}
		e.auto.mu.Unlock()
	}
	if started && len(set.start) > 0 {
		if _, err := e.automate(ctx, set.start, occasion{sessionID: sessionID, userID: userID, event: store.OnStart}); err != nil {
			e.log.Warn("engine: automated message at the start of a conversation", "session", sessionID, "err", err)
		}
	}
}

// Tick sends the automated messages that time triggers, as of the
// engine's clock: to sessions that have been on a page or quiet long
// enough, and to the users a due schedule reaches. RunAutomations calls
// it every second; a host with a clock of its own may call it instead.
// It returns the number of messages sent.
func (e *Engine) Tick(ctx context.Context) (int, error) {
	set, err := e.autoMessages(ctx)
	if err != nil {
		return 0, err
	}
	now := e.now()
	type due struct {
		sessionID, threadID, userID, event string
		cands                              []*autoMsg
	}
	var dues []due
	e.auto.mu.Lock()
	for id, w := range e.auto.watch {
		if now.Sub(w.active) > store.MaxTriggerAfter+time.Minute {
			delete(e.auto.watch, id)
			continue
		}
		var pageCands, idleCands []*autoMsg
		if w.page.URL != "" {
			for _, m := range set.pageLater {
				key := "page:" + m.ID
				if !w.firedFor[key] && now.Sub(w.landed) >= m.Trigger.After {
					w.firedFor[key] = true
					pageCands = append(pageCands, m)
				}
			}
		}
		for _, m := range set.idle {
			key := "idle:" + m.ID
			if !w.firedFor[key] && now.Sub(w.active) >= m.Trigger.After {
				w.firedFor[key] = true
				idleCands = append(idleCands, m)
			}
		}
		if pageCands != nil {
			dues = append(dues, due{id, w.threadID, w.userID, store.OnPageView, pageCands})
		}
		if idleCands != nil {
			dues = append(dues, due{id, w.threadID, w.userID, store.OnIdle, idleCands})
		}
	}
	e.auto.mu.Unlock()
	n := 0
	var errs []error
	for _, d := range dues {
		msgs, err := e.automate(ctx, d.cands, occasion{sessionID: d.sessionID, threadID: d.threadID, userID: d.userID, event: d.event})
		if err != nil {
			errs = append(errs, err)
		}
		if len(msgs) > 0 {
			n++
		}
	}
	if len(set.meeting) > 0 {
		sent, err := e.remind(ctx, set.meeting, now)
		n += sent
		if err != nil {
			errs = append(errs, err)
		}
	}
	for _, m := range set.schedule {
		firing := e.firing(&m.Trigger, now)
		if firing.IsZero() || firing.Before(m.UpdatedAt) {
			continue // none due, or due before the message was saved
		}
		key := m.ID + "@" + strconv.FormatInt(firing.Unix(), 10)
		e.auto.mu.Lock()
		done := e.auto.ran[key]
		if !done {
			if e.auto.ran == nil {
				e.auto.ran = map[string]bool{}
			}
			e.auto.ran[key] = true
		}
		e.auto.mu.Unlock()
		if done {
			continue
		}
		sent, err := e.runSchedule(ctx, m, firing)
		n += sent
		if err != nil {
			errs = append(errs, err)
		}
	}
	return n, errors.Join(errs...)
}

// firing returns the time of t's firing due at now, or zero if none is:
// At, or today's Daily, if passed less than a day ago.
func (e *Engine) firing(t *store.Trigger, now time.Time) time.Time {
	if !t.At.IsZero() {
		if !t.At.After(now) && now.Sub(t.At) < 24*time.Hour {
			return t.At
		}
		return time.Time{}
	}
	h, m, err := store.ParseDaily(t.Daily)
	if err != nil {
		return time.Time{}
	}
	zone := e.botZone()
	local := now.In(zone)
	f := time.Date(local.Year(), local.Month(), local.Day(), h, m, 0, 0, zone)
	if f.After(now) {
		f = f.AddDate(0, 0, -1)
	}
	if len(t.Days) > 0 && !slices.Contains(t.Days, weekdayName(f.Weekday())) {
		return time.Time{}
	}
	return f
}

func weekdayName(d time.Weekday) string { return strings.ToLower(d.String()) }

// runSchedule sends m to every user it reaches at its firing, and returns
// how many it was sent to.
func (e *Engine) runSchedule(ctx context.Context, m *autoMsg, firing time.Time) (int, error) {
	// A condition that reads only the user is decided before reading the
	// user's session.
	userOnly := m.cond == nil || !(m.cond.Uses("session") || m.cond.Uses("messages") || m.cond.Uses("agent") ||
		m.cond.Uses("sent") || m.cond.Uses("page") || m.cond.Uses("time_on_page") || m.cond.Uses("page_views") || usesVisits(m.cond) || m.cond.Uses("meeting") || m.cond.Uses("meeting_in"))
	set, err := e.autoMessages(ctx)
	if err != nil {
		return 0, err
	}
	now := e.now()
	n := 0
	q := store.UserQuery{Order: store.Asc, Limit: store.MaxPageSize}
	for {
		page, err := e.st.ListUsers(ctx, q)
		if err != nil {
			return n, fmt.Errorf("engine: schedule of automated message %s: %w", m.ID, err)
		}
		for i := range page.Users {
			u := &page.Users[i]
			if u.Banned {
				continue
			}
			d := occasion{sessionID: sessionOf(u), userID: u.ID, user: u, event: store.OnSchedule, firing: firing}
			if userOnly && m.cond != nil {
				env := e.autoEnv(u, &store.Session{}, nil, d, now)
				if m.cond.Uses("segments") {
					env.Segments = segmentNames(u, set)
				}
				if ok, _ := m.cond.Eval(env); !ok {
					continue
				}
			}
			msgs, err := e.automate(ctx, []*autoMsg{m}, d)
			if err != nil {
				e.log.Warn("engine: scheduled automated message", "id", m.ID, "user", u.ID, "err", err)
				continue
			}
			if len(msgs) > 0 {
				n++
			}
		}
		if page.Next == "" {
			return n, nil
		}
		q.After = page.Next
	}
}

// RunAutomations calls Tick every second, and SyncQA every AutoRefresh,
// until ctx is done, logging their errors, and then returns ctx's error. A
// program serving a bot runs it in a goroutine of its own.
func (e *Engine) RunAutomations(ctx context.Context) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	sync := time.NewTicker(AutoRefresh)
	defer sync.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
			if _, err := e.Tick(ctx); err != nil && ctx.Err() == nil {
				e.log.Warn("engine: automated messages", "err", err)
			}
		case <-sync.C:
			if err := e.SyncQA(ctx); err != nil && ctx.Err() == nil {
				e.log.Warn("engine: stored Q&A", "err", err)
			}
		}
	}
}

// declaredMessages returns the automated messages bot declares, as the
// store keeps them, checked.
func declaredMessages(bot *story.Bot) ([]store.AutomatedMessage, error) {
	var out []store.AutomatedMessage
	for _, d := range bot.AutomatedMessages {
		m := store.AutomatedMessage{Name: d.Name, Disabled: d.Disabled, Repeat: d.Repeat, MaxTimes: d.MaxTimes,
			MinInterval: d.MinInterval, DuringAgent: d.DuringAgent, Priority: d.Priority, Text: d.Text,
			QuickReplies: d.QuickReplies,
			Trigger:      store.Trigger{On: d.On, Event: d.Event, After: d.After, At: d.At, Daily: d.Daily, Days: d.Days}}
		if d.Condition != nil {
			m.Condition = d.Condition.String()
		}
		if d.Goto != nil {
			m.Goto = d.Goto.ID
		}
		if err := store.CheckAutomatedMessage(&m); err != nil {
			return nil, fmt.Errorf("engine: %s:%d: automated message %q: %w", d.Pos.File, d.Pos.Line, d.Name, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// seedAutomated stores the declared messages that no stored message has
// the name of: the stored ones win, so that operators may change or
// disable a declared message while the bot runs.
func (e *Engine) seedAutomated(ctx context.Context, declared []store.AutomatedMessage) error {
	if len(declared) == 0 {
		return nil
	}
	stored, err := e.st.AutomatedMessages(ctx)
	if err != nil {
		return fmt.Errorf("engine: automated messages: %w", err)
	}
	for _, m := range declared {
		if slices.ContainsFunc(stored, func(s store.AutomatedMessage) bool { return s.Name == m.Name }) {
			continue
		}
		if _, err := e.st.SaveAutomatedMessage(ctx, m); err != nil {
			return fmt.Errorf("engine: automated message %q: %w", m.Name, err)
		}
	}
	e.auto.set.Store(nil)
	return nil
}

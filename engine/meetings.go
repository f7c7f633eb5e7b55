package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

// Meetings (Userbot's meetings): a meeting is a time slot with a status,
// asked for by a bot's meeting action (requested) or booked and declined
// through the API (meetings.schedule, meetings.decline). The host's
// Calendar hears of every change before it is stored, and may refuse it
// (the slot is taken) or give its event's id. Automated messages remind
// of scheduled meetings: a store.OnMeeting trigger fires its After before
// a meeting starts, and every condition may read the user's next meeting.

// ErrCalendar is returned, wrapped, when the host's Calendar refuses a
// change of a meeting (the slot is taken, the calendar is down); nothing
// is stored.
var ErrCalendar = errors.New("engine: the calendar refused the meeting")

// A Calendar is the host's calendar. The engine calls Meeting with every
// change of a meeting (new, rescheduled, declined), checked and not yet
// stored: an error refuses the change, and the id it returns (or the one
// the meeting had, if "") is kept as the meeting's EventID. Implementations
// are called from many goroutines at once.
type Calendar interface {
	Meeting(ctx context.Context, m store.Meeting) (eventID string, err error)
}

// WithCalendar sets the host's calendar. By default meetings are only
// stored.
func WithCalendar(c Calendar) Option {
	return func(cfg *config) error {
		if c == nil {
			return errors.New("engine: WithCalendar: nil calendar")
		}
		cfg.calendar = c
		return nil
	}
}

// ScheduleMeeting books a meeting (Userbot's meetings.schedule): a new one
// when m.ID is "", else the meeting with that ID, moved to m's Start and
// End if given and its other fields replaced where m gives them. Its
// status becomes scheduled. m.UserID may be a userId or a store id. It
// returns the meeting as stored.
func (e *Engine) ScheduleMeeting(ctx context.Context, m store.Meeting) (store.Meeting, error) {
	return e.changeMeeting(ctx, m, store.MeetingScheduled)
}

// RequestMeeting records a meeting a user asks for, as ScheduleMeeting
// does but with the status requested: what a bot's meeting action does.
func (e *Engine) RequestMeeting(ctx context.Context, m store.Meeting) (store.Meeting, error) {
	return e.changeMeeting(ctx, m, store.MeetingRequested)
}

// DeclineMeeting records that a meeting will not happen (Userbot's
// meetings.decline): the meeting m.ID names, its other fields replaced
// where m gives them (notes saying why, say), or, when m.ID is "", a new
// meeting the user did not book.
func (e *Engine) DeclineMeeting(ctx context.Context, m store.Meeting) (store.Meeting, error) {
	return e.changeMeeting(ctx, m, store.MeetingDeclined)
}

// Meetings returns one page of meetings by start time. q.UserID may be a
// userId or a store id.
func (e *Engine) Meetings(ctx context.Context, q store.MeetingQuery) (store.MeetingPage, error) {
	if q.UserID != "" {
		u, err := e.findUser(ctx, q.UserID)
		if err != nil {
			return store.MeetingPage{}, &NotFoundError{Field: "userId", Err: store.ErrNotFound}
		}
		q.UserID = u.ID
	}
	p, err := e.st.ListMeetings(ctx, q)
	if err != nil {
		return p, fmt.Errorf("engine: meetings: %w", err)
	}
	return p, nil
}

// changeMeeting merges m into the meeting it names (if any), gives it the
// status, asks the calendar and stores it.
func (e *Engine) changeMeeting(ctx context.Context, m store.Meeting, status string) (store.Meeting, error) {
	if m.UserID != "" {
		u, err := e.findUser(ctx, m.UserID)
		if err != nil {
			return store.Meeting{}, &NotFoundError{Field: "userId", Err: store.ErrNotFound}
		}
		m.UserID = u.ID
	}
	if m.ID != "" {
		if err := store.CheckID("id", m.ID); err != nil {
			return store.Meeting{}, err
		}
		old, err := e.st.Meeting(ctx, m.ID)
		if errors.Is(err, store.ErrNotFound) {
			return store.Meeting{}, &NotFoundError{Field: "id", Err: store.ErrNotFound}
		}
		if err != nil {
			return store.Meeting{}, fmt.Errorf("engine: meeting: %w", err)
		}
		m = mergeMeeting(old, m)
	}
	m.Status = status
	if err := store.CheckMeeting(&m); err != nil {
		return store.Meeting{}, err
	}
	if e.calendar != nil {
		id, err := e.book(ctx, m)
		if err != nil {
			return store.Meeting{}, fmt.Errorf("%w: %w", ErrCalendar, err)
		}
		if id != "" {
			m.EventID = id
		}
	}
	out, err := e.st.SaveMeeting(ctx, m)
	if errors.Is(err, store.ErrNotFound) {
		return store.Meeting{}, &NotFoundError{Field: "userId", Err: store.ErrNotFound}
	}
	if err != nil {
		return store.Meeting{}, fmt.Errorf("engine: meeting: %w", err)
	}
	return out, nil
}

// mergeMeeting returns old with what m gives.
func mergeMeeting(old, m store.Meeting) store.Meeting {
	for _, f := range []struct{ dst, src *string }{
		{&old.UserID, &m.UserID}, {&old.SessionID, &m.SessionID}, {&old.ThreadID, &m.ThreadID},
		{&old.Title, &m.Title}, {&old.Notes, &m.Notes}, {&old.EventID, &m.EventID},
	} {
		if *f.src != "" {
			*f.dst = *f.src
		}
	}
	if !m.Start.IsZero() {
		length := old.End.Sub(old.Start)
		old.Start, old.End = m.Start, m.Start.Add(length)
	}
	if !m.End.IsZero() {
		old.End = m.End
	}
	return old
}

func (e *Engine) book(ctx context.Context, m store.Meeting) (id string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("engine: calendar panicked: %v", r)
		}
	}()
	return e.calendar.Meeting(ctx, m)
}

// meetingRequest is a meeting a turn's meeting action asks for, recorded
// after the turn commits.
type meetingRequest struct {
	title, start, notes string
	length              time.Duration
	at                  story.Pos
}

// requestMeetings records the meetings a committed turn asked for; a
// start that is not a time is logged and the meeting left out.
func (e *Engine) requestMeetings(ctx context.Context, reqs []meetingRequest, t *store.Turn) {
	var zone *time.Location
	if t.User != nil {
		zone = e.userZone(t.User.Attributes["default_timezone"])
	}
	if zone == nil {
		zone = e.botZone()
	}
	for _, r := range reqs {
		start, err := parseMeetingStart(r.start, zone)
		if err != nil {
			e.log.Warn("engine: meeting action: start is not a time", "at", fmt.Sprintf("%s:%d:%d", r.at.File, r.at.Line, r.at.Col), "start", r.start)
			continue
		}
		m := store.Meeting{SessionID: t.Session.ID, Title: r.title, Notes: r.notes, Start: start, End: start.Add(r.length)}
		if t.User != nil {
			m.UserID = t.User.ID
		}
		if t.Thread != nil {
			m.ThreadID = t.Thread.ID
		}
		if _, err := e.RequestMeeting(ctx, m); err != nil {
			e.log.Warn("engine: meeting action", "at", fmt.Sprintf("%s:%d:%d", r.at.File, r.at.Line, r.at.Col), "err", err)
		}
	}
}

// parseMeetingStart reads an RFC 3339 time, or a local "2006-01-02 15:04"
// (or with a T) in zone.
func parseMeetingStart(s string, zone *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time", s)
}

// setMeetingEnv fills what conditions see of meeting m.
func setMeetingEnv(env *story.AutomationEnv, m *store.Meeting, now time.Time) {
	env.Meeting = map[string]string{"id": m.ID, "title": m.Title, "start": m.Start.UTC().Format(time.RFC3339), "status": m.Status}
	env.MeetingIn = max(0, int(m.Start.Sub(now)/time.Second))
}

// meetingEnv fills what conditions see of the user's next scheduled
// meeting.
func (e *Engine) meetingEnv(ctx context.Context, env *story.AutomationEnv, u *store.User, now time.Time) error {
	env.Meeting, env.MeetingIn = map[string]string{}, -1
	if u == nil {
		return nil
	}
	p, err := e.st.ListMeetings(ctx, store.MeetingQuery{From: now, UserID: u.ID, Status: store.MeetingScheduled, Limit: 1})
	if err != nil {
		return err
	}
	if len(p.Meetings) > 0 {
		setMeetingEnv(env, &p.Meetings[0], now)
	}
	return nil
}

// remindGrace is how late a reminder may still go out: a meeting that
// started less than this ago still gets the reminders due at its start.
const remindGrace = time.Minute

// remind sends the reminders (automated messages triggered by meetings)
// that are due at now, each once per meeting, and returns how many it
// sent.
func (e *Engine) remind(ctx context.Context, msgs []*autoMsg, now time.Time) (int, error) {
	var ahead time.Duration
	for _, m := range msgs {
		ahead = max(ahead, m.Trigger.After)
	}
	q := store.MeetingQuery{From: now.Add(-remindGrace), To: now.Add(ahead + time.Second), Status: store.MeetingScheduled, Limit: store.MaxMeetingPage}
	n := 0
	var errs []error
	e.auto.mu.Lock()
	for k, start := range e.auto.reminded {
		if now.Sub(start) > 24*time.Hour {
			delete(e.auto.reminded, k)
		}
	}
	e.auto.mu.Unlock()
	for {
		page, err := e.st.ListMeetings(ctx, q)
		if err != nil {
			return n, fmt.Errorf("engine: meeting reminders: %w", err)
		}
		for i := range page.Meetings {
			mt := &page.Meetings[i]
			var cands []*autoMsg
			var firing time.Time
			e.auto.mu.Lock()
			for _, m := range msgs {
				key := m.ID + "@" + mt.ID
				due := mt.Start.Add(-m.Trigger.After)
				if now.Before(due) || e.auto.reminded[key] != (time.Time{}) {
					continue
				}
				if e.auto.reminded == nil {
					e.auto.reminded = map[string]time.Time{}
				}
				e.auto.reminded[key] = mt.Start
				cands = append(cands, m)
				if firing.IsZero() || due.Before(firing) {
					firing = due
				}
			}
			e.auto.mu.Unlock()
			if len(cands) == 0 {
				continue
			}
			d := occasion{sessionID: mt.SessionID, threadID: mt.ThreadID, userID: mt.UserID, event: store.OnMeeting, firing: firing, meeting: mt}
			if d.sessionID == "" {
				u, err := e.st.User(ctx, mt.UserID)
				if err != nil {
					continue // a meeting without a conversation, of a user deleted meanwhile
				}
				d.sessionID, d.user = sessionOf(&u), &u
			}
			sent, err := e.automate(ctx, cands, d)
			if err != nil {
				errs = append(errs, err)
			}
			if len(sent) > 0 {
				n++
			}
		}
		if page.Next == "" {
			return n, errors.Join(errs...)
		}
		q.After = page.Next
	}
}

// CalendarRequest is the body HTTPCalendar posts: the meeting as it is to
// be stored (its id "" if new; times in RFC 3339, UTC).
type CalendarRequest struct {
	Event   string          `json:"event"` // "MEETING"
	Meeting CalendarMeeting `json:"meeting"`
}

// CalendarMeeting is a meeting in a CalendarRequest.
type CalendarMeeting struct {
	ID        string `json:"id"`
	UserID    string `json:"userId"`
	SessionID string `json:"sessionId"`
	ThreadID  string `json:"threadId"`
	Title     string `json:"title"`
	Start     string `json:"start"`
	End       string `json:"end"`
	Status    string `json:"status"`
	Notes     string `json:"notes"`
	EventID   string `json:"eventId"`
}

// HTTPCalendar returns a Calendar that posts each change of a meeting to
// rawURL as a CalendarRequest, signed like the webhooks (token in
// X-WEBHOOK-TOKEN, X-Webhook-Signature), and waits up to timeout (0:
// DefaultWebhookTimeout) with client (nil: a new one). A 2xx answer
// accepts the change, with {"eventId": "..."} to name the calendar's
// event; any other answer, or none, refuses it.
func HTTPCalendar(rawURL, token string, timeout time.Duration, client *http.Client) (Calendar, error) {
	p, err := newPoster(rawURL, token, "parley-calendar", timeout, client)
	if err != nil {
		return nil, err
	}
	return &httpCalendar{p}, nil
}

type httpCalendar struct{ *poster }

func (c *httpCalendar) Meeting(ctx context.Context, m store.Meeting) (string, error) {
	body, err := json.Marshal(CalendarRequest{Event: "MEETING", Meeting: CalendarMeeting{ID: m.ID, UserID: m.UserID, SessionID: m.SessionID,
		ThreadID: m.ThreadID, Title: m.Title, Start: m.Start.UTC().Format(time.RFC3339), End: m.End.UTC().Format(time.RFC3339),
		Status: m.Status, Notes: m.Notes, EventID: m.EventID}})
	if err != nil {
		return "", err
	}
	b, err := c.post(ctx, body)
	if err != nil {
		return "", err
	}
	var answer struct {
		EventID string `json:"eventId"`
	}
	if len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, &answer); err != nil || len(answer.EventID) > store.MaxEventID {
			return "", fmt.Errorf("%w: the calendar's answer is not {\"eventId\": \"...\"} (up to %d characters)", ErrWebhookFailed, store.MaxEventID)
		}
	}
	return answer.EventID, nil
}

package httpadapter

import (
	"time"

	"github.com/parleybot/parley/store"
)

// Meeting is a meeting in the replies of Userbot's meetings operations.
type Meeting struct {
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
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

func meeting(m *store.Meeting) Meeting {
	return Meeting{ID: m.ID, UserID: m.UserID, SessionID: m.SessionID, ThreadID: m.ThreadID, Title: m.Title,
		Start: stamp(m.Start), End: stamp(m.End), Status: m.Status, Notes: m.Notes, EventID: m.EventID,
		CreatedAt: stamp(m.CreatedAt), UpdatedAt: stamp(m.UpdatedAt)}
}

// meetingChange is the payload of meetings.schedule and meetings.decline:
// a new meeting, or (with an id) what changes of one. Times are RFC 3339;
// minutes, instead of end, gives the length.
type meetingChange struct {
	ID        string `json:"id"`
	UserID    string `json:"userId"`
	SessionID string `json:"sessionId"`
	ThreadID  string `json:"threadId"`
	Title     string `json:"title"`
	Start     string `json:"start"`
	End       string `json:"end"`
	Minutes   int    `json:"minutes"`
	Notes     string `json:"notes"`
	EventID   string `json:"eventId"`
}

func (p *meetingChange) meeting() (store.Meeting, error) {
	m := store.Meeting{ID: p.ID, UserID: p.UserID, SessionID: p.SessionID, ThreadID: p.ThreadID, Title: p.Title, Notes: p.Notes, EventID: p.EventID}
	var err error
	if m.Start, err = optionalTime("start", p.Start); err != nil {
		return m, err
	}
	if m.End, err = optionalTime("end", p.End); err != nil {
		return m, err
	}
	if p.Minutes != 0 {
		if p.End != "" || p.Minutes < 1 || p.Minutes > int(store.MaxMeetingLength/time.Minute) {
			return m, badRequest("minutes", "must be 1 to 1440, without end")
		}
		if m.Start.IsZero() {
			return m, badRequest("minutes", "needs a start")
		}
		m.End = m.Start.Add(time.Duration(p.Minutes) * time.Minute)
	}
	return m, nil
}

func opMeetingSchedule(c *opCall) (any, error) { return c.changeMeeting(false) }
func opMeetingDecline(c *opCall) (any, error)  { return c.changeMeeting(true) }

// changeMeeting is meetings.schedule and meetings.decline: the meeting as
// stored.
func (c *opCall) changeMeeting(decline bool) (any, error) {
	var p meetingChange
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	m, err := p.meeting()
	if err != nil {
		return nil, err
	}
	if decline {
		m, err = c.eng.DeclineMeeting(c.ctx, m)
	} else {
		m, err = c.eng.ScheduleMeeting(c.ctx, m)
	}
	if err != nil {
		return nil, err
	}
	return map[string]any{"meeting": meeting(&m)}, nil
}

// opMeetings is meetings.list (Parley's) {"from","to","userId","status",
// "limit","after"}: meetings by start time.
func opMeetings(c *opCall) (any, error) {
	var p struct {
		From   string `json:"from"`
		To     string `json:"to"`
		UserID string `json:"userId"`
		Status string `json:"status"`
		Limit  int    `json:"limit"`
		After  string `json:"after"`
	}
	if err := c.payload(&p, false); err != nil {
		return nil, err
	}
	q := store.MeetingQuery{UserID: p.UserID, Status: p.Status, Limit: p.Limit, After: p.After}
	var err error
	if q.From, err = optionalTime("from", p.From); err != nil {
		return nil, err
	}
	if q.To, err = optionalTime("to", p.To); err != nil {
		return nil, err
	}
	page, err := c.eng.Meetings(c.ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]Meeting, len(page.Meetings))
	for i := range page.Meetings {
		out[i] = meeting(&page.Meetings[i])
	}
	return map[string]any{"meetings": out, "next": page.Next}, nil
}

// optionalTime reads an RFC 3339 time, zero if s is "".
func optionalTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, badRequest(field, "must be an RFC 3339 time")
	}
	return t, nil
}

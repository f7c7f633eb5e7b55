package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// calendar is a host calendar that books free slots and refuses taken
// ones.
type calendar struct {
	mu    sync.Mutex
	taken map[time.Time]bool
	calls []string
}

func (c *calendar) Meeting(_ context.Context, m store.Meeting) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, m.Status+" "+m.Title)
	if m.Status != store.MeetingDeclined && c.taken[m.Start] {
		return "", errors.New("slot taken")
	}
	if m.Title == "panic" {
		panic("calendar bug")
	}
	return "evt-" + m.Start.Format("1504"), nil
}

const meetingBot = `
stories:
  - name: Sales
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hi"}]}
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
      - name: Demo
        says: [book a demo]
        parameters:
          - {name: slot, entity: sys.any, required: true, prompts: ["When? (YYYY-MM-DD HH:MM)"]}
        responses:
          - meeting: {title: "Demo for {{default_name|you}}", start: "{{slot}}", minutes: 45, notes: "asked in chat"}
          - text: "I asked for a demo at {{slot}}."
`

func TestMeetingAction(t *testing.T) {
	ctx := context.Background()
	cal := &calendar{}
	e := newBotEngine(t, meetingBot, engine.WithCalendar(cal)).e
	if _, err := e.CreateUser(ctx, store.User{UserID: "ann", Attributes: map[string]string{"default_name": "Ann", "default_timezone": "Europe/Rome"}}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"book a demo", "2026-03-16 10:00"} {
		if _, err := e.Chat(ctx, engine.Request{SessionID: "session-ann-01", UserID: "ann", Query: q}); err != nil {
			t.Fatal(err)
		}
	}
	// A start that is no time asks for nothing.
	for _, q := range []string{"book a demo", "tomorrow-ish"} {
		if _, err := e.Chat(ctx, engine.Request{SessionID: "session-ann-02", UserID: "ann", Query: q}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := e.Meetings(ctx, store.MeetingQuery{UserID: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Meetings) != 1 {
		t.Fatalf("meetings: got %+v, want 1", p.Meetings)
	}
	m := p.Meetings[0]
	rome, _ := time.LoadLocation("Europe/Rome")
	want := time.Date(2026, 3, 16, 10, 0, 0, 0, rome)
	if m.Title != "Demo for Ann" || !m.Start.Equal(want) || m.End.Sub(m.Start) != 45*time.Minute || m.Status != store.MeetingRequested ||
		m.SessionID != "session-ann-01" || m.ThreadID == "" || m.Notes != "asked in chat" || m.EventID != "evt-1000" {
		t.Errorf("meeting: got %+v", m)
	}

	// An operator books it, another slot being taken; then it is declined.
	cal.taken = map[time.Time]bool{want.Add(time.Hour): true}
	if _, err := e.ScheduleMeeting(ctx, store.Meeting{ID: m.ID, Start: want.Add(time.Hour)}); !errors.Is(err, engine.ErrCalendar) {
		t.Errorf("a taken slot: got %v, want ErrCalendar", err)
	}
	if got, _ := e.Meetings(ctx, store.MeetingQuery{}); got.Meetings[0].Status != store.MeetingRequested {
		t.Errorf("after a refused change: got %+v", got.Meetings[0])
	}
	booked, err := e.ScheduleMeeting(ctx, store.Meeting{ID: m.ID, Start: want.Add(2 * time.Hour)})
	if err != nil || booked.Status != store.MeetingScheduled || booked.End.Sub(booked.Start) != 45*time.Minute || booked.Title != "Demo for Ann" {
		t.Errorf("ScheduleMeeting: got %+v, %v", booked, err)
	}
	declined, err := e.DeclineMeeting(ctx, store.Meeting{ID: m.ID, Notes: "the customer cancelled"})
	if err != nil || declined.Status != store.MeetingDeclined || declined.Notes != "the customer cancelled" {
		t.Errorf("DeclineMeeting: got %+v, %v", declined, err)
	}
	if _, err := e.ScheduleMeeting(ctx, store.Meeting{Title: "panic", Start: want, End: want.Add(time.Hour)}); !errors.Is(err, engine.ErrCalendar) {
		t.Errorf("a calendar that panics: got %v", err)
	}
	if _, err := e.DeclineMeeting(ctx, store.Meeting{ID: "0123456789abcdef01234567"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("decline unknown: got %v", err)
	}
	if _, err := e.ScheduleMeeting(ctx, store.Meeting{UserID: "nobody", Title: "x", Start: want, End: want.Add(time.Hour)}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("schedule for nobody: got %v", err)
	}
	var fe *store.FieldError
	if _, err := e.ScheduleMeeting(ctx, store.Meeting{Title: "x", Start: want}); !errors.As(err, &fe) || fe.Field != "end" {
		t.Errorf("no end: got %v", err)
	}
}

// TestMeetingReminder: an automated message reminds of a scheduled
// meeting an hour before it, in the meeting's conversation, once per
// meeting; another condition reads the user's next meeting.
func TestMeetingReminder(t *testing.T) {
	ctx := context.Background()
	a := newAutoEngine(t)
	ann := a.user("ann", nil)
	a.chat("session-ann-01", "ann", "hi")
	a.save(store.AutomatedMessage{Name: "reminder", Trigger: store.Trigger{On: store.OnMeeting, After: time.Hour},
		Condition: `meeting.title == "Demo" && meeting_in <= 3600`, Text: "Your demo starts within the hour.", Repeat: store.RepeatAlways})
	a.save(store.AutomatedMessage{Name: "soon", Trigger: store.Trigger{On: store.OnEvent, Event: "ping"},
		Condition: `meeting_in > 0 && meeting_in < 86400`, Text: "See you soon!"})
	now := a.clk.Now()
	for _, start := range []time.Time{now.Add(2 * time.Hour), now.Add(5 * time.Hour)} {
		if _, err := a.e.ScheduleMeeting(ctx, store.Meeting{UserID: "ann", SessionID: "session-ann-01", Title: "Demo", Start: start, End: start.Add(30 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	a.tick()
	a.want("two hours before", "")
	a.notify("", ann.ID, "ping")
	a.want("a condition on the next meeting", "session-ann-01: See you soon!")
	a.clk.Advance(time.Hour)
	a.tick()
	a.want("an hour before", "session-ann-01: Your demo starts within the hour.")
	a.clk.Advance(time.Minute)
	a.tick()
	a.want("again", "")
	a.clk.Advance(3 * time.Hour)
	a.tick()
	a.want("the second meeting", "session-ann-01: Your demo starts within the hour.")
}

// TestHTTPCalendar: the calendar service gets each change signed, names
// its event, and refuses a taken slot or answers nonsense.
func TestHTTPCalendar(t *testing.T) {
	var got []engine.CalendarRequest
	var mu sync.Mutex
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var c engine.CalendarRequest
		json.Unmarshal(body, &c)
		mu.Lock()
		got = append(got, c)
		mu.Unlock()
		switch {
		case r.Header.Get(engine.HeaderSignature) != engine.Sign("cal-secret", body):
			w.WriteHeader(http.StatusUnauthorized)
		case c.Meeting.Title == "taken":
			w.WriteHeader(http.StatusConflict)
		case c.Meeting.Title == "nonsense":
			w.Write([]byte(`[1, 2]`))
		default:
			w.Write([]byte(`{"eventId": "evt-` + c.Meeting.Start + `"}`))
		}
	}))
	defer svc.Close()
	cal, err := engine.HTTPCalendar(svc.URL, "cal-secret", time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := newBotEngine(t, meetingBot, engine.WithCalendar(cal)).e
	ctx := context.Background()
	start := time.Date(2030, 3, 16, 10, 0, 0, 0, time.UTC)
	m, err := e.ScheduleMeeting(ctx, store.Meeting{Title: "Demo", Start: start, End: start.Add(time.Hour)})
	if err != nil || m.EventID != "evt-2030-03-16T10:00:00Z" {
		t.Errorf("booked: got %+v, %v", m, err)
	}
	for _, title := range []string{"taken", "nonsense"} {
		if _, err := e.ScheduleMeeting(ctx, store.Meeting{Title: title, Start: start, End: start.Add(time.Hour)}); !errors.Is(err, engine.ErrCalendar) {
			t.Errorf("%s: got %v, want ErrCalendar", title, err)
		}
	}
	if p, _ := e.Meetings(ctx, store.MeetingQuery{}); len(p.Meetings) != 1 {
		t.Errorf("stored: got %d meetings, want 1", len(p.Meetings))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 3 || got[0].Event != "MEETING" || got[0].Meeting.Status != store.MeetingScheduled || got[0].Meeting.End != "2030-03-16T11:00:00Z" {
		t.Errorf("posted: got %+v", got)
	}
	if _, err := engine.HTTPCalendar("ftp://x", "", 0, nil); err == nil {
		t.Error("HTTPCalendar(ftp://x): no error")
	}
}

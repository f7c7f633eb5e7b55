package storetest

import (
	"errors"
	"time"

	"github.com/parleybot/parley/store"
)

// testMeetings saves, replaces, reads and lists meetings by start time,
// with filters and pages, refuses bad ones, and deletes a user's with
// the user.
func testMeetings(e *env) {
	ann := e.user("ann", nil)
	bob := e.user("bob", nil)
	at := func(h int) time.Time { return start.Add(time.Duration(h) * time.Hour) }
	save := func(m store.Meeting) store.Meeting {
		e.Helper()
		out, err := e.s.SaveMeeting(ctx, m)
		if err != nil {
			e.Fatalf("SaveMeeting(%s): %v", m.Title, err)
		}
		return out
	}
	demo := save(store.Meeting{UserID: ann.ID, SessionID: "session-ann-01", ThreadID: "thread-1", Title: "Demo", Start: at(26), End: at(27), Status: store.MeetingRequested, Notes: "the team plan"})
	if !store.ValidID(demo.ID) {
		e.Errorf("ID: got %q", demo.ID)
	}
	e.equal("CreatedAt", demo.CreatedAt, start)
	call := save(store.Meeting{UserID: bob.ID, Title: "Call", Start: at(2), End: at(3), Status: store.MeetingScheduled, EventID: "evt-1"})
	save(store.Meeting{SessionID: "session-anon-1", Title: "Visit", Start: at(50), End: at(51), Status: store.MeetingRequested})

	e.clk.Advance(time.Minute)
	demo.Status, demo.Start, demo.End, demo.EventID = store.MeetingScheduled, at(1), at(2), "evt-2"
	demo.CreatedAt = time.Time{}
	got := save(demo)
	e.equal("replaced", []any{got.ID, got.CreatedAt, got.UpdatedAt}, []any{demo.ID, start, start.Add(time.Minute)})
	got, err := e.s.Meeting(ctx, demo.ID)
	if e.noErr("Meeting", err) {
		e.equal("fields", []any{got.UserID, got.SessionID, got.ThreadID, got.Title, got.Start, got.End, got.Status, got.Notes, got.EventID},
			[]any{ann.ID, "session-ann-01", "thread-1", "Demo", at(1), at(2), store.MeetingScheduled, "the team plan", "evt-2"})
	}

	list := func(q store.MeetingQuery) ([]string, string) {
		e.Helper()
		p, err := e.s.ListMeetings(ctx, q)
		if err != nil {
			e.Errorf("ListMeetings(%+v): %v", q, err)
		}
		var titles []string
		for _, m := range p.Meetings {
			titles = append(titles, m.Title)
		}
		return titles, p.Next
	}
	titles, next := list(store.MeetingQuery{})
	e.equal("by start", titles, []string{"Demo", "Call", "Visit"})
	e.equal("no next", next, "")
	titles, next = list(store.MeetingQuery{Limit: 2})
	e.equal("page 1", titles, []string{"Demo", "Call"})
	e.equal("next", next, call.ID)
	titles, next = list(store.MeetingQuery{Limit: 2, After: next})
	e.equal("page 2", titles, []string{"Visit"})
	e.equal("last page", next, "")
	titles, _ = list(store.MeetingQuery{From: at(2), To: at(50)})
	e.equal("from, to", titles, []string{"Call"})
	titles, _ = list(store.MeetingQuery{UserID: ann.ID})
	e.equal("user", titles, []string{"Demo"})
	titles, _ = list(store.MeetingQuery{Status: store.MeetingRequested})
	e.equal("status", titles, []string{"Visit"})

	for _, c := range []struct {
		field string
		edit  func(m *store.Meeting)
	}{
		{"title", func(m *store.Meeting) { m.Title = "" }},
		{"start", func(m *store.Meeting) { m.Start = time.Time{} }},
		{"end", func(m *store.Meeting) { m.End = m.Start }},
		{"end", func(m *store.Meeting) { m.End = m.Start.Add(25 * time.Hour) }},
		{"status", func(m *store.Meeting) { m.Status = "maybe" }},
		{"userId", func(m *store.Meeting) { m.UserID = "ann" }},
		{"sessionId", func(m *store.Meeting) { m.SessionID = "short" }},
		{"notes", func(m *store.Meeting) { m.Notes = string(make([]rune, 1025)) }},
	} {
		bad := store.Meeting{Title: "Bad", Start: at(5), End: at(6), Status: store.MeetingRequested}
		c.edit(&bad)
		_, err := e.s.SaveMeeting(ctx, bad)
		var fe *store.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			e.Errorf("invalid %s: got %v, want a *store.FieldError for %s", c.field, err, c.field)
		}
	}
	_, err = e.s.SaveMeeting(ctx, store.Meeting{UserID: "0123456789abcdef01234567", Title: "X", Start: at(5), End: at(6), Status: store.MeetingRequested})
	e.wantErr("unknown user", err, store.ErrNotFound)
	_, err = e.s.SaveMeeting(ctx, store.Meeting{ID: "0123456789abcdef01234567", Title: "X", Start: at(5), End: at(6), Status: store.MeetingRequested})
	e.wantErr("replace unknown", err, store.ErrNotFound)
	_, err = e.s.Meeting(ctx, "0123456789abcdef01234567")
	e.wantErr("unknown meeting", err, store.ErrNotFound)
	_, err = e.s.ListMeetings(ctx, store.MeetingQuery{Limit: 101})
	e.wantErr("limit", err, store.ErrInvalid)
	_, err = e.s.ListMeetings(ctx, store.MeetingQuery{After: "0123456789abcdef01234567"})
	e.wantErr("after unknown", err, store.ErrInvalid)
	titles, _ = list(store.MeetingQuery{})
	e.equal("after refused saves", len(titles), 3)

	e.noErr("DeleteUser", e.s.DeleteUser(ctx, ann.ID))
	_, err = e.s.Meeting(ctx, demo.ID)
	e.wantErr("meeting of a deleted user", err, store.ErrNotFound)
	titles, _ = list(store.MeetingQuery{})
	e.equal("after DeleteUser", titles, []string{"Call", "Visit"})
}

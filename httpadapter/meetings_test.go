package httpadapter_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/store"
)

// TestMeetings: an operator books, moves, declines and lists meetings on
// the socket and over REST.
func TestMeetings(t *testing.T) {
	s := newServer(t)
	if _, err := s.eng.CreateUser(context.Background(), store.User{UserID: "ann", Attributes: map[string]string{"default_name": "Ann"}}); err != nil {
		t.Fatal(err)
	}
	w := dialSocket(t, s)
	w.login()
	var got struct {
		Meeting httpadapter.Meeting `json:"meeting"`
	}
	w.ok(`meetings.schedule {"userId": "ann", "title": "Demo", "start": "2030-03-16T10:00:00Z", "minutes": 30, "notes": "team plan"}`, "meetings.schedule", &got)
	m := got.Meeting
	if m.Status != "scheduled" || m.Title != "Demo" || m.End != "2030-03-16T10:30:00.000Z" || m.Notes != "team plan" || m.ID == "" {
		t.Errorf("meetings.schedule: got %+v", m)
	}
	w.ok(`meetings.schedule {"id": "`+m.ID+`", "start": "2030-03-16T11:00:00+01:00"}`, "meetings.schedule", &got)
	if got.Meeting.Start != "2030-03-16T10:00:00.000Z" || got.Meeting.End != "2030-03-16T10:30:00.000Z" {
		t.Errorf("moved: got %+v", got.Meeting)
	}
	w.ok(`meetings.decline {"userId": "ann", "title": "Follow-up", "start": "2030-03-20T09:00:00Z", "minutes": 15}`, "meetings.decline", &got)
	if got.Meeting.Status != "declined" {
		t.Errorf("meetings.decline (new): got %+v", got.Meeting)
	}
	var list struct {
		Meetings []httpadapter.Meeting `json:"meetings"`
		Next     string                `json:"next"`
	}
	w.ok(`meetings.list {"userId": "ann", "limit": 1}`, "meetings.list", &list)
	if len(list.Meetings) != 1 || list.Meetings[0].ID != m.ID || list.Next == "" {
		t.Errorf("meetings.list: got %+v", list)
	}
	w.ok(`meetings.list {"status": "declined"}`, "meetings.list", &list)
	if len(list.Meetings) != 1 || list.Meetings[0].Title != "Follow-up" || list.Next != "" {
		t.Errorf("meetings.list declined: got %+v", list)
	}
	for _, c := range []struct {
		frame, field string
		code         int
	}{
		{`meetings.schedule {"title": "x", "start": "tomorrow", "minutes": 30}`, "start", 400},
		{`meetings.schedule {"title": "x", "start": "2030-03-16T10:00:00Z"}`, "end", 400},
		{`meetings.schedule {"title": "x", "start": "2030-03-16T10:00:00Z", "minutes": 2000}`, "minutes", 400},
		{`meetings.schedule {"userId": "nobody", "title": "x", "start": "2030-03-16T10:00:00Z", "minutes": 30}`, "userId", 404},
		{`meetings.decline {"id": "0123456789abcdef01234567"}`, "id", 404},
		{`meetings.decline {"id": "nope"}`, "id", 400},
		{`meetings.schedule`, "", 400},
		{`meetings.list {"status": "maybe"}`, "status", 400},
	} {
		if r := w.send(c.frame); r.Status.Code != c.code || r.Field != c.field {
			t.Errorf("%s: got %d field %q (%s), want %d field %q", c.frame, r.Status.Code, r.Field, r.Status.Message, c.code, c.field)
		}
	}
	r := s.do(t, t.Context(), "POST", "/userbot/meetings.decline", devToken, map[string]any{"id": m.ID, "notes": "cancelled by Ann"})
	var rest struct {
		Data struct {
			Meeting httpadapter.Meeting `json:"meeting"`
		} `json:"data"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &rest) != nil || rest.Data.Meeting.Status != "declined" || rest.Data.Meeting.Notes != "cancelled by Ann" {
		t.Errorf("POST /userbot/meetings.decline: %d %s", r.status, r.body)
	}
}

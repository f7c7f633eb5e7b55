package store

import (
	"context"
	"fmt"
	"time"
)

// A Meeting is a meeting a user asks for or books (Userbot's meetings):
// a time slot with a status, made by a bot's meeting action or through the
// API, and passed on to the host's calendar.
type Meeting struct {
	// ID is the store's 24-hex id, assigned by the first save.
	ID string
	// UserID is the user's ID, "" for a session without one; SessionID
	// and ThreadID the conversation it was asked for in, "" if none.
	UserID    string
	SessionID string
	ThreadID  string
	// Title says what the meeting is about (1–256 characters).
	Title string
	// Start and End are the slot: End after Start, at most
	// MaxMeetingLength later.
	Start, End time.Time
	// Status is MeetingRequested, MeetingScheduled or MeetingDeclined.
	Status string
	// Notes are free text (up to 1,024 characters).
	Notes string
	// EventID is the host calendar's id of the meeting, "" if none.
	EventID string
	// CreatedAt is set by the first save, UpdatedAt by every save.
	CreatedAt, UpdatedAt time.Time
}

// Statuses of a meeting.
const (
	MeetingRequested = "requested" // asked for, not booked yet
	MeetingScheduled = "scheduled" // booked
	MeetingDeclined  = "declined"  // not to happen: the user or an operator declined it
)

// Limits of meetings.
const (
	MaxMeetingLength = 24 * time.Hour
	MaxMeetingNotes  = 1024
	MaxEventID       = 256
)

// CheckMeeting checks the fields of a meeting a store is given.
func CheckMeeting(m *Meeting) error {
	if m.ID != "" {
		if err := CheckID("id", m.ID); err != nil {
			return err
		}
	}
	if m.UserID != "" {
		if err := CheckID("userId", m.UserID); err != nil {
			return err
		}
	}
	if m.SessionID != "" {
		if err := CheckSessionID(m.SessionID); err != nil {
			return err
		}
	}
	if err := checkLen("threadId", m.ThreadID, 0, MaxThreadAlias); err != nil {
		return err
	}
	if err := checkLen("title", m.Title, 1, MaxName); err != nil {
		return err
	}
	if m.Start.IsZero() {
		return invalid("start", "is required")
	}
	if !m.End.After(m.Start) || m.End.Sub(m.Start) > MaxMeetingLength {
		return invalid("end", "must be after start, by at most 24 hours")
	}
	switch m.Status {
	case MeetingRequested, MeetingScheduled, MeetingDeclined:
	default:
		return invalid("status", "must be requested, scheduled or declined")
	}
	if err := checkLen("notes", m.Notes, 0, MaxMeetingNotes); err != nil {
		return err
	}
	return checkLen("eventId", m.EventID, 0, MaxEventID)
}

// A MeetingQuery asks for one page of meetings, by start time.
type MeetingQuery struct {
	// From and To, if not zero, keep the meetings starting at From or
	// later, and before To.
	From, To time.Time
	// UserID and Status, if not "", keep the user's meetings and those
	// with the status.
	UserID, Status string
	// Limit is the page's size, 1–100 (0: 20); After is the Next of the
	// page before.
	Limit int
	After string
}

// MaxMeetingPage bounds MeetingQuery.Limit.
const MaxMeetingPage = 100

// Normalize checks q and fills its defaults.
func (q MeetingQuery) Normalize() (MeetingQuery, error) {
	if q.Limit == 0 {
		q.Limit = 20
	}
	if q.Limit < 1 || q.Limit > MaxMeetingPage {
		return q, invalid("limit", fmt.Sprintf("must be 1 to %d", MaxMeetingPage))
	}
	if q.UserID != "" {
		if err := CheckID("userId", q.UserID); err != nil {
			return q, err
		}
	}
	switch q.Status {
	case "", MeetingRequested, MeetingScheduled, MeetingDeclined:
	default:
		return q, invalid("status", "must be requested, scheduled or declined")
	}
	if q.After != "" {
		if err := CheckID("after", q.After); err != nil {
			return q, err
		}
	}
	return q, nil
}

// Matches reports whether m is one of q's meetings (apart from paging).
func (q *MeetingQuery) Matches(m *Meeting) bool {
	return (q.From.IsZero() || !m.Start.Before(q.From)) && (q.To.IsZero() || m.Start.Before(q.To)) &&
		(q.UserID == "" || m.UserID == q.UserID) && (q.Status == "" || m.Status == q.Status)
}

// A MeetingPage is one page of meetings.
type MeetingPage struct {
	Meetings []Meeting
	// Next is the After of the next page, "" after the last.
	Next string
}

// Meetings keeps meetings. Implementations are safe for concurrent use.
type Meetings interface {
	// SaveMeeting stores m (see [CheckMeeting]): a new meeting when m.ID
	// is "", which gets an ID and CreatedAt, else a replacement of the
	// meeting with that ID (ErrNotFound if none), which keeps its
	// CreatedAt. An unknown UserID is ErrNotFound. It returns the meeting
	// as stored.
	SaveMeeting(ctx context.Context, m Meeting) (Meeting, error)
	// Meeting returns the meeting with the given ID.
	Meeting(ctx context.Context, id string) (Meeting, error)
	// ListMeetings returns one page of meetings, by start time (then by
	// ID).
	ListMeetings(ctx context.Context, q MeetingQuery) (MeetingPage, error)
}

package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/parleybot/parley/store"
)

// The user, session and segment operations of the chat API. Each checks
// ChatBot.com's limits first, so Go callers and the HTTP adapter share one
// set of rules: bad input is a *store.FieldError (unwrapping to
// store.ErrInvalid) naming the field and the rule, and nothing is written.

// CreateUser creates a user (the chat API's "Create user"): u.UserID
// (1–256 characters; when empty, attributes.default_email, else a random
// UUID), u.Attributes (1–99, keys ^[\w-]{1,128}$, values 1–1024 characters,
// default_name 1–256), u.Segments (ids of existing segments) and u.Banned.
// A userId or default_email already in use is store.ErrConflict.
func (e *Engine) CreateUser(ctx context.Context, u store.User) (store.User, error) {
	if len(u.Attributes) == 0 {
		return store.User{}, invalid("attributes", fmt.Sprintf("must have 1 to %d entries", store.MaxAttributes))
	}
	if err := store.CheckUser(&u); err != nil {
		return store.User{}, err
	}
	return e.st.CreateUser(ctx, u)
}

// ListUsers returns one page of users (the chat API's "List users"):
// limit 1–40 (default 40), after a 24-hex id, sort by createdAt or
// lastSeen, asc or desc, 1–5 filters matched all or any.
func (e *Engine) ListUsers(ctx context.Context, q store.UserQuery) (store.UserPage, error) {
	if len(q.Filters) > store.MaxFilters {
		return store.UserPage{}, invalid("filters", fmt.Sprintf("must have at most %d entries", store.MaxFilters))
	}
	return e.FindUsers(ctx, q)
}

// UserDetails is the chat API's user details object: a user with the
// attributes of their active session, their conversations and segments.
type UserDetails struct {
	ID                string            `json:"id"`
	UserID            string            `json:"userId"`
	Banned            bool              `json:"banned"`
	Attributes        map[string]string `json:"attributes"`
	SessionAttributes map[string]string `json:"sessionAttributes"`
	Conversations     []Conversation    `json:"conversations"`
	Segments          []SegmentRef      `json:"segments"`
	CreatedAt         time.Time         `json:"createdAt"`
	LastSeen          time.Time         `json:"lastSeen"`
}

// A Conversation is one thread of a user, newest first in UserDetails.
type Conversation struct {
	ID           string    `json:"id"`
	CreatedAt    time.Time `json:"createdAt"`
	FirstMessage string    `json:"firstMessage"`
}

// A SegmentRef names a segment a user belongs to.
type SegmentRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// User returns the details of the user with the given store id (the chat
// API's "List single user"). An unknown user is store.ErrNotFound.
func (e *Engine) User(ctx context.Context, id string) (UserDetails, error) {
	if err := store.CheckID("id", id); err != nil {
		return UserDetails{}, err
	}
	u, err := e.st.User(ctx, id)
	if err != nil {
		return UserDetails{}, err
	}
	d := UserDetails{
		ID: u.ID, UserID: u.UserID, Banned: u.Banned, Attributes: u.Attributes,
		SessionAttributes: map[string]string{},
		Conversations:     []Conversation{},
		Segments:          []SegmentRef{},
		CreatedAt:         u.CreatedAt, LastSeen: u.LastSeen,
	}
	if d.Attributes == nil {
		d.Attributes = map[string]string{}
	}
	s, err := e.st.ActiveSession(ctx, u.ID)
	switch {
	case err == nil:
		if s.Attributes != nil {
			d.SessionAttributes = s.Attributes
		}
	case !errors.Is(err, store.ErrNotFound):
		return UserDetails{}, err
	}
	threads, err := e.st.Conversations(ctx, u.ID)
	if err != nil {
		return UserDetails{}, err
	}
	for _, th := range threads {
		d.Conversations = append(d.Conversations, Conversation{ID: th.ID, CreatedAt: th.StartedAt, FirstMessage: th.FirstMessage})
	}
	if len(u.Segments) > 0 {
		segs, err := e.st.ListSegments(ctx)
		if err != nil {
			return UserDetails{}, err
		}
		for _, sg := range segs {
			if u.InSegment(sg.ID) {
				d.Segments = append(d.Segments, SegmentRef{ID: sg.ID, Name: sg.Name})
			}
		}
	}
	return d, nil
}

// UpdateUser merges attrs into the attributes of the user with the given
// store id (the chat API's "Update user"): 1–99 entries, keys
// ^[\w-]{1,128}$, values of 1–1024 characters (default_name 1–256), or
// empty to remove one.
func (e *Engine) UpdateUser(ctx context.Context, id string, attrs map[string]string) (store.User, error) {
	if err := store.CheckID("id", id); err != nil {
		return store.User{}, err
	}
	if err := store.CheckAttributeUpdate("attributes", attrs); err != nil {
		return store.User{}, err
	}
	return e.st.UpdateUser(ctx, id, attrs)
}

// SetBanned bans or unbans the user with the given store id.
func (e *Engine) SetBanned(ctx context.Context, id string, banned bool) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	return e.st.SetBanned(ctx, id, banned)
}

// UpdateSessionAttributes merges attrs into the attributes of an active
// session (the chat API's "Update session attributes"), with the limits of
// UpdateUser. It takes its place in the session's queue of turns, so it
// applies between the turns that arrived before and after it. An unknown
// or expired session is store.ErrNotFound.
func (e *Engine) UpdateSessionAttributes(ctx context.Context, sessionID string, attrs map[string]string) (store.Session, error) {
	return e.updateSession(ctx, "", sessionID, attrs)
}

// UpdateUserSessionAttributes is UpdateSessionAttributes for a session of
// the user with the given store id (the chat API's "Update session
// attributes" under /users/{id}/session): a session that belongs to another
// user, or to none, is store.ErrNotFound and is left unchanged. The error
// is a *NotFoundError naming "id" for an unknown user, "sessionId" for a
// session the user does not have.
func (e *Engine) UpdateUserSessionAttributes(ctx context.Context, userID, sessionID string, attrs map[string]string) (store.Session, error) {
	if err := store.CheckID("id", userID); err != nil {
		return store.Session{}, err
	}
	return e.updateSession(ctx, userID, sessionID, attrs)
}

// updateSession merges attrs into a session, of any user when userID is "".
func (e *Engine) updateSession(ctx context.Context, userID, sessionID string, attrs map[string]string) (store.Session, error) {
	if err := store.CheckSessionID(sessionID); err != nil {
		return store.Session{}, err
	}
	if err := store.CheckAttributeUpdate("attributes", attrs); err != nil {
		return store.Session{}, err
	}
	if err := e.queues.acquire(ctx, sessionID); err != nil {
		return store.Session{}, err
	}
	defer e.queues.release(sessionID)
	if userID != "" {
		if _, err := e.st.User(ctx, userID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				err = &NotFoundError{Field: "id", Err: err}
			}
			return store.Session{}, err
		}
		// Only turns change a session's user, and they wait in the queue
		// this call holds, so the owner cannot change before the update.
		s, err := e.st.Session(ctx, sessionID)
		if errors.Is(err, store.ErrNotFound) {
			return store.Session{}, &NotFoundError{Field: "sessionId", Err: err}
		}
		if err != nil {
			return store.Session{}, err
		}
		if s.UserID != userID {
			return store.Session{}, &NotFoundError{Field: "sessionId",
				Err: fmt.Errorf("session %q of user %q: %w", sessionID, userID, store.ErrNotFound)}
		}
	}
	return e.st.UpdateSessionAttributes(ctx, sessionID, attrs)
}

// Session returns the session with the given id; an expired one is
// store.ErrNotFound.
func (e *Engine) Session(ctx context.Context, id string) (store.Session, error) {
	if err := store.CheckSessionID(id); err != nil {
		return store.Session{}, err
	}
	return e.st.Session(ctx, id)
}

// DeleteUser deletes a user and everything about them: sessions, threads,
// messages and segment memberships.
func (e *Engine) DeleteUser(ctx context.Context, id string) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	return e.st.DeleteUser(ctx, id)
}

// CreateSegment creates a segment named name (1–256 characters).
func (e *Engine) CreateSegment(ctx context.Context, name string) (store.Segment, error) {
	if err := store.CheckSegmentName(name); err != nil {
		return store.Segment{}, err
	}
	return e.st.CreateSegment(ctx, name)
}

// ListSegments returns every segment, oldest first, each with its number
// of members: those of a saved filter counted now, in one pass over the
// users for all of them.
func (e *Engine) ListSegments(ctx context.Context) ([]store.Segment, error) {
	segs, err := e.st.ListSegments(ctx)
	if err != nil {
		return nil, err
	}
	var qs []store.UserQuery
	var at []int
	for i := range segs {
		if f := segs[i].Filter; f != nil {
			qs = append(qs, f.Query())
			at = append(at, i)
		}
	}
	if len(qs) == 0 {
		return segs, nil
	}
	counts, err := e.st.CountUsers(ctx, qs...)
	if err != nil {
		return nil, err
	}
	for j, i := range at {
		segs[i].Members = counts[j]
	}
	return segs, nil
}

// AddToSegments adds users (1–1,000 store ids) to segments (1–100 ids).
// An unknown segment or user is store.ErrNotFound and adds nothing.
func (e *Engine) AddToSegments(ctx context.Context, segmentIDs, userIDs []string) error {
	if err := store.CheckMembership(segmentIDs, userIDs); err != nil {
		return err
	}
	return e.st.AddToSegments(ctx, segmentIDs, userIDs)
}

// RemoveFromSegments removes users from segments, with the limits of
// AddToSegments.
func (e *Engine) RemoveFromSegments(ctx context.Context, segmentIDs, userIDs []string) error {
	if err := store.CheckMembership(segmentIDs, userIDs); err != nil {
		return err
	}
	return e.st.RemoveFromSegments(ctx, segmentIDs, userIDs)
}

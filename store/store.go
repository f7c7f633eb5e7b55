package store

import (
	"context"
	"time"
)

// Users keeps users. Implementations are safe for concurrent use.
type Users interface {
	// CreateUser stores a new user from u's UserID, Attributes, Banned and
	// Segments, and returns it with ID, CreatedAt and LastSeen set. An empty
	// UserID becomes attributes.default_email if given, else a random UUID.
	// A UserID or default_email already in use is ErrConflict; an unknown
	// segment is ErrNotFound.
	CreateUser(ctx context.Context, u User) (User, error)
	// User returns the user with the given ID.
	User(ctx context.Context, id string) (User, error)
	// UserByUserID returns the user with the given UserID.
	UserByUserID(ctx context.Context, userID string) (User, error)
	// UserByEmail returns the user whose attributes.default_email equals
	// email, ignoring case.
	UserByEmail(ctx context.Context, email string) (User, error)
	// UpdateUser merges attrs into the user's attributes and returns the
	// user. An empty value removes that attribute. The result must keep
	// 1–99 attributes.
	UpdateUser(ctx context.Context, id string, attrs map[string]string) (User, error)
	// SetBanned bans or unbans a user.
	SetBanned(ctx context.Context, id string, banned bool) error
	// ListUsers returns one page of users.
	ListUsers(ctx context.Context, q UserQuery) (UserPage, error)
	// DeleteUser deletes a user and everything about them: sessions,
	// threads, messages, segment memberships and index entries. Once it
	// returns nil nothing of the user can be read, even after a crash.
	DeleteUser(ctx context.Context, id string) error
}

// Segments keeps segments and their members. Implementations are safe for
// concurrent use.
type Segments interface {
	// CreateSegment creates a segment named name.
	CreateSegment(ctx context.Context, name string) (Segment, error)
	// ListSegments returns every segment, oldest first.
	ListSegments(ctx context.Context) ([]Segment, error)
	// RenameSegment renames a segment.
	RenameSegment(ctx context.Context, id, name string) error
	// DeleteSegment deletes a segment and its memberships.
	DeleteSegment(ctx context.Context, id string) error
	// AddToSegments adds every user to every segment: up to 100 segments
	// and 1,000 users per call. Adding a member again is not an error. An
	// unknown segment or user is ErrNotFound and adds nothing.
	AddToSegments(ctx context.Context, segmentIDs, userIDs []string) error
	// RemoveFromSegments removes every user from every segment, with the
	// same limits. Removing a non-member is not an error.
	RemoveFromSegments(ctx context.Context, segmentIDs, userIDs []string) error
}

// Sessions keeps sessions, and runs chat turns. Implementations are safe for
// concurrent use.
type Sessions interface {
	// Update runs one chat turn on the session with the given ID in one
	// transaction: it loads the session (a new one if it does not exist or
	// has expired), its user and its current thread into a [Turn], calls fn,
	// and commits what fn left in the Turn, all or nothing. If fn returns an
	// error nothing is written and Update returns that error.
	//
	// Update retries fn when another writer changed the same records, so
	// fn may run more than once and must be free of side effects: fire
	// events and webhooks after Update returns. fn must not call the
	// store: a backend may hold the session and its user until fn returns
	// (badgerstore does). Calls on the same session are serialized.
	Update(ctx context.Context, sessionID string, fn func(*Turn) error) error
	// Session returns the session with the given ID; an expired session is
	// ErrNotFound.
	Session(ctx context.Context, id string) (Session, error)
	// UpdateSessionAttributes merges attrs into the session's attributes
	// (an empty value removes one) and returns the session.
	UpdateSessionAttributes(ctx context.Context, id string, attrs map[string]string) (Session, error)
	// ActiveSession returns the session of the user's last turn, if it has
	// not expired.
	ActiveSession(ctx context.Context, userID string) (Session, error)
}

// Threads keeps threads and their messages. Implementations are safe for
// concurrent use.
type Threads interface {
	// Thread returns the thread with the given ID.
	Thread(ctx context.Context, id string) (Thread, error)
	// AppendMessages appends messages to a thread outside a turn (an agent's
	// answer, say) and returns them with Seq, ThreadID and CreatedAt set.
	AppendMessages(ctx context.Context, threadID string, msgs ...Message) ([]Message, error)
	// Messages returns up to limit (1–100) messages of a thread with Seq
	// greater than after, in order.
	Messages(ctx context.Context, threadID string, after, limit int) ([]Message, error)
	// SetReaction sets the reaction to one message.
	SetReaction(ctx context.Context, threadID string, seq int, reaction string) error
	// Conversations returns the user's threads, newest first.
	Conversations(ctx context.Context, userID string) ([]Thread, error)
}

// Stats reads the per-day counters.
type Stats interface {
	// Stats returns one Day per calendar day from the day of from to the
	// day of to, inclusive, in the backend's time zone (at most 366 days).
	// Days without activity have zero counters.
	Stats(ctx context.Context, from, to time.Time) ([]Day, error)
}

// Store is everything the engine needs from a backend.
type Store interface {
	Users
	Segments
	Sessions
	Threads
	Stats
}

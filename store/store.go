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
	// 1–99 attributes: an update that would remove the last one, or make
	// more than 99, is a *FieldError and changes nothing.
	UpdateUser(ctx context.Context, id string, attrs map[string]string) (User, error)
	// SetBanned bans or unbans a user.
	SetBanned(ctx context.Context, id string, banned bool) error
	// ListUsers returns one page of users.
	ListUsers(ctx context.Context, q UserQuery) (UserPage, error)
	// DeleteUser deletes a user and everything about them: sessions,
	// threads, messages, segment memberships, tags, feedback, deliveries
	// of automated messages, visits, company memberships, meetings and index entries. Once it returns nil nothing of the user can be read, even
	// after a crash.
	DeleteUser(ctx context.Context, id string) error
	// CreateUsers creates up to 1,000 users as CreateUser does, all or
	// none: the first user that cannot be created is an error naming its
	// index ("users[3].userId"), as is a userId or default_email given
	// twice in users, and nothing is written. Users may carry Tags.
	CreateUsers(ctx context.Context, users []User) ([]User, error)
	// UpsertUsers applies up to 1,000 upserts in order, what an import
	// does with a batch of rows. Each names a user (see [UserUpsert]) who
	// is updated (attributes merged, tags and segments added), or else
	// created as CreateUser creates one; an upsert sees what the earlier
	// ones did, so two rows about one new user create it once. Each
	// upsert is all or nothing: one that breaks a rule (see
	// [CheckUpsert], UpdateUser's and AddTags' limits, a userId or email
	// of someone else, a segment that is unknown or a saved filter) gets
	// its error in its [Upserted] and stores nothing, and the others
	// still apply. The result has one Upserted per upsert. An error
	// returned (the store failing, ctx ending) may leave the first
	// upserts applied: running the same upserts again is safe. Backends
	// write a batch with a few writes, not one per user (see
	// [PlanUpserts]).
	UpsertUsers(ctx context.Context, ups []UserUpsert) ([]Upserted, error)
	// CountUsers returns, for each query, the number of users matching its
	// filters (Limit, Offset, After, Sort and Order are ignored), reading
	// the users once for all of them.
	CountUsers(ctx context.Context, qs ...UserQuery) ([]int, error)
}

// Tags keeps the tags of users. Implementations are safe for concurrent
// use.
type Tags interface {
	// Tags returns the tags users have, by name, each with its number of
	// users.
	Tags(ctx context.Context) ([]Tag, error)
	// AddTags gives every user every tag: up to 100 tags and 1,000 users
	// per call. A tag the user has is not added again; a user would have
	// more than 100 is ErrInvalid, an unknown user ErrNotFound, and either
	// adds nothing.
	AddTags(ctx context.Context, tags, userIDs []string) error
	// RemoveTags takes every tag from every user, with the same limits.
	// Removing a tag a user does not have is not an error; an unknown user
	// is ErrNotFound and removes nothing.
	RemoveTags(ctx context.Context, tags, userIDs []string) error
}

// Feedbacks keeps the feedback users give. Implementations are safe for
// concurrent use.
type Feedbacks interface {
	// AddFeedback stores f (see [CheckFeedback]) with ID and CreatedAt
	// set, adds one to its user's Feedback and counts it in the day's
	// counters. A reaction also sets the reaction of the message it names.
	// An unknown user, thread or message is ErrNotFound; a thread of
	// another user is ErrNotFound too.
	AddFeedback(ctx context.Context, f Feedback) (Feedback, error)
	// ListFeedback returns one page of feedback, newest first.
	ListFeedback(ctx context.Context, q FeedbackQuery) (FeedbackPage, error)
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
	// CreateFilterSegment creates a segment named name whose members are
	// the users matching f (see [SegmentFilter.Normalize]).
	CreateFilterSegment(ctx context.Context, name string, f SegmentFilter) (Segment, error)
	// SetSegmentFilter replaces the saved filter of a segment created by
	// CreateFilterSegment. A segment of explicit members is ErrInvalid:
	// a segment keeps its kind.
	SetSegmentFilter(ctx context.Context, id string, f SegmentFilter) error
	// AddToSegments adds every user to every segment: up to 100 segments
	// and 1,000 users per call. Adding a member again is not an error. An
	// unknown segment or user is ErrNotFound and a saved filter's segment
	// ErrInvalid; either adds nothing.
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
	// SetReaction sets the reaction to one message, and counts it in the
	// day's counters (taking back the reaction it replaces, if any).
	SetReaction(ctx context.Context, threadID string, seq int, reaction string) error
	// Conversations returns the user's threads, newest first.
	Conversations(ctx context.Context, userID string) ([]Thread, error)
}

// ThreadAdmin creates, finds, lists, changes and deletes threads outside
// chat turns: what the Threads API and agents do. Implementations are safe
// for concurrent use.
type ThreadAdmin interface {
	// CreateThread stores a new thread from th's Alias, UserID, SessionID,
	// Mode (ModeAI when "") and WebhookURL/WebhookToken, and returns it
	// with ID, StartedAt and UpdatedAt set. An empty SessionID becomes the
	// thread's ID: the thread gets a session of its own. The session's
	// current thread does not change: a turn takes the thread with
	// [Turn.UseThread]. An Alias already taken (as another thread's Alias
	// or ID) is ErrConflict; an unknown UserID is ErrNotFound.
	CreateThread(ctx context.Context, th Thread) (Thread, error)
	// ThreadByAlias returns the thread whose Alias is alias.
	ThreadByAlias(ctx context.Context, alias string) (Thread, error)
	// ListThreads returns one page of threads, newest first.
	ListThreads(ctx context.Context, q ThreadQuery) (ThreadPage, error)
	// UpdateThread calls fn with the thread and writes what fn changed of
	// Mode, Escalated, Read, EndedAt, UserID, WebhookURL and WebhookToken
	// (the other fields are kept), then returns the thread. fn may run more
	// than once and must not call the store; if it returns an error nothing
	// is written and UpdateThread returns it. An unknown UserID is
	// ErrNotFound.
	UpdateThread(ctx context.Context, id string, fn func(*Thread) error) (Thread, error)
	// DeleteThread deletes a thread and its messages. Once it returns nil
	// nothing of the thread can be read, even after a crash.
	DeleteThread(ctx context.Context, id string) error
}

// Stats reads the per-day counters, and who was there over a period.
type Stats interface {
	// Stats returns one Day per calendar day from the day of from to the
	// day of to, inclusive, in the backend's time zone (at most 366 days).
	// Days without activity have zero counters.
	Stats(ctx context.Context, from, to time.Time) ([]Day, error)
	// FallbackQueries returns the messages that fallbacks answered most
	// often on the same days as Stats (each counted per day from
	// Turn.Fallback), most often first and then by text, at most limit
	// (1–MaxFallbackQueries).
	FallbackQueries(ctx context.Context, from, to time.Time, limit int) ([]FallbackQuery, error)
	// UserActivity counts the users of the days from the day of from to
	// the day of to, inclusive, in the backend's time zone (see
	// [Period]), each once however many of those days they came. Users
	// since deleted are not counted.
	UserActivity(ctx context.Context, from, to time.Time) (Activity, error)
}

// Activity is who was there over a period (Stats.UserActivity).
type Activity struct {
	New       int64 // users created in the period
	Active    int64 // users who had a turn in the period
	Returning int64 // those of Active created before the period
}

// Store is everything the engine needs from a backend.
type Store interface {
	Users
	Segments
	Tags
	Feedbacks
	Sessions
	Threads
	ThreadAdmin
	Outbox
	Stats
	AutomatedMessages
	Visits
	Companies
	Meetings
	QAs
	EventLog
}

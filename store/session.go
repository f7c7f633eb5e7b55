package store

import (
	"errors"
	"fmt"
	"time"
)

// A Session is the state of one conversation between the bot and a client,
// keyed by an id the client chooses (ChatBot.com's sessionId). The engine
// owns its meaning; the store keeps it small and writes it in one piece.
type Session struct {
	// ID is the client's session id, 10–64 characters.
	ID string
	// UserID is the ID (24 hex) of the user the session belongs to, "" if
	// none. Set it with [Turn.SetUser].
	UserID string
	// StoryID is the id of the story the session is in.
	StoryID string
	// Contexts are the active contexts, most recent first.
	Contexts []Context
	// Slot is the pending slot filling, nil if none.
	Slot *SlotFilling
	// Attributes are the session attributes (ChatBot.com's
	// sessionParameters), with the same limits as user attributes.
	Attributes map[string]string
	// Blocked are the interactions backtracking keeps from matching (the
	// engine's backtracking action), by id.
	Blocked []string
	// Failures counts consecutive fallbacks.
	Failures int
	// ThreadID is the ID of the current thread, "" if none.
	ThreadID string
	// Verification is the one-time code the session waits for, nil if
	// none.
	Verification *Verification
	// StartedAt is set by the store when the session is created and
	// UpdatedAt at every commit.
	StartedAt, UpdatedAt time.Time
	// ExpiresAt is when the session expires if no turn comes before; zero
	// means never. An expired session reads as ErrNotFound, a turn on it
	// starts a fresh session, and backends may then discard it.
	ExpiresAt time.Time
}

// Clone returns a deep copy of s.
func (s Session) Clone() Session {
	if s.Contexts != nil {
		cs := make([]Context, len(s.Contexts))
		for i, c := range s.Contexts {
			c.Parameters = cloneMap(c.Parameters)
			cs[i] = c
		}
		s.Contexts = cs
	}
	if s.Slot != nil {
		sl := *s.Slot
		sl.Parameters = cloneMap(sl.Parameters)
		s.Slot = &sl
	}
	s.Attributes = cloneMap(s.Attributes)
	if s.Verification != nil {
		v := *s.Verification
		s.Verification = &v
	}
	if s.Blocked != nil {
		s.Blocked = append([]string(nil), s.Blocked...)
	}
	return s
}

// Expired reports whether s has expired at now.
func (s *Session) Expired(now time.Time) bool {
	return !s.ExpiresAt.IsZero() && !now.Before(s.ExpiresAt)
}

// A Context is an active context: an interaction whose follow-ups are
// eligible for the next turns, for Lifespan more turns.
type Context struct {
	InteractionID string
	Lifespan      int
	Parameters    map[string]string
}

// A Verification is a one-time code sent to prove an email address the
// user's. The store keeps it as given; the engine decides its meaning.
type Verification struct {
	// Email is the address the code was sent to, up to 1,024 characters.
	Email string
	// Code is what the engine compares the code entered with (a hash,
	// never the code itself), up to 256 characters.
	Code string
	// ExpiresAt is when the code stops being accepted.
	ExpiresAt time.Time
	// Attempts counts the wrong codes entered.
	Attempts int
}

// A SlotFilling is an interaction waiting for a required parameter.
type SlotFilling struct {
	InteractionID string
	Parameter     string            // the parameter being asked for
	Parameters    map[string]string // the parameters collected so far
	Attempts      int               // prompts answered without a usable value
}

// Counters are the per-day statistics. A backend adds them up per day in its
// configured time zone.
type Counters struct {
	Messages  int64 // messages appended to threads (counted by the store)
	Sessions  int64 // sessions created (counted by the store)
	NewUsers  int64 // users created (counted by the store)
	Fallbacks int64 // turns answered by a fallback (counted by the engine)
	Handoffs  int64 // hand-offs to an agent (counted by the engine)
	// Positive, Negative and Neutral count the reactions given to messages
	// (counted by the store's SetReaction): a reaction that replaces
	// another takes the other back, on the day of the change.
	Positive, Negative, Neutral int64
	// ActiveUsers is the number of users who had a turn that day, each
	// counted once a day; ReturningUsers those of them created on an
	// earlier day (counted by the store, at a user's first turn of the
	// day).
	ActiveUsers, ReturningUsers int64
	// Feedback is the number of feedback records given (counted by the
	// store); NPSNegative, NPSNeutral and NPSPositive split the NPS scores
	// among them (see [NPSGroup]).
	Feedback                             int64
	NPSNegative, NPSNeutral, NPSPositive int64
	// Tagged is the number of tags put on users (counted by the store).
	Tagged int64
	// Automated is the number of automated messages sent (counted by the
	// engine).
	Automated int64
	// Goals counts the goals reached, by name (counted by the engine,
	// when a bot's goal action runs); nil when none was. Add never
	// changes a map it was given or that a Counters holds: it makes a new
	// one, so that copies of a Counters stay apart.
	Goals map[string]int64
}

// Add adds d to c.
func (c *Counters) Add(d Counters) {
	c.Messages += d.Messages
	c.Sessions += d.Sessions
	c.NewUsers += d.NewUsers
	c.Fallbacks += d.Fallbacks
	c.Handoffs += d.Handoffs
	c.Positive += d.Positive
	c.Negative += d.Negative
	c.Neutral += d.Neutral
	c.ActiveUsers += d.ActiveUsers
	c.ReturningUsers += d.ReturningUsers
	c.Feedback += d.Feedback
	c.NPSNegative += d.NPSNegative
	c.NPSNeutral += d.NPSNeutral
	c.NPSPositive += d.NPSPositive
	c.Tagged += d.Tagged
	c.Automated += d.Automated
	if len(d.Goals) > 0 {
		goals := make(map[string]int64, len(c.Goals)+len(d.Goals))
		for name, n := range c.Goals {
			goals[name] = n
		}
		for name, n := range d.Goals {
			goals[name] += n
		}
		c.Goals = goals
	}
}

// AddGoal counts one goal reached.
func (c *Counters) AddGoal(name string) { c.Add(Counters{Goals: map[string]int64{name: 1}}) }

// AddReaction adds n to the counter of reaction r (Positive, Negative or
// Neutral; another value changes nothing).
func (c *Counters) AddReaction(r string, n int64) {
	switch r {
	case Positive:
		c.Positive += n
	case Negative:
		c.Negative += n
	case Neutral:
		c.Neutral += n
	}
}

// IsZero reports whether every counter is zero.
func (c *Counters) IsZero() bool {
	return c.Messages|c.Sessions|c.NewUsers|c.Fallbacks|c.Handoffs|c.Positive|c.Negative|c.Neutral|
		c.ActiveUsers|c.ReturningUsers|c.Feedback|c.NPSNegative|c.NPSNeutral|c.NPSPositive|c.Tagged|c.Automated == 0 &&
		len(c.Goals) == 0
}

// A Day is the counters of one calendar day.
type Day struct {
	Date string // "2006-01-02" in the backend's time zone
	Counters
}

// A TurnBackend is what a backend lends a [Turn] while its transaction runs.
// Only backends implement it.
type TurnBackend interface {
	// LoadUser reads the user with the given ID inside the transaction.
	LoadUser(id string) (*User, error)
	// NewID returns a fresh 24-hex id.
	NewID() string
	// LoadThread reads the thread with the given ID inside the
	// transaction.
	LoadThread(id string) (*Thread, error)
}

// A Turn is one chat turn's view of the store, inside one transaction: the
// session and everything the engine may change with it. The engine reads and
// changes its fields and calls its methods inside the function given to
// [Sessions.Update]; the backend then commits all of it at once:
//
//   - Session, written whole (UpdatedAt set to Now; StartedAt when New);
//   - User, if the session has one: the engine may change its Attributes and
//     Banned; the store sets LastSeen to Now and SessionID, and adds the
//     turn's USER_MESSAGEs to Messages;
//   - Thread and the appended Messages, which get their Seq numbers, their
//     ThreadID and CreatedAt; the thread's Messages, FirstMessage and
//     UpdatedAt are kept by the store;
//   - the day's Counters: the store counts sessions, messages and new
//     threads itself; the engine adds Fallbacks and Handoffs.
//
// A Turn is not safe for concurrent use and must not be kept after the
// function returns.
type Turn struct {
	// Now is the store's clock at the start of this attempt.
	Now time.Time
	// Session is the session, never nil. When New, it has only its ID.
	Session *Session
	// New reports that the session did not exist (or had expired) and is
	// created by this turn.
	New bool
	// User is the session's user, nil if the session has none.
	User *User
	// Thread is the current thread, nil if none. Start one with
	// [Turn.StartThread] or [Turn.Append].
	Thread *Thread
	// Messages are the messages appended by this turn, in order. After a
	// successful Update they hold their assigned Seq, ThreadID and CreatedAt.
	Messages []Message
	// Counters are increments the engine adds to today's counters.
	Counters Counters
	// Fallback, when not "", is the user's message that a fallback
	// answered in this turn, as the engine normalised it: the store counts
	// it for the day (see [Stats.FallbackQueries]).
	Fallback string
	// Deliveries are webhook deliveries stored with the turn (see
	// [Turn.Deliver]); after a successful Update they hold their IDs.
	Deliveries []Delivery

	b         TurnBackend
	newThread bool
	ended     *Thread
	loaded    threadState // Thread as loaded (see TurnLog)
}

// NewTurn returns an empty turn for backend b. Only backends call it.
func NewTurn(b TurnBackend) *Turn { return &Turn{b: b} }

// SetUser ties the session to the user with the given ID and loads it into
// t.User. It returns ErrNotFound if there is no such user.
func (t *Turn) SetUser(id string) error {
	if t.User != nil && t.User.ID == id {
		return nil
	}
	u, err := t.b.LoadUser(id)
	if err != nil {
		return err
	}
	t.User = u
	t.Session.UserID = id
	return nil
}

// StartThread ends the current thread at Now, if it is still open, and
// starts a new one in mode AI, which becomes t.Thread and the session's
// ThreadID. The user's Conversations count grows by one at commit. All the
// messages of a turn go to its final thread: start a thread before
// appending, and at most once per turn.
func (t *Turn) StartThread() *Thread {
	if t.Thread != nil && !t.newThread && t.Thread.EndedAt.IsZero() {
		t.Thread.EndedAt = t.Now
		t.ended = t.Thread
	}
	t.Thread = &Thread{
		ID:        t.b.NewID(),
		UserID:    t.Session.UserID,
		SessionID: t.Session.ID,
		Mode:      ModeAI,
		StartedAt: t.Now,
		UpdatedAt: t.Now,
	}
	t.newThread = true
	t.Session.ThreadID = t.Thread.ID
	return t.Thread
}

// Append appends messages to the current thread, starting one if there is
// none (or the current one has ended).
func (t *Turn) Append(msgs ...Message) {
	if t.Thread == nil || !t.Thread.EndedAt.IsZero() {
		t.StartThread()
	}
	t.Messages = append(t.Messages, msgs...)
}

// UseThread makes the thread with the given ID the turn's thread and the
// session's current one, reopening it if it had ended: the messages the
// turn appends go there. The thread must belong to the session (its
// SessionID); otherwise UseThread returns an error wrapping ErrNotFound.
// The thread the session had before is left as it is.
func (t *Turn) UseThread(id string) error {
	if t.Thread != nil && t.Thread.ID == id && !t.newThread {
		t.Thread.EndedAt = time.Time{}
		return nil
	}
	if t.newThread || len(t.Messages) > 0 {
		return errors.New("store: UseThread after the turn started a thread or appended messages")
	}
	th, err := t.b.LoadThread(id)
	if err != nil {
		return fmt.Errorf("thread %s: %w", id, err)
	}
	if th.SessionID != t.Session.ID {
		return fmt.Errorf("thread %s of another session: %w", id, ErrNotFound)
	}
	th.EndedAt = time.Time{}
	t.SetThread(th)
	t.Session.ThreadID = id
	return nil
}

// Deliver adds webhook deliveries to the outbox with the turn, in its
// transaction: they exist if and only if the turn commits. The turn's
// messages are numbered from Thread.Messages+1 in order, with CreatedAt
// Now unless set, so a payload may name them before the commit.
func (t *Turn) Deliver(ds ...Delivery) { t.Deliveries = append(t.Deliveries, ds...) }

// NewThread reports whether this turn started t.Thread.
func (t *Turn) NewThread() bool { return t.newThread }

// EndedThread returns the thread this turn ended by starting a new one, or
// nil. Backends write it back.
func (t *Turn) EndedThread() *Thread { return t.ended }

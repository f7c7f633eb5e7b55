package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// Thread modes.
const (
	ModeAI    = "AI"    // the bot answers
	ModeAgent = "AGENT" // a human agent answers
)

// A Thread is one conversation of a session: the messages exchanged between
// a user, the bot and agents (the Threads API's thread, ChatBot.com's
// conversation).
type Thread struct {
	ID        string // 24 hex, sorts in creation order
	UserID    string // the user's ID, "" if the session had no user
	SessionID string
	Mode      string // ModeAI or ModeAgent
	Escalated bool   // whether the conversation was handed off to an agent
	// StartedAt is when the thread started; UpdatedAt when a message was
	// last appended; EndedAt when it ended (zero while open).
	StartedAt, UpdatedAt, EndedAt time.Time
	// FirstMessage is the text of the first USER_MESSAGE that is not a
	// trigger (see [Message.Trigger]), "" if none.
	FirstMessage string
	// Messages is the number of messages in the thread.
	Messages int
	// Alias is the id the caller chose when creating the thread (1–128
	// characters without control characters, unique among threads), "" if
	// none. API clients know the thread by [Thread.PublicID].
	Alias string
	// Read is the number of messages an agent has read (SiteGPT's
	// totalMessagesRead), 0 to Messages.
	Read int
	// WebhookURL, when not "", receives every message of the thread, with
	// WebhookToken in a header (http or https, up to 2,048 characters; the
	// token up to 256).
	WebhookURL, WebhookToken string
	// Persona is the name of the persona the bot answers with in the
	// thread (one the bot declares, up to 64 characters), "" for the bot's
	// own style.
	Persona string
}

// PublicID returns the id API clients know the thread by: its Alias, else
// its ID.
func (t *Thread) PublicID() string {
	if t.Alias != "" {
		return t.Alias
	}
	return t.ID
}

// Unread returns the number of messages not read yet.
func (t *Thread) Unread() int { return max(t.Messages-t.Read, 0) }

// Message types.
const (
	UserMessage   = "USER_MESSAGE"
	BotMessage    = "NORMAL_MESSAGE"
	AgentMessage  = "AGENT_MESSAGE"
	SystemMessage = "SYSTEM_MESSAGE"
)

// System message types (Message.SystemType of a SYSTEM_MESSAGE).
const (
	ConversationEscalated = "CONVERSATION_ESCALATED"          // the conversation went to an agent
	ExceededUsageLimits   = "EXCEEDED_USAGE_LIMITS"           // the thread reached its message cap
	ProvidedEmail         = "PROVIDED_EMAIL"                  // the user gave an email address
	EmailVerified         = "EMAIL_VERIFIED"                  // the user entered the right one-time code
	EnteredWrongOTP       = "ENTERED_WRONG_OTP"               // the user entered a wrong one-time code
	PersonaSelected       = "PERSONA_SELECTED"                // the thread changed persona
	UpstreamProblem       = "PROBLEMS_WITH_UPSTREAM_PROVIDER" // a host hook or webhook failed
)

// Reactions to a message.
const (
	Positive = "POSITIVE"
	Negative = "NEGATIVE"
	Neutral  = "NEUTRAL"
)

// A Message is one message of a thread.
type Message struct {
	ThreadID string // set by the store
	Seq      int    // 1, 2, … within the thread; set by the store
	// Type is UserMessage, BotMessage, AgentMessage or SystemMessage.
	Type string
	// SystemType is set on a SystemMessage, e.g. ConversationEscalated.
	SystemType string
	Text       string
	// Fulfillment is the engine's rendering of a bot message (JSON), kept
	// as given.
	Fulfillment json.RawMessage
	// InteractionID and Score tell which interaction answered and how
	// confidently.
	InteractionID string
	Score         float64
	// Reaction is Positive, Negative, Neutral or "".
	Reaction string
	// AgentID and AgentName say which agent wrote an AgentMessage, and
	// IconURL the icon shown with a message; each up to 256 characters
	// (IconURL 2,048), "" if none.
	AgentID, AgentName, IconURL string
	// Goto and Trigger say how a UserMessage was sent when the user did
	// not type it: Goto is the interaction id a button continued at (the
	// chat request's goto), Trigger the event name of a trigger request
	// (up to 50 characters). Text is then what was pressed: the button's
	// title, or the event name. At most one is set, and only on a
	// UserMessage; both are "" for a typed message.
	Goto, Trigger string
	// CreatedAt is set by the store when zero.
	CreatedAt time.Time
}

// A Segment is a named group of users: either a list of explicit members
// (Filter nil), added and removed by [Segments.AddToSegments] and
// [Segments.RemoveFromSegments], or a saved filter (Filter set), whose
// members are the users matching it whenever it is asked. A segment keeps
// its kind for life.
type Segment struct {
	ID        string // 24 hex
	Name      string // 1–256 characters
	CreatedAt time.Time
	// Members is the number of explicit members; a backend leaves it 0
	// for a saved filter, whose count the engine computes.
	Members int
	// Filter is the saved filter, nil for a segment of explicit members.
	Filter *SegmentFilter
}

// A ThreadQuery selects a page of threads for [ThreadAdmin.ListThreads],
// newest first. Zero values select everything.
type ThreadQuery struct {
	// Page is the page number from 1 (0 means 1); Limit the threads per
	// page, 1–100 (0 means 20).
	Page, Limit int
	// Mode keeps threads in that mode (ModeAI or ModeAgent) if not "".
	Mode string
	// Escalated, when not nil, keeps threads escalated or not.
	Escalated *bool
	// Read, when not nil, keeps threads whose messages are all read (true)
	// or that have unread messages (false).
	Read *bool
	// UserID keeps the threads of one user (a store id) if not "".
	UserID string
	// From and To keep threads started at or after From and before To;
	// a zero time is no bound.
	From, To time.Time
}

// Default and maximum threads per page.
const (
	DefaultThreadsPage = 20
	MaxThreadsPage     = 100
)

// Normalize returns q with defaults filled in, or a *FieldError.
func (q ThreadQuery) Normalize() (ThreadQuery, error) {
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Page < 1 {
		return q, invalid("page", "must be at least 1")
	}
	if q.Limit == 0 {
		q.Limit = DefaultThreadsPage
	}
	if q.Limit < 1 || q.Limit > MaxThreadsPage {
		return q, invalid("limit", fmt.Sprintf("must be 1 to %d", MaxThreadsPage))
	}
	switch q.Mode {
	case "", ModeAI, ModeAgent:
	default:
		return q, invalid("mode", "must be AI or AGENT")
	}
	if q.UserID != "" {
		if err := CheckID("userId", q.UserID); err != nil {
			return q, err
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return q, invalid("to", "must be after from")
	}
	return q, nil
}

// Match reports whether t passes q's filters.
func (q *ThreadQuery) Match(t *Thread) bool {
	switch {
	case q.Mode != "" && t.Mode != q.Mode,
		q.Escalated != nil && t.Escalated != *q.Escalated,
		q.Read != nil && (t.Unread() == 0) != *q.Read,
		q.UserID != "" && t.UserID != q.UserID,
		!q.From.IsZero() && t.StartedAt.Before(q.From),
		!q.To.IsZero() && !t.StartedAt.Before(q.To):
		return false
	}
	return true
}

// A ThreadPage is one page of threads.
type ThreadPage struct {
	Threads []Thread // newest first
	HasMore bool     // whether a next page has threads
}

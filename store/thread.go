package store

import (
	"encoding/json"
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
	// FirstMessage is the text of the first USER_MESSAGE, "" if none.
	FirstMessage string
	// Messages is the number of messages in the thread.
	Messages int
}

// Message types.
const (
	UserMessage   = "USER_MESSAGE"
	BotMessage    = "NORMAL_MESSAGE"
	AgentMessage  = "AGENT_MESSAGE"
	SystemMessage = "SYSTEM_MESSAGE"
)

// System message types (Message.SystemType of a SYSTEM_MESSAGE).
const (
	ConversationEscalated = "CONVERSATION_ESCALATED"
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
	// CreatedAt is set by the store when zero.
	CreatedAt time.Time
}

// A Segment is a named group of users.
type Segment struct {
	ID        string // 24 hex
	Name      string // 1–256 characters
	CreatedAt time.Time
	Members   int
}

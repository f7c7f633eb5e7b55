package engine

import (
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

// Request limits of the chat API that are not limits of the bot format or
// of the store.
const (
	// GotoLen is the length of Request.Goto and Request.StoryID: a 24-hex id.
	GotoLen = 24
	// MaxRequestParameters bounds Request.Parameters.
	MaxRequestParameters = 99
	// MaxParameterValue bounds a value of Request.Parameters, in characters.
	MaxParameterValue = 1024
	// MaxLanguageLen bounds Request.Language, in bytes.
	MaxLanguageLen = 64
)

// TimestampFormat is the layout of Response.Timestamp: UTC with
// milliseconds, as in "2019-03-12T13:27:15.513Z".
const TimestampFormat = "2006-01-02T15:04:05.000Z07:00"

// A Request is one message to the bot: ChatBot.com's "Chat with bot" data
// params. Exactly one of Query, Trigger and Goto is set. Its JSON tags are
// the chat API's field names.
type Request struct {
	// SessionID names the conversation: 10–64 characters, required.
	SessionID string `json:"sessionId"`
	// UserID optionally ties the session to a user: the user's own
	// userId (store.User.UserID) or the store id (store.User.ID). The
	// user must exist (see [Engine.CreateUser]).
	UserID string `json:"userId,omitempty"`
	// Query is what the user typed: 1–256 characters.
	Query string `json:"query,omitempty"`
	// Trigger is an event name, 1–50 characters: "welcome" starts the
	// story's welcome interaction; other names select the interaction that
	// lists the trigger.
	Trigger string `json:"trigger,omitempty"`
	// Goto is the 24-hex id of an interaction to continue at.
	Goto string `json:"goto,omitempty"`
	// Confidence is the threshold a match must reach, 0.1–1.0; 0 means
	// the bot's setting (0.5 unless the bot sets another).
	Confidence float64 `json:"confidence,omitempty"`
	// Lifespan is the number of fallback turns a matched context lasts,
	// 1–10; 0 means the bot's setting (2 unless the bot sets another).
	Lifespan int `json:"lifespan,omitempty"`
	// Reset starts the session again before the message: the context
	// returns to the root, session attributes, pending questions and
	// backtracking blocks are forgotten, and a conversation handed to an
	// agent comes back to the bot.
	Reset bool `json:"reset,omitempty"`
	// StoryID is the 24-hex id of the story to talk to; "" means the
	// session's story, or the bot's default story for a new session.
	StoryID string `json:"storyId,omitempty"`
	// Parameters preset the interaction's parameters: 0–99 entries, keys
	// matching ^[\w-]{1,128}$, values of 1–1024 characters. A preset
	// parameter wins over one extracted from the query.
	Parameters map[string]string `json:"parameters,omitempty"`
	// Debug adds the ranked candidates and one fulfillment entry per
	// action performed to the result.
	Debug bool `json:"debug,omitempty"`
	// Language is the language of the turn, by name or ISO 639-1 code
	// ("german", "de", "de-AT"): the matcher and responses of that
	// language when the bot speaks it. When empty, or not one of the
	// bot's languages, the user's default_language attribute decides,
	// and then the bot's default language.
	Language string `json:"language,omitempty"`
}

func invalid(field, rule string) error { return &store.FieldError{Field: field, Rule: rule} }

// Validate checks r against the limits of the chat API. The error is a
// *store.FieldError naming the field and the rule; it unwraps to
// store.ErrInvalid. Chat calls it first; a caller may call it earlier.
func (r *Request) Validate() error {
	if err := store.CheckSessionID(r.SessionID); err != nil {
		return err
	}
	if r.UserID != "" {
		if err := store.CheckUserID(r.UserID); err != nil {
			return err
		}
	}
	n := 0
	if r.Query != "" {
		n++
		if c := utf8.RuneCountInString(r.Query); c > story.MaxQueryLen {
			return invalid("query", fmt.Sprintf("must be 1 to %d characters", story.MaxQueryLen))
		}
	}
	if r.Trigger != "" {
		n++
		if c := utf8.RuneCountInString(r.Trigger); c > story.MaxTriggerLen {
			return invalid("trigger", fmt.Sprintf("must be 1 to %d characters", story.MaxTriggerLen))
		}
	}
	if r.Goto != "" {
		n++
		if !store.ValidID(r.Goto) {
			return invalid("goto", "must be an interaction id of 24 lowercase hex digits")
		}
	}
	switch n {
	case 0:
		return invalid("query", "one of query, trigger and goto is required")
	case 1:
	default:
		return invalid("query", "only one of query, trigger and goto may be given")
	}
	if r.Confidence != 0 && !(r.Confidence >= story.MinConfidence && r.Confidence <= story.MaxConfidence) || math.IsNaN(r.Confidence) {
		return invalid("confidence", fmt.Sprintf("must be %.1f to %.1f", story.MinConfidence, story.MaxConfidence))
	}
	if r.Lifespan != 0 && (r.Lifespan < story.MinLifespan || r.Lifespan > story.MaxLifespan) {
		return invalid("lifespan", fmt.Sprintf("must be %d to %d", story.MinLifespan, story.MaxLifespan))
	}
	if r.StoryID != "" && !store.ValidID(r.StoryID) {
		return invalid("storyId", "must be a story id of 24 lowercase hex digits")
	}
	if len(r.Language) > MaxLanguageLen {
		return invalid("language", fmt.Sprintf("must be at most %d characters", MaxLanguageLen))
	}
	if len(r.Parameters) > MaxRequestParameters {
		return invalid("parameters", fmt.Sprintf("must have at most %d entries", MaxRequestParameters))
	}
	for k, v := range r.Parameters {
		if !store.ValidAttributeKey(k) {
			return invalid("parameters", fmt.Sprintf("key %q must match %s", k, story.AttributeNamePattern))
		}
		if c := utf8.RuneCountInString(v); c < 1 || c > MaxParameterValue {
			return invalid("parameters."+k, fmt.Sprintf("must be 1 to %d characters", MaxParameterValue))
		}
	}
	return nil
}

// A Response is the bot's answer to one Request, in the chat API's shape.
type Response struct {
	Result    Result `json:"result"`
	SessionID string `json:"sessionId"`
	// Timestamp is when the turn ran, in TimestampFormat.
	Timestamp string `json:"timestamp"`
	Status    Status `json:"status"`
}

// Status is the chat API's status object: {200, "success"} for every turn
// Chat answers.
type Status struct {
	Code int    `json:"code"`
	Type string `json:"type"`
}

// Sources of a Result.
const (
	// SourceBot: the bot answered (the chat API's "custom").
	SourceBot = "custom"
	// SourceAgent: the conversation is with a human agent; the bot only
	// recorded the message and said nothing.
	SourceAgent = "agent"
	// SourceLimit: the thread reached the bot's message_limit; the bot
	// answers no more in it (the thread gets an EXCEEDED_USAGE_LIMITS
	// system message).
	SourceLimit = "limit"
)

// A Result is what the bot understood and what it answers.
type Result struct {
	// Source is SourceBot, or SourceAgent while an agent has the
	// conversation.
	Source string `json:"source"`
	// ResolvedQuery is the message as understood: the query, the trigger
	// name or the goto id.
	ResolvedQuery string `json:"resolvedQuery"`
	// Confidence is the threshold this turn used.
	Confidence float64 `json:"confidence"`
	// Score is the score of the interaction that answered: 1 for a
	// trigger, a goto or a keyword; for a fallback, the best score below
	// Confidence among the ranked candidates, or 0 (a candidate at or
	// above Confidence whose condition failed does not count).
	Score float64 `json:"score"`
	// Lifespan is what is left of the active context's lifespan, 0 at
	// the root.
	Lifespan int `json:"lifespan"`
	// Incomplete is true when the interaction waits for a required
	// parameter (its prompt is in Fulfillment), or gave up on one.
	Incomplete bool   `json:"incomplete"`
	StoryID    string `json:"storyId"`
	// Interaction is the interaction that answered.
	Interaction Interaction `json:"interaction"`
	// Parameters are the interaction's parameters collected so far.
	Parameters map[string]string `json:"parameters"`
	// SessionParameters are the attributes the turn saw and left: the
	// user's attributes overlaid with the session's.
	SessionParameters map[string]string `json:"sessionParameters"`
	// Contexts are the active contexts, most recent first.
	Contexts []Context `json:"contexts"`
	// Fulfillment is what the bot says, in order.
	Fulfillment []Fulfillment `json:"fulfillment"`
	// Candidates are the ranked matches of the query, with Request.Debug.
	Candidates []Candidate `json:"candidates,omitempty"`
}

// Interaction names an interaction in a Result.
type Interaction struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Action string `json:"action"`
}

// A Context is an active context in a Result.
type Context struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Action     string            `json:"action"`
	Parameters map[string]string `json:"parameters"`
}

// A Candidate is one ranked match of a debug result.
type Candidate struct {
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Score float64 `json:"score"`
	// Keyword is true when a keyword pattern matched.
	Keyword bool `json:"keyword,omitempty"`
	// Eligible is true when the candidate could answer: its score
	// reaches the confidence threshold and its condition holds. The
	// interactions not eligible under the active context, and those
	// backtracking blocks, are not ranked at all.
	Eligible bool `json:"eligible"`
}

// Fulfillment types. The first group are messages; the second are the
// actions a debug result lists, one entry each, where they happened.
const (
	TypeText         = "text"
	TypeImage        = "image"
	TypeQuickReplies = "quickReplies"
	TypeButtons      = "buttons"
	TypeCard         = "card"
	TypeCarousel     = "carousel"

	TypeSetAttributes = "setAttributes"
	TypeGoto          = "goto"
	TypeReset         = "reset"
	TypeEnd           = "end"
	TypeBacktracking  = "backtracking"
	TypeHandoff       = "handoff"
	TypeWebhook       = "webhook"
	TypeMeeting       = "meeting"
	TypeGoal          = "goal"
)

// A Fulfillment is one message of the bot's answer (or, with debug, one
// action performed). Type says which fields are set.
type Fulfillment struct {
	Type string `json:"type"`
	// Delay is the pause before the message, in milliseconds (the
	// interaction's delay responses add up into the next message's).
	Delay int `json:"delay"`
	// Message is the text of a text message, or the URL of an image.
	Message string `json:"message,omitempty"`
	// Title is the title of quick replies, buttons or a card.
	Title string `json:"title,omitempty"`
	// Subtitle and Image belong to a card.
	Subtitle string   `json:"subtitle,omitempty"`
	Image    string   `json:"image,omitempty"`
	Buttons  []Button `json:"buttons,omitempty"`
	// Cards are the cards of a carousel.
	Cards []Fulfillment `json:"cards,omitempty"`
	// Data details an action: the attributes set, the goto target, the
	// webhook name, whether an agent was available.
	Data map[string]string `json:"data,omitempty"`
}

// Button types.
const (
	ButtonPostback = "postback" // Value is the message to send
	ButtonGoto     = "goto"     // Value is the interaction id to send as Request.Goto
	ButtonURL      = "url"      // Value is the URL to open
)

// A Button is a button of quick replies, buttons or a card.
type Button struct {
	Type  string `json:"type"`
	Title string `json:"title"`
	Value string `json:"value"`
}

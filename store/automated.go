package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// An AutomatedMessage is a message the bot sends first, without being
// asked (Userbot's automated messages, Intercom's and Crisp's triggers):
// when its Trigger happens to a session and its Condition holds, the engine
// appends it to the session's thread as a bot message, within its delivery
// rules. Operators save them while the bot runs.
type AutomatedMessage struct {
	// ID is the store's 24-hex id, assigned by the first save.
	ID string `json:"id"`
	// Name says what the message is for (1–256 characters).
	Name string `json:"name"`
	// Disabled keeps the message from being sent.
	Disabled bool `json:"disabled,omitempty"`
	// Trigger is what makes the engine consider the message.
	Trigger Trigger `json:"trigger"`
	// Condition, when not "", must hold for the message to be sent: an
	// expr condition over the user, the session, the page and the time
	// (see the engine's documentation), up to 1,024 characters.
	Condition string `json:"condition,omitempty"`
	// Repeat, MaxTimes, MinInterval, DuringAgent and Priority are the
	// delivery rules.
	//
	// Repeat is RepeatOnce (the default, ""), RepeatSession or
	// RepeatAlways: once per user, once per session, or every time.
	Repeat string `json:"repeat,omitempty"`
	// MaxTimes bounds how many times one user gets the message (0: no
	// bound beyond Repeat's).
	MaxTimes int `json:"maxTimes,omitempty"`
	// MinInterval is the least time between two deliveries to one user.
	MinInterval time.Duration `json:"minInterval,omitempty"`
	// DuringAgent allows the message while an agent has the conversation
	// (AGENT mode); by default it waits until the bot has it back.
	DuringAgent bool `json:"duringAgent,omitempty"`
	// Priority decides between messages that would all be sent on one
	// occasion: only the one of highest priority is (the oldest on a tie).
	// -1,000 to 1,000.
	Priority int `json:"priority,omitempty"`
	// Text, QuickReplies and Goto are what the message says. Text (up to
	// 4,096 characters) is sent as the bot's text, with QuickReplies (up
	// to 10 of 1–256 characters) as buttons whose titles are sent back as
	// the user's message. Goto (an interaction id of the bot) sends that
	// interaction's answer instead, with everything it can do: cards,
	// buttons, actions, a story to continue. One of Text and Goto is
	// required.
	Text         string   `json:"text,omitempty"`
	QuickReplies []string `json:"quickReplies,omitempty"`
	Goto         string   `json:"goto,omitempty"`
	// CreatedAt is set by the first save, UpdatedAt by every save.
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Repeat rules of an [AutomatedMessage].
const (
	RepeatOnce    = "once"    // once per user (the default)
	RepeatSession = "session" // once per session
	RepeatAlways  = "always"  // every time the trigger fires, within MaxTimes and MinInterval
)

// Trigger kinds: what makes the engine consider an automated message.
const (
	OnStart    = "start"     // a conversation starts: a session's first turn or a new thread
	OnPageView = "page_view" // a page is viewed (After: seconds spent on it first)
	OnIdle     = "idle"      // the session has been quiet for After
	OnEvent    = "event"     // the host reports the event named Event (e.g. "drink_ready")
	OnSchedule = "schedule"  // at a time: At, or every day at Daily
	OnMeeting  = "meeting"   // After before a scheduled meeting of the user starts
)

// A Trigger is when an automated message is considered.
type Trigger struct {
	// On is OnStart, OnPageView, OnIdle, OnEvent or OnSchedule.
	On string `json:"on"`
	// Event names the host's event, for OnEvent (1–128 characters of
	// letters, digits, '_', '-' and '.').
	Event string `json:"event,omitempty"`
	// After is the time on the page first, for OnPageView (0: at once),
	// the quiet time, for OnIdle (required), and the time before the
	// meeting starts, for OnMeeting (0: as it starts); 0 to 24 hours.
	After time.Duration `json:"after,omitempty"`
	// At is the one time an OnSchedule message is sent to every user
	// matching it; Daily ("15:04", in the bot's time zone) sends it every
	// day at that time, on Days only if given ("monday" … "sunday").
	// One of At and Daily is required for OnSchedule.
	At    time.Time `json:"at,omitzero"`
	Daily string    `json:"daily,omitempty"`
	Days  []string  `json:"days,omitempty"`
}

// Limits of automated messages.
const (
	MaxAutomatedMessages = 10000 // automated messages a bot may keep
	MaxQuickReplies      = 10
	MaxConditionLen      = 1024
	MaxPriority          = 1000
	MaxTriggerAfter      = 24 * time.Hour
)

var weekdayNames = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// ParseDaily parses a Trigger's Daily, "15:04", into hours and minutes.
func ParseDaily(s string) (hour, minute int, err error) {
	h, m, ok := strings.Cut(s, ":")
	if ok && len(h) == 2 && len(m) == 2 {
		hour, err1 := strconv.Atoi(h)
		minute, err2 := strconv.Atoi(m)
		if err1 == nil && err2 == nil && hour >= 0 && hour < 24 && minute >= 0 && minute < 60 {
			return hour, minute, nil
		}
	}
	return 0, 0, fmt.Errorf("%q is not a time of day as HH:MM", s)
}

// CheckAutomatedMessage checks the fields of m that a store can check (the
// engine compiles its Condition and checks its Goto), and fills Repeat's
// default.
func CheckAutomatedMessage(m *AutomatedMessage) error {
	if m.ID != "" {
		if err := CheckID("id", m.ID); err != nil {
			return err
		}
	}
	if err := checkLen("name", m.Name, 1, 256); err != nil {
		return err
	}
	if err := checkTrigger(&m.Trigger); err != nil {
		return err
	}
	if n := len([]rune(m.Condition)); n > MaxConditionLen {
		return invalid("condition", fmt.Sprintf("must be 0 to %d characters", MaxConditionLen))
	}
	switch m.Repeat {
	case "":
		m.Repeat = RepeatOnce
	case RepeatOnce, RepeatSession, RepeatAlways:
	default:
		return invalid("repeat", "must be once, session or always")
	}
	if m.MaxTimes < 0 {
		return invalid("maxTimes", "must not be negative")
	}
	if m.MinInterval < 0 {
		return invalid("minInterval", "must not be negative")
	}
	if m.Priority < -MaxPriority || m.Priority > MaxPriority {
		return invalid("priority", fmt.Sprintf("must be %d to %d", -MaxPriority, MaxPriority))
	}
	if m.Text == "" && m.Goto == "" {
		return invalid("text", "is required unless goto is given")
	}
	if err := checkLen("text", m.Text, 0, 4096); err != nil {
		return err
	}
	if len(m.QuickReplies) > MaxQuickReplies {
		return invalid("quickReplies", fmt.Sprintf("must be at most %d", MaxQuickReplies))
	}
	if len(m.QuickReplies) > 0 && m.Text == "" {
		return invalid("quickReplies", "need a text")
	}
	for i, q := range m.QuickReplies {
		if err := checkLen(fmt.Sprintf("quickReplies[%d]", i), q, 1, 256); err != nil {
			return err
		}
	}
	if m.Goto != "" && !ValidID(m.Goto) {
		return invalid("goto", "must be an interaction id (24 hex characters)")
	}
	return nil
}

func checkTrigger(t *Trigger) error {
	if t.After < 0 || t.After > MaxTriggerAfter {
		return invalid("trigger.after", "must be 0 to 24 hours")
	}
	switch t.On {
	case OnStart, OnPageView, OnMeeting:
	case OnIdle:
		if t.After < time.Second {
			return invalid("trigger.after", "must be at least a second for an idle trigger")
		}
	case OnEvent:
		if !validEventName(t.Event) {
			return invalid("trigger.event", "must be 1 to 128 letters, digits, '_', '-' or '.'")
		}
	case OnSchedule:
		if t.At.IsZero() == (t.Daily == "") {
			return invalid("trigger.at", "a schedule needs either at or daily")
		}
		if t.Daily != "" {
			if _, _, err := ParseDaily(t.Daily); err != nil {
				return invalid("trigger.daily", "must be a time of day as HH:MM")
			}
		}
		for i, d := range t.Days {
			if !contains(weekdayNames, d) {
				return invalid(fmt.Sprintf("trigger.days[%d]", i), "must be a weekday in lowercase (monday ... sunday)")
			}
		}
	default:
		return invalid("trigger.on", "must be start, page_view, idle, event, schedule or meeting")
	}
	if t.On != OnEvent && t.Event != "" {
		return invalid("trigger.event", "is only for an event trigger")
	}
	if t.On != OnSchedule && (!t.At.IsZero() || t.Daily != "" || len(t.Days) > 0) {
		return invalid("trigger.at", "at, daily and days are only for a schedule trigger")
	}
	return nil
}

func validEventName(s string) bool {
	if len(s) < 1 || len(s) > 128 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// CheckEventName checks the name of a host event.
func CheckEventName(field, s string) error {
	if !validEventName(s) {
		return invalid(field, "must be 1 to 128 letters, digits, '_', '-' or '.'")
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// An AutomatedDelivery is the record of an automated message sent to one recipient
// (a user's ID, or a session's ID for a session without a user).
type AutomatedDelivery struct {
	MessageID string
	Recipient string
	// Count is the number of times the message was sent; Last when it was
	// last sent, and in which session.
	Count     int
	Last      time.Time
	SessionID string
}

// AutomatedMessages keeps automated messages and their deliveries.
// Implementations are safe for concurrent use.
type AutomatedMessages interface {
	// SaveAutomatedMessage stores m (see [CheckAutomatedMessage]): a new
	// message when m.ID is "", which gets an ID and CreatedAt, else a
	// replacement of the message with that ID (ErrNotFound if none),
	// which keeps its CreatedAt and its deliveries. It returns the message
	// as stored. A bot keeps at most MaxAutomatedMessages.
	SaveAutomatedMessage(ctx context.Context, m AutomatedMessage) (AutomatedMessage, error)
	// AutomatedMessages returns every automated message, oldest first.
	AutomatedMessages(ctx context.Context) ([]AutomatedMessage, error)
	// DeleteAutomatedMessage deletes a message and its deliveries.
	DeleteAutomatedMessage(ctx context.Context, id string) error
	// ClaimAutomatedDelivery decides a delivery atomically: it reads the delivery
	// of message messageID to recipient (Count 0 if none yet) and calls
	// fn with it; if fn returns nil, the delivery fn left is written
	// (MessageID and Recipient kept) and returned, else nothing is written
	// and the error returned. fn may run more than once and must not call
	// the store. Claims of one delivery are serialized, so a rule fn
	// checks (once per user, at most N times) holds across processes. An
	// unknown message is ErrNotFound.
	ClaimAutomatedDelivery(ctx context.Context, messageID, recipient string, fn func(*AutomatedDelivery) error) (AutomatedDelivery, error)
	// AutomatedDeliveries returns the deliveries to recipient, in the order of
	// their messages.
	AutomatedDeliveries(ctx context.Context, recipient string) ([]AutomatedDelivery, error)
}

// CheckRecipient checks the recipient of a delivery: a session id or a
// user's ID.
func CheckRecipient(recipient string) error {
	if err := CheckSessionID(recipient); err != nil && !ValidID(recipient) {
		return invalid("recipient", "must be a user's id or a session id")
	}
	return nil
}

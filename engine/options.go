package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/parleybot/parley/story"
)

// An Option configures New. A bad option makes New return an error.
type Option func(*config) error

type config struct {
	logger       *slog.Logger
	now          func() time.Time
	seed         uint64
	seeded       bool
	webhooks     map[string]Webhook
	handoff      HandoffFunc
	hooksOut     Webhooks
	codes        CodeSender
	zone         *time.Location
	model        []byte // WithModel
	requireHooks bool
	resolver     CompanyResolver
	calendar     Calendar
	urls         WebhookURLs
}

// WithTimeZone sets the bot's time zone: the time of day the conditions
// of automated messages see for a user without a default_timezone, and
// the zone of their daily schedules. The default is the bot's timezone
// setting, else UTC; never the process's local zone.
func WithTimeZone(loc *time.Location) Option {
	return func(c *config) error {
		if loc == nil {
			return errors.New("engine: WithTimeZone: nil location")
		}
		c.zone = loc
		return nil
	}
}

// WithLogger sends the engine's log to l. The default discards it.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("engine: WithLogger: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithClock sets the clock the engine reads for response timestamps and
// for the time conditions see (hour, weekday, ...). The default is
// time.Now. Session expiry runs on the store's clock: give both the same
// clock for reproducible tests.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("engine: WithClock: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithSeed makes the choice of response variants deterministic: with the
// same seed, the same bot and the same conversation, a session gets the
// same variants, whatever other sessions do. The default seed is random.
func WithSeed(seed uint64) Option {
	return func(c *config) error {
		c.seed, c.seeded = seed, true
		return nil
	}
}

// A WebhookCall is what a webhook receives: the turn so far.
type WebhookCall struct {
	// Name is the name the webhook was registered under.
	Name      string
	SessionID string
	// UserID is the store id of the session's user, "" if none.
	UserID string
	// Query is the user's message ("" for a trigger or goto).
	Query       string
	StoryID     string
	Interaction Interaction
	// Parameters, SessionAttributes and UserAttributes are copies the
	// webhook may keep.
	Parameters        map[string]string
	SessionAttributes map[string]string
	UserAttributes    map[string]string
}

// A WebhookResult is what a webhook gives back: text messages and
// messages of any kind (Fulfillment, as a response would give them) that
// join the fulfillment where the webhook action stands; attributes merged
// into the session's and the user's (an empty value removes one) as a set
// action's are: a value longer than 1,024 characters (default_name 256)
// fails the turn with ErrValueTooLong, naming the webhook and the
// attribute; a name that does not match ^[\w-]{1,128}$, an attribute
// past the 99th and the removal of a user's last attribute are left out,
// each logged as a warning; and Goto, the id
// or name of an interaction to continue at, followed as a goto action is
// (the rest of the interaction's responses is skipped).
type WebhookResult struct {
	Messages          []string
	Fulfillment       []Fulfillment
	SessionAttributes map[string]string
	UserAttributes    map[string]string
	Goto              string
}

// A Webhook is a Go function the host registers by name with WithWebhook;
// a bot's webhook action calls it. It runs inside the turn, before the
// turn commits, and at most once per action per Chat call (its result is
// reused if the store retries the turn). An error or a panic fails the
// Chat call with an error naming the webhook, and nothing of the turn is
// stored, unless the error wraps ErrWebhookFailed: then the turn goes on
// as the webhook's failure path says (see ErrWebhookFailed). It must be safe for concurrent use, and must not call Chat or
// UpdateSessionAttributes for the same session, nor change the turn's user
// (UpdateUser, SetBanned, AddToSegments, RemoveFromSegments, DeleteUser):
// those wait for this turn to end. UserAttributes in the result changes the
// user within the turn.
type Webhook func(ctx context.Context, call WebhookCall) (WebhookResult, error)

// WithWebhook registers fn under name. It wins over a URL the bot's
// settings give the same webhook (see [WebhookURLs]). A webhook action
// whose name has neither a function nor a URL is skipped (logged, and
// listed in a debug result).
func WithWebhook(name string, fn Webhook) Option {
	return func(c *config) error {
		if name == "" || len(name) > story.MaxWebhookNameLen {
			return fmt.Errorf("engine: WithWebhook: name must be 1 to %d characters", story.MaxWebhookNameLen)
		}
		if fn == nil {
			return fmt.Errorf("engine: WithWebhook %q: nil function", name)
		}
		if c.webhooks == nil {
			c.webhooks = make(map[string]Webhook)
		}
		c.webhooks[name] = fn
		return nil
	}
}

// WebhookURLs says how the engine calls the URLs a bot's settings give
// its webhooks (story.Settings.Webhooks, settings webhooks in the bot
// file). For each such webhook that the host registers no function for
// with WithWebhook, New and Reload build an [HTTPWebhook] from these
// fields, so the zero value posts the calls unsigned, with
// DefaultWebhookTimeout for the webhooks whose settings give no timeout.
type WebhookURLs struct {
	// Token signs each call as HTTPWebhook's token does (X-WEBHOOK-TOKEN
	// and X-Webhook-Signature); "" sends the calls unsigned. Bot files
	// carry no secrets: the token is the host's.
	Token string
	// Timeout is how long a call may take when its webhook's settings
	// give no timeout; 0 means DefaultWebhookTimeout.
	Timeout time.Duration
	// Client posts the calls; nil means a client of the engine's own,
	// kept across reloads.
	Client *http.Client
	// Wrap, when not nil, wraps each webhook built from a URL, as the
	// host may wrap the functions it registers: to count the calls and
	// failures (metrics.Metrics.Webhook), say.
	Wrap func(name string, fn Webhook) Webhook
}

// WithWebhookURLs sets how the engine calls the URLs the bot's settings
// give its webhooks; see [WebhookURLs] for the default. A function the
// host registers with WithWebhook wins over the URL of the same name.
func WithWebhookURLs(u WebhookURLs) Option {
	return func(c *config) error {
		if u.Timeout < 0 {
			return fmt.Errorf("engine: WithWebhookURLs: negative timeout %v", u.Timeout)
		}
		c.urls = u
		return nil
	}
}

// RequireWebhooks makes New and Reload refuse a bot that calls a webhook
// that neither WithWebhook registers nor the bot's settings give a URL
// ([ErrUnregisteredWebhook]), for hosts that
// would rather not start than skip an action. Without it such a webhook
// is skipped at run time, as WithWebhook says, with a warning logged.
func RequireWebhooks() Option {
	return func(c *config) error {
		c.requireHooks = true
		return nil
	}
}

// A HandoffCall is what the hand-off hook receives.
type HandoffCall struct {
	SessionID string
	UserID    string // store id, "" if none
	ThreadID  string
	Query     string
	StoryID   string
	// Interaction is the interaction whose hand-off action runs.
	Interaction Interaction
}

// A HandoffFunc reports whether a human agent is available to take the
// conversation. It is called like a Webhook: inside the turn, at most once
// per Chat call and action. An error or panic counts as no agent: the
// failure branch runs and the thread gets a SYSTEM_MESSAGE
// PROBLEMS_WITH_UPSTREAM_PROVIDER; the error is logged.
type HandoffFunc func(ctx context.Context, call HandoffCall) (available bool, err error)

// WithHandoff sets the hook that decides whether an agent is available
// when a hand-off action runs. Without it an agent is available when one
// is present ([Engine.AgentPresent]: connected to a live stream of the
// bot's events).
func WithHandoff(fn HandoffFunc) Option {
	return func(c *config) error {
		if fn == nil {
			return errors.New("engine: WithHandoff: nil function")
		}
		c.handoff = fn
		return nil
	}
}

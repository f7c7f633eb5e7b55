package engine

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

// Errors of Chat besides the *store.FieldError of a bad request.
var (
	// ErrNoBot is returned by New and Reload when given a nil bot.
	ErrNoBot = errors.New("engine: no bot")

	// ErrValueTooLong fails a turn in which a set action or a webhook
	// gives an attribute a value longer than the store allows (1,024
	// characters, 256 for default_name). It is the bot's error, not the
	// request's: the error names the response's file and line, and Chat
	// logs it at level ERROR.
	ErrValueTooLong = errors.New("engine: attribute value too long")

	// ErrWebhookFailed, wrapped in a webhook's error, says that the
	// webhook could not answer (a service down, too slow, answering
	// nonsense) rather than that the turn must fail: the rest of the
	// interaction's responses is skipped, the interaction's contextual
	// fallback (else the story's) answers, the thread gets a
	// SYSTEM_MESSAGE PROBLEMS_WITH_UPSTREAM_PROVIDER, and the failure is
	// logged at WARN. HTTPWebhook's errors wrap it.
	ErrWebhookFailed = errors.New("engine: webhook failed")

	// ErrUnregisteredWebhook is returned by New and Reload, under
	// [RequireWebhooks], for a bot that calls a webhook no WithWebhook
	// registered; the error names them.
	ErrUnregisteredWebhook = errors.New("engine: the bot calls a webhook that is not registered")
)

// A NotFoundError says which field of a call named nothing, where a call
// takes more than one id. It unwraps to store.ErrNotFound.
type NotFoundError struct {
	Field string // the field, as in the chat API: "id", "sessionId", ...
	Err   error  // the store's error
}

// Error implements the error interface.
func (e *NotFoundError) Error() string { return "engine: " + e.Field + ": " + e.Err.Error() }

// Unwrap returns the store's error, which is store.ErrNotFound.
func (e *NotFoundError) Unwrap() error { return e.Err }

// An Engine runs conversations with one bot, keeping them in a store.
// It is safe for concurrent use: turns of one session run one at a time in
// the order the calls arrive, turns of different sessions in parallel.
// The Engine borrows the store and never closes it.
type Engine struct {
	st    store.Store
	log   *slog.Logger
	now   func() time.Time
	seed  uint64
	hooks map[string]Webhook
	// requireHooks refuses a bot calling an unregistered webhook (RequireWebhooks).
	requireHooks bool
	urls         WebhookURLs // how to call the URLs of the bot's settings
	handof       HandoffFunc
	codes        CodeSender

	bot    atomic.Pointer[compiled]
	queues *queues
	events events
	agents agents

	hooksOut   Webhooks
	outboxWake chan struct{} // RunWebhooks's, signalled when deliveries wait

	hubOnce  sync.Once
	hub      *hub // the live feeds' (live.go), started by the first
	stamp    atomic.Pointer[stamp]
	auto     automation
	zone     *time.Location
	prompts  prompts    // quick and follow-up prompts (prompts.go)
	assigned assigned   // the persona assigned to the bot (personas.go)
	looks    appearance // the edited appearance (appearance.go)
	model    []byte     // WithModel's compiled model, nil if none

	resolver CompanyResolver // nil: companies from email domains only
	leads    leadState
	calendar Calendar // nil: meetings are only stored
	qa       qaEdits  // stored Q&A (qa.go)
}

// stamp is a formatted Response.Timestamp and the millisecond it names:
// the turns of one millisecond share it.
type stamp struct {
	ms int64
	s  string
}

// New builds an engine for bot over st: it trains one matcher per story, or
// loads it from the compiled model given [WithModel], and prepares
// everything a turn needs, so that Chat only executes. It returns
// an error for a nil store or bot, a bad option, or a bot the matcher
// cannot be trained on.
func New(st store.Store, bot *story.Bot, opts ...Option) (*Engine, error) {
	if st == nil {
		return nil, errors.New("engine: nil store")
	}
	var c config
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&c); err != nil {
			return nil, err
		}
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.urls.Client == nil {
		c.urls.Client = &http.Client{Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, MaxIdleConnsPerHost: 16, IdleConnTimeout: time.Minute}}
	}
	if !c.seeded {
		var b [8]byte
		rand.Read(b[:])
		c.seed = binary.LittleEndian.Uint64(b[:])
	}
	e := &Engine{
		st:           st,
		log:          c.logger,
		now:          c.now,
		seed:         c.seed,
		hooks:        c.webhooks,
		requireHooks: c.requireHooks,
		urls:         c.urls,
		handof:       c.handoff,
		codes:        c.codes,
		queues:       newQueues(),

		hooksOut:   c.hooksOut,
		outboxWake: make(chan struct{}, 1),
		zone:       c.zone,
		model:      c.model,
		resolver:   c.resolver,
		calendar:   c.calendar,
	}
	if err := e.Reload(bot); err != nil {
		return nil, err
	}
	return e, nil
}

// Reload replaces the bot. It builds the new bot completely first, with
// the stored Q&A read again from the store; turns running meanwhile finish
// with the old bot, and every turn that starts after Reload returns uses
// the new one. Sessions keep their state: a context or pending question
// that names an interaction the new bot does not have is dropped, and the
// session continues from the root. On error the engine keeps the old bot.
// Then it stores the automated messages the bot declares that no stored
// message has the name of (see the package doc).
func (e *Engine) Reload(bot *story.Bot) error {
	if bot == nil {
		return ErrNoBot
	}
	e.qa.mu.Lock()
	defer e.qa.mu.Unlock()
	qas, err := e.QAs(context.Background())
	if err != nil {
		return err
	}
	cb, err := compile(bot, qas, e.log, e.model)
	if err != nil {
		return err
	}
	declared, err := declaredMessages(bot)
	if err != nil {
		return err
	}
	if cb.hooks, err = e.urlHooks(bot); err != nil {
		return err
	}
	var missing []string
	for _, name := range bot.Webhooks() {
		if _, ok := e.hooks[name]; !ok && cb.hooks[name] == nil {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 && e.requireHooks {
		return fmt.Errorf("%w: %s (register each with WithWebhook, or give its URL under settings webhooks)", ErrUnregisteredWebhook, strings.Join(missing, ", "))
	}
	for _, name := range missing {
		e.log.Warn("engine: the bot calls a webhook that is not registered: its actions are skipped", "webhook", name)
	}
	e.bot.Store(cb)
	return e.seedAutomated(context.Background(), declared)
}

// urlHooks builds an HTTPWebhook for each webhook the bot's settings give
// a URL and the host registers no function for.
func (e *Engine) urlHooks(bot *story.Bot) (map[string]Webhook, error) {
	var hooks map[string]Webhook
	for _, w := range bot.Settings.Webhooks {
		if e.hooks[w.Name] != nil {
			continue
		}
		fn, err := HTTPWebhook(w.URL, e.urls.Token, cmp.Or(w.Timeout, e.urls.Timeout), e.urls.Client)
		if err != nil {
			return nil, fmt.Errorf("engine: %s:%d:%d: webhook %q: %w", w.Pos.File, w.Pos.Line, w.Pos.Col, w.Name, err)
		}
		if e.urls.Wrap != nil {
			fn = e.urls.Wrap(w.Name, fn)
		}
		if hooks == nil {
			hooks = make(map[string]Webhook, len(bot.Settings.Webhooks))
		}
		hooks[w.Name] = fn
	}
	return hooks, nil
}

// Bot returns the bot the engine runs now.
func (e *Engine) Bot() *story.Bot { return e.bot.Load().bot }

// Chat runs one turn: it validates req, picks the interaction that answers,
// renders its responses, applies its actions, commits everything to the
// store in one transaction and then notifies subscribers.
//
// A request breaking a limit of the chat API is a *store.FieldError (see
// Request.Validate); a goto or storyId naming nothing in the bot is one
// too. Nothing is stored when Chat returns an error.
func (e *Engine) Chat(ctx context.Context, req Request) (Response, error) {
	return e.chat(ctx, req, "", "", nil)
}

// chat runs one turn; in thread threadID if not "", and then it fills out
// with the thread and the messages appended. said, for a goto, is the
// words the user chose it by (a button's title), recorded as their
// message. Once the turn is over it sends the automated messages the
// start of a conversation triggers.
func (e *Engine) chat(ctx context.Context, req Request, threadID, said string, out *Sent) (Response, error) {
	resp, started, err := e.runTurn(ctx, req, threadID, said, out, "")
	if err == nil {
		e.afterTurn(ctx, req.SessionID, started.userID, started.session)
	}
	return resp, err
}

// turnStart says whether a turn started a session, and whose.
type turnStart struct {
	session bool
	userID  string
}

// runTurn runs one turn of chat; auto is the id of the automated message
// the turn sends (a goto), "" for a turn of the user.
func (e *Engine) runTurn(ctx context.Context, req Request, threadID, said string, out *Sent, auto string) (Response, turnStart, error) {
	if err := req.Validate(); err != nil {
		return Response{}, turnStart{}, err
	}
	cb := e.bot.Load()
	if req.StoryID != "" && cb.stories[req.StoryID] == nil {
		return Response{}, turnStart{}, invalid("storyId", "must name a story of the bot")
	}
	if req.Goto != "" && cb.inters[req.Goto] == nil {
		return Response{}, turnStart{}, invalid("goto", "must name an interaction of the bot")
	}
	var userID string
	if req.UserID != "" {
		u, err := e.findUser(ctx, req.UserID)
		if err != nil {
			return Response{}, turnStart{}, err
		}
		userID = u.ID
	}
	if err := e.queues.acquire(ctx, req.SessionID); err != nil {
		return Response{}, turnStart{}, err
	}
	defer e.queues.release(req.SessionID)

	var start time.Time
	logTurn := e.log.Enabled(ctx, slog.LevelDebug)
	if logTurn {
		start = time.Now()
	}
	tr := turns.Get().(*turn)
	defer tr.free()
	tr.e, tr.cb, tr.req, tr.ctx, tr.userID, tr.threadID, tr.said, tr.auto = e, cb, req, ctx, userID, threadID, said, auto
	if err := e.st.Update(ctx, req.SessionID, tr.fn); err != nil {
		if errors.Is(err, ErrValueTooLong) {
			e.log.LogAttrs(ctx, slog.LevelError, "engine: turn failed", slog.String("session", req.SessionID), slog.Any("err", err))
		}
		return Response{}, turnStart{}, err
	}
	if len(tr.t.Deliveries) > 0 {
		e.wakeWebhooks()
	}
	if len(tr.meetings) > 0 {
		e.requestMeetings(ctx, tr.meetings, tr.t)
	}
	if out != nil && tr.t.Thread != nil {
		out.Thread = *tr.t.Thread
		out.Messages = slices.Clone(tr.t.Messages)
	}
	tr.resp.Timestamp = e.timestamp(tr.now)
	if logTurn {
		res := &tr.resp.Result
		e.log.LogAttrs(ctx, slog.LevelDebug, "turn",
			slog.String("session", req.SessionID),
			slog.String("interaction", res.Interaction.Name),
			slog.String("interactionId", res.Interaction.ID),
			slog.Float64("score", res.Score),
			slog.Bool("fallback", tr.fallback),
			slog.String("source", res.Source),
			slog.Duration("duration", time.Since(start)))
	}
	tr.logNotes()
	if subs := e.subscribers(); len(subs) > 0 {
		tr.events(&tr.resp, func(ev Event) {
			if auto != "" && ev.Kind == EventMessage {
				ev.Automated = auto
			}
			e.emit(subs, ev)
		})
	}
	return tr.resp, turnStart{session: tr.t.New, userID: tr.t.Session.UserID}, nil
}

// timestamp formats t in TimestampFormat, once per millisecond.
func (e *Engine) timestamp(t time.Time) string {
	ms := t.UnixMilli()
	if st := e.stamp.Load(); st != nil && st.ms == ms {
		return st.s
	}
	st := &stamp{ms: ms, s: t.UTC().Format(TimestampFormat)}
	e.stamp.Store(st)
	return st.s
}

// findUser finds a user by userId, or else by store id.
func (e *Engine) findUser(ctx context.Context, id string) (store.User, error) {
	u, err := e.st.UserByUserID(ctx, id)
	if errors.Is(err, store.ErrNotFound) && store.ValidID(id) {
		u, err = e.st.User(ctx, id)
	}
	if errors.Is(err, store.ErrNotFound) {
		// Not the backend's account of where it looked: one layer says
		// what is missing.
		err = store.ErrNotFound
	}
	if err != nil {
		return store.User{}, fmt.Errorf("engine: user %q: %w", id, err)
	}
	return u, nil
}

package httpadapter

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// Userbot's WebSocket API. A Handler accepts the operators' socket on
// GET /ws, for every bot it serves. Every frame is a text frame.
//
// A request is one frame of command words separated by spaces, and for
// operations that take one, a JSON payload after the words: the payload
// starts at the first word that starts with "{" or "[" and runs to the end
// of the frame. The first word may hold the whole channel name with dots
// ("chatusers.get" and "chatusers get" are the same command). The channel
// of a request is its command words joined by dots.
//
// A reply is one JSON object naming the request's channel, with the
// status of the chat API and, on success, the operation's data:
//
//	→ chatusers.get {"limit": 2, "filters": [{"field": "tag", "op": "equals", "value": "vip"}]}
//	← {"channel":"chatusers.get","status":{"code":200,"type":"success"},"data":{"users":[...],"count":2,"next":"18ea..."}}
//
// or, when the request is refused, an error message and the field at
// fault when there is one:
//
//	← {"channel":"chatusers.get","status":{"code":400,"type":"error","message":"must be 1 to 40"},"field":"limit"}
//
// The codes are those of the REST API (400 bad input, 401 not logged in,
// 404 unknown id or channel, 409 conflict, 413 frame too large, 503
// busy). The server reads a connection's requests one at a time and
// replies in order, but for the chunks of an import, each answered once
// the import has read it (userbot_upload.go); a frame it cannot parse
// gets an error reply on channel "error" and the connection stays open.
// A frame larger than the frame limit (WithMaxBodyBytes, 1 MiB by
// default) is skipped and answered with a 413 on its channel, and the
// connection stays open. The server pings every 30 seconds and closes a
// connection whose pong does not come within 30 seconds.
//
// A session starts with, in order:
//
//	apiLogin KEY                  log in with an operator key (WithOperator) or the developer token
//	← {"channel":"apiLogin","status":{"code":200,...},"data":{"id":"op-1","name":"Ada"}}
//	sitekey undefined CHATBOTID   choose the bot by its chatbotId (or its name)
//	← {"channel":"sitekey.undefined","status":{...},"data":{"chatbotId":"..."}}
//	who                           the operator logged in
//	← {"channel":"who","status":{...},"data":{"user":{"id":"op-1","name":"Ada"}}}
//
// Then the operations, each with an example request (see userbot_ops.go
// for every field; replies carry the data shown after "→"):
//
//	bot.get-vars                                            → {"variables":[{"id","name","scope"}]}
//	bot.stats {"from":"2026-03-01","to":"2026-03-31"}         → {"from","to","users","totals":{counters}}
//	chatusers.get {"limit":20,"offset":40,"sort":"lastSeen","match":"all","filters":[{"field":"attributes.plan","op":"equals","value":"gold"}],"segment":"<id>"}
//	                                                        → {"users":[ChatUser],"count","next"}
//	chatusers.create [{"userId":"c-1","attributes":{"default_name":"Ann"},"tags":["vip"],"segments":["<id>"]}]
//	                                                        → {"users":[ChatUser]}
//	chatusers.delete {"users":["<id>","<id>"]}              → {"deleted":2}
//	chatusers.insights {"from":"2026-03-01","to":"2026-03-31"} → {"from","to","new","active","returning","days":[...]}
//	chatusers.import {"csv":"userId,email,tags\nc-1,ann@example.com,vip\n"}
//	                                                        → {"rows","created","updated","failed","bytes","errors":[{"line","column","reason"}]}
//	                                                          after progress replies on channel "chatusers.import.progress"
//	chatusers.import {"upload":"u1","chunk":1,"more":true,"csv":"userId,email,ta"}   (a file of any size, in chunks)
//	                                                        → {"upload","chunk","bytes"}, then the next chunk; the last → {"upload",result}
//	chatusers.get-feedback {"userId":"<id>","kind":"nps","limit":50,"after":"<id>"}
//	                                                        → {"feedback":[{"id","userId","kind","score","comment","createdAt"}],"next"}
//	chatusers.create-segment {"name":"VIPs","filter":{"match":"any","filters":[{"field":"tag","op":"equals","value":"vip"}]}}
//	chatusers.create-segment {"name":"Hand-picked","users":["<id>"]}
//	                                                        → {"id","name","createdAt","members","filter"}
//	chatusers.edit-segment {"id":"<id>","name":"Gold","filter":{"filters":[...]}} → {"id"}
//	chatusers.remove-segment ["<id>","<id>"]                → {"deleted":2}
//	chatusers.get-bot-segments                              → {"segments":[{"id","name","createdAt","members","filter"}]}
//	chatusers.get-bot-tags                                  → {"tags":[{"id","name","users"}]}
//	chatusers.add-tag {"tags":["vip"],"users":["<id>"]}     → {"tags":["vip"],"users":1}
//	chatusers.remove-tag {"tag":"vip","users":["<id>"]}     → {"tags":["vip"],"users":1}
//	chatusers.get-vars {"userId":"<id>"}                    → {"variables":[{"id","name","value"}]}
//	chatusers.set-variable {"userId":"<id>","variable_id":"<id>","value":"gold"}
//	chatusers.set-variable {"userId":"<id>","variable":{"name":"plan","value":"gold"}}
//	                                                        → {"id","name","value"}
//	chatusers.remove-variable {"variable":"plan","users":["<id>"]} → {"removed":1}
//	rawstats.count-nps {"from":"2026-03-01","to":"2026-03-31"} → {"from","to","negative","neutral","positive","score"}
//	rawstats.all {"from":"2026-03-01","to":"2026-03-31"}       → {"days":[{"date","messages","sessions",...}]}
//	rawstats.count-messages {"from":...,"to":...}              → {"from","to","messages"}
//	rawstats.count-sessions {"from":...,"to":...}              → {"from","to","sessions"}
//	intel.visitdetails {"userId":"<id>"}                    → {"visits":[{"url","title","referrer","landedAt","leftAt"}]}
//	                                                          newest first; a session's id for a session without a user
//	intel.leadlist {"limit":20,"offset":0,"tag":"hot"}      → {"leads":[{"company","name","tags","people","visits","firstSeen","lastActive"}],"count"}
//	intel.keypeople {"company":"acme.com"}                  → {"people":[{"id","userId","name","surname","email","phone","lastSeen"}]}
//	intel.addtag {"company":"acme.com","tags":["hot"]}      → {"company":{lead}}
//	intel.removetag {"company":"acme.com","tag":"hot"}      → {"company":{lead}}
//	meetings.schedule {"userId":"c-1","title":"Demo","start":"2026-03-16T10:00:00Z","minutes":30}
//	meetings.schedule {"id":"<id>","start":"2026-03-16T11:00:00Z"}   (books or moves a meeting)
//	meetings.decline {"id":"<id>","notes":"cancelled"}      → {"meeting":{"id","userId","sessionId","threadId","title",
//	                                                          "start","end","status","notes","eventId","createdAt","updatedAt"}}
//	meetings.list {"from":"2026-03-16T00:00:00Z","to":...,"userId","status":"scheduled","limit":20,"after"}
//	                                                        → {"meetings":[meeting],"next"} (Parley's)
//	rawstats.get {"from":"2026-03-01","to":"2026-03-31","goal":"purchase"}
//	                                                        → {"from","to","reached","goals":[{"name","reached"}]}
//
// rawstats.get is Userbot's "sales stats": the goals the bot's goal
// actions (goal: NAME in a response) counted, each declared goal listed
// even when not reached; "goal" keeps one. The counters of bot.stats and
// rawstats.all carry them too, as "goals": {"name": reached}.
//
// and Parley's own, for the operator dashboard:
//
//	rawstats.top-fallbacks {"from":...,"to":...,"limit":20}    → {"messages":[{"text","count"}]}
//	conditions.check {"kind":"automated-message","condition":"messages >"}
//	                                                        → {"valid":false,"line":1,"column":10,"message":"unexpected token EOF"}
//
// rawstats.top-fallbacks lists what visitors said most often that a
// fallback answered (lower-cased, spaces collapsed), most often first;
// conditions.check compiles a condition of kind automated-message or
// interaction as saving it would, and answers {"valid":true} or where and
// why it does not compile.
//
// Imports in chunks (chatusers.import with "upload") are described in
// userbot_upload.go.
//
// The conversations (robin, say, chat-assign-to-agent, chat-assign-to-bot
// and the chat-notification pushes) are described in userbot_chat.go, the
// Q&A operators edit (qeafilter.save, qeafilter.save.token,
// qeafilter.delete, qeafilter.search.page-db-ai) in userbot_qa.go, the
// automated messages (automated-messages.get, .save, .delete) in
// userbot_automated.go.
//
// Dates are "2006-01-02" (or RFC 3339 times); a period defaults to the 30
// days up to today. Filter fields are those of List users (store.Filter),
// with times as RFC 3339 values.

// DefaultPingEvery is how often a Userbot socket is pinged.
const DefaultPingEvery = 30 * time.Second

// An operator may log in to the Userbot socket with apiLogin.
type operator struct {
	id, name string
	digest   [sha256.Size]byte
}

// WithOperator adds an operator key for the Userbot socket: apiLogin KEY
// logs in as the operator with the given id and name (each 1–256
// characters), which who returns.
func WithOperator(id, name, key string) Option {
	return func(c *config) error {
		if key == "" {
			return errors.New("httpadapter: empty operator key")
		}
		if err := checkName("operator id", id); err != nil {
			return err
		}
		if err := checkName("operator name", name); err != nil {
			return err
		}
		c.operators = append(c.operators, operator{id: id, name: name, digest: sha256.Sum256([]byte(key))})
		return nil
	}
}

func checkName(what, s string) error {
	if n := len([]rune(s)); n < 1 || n > 256 {
		return fmt.Errorf("httpadapter: %s %q must be 1 to 256 characters", what, s)
	}
	return nil
}

// A userbot serves Userbot's WebSocket API for a Handler (GET /ws), over
// the Handler's bots.
type userbot struct {
	cfg  *config
	bots []*served
	dev  *[sha256.Size]byte
	ping time.Duration
}

// bot returns the bot sitekey names, by chatbotId or by name, or nil.
func (u *userbot) bot(key string) *served {
	for _, b := range u.bots {
		if b.id == key || b.Name == key {
			return b
		}
	}
	return nil
}

// serveHTTP accepts the WebSocket and serves its requests until the client
// closes it or the request's context ends.
func (u *userbot) serveHTTP(w http.ResponseWriter, r *http.Request) {
	// The server's read and write timeouts are deadlines on the
	// connection, which a socket must not inherit.
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Time{})
	rc.SetWriteDeadline(time.Time{})
	opts := &websocket.AcceptOptions{}
	for _, o := range u.cfg.origins {
		if o == "*" {
			opts.InsecureSkipVerify = true
			break
		}
		opts.OriginPatterns = append(opts.OriginPatterns, strings.TrimPrefix(strings.TrimPrefix(o, "https://"), "http://"))
	}
	c, err := websocket.Accept(w, r, opts)
	if err != nil {
		return // Accept has answered
	}
	defer c.CloseNow()
	c.SetReadLimit(-1) // read enforces the limit, skipping a frame over it
	ctx, cancel := context.WithCancel(r.Context())
	s := &socket{u: u, c: c, ctx: ctx}
	defer s.importing.Wait()
	defer cancel()
	defer s.stopFollowing()
	go s.keepAlive(cancel)
	for {
		typ, data, err := s.read()
		if errors.Is(err, errFrameTooLarge) {
			s.tooLarge(string(data))
			continue
		}
		if err != nil {
			if websocket.CloseStatus(err) == -1 && ctx.Err() == nil {
				u.cfg.log.LogAttrs(ctx, slog.LevelDebug, "userbot socket closed", slog.Any("err", err))
			}
			return
		}
		if typ != websocket.MessageText {
			s.reply("error", nil, badRequest("", "frames must be text: command words and a JSON payload"))
			continue
		}
		s.serve(string(data))
	}
}

// A socket is one connection: who logged in, which bot it works on, and
// its uploads under way.
type socket struct {
	u   *userbot
	c   *websocket.Conn
	ctx context.Context
	mu  sync.Mutex // serializes writes
	op  *operator
	bot *engine.Engine
	id  string // the chosen bot's chatbotId
	// unfollow stops the chat-notification pushes of the chosen bot.
	unfollow context.CancelFunc
	followed sync.WaitGroup

	upMu      sync.Mutex
	uploads   map[string]*upload // under way, by id
	ended     []string           // the ids of the last uploads that ended, oldest first
	importing sync.WaitGroup     // the uploads' imports
}

// errFrameTooLarge is read's error for a frame over the frame limit.
var errFrameTooLarge = errors.New("frame too large")

// read returns the next frame. A frame over the frame limit is skipped:
// read returns its first bytes and errFrameTooLarge.
func (s *socket) read() (websocket.MessageType, []byte, error) {
	typ, r, err := s.c.Reader(s.ctx)
	if err != nil {
		return typ, nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, s.u.cfg.maxBody+1))
	if err != nil || int64(len(data)) <= s.u.cfg.maxBody {
		return typ, data, err
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		return typ, nil, err
	}
	return typ, data[:min(len(data), 1024)], errFrameTooLarge
}

// follow starts the chat-notification pushes of the chosen bot, after
// stopping those of the bot chosen before.
func (s *socket) follow() error {
	s.stopFollowing()
	ctx, cancel := context.WithCancel(s.ctx)
	a := s.agent()
	feed, err := s.bot.Follow(ctx, engine.Follow{Agent: &a})
	if err != nil {
		cancel()
		return err
	}
	s.unfollow = cancel
	s.followed.Add(1)
	eng := s.bot
	go func() {
		defer s.followed.Done()
		s.notify(ctx, eng, feed)
	}()
	return nil
}

func (s *socket) stopFollowing() {
	if s.unfollow != nil {
		s.unfollow()
		s.followed.Wait()
		s.unfollow = nil
	}
}

func (s *socket) keepAlive(cancel func()) {
	t := time.NewTicker(s.u.ping)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			ctx, stop := context.WithTimeout(s.ctx, s.u.ping)
			err := s.c.Ping(ctx)
			stop()
			if err != nil {
				cancel()
				return
			}
		}
	}
}

// reply is one frame sent to the client.
type reply struct {
	Channel string      `json:"channel"`
	Status  replyStatus `json:"status"`
	Data    any         `json:"data,omitempty"`
	Field   string      `json:"field,omitempty"`
}

type replyStatus struct {
	Code    int    `json:"code"`
	Type    string `json:"type"`
	Message string `json:"message,omitempty"`
}

// reply sends data on channel, or the error err.
func (s *socket) reply(channel string, data any, err error) {
	if err != nil {
		data = nil
	}
	s.answer(channel, data, err)
}

// answer sends data on channel, with the error err if not nil: an error
// reply carries data too (an upload's names it).
func (s *socket) answer(channel string, data any, err error) {
	rep := reply{Channel: channel, Status: replyStatus{Code: http.StatusOK, Type: "success"}, Data: data}
	if err != nil {
		status, message, field := s.u.cfg.errorOf(err)
		if status == http.StatusInternalServerError {
			s.u.cfg.log.LogAttrs(s.ctx, slog.LevelError, "internal error", slog.String("channel", channel), slog.Any("err", err))
		}
		rep = reply{Channel: channel, Status: replyStatus{Code: status, Type: "error", Message: message}, Data: data, Field: field}
	}
	b, merr := json.Marshal(rep)
	if merr != nil {
		b, _ = json.Marshal(reply{Channel: channel, Status: replyStatus{Code: 500, Type: "error", Message: "internal error"}})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
	defer cancel()
	s.c.Write(ctx, websocket.MessageText, b)
}

var (
	errNotLoggedIn = &apiError{status: http.StatusUnauthorized, message: "log in first: apiLogin KEY"}
	errBadKey      = &apiError{status: http.StatusUnauthorized, message: "unknown key"}
	errNoBot       = &apiError{status: http.StatusBadRequest, message: "choose a bot first: sitekey undefined CHATBOTID"}
	errNoChannel   = &apiError{status: http.StatusNotFound, message: "no such channel"}
)

// serve answers one request frame.
func (s *socket) serve(frame string) {
	words, payload := splitFrame(frame)
	if len(words) == 0 {
		s.reply("error", nil, badRequest("", "empty command"))
		return
	}
	switch words[0] {
	case "apiLogin":
		if len(words) != 2 {
			s.reply("apiLogin", nil, badRequest("apikey", "write apiLogin KEY"))
			return
		}
		op, err := s.u.login(words[1])
		if err == nil {
			s.op = op
		}
		s.reply("apiLogin", map[string]string{"id": op.id, "name": op.name}, err)
		return
	case "who":
		if s.op == nil {
			s.reply("who", nil, errNotLoggedIn)
			return
		}
		s.reply("who", map[string]any{"user": map[string]string{"id": s.op.id, "name": s.op.name}}, nil)
		return
	case "sitekey":
		if s.op == nil {
			s.reply("sitekey.undefined", nil, errNotLoggedIn)
			return
		}
		if len(words) != 3 || words[1] != "undefined" {
			s.reply("sitekey.undefined", nil, badRequest("sitekey", "write sitekey undefined CHATBOTID"))
			return
		}
		b := s.u.bot(words[2])
		if b == nil {
			s.reply("sitekey.undefined", nil, withField("chatbotId", store.ErrNotFound))
			return
		}
		s.bot, s.id = b.Engine, b.id
		err := s.follow()
		s.reply("sitekey.undefined", map[string]string{"chatbotId": s.id}, err)
		return
	case "robin":
		s.robin(words)
		return
	case "say":
		s.say(frame)
		return
	case "chat-assign-to-agent", "chat-assign-to-bot":
		if len(words) == 1 {
			s.assign(words[0], payload)
			return
		}
	}
	var token string
	if len(words) > 3 && strings.Join(words[:3], ".") == "qeafilter.save.token" {
		token, words = strings.Join(words[3:], " "), words[:3]
	}
	channel := strings.Join(words, ".")
	run := operations[channel]
	switch {
	case run == nil:
		s.reply(channel, nil, errNoChannel)
		return
	case s.op == nil:
		s.reply(channel, nil, errNotLoggedIn)
		return
	case s.bot == nil:
		s.reply(channel, nil, errNoBot)
		return
	}
	call := &opCall{ctx: s.ctx, eng: s.bot, raw: []byte(payload), token: token}
	if channel == "chatusers.import" {
		s.importUsers(call)
		return
	}
	data, err := run(call)
	s.reply(channel, data, err)
}

// splitFrame splits a request frame into its command words (the first
// split at dots too) and its JSON payload.
func splitFrame(frame string) (words []string, payload string) {
	rest := strings.TrimSpace(frame)
	for rest != "" {
		if rest[0] == '{' || rest[0] == '[' {
			return words, rest
		}
		w, after, _ := strings.Cut(rest, " ")
		if len(words) == 0 {
			words = append(words, strings.Split(w, ".")...)
		} else {
			words = append(words, w)
		}
		rest = strings.TrimLeft(after, " ")
	}
	return words, ""
}

// login returns the operator of key: an operator key, or the developer
// token. Every key is compared, each in constant time.
func (u *userbot) login(key string) (*operator, error) {
	if u.cfg.noAuth {
		return &operator{id: "operator", name: "Operator"}, nil
	}
	got := sha256.Sum256([]byte(key))
	var found *operator
	for i := range u.cfg.operators {
		if subtle.ConstantTimeCompare(got[:], u.cfg.operators[i].digest[:]) == 1 && found == nil {
			found = &u.cfg.operators[i]
		}
	}
	if u.dev != nil && subtle.ConstantTimeCompare(got[:], u.dev[:]) == 1 && found == nil {
		found = &operator{id: "developer", name: "Developer"}
	}
	if found == nil {
		return &operator{}, errBadKey
	}
	return found, nil
}

// errorOf returns the status, message and field of err, as the REST API
// answers it.
func (c *config) errorOf(err error) (status int, message, field string) {
	status, message = http.StatusInternalServerError, "internal error"
	var ae *apiError
	var fe *store.FieldError
	var nf *notFound
	switch {
	case errors.As(err, &ae):
		return ae.status, ae.message, ae.field
	case errors.As(err, &fe):
		return http.StatusBadRequest, fe.Rule, fe.Field
	}
	for _, c := range codes {
		if errors.Is(err, c.err) {
			status, message = c.status, c.message
			break
		}
	}
	var enf *engine.NotFoundError
	switch {
	case status != http.StatusNotFound:
	case errors.As(err, &nf):
		field = nf.field
	case errors.As(err, &enf):
		field = enf.Field
	}
	return status, message, field
}

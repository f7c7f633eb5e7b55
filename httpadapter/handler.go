package httpadapter

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/parleybot/parley/engine"
)

// DefaultMaxBodyBytes is the default limit of a request body: room for a
// user with 99 attributes of 1,024 characters, each escaped as \uXXXX.
const DefaultMaxBodyBytes = 1 << 20

// DefaultBodyTimeout is the default time allowed to read a request's body
// (see WithBodyTimeout).
const DefaultBodyTimeout = 5 * time.Second

// The default limit of failed authentications per client address (see
// WithAuthFailureLimit): a burst of 100, then one a second.
const (
	DefaultAuthFailureRate  = 1
	DefaultAuthFailureBurst = 100
)

// A Handler serves the chat API over an engine. It is an http.Handler to
// mount in a host's mux or to give to an http.Server; it is safe for
// concurrent use. It borrows the engine and never closes its store.
type Handler struct {
	bots []*served // the first answers the routes at the root
	// socket serves Userbot's WebSocket API on /ws.
	socket *userbot
	mux    *http.ServeMux
	cfg    config

	threadTokens threadTokens
	streamsDone  chan struct{} // closed by CloseStreams
	closeStreams sync.Once

	// limiters holds one rate limiter per scope, which is per token: a
	// Handler knows exactly one token of each scope. nil without a limit.
	limiters [scopeDeveloper + 1]*rate.Limiter
	// endUsers, addresses and failures limit requests of the client
	// token per end user and per client address, and failed
	// authentications per client address; nil when off.
	endUsers, addresses, failures *limiter
	// digests holds the SHA-256 of the token of each scope, nil if none.
	digests [scopeDeveloper + 1]*[sha256.Size]byte
}

type config struct {
	client, developer []byte // tokens; nil when not set
	noAuth            bool
	maxBody           int64
	rate              rate.Limit
	burst             int
	endUser, address  limit
	authFailure       limit
	bodyTimeout       time.Duration
	proxies           []netip.Prefix
	origins           []string
	observer          Observer
	metrics           http.Handler
	metricsToken      []byte
	ready             func(context.Context) error
	agents            []agentToken
	operators         []operator // the Userbot socket's keys
	uploadTimeout     time.Duration
	log               *slog.Logger
	now               func() time.Time
}

// An Option configures New. A bad option makes New return an error.
type Option func(*config) error

// WithClientToken sets the client token: a bearer token that may only
// chat (POST /query), safe to put in a web page. By default there is none.
func WithClientToken(token string) Option {
	return func(c *config) error {
		if token == "" {
			return errors.New("httpadapter: empty client token")
		}
		c.client = []byte(token)
		return nil
	}
}

// WithDeveloperToken sets the developer token: a bearer token allowed on
// every route. By default there is none.
func WithDeveloperToken(token string) Option {
	return func(c *config) error {
		if token == "" {
			return errors.New("httpadapter: empty developer token")
		}
		c.developer = []byte(token)
		return nil
	}
}

// WithAgentToken adds an agent token: a bearer token for the person a,
// allowed every thread route of SiteGPT's API of every bot (reading,
// answering, taking over, handing back, the live streams of agents) but
// not the bots' settings nor the ChatBot.com user routes. A's ID and Name
// (each 1–256 characters) mark the messages written with the token.
// Repeat it for several agents.
func WithAgentToken(token string, a engine.Agent) Option {
	return func(c *config) error {
		if token == "" {
			return errors.New("httpadapter: empty agent token")
		}
		if a.ID == "" || len(a.ID) > 256 || a.Name == "" || len(a.Name) > 256 {
			return fmt.Errorf("httpadapter: agent token of %q: the agent's id and name must be 1 to 256 characters", a.Name)
		}
		c.agents = append(c.agents, agentToken{digest: sha256.Sum256([]byte(token)), agent: a})
		return nil
	}
}

// WithoutAuth serves every route to every caller, for a host that
// authenticates requests itself before they reach the Handler. New refuses
// to build a Handler with neither a token nor this option.
func WithoutAuth() Option {
	return func(c *config) error {
		c.noAuth = true
		return nil
	}
}

// WithMaxBodyBytes limits request bodies to n bytes; a longer body is
// answered 413. The default is DefaultMaxBodyBytes.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("httpadapter: body limit %d is not positive", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithRateLimit allows each token r requests per second on average with
// bursts of burst requests; a request beyond that is answered 429 with
// Retry-After. Without WithoutAuth, requests are counted per token (so all
// holders of the client token share its limit); with it, all requests
// share one limit. The default is no limit.
func WithRateLimit(r float64, burst int) Option {
	return func(c *config) error {
		if !(r > 0) || burst < 1 {
			return fmt.Errorf("httpadapter: rate limit %g/s with burst %d: both must be positive", r, burst)
		}
		c.rate, c.burst = rate.Limit(r), burst
		return nil
	}
}

// A limit is a rate a second and a burst; the zero limit is off.
type limit struct {
	rate  float64
	burst int
}

func newLimit(name string, r float64, burst int) (limit, error) {
	switch {
	case r == 0 && burst == 0:
		return limit{}, nil
	case !(r > 0) || burst < 1 || math.IsInf(r, 0):
		return limit{}, fmt.Errorf("httpadapter: %s %g/s with burst %d: both must be positive, or both 0 for none", name, r, burst)
	}
	return limit{r, burst}, nil
}

// WithEndUserRateLimit allows each end user r chat requests a second on
// average, with bursts of burst, when they come with the client token:
// the end user is the request's userId, or else its sessionId. A request
// beyond that is answered 429 with Retry-After. Requests of the developer
// token, a server's, are not counted. (0, 0) turns it off, the default.
func WithEndUserRateLimit(r float64, burst int) Option {
	return func(c *config) (err error) {
		c.endUser, err = newLimit("end user rate limit", r, burst)
		return err
	}
}

// WithAddressRateLimit allows each client address r requests a second on
// average, with bursts of burst, when they come with the client token. An
// IPv6 address counts by its /64 network; behind a reverse proxy, see
// WithTrustedProxies. A request beyond that is answered 429 with
// Retry-After. (0, 0) turns it off, the default.
func WithAddressRateLimit(r float64, burst int) Option {
	return func(c *config) (err error) {
		c.address, err = newLimit("address rate limit", r, burst)
		return err
	}
}

// WithAuthFailureLimit allows each client address r failed
// authentications a second on average, with bursts of burst; past that,
// every request from the address is answered 429 with Retry-After, before
// its token is even looked at, until the budget refills. The default is
// DefaultAuthFailureRate and DefaultAuthFailureBurst; (0, 0) turns it off.
func WithAuthFailureLimit(r float64, burst int) Option {
	return func(c *config) (err error) {
		c.authFailure, err = newLimit("authentication failure limit", r, burst)
		return err
	}
}

// WithTrustedProxies names the reverse proxies (addresses such as
// "127.0.0.1" or networks such as "10.0.0.0/8") whose X-Forwarded-For
// header gives the client's address: a request from one of them counts
// against the last address in the header that is not a trusted proxy.
// By default no proxy is trusted and the client address is the peer's,
// so behind a proxy every client shares the proxy's address.
func WithTrustedProxies(proxies ...string) Option {
	return func(c *config) error {
		for _, p := range proxies {
			pre, err := netip.ParsePrefix(p)
			if err != nil {
				a, aerr := netip.ParseAddr(p)
				if aerr != nil {
					return fmt.Errorf("httpadapter: trusted proxy %q: want an IP address or a network such as 10.0.0.0/8", p)
				}
				pre = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
			}
			c.proxies = append(c.proxies, pre.Masked())
		}
		return nil
	}
}

// WithBodyTimeout limits the time to read a request's body, from the
// moment the route starts reading it. A body that has not arrived in full
// by then (a client that sent less than its Content-Length, or sends too
// slowly) is answered 408 with the error body and the connection is
// closed. The default is DefaultBodyTimeout. It must be shorter than the
// server's WriteTimeout, or the answer cannot be written.
func WithBodyTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("httpadapter: body timeout %v is not positive", d)
		}
		c.bodyTimeout = d
		return nil
	}
}

// WithCORS lets web pages from the given origins call the API, answering
// preflight requests and adding the Access-Control-Allow-* headers. An
// origin is scheme://host[:port] with scheme http or https, as browsers
// send it in the Origin header ("https://shop.example"), or "*" for every
// origin; anything else (a bare host, a path, a list in one string) makes
// New fail. The default allows none: browsers then refuse cross-origin
// calls. A preflight from an origin not allowed gets a 403 naming its
// origin; it carries no token, by the rules of CORS, so it is neither
// authenticated nor counted as a failed authentication.
func WithCORS(origins ...string) Option {
	return func(c *config) error {
		for _, o := range origins {
			norm, err := checkOrigin(o)
			if err != nil {
				return err
			}
			c.origins = append(c.origins, norm)
		}
		return nil
	}
}

// checkOrigin checks one origin of WithCORS and returns it as browsers
// write it: lower case, without the scheme's default port.
func checkOrigin(o string) (string, error) {
	if o == "*" {
		return o, nil
	}
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("httpadapter: CORS origin %q: %s; want scheme://host[:port] (http or https) or *", o, why)
	}
	if strings.ContainsAny(o, ", \t") {
		return bad("one origin per value")
	}
	u, err := url.Parse(o)
	if err != nil {
		return bad("not a URL")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return bad("the scheme must be http or https")
	case u.Opaque != "" || u.Host == "":
		return bad("no host")
	case u.User != nil:
		return bad("no user information allowed")
	case u.Path != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return bad("no path, query or fragment allowed")
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if host == "" {
		return bad("no host")
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return bad("the port must be 1 to 65535")
		}
		if u.Scheme == "http" && n == 80 || u.Scheme == "https" && n == 443 {
			port = ""
		}
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return u.Scheme + "://" + host, nil
}

// WithLogger logs one line per request (method, route, status, bytes,
// duration, scope) at level INFO, and internal errors at level ERROR, to l.
// The default discards them.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("httpadapter: nil logger")
		}
		c.log = l
		return nil
	}
}

// WithClock sets the clock of the timestamps in responses that the engine
// does not stamp itself. The default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("httpadapter: nil clock")
		}
		c.now = now
		return nil
	}
}

// New returns a Handler serving eng, as the bot named DefaultBotName. It
// is an error to give neither a token nor WithoutAuth.
func New(eng *engine.Engine, opts ...Option) (*Handler, error) {
	if eng == nil {
		return nil, errors.New("httpadapter: nil engine")
	}
	return NewBots([]Bot{{Name: DefaultBotName, Engine: eng}}, opts...)
}

func newHandler(bots []*served, opts []Option) (*Handler, error) {
	c := config{
		maxBody:       DefaultMaxBodyBytes,
		bodyTimeout:   DefaultBodyTimeout,
		uploadTimeout: DefaultUploadTimeout,
		authFailure:   limit{DefaultAuthFailureRate, DefaultAuthFailureBurst},
		log:           slog.New(slog.DiscardHandler),
		now:           time.Now,
	}
	for _, o := range opts {
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	if !c.noAuth && c.client == nil && c.developer == nil && len(c.agents) == 0 {
		return nil, errors.New("httpadapter: no token: give a client or developer token, or WithoutAuth")
	}
	h := &Handler{bots: bots, mux: http.NewServeMux(), cfg: c, threadTokens: newThreadTokens(&c), streamsDone: make(chan struct{})}
	h.socket = &userbot{cfg: &h.cfg, bots: bots, dev: digest(c.developer), ping: DefaultPingEvery}
	h.digests[scopeClient] = digest(c.client)
	h.digests[scopeDeveloper] = digest(c.developer)
	if c.rate > 0 {
		for i := range h.limiters {
			h.limiters[i] = rate.NewLimiter(c.rate, c.burst)
		}
	}
	if c.endUser.rate > 0 {
		h.endUsers = newLimiter(c.endUser.rate, c.endUser.burst)
	}
	if c.address.rate > 0 {
		h.addresses = newLimiter(c.address.rate, c.address.burst)
	}
	if c.authFailure.rate > 0 && !c.noAuth {
		h.failures = newLimiter(c.authFailure.rate, c.authFailure.burst)
	}
	// The chat API at the root for the first bot, and under
	// /chatbots/{chatbotId} for each.
	for _, prefix := range []string{"", "/chatbots/{chatbotId}"} {
		route := func(method, path string, need scope, fn http.HandlerFunc) {
			if prefix != "" {
				fn = h.perBot(fn)
			}
			h.route(method+" "+prefix+path, need, fn)
		}
		route("POST", "/query", scopeClient, h.query)
		route("POST", "/users", scopeDeveloper, h.createUser)
		route("GET", "/users", scopeDeveloper, h.listUsers)
		// "/users/segments" is more specific than "/users/{id}", so ServeMux
		// sends GET /users/segments to listSegments, not to user.
		route("GET", "/users/segments", scopeDeveloper, h.listSegments)
		route("POST", "/users/segments", scopeDeveloper, h.createSegment)
		route("POST", "/users/segments/members", scopeDeveloper, h.addMembers)
		route("GET", "/users/{id}", scopeDeveloper, h.user)
		route("PUT", "/users/{id}", scopeDeveloper, h.updateUser)
		route("DELETE", "/users/{id}", scopeDeveloper, h.deleteUser)
		route("PUT", "/users/{id}/session", scopeDeveloper, h.updateSession)
		route("POST", "/users/import", scopeDeveloper, h.importUsers)
		route("POST", "/userbot/{operation}", scopeDeveloper, h.operation)
		route("POST", "/page-views", scopeDeveloper, h.pageView)
	}
	h.siteGPTRoutes()
	h.mux.HandleFunc("/", h.noRoute)
	return h, nil
}

// route registers a handler for pattern, open to tokens of scope need or
// wider.
func (h *Handler) route(pattern string, need scope, fn http.HandlerFunc) {
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if scopeOf(r.Context()) < need {
			w.Header().Set("WWW-Authenticate", `Bearer realm="parley", error="insufficient_scope"`)
			h.fail(w, r, errForbidden)
			return
		}
		fn(w, r)
	})
}

// ServeHTTP implements http.Handler: CORS, the path and query string,
// authentication, the rate limits, routing and the request log, in that
// order.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	sc := scopeNone
	defer func() {
		if o := h.cfg.observer; o != nil {
			o.Request(r.Pattern, rec.status(), time.Since(start))
		}
		level := slog.LevelInfo
		if isProbe(r.URL.Path) {
			level = slog.LevelDebug // a load balancer's probes, every few seconds
		}
		h.cfg.log.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("route", r.Pattern),
			slog.Int("status", rec.status()),
			slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)),
			slog.String("scope", sc.String()),
			slog.String("remote", r.RemoteAddr),
		)
	}()
	if h.cors(rec, r) {
		return
	}
	if preflight(r) {
		h.fail(rec, r, &apiError{status: http.StatusForbidden, field: "Origin",
			message: fmt.Sprintf("cross-origin requests from %q are not allowed", r.Header.Get("Origin"))})
		return
	}
	if err := checkURL(r); err != nil {
		h.fail(rec, r, err)
		return
	}
	if h.ops(rec, r) {
		return
	}
	if r.URL.Path == "/ws" {
		// The socket authenticates in its first frame (apiLogin): a
		// browser cannot send a header with it.
		h.socket.serveHTTP(rec, r)
		return
	}
	var err error
	var who principal
	sc, who, err = h.authenticate(rec, r)
	if err != nil {
		h.fail(rec, r, err)
		return
	}
	if err := h.allow(rec, sc); err != nil {
		h.fail(rec, r, err)
		return
	}
	if (sc == scopeClient || sc == scopeThread) && h.addresses != nil {
		if ok, wait := h.addresses.take(h.clientAddress(r), time.Now()); !ok {
			retryAfter(rec, wait)
			h.fail(rec, r, errRateLimited)
			return
		}
	}
	ctx := context.WithValue(r.Context(), scopeKey{}, sc)
	if sc == scopeAgent || sc == scopeThread {
		ctx = context.WithValue(ctx, principalKey{}, who)
	}
	r = r.WithContext(ctx)
	h.mux.ServeHTTP(rec, r)
}

// checkURL refuses what ServeMux would answer in plain text or HTML, or
// silently drop: a path that is not canonical ("//users", "/users/../users",
// which ServeMux redirects) and a query string that does not decode.
func checkURL(r *http.Request) error {
	p := r.URL.Path
	if clean := cleanPath(p); clean != p {
		return &apiError{status: http.StatusNotFound, field: "path",
			message: fmt.Sprintf("no such route: the path is not canonical (did you mean %q?)", clean)}
	}
	if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
		return badRequest("query", "the query string must be URL-encoded name=value pairs separated by &")
	}
	return nil
}

// cleanPath is ServeMux's canonical form of a path: rooted, without
// "." and ".." elements or repeated slashes, keeping a final slash.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	np := path.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		np += "/"
	}
	return np
}

// noRoute answers requests no route matches: 405 with Allow when the path
// has routes for other methods, else 404. ServeMux would answer them in
// plain text; the API answers every error with the same JSON body.
func (h *Handler) noRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := *r
		probe.Method = m
		if _, p := h.mux.Handler(&probe); p != "/" && p != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		h.fail(w, r, errNoRoute)
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	h.fail(w, r, errMethod)
}

// cors adds the CORS headers for an allowed origin and answers a preflight
// request, reporting whether it did.
func (h *Handler) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || len(h.cfg.origins) == 0 {
		return false
	}
	w.Header().Add("Vary", "Origin")
	allowed := false
	for _, o := range h.cfg.origins {
		if o == "*" || o == origin {
			allowed = true
			break
		}
	}
	if !allowed {
		return false
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	w.Header().Set("Access-Control-Expose-Headers", "Retry-After")
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	w.Header().Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
	w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID")
	w.Header().Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
}

// preflight reports whether r is a CORS preflight request, which a
// browser sends without credentials before a cross-origin call.
func preflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != ""
}

// recorder remembers the status and size of a response for the log.
type recorder struct {
	http.ResponseWriter
	code  int
	bytes int64
}

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}

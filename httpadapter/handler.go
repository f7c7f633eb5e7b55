package httpadapter

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/parleybot/parley/engine"
)

// DefaultMaxBodyBytes is the default limit of a request body: room for a
// user with 99 attributes of 1,024 characters, each escaped as \uXXXX.
const DefaultMaxBodyBytes = 1 << 20

// A Handler serves the chat API over an engine. It is an http.Handler to
// mount in a host's mux or to give to an http.Server; it is safe for
// concurrent use. It borrows the engine and never closes its store.
type Handler struct {
	eng *engine.Engine
	mux *http.ServeMux
	cfg config

	// limiters holds one rate limiter per scope, which is per token: a
	// Handler knows exactly one token of each scope. nil without a limit.
	limiters [scopeDeveloper + 1]*rate.Limiter
	// digests holds the SHA-256 of the token of each scope, nil if none.
	digests [scopeDeveloper + 1]*[sha256.Size]byte
}

type config struct {
	client, developer []byte // tokens; nil when not set
	noAuth            bool
	maxBody           int64
	rate              rate.Limit
	burst             int
	origins           []string
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

// WithCORS lets web pages from the given origins (such as
// "https://shop.example") call the API, answering preflight requests and
// adding the Access-Control-Allow-* headers; "*" allows every origin. The
// default allows none: browsers then refuse cross-origin calls.
func WithCORS(origins ...string) Option {
	return func(c *config) error {
		for _, o := range origins {
			if o == "" || strings.HasSuffix(o, "/") {
				return fmt.Errorf("httpadapter: CORS origin %q: want scheme://host[:port] or *", o)
			}
		}
		c.origins = append(c.origins, origins...)
		return nil
	}
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

// New returns a Handler serving eng. It is an error to give neither a token
// nor WithoutAuth.
func New(eng *engine.Engine, opts ...Option) (*Handler, error) {
	if eng == nil {
		return nil, errors.New("httpadapter: nil engine")
	}
	c := config{
		maxBody: DefaultMaxBodyBytes,
		log:     slog.New(slog.DiscardHandler),
		now:     time.Now,
	}
	for _, o := range opts {
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	if !c.noAuth && c.client == nil && c.developer == nil {
		return nil, errors.New("httpadapter: no token: give a client or developer token, or WithoutAuth")
	}
	h := &Handler{eng: eng, mux: http.NewServeMux(), cfg: c}
	h.digests[scopeClient] = digest(c.client)
	h.digests[scopeDeveloper] = digest(c.developer)
	if c.rate > 0 {
		for i := range h.limiters {
			h.limiters[i] = rate.NewLimiter(c.rate, c.burst)
		}
	}
	h.route("POST /query", scopeClient, h.query)
	h.route("POST /users", scopeDeveloper, h.createUser)
	h.route("GET /users", scopeDeveloper, h.listUsers)
	// "/users/segments" is more specific than "/users/{id}", so ServeMux
	// sends GET /users/segments to listSegments, not to user.
	h.route("GET /users/segments", scopeDeveloper, h.listSegments)
	h.route("POST /users/segments", scopeDeveloper, h.createSegment)
	h.route("POST /users/segments/members", scopeDeveloper, h.addMembers)
	h.route("GET /users/{id}", scopeDeveloper, h.user)
	h.route("PUT /users/{id}", scopeDeveloper, h.updateUser)
	h.route("DELETE /users/{id}", scopeDeveloper, h.deleteUser)
	h.route("PUT /users/{id}/session", scopeDeveloper, h.updateSession)
	h.mux.HandleFunc("/", h.noRoute)
	return h, nil
}

// route registers a handler for pattern, open to tokens of scope need or
// wider.
func (h *Handler) route(pattern string, need scope, fn http.HandlerFunc) {
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if scopeOf(r.Context()) < need {
			h.fail(w, r, errForbidden)
			return
		}
		fn(w, r)
	})
}

// ServeHTTP implements http.Handler: CORS, authentication, the rate limit,
// routing and the request log, in that order.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	sc := scopeNone
	defer func() {
		h.cfg.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
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
	var err error
	sc, err = h.authenticate(r)
	if err != nil {
		h.fail(rec, r, err)
		return
	}
	if err := h.allow(rec, sc); err != nil {
		h.fail(rec, r, err)
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), scopeKey{}, sc))
	h.mux.ServeHTTP(rec, r)
}

// noRoute answers requests no route matches: 405 with Allow when the path
// has routes for other methods, else 404. ServeMux would answer them in
// plain text; the API answers every error with the same JSON body.
func (h *Handler) noRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
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
	w.Header().Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE")
	w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	w.Header().Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
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

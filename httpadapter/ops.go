package httpadapter

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	_ "embed"
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// The routes for operators, answered before authentication and outside
// the rate limits:
//
//	GET /healthz        200 while the process serves HTTP (liveness)
//	GET /readyz         200 when the store answers and a bot is loaded, else 503 (readiness)
//	GET /metrics        the handler of WithMetrics (a token only with WithMetricsToken)
//	GET /openapi.yaml   the API's description, openapi.yaml
//	GET /docs           the same as a web page

// An Observer is told of every request a Handler answers and of the live
// streams it holds open; package metrics implements it for Prometheus.
// Its methods are called concurrently and must return quickly.
type Observer interface {
	// Request reports an answered request: its route pattern (such as
	// "POST /query"; "" when no route matched), status and duration.
	Request(route string, status int, d time.Duration)
	// StreamOpened and StreamClosed bracket each live stream.
	StreamOpened()
	StreamClosed()
}

// WithObserver reports every request to o. The default reports nothing.
func WithObserver(o Observer) Option {
	return func(c *config) error {
		if o == nil {
			return errors.New("httpadapter: nil observer")
		}
		c.observer = o
		return nil
	}
}

// WithMetrics serves h, such as a Prometheus handler, at GET /metrics. It
// needs no token unless WithMetricsToken is given too. By default there is
// no /metrics.
func WithMetrics(h http.Handler) Option {
	return func(c *config) error {
		if h == nil {
			return errors.New("httpadapter: nil metrics handler")
		}
		c.metrics = h
		return nil
	}
}

// WithMetricsToken makes GET /metrics require a bearer token: token, or
// the developer token. Give a scraper its own token rather than the
// developer token, which may do everything.
func WithMetricsToken(token string) Option {
	return func(c *config) error {
		if token == "" {
			return errors.New("httpadapter: empty metrics token")
		}
		c.metricsToken = []byte(token)
		return nil
	}
}

// WithReadiness replaces the check of GET /readyz, which by default is
// the engine's Ready: the host may add its own conditions (shutting down,
// a disk filling up). A non-nil error answers 503 and is logged at WARN.
func WithReadiness(check func(context.Context) error) Option {
	return func(c *config) error {
		if check == nil {
			return errors.New("httpadapter: nil readiness check")
		}
		c.ready = check
		return nil
	}
}

//go:embed openapi.yaml
var openapiYAML []byte

//go:embed api.html
var apiHTML []byte

// Health is the body of GET /healthz and GET /readyz.
type Health struct {
	Status string `json:"status"` // "ok", "ready"
}

// ops answers the operators' routes and reports whether r was one.
func (h *Handler) ops(w http.ResponseWriter, r *http.Request) bool {
	p := r.URL.Path
	switch p {
	case "/healthz", "/readyz", "/openapi.yaml", "/docs":
	case "/metrics":
		if h.cfg.metrics == nil {
			return false
		}
	default:
		return false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		h.fail(w, r, errMethod)
		return true
	}
	r.Pattern = "GET " + p // for the log and the Observer
	switch p {
	case "/healthz":
		h.reply(w, http.StatusOK, Health{Status: "ok"})
	case "/readyz":
		check := h.cfg.ready
		if check == nil {
			check = h.botsReady
		}
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := check(ctx); err != nil {
			h.cfg.log.LogAttrs(r.Context(), slog.LevelWarn, "not ready", slog.Any("err", err))
			w.Header().Set("Retry-After", "1")
			h.reply(w, http.StatusServiceUnavailable, ErrorBody{
				Timestamp: h.timestamp(),
				Status:    ErrorStatus{Code: http.StatusServiceUnavailable, Type: "error", Message: "not ready"},
			})
			return true
		}
		h.reply(w, http.StatusOK, Health{Status: "ready"})
	case "/openapi.yaml":
		w.Header().Set("Content-Type", "application/yaml")
		w.Write(openapiYAML)
	case "/docs":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		w.Write(apiHTML)
	case "/metrics":
		if h.cfg.metricsToken != nil && !h.metricsAllowed(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="parley metrics"`)
			h.fail(w, r, errUnauthorized)
			return true
		}
		h.cfg.metrics.ServeHTTP(w, r)
	}
	return true
}

// metricsAllowed reports whether r carries the metrics or the developer
// token, compared in constant time.
func (h *Handler) metricsAllowed(r *http.Request) bool {
	token, _ := bearerToken(r.Header.Get("Authorization"))
	if token == "" {
		return false
	}
	got := sha256.Sum256([]byte(token))
	ok := 0
	for _, d := range []*[sha256.Size]byte{digest(h.cfg.metricsToken), h.digests[scopeDeveloper]} {
		if d != nil {
			ok |= subtle.ConstantTimeCompare(got[:], d[:])
		}
	}
	return ok == 1
}

func isProbe(p string) bool { return p == "/healthz" || p == "/readyz" || p == "/metrics" }

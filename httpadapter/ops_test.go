package httpadapter_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley/httpadapter"
)

// routeCounter is an httpadapter.Observer that counts requests by route.
type routeCounter struct {
	mu     sync.Mutex
	routes map[string]int
}

func (c *routeCounter) Request(route string, status int, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.routes == nil {
		c.routes = map[string]int{}
	}
	c.routes[route]++
}
func (c *routeCounter) StreamOpened() {}
func (c *routeCounter) StreamClosed() {}

func (c *routeCounter) count(route string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.routes[route]
}

// TestOperatorRoutes: health, readiness, the API's description and the
// metrics need no token (the metrics only without a metrics token), and
// readiness fails once the store is closed.
func TestOperatorRoutes(t *testing.T) {
	obs := &routeCounter{}
	metrics := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("parley_turns_total 1\n")) })
	s := newServer(t, httpadapter.WithObserver(obs), httpadapter.WithMetrics(metrics), httpadapter.WithAuthFailureLimit(0.001, 1))
	s.raw(t, "GET", "/users", "Bearer wrong", "") // spends the address's failure budget
	for _, tc := range []struct{ path, contains string }{
		{"/healthz", `"status":"ok"`},
		{"/readyz", `"status":"ready"`},
		{"/openapi.yaml", "openapi: 3.0.3"},
		{"/docs", "<h1>Parley chat API</h1>"},
		{"/metrics", "parley_turns_total 1"},
	} {
		r := s.raw(t, "GET", tc.path, "", "")
		if r.status != http.StatusOK || !strings.Contains(string(r.body), tc.contains) {
			t.Errorf("GET %s: got %d %.80q, want 200 with %q", tc.path, r.status, r.body, tc.contains)
		}
	}
	if r := s.raw(t, "POST", "/healthz", "", ""); r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz: got %d, want 405", r.status)
	}
	if got := obs.count("GET /healthz"); got != 1 {
		t.Errorf("observer: got %d requests of GET /healthz, want 1", got)
	}
	s.db.Close()
	if r := s.raw(t, "GET", "/readyz", "", ""); r.status != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz with the store closed: got %d, want 503", r.status)
	}
	if r := s.raw(t, "GET", "/healthz", "", ""); r.status != http.StatusOK {
		t.Errorf("GET /healthz with the store closed: got %d, want 200", r.status)
	}
}

func TestMetricsToken(t *testing.T) {
	metrics := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	s := newServer(t, httpadapter.WithMetrics(metrics), httpadapter.WithMetricsToken("scraper-token"))
	for _, tc := range []struct {
		auth string
		want int
	}{
		{"", 401}, {"Bearer wrong", 401}, {"Bearer " + clientToken, 401},
		{"Bearer scraper-token", 200}, {"Bearer " + devToken, 200},
	} {
		if r := s.raw(t, "GET", "/metrics", tc.auth, ""); r.status != tc.want {
			t.Errorf("Authorization %q: got %d, want %d", tc.auth, r.status, tc.want)
		}
	}
	s = newServer(t)
	if r := s.raw(t, "GET", "/metrics", "Bearer "+devToken, ""); r.status != http.StatusNotFound {
		t.Errorf("without WithMetrics: got %d, want 404", r.status)
	}
}

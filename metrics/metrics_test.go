package metrics_test

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/metrics"
)

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(w.Result().Body)
	return string(b)
}

// TestWebhookAndCommit: a wrapped webhook counts its calls and failures,
// and commits are observed with their turns and errors.
func TestWebhookAndCommit(t *testing.T) {
	m := metrics.New()
	fail := true
	hook := m.Webhook("brew", func(context.Context, engine.WebhookCall) (engine.WebhookResult, error) {
		if fail {
			return engine.WebhookResult{}, errors.New("down")
		}
		return engine.WebhookResult{}, nil
	})
	hook(context.Background(), engine.WebhookCall{})
	fail = false
	hook(context.Background(), engine.WebhookCall{})
	m.Commit(3, time.Millisecond, nil)
	m.Commit(1, time.Millisecond, errors.New("disk full"))
	m.Request("POST /query", 200, 2*time.Millisecond)
	m.Request("", 404, time.Millisecond)
	m.StreamOpened()
	m.StreamOpened()
	m.StreamClosed()
	got := scrape(t, m)
	for _, want := range []string{
		`parley_webhook_calls_total{webhook="brew"} 2`,
		`parley_webhook_failures_total{webhook="brew"} 1`,
		`parley_webhook_duration_seconds_count{webhook="brew"} 2`,
		`parley_store_commit_turns_sum 4`,
		`parley_store_commit_errors_total 1`,
		`parley_http_requests_total{code="404",route="none"} 1`,
		`parley_http_request_duration_seconds_bucket{route="POST /query",le="0.0025"} 1`,
		`parley_open_streams 1`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
}

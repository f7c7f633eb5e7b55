package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

func get(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServeOperations: parley serve answers health and readiness without a
// token, counts turns, fallbacks, requests and commits in GET /metrics,
// and logs one JSON line per turn at debug level.
func TestServeOperations(t *testing.T) {
	s := startServe(t, "-bot", "../../examples/coffee/bot.yaml", "-data", t.TempDir(), "-developer-token", testDevToken,
		"-log-format", "json", "-log-level", "debug")
	base := "http://" + s.addr
	for _, path := range []string{"/healthz", "/readyz", "/openapi.yaml", "/docs"} {
		if code, _ := get(t, base+path, ""); code != http.StatusOK {
			t.Errorf("GET %s: got %d, want 200", path, code)
		}
	}
	for i, q := range []string{"a large latte please", "zzqx blorp frobnicate"} {
		if code := call(t, s.addr, "POST", "/query", testDevToken, fmt.Sprintf(`{"sessionId":"session-metrics-%d","query":"%s"}`, i, q), nil); code != 200 {
			t.Fatalf("query: got %d", code)
		}
	}
	code, body := get(t, base+"/metrics", "")
	if code != 200 {
		t.Fatalf("GET /metrics: got %d", code)
	}
	for _, want := range []string{
		`parley_turns_total{bot="coffee"} 2`,
		`parley_fallbacks_total{bot="coffee"} 1`,
		`parley_handoffs_total{agent="false",bot="coffee"} 0`,
		`parley_http_requests_total{code="200",route="POST /query"} 2`,
		`parley_http_request_duration_seconds_bucket{route="POST /query",le="+Inf"} 2`,
		`parley_store_commit_duration_seconds_count`,
		`parley_open_streams 0`,
		`process_resident_memory_bytes`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /metrics: no %q", want)
		}
	}
	var turns int
	for _, line := range strings.Split(s.stderr.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil {
			if line != "" {
				t.Errorf("log line %q is not JSON", line)
			}
			continue
		}
		if rec["msg"] == "turn" {
			turns++
			if rec["level"] != "DEBUG" || rec["interaction"] == nil || rec["score"] == nil {
				t.Errorf("turn line %q: want level DEBUG, interaction and score", line)
			}
		}
	}
	if turns != 2 {
		t.Errorf("got %d turn lines, want 2; log:\n%s", turns, s.stderr.String())
	}
}

func TestServeMetricsToken(t *testing.T) {
	s := startServe(t, "-bot", "../../examples/coffee/bot.yaml", "-memory", "-quiet", "-developer-token", testDevToken, "-metrics-token", "scrape")
	for _, tc := range []struct {
		token string
		want  int
	}{{"", 401}, {"scrape", 200}, {testDevToken, 200}} {
		if code, _ := get(t, "http://"+s.addr+"/metrics", tc.token); code != tc.want {
			t.Errorf("token %q: got %d, want %d", tc.token, code, tc.want)
		}
	}
	code, _, errs := parley(t, []string{"serve", "-bot", "../../examples/coffee/bot.yaml", "-memory", "-developer-token", "d", "-log-format", "xml"})
	if code != 2 || !strings.Contains(errs, `-log-format "xml": want text or json`) {
		t.Errorf("-log-format xml: got %d %q", code, errs)
	}
}

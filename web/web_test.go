package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleybot/parley/web"
)

// api stands for the API handler: it answers every request it gets.
var api = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-API", "yes")
	io.WriteString(w, "api "+r.URL.Path)
})

func get(t *testing.T, h http.Handler, method, target string, header ...string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func TestFiles(t *testing.T) {
	h := web.New(api)
	for _, tc := range []struct {
		path, ctype, contains string
	}{
		{"/widget.js", "text/javascript; charset=utf-8", "Parley"},
		{"/widget.css", "text/css; charset=utf-8", ""},
		{"/kiosk/", "text/html; charset=utf-8", `<script src="kiosk.js">`},
		{"/kiosk/index.html", "text/html; charset=utf-8", `<script src="kiosk.js">`},
		{"/kiosk/kiosk.js", "text/javascript; charset=utf-8", "widget.js"},
		{"/console/", "text/html; charset=utf-8", "<html"},
		{"/dashboard/", "text/html; charset=utf-8", "<html"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res := get(t, h, "GET", tc.path)
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != 200 {
				t.Fatalf("status %d, want 200", res.StatusCode)
			}
			for k, want := range map[string]string{
				"Content-Type":            tc.ctype,
				"Content-Security-Policy": web.Policy,
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "no-referrer",
				"Cache-Control":           "no-cache",
			} {
				if got := res.Header.Get(k); got != want {
					t.Errorf("%s: got %q, want %q", k, got, want)
				}
			}
			if widget := strings.HasPrefix(tc.path, "/widget."); (res.Header.Get("Access-Control-Allow-Origin") == "*") != widget {
				t.Errorf("Access-Control-Allow-Origin %q; want * for the widget's files only", res.Header.Get("Access-Control-Allow-Origin"))
			}
			if !strings.Contains(string(body), tc.contains) {
				t.Errorf("body does not contain %q", tc.contains)
			}
			etag := res.Header.Get("ETag")
			if len(etag) < 10 {
				t.Fatalf("ETag %q, want a strong tag", etag)
			}
			again := get(t, h, "GET", tc.path, "If-None-Match", etag)
			if again.StatusCode != http.StatusNotModified {
				t.Errorf("with If-None-Match: status %d, want 304", again.StatusCode)
			}
			head := get(t, h, "HEAD", tc.path)
			if head.StatusCode != 200 || head.Header.Get("ETag") != etag {
				t.Errorf("HEAD: status %d, ETag %q; want 200, %q", head.StatusCode, head.Header.Get("ETag"), etag)
			}
		})
	}
}

// The policy allows nothing from another host and no inline script.
func TestPolicy(t *testing.T) {
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "http", "*"} {
		if strings.Contains(web.Policy, bad) {
			t.Errorf("policy allows %q: %s", bad, web.Policy)
		}
	}
	if !strings.Contains(web.Policy, "default-src 'none'") || !strings.Contains(web.Policy, "script-src 'self'") {
		t.Errorf("policy %q: want default-src 'none' and script-src 'self'", web.Policy)
	}
}

func TestRouting(t *testing.T) {
	h := web.New(api)
	for _, tc := range []struct {
		method, path string
		status       int
		api          bool
		location     string
	}{
		{"POST", "/query", 200, true, ""},
		{"GET", "/v0/chatbots", 200, true, ""},
		{"GET", "//users", 200, true, ""}, // the API answers non-canonical paths itself
		{"GET", "/widget.jsx", 200, true, ""},
		{"GET", "/kiosk", 301, false, "/kiosk/"},
		{"GET", "/console", 301, false, "/console/"},
		{"GET", "/kiosk/missing.js", 404, false, ""},
		// Non-canonical paths of the web face go to the API, which
		// answers them with its JSON error.
		{"GET", "/kiosk//", 200, true, ""},
		{"GET", "/kiosk/../console/", 200, true, ""},
		{"GET", "/console/./index.html", 200, true, ""},
		{"GET", "//widget.js", 200, true, ""},
		{"POST", "/widget.js", 405, false, ""},
		{"DELETE", "/kiosk/", 405, false, ""},
	} {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			res := get(t, h, tc.method, tc.path)
			if res.StatusCode != tc.status || (res.Header.Get("X-API") == "yes") != tc.api {
				t.Errorf("status %d, to the API %v; want %d, %v", res.StatusCode, res.Header.Get("X-API") == "yes", tc.status, tc.api)
			}
			if got := res.Header.Get("Location"); got != tc.location {
				t.Errorf("Location %q, want %q", got, tc.location)
			}
		})
	}
}

// Every page loads only files the handler serves.
func TestPagesLinkServedFiles(t *testing.T) {
	h := web.New(api)
	for _, page := range []string{"/kiosk/", "/console/", "/dashboard/"} {
		body, _ := io.ReadAll(get(t, h, "GET", page).Body)
		for _, attr := range []string{`src="`, `href="`} {
			for _, part := range strings.Split(string(body), attr)[1:] {
				ref, _, _ := strings.Cut(part, `"`)
				if strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "data:") {
					continue // a place in the page, or no file at all
				}
				target := ref
				if !strings.HasPrefix(ref, "/") {
					target = page + ref
				}
				if res := get(t, h, "GET", target); res.StatusCode != 200 || res.Header.Get("X-API") != "" {
					t.Errorf("%s links %q: status %d", page, ref, res.StatusCode)
				}
			}
		}
	}
}

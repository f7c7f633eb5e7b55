package httpadapter_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
)

// routes lists one request per route, each valid for the developer token.
func routes(t *testing.T, s *testServer) []struct{ method, path, body string } {
	uid := s.createUser(t, "scope-user", map[string]string{"a": "b"})
	s.chat(t, devToken, engine.Request{SessionID: "session-scope", UserID: "scope-user", Query: "hello"})
	var seg []httpadapter.Created
	s.dev(t, "POST", "/users/segments", map[string]string{"name": "S"}).decode(t, &seg)
	return []struct{ method, path, body string }{
		{"POST", "/query", `{"sessionId":"session-scope","query":"hello"}`},
		{"POST", "/users", `{"userId":"scope-user-2","attributes":{"a":"b"}}`},
		{"GET", "/users", ""},
		{"GET", "/users/" + uid, ""},
		{"PUT", "/users/" + uid, `{"attributes":{"a":"c"}}`},
		{"PUT", "/users/" + uid + "/session", `{"sessionId":"session-scope","attributes":{"a":"c"}}`},
		{"GET", "/users/segments", ""},
		{"POST", "/users/segments", `{"name":"T"}`},
		{"POST", "/users/segments/members", `{"segments":["` + seg[0].ID + `"],"users":["` + uid + `"]}`},
		{"DELETE", "/users/" + uid, ""},
	}
}

func (s *testServer) raw(t *testing.T, method, path, auth, body string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(offSpec(t.Context()), method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// TestScopes checks both token scopes on every route: the developer token
// may do everything, the client token only chat, and anything else is a
// 401.
func TestScopes(t *testing.T) {
	s := newServer(t)
	for _, rt := range routes(t, s) {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			for _, auth := range []string{"", "Bearer", "Bearer ", "Bearer wrong", "Basic " + devToken, "Bearer " + devToken + "x", "Bearer " + clientToken[:len(clientToken)-1]} {
				if r := s.raw(t, rt.method, rt.path, auth, rt.body); r.status != http.StatusUnauthorized {
					t.Errorf("Authorization %q: got %d, want 401", auth, r.status)
				}
			}
			want := http.StatusForbidden
			if rt.path == "/query" {
				want = http.StatusOK
			}
			if r := s.raw(t, rt.method, rt.path, "Bearer "+clientToken, rt.body); r.status != want {
				t.Errorf("client token: got %d, want %d: %s", r.status, want, r.body)
			}
			if r := s.raw(t, rt.method, rt.path, "bearer "+devToken, rt.body); r.status != http.StatusOK {
				t.Errorf("developer token: got %d, want 200: %s", r.status, r.body)
			}
		})
	}
}

func TestNew(t *testing.T) {
	s := newServer(t)
	for _, tc := range []struct {
		name string
		opts []httpadapter.Option
	}{
		{"NoToken", nil},
		{"EmptyClientToken", []httpadapter.Option{httpadapter.WithClientToken("")}},
		{"EmptyDeveloperToken", []httpadapter.Option{httpadapter.WithDeveloperToken("")}},
		{"BodyLimit", []httpadapter.Option{httpadapter.WithoutAuth(), httpadapter.WithMaxBodyBytes(0)}},
		{"Rate", []httpadapter.Option{httpadapter.WithoutAuth(), httpadapter.WithRateLimit(0, 1)}},
		{"Burst", []httpadapter.Option{httpadapter.WithoutAuth(), httpadapter.WithRateLimit(1, 0)}},
		{"Origin", []httpadapter.Option{httpadapter.WithoutAuth(), httpadapter.WithCORS("https://a.example/")}},
		{"Logger", []httpadapter.Option{httpadapter.WithoutAuth(), httpadapter.WithLogger(nil)}},
		{"Clock", []httpadapter.Option{httpadapter.WithoutAuth(), httpadapter.WithClock(nil)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if h, err := httpadapter.New(s.eng, tc.opts...); err == nil || h != nil {
				t.Errorf("got %v, %v; want an error", h, err)
			}
		})
	}
	if _, err := httpadapter.New(nil, httpadapter.WithoutAuth()); err == nil {
		t.Error("nil engine: got no error")
	}
}

func TestWithoutAuth(t *testing.T) {
	s := newServer(t)
	h, err := httpadapter.New(s.eng, httpadapter.WithoutAuth())
	if err != nil {
		t.Fatal(err)
	}
	s.Config.Handler = h
	if r := s.raw(t, "GET", "/users", "", ""); r.status != http.StatusOK {
		t.Errorf("got %d, want 200", r.status)
	}
}

func TestBodyLimit(t *testing.T) {
	s := newServer(t, httpadapter.WithMaxBodyBytes(200))
	ok := `{"sessionId":"session-limit","query":"` + repeat(200-len(`{"sessionId":"session-limit","query":""}`)) + `"}`
	if len(ok) != 200 {
		t.Fatalf("test body is %d bytes, want 200", len(ok))
	}
	if r := s.raw(t, "POST", "/query", "Bearer "+clientToken, ok); r.status != http.StatusOK {
		t.Errorf("200 bytes: got %d %s, want 200", r.status, r.body)
	}
	r := s.raw(t, "POST", "/query", "Bearer "+clientToken, ok+" ")
	if e := r.errorBody(t); r.status != http.StatusRequestEntityTooLarge || e.Status.Code != 413 {
		t.Errorf("201 bytes: got %d %+v, want 413", r.status, e)
	}
	r = s.raw(t, "POST", "/users", "Bearer "+devToken, `{"attributes":{"a":"`+repeat(1000)+`"}}`)
	if r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("1 kB user: got %d, want 413", r.status)
	}
}

// TestRateLimit checks the per-token limit: a burst, then 429 with
// Retry-After, while the other token keeps its own budget. The rate is so
// slow that no token comes back during the test.
func TestRateLimit(t *testing.T) {
	s := newServer(t, httpadapter.WithRateLimit(0.001, 3))
	for i := range 3 {
		if r := s.raw(t, "GET", "/users/segments", "Bearer "+devToken, ""); r.status != http.StatusOK {
			t.Fatalf("request %d: got %d, want 200", i+1, r.status)
		}
	}
	r := s.do(t, t.Context(), "GET", "/users/segments", devToken, nil)
	e := r.errorBody(t)
	if r.status != http.StatusTooManyRequests || e.Status.Code != 429 {
		t.Fatalf("4th request: got %d %+v, want 429", r.status, e)
	}
	if secs, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || secs < 1 {
		t.Errorf("got Retry-After %q, want a positive number of seconds", r.header.Get("Retry-After"))
	}
	if r := s.raw(t, "POST", "/query", "Bearer "+clientToken, `{"sessionId":"session-rate","query":"hello"}`); r.status != http.StatusOK {
		t.Errorf("client token: got %d, want 200 (its own budget)", r.status)
	}
	if r := s.raw(t, "GET", "/users", "", ""); r.status != http.StatusUnauthorized {
		t.Errorf("no token: got %d, want 401 (not counted against any token)", r.status)
	}
}

// TestStrictJSON checks bodies that are not one JSON object of known
// fields.
func TestStrictJSON(t *testing.T) {
	s := newServer(t)
	for _, tc := range []struct {
		name, body, field string
	}{
		{"Empty", "", ""},
		{"Malformed", `{"sessionId":`, ""},
		{"Garbage", `hello`, ""},
		{"Array", `[1,2]`, ""},
		{"TrailingValue", `{"sessionId":"session-json","query":"hi"}{}`, ""},
		{"TrailingGarbage", `{"sessionId":"session-json","query":"hi"} x`, ""},
		{"UnknownField", `{"sessionId":"session-json","query":"hi","extra":1}`, "extra"},
		{"WrongType", `{"sessionId":12345678901,"query":"hi"}`, "sessionId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.raw(t, "POST", "/query", "Bearer "+clientToken, tc.body)
			e := r.errorBody(t)
			if r.status != http.StatusBadRequest || e.Field != tc.field {
				t.Errorf("got %d naming %q (%s), want 400 naming %q", r.status, e.Field, e.Status.Message, tc.field)
			}
		})
	}
	if r := s.raw(t, "POST", "/query", "Bearer "+clientToken, `{"sessionId":"session-json","query":"hi"}`+"\n\t "); r.status != http.StatusOK {
		t.Errorf("trailing white space: got %d, want 200", r.status)
	}
}

func TestNoRoute(t *testing.T) {
	s := newServer(t)
	r := s.raw(t, "GET", "/nowhere", "Bearer "+devToken, "")
	if e := r.errorBody(t); r.status != http.StatusNotFound || e.Status.Code != 404 {
		t.Errorf("unknown path: got %d %+v, want 404", r.status, e)
	}
	r = s.raw(t, "PATCH", "/users", "Bearer "+devToken, "")
	if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET, POST" {
		t.Errorf("PATCH /users: got %d Allow %q, want 405 Allow GET, POST", r.status, r.header.Get("Allow"))
	}
	r = s.raw(t, "GET", "/query", "Bearer "+devToken, "")
	if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "POST" {
		t.Errorf("GET /query: got %d Allow %q, want 405 Allow POST", r.status, r.header.Get("Allow"))
	}
	if r := s.raw(t, "GET", "/nowhere", "", ""); r.status != http.StatusUnauthorized {
		t.Errorf("unknown path without token: got %d, want 401", r.status)
	}
}

func TestCORS(t *testing.T) {
	s := newServer(t, httpadapter.WithCORS("https://shop.example"))
	preflight := func(origin string) *http.Response {
		req, _ := http.NewRequestWithContext(offSpec(t.Context()), "OPTIONS", s.URL+"/query", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		resp, err := s.Server.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := preflight("https://shop.example")
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "https://shop.example" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight: got %d %v, want 204 allowing the origin and Authorization", resp.StatusCode, resp.Header)
	}
	if resp := preflight("https://evil.example"); resp.Header.Get("Access-Control-Allow-Origin") != "" || resp.StatusCode != http.StatusForbidden {
		t.Errorf("preflight from another origin: got %d, Access-Control-Allow-Origin %q; want 403 and none", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	// A preflight carries no token: refusing one is no failed
	// authentication, and a page of another origin that sends many does
	// not lock its visitors' address out.
	for range 300 {
		preflight("https://evil.example")
	}
	if r := s.raw(t, "GET", "/users", "Bearer "+devToken, ""); r.status != http.StatusOK {
		t.Errorf("after 300 refused preflights: got %d, want 200", r.status)
	}
	req, _ := http.NewRequestWithContext(t.Context(), "POST", s.URL+"/query", strings.NewReader(`{"sessionId":"session-cors","query":"hello"}`))
	req.Header.Set("Origin", "https://shop.example")
	req.Header.Set("Authorization", "Bearer "+clientToken)
	req.Header.Set("Content-Type", "application/json")
	r, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusOK || r.Header.Get("Access-Control-Allow-Origin") != "https://shop.example" {
		t.Errorf("POST from the origin: got %d Access-Control-Allow-Origin %q", r.StatusCode, r.Header.Get("Access-Control-Allow-Origin"))
	}

	plain := newServer(t)
	req, _ = http.NewRequestWithContext(offSpec(t.Context()), "OPTIONS", plain.URL+"/query", nil)
	req.Header.Set("Origin", "https://shop.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	r, err = plain.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.Header.Get("Access-Control-Allow-Origin") != "" || r.StatusCode != http.StatusForbidden {
		t.Errorf("without WithCORS: got %d Access-Control-Allow-Origin %q, want no CORS", r.StatusCode, r.Header.Get("Access-Control-Allow-Origin"))
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestInternalError checks that an internal error is a bare 500 for the
// client and a logged error for the operator, and that requests are
// logged.
func TestInternalError(t *testing.T) {
	var log syncBuffer
	s := newServer(t, httpadapter.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	r := s.do(t, t.Context(), "POST", "/query", clientToken, engine.Request{SessionID: "session-boom", Query: "explode now"})
	e := r.errorBody(t)
	if r.status != http.StatusInternalServerError || e.Status.Message != "internal error" || e.Field != "" {
		t.Errorf("got %d %+v, want a bare 500", r.status, e)
	}
	if strings.Contains(string(r.body), "secret") {
		t.Errorf("the body shows internal text: %s", r.body)
	}
	got := log.String()
	for _, want := range []string{"level=ERROR msg=\"internal error\"", "secret internal detail", `route="POST /query" status=500`, "scope=client"} {
		if !strings.Contains(got, want) {
			t.Errorf("log lacks %q:\n%s", want, got)
		}
	}
}

// TestSpecCanFail makes sure the contract check can fail: a response that
// breaks openapi.yaml is refused.
func TestSpecCanFail(t *testing.T) {
	req, _ := http.NewRequestWithContext(context.Background(), "GET", "/users/segments", nil)
	route, params, err := specRouter(t).FindRoute(req)
	if err != nil {
		t.Fatal(err)
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	for _, body := range []string{`{"data":[],"count":"0"}`, `{"data":[]}`, `{"data":[],"count":0,"next":""}`} {
		err := openapi3filter.ValidateResponse(t.Context(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(body)), Options: opts,
		})
		var re *openapi3filter.ResponseError
		if !errors.As(err, &re) {
			t.Errorf("%s: got %v, want a ResponseError", body, err)
		}
	}
}

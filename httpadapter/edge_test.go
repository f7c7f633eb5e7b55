package httpadapter_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley/httpadapter"
)

// rawResponse sends a request written by hand on a new connection from
// the local address from ("" for any) and reads the response.
func rawResponse(t *testing.T, url, from, request string, halfClose bool) (*http.Response, []byte) {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second}
	if from != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(from)}
	}
	conn, err := d.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	if halfClose {
		conn.(*net.TCPConn).CloseWrite()
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no response: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func decodeError(t *testing.T, b []byte) httpadapter.ErrorBody {
	t.Helper()
	var e httpadapter.ErrorBody
	if err := strictUnmarshal(b, &e); err != nil || e.Status.Type != "error" {
		t.Fatalf("got body %q, want an ErrorBody", b)
	}
	return e
}

// TestShortBody: a body shorter than its Content-Length is answered
// with the error body once the body timeout passes (408), or at once when
// the client has stopped sending (400), even on a server whose read and
// write timeouts are equal, as parley serve's are.
func TestShortBody(t *testing.T) {
	s := newServer(t, httpadapter.WithBodyTimeout(300*time.Millisecond))
	srv := httptest.NewUnstartedServer(s.Config.Handler)
	srv.Config.ReadTimeout, srv.Config.WriteTimeout = 10*time.Second, 10*time.Second
	srv.Start()
	t.Cleanup(srv.Close)
	req := "POST /query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + clientToken +
		"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"sessionId\":"
	for _, tc := range []struct {
		name      string
		halfClose bool
		status    int
	}{
		{"Stalled", false, http.StatusRequestTimeout},
		{"Closed", true, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := rawResponse(t, srv.URL, "", req, tc.halfClose)
			e := decodeError(t, b)
			if resp.StatusCode != tc.status || e.Status.Code != tc.status {
				t.Errorf("got %d %s, want %d", resp.StatusCode, b, tc.status)
			}
		})
	}
}

// TestPaths: a path that is not canonical gets the JSON error, not
// ServeMux's redirect with an HTML body; a query string that does not
// decode is a 400 like an unknown parameter.
func TestPaths(t *testing.T) {
	s := newServer(t)
	for _, tc := range []struct {
		name, target string
		status       int
		field        string
	}{
		{"DoubleSlash", "//users", 404, "path"},
		{"DotDot", "/users/../users", 404, "path"},
		{"Dot", "/./users", 404, "path"},
		{"InnerDoubleSlash", "/users//segments", 404, "path"},
		{"BadEscapeInQuery", "/users?limit=%zz", 400, "query"},
		{"BadEscapeInName", "/users?%zz=1", 400, "query"},
		{"Semicolon", "/users?limit=1;after=2", 400, "query"},
		{"UnknownParameter", "/users?page=2", 400, "page"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := rawResponse(t, s.URL, "", "GET "+tc.target+" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+devToken+"\r\nConnection: close\r\n\r\n", false)
			e := decodeError(t, b)
			if resp.StatusCode != tc.status || e.Field != tc.field {
				t.Errorf("got %d naming %q (%s), want %d naming %q", resp.StatusCode, e.Field, e.Status.Message, tc.status, tc.field)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("got Content-Type %q, want application/json", ct)
			}
		})
	}
	r := s.raw(t, "POST", "/query?%zz", "Bearer "+clientToken, `{"sessionId":"session-path","query":"hello"}`)
	if r.status != http.StatusBadRequest {
		t.Errorf("POST /query?%%zz: got %d, want 400", r.status)
	}
}

// TestAuthenticate: a 401 says how to authenticate, a 403 why the
// token is not enough, and the header's optional spaces are accepted.
func TestAuthenticate(t *testing.T) {
	s := newServer(t)
	r := s.raw(t, "GET", "/users", "", "")
	if got := r.header.Get("WWW-Authenticate"); r.status != 401 || got != `Bearer realm="parley"` {
		t.Errorf("no token: got %d with WWW-Authenticate %q, want 401 with a Bearer challenge", r.status, got)
	}
	r = s.raw(t, "GET", "/users", "Bearer wrong", "")
	if got := r.header.Get("WWW-Authenticate"); r.status != 401 || !strings.Contains(got, `error="invalid_token"`) {
		t.Errorf("wrong token: got %d with WWW-Authenticate %q, want 401 with invalid_token", r.status, got)
	}
	r = s.raw(t, "GET", "/users", "Bearer "+clientToken, "")
	if got := r.header.Get("WWW-Authenticate"); r.status != 403 || !strings.Contains(got, `error="insufficient_scope"`) {
		t.Errorf("client token: got %d with WWW-Authenticate %q, want 403 with insufficient_scope", r.status, got)
	}
	for _, auth := range []string{"Bearer   " + devToken, "bearer " + devToken + "  ", "  BEARER  " + devToken} {
		if r := s.raw(t, "GET", "/users", auth, ""); r.status != http.StatusOK {
			t.Errorf("Authorization %q: got %d, want 200", auth, r.status)
		}
	}
	for _, auth := range []string{"Bearer " + devToken + " x", "Bearer" + devToken, "Bearer\t" + devToken + "\tx"} {
		if r := s.raw(t, "GET", "/users", auth, ""); r.status != http.StatusUnauthorized {
			t.Errorf("Authorization %q: got %d, want 401", auth, r.status)
		}
	}
}

// TestAuthFailureLimit: failed authentications are limited per
// client address; past the budget even the right token waits, while
// another address is not affected.
func TestAuthFailureLimit(t *testing.T) {
	s := newServer(t, httpadapter.WithAuthFailureLimit(0.001, 5))
	get := func(from, token string) (*http.Response, []byte) {
		return rawResponse(t, s.URL, from, "GET /users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+token+"\r\nConnection: close\r\n\r\n", false)
	}
	for i := range 5 {
		if resp, _ := get("127.0.0.1", "wrong"); resp.StatusCode != 401 {
			t.Fatalf("failure %d: got %d, want 401", i+1, resp.StatusCode)
		}
	}
	for _, token := range []string{"wrong", devToken} {
		resp, b := get("127.0.0.1", token)
		if e := decodeError(t, b); resp.StatusCode != 429 || e.Status.Code != 429 {
			t.Errorf("after 5 failures, token %q: got %d, want 429", token, resp.StatusCode)
		}
		if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || secs < 1 {
			t.Errorf("got Retry-After %q, want seconds", resp.Header.Get("Retry-After"))
		}
	}
	if resp, _ := get("127.0.0.2", devToken); resp.StatusCode != 200 {
		t.Errorf("another address: got %d, want 200", resp.StatusCode)
	}
}

// TestCORSOrigins: origins are checked when the Handler is built,
// and compared as browsers write them.
func TestCORSOrigins(t *testing.T) {
	s := newServer(t)
	for _, o := range []string{"shop.example", "javascript:alert(1)", "https://a.example,https://b.example",
		"https://a.example https://b.example", "https://a.example/", "https://a.example/path", "https://a.example?x",
		"ftp://a.example", "https://", "https://user@a.example", "https://a.example:0", "https://a.example:99999", ""} {
		if _, err := httpadapter.New(s.eng, httpadapter.WithoutAuth(), httpadapter.WithCORS(o)); err == nil {
			t.Errorf("WithCORS(%q): got no error", o)
		}
	}
	h, err := httpadapter.New(s.eng, httpadapter.WithClientToken(clientToken), httpadapter.WithCORS("HTTPS://Shop.Example:443", "http://[::1]:8080"))
	if err != nil {
		t.Fatal(err)
	}
	for _, origin := range []string{"https://shop.example", "http://[::1]:8080"} {
		req := httptest.NewRequest("OPTIONS", "/query", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if got := w.Header().Get("Access-Control-Allow-Origin"); got != origin {
			t.Errorf("Origin %s: got Access-Control-Allow-Origin %q", origin, got)
		}
	}
}

// TestEndUserRateLimit: with the client token, each end user (the
// userId, else the sessionId) and each client address has a budget of its
// own; the developer token is not counted.
func TestEndUserRateLimit(t *testing.T) {
	s := newServer(t, httpadapter.WithEndUserRateLimit(0.001, 3), httpadapter.WithAddressRateLimit(0.001, 8))
	s.createUser(t, "ann", map[string]string{"plan": "gold"})
	query := func(from, token, body string) int {
		resp, b := rawResponse(t, s.URL, from, fmt.Sprintf("POST /query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
			"Content-Length: %d\r\nConnection: close\r\n\r\n%s", token, len(body), body), false)
		if resp.StatusCode == 429 {
			if e := decodeError(t, b); e.Status.Code != 429 || resp.Header.Get("Retry-After") == "" {
				t.Errorf("429 without its body or Retry-After: %s", b)
			}
		}
		return resp.StatusCode
	}
	one := `{"sessionId":"session-one","query":"hello"}`
	for i := range 3 {
		if got := query("127.0.0.1", clientToken, one); got != 200 {
			t.Fatalf("session one, turn %d: got %d, want 200", i+1, got)
		}
	}
	if got := query("127.0.0.1", clientToken, one); got != 429 {
		t.Errorf("session one, turn 4: got %d, want 429", got)
	}
	if got := query("127.0.0.1", devToken, one); got != 200 {
		t.Errorf("session one with the developer token: got %d, want 200", got)
	}
	// Ann's two sessions share her budget.
	for i, sid := range []string{"ann-session-1", "ann-session-2", "ann-session-1"} {
		if got := query("127.0.0.1", clientToken, `{"sessionId":"`+sid+`","userId":"ann","query":"hello"}`); got != 200 {
			t.Fatalf("ann, turn %d: got %d, want 200", i+1, got)
		}
	}
	if got := query("127.0.0.1", clientToken, `{"sessionId":"ann-session-2","userId":"ann","query":"hello"}`); got != 429 {
		t.Errorf("ann, turn 4: got %d, want 429", got)
	}
	// 8 requests of the client token from 127.0.0.1 so far: its budget is spent.
	if got := query("127.0.0.1", clientToken, `{"sessionId":"session-two","query":"hello"}`); got != 429 {
		t.Errorf("address budget spent: got %d, want 429", got)
	}
	if got := query("127.0.0.2", clientToken, `{"sessionId":"session-two","query":"hello"}`); got != 200 {
		t.Errorf("another address: got %d, want 200", got)
	}
}

// TestTrustedProxy: behind a trusted proxy, the client address is
// the last one of X-Forwarded-For that is not a proxy.
func TestTrustedProxy(t *testing.T) {
	s := newServer(t, httpadapter.WithAddressRateLimit(0.001, 1), httpadapter.WithTrustedProxies("127.0.0.0/8", "10.0.0.1"))
	query := func(fwd string) int {
		body := `{"sessionId":"session-proxy","query":"hello"}`
		resp, _ := rawResponse(t, s.URL, "", fmt.Sprintf("POST /query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
			"X-Forwarded-For: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", clientToken, fwd, len(body), body), false)
		return resp.StatusCode
	}
	for _, tc := range []struct {
		fwd  string
		want int
	}{
		{"203.0.113.7", 200},
		{"203.0.113.8, 10.0.0.1", 200},
		{"198.51.100.1, 203.0.113.7", 429}, // the client cannot choose its address
		{"2001:db8::1", 200},
		{"2001:db8::2", 429}, // the same /64
	} {
		if got := query(tc.fwd); got != tc.want {
			t.Errorf("X-Forwarded-For %q: got %d, want %d", tc.fwd, got, tc.want)
		}
	}
}

// TestManyVisitors: twenty visitors of one web page, all from one
// address, chat at once with the shared client token under the limits
// parley serve sets by default, and none is refused.
func TestManyVisitors(t *testing.T) {
	s := newServer(t, httpadapter.WithEndUserRateLimit(5, 30), httpadapter.WithAddressRateLimit(100, 500))
	errs := make(chan error, 400)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	done := make(chan struct{})
	for v := range 20 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 20 {
				body := fmt.Sprintf(`{"sessionId":"visitor-%02d-session","query":"coffee please %d"}`, v, i)
				req, _ := http.NewRequestWithContext(ctx, "POST", s.URL+"/query", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+clientToken)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err
					return
				}
				var out struct {
					Status struct{ Code int } `json:"status"`
				}
				json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs <- fmt.Errorf("visitor %d turn %d: got %d", v, i, resp.StatusCode)
				}
			}
		}()
	}
	for range 20 {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

package httpadapter_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	legacyrouter "github.com/getkin/kin-openapi/routers/legacy"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

const (
	clientToken = "client-token-0123456789"
	devToken    = "developer-token-0123456789"
)

// botYAML is the bot every test talks to.
const botYAML = `stories:
  - name: Main
    interactions:
      - name: Welcome
        role: start
        says: [hello]
        responses: [{text: "Hi {{default_name|there}}."}]
      - name: Order
        says: [i want a coffee, coffee please, a latte please]
        triggers: [order]
        responses: [{text: "Coming up."}, {goal: order}]
      - name: Menu
        says: [show me the menu]
        responses: [{quick_replies: {title: "What would you like?", buttons: [{title: A coffee, goto: Order}]}}]
      - name: Boom
        says: [explode now]
        responses: [{webhook: boom}]
      - name: Fallback
        role: else
        responses: [{text: "Sorry?"}]
`

// A testServer is a Handler on a real loopback listener, over an engine
// on in-memory Badger.
type testServer struct {
	*httptest.Server
	db  *badgerstore.DB
	eng *engine.Engine
	bot *story.Bot
	// client checks every request (unless marked offSpec) and every
	// response against openapi.yaml.
	client *http.Client
}

// newServer starts a server with both tokens and the given options, over
// botYAML.
func newServer(t testing.TB, opts ...httpadapter.Option) *testServer {
	t.Helper()
	boom := engine.WithWebhook("boom", func(context.Context, engine.WebhookCall) (engine.WebhookResult, error) {
		return engine.WebhookResult{}, errors.New("secret internal detail")
	})
	return newBotServer(t, botYAML, []engine.Option{boom}, opts...)
}

// newBotServer starts a server with both tokens and the given options,
// over the bot in yaml and an engine with engOpts.
func newBotServer(t testing.TB, yaml string, engOpts []engine.Option, opts ...httpadapter.Option) *testServer {
	t.Helper()
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newStoreServer(t, db, yaml, engOpts, opts...)
}

// newStoreServer starts a server with both tokens and the given options,
// over the bot in yaml and an engine on db with engOpts.
func newStoreServer(t testing.TB, db *badgerstore.DB, yaml string, engOpts []engine.Option, opts ...httpadapter.Option) *testServer {
	t.Helper()
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(yaml)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(db, bot, engOpts...)
	if err != nil {
		t.Fatal(err)
	}
	opts = append([]httpadapter.Option{httpadapter.WithClientToken(clientToken), httpadapter.WithDeveloperToken(devToken)}, opts...)
	h, err := httpadapter.New(eng, opts...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &testServer{
		Server: srv, db: db, eng: eng, bot: bot,
		client: &http.Client{Transport: &specChecker{t: t, router: specRouter(t), base: srv.Client().Transport}},
	}
}

var (
	specOnce sync.Once
	specDoc  *openapi3.T
	specErr  error
)

// specRouter loads and validates openapi.yaml once.
func specRouter(t testing.TB) routers.Router {
	t.Helper()
	specOnce.Do(func() {
		openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
		loader := openapi3.NewLoader()
		specDoc, specErr = loader.LoadFromFile("openapi.yaml")
		if specErr == nil {
			specErr = specDoc.Validate(loader.Context)
		}
		if specErr == nil {
			// Match requests on any host: the test servers listen
			// on random ports.
			specDoc.Servers = nil
		}
	})
	if specErr != nil {
		t.Fatalf("openapi.yaml: %v", specErr)
	}
	r, err := legacyrouter.NewRouter(specDoc)
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	return r
}

type offSpecKey struct{}

// offSpec marks a request that breaks the contract on purpose: its
// response is still checked, but not the request itself, and a route
// missing from openapi.yaml is no error.
func offSpec(ctx context.Context) context.Context { return context.WithValue(ctx, offSpecKey{}, true) }

// specChecker is a RoundTripper that checks requests and responses
// against openapi.yaml.
type specChecker struct {
	t      testing.TB
	router routers.Router
	base   http.RoundTripper
}

func (c *specChecker) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	off, _ := req.Context().Value(offSpecKey{}).(bool)
	route, params, err := c.router.FindRoute(req)
	if err != nil && !off {
		c.t.Errorf("%s %s: not in openapi.yaml: %v", req.Method, req.URL.Path, err)
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
	in := &openapi3filter.RequestValidationInput{Request: req.Clone(req.Context()), PathParams: params, Route: route, Options: opts}
	in.Request.Body = io.NopCloser(bytes.NewReader(body))
	if route != nil && !off {
		if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
			c.t.Errorf("%s %s: request breaks openapi.yaml: %v\nbody: %s", req.Method, req.URL, err, body)
		}
	}
	resp, err := c.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	rb, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(rb))
	if route != nil {
		out := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
			Body: io.NopCloser(bytes.NewReader(rb)), Options: opts,
		}
		if err := openapi3filter.ValidateResponse(req.Context(), out); err != nil {
			c.t.Errorf("%s %s: response breaks openapi.yaml: %v\nbody: %s", req.Method, req.URL, err, rb)
		}
	} else {
		// Without a route, at least the error body must be the one.
		if strings.HasPrefix(req.URL.Path, "/v0/") {
			var e httpadapter.V0ErrorBody
			if err := strictUnmarshal(rb, &e); err != nil || e.Success || e.Error.Code == "" {
				c.t.Errorf("%s %s: got body %s, want a V0ErrorBody", req.Method, req.URL, rb)
			}
		} else {
			var e httpadapter.ErrorBody
			if err := strictUnmarshal(rb, &e); err != nil || e.Status.Type != "error" || e.Status.Code != resp.StatusCode {
				c.t.Errorf("%s %s: got body %s, want an ErrorBody", req.Method, req.URL, rb)
			}
		}
	}
	return resp, nil
}

func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// A reply is a response, read.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// errorBody decodes r's body as an ErrorBody.
func (r reply) errorBody(t testing.TB) httpadapter.ErrorBody {
	t.Helper()
	var e httpadapter.ErrorBody
	if err := strictUnmarshal(r.body, &e); err != nil {
		t.Fatalf("error body %s: %v", r.body, err)
	}
	return e
}

// decode decodes r's body into v, failing unless the status is 200.
func (r reply) decode(t testing.TB, v any) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("got status %d, want 200; body %s", r.status, r.body)
	}
	if err := strictUnmarshal(r.body, v); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
}

// do sends a request with the given bearer token ("" for none). body is
// sent as is if it is a string, else as JSON.
func (s *testServer) do(t testing.TB, ctx context.Context, method, path, token string, body any) reply {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// dev sends a request with the developer token that keeps to the
// contract.
func (s *testServer) dev(t testing.TB, method, path string, body any) reply {
	t.Helper()
	return s.do(t, t.Context(), method, path, devToken, body)
}

// createUser creates a user and returns its id.
func (s *testServer) createUser(t testing.TB, userID string, attrs map[string]string) string {
	t.Helper()
	var created []httpadapter.Created
	s.dev(t, "POST", "/users", map[string]any{"userId": userID, "attributes": attrs}).decode(t, &created)
	if len(created) != 1 {
		t.Fatalf("got %d created, want 1", len(created))
	}
	return created[0].ID
}

// chat sends one query and returns the response.
func (s *testServer) chat(t testing.TB, token string, req engine.Request) engine.Response {
	t.Helper()
	var resp engine.Response
	s.do(t, t.Context(), "POST", "/query", token, req).decode(t, &resp)
	return resp
}

package httpadapter_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
)

// TestExplicitZero: an explicit confidence or lifespan of 0 is out
// of the API's ranges over HTTP, while an absent or null one means the
// bot's setting.
func TestExplicitZero(t *testing.T) {
	s := newServer(t)
	for _, tc := range []struct {
		name, body, field string
	}{
		{"ConfidenceZero", `{"sessionId":"session-zero","query":"hello","confidence":0}`, "confidence"},
		{"ConfidenceZeroFloat", `{"sessionId":"session-zero","query":"hello","confidence":0.0}`, "confidence"},
		{"LifespanZero", `{"sessionId":"session-zero","query":"hello","lifespan":0}`, "lifespan"},
		{"ConfidenceNull", `{"sessionId":"session-zero","query":"hello","confidence":null}`, ""},
		{"LifespanNull", `{"sessionId":"session-zero","query":"hello","lifespan":null}`, ""},
		{"Absent", `{"sessionId":"session-zero","query":"hello"}`, ""},
		{"InRange", `{"sessionId":"session-zero","query":"hello","confidence":0.1,"lifespan":1}`, ""},
		{"LifespanNotInteger", `{"sessionId":"session-zero","query":"hello","lifespan":"2"}`, "lifespan"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.raw(t, "POST", "/query", "Bearer "+clientToken, tc.body)
			if tc.field == "" {
				if r.status != http.StatusOK {
					t.Fatalf("got %d %s, want 200", r.status, r.body)
				}
				return
			}
			if e := r.errorBody(t); r.status != http.StatusBadRequest || e.Field != tc.field {
				t.Errorf("got %d naming %q (%s), want 400 naming %q", r.status, e.Field, e.Status.Message, tc.field)
			}
		})
	}
}

// TestCreateUserNeedsID: Create user needs a userId unless it gives
// attributes.default_email, and an empty userId is no userId.
func TestCreateUserNeedsID(t *testing.T) {
	s := newServer(t)
	for _, tc := range []struct {
		name, body string
		status     int
		field      string
	}{
		{"Neither", `{"attributes":{"plan":"gold"}}`, 400, "userId"},
		{"EmptyUserID", `{"userId":"","attributes":{"plan":"gold"}}`, 400, "userId"},
		{"EmptyUserIDWithEmail", `{"userId":"","attributes":{"default_email":"a@example.com"}}`, 400, "userId"},
		{"NullUserIDWithEmail", `{"userId":null,"attributes":{"default_email":"b@example.com"}}`, 200, ""},
		{"EmailOnly", `{"attributes":{"default_email":"c@example.com"}}`, 200, ""},
		{"UserIDOnly", `{"userId":"dee","attributes":{"plan":"gold"}}`, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.raw(t, "POST", "/users", "Bearer "+devToken, tc.body)
			if r.status != tc.status {
				t.Fatalf("got %d %s, want %d", r.status, r.body, tc.status)
			}
			if tc.status != 200 {
				if e := r.errorBody(t); e.Field != tc.field {
					t.Errorf("got field %q, want %q", e.Field, tc.field)
				}
			}
		})
	}
}

// TestSessionParameters: a chat result's sessionParameters list
// every default_* attribute, null when unset, as the API's example does.
func TestSessionParameters(t *testing.T) {
	s := newServer(t)
	s.createUser(t, "ann", map[string]string{"default_name": "Ann", "plan": "gold"})
	r := s.do(t, t.Context(), "POST", "/query", clientToken, engine.Request{SessionID: "session-params", UserID: "ann", Query: "hello"})
	var body struct {
		Result struct {
			SessionParameters map[string]*string `json:"sessionParameters"`
		} `json:"result"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	got := body.Result.SessionParameters
	for _, k := range []string{"default_email", "default_url", "default_id", "default_avatar", "default_language",
		"default_timezone", "default_gender", "default_ip", "default_city", "default_country", "default_referrer", "default_real_name"} {
		if v, ok := got[k]; !ok || v != nil {
			t.Errorf("%s: got %v (present %v), want null", k, v, ok)
		}
	}
	for k, want := range map[string]string{"default_name": "Ann", "plan": "gold"} {
		if v := got[k]; v == nil || *v != want {
			t.Errorf("%s: got %v, want %q", k, v, want)
		}
	}
}

// TestLastAttribute: an update that would leave a user without
// attributes is a 400 and changes nothing.
func TestLastAttribute(t *testing.T) {
	s := newServer(t)
	id := s.createUser(t, "ann", map[string]string{"plan": "gold"})
	r := s.dev(t, "PUT", "/users/"+id, map[string]any{"attributes": map[string]string{"plan": ""}})
	if e := r.errorBody(t); r.status != http.StatusBadRequest || e.Field != "attributes" {
		t.Fatalf("got %d naming %q, want 400 naming attributes", r.status, e.Field)
	}
	r = s.dev(t, "PUT", "/users/"+id, map[string]any{"attributes": map[string]string{"plan": "", "tier": "2"}})
	if r.status != http.StatusOK {
		t.Fatalf("replacing the last attribute: got %d %s, want 200", r.status, r.body)
	}
	var u httpadapter.UserDetails
	s.dev(t, "GET", "/users/"+id, nil).decode(t, &u)
	if u.Attributes["tier"] == nil || *u.Attributes["tier"] != "2" || u.Attributes["plan"] != nil {
		t.Errorf("got attributes %v, want tier 2 and no plan", u.Attributes)
	}
}

// TestSessionOfUnknownUser: PUT /users/{id}/session names the path's
// id when the user is unknown, and sessionId when the user lacks the session.
func TestSessionOfUnknownUser(t *testing.T) {
	s := newServer(t)
	id := s.createUser(t, "ann", map[string]string{"plan": "gold"})
	for _, tc := range []struct{ name, user, field string }{
		{"UnknownUser", "0123456789abcdef01234567", "id"},
		{"UnknownSession", id, "sessionId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.dev(t, "PUT", "/users/"+tc.user+"/session", map[string]any{"sessionId": "no-such-session", "attributes": map[string]string{"a": "b"}})
			if e := r.errorBody(t); r.status != http.StatusNotFound || e.Field != tc.field {
				t.Errorf("got %d naming %q, want 404 naming %q", r.status, e.Field, tc.field)
			}
		})
	}
}

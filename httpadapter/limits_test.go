package httpadapter_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/parleybot/parley/engine"
)

func repeat(n int) string { return strings.Repeat("x", n) }

func manyStrings(n int, f func(i int) string) map[string]string {
	m := make(map[string]string, n)
	for i := range n {
		m[fmt.Sprintf("k%d", i)] = f(i)
	}
	return m
}

func manyIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%024x", i+1)
	}
	return ids
}

// TestFieldLimits sends one request per rule of the seed and checks that
// each is a 400 naming the field, with a message and no internal text.
// Where openapi.yaml can express the rule, the spec must refuse the request
// too (specSilent marks the rules JSON Schema cannot state).
func TestFieldLimits(t *testing.T) {
	s := newServer(t)
	uid := s.createUser(t, "joe", map[string]string{"default_name": "Joe"})
	s.chat(t, clientToken, engine.Request{SessionID: "session-joe-1", UserID: "joe", Query: "hello"})
	const sid = "session-joe-1"
	hexID := strings.Repeat("0", 24)

	q := func(extra map[string]any) map[string]any {
		m := map[string]any{"sessionId": sid}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	for _, tc := range []struct {
		name         string
		method, path string
		body         any
		field        string
		specSilent   bool
	}{
		// POST /query: Chat with bot.
		{"Query/SessionIDShort", "POST", "/query", map[string]any{"sessionId": repeat(9), "query": "hi"}, "sessionId", false},
		{"Query/SessionIDLong", "POST", "/query", map[string]any{"sessionId": repeat(65), "query": "hi"}, "sessionId", false},
		{"Query/SessionIDMissing", "POST", "/query", map[string]any{"query": "hi"}, "sessionId", false},
		{"Query/UserIDLong", "POST", "/query", q(map[string]any{"query": "hi", "userId": repeat(257)}), "userId", false},
		{"Query/QueryLong", "POST", "/query", q(map[string]any{"query": repeat(257)}), "query", false},
		{"Query/NoMessage", "POST", "/query", q(nil), "query", true},
		{"Query/TwoMessages", "POST", "/query", q(map[string]any{"query": "hi", "trigger": "order"}), "query", true},
		{"Query/TriggerLong", "POST", "/query", q(map[string]any{"trigger": repeat(51)}), "trigger", false},
		{"Query/TriggerUnknown", "POST", "/query", q(map[string]any{"trigger": "nosuch"}), "trigger", true},
		{"Query/GotoMalformed", "POST", "/query", q(map[string]any{"goto": "xyz"}), "goto", false},
		{"Query/GotoUnknown", "POST", "/query", q(map[string]any{"goto": hexID}), "goto", true},
		{"Query/ConfidenceLow", "POST", "/query", q(map[string]any{"query": "hi", "confidence": 0.05}), "confidence", false},
		{"Query/ConfidenceHigh", "POST", "/query", q(map[string]any{"query": "hi", "confidence": 1.5}), "confidence", false},
		{"Query/ConfidenceNotNumber", "POST", "/query", q(map[string]any{"query": "hi", "confidence": "high"}), "confidence", false},
		{"Query/LifespanLow", "POST", "/query", q(map[string]any{"query": "hi", "lifespan": -1}), "lifespan", false},
		{"Query/LifespanHigh", "POST", "/query", q(map[string]any{"query": "hi", "lifespan": 11}), "lifespan", false},
		{"Query/LifespanNotInteger", "POST", "/query", q(map[string]any{"query": "hi", "lifespan": 2.5}), "lifespan", false},
		{"Query/ResetNotBoolean", "POST", "/query", q(map[string]any{"query": "hi", "reset": "yes"}), "reset", false},
		{"Query/StoryIDMalformed", "POST", "/query", q(map[string]any{"query": "hi", "storyId": "xyz"}), "storyId", false},
		{"Query/StoryIDUnknown", "POST", "/query", q(map[string]any{"query": "hi", "storyId": hexID}), "storyId", true},
		{"Query/ParametersTooMany", "POST", "/query", q(map[string]any{"query": "hi", "parameters": manyStrings(100, func(int) string { return "v" })}), "parameters", false},
		{"Query/ParameterKey", "POST", "/query", q(map[string]any{"query": "hi", "parameters": map[string]string{"bad key": "v"}}), "parameters", true},
		{"Query/ParameterKeyLong", "POST", "/query", q(map[string]any{"query": "hi", "parameters": map[string]string{repeat(129): "v"}}), "parameters", true},
		{"Query/ParameterValueLong", "POST", "/query", q(map[string]any{"query": "hi", "parameters": map[string]string{"size": repeat(1025)}}), "parameters.size", false},
		{"Query/ParameterValueEmpty", "POST", "/query", q(map[string]any{"query": "hi", "parameters": map[string]string{"size": ""}}), "parameters.size", false},
		{"Query/UnknownField", "POST", "/query", q(map[string]any{"query": "hi", "foo": 1}), "foo", false},

		// POST /users: Create user.
		{"CreateUser/UserIDLong", "POST", "/users", map[string]any{"userId": repeat(257), "attributes": map[string]string{"a": "b"}}, "userId", false},
		{"CreateUser/AttributesMissing", "POST", "/users", map[string]any{"userId": "ann"}, "attributes", false},
		{"CreateUser/AttributesEmpty", "POST", "/users", map[string]any{"userId": "ann", "attributes": map[string]string{}}, "attributes", false},
		{"CreateUser/AttributesTooMany", "POST", "/users", map[string]any{"attributes": manyStrings(100, func(int) string { return "v" })}, "attributes", false},
		{"CreateUser/AttributeKey", "POST", "/users", map[string]any{"attributes": map[string]string{"bad key": "v"}}, "attributes", true},
		{"CreateUser/AttributeKeyLong", "POST", "/users", map[string]any{"attributes": map[string]string{repeat(129): "v"}}, "attributes", true},
		{"CreateUser/AttributeValueLong", "POST", "/users", map[string]any{"attributes": map[string]string{"city": repeat(1025)}}, "attributes.city", false},
		{"CreateUser/AttributeValueEmpty", "POST", "/users", map[string]any{"attributes": map[string]string{"city": ""}}, "attributes.city", false},
		{"CreateUser/AttributeValueNotString", "POST", "/users", map[string]any{"attributes": map[string]any{"age": 7}}, "attributes", false},
		{"CreateUser/DefaultNameLong", "POST", "/users", map[string]any{"attributes": map[string]string{"default_name": repeat(257)}}, "attributes.default_name", false},
		{"CreateUser/SegmentMalformed", "POST", "/users", map[string]any{"segments": "xyz", "attributes": map[string]string{"a": "b"}}, "segments", false},
		{"CreateUser/SegmentsTooMany", "POST", "/users", map[string]any{"segments": manyIDs(101), "attributes": map[string]string{"a": "b"}}, "segments", false},
		{"CreateUser/SegmentsNotStrings", "POST", "/users", map[string]any{"segments": 5, "attributes": map[string]string{"a": "b"}}, "segments", false},

		// GET /users: List users.
		{"ListUsers/LimitHigh", "GET", "/users?limit=41", nil, "limit", false},
		{"ListUsers/LimitZero", "GET", "/users?limit=0", nil, "limit", false},
		{"ListUsers/LimitNotInteger", "GET", "/users?limit=ten", nil, "limit", false},
		{"ListUsers/AfterMalformed", "GET", "/users?after=xyz", nil, "after", false},
		{"ListUsers/SortField", "GET", "/users?sort.field=name", nil, "sort.field", false},
		{"ListUsers/SortOrder", "GET", "/users?sort.order=up", nil, "sort.order", false},
		{"ListUsers/Match", "GET", "/users?match=some", nil, "match", false},
		{"ListUsers/FiltersTooMany", "GET", "/users?" + strings.Repeat("filters=banned:equals:true&", 6), nil, "filters", false},
		{"ListUsers/FilterSyntax", "GET", "/users?filters=banned", nil, "filters[0]", false},
		{"ListUsers/FilterField", "GET", "/users?filters=name:equals:joe", nil, "filters[0].field", true},
		{"ListUsers/FilterOp", "GET", "/users?filters=attributes.city:like:Rome", nil, "filters[0].op", true},
		{"ListUsers/FilterValueMissing", "GET", "/users?filters=attributes.city:equals", nil, "filters[0].value", true},
		{"ListUsers/FilterValueLong", "GET", "/users?filters=attributes.city:equals:" + repeat(1025), nil, "filters[0].value", true},
		{"ListUsers/FilterTime", "GET", "/users?filters=createdAt:after:yesterday", nil, "filters[0].value", true},
		{"ListUsers/FilterTimeMissing", "GET", "/users?filters=createdAt:after", nil, "filters[0].value", true},
		{"ListUsers/FilterSegment", "GET", "/users?filters=segment:equals:xyz", nil, "filters[0].value", true},
		{"ListUsers/FilterBanned", "GET", "/users?filters=banned:equals:maybe", nil, "filters[0].value", true},
		{"ListUsers/UnknownParameter", "GET", "/users?page=2", nil, "page", true},
		{"ListUsers/RepeatedParameter", "GET", "/users?limit=2&limit=3", nil, "limit", true},

		// /users/{id}: List single user, Update user, Delete user.
		{"GetUser/IDMalformed", "GET", "/users/xyz", nil, "id", false},
		{"UpdateUser/IDMalformed", "PUT", "/users/xyz", map[string]any{"attributes": map[string]string{"a": "b"}}, "id", false},
		{"UpdateUser/AttributesMissing", "PUT", "/users/" + uid, map[string]any{}, "attributes", false},
		{"UpdateUser/AttributesTooMany", "PUT", "/users/" + uid, map[string]any{"attributes": manyStrings(100, func(int) string { return "v" })}, "attributes", false},
		{"UpdateUser/AttributeKey", "PUT", "/users/" + uid, map[string]any{"attributes": map[string]string{"bad key": "v"}}, "attributes", true},
		{"UpdateUser/AttributeValueLong", "PUT", "/users/" + uid, map[string]any{"attributes": map[string]string{"city": repeat(1025)}}, "attributes.city", false},
		{"UpdateUser/DefaultNameLong", "PUT", "/users/" + uid, map[string]any{"attributes": map[string]string{"default_name": repeat(257)}}, "attributes.default_name", false},
		{"UpdateUser/UnknownField", "PUT", "/users/" + uid, map[string]any{"attributes": map[string]string{"a": "b"}, "banned": true}, "banned", false},
		{"DeleteUser/IDMalformed", "DELETE", "/users/xyz", nil, "id", false},

		// PUT /users/{id}/session: Update session attributes.
		{"UpdateSession/IDMalformed", "PUT", "/users/xyz/session", map[string]any{"sessionId": sid, "attributes": map[string]string{"a": "b"}}, "id", false},
		{"UpdateSession/SessionIDShort", "PUT", "/users/" + uid + "/session", map[string]any{"sessionId": repeat(9), "attributes": map[string]string{"a": "b"}}, "sessionId", false},
		{"UpdateSession/SessionIDLong", "PUT", "/users/" + uid + "/session", map[string]any{"sessionId": repeat(65), "attributes": map[string]string{"a": "b"}}, "sessionId", false},
		{"UpdateSession/AttributesMissing", "PUT", "/users/" + uid + "/session", map[string]any{"sessionId": sid}, "attributes", false},
		{"UpdateSession/AttributesTooMany", "PUT", "/users/" + uid + "/session", map[string]any{"sessionId": sid, "attributes": manyStrings(100, func(int) string { return "v" })}, "attributes", false},
		{"UpdateSession/AttributeKey", "PUT", "/users/" + uid + "/session", map[string]any{"sessionId": sid, "attributes": map[string]string{"bad key": "v"}}, "attributes", true},
		{"UpdateSession/AttributeValueLong", "PUT", "/users/" + uid + "/session", map[string]any{"sessionId": sid, "attributes": map[string]string{"city": repeat(1025)}}, "attributes.city", false},
		{"UpdateSession/DefaultNameLong", "PUT", "/users/" + uid + "/session", map[string]any{"sessionId": sid, "attributes": map[string]string{"default_name": repeat(257)}}, "attributes.default_name", false},

		// Segments.
		{"CreateSegment/NameEmpty", "POST", "/users/segments", map[string]any{"name": ""}, "name", false},
		{"CreateSegment/NameMissing", "POST", "/users/segments", map[string]any{}, "name", false},
		{"CreateSegment/NameLong", "POST", "/users/segments", map[string]any{"name": repeat(257)}, "name", false},
		{"Members/SegmentsEmpty", "POST", "/users/segments/members", map[string]any{"segments": []string{}, "users": []string{uid}}, "segments", false},
		{"Members/SegmentsTooMany", "POST", "/users/segments/members", map[string]any{"segments": manyIDs(101), "users": []string{uid}}, "segments", false},
		{"Members/SegmentMalformed", "POST", "/users/segments/members", map[string]any{"segments": []string{"xyz"}, "users": []string{uid}}, "segments", false},
		{"Members/UsersEmpty", "POST", "/users/segments/members", map[string]any{"segments": []string{hexID}, "users": []string{}}, "users", false},
		{"Members/UsersTooMany", "POST", "/users/segments/members", map[string]any{"segments": []string{hexID}, "users": manyIDs(1001)}, "users", false},
		{"Members/UserMalformed", "POST", "/users/segments/members", map[string]any{"segments": []string{hexID}, "users": []string{"xyz"}}, "users", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.do(t, offSpec(t.Context()), tc.method, tc.path, devToken, tc.body)
			e := r.errorBody(t)
			if r.status != http.StatusBadRequest || e.Field != tc.field {
				t.Fatalf("got %d naming %q (%s), want 400 naming %q", r.status, e.Field, e.Status.Message, tc.field)
			}
			if e.Status.Message == "" || strings.Contains(e.Status.Message, "store:") || strings.Contains(e.Status.Message, "json:") {
				t.Errorf("got message %q, want a rule without internal text", e.Status.Message)
			}
			specErr := validateRequest(t, tc.method, tc.path, tc.body)
			if specErr == nil && !tc.specSilent {
				t.Errorf("openapi.yaml accepts the request; want it to state the rule")
			}
			if specErr != nil && tc.specSilent {
				t.Errorf("openapi.yaml refuses the request (%v); mark the case as stated by the spec", specErr)
			}
		})
	}
}

// validateRequest checks a request against openapi.yaml without sending
// it.
func validateRequest(t *testing.T, method, path string, body any) error {
	t.Helper()
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(b))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	route, params, err := specRouter(t).FindRoute(req)
	if err != nil {
		return err
	}
	return openapi3filter.ValidateRequest(t.Context(), &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	})
}

// TestNotFound checks the 404s and the 409 of ids that name nothing or
// are taken, naming the field where the route knows it.
func TestNotFound(t *testing.T) {
	s := newServer(t)
	uid := s.createUser(t, "joe", map[string]string{"default_email": "joe@example.com"})
	other := s.createUser(t, "ann", map[string]string{"a": "b"})
	s.chat(t, clientToken, engine.Request{SessionID: "session-joe-1", UserID: "joe", Query: "hello"})
	unknown := strings.Repeat("0", 24)
	for _, tc := range []struct {
		name         string
		method, path string
		body         any
		status       int
		field        string
	}{
		{"QueryUnknownUser", "POST", "/query", map[string]any{"sessionId": "session-new-1", "userId": "nobody", "query": "hi"}, 404, "userId"},
		{"GetUser", "GET", "/users/" + unknown, nil, 404, "id"},
		{"UpdateUser", "PUT", "/users/" + unknown, map[string]any{"attributes": map[string]string{"a": "b"}}, 404, "id"},
		{"UpdateSessionUnknown", "PUT", "/users/" + uid + "/session", map[string]any{"sessionId": "no-such-session", "attributes": map[string]string{"a": "b"}}, 404, "sessionId"},
		{"UpdateSessionOfOtherUser", "PUT", "/users/" + other + "/session", map[string]any{"sessionId": "session-joe-1", "attributes": map[string]string{"a": "b"}}, 404, "sessionId"},
		{"CreateUserUnknownSegment", "POST", "/users", map[string]any{"userId": "seg-user", "attributes": map[string]string{"a": "b"}, "segments": unknown}, 404, "segments"},
		{"MembersUnknownSegment", "POST", "/users/segments/members", map[string]any{"segments": []string{unknown}, "users": []string{uid}}, 404, ""},
		{"DuplicateUserID", "POST", "/users", map[string]any{"userId": "joe", "attributes": map[string]string{"a": "b"}}, 409, ""},
		{"DuplicateEmail", "POST", "/users", map[string]any{"attributes": map[string]string{"default_email": "JOE@example.com"}}, 409, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.dev(t, tc.method, tc.path, tc.body)
			e := r.errorBody(t)
			if r.status != tc.status || e.Field != tc.field {
				t.Errorf("got %d naming %q (%s), want %d naming %q", r.status, e.Field, e.Status.Message, tc.status, tc.field)
			}
		})
	}
	// The user whose session was not theirs kept nothing of the update.
	var d struct {
		SessionAttributes map[string]string `json:"sessionAttributes"`
	}
	r := s.dev(t, "GET", "/users/"+uid, nil)
	if err := json.Unmarshal(r.body, &d); err != nil || len(d.SessionAttributes) != 0 {
		t.Errorf("got session attributes %v (%v), want none", d.SessionAttributes, err)
	}
}

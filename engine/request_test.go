package engine_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// TestRequestLimits checks every limit of the chat API's request: the
// request is refused with a *store.FieldError naming the field, and nothing
// is stored.
func TestRequestLimits(t *testing.T) {
	e, db := newCoffee(t)
	ctx := context.Background()
	many := make(map[string]string)
	for i := range 100 {
		many[fmt.Sprintf("p%d", i)] = "v"
	}
	ok99 := make(map[string]string)
	for i := range 99 {
		ok99[fmt.Sprintf("p%d", i)] = "v"
	}
	const sid = "session-limits"
	tests := []struct {
		name  string
		req   engine.Request
		field string // "" when the request is valid
	}{
		{"OK", engine.Request{SessionID: sid, Query: "hi"}, ""},
		{"SessionIDMissing", engine.Request{Query: "hi"}, "sessionId"},
		{"SessionIDTooShort", engine.Request{SessionID: "123456789", Query: "hi"}, "sessionId"},
		{"SessionIDShortest", engine.Request{SessionID: "1234567890", Query: "hi"}, ""},
		{"SessionIDLongest", engine.Request{SessionID: strings.Repeat("s", 64), Query: "hi"}, ""},
		{"SessionIDTooLong", engine.Request{SessionID: strings.Repeat("s", 65), Query: "hi"}, "sessionId"},
		{"NoInput", engine.Request{SessionID: sid}, "query"},
		{"QueryAndTrigger", engine.Request{SessionID: sid, Query: "hi", Trigger: "welcome"}, "query"},
		{"TriggerAndGoto", engine.Request{SessionID: sid, Trigger: "welcome", Goto: "0123456789abcdef01234567"}, "query"},
		{"QueryLongest", engine.Request{SessionID: sid, Query: strings.Repeat("é", 256)}, ""},
		{"QueryTooLong", engine.Request{SessionID: sid, Query: strings.Repeat("é", 257)}, "query"},
		{"TriggerLongest", engine.Request{SessionID: sid, Trigger: strings.Repeat("t", 50)}, "trigger"}, // valid length, unknown trigger
		{"TriggerTooLong", engine.Request{SessionID: sid, Trigger: strings.Repeat("t", 51)}, "trigger"},
		{"GotoNotHex", engine.Request{SessionID: sid, Goto: "zzzzzzzzzzzzzzzzzzzzzzzz"}, "goto"},
		{"GotoTooShort", engine.Request{SessionID: sid, Goto: "0123456789abcdef0123456"}, "goto"},
		{"GotoUppercase", engine.Request{SessionID: sid, Goto: "0123456789ABCDEF01234567"}, "goto"},
		{"GotoUnknown", engine.Request{SessionID: sid, Goto: "0123456789abcdef01234567"}, "goto"},
		{"ConfidenceDefault", engine.Request{SessionID: sid, Query: "hi", Confidence: 0}, ""},
		{"ConfidenceLowest", engine.Request{SessionID: sid, Query: "hi", Confidence: 0.1}, ""},
		{"ConfidenceTooLow", engine.Request{SessionID: sid, Query: "hi", Confidence: 0.09}, "confidence"},
		{"ConfidenceNegative", engine.Request{SessionID: sid, Query: "hi", Confidence: -1}, "confidence"},
		{"ConfidenceHighest", engine.Request{SessionID: sid, Query: "hi", Confidence: 1}, ""},
		{"ConfidenceTooHigh", engine.Request{SessionID: sid, Query: "hi", Confidence: 1.01}, "confidence"},
		{"LifespanLowest", engine.Request{SessionID: sid, Query: "hi", Lifespan: 1}, ""},
		{"LifespanNegative", engine.Request{SessionID: sid, Query: "hi", Lifespan: -1}, "lifespan"},
		{"LifespanHighest", engine.Request{SessionID: sid, Query: "hi", Lifespan: 10}, ""},
		{"LifespanTooHigh", engine.Request{SessionID: sid, Query: "hi", Lifespan: 11}, "lifespan"},
		{"StoryIDNotHex", engine.Request{SessionID: sid, Query: "hi", StoryID: "coffee"}, "storyId"},
		{"StoryIDUnknown", engine.Request{SessionID: sid, Query: "hi", StoryID: "0123456789abcdef01234567"}, "storyId"},
		{"Parameters99", engine.Request{SessionID: sid, Query: "hi", Parameters: ok99}, ""},
		{"Parameters100", engine.Request{SessionID: sid, Query: "hi", Parameters: many}, "parameters"},
		{"ParameterKeyBad", engine.Request{SessionID: sid, Query: "hi", Parameters: map[string]string{"a b": "v"}}, "parameters"},
		{"ParameterKeyTooLong", engine.Request{SessionID: sid, Query: "hi", Parameters: map[string]string{strings.Repeat("k", 129): "v"}}, "parameters"},
		{"ParameterKeyLongest", engine.Request{SessionID: sid, Query: "hi", Parameters: map[string]string{strings.Repeat("k", 128): "v"}}, ""},
		{"ParameterValueEmpty", engine.Request{SessionID: sid, Query: "hi", Parameters: map[string]string{"size": ""}}, "parameters.size"},
		{"ParameterValueLongest", engine.Request{SessionID: sid, Query: "hi", Parameters: map[string]string{"size": strings.Repeat("v", 1024)}}, ""},
		{"ParameterValueTooLong", engine.Request{SessionID: sid, Query: "hi", Parameters: map[string]string{"size": strings.Repeat("v", 1025)}}, "parameters.size"},
		{"UserIDTooLong", engine.Request{SessionID: sid, Query: "hi", UserID: strings.Repeat("u", 257)}, "userId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Chat(ctx, tt.req)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				return
			}
			var fe *store.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("got error %v, want a *store.FieldError", err)
			}
			if fe.Field != tt.field {
				t.Errorf("got field %q, want %q (%v)", fe.Field, tt.field, err)
			}
			if !errors.Is(err, store.ErrInvalid) {
				t.Errorf("error %v does not unwrap to store.ErrInvalid", err)
			}
			if tt.req.SessionID != sid {
				return
			}
			if s, err := db.Session(ctx, sid); err == nil && s.ThreadID != "" {
				th, err := db.Thread(ctx, s.ThreadID)
				if err != nil {
					t.Fatal(err)
				}
				msgs, err := db.Messages(ctx, th.ID, 0, 100)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range msgs {
					if m.Text == tt.req.Query && tt.req.Query != "hi" {
						t.Errorf("refused query %q was stored", m.Text)
					}
				}
			}
		})
	}
}

// TestUserLimits checks the limits of the user, session and segment
// operations.
func TestUserLimits(t *testing.T) {
	e, _ := newCoffee(t)
	ctx := context.Background()
	u, err := e.CreateUser(ctx, store.User{UserID: "limits-user", Attributes: map[string]string{"default_name": "Lim"}})
	if err != nil {
		t.Fatal(err)
	}
	seg, err := e.CreateSegment(ctx, "Leads")
	if err != nil {
		t.Fatal(err)
	}
	attrs := func(n int) map[string]string {
		m := make(map[string]string, n)
		for i := range n {
			m[fmt.Sprintf("a%d", i)] = "v"
		}
		return m
	}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"CreateUserOK", func() error {
			_, err := e.CreateUser(ctx, store.User{UserID: "ok-user", Attributes: map[string]string{"default_email": "ok@example.com"}})
			return err
		}, ""},
		{"CreateUserNoAttributes", func() error { _, err := e.CreateUser(ctx, store.User{UserID: "x"}); return err }, "attributes"},
		{"CreateUserTooManyAttributes", func() error {
			_, err := e.CreateUser(ctx, store.User{UserID: "x", Attributes: attrs(100)})
			return err
		}, "attributes"},
		{"CreateUserUserIDTooLong", func() error {
			_, err := e.CreateUser(ctx, store.User{UserID: strings.Repeat("u", 257), Attributes: attrs(1)})
			return err
		}, "userId"},
		{"CreateUserNameTooLong", func() error {
			_, err := e.CreateUser(ctx, store.User{Attributes: map[string]string{"default_name": strings.Repeat("n", 257)}})
			return err
		}, "attributes.default_name"},
		{"CreateUserValueTooLong", func() error {
			_, err := e.CreateUser(ctx, store.User{Attributes: map[string]string{"city": strings.Repeat("c", 1025)}})
			return err
		}, "attributes.city"},
		{"CreateUserBadKey", func() error {
			_, err := e.CreateUser(ctx, store.User{Attributes: map[string]string{"bad key": "v"}})
			return err
		}, "attributes"},
		{"CreateUserBadSegment", func() error {
			_, err := e.CreateUser(ctx, store.User{Attributes: attrs(1), Segments: []string{"leads"}})
			return err
		}, "segments"},
		{"UserBadID", func() error { _, err := e.User(ctx, "limits-user"); return err }, "id"},
		{"UpdateUserOK", func() error { _, err := e.UpdateUser(ctx, u.ID, map[string]string{"city": "Oslo"}); return err }, ""},
		{"UpdateUserEmpty", func() error { _, err := e.UpdateUser(ctx, u.ID, nil); return err }, "attributes"},
		{"UpdateUserTooMany", func() error { _, err := e.UpdateUser(ctx, u.ID, attrs(100)); return err }, "attributes"},
		{"UpdateUserBadID", func() error { _, err := e.UpdateUser(ctx, "x", attrs(1)); return err }, "id"},
		{"UpdateSessionAttributesBadSession", func() error {
			_, err := e.UpdateSessionAttributes(ctx, "short", attrs(1))
			return err
		}, "sessionId"},
		{"UpdateSessionAttributesEmpty", func() error {
			_, err := e.UpdateSessionAttributes(ctx, "session-0001", nil)
			return err
		}, "attributes"},
		{"UpdateSessionAttributesValueTooLong", func() error {
			_, err := e.UpdateSessionAttributes(ctx, "session-0001", map[string]string{"x": strings.Repeat("v", 1025)})
			return err
		}, "attributes.x"},
		{"ListUsersLimitTooHigh", func() error { _, err := e.ListUsers(ctx, store.UserQuery{Limit: 41}); return err }, "limit"},
		{"ListUsersBadSort", func() error { _, err := e.ListUsers(ctx, store.UserQuery{Sort: "name"}); return err }, "sort.field"},
		{"ListUsersTooManyFilters", func() error {
			f := store.Filter{Field: "attributes.city", Op: store.OpExists}
			_, err := e.ListUsers(ctx, store.UserQuery{Filters: []store.Filter{f, f, f, f, f, f}})
			return err
		}, "filters"},
		{"CreateSegmentEmpty", func() error { _, err := e.CreateSegment(ctx, ""); return err }, "name"},
		{"CreateSegmentTooLong", func() error { _, err := e.CreateSegment(ctx, strings.Repeat("s", 257)); return err }, "name"},
		{"AddToSegmentsOK", func() error { return e.AddToSegments(ctx, []string{seg.ID}, []string{u.ID}) }, ""},
		{"AddToSegmentsNoSegments", func() error { return e.AddToSegments(ctx, nil, []string{u.ID}) }, "segments"},
		{"AddToSegmentsNoUsers", func() error { return e.AddToSegments(ctx, []string{seg.ID}, nil) }, "users"},
		{"AddToSegmentsBadUser", func() error { return e.AddToSegments(ctx, []string{seg.ID}, []string{"x"}) }, "users"},
		{"DeleteUserBadID", func() error { return e.DeleteUser(ctx, "x") }, "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				return
			}
			var fe *store.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("got error %v, want a *store.FieldError", err)
			}
			if fe.Field != tt.field {
				t.Errorf("got field %q, want %q (%v)", fe.Field, tt.field, err)
			}
		})
	}

	d, err := e.User(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Segments) != 1 || d.Segments[0].Name != "Leads" {
		t.Errorf("got segments %v, want [Leads]", d.Segments)
	}
	if got := d.Attributes["city"]; got != "Oslo" {
		t.Errorf("got city %q, want Oslo", got)
	}
	if err := e.DeleteUser(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.User(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("got %v after DeleteUser, want store.ErrNotFound", err)
	}
}

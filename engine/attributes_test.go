package engine_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

const hookBot = `
stories:
  - name: Hook
    interactions:
      - {name: Welcome, role: start, responses: [{text: hi}]}
      - name: Profile
        says: [update my profile]
        responses:
          - webhook: profile
          - set: {user: {nickname: "{{default_name}}"}}
          - text: "Hello {{default_name}}."
      - {name: Fallback, role: else, responses: [{text: "?"}]}
`

// TestWebhookAttributes checks that a webhook's attributes go the
// way of a set action's. A value too long (a default_name of 300
// characters) fails the turn with ErrValueTooLong naming the webhook and
// the attribute, logged for the bot's author; it used to fail with a
// *store.FieldError naming attributes.default_name, which an HTTP face
// answers with a 400 about a field the client never sent. A bad name and
// an attribute past the 99th are left out, each logged, and the turn goes
// on.
func TestWebhookAttributes(t *testing.T) {
	var log bytes.Buffer
	var result engine.WebhookResult
	profile := func(ctx context.Context, call engine.WebhookCall) (engine.WebhookResult, error) {
		return result, nil
	}
	db := openMemory(t)
	e, err := engine.New(db, loadBot(t, fstest.MapFS{"bot.yaml": {Data: []byte(hookBot)}}),
		engine.WithWebhook("profile", profile), engine.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	u, err := e.CreateUser(ctx, store.User{UserID: "long-name", Attributes: map[string]string{"default_name": "Ann"}})
	if err != nil {
		t.Fatal(err)
	}
	req := engine.Request{SessionID: "session-issue-22", UserID: u.UserID, Query: "update my profile"}

	t.Run("ErrValueTooLong", func(t *testing.T) {
		log.Reset()
		result = engine.WebhookResult{UserAttributes: map[string]string{"default_name": strings.Repeat("n", 300)}}
		_, err := e.Chat(ctx, req)
		if !errors.Is(err, engine.ErrValueTooLong) || errors.Is(err, store.ErrInvalid) {
			t.Fatalf("got %v, want ErrValueTooLong and not store.ErrInvalid", err)
		}
		if want := `engine: webhook "profile": user attribute "default_name": engine: attribute value too long: 300 characters, more than 256`; err.Error() != want {
			t.Errorf("got %q, want %q", err, want)
		}
		if !strings.Contains(log.String(), "level=ERROR") || !strings.Contains(log.String(), `webhook \"profile\"`) {
			t.Errorf("got log %q, want an ERROR line naming the webhook", log.String())
		}
		got, err := e.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Attributes["default_name"] != "Ann" {
			t.Errorf("got default_name %.20q, want it unchanged", got.Attributes["default_name"])
		}
	})

	t.Run("LeftOut", func(t *testing.T) {
		log.Reset()
		session := map[string]string{"bad.name": "x"}
		for i := range store.MaxAttributes + 1 {
			session[fmt.Sprintf("k%03d", i)] = "v"
		}
		result = engine.WebhookResult{SessionAttributes: session, UserAttributes: map[string]string{"default_name": "Bea"}}
		resp, err := e.Chat(ctx, req)
		if err != nil {
			t.Fatalf("Chat: %v", err)
		}
		got, err := e.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Attributes["default_name"] != "Bea" || got.Attributes["nickname"] != "Bea" {
			t.Errorf("got default_name %q and nickname %q, want Bea set by the webhook and seen by the set after it",
				got.Attributes["default_name"], got.Attributes["nickname"])
		}
		// 99 session attributes, and the user's default_name and nickname.
		if n := len(resp.Result.SessionParameters); n != store.MaxAttributes+2 {
			t.Errorf("got %d session parameters, want %d", n, store.MaxAttributes+2)
		}
		if _, ok := resp.Result.SessionParameters["k099"]; ok {
			t.Errorf("k099, the 100th session attribute, was set")
		}
		for _, want := range []string{
			`level=WARN msg="engine: an attribute the bot gave was left out" from="webhook \"profile\"" attribute=session.bad.name rule="the name must match`,
			`attribute=session.k099 rule="there are 99 attributes already, the most there may be; left out"`,
		} {
			if !strings.Contains(log.String(), want) {
				t.Errorf("the log lacks %q; it is:\n%s", want, log.String())
			}
		}
	})

	t.Run("EmptyRemoves", func(t *testing.T) {
		result = engine.WebhookResult{SessionAttributes: map[string]string{"k001": ""}}
		resp, err := e.Chat(ctx, req)
		if err != nil {
			t.Fatalf("Chat: %v", err)
		}
		if v, ok := resp.Result.SessionParameters["k001"]; ok {
			t.Errorf("got k001=%q, want it removed by the empty value", v)
		}
		if _, ok := resp.Result.SessionParameters["k002"]; !ok {
			t.Errorf("k002 is gone, want only k001 removed")
		}
	})
}

// TestUserKeepsOneAttribute: a set action or a webhook that would remove
// a user's last attribute leaves it, with a warning for the bot's author,
// since a user keeps 1 to 99 attributes; the session's last one goes.
func TestUserKeepsOneAttribute(t *testing.T) {
	var log bytes.Buffer
	var result engine.WebhookResult
	e, err := engine.New(openMemory(t), loadBot(t, fstest.MapFS{"bot.yaml": {Data: []byte(hookBot)}}),
		engine.WithWebhook("profile", func(context.Context, engine.WebhookCall) (engine.WebhookResult, error) { return result, nil }),
		engine.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	u, err := e.CreateUser(ctx, store.User{UserID: "one-attribute", Attributes: map[string]string{"plan": "gold"}})
	if err != nil {
		t.Fatal(err)
	}
	// The webhook removes plan and the set after it adds nickname from an
	// empty default_name: nothing, so plan is the user's last attribute.
	result = engine.WebhookResult{UserAttributes: map[string]string{"plan": ""}}
	if _, err := e.Chat(ctx, engine.Request{SessionID: "one-attribute-1", UserID: u.UserID, Query: "update my profile"}); err != nil {
		t.Fatalf("Chat: %v", err)
	}
	got, err := e.User(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Attributes) != 1 || got.Attributes["plan"] != "gold" {
		t.Errorf("got attributes %v, want plan kept", got.Attributes)
	}
	if want := `attribute=user.plan rule="it is the user's last attribute, and a user keeps at least 1; kept"`; !strings.Contains(log.String(), want) {
		t.Errorf("the log lacks %q; it is:\n%s", want, log.String())
	}
	// Without a user, user attributes are the session's, which may be emptied.
	result = engine.WebhookResult{UserAttributes: map[string]string{"plan": "x"}}
	if _, err := e.Chat(ctx, engine.Request{SessionID: "one-attribute-2", Query: "update my profile"}); err != nil {
		t.Fatal(err)
	}
	result = engine.WebhookResult{UserAttributes: map[string]string{"plan": ""}}
	resp, err := e.Chat(ctx, engine.Request{SessionID: "one-attribute-2", Query: "update my profile"})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := resp.Result.SessionParameters["plan"]; ok {
		t.Errorf("the session's plan is %q, want it removed", v)
	}
}

package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/story"
)

const stockBot = `settings:
  webhooks:
    stock: {url: "%s", timeout: 200ms}
stories:
  - name: Shop
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hi."}]}
      - name: Stock
        says: [is it in stock]
        responses:
          - {text: "Let me look."}
          - {webhook: stock}
          - {text: "Anything else?"}
      - {name: Stock fallback, parent: Stock, role: else, responses: [{text: "The stock service is down; try later."}]}
      - {name: Delivery, says: [when will it arrive], responses: [{text: "In two days."}]}
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
`

func stockBotAt(t *testing.T, url string) *story.Bot {
	t.Helper()
	return loadBot(t, fstest.MapFS{"bot.yaml": {Data: []byte(fmt.Sprintf(stockBot, url))}})
}

// A stockService answers the stock webhook as its mode says: 0 with
// messages, an attribute and a goto; 1 with a 502; 2 not before the
// caller gives up.
type stockService struct {
	*httptest.Server
	mode   atomic.Int32
	calls  atomic.Int32
	signed atomic.Bool
	got    atomic.Pointer[engine.WebhookRequest]
}

func newStockService(t *testing.T, token string) *stockService {
	s := &stockService{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		s.signed.Store(r.Header.Get(engine.HeaderToken) == token && r.Header.Get(engine.HeaderSignature) == engine.Sign(token, body))
		var req engine.WebhookRequest
		json.Unmarshal(body, &req)
		s.got.Store(&req)
		switch s.mode.Load() {
		case 1:
			http.Error(w, "down", http.StatusBadGateway)
			return
		case 2:
			<-r.Context().Done()
			return
		}
		fmt.Fprint(w, `{"messages": ["12 in stock.", {"type": "quickReplies", "title": "Order one?", "buttons": [{"type": "postback", "title": "Yes", "value": "yes"}]}],
			"sessionAttributes": {"stock": "12"}, "goto": "Delivery"}`)
	}))
	t.Cleanup(s.Close)
	return s
}

func texts(f []engine.Fulfillment) string {
	var out []string
	for _, x := range f {
		out = append(out, x.Type+":"+firstOf(x.Message, x.Title))
	}
	return strings.Join(out, " | ")
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestWebhookURLs: a webhook whose URL the bot's settings give is posted
// to, signed with the host's token, and its reply applied; a service that
// fails or does not answer in the settings' timeout leaves the answer to
// the interaction's fallback, with PROBLEMS_WITH_UPSTREAM_PROVIDER in the
// thread; the calls go through WebhookURLs.Wrap.
func TestWebhookURLs(t *testing.T) {
	svc := newStockService(t, "hook-secret")
	var wrapped atomic.Int32
	e, err := engine.New(openMemory(t), stockBotAt(t, svc.URL+"/stock"), engine.WithSeed(1), engine.RequireWebhooks(),
		engine.WithWebhookURLs(engine.WebhookURLs{Token: "hook-secret", Wrap: func(name string, fn engine.Webhook) engine.Webhook {
			return func(ctx context.Context, call engine.WebhookCall) (engine.WebhookResult, error) {
				wrapped.Add(1)
				return fn(ctx, call)
			}
		}}))
	if err != nil {
		t.Fatalf("New with RequireWebhooks and the webhook's URL in the settings: %v", err)
	}
	ctx := context.Background()
	sent, err := e.Send(ctx, engine.Message{Text: "is it in stock"})
	if err != nil {
		t.Fatal(err)
	}
	res := sent.Response.Result
	if got, want := texts(res.Fulfillment), "text:Let me look. | text:12 in stock. | quickReplies:Order one? | text:In two days."; got != want {
		t.Errorf("fulfillment: got %s, want %s", got, want)
	}
	if res.Interaction.Name != "Delivery" || res.SessionParameters["stock"] != "12" {
		t.Errorf("got interaction %q, session %v; want Delivery (the goto) and stock 12", res.Interaction.Name, res.SessionParameters)
	}
	if got := svc.got.Load(); got == nil || got.Webhook != "stock" || got.Interaction.Name != "Stock" || got.Query != "is it in stock" {
		t.Errorf("the service got %+v", got)
	}
	if !svc.signed.Load() {
		t.Error("the call does not carry the token and the body's signature under it")
	}
	if wrapped.Load() != 1 {
		t.Errorf("Wrap's webhook ran %d times, want 1", wrapped.Load())
	}

	for _, mode := range []int32{1, 2} {
		svc.mode.Store(mode)
		sent, err := e.Send(ctx, engine.Message{Text: "is it in stock"})
		if err != nil {
			t.Fatalf("mode %d: %v", mode, err)
		}
		if got, want := texts(sent.Response.Result.Fulfillment), "text:Let me look. | text:The stock service is down; try later."; got != want {
			t.Errorf("mode %d: got %s, want %s", mode, got, want)
		}
		if got, want := types(sent.Messages[1:]), "NORMAL_MESSAGE(Let me look.\nThe stock service is down; try later.) SYSTEM_MESSAGE:PROBLEMS_WITH_UPSTREAM_PROVIDER"; got != want {
			t.Errorf("mode %d: messages %s, want %s", mode, got, want)
		}
	}
	if wrapped.Load() != 3 {
		t.Errorf("Wrap's webhook ran %d times, want 3", wrapped.Load())
	}
}

// TestWebhookURLHostWins: a function the host registers under the name
// answers instead of the URL; and Reload takes a changed URL.
func TestWebhookURLHostWins(t *testing.T) {
	svc := newStockService(t, "")
	ctx := context.Background()
	e, err := engine.New(openMemory(t), stockBotAt(t, svc.URL), engine.WithSeed(1),
		engine.WithWebhook("stock", func(context.Context, engine.WebhookCall) (engine.WebhookResult, error) {
			return engine.WebhookResult{Messages: []string{"From Go."}}, nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := e.Chat(ctx, engine.Request{SessionID: "host-wins-1", Query: "is it in stock"})
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(resp.Result.Fulfillment); !strings.Contains(got, "From Go.") || svc.calls.Load() != 0 {
		t.Errorf("got %s and %d calls of the URL, want the host's function only", got, svc.calls.Load())
	}

	// Without a function: the URL, then another after a reload.
	other := newStockService(t, "")
	e, err = engine.New(openMemory(t), stockBotAt(t, svc.URL), engine.WithSeed(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Chat(ctx, engine.Request{SessionID: "reload-url-1", Query: "is it in stock"}); err != nil {
		t.Fatal(err)
	}
	if err := e.Reload(stockBotAt(t, other.URL)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Chat(ctx, engine.Request{SessionID: "reload-url-2", Query: "is it in stock"}); err != nil {
		t.Fatal(err)
	}
	if svc.calls.Load() != 1 || other.calls.Load() != 1 {
		t.Errorf("calls before and after the reload: %d to the first URL, %d to the second; want 1 and 1", svc.calls.Load(), other.calls.Load())
	}
	if got := other.got.Load(); got == nil || got.SessionID != "reload-url-2" {
		t.Errorf("the second URL got %+v", got)
	}
}

// TestRequireWebhooksWithoutURL: RequireWebhooks still refuses a bot
// calling a webhook that has neither a function nor a URL.
func TestRequireWebhooksWithoutURL(t *testing.T) {
	bot := loadBot(t, fstest.MapFS{"bot.yaml": {Data: []byte(strings.Replace(stockBot, "  webhooks:\n    stock: {url: \"%s\", timeout: 200ms}\n", "  confidence: 0.5\n", 1))}})
	_, err := engine.New(openMemory(t), bot, engine.RequireWebhooks())
	if !errors.Is(err, engine.ErrUnregisteredWebhook) || !strings.Contains(err.Error(), "stock") {
		t.Errorf("got %v, want ErrUnregisteredWebhook naming stock", err)
	}
}

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleybot/parley/engine"
)

const fulfilBot = `stories:
  - name: Shop
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hi."}]}
      - name: Stock
        says: [is it in stock]
        parameters: [{name: item, entity: sys.any}]
        responses:
          - {text: "Let me look."}
          - {webhook: stock}
          - {text: "Anything else?"}
      - {name: Stock fallback, parent: Stock, role: else, responses: [{text: "The stock service is down; try later."}]}
      - {name: Delivery, says: [when will it arrive], responses: [{text: "In two days."}]}
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
`

// TestServeFulfilment: parley serve -webhook posts the turn to a web
// service, signed, and takes its messages of any kind, its attributes and
// its goto; a service that fails or is too slow leaves the answer to the
// interaction's fallback and records the problem in the thread.
func TestServeFulfilment(t *testing.T) {
	var mode atomic.Int32 // 0 answers, 1 fails, 2 is too slow
	var got engine.WebhookRequest
	var signed atomic.Bool
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		signed.Store(r.Header.Get(engine.HeaderSignature) == engine.Sign("hook-secret", body))
		switch mode.Load() {
		case 1:
			http.Error(w, "down", http.StatusBadGateway)
			return
		case 2:
			time.Sleep(time.Second)
		}
		json.Unmarshal(body, &got)
		fmt.Fprint(w, `{"messages": ["12 in stock.", {"type": "quickReplies", "title": "Order one?", "buttons": [{"type": "postback", "title": "Yes", "value": "yes"}]}],
			"sessionAttributes": {"stock": "12"}, "goto": "Delivery"}`)
	}))
	defer svc.Close()
	bot := filepath.Join(t.TempDir(), "bot.yaml")
	writeFile(t, bot, fulfilBot)
	s := startServe(t, "-bot", bot, "-memory", "-quiet", "-developer-token", testDevToken,
		"-webhook", "stock="+svc.URL, "-webhook-token", "hook-secret", "-webhook-timeout", "300ms")

	type result struct {
		Result struct {
			Interaction       struct{ Name string }
			SessionParameters map[string]*string
			Fulfillment       []engine.Fulfillment
		}
	}
	var r result
	if code := call(t, s.addr, "POST", "/query", testDevToken, `{"sessionId":"fulfil-session-1","query":"is it in stock","parameters":{"item":"blue mug"}}`, &r); code != 200 {
		t.Fatalf("got %d", code)
	}
	if got.Webhook != "stock" || got.Interaction.Name != "Stock" || got.Parameters["item"] != "blue mug" || got.SessionID != "fulfil-session-1" {
		t.Errorf("the service got %+v", got)
	}
	if !signed.Load() {
		t.Error("the call's X-Webhook-Signature is not the body's under the token")
	}
	f := r.Result.Fulfillment
	if len(f) != 4 || f[0].Message != "Let me look." || f[1].Message != "12 in stock." || f[2].Type != "quickReplies" || f[3].Message != "In two days." {
		t.Errorf("got fulfillment %+v, want the webhook's messages then Delivery's (its goto)", f)
	}
	if r.Result.Interaction.Name != "Delivery" {
		t.Errorf("got interaction %q, want Delivery (the webhook's goto)", r.Result.Interaction.Name)
	}
	if v := r.Result.SessionParameters["stock"]; v == nil || *v != "12" {
		t.Errorf("got session attribute stock %v, want 12", v)
	}
	for _, m := range []int32{1, 2} {
		mode.Store(m)
		r = result{}
		sid := fmt.Sprintf("fulfil-session-fail-%d", m)
		if code := call(t, s.addr, "POST", "/query", testDevToken, `{"sessionId":"`+sid+`","query":"is it in stock"}`, &r); code != 200 {
			t.Fatalf("mode %d: got %d", m, code)
		}
		f := r.Result.Fulfillment
		if r.Result.Interaction.Name != "Stock fallback" || len(f) != 2 || f[1].Message != "The stock service is down; try later." {
			t.Errorf("mode %d: got %q %+v, want the interaction's fallback after its first message", m, r.Result.Interaction.Name, f)
		}
	}
}

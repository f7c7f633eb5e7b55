package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
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

const verifyBot = `stories:
  - name: Desk
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hello!"}]}
      - name: Email
        says: [my email is ann@example.com, you can reach me at bo@example.org]
        parameters: [{name: email, entity: sys.email, required: true, prompts: ["Your email?"]}]
        responses: [{set: {user: {default_email: "{{email}}"}}}, {text: "Thanks."}]
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
`

// TestServeVerifyCodes: parley serve -verify-codes URL posts the code of
// an email a user gives, signed, and the user who enters it in the thread
// is verified; -verify-codes with anything but log or a URL is refused.
func TestServeVerifyCodes(t *testing.T) {
	codes := make(chan engine.CodeRequest, 4)
	var signed atomic.Bool
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		signed.Store(r.Header.Get(engine.HeaderSignature) == engine.Sign("hook-secret", body))
		var c engine.CodeRequest
		json.Unmarshal(body, &c)
		codes <- c
	}))
	defer svc.Close()
	bot := filepath.Join(t.TempDir(), "bot.yaml")
	writeFile(t, bot, verifyBot)
	s := startServe(t, "-bot", bot, "-memory", "-quiet", "-developer-token", testDevToken,
		"-verify-codes", svc.URL, "-webhook-token", "hook-secret")
	v0 := "/v0/chatbots/" + chatbotID() + "/"
	if code := call(t, s.addr, "POST", v0+"threads", testDevToken, `{"threadId":"desk-1","chatUserEmail":"ann@example.com"}`, nil); code != 200 {
		t.Fatalf("create thread: got %d", code)
	}
	if code := call(t, s.addr, "POST", v0+"message", testDevToken, `{"threadId":"desk-1","message":"you can reach me at bo@example.org"}`, nil); code != 200 {
		t.Fatalf("give email: got %d", code)
	}
	var c engine.CodeRequest
	select {
	case c = <-codes:
	case <-time.After(10 * time.Second):
		t.Fatal("no code posted")
	}
	if c.Event != "VERIFICATION_CODE" || c.Email != "bo@example.org" || c.ThreadID != "desk-1" || len(c.Code) != engine.CodeDigits || !signed.Load() {
		t.Errorf("code posted: got %+v, signed %v", c, signed.Load())
	}
	if code := call(t, s.addr, "POST", v0+"message", testDevToken, `{"threadId":"desk-1","message":"`+c.Code+`"}`, nil); code != 200 {
		t.Fatalf("enter code: got %d", code)
	}
	var th struct {
		Data struct {
			Thread struct {
				ChatUser struct {
					Email    string
					Verified bool
				}
			}
		}
	}
	call(t, s.addr, "GET", v0+"threads/desk-1", testDevToken, "", &th)
	if u := th.Data.Thread.ChatUser; !u.Verified || u.Email != "bo@example.org" {
		t.Errorf("chatUser after the code: got %+v", u)
	}
	checkFailures(t, []failure{
		{"ErrVerifyCodes", []string{"serve", "-bot", bot, "-memory", "-developer-token", testDevToken, "-verify-codes", "mail"}, 1, "parley serve: -verify-codes \"mail\": want log, or an http:// or https:// URL with a host"},
	})
}

// TestServeCalendar: parley serve -calendar URL passes a meeting booked
// through the API to the calendar service, signed, and keeps its event's
// id; a slot the calendar refuses is a 409.
func TestServeCalendar(t *testing.T) {
	var signed atomic.Bool
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		signed.Store(r.Header.Get(engine.HeaderSignature) == engine.Sign("hook-secret", body))
		var c engine.CalendarRequest
		json.Unmarshal(body, &c)
		if c.Meeting.Start == "2030-03-16T09:00:00Z" {
			w.WriteHeader(http.StatusConflict)
			return
		}
		w.Write([]byte(`{"eventId": "cal-42"}`))
	}))
	defer svc.Close()
	bot := filepath.Join(t.TempDir(), "bot.yaml")
	writeFile(t, bot, verifyBot)
	s := startServe(t, "-bot", bot, "-memory", "-quiet", "-developer-token", testDevToken, "-calendar", svc.URL, "-webhook-token", "hook-secret")
	var out struct {
		Data struct {
			Meeting struct{ Status, EventID string }
		}
	}
	if code := call(t, s.addr, "POST", "/userbot/meetings.schedule", testDevToken, `{"title":"Demo","start":"2030-03-16T10:00:00Z","minutes":30}`, &out); code != 200 {
		t.Fatalf("meetings.schedule: got %d", code)
	}
	if out.Data.Meeting.EventID != "cal-42" || out.Data.Meeting.Status != "scheduled" || !signed.Load() {
		t.Errorf("meetings.schedule: got %+v, signed %v", out.Data.Meeting, signed.Load())
	}
	if code := call(t, s.addr, "POST", "/userbot/meetings.schedule", testDevToken, `{"title":"Demo","start":"2030-03-16T09:00:00Z","minutes":30}`, nil); code != 409 {
		t.Errorf("a taken slot: got %d, want 409", code)
	}
	checkFailures(t, []failure{
		{"ErrCalendar", []string{"serve", "-bot", bot, "-memory", "-developer-token", testDevToken, "-calendar", "outlook"}, 1, "parley serve: -calendar \"outlook\": want an http:// or https:// URL with a host"},
	})
}

// TestServeFulfilmentFromBotFile: a webhook whose URL the bot file's
// settings give is called by parley serve without any -webhook flag,
// signed with $PARLEY_WEBHOOK_TOKEN, and counted on /metrics with its
// failures; a service that fails leaves the answer to the interaction's
// fallback; a changed URL is taken by a reload; a -webhook flag for the
// name wins over the bot's URL.
func TestServeFulfilmentFromBotFile(t *testing.T) {
	type service struct {
		*httptest.Server
		calls, signed atomic.Int32
		fail          atomic.Bool
	}
	newService := func(reply string) *service {
		s := &service{}
		s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.calls.Add(1)
			body, _ := io.ReadAll(r.Body)
			if r.Header.Get(engine.HeaderSignature) == engine.Sign("env-secret", body) {
				s.signed.Add(1)
			}
			if s.fail.Load() {
				http.Error(w, "down", http.StatusServiceUnavailable)
				return
			}
			fmt.Fprintf(w, `{"messages": [%q]}`, reply)
		}))
		t.Cleanup(s.Close)
		return s
	}
	first, second := newService("12 in stock."), newService("3 in stock.")
	botAt := func(url string) string {
		return "settings:\n  webhooks:\n    stock: {url: \"" + url + "\", timeout: 2s}\n" + fulfilBot
	}
	bot := filepath.Join(t.TempDir(), "bot.yaml")
	writeFile(t, bot, botAt(first.URL))
	t.Setenv("PARLEY_WEBHOOK_TOKEN", "env-secret")
	s := startServe(t, "-bot", bot, "-memory", "-quiet", "-developer-token", testDevToken, "-watch", "-watch-interval", "20ms")

	type result struct {
		Result struct {
			Interaction struct{ Name string }
			Fulfillment []engine.Fulfillment
		}
	}
	ask := func(sid string) result {
		t.Helper()
		var r result
		if code := call(t, s.addr, "POST", "/query", testDevToken, `{"sessionId":"`+sid+`","query":"is it in stock"}`, &r); code != 200 {
			t.Fatalf("POST /query: got %d", code)
		}
		return r
	}
	messages := func(r result) string {
		var out []string
		for _, f := range r.Result.Fulfillment {
			out = append(out, f.Message)
		}
		return strings.Join(out, " | ")
	}
	if got, want := messages(ask("bot-url-session-1")), "Let me look. | 12 in stock. | Anything else?"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if first.calls.Load() != 1 || first.signed.Load() != 1 {
		t.Errorf("the bot's URL got %d calls, %d signed with $PARLEY_WEBHOOK_TOKEN; want 1 and 1", first.calls.Load(), first.signed.Load())
	}
	first.fail.Store(true)
	r := ask("bot-url-session-2")
	if got, want := messages(r), "Let me look. | The stock service is down; try later."; got != want || r.Result.Interaction.Name != "Stock fallback" {
		t.Errorf("a failing service: got %q (%s), want %q from Stock fallback", got, r.Result.Interaction.Name, want)
	}
	code, metrics := get(t, "http://"+s.addr+"/metrics", "")
	for _, want := range []string{`parley_webhook_calls_total{webhook="stock"} 2`, `parley_webhook_failures_total{webhook="stock"} 1`} {
		if code != 200 || !strings.Contains(metrics, want) {
			t.Errorf("/metrics (%d) has no %s", code, want)
		}
	}

	// A reload takes the new URL.
	replaceFile(t, bot, botAt(second.URL))
	for deadline, i := time.Now().Add(20*time.Second), 0; second.calls.Load() == 0; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("the new URL got no call after the file changed; log:\n%s", s.stderr.String())
		}
		ask(fmt.Sprintf("bot-url-reload-%d", i))
		time.Sleep(20 * time.Millisecond)
	}
	if got, want := messages(ask("bot-url-session-3")), "Let me look. | 3 in stock. | Anything else?"; got != want {
		t.Errorf("after the reload: got %q, want %q", got, want)
	}

	// A -webhook flag for the name wins over the bot's URL.
	flagged := newService("From the flag.")
	s2 := startServe(t, "-bot", bot, "-memory", "-quiet", "-developer-token", testDevToken, "-webhook", "stock="+flagged.URL)
	var r2 result
	call(t, s2.addr, "POST", "/query", testDevToken, `{"sessionId":"bot-url-flag-1","query":"is it in stock"}`, &r2)
	if got := messages(r2); !strings.Contains(got, "From the flag.") || flagged.calls.Load() != 1 {
		t.Errorf("with -webhook: got %q and %d calls of the flag's URL", got, flagged.calls.Load())
	}
}

// TestChatFulfilmentFromBotFile: parley chat calls the URLs the bot's
// settings give its webhooks, signed with $PARLEY_WEBHOOK_TOKEN, and says
// on stderr why a failed one left the answer to the fallback.
func TestChatFulfilmentFromBotFile(t *testing.T) {
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, `{"messages": ["12 in stock, signed %v."]}`, r.Header.Get(engine.HeaderSignature) == engine.Sign("chat-secret", body))
	}))
	defer svc.Close()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusBadGateway)
	}))
	defer down.Close()
	dir := t.TempDir()
	up, failing := filepath.Join(dir, "up.yaml"), filepath.Join(dir, "down.yaml")
	writeFile(t, up, "settings: {webhooks: {stock: \""+svc.URL+"\"}}\n"+fulfilBot)
	writeFile(t, failing, "settings: {webhooks: {stock: \""+down.URL+"\"}}\n"+fulfilBot)
	t.Setenv("PARLEY_WEBHOOK_TOKEN", "chat-secret")
	code, out, errs := parley(t, []string{"chat", "-memory", up}, "is it in stock")
	if b := replyBlocks(out); code != 0 || len(b) != 2 || b[1] != "Let me look.\n12 in stock, signed true.\nAnything else?" {
		t.Errorf("got %d %q (stderr %s)", code, out, errs)
	}
	code, out, errs = parley(t, []string{"chat", "-memory", failing}, "is it in stock")
	if b := replyBlocks(out); code != 0 || len(b) != 2 || b[1] != "Let me look.\nThe stock service is down; try later." || !strings.Contains(errs, "the webhook failed; the fallback answers") || !strings.Contains(errs, "status 502") {
		t.Errorf("got %d %q, stderr %q", code, out, errs)
	}
}

package httpadapter_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/store"
)

// TestPageViewLive: the page showing a thread reports page views; one of
// them sends an automated message, which arrives on the thread's event
// stream over HTTP; the visits are the user's, in intel.visitdetails and
// chatusers.get.
func TestPageViewLive(t *testing.T) {
	s := newServer(t)
	if _, err := s.eng.SaveAutomatedMessage(context.Background(), store.AutomatedMessage{Name: "pricing",
		Trigger: store.Trigger{On: store.OnPageView}, Condition: `page.path == "/pricing"`, Text: "Questions about our plans?"}); err != nil {
		t.Fatal(err)
	}
	bot := "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName)
	var created struct {
		ThreadToken string `json:"threadToken"`
	}
	s.call(t, clientToken, "POST", bot+"/threads", map[string]any{"threadId": "page-1", "chatUserEmail": "ann@example.com"}, 200).into(t, &created)
	tok := created.ThreadToken
	stream := s.openStream(t, bot+"/threads/page-1/events", tok, "")
	if ev := stream.next(t); ev.name != "thread" {
		t.Fatalf("first event: %+v", ev)
	}
	var got httpadapter.V0PageView
	s.call(t, tok, "POST", bot+"/threads/page-1/page-views", map[string]any{"url": "https://shop.example/features", "title": "Features"}, 200).into(t, &got)
	if len(got.Messages) != 0 {
		t.Errorf("features: got %d messages, want none", len(got.Messages))
	}
	s.call(t, tok, "POST", bot+"/threads/page-1/page-views", map[string]any{"url": "https://shop.example/pricing", "title": "Pricing", "referrer": "https://shop.example/features"}, 200).into(t, &got)
	if len(got.Messages) != 1 || got.Messages[0].Answer == nil || got.Messages[0].Answer.Text != "Questions about our plans?" {
		t.Fatalf("pricing: got %+v, want the automated message", got.Messages)
	}
	ev := stream.next(t)
	answer, _ := ev.data["answer"].(map[string]any)
	if ev.name != "message" || ev.data["messageType"] != "NORMAL_MESSAGE" || answer["text"] != "Questions about our plans?" {
		t.Errorf("stream: got %+v, want the automated message", ev)
	}
	s.call(t, tok, "POST", bot+"/threads/page-1/page-views", map[string]any{"left": true}, 200)

	// Bad input names its field; another thread is not the token's.
	if r := s.call(t, tok, "POST", bot+"/threads/page-1/page-views", map[string]any{"url": "javascript:alert(1)"}, 400); r.Message != "REQUEST_VALIDATION_FAILED" {
		t.Errorf("bad url: got %s", r.Message)
	}
	s.call(t, clientToken, "POST", bot+"/threads", map[string]any{"threadId": "page-2"}, 200)
	s.call(t, tok, "POST", bot+"/threads/page-2/page-views", map[string]any{"url": "https://shop.example/"}, 403)
	s.call(t, devToken, "POST", bot+"/threads/nope/page-views", map[string]any{"url": "https://shop.example/"}, 404)

	// The host reports for any session or user with the developer token.
	var sent httpadapter.PageViewResult
	r := s.do(t, t.Context(), "POST", "/page-views", devToken, map[string]any{"sessionId": "session-host-1", "userId": "ann@example.com", "url": "https://shop.example/docs"})
	if r.status != 200 || json.Unmarshal(r.body, &sent) != nil || sent.Sent != 0 {
		t.Errorf("POST /page-views: got %d %s", r.status, r.body)
	}
	if r := s.do(t, t.Context(), "POST", "/page-views", tok, map[string]any{"sessionId": "session-host-1", "url": "https://shop.example/docs"}); r.status != 403 {
		t.Errorf("POST /page-views with a thread token: got %d", r.status)
	}
	if r := s.do(t, t.Context(), "POST", "/page-views", devToken, map[string]any{"sessionId": "session-host-1", "userId": "nobody", "url": "https://shop.example/docs"}); r.status != 404 {
		t.Errorf("POST /page-views for nobody: got %d %s", r.status, r.body)
	}

	w := dialSocket(t, s)
	w.login()
	var visits struct {
		Visits []httpadapter.Visit `json:"visits"`
	}
	w.ok(`intel.visitdetails {"userId": "ann@example.com"}`, "intel.visitdetails", &visits)
	var urls []string
	for _, v := range visits.Visits {
		urls = append(urls, v.URL)
	}
	if fmt.Sprint(urls) != "[https://shop.example/docs https://shop.example/pricing https://shop.example/features]" {
		t.Errorf("intel.visitdetails: got %v", urls)
	}
	if v := visits.Visits; len(v) == 3 && (v[0].LeftAt != nil || v[1].LeftAt == nil || v[1].Referrer != "https://shop.example/features" || v[1].Title != "Pricing") {
		t.Errorf("intel.visitdetails: got %+v", v)
	}
	if r := w.send(`intel.visitdetails {"userId": "nobody"}`); r.Status.Code != 404 || r.Field != "userId" {
		t.Errorf("intel.visitdetails of nobody: got %+v", r)
	}
	var users struct {
		Users []httpadapter.ChatUser `json:"users"`
	}
	w.ok(`chatusers.get {"filters": [{"field": "attributes.default_email", "op": "equals", "value": "ann@example.com"}]}`, "chatusers.get", &users)
	if len(users.Users) != 1 || users.Users[0].Visits != 3 || users.Users[0].LastVisit == nil || users.Users[0].LastVisit.URL != "https://shop.example/docs" {
		t.Errorf("chatusers.get: got %+v", users.Users)
	}
}

package httpadapter_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/parleybot/parley/httpadapter"
)

// TestAgentSeesThreadUser: the agent console reads the user of a thread,
// with tags and segment names; a thread token may not.
func TestAgentSeesThreadUser(t *testing.T) {
	s := newServer(t, httpadapter.WithAgentToken(agentToken, bob))
	bot := "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName)
	var created struct {
		Thread      httpadapter.V0Thread `json:"thread"`
		ThreadToken string               `json:"threadToken"`
	}
	s.call(t, clientToken, "POST", bot+"/threads", map[string]any{"threadId": "t-1", "chatUserEmail": "ann@example.com"}, 200).into(t, &created)
	uid := *created.Thread.ChatUserID
	if err := s.eng.AddTags(t.Context(), []string{"vip"}, []string{uid}); err != nil {
		t.Fatal(err)
	}
	seg, err := s.eng.CreateSegment(t.Context(), "Early birds")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.eng.AddToSegments(t.Context(), []string{seg.ID}, []string{uid}); err != nil {
		t.Fatal(err)
	}
	var got httpadapter.V0ThreadUser
	s.call(t, agentToken, "GET", bot+"/threads/t-1/user", nil, 200).into(t, &got)
	if got.User == nil || got.User.ID != uid || fmt.Sprint(got.User.Tags) != "[vip]" ||
		got.User.Attributes["default_email"] != "ann@example.com" || fmt.Sprint(got.Segments) != fmt.Sprintf("[{%s Early birds}]", seg.ID) ||
		got.Visits == nil || len(got.Visits) != 0 || got.User.Visits != 0 || got.User.LastVisit != nil {
		t.Errorf("got %+v %+v %+v", got.User, got.Segments, got.Visits)
	}

	// The pages the user viewed, newest first.
	for _, p := range []map[string]any{{"url": "https://shop.example/", "title": "Home"}, {"url": "https://shop.example/pricing", "title": "Pricing"}} {
		s.call(t, created.ThreadToken, "POST", bot+"/threads/t-1/page-views", p, 200)
	}
	s.call(t, agentToken, "GET", bot+"/threads/t-1/user", nil, 200).into(t, &got)
	if len(got.Visits) != 2 || got.Visits[0].Title != "Pricing" || got.Visits[0].URL != "https://shop.example/pricing" ||
		got.Visits[1].Title != "Home" || got.Visits[1].LeftAt == nil || got.Visits[0].LandedAt == "" ||
		got.User.Visits != 2 || got.User.LastVisit == nil || got.User.LastVisit.Title != "Pricing" {
		t.Errorf("visits %+v, user %+v; want Pricing then Home", got.Visits, got.User)
	}
	s.call(t, created.ThreadToken, "GET", bot+"/threads/t-1/user", nil, 403)
	s.call(t, agentToken, "GET", bot+"/threads/nothing/user", nil, 404)

	// A thread without a user.
	var second struct {
		ThreadToken string `json:"threadToken"`
	}
	s.call(t, clientToken, "POST", bot+"/threads", map[string]any{"threadId": "t-2"}, 200).into(t, &second)
	s.call(t, agentToken, "GET", bot+"/threads/t-2/user", nil, 200).into(t, &got)
	if got.User != nil || len(got.Segments) != 0 || len(got.Visits) != 0 {
		t.Errorf("no user: got %+v %+v %+v", got.User, got.Segments, got.Visits)
	}
	s.call(t, second.ThreadToken, "POST", bot+"/threads/t-2/page-views", map[string]any{"url": "https://shop.example/faq", "title": "FAQ"}, 200)
	s.call(t, agentToken, "GET", bot+"/threads/t-2/user", nil, 200).into(t, &got)
	if got.User != nil || len(got.Visits) != 1 || got.Visits[0].Title != "FAQ" {
		t.Errorf("no user: got %+v, visits %+v; want the session's visit", got.User, got.Visits)
	}
}

// TestDashboardOperations: the operations the dashboard adds to Userbot's,
// over REST: conditions checked as typed, and the fallback queries.
func TestDashboardOperations(t *testing.T) {
	s := newServer(t)
	op := func(name, body string, want int) map[string]any {
		t.Helper()
		r := s.do(t, t.Context(), "POST", "/userbot/"+name, devToken, json.RawMessage(body))
		var out map[string]any
		json.Unmarshal(r.body, &out)
		if r.status != want {
			t.Fatalf("%s %s: got %d %s, want %d", name, body, r.status, r.body, want)
		}
		d, _ := out["data"].(map[string]any)
		if want != http.StatusOK {
			return out
		}
		return d
	}
	for _, c := range []struct{ name, body, want string }{
		{"Valid", `{"kind":"automated-message","condition":"\"vip\" in tags"}`, "map[valid:true]"},
		{"Empty", `{"kind":"interaction","condition":""}`, "map[valid:true]"},
		{"Position", `{"kind":"automated-message","condition":"messages >"}`, "map[column:10 line:1 message:unexpected token EOF valid:false]"},
		{"Interaction", `{"kind":"interaction","condition":"time_on_page > 3"}`, "unknown name"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := fmt.Sprint(op("conditions.check", c.body, 200)); !strings.Contains(got, c.want) {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
	if out := op("conditions.check", `{"kind":"story","condition":"true"}`, 400); out["field"] != "kind" {
		t.Errorf("unknown kind: got %v", out)
	}

	for i, q := range []string{"Blue  Elephants?", "blue elephants?", "purple rain"} {
		if r := s.do(t, t.Context(), "POST", "/query", clientToken, map[string]any{"sessionId": fmt.Sprintf("session-%04d", i), "query": q}); r.status != 200 {
			t.Fatalf("query %q: %d %s", q, r.status, r.body)
		}
	}
	got := op("rawstats.top-fallbacks", `{"limit":1}`, 200)
	if fmt.Sprint(got) != "map[messages:[map[count:2 text:blue elephants?]]]" {
		t.Errorf("top-fallbacks: got %v", got)
	}
	if out := op("rawstats.top-fallbacks", `{"limit":0}`, 400); out["field"] != "limit" {
		t.Errorf("limit 0: got %v", out)
	}
}

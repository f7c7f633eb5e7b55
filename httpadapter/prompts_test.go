package httpadapter_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// TestSiteGPTPrompts reads the bot file's prompts in the chatbot object
// and over both quick-prompt paths, edits them, gets the follow-up
// prompts with an answer, and escalates with the escalation prompt. The
// spec checker validates every request and answer against openapi.yaml.
func TestSiteGPTPrompts(t *testing.T) {
	src := `settings:
  title: Coffee kiosk
  description: Orders coffee.
  quick_prompts:
    - {title: Coffee, description: i want a coffee}
  follow_up_prompts:
    - {title: A person, description: I want a person, escalation: true}
` + botYAML
	b, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(src)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e, err := engine.New(db, b)
	if err != nil {
		t.Fatal(err)
	}
	h, err := httpadapter.NewBots([]httpadapter.Bot{{Name: "coffee", Engine: e}}, httpadapter.WithDeveloperToken(devToken), httpadapter.WithClientToken(clientToken))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	s := &testServer{Server: srv, client: &http.Client{Transport: &specChecker{t: t, router: specRouter(t), base: srv.Client().Transport}}}
	bot := "/v0/chatbots/" + httpadapter.ChatbotID("coffee")

	var one struct {
		Chatbot httpadapter.Chatbot `json:"chatbot"`
	}
	s.call(t, devToken, "GET", bot, nil, 200).into(t, &one)
	c := one.Chatbot
	if c.Title != "Coffee kiosk" || c.Description != "Orders coffee." || len(c.Suggestions) != 1 || c.Suggestions[0].Title != "Coffee" ||
		len(c.NextSuggestions) != 1 || c.NextSuggestions[0].IsEscalationPrompt == nil || !*c.NextSuggestions[0].IsEscalationPrompt {
		t.Fatalf("chatbot: %+v", c)
	}

	var quick struct {
		Prompts []httpadapter.V0Prompt `json:"prompts"`
	}
	a := s.call(t, clientToken, "GET", bot+"/quick-prompts", nil, 200)
	a.into(t, &quick)
	if a.Message != "Fetched quick prompts of the chatbot successfully" || len(quick.Prompts) != 1 || quick.Prompts[0].ID != c.Suggestions[0].ID {
		t.Fatalf("quick prompts: %q %+v", a.Message, quick)
	}
	var added struct {
		ID string `json:"id"`
	}
	a = s.call(t, devToken, "POST", bot+"/conversation-starters", map[string]any{"title": "Tea", "description": "a tea please", "link": "https://example.com/tea"}, 200)
	a.into(t, &added)
	if a.Message != "Added conversation starter to the chatbot successfully" || added.ID == "" {
		t.Fatalf("add: %q %s", a.Message, a.Data)
	}
	s.call(t, clientToken, "POST", bot+"/conversation-starters", map[string]any{"title": "x", "description": "y"}, 403)
	if r := s.raw(t, "POST", bot+"/quick-prompts", "Bearer "+devToken, `{"title":"x"}`); r.status != 400 || !strings.Contains(string(r.body), `"REQUEST_VALIDATION_FAILED"`) || !strings.Contains(string(r.body), `"description"`) {
		t.Errorf("no description: %d %s", r.status, r.body)
	}
	a = s.call(t, devToken, "PATCH", bot+"/quick-prompts/"+added.ID, map[string]any{"title": "Green tea", "link": nil}, 200)
	if a.Message != "Updated conversation starter of the chatbot successfully" {
		t.Errorf("update: %q", a.Message)
	}
	var p httpadapter.V0Prompt
	s.call(t, clientToken, "GET", bot+"/conversation-starters/"+added.ID, nil, 200).into(t, &p)
	if p.Title != "Green tea" || p.Description != "a tea please" || p.Link == nil {
		t.Errorf("after update: %+v", p)
	}
	s.call(t, devToken, "DELETE", bot+"/conversation-starters/"+added.ID, nil, 200)
	if a := s.call(t, devToken, "GET", bot+"/quick-prompts/"+added.ID, nil, 404); a.Message != "PROMPT_NOT_FOUND" {
		t.Errorf("deleted: %s", a.Data)
	}

	a = s.call(t, devToken, "POST", bot+"/follow-up-prompts", map[string]any{"title": "Thanks", "description": "thank you", "isEscalationPrompt": false}, 200)
	if a.Message != "Added follow-up prompt to the chatbot successfully" {
		t.Errorf("add follow-up: %q", a.Message)
	}
	var follow struct {
		FollowUpPrompts []httpadapter.V0Prompt `json:"followUpPrompts"`
	}
	s.call(t, clientToken, "GET", bot+"/follow-up-prompts", nil, 200).into(t, &follow)
	if len(follow.FollowUpPrompts) != 2 || follow.FollowUpPrompts[1].Title != "Thanks" {
		t.Errorf("follow-ups: %+v", follow)
	}

	// The answer carries the follow-up prompts; the escalation prompt
	// escalates and the bot is silent.
	var sent struct {
		Message     httpadapter.V0SentMessage `json:"message"`
		ThreadToken string                    `json:"threadToken"`
	}
	s.call(t, clientToken, "POST", bot+"/message", map[string]any{"message": "i want a coffee"}, 200).into(t, &sent)
	if sent.Message.Answer == nil || len(sent.Message.Prompts) != 2 {
		t.Fatalf("answer: %+v", sent.Message)
	}
	tid := sent.Message.ThreadID
	s.call(t, sent.ThreadToken, "POST", bot+"/message", map[string]any{"message": "I want a person", "threadId": tid}, 200).into(t, &sent)
	if sent.Message.Answer != nil || len(sent.Message.Prompts) != 0 {
		t.Errorf("the escalation prompt got an answer: %+v", sent.Message)
	}
	var th struct {
		Thread httpadapter.V0Thread `json:"thread"`
	}
	s.call(t, devToken, "GET", bot+"/threads/"+tid, nil, 200).into(t, &th)
	if th.Thread.Mode != "AGENT" || !th.Thread.Escalated {
		t.Errorf("after the escalation prompt: mode %s, escalated %v", th.Thread.Mode, th.Thread.Escalated)
	}
	// Fetching the thread, the bot's answer carries the follow-up prompts,
	// and nothing else does.
	var got []string
	for _, m := range th.Thread.Messages {
		k := m.MessageType
		if m.SystemMessageType != nil {
			k += ":" + *m.SystemMessageType
		}
		got = append(got, fmt.Sprintf("%s/%d", k, len(m.Prompts)))
	}
	if fmt.Sprint(got) != "[NORMAL_MESSAGE/2 USER_MESSAGE/0 SYSTEM_MESSAGE:CONVERSATION_ESCALATED/0]" {
		t.Errorf("thread's messages with their prompts: got %s", got)
	}
	if p := th.Thread.Messages[0].Prompts[1]; p.Title != "Thanks" || p.Description != "thank you" || p.ID == "" {
		t.Errorf("a prompt of the answer: got %+v", p)
	}
	// An agent's message carries none.
	s.call(t, devToken, "POST", bot+"/message", map[string]any{"message": "Hello, Bob here.", "threadId": tid, "from": "AGENT"}, 200).into(t, &sent)
	if sent.Message.MessageType != "AGENT_MESSAGE" || len(sent.Message.Prompts) != 0 {
		t.Errorf("an agent's message: got %+v", sent.Message)
	}
}

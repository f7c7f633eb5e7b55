package httpadapter_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

const agentToken = "agent-token-bob-0123456789"

var bob = engine.Agent{ID: "agent-bob", Name: "Bob"}

// v0 is a SiteGPT answer, its data kept raw.
type v0 struct {
	Success bool            `json:"success"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// call sends a request of SiteGPT's API and decodes the answer, failing
// unless the status is want.
func (s *testServer) call(t *testing.T, token, method, path string, body any, want int) v0 {
	t.Helper()
	r := s.do(t, t.Context(), method, path, token, body)
	if r.status != want {
		t.Fatalf("%s %s: got status %d, want %d: %s", method, path, r.status, want, r.body)
	}
	var out v0
	if want != http.StatusOK {
		var e httpadapter.V0ErrorBody
		if err := strictUnmarshal(r.body, &e); err != nil {
			t.Fatalf("%s %s: error body %s: %v", method, path, r.body, err)
		}
		out.Message = e.Error.Code
		b, _ := json.Marshal(e)
		out.Data = b
		return out
	}
	if err := json.Unmarshal(r.body, &out); err != nil || !out.Success {
		t.Fatalf("%s %s: body %s: %v", method, path, r.body, err)
	}
	return out
}

func (a v0) into(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.Data, v); err != nil {
		t.Fatalf("data %s: %v", a.Data, err)
	}
}

func TestSiteGPTConversation(t *testing.T) {
	s := newServer(t, httpadapter.WithAgentToken(agentToken, bob))
	bot := "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName)

	// The page creates its thread with the client token.
	a := s.call(t, clientToken, "POST", bot+"/threads", map[string]any{"threadId": "xyz", "chatUserEmail": "ann@example.com"}, 200)
	if a.Message != "Created the chatbot thread successfully" {
		t.Errorf("create: got message %q", a.Message)
	}
	var created struct {
		Thread      httpadapter.V0Thread `json:"thread"`
		ThreadToken string               `json:"threadToken"`
	}
	a.into(t, &created)
	tok := created.ThreadToken
	if created.Thread.ThreadID != "xyz" || created.Thread.Mode != "AI" || created.Thread.ChatUser == nil ||
		*created.Thread.ChatUser.Email != "ann@example.com" || tok == "" {
		t.Fatalf("created: got %+v", created)
	}

	// It chats in its thread with the thread token.
	a = s.call(t, tok, "POST", bot+"/message", map[string]any{"message": "i want a coffee", "threadId": "xyz", "from": "USER"}, 200)
	var sent struct {
		Message httpadapter.V0SentMessage `json:"message"`
	}
	a.into(t, &sent)
	m := sent.Message
	if a.Message != "Sent the message successfully" || m.MessageType != "NORMAL_MESSAGE" || m.Question.Text != "i want a coffee" ||
		m.Answer.Text != "Coming up." || m.ThreadID != "xyz" || m.Seq != 2 {
		t.Errorf("send: got %q %+v", a.Message, m)
	}
	// It reacts to the answer.
	a = s.call(t, tok, "PATCH", bot+"/messages/"+m.ID, map[string]any{"threadId": "xyz", "reaction": "POSITIVE"}, 200)
	if a.Message != "Updated the message successfully" || string(a.Data) != "null" {
		t.Errorf("react: got %q %s", a.Message, a.Data)
	}
	// It asks for a person.
	a = s.call(t, tok, "POST", bot+"/threads/xyz/escalate", map[string]any{"escalationPrompt": "Talk to a person"}, 200)
	if a.Message != "Escalated the conversation successfully" {
		t.Errorf("escalate: got %q", a.Message)
	}
	// The bot is silent in AGENT mode.
	a = s.call(t, tok, "POST", bot+"/message", map[string]any{"message": "hello?"}, 200)
	a.into(t, &sent)
	if sent.Message.MessageType != "USER_MESSAGE" || sent.Message.Answer != nil {
		t.Errorf("send in AGENT mode: got %+v", sent.Message)
	}

	// The agent finds the escalated, unread thread and answers.
	a = s.call(t, agentToken, "GET", bot+"/threads?mode=AGENT&escalated=true&read=false", nil, 200)
	var list struct {
		Threads []httpadapter.V0ThreadSummary `json:"threads"`
		HasMore bool                          `json:"hasMore"`
	}
	a.into(t, &list)
	if a.Message != "Fetched the chatbot threads successfully" || len(list.Threads) != 1 || list.Threads[0].ThreadID != "xyz" ||
		list.Threads[0].TotalPositiveMessages != 1 || list.Threads[0].LastMessage == nil || list.Threads[0].LastMessage.Question.Text != "hello?" {
		t.Fatalf("list: got %q %+v", a.Message, list)
	}
	a = s.call(t, agentToken, "POST", bot+"/message", map[string]any{"message": "Hi, Bob here.", "threadId": "xyz", "from": "AGENT", "agentName": "Mallory"}, 200)
	a.into(t, &sent)
	if sent.Message.MessageType != "AGENT_MESSAGE" || *sent.Message.AgentName != "Bob" || sent.Message.Question != nil {
		t.Errorf("agent's message: got %+v", sent.Message)
	}
	s.call(t, agentToken, "POST", bot+"/threads/xyz/read", nil, 200)
	s.call(t, agentToken, "PATCH", bot+"/threads/xyz", map[string]any{"webhookUrl": "https://example.com/hook", "webhookToken": "secret",
		"chatUser": map[string]any{"email": "ann@example.com", "name": "Ann", "phoneNumber": "+1 555 0100"}}, 200)
	s.call(t, agentToken, "POST", bot+"/threads/xyz/switch-to-ai", map[string]any{"message": "The bot is back."}, 200)

	// The page reads the whole thread.
	a = s.call(t, tok, "GET", bot+"/threads/xyz", nil, 200)
	var got struct {
		Thread httpadapter.V0Thread `json:"thread"`
	}
	a.into(t, &got)
	th := got.Thread
	var kinds []string
	for _, m := range th.Messages {
		k := m.MessageType
		if m.SystemMessageType != nil {
			k += ":" + *m.SystemMessageType
		}
		kinds = append(kinds, k)
	}
	want := "[NORMAL_MESSAGE USER_MESSAGE SYSTEM_MESSAGE:CONVERSATION_ESCALATED USER_MESSAGE AGENT_MESSAGE AGENT_MESSAGE]"
	if fmt.Sprint(kinds) != want || th.Mode != "AI" || !th.Escalated || th.TotalMessagesRead != 6 || th.TotalMessages != 7 ||
		*th.WebhookURL != "https://example.com/hook" || *th.ChatUser.Name != "Ann" || *th.ChatUser.PhoneNumber != "+1 555 0100" {
		t.Errorf("thread: got %s, %+v", kinds, th)
	}
	if a.Message != "Fetched the thread successfully" || th.Messages[0].Reaction == nil || *th.Messages[0].Reaction != "POSITIVE" {
		t.Errorf("thread: got %q, first message %+v", a.Message, th.Messages[0])
	}
	s.call(t, agentToken, "POST", bot+"/threads/xyz/take-over", nil, 200)
	s.call(t, devToken, "DELETE", bot+"/threads/xyz", nil, 200)
	if a := s.call(t, devToken, "GET", bot+"/threads/xyz", nil, 404); a.Message != "THREAD_NOT_FOUND" {
		t.Errorf("after delete: got %s", a.Message)
	}
}

func TestSiteGPTScopes(t *testing.T) {
	s := newServer(t, httpadapter.WithAgentToken(agentToken, bob))
	bot := "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName)
	var mine, theirs struct {
		Thread      httpadapter.V0Thread `json:"thread"`
		ThreadToken string               `json:"threadToken"`
	}
	s.call(t, clientToken, "POST", bot+"/threads", map[string]any{}, 200).into(t, &mine)
	s.call(t, clientToken, "POST", bot+"/threads", map[string]any{"threadId": "theirs"}, 200).into(t, &theirs)
	tok := mine.ThreadToken
	for _, c := range []struct {
		name, token, method, path string
		body                      any
		status                    int
		code                      string
		offSpec                   bool // the request breaks openapi.yaml on purpose
	}{
		{"ReadOther", tok, "GET", bot + "/threads/theirs", nil, 403, "FORBIDDEN", false},
		{"WriteOther", tok, "POST", bot + "/message", map[string]any{"message": "hi", "threadId": "theirs"}, 403, "FORBIDDEN", false},
		{"EscalateOther", tok, "POST", bot + "/threads/theirs/escalate", nil, 403, "FORBIDDEN", false},
		{"ReactOther", tok, "PATCH", bot + "/messages/aaaaaaaaaaaaaaaaaaaaaaaa-1", map[string]any{"reaction": "POSITIVE"}, 404, "THREAD_NOT_FOUND", false},
		{"List", tok, "GET", bot + "/threads", nil, 403, "FORBIDDEN", false},
		{"AsAgent", tok, "POST", bot + "/message", map[string]any{"message": "hi", "threadId": mine.Thread.ThreadID, "from": "AGENT"}, 403, "FORBIDDEN", false},
		{"ClientReads", clientToken, "GET", bot + "/threads/theirs", nil, 403, "FORBIDDEN", false},
		{"ClientWritesThread", clientToken, "POST", bot + "/message", map[string]any{"message": "hi", "threadId": "theirs"}, 403, "FORBIDDEN", false},
		{"AgentDeletes", agentToken, "DELETE", bot + "/threads/theirs", nil, 403, "FORBIDDEN", false},
		{"AgentUsers", agentToken, "GET", "/users", nil, 403, "", false},
		{"NoToken", "", "GET", bot + "/threads", nil, 401, "API_KEY_NOT_VALID", false},
		{"ForgedToken", tok[:len(tok)-2] + "xx", "GET", bot + "/threads/" + mine.Thread.ThreadID, nil, 401, "API_KEY_NOT_VALID", false},
		{"UnknownChatbot", devToken, "GET", "/v0/chatbots/123456789012345678/threads", nil, 404, "CHATBOT_NOT_FOUND", true},
		{"UnknownThread", devToken, "GET", bot + "/threads/nope", nil, 404, "THREAD_NOT_FOUND", false},
		{"TakenThreadID", devToken, "POST", bot + "/threads", map[string]any{"threadId": "theirs"}, 409, "THREAD_ID_TAKEN", false},
		{"EmptyMessage", devToken, "POST", bot + "/message", map[string]any{"message": ""}, 400, "REQUEST_VALIDATION_FAILED", true},
		{"BadMode", devToken, "PATCH", bot + "/threads/theirs", map[string]any{"mode": "HYBRID"}, 400, "REQUEST_VALIDATION_FAILED", true},
		{"BadReaction", devToken, "PATCH", bot + "/messages/" + "aaaaaaaaaaaaaaaaaaaaaaaa-1", map[string]any{"reaction": "LOVE"}, 400, "REQUEST_VALIDATION_FAILED", true},
		{"BadMessageID", devToken, "PATCH", bot + "/messages/7", map[string]any{"reaction": "POSITIVE"}, 404, "MESSAGE_NOT_FOUND", true},
		{"UnknownQuery", devToken, "GET", bot + "/threads?sort=x", nil, 400, "REQUEST_VALIDATION_FAILED", true},
		{"BadLimit", devToken, "GET", bot + "/threads?limit=101", nil, 400, "REQUEST_VALIDATION_FAILED", true},
		{"Method", devToken, "PUT", bot + "/threads/theirs", nil, 405, "METHOD_NOT_ALLOWED", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := t.Context()
			if c.offSpec {
				ctx = offSpec(ctx)
			}
			r := s.do(t, ctx, c.method, c.path, c.token, c.body)
			if r.status != c.status {
				t.Fatalf("got status %d, want %d: %s", r.status, c.status, r.body)
			}
			if c.code == "" {
				return
			}
			var e httpadapter.V0ErrorBody
			if err := strictUnmarshal(r.body, &e); err != nil {
				t.Fatalf("body %s: %v", r.body, err)
			}
			if e.Error.Code != c.code || e.Success {
				t.Errorf("got %+v, want code %s", e, c.code)
			}
			if c.code == "REQUEST_VALIDATION_FAILED" && (len(e.Error.Details) != 1 || e.Error.Details[0].Field == "") {
				t.Errorf("got details %+v, want the field", e.Error.Details)
			}
			if c.status == 401 && (e.Message != "Failed to authenticate" || e.Error.Message != "Authorization header does not contain valid API key") {
				t.Errorf("401: got %+v", e)
			}
		})
	}
	// A thread token works with its own thread only, for good.
	s.call(t, tok, "POST", bot+"/message", map[string]any{"message": "hello"}, 200)
	s.call(t, tok, "GET", bot+"/threads/"+mine.Thread.ThreadID, nil, 200)
}

func TestSiteGPTSeveralBots(t *testing.T) {
	var bots []httpadapter.Bot
	for _, name := range []string{"coffee", "tea"} {
		b, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(strings.ReplaceAll(botYAML, "Coming up.", "One "+name+" coming up."))}}, "bot.yaml")
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
		bots = append(bots, httpadapter.Bot{Name: name, Engine: e, Description: "Serves " + name})
	}
	h, err := httpadapter.NewBots(bots, httpadapter.WithDeveloperToken(devToken), httpadapter.WithClientToken(clientToken))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	s := &testServer{Server: srv, client: &http.Client{Transport: &specChecker{t: t, router: specRouter(t), base: srv.Client().Transport}}}
	coffee, tea := httpadapter.ChatbotID("coffee"), httpadapter.ChatbotID("tea")
	if coffee == tea || len(coffee) != 18 || coffee != httpadapter.ChatbotID("coffee") {
		t.Fatalf("chatbot ids: %s %s", coffee, tea)
	}
	var all struct {
		Chatbots []httpadapter.Chatbot `json:"chatbots"`
	}
	s.call(t, devToken, "GET", "/v0/chatbots", nil, 200).into(t, &all)
	if len(all.Chatbots) != 2 || all.Chatbots[0].ID != coffee || all.Chatbots[1].Title != "tea" || all.Chatbots[1].Description != "Serves tea" {
		t.Errorf("chatbots: got %+v", all.Chatbots)
	}
	var one struct {
		Chatbot httpadapter.Chatbot `json:"chatbot"`
	}
	if a := s.call(t, devToken, "GET", "/v0/chatbots/"+tea, nil, 200); a.Message != "Fetched the chatbot successfully" {
		t.Errorf("fetch chatbot: got %q", a.Message)
	} else {
		a.into(t, &one)
	}
	// Each bot answers in its own threads.
	var sent struct {
		Message     httpadapter.V0SentMessage `json:"message"`
		ThreadToken string                    `json:"threadToken"`
	}
	s.call(t, clientToken, "POST", "/v0/chatbots/"+tea+"/message", map[string]any{"message": "coffee please"}, 200).into(t, &sent)
	if sent.Message.Answer.Text != "One tea coming up." || sent.Message.ChatbotID != tea || sent.ThreadToken == "" {
		t.Errorf("tea's answer: got %+v", sent)
	}
	s.call(t, devToken, "GET", "/v0/chatbots/"+coffee+"/threads/"+sent.Message.ThreadID, nil, 404)
	s.call(t, sent.ThreadToken, "GET", "/v0/chatbots/"+coffee+"/threads/"+sent.Message.ThreadID, nil, 403)
	s.call(t, sent.ThreadToken, "GET", "/v0/chatbots/"+tea+"/threads/"+sent.Message.ThreadID, nil, 200)
	// The chat API answers for the first bot at the root, and for each
	// under /chatbots/{chatbotId}.
	if r := s.chat(t, clientToken, engine.Request{SessionID: "session-0001", Query: "coffee please"}); r.Result.Fulfillment[0].Message != "One coffee coming up." {
		t.Errorf("root /query: got %+v", r.Result.Fulfillment)
	}
	var resp engine.Response
	s.do(t, t.Context(), "POST", "/chatbots/"+tea+"/query", clientToken, engine.Request{SessionID: "session-0001", Query: "coffee please"}).decode(t, &resp)
	if resp.Result.Fulfillment[0].Message != "One tea coming up." {
		t.Errorf("per-bot /query: got %+v", resp.Result.Fulfillment)
	}
}

// A page shows a rich answer from its fulfillment and follows a goto
// button with Send Message's goto; the client token reads the bot.
func TestSiteGPTFulfillmentAndGoto(t *testing.T) {
	s := newServer(t)
	bot := "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName)
	s.call(t, clientToken, "GET", bot, nil, 200)
	var created struct{ ThreadToken string }
	s.call(t, clientToken, "POST", bot+"/threads", map[string]any{}, 200).into(t, &created)
	tok := created.ThreadToken
	s.call(t, tok, "GET", bot, nil, 200)

	var sent struct{ Message httpadapter.V0SentMessage }
	s.call(t, tok, "POST", bot+"/message", map[string]any{"message": "show me the menu"}, 200).into(t, &sent)
	var fs []engine.Fulfillment
	if err := json.Unmarshal(sent.Message.Fulfillment, &fs); err != nil || len(fs) != 1 || fs[0].Type != engine.TypeQuickReplies ||
		len(fs[0].Buttons) != 1 || fs[0].Buttons[0].Type != engine.ButtonGoto {
		t.Fatalf("fulfillment %s (%v), want quick replies with a goto button", sent.Message.Fulfillment, err)
	}
	b := fs[0].Buttons[0]
	sent.Message = httpadapter.V0SentMessage{}
	s.call(t, tok, "POST", bot+"/message", map[string]any{"message": b.Title, "goto": b.Value}, 200).into(t, &sent)
	if sent.Message.Question == nil || sent.Message.Question.Text != "A coffee" || sent.Message.Question.Goto != b.Value || sent.Message.Answer == nil ||
		sent.Message.Answer.Text != "Coming up." || sent.Message.Fulfillment != nil {
		t.Errorf("after the goto: got %+v, want the question %q answered %q, text only", sent.Message, "A coffee", "Coming up.")
	}
	if r := s.do(t, offSpec(t.Context()), "POST", bot+"/message", tok, map[string]any{"message": "x", "goto": "nope"}); r.status != 400 || !strings.Contains(string(r.body), `"field":"goto"`) {
		t.Errorf("a bad goto: got %d %s, want 400 naming goto", r.status, r.body)
	}
}

// Buttons pressed and triggers sent through the chat API's /query are the
// user's messages of the thread, and Fetch Thread says how each was sent:
// a goto with the button's title, a trigger with its name; in AGENT mode a
// press is a USER_MESSAGE of its own.
func TestPressesInFetchThread(t *testing.T) {
	s := newServer(t)
	bot := "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName)
	// The page starts the thread; a client of the chat API continues it
	// with the thread's session, whose id is the thread's store id.
	var sent struct{ Message httpadapter.V0SentMessage }
	s.call(t, clientToken, "POST", bot+"/message", map[string]any{"message": "show me the menu"}, 200).into(t, &sent)
	sid := sent.Message.ThreadID
	var fs []engine.Fulfillment
	if err := json.Unmarshal(sent.Message.Fulfillment, &fs); err != nil || len(fs) != 1 || len(fs[0].Buttons) != 1 {
		t.Fatalf("fulfillment %s (%v), want quick replies with a goto button", sent.Message.Fulfillment, err)
	}
	order := fs[0].Buttons[0].Value
	if r := s.chat(t, clientToken, engine.Request{SessionID: sid, Goto: order}); r.Result.Fulfillment[0].Message != "Coming up." {
		t.Fatalf("goto: got %+v", r.Result)
	}
	s.chat(t, clientToken, engine.Request{SessionID: sid, Trigger: "order"})
	s.call(t, devToken, "POST", bot+"/threads/"+sid+"/take-over", nil, 200)
	s.chat(t, clientToken, engine.Request{SessionID: sid, Goto: order})

	var got struct{ Thread httpadapter.V0Thread }
	s.call(t, devToken, "GET", bot+"/threads/"+sid, nil, 200).into(t, &got)
	var msgs []string
	for _, m := range got.Thread.Messages {
		line := m.MessageType
		if q := m.Question; q != nil {
			line += fmt.Sprintf(" %q goto=%q trigger=%q", q.Text, q.Goto, q.Trigger)
		}
		if a := m.Answer; a != nil {
			line += fmt.Sprintf(" -> %q", a.Text)
		}
		msgs = append(msgs, line)
	}
	want := []string{
		`NORMAL_MESSAGE "show me the menu" goto="" trigger="" -> ""`,
		`NORMAL_MESSAGE "A coffee" goto="` + order + `" trigger="" -> "Coming up."`,
		`NORMAL_MESSAGE "order" goto="" trigger="order" -> "Coming up."`,
		`USER_MESSAGE "A coffee" goto="` + order + `" trigger=""`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("Fetch Thread:\ngot  %s\nwant %s", strings.Join(msgs, "\n     "), strings.Join(want, "\n     "))
	}
	if got.Thread.TotalMessages != 7 {
		t.Errorf("totalMessages: got %d, want 7 (three questions, three answers, the press in AGENT mode)", got.Thread.TotalMessages)
	}
}

// A chat page reports a page view; the automated message waiting for it
// is sent into the thread.
func TestSiteGPTPageView(t *testing.T) {
	s := newServer(t)
	bot := "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName)
	if _, err := s.eng.SaveAutomatedMessage(t.Context(), store.AutomatedMessage{
		Name: "pricing help", Trigger: store.Trigger{On: store.OnPageView}, Condition: `page.url contains "/pricing"`, Text: "Questions about our prices?",
	}); err != nil {
		t.Fatal(err)
	}
	var created struct {
		Thread      httpadapter.V0Thread
		ThreadToken string
	}
	s.call(t, clientToken, "POST", bot+"/threads", map[string]any{}, 200).into(t, &created)
	path := bot + "/threads/" + created.Thread.ThreadID + "/page-views"
	var got struct{ Messages []httpadapter.V0ThreadMessage }
	s.call(t, created.ThreadToken, "POST", path, map[string]any{"url": "https://shop.example.com/", "title": "Shop"}, 200).into(t, &got)
	if len(got.Messages) != 0 {
		t.Errorf("home page: got %+v, want no message", got.Messages)
	}
	s.call(t, created.ThreadToken, "POST", path, map[string]any{"url": "https://shop.example.com/pricing"}, 200).into(t, &got)
	if len(got.Messages) != 1 || got.Messages[0].Answer == nil || got.Messages[0].Answer.Text != "Questions about our prices?" {
		t.Fatalf("pricing page: got %+v, want the automated message", got.Messages)
	}
	var th struct{ Thread httpadapter.V0Thread }
	s.call(t, created.ThreadToken, "GET", bot+"/threads/"+created.Thread.ThreadID, nil, 200).into(t, &th)
	if len(th.Thread.Messages) != 1 || th.Thread.Messages[0].MessageID != got.Messages[0].MessageID {
		t.Errorf("thread: got %+v, want the automated message in it", th.Thread.Messages)
	}
	if a := s.call(t, created.ThreadToken, "POST", path, map[string]any{"url": "ftp://x"}, 400); !strings.Contains(string(a.Data), `"url"`) {
		t.Errorf("a bad url: got %s, want an error naming url", a.Data)
	}
	s.call(t, clientToken, "POST", path, map[string]any{"url": "https://shop.example.com/"}, 403)
}

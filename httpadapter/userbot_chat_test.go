package httpadapter_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/store"
)

// TestUserbotChats drives an operator's view of the conversations over
// the socket: the list, one conversation, a notification when a
// conversation is escalated and when its user writes while an agent has
// it, taking it over, writing into it, and handing it back.
func TestUserbotChats(t *testing.T) {
	s := newServer(t, httpadapter.WithOperator("op-1", "Ada", "ada-key"))
	w := dialSocket(t, s)
	w.ok("apiLogin ada-key", "apiLogin", nil)
	chatbotID := httpadapter.ChatbotID(httpadapter.DefaultBotName)
	w.ok("sitekey undefined "+chatbotID, "sitekey.undefined", nil)
	if got := s.eng.AgentsPresent(); len(got) != 1 || got[0].ID != "op-1" {
		t.Errorf("agents present with a socket open: got %v, want op-1", got)
	}
	ctx := context.Background()
	th, err := s.eng.CreateThread(ctx, engine.NewThread{ThreadID: "conv-1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.eng.Send(ctx, engine.Message{ThreadID: th.PublicID(), Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	var list struct{ Sessions []httpadapter.ChatSession }
	w.ok("robin sv op-1 get sessions 20 0", "robin.sv.op-1.get.sessions.20.0", &list)
	if len(list.Sessions) != 1 || list.Sessions[0].ID != "conv-1" || list.Sessions[0].WSPath != chatbotID || list.Sessions[0].Messages != 2 {
		t.Fatalf("sessions: %+v", list)
	}
	var conv struct {
		Session  httpadapter.ChatSession
		Messages []httpadapter.ChatMessage
	}
	w.ok("robin sv op-1 get conv-1", "robin.sv.op-1.get.conv-1", &conv)
	if len(conv.Messages) != 2 || conv.Messages[0].Text != "hello" || conv.Messages[1].Type != store.BotMessage {
		t.Errorf("conversation: %+v", conv)
	}

	if _, err := s.eng.Escalate(ctx, "conv-1", "I want a human"); err != nil {
		t.Fatal(err)
	}
	n := w.notification()
	if n.Reason != "escalated" || n.Session.ID != "conv-1" || n.Session.Mode != store.ModeAgent {
		t.Errorf("notification: %+v", n)
	}
	var assigned struct{ Session httpadapter.ChatSession }
	w.ok(`chat-assign-to-agent {"session":"conv-1","message":"Hi, I'm Ada"}`, "chat-assign-to-agent", &assigned)
	if assigned.Session.Mode != store.ModeAgent {
		t.Errorf("assigned: %+v", assigned)
	}
	var said struct {
		Session httpadapter.ChatSession
		Message httpadapter.ChatMessage
	}
	w.ok("say "+chatbotID+" -100 conv-1 How can I  help?", "say", &said)
	if said.Message.Type != store.AgentMessage || said.Message.Text != "How can I  help?" || said.Message.AgentName != "Ada" {
		t.Errorf("say: %+v", said)
	}
	if _, err := s.eng.Send(ctx, engine.Message{ThreadID: "conv-1", Text: "my order is late"}); err != nil {
		t.Fatal(err)
	}
	if n := w.notification(); n.Reason != "message" || n.Message.Text != "my order is late" {
		t.Errorf("notification of a message: %+v", n)
	}
	w.ok(`chat-assign-to-bot {"session":"conv-1"}`, "chat-assign-to-bot", &assigned)
	if assigned.Session.Mode != store.ModeAI {
		t.Errorf("handed back: %+v", assigned)
	}
	w.ok("robin sv op-1 get conv-1", "robin.sv.op-1.get.conv-1", &conv)
	var types []string
	for _, m := range conv.Messages {
		types = append(types, m.Type)
	}
	if got := strings.Join(types, " "); got != "USER_MESSAGE NORMAL_MESSAGE USER_MESSAGE SYSTEM_MESSAGE AGENT_MESSAGE AGENT_MESSAGE USER_MESSAGE" {
		t.Errorf("messages: %s", got)
	}

	for _, c := range []struct {
		name, frame, channel string
		code                 int
		field                string
	}{
		{"OtherOperator", "robin sv op-2 get sessions 20 0", "robin.sv.op-2.get.sessions.20.0", 403, "user.id"},
		{"BadLimit", "robin sv op-1 get sessions 0 0", "robin.sv.op-1.get.sessions.0.0", 400, "limit"},
		{"BadOffset", "robin sv op-1 get sessions 20 5", "robin.sv.op-1.get.sessions.20.5", 400, "offset"},
		{"UnknownSession", "robin sv op-1 get nope", "robin.sv.op-1.get.nope", 404, "session.id"},
		{"BadRobin", "robin sv op-1", "robin.sv.op-1", 400, ""},
		{"SayNoText", "say " + chatbotID + " -100 conv-1", "say", 400, ""},
		{"SayOtherBot", "say 123 -100 conv-1 hi", "say", 400, "wspath"},
		{"SayUnknownSession", "say " + chatbotID + " -100 nope hi", "say", 404, "session.id"},
		{"AssignNoPayload", "chat-assign-to-agent", "chat-assign-to-agent", 400, ""},
		{"AssignNoSession", `chat-assign-to-agent {}`, "chat-assign-to-agent", 400, "session"},
		{"AssignUnknown", `chat-assign-to-bot {"session":"nope"}`, "chat-assign-to-bot", 404, "session"},
		{"AssignUnknownField", `chat-assign-to-bot {"session":"conv-1","mode":"x"}`, "chat-assign-to-bot", 400, "mode"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := w.send(c.frame)
			if r.Channel != c.channel || r.Status.Code != c.code || r.Field != c.field {
				t.Errorf("got %s %d %q on %q, want %s %d on %q", r.Channel, r.Status.Code, r.Status.Message, r.Field, c.channel, c.code, c.field)
			}
		})
	}
}

type notification struct {
	Reason  string
	Session httpadapter.ChatSession
	Message httpadapter.ChatMessage
}

// notification reads frames up to the next chat-notification.
func (w *wsClient) notification() notification {
	w.t.Helper()
	for range 10 {
		r := w.next()
		if r.Channel != "chat-notification" {
			continue
		}
		var n notification
		if err := json.Unmarshal(r.Data, &n); err != nil {
			w.t.Fatal(err)
		}
		return n
	}
	w.t.Fatal("no chat-notification")
	return notification{}
}

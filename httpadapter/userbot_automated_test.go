package httpadapter_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/store"
)

// TestUserbotAutomatedMessages saves, lists and deletes automated messages
// over the socket and REST: a bad condition is refused with its position,
// and a saved message is sent when its event happens.
func TestUserbotAutomatedMessages(t *testing.T) {
	s := newServer(t)
	w := dialSocket(t, s)
	w.login()
	r := w.send(`automated-messages.save {"name":"Ready","trigger":{"on":"event","event":"drink_ready"},"condition":"user.drink == ","text":"Ready!"}`)
	if r.Status.Code != 400 || r.Field != "condition" || !strings.Contains(r.Status.Message, "line 1, column") {
		t.Errorf("a bad condition: got %d on %q: %q, want 400 on condition with its position", r.Status.Code, r.Field, r.Status.Message)
	}
	for _, c := range []struct{ frame, field string }{
		{`automated-messages.save {"name":"x","trigger":{"on":"sometimes"},"text":"x"}`, "trigger.on"},
		{`automated-messages.save {"name":"x","trigger":{"on":"schedule","at":"tomorrow"},"text":"x"}`, "trigger.at"},
		{`automated-messages.save {"name":"x","trigger":{"on":"start"},"text":"x","color":"red"}`, "color"},
		{`automated-messages.delete {"ids":["nope"]}`, "ids[0]"},
	} {
		if r := w.send(c.frame); r.Status.Code != 400 || r.Field != c.field {
			t.Errorf("%s: got %d on %q (%s), want 400 on %q", c.frame, r.Status.Code, r.Field, r.Status.Message, c.field)
		}
	}
	var saved httpadapter.AutomatedMessage
	w.ok(`automated-messages.save {"name":"Ready","trigger":{"on":"event","event":"drink_ready"},"text":"Your drink is ready!","quickReplies":["Thanks"],"minInterval":60}`, "automated-messages.save", &saved)
	if saved.ID == "" || saved.Repeat != "once" || saved.MinInterval != 60 || saved.Trigger.Event != "drink_ready" {
		t.Errorf("automated-messages.save: got %+v", saved)
	}
	var list struct {
		Messages []httpadapter.AutomatedMessage
	}
	w.ok("automated-messages.get", "automated-messages.get", &list)
	if len(list.Messages) != 1 || list.Messages[0].ID != saved.ID {
		t.Errorf("automated-messages.get: got %+v", list)
	}
	sent, err := s.eng.Notify(context.Background(), engine.HostEvent{Name: "drink_ready", SessionID: "kiosk-session-1"})
	if err != nil || len(sent) != 1 || sent[0].Text != "Your drink is ready!" {
		t.Errorf("Notify: got %+v, %v", sent, err)
	}
	if r := w.send(`automated-messages.delete {"ids":["` + saved.ID + `","0123456789abcdef01234567"]}`); r.Status.Code != 404 || r.Field != "ids[1]" {
		t.Errorf("delete with an unknown id: got %d on %q, want 404 on ids[1]", r.Status.Code, r.Field)
	}
	var del struct{ Deleted int }
	w.ok(`automated-messages.delete {"ids":["`+saved.ID+`"]}`, "automated-messages.delete", &del)
	if del.Deleted != 1 {
		t.Errorf("delete: got %+v", del)
	}
	var res httpadapter.OperationResult
	s.dev(t, "POST", "/userbot/automated-messages.save", map[string]any{"name": "Hi", "trigger": map[string]any{"on": "start"}, "text": "Welcome!"}).decode(t, &res)
	s.dev(t, "POST", "/userbot/automated-messages.get", nil).decode(t, &res)
	if ms := res.Data.(map[string]any)["messages"].([]any); len(ms) != 1 {
		t.Errorf("REST get: got %v", res.Data)
	}
}

// TestPageViewOnLiveStream saves a page-view message and reports a page
// view: the message reaches a connected live stream (the agents' stream of
// the bot, over SSE) as a bot message.
func TestPageViewOnLiveStream(t *testing.T) {
	s := newServer(t, httpadapter.WithAgentToken(agentToken, bob))
	bot := "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName)
	live := s.openStream(t, bot+"/events", agentToken, "")
	ctx := context.Background()
	if _, err := s.eng.SaveAutomatedMessage(ctx, store.AutomatedMessage{Name: "Pricing", Trigger: store.Trigger{On: store.OnPageView},
		Condition: `page.path == "/pricing"`, Text: "Questions about our plans?"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.eng.PageView(ctx, engine.PageVisit{SessionID: "visitor-live-1", Page: engine.Page{URL: "https://shop.example.com/pricing"}}); err != nil {
		t.Fatal(err)
	}
	for {
		ev := live.next(t)
		if ev.name != "message" {
			continue
		}
		if got := fmt.Sprint(ev.data); !strings.Contains(got, "Questions about our plans?") {
			t.Errorf("message event: got %v, want the automated message", ev.data)
		}
		return
	}
}

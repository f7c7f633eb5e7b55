package httpadapter_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
)

const emailBotYAML = `stories:
  - name: Desk
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hello!"}]}
      - name: Email
        says: [my email is ann@example.com, you can reach me at bo@example.org]
        parameters: [{name: email, entity: sys.email, required: true, prompts: ["Your email?"]}]
        responses: [{set: {user: {default_email: "{{email}}"}}}, {text: "Thanks."}]
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
`

// TestSiteGPTEmailVerification: over HTTP, a user gives an email, enters
// a wrong code then the right one, and the thread's chatUser is verified;
// a new code on request; the errors of the route.
func TestSiteGPTEmailVerification(t *testing.T) {
	var mu sync.Mutex
	var codes []engine.Code
	failing := false
	send := engine.WithCodeSender(func(_ context.Context, c engine.Code) error {
		mu.Lock()
		defer mu.Unlock()
		if failing {
			return errors.New("mail server down")
		}
		codes = append(codes, c)
		return nil
	})
	last := func() string {
		mu.Lock()
		defer mu.Unlock()
		return codes[len(codes)-1].Code
	}
	s := newBotServer(t, emailBotYAML, []engine.Option{send})
	bot := "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName)
	var created struct {
		Thread      httpadapter.V0Thread `json:"thread"`
		ThreadToken string               `json:"threadToken"`
	}
	s.call(t, clientToken, "POST", bot+"/threads", map[string]any{"threadId": "t1", "chatUserEmail": "ann@example.com"}, 200).into(t, &created)
	tok := created.ThreadToken
	if created.Thread.ChatUser.Verified {
		t.Error("verified before any code")
	}
	var sent struct {
		Message httpadapter.V0SentMessage `json:"message"`
	}
	say := func(text string) httpadapter.V0SentMessage {
		t.Helper()
		s.call(t, tok, "POST", bot+"/message", map[string]any{"message": text, "threadId": "t1"}, 200).into(t, &sent)
		return sent.Message
	}
	say("you can reach me at bo@example.org")
	wrong := "000000"
	if last() == wrong {
		wrong = "111111"
	}
	if m := say(wrong); m.MessageType != "USER_MESSAGE" || m.Answer != nil {
		t.Errorf("a wrong code: got %+v", m)
	}
	say(last())
	var got struct {
		Thread httpadapter.V0Thread `json:"thread"`
	}
	s.call(t, tok, "GET", bot+"/threads/t1", nil, 200).into(t, &got)
	var kinds []string
	for _, m := range got.Thread.Messages {
		if m.SystemMessageType != nil {
			kinds = append(kinds, *m.SystemMessageType)
		}
	}
	if fmt.Sprint(kinds) != "[PROVIDED_EMAIL ENTERED_WRONG_OTP EMAIL_VERIFIED]" || !got.Thread.ChatUser.Verified ||
		*got.Thread.ChatUser.Email != "bo@example.org" {
		t.Errorf("thread: got %s, chatUser %+v", kinds, got.Thread.ChatUser)
	}

	// A new code on request, for the page or an agent.
	if a := s.call(t, tok, "POST", bot+"/threads/t1/verification-code", nil, 200); a.Message != "Sent the verification code successfully" || string(a.Data) != "null" {
		t.Errorf("verification-code: got %q %s", a.Message, a.Data)
	}
	mu.Lock()
	n := len(codes)
	failing = true
	mu.Unlock()
	if n != 2 {
		t.Errorf("codes sent: got %d, want 2", n)
	}
	if a := s.call(t, tok, "POST", bot+"/threads/t1/verification-code", nil, 502); a.Message != "PROBLEMS_WITH_UPSTREAM_PROVIDER" {
		t.Errorf("a failing sender: got %s", a.Message)
	}
	var anon struct {
		Thread      httpadapter.V0Thread `json:"thread"`
		ThreadToken string               `json:"threadToken"`
	}
	s.call(t, clientToken, "POST", bot+"/threads", map[string]any{}, 200).into(t, &anon)
	if a := s.call(t, anon.ThreadToken, "POST", bot+"/threads/"+anon.Thread.ThreadID+"/verification-code", nil, 400); a.Message != "REQUEST_VALIDATION_FAILED" {
		t.Errorf("a thread without an email: got %s", a.Message)
	}
	s.call(t, tok, "POST", bot+"/threads/"+anon.Thread.ThreadID+"/verification-code", nil, 403)

	// A server without a code sender.
	plain := newServer(t)
	plain.call(t, clientToken, "POST", bot+"/threads", map[string]any{"threadId": "t2", "chatUserEmail": "ann@example.com"}, 200)
	if a := plain.call(t, devToken, "POST", bot+"/threads/t2/verification-code", nil, 409); a.Message != "CONFLICT" {
		t.Errorf("without a sender: got %s", a.Message)
	}

	// The chatbot tells a chat page whether to offer a field for the code.
	var cb struct {
		Chatbot httpadapter.Chatbot `json:"chatbot"`
	}
	s.call(t, clientToken, "GET", bot, nil, 200).into(t, &cb)
	if !cb.Chatbot.Settings.EmailVerification {
		t.Error("with a code sender: settings.emailVerification false")
	}
	plain.call(t, clientToken, "GET", bot, nil, 200).into(t, &cb)
	if cb.Chatbot.Settings.EmailVerification {
		t.Error("without a code sender: settings.emailVerification true")
	}
}

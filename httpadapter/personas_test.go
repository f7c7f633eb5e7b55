package httpadapter_test

import (
	"fmt"
	"testing"

	"github.com/parleybot/parley/httpadapter"
)

const personasBotYAML = `settings:
  personas:
    - {name: pirate, title: Pirate, description: Talks like a pirate.}
    - {name: formal, title: Formal}
stories:
  - name: Main
    interactions:
      - name: Welcome
        role: start
        says: [hello]
        responses: [{text: Hi!, personas: {pirate: "Ahoy!", formal: Good day.}}]
      - name: Pirate
        says: [talk like a pirate]
        responses: [{persona: pirate}, {text: Fine., personas: {pirate: Aye aye!}}]
      - {name: Fallback, role: else, responses: [{text: what}]}
`

// TestSiteGPTPersonas: the bot's personas over HTTP; a thread selects one
// (PERSONA_SELECTED) by the API and by the bot's action, and the answers
// follow it; assigning one to the bot; the errors.
func TestSiteGPTPersonas(t *testing.T) {
	s := newBotServer(t, personasBotYAML, nil, httpadapter.WithAgentToken(agentToken, bob))
	bot := "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName)
	var list struct {
		Personas []httpadapter.V0Persona `json:"personas"`
	}
	a := s.call(t, clientToken, "GET", bot+"/settings/personas", nil, 200)
	a.into(t, &list)
	if a.Message != "Fetched all the custom personas of the chatbot successfully" || len(list.Personas) != 2 ||
		list.Personas[0].ID != "pirate" || *list.Personas[0].Description != "Talks like a pirate." || list.Personas[1].Description != nil {
		t.Errorf("personas: got %q %+v", a.Message, list.Personas)
	}
	var one struct {
		Persona httpadapter.V0Persona `json:"persona"`
	}
	a = s.call(t, clientToken, "GET", bot+"/settings/personas/formal", nil, 200)
	a.into(t, &one)
	if a.Message != "Fetched the custom persona of the chatbot successfully" || one.Persona.Title != "Formal" {
		t.Errorf("persona: got %q %+v", a.Message, one.Persona)
	}

	var created struct {
		Thread      httpadapter.V0Thread `json:"thread"`
		ThreadToken string               `json:"threadToken"`
	}
	s.call(t, clientToken, "POST", bot+"/threads", map[string]any{"threadId": "deck"}, 200).into(t, &created)
	tok := created.ThreadToken
	if created.Thread.PersonaID != nil {
		t.Errorf("a new thread's persona: got %q", *created.Thread.PersonaID)
	}
	answer := func(text string) string {
		t.Helper()
		var sent struct {
			Message httpadapter.V0SentMessage `json:"message"`
		}
		s.call(t, tok, "POST", bot+"/message", map[string]any{"message": text, "threadId": "deck"}, 200).into(t, &sent)
		if sent.Message.Answer == nil {
			return ""
		}
		return sent.Message.Answer.Text
	}
	if got := answer("hello"); got != "Hi!" {
		t.Errorf("before a persona: got %q", got)
	}
	a = s.call(t, tok, "POST", bot+"/threads/deck/persona", map[string]any{"personaId": "formal"}, 200)
	if a.Message != "Selected the persona of the thread successfully" || string(a.Data) != "null" {
		t.Errorf("select: got %q %s", a.Message, a.Data)
	}
	if got := answer("hello"); got != "Good day." {
		t.Errorf("formal: got %q", got)
	}
	if got := answer("talk like a pirate"); got != "Aye aye!" {
		t.Errorf("the bot's action: got %q", got)
	}
	s.call(t, tok, "POST", bot+"/threads/deck/persona", map[string]any{"personaId": nil}, 200)
	if got := answer("hello"); got != "Hi!" {
		t.Errorf("back to the bot's style: got %q", got)
	}
	// Assigned to the bot, for threads without one.
	a = s.call(t, devToken, "POST", bot+"/settings/personas/pirate/assign", nil, 200)
	if a.Message != "Assigned persona to the chatbot successfully" {
		t.Errorf("assign: got %q", a.Message)
	}
	if got := answer("hello"); got != "Ahoy!" {
		t.Errorf("assigned: got %q", got)
	}
	var got struct {
		Thread httpadapter.V0Thread `json:"thread"`
	}
	s.call(t, tok, "GET", bot+"/threads/deck", nil, 200).into(t, &got)
	var kinds []string
	for _, m := range got.Thread.Messages {
		if m.SystemMessageType != nil {
			kinds = append(kinds, *m.SystemMessageType)
		}
	}
	if fmt.Sprint(kinds) != "[PERSONA_SELECTED PERSONA_SELECTED PERSONA_SELECTED]" || got.Thread.PersonaID != nil {
		t.Errorf("thread: got %s, persona %v", kinds, got.Thread.PersonaID)
	}

	for _, c := range []struct {
		name, token, method, path string
		body                      any
		status                    int
		code                      string
	}{
		{"UnknownPersona", clientToken, "GET", bot + "/settings/personas/ninja", nil, 404, "PERSONA_NOT_FOUND"},
		{"SelectUnknown", tok, "POST", bot + "/threads/deck/persona", map[string]any{"personaId": "ninja"}, 404, "PERSONA_NOT_FOUND"},
		{"AssignUnknown", devToken, "POST", bot + "/settings/personas/ninja/assign", nil, 404, "PERSONA_NOT_FOUND"},
		{"AssignAsAgent", agentToken, "POST", bot + "/settings/personas/pirate/assign", nil, 403, "FORBIDDEN"},
		{"SelectOther", clientToken, "POST", bot + "/threads/deck/persona", map[string]any{"personaId": "pirate"}, 403, "FORBIDDEN"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if a := s.call(t, c.token, c.method, c.path, c.body, c.status); a.Message != c.code {
				t.Errorf("got %s, want %s", a.Message, c.code)
			}
		})
	}
}

package httpadapter_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/parleybot/parley/httpadapter"
)

// TestUpdateAppearance: the developer changes what chat pages show of the
// bot; Fetch Chatbot reads it back, other tokens may not change it, and a
// field that breaks a limit is refused by name with nothing changed.
func TestUpdateAppearance(t *testing.T) {
	s := newBotServer(t, `settings:
  title: Coffee kiosk
  appearance: {welcome_message: Hello!, brand_color: "#6b3a1f", localization: {send: Go}}
stories:
  - name: Main
    interactions:
      - {name: Welcome, role: start, responses: [{text: Hi}]}
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
`, nil, httpadapter.WithAgentToken(agentToken, bob))
	bot := "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName)
	fetch := func() httpadapter.Chatbot {
		t.Helper()
		var got struct{ Chatbot httpadapter.Chatbot }
		s.call(t, clientToken, "GET", bot, nil, 200).into(t, &got)
		return got.Chatbot
	}
	if a := s.call(t, devToken, "PATCH", bot+"/appearance", map[string]any{
		"title": "Café", "placeholderText": "Écrivez…", "brandColor": "#064e3b", "rtl": true, "locale": "fr",
		"localization": map[string]string{"send": "Envoyer", "person": "Parler à quelqu'un"},
	}, 200); a.Message != "Updated the chatbot appearance successfully" || string(a.Data) != "{}" {
		t.Errorf("got %q %s", a.Message, a.Data)
	}
	got := fetch()
	st := got.Settings
	if got.Title != "Café" || deref(st.WelcomeMessage) != "Hello!" || deref(st.PlaceholderText) != "Écrivez…" ||
		deref(st.BrandColor) != "#064e3b" || !st.RTL || deref(st.Locale) != "fr" ||
		len(st.Localization) != 2 || st.Localization["send"] != "Envoyer" {
		t.Errorf("after the update: %s %+v", got.Title, st)
	}

	// "" clears; fields not given stay.
	s.call(t, devToken, "PATCH", bot+"/appearance", map[string]any{"welcomeMessage": "", "rtl": false}, 200)
	st = fetch().Settings
	if st.WelcomeMessage != nil || st.RTL || deref(st.BrandColor) != "#064e3b" {
		t.Errorf("after clearing: %+v", st)
	}

	for _, tc := range []struct {
		name, token string
		body        string
		status      int
		field       string
	}{
		{"ClientToken", clientToken, `{"title":"x"}`, 403, ""},
		{"AgentToken", agentToken, `{"title":"x"}`, 403, ""},
		{"Colour", devToken, `{"title":"x","brandColor":"blue"}`, 400, "brandColor"},
		{"Locale", devToken, `{"locale":"not a tag"}`, 400, "locale"},
		{"Long", devToken, `{"placeholderText":"` + strings.Repeat("a", 501) + `"}`, 400, "placeholderText"},
		{"WordKey", devToken, `{"localization":{"no spaces":"x"}}`, 400, "localization"},
		{"EmptyWord", devToken, `{"localization":{"send":""}}`, 400, "localization.send"},
		{"Unknown", devToken, `{"fontSize":14}`, 400, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.do(t, offSpec(t.Context()), "PATCH", bot+"/appearance", tc.token, json.RawMessage(tc.body))
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.field != "" && !strings.Contains(string(r.body), `"field":"`+tc.field+`"`) {
				t.Errorf("body %s, want the field %s", r.body, tc.field)
			}
		})
	}
	if got := fetch(); got.Title != "Café" {
		t.Errorf("a refused update changed the title to %q", got.Title)
	}
}

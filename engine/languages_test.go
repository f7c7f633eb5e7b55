package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
)

// A kiosk that speaks English, German and French: phrases and responses
// per language, numbers and yes or no read in the turn's language.
const multilingualBot = `
settings: {language: english, languages: [german, french]}
stories:
  - name: Bakery
    interactions:
      - name: Welcome
        role: start
        responses:
          - {text: "Hello!"}
          - {text: "Hallo!", language: german}
          - {text: "Bonjour !", language: french}
      - name: Rolls
        says:
          english: [i would like some rolls, can i have bread rolls, rolls please]
          german: [ich möchte Brötchen, Brötchen bitte, kann ich Brötchen haben]
          french: [je voudrais des petits pains, des petits pains s'il vous plaît]
        parameters:
          - {name: count, entity: sys.integer, required: true, prompts: ["How many?"]}
          - {name: bag, entity: sys.yes-no, required: true, prompts: ["A bag?"]}
        responses:
          - {text: "{{count}} rolls, bag: {{bag}}."}
          - {text: "{{count}} Brötchen, Tüte: {{bag}}.", language: german}
      - name: Hours
        says: [when are you open, opening hours]
        responses: [{text: "From 7 to 18."}]
      - name: Else
        role: else
        says:
          english: [what's the weather]
          german: [wie ist das Wetter]
        responses:
          - {text: "Sorry?"}
          - {text: "Wie bitte?", language: german}
          - {text: "Pardon ?", language: french}
`

func TestLanguages(t *testing.T) {
	bot := loadModelBot(t, multilingualBot)
	if got := strings.Join(bot.Settings.Languages, " "); got != "english german french" {
		t.Fatalf("languages: got %q", got)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e, err := engine.New(db, bot)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := e.CreateUser(ctx, store.User{UserID: "marie", Attributes: map[string]string{"default_language": "fr-CA"}}); err != nil {
		t.Fatal(err)
	}
	type turn struct{ lang, user, query, want string }
	tests := []struct {
		name  string
		turns []turn
	}{
		{"Default", []turn{
			{"", "", "rolls please", "How many?"},
			{"", "", "twenty-two", "A bag?"},
			{"", "", "no thanks", "22 rolls, bag: no."},
		}},
		{"Request", []turn{
			{"de", "", "kann ich bitte Brötchen haben", "How many?"},
			{"de", "", "zweiundzwanzig", "A bag?"},
			{"de", "", "ja, gerne", "22 Brötchen, Tüte: yes."},
		}},
		// No German phrases for Hours: the default language's match.
		{"RequestDefaultPhrases", []turn{{"german", "", "opening hours", "From 7 to 18."}}},
		{"RequestFallback", []turn{{"german", "", "wie wird das Wetter", "Wie bitte?"}}},
		// No French response for Rolls: the default language's.
		{"User", []turn{
			{"", "marie", "je voudrais des petits pains", "How many?"},
			{"", "marie", "vingt et un", "A bag?"},
			{"", "marie", "oui bien sûr", "21 rolls, bag: yes."},
		}},
		{"RequestOverUser", []turn{{"de", "marie", "Brötchen bitte", "How many?"}, {"de", "marie", "drei", "A bag?"}}},
		{"Unknown", []turn{{"tlh", "", "rolls please", "How many?"}}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sid := fmt.Sprintf("language-session-%02d", i)
			for _, tu := range tc.turns {
				resp, err := e.Chat(ctx, engine.Request{SessionID: sid, UserID: tu.user, Language: tu.lang, Query: tu.query})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, f := range resp.Result.Fulfillment {
					got = append(got, f.Message)
				}
				if strings.Join(got, " | ") != tu.want {
					t.Errorf("%s %q: got %q, want %q", tu.lang, tu.query, got, tu.want)
				}
			}
		})
	}
	// The welcome in each language.
	for lang, want := range map[string]string{"": "Hello!", "de": "Hallo!", "fr": "Bonjour !"} {
		resp, err := e.Chat(ctx, engine.Request{SessionID: "welcome-session-" + lang + "x", Language: lang, Trigger: "welcome"})
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.Result.Fulfillment; len(got) != 1 || got[0].Message != want {
			t.Errorf("welcome in %q: got %+v, want %q", lang, got, want)
		}
	}
	// A compiled model holds every language's matcher.
	model, err := engine.BuildModel(bot)
	if err != nil {
		t.Fatal(err)
	}
	m, logged := modelEngine(t, bot, model)
	if strings.Contains(logged, "WARN") {
		t.Errorf("log: %s", logged)
	}
	resp, err := m.Chat(ctx, engine.Request{SessionID: "model-language-01", Language: "de", Query: "Brötchen bitte"})
	if err != nil || resp.Result.Interaction.Name != "Rolls" {
		t.Errorf("with the model: got %+v, %v; want Rolls", resp.Result.Interaction, err)
	}
	if _, err := e.Chat(ctx, engine.Request{SessionID: "language-long-01", Language: strings.Repeat("x", 65), Query: "hi"}); err == nil || !strings.Contains(err.Error(), "language") {
		t.Errorf("a long language: got %v, want an error naming language", err)
	}
}

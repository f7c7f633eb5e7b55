package story_test

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/story"
)

const personasBot = `settings:
  personas:
    - {name: pirate, title: Pirate, description: Talks like a pirate., instructions: Arr and matey.}
    - {name: formal, title: Formal}
stories:
  - name: Main
    interactions:
      - name: Welcome
        role: start
        responses:
          - text: [Hi!, Hello!]
            personas: {pirate: "Ahoy, {{default_name|matey}}!", formal: [Good day., Greetings.]}
      - name: Pirate
        says: [talk like a pirate]
        responses: [{persona: pirate}, {text: Aye., personas: {pirate: Aye aye!}}]
      - name: Plain
        says: [talk normally]
        responses: [{persona: default}, {text: Fine.}]
      - {name: Fallback, role: else, responses: [{text: what}]}
`

// TestPersonas loads the personas of the settings, the variants text
// responses give for them and the persona actions.
func TestPersonas(t *testing.T) {
	b, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(personasBot)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pos := func(line, col int) story.Pos { return story.Pos{File: "bot.yaml", Line: line, Col: col} }
	if want := []story.Persona{
		{Name: "pirate", Title: "Pirate", Description: "Talks like a pirate.", Instructions: "Arr and matey.", Pos: pos(3, 7)},
		{Name: "formal", Title: "Formal", Pos: pos(4, 7)},
	}; !reflect.DeepEqual(b.Settings.Personas, want) {
		t.Errorf("Personas:\n got %+v\nwant %+v", b.Settings.Personas, want)
	}
	s := b.Stories[0]
	welcome := s.Welcome.Responses[0]
	if len(welcome.Text) != 2 || len(welcome.Personas["pirate"]) != 1 || len(welcome.Personas["formal"]) != 2 {
		t.Errorf("welcome's variants: got %d, %v", len(welcome.Text), welcome.Personas)
	}
	if got := welcome.Personas["pirate"][0].Render(func(string) (string, bool) { return "", false }); got != "Ahoy, matey!" {
		t.Errorf("pirate variant: got %q", got)
	}
	if r := s.InteractionByName("Pirate").Responses[0]; r.Kind != story.KindPersona || r.Persona != "pirate" || r.Kind.String() != "persona" {
		t.Errorf("persona action: got %+v", r)
	}
	if r := s.InteractionByName("Plain").Responses[0]; r.Persona != story.DefaultPersona {
		t.Errorf("default persona action: got %+v", r)
	}
}

// TestPersonaErrors refuses bad personas with the position and the rule.
func TestPersonaErrors(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{"{name: formal, title: Formal}", "{name: formal}", "bot.yaml:4:7: persona needs a title"},
		{"{name: formal, title: Formal}", "{name: pirate, title: Again}", `bot.yaml:4:7: persona "pirate" is declared twice`},
		{"{name: formal, title: Formal}", "{name: default, title: Mine}", `persona name "default" is kept for the bot's own style`},
		{"{name: formal, title: Formal}", "{name: two words, title: X}", `persona name "two words" may contain only letters, digits`},
		{"{name: formal, title: Formal}", "{name: formal, title: Formal, tone: dry}", `unknown field "tone" in persona`},
		{"{persona: pirate}", "{persona: ninja}", `bot.yaml:15:31: persona "ninja" is not declared under settings personas`},
		{"formal: [Good day., Greetings.]", "ninja: Hi.", `persona "ninja" is not declared under settings personas`},
		{"{text: Aye., personas: {pirate: Aye aye!}}", "{image: \"https://x/y.png\", personas: {pirate: Aye aye!}}", "personas gives variants of a text response; this response is image"},
		{"personas: {pirate: Aye aye!}", "personas: [pirate]", "personas must be a mapping of persona names to texts"},
		{`{pirate: "Ahoy, {{default_name|matey}}!"`, `{pirate: "Ahoy, {{nobody}}!"`, "{{nobody}} names nothing that can exist"},
	} {
		src := strings.Replace(personasBot, c.from, c.to, 1)
		if src == personasBot {
			t.Fatalf("%s: not found in the bot", c.from)
		}
		_, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(src)}}, "bot.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.to, err, c.want)
		}
	}
}

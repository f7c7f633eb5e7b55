package story_test

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/story"
)

const promptsBot = `settings:
  title: Coffee kiosk
  description: Orders coffee.
  quick_prompts:
    - {title: Menu, description: "What is on the menu?"}
    - {title: Hours, description: "When are you open?", link: "https://example.com/hours"}
  follow_up_prompts:
    - {title: Thanks, description: Thank you}
    - {title: Talk to a person, description: I want a person, escalation: true}
stories:
  - name: Main
    interactions:
      - {name: Welcome, role: start, responses: [{text: hi}]}
      - {name: Fallback, role: else, responses: [{text: what}]}
`

// TestPrompts loads a bot's title, description, quick prompts and
// follow-up prompts from its settings, with their positions.
func TestPrompts(t *testing.T) {
	b, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(promptsBot)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := b.Settings
	if s.Title != "Coffee kiosk" || s.Description != "Orders coffee." {
		t.Errorf("title, description: %q, %q", s.Title, s.Description)
	}
	pos := func(line, col int) story.Pos { return story.Pos{File: "bot.yaml", Line: line, Col: col} }
	if want := []story.Prompt{
		{Title: "Menu", Description: "What is on the menu?", Pos: pos(5, 7)},
		{Title: "Hours", Description: "When are you open?", Link: "https://example.com/hours", Pos: pos(6, 7)},
	}; !reflect.DeepEqual(s.QuickPrompts, want) {
		t.Errorf("QuickPrompts:\n got %+v\nwant %+v", s.QuickPrompts, want)
	}
	if want := []story.Prompt{
		{Title: "Thanks", Description: "Thank you", Pos: pos(8, 7)},
		{Title: "Talk to a person", Description: "I want a person", Escalation: true, Pos: pos(9, 7)},
	}; !reflect.DeepEqual(s.FollowUpPrompts, want) {
		t.Errorf("FollowUpPrompts:\n got %+v\nwant %+v", s.FollowUpPrompts, want)
	}
}

// TestPromptErrors refuses bad prompts with the position and the rule.
func TestPromptErrors(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{`{title: Menu, description: "What is on the menu?"}`, "{title: Menu}", "bot.yaml:5:7: quick prompt needs a description"},
		{`{title: Menu, description: "What is on the menu?"}`, "{title: Menu, description: x, escalation: true}", `unknown field "escalation" in quick prompt`},
		{`link: "https://example.com/hours"`, `link: "ftp://x"`, `quick prompt link "ftp://x" is not an http or https URL`},
		{"escalation: true", "escalation: yes please", "follow-up prompt escalation must be true or false"},
		{"title: Thanks,", `title: "",`, "follow-up prompt title must not be empty"},
		{"title: Coffee kiosk", "title: [a]", "title must be a string"},
	} {
		src := strings.Replace(promptsBot, c.from, c.to, 1)
		_, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(src)}}, "bot.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.to, err, c.want)
		}
	}
}

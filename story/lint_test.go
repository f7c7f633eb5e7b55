package story_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/story"
)

func TestLint(t *testing.T) {
	b := loadTB(t, fstest.MapFS{"bot.yaml": {Data: []byte(`
attributes: [plan]
stories:
  - name: S
    interactions:
      - {name: W, role: start, responses: [{text: Hi, filter: 'session.mood == "ok"'}]}
      - name: A
        says: [open the door, Close it]
        condition: 'user.plan == "gold" && user["tier"] == "x" && user.default_name != ""'
        responses: [{webhook: open}, {quick_replies: {title: Go, buttons: [{title: b, goto: B}]}}]
      - {name: B, says: ["close   IT", The  weather]}
      - {name: Lost}
      - {name: Set, says: [set it], responses: [{set: {session: {mood: ok}}}]}
      - {name: E, role: else, says: [the weather]}
`)}}, "bot.yaml")
	var got []string
	for _, w := range story.Lint(b, story.LintOptions{Webhooks: []string{"close"}}) {
		got = append(got, w.Error())
	}
	want := []string{
		`bot.yaml:4:5: story "S": 3 interaction(s) with 1.7 phrases each on average, matched at the default confidence 0.5`,
		`bot.yaml:7:9: interaction "A": its condition reads user.tier, which nothing sets`,
		`bot.yaml:10:21: interaction "A" calls webhook open, which the host does not register (close)`,
		`bot.yaml:11:9: interaction "B": the phrase "close   IT" is also a phrase of "A" (bot.yaml:7)`,
		`bot.yaml:11:9: interaction "B": the phrase "The  weather" is also an out-of-scope example of the fallback "E"`,
		`bot.yaml:12:9: interaction "Lost": nothing in the bot reaches it`,
	}
	if len(got) != len(want) {
		t.Fatalf("got %d warnings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("warning %d: got %s\nwant %s...", i, got[i], want[i])
		}
	}
	if ws := story.Lint(b, story.LintOptions{}); len(ws) != 5 {
		t.Errorf("without webhooks: got %d warnings, want 5 (webhooks unchecked)", len(ws))
	}
}

// TestLintWebhookURLs warns about a URL under settings webhooks that no
// webhook action calls, or that the host's function overrides, and counts
// a webhook with a URL as fulfilled.
func TestLintWebhookURLs(t *testing.T) {
	b := loadTB(t, fstest.MapFS{"bot.yaml": {Data: []byte(`settings:
  confidence: 0.6
  webhooks:
    stock: https://shop.example/stock
    stcok: https://shop.example/stock
    brew: {url: "https://kitchen.example/brew"}
stories:
  - name: S
    interactions:
      - {name: W, role: start, responses: [{webhook: stock}, {webhook: brew}, {webhook: pay}]}
      - {name: E, role: else}
`)}}, "bot.yaml")
	var got []string
	for _, w := range story.Lint(b, story.LintOptions{Webhooks: []string{"brew"}}) {
		got = append(got, w.Error())
	}
	want := []string{
		`bot.yaml:5:5: webhook stcok has a URL under settings webhooks, but no webhook action calls it (the bot calls: brew, pay, stock)`,
		`bot.yaml:6:5: webhook brew has a URL under settings webhooks, but the host registers it: the host's function answers, never the URL`,
		`bot.yaml:10:79: interaction "W" calls webhook pay, which the host does not register (brew): the bot skips it`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLintSmallStoryPerLanguage counts a story's size in each language
// apart, as each language's matcher learns it: ten phrases an interaction
// over three languages are three small bots, not one of ten; an
// interaction with no phrase in a language lends its default-language ones.
func TestLintSmallStoryPerLanguage(t *testing.T) {
	var src strings.Builder
	src.WriteString("settings: {language: english, languages: [de, italian]}\nstories:\n  - name: S\n    interactions:\n      - {name: W, role: start}\n      - {name: E, role: else}\n")
	for _, name := range []string{"Order", "Prices"} {
		src.WriteString("      - name: " + name + "\n        says:\n          english: [")
		for i := range 10 {
			src.WriteString(fmt.Sprintf("%s%s %d, ", name, " phrase", i))
		}
		src.WriteString("]\n          german: [" + name + " eins, " + name + " zwei, " + name + " drei, " + name + " vier]\n")
	}
	src.WriteString("      - {name: Help, says: {italian: [aiuto, aiutami, ho bisogno di aiuto, cosa sai fare, come funziona]}}\n")
	b := loadTB(t, fstest.MapFS{"bot.yaml": {Data: []byte(src.String())}}, "bot.yaml")
	var got []string
	for _, w := range story.Lint(b, story.LintOptions{}) {
		got = append(got, w.Error())
	}
	// english: Order and Prices (10 each) and Help lending nothing: 2 × 10;
	// german: 2 × 4; italian: Order and Prices lend their 10 english
	// phrases, Help has 5: 3 × 8.3.
	want := []string{
		`bot.yaml:3:5: story "S": 2 interaction(s) with 4.0 phrases each on average in german, matched at the default confidence 0.5`,
		`bot.yaml:3:5: story "S": 3 interaction(s) with 8.3 phrases each on average in italian, matched at the default confidence 0.5`,
	}
	if len(got) != len(want) {
		t.Fatalf("got %d warnings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("warning %d: got %s\nwant %s...", i, got[i], want[i])
		}
	}
}

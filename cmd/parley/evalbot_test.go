package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// sharedBot has a phrase two interactions share, a fallback with
// out-of-scope phrases, and enough phrases for a 3-fold cross-validation.
const sharedBot = `stories:
  - name: Shop
    interactions:
      - {name: Welcome, role: start, responses: [{text: Hi}]}
      - name: Order
        says: [i want to order, place an order, buy something, help me, i would like to buy, order please]
        responses: [{text: OK}]
      - name: Hours
        says: [when are you open, opening hours, are you open today, help me, what time do you close, open on sunday]
        responses: [{text: "9 to 5"}]
      - name: Fallback
        role: else
        says: [tell me a joke, what is the weather]
        responses: [{text: Sorry}]
`

func TestEvalBot(t *testing.T) {
	dir := t.TempDir()
	bot := filepath.Join(dir, "bot.yaml")
	writeFile(t, bot, sharedBot)
	msgs := filepath.Join(dir, "messages.tsv")
	writeFile(t, msgs, "# message, tab, interaction\ni'd like to order something\tOrder\nare you open on monday\tHours\nwho won the game\tfallback\n")
	code, out, errs := parley(t, []string{"eval", "-bot", bot, "-cv", "3", "-messages", msgs})
	if code != 0 {
		t.Fatalf("exit code %d, stderr %s", code, errs)
	}
	for _, want := range []string{
		"bot.yaml: 1 story, 4 interactions, 14 phrases, 0 entities, confidence 0.50, language english",
		`  "help me": Order, Hours`,
		"cross-validation (3 folds",
		"  in scope: 12 messages, ",
		"  out of scope: 2 messages, ",
		"  suggested confidence: ",
		"messages of " + msgs,
		"  in scope: 2 messages, ",
		"  out of scope: 1 messages, ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, `"help me" (`) {
		t.Errorf("output does not list the shared phrase as answered wrong:\n%s", out)
	}

	t.Run("ErrUnknownInteraction", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.tsv")
		writeFile(t, bad, "hello\tGreeting\n")
		code, _, errs := parley(t, []string{"eval", "-bot", bot, "-messages", bad})
		if code != 1 || !strings.Contains(errs, `bad.tsv:1: the bot has no interaction "Greeting"`) {
			t.Errorf("got %d %q, want 1 and an error naming the line", code, errs)
		}
	})
	t.Run("ErrNoTab", func(t *testing.T) {
		bad := filepath.Join(dir, "notab.tsv")
		writeFile(t, bad, "hello Order\n")
		if code, _, errs := parley(t, []string{"eval", "-bot", bot, "-messages", bad}); code != 1 || !strings.Contains(errs, "notab.tsv:1: want a message, a tab and an interaction name") {
			t.Errorf("got %d %q", code, errs)
		}
	})
	t.Run("ErrBadBot", func(t *testing.T) {
		if code, _, _ := parley(t, []string{"eval", "-bot", filepath.Join(dir, "nope.yaml")}); code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
	})
}

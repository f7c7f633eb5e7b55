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
		"  out of scope: 1 message, ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, `"help me" (`) {
		t.Errorf("output does not list the shared phrase as answered wrong:\n%s", out)
	}

	t.Run("NoOutOfScope", func(t *testing.T) {
		// Without out-of-scope messages nothing weighs refusals: no
		// confidence is suggested, however much lower ones score.
		plain := filepath.Join(dir, "plain.yaml")
		writeFile(t, plain, strings.Replace(sharedBot, "        says: [tell me a joke, what is the weather]\n", "", 1))
		code, out, errs := parley(t, []string{"eval", "-bot", plain, "-cv", "3"})
		if code != 0 {
			t.Fatalf("exit code %d, stderr %s", code, errs)
		}
		if want := "  suggested confidence: none without out-of-scope messages"; !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	})
	t.Run("ErrUnknownInteraction", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.tsv")
		writeFile(t, bad, "hello\tGreeting\n")
		code, out, errs := parley(t, []string{"eval", "-bot", bot, "-messages", bad})
		if code != 1 || !strings.Contains(errs, `bad.tsv:1: the bot has no interaction "Greeting"`) {
			t.Errorf("got %d %q, want 1 and an error naming the line", code, errs)
		}
		// The file is read before the cross-validation runs.
		if out != "" {
			t.Errorf("stdout %q, want nothing", out)
		}
	})
	t.Run("ErrNoTab", func(t *testing.T) {
		bad := filepath.Join(dir, "notab.tsv")
		writeFile(t, bad, "hello Order\n")
		if code, _, errs := parley(t, []string{"eval", "-bot", bot, "-messages", bad}); code != 1 || !strings.Contains(errs, "notab.tsv:1: want a message, a tab and an interaction name") {
			t.Errorf("got %d %q", code, errs)
		}
	})
	t.Run("DefaultStory", func(t *testing.T) {
		// The default story answers the messages, so their names are
		// its interactions', though another story has one of that name.
		two := filepath.Join(dir, "two.yaml")
		writeFile(t, two, "settings: {default_story: Shop}\n"+strings.Replace(sharedBot, "stories:\n", `stories:
  - name: Other
    interactions:
      - {name: Welcome, role: start, responses: [{text: Hi}]}
      - {name: Hours, says: [when does the museum open, museum hours], responses: [{text: "10 to 6"}]}
      - {name: Tickets, says: [buy a ticket, museum hours], responses: [{text: "5 euros"}]}
      - {name: Fallback, role: else, responses: [{text: Sorry}]}
`, 1))
		hours := filepath.Join(dir, "hours.tsv")
		writeFile(t, hours, "when are you open\tHours\n")
		code, out, errs := parley(t, []string{"eval", "-bot", two, "-cv", "3", "-messages", hours})
		if want := "answered by the default story:\n  in scope: 1 message, 100.0 % answered right"; code != 0 || !strings.Contains(out, want) {
			t.Errorf("got %d %q %q, want %q", code, out, errs, want)
		}
		// An interaction's name says its story when another story has
		// one of that name.
		if want := `"museum hours": Hours (story "Other"), Tickets`; !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	})
	t.Run("ErrBadBot", func(t *testing.T) {
		if code, _, _ := parley(t, []string{"eval", "-bot", filepath.Join(dir, "nope.yaml")}); code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
	})
}

// multilingualEvalBot speaks English and German; Cake has English phrases
// only, which its German matcher borrows.
const multilingualEvalBot = `settings: {language: english, languages: [german]}
stories:
  - name: Bakery
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hello!"}]}
      - name: Rolls
        says:
          english: [i would like some rolls, can i have bread rolls, rolls please, two rolls for me, do you sell rolls, some bread rolls]
          german: [ich möchte Brötchen, Brötchen bitte, kann ich Brötchen haben, zwei Brötchen für mich, verkaufen Sie Brötchen, ein paar Brötchen]
        responses: [{text: "OK"}]
      - name: Hours
        says:
          english: [when are you open, opening hours, are you open today, what time do you close, open on sunday, until when are you open]
          german: [wann haben Sie geöffnet, Öffnungszeiten, haben Sie heute offen, wann schließen Sie, am Sonntag geöffnet, bis wann haben Sie offen]
        responses: [{text: "7 to 18"}]
      - name: Cake
        says: [do you have cake, a piece of cake, cheesecake please, which cakes do you sell, i want a cake, birthday cake]
        responses: [{text: "Yes"}]
      - name: Else
        role: else
        says:
          english: [what's the weather, tell me a joke]
          german: [wie ist das Wetter, erzähl mir einen Witz]
        responses: [{text: "Sorry?"}]
`

// TestEvalBotLanguages cross-validates each language's phrases with the
// matcher of that language, each phrase once: the English phrases the
// German matcher borrows are not tested again in German. Messages are
// answered in the language their third column names.
func TestEvalBotLanguages(t *testing.T) {
	dir := t.TempDir()
	bot := filepath.Join(dir, "bot.yaml")
	writeFile(t, bot, multilingualEvalBot)
	msgs := filepath.Join(dir, "messages.tsv")
	writeFile(t, msgs, "when do you open tomorrow\tHours\nwann öffnen Sie morgen\tHours\tde\nzwei Brötchen bitte\tRolls\tgerman\n")
	code, out, errs := parley(t, []string{"eval", "-bot", bot, "-cv", "3", "-messages", msgs})
	if code != 0 {
		t.Fatalf("exit code %d, stderr %s", code, errs)
	}
	for _, want := range []string{
		"bot.yaml: 1 story, 5 interactions, 34 phrases, 0 entities, confidence 0.50, languages english, german\n",
		"  in scope: 30 messages, ",
		"  out of scope: 4 messages, ",
		"    english: 18 in scope, ",
		"    german: 12 in scope, ",
		"messages of " + msgs + ", answered by the default story:\n  in scope: 3 messages, 100.0 % answered right",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	t.Run("ErrUnknownLanguage", func(t *testing.T) {
		bad := filepath.Join(dir, "french.tsv")
		writeFile(t, bad, "deux petits pains\tRolls\tfr\n")
		code, _, errs := parley(t, []string{"eval", "-bot", bot, "-messages", bad})
		if want := `french.tsv:1: the bot does not speak "fr" (it speaks english, german)`; code != 1 || !strings.Contains(errs, want) {
			t.Errorf("got %d %q, want 1 and %q", code, errs, want)
		}
	})
}

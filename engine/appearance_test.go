package engine_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

const looksBot = `settings:
  title: Coffee kiosk
  appearance: {welcome_message: Hello!, brand_color: "#6b3a1f", localization: {send: Go}}
stories:
  - name: Main
    interactions:
      - {name: Welcome, role: start, responses: [{text: Hi}]}
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
`

// TestUpdateAppearance: edits layer over the bot file's appearance until
// the bot reloads; a bad field changes nothing.
func TestUpdateAppearance(t *testing.T) {
	env := newBotEngine(t, looksBot)
	e := env.e
	if a := e.Appearance(); a.Title != "Coffee kiosk" || a.WelcomeMessage != "Hello!" || a.Localization["send"] != "Go" {
		t.Fatalf("before: %+v", a)
	}
	title, color, rtl := "Café", "#064e3b", true
	got, err := e.UpdateAppearance(engine.AppearanceUpdate{Title: &title, BrandColor: &color, RTL: &rtl,
		Localization: map[string]string{"send": "Envoyer"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Café" || got.BrandColor != "#064e3b" || !got.RTL || got.WelcomeMessage != "Hello!" || got.Localization["send"] != "Envoyer" {
		t.Errorf("after: %+v", got)
	}
	got.Localization["send"] = "changed by the caller"
	if a := e.Appearance(); a.Localization["send"] != "Envoyer" || a.BrandColor != "#064e3b" {
		t.Errorf("read back: %+v", a)
	}

	for name, u := range map[string]engine.AppearanceUpdate{
		"brandColor":        {BrandColor: ptr("blue")},
		"locale":            {Title: &title, Locale: ptr("not a tag")},
		"localization":      {Localization: map[string]string{"two words": "x"}},
		"localization.send": {Localization: map[string]string{"send": ""}},
	} {
		_, err := e.UpdateAppearance(u)
		var fe *store.FieldError
		if !errors.As(err, &fe) || fe.Field != name || !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: got %v, want a FieldError naming it", name, err)
		}
	}
	if a := e.Appearance(); a.Locale != "" || a.Localization["send"] != "Envoyer" {
		t.Errorf("a refused update changed %+v", a)
	}

	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(looksBot)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Reload(bot); err != nil {
		t.Fatal(err)
	}
	if a := e.Appearance(); a.Title != "Coffee kiosk" || a.BrandColor != "#6b3a1f" || a.RTL {
		t.Errorf("after a reload: %+v, want the bot file's", a)
	}
}

func ptr(s string) *string { return &s }

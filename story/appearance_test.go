package story_test

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/story"
)

const appearanceBot = `
settings:
  appearance: %s
stories:
  - name: Main
    interactions:
      - {name: Welcome, role: start, responses: [{text: hi}]}
      - {name: Fallback, role: else, responses: [{text: what}]}
`

func loadAppearance(t *testing.T, a string) (*story.Bot, error) {
	t.Helper()
	src := strings.Replace(appearanceBot, "%s", a, 1)
	return story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(src)}}, "bot.yaml")
}

func TestAppearance(t *testing.T) {
	b, err := loadAppearance(t, `{welcome_message: "Marhaba!", placeholder_text: "Ask me", brand_color: "#6F4E37", brand_text_color: "#fff",
    rtl: true, locale: ar-EG, localization: {send: أرسل, startOver: ابدأ من جديد}}`)
	if err != nil {
		t.Fatal(err)
	}
	want := story.Appearance{WelcomeMessage: "Marhaba!", PlaceholderText: "Ask me", BrandColor: "#6F4E37", BrandTextColor: "#fff",
		RTL: true, Locale: "ar-EG", Localization: map[string]string{"send": "أرسل", "startOver": "ابدأ من جديد"}}
	if got := b.Settings.Appearance; !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestAppearanceErrors(t *testing.T) {
	for _, c := range []struct{ name, appearance, want string }{
		{"Colour", `{brand_color: blue}`, `bot.yaml:3:29: appearance brand_color "blue" is not a colour such as #1d4ed8 or #fff`},
		{"ShortColour", `{brand_text_color: "#ffff"}`, `appearance brand_text_color "#ffff" is not a colour`},
		{"Locale", `{locale: "en_GB"}`, `appearance locale "en_GB" is not a language tag such as fr or pt-BR`},
		{"RTL", `{rtl: yes please}`, `appearance rtl must be true or false`},
		{"Empty", `{welcome_message: ""}`, `appearance welcome_message must not be empty`},
		{"Long", `{placeholder_text: ` + strings.Repeat("x", 501) + `}`, `appearance placeholder_text is 501 characters long, more than 500`},
		{"Unknown", `{colour: "#fff"}`, `unknown field "colour" in appearance`},
		{"WordsList", `{localization: [send]}`, `appearance localization must be a mapping of words by key`},
		{"WordKey", `{localization: {"send it": Go}}`, `appearance localization key "send it" is not a word's key`},
		{"WordEmpty", `{localization: {send: ""}}`, `appearance localization send must not be empty`},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := loadAppearance(t, c.appearance)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, %v; want an error containing %q", b, err, c.want)
			}
		})
	}
}

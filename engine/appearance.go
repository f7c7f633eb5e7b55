package engine

import (
	"fmt"
	"maps"
	"sync"
	"unicode/utf8"

	"github.com/parleybot/parley/story"
)

// Appearance is what a chat page shows of the bot: its title and the bot
// file's appearance (story.Settings), with the edits of UpdateAppearance
// over them.
type Appearance struct {
	// Title is the bot's title, "" when neither the bot file nor an edit
	// gives one (a host then shows its own name for the bot).
	Title string
	story.Appearance
}

// AppearanceUpdate changes the appearance: each field that is not nil
// replaces the current one ("" clears a text or a colour, so that a page
// shows its default), and Localization, when not nil, replaces every
// word. The limits are the bot file's: texts up to story.MaxPromptLen
// characters, colours "#rgb" or "#rrggbb", a language tag, at most
// story.MaxWords words.
type AppearanceUpdate struct {
	Title, WelcomeMessage, PlaceholderText *string
	BrandColor, BrandTextColor, Locale     *string
	RTL                                    *bool
	Localization                           map[string]string
}

// appearance is the edited appearance, for this process and bot.
type appearance struct {
	mu  sync.Mutex
	bot *story.Bot // the bot the edits apply to
	cur Appearance
}

// Appearance returns what a chat page shows of the bot now.
func (e *Engine) Appearance() Appearance {
	b := e.Bot()
	a := &e.looks
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.bot == b {
		out := a.cur
		out.Localization = maps.Clone(out.Localization)
		return out
	}
	out := Appearance{Title: b.Settings.Title, Appearance: b.Settings.Appearance}
	out.Localization = maps.Clone(out.Localization)
	return out
}

// UpdateAppearance changes the appearance chat pages show (SiteGPT's
// "Update Chatbot Appearance"); a page reads it when it loads. Like
// prompts, the edits live in this engine's memory until the bot is
// reloaded or the process restarts: the bot file is the source. A field
// that breaks a limit is a *store.FieldError naming it, and nothing
// changes.
func (e *Engine) UpdateAppearance(u AppearanceUpdate) (Appearance, error) {
	if err := u.check(); err != nil {
		return Appearance{}, err
	}
	b := e.Bot()
	a := &e.looks
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.bot != b {
		a.bot = b
		a.cur = Appearance{Title: b.Settings.Title, Appearance: b.Settings.Appearance}
	}
	c := &a.cur
	for _, f := range []struct{ to, from *string }{
		{&c.Title, u.Title}, {&c.WelcomeMessage, u.WelcomeMessage}, {&c.PlaceholderText, u.PlaceholderText},
		{&c.BrandColor, u.BrandColor}, {&c.BrandTextColor, u.BrandTextColor}, {&c.Locale, u.Locale},
	} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if u.RTL != nil {
		c.RTL = *u.RTL
	}
	if u.Localization != nil {
		c.Localization = maps.Clone(u.Localization)
	}
	out := *c
	out.Localization = maps.Clone(out.Localization)
	return out, nil
}

func (u *AppearanceUpdate) check() error {
	texts := []struct {
		field string
		s     *string
		valid func(string) bool
		rule  string
	}{
		{"title", u.Title, nil, ""},
		{"welcomeMessage", u.WelcomeMessage, nil, ""},
		{"placeholderText", u.PlaceholderText, nil, ""},
		{"brandColor", u.BrandColor, story.ValidColor, "must be a colour such as #1d4ed8 or #fff"},
		{"brandTextColor", u.BrandTextColor, story.ValidColor, "must be a colour such as #ffffff or #000"},
		{"locale", u.Locale, story.ValidLocale, "must be a language tag such as fr or pt-BR"},
	}
	for _, f := range texts {
		if f.s == nil || *f.s == "" {
			continue
		}
		if utf8.RuneCountInString(*f.s) > story.MaxPromptLen {
			return invalid(f.field, fmt.Sprintf("must be 0 to %d characters", story.MaxPromptLen))
		}
		if f.valid != nil && !f.valid(*f.s) {
			return invalid(f.field, f.rule)
		}
	}
	if len(u.Localization) > story.MaxWords {
		return invalid("localization", fmt.Sprintf("must be at most %d words", story.MaxWords))
	}
	for k, w := range u.Localization {
		field := "localization." + k
		if !story.ValidWordKey(k) {
			return invalid("localization", fmt.Sprintf("key %q must be a word's key such as send or startOver", k))
		}
		if n := utf8.RuneCountInString(w); n < 1 || n > story.MaxPromptLen {
			return invalid(field, fmt.Sprintf("must be 1 to %d characters", story.MaxPromptLen))
		}
	}
	return nil
}

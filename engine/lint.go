package engine

import (
	"cmp"
	"fmt"
	"log/slog"

	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/story"
)

// Lint returns the warnings about bot that only the engine can give, as
// [story.Lint] gives the others (parley check prints both). Each is a
// *[story.Error] at the position of the interaction concerned, in file
// order:
//
//   - a value marked in a training phrase that its parameter's entity does
//     not read, in the phrase's language: "a [grande](size) latte" when
//     the entity size has no value or synonym "grande". The phrase trains
//     on the entity in place of the value, which a message saying "grande"
//     does not give, and no message fills the parameter with it; the fix
//     is to add the value (or the synonym) to the entity. Marks of
//     parameters of sys.any, sys.alphanumeric and yes or no, whose words
//     train as written, are not checked.
//   - a bot that gives no language (settings.language) whose phrases in
//     its default language are clearly in another: [nlu.DetectLanguage]
//     names one with a confidence of [nlu.DetectConfidence] or more, or,
//     undecided between two languages that are both not the default (a
//     small bot's Spanish, whose function words are Catalan's too), finds
//     8 or more function words of the likelier one. Such
//     phrases are matched as English is, with English stemming, numbers
//     and yes or no, and English word vectors, which read few of their
//     words. The warning is given once, at the story with the most of
//     those phrases, and names the language, how sure the detection is
//     and what it rests on, and the setting to add ("settings: language:
//     spanish"). The engine does not use the detected language by itself:
//     a bot's default language decides how every message is read, and
//     so must not change because phrases were added or edited; a bot
//     that declares none is English until its author says otherwise.
//
// An entity that New refuses is not checked here: New reports it.
func Lint(bot *story.Bot) []*story.Error {
	if bot == nil {
		return nil
	}
	def := cmp.Or(bot.Settings.Language, story.DefaultLanguage)
	quiet := slog.New(slog.DiscardHandler)
	byLang := map[string]map[string]nlu.Extractor{}
	extract := func(lang string) map[string]nlu.Extractor {
		if x, ok := byLang[lang]; ok {
			return x
		}
		x, _ := extractors(bot, lang, def, quiet) // New reports what fails
		byLang[lang] = x
		return x
	}
	var out []*story.Error
	if w := languageWarning(bot); w != nil {
		out = append(out, w)
	}
	for _, s := range bot.Stories {
		for _, in := range s.Interactions {
			for _, ph := range in.Phrases {
				for _, mk := range ph.Marks {
					p := target(in).Parameter(mk.Parameter)
					if p == nil || !classEntity(p) {
						continue
					}
					x := extract(cmp.Or(ph.Language, def))[p.Entity]
					value := ph.Text[mk.Start:mk.End]
					if x == nil || len(x.Extract(value)) > 0 {
						continue
					}
					fix := fmt.Sprintf("add it to the values or synonyms of entity %q", p.Entity)
					if p.System != "" {
						fix = fmt.Sprintf("mark a %s there, or give the parameter a custom entity", p.Entity)
					}
					out = append(out, &story.Error{File: in.Pos.File, Line: in.Pos.Line, Col: in.Pos.Col,
						Msg: fmt.Sprintf("interaction %q: says %q: [%s](%s) is not a value of %s, so no message fills %s with it and a message saying it matches this phrase less well; %s",
							in.Name, ph.Text, value, mk.Parameter, p.Entity, mk.Parameter, fix)})
				}
			}
		}
	}
	return out
}

// languageWarning is Lint's warning about a bot that gives no language
// and whose default-language phrases are clearly in another one, or nil.
func languageWarning(bot *story.Bot) *story.Error {
	if bot.Settings.LanguageGiven {
		return nil
	}
	def := bot.Settings.Language
	var texts []string
	var most *story.Story
	mostN := 0
	for _, s := range bot.Stories {
		n := 0
		for _, in := range s.Interactions {
			for _, ph := range in.Phrases {
				if ph.Language == "" || ph.Language == def {
					texts = append(texts, ph.Text)
					n++
				}
			}
		}
		if n > mostN {
			most, mostN = s, n
		}
	}
	d := nlu.DetectLanguage(texts...)
	at := func(msg string, args ...any) *story.Error {
		return &story.Error{File: most.Pos.File, Line: most.Pos.Line, Col: most.Pos.Col,
			Msg: fmt.Sprintf("story %q: the bot gives no language, so its phrases are matched as %s, but ", most.Name, def) + fmt.Sprintf(msg, args...)}
	}
	switch {
	case d.Language != "" && d.Language != def:
		return at("they read as %s (%v); if they are, add language: %s under settings (settings: {language: %s})",
			d.Language, d, d.Language, d.Language)
	case d.Language == "" && d.Hits >= notDefaultHits && d.Best != def && d.Next != def:
		// Undecided between two languages that are both not the default
		// (Spanish or Catalan), or too little text in a script of one
		// language (Japanese): the phrases are still clearly not in it.
		likely := d.Best
		if d.Next != "" {
			likely += ", or " + d.Next
		}
		return at("they do not read as %s: most likely %s (%v); add the language they are in under settings (settings: {language: %s})",
			def, likely, d, d.Best)
	}
	return nil
}

// notDefaultHits is how many function words of two other languages a
// bot's phrases need, with neither language named, for Lint to say that
// they are not in the default language.
const notDefaultHits = 8

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

package engine

import (
	"cmp"
	"log/slog"

	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/story"
)

// A TrainingSet is what [New] trains one story's matcher in one language
// on: the examples (labelled with interaction ids, or [nlu.OutOfScope] for
// the phrases of fallbacks) and the options. Borrowed marks, index for
// index, the examples of interactions with no phrases in Language, which
// the matcher learns from the default language's: a cross-validation tests
// them in the default language's set only.
type TrainingSet struct {
	Story    *story.Story
	Language string
	Examples []nlu.Example
	Borrowed []bool
	Options  []nlu.Option
}

// TrainingSets returns the training set of each story of the bot, in each
// of its languages, that has phrases, as New builds them, for tools that
// evaluate a bot (parley eval -bot cross-validates them). The default
// language's sets come first.
func TrainingSets(b *story.Bot) ([]TrainingSet, error) {
	def := languages(b)[0]
	var sets []TrainingSet
	for _, lang := range languages(b) {
		extract, err := extractors(b, lang, def, slog.New(slog.DiscardHandler))
		if err != nil {
			return nil, err
		}
		for _, s := range b.Stories {
			ents := storyEntities(s, extract)
			exs, borrowed := examplesIn(s.Interactions, ents, lang, def)
			if len(exs) == 0 {
				continue
			}
			sets = append(sets, TrainingSet{Story: s, Language: lang, Examples: exs, Borrowed: borrowed, Options: []nlu.Option{nlu.WithLanguage(lang), nlu.WithEntities(ents)}})
		}
	}
	return sets, nil
}

// interactionExamples returns the examples of some interactions of a story
// whose entities are ents, for its matcher in lang (def the default).
func interactionExamples(ins []*story.Interaction, ents map[string]nlu.Extractor, lang, def string) []nlu.Example {
	exs, _ := examplesIn(ins, ents, lang, def)
	return exs
}

// examplesIn is interactionExamples, with whether each example is borrowed
// from the default language.
func examplesIn(ins []*story.Interaction, ents map[string]nlu.Extractor, lang, def string) (examples []nlu.Example, borrowed []bool) {
	for _, in := range ins {
		// An interaction with no phrases in lang matches on those of the
		// default language.
		phraseLang := def
		for _, p := range in.Phrases {
			if cmp.Or(p.Language, def) == lang {
				phraseLang = lang
				break
			}
		}
		for _, p := range in.Phrases {
			if cmp.Or(p.Language, def) != phraseLang {
				continue
			}
			label := in.ID
			if in.Role == story.RoleElse {
				if p.Keyword {
					continue
				}
				label = nlu.OutOfScope
			}
			ex := nlu.Example{Label: label, Text: p.Text, Keyword: p.Keyword}
			if label != nlu.OutOfScope {
				ex.Marks = phraseMarks(in, p, ents)
			}
			examples = append(examples, ex)
			borrowed = append(borrowed, phraseLang != lang)
		}
		if matchable(in) {
			if ex, ok := evidence(in, ents); ok {
				examples = append(examples, ex)
				borrowed = append(borrowed, phraseLang != lang)
			}
		}
	}
	return examples, borrowed
}

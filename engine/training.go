package engine

import (
	"cmp"
	"log/slog"

	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/story"
)

// A TrainingSet is what [New] trains one story's matcher in one language
// on: the examples (labelled with interaction ids, or [nlu.OutOfScope] for
// the phrases of fallbacks) and the options.
type TrainingSet struct {
	Story    *story.Story
	Language string
	Examples []nlu.Example
	Options  []nlu.Option
}

// TrainingSets returns the training set of each story of the bot, in each
// of its languages, that has phrases, as New builds them, for tools that
// evaluate a bot (parley eval -bot cross-validates them).
func TrainingSets(b *story.Bot) ([]TrainingSet, error) {
	def := languages(b)[0]
	var sets []TrainingSet
	for _, lang := range languages(b) {
		extract, err := extractors(b, lang, def, slog.New(slog.DiscardHandler))
		if err != nil {
			return nil, err
		}
		for _, s := range b.Stories {
			exs, ents := storyExamples(s, extract, lang, def)
			if len(exs) == 0 {
				continue
			}
			sets = append(sets, TrainingSet{Story: s, Language: lang, Examples: exs, Options: []nlu.Option{nlu.WithLanguage(lang), nlu.WithEntities(ents)}})
		}
	}
	return sets, nil
}

// storyExamples returns the examples a story's matcher in lang trains on
// (its phrases in lang, or in the default language def for an interaction
// with none in lang), and the entities that stand as classes in it.
func storyExamples(s *story.Story, extract map[string]nlu.Extractor, lang, def string) ([]nlu.Example, map[string]nlu.Extractor) {
	ents := storyEntities(s, extract)
	return interactionExamples(s.Interactions, ents, lang, def), ents
}

// interactionExamples returns the examples of some interactions of a story
// whose entities are ents, for its matcher in lang (def the default).
func interactionExamples(ins []*story.Interaction, ents map[string]nlu.Extractor, lang, def string) []nlu.Example {
	var examples []nlu.Example
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
		}
		if matchable(in) {
			if ex, ok := evidence(in, ents); ok {
				examples = append(examples, ex)
			}
		}
	}
	return examples
}

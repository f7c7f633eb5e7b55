package engine

import (
	"errors"
	"fmt"

	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/story"
)

// A TrainingSet is what [New] trains one story's matcher on: the examples
// (labelled with interaction ids, or [nlu.OutOfScope] for the phrases of
// fallbacks) and the options.
type TrainingSet struct {
	Story    *story.Story
	Examples []nlu.Example
	Options  []nlu.Option
}

// TrainingSets returns the training set of each story of the bot that has
// phrases, as New builds them, for tools that evaluate a bot (parley eval
// -bot cross-validates them).
func TrainingSets(b *story.Bot) ([]TrainingSet, error) {
	lang := b.Settings.Language
	if lang == "" {
		lang = story.DefaultLanguage
	}
	extract := map[string]nlu.Extractor{}
	var errs []error
	for _, ent := range b.Entities {
		values := make([]nlu.Value, len(ent.Values))
		for i, v := range ent.Values {
			values[i] = nlu.Value{Canonical: v.Value, Synonyms: v.Synonyms}
		}
		d, err := nlu.NewDictionary(ent.Name, values, nlu.WithLanguage(lang))
		if err != nil {
			errs = append(errs, fmt.Errorf("engine: entity %q: %w", ent.Name, err))
			continue
		}
		extract[ent.Name] = d
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var sets []TrainingSet
	for _, s := range b.Stories {
		exs, ents := storyExamples(s, extract)
		if len(exs) == 0 {
			continue
		}
		sets = append(sets, TrainingSet{Story: s, Examples: exs, Options: []nlu.Option{nlu.WithLanguage(lang), nlu.WithEntities(ents)}})
	}
	return sets, nil
}

// storyExamples returns the examples a story's matcher trains on, and the
// entities that stand as classes in it.
func storyExamples(s *story.Story, extract map[string]nlu.Extractor) ([]nlu.Example, map[string]nlu.Extractor) {
	ents := storyEntities(s, extract)
	var examples []nlu.Example
	for _, in := range s.Interactions {
		for _, p := range in.Phrases {
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
	return examples, ents
}

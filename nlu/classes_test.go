package nlu_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/parleybot/parley/nlu"
)

func pizzaEntities(t testing.TB) map[string]nlu.Extractor {
	t.Helper()
	size, err := nlu.NewDictionary("size", []nlu.Value{{Canonical: "small"}, {Canonical: "medium"}, {Canonical: "large", Synonyms: []string{"big", "family size"}}})
	if err != nil {
		t.Fatal(err)
	}
	pizza, err := nlu.NewDictionary("pizza", []nlu.Value{{Canonical: "margherita"}, {Canonical: "quattro formaggi"}, {Canonical: "salami", Synonyms: []string{"pepperoni"}}, {Canonical: "hawaii"}})
	if err != nil {
		t.Fatal(err)
	}
	number, _ := nlu.System("number")
	return map[string]nlu.Extractor{"size": size, "pizza": pizza, "sys.number": number}
}

// pizzaExamples is a bot whose order phrases name no pizza: only the
// evidence example ties the entities to the order.
var pizzaExamples = []nlu.Example{
	{Label: "order", Text: "i want to order a pizza"},
	{Label: "order", Text: "can i get a pizza please"},
	{Label: "order", Text: "one pizza to take away"},
	{Label: "order", Text: "margherita", Marks: []nlu.Mark{{Start: 0, End: 10, Entity: "pizza"}}, Evidence: true},
	{Label: "order", Text: "small", Marks: []nlu.Mark{{Start: 0, End: 5, Entity: "size"}}, Evidence: true},
	{Label: "count", Text: "we are [4] people", Marks: []nlu.Mark{{Start: 7, End: 10, Entity: "sys.number"}}},
	{Label: "count", Text: "a table for 2", Marks: []nlu.Mark{{Start: 12, End: 13, Entity: "sys.number"}}},
	{Label: "count", Text: "book a table"},
	{Label: "hours", Text: "when are you open"},
	{Label: "hours", Text: "what are your opening hours"},
	{Label: "hours", Text: "are you open on sunday"},
	{Label: "bye", Text: "goodbye"},
	{Label: "bye", Text: "see you later"},
	{Label: "bye", Text: "bye for now"},
}

func TestEntityClasses(t *testing.T) {
	ents := pizzaEntities(t)
	m := train(t, pizzaExamples, nlu.WithEntities(ents))
	plain := train(t, unmarked(pizzaExamples))
	tests := []struct{ query, label string }{
		{"a small quattro formaggi", "order"},
		{"a big one with salami", "order"},
		{"two family size pepperoni", "order"},
		{"a table for seven", "count"},
		{"we are 12 people", "count"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := top(m.Predict(tt.query, nlu.Set{}))
			if got.Label != tt.label || got.Score < 0.5 {
				t.Errorf("with entities: got %+v, want %s at 0.5 or more", got, tt.label)
			}
			t.Logf("without entities: %+v", top(plain.Predict(tt.query, nlu.Set{})))
		})
	}
	// An evidence example is no training phrase.
	if got := top(m.Predict("margherita", nlu.Set{})); got.Score == 1 {
		t.Errorf("margherita: got %+v, want a score under 1 (evidence is no phrase)", got)
	}
	// A value in a training phrase stands for every value of its entity.
	if got := top(m.Predict("a table for 3", nlu.Set{})); got.Label != "count" || got.Score != 1 {
		t.Errorf("a table for 3: got %+v, want count 1 (the phrase a table for 2)", got)
	}
	if got := top(m.Predict("see you later", nlu.Set{})); got.Label != "bye" || got.Score != 1 {
		t.Errorf("see you later: got %+v, want bye 1", got)
	}
}

func unmarked(exs []nlu.Example) []nlu.Example {
	var out []nlu.Example
	for _, ex := range exs {
		ex.Marks = nil
		out = append(out, ex)
	}
	return out
}

func TestEntityClassesLoad(t *testing.T) {
	ents := pizzaEntities(t)
	m := train(t, pizzaExamples, nlu.WithEntities(ents))
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nlu.Load(data); !errors.Is(err, nlu.ErrBadModel) {
		t.Errorf("Load without the entities: got %v, want ErrBadModel", err)
	}
	l, err := nlu.Load(data, nlu.WithEntities(ents))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"a small quattro formaggi", "we are 12 people", "bye"} {
		if a, b := m.Predict(q, nlu.Set{}), l.Predict(q, nlu.Set{}); len(a) != len(b) || a[0] != b[0] {
			t.Errorf("%q: trained %v, loaded %v", q, a, b)
		}
	}
}

func TestEntityClassesErrors(t *testing.T) {
	ents := pizzaEntities(t)
	tests := []struct {
		name string
		ex   nlu.Example
	}{
		{"ErrUnknownEntity", nlu.Example{Label: "a", Text: "a big one", Marks: []nlu.Mark{{Start: 2, End: 5, Entity: "colour"}}}},
		{"ErrOutside", nlu.Example{Label: "a", Text: "a big one", Marks: []nlu.Mark{{Start: 2, End: 50, Entity: "size"}}}},
		{"ErrEmpty", nlu.Example{Label: "a", Text: "a big one", Marks: []nlu.Mark{{Start: 2, End: 2, Entity: "size"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := nlu.Train([]nlu.Example{tt.ex}, nlu.WithEntities(ents)); err == nil {
				t.Error("got no error")
			}
		})
	}
}

// TestEntityClassesElided checks that in French, Italian and Catalan a value after
// an elided article is its entity's class, as the value is without one: a
// training phrase but for another value scores 1.
func TestEntityClassesElided(t *testing.T) {
	for _, tc := range []struct {
		name, lang, phrase, value, query string
		values                           []string
	}{
		{"French", "french", "un verre d'eau s'il vous plaît", "eau", "un verre d'orangina s'il vous plaît", []string{"eau", "orangina", "café"}},
		{"FrenchTypographic", "french", "un verre d’eau s'il vous plaît", "eau", "un verre d’orangina s'il vous plaît", []string{"eau", "orangina"}},
		{"Italian", "italian", "vorrei dell'acqua per favore", "acqua", "vorrei dell'aranciata per favore", []string{"acqua", "aranciata"}},
		{"Catalan", "catalan", "un got d'aigua si us plau", "aigua", "un got d'orxata si us plau", []string{"aigua", "orxata"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var values []nlu.Value
			for _, v := range tc.values {
				values = append(values, nlu.Value{Canonical: v})
			}
			drink, err := nlu.NewDictionary("drink", values, nlu.WithLanguage(tc.lang))
			if err != nil {
				t.Fatal(err)
			}
			at := strings.Index(tc.phrase, tc.value)
			m := train(t, []nlu.Example{
				{Label: "order", Text: tc.phrase, Marks: []nlu.Mark{{Start: at, End: at + len(tc.value), Entity: "drink"}}},
				{Label: "order", Text: "je voudrais commander"},
				{Label: "hours", Text: "quand ouvrez-vous"},
				{Label: "hours", Text: "quels sont vos horaires"},
			}, nlu.WithLanguage(tc.lang), nlu.WithEntities(map[string]nlu.Extractor{"drink": drink}))
			if got := top(m.Predict(tc.query, nlu.Set{})); got.Label != "order" || got.Score != 1 {
				t.Errorf("%s: got %+v, want order 1", tc.query, got)
			}
		})
	}
}

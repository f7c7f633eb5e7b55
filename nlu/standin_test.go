package nlu

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parleybot/parley/nlu/wordvec"
)

// weatherCancel is a small bot of two labels, with words of real English
// for the word vectors to find, each in two phrases or more (a large bot
// drops features of one phrase).
var weatherCancel = []Example{
	{Label: "weather", Text: "what is the weather like today"},
	{Label: "weather", Text: "will it rain tomorrow"},
	{Label: "weather", Text: "how hot is it outside"},
	{Label: "weather", Text: "what temperature is it in paris"},
	{Label: "weather", Text: "is it going to be sunny or cloudy"},
	{Label: "weather", Text: "weather for tomorrow"},
	{Label: "weather", Text: "the temperature outside"},
	{Label: "weather", Text: "is it cloudy or is there rain"},
	{Label: "weather", Text: "sunny and hot today"},
	{Label: "cancel", Text: "cancel my order"},
	{Label: "cancel", Text: "please cancel the reservation"},
	{Label: "cancel", Text: "i want to call off the booking"},
	{Label: "cancel", Text: "stop my subscription"},
	{Label: "cancel", Text: "undo the purchase i made"},
	{Label: "cancel", Text: "stop the order and undo it"},
	{Label: "cancel", Text: "call off my subscription"},
}

// termOf returns the term of feature f of m's term view.
func termOf(m *Matcher, f int32) string {
	for _, kw := range m.cache.known {
		if g, ok := m.cache.vocab.get(termHash(kw.term)); ok && g == f {
			return kw.term
		}
	}
	return fmt.Sprintf("feature %d", f)
}

// TestStandIns checks which training terms stand in for words the bot never
// saw.
func TestStandIns(t *testing.T) {
	m, err := Train(weatherCancel)
	if err != nil {
		t.Fatal(err)
	}
	m.stand = m.newStandInIndex() // a small bot has none of its own
	tests := []struct {
		word  string
		first string // the best stand-in's term; "" for none
	}{
		{"humidity", "temperatur"},
		{"forecast", "weather"},
		{"rescind", "cancel"},
		{"thunderstorms", "rain"},
		{"xylophone", ""},
		{"qwzxv", ""}, // no vector
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			got := m.standIns(tt.word)
			var terms []string
			for i, s := range got {
				terms = append(terms, termOf(m, s.f))
				if s.x < standInWeight*standInCos || s.x > standInWeight*1.0001 || i > 0 && s.x > got[i-1].x {
					t.Errorf("stand-in %d (%s): weight %v, want in [%v, %v], best first", i, terms[i], s.x, standInWeight*standInCos, standInWeight)
				}
			}
			if len(got) > standInTop {
				t.Errorf("%d stand-ins, want at most %d", len(got), standInTop)
			}
			first := ""
			if len(terms) > 0 {
				first = terms[0]
			}
			if first != tt.first {
				t.Errorf("stand-ins %v: got %q first, want %q", terms, first, tt.first)
			}
		})
	}
}

// TestStandInsLargeBot checks that in a large English bot, the stand-ins
// of a word it never saw add to the score of the label they belong to.
func TestStandInsLargeBot(t *testing.T) {
	m, err := Train(slices.Concat(madeUp(150, 14), weatherCancel))
	if err != nil {
		t.Fatal(err)
	}
	if !m.large || m.stand == nil {
		t.Fatalf("large %v, stand-ins %v: want a large bot with stand-ins", m.large, m.stand != nil)
	}
	without := &Matcher{model: m.model}
	without.stand, without.terms = nil, new(termCache)
	for q, want := range map[string]string{
		"what is the humidity":          "weather",
		"is it going to be snowy":       "weather",
		"i want to rescind the booking": "cancel",
		"revoke my order":               "cancel",
	} {
		got, before := m.Predict(q, Set{}), without.Predict(q, Set{})
		if len(got) == 0 || got[0].Label != want || len(before) == 0 || before[0].Label != want {
			t.Errorf("%q: got %v, and %v without stand-ins; want %s first", q, got, before, want)
			continue
		}
		if got[0].Score < before[0].Score+0.05 {
			t.Errorf("%q: %s scores %.2f, and %.2f without stand-ins; want 0.05 more", q, want, got[0].Score, before[0].Score)
		}
	}
}

// madeUp makes labels × perLabel phrases of made-up words, as
// generatedExamples does in the external tests.
func madeUp(labels, perLabel int) []Example {
	syll := []string{"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "qui", "dor"}
	templates := []string{"i want to %s my %s", "can you %s the %s", "how do i %s a %s", "please %s %s now", "help me %s the %s"}
	var out []Example
	for l := range labels {
		verb := syll[l%12] + syll[l/12%12] + "x"
		noun := syll[l/12%12] + syll[l%12] + "q"
		for i := range perLabel {
			out = append(out, Example{Label: fmt.Sprintf("intent_%03d", l), Text: fmt.Sprintf(templates[i%len(templates)], verb, noun) + fmt.Sprintf(" %s", syll[i%12])})
		}
	}
	return out
}

// TestStandInsOnlyEnglish checks that the word vectors are loaded for
// English bots only, trained or loaded, and that only large ones have
// stand-ins for unknown words.
func TestStandInsOnlyEnglish(t *testing.T) {
	var calls atomic.Int32
	englishVectors = func() (*wordvec.Table, error) {
		calls.Add(1)
		return wordvec.English()
	}
	t.Cleanup(func() { englishVectors = wordvec.English })
	large := madeUp(150, 14)
	for _, tt := range []struct {
		name     string
		examples []Example
		opts     []Option
		loads    bool
		stand    bool
	}{
		{"SmallEnglish", weatherCancel, nil, true, false},
		{"SmallGerman", weatherCancel, []Option{WithLanguage("de")}, false, false},
		{"LargeGerman", large, []Option{WithLanguage("de")}, false, false},
		{"LargeNone", large, []Option{WithLanguage("none")}, false, false},
		{"LargeEnglish", large, nil, true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			calls.Store(0)
			m, err := Train(tt.examples, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			data, err := m.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Load(data); err != nil {
				t.Fatal(err)
			}
			m.Predict("what about the humidity in vienna", Set{})
			if got := m.meaning != nil; got != tt.loads {
				t.Errorf("mean vectors: got %v, want %v", got, tt.loads)
			}
			if got := m.stand != nil; got != tt.stand {
				t.Errorf("stand-ins: got %v, want %v", got, tt.stand)
			}
			if got := calls.Load() > 0; got != tt.loads {
				t.Errorf("word vectors loaded: got %v, want %v", got, tt.loads)
			}
		})
	}
}

// TestStandInCache checks that the word cache gives the stand-ins a fresh
// lookup gives, when words collide in it and when goroutines share it.
func TestStandInCache(t *testing.T) {
	m, err := Train(weatherCancel)
	if err != nil {
		t.Fatal(err)
	}
	m.stand = m.newStandInIndex()
	words := []string{"humidity", "rescind", "forecast", "snowy", "abolish", "xylophone", "qwzxv"}
	for i := range 2 * termCacheSize {
		words = append(words, fmt.Sprintf("w%dord", i))
	}
	want := map[string][]standIn{}
	for _, w := range words {
		want[w] = m.standIns(w)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for round := range 2 {
				for i := range words {
					w := words[(i+g*7)%len(words)]
					e := m.terms.word(m, w)
					if !slices.Equal(e.stand, want[w]) || e.term != m.an.computeTerm(w) {
						t.Errorf("round %d: %q: got %q %v, want %q %v", round, w, e.term, e.stand, m.an.computeTerm(w), want[w])
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

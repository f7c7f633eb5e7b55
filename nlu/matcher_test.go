package nlu_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/parleybot/parley/nlu"
)

// coffeeExamples is a small bot: a few phrases for each of a few
// interactions, as real bots have.
var coffeeExamples = []nlu.Example{
	{Label: "order", Text: "I want a coffee"},
	{Label: "order", Text: "can I get a latte"},
	{Label: "order", Text: "one cappuccino please"},
	{Label: "order", Text: "I'd like to order an espresso"},
	{Label: "order", Text: "give me a flat white"},
	{Label: "hours", Text: "when are you open"},
	{Label: "hours", Text: "what time do you close"},
	{Label: "hours", Text: "opening hours"},
	{Label: "hours", Text: "are you open on sunday"},
	{Label: "bye", Text: "bye"},
	{Label: "bye", Text: "see you later"},
	{Label: "bye", Text: "goodbye"},
	{Label: "refund", Text: "refund money", Keyword: true},
}

func train(t testing.TB, examples []nlu.Example, opts ...nlu.Option) *nlu.Matcher {
	t.Helper()
	m, err := nlu.Train(examples, opts...)
	if err != nil {
		t.Fatalf("Train: %v", err)
	}
	return m
}

func top(ms []nlu.Match) nlu.Match {
	if len(ms) == 0 {
		return nlu.Match{}
	}
	return ms[0]
}

func TestPredict(t *testing.T) {
	m := train(t, coffeeExamples)
	tests := []struct {
		name, query, label string
		minScore, maxScore float64
		keyword            bool
	}{
		{"ExactPhrase", "I want a coffee", "order", 1, 1, false},
		{"NormalisedPhrase", "  i WANT a Coffee!! ", "order", 1, 1, false},
		{"Typos", "I wnat a cofee", "order", 0.8, 0.99, false},
		{"OneTypo", "opening hurs", "hours", 0.9, 0.99, false},
		{"Paraphrase", "what are your opening hours", "hours", 0.5, 0.99, false},
		{"OneWord", "coffee", "order", 0.5, 0.99, false},
		{"Keyword", "I want my money refund", "refund", 1, 1, true},
		{"KeywordGap", "refund my money", "refund", 1, 1, true},
		{"OutOfScope", "how tall is mount everest", "", 0, 0.45, false},
		{"Unknown", "blah", "", 0, 0.4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := m.Predict(tt.query, nlu.Set{})
			got := top(ms)
			if tt.label != "" && got.Label != tt.label {
				t.Fatalf("Predict(%q) top = %+v, want label %q", tt.query, got, tt.label)
			}
			if got.Score < tt.minScore || got.Score > tt.maxScore {
				t.Errorf("Predict(%q) top = %+v, want score in [%v, %v]", tt.query, got, tt.minScore, tt.maxScore)
			}
			if got.Keyword != tt.keyword {
				t.Errorf("Predict(%q) top = %+v, want Keyword %v", tt.query, got, tt.keyword)
			}
			for i, x := range ms {
				if x.Score < 0 || x.Score > 1 || i > 0 && x.Score > ms[i-1].Score {
					t.Errorf("Predict(%q) = %+v: scores out of [0, 1] or not ranked", tt.query, ms)
				}
			}
		})
	}
}

func TestPredictEmpty(t *testing.T) {
	m := train(t, coffeeExamples)
	for _, q := range []string{"", "   ", "?!", "\xff"} {
		if ms := m.Predict(q, nlu.Set{}); len(ms) != 0 {
			t.Errorf("Predict(%q) = %+v, want no match", q, ms)
		}
	}
}

func TestKeywordRules(t *testing.T) {
	m := train(t, []nlu.Example{
		{Label: "pizza", Text: "order pizza", Keyword: true},
		{Label: "other", Text: "something else entirely"},
	})
	tests := []struct {
		query string
		hit   bool
	}{
		{"order pizza", true},
		{"pizza order", true},                  // any order
		{"order a pizza", true},                // one word between
		{"order me a pizza", false},            // two words between
		{"I'd like to order pizzas now", true}, // stemmed
		{"pizza", false},                       // every keyword needed
	}
	for _, tt := range tests {
		got := top(m.Predict(tt.query, nlu.Set{}))
		if hit := got.Label == "pizza" && got.Keyword && got.Score == 1; hit != tt.hit {
			t.Errorf("Predict(%q) top = %+v, want keyword hit %v", tt.query, got, tt.hit)
		}
	}
}

func TestSet(t *testing.T) {
	m := train(t, coffeeExamples)
	all := m.Predict("are you open on sunday", nlu.Set{})
	if top(all).Label != "hours" {
		t.Fatalf("top = %+v, want hours", top(all))
	}
	only := m.Predict("are you open on sunday", m.Set("order", "bye", "no-such-label"))
	for _, x := range only {
		if x.Label != "order" && x.Label != "bye" {
			t.Errorf("ineligible label %q in %+v", x.Label, only)
		}
	}
	// Restricting does not renormalise: the eligible scores stay as they were.
	for _, x := range only {
		for _, y := range all {
			if x.Label == y.Label && x.Score != y.Score {
				t.Errorf("score of %q: %v with a set, %v without", x.Label, x.Score, y.Score)
			}
		}
	}
	if ms := m.Predict("are you open on sunday", m.Set()); len(ms) != 0 {
		t.Errorf("empty set: got %+v, want nothing", ms)
	}
	if got, want := m.Set("order", "bye").Len(), 2; got != want {
		t.Errorf("Len = %d, want %d", got, want)
	}
	if got := (nlu.Set{}).Len(); got != -1 {
		t.Errorf("zero Set Len = %d, want -1", got)
	}
}

func TestOutOfScopeExamples(t *testing.T) {
	examples := append([]nlu.Example{
		{Label: nlu.OutOfScope, Text: "tell me a joke"},
		{Label: nlu.OutOfScope, Text: "what is the weather like"},
		{Label: nlu.OutOfScope, Text: "who won the game"},
	}, coffeeExamples...)
	m := train(t, examples)
	for _, l := range m.Labels() {
		if l == nlu.OutOfScope {
			t.Errorf("Labels() = %q, includes %q", m.Labels(), nlu.OutOfScope)
		}
	}
	for _, q := range []string{"tell me a joke", "tell me a funny joke"} {
		ms := m.Predict(q, nlu.Set{})
		for _, x := range ms {
			if x.Label == nlu.OutOfScope {
				t.Errorf("Predict(%q) returned the out-of-scope label", q)
			}
		}
		if s := top(ms).Score; s >= 0.4 {
			t.Errorf("Predict(%q) top = %+v, want score < 0.4", q, top(ms))
		}
	}
	if got := top(m.Predict("I want a coffee", nlu.Set{})); got.Label != "order" || got.Score != 1 {
		t.Errorf("top = %+v, want order 1", got)
	}
}

func TestTrainErrors(t *testing.T) {
	tests := []struct {
		name     string
		examples []nlu.Example
		opts     []nlu.Option
		want     string
	}{
		{"NoExamples", nil, nil, "no examples"},
		{"EmptyLabel", []nlu.Example{{Label: " ", Text: "hi"}}, nil, "empty label"},
		{"NoWords", []nlu.Example{{Label: "a", Text: "?!"}}, nil, "no words"},
		{"KeywordOutOfScope", []nlu.Example{{Label: nlu.OutOfScope, Text: "x", Keyword: true}}, nil, "keyword pattern"},
		{"EmptyLanguage", coffeeExamples, []nlu.Option{nlu.WithLanguage("")}, "empty language"},
		{"NilOption", coffeeExamples, []nlu.Option{nil}, "nil option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := nlu.Train(tt.examples, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Train: got (%v, %v), want an error containing %q", m, err, tt.want)
			}
		})
	}
	if _, err := nlu.Train(nil); !errors.Is(err, nlu.ErrNoExamples) {
		t.Errorf("Train(nil): got %v, want ErrNoExamples", err)
	}
}

func TestLanguages(t *testing.T) {
	tests := []struct {
		lang, phrase, query string
	}{
		{"english", "book a flight", "booking flights"},
		{"spanish", "quiero reservar un vuelo", "quería reservando vuelos"},
		{"french", "je veux réserver un vol", "je voulais réservez des vols"},
		{"russian", "хочу заказать пиццу", "заказывать пиццы"},
		{"swedish", "jag vill boka en flygresa", "bokade flygresor"},
		{"norwegian", "jeg vil bestille en pizza", "bestilte pizzaer"},
		{"hungarian", "szeretnék pizzát rendelni", "pizzát rendeltem"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			m := train(t, []nlu.Example{
				{Label: "want", Text: tt.phrase},
				{Label: "other", Text: "hello there"},
			}, nlu.WithLanguage(tt.lang))
			if m.Language() != tt.lang {
				t.Errorf("Language() = %q, want %q", m.Language(), tt.lang)
			}
			if got := top(m.Predict(tt.query, nlu.Set{})); got.Label != "want" {
				t.Errorf("Predict(%q) top = %+v, want label want", tt.query, got)
			}
		})
	}
	// A language without a stemmer matches without stemming.
	m := train(t, []nlu.Example{{Label: "greet", Text: "Habari za asubuhi"}, {Label: "bye", Text: "Kwa heri"}}, nlu.WithLanguage("swahili"))
	if got := top(m.Predict("habari za asubuhi!", nlu.Set{})); got.Label != "greet" || got.Score != 1 {
		t.Errorf("swahili: top = %+v, want greet 1", got)
	}
}

func TestDeterministic(t *testing.T) {
	a, err := train(t, coffeeExamples).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	b, err := train(t, coffeeExamples).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two trainings on the same examples marshal differently")
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	m := train(t, append([]nlu.Example{{Label: nlu.OutOfScope, Text: "tell me a joke"}}, coffeeExamples...), nlu.WithLanguage("english"))
	data, l := roundTrip(t, m)
	if !reflect.DeepEqual(l.Labels(), m.Labels()) || l.Language() != m.Language() {
		t.Errorf("loaded labels %q (%s), want %q (%s)", l.Labels(), l.Language(), m.Labels(), m.Language())
	}
	for _, q := range []string{"I want a coffee", "I wnat a cofee", "refund my money", "when do you open", "tell me a joke", "blah", "ok 🙂"} {
		if got, want := l.Predict(q, l.Set("order", "hours")), m.Predict(q, m.Set("order", "hours")); !reflect.DeepEqual(got, want) {
			t.Errorf("Predict(%q) after Load = %+v, want %+v", q, got, want)
		}
		if got, want := l.Predict(q, nlu.Set{}), m.Predict(q, nlu.Set{}); !reflect.DeepEqual(got, want) {
			t.Errorf("Predict(%q) after Load = %+v, want %+v", q, got, want)
		}
	}
	again, err := l.MarshalBinary()
	if err != nil || !bytes.Equal(again, data) {
		t.Errorf("re-marshalling a loaded matcher changed the bytes (err %v)", err)
	}
}

// roundTrip marshals m and loads the bytes back.
func roundTrip(t *testing.T, m *nlu.Matcher) ([]byte, *nlu.Matcher) {
	t.Helper()
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	l, err := nlu.Load(data)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return data, l
}

// TestMarshalRoundTripLarge does for a bot of 2,000 phrases, whose vectors
// have each view normalised apart, what TestMarshalRoundTrip does for a
// small one: the loaded matcher scores the same.
func TestMarshalRoundTripLarge(t *testing.T) {
	examples := generatedExamples(100, 20)
	m := train(t, examples)
	_, l := roundTrip(t, m)
	for _, ex := range examples[:200] {
		q := ex.Text + " " + examples[len(examples)-1].Text
		if got, want := l.Predict(q, nlu.Set{}), m.Predict(q, nlu.Set{}); !reflect.DeepEqual(got, want) {
			t.Fatalf("Predict(%q) after Load = %+v, want %+v", q, got, want)
		}
	}
}

func TestLoadBadData(t *testing.T) {
	data, err := train(t, coffeeExamples).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	// Truncations fail cleanly: every short prefix, then about 300 more.
	step := max(1, len(data)/300)
	for n := 0; n < len(data); n += min(n/64+1, step) {
		if _, err := nlu.Load(data[:n]); !errors.Is(err, nlu.ErrBadModel) {
			t.Fatalf("Load(%d of %d bytes): got %v, want ErrBadModel", n, len(data), err)
		}
	}
	// Corrupt bytes give a matcher or an error, never a panic.
	for i := 0; i < len(data); i += min(i/64+1, step) {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			c := bytes.Clone(data)
			c[i] ^= x
			if m, err := nlu.Load(c); err == nil {
				m.Predict("I want a coffee", nlu.Set{})
			} else if !errors.Is(err, nlu.ErrBadModel) {
				t.Fatalf("Load(corrupt at %d): error %v does not wrap ErrBadModel", i, err)
			}
		}
	}
	v2 := bytes.Clone(data)
	v2[len("parley-nlu\x00")] = 99
	if _, err := nlu.Load(v2); err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("Load(version 99): got %v, want a version error", err)
	}
	if _, err := nlu.Load([]byte("garbage")); !errors.Is(err, nlu.ErrBadModel) {
		t.Errorf("Load(garbage): got %v, want ErrBadModel", err)
	}
	if _, err := nlu.Load(append(bytes.Clone(data), 0)); !errors.Is(err, nlu.ErrBadModel) {
		t.Errorf("Load(trailing byte): got %v, want ErrBadModel", err)
	}
}

func TestConcurrentPredict(t *testing.T) {
	m := train(t, coffeeExamples)
	want := m.Predict("can I get a latte", nlu.Set{})
	set := m.Set("order", "bye")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				q := fmt.Sprintf("question %d from %d", i, g)
				m.Predict(q, set)
				if got := m.Predict("can I get a latte", nlu.Set{}); !reflect.DeepEqual(got, want) {
					t.Errorf("concurrent Predict = %+v, want %+v", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestManyLabels checks the matcher with a realistic number of interactions
// (150, 10 phrases each) on generated phrases: every training phrase scores
// 1, and a paraphrase finds its label.
func TestManyLabels(t *testing.T) {
	examples := generatedExamples(150, 10)
	m := train(t, examples)
	if got := len(m.Labels()); got != 150 {
		t.Fatalf("%d labels, want 150", got)
	}
	for i := 0; i < len(examples); i += 37 {
		ex := examples[i]
		if got := top(m.Predict(ex.Text, nlu.Set{})); got.Label != ex.Label || got.Score != 1 {
			t.Errorf("Predict(%q) top = %+v, want %s 1", ex.Text, got, ex.Label)
		}
	}
}

func TestTrainEdgeCases(t *testing.T) {
	t.Run("KeywordsOnly", func(t *testing.T) {
		m := train(t, []nlu.Example{{Label: "pizza", Text: "pizza order", Keyword: true}})
		if got := m.Predict("order a pizza", nlu.Set{}); len(got) != 1 || got[0].Score != 1 || !got[0].Keyword {
			t.Errorf("hit: got %+v, want pizza 1 by keyword", got)
		}
		if got := m.Predict("hello", nlu.Set{}); len(got) != 0 {
			t.Errorf("miss: got %+v, want nothing", got)
		}
	})
	t.Run("OneLabel", func(t *testing.T) {
		m := train(t, []nlu.Example{{Label: "hi", Text: "hello there"}})
		if got := top(m.Predict("hello there", nlu.Set{})); got.Label != "hi" || got.Score != 1 {
			t.Errorf("got %+v, want hi 1", got)
		}
		if got := top(m.Predict("what is the weather", nlu.Set{})); got.Score >= 0.5 {
			t.Errorf("unrelated: got %+v, want a score under 0.5", got)
		}
	})
	t.Run("SamePhraseTwoLabels", func(t *testing.T) {
		m := train(t, []nlu.Example{{Label: "a", Text: "help me"}, {Label: "b", Text: "Help me!"}, {Label: "b", Text: "other things"}})
		got := m.Predict("help me", nlu.Set{})
		if len(got) < 2 || got[0].Score != 1 || got[1].Score != 1 {
			t.Errorf("got %+v, want both labels at 1", got)
		}
	})
	t.Run("OnlyOutOfScope", func(t *testing.T) {
		m := train(t, []nlu.Example{{Label: nlu.OutOfScope, Text: "tell me a joke"}})
		if got := m.Predict("tell me a joke", nlu.Set{}); len(got) != 0 {
			t.Errorf("got %+v, want nothing", got)
		}
	})
}

package nlu_test

import (
	"encoding/json"
	"os"
	"sync"
	"testing"

	"github.com/parleybot/parley/internal/clinc150"
	"github.com/parleybot/parley/nlu"
)

func loadCLINC(tb testing.TB) (train []nlu.Example, queries []string) {
	tb.Helper()
	path, err := clinc150.Path()
	if err != nil {
		tb.Skipf("CLINC150 corpus not available: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var corpus map[string][][2]string
	if err := json.Unmarshal(data, &corpus); err != nil {
		tb.Fatal(err)
	}
	for _, p := range corpus["train"] {
		train = append(train, nlu.Example{Label: p[1], Text: p[0]})
	}
	for _, p := range corpus["val"] {
		queries = append(queries, p[0])
	}
	for _, p := range corpus["oos_val"] {
		queries = append(queries, p[0])
	}
	return train, queries
}

// clincMatcher is trained once per process, so that -count=N does not
// train N times: training takes far longer than a benchmark's runs.
var clincMatcher struct {
	sync.Once
	m   *nlu.Matcher
	err error
}

// BenchmarkPredict measures one query against the 150 intents of CLINC150.
func BenchmarkPredict(b *testing.B) {
	train, queries := loadCLINC(b)
	clincMatcher.Do(func() {
		clincMatcher.m, clincMatcher.err = nlu.Train(train)
	})
	m, err := clincMatcher.m, clincMatcher.err
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m.Predict(queries[i%len(queries)], nlu.Set{})
	}
}

// BenchmarkTrain measures training on the 15,000 phrases of CLINC150.
func BenchmarkTrain(b *testing.B) {
	train, _ := loadCLINC(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := nlu.Train(train); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPredictGenerated measures one query against 150 generated labels
// of 20 phrases each; unlike BenchmarkPredict it needs no corpus.
func BenchmarkPredictGenerated(b *testing.B) {
	examples := generatedExamples(150, 20)
	m, err := nlu.Train(examples)
	if err != nil {
		b.Fatal(err)
	}
	queries := []string{"could you please help me with the thing", "what about my order", "i want to cancel it now"}
	for i := 0; i < len(examples); i += 97 {
		queries = append(queries, examples[i].Text+" please")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m.Predict(queries[i%len(queries)], nlu.Set{})
	}
}

// BenchmarkWith measures adding one label of 100 phrases to the 150
// intents of CLINC150 (the 149 others trained at once), then its first
// prediction: what an operator's new answer costs before it can match.
func BenchmarkWith(b *testing.B) {
	train, _ := loadCLINC(b)
	last := train[len(train)-1].Label
	var base, added []nlu.Example
	for _, ex := range train {
		if ex.Label == last {
			added = append(added, ex)
		} else {
			base = append(base, ex)
		}
	}
	m, err := nlu.Train(base)
	if err != nil {
		b.Fatal(err)
	}
	q := added[0].Text + " please"
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n, err := m.With(added, nil)
		if err != nil {
			b.Fatal(err)
		}
		if ms := n.Predict(q, nlu.Set{}); len(ms) == 0 || ms[0].Label != last {
			b.Fatalf("%q: got %v, want %s", q, ms, last)
		}
	}
}

// BenchmarkExtract measures finding a kiosk's entities in one message, as
// a turn does for each entity of the interactions it weighs: four
// dictionaries of drinks, sizes, milks and sweeteners, every word looked up
// with its typos.
func BenchmarkExtract(b *testing.B) {
	var dicts []*nlu.Dictionary
	for name, values := range map[string][]nlu.Value{
		"drink": {{Canonical: "espresso", Synonyms: []string{"expresso", "short black"}}, {Canonical: "latte", Synonyms: []string{"caffe latte", "latte macchiato"}}, {Canonical: "cappuccino", Synonyms: []string{"cappucino"}}, {Canonical: "flat white"}, {Canonical: "hot chocolate", Synonyms: []string{"cocoa"}}},
		"size":  {{Canonical: "small", Synonyms: []string{"little", "tiny"}}, {Canonical: "medium", Synonyms: []string{"regular", "normal"}}, {Canonical: "large", Synonyms: []string{"big", "grande", "venti"}}},
		"milk":  {{Canonical: "whole milk", Synonyms: []string{"whole", "full fat"}}, {Canonical: "oat milk", Synonyms: []string{"oat", "oatly"}}, {Canonical: "almond milk", Synonyms: []string{"almond"}}, {Canonical: "no milk", Synonyms: []string{"black", "without milk"}}},
		"sugar": {{Canonical: "no sugar", Synonyms: []string{"without sugar", "sugar free", "unsweetened"}}, {Canonical: "sweetener", Synonyms: []string{"stevia", "sweetner"}}},
	} {
		d, err := nlu.NewDictionary(name, values)
		if err != nil {
			b.Fatal(err)
		}
		dicts = append(dicts, d)
	}
	const msg = "could I have a large oatmilk lattte please, with no sugar, thanks"
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range dicts {
			d.Extract(msg)
		}
	}
}

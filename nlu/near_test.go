package nlu

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// nearPhraseScan is nearPhrase as a scan over all the phrases of label l,
// without the index: the reference the index must agree with. It states
// the same typo rule, so it checks the index only; TestNearPhraseRule
// checks the rule against scores worked out by hand.
func (m *Matcher) nearPhraseScan(l int32, sc *scratch) float64 {
	best := 0.0
	maxTypos := max(1, len(sc.words)/2)
	for _, p := range m.phrases[l] {
		if len(p) != len(sc.words) {
			continue
		}
		typos := 0
		for i, w := range p {
			if w == sc.words[i] {
				continue
			}
			if d := len(w) - len(sc.words[i]); d > 4 || d < -4 {
				typos = -1
				break
			}
			if m.an.term(w) == sc.terms[i] {
				continue
			}
			if typos == maxTypos || !typoWord(w, sc.words[i]) {
				typos = -1
				break
			}
			typos++
		}
		if typos >= 0 {
			best = max(best, 1-0.1*float64(typos))
		}
	}
	return best
}

// randomExamples makes perLabel phrases for each of labels labels, of
// minWords to maxWords words drawn from vocab.
func randomExamples(rng *rand.Rand, vocab []string, labels, perLabel, minWords, maxWords int) []Example {
	var examples []Example
	for l := range labels {
		for range perLabel {
			words := make([]string, minWords+rng.IntN(maxWords-minWords+1))
			for i := range words {
				words[i] = vocab[rng.IntN(len(vocab))]
			}
			examples = append(examples, Example{Label: fmt.Sprint("label", l), Text: strings.Join(words, " ")})
		}
	}
	return examples
}

// typo returns w with one random typo.
func typo(rng *rand.Rand, w string) string {
	r := []rune(w)
	if len(r) < 2 {
		return w + "x"
	}
	i := rng.IntN(len(r))
	switch rng.IntN(4) {
	case 0:
		r = append(r[:i], r[i+1:]...)
	case 1:
		if i+1 < len(r) {
			r[i], r[i+1] = r[i+1], r[i]
		}
	case 2:
		r[i] = rune('a' + rng.IntN(26))
	default:
		r = append(r[:i], append([]rune{rune('a' + rng.IntN(26))}, r[i:]...)...)
	}
	return string(r)
}

// TestNearPhraseIndex checks that the indexed nearPhrase scores every label
// as the scan over its phrases does, on queries made of training phrases
// with typos, other forms of their words and foreign words.
func TestNearPhraseIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	vocab := strings.Fields("order orders ordering organization organ coffee coffees latte lattes " +
		"cancel cancelled cancelling account accounts balance transfer transfers money card cards " +
		"weather today tomorrow book booking table tables flight flights reservation café cafe " +
		"i my the a to please can you want need how what is show check")
	examples := randomExamples(rng, vocab, 12, 15, 1, 7)
	m, err := Train(examples)
	if err != nil {
		t.Fatal(err)
	}
	sc := &scratch{}
	typos := map[float64]int{}
	for range 3000 {
		ex := examples[rng.IntN(len(examples))]
		words := strings.Fields(ex.Text)
		for i := range words {
			switch rng.IntN(6) {
			case 0, 1:
				words[i] = typo(rng, words[i])
			case 2:
				words[i] = vocab[rng.IntN(len(vocab))]
			case 3:
				words[i] = typo(rng, typo(rng, words[i]))
			}
		}
		sc.reset(len(m.labels))
		m.readQuery(sc, strings.Join(words, " "))
		m.nearWords(sc)
		for l := range m.labels {
			if got, want := m.nearPhrase(int32(l), sc), m.nearPhraseScan(int32(l), sc); got != want {
				t.Fatalf("query %q, label %s: nearPhrase %v, scan %v", sc.words, m.labels[l], got, want)
			}
			typos[m.nearPhraseScan(int32(l), sc)]++
		}
	}
	// The queries must exercise every outcome, or the test proves little.
	for _, s := range []float64{0, 0.8, 0.9, 1} {
		if typos[s] < 20 {
			t.Errorf("only %d scores of %v: %v", typos[s], s, typos)
		}
	}
}

// TestNearPhraseRule checks nearPhrase, and the scan, against scores worked
// out by hand from the rule in the package docs.
func TestNearPhraseRule(t *testing.T) {
	m, err := Train([]Example{
		{Label: "cancel", Text: "cancel my coffee order"},
		{Label: "hours", Text: "opening hours"},
		{Label: "join", Text: "join the organization"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, label, query string
		want               float64
	}{
		{"Exact", "cancel", "cancel my coffee order", 1},
		{"SameTerm", "cancel", "cancel my coffees order", 1}, // coffees, coffee: coffe
		{"Changed", "cancel", "cancel my coffee ordar", 0.9},
		{"Dropped", "cancel", "cancel my cofee order", 0.9},
		{"Added", "cancel", "cancel my coffee orderr", 0.9},
		{"Swapped", "cancel", "cancel my cofefe order", 0.9},
		{"TwoWords", "cancel", "cancl my cofee order", 0.8},
		{"OverHalf", "cancel", "cancl my cofee ordr", 0}, // 3 typos in 4 words
		{"TwoInOneWord", "cancel", "cancel my cfofe order", 0},
		{"ShortWord", "cancel", "cancel me coffee order", 0}, // my: under 4 runes
		{"OtherLength", "cancel", "cancel my coffee", 0},
		{"OneOfTwo", "hours", "opening hurs", 0.9},
		{"TwoOfTwo", "hours", "openin hurs", 0}, // at most 1 typo in 2 words
		{"NearForm", "join", "join the organizations", 1},
		{"FarForm", "join", "join the organ", 0}, // term organ, but 7 bytes shorter
	}
	sc := &scratch{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc.reset(len(m.labels))
			m.readQuery(sc, tt.query)
			m.nearWords(sc)
			l := m.index[tt.label]
			if got := m.nearPhrase(l, sc); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("nearPhrase(%q, %q) = %v, want %v", tt.label, tt.query, got, tt.want)
			}
			if got := m.nearPhraseScan(l, sc); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("nearPhraseScan(%q, %q) = %v, want %v", tt.label, tt.query, got, tt.want)
			}
		})
	}
}

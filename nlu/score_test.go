package nlu

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestFeatureSetShared checks featureSet.shared against counting the
// features of the entries directly, on random entries.
func TestFeatureSetShared(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var s featureSet
	for range 2000 {
		nf := 1 + rng.IntN(1<<rng.IntN(16))
		ents := make([]uint64, rng.IntN(300))
		for i := range ents {
			ents[i] = uint64(rng.IntN(nf))<<32 | uint64(1+rng.IntN(3))
			if rng.IntN(4) > 0 {
				ents[i] |= entryCached
			}
		}
		seen := map[uint64]int{}
		for _, e := range ents {
			seen[e>>32]++
		}
		var want []uint64
		for _, e := range ents {
			if seen[e>>32] > 1 || e&entryCached == 0 {
				want = append(want, e)
			}
		}
		got := s.shared(ents, nil)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("%d entries of %d features: shared gives %d entries, want %d", len(ents), nf, len(got), len(want))
		}
	}
}

// TestFeatureTable checks featureTable.get against the map it is built
// from, for hashes it holds and hashes it does not.
func TestFeatureTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 7, 100, 5000} {
		vocab := map[uint64]int32{}
		for len(vocab) < n {
			h := rng.Uint64()
			if rng.IntN(10) == 0 {
				h &= 0xff // small hashes collide in the low bits
			}
			vocab[h] = int32(len(vocab))
		}
		table := newFeatureTable(vocab)
		for h, f := range vocab {
			if got, ok := table.get(h); !ok || got != f {
				t.Fatalf("%d features: get(%#x) = %d, %v, want %d", n, h, got, ok, f)
			}
		}
		for range 1000 {
			h := rng.Uint64() & 0xfff
			want, wantOK := vocab[h]
			if got, ok := table.get(h); ok != wantOK || got != want {
				t.Fatalf("%d features: get(%#x) = %d, %v, want %d, %v", n, h, got, ok, want, wantOK)
			}
		}
	}
}

// TestScoreReference checks the margins of score, with its cached word
// rows, norm shares and corrections, against the plain product of the
// query's TF-IDF vector with every label's weights, on queries that repeat
// words, share n-grams between words and have words the matcher does not
// know. It does for both kinds of vectors (see vectorize): views scaled
// together, and each view to the same length, as large bots have them.
func TestScoreReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	vocab := strings.Fields("the other there this that what whats order orders ordering coffee café cafe latte lattes " +
		"cancel my account balance transfer money weather today book a table for two i want to please")
	examples := randomExamples(rng, vocab, 20, 8, 2, 6)
	examples = append(examples, Example{Label: OutOfScope, Text: "tell me a joke"}, Example{Label: "kw", Text: "zebra crossing", Keyword: true})
	m, err := Train(examples)
	if err != nil {
		t.Fatal(err)
	}
	// Names ("zorglub") weigh as every unknown word, as in the plain
	// vector; TestNames checks that they weigh less.
	m.meaning.name = 1
	unknown := []string{"zorglub", "thee", "ordr", "crossing", "zebra", "th", "a"}
	sc := &scratch{}
	var feats [nViews][]uint64
	for q := range 1000 {
		m.large = q%2 == 1
		words := make([]string, 1+rng.IntN(8))
		for i := range words {
			switch {
			case i > 0 && rng.IntN(5) == 0:
				words[i] = words[i-1] // a repeated word
			case rng.IntN(4) == 0:
				words[i] = unknown[rng.IntN(len(unknown))]
			default:
				words[i] = vocab[rng.IntN(len(vocab))]
			}
		}
		sc.reset(len(m.labels))
		m.readQuery(sc, strings.Join(words, " "))
		m.score(sc)
		viewFeatures(sc.terms, sc.words, &feats)
		idx, val := m.vectorize(&feats, nil, nil, nil)
		acc := make([]float32, len(m.labels))
		for k, f := range idx {
			m.addRow(acc, f, val[k])
		}
		for l := range m.labels {
			if want := float64(acc[l]) + float64(m.bias[l]); math.Abs(sc.raw[l]-want) > 1e-5 {
				t.Fatalf("query %q (views scaled apart: %v), label %s: margin %v, plain product %v", words, m.large, m.labels[l], sc.raw[l], want)
			}
		}
	}
}

// TestTypicalityCached checks typicality, which takes a cached word's
// character n-grams from its row of shares, against adding every feature
// of the query one by one, as it does for the words the cache does not
// hold; and that its shares stay in [0, 1]. No word of the vocabulary
// repeats an n-gram, which the rows count once with its frequency and
// single features once each time.
func TestTypicalityCached(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	vocab := strings.Fields("order coffee latte cancel my account balance transfer money weather today book table for two want please the")
	examples := randomExamples(rng, vocab, 12, 8, 2, 6)
	m, err := Train(examples)
	if err != nil {
		t.Fatal(err)
	}
	m.large = true // as in a large bot, which the cache's shares are built for
	m.cacheWords()
	ls := make([]int32, min(MaxMatches, len(m.bias)))
	sc := &scratch{}
	for range 500 {
		words := make([]string, 1+rng.IntN(6))
		for i := range words {
			words[i] = vocab[rng.IntN(len(vocab))]
		}
		sc.reset(len(m.labels))
		m.readQuery(sc, strings.Join(words, " "))
		m.score(sc)
		if len(sc.rows) == 0 {
			t.Fatalf("query %q: no cached word", words)
		}
		for k := range ls {
			ls[k] = int32(rng.IntN(len(m.bias)))
			for slices.Contains(ls[:k], ls[k]) {
				ls[k] = int32(rng.IntN(len(m.bias)))
			}
		}
		var own, ref [MaxMatches]float64
		m.typicality(sc, ls, own[:len(ls)])
		// Every feature on its own: no cached word.
		for i, e := range sc.ents {
			sc.ents[i] = e &^ entryCached
		}
		sc.rows = sc.rows[:0]
		m.typicality(sc, ls, ref[:len(ls)])
		for k, l := range ls {
			if math.Abs(own[k]-ref[k]) > 1e-5 {
				t.Fatalf("query %q, label %s: share %v; feature by feature %v", words, m.labels[l], own[k], ref[k])
			}
			if own[k] < 0 || own[k] > 1 {
				t.Fatalf("query %q, label %s: share %v, want it in [0, 1]", words, m.labels[l], own[k])
			}
		}
	}
}

// Package testbed is the calibration test bed of Parley's NLU: bots
// sampled from an intent corpus in the CLINC150 layout, each trained on some
// intents with some phrases each, and tested on the held-out in-scope
// queries of its intents and on out-of-scope queries. It measures what a
// bot author sees: in-scope accuracy and out-of-scope refusals at the
// default confidence, and at the threshold that would have been best.
package testbed

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"

	"github.com/parleybot/parley/nlu"
)

// A Corpus is an intent corpus: split name → [text, intent] pairs, as in
// CLINC150's data_full.json ("train", "val", "oos_train", "oos_val").
type Corpus map[string][][2]string

// Load reads a corpus file.
func Load(path string) (Corpus, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("testbed: %w", err)
	}
	var c Corpus
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("testbed: %s: want {\"split\": [[text, intent], ...]}: %w", path, err)
	}
	return c, nil
}

// A Query is a test message: Label is its intent, "" when it is out of
// scope.
type Query struct {
	Text, Label string
}

// A Bot is one bot of the test bed.
type Bot struct {
	Intents, PerIntent int
	Seed               uint64
	Train              []nlu.Example
	Test               []Query
}

// Sample draws a bot of intents intents with perIntent training phrases
// each from the corpus's train split (the first intents and phrases of a
// permutation seeded by seed), tested on the test split's queries of those
// intents and on every query of the oos split. intents and perIntent are
// capped by what the corpus has.
func Sample(c Corpus, train, test, oos string, intents, perIntent int, seed uint64) Bot {
	rng := rand.New(rand.NewPCG(seed, uint64(intents)<<32|uint64(perIntent)))
	byIntent := map[string][]string{}
	var names []string
	for _, p := range c[train] {
		if _, ok := byIntent[p[1]]; !ok {
			names = append(names, p[1])
		}
		byIntent[p[1]] = append(byIntent[p[1]], p[0])
	}
	slices.Sort(names)
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	names = names[:min(intents, len(names))]
	b := Bot{Intents: len(names), PerIntent: perIntent, Seed: seed}
	chosen := map[string]bool{}
	for _, n := range names {
		chosen[n] = true
		ps := slices.Clone(byIntent[n])
		rng.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
		for _, p := range ps[:min(perIntent, len(ps))] {
			b.Train = append(b.Train, nlu.Example{Label: n, Text: p})
		}
	}
	for _, p := range c[test] {
		if chosen[p[1]] {
			b.Test = append(b.Test, Query{Text: p[0], Label: p[1]})
		}
	}
	for _, p := range c[oos] {
		b.Test = append(b.Test, Query{Text: p[0]})
	}
	return b
}

// A Pred is the matcher's answer to a query: its best label and score
// ("" and 0 when nothing matched).
type Pred struct {
	Query Query
	Label string
	Score float64
}

// Predict answers every query.
func Predict(m *nlu.Matcher, qs []Query) []Pred {
	out := make([]Pred, len(qs))
	for i, q := range qs {
		out[i].Query = q
		if ms := m.Predict(q.Text, nlu.Set{}); len(ms) > 0 {
			out[i].Label, out[i].Score = ms[0].Label, ms[0].Score
		}
	}
	return out
}

// Figures are the figures of predictions at one threshold.
type Figures struct {
	// InScope is the share of in-scope queries answered with their intent
	// and a score at or above the threshold.
	InScope float64
	// Refused is the share of out-of-scope queries refused: no match or a
	// score under the threshold.
	Refused float64
	// Overall is the accuracy over all queries with out of scope as one
	// more class.
	Overall float64
}

// At returns the figures of preds at threshold t.
func At(preds []Pred, t float64) Figures {
	var in, inOK, oos, oosOK int
	for _, p := range preds {
		accept := p.Label != "" && p.Score >= t
		if p.Query.Label == "" {
			oos++
			if !accept {
				oosOK++
			}
			continue
		}
		in++
		if accept && p.Label == p.Query.Label {
			inOK++
		}
	}
	return Figures{InScope: ratio(inOK, in), Refused: ratio(oosOK, oos), Overall: ratio(inOK+oosOK, in+oos)}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// Best returns the threshold with the highest overall accuracy (the lowest
// of equals), as Larson et al. (2019) choose it on a validation split.
// Candidates are 0 and the midpoints between consecutive scores.
func Best(preds []Pred) float64 {
	scores := []float64{0}
	for _, p := range preds {
		scores = append(scores, p.Score)
	}
	slices.Sort(scores)
	scores = slices.Compact(scores)
	// Sweep up the thresholds: each score passed changes one answer.
	sorted := slices.Clone(preds)
	slices.SortFunc(sorted, func(a, b Pred) int { return cmp.Compare(a.Score, b.Score) })
	correct := 0 // at threshold 0
	for _, p := range sorted {
		if p.Query.Label == "" && p.Label == "" || p.Query.Label != "" && p.Label == p.Query.Label {
			correct++
		}
	}
	best, bestN := 0.0, correct
	i := 0
	for k := 1; k < len(scores); k++ {
		t := (scores[k-1] + scores[k]) / 2
		for ; i < len(sorted) && sorted[i].Score < t; i++ {
			p := sorted[i]
			if p.Label == "" {
				continue // already refused
			}
			switch {
			case p.Query.Label == "":
				correct++
			case p.Label == p.Query.Label:
				correct--
			}
		}
		if correct > bestN {
			best, bestN = t, correct
		}
	}
	return best
}

// A Row is the calibration figures of the bots of one size, averaged over
// bots sampled with different seeds.
type Row struct {
	Intents, PerIntent, Bots int
	// Argmax is the in-scope accuracy when every best match is taken
	// (threshold 0).
	Argmax float64
	// At05 are the figures at the default confidence, 0.5.
	At05 Figures
	// Best is the threshold with the highest overall accuracy, and AtBest
	// the figures there.
	Best   float64
	AtBest Figures
}

// Sweep trains and tests bots of every size intents × perIntent, seeds
// bots a size (one when a bot has more than 3,000 phrases, which vary
// little), and returns one row a size.
func Sweep(c Corpus, intents, perIntent []int, seeds int, opts ...nlu.Option) ([]Row, error) {
	var rows []Row
	for _, n := range intents {
		for _, k := range perIntent {
			r := Row{Intents: n, PerIntent: k}
			bots := seeds
			if n*k > 3000 {
				bots = 1
			}
			for s := range bots {
				b := Sample(c, "train", "val", "oos_val", n, k, uint64(s+1))
				m, err := nlu.Train(b.Train, opts...)
				if err != nil {
					return nil, fmt.Errorf("testbed: %d intents × %d phrases: %w", n, k, err)
				}
				p := Predict(m, b.Test)
				best := Best(p)
				f0, f5, fb := At(p, 0), At(p, 0.5), At(p, best)
				r.Intents = b.Intents
				r.Bots++
				r.Argmax += f0.InScope
				r.Best += best
				r.At05.add(f5)
				r.AtBest.add(fb)
			}
			d := float64(r.Bots)
			r.Argmax /= d
			r.Best /= d
			r.At05.div(d)
			r.AtBest.div(d)
			rows = append(rows, r)
		}
	}
	return rows, nil
}

func (f *Figures) add(g Figures) {
	f.InScope += g.InScope
	f.Refused += g.Refused
	f.Overall += g.Overall
}

func (f *Figures) div(d float64) {
	f.InScope /= d
	f.Refused /= d
	f.Overall /= d
}

// Added measures what editing a matcher at run time costs in accuracy:
// it trains one matcher on the corpus's train split (its oos_train items
// as out-of-scope examples) at once, and another on all but the last n
// intents (in order of first appearance) to which [nlu.Matcher.With] then
// adds the n intents one by one, and returns the top-1 accuracy of each on
// the in-scope queries of the val split.
func Added(c Corpus, n int, opts ...nlu.Option) (atOnce, added float64, err error) {
	var names []string
	byIntent := map[string][]nlu.Example{}
	var base, full []nlu.Example
	for _, p := range c["train"] {
		if _, ok := byIntent[p[1]]; !ok {
			names = append(names, p[1])
		}
		byIntent[p[1]] = append(byIntent[p[1]], nlu.Example{Label: p[1], Text: p[0]})
	}
	if n < 1 || n >= len(names) {
		return 0, 0, fmt.Errorf("testbed: cannot add %d of %d intents", n, len(names))
	}
	late := names[len(names)-n:]
	for _, p := range c["train"] {
		ex := nlu.Example{Label: p[1], Text: p[0]}
		full = append(full, ex)
		if !slices.Contains(late, p[1]) {
			base = append(base, ex)
		}
	}
	for _, p := range c["oos_train"] {
		ex := nlu.Example{Label: nlu.OutOfScope, Text: p[0]}
		full, base = append(full, ex), append(base, ex)
	}
	var qs []Query
	for _, p := range c["val"] {
		qs = append(qs, Query{Text: p[0], Label: p[1]})
	}
	m, err := nlu.Train(full, opts...)
	if err != nil {
		return 0, 0, fmt.Errorf("testbed: %w", err)
	}
	atOnce = At(Predict(m, qs), 0).InScope
	if m, err = nlu.Train(base, opts...); err != nil {
		return 0, 0, fmt.Errorf("testbed: %w", err)
	}
	for _, name := range late {
		if m, err = m.With(byIntent[name], nil); err != nil {
			return 0, 0, fmt.Errorf("testbed: %w", err)
		}
	}
	return atOnce, At(Predict(m, qs), 0).InScope, nil
}

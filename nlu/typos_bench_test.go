package nlu_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/parleybot/parley/internal/clinc150"
	"github.com/parleybot/parley/internal/testbed"
	"github.com/parleybot/parley/nlu"
)

// BenchmarkTypos measures how the matcher reads misspelt queries, on
// CLINC150: each val and oos_val query with one typo in one of its words
// of five letters or more (testbed.Typo, seeded by the query's index), the
// queries without such a word as they are. Trained on train, it reports
// in percent the best match right on val, clean and misspelt, and the
// in-scope accuracy and the share of oos_val refused at the threshold
// chosen on the clean val and oos_val (testbed.Best); then for bots of
// 10 intents × 10 phrases, 20 × 20 and 50 × 10 (typoSeeds of each, sampled as
// the calibration test bed does), and these and 150 × 20 again unstemmed
// and without word vectors, as a matcher of a language without a stemmer
// reads, the same at the default confidence, 0.5, over all their queries.
// Once is enough:
// go test -run XXX -bench Typos -benchtime 1x ./nlu
func BenchmarkTypos(b *testing.B) {
	path, err := clinc150.Path()
	if err != nil {
		b.Skipf("CLINC150 corpus not available: %v", err)
	}
	c, err := testbed.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	report := func(name string, clean, typo []testbed.Pred, t float64) {
		for _, s := range []struct {
			kind  string
			preds []testbed.Pred
		}{{"clean", clean}, {"typo", typo}} {
			f0, ft := testbed.At(s.preds, 0), testbed.At(s.preds, t)
			b.ReportMetric(100*f0.InScope, fmt.Sprintf("%s-%s-best-%%", name, s.kind))
			b.ReportMetric(100*ft.InScope, fmt.Sprintf("%s-%s-in-scope-%%", name, s.kind))
			b.ReportMetric(100*ft.Refused, fmt.Sprintf("%s-%s-refused-%%", name, s.kind))
		}
	}
	for b.Loop() {
		var train []nlu.Example
		for _, it := range c["train"] {
			train = append(train, nlu.Example{Label: it[1], Text: it[0]})
		}
		var qs []testbed.Query
		for _, it := range c["val"] {
			qs = append(qs, testbed.Query{Text: it[0], Label: it[1]})
		}
		for _, it := range c["oos_val"] {
			qs = append(qs, testbed.Query{Text: it[0]})
		}
		m, err := nlu.Train(train)
		if err != nil {
			b.Fatal(err)
		}
		typos, n := testbed.Typos(qs, 1)
		clean := testbed.Predict(m, qs)
		t := testbed.Best(slices.Clone(clean))
		report("clinc", clean, testbed.Predict(m, typos), t)
		b.ReportMetric(t, "clinc-threshold")
		b.ReportMetric(100*float64(n)/float64(len(qs)), "clinc-misspelt-%")
		for _, size := range []struct {
			name               string
			intents, perIntent int
			opts               []nlu.Option
		}{
			{"10x10", 10, 10, nil},
			{"20x20", 20, 20, nil},
			{"50x10", 50, 10, nil},
			{"10x10-unstemmed", 10, 10, []nlu.Option{nlu.WithLanguage("none")}},
			{"20x20-unstemmed", 20, 20, []nlu.Option{nlu.WithLanguage("none")}},
			{"50x10-unstemmed", 50, 10, []nlu.Option{nlu.WithLanguage("none")}},
			{"150x20-unstemmed", 150, 20, []nlu.Option{nlu.WithLanguage("none")}},
		} {
			var cleanAll, typoAll []testbed.Pred
			for s := range typoSeeds {
				bot := testbed.Sample(c, "train", "val", "oos_val", size.intents, size.perIntent, uint64(s+1))
				m, err := nlu.Train(bot.Train, size.opts...)
				if err != nil {
					b.Fatal(err)
				}
				typos, _ := testbed.Typos(bot.Test, uint64(s+1))
				cleanAll = append(cleanAll, testbed.Predict(m, bot.Test)...)
				typoAll = append(typoAll, testbed.Predict(m, typos)...)
			}
			report(size.name, cleanAll, typoAll, 0.5)
		}
	}
}

// typoSeeds is how many bots of each size BenchmarkTypos samples.
const typoSeeds = 5

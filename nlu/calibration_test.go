package nlu_test

import (
	"math"
	"slices"
	"testing"

	"github.com/parleybot/parley/internal/clinc150"
	"github.com/parleybot/parley/internal/testbed"
	"github.com/parleybot/parley/nlu"
)

// TestCalibration runs a small part of the calibration test bed (the full
// sweep is parley eval -sweep): bots sampled from CLINC150's train split,
// tested on its val and oos_val queries. At the default confidence, 0.5,
// a bot must answer nearly everything it ranks right, at every size, and
// still refuse unrelated messages once its intents have a few phrases.
func TestCalibration(t *testing.T) {
	path, err := clinc150.Path()
	if err != nil {
		t.Skipf("CLINC150 corpus not available: %v", err)
	}
	c, err := testbed.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		intents, perIntent int
		minRefused         float64 // out-of-scope refusals at 0.5
	}{
		{3, 5, 0},
		{10, 10, 0.3},
		{30, 20, 0.5},
	}
	for _, tt := range tests {
		rows, err := testbed.Sweep(c, []int{tt.intents}, []int{tt.perIntent}, 2)
		if err != nil {
			t.Fatal(err)
		}
		r := rows[0]
		t.Logf("%d intents × %d phrases: argmax %.3f, at 0.5 %.3f (refused %.2f), best %.2f: %.3f (refused %.2f)",
			r.Intents, r.PerIntent, r.Argmax, r.At05.InScope, r.At05.Refused, r.Best, r.AtBest.InScope, r.AtBest.Refused)
		if r.At05.InScope < r.Argmax-0.03 {
			t.Errorf("%d × %d: in-scope accuracy at 0.5 %.3f, want within 3 points of taking every best match (%.3f)", tt.intents, tt.perIntent, r.At05.InScope, r.Argmax)
		}
		if r.At05.InScope < r.AtBest.InScope-0.03 {
			t.Errorf("%d × %d: in-scope accuracy at 0.5 %.3f, want within 3 points of the best threshold's (%.3f at %.2f)", tt.intents, tt.perIntent, r.At05.InScope, r.AtBest.InScope, r.Best)
		}
		if r.At05.Refused < tt.minRefused {
			t.Errorf("%d × %d: out-of-scope refused at 0.5 %.2f, want at least %.2f", tt.intents, tt.perIntent, r.At05.Refused, tt.minRefused)
		}
	}
}

// BenchmarkHeldOut measures how a threshold chosen before a bot meets its
// users carries to unseen queries, on CLINC150: for each fifth of every
// intent's phrases (in train's order), a matcher trained on the other four
// fifths, the threshold chosen (testbed.Best) on the held-out fifth with
// oos_train, and again with oos_val, and tested on val with the other
// out-of-scope split; and the same thresholds applied to the matcher
// trained on all of train (refit). It reports the means of the ten runs,
// in percent: in-scope accuracy and out-of-scope queries refused; and, as
// a measure of separation that no choice of threshold blurs, the in-scope
// accuracy on val at the thresholds that refuse 60 % and 80 % of oos_train
// and oos_val together, averaged over the six matchers. Once is enough:
// go test -run XXX -bench HeldOut -benchtime 1x ./nlu
func BenchmarkHeldOut(b *testing.B) {
	path, err := clinc150.Path()
	if err != nil {
		b.Skipf("CLINC150 corpus not available: %v", err)
	}
	c, err := testbed.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	examples := func(items [][2]string) []nlu.Example {
		out := make([]nlu.Example, len(items))
		for i, it := range items {
			out[i] = nlu.Example{Label: it[1], Text: it[0]}
		}
		return out
	}
	queries := func(items [][2]string, inScope bool) []testbed.Query {
		out := make([]testbed.Query, len(items))
		for i, it := range items {
			out[i].Text = it[0]
			if inScope {
				out[i].Label = it[1]
			}
		}
		return out
	}
	byIntent := map[string][][2]string{}
	var intents []string
	for _, it := range c["train"] {
		if _, ok := byIntent[it[1]]; !ok {
			intents = append(intents, it[1])
		}
		byIntent[it[1]] = append(byIntent[it[1]], it)
	}
	oosSplits := [2]string{"oos_train", "oos_val"}
	var sum [4]float64 // in scope and refused, held out; the same refitted
	var sep [2]float64 // in scope at 60 % and 80 % refused
	runs := 0
	separation := func(val []testbed.Pred, oos [2][]testbed.Pred) {
		all := slices.Concat(oos[0], oos[1])
		for i, refused := range []float64{0.6, 0.8} {
			sep[i] += testbed.At(val, refusing(all, refused)).InScope / 6
		}
	}
	for b.Loop() {
		sum, sep, runs = [4]float64{}, [2]float64{}, 0
		full, err := nlu.Train(examples(c["train"]))
		if err != nil {
			b.Fatal(err)
		}
		fullVal := testbed.Predict(full, queries(c["val"], true))
		var fullOOS [2][]testbed.Pred
		for i, s := range oosSplits {
			fullOOS[i] = testbed.Predict(full, queries(c[s], false))
		}
		separation(fullVal, fullOOS)
		for fold := range 5 {
			var train, held [][2]string
			for _, in := range intents {
				ps := byIntent[in]
				lo, hi := len(ps)*fold/5, len(ps)*(fold+1)/5
				train = append(append(train, ps[:lo]...), ps[hi:]...)
				held = append(held, ps[lo:hi]...)
			}
			m, err := nlu.Train(examples(train))
			if err != nil {
				b.Fatal(err)
			}
			heldPreds := testbed.Predict(m, queries(held, true))
			val := testbed.Predict(m, queries(c["val"], true))
			var oos [2][]testbed.Pred
			for i, s := range oosSplits {
				oos[i] = testbed.Predict(m, queries(c[s], false))
			}
			separation(val, oos)
			for i := range oosSplits {
				t := testbed.Best(append(slices.Clone(heldPreds), oos[i]...))
				f := testbed.At(append(slices.Clone(val), oos[1-i]...), t)
				r := testbed.At(append(slices.Clone(fullVal), fullOOS[1-i]...), t)
				for j, x := range []float64{f.InScope, f.Refused, r.InScope, r.Refused} {
					sum[j] += x
				}
				runs++
			}
		}
	}
	for j, unit := range []string{"in-scope-%", "refused-%", "refit-in-scope-%", "refit-refused-%"} {
		b.ReportMetric(100*sum[j]/float64(runs), unit)
	}
	b.ReportMetric(100*sep[0], "in-scope-at-60%-refused-%")
	b.ReportMetric(100*sep[1], "in-scope-at-80%-refused-%")
}

// refusing returns the lowest threshold that refuses at least the share
// refused of the out-of-scope predictions oos.
func refusing(oos []testbed.Pred, refused float64) float64 {
	scores := make([]float64, len(oos))
	for i, p := range oos {
		scores[i] = p.Score
	}
	slices.Sort(scores)
	k := int(math.Ceil(refused*float64(len(scores)))) - 1
	return math.Nextafter(scores[max(0, k)], 2)
}

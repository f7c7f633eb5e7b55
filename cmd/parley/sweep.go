package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/parleybot/parley/internal/testbed"
	"github.com/parleybot/parley/nlu"
)

// runSweep runs the calibration test bed on a corpus: bots of every size
// intents × phrases sampled from its train split, tested on its val and
// oos_val splits, and prints one table row a size.
func runSweep(path, intents, phrases string, seeds int, lang string, stdout, stderr io.Writer) int {
	ns, err := intList("-sweep-intents", intents)
	if err == nil {
		var ks []int
		ks, err = intList("-sweep-phrases", phrases)
		if err == nil {
			err = sweep(path, ns, ks, seeds, lang, stdout)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "parley eval: %v\n", err)
		return 1
	}
	return 0
}

func sweep(path string, ns, ks []int, seeds int, lang string, w io.Writer) error {
	c, err := testbed.Load(path)
	if err != nil {
		return err
	}
	for _, k := range []string{"train", "val", "oos_val"} {
		if len(c[k]) == 0 {
			return fmt.Errorf("-sweep: corpus %s has no %q split", path, k)
		}
	}
	fmt.Fprintln(w, "| intents | phrases | bots | argmax | in-scope at 0.5 | refused at 0.5 | best threshold | in-scope at best | refused at best |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|")
	for _, n := range ns {
		for _, k := range ks {
			rows, err := testbed.Sweep(c, []int{n}, []int{k}, seeds, nlu.WithLanguage(lang))
			if err != nil {
				return err
			}
			r := rows[0]
			fmt.Fprintf(w, "| %d | %d | %d | %.1f %% | %.1f %% | %.0f %% | %.2f | %.1f %% | %.0f %% |\n",
				r.Intents, r.PerIntent, r.Bots, 100*r.Argmax, 100*r.At05.InScope, 100*r.At05.Refused, r.Best, 100*r.AtBest.InScope, 100*r.AtBest.Refused)
		}
	}
	return nil
}

// intList parses a comma-separated list of positive integers.
func intList(flag, s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%s: %q is not a positive integer", flag, f)
		}
		out = append(out, n)
	}
	return out, nil
}

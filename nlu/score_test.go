package nlu

import (
	"math/rand/v2"
	"slices"
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

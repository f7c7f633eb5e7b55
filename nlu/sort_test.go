package nlu

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortEntries checks the radix sort of scratch entries against
// slices.Sort, on random entries with repeated features.
func TestSortEntries(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var tmp []uint64
	for range 2000 {
		nf := 1 + rng.IntN(1<<rng.IntN(20))
		ents := make([]uint64, rng.IntN(300))
		for i := range ents {
			ents[i] = uint64(rng.IntN(nf))<<32 | uint64(rng.IntN(2))<<31 | uint64(1+rng.IntN(3))
		}
		want := slices.Clone(ents)
		slices.Sort(want)
		tmp = sortEntries(ents, tmp, nf)
		if !slices.Equal(ents, want) {
			t.Fatalf("nf %d, %d entries: sortEntries differs from slices.Sort", nf, len(ents))
		}
	}
}

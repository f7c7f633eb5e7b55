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

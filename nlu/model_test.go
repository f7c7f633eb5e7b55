package nlu

import "testing"

// TestIDFOf checks that a large bot damps the idf and a small one keeps
// it: the weight of a feature of two phrases against one of every phrase.
func TestIDFOf(t *testing.T) {
	for _, tc := range []struct {
		name     string
		n        int
		min, max float32
	}{
		{"Small", largeBot - 1, 7, 8},
		{"Large", 15000, 1.8, 1.9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := idfOf(tc.n, 2) / idfOf(tc.n, tc.n); got < tc.min || got > tc.max {
				t.Errorf("idfOf(%d, 2) / idfOf(%d, %d) = %.2f, want %.1f to %.1f", tc.n, tc.n, tc.n, got, tc.min, tc.max)
			}
		})
	}
}

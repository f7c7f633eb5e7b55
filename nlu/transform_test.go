package nlu

import (
	"math"
	"testing"
)

// TestSymEigen checks symEigen on a random symmetric matrix: each
// eigenvector times the matrix is its eigenvalue times it, in decreasing
// order of the eigenvalues.
func TestSymEigen(t *testing.T) {
	const n = 30
	a := make([]float64, n*n)
	x := uint64(1)
	for i := range n {
		for j := i; j < n; j++ {
			x = x*6364136223846793005 + 1442695040888963407
			v := float64(x>>11)/float64(1<<53) - 0.5
			a[i*n+j], a[j*n+i] = v, v
		}
	}
	orig := append([]float64(nil), a...)
	vals, vecs := symEigen(a, n)
	for k := range n {
		if k > 0 && vals[k] > vals[k-1] {
			t.Fatalf("not decreasing at %d", k)
		}
		for i := range n {
			var av float64
			for j := range n {
				av += orig[i*n+j] * vecs[k*n+j]
			}
			if math.Abs(av-vals[k]*vecs[k*n+i]) > 1e-9 {
				t.Fatalf("eigenpair %d: row %d: %v vs %v", k, i, av, vals[k]*vecs[k*n+i])
			}
		}
	}
}

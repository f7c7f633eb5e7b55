package nlu

import (
	"math"
	"slices"
)

// symEigen returns the eigenvalues of the symmetric n×n matrix a (row
// major; it is overwritten) in decreasing order, and the unit eigenvector
// of each as the rows of vecs, by cyclic Jacobi rotations: deterministic,
// and for the 100 dimensions of the word vectors about 15 ms.
func symEigen(a []float64, n int) (vals, vecs []float64) {
	v := make([]float64, n*n)
	for i := range n {
		v[i*n+i] = 1
	}
	for sweep := 0; sweep < 50; sweep++ {
		var off, diag float64
		for i := range n {
			diag += a[i*n+i] * a[i*n+i]
			for j := i + 1; j < n; j++ {
				off += a[i*n+j] * a[i*n+j]
			}
		}
		if off <= 1e-20*diag || off == 0 {
			break
		}
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				apq := a[p*n+q]
				if apq == 0 {
					continue
				}
				app, aqq := a[p*n+p], a[q*n+q]
				theta := (aqq - app) / (2 * apq)
				t := 1 / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				if theta < 0 {
					t = -t
				}
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				// A' = Jᵀ A J: rows and columns p and q.
				for k := range n {
					if k == p || k == q {
						continue
					}
					apk, aqk := a[p*n+k], a[q*n+k]
					apk, aqk = c*apk-s*aqk, s*apk+c*aqk
					a[p*n+k], a[k*n+p] = apk, apk
					a[q*n+k], a[k*n+q] = aqk, aqk
				}
				a[p*n+p], a[q*n+q] = app-t*apq, aqq+t*apq
				a[p*n+q], a[q*n+p] = 0, 0
				for k := range n { // eigenvectors as the rows of v
					vpk, vqk := v[p*n+k], v[q*n+k]
					v[p*n+k] = c*vpk - s*vqk
					v[q*n+k] = s*vpk + c*vqk
				}
			}
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		switch {
		case a[i*n+i] > a[j*n+j]:
			return -1
		case a[i*n+i] < a[j*n+j]:
			return 1
		}
		return 0
	})
	vals, vecs = make([]float64, n), make([]float64, n*n)
	for k, i := range order {
		vals[k] = a[i*n+i]
		copy(vecs[k*n:(k+1)*n], v[i*n:(i+1)*n])
	}
	return vals, vecs
}

// whitening returns the linear transform (d×d, row major) of the word
// vectors' space in which a large bot weighs the closeness in meaning,
// from the unit mean vectors of its training phrases in the table's space
// (x.vecs not yet transformed): W, the inverse square root of the phrases'
// covariance within their labels plus meaningRidge times its mean
// eigenvalue, so that the directions in which a label's phrases differ
// little weigh more; then, in that space, each eigenvector of the
// covariance of the labels' means scaled by its eigenvalue over the
// largest to the power meaningFisher, so that the directions in which the
// labels differ little weigh less. It returns nil, the table's own space,
// when the labels' means span fewer directions than the space has (as
// when no more labels than dimensions have a phrase with a vector). A
// transform costs d² multiplications per vector, so it is applied once to
// the rows of the index and to an unknown word's vector when its term is
// cached; computing it takes about 0.1 s for CLINC150's 15,000 phrases,
// so a model keeps it.
func (m *Matcher) whitening() []float32 {
	x := m.meaning
	d := x.dim
	nl := len(m.labels)
	if labelsWith(m, func(l int) bool { return len(m.phrases[l]) > 0 }) <= d {
		return nil
	}
	a := make([]float64, d*d) // the phrases' second moment, upper triangle
	sum := make([]float64, nl*d)
	cnt := make([]float64, nl)
	v := make([]float32, d)
	// Four phrases at a time, transposed: buf[i*4+k] is coordinate i of
	// the k-th.
	buf := make([]float64, 4*d)
	nb := 0
	flush := func() {
		for i := range d {
			bi := buf[i*4 : i*4+4]
			p0, p1, p2, p3 := bi[0], bi[1], bi[2], bi[3]
			row := a[i*d : (i+1)*d]
			for j := i; j < d; j++ {
				bj := buf[j*4 : j*4+4]
				row[j] += p0*bj[0] + p1*bj[1] + p2*bj[2] + p3*bj[3]
			}
		}
		clear(buf)
		nb = 0
	}
	var n float64
	for l, phrases := range m.phrases {
		if int32(l) == m.oos {
			continue
		}
		s := sum[l*d : (l+1)*d]
		for _, ph := range phrases {
			if !m.phraseVector(v, ph) {
				continue
			}
			for i, f := range v {
				s[i] += float64(f)
				buf[i*4+nb] = float64(f)
			}
			if nb++; nb == 4 {
				flush()
			}
			cnt[l]++
			n++
		}
	}
	flush()
	if labelsWith(m, func(l int) bool { return cnt[l] > 0 }) <= d {
		return nil
	}
	// Within labels: the second moment less each label's mean's; between
	// them: the labels' means' less the mean's.
	all := make([]float64, d)
	b := make([]float64, d*d) // between labels
	for l := range nl {
		if cnt[l] == 0 {
			continue
		}
		s := sum[l*d : (l+1)*d]
		for i, si := range s {
			all[i] += si
			for j := i; j < d; j++ {
				a[i*d+j] -= si * s[j] / cnt[l]
				b[i*d+j] += si * s[j] / cnt[l]
			}
		}
	}
	var tr float64
	for i := range d {
		tr += a[i*d+i]
		for j := i; j < d; j++ {
			b[i*d+j] -= all[i] * all[j] / n
			a[j*d+i], b[j*d+i] = a[i*d+j], b[i*d+j]
		}
	}
	if tr <= 0 {
		return nil
	}
	vals, vecs := symEigen(a, d)
	scale := make([]float64, d)
	for k, e := range vals {
		scale[k] = 1 / math.Sqrt(max(e, 0)+meaningRidge*tr/float64(d))
	}
	w := fromEigen(vecs, scale, d)
	vals, vecs = symEigen(mul(w, mul(b, w, d), d), d)
	if vals[0] <= 0 || vals[d-1] <= 1e-6*vals[0] {
		return nil // the labels' means span too few directions
	}
	for k, e := range vals {
		scale[k] = math.Pow(e/vals[0], meaningFisher)
	}
	w = mul(fromEigen(vecs, scale, d), w, d)
	out := make([]float32, d*d)
	for i, f := range w {
		out[i] = float32(f)
	}
	return out
}

// fromEigen returns the symmetric d×d matrix of the eigenvectors vecs
// (rows) with the eigenvalues vals.
func fromEigen(vecs, vals []float64, d int) []float64 {
	out := make([]float64, d*d)
	for k, e := range vals {
		u := vecs[k*d : (k+1)*d]
		for i, ui := range u {
			row := out[i*d : (i+1)*d]
			for j, uj := range u {
				row[j] += e * ui * uj
			}
		}
	}
	return out
}

// mul returns the product of the d×d matrices a and b.
func mul(a, b []float64, d int) []float64 {
	out := make([]float64, d*d)
	for i := range d {
		row := out[i*d : (i+1)*d]
		for k, aik := range a[i*d : (i+1)*d] {
			for j, bkj := range b[k*d : (k+1)*d] {
				row[j] += aik * bkj
			}
		}
	}
	return out
}

// labelsWith counts the labels of m but OutOfScope for which has is true.
func labelsWith(m *Matcher, has func(l int) bool) int {
	n := 0
	for l := range m.labels {
		if int32(l) != m.oos && has(l) {
			n++
		}
	}
	return n
}

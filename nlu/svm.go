package nlu

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"
)

// svmParams are the training parameters of the one-vs-rest linear SVMs.
type svmParams struct {
	c      float64 // cost of a margin violation
	epochs int     // most passes of dual coordinate descent
	eps    float64 // stop when the projected gradients of a block span less than eps
	bias   float64 // value of the constant bias feature
}

// A row with at least one weight in denseRow labels is stored whole.
const denseRow = 4

// svmBlock is how many labels train together: their weights for one
// feature fill one 64-byte cache line.
const svmBlock = 16

// sparseDot is the most labels of a block that take their dot products
// with an example one by one rather than all together.
const sparseDot = 4

// trainSVMs trains one L2-regularised, L2-loss linear SVM per label, one
// against the rest, by dual coordinate descent (Hsieh et al. 2008, the
// LIBLINEAR solver). It writes the biases to b and returns the weights of
// magnitude pruneWeight or more as rows: feature f's weights are
// values[rows[f]:rows[f+1]], and their labels labels[lrows[f]:lrows[f+1]]
// unless the row is whole (a weight for every label, in order).
//
// Labels train in blocks of svmBlock that share one pass over the examples,
// so each example's features are read once per block and the block's
// weights of a feature share a cache line. Each block visits the examples in
// an order drawn from a generator seeded with the block's index, and blocks
// are independent, so the result does not depend on the number of
// goroutines: training is deterministic.
func trainSVMs(data *dataset, nl, nf int, p svmParams, b []float32) (rows, lrows, labels []int32, values []float32) {
	qd := make([]float64, data.len()) // diagonal of Q, without D
	for i := range qd {
		s := p.bias * p.bias
		for _, v := range data.val[data.off[i]:data.off[i+1]] {
			s += float64(v) * float64(v)
		}
		qd[i] = s
	}
	// Each block's pruned weights, as rows over the features.
	type blockWeights struct {
		rows  []int32
		label []uint8
		value []float32
	}
	nb := (nl + svmBlock - 1) / svmBlock
	blocks := make([]blockWeights, nb)
	workers := max(1, min(runtime.GOMAXPROCS(0), nb))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := make([]float32, nf*svmBlock)
			alpha := make([]float64, data.len()*svmBlock)
			for blk := range next {
				l0 := blk * svmBlock
				var bb [svmBlock]float32
				trainBlock(data, qd, int32(l0), p, w, alpha, &bb)
				kept := 0
				for j, v := range w {
					if l0+j%svmBlock < nl && (v >= pruneWeight || v <= -pruneWeight) {
						kept++
					}
				}
				bw := blockWeights{rows: make([]int32, nf+1), label: make([]uint8, 0, kept), value: make([]float32, 0, kept)}
				for f := 0; f < nf; f++ {
					for j, v := range w[f*svmBlock : f*svmBlock+svmBlock] {
						if l0+j < nl && (v >= pruneWeight || v <= -pruneWeight) {
							bw.label = append(bw.label, uint8(j))
							bw.value = append(bw.value, v)
						}
					}
					bw.rows[f+1] = int32(len(bw.label))
				}
				for j := 0; j < svmBlock && l0+j < nl; j++ {
					b[l0+j] = bb[j] // each block owns its labels: no lock
				}
				blocks[blk] = bw
			}
		}()
	}
	for blk := 0; blk < nb; blk++ {
		next <- blk
	}
	close(next)
	wg.Wait()
	// Count the weights first, so that the rows are allocated once at
	// their size: appending would leave copies of them as garbage.
	rowLen := func(f int) int {
		count := 0
		for _, bw := range blocks {
			count += int(bw.rows[f+1] - bw.rows[f])
		}
		if count*denseRow >= nl {
			return nl
		}
		return count
	}
	total, sparse := 0, 0
	for f := 0; f < nf; f++ {
		n := rowLen(f)
		total += n
		if n != nl {
			sparse += n
		}
	}
	rows, lrows = make([]int32, nf+1), make([]int32, nf+1)
	labels, values = make([]int32, 0, sparse), make([]float32, 0, total)
	dense := make([]float32, nl)
	for f := 0; f < nf; f++ {
		if rowLen(f) == nl {
			// A frequent feature: store the row whole, which Predict
			// scans faster than a sparse one.
			clear(dense)
			for blk, bw := range blocks {
				for k := bw.rows[f]; k < bw.rows[f+1]; k++ {
					dense[blk*svmBlock+int(bw.label[k])] = bw.value[k]
				}
			}
			values = append(values, dense...)
		} else {
			for blk, bw := range blocks {
				for k := bw.rows[f]; k < bw.rows[f+1]; k++ {
					labels = append(labels, int32(blk*svmBlock)+int32(bw.label[k]))
					values = append(values, bw.value[k])
				}
			}
		}
		rows[f+1], lrows[f+1] = int32(len(values)), int32(len(labels))
	}
	return rows, lrows, labels, values
}

// trainBlock trains the SVMs of labels l0 to l0+svmBlock-1 into w
// ([feature*svmBlock+j]) and b, using alpha as scratch. Labels past the
// last one train on no positive example and are discarded by the caller.
//
// It shrinks as LIBLINEAR does, label by label: a label whose dual
// variable for an example is zero and whose gradient exceeds the largest
// projected gradient of the previous pass (the example is far on the right
// side of its margin) leaves that example alone in the next passes, and an
// example left by every label of the block leaves the passes. Once the
// rest converges, everything comes back for a check. An example that only
// a few labels still visit gets their dot products alone instead of the
// block's.
func trainBlock(data *dataset, qd []float64, l0 int32, p svmParams, w []float32, alpha []float64, b *[svmBlock]float32) {
	clear(w)
	clear(alpha)
	idx, val, off, ys := data.idx, data.val, data.off, data.y
	n := len(qd)
	d := 1 / (2 * p.c) // L2-loss: D_ii = 1/(2C), no upper bound
	cost := data.cost
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	rng := rand.New(rand.NewPCG(uint64(l0)+1, 0x5eed))
	bias := float32(p.bias)
	active, whole := n, true // whole: nothing is shrunk
	var pgMaxOld [svmBlock]float64
	for j := range pgMaxOld {
		pgMaxOld[j] = math.Inf(1)
	}
	// mask[i] has bit j set while label j of example i is not shrunk.
	const all = 1<<svmBlock - 1
	mask := make([]uint16, n)
	for i := range mask {
		mask[i] = all
	}
	for epoch := 0; epoch < p.epochs; epoch++ {
		for i := active - 1; i > 0; i-- {
			j := rng.IntN(i + 1)
			order[i], order[j] = order[j], order[i]
		}
		var pgMax, pgMin [svmBlock]float64
		for j := range pgMax {
			pgMax[j], pgMin[j] = math.Inf(-1), math.Inf(1)
		}
		for s := 0; s < active; s++ {
			i := order[s]
			fi, fv := idx[off[i]:off[i+1]], val[off[i]:off[i+1]]
			mk := mask[i]
			var dot [svmBlock]float32
			if bits.OnesCount16(mk) > sparseDot {
				dot = blockDot(w, fi, fv)
			} else {
				for m := mk; m != 0; m &= m - 1 {
					j := bits.TrailingZeros16(m)
					var s float32
					for k, f := range fi {
						s += w[int(f)*svmBlock+j] * fv[k]
					}
					dot[j] = s
				}
			}
			a := (*[svmBlock]float64)(alpha[int(i)*svmBlock:])
			di := d
			if cost != nil {
				di = d / float64(cost[i])
			}
			for m := mk; m != 0; m &= m - 1 {
				j := bits.TrailingZeros16(m)
				y := -1.0
				if ys[i] == l0+int32(j) {
					y = 1
				}
				g := y*float64(dot[j]+b[j]*bias) - 1 + di*a[j]
				pg := g
				if a[j] == 0 {
					if g > pgMaxOld[j] {
						mk &^= 1 << j
						whole = false
						continue
					}
					pg = min(g, 0)
				}
				pgMax[j], pgMin[j] = max(pgMax[j], pg), min(pgMin[j], pg)
				if math.Abs(pg) < 1e-12 {
					continue
				}
				old := a[j]
				a[j] = max(old-g/(qd[i]+di), 0)
				delta := float32((a[j] - old) * y)
				if delta == 0 {
					continue
				}
				for k, f := range fi {
					w[int(f)*svmBlock+j] += delta * fv[k]
				}
				b[j] += delta * bias
			}
			mask[i] = mk
			if mk == 0 {
				active--
				order[s], order[active] = order[active], order[s]
				s--
			}
		}
		converged := true
		for j := range pgMax {
			if pgMax[j]-pgMin[j] >= p.eps {
				converged = false
			}
		}
		if converged {
			if whole {
				break
			}
			active, whole = n, true // check every example again
			for i := range mask {
				mask[i] = all
			}
			for j := range pgMaxOld {
				pgMaxOld[j] = math.Inf(1)
			}
			continue
		}
		for j := range pgMaxOld {
			pgMaxOld[j] = pgMax[j]
			if pgMaxOld[j] <= 0 {
				pgMaxOld[j] = math.Inf(1)
			}
		}
	}
}

// blockDot returns the dot products of the example (fi, fv) with the
// svmBlock weight vectors interleaved in w. It is unrolled by hand so that
// the sums stay in registers.
func blockDot(w []float32, fi []int32, fv []float32) [svmBlock]float32 {
	var d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, d13, d14, d15 float32
	fv = fv[:len(fi)]
	for k, f := range fi {
		v := fv[k]
		r := (*[svmBlock]float32)(w[int(f)*svmBlock:])
		d0 += v * r[0]
		d1 += v * r[1]
		d2 += v * r[2]
		d3 += v * r[3]
		d4 += v * r[4]
		d5 += v * r[5]
		d6 += v * r[6]
		d7 += v * r[7]
		d8 += v * r[8]
		d9 += v * r[9]
		d10 += v * r[10]
		d11 += v * r[11]
		d12 += v * r[12]
		d13 += v * r[13]
		d14 += v * r[14]
		d15 += v * r[15]
	}
	return [svmBlock]float32{d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, d13, d14, d15}
}

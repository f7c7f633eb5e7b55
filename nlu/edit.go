package nlu

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Editing a trained matcher: [Matcher.With] adds, replaces and removes
// labels without training the others again. The matcher it returns
// shares everything it does not change with the one it came from, so
// both stay valid: predictions running on the old one finish there.
//
// A label With adds gets its own one-against-the-rest SVM, trained as
// Train would train it (the same solver and cost) on its phrases against
// every other phrase the matcher knows, including the out-of-scope ones
// and those of labels added before. The other labels keep their weights,
// so they have not seen the new phrases as negatives, and the words the
// base vocabulary lacks weigh as the rarest known ones do (the largest
// idf): the differences a full training would make. Its weights sit in
// an inverted index by feature next to the base model's, read after the
// base scores; its phrases are in an exact-phrase table and a typo index
// of their own, and the words of its phrases the base does not know in a
// typo index read after the base's (see withTypos). The calibration
// offset is fitted again to the new number of labels and phrases, as
// Train would.
//
// A label With removes is masked: it is never predicted, and Set ignores
// it. A removed label of the base model still weighs, as a negative, in
// the models of the others until the next Train.

// An extension is what [Matcher.With] changed in a base model: the labels
// it added (label len(bias)+i is labels[i]) and those it removed.
type extension struct {
	labels []*extLabel
	gone   []bool                   // per base label: removed
	rows   map[int32][]labelWeight  // base feature → weights of added labels
	fresh  map[uint64][]labelWeight // feature the base does not know → weights
	exact  map[uint64][]int32       // phrase key → added labels (global index)
	near   nearIndex                // phrases of the added labels, by local index
	ids    map[string]int32         // near's word ids
}

type labelWeight struct {
	label int32 // global index
	w     float32
}

// An extLabel is a label With added: its SVM and its phrases.
type extLabel struct {
	name string
	bias float32
	// The weights, over the base features and over the others.
	base   []int32
	baseW  []float32
	fresh  []uint64
	freshW []float32
	vecs   []extVec   // the training vectors of its phrases
	words  [][]string // the words of each training phrase, for typos
	exact  []uint64   // the keys of its training phrases
	kw     [][]string // the terms of its keyword patterns
	mean   []float32  // the unit mean of its phrases' mean word vectors (see closeness), or nil
}

// An extVec is a training vector of an added label: its values on base
// features and on features the base does not know.
type extVec struct {
	idx    []int32
	val    []float32
	fresh  []uint64
	freshV []float32
}

// ErrNotEditable is returned by [Matcher.With] for a matcher made by
// [Load], which does not keep the training vectors that editing needs.
var ErrNotEditable = errors.New("nlu: a loaded matcher cannot be edited: train it")

// With returns a matcher that knows what m knows, but that the labels of
// add have the examples of add (added, or replacing what m had for them),
// and that the labels in remove are gone. m is not changed and stays
// valid. Only the labels of add are trained, each in time proportional
// to the number of phrases the matcher knows (on a bot of 7,500 phrases,
// milliseconds); the others keep their models (see the package's
// Caveats). A misspelt query word is read as a word of the added labels'
// phrases as it is as a training word (see the package's Matching), when
// no word of m's own training fits. Examples are checked as Train checks
// them; [OutOfScope] examples cannot be added, nor [OutOfScope] removed.
// Removing a label m does not know is not an error.
func (m *Matcher) With(add []Example, remove []string) (*Matcher, error) {
	if m.data == nil {
		return nil, ErrNotEditable
	}
	var errs []error
	var order []string // the labels of add, in order of first appearance
	byLabel := map[string][]Example{}
	for i, ex := range add {
		switch {
		case strings.TrimSpace(ex.Label) == "":
			errs = append(errs, fmt.Errorf("nlu: example %d: empty label", i))
			continue
		case ex.Label == OutOfScope:
			errs = append(errs, fmt.Errorf("nlu: example %d: With cannot add %q examples", i, OutOfScope))
			continue
		case len(Tokenize(ex.Text)) == 0:
			errs = append(errs, fmt.Errorf("nlu: example %d (%q): no words in %q", i, ex.Label, ex.Text))
			continue
		}
		if err := checkMarks(ex, i, m.ents); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, ok := byLabel[ex.Label]; !ok {
			order = append(order, ex.Label)
		}
		byLabel[ex.Label] = append(byLabel[ex.Label], ex)
	}
	for _, l := range remove {
		if l == OutOfScope {
			errs = append(errs, fmt.Errorf("nlu: With cannot remove %q", OutOfScope))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	drop := map[string]bool{}
	for _, l := range remove {
		drop[l] = true
	}
	for _, l := range order {
		drop[l] = true
	}

	nb := len(m.bias)
	x := &extension{gone: make([]bool, nb)}
	if m.ext != nil {
		copy(x.gone, m.ext.gone)
		for _, el := range m.ext.labels {
			if !drop[el.name] {
				x.labels = append(x.labels, el)
			}
		}
	}
	for l := range drop {
		if i, ok := m.index[l]; ok && int(i) < nb {
			x.gone[i] = true
		}
	}
	kept := len(x.labels) // the labels to train come after these
	for _, l := range order {
		x.labels = append(x.labels, m.newExtLabel(l, byLabel[l]))
	}
	for k := kept; k < len(x.labels); k++ {
		m.trainExt(x, k)
	}

	n := &Matcher{model: m.model}
	n.ext = x
	n.labels = slices.Clone(m.labels[:nb])
	n.trained = slices.Clone(m.trained[:nb])
	n.index = make(map[string]int32, nb+len(x.labels))
	for i, l := range m.labels[:nb] {
		if !x.gone[i] {
			n.index[l] = int32(i)
		}
	}
	n.keywords = nil
	for _, p := range m.keywords {
		if !x.gone[p.label] {
			n.keywords = append(n.keywords, p)
		}
	}
	x.rows, x.fresh, x.exact = map[int32][]labelWeight{}, map[uint64][]labelWeight{}, map[uint64][]int32{}
	words := make([][][]string, len(x.labels))
	for k, el := range x.labels {
		g := int32(nb + k)
		n.labels = append(n.labels, el.name)
		n.index[el.name] = g
		n.trained = append(n.trained, len(el.vecs) > 0)
		for j, f := range el.base {
			x.rows[f] = append(x.rows[f], labelWeight{g, el.baseW[j]})
		}
		for j, h := range el.fresh {
			x.fresh[h] = append(x.fresh[h], labelWeight{g, el.freshW[j]})
		}
		for _, key := range el.exact {
			if !slices.Contains(x.exact[key], g) {
				x.exact[key] = append(x.exact[key], g)
			}
		}
		for _, terms := range el.kw {
			n.keywords = append(n.keywords, keywordPattern{label: g, terms: terms})
		}
		words[k] = el.words
	}
	x.near, x.ids = newNearIndex(words, m.an.term)
	n.typos = m.withTypos(x.labels)
	// The cached terms hold the training words that query words misspell,
	// which the new labels change.
	n.terms = new(termCache)
	n.calibrate()
	return n, nil
}

// removed reports whether label i was removed by With.
func (m *model) removed(i int) bool {
	return m.ext != nil && i < len(m.ext.gone) && m.ext.gone[i]
}

// biasOf returns the bias of label l's SVM.
func (m *model) biasOf(l int32) float64 {
	if nb := int32(len(m.bias)); l >= nb {
		return float64(m.ext.labels[l-nb].bias)
	}
	return float64(m.bias[l])
}

// newExtLabel vectorizes the examples of label name for an extension.
func (m *Matcher) newExtLabel(name string, examples []Example) *extLabel {
	el := &extLabel{name: name}
	var terms, words []string
	var feats [nViews][]uint64
	for _, ex := range examples {
		terms, words = terms[:0], words[:0]
		for _, t := range m.tokens(nil, ex.Text, ex.Marks) {
			words = append(words, t.Text)
			terms = append(terms, m.an.term(t.Text))
		}
		if ex.Keyword {
			el.kw = append(el.kw, slices.Clone(terms))
			continue
		}
		if !ex.Evidence {
			k := phraseKey(terms)
			if !slices.Contains(el.exact, k) {
				el.exact = append(el.exact, k)
			}
			el.words = append(el.words, slices.Clone(words))
		}
		viewFeatures(terms, words, &feats)
		el.vecs = append(el.vecs, m.extVector(&feats))
	}
	el.mean = m.labelMeaning(el.words)
	return el
}

// extVector is vectorize for a phrase of an added label: features the
// base does not know weigh with the largest idf, as they count in a
// query's norm.
func (m *Matcher) extVector(feats *[nViews][]uint64) extVec {
	var v extVec
	v.idx, v.val = m.vectorize(feats, nil, nil, &v)
	return v
}

// trainExt trains the SVM of x.labels[k] against every phrase the matcher
// knows: the base model's (but those of removed labels) and those of the
// other added labels. It is Train's solver (dual coordinate descent, the
// same cost and at most as many passes) for one label, with LIBLINEAR's
// shrinking: an example far on the right side of the margin is left out
// of the next passes.
func (m *Matcher) trainExt(x *extension, k int) {
	d := m.data
	p := svmFor(d.len() - 1) // the base's parameters; its last example is the null one
	nf := len(m.idf)
	// The added labels' vectors, with the features the base does not
	// know numbered after its own.
	freshID := map[uint64]int32{}
	ext := dataset{off: []int32{0}}
	for e, el := range x.labels {
		for _, v := range el.vecs {
			ext.idx, ext.val = append(ext.idx, v.idx...), append(ext.val, v.val...)
			for j, h := range v.fresh {
				id, ok := freshID[h]
				if !ok {
					id = int32(nf + len(freshID))
					freshID[h] = id
				}
				ext.idx, ext.val = append(ext.idx, id), append(ext.val, v.freshV[j])
			}
			ext.off = append(ext.off, int32(len(ext.idx)))
			ext.y = append(ext.y, int32(e))
		}
	}
	// Examples 0 to nBase-1 are the base's, the others ext's.
	nBase := d.len()
	var index []int32
	for i := range nBase + ext.len() {
		if i < nBase && d.y[i] >= 0 && x.gone[d.y[i]] {
			continue
		}
		index = append(index, int32(i))
	}
	row := func(i int32) (fi []int32, fv []float32) {
		if int(i) < nBase {
			return d.idx[d.off[i]:d.off[i+1]], d.val[d.off[i]:d.off[i+1]]
		}
		i -= int32(nBase)
		return ext.idx[ext.off[i]:ext.off[i+1]], ext.val[ext.off[i]:ext.off[i+1]]
	}
	n := nBase + ext.len()
	qd := make([]float64, n)
	y := make([]float64, n)
	dii := make([]float64, n)
	for _, i := range index {
		_, fv := row(i)
		s := p.bias * p.bias
		for _, v := range fv {
			s += float64(v) * float64(v)
		}
		qd[i], y[i], dii[i] = s, -1, 1/(2*p.c)
		if int(i) < nBase && d.cost != nil {
			dii[i] /= float64(d.cost[i])
		}
		if int(i) >= nBase && ext.y[int(i)-nBase] == int32(k) {
			y[i] = 1
		}
	}
	w := make([]float32, nf+len(freshID))
	var b float32
	bias := float32(p.bias)
	alpha := make([]float64, n)
	rng := rand.New(rand.NewPCG(uint64(len(m.bias)+k)+1, 0x5eed))
	active := len(index)
	pgMaxOld := math.Inf(1)
	for epoch := 0; epoch < p.epochs; epoch++ {
		for i := active - 1; i > 0; i-- {
			j := rng.IntN(i + 1)
			index[i], index[j] = index[j], index[i]
		}
		pgMax, pgMin := math.Inf(-1), math.Inf(1)
		for s := 0; s < active; s++ {
			i := index[s]
			fi, fv := row(i)
			var dot float32
			for j, f := range fi {
				dot += w[f] * fv[j]
			}
			g := y[i]*float64(dot+b*bias) - 1 + dii[i]*alpha[i]
			pg := g
			if alpha[i] == 0 {
				if g > pgMaxOld {
					// Shrink: far on the right side of the margin.
					active--
					index[s], index[active] = index[active], index[s]
					s--
					continue
				}
				pg = min(g, 0)
			}
			pgMax, pgMin = max(pgMax, pg), min(pgMin, pg)
			if math.Abs(pg) < 1e-12 {
				continue
			}
			old := alpha[i]
			alpha[i] = max(old-g/(qd[i]+dii[i]), 0)
			delta := float32((alpha[i] - old) * y[i])
			if delta == 0 {
				continue
			}
			for j, f := range fi {
				w[f] += delta * fv[j]
			}
			b += delta * bias
		}
		if pgMax-pgMin < p.eps {
			if active == len(index) {
				break
			}
			active, pgMaxOld = len(index), math.Inf(1) // check them all again
			continue
		}
		pgMaxOld = pgMax
		if pgMaxOld <= 0 {
			pgMaxOld = math.Inf(1)
		}
	}
	el := x.labels[k]
	el.bias = b
	el.base, el.baseW, el.fresh, el.freshW = nil, nil, nil, nil
	byID := make([]uint64, len(freshID))
	for h, id := range freshID {
		byID[int(id)-nf] = h
	}
	for f, v := range w {
		if v < pruneWeight && v > -pruneWeight {
			continue
		}
		if f < nf {
			el.base, el.baseW = append(el.base, int32(f)), append(el.baseW, v)
		} else {
			el.fresh, el.freshW = append(el.fresh, byID[f-nf]), append(el.freshW, v)
		}
	}
}

// score sets the margins of the added labels for the query that
// Matcher.score has read into sc, and counts the features only they know
// in the query's coverage.
func (x *extension) score(m *Matcher, sc *scratch) {
	nb := len(m.bias)
	for k, el := range x.labels {
		sc.raw[nb+k] = float64(el.bias)
	}
	// The known features: sum the counts of each one first, since the
	// term frequency is sublinear.
	hits := sc.fix[:0]
	for _, e := range sc.ents {
		if _, ok := x.rows[int32(e>>32)]; ok {
			hits = append(hits, e&^entryCached)
		}
	}
	insertionSort(hits)
	for i := 0; i < len(hits); {
		f := int32(hits[i] >> 32)
		total := 0
		for ; i < len(hits) && int32(hits[i]>>32) == f; i++ {
			total += int(hits[i] & (entryCached - 1))
		}
		v := float64(tfWeight(total)*m.idf[f]) * sc.scale[m.viewOf(f)]
		for _, lw := range x.rows[f] {
			sc.raw[lw.label] += v * float64(lw.w)
		}
	}
	sc.fix = hits[:0]
	// The stand-ins of unknown words (see addStandIns), on base terms.
	for _, s := range sc.si {
		v := float64(s.x*m.idf[s.f]) * sc.scale[viewTerm]
		for _, lw := range x.rows[s.f] {
			sc.raw[lw.label] += v * float64(lw.w)
		}
	}
	// The features the base does not know, in sc.unk and, of the
	// query's names, sc.nameUnk (sorted), which weigh less in its norm.
	var freshSq [nViews]float64
	fresh := false
	for view := range nViews {
		for k, unk := range [2][]uint64{sc.unk[view], sc.nameUnk[view]} {
			for i := 0; i < len(unk); {
				j := i + 1
				for j < len(unk) && unk[j] == unk[i] {
					j++
				}
				if ws, ok := x.fresh[unk[i]]; ok {
					v := float64(tfWeight(j-i) * m.maxIDFv)
					if k == 0 {
						freshSq[view] += v * v
					} else {
						freshSq[view] += m.meaning.name * v * v
					}
					fresh = true
					for _, lw := range ws {
						sc.raw[lw.label] += v * sc.scale[view] * float64(lw.w)
					}
				}
				i = j
			}
		}
	}
	if fresh {
		unk := sc.unkNorm
		for v := range unk {
			unk[v] -= freshSq[v]
		}
		sc.coverage = m.coverage(sc.norm, unk)
	}
}

// nearPhrase is Matcher.nearPhrase for the added label k.
func (x *extension) nearPhrase(k int32, sc *scratch) float64 {
	qw, qt := sc.extWord[:0], sc.extTerm[:0]
	for i, w := range sc.words {
		id, ok := x.ids[w]
		if !ok {
			id = -1
		}
		tid, ok := x.near.termIDs[sc.terms[i]]
		if !ok {
			tid = -1
		}
		qw, qt = append(qw, id), append(qt, tid)
	}
	sc.extWord, sc.extTerm = qw, qt
	return x.near.closest(k, sc, qw, qt)
}

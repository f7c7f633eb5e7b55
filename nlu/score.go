package nlu

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// Scoring a query is a sparse dot product of its TF-IDF vector with every
// label's weights. Most of a query's features are character n-grams of its
// words, and the common n-grams have a weight for nearly every label, so
// the matcher caches, for each frequent training word, the sum of its
// n-grams' weighted rows: a known word then costs two rows (the sum and
// its term's, which is in another view; see vectorize) instead of a
// dozen. Features that several words share (a repeated word, "the" in "the
// other") break the sum's assumption of one occurrence each, and get a
// correction, so the result is the same as the plain product up to float
// rounding. A cached word also brings its share of the query vector's
// squared norm, which the shared features correct too; a small hash set
// of the query's features finds them, so no feature list is ever sorted
// whole.

// wordCache holds the cached words of a Matcher.
type wordCache struct {
	known       map[string]knownWord // every training word
	index       map[string]int32     // normalised word → cached word
	off         []int32              // word i's features are feats[off[i]:off[i+1]]
	feats       []uint64             // feature index << 32 | entryCached (n-grams) | count within the word
	contrib     []float32            // word i's n-grams' row sum: contrib[i*nl : (i+1)*nl]
	sumsq       []float64            // word i's n-grams' share of a query's squared norm
	own         []float32            // in a large bot, the part of sumsq on n-grams with a positive weight for each label: own[i*nl : (i+1)*nl]
	vocab       featureTable         // Matcher.vocab, for lookup
	exact       featureTable         // Matcher.exact's keys → index in exactLabels
	exactLabels [][]int32            // labels of the exact phrases
}

// A knownWord is a training word: its term, its index in the cache or -1,
// the ids of the word and of its term in the near index or -1, and its
// row in the mean vectors' index or -1.
type knownWord struct {
	term               string
	cache              int32
	mean               int32
	phrase, phraseTerm int32
}

// unseenTerm is the phraseTerm of a query word the matcher does not know,
// until nearWords looks its term up.
const unseenTerm = -2

// maxCacheWeights bounds the cache: at most this many float32 row sums
// (32 MiB). The most frequent training words are cached first.
const maxCacheWeights = 8 << 20

// cacheWords builds m.cache from the trained model. Load calls it too, so
// the cache is never serialised.
func (m *Matcher) cacheWords() {
	nl := len(m.labels)
	freq := map[string]int{}
	for _, ps := range m.phrases {
		for _, p := range ps {
			for _, w := range p {
				freq[w]++
			}
		}
	}
	words := make([]string, 0, len(freq))
	for w := range freq {
		words = append(words, w)
	}
	slices.SortFunc(words, func(a, b string) int {
		if c := cmp.Compare(freq[b], freq[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	c := wordCache{index: map[string]int32{}, off: []int32{0}, vocab: newFeatureTable(m.vocab)}
	var hashes []uint64
	for _, w := range words {
		if (len(c.index)+1)*nl > maxCacheWeights {
			break
		}
		hashes = charFeatures(append(hashes[:0], termHash(m.an.term(w))), w)
		slices.Sort(hashes)
		start := len(c.feats)
		known := true
		for i := 0; i < len(hashes); {
			j := i + 1
			for j < len(hashes) && hashes[j] == hashes[i] {
				j++
			}
			f, ok := m.vocab[hashes[i]]
			if !ok {
				known = false // a keyword-only word: not cached
				break
			}
			flag := uint64(entryCached)
			if m.viewOf(f) != viewChar {
				flag = 0 // the term is added on its own, to its view
			}
			c.feats = append(c.feats, uint64(f)<<32|flag|uint64(j-i))
			i = j
		}
		if !known {
			c.feats = c.feats[:start]
			continue
		}
		slices.Sort(c.feats[start:])
		c.index[w] = int32(len(c.off) - 1)
		c.off = append(c.off, int32(len(c.feats)))
	}
	// The row sums, once the cached words are known: allocated at their
	// size and summed in place.
	nw := len(c.off) - 1
	c.contrib = make([]float32, nw*nl)
	c.sumsq = make([]float64, nw)
	if m.large {
		c.own = make([]float32, nw*nl)
	}
	for i := range nw {
		sum := c.contrib[i*nl : (i+1)*nl]
		var sq float64
		for _, fc := range c.feats[c.off[i]:c.off[i+1]] {
			if fc&entryCached == 0 {
				continue
			}
			f, n := int32(fc>>32), int(fc&(entryCached-1))
			v := tfWeight(n) * m.idf[f]
			m.addRow(sum, f, v)
			sq += float64(v) * float64(v)
			if c.own != nil {
				m.addPositive(c.own[i*nl:(i+1)*nl], f, v*v)
			}
		}
		c.sumsq[i] = sq
	}
	c.known = make(map[string]knownWord, len(m.an.stems))
	for w, t := range m.an.stems {
		ci, ok := c.index[w]
		if !ok {
			ci = -1
		}
		c.known[w] = knownWord{term: t, cache: ci, mean: -1}
	}
	keys := make(map[uint64]int32, len(m.exact))
	for k, ls := range m.exact {
		keys[k] = int32(len(c.exactLabels))
		c.exactLabels = append(c.exactLabels, ls)
	}
	c.exact = newFeatureTable(keys)
	m.cache = c
	m.terms = new(termCache)
	m.calibrate()
	m.buildNear()
	m.buildStandIns()
	m.buildMeaning()
	m.buildTypos(words)
}

// tfWeight is the sublinear term frequency of a feature seen n times.
func tfWeight(n int) float32 {
	if n < len(tfTable) {
		return tfTable[n]
	}
	return float32(1 + math.Log(float64(n)))
}

var tfTable = func() (t [16]float32) {
	for n := 1; n < len(t); n++ {
		t[n] = float32(1 + math.Log(float64(n)))
	}
	return t
}()

// addRow adds v times feature f's weights to acc.
func (m *Matcher) addRow(acc []float32, f int32, v float32) {
	lo, hi := m.rows[f], m.rows[f+1]
	ws := m.wValue[lo:hi]
	if len(ws) == len(acc) {
		addVec(acc, ws, v) // a whole row: label l's weight is ws[l]
		return
	}
	ls := m.wLabel[m.lRows[f]:m.lRows[f+1]]
	ws = ws[:len(ls)]
	for j, l := range ls {
		acc[l] += v * ws[j]
	}
}

// addPositive adds v to acc[l] for each label l that feature f has a
// positive weight for.
func (m *Matcher) addPositive(acc []float32, f int32, v float32) {
	lo, hi := m.rows[f], m.rows[f+1]
	ws := m.wValue[lo:hi]
	if len(ws) == len(acc) {
		for l, w := range ws {
			if w > 0 {
				acc[l] += v
			}
		}
		return
	}
	for j, l := range m.wLabel[m.lRows[f]:m.lRows[f+1]] {
		if ws[j] > 0 {
			acc[l] += v
		}
	}
}

// A wholeRow is a whole row of weights to add to a query's margins, times
// v.
type wholeRow struct {
	ws []float32
	v  float32
}

// addRows adds v times feature f's weights to acc, as addRow does, but
// defers whole rows to pending, which it returns, and adds them together
// with addDense, in order, before a sparse row.
func (m *Matcher) addRows(acc []float32, f int32, v float32, pending []wholeRow) []wholeRow {
	lo, hi := m.rows[f], m.rows[f+1]
	ws := m.wValue[lo:hi]
	if len(ws) == len(acc) {
		return append(pending, wholeRow{ws, v})
	}
	m.addDense(acc, pending)
	ls := m.wLabel[m.lRows[f]:m.lRows[f+1]]
	ws = ws[:len(ls)]
	for j, l := range ls {
		acc[l] += v * ws[j]
	}
	return pending[:0]
}

// addDense adds the rows to acc, in order, up to four a pass: each label's
// sum is the same as adding them one by one.
func (m *Matcher) addDense(acc []float32, rows []wholeRow) {
	for ; len(rows) >= 4; rows = rows[4:] {
		w0, w1, w2, w3 := rows[0].ws[:len(acc)], rows[1].ws[:len(acc)], rows[2].ws[:len(acc)], rows[3].ws[:len(acc)]
		v0, v1, v2, v3 := rows[0].v, rows[1].v, rows[2].v, rows[3].v
		for l := range acc {
			acc[l] = acc[l] + v0*w0[l] + v1*w1[l] + v2*w2[l] + v3*w3[l]
		}
	}
	switch len(rows) {
	case 3:
		w0, w1, w2 := rows[0].ws[:len(acc)], rows[1].ws[:len(acc)], rows[2].ws[:len(acc)]
		v0, v1, v2 := rows[0].v, rows[1].v, rows[2].v
		for l := range acc {
			acc[l] = acc[l] + v0*w0[l] + v1*w1[l] + v2*w2[l]
		}
	case 2:
		w0, w1 := rows[0].ws[:len(acc)], rows[1].ws[:len(acc)]
		v0, v1 := rows[0].v, rows[1].v
		for l := range acc {
			acc[l] = acc[l] + v0*w0[l] + v1*w1[l]
		}
	case 1:
		addVec(acc, rows[0].ws, rows[0].v)
	}
}

// addVec adds v times ws to acc, which has the same length.
func addVec(acc, ws []float32, v float32) {
	ws = ws[:len(acc)]
	l := 0
	for ; l+4 <= len(ws); l += 4 {
		a, w := acc[l:l+4:l+4], ws[l:l+4:l+4]
		a[0] += v * w[0]
		a[1] += v * w[1]
		a[2] += v * w[2]
		a[3] += v * w[3]
	}
	for ; l < len(ws); l++ {
		acc[l] += v * ws[l]
	}
}

// sumRows sets acc to the sum of the row sums of the cached words ws, added
// in order: the same floats as adding them one by one to a zero acc, but
// four rows a pass.
func (c *wordCache) sumRows(acc []float32, ws []int32) {
	nl := len(acc)
	clear(acc)
	row := func(w int32) []float32 { return c.contrib[int(w)*nl : int(w)*nl+nl][:len(acc)] }
	for ; len(ws) >= 4; ws = ws[4:] {
		r0, r1, r2, r3 := row(ws[0]), row(ws[1]), row(ws[2]), row(ws[3])
		for l := range acc {
			acc[l] = acc[l] + r0[l] + r1[l] + r2[l] + r3[l]
		}
	}
	switch len(ws) {
	case 3:
		r0, r1, r2 := row(ws[0]), row(ws[1]), row(ws[2])
		for l := range acc {
			acc[l] = acc[l] + r0[l] + r1[l] + r2[l]
		}
	case 2:
		r0, r1 := row(ws[0]), row(ws[1])
		for l := range acc {
			acc[l] = acc[l] + r0[l] + r1[l]
		}
	case 1:
		r0 := row(ws[0])
		for l := range acc {
			acc[l] += r0[l]
		}
	}
}

// Flags of a scratch entry: the feature came from a cached word, whose row
// sum already holds it.
const entryCached = 1 << 31

// score fills sc.raw with every label's margin for the query in sc.words,
// sc.terms and sc.known.
func (m *Matcher) score(sc *scratch) {
	nl := len(m.bias) // the labels With added score in extension.score
	var acc [nViews][]float32
	for v := range acc {
		acc[v] = sc.acc[v][:nl]
	}
	ents := sc.ents[:0] // feature index << 32 | flags | count
	var unk [nViews][]uint64
	for v := range unk {
		unk[v] = sc.unk[v][:0]
	}
	var names [nViews][]uint64
	for v := range names {
		names[v] = sc.nameUnk[v][:0]
	}
	rows := sc.rows[:0]
	for i, w := range sc.rwords {
		if ci := sc.rknown[i].cache; ci >= 0 {
			ents = append(ents, m.cache.feats[m.cache.off[ci]:m.cache.off[ci+1]]...)
			rows = append(rows, ci)
			continue
		}
		dst := &unk
		if sc.name[i] {
			dst = &names
		}
		if len(sc.stand[i]) == 0 { // else its stand-ins take its place
			start := len(dst[viewTerm])
			dst[viewTerm] = append(dst[viewTerm], termHash(sc.rterms[i]))
			ents, dst[viewTerm] = m.lookup(ents, dst[viewTerm], start)
		}
		start := len(dst[viewChar])
		dst[viewChar] = charFeatures(dst[viewChar], w)
		ents, dst[viewChar] = m.lookup(ents, dst[viewChar], start)
	}
	prev, prevName := "^", false
	for i, t := range sc.rterms {
		if prevName || sc.name[i] {
			names[viewPair] = append(names[viewPair], bigramHash(prev, t))
		} else {
			unk[viewPair] = append(unk[viewPair], bigramHash(prev, t))
		}
		prev, prevName = t, sc.name[i]
	}
	if len(sc.rterms) > 0 {
		if prevName {
			names[viewPair] = append(names[viewPair], bigramHash(prev, "$"))
		} else {
			unk[viewPair] = append(unk[viewPair], bigramHash(prev, "$"))
		}
	}
	ents, unk[viewPair] = m.lookup(ents, unk[viewPair], 0)
	ents, names[viewPair] = m.lookup(ents, names[viewPair], 0)
	sc.ents, sc.unk, sc.rows, sc.nameUnk = ents, unk, rows, names
	m.cache.sumRows(acc[viewChar], rows)
	clear(acc[viewTerm])
	clear(acc[viewPair])

	// The norms of the views: each cached word's share of the character
	// n-grams, plus the features to fix, which the row sums hold wrongly
	// or not at all (a word's term is never in them).
	var norm [nViews]float64
	for _, ci := range rows {
		norm[viewChar] += m.cache.sumsq[ci]
	}
	fix := sc.set.shared(ents, sc.fix[:0])
	dense := sc.dense[:0]
	sc.fix = fix
	if len(fix) <= 32 {
		insertionSort(fix)
	} else {
		slices.Sort(fix)
	}
	// In feature order, as the plain product adds them; the views come
	// one after the other.
	view := viewTerm
	for i := 0; i < len(fix); {
		f := int32(fix[i] >> 32)
		if fv := m.viewOf(f); fv != view {
			m.addDense(acc[view], dense)
			dense, view = dense[:0], fv
		}
		var total int
		var cached float32
		var cachedSq float64
		j := i
		for ; j < len(fix) && int32(fix[j]>>32) == f; j++ {
			n := int(fix[j] & (entryCached - 1))
			total += n
			if fix[j]&entryCached != 0 {
				cached += tfWeight(n)
				v := tfWeight(n) * m.idf[f]
				cachedSq += float64(v) * float64(v)
			}
		}
		idf := m.idf[f]
		v := tfWeight(total) * idf
		norm[view] += float64(v)*float64(v) - cachedSq
		if d := v - cached*idf; d != 0 {
			dense = m.addRows(acc[view], f, d, dense)
		}
		i = j
	}
	m.addDense(acc[view], dense)
	sc.dense = dense[:0]
	if sc.anyStand {
		m.addStandIns(sc, acc[viewTerm], &norm[viewTerm])
	}
	// Unknown features count in the norms with the largest idf, those of
	// names (see nameWord) weighing meaningIndex.name of their square.
	var unkNorm [nViews]float64
	for v, hs := range unk {
		unkNorm[v] = m.unknownNorm(hs)
		if len(names[v]) > 0 {
			unkNorm[v] += m.meaning.name * m.unknownNorm(names[v])
		}
		norm[v] += unkNorm[v]
	}
	sc.coverage = m.coverage(norm, unkNorm)
	scale := m.viewScales(norm)
	sc.norm, sc.unkNorm, sc.scale = norm, unkNorm, scale
	for l := range nl {
		sc.raw[l] = float64(acc[viewTerm][l])*scale[viewTerm] + float64(acc[viewPair][l])*scale[viewPair] +
			float64(acc[viewChar][l])*scale[viewChar] + float64(m.bias[l])
	}
}

// lookup moves the hashes hs[start:] that are known features to ents, one
// entry each, and keeps the unknown ones in hs. Entries of one feature
// are summed later, as all the features of several entries are.
func (m *Matcher) lookup(ents, hs []uint64, start int) ([]uint64, []uint64) {
	keep := start
	for _, h := range hs[start:] {
		if f, ok := m.cache.vocab.get(h); ok {
			ents = append(ents, uint64(f)<<32|1)
		} else {
			hs[keep] = h
			keep++
		}
	}
	return ents, hs[:keep]
}

// A featureTable maps feature hashes to feature indexes, as Matcher.vocab
// does, for Predict: an open-addressing hash table with linear probing,
// at most half full, which costs one cache line per lookup.
type featureTable struct {
	slots []featureEntry
	shift uint8
}

type featureEntry struct {
	hash uint64
	f    int32 // the feature index + 1; 0: empty
}

func newFeatureTable(vocab map[uint64]int32) featureTable {
	n := 16
	for n < 2*len(vocab) {
		n *= 2
	}
	t := featureTable{slots: make([]featureEntry, n), shift: uint8(64 - bits.Len(uint(n-1)))}
	for h, f := range vocab {
		i := t.slot(h)
		for t.slots[i].f != 0 {
			i = (i + 1) & (len(t.slots) - 1)
		}
		t.slots[i] = featureEntry{hash: h, f: f + 1}
	}
	return t
}

func (t *featureTable) slot(h uint64) int {
	return int((h * 0x9e3779b97f4a7c15) >> t.shift)
}

// get returns the index of the feature with hash h.
func (t *featureTable) get(h uint64) (int32, bool) {
	mask := len(t.slots) - 1
	for i := t.slot(h); ; i = (i + 1) & mask {
		e := &t.slots[i]
		if e.hash == h && e.f != 0 {
			return e.f - 1, true
		}
		if e.f == 0 {
			return 0, false
		}
	}
}

// A featureSet finds the features that a query's scratch entries share.
// It is an open-addressing hash table of feature indexes, emptied for every
// query by a new generation rather than by clearing.
type featureSet struct {
	slots []featureSlot
	gen   uint32 // slots of another generation are empty
}

type featureSlot struct {
	key   int32 // feature index
	first int32 // the index of the feature's first entry, or -1 once in fix
	gen   uint32
}

// shared appends to fix the entries of ents (feature index << 32 | flags |
// count) that need a correction: those of features in more than one entry,
// and those not from a cached word (whose row sums do not hold them).
func (s *featureSet) shared(ents, fix []uint64) []uint64 {
	n := 64
	for n < 4*len(ents) {
		n *= 2
	}
	s.gen++
	if cap(s.slots) < n || s.gen == 0 {
		s.slots = make([]featureSlot, max(n, cap(s.slots)))
		s.gen = 1
	}
	slots := s.slots[:n]
	gen := s.gen
	shift := 64 - bits.Len(uint(n-1))
	for i, e := range ents {
		key := int32(e >> 32)
		h := int((uint64(key) * 0x9e3779b97f4a7c15) >> shift)
		for {
			sl := &slots[h]
			if sl.gen != gen {
				*sl = featureSlot{key: key, first: int32(i), gen: gen}
				if e&entryCached == 0 {
					fix = append(fix, e)
					sl.first = -1
				}
				break
			}
			if sl.key == key {
				if sl.first >= 0 {
					fix = append(fix, ents[sl.first])
					sl.first = -1
				}
				fix = append(fix, e)
				break
			}
			h = (h + 1) & (n - 1)
		}
	}
	return fix
}

// insertionSort sorts s in place; it is fast when s is short or nearly
// sorted.
func insertionSort(s []uint64) {
	for i := 1; i < len(s); i++ {
		v := s[i]
		j := i
		for ; j > 0 && s[j-1] > v; j-- {
			s[j] = s[j-1]
		}
		s[j] = v
	}
}

// unknownNorm sorts the hashes of unknown features hs and returns their
// squared norm, each weighing the largest idf.
func (m *Matcher) unknownNorm(hs []uint64) float64 {
	slices.Sort(hs)
	var n float64
	for i := 0; i < len(hs); {
		j := i + 1
		for j < len(hs) && hs[j] == hs[i] {
			j++
		}
		x := float64(tfWeight(j-i) * m.maxIDFv)
		n += x * x
		i = j
	}
	return n
}

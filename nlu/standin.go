package nlu

import (
	"slices"

	"github.com/parleybot/parley/nlu/wordvec"
)

// A word that no training phrase of a large English bot has, not even in
// another form, says nothing to the SVMs: its term is an unknown feature.
// Pretrained word vectors say which training words are close to it in
// meaning ("humidity" to "temperature" and "weather", "suite" to "room"),
// so the query reads it as those words: each training word of the
// matcher's term view whose vector has a cosine of standInCos or more with
// the word's, the standInTop closest, adds its term to the query with
// standInWeight times the cosine times the term's idf, in place of the
// unknown term. On CLINC150 (see MEASUREMENTS.md) that ranks 0.3 points
// more of val right and, at fixed refusals, keeps 0.3 to 0.4 points more
// in scope.

// englishVectors returns the English word vectors; tests count its calls.
var englishVectors = wordvec.English

// uncommonVector returns the unit English vector of the word w, or nil
// when the table lacks it or it is one of the common most frequent words,
// which stand for nothing in particular.
func uncommonVector(w string, common int) []float32 {
	t, err := englishVectors()
	if err != nil {
		return nil
	}
	r, ok := t.Rank(w)
	if !ok || r < common {
		return nil
	}
	return t.Vector(make([]float32, 0, t.Dim()), r)
}

// The stand-ins' parameters, measured on CLINC150 (see MEASUREMENTS.md).
const (
	standInCos    = 0.45
	standInTop    = 8
	standInWeight = 2
	// standInCommon: the most common words (the, what, it, ...) have no
	// stand-ins: their vectors are close to one another's more than they
	// say what a message means.
	standInCommon = 100
)

// A standInIndex holds the vectors of a matcher's training words whose
// terms are features, for standIns.
type standInIndex struct {
	dim  int
	vecs []float32 // word i's unit vector: vecs[i*dim : (i+1)*dim]
	feat []int32   // word i's term feature
}

// A standIn is a term feature that stands in for an unknown query word,
// and its weight: the query's value for it is x times its idf.
type standIn struct {
	f int32
	x float32
}

// buildStandIns sets m.stand for a large English matcher, from the
// training words of m.cache, which must be built; other matchers get none
// and never load the word vectors.
func (m *Matcher) buildStandIns() {
	m.stand = nil
	if m.large && m.lang == "english" {
		m.stand = m.newStandInIndex()
	}
}

// newStandInIndex gathers the vectors of m's training words whose terms
// are features of the term view, or returns nil without word vectors.
func (m *Matcher) newStandInIndex() *standInIndex {
	t, err := englishVectors()
	if err != nil {
		if m.an.log != nil {
			m.an.log.Warn("nlu: no word vectors: unknown words are matched without them", "err", err)
		}
		return nil
	}
	words := make([]string, 0, len(m.cache.known))
	for w := range m.cache.known {
		words = append(words, w)
	}
	slices.Sort(words) // rows in a fixed order, so that ties rank the same in every process
	x := &standInIndex{dim: t.Dim()}
	for _, w := range words {
		f, ok := m.cache.vocab.get(termHash(m.cache.known[w].term))
		if !ok || f >= m.viewEnd[viewTerm] {
			continue
		}
		if r, ok := t.Rank(w); ok {
			x.vecs = t.Vector(x.vecs, r)
			x.feat = append(x.feat, f)
		}
	}
	return x
}

// standIns returns the stand-ins of the unknown query word w, best first:
// the term features of the standInTop training words closest to it in
// meaning (one per term), with a cosine of standInCos or more.
func (m *Matcher) standIns(w string) []standIn {
	x := m.stand
	q := uncommonVector(w, standInCommon)
	if q == nil {
		return nil
	}
	var best []standIn // the cosine in x, best first
	for i, f := range x.feat {
		c := dot(q, x.vecs[i*x.dim:(i+1)*x.dim])
		if c < standInCos || len(best) == standInTop && c <= best[len(best)-1].x {
			continue
		}
		k := slices.IndexFunc(best, func(s standIn) bool { return s.f == f })
		switch {
		case k < 0 && len(best) < standInTop:
			best = append(best, standIn{f, c})
			k = len(best) - 1
		case k < 0:
			k = len(best) - 1
			best[k] = standIn{f, c}
		case c <= best[k].x:
			continue
		default:
			best[k].x = c
		}
		for ; k > 0 && best[k].x > best[k-1].x; k-- {
			best[k], best[k-1] = best[k-1], best[k]
		}
	}
	for i := range best {
		best[i].x *= standInWeight
	}
	return best
}

// dot returns the dot product of a and b, of the same length.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}

// addStandIns adds the stand-ins of the query's unknown words to the term
// view's margins acc and squared norm, once m.score has read the query's
// own features into sc.ents: a feature the query has itself gets none,
// and one that stands in for several words gets the sum of their weights.
// It leaves them in sc.si for the labels With added.
func (m *Matcher) addStandIns(sc *scratch, acc []float32, norm *float64) {
	si := sc.si[:0]
	for _, ws := range sc.stand {
		for _, s := range ws {
			if k := slices.IndexFunc(si, func(o standIn) bool { return o.f == s.f }); k >= 0 {
				si[k].x += s.x
				continue
			}
			if !slices.ContainsFunc(sc.ents, func(e uint64) bool { return int32(e>>32) == s.f }) {
				si = append(si, s)
			}
		}
	}
	for _, s := range si {
		v := s.x * m.idf[s.f]
		m.addRow(acc, s.f, v)
		*norm += float64(v) * float64(v)
	}
	sc.si = si
}

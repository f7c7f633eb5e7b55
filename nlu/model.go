package nlu

import (
	"math"
	"slices"
)

// sparse is a feature vector.
type sparse struct {
	idx []int32
	val []float32
}

// fit builds the vocabulary, the idf table, the exact-phrase table, the
// keyword patterns and the weights from the examples (already validated).
func (m *Matcher) fit(examples []Example) {
	type doc struct {
		label int32
		feats []uint64
	}
	var docs []doc
	df := map[uint64]int32{}
	for _, ex := range examples {
		l := m.index[ex.Label]
		terms := m.an.terms(ex.Text, nil)
		if ex.Keyword {
			m.keywords = append(m.keywords, keywordPattern{label: l, terms: terms})
			continue
		}
		if l != m.oos {
			k := phraseKey(terms)
			if !slices.Contains(m.exact[k], l) {
				m.exact[k] = append(m.exact[k], l)
			}
		}
		var words []string
		for _, t := range Tokenize(ex.Text) {
			words = append(words, t.Text)
		}
		f := m.an.features(terms, words, nil)
		docs = append(docs, doc{label: l, feats: f})
		for i, h := range f {
			if i == 0 || f[i-1] != h {
				df[h]++
			}
		}
	}
	// Feature indexes in order of first appearance, for determinism.
	m.vocab = map[uint64]int32{}
	for _, d := range docs {
		for _, h := range d.feats {
			if _, ok := m.vocab[h]; !ok {
				m.vocab[h] = int32(len(m.idf))
				m.idf = append(m.idf, float32(math.Log(float64(len(docs)+1)/float64(df[h]+1))+1))
			}
		}
	}
	nl := len(m.labels)
	m.bias = make([]float32, nl)
	m.weights = make([]float32, len(m.idf)*nl)
	maxIDF := m.maxIDF()
	xs := make([]sparse, len(docs))
	for i, d := range docs {
		xs[i].idx, xs[i].val = m.vectorize(d.feats, nil, nil, maxIDF)
	}
	// Simple scorer: class centroids.
	for i, x := range xs {
		l := int(docs[i].label)
		for k, f := range x.idx {
			m.weights[int(f)*nl+l] += x.val[k]
		}
	}
	norms := make([]float64, nl)
	for f := 0; f < len(m.idf); f++ {
		for l := 0; l < nl; l++ {
			w := float64(m.weights[f*nl+l])
			norms[l] += w * w
		}
	}
	for f := 0; f < len(m.idf); f++ {
		for l := 0; l < nl; l++ {
			if norms[l] > 0 {
				m.weights[f*nl+l] /= float32(math.Sqrt(norms[l]))
			}
		}
	}
}

func (m *Matcher) maxIDF() float32 {
	var x float32 = 1
	for _, v := range m.idf {
		x = max(x, v)
	}
	return x
}

// score fills sc.scores with the model's score of every label for the query
// in sc.terms and sc.words.
func (m *Matcher) score(sc *scratch) {
	sc.feats = m.an.features(sc.terms, sc.words, sc.feats[:0])
	sc.idx, sc.val = m.vectorize(sc.feats, sc.idx[:0], sc.val[:0], m.maxIDF())
	nl := len(m.labels)
	for k, f := range sc.idx {
		v := float64(sc.val[k])
		row := m.weights[int(f)*nl : int(f)*nl+nl]
		for l, w := range row {
			sc.raw[l] += v * float64(w)
		}
	}
	for l := range sc.raw {
		sc.scores[l] = min(1, max(0, sc.raw[l]+float64(m.bias[l])))
	}
}

package nlu

import (
	"math"
	"strings"
	"unicode/utf8"
)

// An English bot's score also weighs how close the query is in meaning
// to the label, by pretrained word vectors: an out-of-scope question often
// earns its margin from a word or two the label's SVM weighs up ("what
// does my personality mean" for a definition intent), while its other
// words are about something else. A text's meaning is the mean of its
// words' vectors, each weighing the log ratio of its idf (a word no
// training phrase has weighs the most) and the meaningCommon most common
// English words not at all; a label's is the mean of its training
// phrases', each of unit length. For each of the ten labels Predict
// weighs, the margin gains a weight times the cosine of the query's
// meaning with the label's less a constant: in a large bot meaningWeight
// and meaningMid, in a smaller one smallMeaningWeight and smallMeaningMid,
// and at most smallMeaningCap, so that a paraphrase still scores clearly
// under an exact phrase.
//
// In a large bot the cosine is taken in a space of its own (see
// whitening): the directions in which phrases of one label differ little
// weigh more, and those in which the labels' means differ little weigh
// less, so that the cosine tells labels apart better; where the labels'
// means span too few directions for that, the table's own space, with
// plainMeaningWeight and plainMeaningMid. On CLINC150 (see
// MEASUREMENTS.md), a large bot at fixed refusals keeps 0.4 points more
// in scope at 60 % refused and 1.4 points more at 80 % than without the
// closeness (0.16 and 0.31 of them from its own space); on the calibration
// test bed's sizes under 2,000 phrases, the default confidence keeps 0.7
// points more in scope on average and refuses 46 % of out-of-scope
// queries instead of 37 %. meaningMid keeps the threshold chosen on
// held-out phrases where it was before the space of its own.
const (
	meaningWeight      = 0.875
	meaningMid         = 0.52
	plainMeaningWeight = 1
	plainMeaningMid    = 0.6
	meaningRidge       = 1    // see whitening
	meaningFisher      = 0.25 // see whitening
	smallMeaningWeight = 1
	smallMeaningMid    = 0.5
	smallMeaningCap    = 0.3
	meaningCommon      = 500
)

// A meaningIndex holds the weighted word vectors of an English
// matcher's training words and the unit mean vector of each label.
type meaningIndex struct {
	dim  int
	nl   int32     // the labels of cent; a label With adds has its own (extLabel.mean)
	vecs []float32 // row i (a training word's knownWord.mean): its unit vector times its weight, transformed by tr
	cent []float32 // label l's: cent[l*dim : (l+1)*dim]
	none []bool    // per label: no phrase has a vector (cent zero)
	unk  float32   // the weight of a word no training phrase has
	mid  float64   // the cosine that adds nothing: meaningMid, plainMeaningMid or smallMeaningMid
	wt   float64   // the cosine's weight: meaningWeight, plainMeaningWeight or smallMeaningWeight
	name float64   // the weight of a name's unknown features in the query's squared norm (see nameWeight)
	tr   []float32 // a large bot's model.whiten, applied to every vector (vecs, cent, an unknown word's), or nil
}

// buildMeaning sets m.meaning for an English matcher, from the
// training words of m.cache, which must be built, and m.phrases, and the
// rows of the training words in m.cache.known; other matchers get none
// and never load the word vectors.
func (m *Matcher) buildMeaning() {
	m.meaning = nil
	if m.lang != "english" {
		return
	}
	t, err := englishVectors()
	if err != nil {
		return // newStandInIndex logs it
	}
	n := 0
	for _, ps := range m.phrases {
		n += len(ps)
	}
	d := t.Dim()
	x := &meaningIndex{dim: d, nl: int32(len(m.labels)), unk: float32(math.Log(float64(n + 1)))}
	x.mid, x.wt = meaningMid, meaningWeight
	if !m.large {
		x.mid, x.wt = smallMeaningMid, smallMeaningWeight
	}
	type ranked struct {
		w    string
		rank int
	}
	var words []ranked
	for w := range m.cache.known {
		if r, ok := t.Rank(w); ok && r >= meaningCommon {
			words = append(words, ranked{w, r})
		}
	}
	x.vecs = make([]float32, 0, len(words)*d)
	for i, w := range words {
		kw := m.cache.known[w.w]
		kw.mean = int32(i)
		m.cache.known[w.w] = kw
		x.vecs = scaled(t.Vector(x.vecs, w.rank), i*d, m.meaningWeightOf(kw.term, x.unk))
	}
	m.meaning = x
	if m.large {
		if len(m.whiten) != d*d {
			// Training, or a model without one: whitening returns nil
			// again, quickly where too few labels have phrases.
			m.whiten = m.whitening()
		}
		x.tr = m.whiten
		if x.tr == nil {
			x.mid, x.wt = plainMeaningMid, plainMeaningWeight
		}
		for i := 0; x.tr != nil && i < len(x.vecs); i += d {
			applyTransform(x.vecs[i:i+d], x.tr)
		}
	}
	x.name = 1
	if !m.large {
		x.name = m.nameWeight()
	}
	x.cent, x.none = make([]float32, len(m.labels)*d), make([]bool, len(m.labels))
	for l, ps := range m.phrases {
		x.none[l] = !m.phrasesMeaning(x.cent[l*d:(l+1)*d], ps)
	}
}

// applyTransform sets v to tr·v.
func applyTransform(v []float32, tr []float32) {
	d := len(v)
	var tmp [128]float32
	w := tmp[:0]
	if d > len(tmp) {
		w = make([]float32, 0, d)
	}
	w = append(w, v...)
	for i := range d {
		v[i] = dot(tr[i*d:(i+1)*d], w)
	}
}

// phrasesMeaning sets c, of the index's dimension, to the unit mean of the
// phrases' mean word vectors, and reports whether one phrase had one. A
// word no training phrase has weighs as in a query (meaningVector).
func (m *Matcher) phrasesMeaning(c []float32, phrases [][]string) bool {
	clear(c)
	v := make([]float32, m.meaning.dim)
	for _, p := range phrases {
		if m.phraseVector(v, p) {
			addTo(c, v)
		}
	}
	return unit(c)
}

// phraseVector sets v, of the index's dimension, to the unit mean vector
// of the phrase's words, and reports whether one had a vector.
func (m *Matcher) phraseVector(v []float32, phrase []string) bool {
	x := m.meaning
	d := x.dim
	clear(v)
	for _, w := range phrase {
		if kw, ok := m.cache.known[w]; ok {
			if kw.mean >= 0 {
				addTo(v, x.vecs[int(kw.mean)*d:int(kw.mean+1)*d])
			}
		} else if wv := m.meaningVector(w); wv != nil {
			addTo(v, wv)
		}
	}
	return unit(v)
}

// labelMeaning returns the unit mean vector of the phrases of a label
// With adds, or nil when the matcher weighs no closeness or no phrase has
// a word with a vector.
func (m *Matcher) labelMeaning(phrases [][]string) []float32 {
	if m.meaning == nil {
		return nil
	}
	c := make([]float32, m.meaning.dim)
	if !m.phrasesMeaning(c, phrases) {
		return nil
	}
	return c
}

// meaningWeightOf returns the weight in a mean vector of a word whose
// term is term: the log ratio of the term's idf, or unk when the term is
// not a feature.
func (m *Matcher) meaningWeightOf(term string, unk float32) float32 {
	if f, ok := m.cache.vocab.get(termHash(term)); ok && f < m.viewEnd[viewTerm] {
		if m.large {
			return m.idf[f] - largeIDF
		}
		return m.idf[f] - 1
	}
	return unk
}

// meaningVector returns the weighted vector of the query word w, which no
// training phrase has, in the index's space, or nil.
func (m *Matcher) meaningVector(w string) []float32 {
	v := uncommonVector(w, meaningCommon)
	if v == nil {
		return nil
	}
	scaled(v, 0, m.meaning.unk)
	if m.meaning.tr != nil {
		applyTransform(v, m.meaning.tr)
	}
	return v
}

// scaled multiplies v[from:] by a and returns v.
func scaled(v []float32, from int, a float32) []float32 {
	for i := from; i < len(v); i++ {
		v[i] *= a
	}
	return v
}

// addTo adds x to y, of the same length.
func addTo(y, x []float32) {
	x = x[:len(y)]
	for i := range y {
		y[i] += x[i]
	}
}

// unit scales v to unit length and reports whether it was not zero.
func unit(v []float32) bool {
	s := float64(dot(v, v))
	if s == 0 {
		return false
	}
	scaled(v, 0, float32(1/math.Sqrt(s)))
	return true
}

// closeness sets near[k] to the index's weight times the cosine of the
// query's mean vector with label ls[k]'s, less its mid (in a small bot at
// most smallMeaningCap), after readQuery; it leaves near[k] at 0
// for a label none of whose phrases has a word with a vector, and for
// every label when no word of the query has a vector.
func (m *Matcher) closeness(sc *scratch, ls []int32, near []float64) {
	x := m.meaning
	d := x.dim
	if cap(sc.mean) < d {
		sc.mean = make([]float32, d)
	}
	q := sc.mean[:d]
	clear(q)
	for i, kw := range sc.rknown {
		if r := kw.mean; r >= 0 {
			addTo(q, x.vecs[int(r)*d:int(r+1)*d])
		} else if sc.vec[i] != nil {
			addTo(q, sc.vec[i])
		}
	}
	if !unit(q) {
		return
	}
	for k, l := range ls {
		var c []float32
		switch {
		case l < x.nl && !x.none[l]:
			c = x.cent[int(l)*d : int(l+1)*d]
		case l >= x.nl && m.ext != nil:
			c = m.ext.labels[l-x.nl].mean
		}
		if c == nil {
			continue
		}
		near[k] = x.wt * (float64(dot(q, c)) - x.mid)
		if !m.large {
			near[k] = min(near[k], smallMeaningCap)
		}
	}
}

// A query word of an English bot that no training phrase has in any form
// and that is no word of the English word vectors' table (the 40,000 most
// frequent words) is a name: of a place, a person, a product, or a number
// ("hackerbrücke", "spago", "401k", "12"). An unknown common word is the
// mark of a message about something else, but a bot cannot know every
// station, restaurant or number its users will name, and its own phrases
// say how often they name one: a name's unknown features weigh, in the
// query's squared norm and so against its coverage, the share of the
// bot's training phrases that hold no name. In a bot of a transport
// company whose phrases name a station nearly every time, "harthaus to
// hackerbrücke" reads as "to" between two names; in a bot whose phrases
// name nothing, a name weighs as any unknown word. On the calibration
// test bed (see MEASUREMENTS.md), whose CLINC150 phrases seldom name
// anything, the default confidence keeps as many in scope and refuses
// 0.1 points fewer out-of-scope queries. Bots of largeBot phrases or
// more read names as any unknown word: with names weighing less there,
// the threshold chosen on CLINC150's val split kept 0.03 points less in
// scope.

// nameWord reports whether w, a word of an English text, is a name: no
// word of the English word vectors' table, nor a single letter ("i"),
// nor a table word with a clitic or a plural's "s" ("what's", "i'm",
// "isn't", "firewalls"), nor an entity class.
func nameWord(w string) bool {
	if utf8.RuneCountInString(w) < 2 || isClass(w) || englishWord(w) {
		return false
	}
	if b, _, ok := strings.Cut(w, "'"); ok && (utf8.RuneCountInString(b) < 2 || englishWord(b)) {
		return false
	}
	for _, suffix := range [...]string{"n't", "s"} {
		if b, ok := strings.CutSuffix(w, suffix); ok && englishWord(b) {
			return false
		}
	}
	return true
}

// nameWeight returns the share of m's training phrases (of its labels,
// not the out-of-scope class) that hold no name, or 1 without phrases.
func (m *Matcher) nameWeight() float64 {
	names := map[string]bool{}
	n, named := 0, 0
	for l, ps := range m.phrases {
		if int32(l) == m.oos {
			continue
		}
		for _, p := range ps {
			n++
			for _, w := range p {
				is, ok := names[w]
				if !ok {
					is = nameWord(w)
					names[w] = is
				}
				if is {
					named++
					break
				}
			}
		}
	}
	if n == 0 {
		return 1
	}
	return 1 - float64(named)/float64(n)
}

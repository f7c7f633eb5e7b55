package nlu

import (
	"unicode"
)

// A query word that no training phrase has in any form (its term is not a
// feature) says nothing to the SVMs, and a misspelt word ("cancle",
// "anwser") is such a word: only the character n-grams it shares with the
// word meant count. So a query word of minTypoLen letters or more that is
// a training word of minTypoLen letters or more with one typo (a letter
// added, dropped, changed, or two neighbours swapped; see oneTypo) is read
// as that training word: its term, its word pairs, its character n-grams
// and its vector are the training word's. Of several, the most frequent
// in the training phrases is taken, then the first in alphabetical order.
// In an English matcher, a word of the English word vectors' table is a
// word of its own, not a typo: it keeps its stand-ins and its vector.
// The exact and near-phrase matches and the keyword patterns still see
// the word as written, so a misspelt training phrase scores 0.9 as
// before. On CLINC150 with one typo in a word of five letters or more of
// each val query (BenchmarkTypos; see MEASUREMENTS.md), the best match is
// right for 94.1 % instead of 90.0 %, and clean queries score as before.

// typoWords holds the training words a misspelt query word may be read as.
type typoWords struct {
	index typoIndex
	words []string // id → training word, the most frequent first
}

// buildTypos sets m.typos from words, the training words of the phrases,
// the most frequent first; m.cache.known must be built. It keeps the
// words of minTypoLen letters or more whose terms are features of the
// term view.
func (m *Matcher) buildTypos(words []string) {
	x := &typoWords{}
	for _, w := range words {
		kw, ok := m.cache.known[w]
		if !ok || !typoLetters(w) {
			continue
		}
		if f, ok := m.cache.vocab.get(termHash(kw.term)); !ok || f >= m.viewEnd[viewTerm] {
			continue
		}
		x.index.add(w, int32(len(x.words)))
		x.words = append(x.words, w)
	}
	x.index.sort()
	m.typos = x
}

// typoLetters reports whether w may be read with a typo: a word of
// minTypoLen letters or more (combining marks count as letters), and
// nothing else.
func typoLetters(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.In(r, unicode.L, unicode.M) {
			return false
		}
		n++
	}
	return n >= minTypoLen
}

// typoOf returns the training word that the query word w, whose term is
// not a feature, is with one typo, or "" (see typoWords).
func (m *Matcher) typoOf(w string) string {
	x := m.typos
	if x == nil || len(x.words) == 0 || !typoLetters(w) || m.lang == "english" && englishWord(w) {
		return ""
	}
	best := int32(-1)
	x.index.candidates(w, func(id int32) {
		if (best < 0 || id < best) && oneTypo(w, x.words[id]) {
			best = id
		}
	})
	if best < 0 {
		return ""
	}
	return x.words[best]
}

// englishWord reports whether w is in the English word vectors' table.
func englishWord(w string) bool {
	t, err := englishVectors()
	if err != nil {
		return false
	}
	_, ok := t.Rank(w)
	return ok
}

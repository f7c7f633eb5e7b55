package nlu

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
)

// A query word that no training phrase has in any form (its term is not a
// feature) says nothing to the SVMs, and a misspelt word ("cancle",
// "anwser") is such a word: only the character n-grams it shares with the
// word meant count. So a query word of typoMinLen letters or more that is
// a training word of typoMinLen letters or more with one typo (a letter
// added, dropped, changed, or two neighbours swapped; see oneTypo) is read
// as that training word: its term, its word pairs, its character n-grams
// and its vector are the training word's. Of several, the most frequent
// in the training phrases is taken, then the first in alphabetical order.
// In an English matcher, a word of the English word vectors' table is a
// word of its own, not a typo: it keeps its stand-ins and its vector.
// Other languages have no such table, and a word of their own one letter
// from a training word ("world" beside "would") would be read as it, so
// there both words need seven letters or more: long words are seldom a
// letter apart. The words of the labels With adds are read too, after
// the trained matcher's. The exact and near-phrase matches and the
// keyword patterns still see the word as written, so a misspelt training
// phrase scores 0.9 as before. On CLINC150 with one typo in a word of
// five letters or more of each val query (BenchmarkTypos; see
// MEASUREMENTS.md), the best match is right for 94.1 % instead of 90.0 %,
// and clean queries score as before.

// minUntabledTypoLen is the fewest letters, in runes, of a query word
// that a matcher without a table of words of its language (all but
// English) reads as a training word with one typo, and of that training
// word. English matchers take minTypoLen.
const minUntabledTypoLen = 7

// typoWords holds the training words a misspelt query word may be read as.
type typoWords struct {
	index typoIndex
	words []string   // id → training word, the most frequent first
	base  *typoWords // in a matcher With made, the trained matcher's, read first; else nil
}

// buildTypos sets m.typos from words, the training words of the phrases,
// the most frequent first; m.cache.known must be built. It keeps the
// words of typoMinLen letters or more whose terms are features of the
// term view.
func (m *Matcher) buildTypos(words []string) {
	x := &typoWords{}
	n := m.typoMinLen()
	for _, w := range words {
		kw, ok := m.cache.known[w]
		if !ok || !typoLetters(w, n) {
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

// withTypos returns the typo words of a matcher that has labels, which
// With added, besides the trained matcher's: the words of the labels'
// phrases that the trained matcher does not know, of typoMinLen letters
// or more, the most frequent first, then alphabetically, read after the
// trained matcher's words.
func (m *Matcher) withTypos(labels []*extLabel) *typoWords {
	base := m.typos
	if base.base != nil {
		base = base.base
	}
	n := m.typoMinLen()
	count := map[string]int{}
	for _, el := range labels {
		for _, ws := range el.words {
			for _, w := range ws {
				if _, ok := m.cache.known[w]; !ok && typoLetters(w, n) {
					count[w]++
				}
			}
		}
	}
	if len(count) == 0 {
		return base
	}
	x := &typoWords{words: make([]string, 0, len(count)), base: base}
	for w := range count {
		x.words = append(x.words, w)
	}
	slices.SortFunc(x.words, func(a, b string) int {
		if c := cmp.Compare(count[b], count[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	for i, w := range x.words {
		x.index.add(w, int32(i))
	}
	x.index.sort()
	return x
}

// typoMinLen is the fewest letters of a query word that m reads as a
// training word with one typo, and of that training word: minTypoLen in
// English, whose word vectors' table tells a word of its own from a typo,
// and minUntabledTypoLen in every other language.
func (m *Matcher) typoMinLen() int {
	if m.lang == "english" {
		return minTypoLen
	}
	return minUntabledTypoLen
}

// typoLetters reports whether w may be read with a typo: a word of least
// letters or more (combining marks count as letters), and nothing else.
func typoLetters(w string, least int) bool {
	n := 0
	for _, r := range w {
		if !unicode.In(r, unicode.L, unicode.M) {
			return false
		}
		n++
	}
	return n >= least
}

// typoOf returns the training word that the query word w, whose term is
// not a feature, is with one typo, or "" (see typoWords).
func (m *Matcher) typoOf(w string) string {
	x := m.typos
	if x == nil || !typoLetters(w, m.typoMinLen()) || m.lang == "english" && englishWord(w) {
		return ""
	}
	if x.base != nil {
		if t := x.base.find(w); t != "" {
			return t
		}
	}
	return x.find(w)
}

// find returns the first of x's words that w is with one typo, or "".
func (x *typoWords) find(w string) string {
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

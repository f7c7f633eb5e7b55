package nlu

import (
	"cmp"
	"slices"
	"unicode/utf8"
)

// When a query has a word the matcher does not know, [Matcher.Predict]
// looks among the training phrases of its best labels for one the query
// matches but for a few typos. Only phrases of as many words as the query
// can match, so the phrases are indexed by label and length, and their
// words are numbered: comparing a phrase word with a query word is then
// comparing integers, except for the one comparison that counts a typo.

// nearIndex holds the training phrases of a Matcher for nearPhrase.
type nearIndex struct {
	label   []int32     // label l's phrases are phrase[label[l]:label[l+1]]
	phrase  []nearEntry // per label, by length, then in training order
	words   []int32     // word ids of the phrases, phrase after phrase
	text    []string    // word id → word
	runes   []int32     // word id → its length in runes
	term    []int32     // word id → term id
	termIDs map[string]int32
}

// A nearEntry is one phrase: its words are words[off:off+n].
type nearEntry struct{ off, n int32 }

// buildNear indexes m.phrases; cacheWords calls it, and it fills the
// phrase field of m.cache.known, so the word cache must be built first.
func (m *Matcher) buildNear() {
	x, ids := newNearIndex(m.phrases, m.an.term)
	for w, kw := range m.cache.known {
		kw.phrase, kw.phraseTerm = -1, -1
		if id, ok := ids[w]; ok {
			kw.phrase = id
		}
		if tid, ok := x.termIDs[kw.term]; ok {
			kw.phraseTerm = tid
		}
		m.cache.known[w] = kw
	}
	m.near = x
}

// newNearIndex indexes the phrases of each label (phrases[l]), and
// returns the index and the ids of the words.
func newNearIndex(phrases [][][]string, term func(string) string) (nearIndex, map[string]int32) {
	x := nearIndex{label: make([]int32, 1, len(phrases)+1), termIDs: map[string]int32{}}
	ids := map[string]int32{}
	for _, ps := range phrases {
		start := len(x.phrase)
		for _, p := range ps {
			e := nearEntry{off: int32(len(x.words)), n: int32(len(p))}
			for _, w := range p {
				id, ok := ids[w]
				if !ok {
					id = int32(len(x.text))
					ids[w] = id
					x.text = append(x.text, w)
					x.runes = append(x.runes, int32(utf8.RuneCountInString(w)))
					t := term(w)
					tid, ok := x.termIDs[t]
					if !ok {
						tid = int32(len(x.termIDs))
						x.termIDs[t] = tid
					}
					x.term = append(x.term, tid)
				}
				x.words = append(x.words, id)
			}
			x.phrase = append(x.phrase, e)
		}
		slices.SortStableFunc(x.phrase[start:], func(a, b nearEntry) int { return cmp.Compare(a.n, b.n) })
		x.label = append(x.label, int32(len(x.phrase)))
	}
	return x, ids
}

// nearWords fills sc.nearWord and sc.nearTerm, the ids of the query's words
// and terms in m.near (or -1), from sc.known, and sc.nearRunes.
func (m *Matcher) nearWords(sc *scratch) {
	sc.nearWord, sc.nearTerm, sc.nearRunes = sc.nearWord[:0], sc.nearTerm[:0], sc.nearRunes[:0]
	for i, kw := range sc.known {
		sc.nearRunes = append(sc.nearRunes, int32(utf8.RuneCountInString(sc.words[i])))
		if kw.phraseTerm == unseenTerm {
			kw.phraseTerm = -1
			if tid, ok := m.near.termIDs[sc.terms[i]]; ok {
				kw.phraseTerm = tid
			}
		}
		sc.nearWord = append(sc.nearWord, kw.phrase)
		sc.nearTerm = append(sc.nearTerm, kw.phraseTerm)
	}
}

// nearPhrase returns the score of the training phrase of label l closest to
// the query when it differs only by typos: 1 - 0.1 per word with one typo
// (a rune added, dropped, changed, or two neighbours swapped, in words of 4
// or more runes), for at most half of the words. Otherwise it returns 0.
// A query word matches a phrase word without a typo when it is the same
// word, or has the same term and a length within 4 bytes of it. It needs
// sc.nearWord, sc.nearTerm and sc.nearRunes (see nearWords).
func (m *Matcher) nearPhrase(l int32, sc *scratch) float64 {
	if nb := int32(len(m.bias)); l >= nb {
		return m.ext.nearPhrase(l-nb, sc)
	}
	return m.near.closest(l, sc, sc.nearWord, sc.nearTerm)
}

// closest is nearPhrase for label l of x, given the ids of the query's
// words and terms in x.
func (x *nearIndex) closest(l int32, sc *scratch, qw, qt []int32) float64 {
	n := int32(len(sc.words))
	ps := x.phrase[x.label[l]:x.label[l+1]]
	i, _ := slices.BinarySearchFunc(ps, n, func(e nearEntry, n int32) int { return cmp.Compare(e.n, n) })
	best := 0.0
	maxTypos := max(1, len(sc.words)/2)
	qw, qt, qr := qw[:n], qt[:n], sc.nearRunes[:n]
	for _, e := range ps[i:] {
		if e.n != n {
			break
		}
		typos := 0
		for k, w := range x.words[e.off : e.off+n] {
			if w == qw[k] {
				continue
			}
			pw, q := x.text[w], sc.words[k]
			if d := len(pw) - len(q); d > 4 || d < -4 {
				typos = -1 // too different to be a typo
				break
			}
			if x.term[w] == qt[k] {
				continue
			}
			// One typo changes the length by one rune at most.
			if rd := x.runes[w] - qr[k]; typos == maxTypos || rd > 1 || rd < -1 || !typoWord(pw, q) {
				typos = -1
				break
			}
			typos++
		}
		if typos >= 0 {
			best = max(best, 1-0.1*float64(typos))
		}
	}
	return best
}

// typoWord reports whether the word b is the word a with one typo.
func typoWord(a, b string) bool {
	return utf8.RuneCountInString(a) >= 4 && utf8.RuneCountInString(b) >= 4 && oneTypo(a, b)
}

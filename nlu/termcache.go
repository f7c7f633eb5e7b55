package nlu

import "sync/atomic"

// A termCache remembers the terms (stems) of recently seen query words
// that the matcher did not learn in training, their stand-ins (see
// standIns), vectors (see meaningVector) and the training words they
// misspell (see typoOf), so that it does not stem or look them up turn
// after turn. It is direct-mapped and bounded
// (termCacheSize words), and safe for concurrent use. (A Dictionary keeps
// whole lookups of recent words instead: see lookup.)
type termCache struct {
	slots [termCacheSize]atomic.Pointer[cachedTerm]
}

const termCacheSize = 1024 // a power of two

type cachedTerm struct {
	word, term string
	stand      []standIn // read-only
	vec        []float32 // read-only: its weighted vector (see meaningVector), or nil
	typo       string    // the training word it misspells (see typoOf), or ""
	name       bool      // it is a name (see nameWord) and misspells no training word
}

// word returns the term, the stand-ins, the weighted vector, the
// training word it misspells and whether it is a name of the query word
// w, which m did not learn in training, from the cache when it holds w.
// A word whose term is a feature has no stand-ins, misspells no training
// word and is no name.
func (c *termCache) word(m *Matcher, w string) *cachedTerm {
	slot := &c.slots[hashString(fnvOffset, w)&(termCacheSize-1)]
	if e := slot.Load(); e != nil && e.word == w {
		return e
	}
	e := &cachedTerm{word: w, term: m.an.computeTerm(w)}
	if _, ok := m.cache.vocab.get(termHash(e.term)); !ok {
		// A misspelt word is no word of the word vectors' table, so it
		// has no stand-ins or vector.
		e.typo = m.typoOf(w)
		e.name = m.meaning != nil && m.meaning.name < 1 && e.typo == "" && nameWord(w)
		if m.stand != nil {
			e.stand = m.standIns(w)
		}
	}
	if m.meaning != nil {
		e.vec = m.meaningVector(w)
	}
	slot.Store(e)
	return e
}

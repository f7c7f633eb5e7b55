package nlu

import "sync/atomic"

// A termCache remembers the terms (stems) of recently seen query words
// that the matcher did not learn in training, so that it does not stem
// the same words turn after turn. It is direct-mapped and bounded
// (termCacheSize words), and safe for concurrent use. (A Dictionary keeps
// whole lookups of recent words instead: see lookup.)
type termCache struct {
	slots [termCacheSize]atomic.Pointer[cachedTerm]
}

const termCacheSize = 1024 // a power of two

type cachedTerm struct{ word, term string }

// term returns an.computeTerm(w), from the cache when it holds w.
func (c *termCache) term(an *analyzer, w string) string {
	slot := &c.slots[hashString(fnvOffset, w)&(termCacheSize-1)]
	if e := slot.Load(); e != nil && e.word == w {
		return e.term
	}
	t := an.computeTerm(w)
	slot.Store(&cachedTerm{word: w, term: t})
	return t
}

package nlu

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// Limits of a [Dictionary].
const (
	MaxValues   = 2000 // values per dictionary
	MaxSynonyms = 99   // synonyms per value
)

// A Value is one value of a custom entity.
type Value struct {
	// Canonical is the value an extraction reports. It also matches.
	Canonical string
	// Synonyms are other ways to say it; each may have several words.
	Synonyms []string
}

// A Dictionary is a custom entity: it finds its values, or their synonyms,
// in a text. Matching is on normalised, accent-folded words; a word also
// matches through its stem in the dictionary's language ("two lattes",
// "a few teas"); a word of 5 or more letters may have one typo (a letter
// added, dropped, changed, or two neighbours swapped). The longest match
// wins, and an exact match beats one with typos. A Dictionary is immutable
// and safe for concurrent use.
type Dictionary struct {
	name    string
	values  []string                                 // canonical values
	phrases []dictPhrase                             // every synonym, canonical forms included
	first   map[int32][]int32                        // first word id → phrase indexes
	words   map[string]int32                         // word → id
	text    []string                                 // id → word
	typos   typoIndex                                // the words that may have a typo
	an      *analyzer                                // stems words in the dictionary's language
	stems   map[string]int32                         // stem → id of the first word with that stem
	recent  *[lookupCacheSize]atomic.Pointer[lookup] // candidates of recent query words
}

// A lookup is a query word's candidates in a dictionary (see candidates).
// A dictionary keeps those of recent words in a direct-mapped cache of
// lookupCacheSize words, safe for concurrent use: the same words come
// back turn after turn, and finding a word's typos costs two binary
// searches a rune.
type lookup struct {
	word  string
	exact int32
	fuzzy []int32 // shared: never modified
}

const lookupCacheSize = 512 // a power of two

// A deleteKey says that deleting one rune of word gives a string with the
// given hash.
type deleteKey struct {
	hash uint64
	word int32
}

type dictPhrase struct {
	value int32
	words []int32
}

// minTypoLen is the shortest word, in runes, that may have a typo.
const minTypoLen = 5

// NewDictionary builds a custom entity named name. Each value needs a
// non-empty canonical form; there may be at most [MaxValues] values with at
// most [MaxSynonyms] synonyms each. [WithLanguage] chooses the stemmer that
// lets a word match in another form (default English; a language without a
// stemmer matches whole words and typos only). In every language a value
// is read after an elided article or preposition ("un verre d'eau",
// "dell'acqua", "un'aranciata"), while English's contractions stay whole
// ("it's" does not hold a value "s").
func NewDictionary(name string, values []Value, opts ...Option) (*Dictionary, error) {
	cfg, err := applyOptions(opts)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(name) == "" {
		return nil, errors.New("nlu: dictionary: empty name")
	}
	if len(values) > MaxValues {
		return nil, fmt.Errorf("nlu: dictionary %q: %d values, at most %d", name, len(values), MaxValues)
	}
	d := &Dictionary{name: name, first: map[int32][]int32{}, words: map[string]int32{}, recent: new([lookupCacheSize]atomic.Pointer[lookup])}
	if an := newAnalyzer(cfg.lang, cfg.log); an.stem != nil {
		d.an, d.stems = an, map[string]int32{}
	}
	var errs []error
	for i, v := range values {
		if len(v.Synonyms) > MaxSynonyms {
			errs = append(errs, fmt.Errorf("nlu: dictionary %q: value %q: %d synonyms, at most %d", name, v.Canonical, len(v.Synonyms), MaxSynonyms))
			continue
		}
		if len(Tokenize(v.Canonical)) == 0 {
			errs = append(errs, fmt.Errorf("nlu: dictionary %q: value %d: empty canonical form", name, i))
			continue
		}
		vi := int32(len(d.values))
		d.values = append(d.values, v.Canonical)
		for _, s := range append([]string{v.Canonical}, v.Synonyms...) {
			toks := dictTokens(s)
			if len(toks) == 0 {
				errs = append(errs, fmt.Errorf("nlu: dictionary %q: value %q: empty synonym", name, v.Canonical))
				continue
			}
			p := dictPhrase{value: vi}
			for _, t := range toks {
				p.words = append(p.words, d.wordID(foldAccents(t.Text)))
			}
			d.first[p.words[0]] = append(d.first[p.words[0]], int32(len(d.phrases)))
			d.phrases = append(d.phrases, p)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	d.typos.sort()
	return d, nil
}

// Name returns the entity's name.
func (d *Dictionary) Name() string { return d.name }

func (d *Dictionary) wordID(w string) int32 {
	if id, ok := d.words[w]; ok {
		return id
	}
	id := int32(len(d.text))
	d.words[w] = id
	d.text = append(d.text, w)
	if d.stems != nil {
		if t := d.an.computeTerm(w); t != "" {
			if _, ok := d.stems[t]; !ok {
				d.stems[t] = id
			}
		}
	}
	if utf8.RuneCountInString(w) >= minTypoLen {
		d.typos.add(w, id)
	}
	return id
}

// A typoIndex finds, among the words added to it, those that a word may
// be with one typo, by deletion hashing: a word within one typo of
// another shares a hash with it, of the whole word or of the word less a
// rune. What it finds is to be checked with oneTypo: hashes can collide,
// and sharing a deletion at different positions can mean two edits.
type typoIndex struct {
	deletes []deleteKey // sorted: hashes of the words with one rune deleted
	hashes  []deleteKey // sorted: hashes of the words
}

// add adds the word w, numbered id; sort must follow the last add.
func (x *typoIndex) add(w string, id int32) {
	x.hashes = append(x.hashes, deleteKey{hashString(fnvOffset, w), id})
	for i := 0; i < len(w); {
		_, n := utf8.DecodeRuneInString(w[i:])
		x.deletes = append(x.deletes, deleteKey{hashWithout(w, i, n), id})
		i += n
	}
}

// sort readies the index for candidates.
func (x *typoIndex) sort() {
	slices.SortFunc(x.deletes, func(a, b deleteKey) int {
		if c := cmp.Compare(a.hash, b.hash); c != 0 {
			return c
		}
		return cmp.Compare(a.word, b.word)
	})
	x.deletes = slices.Compact(x.deletes)
	slices.SortFunc(x.hashes, func(a, b deleteKey) int {
		if c := cmp.Compare(a.hash, b.hash); c != 0 {
			return c
		}
		return cmp.Compare(a.word, b.word)
	})
}

// candidates calls add with the id of each word that w may be with one
// typo (a word may come more than once), to be checked with oneTypo.
func (x *typoIndex) candidates(w string, add func(id int32)) {
	for _, k := range withHash(x.deletes, hashString(fnvOffset, w)) {
		add(k.word) // w lacks a rune
	}
	for i := 0; i < len(w); {
		_, n := utf8.DecodeRuneInString(w[i:])
		h := hashWithout(w, i, n)
		for _, k := range withHash(x.hashes, h) {
			add(k.word) // w has an extra rune
		}
		for _, k := range withHash(x.deletes, h) {
			add(k.word) // a changed or swapped rune
		}
		i += n
	}
}

// hashWithout returns the hash of w without its n bytes at i, without
// building that string.
func hashWithout(w string, i, n int) uint64 {
	return hashString(hashString(fnvOffset, w[:i]), w[i+n:])
}

// withHash returns the keys of sorted keys that have hash h.
func withHash(keys []deleteKey, h uint64) []deleteKey {
	i, _ := slices.BinarySearchFunc(keys, h, func(k deleteKey, h uint64) int { return cmp.Compare(k.hash, h) })
	j := i
	for j < len(keys) && keys[j].hash == h {
		j++
	}
	return keys[i:j]
}

// candidates returns the ids of the dictionary words within one typo of w,
// the exact one first.
func (d *Dictionary) candidates(w string) (exact int32, fuzzy []int32) {
	slot := &d.recent[hashString(fnvOffset, w)&(lookupCacheSize-1)]
	if l := slot.Load(); l != nil && l.word == w {
		return l.exact, l.fuzzy
	}
	exact, fuzzy = d.findCandidates(w)
	slot.Store(&lookup{word: strings.Clone(w), exact: exact, fuzzy: fuzzy})
	return exact, fuzzy
}

// findCandidates is candidates without the cache.
func (d *Dictionary) findCandidates(w string) (exact int32, fuzzy []int32) {
	exact = -1
	if id, ok := d.words[w]; ok {
		exact = id
	} else if d.stems != nil {
		if id, ok := d.stems[d.an.computeTerm(w)]; ok {
			exact = id
		}
	}
	if utf8.RuneCountInString(w) < minTypoLen-1 {
		return exact, nil
	}
	add := func(id int32) {
		if id != exact && !containsID(fuzzy, id) {
			fuzzy = append(fuzzy, id)
		}
	}
	d.typos.candidates(w, add)
	// Keep only true single typos (see typoIndex).
	keep := fuzzy[:0]
	for _, id := range fuzzy {
		if oneTypo(w, d.text[id]) {
			keep = append(keep, id)
		}
	}
	return exact, keep
}

func containsID(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// oneTypo reports whether a and b differ by one insertion, deletion,
// substitution or swap of neighbouring runes.
func oneTypo(a, b string) bool {
	if isASCII(a) && isASCII(b) {
		return oneTypoIn([]byte(a), []byte(b))
	}
	return oneTypoIn([]rune(a), []rune(b))
}

func oneTypoIn[T byte | rune](a, b []T) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	switch len(a) - len(b) {
	case 0:
		first, second := -1, -1
		for i := range a {
			if a[i] != b[i] {
				switch {
				case first < 0:
					first = i
				case second < 0:
					second = i
				default:
					return false
				}
			}
		}
		if second < 0 {
			return first >= 0 // one changed rune
		}
		// two neighbours swapped
		return second == first+1 && a[first] == b[second] && a[second] == b[first]
	case 1:
		i := 0
		for i < len(b) && a[i] == b[i] {
			i++
		}
		return slices.Equal(a[i+1:], b[i:]) // one rune more in a
	}
	return false
}

// Extract finds the dictionary's values in text, longest match first, left
// to right, without overlaps.
func (d *Dictionary) Extract(text string) []Entity {
	toks := dictTokens(text)
	if len(toks) == 0 {
		return nil
	}
	type cand struct {
		exact int32
		fuzzy []int32
	}
	cands := make([]cand, len(toks))
	for i, t := range toks {
		e, f := d.candidates(foldAccents(t.Text))
		cands[i] = cand{e, f}
	}
	matches := func(i int, id int32) (ok, exact bool) {
		c := cands[i]
		if c.exact == id {
			return true, true
		}
		return containsID(c.fuzzy, id), false
	}
	var out []Entity
	for i := 0; i < len(toks); {
		bestLen, bestTypos, bestValue := 0, 0, int32(-1)
		firsts := cands[i].fuzzy
		if cands[i].exact >= 0 {
			firsts = append([]int32{cands[i].exact}, firsts...)
		}
		for _, f := range firsts {
			for _, pi := range d.first[f] {
				p := d.phrases[pi]
				if i+len(p.words) > len(toks) || len(p.words) < bestLen {
					continue
				}
				typos := 0
				ok := true
				for k, w := range p.words {
					m, ex := matches(i+k, w)
					if !m {
						ok = false
						break
					}
					if !ex {
						typos++
					}
				}
				if !ok {
					continue
				}
				if len(p.words) > bestLen || typos < bestTypos || typos == bestTypos && p.value < bestValue {
					bestLen, bestTypos, bestValue = len(p.words), typos, p.value
				}
			}
		}
		if bestLen == 0 {
			i++
			continue
		}
		s, e := toks[i].Start, toks[i+bestLen-1].End
		if inWord(text, s, e) {
			i++
			continue
		}
		out = append(out, Entity{Name: d.name, Value: d.values[bestValue], Text: text[s:e], Start: s, End: e})
		i += bestLen
	}
	return out
}

// dictTokens tokenizes text for a dictionary: as Tokenize, but with an
// elided article or preposition split from the word it leans on, as French,
// Italian and Catalan write them ("d'eau", "l'acqua", "dell'acqua",
// "un'aranciata"), so that "un verre d'eau" holds the value "eau". A word
// splits at its first apostrophe when one to six letters come before it
// and three or more runes, the first a letter, after it: English's
// contractions ("it's", "I'm", "don't", "we're") stay whole, and so do a
// value "s" or "m" out of them.
func dictTokens(text string) []Token {
	toks := Tokenize(text)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		before, after, ok := strings.Cut(t.Text, "'")
		if !ok || !elision(before, after) {
			continue
		}
		// The apostrophe as written: the first of the word, not the
		// Hebrew geresh (Yiddish "ס׳איז" is one word).
		src := text[t.Start:t.End]
		at := strings.IndexFunc(src, isApostrophe)
		r, size := utf8.DecodeRuneInString(src[at:])
		if r == '\u05f3' {
			continue
		}
		split := t.Start + at + size
		toks = slices.Insert(toks, i+1, Token{Text: after, Start: split, End: t.End})
		toks[i] = Token{Text: before + "'", Start: t.Start, End: split}
		i++
	}
	return letterTokens(toks, text)
}

// letterTokens returns toks with each word that holds letters of a script
// written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Burmese)
// split into its letters, each with the combining marks after it, and its
// runs of other letters and digits: a dictionary's value is then a run of
// letters that a text's run may hold ("我要一杯拿铁" holds "拿铁").
func letterTokens(toks []Token, text string) []Token {
	return spliceTokens(toks, func(_ int, t Token) []Token {
		word := text[t.Start:t.End]
		if isASCII(word) || !strings.ContainsFunc(word, inRun) {
			return nil
		}
		parts := []Token{}
		for p := 0; p < len(word); {
			r, n := utf8.DecodeRuneInString(word[p:])
			q := p + n
			run := inRun(r)
			for q < len(word) {
				r, n := utf8.DecodeRuneInString(word[q:])
				if run && !unicode.In(r, unicode.Mn, unicode.Mc) || !run && inRun(r) {
					break
				}
				q += n
			}
			if w := normalizeWord(word[p:q]); w != "" {
				parts = append(parts, Token{Text: w, Start: t.Start + p, End: t.Start + q})
			}
			p = q
		}
		return parts
	})
}

// inRun reports whether r is a letter of a script written without spaces.
func inRun(r rune) bool { return r >= 0x0e00 && (unspaced(r) || isCJK(r)) }

// inWord reports whether the dictionary's value found at text[start:end]
// is part of a longer word of a script written without spaces, where it
// is not read: a value of one Chinese or Japanese character, or of one
// letter and its marks, next to another letter of its run ("大" is not
// in "大家", everyone); a katakana value next to another katakana letter
// ("ホット", hot, is not in "ホットドッグ", a hot dog). A longer value is
// read anywhere in a run of Chinese, Japanese or Thai ("拿铁" in
// "我要一杯拿铁").
func inWord(text string, start, end int) bool {
	first, n := utf8.DecodeRuneInString(text[start:])
	last, _ := utf8.DecodeLastRuneInString(text[:end])
	if !inRun(first) && !inRun(last) {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(text[:start])
	after, _ := utf8.DecodeRuneInString(text[end:])
	if start > 0 && inRun(before) && inRun(first) || end < len(text) && inRun(after) && inRun(last) {
		single := start+n == end
		if !single && strings.IndexFunc(text[start+n:end], func(r rune) bool { return !unicode.In(r, unicode.Mn, unicode.Mc) }) < 0 {
			single = true // one letter and its marks
		}
		if single {
			return true
		}
	}
	return start > 0 && isKatakana(before) && isKatakana(first) || end < len(text) && isKatakana(after) && isKatakana(last)
}

// elision reports whether before and after, around a word's first
// apostrophe, are an elided word (one to six letters) and the word it
// leans on (three runes or more, from a letter on).
func elision(before, after string) bool {
	n := 0
	for _, r := range before {
		if !unicode.IsLetter(r) {
			return false
		}
		n++
	}
	if n < 1 || n > 6 || utf8.RuneCountInString(after) < 3 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(after)
	return unicode.IsLetter(r)
}

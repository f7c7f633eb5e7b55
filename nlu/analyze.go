package nlu

import (
	"slices"
	"strings"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
)

// Languages lists the languages with a stemmer, for [WithLanguage].
var Languages = []string{"english", "french", "hungarian", "norwegian", "russian", "spanish", "swedish"}

var stemmers = map[string]func(string, bool) string{
	"english":   english.Stem,
	"french":    french.Stem,
	"hungarian": hungarian.Stem,
	"norwegian": norwegian.Stem,
	"russian":   russian.Stem,
	"spanish":   spanish.Stem,
	"swedish":   swedish.Stem,
}

// An analyzer turns text into the tokens and hashed features the matcher
// uses. It is immutable after construction and safe for concurrent use.
type analyzer struct {
	lang  string
	stem  func(string, bool) string // nil: no stemming
	stems map[string]string         // cache of stems of training words
}

func newAnalyzer(lang string) *analyzer {
	lang = strings.ToLower(strings.TrimSpace(lang))
	return &analyzer{lang: lang, stem: stemmers[lang], stems: map[string]string{}}
}

// term returns the matching form of a normalised token: stemmed in the
// analyzer's language, then without accents.
func (a *analyzer) term(w string) string {
	if s, ok := a.stems[w]; ok {
		return s
	}
	return a.computeTerm(w)
}

func (a *analyzer) computeTerm(w string) (t string) {
	if isClass(w) {
		return w
	}
	t = w
	if a.stem != nil && !isDigitsOnly(w) {
		func() {
			defer func() {
				if recover() != nil {
					t = w // a stemmer must never take a query down
				}
			}()
			t = a.stem(w, true)
		}()
		if t == "" {
			t = w
		}
	}
	return foldAccents(t)
}

// learn caches the term of every token.
func (a *analyzer) learn(toks []Token) {
	for _, tok := range toks {
		if _, ok := a.stems[tok.Text]; !ok {
			a.stems[tok.Text] = a.computeTerm(tok.Text)
		}
	}
}

// isDigitsOnly reports whether s is a number written with digits, which
// is not stemmed.
func isDigitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' && c != ',' {
			return false
		}
	}
	return true
}

// Feature hashing: every feature is a 64-bit FNV-1a hash of a kind byte and
// its text, so extracting features allocates no strings.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func hashByte(h uint64, b byte) uint64 {
	h ^= uint64(b)
	h *= fnvPrime
	return h
}

const (
	kindWord   = 'w'
	kindBigram = 'b'
	kindChar   = 'c'
	kindPhrase = 'p'
)

// features appends the hashed features of a text, given its words and
// their terms, to dst: the word features of each word (see wordFeatures)
// and the term bigrams, with start and end markers. The appended hashes are
// sorted, with repeats kept (they are the term frequencies).
func (a *analyzer) features(terms, words []string, dst []uint64) []uint64 {
	start := len(dst)
	for i, w := range words {
		dst = wordFeatures(dst, w, terms[i])
	}
	dst = bigramFeatures(dst, terms)
	slices.Sort(dst[start:])
	return dst
}

// wordFeatures appends the features that depend on one word alone: its
// term and the character n-grams of the accent-folded word.
func wordFeatures(dst []uint64, word, term string) []uint64 {
	dst = append(dst, hashString(hashByte(fnvOffset, kindWord), term))
	if isClass(word) {
		return dst // an entity class has no spelling
	}
	return appendCharGrams(dst, foldAccents(word))
}

// bigramFeatures appends the term bigrams of a text, with "^" and "$" for
// its start and end.
func bigramFeatures(dst []uint64, terms []string) []uint64 {
	if len(terms) == 0 {
		return dst
	}
	prev := "^"
	for _, t := range terms {
		dst = append(dst, bigramHash(prev, t))
		prev = t
	}
	return append(dst, bigramHash(prev, "$"))
}

func bigramHash(a, b string) uint64 {
	return hashString(hashByte(hashString(hashByte(fnvOffset, kindBigram), a), ' '), b)
}

// appendCharGrams appends the hashes of the charMin- to charMax-grams of
// "^w$", counted in runes. It hashes the pieces in place, so it allocates
// nothing for words of up to 62 runes.
func appendCharGrams(dst []uint64, w string) []uint64 {
	var buf [64]int32
	offs := buf[:0] // rune start offsets in w, then len(w)
	for i := range w {
		offs = append(offs, int32(i))
	}
	offs = append(offs, int32(len(w)))
	nr := len(offs) + 1 // runes of "^w$"
	// piece hashes rune p of "^w$" into h.
	piece := func(h uint64, p int) uint64 {
		switch p {
		case 0:
			return hashByte(h, '^')
		case nr - 1:
			return hashByte(h, '$')
		}
		return hashString(h, w[offs[p-1]:offs[p]])
	}
	if nr < charMin {
		h := hashByte(fnvOffset, kindChar)
		for p := range nr {
			h = piece(h, p)
		}
		return append(dst, h)
	}
	for n := charMin; n <= charMax && n <= nr; n++ {
		for i := 0; i+n <= nr; i++ {
			h := hashByte(fnvOffset, kindChar)
			for p := i; p < i+n; p++ {
				h = piece(h, p)
			}
			dst = append(dst, h)
		}
	}
	return dst
}

// The character n-gram lengths.
const charMin, charMax = 3, 4

// phraseKey is the hash of the sequence of terms of a phrase; equal keys
// mean the phrases are the same once normalised and stemmed.
func phraseKey(terms []string) uint64 {
	h := hashByte(fnvOffset, kindPhrase)
	for _, t := range terms {
		h = hashByte(hashString(h, t), 0)
	}
	return h
}

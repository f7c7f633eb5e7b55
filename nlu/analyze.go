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

// learn caches the term of every token of s.
func (a *analyzer) learn(s string) {
	for _, tok := range Tokenize(s) {
		if _, ok := a.stems[tok.Text]; !ok {
			a.stems[tok.Text] = a.computeTerm(tok.Text)
		}
	}
}

// terms returns the matching forms of the tokens of s.
func (a *analyzer) terms(s string, dst []string) []string {
	for _, tok := range Tokenize(s) {
		dst = append(dst, a.term(tok.Text))
	}
	return dst
}

func isDigitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return s[i] == '.' || s[i] == ','
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

// features appends the hashed features of the terms and words of a text to
// dst: term unigrams, term bigrams (with start and end markers), and
// character 3- to 5-grams of each accent-folded word padded with '^' and '$'.
// The appended hashes are sorted, with repeats kept (they are the term
// frequencies).
func (a *analyzer) features(terms, words []string, dst []uint64) []uint64 {
	start := len(dst)
	prev := "^"
	for i, t := range terms {
		dst = append(dst, hashString(hashByte(fnvOffset, kindWord), t))
		if featBigram {
			dst = append(dst, hashString(hashByte(hashString(hashByte(fnvOffset, kindBigram), prev), ' '), t))
		}
		if featSkip && i >= 1 {
			pp := "^"
			if i >= 2 {
				pp = terms[i-2]
			}
			dst = append(dst, hashString(hashByte(hashString(hashByte(fnvOffset, 's'), pp), ' '), t))
		}
		if featTrigram && i >= 1 {
			pp := "^"
			if i >= 2 {
				pp = terms[i-2]
			}
			dst = append(dst, hashString(hashByte(hashString(hashByte(hashString(hashByte(fnvOffset, 't'), pp), ' '), prev), ' '), t))
		}
		if featRaw && words[i] != t {
			dst = append(dst, hashString(hashByte(fnvOffset, 'r'), words[i]))
		}
		prev = t
	}
	if len(terms) > 0 && featBigram {
		dst = append(dst, hashString(hashByte(hashString(hashByte(fnvOffset, kindBigram), prev), ' '), "$"))
	}
	if featCrossChar {
		dst = appendCharGrams(dst, foldAccents(strings.Join(words, " ")))
	} else {
		for _, w := range words {
			dst = appendCharGrams(dst, foldAccents(w))
		}
	}
	slices.Sort(dst[start:])
	return dst
}

var featBigram, featSkip, featTrigram, featRaw, featCrossChar = true, false, false, false, false

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
var charMin, charMax = 3, 5

// phraseKey is the hash of the sequence of terms of a phrase; equal keys
// mean the phrases are the same once normalised and stemmed.
func phraseKey(terms []string) uint64 {
	h := hashByte(fnvOffset, kindPhrase)
	for _, t := range terms {
		h = hashByte(hashString(h, t), 0)
	}
	return h
}

package nlu

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Normalize returns s in the form the matcher compares: Unicode NFKC,
// case-folded (so "Straße" and "STRASSE" agree), with invalid UTF-8 and
// control characters replaced by spaces, runs of white space collapsed to one
// space, and no leading or trailing space. Normalize is idempotent:
// Normalize(Normalize(s)) == Normalize(s).
func Normalize(s string) string {
	if isASCII(s) {
		return collapseSpace(asciiLower(s))
	}
	s = strings.ToValidUTF8(s, " ")
	// NFKC and case folding do not commute for a few code points, so apply
	// the pair until it settles (at most a few rounds in practice).
	for range 4 {
		t := norm.NFKC.String(cases.Fold().String(norm.NFKC.String(s)))
		if t == s {
			break
		}
		s = t
	}
	return collapseSpace(s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// collapseSpace maps white space and control characters to single spaces and
// trims the ends.
func collapseSpace(s string) string {
	if isCollapsed(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if isSpaceRune(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// isCollapsed reports whether s needs no work from collapseSpace.
func isCollapsed(s string) bool {
	prevSpace := true // no leading space
	for _, r := range s {
		if isSpaceRune(r) {
			if r != ' ' || prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		prevSpace = false
	}
	return s == "" || !prevSpace
}

func isSpaceRune(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError
}

// A Token is one word, number or symbol of a text.
type Token struct {
	// Text is the normalised form of the token (see [Normalize]), with
	// apostrophes (and the Hebrew geresh) unified to U+0027 and the marks a word keeps inside
	// (see [Tokenize]) removed.
	Text string
	// Start and End are the byte offsets of the token in the original text.
	Start, End int
}

// Tokenize splits s into words, numbers and symbols, with byte offsets into
// s. A word is a run of letters, marks and digits; an apostrophe inside a word
// ("don't", "l'été", Yiddish's geresh in "ס׳איז") and a '.' or ',' between
// digits ("2.5", "1,200") stay in the token, and an Armenian emphasis,
// exclamation or question mark, a Hebrew gershayim, a Catalan middle dot or
// a zero-width joiner or non-joiner inside a word ("ինչպե՞ս", "צה״ל",
// "col·legi") leaves it whole and its token without the mark. Each emoji or other symbol is a token of its own.
// Punctuation and white space separate tokens and are dropped. Invalid UTF-8
// bytes separate tokens.
func Tokenize(s string) []Token {
	if s == "" {
		return nil
	}
	// Most texts have a token a space, plus one: allocate once.
	toks := appendTokens(make([]Token, 0, strings.Count(s, " ")+1), s)
	if len(toks) == 0 {
		return nil
	}
	return toks
}

func appendTokens(toks []Token, s string) []Token {
	i := 0
	for i < len(s) {
		start := i
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		i += n
		var text string
		switch {
		case r < utf8.RuneSelf && asciiClass[r].word || r >= utf8.RuneSelf && isWordRune(r):
			i = wordEnd(s, i)
			text = normalizeWord(s[start:i])
		case r < utf8.RuneSelf && asciiClass[r].symbol || r >= utf8.RuneSelf && r != utf8.RuneError && isSymbolRune(r):
			text = Normalize(s[start:i])
		default:
			continue
		}
		toks = append(toks, Token{Text: text, Start: start, End: i})
	}
	return toks
}

// wordEnd returns the end of the word that s[:i] ends in.
func wordEnd(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf && asciiClass[c].word {
			i++
			continue
		}
		r, n := decodeRune(s[i:])
		if isWordRune(r) {
			i += n
			continue
		}
		if i+n < len(s) && isInWordMark(r) {
			if next, _ := decodeRune(s[i+n:]); isWordRune(next) {
				i += n
				continue
			}
		}
		if i+n < len(s) && (isApostrophe(r) || r == '.' || r == ',') {
			next, _ := decodeRune(s[i+n:])
			if isApostrophe(r) && isWordRune(next) && !isDigit(next) {
				i += n
				continue
			}
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			if (r == '.' || r == ',') && isDigit(prev) && isDigit(next) {
				i += n
				continue
			}
		}
		break
	}
	return i
}

// decodeRune is utf8.DecodeRuneInString, with ASCII first.
func decodeRune(s string) (rune, int) {
	if c := s[0]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s)
}

// asciiClass holds isWordRune and isSymbolRune of the ASCII runes.
var asciiClass = func() (t [utf8.RuneSelf]struct{ word, symbol bool }) {
	for r := range rune(utf8.RuneSelf) {
		t[r].word = unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
		t[r].symbol = unicode.In(r, unicode.So, unicode.Sc, unicode.Sm, unicode.Co)
	}
	return t
}()

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r].word
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

func isSymbolRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r].symbol
	}
	return unicode.In(r, unicode.So, unicode.Sc, unicode.Sm, unicode.Co) && r != utf8.RuneError
}

func isDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.IsDigit(r)
}

// inWordMarks are the marks that stand inside a word without splitting
// it, and that its token drops: the Armenian emphasis, exclamation and
// question marks, written on the stressed vowel ("ինչպե՞ս", how?), and
// the zero-width non-joiner and joiner, which choose how letters join
// (Devanagari's eyelash ra, "गर्‍यो"), the Hebrew gershayim of an
// abbreviation ("צה״ל"), and the Catalan middle dot of "l·l"
// ("col·legi" reads as "collegi", as it is often typed).
const inWordMarks = "\u055b\u055c\u055e\u200c\u200d\u05f4\u00b7"

func isInWordMark(r rune) bool {
	return strings.ContainsRune(inWordMarks, r)
}

// isApostrophe reports whether r is an apostrophe, including the Hebrew
// geresh, which Yiddish writes where other languages write one
// ("ס׳איז", it is).
func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || r == '‘' || r == '\u05f3'
}

// apostrophes unifies the apostrophes isApostrophe knows to U+0027.
var apostrophes = strings.NewReplacer("’", "'", "ʼ", "'", "‘", "'", "\u05f3", "'")

func normalizeWord(w string) string {
	if isASCII(w) {
		return asciiLower(w)
	}
	w = Normalize(w)
	if strings.ContainsAny(w, inWordMarks) {
		w = strings.Map(func(r rune) rune {
			if isInWordMark(r) {
				return -1
			}
			return r
		}, w)
	}
	if strings.ContainsAny(w, "’ʼ‘\u05f3") {
		w = apostrophes.Replace(w)
	}
	return w
}

// accentRemovers holds transformers that remove combining marks. A
// transform.Chain keeps state between calls, so goroutines must not share
// one: each call takes its own from the pool.
var accentRemovers = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// foldAccents removes combining marks, so "café" and "cafe" agree. It is
// safe for concurrent use.
func foldAccents(s string) string {
	if isASCII(s) {
		return s
	}
	tr := accentRemovers.Get().(transform.Transformer)
	t, _, err := transform.String(tr, s)
	accentRemovers.Put(tr)
	if err != nil || t == "" {
		return s
	}
	return t
}

// spliceTokens returns toks with each token that split gives pieces for
// (split is given its index and the token) replaced by them; toks itself,
// not a copy, when split gives none.
func spliceTokens(toks []Token, split func(int, Token) []Token) []Token {
	var out []Token
	for i, t := range toks {
		parts := split(i, t)
		if parts == nil {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = append(make([]Token, 0, len(toks)+4), toks[:i]...)
		}
		out = append(out, parts...)
	}
	if out == nil {
		return toks
	}
	return out
}

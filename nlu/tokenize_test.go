package nlu

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// tokenizeRef is Tokenize without the ASCII shortcuts: the reference they
// must agree with.
func tokenizeRef(s string) []Token {
	var toks []Token
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			start := i
			i += n
			for i < len(s) {
				r, n := utf8.DecodeRuneInString(s[i:])
				if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) {
					i += n
					continue
				}
				if i+n < len(s) {
					next, _ := utf8.DecodeRuneInString(s[i+n:])
					prev, _ := utf8.DecodeLastRuneInString(s[:i])
					nextWord := unicode.IsLetter(next) || unicode.IsDigit(next) || unicode.Is(unicode.Mn, next) || unicode.Is(unicode.Mc, next)
					if strings.ContainsRune(inWordMarks, r) && nextWord {
						i += n
						continue
					}
					if isApostrophe(r) && nextWord && !unicode.IsDigit(next) {
						i += n
						continue
					}
					if (r == '.' || r == ',') && unicode.IsDigit(prev) && unicode.IsDigit(next) {
						i += n
						continue
					}
				}
				break
			}
			toks = append(toks, Token{Text: normalizeWord(s[start:i]), Start: start, End: i})
		case r != utf8.RuneError && unicode.In(r, unicode.So, unicode.Sc, unicode.Sm, unicode.Co):
			toks = append(toks, Token{Text: Normalize(s[i : i+n]), Start: i, End: i + n})
			i += n
		default:
			i += n
		}
	}
	return toks
}

// TestTokenizeReference checks Tokenize against tokenizeRef on random
// texts of every kind of rune Tokenize treats apart, and on every ASCII
// rune between words and digits.
func TestTokenizeReference(t *testing.T) {
	pieces := []string{"a", "Z", "q", "0", "7", "'", "’", ".", ",", " ", "-", "$", "+", "<", "^", "`", "|", "~", "\t",
		"é", "ß", "\u0301", "\u0903", "٣", "🙂", "€", "\xff", "\x00", "Привет", "l'", "1,2", "3.4",
		"ա", "\u055e", "\u055b", "\u200c", "\u200d", "र्", "\u200dयो"}
	for c := range rune(utf8.RuneSelf) {
		pieces = append(pieces, "a"+string(c)+"b", "1"+string(c)+"2")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := Tokenize(s), tokenizeRef(s); !slices.Equal(got, want) {
			t.Fatalf("Tokenize(%q) = %v, want %v", s, got, want)
		}
	}
}

package testbed

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleybot/parley/nlu"
)

// TypoMinLen is the fewest letters of a word that [Typo] misspells.
const TypoMinLen = 5

// Typo returns text with one typo, drawn by a generator seeded by seed,
// in one of its words of TypoMinLen letters or more (letters only): a
// letter dropped, one inserted, one changed, or two neighbours swapped
// (one changed when they are the same letter), each as likely; a new
// letter is one of a to z in an ASCII word, else one of the word's own. A text without such a word comes back as it is,
// with ok false.
func Typo(text string, seed uint64) (typo string, ok bool) {
	var words []nlu.Token
	for _, t := range nlu.Tokenize(text) {
		w := text[t.Start:t.End]
		if utf8.RuneCountInString(w) >= TypoMinLen && strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 {
			words = append(words, t)
		}
	}
	if len(words) == 0 {
		return text, false
	}
	rng := rand.New(rand.NewPCG(seed, 0x7970))
	t := words[rng.IntN(len(words))]
	w := []rune(text[t.Start:t.End])
	letter := func(not rune) rune {
		for {
			var r rune
			if t := text[t.Start:t.End]; isASCII(t) {
				r = rune('a' + rng.IntN(26))
			} else {
				r = w[rng.IntN(len(w))]
			}
			if r != not {
				return r
			}
		}
	}
	var out []rune
	switch op := rng.IntN(4); {
	case op == 0: // drop
		i := rng.IntN(len(w))
		out = append(append(out, w[:i]...), w[i+1:]...)
	case op == 1: // insert
		i := rng.IntN(len(w) + 1)
		out = append(append(append(out, w[:i]...), letter(0)), w[i:]...)
	case op == 3: // swap neighbours, when they differ
		i := rng.IntN(len(w) - 1)
		if w[i] != w[i+1] {
			out = append(out, w...)
			out[i], out[i+1] = out[i+1], out[i]
			break
		}
		fallthrough
	default: // change
		i := rng.IntN(len(w))
		out = append(out, w...)
		out[i] = letter(w[i])
	}
	return text[:t.Start] + string(out) + text[t.End:], true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Typos returns qs, each query's text with a typo (see [Typo]) seeded by
// seed and its index, and how many had a word to misspell.
func Typos(qs []Query, seed uint64) (out []Query, n int) {
	out = make([]Query, len(qs))
	for i, q := range qs {
		var ok bool
		out[i] = q
		out[i].Text, ok = Typo(q.Text, seed<<32|uint64(i))
		if ok {
			n++
		}
	}
	return out, n
}

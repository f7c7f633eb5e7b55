package engine_test

import (
	"testing"
	"unicode/utf8"

	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/story"
)

// TestHasWordsAgreesWithTokenize checks that story.HasWords, which lets a
// bot load only if each phrase has something to train on, reads a phrase
// as the matcher does: a rune makes a phrase trainable exactly when the
// matcher's tokenizer gives it a token. Were they to disagree, a bot
// could load (and pass parley check) and then fail to train in New.
func TestHasWordsAgreesWithTokenize(t *testing.T) {
	bad := 0
	for r := rune(0); r <= 0x3ffff; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		s := string(r)
		if got, want := story.HasWords(s), len(nlu.Tokenize(s)) > 0; got != want {
			if bad++; bad <= 10 {
				t.Errorf("%U %q: story.HasWords %v, nlu.Tokenize gives tokens %v", r, s, got, want)
			}
		}
	}
	if bad > 10 {
		t.Errorf("... and %d more runes", bad-10)
	}
}

package nlu

// Phrases of the yes and no entities in English, as normalised tokens;
// words.go has the other languages'.
var (
	yesPhrases = []string{
		"yes", "y", "yeah", "yea", "yep", "yup", "ya", "sure", "ok", "okay", "k", "alright",
		"all right", "of course", "certainly", "absolutely", "definitely", "correct",
		"right", "affirmative", "indeed", "i do", "please do", "sounds good", "go ahead",
		"why not", "that's right", "👍",
	}
	noPhrases = []string{
		"no", "n", "nope", "nah", "not", "never", "negative", "no way", "not really",
		"no thanks", "not at all", "i don't", "don't", "do not", "no thank you", "👎",
	}
)

type phraseList [][]string

func splitPhrases(ps []string) phraseList {
	out := make(phraseList, len(ps))
	for i, p := range ps {
		for _, t := range Tokenize(p) {
			out[i] = append(out[i], t.Text)
		}
	}
	return out
}

// longestAt returns the length in tokens of the longest phrase of ps that
// starts at toks[i], or 0.
func (ps phraseList) longestAt(toks []Token, i int) int {
	best := 0
	for _, p := range ps {
		if len(p) <= best || i+len(p) > len(toks) {
			continue
		}
		ok := true
		for k, w := range p {
			if toks[i+k].Text != w {
				ok = false
				break
			}
		}
		if ok {
			best = len(p)
		}
	}
	return best
}

// findYesNo finds yes and no answers in the language of lw; a negator
// before a yes phrase makes it a no ("not sure", "don't think so" is left
// alone).
func findYesNo(lw *langWords, name, want, text string) []Entity {
	toks := Tokenize(text)
	var out []Entity
	for i := 0; i < len(toks); {
		y, n := lw.yes.longestAt(toks, i), lw.no.longestAt(toks, i)
		if y == 0 && n == 0 {
			i++
			continue
		}
		value, l := "no", n
		if y > n {
			value, l = "yes", y
		}
		if n > 0 && lw.negators[toks[i].Text] && i+n < len(toks) {
			if y2 := lw.yes.longestAt(toks, i+n); y2 > 0 {
				value, l = "no", n+y2
			}
		}
		if want == "" || value == want {
			s, e := toks[i].Start, toks[i+l-1].End
			out = append(out, Entity{Name: name, Value: value, Text: text[s:e], Start: s, End: e})
		}
		i += l
	}
	return out
}

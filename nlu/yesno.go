package nlu

// Phrases of the yes and no entities in English, as normalised tokens;
// words.go has the other languages'.
var (
	yesPhrases = []string{
		"yes", "y", "yeah", "yea", "yep", "yup", "ya", "sure", "ok", "okay", "k", "alright",
		"all right", "of course", "certainly", "absolutely", "definitely", "correct",
		"right", "affirmative", "indeed", "i do", "please do", "sounds good", "go ahead",
		"why not", "that's right", "no problem", "no worries", "👍",
	}
	noPhrases = []string{
		"no", "n", "nope", "nah", "not", "never", "negative", "no way", "not really",
		"no thanks", "not at all", "i don't", "don't", "do not", "no thank you", "👎",
	}
)

// A phraseList holds phrases as their tokens, normalised and folded
// (numberKey).
type phraseList struct {
	words, folded [][]string
}

func splitPhrases(ps []string) phraseList {
	out := phraseList{words: make([][]string, len(ps)), folded: make([][]string, len(ps))}
	for i, p := range ps {
		for _, t := range Tokenize(p) {
			out.words[i] = append(out.words[i], t.Text)
			out.folded[i] = append(out.folded[i], numberKey(t.Text))
		}
	}
	return out
}

// textKeys are the tokens of a text as phrases compare them.
type textKeys struct {
	words, folded []string
}

func keysOf(toks []Token) textKeys {
	k := textKeys{words: make([]string, len(toks)), folded: make([]string, len(toks))}
	for i, t := range toks {
		k.words[i], k.folded[i] = t.Text, numberKey(t.Text)
	}
	return k
}

// matches reports whether the token k.words[i] is the phrase word w,
// folded f: as written, or typed without accents ("nao" for "não"). A
// word with other accents is another word: Greek "πότε" (when) is not
// "ποτέ" (never).
func (k textKeys) matches(i int, w, f string) bool {
	return k.words[i] == w || k.folded[i] == k.words[i] && k.words[i] == f
}

// longestAt returns the length in tokens of the longest phrase of ps that
// starts at token i of k, or 0.
func (ps phraseList) longestAt(k textKeys, i int) int {
	best := 0
	for p, ws := range ps.words {
		if len(ws) <= best || i+len(ws) > len(k.words) {
			continue
		}
		ok := true
		for j, w := range ws {
			if !k.matches(i+j, w, ps.folded[p][j]) {
				ok = false
				break
			}
		}
		if ok {
			best = len(ws)
		}
	}
	return best
}

// findYesNo finds yes and no answers in the language of lw. A negation
// makes a yes phrase a no: a negator before it, next to it or one or two
// words away in the same clause ("not sure", "no estoy de acuerdo"), or a
// no phrase right after it, with a linking word of the language or none
// ("of course not", "claro que no", "das stimmt nicht"). "don't think
// so" is left alone.
func findYesNo(lw *langWords, name, want, text string) []Entity {
	toks := lw.splitYesNo(text, Tokenize(text))
	keys := keysOf(toks)
	// clause reports whether toks[a:b+1] are in one clause: only spaces
	// or hyphens between them.
	clause := func(a, b int) bool {
		for k := a; k < b; k++ {
			if !adjacent(text, toks[k], toks[k+1]) {
				return false
			}
		}
		return true
	}
	var out []Entity
	for i := 0; i < len(toks); {
		y, n := lw.yes.longestAt(keys, i), lw.no.longestAt(keys, i)
		if i == 0 {
			y = max(y, lw.leading.longestAt(keys, 0))
		}
		if y == 0 && n == 0 || max(y, n) == 1 && lw.countedBefore(text, toks, i) {
			i++
			continue
		}
		value, l := "no", n
		if y > n {
			value, l = "yes", y
		}
		if value == "no" && lw.negators[keys.folded[i]] {
			for gap := 0; gap <= 2 && i+n+gap < len(toks); gap++ {
				if gap > 0 && !clause(i+n-1, i+n+gap) {
					break
				}
				if y2 := lw.yes.longestAt(keys, i+n+gap); y2 > 0 {
					l = n + gap + y2
					break
				}
			}
		}
		if value == "yes" {
			k := i + l
			if k < len(toks) && lw.linkers[keys.folded[k]] && clause(k-1, k) {
				k++
			}
			if k < len(toks) && clause(i+l-1, k) {
				if n2 := lw.no.longestAt(keys, k); n2 > 0 {
					value, l = "no", k-i+n2
				}
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

// countedBefore reports whether toks[i] is a number word read only
// before a counter, and one follows it: Korean "네" is four, not yes, in
// "네 잔" (four cups).
func (w *langWords) countedBefore(text string, toks []Token, i int) bool {
	nw, ok := w.numbers[numberKey(toks[i].Text)]
	return ok && nw.counted && i+1 < len(toks) && adjacent(text, toks[i], toks[i+1]) && w.counterAt(toks[i+1].Text)
}

package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Numbers, yes and no inside words. Chinese, Japanese and Thai write no
// space between words, so "我要三杯咖啡" (I want three cups of coffee) is
// one token: its number words are found inside it and made tokens of
// their own ("三"), which the number parser then reads as it reads
// "three". Korean writes spaces, but a number word takes its counter
// and particles inside one word ("두잔", two cups; "하나요", one): the
// number is split from them.

// inWordsOf marks w's language as written without spaces between words:
// its number words are read inside a text's words, but not inside
// notWords, the words of the language whose number characters are no
// number (Chinese "一下", a moment; Japanese "一緒", together).
func (w *langWords) inWordsOf(notWords ...string) *langWords {
	w.inWords = true
	w.notWords = map[string]bool{}
	for _, n := range notWords {
		w.notWords[Normalize(n)] = true
		w.maxPiece = max(w.maxPiece, len(Normalize(n)))
	}
	return w
}

// countedBy sets w's counters and the particles they and number words
// take (space-separated): see [langWords.counters]. With after set, a
// number inside a word is read only before a counter or at the word's
// end (Thai).
func (w *langWords) countedBy(counters, particles string, after bool) *langWords {
	w.counters, w.particles, w.countedAfter = map[string]bool{}, map[string]bool{}, after
	for _, c := range strings.Fields(counters) {
		w.counters[Normalize(c)] = true
		w.maxPiece = max(w.maxPiece, len(Normalize(c)))
	}
	for _, p := range strings.Fields(particles) {
		w.particles[Normalize(p)] = true
	}
	return w
}

// yesNoInWords sets the fillers and openers of an inWords language's yes
// and no (see [langWords.fillers]).
func (w *langWords) yesNoInWords(fillers, openers []string) *langWords {
	w.fillers, w.openers = map[string]bool{}, map[string]bool{}
	for _, f := range fillers {
		w.fillers[Normalize(f)] = true
	}
	for _, o := range openers {
		w.openers[Normalize(o)] = true
	}
	for _, ps := range []phraseList{w.yes, w.no, w.leading} {
		for _, ws := range ps.words {
			if len(ws) == 1 {
				w.maxPiece = max(w.maxPiece, len(ws[0]))
			}
		}
	}
	for f := range w.fillers {
		w.maxPiece = max(w.maxPiece, len(f))
	}
	for n := range w.negators {
		w.maxPiece = max(w.maxPiece, len(n))
	}
	return w
}

// pieceAt returns the length in bytes of the longest piece of word that
// starts at byte p, is at most limit bytes long, ends where a letter
// ends (not before a combining mark) and is one for which has reports
// true once normalised; 0 if none is.
func pieceAt(word string, p, limit int, has func(string) bool) int {
	best := 0
	for e := p; e < len(word) && e-p < limit; {
		_, n := utf8.DecodeRuneInString(word[e:])
		e += n
		if e < len(word) {
			if r, _ := utf8.DecodeRuneInString(word[e:]); unicode.In(r, unicode.Mn, unicode.Mc) {
				continue
			}
		}
		if has(Normalize(word[p:e])) {
			best = e - p
		}
	}
	return best
}

// isNumberWord reports whether the normalised s is a word of w's number
// lexicon, as written or with its accents folded (unless it is read only
// as spelled).
func (w *langWords) isNumberWord(s string) bool {
	if _, ok := w.numbers[s]; ok {
		return true
	}
	k := numberKey(s)
	nw, ok := w.numbers[k]
	return ok && (!nw.spelled || k == s)
}

// isCounter reports whether the normalised s is one of w's counters.
func (w *langWords) isCounter(s string) bool { return w.counters[s] }

// isNotWord reports whether the normalised s is one of w's notWords.
func (w *langWords) isNotWord(s string) bool { return w.notWords[s] }

// splitNumberWords returns toks with the number words inside the words of
// an inWords language made tokens of their own ("我要三杯咖啡" is "我要",
// "三", "杯咖啡"), and in a language with counters a number word split
// from the counter or particle joined to it ("두잔" is "두", "잔").
func (w *langWords) splitNumberWords(text string, toks []Token) []Token {
	if !w.inWords && w.counters == nil || w.numbers == nil {
		return toks
	}
	return spliceTokens(toks, func(_ int, t Token) []Token {
		word := text[t.Start:t.End]
		if !w.inWords {
			return w.countedPieces(word, t)
		}
		if strings.ContainsFunc(word, unspaced) {
			return w.numberPieces(word, t.Start)
		}
		return nil
	})
}

// A wordPiece is a span of bytes of a word, a number word or not.
type wordPiece struct {
	start, end int
	number     bool
}

// numberPieces splits word, which starts at byte base of the text, into
// its number words and the runs of other letters between them; nil if it
// holds no number word. A notWord is skipped, unless a number word comes
// right before it ("三万一千" is 31,000, though "万一" is "in case").
func (w *langWords) numberPieces(word string, base int) []Token {
	var ps []wordPiece
	found := false
	for p := 0; p < len(word); {
		afterNumber := len(ps) > 0 && ps[len(ps)-1].number
		if !afterNumber {
			if l := pieceAt(word, p, w.maxPiece, w.isNotWord); l > 0 {
				ps = append(ps, wordPiece{p, p + l, false})
				p += l
				continue
			}
		}
		if l := pieceAt(word, p, w.longest, w.isNumberWord); l > 0 {
			ps = append(ps, wordPiece{p, p + l, true})
			found = true
			p += l
			continue
		}
		_, n := utf8.DecodeRuneInString(word[p:])
		ps = append(ps, wordPiece{p, p + n, false})
		p += n
	}
	if !found {
		return nil
	}
	if w.countedAfter {
		// A run of number words is a number only at the word's end or
		// before a counter; elsewhere it is letters of another word.
		for k := 0; k < len(ps); k++ {
			if !ps[k].number || k+1 < len(ps) && ps[k+1].number {
				continue
			}
			end := ps[k].end
			if end == len(word) || pieceAt(word, end, w.maxPiece, w.isCounter) > 0 {
				continue
			}
			for j := k; j >= 0 && ps[j].number; j-- {
				ps[j].number = false
			}
		}
	}
	var out []Token
	for k := 0; k < len(ps); k++ {
		s, e := ps[k].start, ps[k].end
		for !ps[k].number && k+1 < len(ps) && !ps[k+1].number {
			k++
			e = ps[k].end
		}
		out = append(out, Token{Text: Normalize(word[s:e]), Start: base + s, End: base + e})
	}
	return out
}

// countedPieces splits the token t, word in the text, into the number
// word it starts with and the counter or particle joined to it ("두잔",
// "하나요", "한번"); nil unless t is such a word.
//
// A word that is a number as a whole is split only before a particle
// after a plain number word: "하나만" is "하나" (one) and "만" (only),
// but "오만" and "백만" are 50,000 and a million ("만", ten thousand).
func (w *langWords) countedPieces(word string, t Token) []Token {
	whole := w.isNumberToken(t.Text)
	// The shortest number first: "둘이서" is "둘", "이서" (the two of us),
	// not "둘이" (two, two), "서".
	for k := 0; k < len(word); {
		_, n := utf8.DecodeRuneInString(word[k:])
		k += n
		if k == len(word) {
			break
		}
		head, rest := Normalize(word[:k]), Normalize(word[k:])
		counter := !whole && w.counterAt(rest)
		particle := w.particles[rest] && (!whole || w.endsPlain(head))
		if (counter || particle) && w.isNumberToken(head) {
			if !counter {
				rest = "" // no word: "만" in "하나만" (only one) is no ten thousand
			}
			return []Token{{Text: head, Start: t.Start, End: t.Start + k}, {Text: rest, Start: t.Start + k, End: t.End}}
		}
	}
	return nil
}

// endsPlain reports whether the normalised number token s ends with a
// word that adds its value and needs no company ("하나", "열"), not a
// multiplier, a scale or a word read only beside another ("오", five).
func (w *langWords) endsPlain(s string) bool {
	parts, ok := w.segment(numberKey(s))
	if !ok || len(parts) == 0 {
		return false
	}
	last := parts[len(parts)-1]
	return !last.connector && last.word.kind == numAdd && !last.word.company
}

// isNumberToken reports whether the normalised token s is made of number
// words of w's lexicon only.
func (w *langWords) isNumberToken(s string) bool {
	if _, ok := w.numbers[s]; ok {
		return true
	}
	parts, ok := w.segment(numberKey(s))
	for _, p := range parts {
		ok = ok && !p.connector
	}
	return ok
}

// isYesNoPiece reports whether the normalised s is, in one word, a yes or
// no phrase, a negator or a filler of w.
func (w *langWords) isYesNoPiece(s string) bool {
	if w.fillers[s] || w.negators[s] {
		return true
	}
	for _, ps := range []phraseList{w.yes, w.no, w.leading} {
		for _, ws := range ps.words {
			if len(ws) == 1 && ws[0] == s {
				return true
			}
		}
	}
	return false
}

// splitYesNo returns toks with each word of an inWords language that is
// made of yes and no phrases, negators and fillers split into them
// ("不要了" is "不要", "了"; "我不要" is "我", "不要"), and a word that
// starts with an opener split after it ("好的我要两杯" is "好的",
// "我要两杯"). Other words stay whole, so that the yes inside them is not
// read ("银行", bank, holds "行", all right; "ええと", um, "ええ", yes).
func (w *langWords) splitYesNo(text string, toks []Token) []Token {
	if !w.inWords {
		return toks
	}
	return spliceTokens(toks, func(_ int, t Token) []Token {
		if word := text[t.Start:t.End]; strings.ContainsFunc(word, unspaced) {
			return w.yesNoPieces(word, t.Start)
		}
		return nil
	})
}

// yesNoPieces splits word, which starts at byte base of the text, for
// splitYesNo; nil if it stays whole.
func (w *langWords) yesNoPieces(word string, base int) []Token {
	var out []Token
	opened := 0 // pieces up to the last opener
	p := 0
	for p < len(word) {
		l := pieceAt(word, p, w.maxPiece, w.isYesNoPiece)
		if l == 0 {
			break
		}
		t := Token{Text: Normalize(word[p : p+l]), Start: base + p, End: base + p + l}
		out = append(out, t)
		if w.openers[t.Text] {
			opened = len(out)
		}
		p += l
	}
	switch {
	case p == len(word) && len(out) > 1:
		return out
	case p < len(word) && opened > 0:
		out = out[:opened]
		s := out[opened-1].End - base
		return append(out, Token{Text: Normalize(word[s:]), Start: base + s, End: base + len(word)})
	}
	return nil
}

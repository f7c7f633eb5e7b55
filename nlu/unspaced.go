package nlu

import (
	"unicode"
	"unicode/utf8"
)

// Words of scripts written without spaces. [Tokenize] makes a whole run of
// Chinese or Japanese one token ("我想要一杯咖啡", I would like a cup of
// coffee), so two paraphrases would share no word. The matcher reads such
// a run as its characters and their overlapping pairs ("我", "我想", "想",
// "想要", "要", …, "咖啡", "啡"), as search engines index these languages
// without a dictionary (Lucene's CJKBigramFilter, with its unigrams), and
// a dictionary finds its values inside the run (see [Dictionary]).

// isCJK reports whether r is a letter of Chinese or Japanese: Han,
// Hiragana, Katakana, and the marks Japanese writes inside its words (the
// prolonged sound mark "ー" and "〆").
func isCJK(r rune) bool {
	if r < 0x2e80 {
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) || r == 'ー' || r == '〆'
}

// isKatakana reports whether r is a letter of a katakana word.
func isKatakana(r rune) bool { return unicode.Is(unicode.Katakana, r) || r == 'ー' }

// splitRuns replaces, from toks[from:] on, each token that holds Chinese or
// Japanese letters by the tokens it reads as: its runs of other letters
// and digits as words ("我要latte" holds "latte"), and each run of
// Chinese or Japanese letters as its letters and the overlapping pairs of
// neighbours, in text order ("咖啡" is "咖", "咖啡", "啡"). Class tokens
// stay. It returns the tokens.
func splitRuns(toks []Token, from int, text string) []Token {
	i := from
	for i < len(toks) && !hasCJK(toks[i], text) {
		i++
	}
	if i == len(toks) {
		return toks
	}
	rest := append([]Token(nil), toks[i:]...)
	toks = toks[:i]
	for _, t := range rest {
		if !hasCJK(t, text) {
			toks = append(toks, t)
			continue
		}
		toks = appendRunTokens(toks, text, t.Start, t.End)
	}
	return toks
}

func hasCJK(t Token, text string) bool {
	if isClass(t.Text) || isASCII(text[t.Start:t.End]) {
		return false
	}
	for _, r := range text[t.Start:t.End] {
		if isCJK(r) {
			return true
		}
	}
	return false
}

// appendRunTokens appends the tokens of text[start:end], a word holding
// Chinese or Japanese letters (see splitRuns).
func appendRunTokens(dst []Token, text string, start, end int) []Token {
	for p := start; p < end; {
		r, n := utf8.DecodeRuneInString(text[p:])
		q := p + n
		if !isCJK(r) {
			for q < end {
				r, n := utf8.DecodeRuneInString(text[q:])
				if isCJK(r) {
					break
				}
				q += n
			}
			if w := normalizeWord(text[p:q]); w != "" {
				dst = append(dst, Token{Text: w, Start: p, End: q})
			}
			p = q
			continue
		}
		// A run of Chinese or Japanese letters: each letter, and each
		// pair of neighbours after its first letter.
		prev := p
		dst = append(dst, Token{Text: Normalize(text[p:q]), Start: p, End: q})
		for q < end {
			r, n := utf8.DecodeRuneInString(text[q:])
			if !isCJK(r) {
				break
			}
			dst = append(dst,
				Token{Text: Normalize(text[prev : q+n]), Start: prev, End: q + n},
				Token{Text: Normalize(text[q : q+n]), Start: q, End: q + n})
			prev, q = q, q+n
		}
		p = q
	}
	return dst
}

// Letters returns the tokens of s as [Tokenize] does, but with each word
// that holds letters of a script written without spaces (Chinese,
// Japanese, Thai, Lao, Khmer, Burmese) split into those letters, each
// with the combining marks after it, and its runs of other letters and
// digits: "我叫小明" is "我", "叫", "小", "明", and "我要latte" is "我",
// "要", "latte". Text in other scripts tokenizes as with [Tokenize]. It
// serves to find a value by the letters around it where no space marks
// its edges.
func Letters(s string) []Token {
	return letterTokens(Tokenize(s), s)
}

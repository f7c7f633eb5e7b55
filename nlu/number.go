package nlu

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Number words, for the number and integer entities (English).
var (
	numberUnits = map[string]float64{
		"zero": 0, "oh": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
		"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
		"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
		"eighteen": 18, "nineteen": 19,
	}
	numberTens = map[string]float64{
		"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
		"seventy": 70, "eighty": 80, "ninety": 90,
	}
	numberScales = map[string]float64{
		"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
	}
	ordinalUnits = map[string]float64{
		"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
		"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
		"thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
		"seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
	}
	ordinalTens = map[string]float64{
		"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
		"seventieth": 70, "eightieth": 80, "ninetieth": 90,
	}
	ordinalScales = map[string]float64{
		"hundredth": 100, "thousandth": 1e3, "millionth": 1e6, "billionth": 1e9,
	}
)

// A numberSpan is one number found in a text.
type numberSpan struct {
	start, end int // byte offsets
	value      string
	integral   bool
}

// findNumbers finds numbers written with digits ("1,200", "2.5", "-3",
// "1st"), with words of lw's language ("twelve hundred", "twenty-one", "a
// hundred and five", "second"; "einundzwanzig"), or mixed ("5 million").
func findNumbers(lw *langWords, text string) []numberSpan {
	toks := lw.blockNotNumbers(lw.splitNumberWords(text, splitUnspaced(text, Tokenize(text))))
	var out []numberSpan
	for i := 0; i < len(toks); {
		n, v, exact, ok := lw.parseNumberAt(text, toks, i)
		if !ok {
			i++
			continue
		}
		start, end := toks[i].Start, toks[i+n-1].End
		if start > 0 && text[start-1] == '-' && (start == 1 || !isWordByte(text[start-2])) && isDigitByte(text[start]) {
			start--
			if exact != "" {
				exact = "-" + exact
			}
			v = -v
		}
		s := exact
		if s == "" {
			s = formatNumber(v)
		}
		out = append(out, numberSpan{start: start, end: end, value: s, integral: !strings.Contains(s, ".")})
		i += n
	}
	return out
}

func isDigitByte(b byte) bool { return '0' <= b && b <= '9' }

func isWordByte(b byte) bool {
	return isDigitByte(b) || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b >= 0x80
}

// parseNumberAt parses the number starting at toks[i]: it returns how many
// tokens it spans and its value, with exact set to the normalised decimal
// string when the number is all digits (to keep long numbers exact).
func (lw *langWords) parseNumberAt(text string, toks []Token, i int) (n int, v float64, exact string, ok bool) {
	w := asciiDigits(toks[i].Text)
	if d, s, ok := parseDigits(w, lw.suffixes); ok {
		// "5 million", "2.5 thousand", "5 Millionen", "5 hundert", "2 सौ",
		// while the product is finite
		if i+1 < len(toks) && adjacent(text, toks[i], toks[i+1]) {
			next := toks[i+1].Text
			sc := numberScales[next]
			if lw.numbers != nil {
				sc = 0
				if nw, ok := lw.numbers[numberKey(next)]; ok && (nw.kind == numScale || nw.kind == numHundred || nw.kind == numMul) {
					sc = nw.value
				}
			}
			if sc > 0 && !math.IsInf(d*sc, 0) {
				return 2, d * sc, "", true
			}
		}
		return 1, d, s, true
	}
	if lw.numbers != nil {
		n, v, ok := lw.parseNumberWordsAt(text, toks, i)
		return n, v, "", ok
	}
	var total, current float64
	last := "" // "unit", "teen", "ten", "hundred", "scale"
	j := i
	for ; j < len(toks); j++ {
		w := toks[j].Text
		if j > i && !adjacent(text, toks[j-1], toks[j]) {
			break
		}
		if u, ok := numberUnits[w]; ok || ordinalUnits[w] > 0 {
			if !ok {
				u = ordinalUnits[w]
			}
			if last == "unit" || last == "teen" || (last == "ten" && u >= 10) {
				break
			}
			if w == "oh" && last == "" {
				break // "oh" alone is not zero
			}
			current += u
			if u >= 10 {
				last = "teen"
			} else {
				last = "unit"
			}
			if _, ord := ordinalUnits[w]; ord {
				j++
				break
			}
			continue
		}
		if t, ok := numberTens[w]; ok || ordinalTens[w] > 0 {
			if !ok {
				t = ordinalTens[w]
			}
			if last == "unit" || last == "teen" || last == "ten" {
				break
			}
			current += t
			last = "ten"
			if _, ord := ordinalTens[w]; ord {
				j++
				break
			}
			continue
		}
		sc, ok := numberScales[w]
		ord := false
		if !ok {
			sc, ord = ordinalScales[w]
		}
		if ok || ord {
			if last == "" && j == i {
				break // "hundred" alone is not a number; "a hundred" is
			}
			if sc == 100 {
				if last == "hundred" || last == "scale" && current == 0 {
					break
				}
				current = max(current, 1) * 100
				last = "hundred"
			} else {
				total += max(current, 1) * sc
				current = 0
				last = "scale"
			}
			if ord {
				j++
				break
			}
			continue
		}
		if w == "a" && last == "" && j+1 < len(toks) {
			if _, ok := numberScales[toks[j+1].Text]; ok {
				current = 1
				last = "a"
				continue
			}
		}
		if w == "and" && (last == "hundred" || last == "scale") && j+1 < len(toks) {
			next := toks[j+1].Text
			if numberUnits[next] > 0 || numberTens[next] > 0 || ordinalUnits[next] > 0 || ordinalTens[next] > 0 {
				continue
			}
		}
		break
	}
	// Drop a trailing "a" or "and" that did not lead anywhere.
	for j > i && (toks[j-1].Text == "and" || toks[j-1].Text == "a") {
		j--
	}
	if j == i || last == "" || last == "a" {
		return 0, 0, "", false
	}
	return j - i, total + current, "", true
}

// asciiDigits returns w with the decimal digits of other scripts ("٣",
// "२५", "௫") written as ASCII digits, so that a number is read in any
// script's digits.
func asciiDigits(w string) string {
	if isASCII(w) {
		return w
	}
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf || !unicode.IsDigit(r) {
			return r
		}
		// Unicode encodes each script's digits 0 to 9 in a run, so a
		// digit's value is its place in its run.
		n := rune(0)
		for unicode.IsDigit(r - n - 1) {
			n++
		}
		return '0' + n%10
	}, w)
}

// adjacent reports whether only spaces or a hyphen separate a and b.
func adjacent(text string, a, b Token) bool {
	return strings.Trim(text[a.End:b.Start], " -") == ""
}

// parseDigits parses "1200", "1,200", "2.5", "1st", "22nd" (and an ordinal
// with one of suffixes, a language's: "2ème", "1º") and returns the value
// and its normalised string.
func parseDigits(w string, suffixes []string) (float64, string, bool) {
	if w == "" || !isDigitByte(w[0]) {
		return 0, "", false
	}
	if !allDigits(w) {
		if k := len(w) - len(strings.TrimLeft(w, "0123456789")); k > 0 && (isOrdinalSuffix(englishSuffixes, w[k:]) || isOrdinalSuffix(suffixes, foldAccents(w[k:]))) {
			p := w[:k]
			v, err := strconv.ParseFloat(p, 64)
			return v, normalizeDecimal(p), err == nil
		}
	}
	s := strings.ReplaceAll(w, ",", "")
	if strings.Count(s, ".") > 1 || !allDigits(strings.Replace(s, ".", "", 1)) {
		return 0, "", false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, "", false
	}
	return v, normalizeDecimal(s), true
}

// englishSuffixes are the suffixes of ordinals in digits ("1st") read in
// every language.
var englishSuffixes = []string{"st", "nd", "rd", "th"}

func isOrdinalSuffix(suffixes []string, s string) bool {
	for _, x := range suffixes {
		if s == x {
			return true
		}
	}
	return false
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			return false
		}
	}
	return true
}

// normalizeDecimal strips leading zeros of the integer part and trailing
// zeros of the fraction: "007" → "7", "2.50" → "2.5", "3.0" → "3".
func normalizeDecimal(s string) string {
	ip, fp, _ := strings.Cut(s, ".")
	ip = strings.TrimLeft(ip, "0")
	if ip == "" {
		ip = "0"
	}
	fp = strings.TrimRight(fp, "0")
	if fp == "" {
		return ip
	}
	return ip + "." + fp
}

func formatNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e18 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func extractNumber(lw *langWords, text string) []Entity {
	var out []Entity
	for _, n := range findNumbers(lw, text) {
		out = append(out, Entity{Name: "number", Value: n.value, Text: text[n.start:n.end], Start: n.start, End: n.end})
	}
	return out
}

func extractInteger(lw *langWords, text string) []Entity {
	var out []Entity
	for _, n := range findNumbers(lw, text) {
		if n.integral {
			out = append(out, Entity{Name: "integer", Value: n.value, Text: text[n.start:n.end], Start: n.start, End: n.end})
		}
	}
	return out
}

// splitUnspaced splits the words of scripts written without spaces between
// words (Chinese, Japanese, Thai, Lao, Khmer, Burmese), and Korean words,
// which join a counter to a number ("3잔", three cups), into their runs of
// digits and the rest, so that the 3 of "ピザを3枚" is a number of its
// own, as it is in "3 pizzas". A digit run keeps a '.' or ',' between
// digits ("2.5杯").
func splitUnspaced(text string, toks []Token) []Token {
	return spliceTokens(toks, func(_ int, t Token) []Token {
		word := text[t.Start:t.End]
		if !strings.ContainsFunc(word, joinsDigits) || !strings.ContainsFunc(word, unicode.IsDigit) {
			return nil
		}
		var parts []Token
		start := 0
		for start < len(word) {
			end := start
			digits := isDigitAt(word, start)
			for end < len(word) {
				r, size := utf8.DecodeRuneInString(word[end:])
				sep := (r == '.' || r == ',') && digits && end > start && isDigitAt(word, end+size)
				if !sep && unicode.IsDigit(r) != digits {
					break
				}
				end += size
			}
			parts = append(parts, Token{Text: Normalize(word[start:end]), Start: t.Start + start, End: t.Start + end})
			start = end
		}
		return parts
	})
}

// isDigitAt reports whether s has a digit at byte offset i.
func isDigitAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsDigit(r)
}

// unspaced reports whether r is a letter of a script written without
// spaces between words.
func unspaced(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}

// joinsDigits reports whether r is a letter of a script whose words hold
// digits joined to letters: those written without spaces, and Korean.
func joinsDigits(r rune) bool { return unspaced(r) || unicode.Is(unicode.Hangul, r) }

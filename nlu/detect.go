package nlu

import (
	"fmt"
	"math"
	"math/bits"
	"strings"
	"unicode"
)

// A Detection is what [DetectLanguage] makes of the language of some
// texts: the language it names, how sure it is, and the counts it rests
// on, so that a person can check them.
type Detection struct {
	// Language is the language of the texts as [WithLanguage] names it,
	// or "" when the evidence is not clear: Confidence is under
	// [DetectConfidence].
	Language string
	// Best is the most likely language even when Language is "", or ""
	// when no word of the texts is evidence for any.
	Best string
	// Confidence is how sure Best is, in [0, 1]: the margin of its
	// evidence over every other language's times a factor that grows
	// with the amount of evidence (see DetectLanguage).
	Confidence float64
	// Script is the writing system of most of the texts' letters, lower
	// case ("latin", "cyrillic", "han", ...), or "" for texts without
	// letters of the scripts DetectLanguage knows.
	Script string
	// Words is the number of words of the texts in Script (in the
	// scripts written without spaces, one per two Han characters or kana
	// and one per three Thai letters).
	Words int
	// Hits is the number of those words that are evidence for Best: its
	// function words, or all of them where the script has one language
	// (Hangul, Greek, Thai, ...); in Han script, the kana letters, which
	// are evidence for japanese, and 0 for chinese.
	Hits int
	// Next is the runner-up among the languages of Script, and NextHits
	// its hits; "" and 0 when the script has one language.
	Next     string
	NextHits int
	// Share is the share of the texts' letters in Script.
	Share float64
}

// DetectConfidence is the confidence from which [DetectLanguage] names a
// language.
const DetectConfidence = 0.5

// String says what the detection rests on, for people: "spanish, 0.97
// sure: 41 of 120 latin words are spanish function words (portuguese:
// 12)".
func (d Detection) String() string {
	if d.Best == "" {
		if d.Script == "" {
			return "no language: no letters of a script it knows"
		}
		return fmt.Sprintf("no language: %d %s words, none a function word of a language Parley detects", d.Words, d.Script)
	}
	name := d.Language
	if name == "" {
		name = "undecided, most likely " + d.Best
	}
	var ev string
	switch {
	case d.Best == "japanese":
		ev = fmt.Sprintf("%.0f %% of the letters are Han characters and kana, %d of them kana", 100*d.Share, d.Hits)
	case d.Best == "chinese":
		ev = fmt.Sprintf("%.0f %% of the letters are Han characters, without kana", 100*d.Share)
	case d.Best == scriptLanguage[scriptIndex(d.Script)]:
		ev = fmt.Sprintf("%.0f %% of the letters are %s, in %d words", 100*d.Share, scriptTitle(d.Script), d.Words)
	default:
		next := "no other language's"
		if d.Next != "" {
			next = fmt.Sprintf("%s: %d", d.Next, d.NextHits)
		}
		ev = fmt.Sprintf("%d of %d %s words are %s function words (%s)", d.Hits, d.Words, d.Script, d.Best, next)
		if d.Share < 0.995 {
			ev += fmt.Sprintf(", %.0f %% of the letters %s", 100*d.Share, d.Script)
		}
	}
	return fmt.Sprintf("%s, %.2f sure: %s", name, d.Confidence, ev)
}

// DetectLanguage names the language most of texts are written in, such
// as a bot's training phrases, when the evidence is clear. It weighs two
// kinds of evidence that a person can check:
//
//   - the script: the writing system of most letters. Where only one
//     language Parley knows writes it, the script names it: greek,
//     armenian, georgian, tamil, thai, korean (Hangul), japanese (Han
//     characters with kana, a tenth of them or more) and chinese (Han
//     characters without kana).
//   - function words, where a script serves several languages: the
//     articles, pronouns, prepositions, conjunctions, forms of be and
//     have, modal verbs and question words of each language, short lists
//     drawn from Snowball's stop-word lists and each language's commonest
//     words (compared without accents in Latin, Greek, Arabic and Hebrew
//     script; in French, Italian and Catalan an elided word such as "l'"
//     counts as a word). Latin script: the 25 languages of [Languages]
//     written in it and vietnamese (which also counts the words
//     with a letter only it writes: "ơ", "ư", "ạ", "ệ"); Cyrillic: russian, ukrainian, bulgarian
//     and serbian (Serbian in either script), each also counting the
//     words with a letter only it writes ("ы", "і", "ъ", "ј"); Arabic
//     script: arabic, persian and urdu (and their letters: "ة", "پ",
//     "ے"); Hebrew script: hebrew and yiddish; Devanagari: hindi, nepali
//     and marathi.
//
// Each word is evidence for every language it is a function word of. The
// best language B has H such words and the runner-up N. Against each
// other language L of the script, h of B's words are not L's and n of
// L's are not B's; the margin m is the least 1 - n/h. The confidence is
// m × (1 - 2^(-(H-N)/8)) × S, S being the share of the letters in B's
// script: with no other language near, 8 function words give half of it
// and 16 three quarters. A script of one language counts each of its
// words as evidence (each two Han characters or kana, each three Thai
// letters), with a margin of 1. From [DetectConfidence] on, the language
// is named: that takes 8 function words more than the runner-up's, and
// more where the two share many; texts of a few short words ("hi",
// "hello", "ok"), or mixed half and half, stay undecided. Other scripts,
// and texts without letters, name none.
//
// DetectLanguage is safe for concurrent use.
func DetectLanguage(texts ...string) Detection {
	detectInit()
	var letters [nScripts]int
	var words [nScripts]float64
	var hits [nDetect]int
	masks := map[uint64]int{} // the languages a word is evidence for -> words
	kana := 0
	for _, text := range texts {
		for _, tok := range Tokenize(text) {
			sc, n, k := tokenScript(tok.Text)
			if sc < 0 {
				continue
			}
			for i, c := range n {
				letters[i] += c
			}
			kana += k
			switch sc { // scripts without spaces: words of about 2 and 3 letters
			case scriptHan:
				words[sc] += float64(n[sc]) / 2
			case scriptThai:
				words[sc] += float64(n[sc]) / 3
			default:
				words[sc]++
			}
			if langs := wordEvidence(tok.Text, sc); langs != 0 {
				masks[langs]++
				for ; langs != 0; langs &= langs - 1 {
					hits[bits.TrailingZeros64(langs)]++
				}
			}
		}
	}
	total, best := 0, -1
	for i, c := range letters {
		total += c
		if c > 0 && (best < 0 || c > letters[best]) {
			best = i
		}
	}
	if best < 0 {
		return Detection{}
	}
	d := Detection{
		Script: scriptNames[best],
		Words:  int(math.Round(words[best])),
		Share:  float64(letters[best]) / float64(total),
	}
	margin, evidence := 1.0, words[best]
	switch lang := scriptLanguage[best]; {
	case best == scriptHan:
		// Japanese writes its particles and endings in kana; Chinese has
		// none.
		d.Best, d.Hits = "japanese", kana
		switch share := float64(kana) / float64(letters[best]); {
		case kana == 0:
			d.Best = "chinese"
		case share < 0.1: // a few kana: names in a Chinese text, or too little text
			margin = 0
		}
	case lang != "":
		d.Best, d.Hits = lang, d.Words
	default:
		b, r := -1, -1
		for i, c := range hits[:len(detectLangs)] {
			if detectLangs[i].script != best || c == 0 {
				continue
			}
			switch {
			case b < 0 || c > hits[b]:
				b, r = i, b
			case r < 0 || c > hits[r]:
				r = i
			}
		}
		if b < 0 {
			return d
		}
		d.Best, d.Hits = detectLangs[b].name, hits[b]
		if r >= 0 {
			d.Next, d.NextHits = detectLangs[r].name, hits[r]
		}
		evidence = float64(d.Hits - d.NextHits)
		for l := range detectLangs {
			if l != b && detectLangs[l].script == best {
				margin = min(margin, pairMargin(masks, b, l))
			}
		}
	}
	d.Confidence = math.Round(100*margin*(1-math.Exp2(-evidence/8))*d.Share) / 100
	if d.Confidence >= DetectConfidence {
		d.Language = d.Best
	}
	return d
}

// pairMargin is 1 - n/h for the words of masks that are evidence for b
// and not for l (h) and for l and not for b (n); 0 when h is 0, as b
// then has nothing to tell it from l.
func pairMargin(masks map[uint64]int, b, l int) float64 {
	var h, n int
	for m, c := range masks {
		switch inB, inL := m&(1<<b) != 0, m&(1<<l) != 0; {
		case inB && !inL:
			h += c
		case inL && !inB:
			n += c
		}
	}
	if h == 0 {
		return 0
	}
	return max(0, 1-float64(n)/float64(h))
}

// The scripts DetectLanguage tells apart.
const (
	scriptLatin = iota
	scriptCyrillic
	scriptGreek
	scriptArabic
	scriptHebrew
	scriptArmenian
	scriptGeorgian
	scriptDevanagari
	scriptTamil
	scriptThai
	scriptHangul
	scriptHan // Han characters and kana
	nScripts
)

var scriptNames = [nScripts]string{"latin", "cyrillic", "greek", "arabic", "hebrew", "armenian", "georgian", "devanagari", "tamil", "thai", "hangul", "han"}

// scriptTables are the Unicode scripts of each of DetectLanguage's.
var scriptTables = [nScripts][]*unicode.RangeTable{
	{unicode.Latin}, {unicode.Cyrillic}, {unicode.Greek}, {unicode.Arabic}, {unicode.Hebrew}, {unicode.Armenian},
	{unicode.Georgian}, {unicode.Devanagari}, {unicode.Tamil}, {unicode.Thai}, {unicode.Hangul},
	{unicode.Han, unicode.Hiragana, unicode.Katakana},
}

// scriptLanguage names the one language of a script, where it has one
// (Han has two, told apart by kana).
var scriptLanguage = [nScripts]string{scriptGreek: "greek", scriptArmenian: "armenian", scriptGeorgian: "georgian",
	scriptTamil: "tamil", scriptThai: "thai", scriptHangul: "korean"}

func scriptIndex(name string) int {
	for i, n := range scriptNames {
		if n == name {
			return i
		}
	}
	return 0
}

func scriptTitle(s string) string {
	switch s {
	case "hangul":
		return "Hangul"
	case "han":
		return "Han characters"
	}
	return strings.ToUpper(s[:1]) + s[1:] + " letters"
}

// tokenScript returns the script of a token's first letter (-1 for a
// token without letters), its letters by script and its kana.
func tokenScript(tok string) (sc int, n [nScripts]int, kana int) {
	sc = -1
	for _, r := range tok {
		if !unicode.IsLetter(r) {
			continue
		}
		s := runeScript(r)
		if s < 0 {
			if sc < 0 {
				sc = -2 // a script DetectLanguage does not know
			}
			continue
		}
		if sc == -1 {
			sc = s
		}
		n[s]++
		if unicode.In(r, unicode.Hiragana, unicode.Katakana) {
			kana++
		}
	}
	if sc < 0 {
		return -1, n, kana
	}
	return sc, n, kana
}

func runeScript(r rune) int {
	if r < 0x250 { // ASCII and Latin-1, the common case
		if r < 0x80 || r >= 0xc0 && r != 0xd7 && r != 0xf7 {
			return scriptLatin
		}
		return -1
	}
	for i, ts := range scriptTables {
		if unicode.In(r, ts...) {
			return i
		}
	}
	return -1
}

// wordEvidence returns the languages a word of script sc is evidence
// for, as bits of detectLangs: those it is a function word of, those of
// a letter of it only they write, and, for a word with an elided word
// before an apostrophe ("l'adresse"), those of either part.
func wordEvidence(w string, sc int) uint64 {
	langs := detectCues(w, sc)
	key := detectKey(w, sc)
	if l, ok := detectWords[key]; ok {
		return langs | l
	}
	if i := strings.IndexByte(key, '\''); i > 0 {
		langs |= detectWords[key[:i+1]]
		if i+1 < len(key) {
			langs |= detectWords[key[i+1:]]
		}
	}
	return langs
}

// detectKey is the form a function word is listed under: without
// accents in Latin, Greek, Arabic and Hebrew script (users often type
// none), Arabic's alif with hamza as a bare alif, and Cyrillic "ё" as
// "е".
func detectKey(w string, sc int) string {
	switch sc {
	case scriptLatin, scriptGreek, scriptHebrew:
		return foldAccents(w)
	case scriptArabic:
		return arabicKey.Replace(foldAccents(w))
	case scriptCyrillic:
		return strings.ReplaceAll(w, "ё", "е")
	}
	return w
}

var arabicKey = strings.NewReplacer("أ", "ا", "إ", "ا", "آ", "ا")

// detectCues returns the languages with a letter of w that only they
// write among the languages of its script.
func detectCues(w string, sc int) uint64 {
	var langs uint64
	if cues := scriptCues[sc]; cues != nil {
		for _, r := range w {
			langs |= cues[r]
		}
	}
	return langs
}

package nlu

import (
	"bytes"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestStemmerPanicLogged checks that a stemmer that panics on a word
// leaves the word as written, and says so in the log given WithLogger.
func TestStemmerPanicLogged(t *testing.T) {
	var log bytes.Buffer
	cfg, err := applyOptions([]Option{WithLogger(slog.New(slog.NewTextHandler(&log, nil)))})
	if err != nil {
		t.Fatal(err)
	}
	an := newAnalyzer("english", cfg.log)
	an.stem = func(w string, _ bool) string { panic("index out of range") }
	if got := an.term("running"); got != "running" {
		t.Errorf("term: got %q, want the word as written", got)
	}
	for _, want := range []string{"level=WARN", "the stemmer panicked", "word=running", `panic="index out of range"`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("the log lacks %q; it is %q", want, log.String())
		}
	}
	if _, err := applyOptions([]Option{WithLogger(nil)}); err == nil {
		t.Errorf("WithLogger(nil): got no error")
	}
}

// stemmerInputs are words in the scripts of the stemmers, to be cut,
// spliced and repeated by TestStemmersDoNotPanic and FuzzStemmers.
var stemmerInputs = []string{
	"", "a", "ab", "orders", "café", "καφέδες", "ανοιχτός", "ς", "ΐ", "սուրճը", "համալսարաններ",
	"किताबें", "किताबहरू", "कॉफ़ी", "ं", "्", "etxera", "eskaerarik", "comandes", "gràcies", "pesanannya",
	"memperbaiki", "užsakymų", "поруџбине", "porudžbine", "đđđ", "באַשטעלונגען", "געשפּילט", "ַ",
	"المكتبات", "புத்தகங்கள்", "siparişler", "öffnungszeiten", "mbialann", "заказы", "12,5", "👍",
	"zamówień", "najlepszego", "czytaliście", "raamatute", "jõin", "tellimust", "kafojn", "sxipojn", "'st",
	"l'", "ĉiun", "baruti", "boikarabelo", "bananyana", "می\u200cخواهم", "نمی\u200cخواهند", "کتاب\u200cهایم", "كتابها",
	"آزادی", "ۀ", "می\u200c", "\u200cها", "ترین", "رفتید", "نویسنده", "اخبار", "اساتید", "ایران",
	"matkou", "konec", "vlna", "zámku", "kuřatech", "pohřeb", "něk", "tř", "ínc", "dešti", "otcův", "matčina", "eň",
}

// TestStemmersDoNotPanic runs every stemmer of Languages on words of each
// script, their prefixes and suffixes cut at every rune, and random
// strings of letters and combining marks of the scripts: a stemmer must
// return valid UTF-8 and never panic (the analyzer would survive the
// panic, but the word would not be stemmed).
func TestStemmersDoNotPanic(t *testing.T) {
	var inputs []string
	for _, w := range stemmerInputs {
		w = Normalize(w)
		for i := range w {
			inputs = append(inputs, w[:i], w[i:], w[i:]+w[:i])
		}
		inputs = append(inputs, w, w+w, strings.Repeat(w, 5))
	}
	ranges := [][2]rune{{'a', 'z'}, {0xe0, 0x17f}, {0x370, 0x3ff}, {0x400, 0x4ff}, {0x531, 0x58f},
		{0x590, 0x5ff}, {0x600, 0x6ff}, {0x900, 0x97f}, {0xb80, 0xbff}}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			r := ranges[rng.IntN(len(ranges))]
			b.WriteRune(r[0] + rune(rng.IntN(int(r[1]-r[0]+1))))
		}
		inputs = append(inputs, Normalize(b.String()))
	}
	for _, lang := range Languages {
		stem := stemmers[lang]
		for _, w := range inputs {
			if !utf8.ValidString(w) {
				continue
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s: %q: panic %v", lang, w, r)
					}
				}()
				if got := stem(w, true); !utf8.ValidString(got) {
					t.Errorf("%s: %q: got %q, not valid UTF-8", lang, w, got)
				}
			}()
		}
	}
}

// FuzzStemmers checks that no stemmer of Languages panics or returns
// invalid UTF-8 on a normalised word.
func FuzzStemmers(f *testing.F) {
	for _, w := range stemmerInputs {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range Tokenize(s) {
			for _, lang := range Languages {
				if got := stemmers[lang](tok.Text, true); !utf8.ValidString(got) {
					t.Errorf("%s: %q: got %q, not valid UTF-8", lang, tok.Text, got)
				}
			}
		}
	})
}

package nlu_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleybot/parley/nlu"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Empty", "", ""},
		{"ASCII", "  Hello   WORLD\t", "hello world"},
		{"CaseFolding", "Straße STRASSE", "strasse strasse"},
		{"Compatibility", "ﬁle ＡＢＣ ①", "file abc 1"},
		{"Accents", "CAFÉ Crème", "café crème"},
		{"Greek", "ΣΊΣΥΦΟΣ", "σίσυφοσ"},
		{"Controls", "a\x00b\u200bc\nd", "a b\u200bc d"},
		{"InvalidUTF8", "a\xffb", "a b"},
		{"Emoji", "OK 👍", "ok 👍"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nlu.Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"Empty", "", nil},
		{"Punctuation", "Hello, world!!", []string{"hello", "world"}},
		{"Apostrophes", "Don't stop—I’m here 'quoted'", []string{"don't", "stop", "i'm", "here", "quoted"}},
		{"Numbers", "pay 1,200.50 or 2.5, not 3.", []string{"pay", "1,200.50", "or", "2.5", "not", "3"}},
		{"Accents", "Crème brûlée à l'été", []string{"crème", "brûlée", "à", "l'été"}},
		{"Emoji", "great🙂🙂 ok", []string{"great", "🙂", "🙂", "ok"}},
		{"Alphanumeric", "order AP534GD12", []string{"order", "ap534gd12"}},
		{"Hyphen", "twenty-one e-mail", []string{"twenty", "one", "e", "mail"}},
		{"Cyrillic", "Привет, МИР", []string{"привет", "мир"}},
		{"Greek", "Έναν ΚΑΦΈ, παρακαλώ;", []string{"έναν", "καφέ", "παρακαλώ"}},
		{"Armenian", "Մեկ սուրճ, խնդրում եմ։", []string{"մեկ", "սուրճ", "խնդրում", "եմ"}},
		{"ArmenianQuestion", "Ինչպե՞ս ես, այո՞", []string{"ինչպես", "ես", "այո"}},
		{"ZeroWidthJoiner", "उसले गर्\u200dयो", []string{"उसले", "गर्यो"}},
		{"Devanagari", "मुझे एक कॉफ़ी चाहिए। किताबें", []string{"मुझे", "एक", "कॉफ़ी", "चाहिए", "किताबें"}},
		{"Hebrew", "איך װיל אַ קאַווע, ביטע", []string{"איך", "װיל", "אַ", "קאַווע", "ביטע"}},
		{"HebrewGeresh", "ס׳איז גוט, דאָס ס'איז", []string{"ס'איז", "גוט", "דאָס", "ס'איז"}},
		{"HebrewGershayim", "אין צה״ל", []string{"אין", "צהל"}},
		{"CatalanMiddleDot", "L'escola és intel·ligent · i col·legi·", []string{"l'escola", "és", "intelligent", "i", "collegi"}},
		{"SerbianLatin", "Jednu kafu, molim!", []string{"jednu", "kafu", "molim"}},
		{"Lithuanian", "Užsakymų valandos", []string{"užsakymų", "valandos"}},
		{"Invalid", "a\xffb", []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks := nlu.Tokenize(tt.in)
			var got []string
			for _, tok := range toks {
				got = append(got, tok.Text)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokenizeOffsets(t *testing.T) {
	in := "Crème, s’il vous plaît: 2.5 🙂"
	for _, tok := range nlu.Tokenize(in) {
		if got := nlu.Normalize(strings.ReplaceAll(in[tok.Start:tok.End], "’", "'")); got != tok.Text {
			t.Errorf("token %q at [%d:%d] covers %q", tok.Text, tok.Start, tok.End, in[tok.Start:tok.End])
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "Hello, World", "Straße İstanbul ǅ ΐ", "ﬁ ＡＢＣ ① ᾈ", "a\xffb\x00c", "don't 1,200.50 🙂", "\u0345\u0399", "ẞ ß ǰ̌"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := nlu.Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if n2 := nlu.Normalize(n); n2 != n {
			t.Fatalf("Normalize not idempotent: %q → %q → %q", s, n, n2)
		}
		for _, tok := range nlu.Tokenize(s) {
			if tok.Start < 0 || tok.End > len(s) || tok.Start >= tok.End || tok.Text == "" {
				t.Fatalf("Tokenize(%q): bad token %+v", s, tok)
			}
		}
		for _, name := range nlu.SystemNames {
			x, _ := nlu.System(name)
			for _, e := range x.Extract(s) {
				if e.Start < 0 || e.End > len(s) || e.Start > e.End || s[e.Start:e.End] != e.Text {
					t.Fatalf("%s.Extract(%q): bad span %+v", name, s, e)
				}
			}
		}
	})
}

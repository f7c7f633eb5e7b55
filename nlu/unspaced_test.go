package nlu

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestUnspacedTerms(t *testing.T) {
	drink, err := NewDictionary("drink", []Value{{Canonical: "拿铁", Synonyms: []string{"latte"}}, {Canonical: "ラテ"}})
	if err != nil {
		t.Fatal(err)
	}
	size, err := NewDictionary("size", []Value{{Canonical: "大杯"}})
	if err != nil {
		t.Fatal(err)
	}
	ents := WithEntities(map[string]Extractor{"drink": drink, "size": size})
	for _, tc := range []struct {
		name, text string
		ents       bool
		want       []string
	}{
		{"Chinese", "我想要咖啡", false, []string{"我", "我想", "想", "想要", "要", "要咖", "咖", "咖啡", "啡"}},
		{"OneCharacter", "好", false, []string{"好"}},
		{"Mixed", "我要latte", false, []string{"我", "我要", "要", "latte"}},
		{"Digits", "我要3杯", false, []string{"我", "我要", "要", "3", "杯"}},
		{"Japanese", "ラテを", false, []string{"ラ", "ラテ", "テ", "テを", "を"}},
		{"Spaced", "café au lait", false, []string{"café", "au", "lait"}},
		{"Korean", "커피 주세요", false, []string{"커피", "주세요"}},
		{"Thai", "ขอกาแฟ", false, []string{"ขอกาแฟ"}},
		{"ValuesInRun", "我要一杯大杯拿铁", true, []string{"我", "我要", "要", "要一", "一", "一杯", "杯", "\x00size", "\x00drink"}},
		{"ValueAfterLatin", "我要latte", true, []string{"我", "我要", "要", "\x00drink"}},
		{"JapaneseValue", "ラテをください", true, []string{"\x00drink", "を", "をく", "く", "くだ", "だ", "ださ", "さ", "さい", "い"}},
		{"KatakanaWord", "チョコラテ", true, []string{"チ", "チョ", "ョ", "ョコ", "コ", "コラ", "ラ", "ラテ", "テ"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := []Option{WithLanguage("chinese")}
			if tc.ents {
				opts = append(opts, ents)
			}
			m, err := Train([]Example{{Label: "a", Text: "你好"}, {Label: "b", Text: "再见"}}, opts...)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tok := range m.tokens(nil, tc.text, nil) {
				got = append(got, tok.Text)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDictionaryInRun(t *testing.T) {
	d, err := NewDictionary("drink", []Value{
		{Canonical: "拿铁", Synonyms: []string{"latte"}}, {Canonical: "大杯"}, {Canonical: "大"},
		{Canonical: "ホット"}, {Canonical: "抹茶ラテ"}, {Canonical: "ラテ"}, {Canonical: "กาแฟ"},
	}, WithLanguage("chinese"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ text, want string }{
		{"我要一杯大杯拿铁", "大杯 拿铁"},
		{"我要latte", "拿铁"},
		{"拿铁", "拿铁"},
		{"大", "大"},
		{"要 大 的", "大"},
		{"大家好", ""},    // one character inside a run: no value
		{"我要大的", ""},   // likewise
		{"ホットドッグ", ""}, // a katakana value inside a longer katakana word
		{"ホットでお願い", "ホット"},
		{"抹茶ラテをひとつ", "抹茶ラテ"},
		{"チョコラテ", ""},
		{"ขอกาแฟสองแก้ว", "กาแฟ"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			var got []string
			for _, e := range d.Extract(tc.text) {
				if tc.text[e.Start:e.End] != e.Text {
					t.Errorf("span %d:%d is %q, text %q", e.Start, e.End, tc.text[e.Start:e.End], e.Text)
				}
				got = append(got, e.Value)
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("got %q, want %q", g, tc.want)
			}
		})
	}
}

// TestUnspacedMatch checks that a Chinese and a Japanese paraphrase
// match through the characters and pairs they share with a phrase.
func TestUnspacedMatch(t *testing.T) {
	for _, tc := range []struct{ lang, query, want string }{
		{"chinese", "你们早上几点开始营业", "hours"},
		{"chinese", "用支付宝付款可以吗", "pay"},
		{"japanese", "朝は何時から開いていますか", "hours"},
		{"japanese", "店の場所を知りたいです", "where"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			ex := map[string][]Example{
				"chinese": {
					{Label: "hours", Text: "你们几点开门"}, {Label: "hours", Text: "营业时间是什么时候"}, {Label: "hours", Text: "今天营业到几点"},
					{Label: "where", Text: "你们店在哪里"}, {Label: "where", Text: "店的地址是什么"}, {Label: "where", Text: "你们在什么位置"},
					{Label: "pay", Text: "可以用微信支付吗"}, {Label: "pay", Text: "支持支付宝吗"}, {Label: "pay", Text: "怎么付款"},
				},
				"japanese": {
					{Label: "hours", Text: "何時に開きますか"}, {Label: "hours", Text: "営業時間を教えてください"}, {Label: "hours", Text: "閉店は何時ですか"},
					{Label: "where", Text: "お店はどこにありますか"}, {Label: "where", Text: "住所を教えてください"}, {Label: "where", Text: "場所はどこですか"},
					{Label: "pay", Text: "カードで払えますか"}, {Label: "pay", Text: "現金だけですか"}, {Label: "pay", Text: "支払い方法は"},
				},
			}[tc.lang]
			m, err := Train(ex, WithLanguage(tc.lang))
			if err != nil {
				t.Fatal(err)
			}
			got := m.Predict(tc.query, Set{})
			if len(got) == 0 || got[0].Label != tc.want || got[0].Score < 0.5 {
				t.Errorf("got %+v, want %s at 0.5 or more", got, tc.want)
			}
		})
	}
}

// FuzzUnspaced checks that the tokens a text of any script reads as are
// parts of the text, in order of their starts, each normalised and not
// empty.
func FuzzUnspaced(f *testing.F) {
	for _, s := range []string{"我要一杯大杯拿铁", "我要latte", "ﾗﾃをｶﾞ", "ラテー々", "ขอกาแฟสองแก้ว", "l'eau 咖啡3.5杯", "\xff咖"} {
		f.Add(s)
	}
	d, err := NewDictionary("drink", []Value{{Canonical: "拿铁"}, {Canonical: "ラテ"}, {Canonical: "大"}, {Canonical: "กาแฟ"}})
	if err != nil {
		f.Fatal(err)
	}
	m, err := Train([]Example{{Label: "a", Text: "你好"}, {Label: "b", Text: "再见"}}, WithLanguage("zh"), WithEntities(map[string]Extractor{"drink": d}))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, tok := range m.tokens(nil, s, nil) {
			if tok.Start < prev || tok.Start >= tok.End || tok.End > len(s) || tok.Text == "" {
				t.Fatalf("%q: token %+v after %d", s, tok, prev)
			}
			prev = tok.Start
			if !isClass(tok.Text) && Normalize(tok.Text) != tok.Text && utf8.ValidString(s) {
				t.Fatalf("%q: token %q is not normalised", s, tok.Text)
			}
		}
		m.Predict(s, Set{})
		for _, e := range d.Extract(s) {
			if e.Start < 0 || e.End > len(s) || e.Start >= e.End || s[e.Start:e.End] != e.Text {
				t.Fatalf("%q: entity %+v", s, e)
			}
		}
	})
}

func TestLetters(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"我叫小明", []string{"我", "叫", "小", "明"}},
		{"我要latte 2杯", []string{"我", "要", "latte", "2", "杯"}},
		{"私は高橋です", []string{"私", "は", "高", "橋", "で", "す"}},
		{"ขอกาแฟ", []string{"ข", "อ", "ก", "า", "แ", "ฟ"}},
		{"call me Ada", []string{"call", "me", "ada"}},
		{"커피 두잔", []string{"커피", "두잔"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			var got []string
			for _, tok := range Letters(tc.text) {
				if tc.text[tok.Start:tok.End] == "" {
					t.Errorf("empty span %+v", tok)
				}
				got = append(got, tok.Text)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

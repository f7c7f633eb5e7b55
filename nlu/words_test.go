package nlu_test

import (
	"testing"

	"github.com/parleybot/parley/nlu"
)

// TestNumberWords reads numbers written as words in real sentences of
// each language with number words.
func TestNumberWords(t *testing.T) {
	tests := []struct {
		lang, text, want string
	}{
		{"english", "i'll take twenty-one of them", "21"},
		{"german", "Ich hätte gern zweiundzwanzig Brötchen", "22"},
		{"german", "zweihundertdreiundvierzig Euro", "243"},
		{"german", "Wir sind sechzehn Personen", "16"},
		{"german", "dreitausend Kilometer", "3000"},
		{"german", "5 Millionen Einwohner", "5000000"},
		{"french", "quatre-vingt-dix-neuf ballons", "99"},
		{"french", "il a soixante et onze ans", "71"},
		{"french", "deux cents personnes", "200"},
		{"french", "j'en veux dix-sept", "17"},
		{"spanish", "doscientos treinta y cuatro pesos", "234"},
		{"spanish", "tengo veintiún años", "21"},
		{"spanish", "dieciséis personas", "16"},
		{"spanish", "dos mil veinte", "2020"},
		{"italian", "siamo in ventitré", "23"},
		{"italian", "nel duemilaventi", "2020"},
		{"italian", "centoventidue persone", "122"},
		{"portuguese", "vinte e três anos", "23"},
		{"portuguese", "quinhentos reais", "500"},
		{"dutch", "eenentwintig jaar", "21"},
		{"dutch", "tweeëntwintig fietsen", "22"},
		{"dutch", "honderdvijf euro", "105"},
		{"danish", "femogtyve kroner", "25"},
		{"danish", "halvtreds mennesker", "50"},
		{"norwegian", "tjuefem kroner", "25"},
		{"norwegian", "to hundre og tre", "203"},
		{"swedish", "tjugoett år", "21"},
		{"swedish", "etthundra kronor", "100"},
		{"finnish", "kaksikymmentäkolme euroa", "23"},
		{"finnish", "yksitoista pelaajaa", "11"},
		{"finnish", "sataviisikymmentä metriä", "150"},
		{"russian", "двадцать пять рублей", "25"},
		{"russian", "две тысячи", "2000"},
		{"turkish", "yirmi beş lira", "25"},
		{"turkish", "iki yüz kişi", "200"},
		{"romanian", "douăzeci și cinci de lei", "25"},
		{"romanian", "două sute", "200"},
		{"hungarian", "huszonöt forint", "25"},
		{"hungarian", "kétszázhuszonöt", "225"},
		{"hungarian", "tizenegy játékos", "11"},
		{"arabic", "أريد 3 قهوة", "3"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.text, func(t *testing.T) {
			x, ok := nlu.System("number", nlu.WithLanguage(tt.lang))
			if !ok {
				t.Fatal("no number entity")
			}
			got := x.Extract(tt.text)
			if len(got) != 1 || got[0].Value != tt.want {
				t.Errorf("got %+v, want one number %s", got, tt.want)
			}
			if len(got) == 1 && tt.text[got[0].Start:got[0].End] != got[0].Text {
				t.Errorf("span %d:%d is %q, not %q", got[0].Start, got[0].End, tt.text[got[0].Start:got[0].End], got[0].Text)
			}
		})
	}
	// Two numbers side by side stay two; words that merely contain
	// number words are not numbers.
	for _, tt := range []struct {
		lang, text string
		want       int
	}{
		{"german", "zwei drei", 2},
		{"swedish", "entre", 0},
		{"german", "Achtung", 0},
		{"french", "et", 0},
		{"danish", "og", 0},
	} {
		x, _ := nlu.System("number", nlu.WithLanguage(tt.lang))
		if got := x.Extract(tt.text); len(got) != tt.want {
			t.Errorf("%s %q: got %+v, want %d numbers", tt.lang, tt.text, got, tt.want)
		}
	}
}

// TestYesNoLanguages reads yes and no in real answers in each language
// with words of its own.
func TestYesNoLanguages(t *testing.T) {
	tests := []struct {
		lang, text, want string
	}{
		{"english", "yes please", "yes"},
		{"english", "not sure", "no"},
		{"german", "Ja, gerne", "yes"},
		{"german", "nein danke", "no"},
		{"german", "auf keinen Fall", "no"},
		{"french", "oui bien sûr", "yes"},
		{"french", "non merci", "no"},
		{"french", "pas vraiment", "no"},
		{"spanish", "sí, claro", "yes"},
		{"spanish", "no gracias", "no"},
		{"italian", "sì, va bene", "yes"},
		{"italian", "no grazie", "no"},
		{"portuguese", "sim, com certeza", "yes"},
		{"portuguese", "não obrigado", "no"},
		{"dutch", "ja graag", "yes"},
		{"dutch", "nee dank je", "no"},
		{"danish", "ja tak", "yes"},
		{"danish", "nej tak", "no"},
		{"norwegian", "ja, gjerne", "yes"},
		{"norwegian", "nei takk", "no"},
		{"swedish", "ja, gärna", "yes"},
		{"swedish", "nej tack", "no"},
		{"finnish", "kyllä kiitos", "yes"},
		{"finnish", "ei kiitos", "no"},
		{"russian", "да, конечно", "yes"},
		{"russian", "нет, спасибо", "no"},
		{"turkish", "evet, tabii", "yes"},
		{"turkish", "hayır teşekkürler", "no"},
		{"romanian", "da, sigur", "yes"},
		{"romanian", "nu mulțumesc", "no"},
		{"hungarian", "igen, persze", "yes"},
		{"hungarian", "nem köszönöm", "no"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.text, func(t *testing.T) {
			x, _ := nlu.System("yes-no", nlu.WithLanguage(tt.lang))
			got := x.Extract(tt.text)
			if len(got) == 0 || got[0].Value != tt.want {
				t.Errorf("got %+v, want %s first", got, tt.want)
			}
			for _, e := range got {
				if e.Value != tt.want {
					t.Errorf("got %+v, want only %s", got, tt.want)
				}
			}
		})
	}
	// Each language reads its own words, not another's.
	de, _ := nlu.System("yes", nlu.WithLanguage("de"))
	if got := de.Extract("oui"); len(got) != 0 {
		t.Errorf("german yes in %q: got %+v, want none", "oui", got)
	}
}

package nlu_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/parleybot/parley/nlu"
)

// spans formats entities as "value@text" for compact comparisons.
func spans(es []nlu.Entity) string {
	var parts []string
	for _, e := range es {
		parts = append(parts, e.Value+"@"+e.Text)
	}
	return strings.Join(parts, " ")
}

func TestSystem(t *testing.T) {
	tests := []struct {
		entity, name, in, want string
	}{
		{"any", "Trimmed", "  I want a latte \n", "I want a latte@I want a latte"},
		{"any", "Blank", " \t ", ""},

		{"alphanumeric", "OrderNumber", "AP534GD12 is my order number", "AP534GD12@AP534GD12"},
		{"alphanumeric", "LettersOnly", "no code here", ""},
		{"alphanumeric", "DigitsOnly", "call 12345", ""},
		{"alphanumeric", "Several", "codes x1, B2B and 3d", "x1@x1 B2B@B2B 3d@3d"},

		{"email", "Plain", "write to john.doe+bot@example.co.uk please", "john.doe+bot@example.co.uk@john.doe+bot@example.co.uk"},
		{"email", "LowercasedValue", "Mail: John.Doe@Example.COM.", "john.doe@example.com@John.Doe@Example.COM"},
		{"email", "NoDomain", "me@localhost or @handle", ""},

		{"integer", "Digits", "I need 3 tickets", "3@3"},
		{"integer", "Words", "twelve hundred", "1200@twelve hundred"},
		{"integer", "Ordinal", "the second one", "2@second 1@one"},
		{"integer", "SkipsDecimals", "2.5 and 7", "7@7"},
		{"integer", "Thousands", "1,200 people", "1200@1,200"},

		{"number", "TwelveHundred", "twelve hundred", "1200@twelve hundred"},
		{"number", "Second", "second", "2@second"},
		{"number", "Decimal", "it is 2.50 km", "2.5@2.50"},
		{"number", "Grouped", "pay 1,200.75 now", "1200.75@1,200.75"},
		{"number", "Negative", "-3 degrees", "-3@-3"},
		{"number", "NotAMinus", "ages 5-7", "5@5 7@7"},
		{"number", "Hyphenated", "twenty-one", "21@twenty-one"},
		{"number", "AHundredAndFive", "a hundred and five apples", "105@a hundred and five"},
		{"number", "Long", "one hundred twenty three thousand four hundred fifty six", "123456@one hundred twenty three thousand four hundred fifty six"},
		{"number", "Scale", "5 million", "5000000@5 million"},
		{"number", "DecimalScale", "2.5 thousand", "2500@2.5 thousand"},
		{"number", "TwoNumbers", "two three", "2@two 3@three"},
		{"number", "OrdinalDigits", "on the 22nd", "22@22nd"},
		{"number", "LeadingZeros", "room 007", "7@007"},
		{"number", "TwentiethCentury", "twentieth", "20@twentieth"},
		{"number", "NoNumber", "a lot and a hundredfold", ""},
		{"number", "AloneHundred", "hundreds of them", ""},
		{"number", "Capitalised", "Twenty Five", "25@Twenty Five"},

		{"phone", "International", "call +1 (555) 123-4567 now", "+15551234567@+1 (555) 123-4567"},
		{"phone", "Plain", "my number is 0612345678", "0612345678@0612345678"},
		{"phone", "Dots", "06.12.34.56.78", "0612345678@06.12.34.56.78"},
		{"phone", "TooShort", "in 2024 at 12:30", ""},

		{"url", "Scheme", "see https://example.com/a?b=c, thanks", "https://example.com/a?b=c@https://example.com/a?b=c"},
		{"url", "WWW", "go to www.parley.dev.", "www.parley.dev@www.parley.dev"},
		{"url", "Bare", "visit example.org/docs", "example.org/docs@example.org/docs"},
		{"url", "NotEmail", "mail me at a@b.com", ""},

		{"yes", "Yes", "Yes please", "yes@Yes"},
		{"yes", "Phrase", "of course!", "yes@of course"},
		{"yes", "Emoji", "👍", "yes@👍"},
		{"yes", "NotNo", "nope", ""},
		{"no", "NoThanks", "No, thanks", "no@No, thanks"},
		{"no", "Nah", "nah", "no@nah"},
		{"no", "NegatedYes", "not sure", "no@not sure"},
		{"no", "NotYes", "yeah sure", ""},
		{"yes-no", "Yes", "yeah", "yes@yeah"},
		{"yes-no", "No", "no way", "no@no way"},
		{"yes-no", "Neither", "maybe later", ""},
		{"yes-no", "NotInsideWords", "know yesterday", ""},
	}
	for _, tt := range tests {
		t.Run(tt.entity+"/"+tt.name, func(t *testing.T) {
			x, ok := nlu.System(tt.entity)
			if !ok {
				t.Fatalf("System(%q) not found", tt.entity)
			}
			got := x.Extract(tt.in)
			if s := spans(got); s != tt.want {
				t.Errorf("Extract(%q) = %q, want %q", tt.in, s, tt.want)
			}
			for _, e := range got {
				if e.Name != tt.entity {
					t.Errorf("Name = %q, want %q", e.Name, tt.entity)
				}
				if tt.in[e.Start:e.End] != e.Text {
					t.Errorf("span [%d:%d] = %q, want Text %q", e.Start, e.End, tt.in[e.Start:e.End], e.Text)
				}
			}
		})
	}
}

func TestSystemNames(t *testing.T) {
	for _, name := range nlu.SystemNames {
		if _, ok := nlu.System(name); !ok {
			t.Errorf("System(%q) not found", name)
		}
	}
	for _, name := range []string{"", "sys.number", "date", "Number"} {
		if _, ok := nlu.System(name); ok {
			t.Errorf("System(%q) found, want not found", name)
		}
	}
}

func cities(t testing.TB) *nlu.Dictionary {
	t.Helper()
	d, err := nlu.NewDictionary("city", []nlu.Value{
		{Canonical: "New York", Synonyms: []string{"NYC", "big apple", "New York City"}},
		{Canonical: "Paris"},
		{Canonical: "Amsterdam", Synonyms: []string{"Mokum"}},
		{Canonical: "São Paulo"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDictionary(t *testing.T) {
	d := cities(t)
	tests := []struct{ name, in, want string }{
		{"Canonical", "fly to Paris", "Paris@Paris"},
		{"Synonym", "I love NYC", "New York@NYC"},
		{"MultiWord", "the big apple and paris", "New York@big apple Paris@paris"},
		{"Longest", "new york city tonight", "New York@new york city"},
		{"TypoChanged", "from Amsterdan", "Amsterdam@Amsterdan"},
		{"TypoDropped", "from Amsterdm", "Amsterdam@Amsterdm"},
		{"TypoAdded", "to Pariss", "Paris@Pariss"},
		{"TypoSwapped", "to Parsi", "Paris@Parsi"},
		{"TypoInMultiWord", "the big aple", "New York@big aple"},
		{"Accents", "sao paulo", "São Paulo@sao paulo"},
		{"ShortWordNoTypo", "new yrok", ""},
		{"TwoTyposNo", "Amstredan", ""},
		{"None", "nowhere at all", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkExtract(t, d, tt.in, tt.want) })
	}
}

// TestDictionaryRecentWords checks that the words a dictionary remembers
// from earlier messages give the same entities as the first time, with
// messages running at once and enough other words between them to evict
// every remembered one.
func TestDictionaryRecentWords(t *testing.T) {
	d := cities(t)
	messages := map[string]string{
		"from Amsterdan": "Amsterdam@Amsterdan", "to Pariss": "Paris@Pariss",
		"the big aple": "New York@big aple", "sao paulo": "São Paulo@sao paulo",
		"Amstredan": "", "nowhere at all": "",
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for round := range 3 {
				for text, want := range messages {
					checkExtract(t, d, text, want)
				}
				for i := range 600 {
					d.Extract(fmt.Sprintf("filler%d%d%d words", g, round, i))
				}
			}
		})
	}
	wg.Wait()
}

// checkExtract checks the values and texts d.Extract finds in text against
// want (as spans writes them), and that each entity bears d's name and the
// offsets of its text.
func checkExtract(t testing.TB, d *nlu.Dictionary, text, want string) {
	t.Helper()
	got := d.Extract(text)
	if s := spans(got); s != want {
		t.Errorf("Extract(%q) = %q, want %q", text, s, want)
	}
	for _, e := range got {
		if e.Name != d.Name() || text[e.Start:e.End] != e.Text {
			t.Errorf("Extract(%q): bad entity %+v", text, e)
		}
	}
}

// TestDictionaryElision checks that a value leaning on an elided article
// or preposition, as French, Italian and Catalan write them, is read, and
// that English's contractions stay whole.
func TestDictionaryElision(t *testing.T) {
	for _, tc := range []struct {
		name, lang string
		values     []nlu.Value
		in, want   string
	}{
		{"FrenchDe", "french", []nlu.Value{{Canonical: "eau"}, {Canonical: "café"}}, "un verre d'eau s'il vous plaît", "eau@eau"},
		{"FrenchLe", "french", []nlu.Value{{Canonical: "espresso"}}, "je voudrais l’espresso", "espresso@espresso"},
		{"FrenchValueWithElision", "french", []nlu.Value{{Canonical: "jus d'orange"}}, "un jus d’orange", "jus d'orange@jus d’orange"},
		{"ItalianDell", "italian", []nlu.Value{{Canonical: "acqua frizzante"}}, "vorrei dell'acqua frizzante", "acqua frizzante@acqua frizzante"},
		{"ItalianUn", "italian", []nlu.Value{{Canonical: "aranciata"}}, "un'aranciata per favore", "aranciata@aranciata"},
		{"CatalanL", "catalan", []nlu.Value{{Canonical: "aigua"}}, "l'aigua freda", "aigua@aigua"},
		{"OtherLanguage", "english", []nlu.Value{{Canonical: "eau"}}, "un verre d'eau", "eau@eau"},
		{"EnglishIts", "english", []nlu.Value{{Canonical: "small", Synonyms: []string{"s"}}, {Canonical: "medium", Synonyms: []string{"m"}}}, "it's what I'm after, don't you think", ""},
		{"EnglishWere", "english", []nlu.Value{{Canonical: "re"}, {Canonical: "ll"}}, "we're sure you'll like it", ""},
		{"Yiddish", "yiddish", []nlu.Value{{Canonical: "איז"}}, "ס׳איז", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := nlu.NewDictionary("drink", tc.values, nlu.WithLanguage(tc.lang))
			if err != nil {
				t.Fatal(err)
			}
			checkExtract(t, d, tc.in, tc.want)
		})
	}
}

// TestDictionaryWordForms checks that a word matches in another form through
// its stem, and that the longest phrase wins where phrases overlap.
func TestDictionaryWordForms(t *testing.T) {
	d, err := nlu.NewDictionary("drink", []nlu.Value{
		{Canonical: "latte", Synonyms: []string{"caffe latte"}},
		{Canonical: "flat white", Synonyms: []string{"flatwhite"}},
		{Canonical: "white wine"},
		{Canonical: "tea", Synonyms: []string{"cup of tea"}},
		{Canonical: "glass"},
	}, nlu.WithLanguage("english"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, in, want string }{
		{"Canonical", "a latte please", "latte@latte"},
		{"Case", "A CAFFE LATTE", "latte@CAFFE LATTE"},
		{"Plurals", "two lattes and a flat white", "latte@lattes flat white@flat white"},
		{"Overlap", "flat white wine", "flat white@flat white"},
		{"MultiWord", "a cup of tea", "tea@cup of tea"},
		{"PluralShort", "two teas", "tea@teas"},
		{"PluralEs", "two glasses", "glass@glasses"},
		{"Typo", "a platte", "latte@platte"},
		{"Unrelated", "hot chocolate", ""},
		{"Empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkExtract(t, d, tt.in, tt.want) })
	}
	plain, err := nlu.NewDictionary("drink", []nlu.Value{{Canonical: "tea"}}, nlu.WithLanguage("none"))
	if err != nil {
		t.Fatal(err)
	}
	checkExtract(t, plain, "two teas", "") // no stemmer: whole words only
}

func TestNewDictionaryErrors(t *testing.T) {
	many := make([]nlu.Value, nlu.MaxValues+1)
	for i := range many {
		many[i] = nlu.Value{Canonical: fmt.Sprint("v", i)}
	}
	tests := []struct {
		name   string
		dname  string
		values []nlu.Value
		opts   []nlu.Option
		want   string
	}{
		{"EmptyName", " ", []nlu.Value{{Canonical: "a"}}, nil, "empty name"},
		{"TooManyValues", "x", many, nil, "at most 2000"},
		{"TooManySynonyms", "x", []nlu.Value{{Canonical: "a", Synonyms: make([]string, nlu.MaxSynonyms+1)}}, nil, "at most 99"},
		{"EmptyCanonical", "x", []nlu.Value{{Canonical: "!!"}}, nil, "empty canonical"},
		{"EmptySynonym", "x", []nlu.Value{{Canonical: "a", Synonyms: []string{""}}}, nil, "empty synonym"},
		{"BadOption", "x", []nlu.Value{{Canonical: "a"}}, []nlu.Option{nlu.WithLanguage("")}, "empty language"},
		{"NilOption", "x", []nlu.Value{{Canonical: "a"}}, []nlu.Option{nil}, "nil option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := nlu.NewDictionary(tt.dname, tt.values, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewDictionary: got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestDictionaryLarge builds a dictionary at the limits: 2,000 values with
// 99 synonyms each.
// Under the race detector it uses a tenth of the synonyms.
func TestDictionaryLarge(t *testing.T) {
	values := make([]nlu.Value, nlu.MaxValues)
	synonyms := nlu.MaxSynonyms
	if raceEnabled {
		synonyms /= 10
	}
	for i := range values {
		values[i].Canonical = fmt.Sprintf("product %d", i)
		for j := range synonyms {
			values[i].Synonyms = append(values[i].Synonyms, fmt.Sprintf("item%dx%d special", i, j))
		}
	}
	d, err := nlu.NewDictionary("product", values)
	if err != nil {
		t.Fatal(err)
	}
	q := fmt.Sprintf("I want item1999x%d special now", synonyms-1)
	if got, want := spans(d.Extract(q)), fmt.Sprintf("product 1999@item1999x%d special", synonyms-1); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

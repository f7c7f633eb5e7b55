package nlu

import (
	"slices"
	"testing"
)

// travelBot is a small English bot whose words users misspell.
var travelBot = []Example{
	{Label: "flight_status", Text: "what is the status of my flight"},
	{Label: "flight_status", Text: "flight status please"},
	{Label: "flight_status", Text: "is my flight on time"},
	{Label: "flight_status", Text: "check the status of flight dl123"},
	{Label: "plug_type", Text: "do i need plug converters in spain"},
	{Label: "plug_type", Text: "what converter do i need in italy"},
	{Label: "plug_type", Text: "which socket type is used in japan"},
	{Label: "cancel", Text: "cancel my reservation"},
	{Label: "cancel", Text: "please cancel the order"},
	{Label: "cancel", Text: "i want to cancel it"},
	{Label: "where_from", Text: "where are you from originally"},
	{Label: "where_from", Text: "what country are you from"},
	{Label: "definition", Text: "what is the answer to this question"},
	{Label: "definition", Text: "give me the meaning of a word"},
	{Label: "price", Text: "what is the price of a ticket"},
	{Label: "price", Text: "how much does a ticket cost"},
}

// TestTypoOf checks which training word a misspelt query word is read as.
func TestTypoOf(t *testing.T) {
	m, err := Train(travelBot)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		word, want string
	}{
		{"statud", "status"},         // a letter changed
		{"conveters", "converters"},  // a letter dropped
		{"cancle", "cancel"},         // two neighbours swapped
		{"anwser", "answer"},         // two neighbours swapped
		{"oroginally", "originally"}, // a letter changed
		{"reservattion", "reservation"},
		{"questio", "question"},
		{"nutrional", ""}, // two letters dropped
		{"tmie", ""},      // four letters: "time" is not read
		{"prize", ""},     // an English word of its own, not "price"
		{"qwertyuiop", ""},
		{"stat1s", ""}, // not letters only
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			if got := m.typoOf(tt.word); got != tt.want {
				t.Errorf("typoOf(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

// TestTypoOfLanguages checks that a matcher of a language without word
// vectors reads every misspelt word, and breaks ties by frequency, then
// alphabetically.
func TestTypoOfLanguages(t *testing.T) {
	m, err := Train(travelBot, WithLanguage("none"))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.typoOf("prize"); got != "price" {
		t.Errorf("unstemmed: typoOf(%q) = %q, want %q: no word vectors say it is a word of its own", "prize", got, "price")
	}
	de, err := Train([]Example{
		{Label: "bestellung", Text: "ich möchte meine Bestellung stornieren"},
		{Label: "bestellung", Text: "wo ist meine Bestellung"},
		{Label: "öffnungszeiten", Text: "wann habt ihr geöffnet"},
		{Label: "öffnungszeiten", Text: "wie sind die Öffnungszeiten"},
	}, WithLanguage("de"))
	if err != nil {
		t.Fatal(err)
	}
	for word, want := range map[string]string{"bestelung": "bestellung", "öfnungszeiten": "öffnungszeiten", "stornierne": "stornieren"} {
		if got := de.typoOf(word); got != want {
			t.Errorf("german: typoOf(%q) = %q, want %q", word, got, want)
		}
	}
	for _, tt := range []struct {
		name     string
		examples []string
		want     string
	}{
		{"frequency", []string{"zorbay one", "zorbay two", "zorbax three"}, "zorbay"},
		{"alphabet", []string{"zorbay one", "zorbax two"}, "zorbax"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ex []Example
			for i, p := range tt.examples {
				ex = append(ex, Example{Label: string(rune('a' + i)), Text: p})
			}
			m, err := Train(ex, WithLanguage("none"))
			if err != nil {
				t.Fatal(err)
			}
			if got := m.typoOf("zorbaq"); got != tt.want {
				t.Errorf("typoOf(%q) = %q, want %q", "zorbaq", got, tt.want)
			}
		})
	}
}

// TestTypoPredict checks that a query with a misspelt word scores as the
// query it misspells, but for the exact match of a training phrase.
func TestTypoPredict(t *testing.T) {
	m, err := Train(travelBot)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ typo, clean string }{
		{"whats the statud of flight ua77", "whats the status of flight ua77"},
		{"do they use conveters in france", "do they use converters in france"},
		{"i need to cancle", "i need to cancel"},
		{"where were you oroginally", "where were you originally"},
	} {
		t.Run(tt.typo, func(t *testing.T) {
			got, want := m.Predict(tt.typo, Set{}), m.Predict(tt.clean, Set{})
			if !slices.Equal(got, want) {
				t.Errorf("Predict(%q) = %v, want %v as for %q", tt.typo, got, want, tt.clean)
			}
		})
	}
	// A misspelt training phrase is no exact match: it scores under 1.
	ms := m.Predict("cancle my reservation", Set{})
	if len(ms) == 0 || ms[0].Label != "cancel" || ms[0].Score < 0.9 || ms[0].Score >= 1 {
		t.Errorf("Predict(%q) = %v, want cancel in [0.9, 1)", "cancle my reservation", ms)
	}
}

// TestTypoStandIns checks that in a bot with stand-ins an English word of
// its own keeps them, and a misspelt word is read as the word it
// misspells instead.
func TestTypoStandIns(t *testing.T) {
	m, err := Train(weatherCancel)
	if err != nil {
		t.Fatal(err)
	}
	m.stand = m.newStandInIndex() // a small bot has none of its own
	if e := m.terms.word(m, "humidity"); e.typo != "" || len(e.stand) == 0 {
		t.Errorf("humidity: typo %q and %d stand-ins, want none and some", e.typo, len(e.stand))
	}
	if e := m.terms.word(m, "wether"); e.typo != "weather" || len(e.stand) != 0 || e.vec != nil {
		t.Errorf("wether: typo %q, %d stand-ins, vector %v; want weather, none, nil", e.typo, len(e.stand), e.vec != nil)
	}
	if e := m.terms.word(m, "reservations"); e.typo != "" {
		t.Errorf("reservations: typo %q, want none: its term is a feature", e.typo)
	}
}

// TestTypoModel checks that a loaded model reads misspelt words as the
// trained one does, and that a label With adds keeps a word of its own.
func TestTypoModel(t *testing.T) {
	m, err := Train(travelBot)
	if err != nil {
		t.Fatal(err)
	}
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	l, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l.typos.words, m.typos.words) {
		t.Errorf("loaded: %d words to read typos as, want %d", len(l.typos.words), len(m.typos.words))
	}
	for _, q := range []string{"whats the statud of my flight", "i need to cancle", "do they use conveters in france"} {
		if got, want := l.Predict(q, Set{}), m.Predict(q, Set{}); !slices.Equal(got, want) {
			t.Errorf("loaded: Predict(%q) = %v, want %v", q, got, want)
		}
	}
	w, err := m.With([]Example{{Label: "statues", Text: "statud of liberty tickets"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ms := w.Predict("statud", Set{}); len(ms) == 0 || ms[0].Label != "statues" {
		t.Errorf("with: Predict(%q) = %v, want statues first: the added label knows the word", "statud", ms)
	}
}

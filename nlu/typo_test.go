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
// vectors reads misspelt words of seven letters or more, and breaks ties
// by frequency, then alphabetically.
func TestTypoOfLanguages(t *testing.T) {
	m, err := Train(travelBot, WithLanguage("none"))
	if err != nil {
		t.Fatal(err)
	}
	for word, want := range map[string]string{"conveters": "converters", "reservattion": "reservation", "prize": "", "statud": "", "cancle": ""} {
		if got := m.typoOf(word); got != want {
			t.Errorf("unstemmed: typoOf(%q) = %q, want %q", word, got, want)
		}
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
		{"frequency", []string{"zorbayo one", "zorbayo two", "zorbaxo three"}, "zorbayo"},
		{"alphabet", []string{"zorbayo one", "zorbaxo two"}, "zorbaxo"},
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
			if got := m.typoOf("zorbaqo"); got != tt.want {
				t.Errorf("typoOf(%q) = %q, want %q", "zorbaqo", got, tt.want)
			}
		})
	}
}

// TestTypoOfUntabled checks that in a language without a table of its
// words, a word of fewer than seven letters is not read as a training
// word one letter from it, a real word ("libre" beside "livre", "Wache"
// beside "Woche") or a misspelling alike, and that a longer misspelling
// still is, in a message too.
func TestTypoOfUntabled(t *testing.T) {
	bots := map[string][]Example{
		"de": {
			{Label: "konto", Text: "ich möchte mein Konto löschen"},
			{Label: "konto", Text: "wie lösche ich mein Konto"},
			{Label: "termin", Text: "ich brauche nächste Woche einen Termin"},
			{Label: "termin", Text: "einen Termin vereinbaren"},
			{Label: "rechnung", Text: "wo finde ich meine Rechnung"},
			{Label: "rechnung", Text: "schicken Sie mir die Rechnung"},
		},
		"fr": {
			{Label: "commande", Text: "je voudrais annuler ma commande"},
			{Label: "commande", Text: "où est ma commande"},
			{Label: "livre", Text: "je cherche un livre"},
			{Label: "livre", Text: "avez-vous ce livre en stock"},
			{Label: "table", Text: "je voudrais réserver une table"},
			{Label: "table", Text: "réserver pour ce soir"},
		},
	}
	tests := []struct {
		lang, word, want string
	}{
		{"de", "wache", ""},           // a guard, not "woche", a week
		{"de", "löchen", ""},          // six letters: "löschen" misspelt, not read
		{"de", "rechnug", "rechnung"}, // seven letters, one dropped
		{"de", "vereinbarn", "vereinbaren"},
		{"fr", "libre", ""},  // free, not "livre", a book
		{"fr", "anuler", ""}, // six letters: "annuler" misspelt, not read
		{"fr", "comande", "commande"},
		{"fr", "résrever", "réserver"},
		{"fr", "préserver", "réserver"}, // a word of its own, but long: read
	}
	ms := map[string]*Matcher{}
	for lang, ex := range bots {
		m, err := Train(ex, WithLanguage(lang))
		if err != nil {
			t.Fatal(err)
		}
		ms[lang] = m
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.word, func(t *testing.T) {
			if got := ms[tt.lang].typoOf(tt.word); got != tt.want {
				t.Errorf("typoOf(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
	for _, tt := range []struct{ lang, typo, clean string }{
		{"de", "wo ist meine rechnug", "wo ist meine rechnung"},
		{"fr", "je veux annuler ma comande", "je veux annuler ma commande"},
	} {
		if got, want := ms[tt.lang].Predict(tt.typo, Set{}), ms[tt.lang].Predict(tt.clean, Set{}); !slices.Equal(got, want) {
			t.Errorf("%s: Predict(%q) = %v, want %v as for %q", tt.lang, tt.typo, got, want, tt.clean)
		}
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

// TestTypoWith checks that a label With adds has its words read when
// misspelt, after the trained matcher's, and that the matcher it came
// from and a later one without the label do not read them.
func TestTypoWith(t *testing.T) {
	m, err := Train(travelBot)
	if err != nil {
		t.Fatal(err)
	}
	w, err := m.With([]Example{
		{Label: "trip", Text: "plan my itinerary"},
		{Label: "trip", Text: "show the itinerary for tomorrow"},
		{Label: "trip", Text: "book a gondola ride"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		m    *Matcher
		word string
		want string
	}{
		{"with", w, "itinerray", "itinerary"},
		{"with/trained word", w, "statud", "status"},
		{"with/english word", w, "gondloa", "gondola"},
		{"trained", m, "itinerray", ""},
	} {
		if got := tt.m.typoOf(tt.word); got != tt.want {
			t.Errorf("%s: typoOf(%q) = %q, want %q", tt.name, tt.word, got, tt.want)
		}
	}
	// The trained matcher first: what it caches of the word is its own.
	if ms := m.Predict("show me the itinerray", Set{}); len(ms) > 0 && ms[0].Label == "trip" {
		t.Errorf("trained: Predict = %v, want no trip", ms)
	}
	if got, want := w.Predict("show me the itinerray", Set{}), w.Predict("show me the itinerary", Set{}); !slices.Equal(got, want) {
		t.Errorf("with: Predict(%q) = %v, want %v", "show me the itinerray", got, want)
	}
	gone, err := w.With(nil, []string{"trip"})
	if err != nil {
		t.Fatal(err)
	}
	if got := gone.typoOf("itinerray"); got != "" {
		t.Errorf("removed: typoOf(%q) = %q, want none", "itinerray", got)
	}

	// Untabled: seven letters or more, and the trained matcher's words
	// before the added ones.
	u, err := Train([]Example{{Label: "a", Text: "zorbayo one"}, {Label: "b", Text: "wo ist meine Rechnung"}}, WithLanguage("de"))
	if err != nil {
		t.Fatal(err)
	}
	uw, err := u.With([]Example{
		{Label: "c", Text: "zorbaxo zorbaxo"},
		{Label: "d", Text: "wann kommt meine Lieferung"},
		{Label: "d", Text: "nächste Woche"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for word, want := range map[string]string{"lieferng": "lieferung", "zorbaqo": "zorbayo", "wache": ""} {
		if got := uw.typoOf(word); got != want {
			t.Errorf("german with: typoOf(%q) = %q, want %q", word, got, want)
		}
	}
}

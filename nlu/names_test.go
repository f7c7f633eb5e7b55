package nlu

import (
	"fmt"
	"testing"
)

// transitExamples returns a small bot of a transport company whose
// phrases name a station nearly every time, as such bots' phrases do:
// 51 phrases for each of two interactions, 2 of the 102 without a name.
func transitExamples() []Example {
	stations := []string{"garching", "odeonsplatz", "moosach", "lehel", "harras", "karlsplatz",
		"olympiazentrum", "giesing", "pasing", "laim", "marienplatz", "freimann", "ostbahnhof"}
	templates := map[string][]string{
		"connection": {
			"how do i get from %s to %s", "is there a bus from %s to %s", "the fastest way from %s to %s",
			"can you find a connection from %s to %s", "i need to get to %s from %s",
			"how can i go from %s to %s", "find me a train from %s to %s", "what is the quickest route from %s to %s",
			"i want to travel to %s from %s", "cheapest connection between %s and %s",
		},
		"departure": {
			"when does the next train leave from %s", "when is the next bus at %s", "next subway from %s",
			"when does the tram depart from %s", "when will the next train leave %s",
			"show me the next departure at %s", "when does the next s-bahn leave from %s",
			"what time is the next bus from %s", "next train leaving %s", "when is the next u-bahn in %s",
		},
	}
	out := []Example{
		{Label: "connection", Text: "how do i get home from here"},
		{Label: "departure", Text: "when is the next bus"},
	}
	k := 0
	for _, label := range []string{"connection", "departure"} {
		for _, tpl := range templates[label] {
			for range 5 {
				a, b := stations[k%len(stations)], stations[(k+5)%len(stations)]
				k++
				text := fmt.Sprintf(tpl, a, b)
				if label == "departure" {
					text = fmt.Sprintf(tpl, a)
				}
				out = append(out, Example{Label: label, Text: text})
			}
		}
	}
	return out
}

// TestNames checks that a name (a word no training phrase has and the
// English word vectors' table lacks) counts less against a message's
// coverage than an unknown common word, in proportion to the bot's
// phrases that name something: a message of the bot's words and names
// it never saw is answered at the default confidence, while a message of
// common words it never saw is still refused.
func TestNames(t *testing.T) {
	m, err := Train(transitExamples())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.meaning.name, 2.0/102; !near1e9(got, want) {
		t.Fatalf("names weigh %.4f, want %.4f (the share of phrases without a name)", got, want)
	}
	tests := []struct {
		name, query, label string
		answered           bool // scores 0.5 or more
		answeredAsUnknown  bool // the same if names weighed as unknown common words
	}{
		{"UnseenNames", "kieferngarten to fröttmaning", "connection", true, false},
		{"UnseenNamesReversed", "to hackerbrücke from fürstenfeldbruck", "connection", true, false},
		{"UnseenNameAndNumber", "when is the 17 at hackerbrücke", "departure", true, true},
		{"UnseenCommonWords", "write a poem about the sea", "", false, false},
		{"UnseenCommonWordsShort", "what is love", "", false, false},
		{"Gibberish", "asdfgh", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, rule := range []bool{true, false} {
				w := m.meaning.name
				if !rule {
					m.meaning.name = 1
				}
				ms := m.Predict(tt.query, Set{})
				m.meaning.name = w
				want := tt.answered
				if !rule {
					want = tt.answeredAsUnknown
				}
				var got Match
				if len(ms) > 0 {
					got = ms[0]
				}
				if answered := got.Score >= 0.5; answered != want || answered && got.Label != tt.label {
					t.Errorf("%q, names weighing %s: %s %.3f, want answered %v%s", tt.query, weighing(rule), got.Label, got.Score, want, labelled(tt.label))
				}
			}
		})
	}
}

// TestNamesWeigh checks the words read as names and the weight of their
// unknown features in bots whose phrases name nothing.
func TestNamesWeigh(t *testing.T) {
	for _, tt := range []struct {
		word string
		name bool
	}{
		{"hackerbrücke", true}, {"401k", true}, {"12", true}, {"spago", true},
		{"station", false}, {"i", false}, {"what's", false}, {"i'm", false}, {"isn't", false},
		{"firewalls", false}, {classPrefix + "size", false},
	} {
		if got := nameWord(tt.word); got != tt.name {
			t.Errorf("nameWord(%q) = %v, want %v", tt.word, got, tt.name)
		}
	}
	m, err := Train([]Example{{Label: "hi", Text: "hello there"}, {Label: "bye", Text: "see you later"}})
	if err != nil {
		t.Fatal(err)
	}
	if m.meaning.name != 1 {
		t.Errorf("names weigh %.3f in a bot whose phrases name nothing, want 1", m.meaning.name)
	}
	m, err = Train([]Example{{Label: "hallo", Text: "guten tag"}}, WithLanguage("german"))
	if err != nil {
		t.Fatal(err)
	}
	if m.meaning != nil {
		t.Error("a German bot reads names, want only English bots, which have the word table")
	}
}

func near1e9(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func weighing(rule bool) string {
	if rule {
		return "the share of phrases without a name"
	}
	return "as unknown common words"
}

func labelled(l string) string {
	if l == "" {
		return ""
	}
	return fmt.Sprintf(" as %s", l)
}

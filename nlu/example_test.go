package nlu_test

import (
	"fmt"

	"github.com/parleybot/parley/nlu"
)

func ExampleMatcher_Predict() {
	m, err := nlu.Train([]nlu.Example{
		{Label: "order", Text: "I want a coffee"},
		{Label: "order", Text: "can I get a latte"},
		{Label: "order", Text: "one cappuccino please"},
		{Label: "hours", Text: "when are you open"},
		{Label: "hours", Text: "what time do you close"},
		{Label: "refund", Text: "refund money", Keyword: true},
	}, nlu.WithLanguage("english"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, q := range []string{"i want a COFFEE!", "I wnat a cofee", "my money back, refund it", "when do you close today"} {
		best := m.Predict(q, nlu.Set{})[0]
		fmt.Printf("%s: %s %.2f keyword=%v\n", q, best.Label, best.Score, best.Keyword)
	}
	// Only the labels eligible in the current context compete.
	hours := m.Set("hours")
	fmt.Println(m.Predict("I want a coffee", hours)[0].Label)
	// Output:
	// i want a COFFEE!: order 1.00 keyword=false
	// I wnat a cofee: order 0.95 keyword=false
	// my money back, refund it: refund 1.00 keyword=true
	// when do you close today: hours 0.90 keyword=false
	// hours
}

func ExampleSystem() {
	number, _ := nlu.System("number")
	for _, e := range number.Extract("twelve hundred, or the second one for 2.50") {
		fmt.Printf("%s %q [%d:%d]\n", e.Value, e.Text, e.Start, e.End)
	}
	alnum, _ := nlu.System("alphanumeric")
	fmt.Println(alnum.Extract("AP534GD12 is my order number")[0].Value)
	// Output:
	// 1200 "twelve hundred" [0:14]
	// 2 "second" [23:29]
	// 1 "one" [30:33]
	// 2.5 "2.50" [38:42]
	// AP534GD12
}

func ExampleNewDictionary() {
	sizes, err := nlu.NewDictionary("size", []nlu.Value{
		{Canonical: "small", Synonyms: []string{"tall", "little one"}},
		{Canonical: "large", Synonyms: []string{"venti", "extra big"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range sizes.Extract("a Venti latte and a littel one") {
		fmt.Printf("%s: %s %q\n", e.Name, e.Value, e.Text)
	}
	// Output:
	// size: large "Venti"
	// size: small "littel one"
}

func ExampleMatcher_With() {
	m, err := nlu.Train([]nlu.Example{
		{Label: "order", Text: "I want a coffee"},
		{Label: "order", Text: "can I get a latte"},
		{Label: "hours", Text: "when are you open"},
		{Label: "hours", Text: "what time do you close"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Add a label while m keeps serving: only "wifi" trains.
	m2, err := m.With([]nlu.Example{
		{Label: "wifi", Text: "what is the wifi password"},
		{Label: "wifi", Text: "how do I get online"},
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m2.Predict("what's the wifi password?", nlu.Set{})[0].Label)
	// Remove one; m and m2 are unchanged.
	m3, _ := m2.With(nil, []string{"hours"})
	fmt.Println(m3.Labels(), m2.Labels())
	// Output:
	// wifi
	// [order wifi] [order hours wifi]
}

// A matcher trained WithEntities reads each value of an entity, marked in
// a phrase or found in a message, as one word for the entity: a phrase
// with one value is evidence for every value, and an Evidence example
// lends a label the entity's words without being a training phrase.
func ExampleWithEntities() {
	pizza, err := nlu.NewDictionary("pizza", []nlu.Value{
		{Canonical: "margherita"},
		{Canonical: "quattro formaggi", Synonyms: []string{"four cheese"}},
		{Canonical: "salami", Synonyms: []string{"pepperoni"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := nlu.Train([]nlu.Example{
		// "salami" spans bytes 12 to 18.
		{Label: "order", Text: "can i get a salami pizza", Marks: []nlu.Mark{{Start: 12, End: 18, Entity: "pizza"}}},
		{Label: "order", Text: "i want to order a pizza"},
		{Label: "order", Text: "margherita", Marks: []nlu.Mark{{Start: 0, End: 10, Entity: "pizza"}}, Evidence: true},
		{Label: "hours", Text: "when are you open"},
		{Label: "hours", Text: "what time do you close"},
	}, nlu.WithEntities(map[string]nlu.Extractor{"pizza": pizza}))
	if err != nil {
		fmt.Println(err)
		return
	}
	// A training phrase but for the value scores 1.
	best := m.Predict("can i get a four cheese pizza", nlu.Set{})[0]
	fmt.Printf("%s %.2f\n", best.Label, best.Score)
	// A value alone is evidence for the label that has the entity.
	best = m.Predict("quattro formaggi", nlu.Set{})[0]
	fmt.Println(best.Label, best.Score >= 0.5)
	// Output:
	// order 1.00
	// order true
}

package engine_test

import (
	"context"
	"fmt"
	"log"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// Training phrases mark entity values as [value](parameter): the
// interaction's entities are evidence for it, so a message made only of
// their values or synonyms matches it and fills its parameters.
func ExampleEngine_Chat_marks() {
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(`
entities:
  - {name: size, values: [{value: small, synonyms: [little]}, {value: large, synonyms: [big]}]}
  - {name: pizza, values: [margherita, {value: quattro formaggi, synonyms: [four cheese]}, {value: salami, synonyms: [pepperoni]}]}
stories:
  - name: Pizza
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hi!"}]}
      - name: Order
        says: ["i would like a [large](size) [margherita](pizza)", "can i get a [salami](pizza) pizza", i want to order a pizza]
        parameters:
          - {name: size, entity: size, required: true, prompts: ["Which size?"]}
          - {name: pizza, entity: pizza, required: true, prompts: ["Which pizza?"]}
        responses: [{text: "A {{size}} {{pizza}}, coming up."}]
      - {name: Hours, says: [when are you open, what time do you close], responses: [{text: "Noon to midnight."}]}
      - {name: Fallback, role: else, says: [what's the weather], responses: [{text: "Sorry, pizza only."}]}
`)}}, "bot.yaml")
	if err != nil {
		log.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	e, err := engine.New(db, bot)
	if err != nil {
		log.Fatal(err)
	}
	for i, q := range []string{"a small quattro formaggi", "a big one with pepperoni"} {
		resp, err := e.Chat(context.Background(), engine.Request{SessionID: fmt.Sprintf("pizza-%04d", i), Query: q})
		if err != nil {
			log.Fatal(err)
		}
		r := resp.Result
		fmt.Printf("%s → %s %v: %s\n", q, r.Interaction.Name, r.Parameters, r.Fulfillment[0].Message)
	}
	// Output:
	// a small quattro formaggi → Order map[pizza:quattro formaggi size:small]: A small quattro formaggi, coming up.
	// a big one with pepperoni → Order map[pizza:salami size:large]: A large salami, coming up.
}

// A bot of several languages has phrases and responses per language. A
// turn's language is the request's, else the user's default_language,
// else the bot's default; numbers and yes or no are read in it.
func ExampleEngine_Chat_languages() {
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(`
settings: {language: english, languages: [german, fr]}
stories:
  - name: Bakery
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hello!"}, {text: "Hallo!", language: german}]}
      - name: Rolls
        says:
          english: ["[two](n) rolls please", i would like some rolls]
          german: ["[zwei](n) Brötchen bitte", ich möchte Brötchen]
          french: ["[deux](n) petits pains s'il vous plaît", je voudrais des petits pains]
        parameters: [{name: n, entity: sys.number}]
        responses:
          - {text: "{{n|Some}} rolls, here you are."}
          - {text: "{{n|Ein paar}} Brötchen, bitte sehr.", language: german}
          - {text: "{{n|Des}} petits pains, voilà.", language: french}
      - name: Fallback
        role: else
        responses: [{text: "Sorry?"}, {text: "Wie bitte?", language: german}, {text: "Pardon ?", language: french}]
`)}}, "bot.yaml")
	if err != nil {
		log.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	e, err := engine.New(db, bot)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := e.CreateUser(ctx, store.User{UserID: "hanna", Attributes: map[string]string{"default_language": "de"}}); err != nil {
		log.Fatal(err)
	}
	for i, req := range []engine.Request{
		{Query: "three rolls please"},                             // the bot's default, English
		{Query: "zweiundzwanzig Brötchen bitte", UserID: "hanna"}, // the user's default_language
		{Query: "vingt et un petits pains", Language: "fr-FR"},    // the request's
	} {
		req.SessionID = fmt.Sprintf("bakery-%04d", i)
		resp, err := e.Chat(ctx, req)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(resp.Result.Fulfillment[0].Message)
	}
	// Output:
	// 3 rolls, here you are.
	// 22 Brötchen, bitte sehr.
	// 21 petits pains, voilà.
}

// Lint finds what loads but will not work as meant: here a marked value
// that the parameter's entity does not read.
func ExampleLint() {
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(`
entities:
  - {name: size, values: [small, {value: large, synonyms: [big]}]}
stories:
  - name: Coffee
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hi!"}]}
      - name: Order
        says: ["a [big](size) latte", "a [grande](size) latte"]
        parameters: [{name: size, entity: size}]
        responses: [{text: "OK."}]
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
`)}}, "bot.yaml")
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range engine.Lint(bot) {
		fmt.Println(w)
	}
	// Output:
	// bot.yaml:8:9: interaction "Order": says "a grande latte": [grande](size) is not a value of size, so no message fills size with it and a message saying it matches this phrase less well; add it to the values or synonyms of entity "size"
}

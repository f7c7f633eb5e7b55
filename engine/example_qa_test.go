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

func ExampleEngine_SaveQA() {
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(`
stories:
  - name: Coffee
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hi!"}]}
      - {name: Order, says: [a coffee please, i want a coffee], responses: [{text: "Coming up."}]}
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
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
	ask := func(q string) {
		resp, err := e.Chat(ctx, engine.Request{SessionID: "kiosk-0001", Query: q})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s → %s: %s\n", q, resp.Result.Interaction.Name, resp.Result.Fulfillment[0].Message)
	}
	ask("what is the wifi password")
	// An operator adds an answer while the bot runs; it is stored, and
	// the next message matches it.
	qa, err := e.SaveQA(ctx, store.QA{Label: "wifi", Questions: []string{"what is the wifi password", "how do I get online"}, Answer: "It is beans4all."})
	if err != nil {
		log.Fatal(err)
	}
	ask("what is the wifi password")
	if err := e.DeleteQA(ctx, qa.ID); err != nil {
		log.Fatal(err)
	}
	ask("what is the wifi password")
	// Output:
	// what is the wifi password → Fallback: Sorry?
	// what is the wifi password → wifi: It is beans4all.
	// what is the wifi password → Fallback: Sorry?
}

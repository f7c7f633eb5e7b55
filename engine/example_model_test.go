package engine_test

import (
	"context"
	"fmt"
	"log"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// A device trains its bot once, at build time: parley build (or
// BuildModel) writes the compiled model, the program embeds it with the bot
// files (//go:embed bot.yaml bot.model) and gives it to New, which loads
// the matchers instead of training them.
func ExampleWithModel() {
	files := fstest.MapFS{"bot.yaml": {Data: []byte(`
stories:
  - name: Coffee
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hi!"}]}
      - {name: Menu, says: [what drinks do you have, show me the menu], responses: [{text: "Latte, espresso, tea."}]}
      - {name: Price, says: [how much is a latte, what does it cost], responses: [{text: "Three euros."}]}
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
`)}}
	bot, err := story.Load(files, "bot.yaml")
	if err != nil {
		log.Fatal(err)
	}
	// At build time: what parley build writes to bot.model.
	model, err := engine.BuildModel(bot)
	if err != nil {
		log.Fatal(err)
	}
	// On the device.
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	e, err := engine.New(db, bot, engine.WithModel(model))
	if err != nil {
		log.Fatal(err)
	}
	resp, err := e.Chat(context.Background(), engine.Request{SessionID: "kiosk-0001", Query: "what does a latte cost"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Result.Interaction.Name, resp.Result.Fulfillment[0].Message)
	// Output:
	// Price Three euros.
}

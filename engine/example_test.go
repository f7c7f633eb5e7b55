package engine_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

func ExampleEngine_Chat() {
	fsys := fstest.MapFS{"bot.yaml": {Data: []byte(`
entities:
  - {name: size, values: [small, {value: large, synonyms: [big]}]}
stories:
  - name: Coffee
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hi! What can I make for you?"}]}
      - name: Order
        says: [a coffee please, i want a coffee]
        parameters: [{name: size, entity: size, required: true, prompts: ["Small or large?"]}]
        responses: [{text: "One {{size}} coffee coming up."}]
      - name: Fallback
        role: else
        says: [play a song, what's the weather, book a taxi]
        responses: [{text: "Sorry, I only make coffee."}]
`)}}
	bot, err := story.Load(fsys, "bot.yaml")
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
	for _, q := range []string{"i want a coffee", "a big one", "play some music"} {
		resp, err := e.Chat(context.Background(), engine.Request{SessionID: "kiosk-0001", Query: q})
		if err != nil {
			log.Fatal(err)
		}
		r := resp.Result
		fmt.Printf("%s → %s (incomplete %v): %s\n", q, r.Interaction.Name, r.Incomplete, r.Fulfillment[0].Message)
	}
	// Output:
	// i want a coffee → Order (incomplete true): Small or large?
	// a big one → Order (incomplete false): One large coffee coming up.
	// play some music → Fallback (incomplete false): Sorry, I only make coffee.
}

// A kiosk that must not start without its brewing function refuses a bot
// whose webhook it forgot to register.
func ExampleRequireWebhooks() {
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(`
stories:
  - name: Coffee
    interactions:
      - {name: Welcome, role: start, responses: [{text: Hi!}]}
      - {name: Brew, says: [a coffee please], responses: [{webhook: brew}, {text: Brewing.}]}
      - {name: Fallback, role: else, responses: [{text: Sorry.}]}
`)}}, "bot.yaml")
	if err != nil {
		log.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	_, err = engine.New(db, bot, engine.RequireWebhooks())
	fmt.Println(errors.Is(err, engine.ErrUnregisteredWebhook), err)
	brew := func(ctx context.Context, call engine.WebhookCall) (engine.WebhookResult, error) {
		return engine.WebhookResult{}, nil
	}
	_, err = engine.New(db, bot, engine.RequireWebhooks(), engine.WithWebhook("brew", brew))
	fmt.Println(err)
	// Output:
	// true engine: the bot calls a webhook that is not registered: brew (register each with WithWebhook, or give its URL under settings webhooks)
	// <nil>
}

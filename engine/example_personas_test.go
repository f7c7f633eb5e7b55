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

// A thread selects a persona: the bot's text responses then say that
// persona's variants.
func ExampleEngine_SelectPersona() {
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(personasBot)}}, "bot.yaml")
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
	th, err := e.CreateThread(ctx, engine.NewThread{})
	if err != nil {
		log.Fatal(err)
	}
	hello := func() {
		sent, err := e.Send(ctx, engine.Message{ThreadID: th.ID, Text: "hello"})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(sent.Messages[1].Text)
	}
	hello()
	sent, err := e.SelectPersona(ctx, th.ID, "pirate")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sent.Messages[0].SystemType, sent.Messages[0].Text)
	hello()
	// Output:
	// Hi!
	// PERSONA_SELECTED pirate
	// Ahoy!
}

package engine_test

import (
	"fmt"
	"log"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// An operator recolours the chat window and renames the bot while it
// runs; what the bot file does not change stays as it says.
func ExampleEngine_UpdateAppearance() {
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(looksBot)}}, "bot.yaml")
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
	title, color := "Café", "#064e3b"
	a, err := e.UpdateAppearance(engine.AppearanceUpdate{Title: &title, BrandColor: &color})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Title, a.BrandColor, a.WelcomeMessage)
	bad := "blue"
	_, err = e.UpdateAppearance(engine.AppearanceUpdate{BrandColor: &bad})
	fmt.Println(err)
	// Output:
	// Café #064e3b Hello!
	// brandColor: must be a colour such as #1d4ed8 or #fff
}

package console_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing/fstest"

	"github.com/parleybot/parley/console"
	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// A script drives a bot: one reply block per line, ended by an empty line.
// "1" picks the first choice of the last reply.
func ExampleChat_Run() {
	fsys := fstest.MapFS{"bot.yaml": {Data: []byte(`
stories:
  - name: Coffee
    interactions:
      - name: Welcome
        role: start
        responses:
          - quick_replies: {title: "Hi! Coffee?", buttons: [Espresso, Latte]}
      - {name: Order, says: [espresso, latte, a coffee], responses: [{text: Coming up.}]}
      - name: Fallback
        role: else
        says: [what's the weather, tell me a joke] # out of scope
        responses: [{text: "Sorry, I only make coffee."}]
`)}}
	bot, err := story.Load(fsys, "bot.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	e, err := engine.New(db, bot)
	if err != nil {
		fmt.Println(err)
		return
	}

	c := &console.Chat{Engine: e, SessionID: "example-session"}
	script := strings.NewReader("1\nwhat's the weather\n")
	if err := c.Run(context.Background(), script, os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Hi! Coffee?
	//   1. Espresso
	//   2. Latte
	//
	// Coming up.
	//
	// Sorry, I only make coffee.
	//
}

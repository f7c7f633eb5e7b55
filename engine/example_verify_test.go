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

// Verify a user's email: the bot stores the address the user gives, the
// host's sender gets the code (here it keeps it; a real one mails it),
// and the user enters it in the thread.
func ExampleWithCodeSender() {
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(emailBot)}}, "bot.yaml")
	if err != nil {
		log.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	var mailed engine.Code
	e, err := engine.New(db, bot, engine.WithCodeSender(func(_ context.Context, c engine.Code) error {
		mailed = c
		return nil
	}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verifies email:", e.VerifiesEmail())
	ctx := context.Background()
	th, err := e.CreateThread(ctx, engine.NewThread{UserEmail: "ann@example.com"})
	if err != nil {
		log.Fatal(err)
	}
	say := func(text string) {
		sent, err := e.Send(ctx, engine.Message{ThreadID: th.ID, Text: text})
		if err != nil {
			log.Fatal(err)
		}
		last := sent.Messages[len(sent.Messages)-1]
		fmt.Println(last.SystemType, last.Text)
	}
	say("you can reach me at bo@example.org")
	say(mailed.Code)
	u, _ := e.ThreadUser(ctx, th)
	fmt.Println("verified:", u.Verified())
	// Output:
	// verifies email: true
	// PROVIDED_EMAIL bo@example.org
	// EMAIL_VERIFIED bo@example.org
	// verified: true
}

package badgerstore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"runtime/debug"
	"time"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
)

// A chat turn commits the session, its user, the thread's messages and the
// day's counters in one transaction.
func ExampleDB_Update() {
	now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	db, err := badgerstore.Open("", badgerstore.InMemory(), badgerstore.WithClock(func() time.Time { return now }))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()

	joe, err := db.CreateUser(ctx, store.User{Attributes: map[string]string{"default_email": "joe@example.com"}})
	if err != nil {
		log.Fatal(err)
	}
	err = db.Update(ctx, "c6d4bc58-4947-4f82", func(t *store.Turn) error {
		if t.New {
			if err := t.SetUser(joe.ID); err != nil {
				return err
			}
		}
		t.Session.Contexts = []store.Context{{InteractionID: "order-coffee", Lifespan: 2}}
		t.Append(
			store.Message{Type: store.UserMessage, Text: "a large latte, please"},
			store.Message{Type: store.BotMessage, Text: "One large latte coming up"},
		)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}

	s, _ := db.Session(ctx, "c6d4bc58-4947-4f82")
	msgs, _ := db.Messages(ctx, s.ThreadID, 0, 10)
	for _, m := range msgs {
		fmt.Println(m.Seq, m.Type, m.Text)
	}
	convs, _ := db.Conversations(ctx, joe.ID)
	fmt.Printf("%s has %d conversation starting %q\n", joe.UserID, len(convs), convs[0].FirstMessage)
	days, _ := db.Stats(ctx, now, now)
	fmt.Printf("%s: %d messages, %d sessions, %d new users\n", days[0].Date, days[0].Messages, days[0].Sessions, days[0].NewUsers)
	// Output:
	// 1 USER_MESSAGE a large latte, please
	// 2 NORMAL_MESSAGE One large latte coming up
	// joe@example.com has 1 conversation starting "a large latte, please"
	// 2026-03-14: 2 messages, 1 sessions, 1 new users
}

// A reader of the event log starts at its end, and later reads what was
// committed since, in commit order, resuming from the last position it had.
func ExampleDB_ReadLog() {
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()

	end, err := db.ReadLog(ctx, store.LogPos{}, 0) // where "what comes next" starts
	if err != nil {
		log.Fatal(err)
	}
	err = db.Update(ctx, "c6d4bc58-4947-4f82", func(t *store.Turn) error {
		t.Append(store.Message{Type: store.UserMessage, Text: "a latte please"},
			store.Message{Type: store.BotMessage, Text: "One latte coming up."})
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	page, err := db.ReadLog(ctx, end.Last, store.MaxLogPage)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range page.Entries {
		fmt.Println(e.Pos, e.Kind, e.Seq)
	}
	// Resuming from page.Last later returns only what came after.

	// Output:
	// 1 thread.created 0
	// 2 message 1
	// 3 message 2
}

// A server that should stay within 256 MB sizes its store, and its Go
// memory limit, from that one figure, as parley serve -memory-budget does.
// A budget below MinMemoryBudget is refused.
func ExampleMemoryBudget() {
	const budget = 256 << 20
	// The garbage collector keeps the Go heap within the budget (and this
	// example restores the previous limit when it ends).
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(budget))
	dir, err := os.MkdirTemp("", "parley-budget")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	db, err := badgerstore.Open(dir, badgerstore.MemoryBudget(budget))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	err = db.Update(ctx, "kiosk-7-morning", func(t *store.Turn) error {
		t.Append(store.Message{Type: store.UserMessage, Text: "a small espresso"})
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	s, _ := db.Session(ctx, "kiosk-7-morning")
	msgs, _ := db.Messages(ctx, s.ThreadID, 0, 10)
	fmt.Println(msgs[0].Text)

	_, err = badgerstore.Open("", badgerstore.InMemory(), badgerstore.MemoryBudget(16<<20))
	fmt.Println(err)
	// Output:
	// a small espresso
	// badgerstore: MemoryBudget: 16777216 bytes is below the least, 33554432 (32 MB)
}

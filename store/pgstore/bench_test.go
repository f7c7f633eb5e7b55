package pgstore_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/pgstore/pgtest"
)

// BenchmarkTurn runs turns of 64 sessions at once, each tied to a user
// and appending a user message and an answer, as badgerstore's
// BenchmarkTurn does: the store alone, without the engine.
func BenchmarkTurn(b *testing.B) {
	db := pgtest.Open(b)
	const sessions = 64
	users := make([]string, sessions)
	for i := range users {
		u, err := db.CreateUser(ctx, store.User{UserID: fmt.Sprintf("bench-%d", i)})
		if err != nil {
			b.Fatal(err)
		}
		users[i] = u.ID
	}
	turn := func(s int) error {
		return db.Update(ctx, fmt.Sprintf("bench-session-%02d", s), func(t *store.Turn) error {
			if t.New {
				if err := t.SetUser(users[s]); err != nil {
					return err
				}
				t.Session.StoryID = "5b07fd67c2376e30306d9b0d"
			}
			t.Session.Contexts = []store.Context{{InteractionID: "5b07ffafc2376e30306d9b16", Lifespan: 2}}
			t.Append(store.Message{Type: store.UserMessage, Text: "I would like a large latte"},
				store.Message{Type: store.BotMessage, Text: "One large latte coming up", InteractionID: "5b07ffafc2376e30306d9b16", Score: 0.93})
			return nil
		})
	}
	for s := range sessions {
		if err := turn(s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	var next atomic.Int64
	var wg sync.WaitGroup
	for s := range sessions {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				if err := turn(s); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
}

// BenchmarkAppendMessage appends one agent message at a time to one
// thread, as badgerstore's BenchmarkAppendMessage does: a transaction each.
func BenchmarkAppendMessage(b *testing.B) {
	db := pgtest.Open(b)
	th, err := db.CreateThread(ctx, store.Thread{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := db.AppendMessages(ctx, th.ID, store.Message{Type: store.AgentMessage, Text: "Hello, this is Bob from support."}); err != nil {
			b.Fatal(err)
		}
	}
}

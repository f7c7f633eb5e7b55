package engine_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// BenchmarkAutomatedPageView decides one page view against 1,000 saved
// automated messages triggered by page views, none of whose conditions
// holds: every condition is evaluated, nothing is sent.
func BenchmarkAutomatedPageView(b *testing.B) {
	ctx := context.Background()
	a := newAutoEngine(b)
	for i := range 1000 {
		_, err := a.e.SaveAutomatedMessage(ctx, store.AutomatedMessage{
			Name:      fmt.Sprintf("page %d", i),
			Trigger:   store.Trigger{On: store.OnPageView},
			Condition: fmt.Sprintf(`page.path == "/product/%d" && time_on_page < 600 && !("customer" in tags)`, i),
			Text:      "Can I help with this product?",
			Priority:  i % 10,
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	a.chat("session-bench-1", "", "hi")
	visit := engine.PageVisit{SessionID: "session-bench-1", Page: engine.Page{URL: "https://example.com/product/none", Title: "None"}}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		msgs, err := a.e.PageView(ctx, visit)
		if err != nil || len(msgs) != 0 {
			b.Fatal(msgs, err)
		}
	}
}

// BenchmarkAutomatedSchedule runs one daily schedule over 100,000 users,
// 1 in 100 of whom it reaches (a condition on an attribute) and is sent
// to. One iteration is one whole firing.
func BenchmarkAutomatedSchedule(b *testing.B) {
	ctx := context.Background()
	a := newAutoEngine(b)
	const users = 100000
	for i := 0; i < users; i += 1000 {
		batch := make([]store.User, 1000)
		for j := range batch {
			plan := "free"
			if (i+j)%100 == 0 {
				plan = "pro"
			}
			batch[j] = store.User{UserID: fmt.Sprintf("user-%06d", i+j), Attributes: map[string]string{"plan": plan}}
		}
		if _, err := a.e.CreateUsers(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	_, err := a.e.SaveAutomatedMessage(ctx, store.AutomatedMessage{
		Name: "news", Trigger: store.Trigger{On: store.OnSchedule, Daily: "10:00"},
		Condition: `user.plan == "pro"`, Text: "New this week", Repeat: store.RepeatAlways,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		a.clk.Advance(24 * time.Hour)
		n, err := a.e.Tick(ctx)
		if err != nil || n != users/100 {
			b.Fatal(n, err)
		}
	}
}

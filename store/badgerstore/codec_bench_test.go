package badgerstore

import (
	"testing"
	"time"

	"github.com/parleybot/parley/store"
)

// BenchmarkDecode decodes what a turn reads and Messages pages: a session
// with attributes and contexts, and a record of two messages.
func BenchmarkDecode(b *testing.B) {
	now := time.Now()
	s := &store.Session{
		ID: "session-1", UserID: "5b07fd67c2376e30306d9b0d", StoryID: "5b07fd67c2376e30306d9b0d",
		Contexts: []store.Context{
			{InteractionID: "5b07ffafc2376e30306d9b16", Lifespan: 2, Parameters: map[string]string{"size": "large", "drink": "latte"}},
		},
		Attributes: map[string]string{"name": "Ada", "city": "Paris", "order": "latte"},
		ThreadID:   "5b07ffafc2376e30306d9b18", StartedAt: now, UpdatedAt: now, ExpiresAt: now.Add(time.Hour),
	}
	rec := encodeSession(nil, s, nil)
	b.Run("session", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var got store.Session
			if _, err := decodeSession(rec, s.ID, &got); err != nil {
				b.Fatal(err)
			}
		}
	})
	msgs := []store.Message{
		{Type: store.UserMessage, Text: "I would like a large latte", Seq: 1, CreatedAt: now},
		{Type: store.BotMessage, Text: "One large latte coming up", InteractionID: "5b07ffafc2376e30306d9b16", Score: 0.93, Seq: 2, CreatedAt: now},
	}
	mrec := encodeMessages(nil, msgs)
	b.Run("messages", func(b *testing.B) {
		b.ReportAllocs()
		var got []store.Message
		for range b.N {
			var err error
			if got, err = decodeMessages(mrec, "5b07ffafc2376e30306d9b18", 1, got[:0]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

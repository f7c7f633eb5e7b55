package badgerstore

import (
	"testing"
	"time"

	"github.com/parleybot/parley/store"
)

// FuzzDecode checks that decoding any bytes as any record returns a record
// or an error, and never panics: a damaged value must not crash the program.
func FuzzDecode(f *testing.F) {
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	f.Add(encodeUser(nil, &store.User{UserID: "u", Attributes: map[string]string{"a": "b"}, Segments: []string{"0123456789abcdef01234567"}, CreatedAt: now}))
	f.Add(encodeSession(nil, &store.Session{ID: "s", Contexts: []store.Context{{InteractionID: "i", Lifespan: 2}}, Slot: &store.SlotFilling{Parameter: "p"}}, nil))
	f.Add(encodeSession(nil, &store.Session{ID: "s", ThreadID: "0123456789abcdef01234567"}, encodeThread(nil, &store.Thread{Mode: store.ModeAI, Messages: 3})))
	f.Add(encodeThread(nil, &store.Thread{Mode: store.ModeAI, Messages: 3}))
	f.Add(encodeUser(nil, &store.User{UserID: "v", Attributes: map[string]string{"a": "b"}, VerifiedEmail: "v@example.com", Messages: 2}))
	f.Add(encodeSession(nil, &store.Session{ID: "s", ThreadID: "0123456789abcdef01234567", Verification: &store.Verification{Email: "v@example.com", Code: "c", ExpiresAt: now, Attempts: 1}},
		encodeThread(nil, &store.Thread{Mode: store.ModeAI, Persona: "pirate"})))
	f.Add(encodeMessageV1(nil, &store.Message{Type: store.BotMessage, Text: "hi", Fulfillment: []byte("[]")}))
	f.Add(encodeMessages(nil, []store.Message{{Type: store.UserMessage, Text: "hi"}, {Type: store.BotMessage, Text: "hello", Score: 0.9}}))
	f.Add(encodeSegment(nil, &store.Segment{Name: "n", Members: 2}))
	f.Add(encodeCounters(nil, &store.Counters{Messages: 1}))
	f.Fuzz(func(t *testing.T, b []byte) {
		var u store.User
		derr := decodeUser(b, "x", &u)
		// Filtering the record in place agrees with the full decode.
		q := store.UserQuery{Match: store.MatchAny, Filters: []store.Filter{
			{Field: "attributes.a", Op: store.OpContains, Value: "b"},
			{Field: store.FieldSegment, Op: store.OpEquals, Value: "0123456789abcdef01234567"},
			{Field: store.FieldCreatedAt, Op: store.OpAfter, Time: now},
		}}
		ok, err := newMatcher(&q).match(b)
		if (err != nil) != (derr != nil) {
			t.Fatalf("match error %v, decodeUser error %v", err, derr)
		}
		if derr == nil && ok != q.Matches(&u) {
			t.Fatalf("user %+v: match %v, Matches %v", u, ok, !ok)
		}
		var s store.Session
		carried, _ := decodeSession(b, "x", &s)
		var th store.Thread
		decodeThread(carried, "x", &th)
		decodeThread(b, "x", &th)
		decodeMessages(b, "x", 1, nil)
		var g store.Segment
		decodeSegment(b, "x", &g)
		var c store.Counters
		decodeCounters(b, &c)
	})
}

package engine_test

import (
	"context"
	"testing"
	"testing/fstest"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// TestConditionTimeZone checks the zone whose hour conditions read: the
// bot's timezone setting, else the user's default_timezone, else UTC, not
// the process's local zone.
func TestConditionTimeZone(t *testing.T) {
	t.Setenv("TZ", "America/Los_Angeles")
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC) // a Monday, 10:00 UTC
	for _, c := range []struct {
		name, settings, userZone, want string
	}{
		{"UTC", "", "", "morning"},
		{"UserZone", "", "+3", "afternoon"},
		{"BotZone", "settings: {timezone: Asia/Tokyo}\n", "-8", "evening"},
	} {
		t.Run(c.name, func(t *testing.T) {
			bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(c.settings + `
stories:
  - name: S
    interactions:
      - name: W
        role: start
        responses:
          - {text: morning, filter: hour < 12}
          - {text: afternoon, filter: hour >= 12 && hour < 18}
          - {text: evening, filter: 'hour >= 18 && weekday == "monday"'}
      - {name: E, role: else}
`)}}, "bot.yaml")
			if err != nil {
				t.Fatal(err)
			}
			db, err := badgerstore.Open("", badgerstore.InMemory())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			e, err := engine.New(db, bot, engine.WithClock(func() time.Time { return now }))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			req := engine.Request{SessionID: "session-tz-1", Trigger: "welcome"}
			if c.userZone != "" {
				u, err := e.CreateUser(ctx, store.User{UserID: "u1", Attributes: map[string]string{"default_timezone": c.userZone}})
				if err != nil {
					t.Fatal(err)
				}
				req.UserID = u.UserID
			}
			res, err := e.Chat(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if f := res.Result.Fulfillment; len(f) != 1 || f[0].Message != c.want {
				t.Errorf("got %+v, want %q", f, c.want)
			}
		})
	}
}

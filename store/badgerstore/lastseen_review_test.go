package badgerstore

import (
	"testing"
	"time"

	"github.com/parleybot/parley/store"
)

// TestLastSeenClockBack runs a turn whose clock is behind the user's
// lastSeen: every read must agree on the lastSeen the turn left, before
// and after a flush.
func TestLastSeenClockBack(t *testing.T) {
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	db, err := Open("", InMemory(), WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	u, err := db.CreateUser(ctx, store.User{UserID: "user-0"})
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	turnAs(t, db, "session-user-0", u.ID)
	now = now.Add(-30 * time.Minute) // the clock goes back
	turnAs(t, db, "session-user-0", u.ID)
	before := lastSeens(t, db, []string{u.ID})[u.ID]
	if _, err := db.ListUsers(ctx, store.UserQuery{Sort: store.SortLastSeen}); err != nil {
		t.Fatal(err)
	}
	after := lastSeens(t, db, []string{u.ID})[u.ID]
	want := now.Add(30 * time.Minute) // lastSeen never goes back
	if !before.Equal(want) || !after.Equal(want) {
		t.Errorf("lastSeen before a flush: got %v, after: %v, want %v", before, after, want)
	}
}

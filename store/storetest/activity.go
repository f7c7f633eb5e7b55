package storetest

import (
	"time"

	"github.com/parleybot/parley/store"
)

// testUserActivity counts each user once over a period, however many
// days of it they came, and leaves out deleted users and users who never
// had a turn from the active ones.
func testUserActivity(e *env) {
	d0, d1, d2 := start, start.Add(time.Hour), start.Add(25*time.Hour) // three days in zone
	old := e.user("old", nil)
	e.chat("session-act-old", old.ID, "hi")
	e.clk.Advance(time.Hour)
	fresh := e.user("fresh", nil)
	gone := e.user("gone", nil)
	for range 2 {
		e.chat("session-act-old", old.ID, "again")
		e.chat("session-act-fresh", fresh.ID, "hi")
		e.chat("session-act-gone", gone.ID, "hi")
	}
	e.clk.Advance(24 * time.Hour)
	e.chat("session-act-old", old.ID, "the next day")
	e.chat("session-act-fresh-2", fresh.ID, "the next day")
	e.user("never", nil)
	e.noErr("DeleteUser", e.s.DeleteUser(ctx, gone.ID))
	for _, c := range []struct {
		name     string
		from, to time.Time
		want     store.Activity
	}{
		{"FirstDay", d0, d0, store.Activity{New: 1, Active: 1}},
		{"SecondDay", d1, d1, store.Activity{New: 1, Active: 2, Returning: 1}},
		{"LastTwoDays", d1, d2, store.Activity{New: 2, Active: 2, Returning: 1}},
		{"AllDays", d0, d2, store.Activity{New: 3, Active: 2}},
		{"Before", d0.AddDate(0, 0, -10), d0.AddDate(0, 0, -1), store.Activity{}},
		{"After", d2.AddDate(0, 0, 1), d2.AddDate(0, 1, 0), store.Activity{}},
	} {
		a, err := e.s.UserActivity(ctx, c.from, c.to)
		if e.noErr(c.name, err) {
			e.equal(c.name, a, c.want)
		}
	}
	_, err := e.s.UserActivity(ctx, d1, d0)
	e.wantErr("to before from", err, store.ErrInvalid)
	_, err = e.s.UserActivity(ctx, d0, d0.AddDate(1, 1, 0))
	e.wantErr("over a year", err, store.ErrInvalid)
}

package storetest

import (
	"errors"
	"fmt"
	"time"

	"github.com/parleybot/parley/store"
)

// testVisits adds visits, closes them, keeps the last MaxVisits per
// visitor, refuses bad ones, and deletes a user's with the user.
func testVisits(e *env) {
	u := e.user("visitor", nil)
	visit := func(visitor, url string) store.Visit {
		e.Helper()
		v, err := e.s.AddVisit(ctx, store.Visit{Visitor: visitor, SessionID: "session-visits", URL: url, Title: "Title of " + url, Referrer: "https://search.example/"})
		if err != nil {
			e.Fatalf("AddVisit(%q): %v", url, err)
		}
		return v
	}
	first := visit(u.ID, "https://shop.example/")
	if !store.ValidID(first.ID) {
		e.Errorf("ID: got %q, want 24 hex", first.ID)
	}
	e.equal("LandedAt", first.LandedAt, start)
	e.equal("LeftAt", first.LeftAt.IsZero(), true)
	e.clk.Advance(90 * time.Second)
	second := visit(u.ID, "https://shop.example/pricing")
	got, err := e.s.Visits(ctx, u.ID)
	if e.noErr("Visits", err) && len(got) == 2 {
		e.equal("newest first", []string{got[0].ID, got[1].ID}, []string{second.ID, first.ID})
		e.equal("closed by the next", got[1].LeftAt, start.Add(90*time.Second))
		e.equal("open", got[0].LeftAt.IsZero(), true)
		g := got[0]
		e.equal("fields", []string{g.Visitor, g.SessionID, g.URL, g.Title, g.Referrer},
			[]string{u.ID, "session-visits", "https://shop.example/pricing", "Title of https://shop.example/pricing", "https://search.example/"})
		e.equal("LandedAt", g.LandedAt, start.Add(90*time.Second))
	} else {
		e.Errorf("Visits: got %d, want 2", len(got))
	}
	e.clk.Advance(time.Minute)
	e.noErr("EndVisit", e.s.EndVisit(ctx, u.ID))
	e.clk.Advance(time.Minute)
	e.noErr("EndVisit again", e.s.EndVisit(ctx, u.ID))
	got, _ = e.s.Visits(ctx, u.ID)
	if len(got) == 2 {
		e.equal("ended", got[0].LeftAt, start.Add(150*time.Second))
	}
	e.noErr("EndVisit of nobody", e.s.EndVisit(ctx, "session-without-visits"))

	// A session's visits are its own.
	visit("session-anonymous", "https://shop.example/")
	got, _ = e.s.Visits(ctx, "session-anonymous")
	e.equal("session's visits", len(got), 1)
	got, _ = e.s.Visits(ctx, "session-anonymous-2")
	e.equal("another session's visits", len(got), 0)

	// The last MaxVisits are kept.
	for i := range store.MaxVisits + 5 {
		e.clk.Advance(time.Second)
		visit("session-busy-reader", fmt.Sprintf("https://shop.example/%d", i))
	}
	got, _ = e.s.Visits(ctx, "session-busy-reader")
	if e.equal("kept", len(got), store.MaxVisits); len(got) == store.MaxVisits {
		e.equal("newest", got[0].URL, fmt.Sprintf("https://shop.example/%d", store.MaxVisits+4))
		e.equal("oldest kept", got[len(got)-1].URL, "https://shop.example/5")
		open := 0
		for _, v := range got {
			if v.LeftAt.IsZero() {
				open++
			}
		}
		e.equal("open visits", open, 1)
	}

	for _, c := range []struct {
		field string
		v     store.Visit
	}{
		{"visitor", store.Visit{Visitor: "short", SessionID: "session-visits", URL: "https://a.example/"}},
		{"sessionId", store.Visit{Visitor: u.ID, SessionID: "s", URL: "https://a.example/"}},
		{"url", store.Visit{Visitor: u.ID, SessionID: "session-visits"}},
		{"title", store.Visit{Visitor: u.ID, SessionID: "session-visits", URL: "https://a.example/", Title: string(make([]rune, 257))}},
	} {
		_, err := e.s.AddVisit(ctx, c.v)
		var fe *store.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			e.Errorf("invalid %s: got %v, want a *store.FieldError for %s", c.field, err, c.field)
		}
	}
	_, err = e.s.Visits(ctx, "short")
	e.wantErr("Visits of a bad visitor", err, store.ErrInvalid)
	got, _ = e.s.Visits(ctx, u.ID)
	e.equal("after invalid adds", len(got), 2)

	e.noErr("DeleteUser", e.s.DeleteUser(ctx, u.ID))
	got, err = e.s.Visits(ctx, u.ID)
	if e.noErr("Visits after DeleteUser", err) {
		e.equal("visits after DeleteUser", len(got), 0)
	}
}

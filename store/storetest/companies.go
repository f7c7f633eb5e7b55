package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/parleybot/parley/store"
)

// testCompanies records activity from companies, lists them by activity,
// moves people between them, tags them, refuses bad input, and takes a
// deleted user out of their company.
func testCompanies(e *env) {
	ann := e.user("ann", nil)
	bob := e.user("bob", nil)
	lead := []store.Delivery{{Key: "company:acme.com", Event: "NEW_LEAD", URL: "https://hooks.example/leads", Payload: json.RawMessage(`{"company":"acme.com"}`)}}
	c, isNew, err := e.s.RecordActivity(ctx, store.CompanyActivity{Domain: "acme.com", Name: "Acme", UserID: ann.ID, PageView: true, NewLead: lead})
	if !e.noErr("RecordActivity", err) {
		return
	}
	e.equal("new", isNew, true)
	e.equal("company", []any{c.Domain, c.Name, c.People, c.Visits, c.FirstSeen, c.LastActive}, []any{"acme.com", "Acme", 1, 1, start, start})
	due, _ := e.s.DueDeliveries(ctx, start, 10)
	if e.equal("NEW_LEAD enqueued", len(due), 1); len(due) == 1 {
		e.equal("NEW_LEAD", due[0].Event, "NEW_LEAD")
		e.noErr("Delivered", e.s.Delivered(ctx, due[0].ID))
	}

	e.clk.Advance(time.Minute)
	c, isNew, err = e.s.RecordActivity(ctx, store.CompanyActivity{Domain: "acme.com", UserID: bob.ID, NewLead: lead})
	if e.noErr("RecordActivity again", err) {
		e.equal("new again", isNew, false)
		e.equal("again", []any{c.Name, c.People, c.Visits, c.FirstSeen, c.LastActive}, []any{"Acme", 2, 1, start, start.Add(time.Minute)})
	}
	due, _ = e.s.DueDeliveries(ctx, start.Add(time.Hour), 10)
	e.equal("NEW_LEAD once", len(due), 0)

	e.clk.Advance(time.Minute)
	_, isNew, err = e.s.RecordActivity(ctx, store.CompanyActivity{Domain: "globex.example", PageView: true})
	e.noErr("RecordActivity globex", err)
	e.equal("globex new", isNew, true)
	e.clk.Advance(time.Minute)
	_, _, err = e.s.RecordActivity(ctx, store.CompanyActivity{Domain: "initech.example", Name: "Initech"})
	e.noErr("RecordActivity initech", err)

	list := func(q store.CompanyQuery) []string {
		e.Helper()
		cs, err := e.s.ListCompanies(ctx, q)
		if err != nil {
			e.Errorf("ListCompanies(%+v): %v", q, err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.Domain)
		}
		return out
	}
	e.equal("by activity", list(store.CompanyQuery{}), []string{"initech.example", "globex.example", "acme.com"})
	e.equal("paged", list(store.CompanyQuery{Limit: 1, Offset: 1}), []string{"globex.example"})
	e.equal("past the end", list(store.CompanyQuery{Offset: 5}), []string{})

	// Bob moves to Globex, and Acme becomes the most recently active.
	e.clk.Advance(time.Minute)
	_, _, err = e.s.RecordActivity(ctx, store.CompanyActivity{Domain: "globex.example", UserID: bob.ID})
	e.noErr("RecordActivity bob at globex", err)
	e.clk.Advance(time.Minute)
	_, _, err = e.s.RecordActivity(ctx, store.CompanyActivity{Domain: "acme.com", UserID: ann.ID, PageView: true})
	e.noErr("RecordActivity ann", err)
	e.equal("by activity after", list(store.CompanyQuery{}), []string{"acme.com", "globex.example", "initech.example"})
	people, err := e.s.CompanyPeople(ctx, "acme.com")
	if e.noErr("CompanyPeople", err) {
		e.equal("acme's people", people, []string{ann.ID})
	}
	people, _ = e.s.CompanyPeople(ctx, "globex.example")
	e.equal("globex's people", people, []string{bob.ID})
	c, err = e.s.Company(ctx, "acme.com")
	if e.noErr("Company", err) {
		e.equal("acme", []any{c.People, c.Visits}, []any{1, 2})
	}

	// Tags.
	c, err = e.s.TagCompany(ctx, "acme.com", []string{"hot", "enterprise"}, nil)
	if e.noErr("TagCompany add", err) {
		e.equal("tags", c.Tags, []string{"hot", "enterprise"})
	}
	c, err = e.s.TagCompany(ctx, "acme.com", []string{"hot", "q3"}, []string{"enterprise"})
	if e.noErr("TagCompany add and remove", err) {
		e.equal("tags after", c.Tags, []string{"hot", "q3"})
	}
	e.equal("by tag", list(store.CompanyQuery{Tag: "hot"}), []string{"acme.com"})
	many := make([]string, store.MaxCompanyTags)
	for i := range many {
		many[i] = fmt.Sprintf("t%d", i)
	}
	_, err = e.s.TagCompany(ctx, "acme.com", many, nil)
	e.wantErr("too many tags", err, store.ErrInvalid)
	c, _ = e.s.Company(ctx, "acme.com")
	e.equal("tags kept", c.Tags, []string{"hot", "q3"})
	_, err = e.s.TagCompany(ctx, "nowhere.example", []string{"x"}, nil)
	e.wantErr("tag unknown", err, store.ErrNotFound)

	for _, c := range []struct {
		field string
		err   error
	}{
		{"domain", func() error {
			_, _, err := e.s.RecordActivity(ctx, store.CompanyActivity{Domain: "Acme.COM"})
			return err
		}()},
		{"domain", func() error {
			_, _, err := e.s.RecordActivity(ctx, store.CompanyActivity{Domain: "localhost"})
			return err
		}()},
		{"userId", func() error {
			_, _, err := e.s.RecordActivity(ctx, store.CompanyActivity{Domain: "acme.com", UserID: "ann"})
			return err
		}()},
		{"limit", func() error { _, err := e.s.ListCompanies(ctx, store.CompanyQuery{Limit: 101}); return err }()},
		{"offset", func() error { _, err := e.s.ListCompanies(ctx, store.CompanyQuery{Offset: -1}); return err }()},
		{"add[0]", func() error { _, err := e.s.TagCompany(ctx, "acme.com", []string{""}, nil); return err }()},
	} {
		var fe *store.FieldError
		if !errors.As(c.err, &fe) || fe.Field != c.field {
			e.Errorf("invalid %s: got %v, want a *store.FieldError for %s", c.field, c.err, c.field)
		}
	}
	_, _, err = e.s.RecordActivity(ctx, store.CompanyActivity{Domain: "umbrella.example", UserID: "0123456789abcdef01234567"})
	e.wantErr("unknown user", err, store.ErrNotFound)
	_, err = e.s.Company(ctx, "umbrella.example")
	e.wantErr("nothing half stored", err, store.ErrNotFound)
	_, err = e.s.CompanyPeople(ctx, "umbrella.example")
	e.wantErr("people of unknown", err, store.ErrNotFound)

	e.noErr("DeleteUser", e.s.DeleteUser(ctx, ann.ID))
	people, _ = e.s.CompanyPeople(ctx, "acme.com")
	e.equal("people after DeleteUser", len(people), 0)
	c, _ = e.s.Company(ctx, "acme.com")
	e.equal("count after DeleteUser", c.People, 0)
}

package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// ipResolver names companies by address, and panics for one.
type ipResolver map[string]string

func (r ipResolver) Company(_ context.Context, v engine.Visitor) (string, string, error) {
	if v.IP == "198.51.100.66" {
		panic("resolver bug")
	}
	if v.IP == "198.51.100.99" {
		return "", "", errors.New("service down")
	}
	if d := r[v.IP]; d != "" {
		return d, "Company of " + v.IP, nil
	}
	return "", "", nil
}

func TestLeads(t *testing.T) {
	ctx := context.Background()
	a := newAutoEngine(t,
		engine.WithWebhooks(engine.Webhooks{ChatbotID: "bot-1", Leads: engine.Endpoint{URL: "https://hooks.example/leads", Token: "t"}}),
		engine.WithCompanyResolver(ipResolver{"203.0.113.7": "initech.example"}))
	ann := a.user("ann", map[string]string{"default_email": "ann@Acme.com", "default_name": "Ann Lee"})
	a.user("bob", map[string]string{"default_email": "bob@gmail.com"})
	carol := a.user("carol", map[string]string{"default_email": "carol@acme.com", "default_name": "Carol"})

	a.view("session-ann-01", "ann", "https://shop.example/")
	a.clk.Advance(time.Minute)
	a.view("session-ann-01", "", "https://shop.example/pricing")
	a.view("session-bob-01", "bob", "https://shop.example/") // free mail: no lead
	a.chat("session-carol-1", "carol", "hi")                 // a chat turn makes Carol one of Acme's
	a.clk.Advance(time.Minute)
	if _, err := a.e.PageView(ctx, engine.PageVisit{SessionID: "session-anon-01", IP: "203.0.113.7", Page: engine.Page{URL: "https://shop.example/"}}); err != nil {
		t.Fatal(err)
	}
	for _, ip := range []string{"198.51.100.66", "198.51.100.99"} { // the resolver fails: no lead, no error
		if _, err := a.e.PageView(ctx, engine.PageVisit{SessionID: "session-anon-02", IP: ip, Page: engine.Page{URL: "https://shop.example/"}}); err != nil {
			t.Fatalf("PageView with a failing resolver: %v", err)
		}
	}

	leads, err := a.e.Leads(ctx, engine.LeadQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range leads {
		got = append(got, fmt.Sprintf("%s(%s) people=%d visits=%d", c.Domain, c.Name, c.People, c.Visits))
	}
	if want := "[initech.example(Company of 203.0.113.7) people=0 visits=1 acme.com() people=2 visits=2]"; fmt.Sprint(got) != want {
		t.Errorf("Leads: got %v, want %s", got, want)
	}

	people, err := a.e.KeyPeople(ctx, "acme.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 2 || people[0].ID != carol.ID || people[1].ID != ann.ID {
		t.Errorf("KeyPeople: got %v, want Carol (seen last) then Ann", people)
	}
	if _, err := a.e.KeyPeople(ctx, "nowhere.example"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("KeyPeople of nobody: got %v", err)
	}

	c, err := a.e.TagLead(ctx, "acme.com", []string{"hot"}, nil)
	if err != nil || fmt.Sprint(c.Tags) != "[hot]" {
		t.Errorf("TagLead: got %v, %v", c.Tags, err)
	}
	if leads, _ := a.e.Leads(ctx, engine.LeadQuery{Tag: "hot"}); len(leads) != 1 || leads[0].Domain != "acme.com" {
		t.Errorf("Leads tagged hot: got %v", leads)
	}
	if c, err = a.e.TagLead(ctx, "acme.com", nil, []string{"hot"}); err != nil || len(c.Tags) != 0 {
		t.Errorf("untag: got %v, %v", c.Tags, err)
	}

	// One NEW_LEAD per company, naming it.
	due, err := a.db.DueDeliveries(ctx, a.clk.Now().Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	var companies []string
	for _, d := range due {
		if d.Event != engine.WebhookLead {
			continue
		}
		var data engine.WebhookThreadData
		if err := json.Unmarshal(d.Payload, &data); err != nil || data.Company == nil {
			t.Fatalf("NEW_LEAD payload %s: %v", d.Payload, err)
		}
		companies = append(companies, data.Company.Domain)
	}
	if fmt.Sprint(companies) != "[acme.com initech.example]" {
		t.Errorf("NEW_LEAD: got %v", companies)
	}
}

func TestEmailDomain(t *testing.T) {
	for in, want := range map[string]string{
		"ann@Acme.COM": "acme.com", "bob@gmail.com": "", "no-at-sign": "", "x@localhost": "", "": "",
		"eve@mail.globex.example": "mail.globex.example", "a@b@corp.example": "corp.example", "z@bad_domain.com": "",
	} {
		if got := engine.EmailDomain(in); got != want {
			t.Errorf("EmailDomain(%q): got %q, want %q", in, got, want)
		}
	}
	if !engine.FreeMail("outlook.com") || engine.FreeMail("acme.com") {
		t.Error("FreeMail: outlook.com is free mail, acme.com is not")
	}
}

// FuzzEmailDomain: any address gives "" or a domain a store takes, never
// a free email provider's.
func FuzzEmailDomain(f *testing.F) {
	for _, s := range []string{"ann@acme.com", "bob@gmail.com", "@", "a@.", "a@b..c", "x@UPPER.EXAMPLE", "a@b@c.d", "é@ü.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, email string) {
		d := engine.EmailDomain(email)
		if d == "" {
			return
		}
		if err := store.CheckDomain("domain", d); err != nil || engine.FreeMail(d) {
			t.Errorf("EmailDomain(%q) = %q: %v", email, d, err)
		}
	})
}

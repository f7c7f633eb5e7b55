package engine_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// A page reports the pages a user views: each is a visit of the user, and
// the third look at the pricing page sends an automated message.
func ExampleEngine_PageView() {
	e, done := operatorEngine()
	defer done()
	ctx := context.Background()
	if _, err := e.CreateUser(ctx, store.User{UserID: "c-1001", Attributes: map[string]string{"default_email": "ann@acme.com"}}); err != nil {
		log.Fatal(err)
	}
	_, err := e.SaveAutomatedMessage(ctx, store.AutomatedMessage{Name: "demo", Trigger: store.Trigger{On: store.OnPageView},
		Condition: `page_counts["/pricing"] >= 3`, Text: "Want a demo of our plans?"})
	if err != nil {
		log.Fatal(err)
	}
	for _, url := range []string{"/pricing", "/docs", "/pricing", "/pricing?plan=team"} {
		sent, err := e.PageView(ctx, engine.PageVisit{SessionID: "session-c-1001", UserID: "c-1001", Page: engine.Page{URL: "https://shop.example" + url}})
		if err != nil {
			log.Fatal(err)
		}
		for _, m := range sent {
			fmt.Println("bot:", m.Text)
		}
	}
	visits, _ := e.Visits(ctx, "c-1001")
	fmt.Println(len(visits), "visits, the last to", visits[0].URL)
	// Output:
	// bot: Want a demo of our plans?
	// 4 visits, the last to https://shop.example/pricing?plan=team
}

// Users from a company's email domain make it a lead; free mail does not.
func ExampleEngine_Leads() {
	e, done := operatorEngine()
	defer done()
	ctx := context.Background()
	for _, email := range []string{"ann@acme.com", "bob@acme.com", "eve@gmail.com"} {
		if _, err := e.CreateUser(ctx, store.User{Attributes: map[string]string{"default_email": email}}); err != nil {
			log.Fatal(err)
		}
		if _, err := e.PageView(ctx, engine.PageVisit{SessionID: "session-" + email, UserID: email, Page: engine.Page{URL: "https://shop.example/"}}); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := e.TagLead(ctx, "acme.com", []string{"hot"}, nil); err != nil {
		log.Fatal(err)
	}
	leads, _ := e.Leads(ctx, engine.LeadQuery{})
	for _, c := range leads {
		fmt.Println(c.Domain, c.People, "people", c.Visits, "visits", c.Tags)
	}
	people, _ := e.KeyPeople(ctx, "acme.com")
	for _, u := range people {
		fmt.Println(u.Attributes["default_email"])
	}
	// Unordered output:
	// acme.com 2 people 2 visits [hot]
	// ann@acme.com
	// bob@acme.com
}

// slots is a host calendar with one slot taken.
type slots struct{ taken time.Time }

func (c slots) Meeting(_ context.Context, m store.Meeting) (string, error) {
	if m.Status == store.MeetingScheduled && m.Start.Equal(c.taken) {
		return "", errors.New("that slot is taken")
	}
	return "cal-" + m.Start.Format("0102-1504"), nil
}

// Book a meeting through the host's calendar, which refuses a taken slot.
func ExampleEngine_ScheduleMeeting() {
	taken := time.Date(2030, 3, 16, 10, 0, 0, 0, time.UTC)
	e, done := operatorEngineWith(shopBot, engine.WithCalendar(slots{taken}))
	defer done()
	ctx := context.Background()
	if _, err := e.CreateUser(ctx, store.User{UserID: "c-1001", Attributes: map[string]string{"default_name": "Ann"}}); err != nil {
		log.Fatal(err)
	}
	_, err := e.ScheduleMeeting(ctx, store.Meeting{UserID: "c-1001", Title: "Demo", Start: taken, End: taken.Add(30 * time.Minute)})
	fmt.Println(errors.Is(err, engine.ErrCalendar))
	m, err := e.ScheduleMeeting(ctx, store.Meeting{UserID: "c-1001", Title: "Demo", Start: taken.Add(time.Hour), End: taken.Add(90 * time.Minute)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Status, m.Start.Format(time.Kitchen), m.EventID)
	m, _ = e.DeclineMeeting(ctx, store.Meeting{ID: m.ID, Notes: "the customer cancelled"})
	fmt.Println(m.Status, m.Notes)
	// Output:
	// true
	// scheduled 11:00AM cal-0316-1100
	// declined the customer cancelled
}

package engine_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"testing/fstest"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// shopBot is a tiny bot.
const shopBot = `
stories:
  - name: Shop
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hi!"}]}
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
`

// operatorEngine returns an engine over a bot (shopBot if none is given)
// on an in-memory store.
func operatorEngine(botYAML ...string) (*engine.Engine, func()) {
	return operatorEngineWith(append(botYAML, shopBot)[0])
}

// operatorEngineWith returns an engine over botYAML on an in-memory store,
// with opts.
func operatorEngineWith(botYAML string, opts ...engine.Option) (*engine.Engine, func()) {
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(botYAML)}}, "bot.yaml")
	if err != nil {
		log.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		log.Fatal(err)
	}
	e, err := engine.New(db, bot, opts...)
	if err != nil {
		log.Fatal(err)
	}
	return e, func() { db.Close() }
}

// Import a customer list from CSV: one row is refused, with its line and
// reason; the others go in, and importing again duplicates nobody.
func ExampleEngine_ImportUsers() {
	e, done := operatorEngine()
	defer done()
	ctx := context.Background()
	file := `userId,email,name,plan,tags
c-1001,ann@example.com,Ann Lee,gold,vip;newsletter
c-1002,bob@example.com,"Stone, Bob",free,
,,Nobody,free,
`
	for range 2 {
		res, err := e.ImportUsers(ctx, strings.NewReader(file), engine.ImportOptions{})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d rows: %d created, %d updated, %d refused\n", res.Rows, res.Created, res.Updated, res.Failed)
		for _, re := range res.Errors {
			fmt.Println(" ", re)
		}
	}
	tags, _ := e.Tags(ctx)
	for _, t := range tags {
		fmt.Printf("tag %s: %d user\n", t.Name, t.Users)
	}
	// Output:
	// 3 rows: 2 created, 0 updated, 1 refused
	//   line 4: gives neither a userId nor an email
	// 3 rows: 0 created, 2 updated, 1 refused
	//   line 4: gives neither a userId nor an email
	// tag newsletter: 1 user
	// tag vip: 1 user
}

// A segment defined by a saved filter: its members are whoever matches it
// when asked.
func ExampleEngine_CreateFilterSegment() {
	e, done := operatorEngine()
	defer done()
	ctx := context.Background()
	users, err := e.CreateUsers(ctx, []store.User{
		{UserID: "ann", Attributes: map[string]string{"plan": "gold"}},
		{UserID: "bob", Attributes: map[string]string{"plan": "free"}, Tags: []string{"vip"}},
		{UserID: "cid", Attributes: map[string]string{"plan": "free"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	seg, err := e.CreateFilterSegment(ctx, "Gold or VIP", store.SegmentFilter{
		Match: store.MatchAny,
		Filters: []store.Filter{
			{Field: "attributes.plan", Op: store.OpEquals, Value: "gold"},
			{Field: store.FieldTag, Op: store.OpEquals, Value: "vip"},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	show := func() {
		q, _ := e.SegmentQuery(ctx, seg.ID)
		q.Order = store.Asc
		page, _ := e.FindUsers(ctx, q)
		var names []string
		for _, u := range page.Users {
			names = append(names, u.UserID)
		}
		fmt.Println(strings.Join(names, " "))
	}
	show()
	if err := e.AddTags(ctx, []string{"vip"}, []string{users[2].ID}); err != nil {
		log.Fatal(err)
	}
	show()
	segs, _ := e.ListSegments(ctx)
	fmt.Println(segs[0].Name, "has", segs[0].Members, "members")
	// Output:
	// ann bob
	// ann bob cid
	// Gold or VIP has 3 members
}

// What did visitors ask that the bot could not answer? Fallback queries
// are counted per day, lower-cased with their spaces collapsed.
func ExampleEngine_FallbackQueries() {
	e, done := operatorEngine()
	defer done()
	ctx := context.Background()
	for i, q := range []string{"Refund?", "where is my  parcel", " refund? ", "REFUND?"} {
		_, err := e.Chat(ctx, engine.Request{SessionID: fmt.Sprintf("visitor-%02d", i), Query: q})
		if err != nil {
			log.Fatal(err)
		}
	}
	now := time.Now()
	top, err := e.FallbackQueries(ctx, now, now, 10)
	if err != nil {
		log.Fatal(err)
	}
	for _, q := range top {
		fmt.Printf("%d× %s\n", q.Count, q.Text)
	}
	// Output:
	// 3× refund?
	// 1× where is my parcel
}

// A goal action counts a goal each time its response is given; the
// statistics count it per day, and CountGoals over a period.
func ExampleEngine_CountGoals() {
	e, done := operatorEngine(`
stories:
  - name: Shop
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hi!"}]}
      - name: Buy
        says: [I want to buy a coffee]
        responses: [{text: "It is on its way."}, {goal: purchase}]
      - name: Demo
        says: [book a demo]
        responses: [{text: "Booked."}, {goal: demo}]
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
`)
	defer done()
	ctx := context.Background()
	for _, q := range []string{"I want to buy a coffee", "buy a coffee please", "hello"} {
		if _, err := e.Chat(ctx, engine.Request{SessionID: "session-goals", Query: q}); err != nil {
			log.Fatal(err)
		}
	}
	now := time.Now()
	goals, err := e.CountGoals(ctx, now, now, "")
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range goals.Goals {
		fmt.Printf("%s: %d\n", g.Name, g.Reached)
	}
	fmt.Println("reached:", goals.Reached)
	// Output:
	// demo: 0
	// purchase: 2
	// reached: 2
}

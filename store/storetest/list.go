package storetest

import (
	"slices"
	"sync"
	"time"

	"github.com/parleybot/parley/store"
)

// makeUsers creates n users a minute apart and returns their ids, oldest
// first.
func (e *env) makeUsers(n int, attrs func(i int) map[string]string) []string {
	e.Helper()
	var out []string
	for i := range n {
		var a map[string]string
		if attrs != nil {
			a = attrs(i)
		}
		out = append(out, e.user("", a).ID)
		e.clk.Advance(time.Minute)
	}
	return out
}

func testListUsersSort(e *env) {
	users := e.makeUsers(7, nil)
	newest := slices.Clone(users)
	slices.Reverse(newest)

	p, err := e.s.ListUsers(ctx, store.UserQuery{})
	if e.noErr("ListUsers default", err) {
		e.equal("default order (createdAt desc)", ids(p.Users), newest)
	}
	e.equal("pages of 3, desc", e.listAll(store.UserQuery{Limit: 3}), newest)
	e.equal("pages of 3, asc", e.listAll(store.UserQuery{Limit: 3, Order: store.Asc}), users)
	p, err = e.s.ListUsers(ctx, store.UserQuery{Limit: 3})
	if e.noErr("ListUsers", err) {
		e.equal("Next of a full page", p.Next, newest[2])
	}

	// Users seen in a turn move to the front of the lastSeen order.
	e.chat("session-lastseen-1", users[2], "hi")
	e.clk.Advance(time.Minute)
	e.chat("session-lastseen-2", users[0], "hi")
	bySeen := []string{users[0], users[2], users[6], users[5], users[4], users[3], users[1]}
	e.equal("lastSeen desc", e.listAll(store.UserQuery{Sort: store.SortLastSeen, Limit: 2}), bySeen)
	slices.Reverse(bySeen)
	e.equal("lastSeen asc", e.listAll(store.UserQuery{Sort: store.SortLastSeen, Order: store.Asc, Limit: 4}), bySeen)
	u, err := e.s.User(ctx, users[0])
	if e.noErr("User", err) && !u.LastSeen.Equal(e.clk.Now()) {
		e.Errorf("LastSeen after a turn: got %v, want %v", u.LastSeen, e.clk.Now())
	}
}

func testListUsersFilters(e *env) {
	seg, err := e.s.CreateSegment(ctx, "vip")
	if err != nil {
		e.Fatal(err)
	}
	cities := []string{"Paris", "Berlin", "Paris", "", "Lisbon", "Paris"}
	users := e.makeUsers(len(cities), func(i int) map[string]string {
		if cities[i] == "" {
			return map[string]string{"plan": "free"}
		}
		return map[string]string{"default_city": cities[i]}
	})
	e.noErr("AddToSegments", e.s.AddToSegments(ctx, []string{seg.ID}, []string{users[1], users[4]}))
	e.noErr("SetBanned", e.s.SetBanned(ctx, users[5], true))
	mid := start.Add(3 * time.Minute) // users[3] was created at mid

	pick := func(is ...int) []string {
		var out []string
		for _, i := range is {
			out = append(out, users[i])
		}
		return out
	}
	for _, c := range []struct {
		name    string
		match   string
		filters []store.Filter
		want    []string
	}{
		{"Equals", "", []store.Filter{{Field: "attributes.default_city", Op: store.OpEquals, Value: "Paris"}}, pick(0, 2, 5)},
		{"NotEquals", "", []store.Filter{{Field: "attributes.default_city", Op: store.OpNotEquals, Value: "Paris"}}, pick(1, 3, 4)},
		{"Contains", "", []store.Filter{{Field: "attributes.default_city", Op: store.OpContains, Value: "i"}}, pick(0, 1, 2, 4, 5)},
		{"Exists", "", []store.Filter{{Field: "attributes.plan", Op: store.OpExists}}, pick(3)},
		{"CreatedBefore", "", []store.Filter{{Field: store.FieldCreatedAt, Op: store.OpBefore, Time: mid}}, pick(0, 1, 2)},
		{"CreatedAfter", "", []store.Filter{{Field: store.FieldCreatedAt, Op: store.OpAfter, Time: mid}}, pick(4, 5)},
		{"LastSeenAfter", "", []store.Filter{{Field: store.FieldLastSeen, Op: store.OpAfter, Time: mid}}, pick(4, 5)},
		{"InSegment", "", []store.Filter{{Field: store.FieldSegment, Op: store.OpEquals, Value: seg.ID}}, pick(1, 4)},
		{"NotInSegment", "", []store.Filter{{Field: store.FieldSegment, Op: store.OpNotEquals, Value: seg.ID}}, pick(0, 2, 3, 5)},
		{"Banned", "", []store.Filter{{Field: store.FieldBanned, Op: store.OpEquals, Value: "true"}}, pick(5)},
		{"NotBanned", "", []store.Filter{{Field: store.FieldBanned, Op: store.OpEquals, Value: "false"}}, pick(0, 1, 2, 3, 4)},
		{"MatchAll", store.MatchAll, []store.Filter{
			{Field: "attributes.default_city", Op: store.OpEquals, Value: "Paris"},
			{Field: store.FieldCreatedAt, Op: store.OpAfter, Time: mid},
		}, pick(5)},
		{"MatchAny", store.MatchAny, []store.Filter{
			{Field: "attributes.default_city", Op: store.OpEquals, Value: "Berlin"},
			{Field: store.FieldBanned, Op: store.OpEquals, Value: "true"},
			{Field: "attributes.plan", Op: store.OpExists},
		}, pick(1, 3, 5)},
	} {
		got := e.listAll(store.UserQuery{Limit: 2, Order: store.Asc, Match: c.match, Filters: c.filters})
		e.equal(c.name, got, c.want)
		got = e.listAll(store.UserQuery{Limit: 1, Sort: store.SortLastSeen, Order: store.Asc, Match: c.match, Filters: c.filters})
		e.equal(c.name+" by lastSeen", got, c.want)
	}
}

// testListUsersCursorStable pages through users while others are inserted:
// every user present at the start appears exactly once.
func testListUsersCursorStable(e *env) {
	before := e.makeUsers(30, nil)
	for _, order := range []string{store.Asc, store.Desc} {
		var wg sync.WaitGroup
		stop := make(chan struct{})
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := e.s.CreateUser(ctx, store.User{}); err != nil {
					e.Errorf("CreateUser: %v", err)
					return
				}
			}
		}()
		seen := map[string]int{}
		q := store.UserQuery{Limit: 4, Order: order}
		for range 1000 {
			p, err := e.s.ListUsers(ctx, q)
			if err != nil {
				e.Errorf("ListUsers: %v", err)
				break
			}
			for _, u := range p.Users {
				seen[u.ID]++
			}
			if p.Next == "" || (order == store.Asc && len(seen) > 200) {
				break
			}
			q.After = p.Next
		}
		close(stop)
		wg.Wait()
		for _, id := range before {
			if seen[id] != 1 {
				e.Errorf("order %s: user %s listed %d times, want once", order, id, seen[id])
			}
		}
		for id, n := range seen {
			if n != 1 {
				e.Errorf("order %s: user %s listed %d times", order, id, n)
			}
		}
	}
}

func testListUsersInvalid(e *env) {
	for _, c := range []struct {
		name string
		q    store.UserQuery
	}{
		{"Limit41", store.UserQuery{Limit: 41}},
		{"LimitNegative", store.UserQuery{Limit: -1}},
		{"BadAfter", store.UserQuery{After: "zz"}},
		{"BadSort", store.UserQuery{Sort: "name"}},
		{"BadOrder", store.UserQuery{Order: "up"}},
		{"BadMatch", store.UserQuery{Match: "some"}},
		{"TwentyOneFilters", store.UserQuery{Filters: make([]store.Filter, 21)}},
		{"BadField", store.UserQuery{Filters: []store.Filter{{Field: "name", Op: store.OpEquals, Value: "x"}}}},
		{"BadOp", store.UserQuery{Filters: []store.Filter{{Field: "attributes.a", Op: store.OpBefore, Value: "x"}}}},
		{"NoTime", store.UserQuery{Filters: []store.Filter{{Field: store.FieldCreatedAt, Op: store.OpBefore}}}},
		{"EmptyValue", store.UserQuery{Filters: []store.Filter{{Field: "attributes.a", Op: store.OpEquals}}}},
		{"BadBanned", store.UserQuery{Filters: []store.Filter{{Field: store.FieldBanned, Op: store.OpEquals, Value: "yes"}}}},
		{"BadSegment", store.UserQuery{Filters: []store.Filter{{Field: store.FieldSegment, Op: store.OpEquals, Value: "x"}}}},
	} {
		_, err := e.s.ListUsers(ctx, c.q)
		e.wantErr(c.name, err, store.ErrInvalid)
	}
}

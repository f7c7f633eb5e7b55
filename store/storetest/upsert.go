package storetest

import (
	"fmt"
	"slices"
	"sync"

	"github.com/parleybot/parley/store"
)

// testUpsertUsers covers UpsertUsers: creating and updating in one call,
// rows that see the earlier ones, each row all or nothing, the limits, and
// two calls about the same new users at once.
func testUpsertUsers(e *env) {
	seg, _ := e.s.CreateSegment(ctx, "Imported")
	saved, _ := e.s.CreateFilterSegment(ctx, "Saved", store.SegmentFilter{Filters: []store.Filter{{Field: store.FieldTag, Op: store.OpEquals, Value: "vip"}}})
	ann := e.user("ann", map[string]string{store.AttrEmail: "ann@example.com", "plan": "free"})
	e.user("bob", map[string]string{store.AttrEmail: "bob@example.com"})
	email := func(s string) map[string]string { return map[string]string{store.AttrEmail: s} }
	res, err := e.s.UpsertUsers(ctx, []store.UserUpsert{
		/* 0 */ {UserID: "ann", Attributes: map[string]string{"plan": "gold", "city": "Paris"}, Tags: []string{"vip"}, Segments: []string{seg.ID}},
		/* 1 */ {Attributes: map[string]string{store.AttrEmail: "BOB@example.com", "plan": "free"}, Tags: []string{"lead"}},
		/* 2 */ {UserID: "cy", Attributes: map[string]string{store.AttrEmail: "cy@example.com"}, Tags: []string{"vip"}},
		/* 3 */ {Attributes: map[string]string{store.AttrEmail: "Cy@example.com", "plan": "trial"}, Tags: []string{"lead"}},
		/* 4 */ {Attributes: email("dee@example.com"), Segments: []string{seg.ID}},
		/* 5 */ {UserID: "eve", Attributes: email("ann@example.com")},
		/* 6 */ {UserID: "fay", Segments: []string{"0123456789abcdef01234567"}},
		/* 7 */ {UserID: "fay", Segments: []string{saved.ID}},
		/* 8 */ {Attributes: map[string]string{"plan": "none"}},
		/* 9 */ {UserID: "gus", Attributes: map[string]string{"bad key": "x"}},
		/* 10 */ {UserID: "ann", Attributes: email("bob@example.com")},
		/* 11 */ {UserID: "ann", Attributes: map[string]string{store.AttrEmail: "ann2@example.com"}},
		/* 12 */ {UserID: "bob", Attributes: email("ann@example.com")},
	})
	if !e.noErr("UpsertUsers", err) || len(res) != 13 {
		e.Fatalf("results: got %v, want 13", res)
	}
	created := []bool{false, false, true, false, true, false, false, false, false, false, false, false, false}
	for i, r := range res {
		if r.Created != created[i] {
			e.Errorf("row %d: Created %v, want %v", i, r.Created, created[i])
		}
	}
	for i, want := range map[int]error{5: store.ErrConflict, 6: store.ErrNotFound, 7: store.ErrInvalid, 8: store.ErrInvalid, 9: store.ErrInvalid, 10: store.ErrConflict} {
		e.wantErr(fmt.Sprintf("row %d", i), res[i].Err, want)
		if res[i].ID != "" {
			e.Errorf("row %d: refused with an id %q", i, res[i].ID)
		}
	}
	for _, i := range []int{0, 1, 2, 3, 4, 11, 12} {
		if res[i].Err != nil || res[i].ID == "" {
			e.Errorf("row %d: got %+v, want applied", i, res[i])
		}
	}
	e.equal("ann's id", res[0].ID, ann.ID)
	e.equal("two rows, one new user", res[3].ID, res[2].ID)
	if u, err := e.s.UserByUserID(ctx, "ann"); e.noErr("ann", err) {
		e.equal("ann's attributes", u.Attributes, map[string]string{store.AttrEmail: "ann2@example.com", "plan": "gold", "city": "Paris"})
		e.equal("ann's tags", u.Tags, []string{"vip"})
		e.equal("ann's segments", u.Segments, []string{seg.ID})
	}
	if u, err := e.s.UserByEmail(ctx, "ann@example.com"); e.noErr("ann's old email, bob's now", err) {
		e.equal("ann@example.com", u.UserID, "bob")
		e.equal("bob's tags", u.Tags, []string{"lead"})
	}
	if u, err := e.s.UserByUserID(ctx, "cy"); e.noErr("cy", err) {
		e.equal("cy's attributes", u.Attributes, map[string]string{store.AttrEmail: "Cy@example.com", "plan": "trial"})
		e.equal("cy's tags", u.Tags, []string{"lead", "vip"})
	}
	if u, err := e.s.UserByEmail(ctx, "dee@example.com"); e.noErr("dee", err) {
		e.equal("dee's userId", u.UserID, "dee@example.com")
		e.equal("dee's segments", u.Segments, []string{seg.ID})
	}
	for _, id := range []string{"eve", "fay", "gus"} {
		_, err := e.s.UserByUserID(ctx, id)
		e.wantErr(id+", refused", err, store.ErrNotFound)
	}
	tags, _ := e.s.Tags(ctx)
	e.equal("tags", tags, []store.Tag{{ID: store.TagID("lead"), Name: "lead", Users: 2}, {ID: store.TagID("vip"), Name: "vip", Users: 2}})
	if segs, _ := e.s.ListSegments(ctx); len(segs) == 2 {
		e.equal("members", segs[0].Members, 2)
	}
	days, err := e.s.Stats(ctx, start, start)
	if e.noErr("Stats", err) {
		e.equal("new users", days[0].Counters.NewUsers, int64(4))
		e.equal("tagged", days[0].Counters.Tagged, int64(4))
	}

	// The same rows again change nothing and create no one.
	before := e.listAll(store.UserQuery{})
	res, err = e.s.UpsertUsers(ctx, []store.UserUpsert{{UserID: "cy", Tags: []string{"vip"}}, {Attributes: email("dee@example.com"), Segments: []string{seg.ID}}})
	if e.noErr("again", err) {
		e.equal("again, created", []bool{res[0].Created, res[1].Created}, []bool{false, false})
	}
	e.equal("users after again", e.listAll(store.UserQuery{}), before)

	// Limits.
	_, err = e.s.UpsertUsers(ctx, nil)
	e.wantErr("none", err, store.ErrInvalid)
	_, err = e.s.UpsertUsers(ctx, make([]store.UserUpsert, store.MaxUsersPerOp+1))
	e.wantErr("too many", err, store.ErrInvalid)
	many := make([]store.UserUpsert, store.MaxTagsPerUser+1)
	for i := range many {
		many[i] = store.UserUpsert{UserID: "tagged", Tags: []string{fmt.Sprintf("t%03d", i)}}
	}
	res, err = e.s.UpsertUsers(ctx, many)
	if e.noErr("101 tags", err) {
		e.wantErr("the 101st tag", res[store.MaxTagsPerUser].Err, store.ErrInvalid)
		if u, err := e.s.UserByUserID(ctx, "tagged"); e.noErr("tagged", err) {
			e.equal("tags kept", len(u.Tags), store.MaxTagsPerUser)
		}
	}

	// Two calls at once about the same new users create each once.
	rows := make([]store.UserUpsert, store.MaxUsersPerOp)
	for i := range rows {
		rows[i] = store.UserUpsert{UserID: fmt.Sprintf("race-%04d", i), Attributes: map[string]string{"n": fmt.Sprint(i)}, Tags: []string{"race"}}
	}
	var wg sync.WaitGroup
	results := make([][]store.Upserted, 2)
	for w := range results {
		wg.Go(func() {
			res, err := e.s.UpsertUsers(ctx, rows)
			if e.noErr("racing upsert", err) {
				results[w] = res
			}
		})
	}
	wg.Wait()
	n, err := e.s.CountUsers(ctx, store.UserQuery{Filters: []store.Filter{{Field: store.FieldTag, Op: store.OpEquals, Value: "race"}}})
	if e.noErr("CountUsers", err) {
		e.equal("users after the race", n[0], store.MaxUsersPerOp)
	}
	if results[0] != nil && results[1] != nil {
		for i := range rows {
			if results[0][i].Created == results[1][i].Created || results[0][i].ID != results[1][i].ID {
				e.Errorf("race row %d: %+v and %+v: want one created, the same id", i, results[0][i], results[1][i])
			}
		}
	}
	if tags, _ := e.s.Tags(ctx); len(tags) > 0 {
		i := slices.IndexFunc(tags, func(t store.Tag) bool { return t.Name == "race" })
		if i < 0 || tags[i].Users != store.MaxUsersPerOp {
			e.Errorf("race tag: got %v", tags)
		}
	}
}

// testUpsertUsersConcurrent runs batches of upserts side by side, as an
// import does, that tag their users with the same tags, add them to the
// same segment, and name some users in common: each user is created
// once, and the counts of tags and members are exact.
func testUpsertUsersConcurrent(e *env) {
	seg, err := e.s.CreateSegment(ctx, "Side by side")
	if !e.noErr("CreateSegment", err) {
		return
	}
	const workers, batches, size, common = 4, 3, 100, 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := map[string]int{} // user id → rows that created it
	for w := range workers {
		wg.Go(func() {
			for b := range batches {
				rows := make([]store.UserUpsert, 0, size+common)
				for i := range size {
					up := store.UserUpsert{UserID: fmt.Sprintf("side-%d-%d-%d", w, b, i), Tags: []string{"side", fmt.Sprintf("side-w%d", w)}, Segments: []string{seg.ID}}
					if i%10 == 0 {
						up.Attributes = map[string]string{store.AttrEmail: fmt.Sprintf("side-%d-%d-%d@example.com", w, b, i)}
					}
					rows = append(rows, up)
				}
				for i := range common {
					// In every batch of every worker, giving the email or not.
					up := store.UserUpsert{UserID: fmt.Sprintf("both-%d", i), Tags: []string{"both"}, Segments: []string{seg.ID},
						Attributes: map[string]string{"batch": fmt.Sprint(b)}}
					if (w+b)%2 == 1 {
						up.Attributes[store.AttrEmail] = fmt.Sprintf("both-%d@example.com", i)
					}
					rows = append(rows, up)
				}
				res, err := e.s.UpsertUsers(ctx, rows)
				if !e.noErr("UpsertUsers side by side", err) {
					return
				}
				mu.Lock()
				for i, r := range res {
					if r.Err != nil {
						e.Errorf("worker %d, batch %d, row %d: %v", w, b, i, r.Err)
					}
					if r.Created {
						created[r.ID]++
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for id, n := range created {
		if n != 1 {
			e.Errorf("user %s created %d times", id, n)
		}
	}
	e.equal("users created", len(created), workers*batches*size+common)
	n, err := e.s.CountUsers(ctx, store.UserQuery{}, store.UserQuery{Filters: []store.Filter{{Field: store.FieldTag, Op: store.OpEquals, Value: "both"}}})
	if e.noErr("CountUsers", err) {
		e.equal("users", n[0], workers*batches*size+common)
		e.equal("users tagged both", n[1], common)
	}
	want := map[string]int{"side": workers * batches * size, "both": common}
	for w := range workers {
		want[fmt.Sprintf("side-w%d", w)] = batches * size
	}
	got := map[string]int{}
	tags, err := e.s.Tags(ctx)
	if e.noErr("Tags", err) {
		for _, t := range tags {
			got[t.Name] = t.Users
		}
		e.equal("tags", fmt.Sprint(got), fmt.Sprint(want))
	}
	segs, err := e.s.ListSegments(ctx)
	if e.noErr("ListSegments", err) && len(segs) == 1 {
		e.equal("members", segs[0].Members, workers*batches*size+common)
	}
	days, err := e.s.Stats(ctx, e.clk.Now(), e.clk.Now())
	if e.noErr("Stats", err) && len(days) == 1 {
		e.equal("new users of the day", days[0].NewUsers, int64(workers*batches*size+common))
		e.equal("tags given that day", days[0].Tagged, int64(2*workers*batches*size+common))
	}
}

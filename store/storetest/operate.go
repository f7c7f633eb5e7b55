package storetest

import (
	"fmt"
	"strings"
	"time"

	"github.com/parleybot/parley/store"
)

// The cases of Userbot's operations: offsets, many users at once, counts,
// tags, saved filters, feedback and the counters they add.

func testListUsersOffset(e *env) {
	var all []string
	for i := range 7 {
		e.clk.Advance(time.Second)
		all = append(all, e.user(fmt.Sprintf("off-%d", i), map[string]string{"odd": fmt.Sprint(i % 2)}).ID)
	}
	for _, c := range []struct {
		name string
		q    store.UserQuery
		want []string
	}{
		{"AscOffset2", store.UserQuery{Order: store.Asc, Offset: 2, Limit: 3}, all[2:5]},
		{"DescOffset5", store.UserQuery{Offset: 5}, []string{all[1], all[0]}},
		{"PastTheEnd", store.UserQuery{Offset: 7}, nil},
		{"AfterAndOffset", store.UserQuery{Order: store.Asc, After: all[1], Offset: 1, Limit: 2}, all[3:5]},
		{"FilteredOffset", store.UserQuery{Order: store.Asc, Offset: 1, Filters: []store.Filter{{Field: "attributes.odd", Op: store.OpEquals, Value: "1"}}}, []string{all[3], all[5]}},
		{"LastSeenOffset", store.UserQuery{Sort: store.SortLastSeen, Offset: 6}, all[:1]},
	} {
		p, err := e.s.ListUsers(ctx, c.q)
		if e.noErr(c.name, err) {
			e.equal(c.name, ids(p.Users), c.want)
		}
	}
	_, err := e.s.ListUsers(ctx, store.UserQuery{Offset: -1})
	e.wantErr("negative offset", err, store.ErrInvalid)
}

func testCreateUsers(e *env) {
	seg, _ := e.s.CreateSegment(ctx, "Imported")
	users, err := e.s.CreateUsers(ctx, []store.User{
		{UserID: "bulk-1", Attributes: map[string]string{store.AttrName: "One"}, Tags: []string{"vip", "lead", "vip"}},
		{Attributes: map[string]string{store.AttrEmail: "two@example.com"}, Segments: []string{seg.ID}},
		{UserID: "bulk-3"},
	})
	if !e.noErr("CreateUsers", err) || len(users) != 3 {
		return
	}
	e.equal("userIds", []string{users[0].UserID, users[1].UserID, users[2].UserID}, []string{"bulk-1", "two@example.com", "bulk-3"})
	e.equal("tags, sorted once", users[0].Tags, []string{"lead", "vip"})
	if got, err := e.s.User(ctx, users[0].ID); e.noErr("User", err) {
		e.equal("stored tags", got.Tags, []string{"lead", "vip"})
	}
	if segs, _ := e.s.ListSegments(ctx); len(segs) == 1 {
		e.equal("segment members", segs[0].Members, 1)
	}
	tags, err := e.s.Tags(ctx)
	if e.noErr("Tags", err) {
		e.equal("tags", tags, []store.Tag{{ID: store.TagID("lead"), Name: "lead", Users: 1}, {ID: store.TagID("vip"), Name: "vip", Users: 1}})
	}

	// All or none.
	before := e.listAll(store.UserQuery{})
	for _, c := range []struct {
		name  string
		users []store.User
		want  error
		text  string
	}{
		{"TakenUserID", []store.User{{UserID: "fresh-1"}, {UserID: "bulk-3"}}, store.ErrConflict, "users[1]"},
		{"TakenEmail", []store.User{{UserID: "fresh-2"}, {UserID: "fresh-3", Attributes: map[string]string{store.AttrEmail: "TWO@example.com"}}}, store.ErrConflict, "users[1]"},
		{"TwiceInCall", []store.User{{UserID: "same"}, {UserID: "fresh-4"}, {UserID: "same"}}, store.ErrConflict, "users[2]"},
		{"EmailTwiceInCall", []store.User{{Attributes: map[string]string{store.AttrEmail: "a@b.c"}}, {UserID: "x", Attributes: map[string]string{store.AttrEmail: "A@b.c"}}}, store.ErrConflict, "users[1]"},
		{"BadAttribute", []store.User{{UserID: "fresh-5"}, {UserID: "fresh-6", Attributes: map[string]string{"bad key": "v"}}}, store.ErrInvalid, "users[1].attributes"},
		{"BadTag", []store.User{{UserID: "fresh-7", Tags: []string{" padded"}}}, store.ErrInvalid, "users[0].tags"},
		{"UnknownSegment", []store.User{{UserID: "fresh-8"}, {UserID: "fresh-9", Segments: []string{"0123456789abcdef01234567"}}}, store.ErrNotFound, "users[1]"},
		{"None", nil, store.ErrInvalid, "users"},
		{"TooMany", make([]store.User, store.MaxUsersPerOp+1), store.ErrInvalid, "users"},
	} {
		_, err := e.s.CreateUsers(ctx, c.users)
		e.wantErr(c.name, err, c.want)
		if err != nil && !strings.Contains(err.Error(), c.text) {
			e.Errorf("%s: error %q does not name %s", c.name, err, c.text)
		}
	}
	e.equal("users after failed calls", e.listAll(store.UserQuery{}), before)
	if tags, _ := e.s.Tags(ctx); len(tags) != 2 {
		e.Errorf("tags after failed calls: got %v, want lead and vip", tags)
	}

	// A thousand at once.
	many := make([]store.User, store.MaxUsersPerOp)
	for i := range many {
		many[i] = store.User{UserID: fmt.Sprintf("many-%04d", i), Attributes: map[string]string{"n": fmt.Sprint(i)}, Tags: []string{"many"}}
	}
	got, err := e.s.CreateUsers(ctx, many)
	if e.noErr("CreateUsers 1000", err) {
		e.equal("created", len(got), store.MaxUsersPerOp)
		n, err := e.s.CountUsers(ctx, store.UserQuery{Filters: []store.Filter{{Field: store.FieldTag, Op: store.OpEquals, Value: "many"}}})
		if e.noErr("CountUsers", err) {
			e.equal("count of many", n, []int{store.MaxUsersPerOp})
		}
	}
}

func testCountUsers(e *env) {
	seg, _ := e.s.CreateSegment(ctx, "S")
	for i := range 10 {
		u := e.user(fmt.Sprintf("count-%d", i), map[string]string{"i": fmt.Sprint(i), "city": []string{"Paris", "Rome"}[i%2]})
		if i < 3 {
			e.noErr("AddToSegments", e.s.AddToSegments(ctx, []string{seg.ID}, []string{u.ID}))
		}
		e.clk.Advance(time.Minute)
	}
	city := func(c string) store.Filter {
		return store.Filter{Field: "attributes.city", Op: store.OpEquals, Value: c}
	}
	counts, err := e.s.CountUsers(ctx,
		store.UserQuery{},
		store.UserQuery{Filters: []store.Filter{city("Paris")}},
		store.UserQuery{Match: store.MatchAny, Filters: []store.Filter{city("Paris"), {Field: store.FieldSegment, Op: store.OpEquals, Value: seg.ID}}},
		store.UserQuery{Filters: []store.Filter{{Field: store.FieldCreatedAt, Op: store.OpAfter, Time: start.Add(4*time.Minute + time.Second)}}},
		store.UserQuery{Limit: 1, Offset: 3}, // paging is ignored
	)
	if e.noErr("CountUsers", err) {
		e.equal("counts", counts, []int{10, 5, 6, 5, 10})
	}
	if counts, err := e.s.CountUsers(ctx); e.noErr("CountUsers of nothing", err) {
		e.equal("no queries", len(counts), 0)
	}
	_, err = e.s.CountUsers(ctx, store.UserQuery{Filters: []store.Filter{{Field: "nope", Op: store.OpEquals, Value: "x"}}})
	e.wantErr("bad filter", err, store.ErrInvalid)
}

func testTags(e *env) {
	a, b, c := e.user("tag-a", nil), e.user("tag-b", nil), e.user("tag-c", nil)
	e.noErr("AddTags", e.s.AddTags(ctx, []string{"vip", "lead"}, []string{a.ID, b.ID}))
	e.noErr("AddTags again", e.s.AddTags(ctx, []string{"vip"}, []string{a.ID, c.ID}))
	e.noErr("RemoveTags", e.s.RemoveTags(ctx, []string{"lead", "never"}, []string{b.ID, c.ID}))
	tags, err := e.s.Tags(ctx)
	if e.noErr("Tags", err) {
		e.equal("tags", tags, []store.Tag{{ID: store.TagID("lead"), Name: "lead", Users: 1}, {ID: store.TagID("vip"), Name: "vip", Users: 3}})
	}
	if u, err := e.s.User(ctx, a.ID); e.noErr("User", err) {
		e.equal("a's tags", u.Tags, []string{"lead", "vip"})
	}
	if u, err := e.s.User(ctx, b.ID); e.noErr("User", err) {
		e.equal("b's tags", u.Tags, []string{"vip"})
	}
	tag := func(op, name string) store.Filter { return store.Filter{Field: store.FieldTag, Op: op, Value: name} }
	for _, q := range []struct {
		name string
		f    []store.Filter
		want []string
	}{
		{"HasLead", []store.Filter{tag(store.OpEquals, "lead")}, []string{a.ID}},
		{"HasVipNotLead", []store.Filter{tag(store.OpEquals, "vip"), tag(store.OpNotEquals, "lead")}, []string{c.ID, b.ID}},
		{"HasUnknown", []store.Filter{tag(store.OpEquals, "Vip")}, nil},
	} {
		e.equal(q.name, e.listAll(store.UserQuery{Filters: q.f}), q.want)
	}
	// Removing the last user's tag removes the tag.
	e.noErr("RemoveTags lead", e.s.RemoveTags(ctx, []string{"lead"}, []string{a.ID}))
	if tags, _ := e.s.Tags(ctx); len(tags) != 1 || tags[0].Name != "vip" {
		e.Errorf("tags after the last lead went: got %v, want only vip", tags)
	}
	// Bad calls change nothing.
	unknown := "0123456789abcdef01234567"
	e.wantErr("unknown user", e.s.AddTags(ctx, []string{"new"}, []string{a.ID, unknown}), store.ErrNotFound)
	e.wantErr("no tags", e.s.AddTags(ctx, nil, []string{a.ID}), store.ErrInvalid)
	e.wantErr("no users", e.s.AddTags(ctx, []string{"x"}, nil), store.ErrInvalid)
	e.wantErr("empty tag", e.s.AddTags(ctx, []string{""}, []string{a.ID}), store.ErrInvalid)
	e.wantErr("long tag", e.s.AddTags(ctx, []string{strings.Repeat("t", store.MaxTag+1)}, []string{a.ID}), store.ErrInvalid)
	e.wantErr("control character", e.s.AddTags(ctx, []string{"a\nb"}, []string{a.ID}), store.ErrInvalid)
	many := make([]string, store.MaxTagsPerOp)
	for i := range many {
		many[i] = fmt.Sprintf("t%03d", i)
	}
	e.wantErr("more than 100 on one user", e.s.AddTags(ctx, many, []string{a.ID}), store.ErrInvalid)
	if tags, _ := e.s.Tags(ctx); len(tags) != 1 {
		e.Errorf("tags after bad calls: got %v, want only vip", tags)
	}
	days, err := e.s.Stats(ctx, start, start)
	if e.noErr("Stats", err) && len(days) == 1 {
		e.equal("Tagged", days[0].Tagged, 5)
	}
	// Deleting a user takes their tags away.
	e.noErr("DeleteUser", e.s.DeleteUser(ctx, b.ID))
	if tags, _ := e.s.Tags(ctx); len(tags) == 1 {
		e.equal("vip users after delete", tags[0].Users, 2)
	}
}

func testSegmentFilters(e *env) {
	explicit, _ := e.s.CreateSegment(ctx, "Explicit")
	f := store.SegmentFilter{Match: store.MatchAny, Filters: []store.Filter{
		{Field: store.FieldTag, Op: store.OpEquals, Value: "vip"},
		{Field: "attributes.city", Op: store.OpEquals, Value: "Paris"},
	}}
	saved, err := e.s.CreateFilterSegment(ctx, "VIPs or Parisians", f)
	if !e.noErr("CreateFilterSegment", err) {
		return
	}
	if saved.Filter == nil || saved.Filter.Match != store.MatchAny || len(saved.Filter.Filters) != 2 {
		e.Errorf("CreateFilterSegment: got filter %+v", saved.Filter)
	}
	segs, err := e.s.ListSegments(ctx)
	if e.noErr("ListSegments", err) && len(segs) == 2 {
		e.equal("explicit has no filter", segs[0].Filter == nil, true)
		if segs[1].Filter == nil {
			e.Errorf("saved segment listed without its filter")
		} else {
			e.equal("saved filter", *segs[1].Filter, f)
		}
	}
	f2 := store.SegmentFilter{Filters: []store.Filter{{Field: store.FieldFeedback, Op: store.OpAtLeast, Value: "1"}}}
	e.noErr("SetSegmentFilter", e.s.SetSegmentFilter(ctx, saved.ID, f2))
	segs, _ = e.s.ListSegments(ctx)
	if len(segs) == 2 && segs[1].Filter != nil {
		e.equal("match filled in", segs[1].Filter.Match, store.MatchAll)
		e.equal("filters replaced", segs[1].Filter.Filters, f2.Filters)
	}
	u := e.user("seg-user", nil)
	e.wantErr("filter on an explicit segment", e.s.SetSegmentFilter(ctx, explicit.ID, f2), store.ErrInvalid)
	e.wantErr("members of a saved filter", e.s.AddToSegments(ctx, []string{saved.ID}, []string{u.ID}), store.ErrInvalid)
	_, err = e.s.CreateUser(ctx, store.User{UserID: "into-saved", Segments: []string{saved.ID}})
	e.wantErr("created into a saved filter", err, store.ErrInvalid)
	e.wantErr("unknown segment", e.s.SetSegmentFilter(ctx, "0123456789abcdef01234567", f2), store.ErrNotFound)
	for _, c := range []struct {
		name string
		f    store.SegmentFilter
	}{
		{"NoFilters", store.SegmentFilter{}},
		{"BadMatch", store.SegmentFilter{Match: "some", Filters: f2.Filters}},
		{"BadField", store.SegmentFilter{Filters: []store.Filter{{Field: "colour", Op: store.OpEquals, Value: "x"}}}},
		{"BadFeedbackCount", store.SegmentFilter{Filters: []store.Filter{{Field: store.FieldFeedback, Op: store.OpAtLeast, Value: "-1"}}}},
		{"TooMany", store.SegmentFilter{Filters: make([]store.Filter, store.MaxSegmentFilters+1)}},
	} {
		_, err := e.s.CreateFilterSegment(ctx, "bad", c.f)
		e.wantErr(c.name, err, store.ErrInvalid)
		var fe *store.FieldError
		if errorsAs(err, &fe) && !strings.HasPrefix(fe.Field, "filter") {
			e.Errorf("%s: field %q, want one under filter", c.name, fe.Field)
		}
	}
	if segs, _ := e.s.ListSegments(ctx); len(segs) != 2 {
		e.Errorf("segments after bad calls: got %d, want 2", len(segs))
	}
	e.noErr("DeleteSegment saved", e.s.DeleteSegment(ctx, saved.ID))
	if segs, _ := e.s.ListSegments(ctx); len(segs) != 1 {
		e.Errorf("segments after delete: got %d, want 1", len(segs))
	}
}

func testFeedback(e *env) {
	u := e.user("fb", nil)
	other := e.user("fb-other", nil)
	e.chat("session-feedback", u.ID, "hello")
	th, err := e.s.Conversations(ctx, u.ID)
	if !e.noErr("Conversations", err) || len(th) != 1 {
		e.Fatalf("want one thread")
	}
	tid := th[0].ID
	r, err := e.s.AddFeedback(ctx, store.Feedback{UserID: u.ID, Kind: store.FeedbackReaction, ThreadID: tid, Seq: 2, Reaction: store.Positive})
	if !e.noErr("AddFeedback reaction", err) {
		return
	}
	if !store.ValidID(r.ID) || !r.CreatedAt.Equal(start) {
		e.Errorf("AddFeedback: got %+v, want an id and CreatedAt %v", r, start)
	}
	if msgs, err := e.s.Messages(ctx, tid, 1, 1); e.noErr("Messages", err) && len(msgs) == 1 {
		e.equal("message reaction", msgs[0].Reaction, store.Positive)
	}
	e.clk.Advance(time.Second)
	scores := []int{10, 9, 8, 3, 0}
	for _, s := range scores {
		_, err := e.s.AddFeedback(ctx, store.Feedback{UserID: u.ID, Kind: store.FeedbackNPS, Score: s, Comment: fmt.Sprint("score ", s)})
		e.noErr("AddFeedback nps", err)
		e.clk.Advance(time.Second)
	}
	_, err = e.s.AddFeedback(ctx, store.Feedback{UserID: other.ID, Kind: store.FeedbackNPS, Score: 7, ThreadID: tid})
	e.wantErr("another user's thread", err, store.ErrNotFound)
	nps, err := e.s.AddFeedback(ctx, store.Feedback{UserID: other.ID, Kind: store.FeedbackNPS, Score: 7})
	e.noErr("AddFeedback other", err)

	for _, c := range []struct {
		name string
		f    store.Feedback
		want error
	}{
		{"UnknownUser", store.Feedback{UserID: "0123456789abcdef01234567", Kind: store.FeedbackNPS, Score: 5}, store.ErrNotFound},
		{"UnknownMessage", store.Feedback{UserID: u.ID, Kind: store.FeedbackReaction, ThreadID: tid, Seq: 9, Reaction: store.Negative}, store.ErrNotFound},
		{"UnknownThread", store.Feedback{UserID: u.ID, Kind: store.FeedbackReaction, ThreadID: "0123456789abcdef01234567", Seq: 1, Reaction: store.Negative}, store.ErrNotFound},
		{"ScoreTooHigh", store.Feedback{UserID: u.ID, Kind: store.FeedbackNPS, Score: 11}, store.ErrInvalid},
		{"ScoreNegative", store.Feedback{UserID: u.ID, Kind: store.FeedbackNPS, Score: -1}, store.ErrInvalid},
		{"ReactionWithoutMessage", store.Feedback{UserID: u.ID, Kind: store.FeedbackReaction, Reaction: store.Negative}, store.ErrInvalid},
		{"BadReaction", store.Feedback{UserID: u.ID, Kind: store.FeedbackReaction, ThreadID: tid, Seq: 1, Reaction: "MEH"}, store.ErrInvalid},
		{"BadKind", store.Feedback{UserID: u.ID, Kind: "stars"}, store.ErrInvalid},
		{"LongComment", store.Feedback{UserID: u.ID, Kind: store.FeedbackNPS, Comment: strings.Repeat("c", store.MaxComment+1)}, store.ErrInvalid},
	} {
		_, err := e.s.AddFeedback(ctx, c.f)
		e.wantErr(c.name, err, c.want)
	}

	page, err := e.s.ListFeedback(ctx, store.FeedbackQuery{})
	if e.noErr("ListFeedback", err) {
		e.equal("all, newest first", len(page.Feedback), 7)
		if len(page.Feedback) == 7 {
			e.equal("newest", page.Feedback[0].ID, nps.ID)
			e.equal("oldest", page.Feedback[6].ID, r.ID)
		}
	}
	p1, err := e.s.ListFeedback(ctx, store.FeedbackQuery{UserID: u.ID, Kind: store.FeedbackNPS, Limit: 3})
	if e.noErr("ListFeedback page 1", err) {
		var got []int
		for _, f := range p1.Feedback {
			got = append(got, f.Score)
		}
		e.equal("scores, page 1", got, []int{0, 3, 8})
		p2, err := e.s.ListFeedback(ctx, store.FeedbackQuery{UserID: u.ID, Kind: store.FeedbackNPS, Limit: 3, After: p1.Next})
		if e.noErr("ListFeedback page 2", err) {
			got = got[:0]
			for _, f := range p2.Feedback {
				got = append(got, f.Score)
			}
			e.equal("scores, page 2", got, []int{9, 10})
			e.equal("last page", p2.Next, "")
		}
	}
	ranged, err := e.s.ListFeedback(ctx, store.FeedbackQuery{From: start.Add(2 * time.Second), To: start.Add(4 * time.Second)})
	if e.noErr("ListFeedback range", err) {
		e.equal("in range", len(ranged.Feedback), 2)
	}
	_, err = e.s.ListFeedback(ctx, store.FeedbackQuery{Limit: 101})
	e.wantErr("limit", err, store.ErrInvalid)

	if got, err := e.s.User(ctx, u.ID); e.noErr("User", err) {
		e.equal("user's feedback count", got.Feedback, 6)
	}
	gave := store.UserQuery{Filters: []store.Filter{{Field: store.FieldFeedback, Op: store.OpAtLeast, Value: "2"}}}
	e.equal("users with 2 or more", e.listAll(gave), []string{u.ID})

	days, err := e.s.Stats(ctx, start, start)
	if e.noErr("Stats", err) && len(days) == 1 {
		d := days[0]
		e.equal("feedback counters", []int64{d.Feedback, d.NPSNegative, d.NPSNeutral, d.NPSPositive}, []int64{7, 2, 2, 2})
	}

	e.noErr("DeleteUser", e.s.DeleteUser(ctx, u.ID))
	page, err = e.s.ListFeedback(ctx, store.FeedbackQuery{})
	if e.noErr("ListFeedback after delete", err) {
		e.equal("left", len(page.Feedback), 1)
	}
	_, err = e.s.ListFeedback(ctx, store.FeedbackQuery{UserID: u.ID})
	e.noErr("ListFeedback of a deleted user", err)
}

// testStatsActiveUsers counts a user once a day, at their first turn, and
// as returning on a day after the one they were created.
func testStatsActiveUsers(e *env) {
	a := e.user("active-a", nil)
	b := e.user("active-b", nil)
	e.chat("session-active-a", a.ID, "hi")
	e.chat("session-active-a", a.ID, "again")
	e.chat("session-active-b", b.ID, "hi")
	e.clk.Advance(time.Hour) // the next day in zone
	e.chat("session-active-a", a.ID, "back")
	e.chat("session-active-a2", a.ID, "another session")
	days, err := e.s.Stats(ctx, start, start.Add(time.Hour))
	if e.noErr("Stats", err) && len(days) == 2 {
		e.equal("day 1 active, returning", []int64{days[0].ActiveUsers, days[0].ReturningUsers}, []int64{2, 0})
		e.equal("day 2 active, returning", []int64{days[1].ActiveUsers, days[1].ReturningUsers}, []int64{1, 1})
	}
}

// testMessageCounts counts the messages each user sent, and filters users
// by them, right after the turns.
func testMessageCounts(e *env) {
	a, b := e.user("talker", nil), e.user("quiet", nil)
	for i := range 3 {
		e.chat("session-talker", a.ID, fmt.Sprint("message ", i))
	}
	e.chat("session-quiet", b.ID, "hi")
	e.update("session-talker", func(t *store.Turn) error {
		t.Append(store.Message{Type: store.BotMessage, Text: "the bot alone"})
		return nil
	})
	if u, err := e.s.User(ctx, a.ID); e.noErr("User", err) {
		e.equal("talker's messages", u.Messages, 3)
	}
	many := store.Filter{Field: store.FieldMessages, Op: store.OpAtLeast, Value: "2"}
	e.equal("users with 2 messages or more", e.listAll(store.UserQuery{Filters: []store.Filter{many}}), []string{a.ID})
	few := store.Filter{Field: store.FieldMessages, Op: store.OpAtMost, Value: "1"}
	e.equal("users with at most 1", e.listAll(store.UserQuery{Filters: []store.Filter{few}}), []string{b.ID})
	if n, err := e.s.CountUsers(ctx, store.UserQuery{Filters: []store.Filter{many}}); e.noErr("CountUsers", err) {
		e.equal("count with 2 or more", n, []int{1})
	}
	_, err := e.s.ListUsers(ctx, store.UserQuery{Filters: []store.Filter{{Field: store.FieldMessages, Op: store.OpEquals, Value: "1"}}})
	e.wantErr("equals on messages", err, store.ErrInvalid)
	// Other changes of the user keep the count.
	_, err = e.s.UpdateUser(ctx, a.ID, map[string]string{"x": "1"})
	e.noErr("UpdateUser", err)
	e.noErr("AddTags", e.s.AddTags(ctx, []string{"t"}, []string{a.ID}))
	e.chat("session-talker", a.ID, "one more")
	if u, err := e.s.User(ctx, a.ID); e.noErr("User", err) {
		e.equal("talker's messages after other changes", u.Messages, 4)
	}
}

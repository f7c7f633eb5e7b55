package engine_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
)

// fieldOf returns the field of a *store.FieldError, or "".
func fieldOf(err error) string {
	var fe *store.FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}

func TestSavedSegments(t *testing.T) {
	ctx := context.Background()
	e, _ := newCoffee(t)
	var ids []string
	for i := range 6 {
		u, err := e.CreateUser(ctx, store.User{UserID: fmt.Sprint("u", i), Attributes: map[string]string{"city": []string{"Paris", "Rome", "Oslo"}[i%3]}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	if err := e.AddTags(ctx, []string{"vip"}, ids[:2]); err != nil {
		t.Fatal(err)
	}
	explicit, _ := e.CreateSegment(ctx, "Hand-picked")
	if err := e.AddToSegments(ctx, []string{explicit.ID}, ids[4:]); err != nil {
		t.Fatal(err)
	}
	paris := store.Filter{Field: "attributes.city", Op: store.OpEquals, Value: "Paris"}
	vip := store.Filter{Field: store.FieldTag, Op: store.OpEquals, Value: "vip"}
	saved, err := e.CreateFilterSegment(ctx, "VIP or Paris", store.SegmentFilter{Match: store.MatchAny, Filters: []store.Filter{vip, paris}})
	if err != nil {
		t.Fatal(err)
	}
	segs, err := e.ListSegments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := []int{segs[0].Members, segs[1].Members}; !slices.Equal(got, []int{2, 3}) {
		t.Errorf("members: got %v, want [2 3] (explicit, then counted)", got)
	}
	member := store.Filter{Field: store.FieldSegment, Op: store.OpEquals, Value: saved.ID}
	page, err := e.FindUsers(ctx, store.UserQuery{Order: store.Asc, Filters: []store.Filter{member}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := userIDs(page.Users), []string{ids[0], ids[1], ids[3]}; !slices.Equal(got, want) {
		t.Errorf("members of the saved filter: got %v, want %v", got, want)
	}
	q, err := e.SegmentQuery(ctx, saved.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := e.CountUsers(ctx, q); err != nil || n != 3 {
		t.Errorf("CountUsers(SegmentQuery): got %d, %v; want 3", n, err)
	}
	q.Limit, q.Offset, q.Order = 1, 1, store.Asc
	if page, err := e.FindUsers(ctx, q); err != nil || len(page.Users) != 1 || page.Users[0].ID != ids[1] {
		t.Errorf("second member by offset: got %v, %v", page.Users, err)
	}

	for _, c := range []struct {
		name  string
		call  func() error
		field string
	}{
		{"NotEqualsSaved", func() error {
			_, err := e.FindUsers(ctx, store.UserQuery{Filters: []store.Filter{{Field: store.FieldSegment, Op: store.OpNotEquals, Value: saved.ID}}})
			return err
		}, "filters[0].op"},
		{"MatchDiffers", func() error {
			_, err := e.FindUsers(ctx, store.UserQuery{Filters: []store.Filter{member, paris}})
			return err
		}, "filters[0].value"},
		{"SixFiltersInChatAPI", func() error {
			_, err := e.ListUsers(ctx, store.UserQuery{Filters: []store.Filter{paris, paris, paris, paris, paris, paris}})
			return err
		}, "filters"},
		{"FilterNamesSavedSegment", func() error {
			_, err := e.CreateFilterSegment(ctx, "nested", store.SegmentFilter{Filters: []store.Filter{member}})
			return err
		}, "filter.filters[0].value"},
		{"FilterOnExplicit", func() error {
			return e.EditSegment(ctx, explicit.ID, engine.SegmentEdit{Filter: &store.SegmentFilter{Filters: []store.Filter{paris}}})
		}, "filter"},
		{"EditNothing", func() error { return e.EditSegment(ctx, saved.ID, engine.SegmentEdit{}) }, "name"},
		{"DeleteNone", func() error { _, err := e.DeleteSegments(ctx, nil); return err }, "segments"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.call(); fieldOf(err) != c.field {
				t.Errorf("got %v, want a field error on %s", err, c.field)
			}
		})
	}
	// With match any on both sides, the saved filter's conditions stand
	// beside the query's.
	page, err = e.FindUsers(ctx, store.UserQuery{Match: store.MatchAny, Order: store.Asc, Filters: []store.Filter{member, {Field: "attributes.city", Op: store.OpEquals, Value: "Oslo"}}})
	if err != nil || len(page.Users) != 5 {
		t.Errorf("saved filter or Oslo: got %d users, %v; want 5", len(page.Users), err)
	}

	name := "Rome"
	if err := e.EditSegment(ctx, saved.ID, engine.SegmentEdit{Name: &name, Filter: &store.SegmentFilter{Filters: []store.Filter{{Field: "attributes.city", Op: store.OpEquals, Value: "Rome"}}}}); err != nil {
		t.Fatal(err)
	}
	segs, _ = e.ListSegments(ctx)
	if segs[1].Name != "Rome" || segs[1].Members != 2 {
		t.Errorf("edited segment: got %q with %d members, want Rome with 2", segs[1].Name, segs[1].Members)
	}
	n, err := e.DeleteSegments(ctx, []string{saved.ID, explicit.ID, "0123456789abcdef01234567"})
	if err != nil || n != 2 {
		t.Errorf("DeleteSegments: got %d, %v; want 2", n, err)
	}
}

func userIDs(users []store.User) []string {
	var out []string
	for _, u := range users {
		out = append(out, u.ID)
	}
	return out
}

func TestCreateAndDeleteUsers(t *testing.T) {
	ctx := context.Background()
	e, _ := newCoffee(t)
	_, err := e.CreateUsers(ctx, []store.User{{UserID: "a"}, {}})
	if f := fieldOf(err); f != "users[1]" {
		t.Errorf("a user without userId or attributes: got %v", err)
	}
	_, err = e.CreateUsers(ctx, []store.User{{UserID: "a"}, {UserID: "b", Attributes: map[string]string{"x y": "1"}}})
	if f := fieldOf(err); f != "users[1].attributes" {
		t.Errorf("a bad attribute: got %v", err)
	}
	users, err := e.CreateUsers(ctx, []store.User{{UserID: "a"}, {UserID: "b", Tags: []string{"new"}}, {UserID: "c"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Chat(ctx, engine.Request{SessionID: "session-of-a", UserID: "a", Query: "hello"}); err != nil {
		t.Fatal(err)
	}
	n, err := e.DeleteUsers(ctx, []string{users[0].ID, users[1].ID, users[1].ID, "0123456789abcdef01234567"})
	if err != nil || n != 2 {
		t.Errorf("DeleteUsers: got %d, %v; want 2", n, err)
	}
	if _, err := e.Session(ctx, "session-of-a"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session of a deleted user: got %v, want ErrNotFound", err)
	}
	if tags, _ := e.Tags(ctx); len(tags) != 0 {
		t.Errorf("tags of deleted users: got %v, want none", tags)
	}
	page, _ := e.FindUsers(ctx, store.UserQuery{})
	if got := userIDs(page.Users); !slices.Equal(got, []string{users[2].ID}) {
		t.Errorf("users left: got %v, want only c", got)
	}
	if _, err := e.DeleteUsers(ctx, []string{"nope"}); fieldOf(err) != "users" {
		t.Errorf("a bad id: got %v", err)
	}
}

func TestVariables(t *testing.T) {
	ctx := context.Background()
	e, _ := newCoffee(t)
	vars := e.BotVariables()
	byName := map[string]engine.BotVariable{}
	for _, v := range vars {
		byName[v.Name] = v
	}
	for name, scope := range map[string]string{"default_name": "user", "machine_state": "user", "drink": "session"} {
		if got := byName[name]; got.Scope != scope || got.ID != engine.VariableID(name) {
			t.Errorf("bot variable %s: got %+v, want scope %s and its id", name, got, scope)
		}
	}
	u, err := e.CreateUser(ctx, store.User{UserID: "v", Attributes: map[string]string{"default_name": "Ann", "plan": "gold"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.UserVariables(ctx, u.ID)
	want := []engine.Variable{{ID: engine.VariableID("default_name"), Name: "default_name", Value: "Ann"}, {ID: engine.VariableID("plan"), Name: "plan", Value: "gold"}}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("UserVariables: got %v, %v; want %v", got, err, want)
	}
	if v, err := e.SetVariable(ctx, u.ID, engine.VariableSet{ID: engine.VariableID("plan"), Value: "silver"}); err != nil || v.Value != "silver" || v.Name != "plan" {
		t.Errorf("set by id: got %+v, %v", v, err)
	}
	if v, err := e.SetVariable(ctx, u.ID, engine.VariableSet{ID: engine.VariableID("machine_state"), Value: "idle"}); err != nil || v.Name != "machine_state" {
		t.Errorf("set a bot variable by id: got %+v, %v", v, err)
	}
	if _, err := e.SetVariable(ctx, u.ID, engine.VariableSet{Name: "color", Value: "red"}); err != nil {
		t.Errorf("create by name: %v", err)
	}
	for _, c := range []struct {
		name  string
		set   engine.VariableSet
		field string
		err   error
	}{
		{"UnknownID", engine.VariableSet{ID: "0123456789abcdef01234567", Value: "x"}, "", store.ErrNotFound},
		{"NoIDNoName", engine.VariableSet{Value: "x"}, "name", store.ErrInvalid},
		{"BadName", engine.VariableSet{Name: "a b", Value: "x"}, "name", store.ErrInvalid},
		{"EmptyValue", engine.VariableSet{Name: "a", Value: ""}, "value", store.ErrInvalid},
		{"LongValue", engine.VariableSet{Name: "a", Value: string(make([]byte, 1025))}, "value", store.ErrInvalid},
	} {
		_, err := e.SetVariable(ctx, u.ID, c.set)
		if !errors.Is(err, c.err) || fieldOf(err) != c.field {
			t.Errorf("%s: got %v, want %v on %q", c.name, err, c.err, c.field)
		}
	}
	n, err := e.RemoveVariable(ctx, engine.VariableID("color"), []string{u.ID, "0123456789abcdef01234567"})
	if err != nil || n != 1 {
		t.Errorf("RemoveVariable by id: got %d, %v", n, err)
	}
	if n, _ := e.RemoveVariable(ctx, "plan", []string{u.ID}); n != 1 {
		t.Errorf("RemoveVariable by name: got %d", n)
	}
	got, _ = e.UserVariables(ctx, u.ID)
	if len(got) != 2 || got[0].Name != "default_name" || got[1].Name != "machine_state" {
		t.Errorf("variables left: got %v", got)
	}
}

func TestFeedbackAndInsights(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	db := openMemory(t, badgerstore.WithClock(clock), badgerstore.WithLocation(time.UTC))
	e, err := engine.New(db, loadFile(t, "../examples/coffee/bot.yaml"), engine.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := e.CreateUser(ctx, store.User{UserID: "a", Attributes: map[string]string{"x": "1"}})
	b, _ := e.CreateUser(ctx, store.User{UserID: "b", Attributes: map[string]string{"x": "1"}})
	e.Chat(ctx, engine.Request{SessionID: "session-aaaa", UserID: "a", Query: "hello"})
	now = now.Add(24 * time.Hour)
	e.Chat(ctx, engine.Request{SessionID: "session-aaaa", UserID: "a", Query: "prices"})
	e.Chat(ctx, engine.Request{SessionID: "session-bbbb", UserID: "b", Query: "hello"})
	for _, s := range []int{10, 9, 7, 2} {
		if _, err := e.AddFeedback(ctx, store.Feedback{UserID: a.ID, Kind: store.FeedbackNPS, Score: s}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.AddFeedback(ctx, store.Feedback{UserID: b.ID, Kind: store.FeedbackNPS, Score: 12}); fieldOf(err) != "score" {
		t.Errorf("score 12: got %v", err)
	}
	nps, err := e.CountNPS(ctx, now.Add(-48*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if nps.Positive != 2 || nps.Neutral != 1 || nps.Negative != 1 || nps.Score != 25 {
		t.Errorf("CountNPS: got %+v, want 2 positive, 1 neutral, 1 negative, score 25", nps)
	}
	page, err := e.ListFeedback(ctx, store.FeedbackQuery{UserID: a.ID, Limit: 2})
	if err != nil || len(page.Feedback) != 2 || page.Feedback[0].Score != 2 || page.Next == "" {
		t.Errorf("ListFeedback: got %+v, %v", page, err)
	}
	in, err := e.Insights(ctx, now.Add(-24*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	want := []engine.InsightsDay{{Date: "2026-05-01", New: 2, Active: 1}, {Date: "2026-05-02", Active: 2, Returning: 2}}
	// Over the two days: both users, each once, neither returning (both
	// were created in the range); day by day, one returned on the second.
	if !slices.Equal(in.Days, want) || in.New != 2 || in.Active != 2 || in.Returning != 0 {
		t.Errorf("Insights: got %+v, want 2 new, 2 active, 0 returning, days %+v", in, want)
	}
	if in, err := e.Insights(ctx, now, now); err != nil || in.New != 0 || in.Active != 2 || in.Returning != 2 {
		t.Errorf("Insights of the second day: got %+v, %v; want 0 new, 2 active, 2 returning", in, err)
	}
	if _, err := e.Insights(ctx, now, now.Add(-time.Hour)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("to before from: got %v", err)
	}
}

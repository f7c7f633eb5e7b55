package storetest

import (
	"strings"

	"github.com/parleybot/parley/store"
)

func testSegments(e *env) {
	a, err := e.s.CreateSegment(ctx, "Leads")
	if !e.noErr("CreateSegment", err) {
		return
	}
	if !store.ValidID(a.ID) || a.Name != "Leads" || !a.CreatedAt.Equal(start) {
		e.Errorf("CreateSegment: got %+v", a)
	}
	b, _ := e.s.CreateSegment(ctx, "Customers")
	e.noErr("RenameSegment", e.s.RenameSegment(ctx, a.ID, "Hot leads"))
	segs, err := e.s.ListSegments(ctx)
	if e.noErr("ListSegments", err) && len(segs) == 2 {
		e.equal("names, oldest first", []string{segs[0].Name, segs[1].Name}, []string{"Hot leads", "Customers"})
	}
	_, err = e.s.CreateSegment(ctx, "")
	e.wantErr("empty name", err, store.ErrInvalid)
	_, err = e.s.CreateSegment(ctx, strings.Repeat("s", 257))
	e.wantErr("long name", err, store.ErrInvalid)
	e.wantErr("rename unknown", e.s.RenameSegment(ctx, "0123456789abcdef01234567", "x"), store.ErrNotFound)
	e.wantErr("rename to empty", e.s.RenameSegment(ctx, a.ID, ""), store.ErrInvalid)

	u := e.user("member", nil)
	e.noErr("AddToSegments", e.s.AddToSegments(ctx, []string{a.ID, b.ID}, []string{u.ID}))
	e.noErr("DeleteSegment", e.s.DeleteSegment(ctx, a.ID))
	segs, _ = e.s.ListSegments(ctx)
	if len(segs) != 1 || segs[0].ID != b.ID {
		e.Errorf("segments after delete: got %v, want only %s", segs, b.ID)
	}
	if got, err := e.s.User(ctx, u.ID); e.noErr("User", err) {
		e.equal("member's segments after delete", got.Segments, []string{b.ID})
	}
	e.wantErr("delete again", e.s.DeleteSegment(ctx, a.ID), store.ErrNotFound)
}

func testSegmentMembers(e *env) {
	s1, _ := e.s.CreateSegment(ctx, "one")
	s2, _ := e.s.CreateSegment(ctx, "two")
	var users []string
	for i := range 5 {
		users = append(users, e.user(strings.Repeat("u", i+1), nil).ID)
	}
	e.noErr("AddToSegments", e.s.AddToSegments(ctx, []string{s1.ID, s2.ID}, users[:3]))
	e.noErr("AddToSegments again", e.s.AddToSegments(ctx, []string{s1.ID}, users[:4]))
	e.noErr("RemoveFromSegments", e.s.RemoveFromSegments(ctx, []string{s2.ID}, []string{users[0], users[4]}))
	counts := map[string]int{}
	segs, _ := e.s.ListSegments(ctx)
	for _, s := range segs {
		counts[s.ID] = s.Members
	}
	e.equal("members of one", counts[s1.ID], 4)
	e.equal("members of two", counts[s2.ID], 2)
	if u, err := e.s.User(ctx, users[1]); e.noErr("User", err) {
		if !u.InSegment(s1.ID) || !u.InSegment(s2.ID) || len(u.Segments) != 2 {
			e.Errorf("user[1].Segments: got %v, want both", u.Segments)
		}
	}
	if u, err := e.s.User(ctx, users[0]); e.noErr("User", err) {
		e.equal("user[0].Segments", u.Segments, []string{s1.ID})
	}
	// An unknown id changes nothing.
	err := e.s.AddToSegments(ctx, []string{s2.ID}, []string{users[4], "0123456789abcdef01234567"})
	e.wantErr("unknown user", err, store.ErrNotFound)
	err = e.s.AddToSegments(ctx, []string{s2.ID, "0123456789abcdef01234567"}, []string{users[4]})
	e.wantErr("unknown segment", err, store.ErrNotFound)
	if u, _ := e.s.User(ctx, users[4]); len(u.Segments) != 0 {
		e.Errorf("user[4].Segments after failed adds: got %v, want none", u.Segments)
	}
	v := e.user("with-segments", nil)
	w, err := e.s.CreateUser(ctx, store.User{UserID: "created-in", Segments: []string{s2.ID}})
	if e.noErr("CreateUser with segments", err) {
		e.equal("Segments", w.Segments, []string{s2.ID})
	}
	_ = v
	segs, _ = e.s.ListSegments(ctx)
	for _, s := range segs {
		if s.ID == s2.ID {
			e.equal("members of two after CreateUser", s.Members, 3)
		}
	}
}

func testSegmentMembersLimits(e *env) {
	s, _ := e.s.CreateSegment(ctx, "big")
	var users []string
	for range 1000 {
		u, err := e.s.CreateUser(ctx, store.User{})
		if err != nil {
			e.Fatal(err)
		}
		users = append(users, u.ID)
	}
	e.noErr("1,000 users at once", e.s.AddToSegments(ctx, []string{s.ID}, users))
	segs, _ := e.s.ListSegments(ctx)
	e.equal("members", segs[0].Members, 1000)
	e.wantErr("1,001 users", e.s.AddToSegments(ctx, []string{s.ID}, append(users, users[0])), store.ErrInvalid)
	many := make([]string, 101)
	for i := range many {
		many[i] = s.ID
	}
	e.wantErr("101 segments", e.s.AddToSegments(ctx, many, users[:1]), store.ErrInvalid)
	e.wantErr("no users", e.s.RemoveFromSegments(ctx, []string{s.ID}, nil), store.ErrInvalid)
	e.noErr("remove all", e.s.RemoveFromSegments(ctx, []string{s.ID}, users))
	segs, _ = e.s.ListSegments(ctx)
	e.equal("members after removal", segs[0].Members, 0)
}

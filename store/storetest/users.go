package storetest

import (
	"context"
	"errors"
	"strings"

	"github.com/parleybot/parley/store"
)

func testCreateUser(e *env) {
	u := e.user("joe-1", map[string]string{"default_name": "Joe", "plan": "gold"})
	if !store.ValidID(u.ID) {
		e.Errorf("ID: got %q, want 24 hex digits", u.ID)
	}
	e.equal("UserID", u.UserID, "joe-1")
	e.equal("Attributes", u.Attributes, map[string]string{"default_name": "Joe", "plan": "gold"})
	if !u.CreatedAt.Equal(start) || !u.LastSeen.Equal(start) {
		e.Errorf("CreatedAt, LastSeen: got %v, %v, want %v", u.CreatedAt, u.LastSeen, start)
	}
	e.equal("Conversations", u.Conversations, 0)
	got, err := e.s.User(ctx, u.ID)
	if e.noErr("User", err) {
		e.equal("User().UserID", got.UserID, "joe-1")
		e.equal("User().Attributes", got.Attributes, u.Attributes)
		if !got.CreatedAt.Equal(start) {
			e.Errorf("User().CreatedAt: got %v, want %v", got.CreatedAt, start)
		}
	}
	e.clk.Advance(1)
	v := e.user("", nil)
	if v.ID <= u.ID {
		e.Errorf("ids: got %q after %q, want ids in creation order", v.ID, u.ID)
	}
	days, err := e.s.Stats(ctx, start, start)
	if e.noErr("Stats", err) && len(days) == 1 {
		e.equal("Stats NewUsers", days[0].NewUsers, 2)
	}
}

func testCreateUserIdentity(e *env) {
	u := e.user("", map[string]string{store.AttrEmail: "Ann@Example.com"})
	e.equal("UserID from email", u.UserID, "Ann@Example.com")
	v := e.user("", nil)
	if len(v.UserID) != 36 || strings.Count(v.UserID, "-") != 4 {
		e.Errorf("UserID: got %q, want a UUID", v.UserID)
	}
	w := e.user("", nil)
	if w.UserID == v.UserID {
		e.Errorf("two generated UserIDs are both %q", v.UserID)
	}
}

func testCreateUserConflict(e *env) {
	e.user("joe", map[string]string{store.AttrEmail: "joe@example.com"})
	_, err := e.s.CreateUser(ctx, store.User{UserID: "joe"})
	e.wantErr("same userId", err, store.ErrConflict)
	_, err = e.s.CreateUser(ctx, store.User{UserID: "joe2", Attributes: map[string]string{store.AttrEmail: "JOE@example.com"}})
	e.wantErr("same email, other case", err, store.ErrConflict)
	_, err = e.s.CreateUser(ctx, store.User{Attributes: map[string]string{store.AttrEmail: "joe@example.com"}})
	e.wantErr("email as identity", err, store.ErrConflict)
	e.equal("users after conflicts", len(e.listAll(store.UserQuery{})), 1)
}

func testCreateUserInvalid(e *env) {
	many := map[string]string{}
	for i := range 100 {
		many["k"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26))] = "v"
	}
	for _, c := range []struct {
		name string
		u    store.User
	}{
		{"LongUserID", store.User{UserID: strings.Repeat("a", 257)}},
		{"BadKey", store.User{Attributes: map[string]string{"no spaces": "x"}}},
		{"LongKey", store.User{Attributes: map[string]string{strings.Repeat("k", 129): "x"}}},
		{"EmptyValue", store.User{Attributes: map[string]string{"k": ""}}},
		{"LongValue", store.User{Attributes: map[string]string{"k": strings.Repeat("é", 1025)}}},
		{"LongName", store.User{Attributes: map[string]string{store.AttrName: strings.Repeat("n", 257)}}},
		{"TooMany", store.User{Attributes: many}},
		{"BadSegment", store.User{Segments: []string{"nope"}}},
	} {
		_, err := e.s.CreateUser(ctx, c.u)
		e.wantErr(c.name, err, store.ErrInvalid)
	}
	_, err := e.s.CreateUser(ctx, store.User{UserID: "x", Segments: []string{"0123456789abcdef01234567"}})
	e.wantErr("unknown segment", err, store.ErrNotFound)
	ok := map[string]string{store.AttrName: strings.Repeat("n", 256), "k": strings.Repeat("é", 1024)}
	if _, err := e.s.CreateUser(ctx, store.User{UserID: strings.Repeat("é", 256), Attributes: ok}); err != nil {
		e.Errorf("values at the limits: %v", err)
	}
	e.equal("users stored", len(e.listAll(store.UserQuery{})), 1)
}

func testGetUser(e *env) {
	u := e.user("u-1", map[string]string{store.AttrEmail: "a@b.c"})
	for name, get := range map[string]func() (store.User, error){
		"User":         func() (store.User, error) { return e.s.User(ctx, u.ID) },
		"UserByUserID": func() (store.User, error) { return e.s.UserByUserID(ctx, "u-1") },
		"UserByEmail":  func() (store.User, error) { return e.s.UserByEmail(ctx, "A@B.C") },
	} {
		got, err := get()
		if e.noErr(name, err) {
			e.equal(name, got.ID, u.ID)
		}
	}
	_, err := e.s.User(ctx, "0123456789abcdef01234567")
	e.wantErr("unknown id", err, store.ErrNotFound)
	_, err = e.s.User(ctx, "xyz")
	e.wantErr("bad id", err, store.ErrInvalid)
	_, err = e.s.UserByUserID(ctx, "nobody")
	e.wantErr("unknown userId", err, store.ErrNotFound)
	_, err = e.s.UserByEmail(ctx, "x@y.z")
	e.wantErr("unknown email", err, store.ErrNotFound)
}

func testUpdateUser(e *env) {
	u := e.user("u", map[string]string{"a": "1", "b": "2", store.AttrEmail: "old@x.y"})
	e.user("other", map[string]string{store.AttrEmail: "taken@x.y"})
	got, err := e.s.UpdateUser(ctx, u.ID, map[string]string{"a": "10", "b": "", "c": "3", store.AttrEmail: "new@x.y"})
	if e.noErr("UpdateUser", err) {
		e.equal("merged attributes", got.Attributes, map[string]string{"a": "10", "c": "3", store.AttrEmail: "new@x.y"})
	}
	got, err = e.s.User(ctx, u.ID)
	if e.noErr("User", err) {
		e.equal("stored attributes", sortedKeys(got.Attributes), []string{"a", "c", store.AttrEmail})
	}
	_, err = e.s.UserByEmail(ctx, "old@x.y")
	e.wantErr("old email", err, store.ErrNotFound)
	if got, err := e.s.UserByEmail(ctx, "new@x.y"); e.noErr("new email", err) {
		e.equal("new email", got.ID, u.ID)
	}
	_, err = e.s.UpdateUser(ctx, u.ID, map[string]string{store.AttrEmail: "taken@x.y"})
	e.wantErr("email in use", err, store.ErrConflict)
	_, err = e.s.UpdateUser(ctx, u.ID, map[string]string{"bad key": "x"})
	e.wantErr("bad key", err, store.ErrInvalid)
	_, err = e.s.UpdateUser(ctx, u.ID, nil)
	e.wantErr("empty update", err, store.ErrInvalid)
	_, err = e.s.UpdateUser(ctx, "0123456789abcdef01234567", map[string]string{"a": "1"})
	e.wantErr("unknown user", err, store.ErrNotFound)
	_, err = e.s.UpdateUser(ctx, u.ID, map[string]string{"a": "", "c": "", store.AttrEmail: ""})
	e.wantErr("removing every attribute", err, store.ErrInvalid)
	got, _ = e.s.User(ctx, u.ID)
	e.equal("attributes after bad updates", got.Attributes, map[string]string{"a": "10", "c": "3", store.AttrEmail: "new@x.y"})
}

func testSetBanned(e *env) {
	u := e.user("u", nil)
	e.noErr("ban", e.s.SetBanned(ctx, u.ID, true))
	if got, err := e.s.User(ctx, u.ID); e.noErr("User", err) && !got.Banned {
		e.Errorf("Banned: got false after ban")
	}
	e.noErr("unban", e.s.SetBanned(ctx, u.ID, false))
	if got, err := e.s.User(ctx, u.ID); e.noErr("User", err) && got.Banned {
		e.Errorf("Banned: got true after unban")
	}
	e.wantErr("unknown user", e.s.SetBanned(ctx, "0123456789abcdef01234567", true), store.ErrNotFound)
}

func testDeleteUser(e *env) {
	seg, err := e.s.CreateSegment(ctx, "Leads")
	if err != nil {
		e.Fatal(err)
	}
	u := e.user("gone", map[string]string{store.AttrEmail: "gone@x.y"})
	keep := e.user("kept", nil)
	e.noErr("AddToSegments", e.s.AddToSegments(ctx, []string{seg.ID}, []string{u.ID, keep.ID}))
	e.chat("session-of-gone", u.ID, "hello")
	e.chat("session-of-gone", u.ID, "again")
	e.update("session-of-gone", func(t *store.Turn) error { t.StartThread(); return nil })
	e.chat("session-of-kept", keep.ID, "hi")
	threads, err := e.s.Conversations(ctx, u.ID)
	if !e.noErr("Conversations", err) || len(threads) != 2 {
		e.Fatalf("Conversations before delete: got %d threads, want 2", len(threads))
	}

	e.noErr("DeleteUser", e.s.DeleteUser(ctx, u.ID))

	_, err = e.s.User(ctx, u.ID)
	e.wantErr("User after delete", err, store.ErrNotFound)
	_, err = e.s.UserByUserID(ctx, "gone")
	e.wantErr("UserByUserID after delete", err, store.ErrNotFound)
	_, err = e.s.UserByEmail(ctx, "gone@x.y")
	e.wantErr("UserByEmail after delete", err, store.ErrNotFound)
	_, err = e.s.Session(ctx, "session-of-gone")
	e.wantErr("Session after delete", err, store.ErrNotFound)
	for _, th := range threads {
		_, err = e.s.Thread(ctx, th.ID)
		e.wantErr("Thread after delete", err, store.ErrNotFound)
		_, err = e.s.Messages(ctx, th.ID, 0, 10)
		e.wantErr("Messages after delete", err, store.ErrNotFound)
	}
	// The session id may talk again: it starts afresh, without the
	// deleted user's threads.
	e.chat("session-of-gone", "", "anyone there?")
	e.update("session-of-gone", func(t *store.Turn) error {
		if t.User != nil || t.Thread == nil || t.Thread.Messages != 2 {
			e.Errorf("turn after delete: User %v, Thread %+v; want no user and a new thread of 2 messages", t.User, t.Thread)
		}
		return nil
	})
	for _, th := range threads {
		_, err = e.s.Thread(ctx, th.ID)
		e.wantErr("Thread after a later turn", err, store.ErrNotFound)
		_, err = e.s.Messages(ctx, th.ID, 0, 10)
		e.wantErr("Messages after a later turn", err, store.ErrNotFound)
	}
	e.equal("users listed", e.listAll(store.UserQuery{}), []string{keep.ID})
	e.equal("users listed by lastSeen", e.listAll(store.UserQuery{Sort: store.SortLastSeen}), []string{keep.ID})
	_, err = e.s.ListUsers(ctx, store.UserQuery{Sort: store.SortLastSeen, After: u.ID})
	e.wantErr("lastSeen page after the deleted user", err, store.ErrNotFound)
	segs, err := e.s.ListSegments(ctx)
	if e.noErr("ListSegments", err) && len(segs) == 1 {
		e.equal("segment members", segs[0].Members, 1)
	}
	if _, err := e.s.Session(ctx, "session-of-kept"); err != nil {
		e.Errorf("other user's session: %v", err)
	}
	// The identity is free again.
	if _, err := e.s.CreateUser(ctx, store.User{UserID: "gone", Attributes: map[string]string{store.AttrEmail: "gone@x.y"}}); err != nil {
		e.Errorf("CreateUser with a deleted user's identity: %v", err)
	}
	e.wantErr("DeleteUser again", e.s.DeleteUser(ctx, u.ID), store.ErrNotFound)
}

// testCanceled checks that a canceled context stops calls before they
// change anything, and that its error passes through unchanged.
func testCanceled(e *env) {
	u := e.user("u", nil)
	c, cancel := context.WithCancel(ctx)
	cancel()
	_, err := e.s.CreateUser(c, store.User{UserID: "v"})
	e.wantErr("CreateUser", err, context.Canceled)
	_, err = e.s.User(c, u.ID)
	e.wantErr("User", err, context.Canceled)
	_, err = e.s.ListUsers(c, store.UserQuery{})
	e.wantErr("ListUsers", err, context.Canceled)
	err = e.s.Update(c, "session-canceled", func(*store.Turn) error { return nil })
	e.wantErr("Update", err, context.Canceled)
	e.wantErr("DeleteUser", e.s.DeleteUser(c, u.ID), context.Canceled)
	if _, err := e.s.User(ctx, u.ID); err != nil {
		e.Errorf("user after canceled calls: %v", err)
	}
	if _, err := e.s.UserByUserID(ctx, "v"); !errors.Is(err, store.ErrNotFound) {
		e.Errorf("user created with a canceled context: got %v, want ErrNotFound", err)
	}
}

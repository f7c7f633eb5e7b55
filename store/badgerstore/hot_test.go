package badgerstore

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/parleybot/parley/store"
)

// checkHot checks that h's index, slots and byte count agree, and that
// it keeps within its budget.
func checkHot(t *testing.T, h *hotCache[userRecord]) {
	t.Helper()
	bytes, ids := 0, 0
	for i, sl := range h.slots {
		if sl.id == "" {
			continue
		}
		ids++
		bytes += sl.size
		if j, ok := h.index[sl.id]; !ok || j != i {
			t.Fatalf("slot %d holds %q, indexed at %d (%v)", i, sl.id, j, ok)
		}
	}
	if ids != len(h.index) || ids+len(h.free) != len(h.slots) {
		t.Fatalf("%d ids in slots, %d indexed, %d free of %d slots", ids, len(h.index), len(h.free), len(h.slots))
	}
	if bytes != h.bytes || bytes > h.budget {
		t.Fatalf("%d bytes kept, %d counted, budget %d", bytes, h.bytes, h.budget)
	}
}

func TestHotCache(t *testing.T) {
	var c [1]hotCache[userRecord]
	newHotCaches(c[:], 10*(hotOverhead+2+8))
	h := &c[0]
	rec := func(id string) userRecord { return userRecord("rec-" + id + strings.Repeat(".", 8-len("rec-"+id))) }
	for i := range 10 {
		id := fmt.Sprint("u", i)
		h.put(id, rec(id))
		checkHot(t, h)
	}
	if len(h.index) != 10 {
		t.Fatalf("kept %d of 10 records that fit", len(h.index))
	}
	// u0 and u1 were used since the hand last passed; the others not.
	for _, id := range []string{"u0", "u1"} {
		if v := h.find(id); v == nil || string(*v) != string(rec(id)) {
			t.Fatalf("find(%s) = %v", id, v)
		}
	}
	h.hand = len(h.slots) - 1 // as after a pass: every slot unused but u0, u1
	for i := range h.slots {
		h.slots[i].used = h.slots[i].id == "u0" || h.slots[i].id == "u1"
	}
	h.put("u10", rec("u10")[:8])
	checkHot(t, h)
	if h.find("u0") == nil || h.find("u1") == nil || h.find("u2") != nil || h.find("u10") == nil {
		t.Fatalf("after an eviction, kept %v", h.index)
	}
	// A new value for a kept id replaces it, counting its new size.
	h.put("u3", userRecord("x"))
	checkHot(t, h)
	if v := h.find("u3"); v == nil || string(*v) != "x" {
		t.Fatalf("find(u3) = %v after a put", v)
	}
	h.drop("u3")
	h.drop("u3")
	checkHot(t, h)
	if h.find("u3") != nil {
		t.Fatal("u3 kept after a drop")
	}
	// A record larger than the budget is not kept, nor its older value.
	h.put("u4", userRecord(strings.Repeat("x", h.budget)))
	checkHot(t, h)
	if h.find("u4") != nil {
		t.Fatal("kept a record larger than the budget")
	}
	// The cache keeps a copy of a new id, not the caller's larger string.
	body := "session=s-42;rest of a large request"
	h.put(body[8:12], rec("s-42"))
	if kept := h.slots[h.index["s-42"]].id; unsafe.StringData(kept) == unsafe.StringData(body[8:12]) {
		t.Fatal("kept the caller's string")
	}
	// Many puts keep within the budget, and the last one is kept.
	for i := range 1000 {
		id := fmt.Sprint("v", i%37)
		h.put(id, rec(id)[:i%9])
		checkHot(t, h)
		if h.find(id) == nil {
			t.Fatalf("put(%s) not kept", id)
		}
	}
}

// TestUserByUserIDHot checks that UserByUserID answers from the records
// kept in memory once a turn has kept its user there, and answers what
// User reads from Badger through every change of the user: turns,
// updates, a ban, a delete and a new user given the same userId; and that
// a turn's webhook may look up the turn's own user.
func TestUserByUserIDHot(t *testing.T) {
	ctx := context.Background()
	db, err := Open("", InMemory())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.CreateUser(ctx, store.User{UserID: "hot-user", Attributes: map[string]string{"default_name": "Ada"}})
	if err != nil {
		t.Fatal(err)
	}
	turn := func(id string, within func()) {
		t.Helper()
		err := db.Update(ctx, "hot-user-session", func(tn *store.Turn) error {
			if tn.Session.UserID != id {
				if err := tn.SetUser(id); err != nil {
					return err
				}
			}
			tn.Append(store.Message{Type: store.UserMessage, Text: "hello"})
			if within != nil {
				within()
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	same := func(step, id string, hot bool) {
		t.Helper()
		if _, ok := db.hotUserByUserID("hot-user"); ok != hot {
			t.Errorf("%s: kept in memory: got %v, want %v", step, ok, hot)
		}
		got, err := db.UserByUserID(ctx, "hot-user")
		if err != nil {
			t.Fatalf("%s: UserByUserID: %v", step, err)
		}
		want, err := db.User(ctx, id)
		if err != nil {
			t.Fatalf("%s: User: %v", step, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: UserByUserID\n got %+v\nwant %+v", step, got, want)
		}
	}
	same("created", u.ID, false)
	turn(u.ID, nil)
	same("after a turn", u.ID, true)
	turn(u.ID, nil)
	same("after a second turn", u.ID, true)
	if _, err := db.UpdateUser(ctx, u.ID, map[string]string{"plan": "gold"}); err != nil {
		t.Fatal(err)
	}
	same("updated", u.ID, false)
	turn(u.ID, func() {
		// A webhook within the turn, which holds the user's lock.
		if got, err := db.UserByUserID(ctx, "hot-user"); err != nil || got.ID != u.ID {
			t.Errorf("within a turn: got %v, %v", got.ID, err)
		}
	})
	same("updated, then a turn", u.ID, true)
	if err := db.SetBanned(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	same("banned", u.ID, false)
	turn(u.ID, nil)
	if err := db.DeleteUser(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UserByUserID(ctx, "hot-user"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted: got %v, want ErrNotFound", err)
	}
	v, err := db.CreateUser(ctx, store.User{UserID: "hot-user", Attributes: map[string]string{"default_name": "Bea"}})
	if err != nil {
		t.Fatal(err)
	}
	same("created again", v.ID, false)
	turn(v.ID, nil)
	same("created again, then a turn", v.ID, true)
}

package badgerstore

import (
	"errors"
	"strings"
	"testing"

	"github.com/parleybot/parley/store"
)

// TestDiskReserve: Open refuses a filesystem with less free than the
// reserve, saying what to do; a store marked full refuses writes with
// store.ErrFull, serves reads, and writes again once space is back.
// (TestFullDisk in cmd/parley fills a real filesystem.)
func TestDiskReserve(t *testing.T) {
	_, err := Open(t.TempDir(), WithDiskReserve(1<<50))
	if !errors.Is(err, store.ErrFull) || !strings.Contains(err.Error(), "free some space") {
		t.Fatalf("open with a reserve larger than the disk: got %v, want store.ErrFull saying what to do", err)
	}
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := t.Context()
	u, err := db.CreateUser(ctx, store.User{UserID: "ann", Attributes: map[string]string{"a": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	db.full.Store(true)
	if _, err := db.CreateUser(ctx, store.User{UserID: "bob", Attributes: map[string]string{"a": "1"}}); !errors.Is(err, store.ErrFull) {
		t.Errorf("create while full: got %v, want store.ErrFull", err)
	}
	if err := db.Update(ctx, "session-when-full", func(tr *store.Turn) error { return nil }); !errors.Is(err, store.ErrFull) {
		t.Errorf("turn while full: got %v, want store.ErrFull", err)
	}
	if _, err := db.User(ctx, u.ID); err != nil {
		t.Errorf("read while full: %v", err)
	}
	db.full.Store(false)
	if _, err := db.CreateUser(ctx, store.User{UserID: "bob", Attributes: map[string]string{"a": "1"}}); err != nil {
		t.Errorf("create once space is back: %v", err)
	}
}

package badgerstore_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
)

// endsAfter is a context whose Err reports it cancelled after n calls: it
// ends a call at a chosen step, without timing.
type endsAfter struct {
	context.Context
	n atomic.Int32
}

func (c *endsAfter) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestDeleteUserPurgeHonoursContext checks that DeleteUser stops its purge
// when the caller's context ends after the user's own transaction: it
// returns the context's error, the user is gone, and the next Open
// finishes the purge (the session and its thread go too).
func TestDeleteUserPurgeHonoursContext(t *testing.T) {
	dir := t.TempDir()
	db, err := badgerstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, store.User{UserID: "purged", Attributes: map[string]string{"default_name": "Pat"}})
	if err != nil {
		t.Fatal(err)
	}
	const sid = "session-purged"
	err = db.Update(ctx, sid, func(t *store.Turn) error {
		if err := t.SetUser(u.ID); err != nil {
			return err
		}
		t.Append(store.Message{Type: store.UserMessage, Text: "hello"})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.Session(ctx, sid)
	if err != nil {
		t.Fatal(err)
	}
	// The first check of the context is the user's transaction's; the
	// second, the purge's first step.
	c := &endsAfter{Context: context.Background()}
	c.n.Store(1)
	if err := db.DeleteUser(c, u.ID); !errors.Is(err, context.Canceled) {
		t.Fatalf("DeleteUser with a context that ends during the purge: got %v, want context.Canceled", err)
	}
	if _, err := db.User(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the user after DeleteUser: got %v, want store.ErrNotFound", err)
	}
	if _, err := db.Session(ctx, sid); err != nil {
		t.Errorf("the session before the purge resumed: got %v, want it still there (the purge stopped)", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = open(t, dir)
	if _, err := db.Session(ctx, sid); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the session after Open: got %v, want store.ErrNotFound", err)
	}
	if _, err := db.Messages(ctx, s.ThreadID, 0, store.MaxMessagesPage); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the thread's messages after Open: got %v, want store.ErrNotFound", err)
	}
}

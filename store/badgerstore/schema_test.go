package badgerstore

import (
	"context"
	"errors"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

var ctx = context.Background()

func TestSchema(t *testing.T) {
	for _, c := range []struct {
		name  string
		value string // of the schema key; "" writes another key instead
		want  error
	}{
		{"ErrNewer", "parley-badgerstore 2", ErrNewer},
		{"ErrForeignValue", "someone-else 1", ErrForeign},
		{"ErrForeignVersion", "parley-badgerstore one", ErrForeign},
		{"ErrForeignNoSchema", "", ErrForeign},
		{"OK", "parley-badgerstore 1", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			bdb, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
			if err != nil {
				t.Fatal(err)
			}
			err = bdb.Update(func(txn *badger.Txn) error {
				if c.value == "" {
					return txn.Set([]byte("someone's key"), []byte("v"))
				}
				return txn.Set(schemaKey, []byte(c.value))
			})
			if err != nil {
				t.Fatal(err)
			}
			bdb.Close()
			db, err := Open(dir)
			if err == nil {
				db.Close()
			}
			if !errors.Is(err, c.want) {
				t.Errorf("Open: got %v, want %v", err, c.want)
			}
		})
	}
}

// TestPurgeResumes leaves a deleted user's purge unfinished, as a crash
// would, and checks that Open finishes it.
func TestPurgeResumes(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, store.User{UserID: "gone"})
	if err != nil {
		t.Fatal(err)
	}
	var thread string
	err = db.Update(ctx, "session-purge", func(t *store.Turn) error {
		if err := t.SetUser(u.ID); err != nil {
			return err
		}
		t.Append(store.Message{Type: store.UserMessage, Text: "forget me"})
		thread = t.Thread.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The first transaction of DeleteUser, without the purge after it.
	err = db.bdb.Update(func(txn *badger.Txn) error {
		if err := txn.Delete(key1(kUser, u.ID)); err != nil {
			return err
		}
		return txn.Set(purgeKey(kUser, u.ID), nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Session(ctx, "session-purge"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session after the purge: got %v, want ErrNotFound", err)
	}
	if _, err := db.Thread(ctx, thread); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("thread after the purge: got %v, want ErrNotFound", err)
	}
	err = db.bdb.View(func(txn *badger.Txn) error {
		for _, prefix := range [][]byte{key1(kMessage, thread), {kPurge}, key1(kUserSess, u.ID), key1(kUserThread, u.ID)} {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
			it.Rewind()
			if it.Valid() {
				t.Errorf("key %q left after the purge", it.Item().KeyCopy(nil))
			}
			it.Close()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

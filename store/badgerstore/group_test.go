package badgerstore

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/parleybot/parley/store"
)

// TestGroupTooBig commits a group of batches too big for one Badger
// transaction of the SmallDevice profile: it commits in parts, and every
// batch lands, with the entries that the failed transaction had.
func TestGroupTooBig(t *testing.T) {
	db, err := Open(t.TempDir(), SmallDevice())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const batches, keys = 8, 1500
	var group []*batch
	for i := range batches {
		b := &batch{db: db}
		for k := range keys {
			b.Set(fmt.Appendf(nil, "test-%d-%d", i, k), []byte("v"))
		}
		group = append(group, b)
	}
	err = db.bdb.Update(func(txn *badger.Txn) error {
		for _, b := range group {
			for i := range b.writes {
				if err := txn.SetEntry(&b.writes[i].e); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != badger.ErrTxnTooBig {
		t.Fatalf("one transaction for the whole group: got %v, want ErrTxnTooBig", err)
	}
	db.commitGroup(group)
	for i, b := range group {
		if b.err != nil {
			t.Errorf("batch %d: %v", i, b.err)
		}
	}
	n := 0
	db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("test-")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	if n != batches*keys {
		t.Errorf("keys written: %d, want %d", n, batches*keys)
	}
}

// TestCommitObserver: the observer sees every turn committed, in commits
// of one or more.
func TestCommitObserver(t *testing.T) {
	var mu sync.Mutex
	commits, turns := 0, 0
	db, err := Open("", InMemory(), WithCommitObserver(func(n int, d time.Duration, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil || d < 0 || n < 1 {
			t.Errorf("got commit of %d turns in %v with %v", n, d, err)
		}
		commits++
		turns += n
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				id := fmt.Sprintf("observed-session-%d-%d", i, j)
				if err := db.Update(t.Context(), id, func(tr *store.Turn) error {
					tr.Session.Attributes = map[string]string{"n": "1"}
					return nil
				}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if turns != 400 || commits < 1 || commits > 400 {
		t.Errorf("got %d turns in %d commits, want 400 turns", turns, commits)
	}
}

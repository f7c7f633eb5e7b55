package badgerstore

import (
	"fmt"
	"testing"

	"github.com/dgraph-io/badger/v4"
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

package badgerstore

import (
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// TestMergeCounters checks that merging counter keys into daily totals keeps
// Stats unchanged and leaves no unmerged keys, across rounds and days.
func TestMergeCounters(t *testing.T) {
	start := time.Date(2026, 3, 14, 23, 0, 0, 0, time.UTC)
	now := start
	db, err := Open("", InMemory(), WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	turns := func(n int) {
		for i := range n {
			err := db.Update(ctx, "session-merge-"+itoa(i%3), func(t *store.Turn) error {
				t.Append(store.Message{Type: store.UserMessage, Text: "x"})
				t.Counters.Fallbacks++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	stats := func() []store.Day {
		days, err := db.Stats(ctx, start.Add(-24*time.Hour), start.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return days
	}
	unmerged := func() int {
		n := 0
		db.bdb.View(func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kCounter}})
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				if k := it.Item().Key(); len(k) > 5 && k[5] == 1 {
					n++
				}
			}
			return nil
		})
		return n
	}
	turns(2500)
	now = now.Add(2 * time.Hour) // the next day
	turns(10)
	want := stats()
	if want[1].Messages != 2500 || want[1].Fallbacks != 2500 || want[2].Messages != 10 {
		t.Fatalf("before merging: got %+v", want)
	}
	for range 3 {
		if err := db.mergeCounters(); err != nil {
			t.Fatal(err)
		}
		if got := stats(); got[1].Counters != want[1].Counters || got[2].Counters != want[2].Counters {
			t.Fatalf("after merging: got %+v, want %+v", got, want)
		}
	}
	if n := unmerged(); n != 0 {
		t.Errorf("unmerged counter keys after merging: %d", n)
	}
	turns(5) // behind nothing: after the cursor
	if err := db.mergeCounters(); err != nil {
		t.Fatal(err)
	}
	if got := stats(); got[2].Messages != 15 || unmerged() != 0 {
		t.Errorf("second round: got %+v, %d unmerged", got[2], unmerged())
	}
}

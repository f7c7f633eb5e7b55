package badgerstore

import (
	"errors"
	"reflect"
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
	var thread string
	err = db.Update(ctx, "session-merge", func(t *store.Turn) error {
		thread = t.StartThread().ID
		t.Counters.Sessions-- // count only what follows
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Appending to a thread outside a turn writes a counter key of its own.
	turns := func(n int) {
		for range n {
			if _, err := db.AppendMessages(ctx, thread, store.Message{Type: store.AgentMessage, Text: "x"}); err != nil {
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
	if want[1].Messages != 2500 || want[1].Sessions != 0 || want[2].Messages != 10 {
		t.Fatalf("before merging: got %+v", want)
	}
	for range 3 {
		if err := db.mergeCounters(); err != nil {
			t.Fatal(err)
		}
		if got := stats(); !reflect.DeepEqual(got[1:3], want[1:3]) {
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

// TestTurnCounters checks the counters turns add to their stripe's key of
// the day: across days, across many sessions (and so stripes), after a
// failed turn, and after the store is closed and opened again.
func TestTurnCounters(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 3, 14, 23, 0, 0, 0, time.UTC)
	now := start
	open := func() *DB {
		db, err := Open(dir, WithClock(func() time.Time { return now }))
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open()
	turns := func(n int) {
		for i := range n {
			err := db.Update(ctx, "session-count-"+itoa(i%300), func(t *store.Turn) error {
				t.Append(store.Message{Type: store.UserMessage, Text: "x"})
				t.Counters.Fallbacks++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	check := func(when string, want ...store.Counters) {
		t.Helper()
		days, err := db.Stats(ctx, start, start.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if !reflect.DeepEqual(days[i].Counters, want[i]) {
				t.Errorf("%s: day %s: got %+v, want %+v", when, days[i].Date, days[i].Counters, want[i])
			}
		}
	}
	turns(1000)
	check("first day", store.Counters{Messages: 1000, Sessions: 300, Fallbacks: 1000})
	err := db.Update(ctx, "session-count-0", func(t *store.Turn) error {
		t.Append(store.Message{Type: store.UserMessage, Text: "x"})
		t.Counters.Fallbacks++
		return errors.New("the turn failed")
	})
	if err == nil {
		t.Fatal("a failed turn returned no error")
	}
	now = now.Add(2 * time.Hour) // the next day
	turns(10)
	check("next day", store.Counters{Messages: 1000, Sessions: 300, Fallbacks: 1000}, store.Counters{Messages: 10, Fallbacks: 10})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = open()
	defer db.Close()
	turns(10)
	now = start
	turns(5)
	check("opened again", store.Counters{Messages: 1005, Sessions: 300, Fallbacks: 1005}, store.Counters{Messages: 20, Fallbacks: 20})
}

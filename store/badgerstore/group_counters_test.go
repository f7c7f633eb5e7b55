package badgerstore

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// TestGroupCounters commits groups of one to five batches, across two
// days: groups of up to two write their stripes' totals, larger groups the
// groups' total of the first day (kept in memory) and a key to merge for
// the second; Stats counts every batch once, and skips a batch whose
// absent key is taken.
func TestGroupCounters(t *testing.T) {
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	db, err := Open("", InMemory(), WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	day1, day2 := dayNumber(now), dayNumber(now)+1 // 20260314, 20260315
	if err := db.bdb.Update(func(txn *badger.Txn) error { return txn.Set([]byte("taken"), nil) }); err != nil {
		t.Fatal(err)
	}
	var want [2]store.Counters
	var wantGroups store.Counters // of the groups' key of day1
	n := 0
	commit := func(size int) {
		var group []*batch
		for i := range size {
			n++
			b := &batch{db: db, stripe: n % stripes, day: day1, counters: store.Counters{Messages: 2, Fallbacks: int64(n)}}
			if i == 1 {
				b.day = day2
			}
			b.Set(fmt.Appendf(nil, "test-%d", n), nil)
			if i == 2 {
				b.mustBeAbsent([]byte("taken"), store.ErrConflict)
			}
			group = append(group, b)
		}
		db.commitGroup(group)
		committed := size
		if size > 2 {
			committed-- // batch 2's absent key is taken
		}
		shared := committed >= sharedCounters // one key for the group
		for i, b := range group {
			switch {
			case i == 2:
				if b.err != store.ErrConflict {
					t.Fatalf("group of %d, batch 2: got %v, want ErrConflict", size, b.err)
				}
				continue
			case b.err != nil:
				t.Fatalf("group of %d, batch %d: %v", size, i, b.err)
			case b.shardSet == shared:
				t.Errorf("group of %d, batch %d: stripe total written: %v", size, i, b.shardSet)
			}
			if b.shardSet {
				db.shards[b.stripe] = b.shard // as Update does
			}
			want[b.day-day1].Add(b.counters)
			if shared && b.day == day1 {
				wantGroups.Add(b.counters)
			}
		}
		if g := db.groupShard; shared && (!g.loaded || g.day != day1 || !reflect.DeepEqual(g.c, wantGroups)) {
			t.Errorf("group of %d: groups' total kept %+v, want %+v of day %d", size, g, wantGroups, day1)
		}
	}
	for _, size := range []int{1, 2, 3, 4, 5, 1, 5, 2} {
		commit(size)
	}
	check := func(when string) {
		t.Helper()
		days, err := db.Stats(ctx, now, now.AddDate(0, 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range days {
			if !reflect.DeepEqual(d.Counters, want[i]) {
				t.Errorf("%s%s: got %+v, want %+v", when, d.Date, d.Counters, want[i])
			}
		}
	}
	check("")
	if err := db.mergeCounters(); err != nil {
		t.Fatal(err)
	}
	check("after merging, ")
}

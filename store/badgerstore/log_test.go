package badgerstore_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
)

// TestLogTrimSmallDevice trims the event log of a small device, whose
// transactions hold a few thousand keys at most, by more keys than that at
// once: the oldest entries go, and a reader resuming from them is told.
func TestLogTrimSmallDevice(t *testing.T) {
	if testing.Short() {
		t.Skip("37,500 turns")
	}
	const keep = 30_000 // a trim deletes keep/8 = 3,750 runs
	db := open(t, t.TempDir(), badgerstore.SmallDevice(), badgerstore.WithLogRetention(keep))
	first := store.LogPos{N: 1}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range (keep + keep/4) / 16 {
				err := db.Update(ctx, fmt.Sprintf("trim-session-%02d-%d", g, i%8), func(t *store.Turn) error {
					t.Append(store.Message{Type: store.UserMessage, Text: "hi"}) // one run a turn
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	page, err := db.ReadLog(ctx, first, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !page.Lost {
		t.Errorf("resuming from the first entry after %d: got %d entries, want lost", keep+keep/4, len(page.Entries))
	}
	end, err := db.ReadLog(ctx, store.LogPos{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if end.Last.N < keep+keep/4 {
		t.Fatalf("end of the log: got %v, want at least %d", end.Last, keep+keep/4)
	}
	recent := end.Last
	recent.N -= keep / 2
	if page, err := db.ReadLog(ctx, recent, 10); err != nil || page.Lost || len(page.Entries) != 10 {
		t.Errorf("resuming from %d entries back: got %d entries, lost %v, %v", keep/2, len(page.Entries), page.Lost, err)
	}
}

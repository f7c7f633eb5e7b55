package badgerstore_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
)

// TestHeap measures the peak Go heap while 100,000 users are created and
// chat: with the SmallDevice profile in a program that sets GOMEMLIMIT=80MiB
// as its documentation advises (peak must stay ≤ 100 MB), without the limit,
// and with the default profile. It takes minutes, so it runs only with
// PARLEY_HEAP=1 (.ci/run checks the SmallDevice case on every commit):
//
//	PARLEY_HEAP=1 go test -run TestHeap -v ./store/badgerstore/
func TestHeap(t *testing.T) {
	if os.Getenv("PARLEY_HEAP") != "1" {
		t.Skip("set PARLEY_HEAP=1 to measure")
	}
	for _, c := range []struct {
		name     string
		opts     []badgerstore.Option
		memLimit int64  // GOMEMLIMIT, 0 for none
		limit    uint64 // the most peak heap allowed, 0 for no check
	}{
		{"SmallDevice", []badgerstore.Option{badgerstore.SmallDevice()}, 80 << 20, 100 << 20},
		{"SmallDeviceNoMemLimit", []badgerstore.Option{badgerstore.SmallDevice()}, 0, 0},
		{"Default", nil, 0, 0},
		// parley serve's default: a budget of 512 MB, also its GOMEMLIMIT.
		{"MemoryBudget512MB", []badgerstore.Option{badgerstore.MemoryBudget(512 << 20)}, 512 << 20, 512 << 20},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.memLimit > 0 {
				defer debug.SetMemoryLimit(debug.SetMemoryLimit(c.memLimit))
			}
			runtime.GC()
			peak := watchHeap(t)
			db := open(t, t.TempDir(), c.opts...)
			const users, turns = 100_000, 100_000
			ids := make([]string, users)
			var wg sync.WaitGroup
			t0 := time.Now()
			for w := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := w; i < users; i += 4 {
						u, err := db.CreateUser(ctx, store.User{Attributes: userAttrs(i)})
						if err != nil {
							t.Error(err)
							return
						}
						ids[i] = u.ID
					}
				}()
			}
			wg.Wait()
			created := time.Since(t0)
			t.Logf("after creating users: peak so far %d MB", peekPeak()>>20)
			for w := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := w; i < turns; i += 4 {
						k := rand.IntN(users)
						err := db.Update(ctx, fmt.Sprintf("heap-session-%d", k), func(t *store.Turn) error {
							if err := t.SetUser(ids[k]); err != nil {
								return err
							}
							t.Append(store.Message{Type: store.UserMessage, Text: "hello"}, store.Message{Type: store.BotMessage, Text: "hi there"})
							return nil
						})
						if err != nil {
							t.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			for range 100 {
				if _, err := db.ListUsers(ctx, store.UserQuery{Sort: store.SortLastSeen, Filters: []store.Filter{
					{Field: "attributes.plan", Op: store.OpEquals, Value: "enterprise"}}}); err != nil {
					t.Fatal(err)
				}
			}
			if f := os.Getenv("PARLEY_HEAP_PROFILE"); f != "" {
				w, _ := os.Create(f + "." + c.name)
				pprof.WriteHeapProfile(w)
				w.Close()
			}
			p := peak()
			t.Logf("%s: %d users created in %v, %d turns in %v; peak Go heap %d MB",
				c.name, users, created.Round(time.Millisecond), turns, (time.Since(t0) - created).Round(time.Millisecond), p>>20)
			if c.limit > 0 && p > c.limit {
				t.Errorf("peak heap: got %d MB, want ≤ %d MB", p>>20, c.limit>>20)
			}
		})
	}
}

var curPeak atomic.Uint64

func peekPeak() uint64 { return curPeak.Load() }

// watchHeap samples the live heap every 10ms until the returned function is
// called, which returns the peak.
func watchHeap(t *testing.T) func() uint64 {
	stop := make(chan struct{})
	done := make(chan uint64)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
		var peak, live uint64
		defer func() { t.Logf("peak live heap (marked by the last GC) %d MB", live>>20) }()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			if v := s[1].Value.Uint64(); v > live {
				live = v
				if f := os.Getenv("PARLEY_HEAP_PROFILE"); f != "" && v > 40<<20 {
					w, _ := os.Create(f + ".peak")
					pprof.WriteHeapProfile(w)
					w.Close()
				}
			}
			curPeak.Store(peak)
			select {
			case <-stop:
				done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	var once sync.Once
	var p uint64
	get := func() uint64 {
		once.Do(func() { close(stop); p = <-done })
		return p
	}
	t.Cleanup(func() { get() })
	return get
}

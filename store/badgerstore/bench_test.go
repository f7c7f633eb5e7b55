package badgerstore_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
)

// Benchmarks open stores on disk with the default profile and without
// SyncWrites. The page benchmarks fill a store once per process; the 1M-user
// ones run only when PARLEY_BENCH_1M=1 (filling takes about a minute).

func BenchmarkCreateUser(b *testing.B) {
	db := open(b, b.TempDir())
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		_, err := db.CreateUser(ctx, store.User{Attributes: userAttrs(i)})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTurn measures full chat turns across sessions, in parallel: each
// loads the session, its user and thread, changes the session's contexts,
// appends a user message and a bot answer, and updates the user's lastSeen
// and the day's counters.
func BenchmarkTurn(b *testing.B) { benchTurns(b, true, 64) }

// BenchmarkTurnAnonymous is BenchmarkTurn without a user, as in a chat
// that only names its session: the session, its messages and the counters.
func BenchmarkTurnAnonymous(b *testing.B) { benchTurns(b, false, 64) }

// BenchmarkTurnManySessions is BenchmarkTurnAnonymous over 65,536 sessions
// (on 2 cores), started before the timer, as on a server with many
// conversations going on: the store keeps them all in memory (hot.go).
func BenchmarkTurnManySessions(b *testing.B) { benchTurns(b, false, 4096) }

// BenchmarkTurnColdSessions is BenchmarkTurnAnonymous over 262,144
// sessions (on 2 cores), started before the timer: more than the store
// keeps in memory, so that most turns read their session from Badger.
func BenchmarkTurnColdSessions(b *testing.B) { benchTurns(b, false, 16384) }

// BenchmarkTurnManyUsers is BenchmarkTurn over 65,536 sessions, each
// tied to a user of its own: a user's turns come about a second apart, so a
// flush of the lastSeen index (lastseen.go) finds most users moved once.
func BenchmarkTurnManyUsers(b *testing.B) { benchTurns(b, true, 4096) }

// BenchmarkTurnLastSeenMinute is BenchmarkTurn with lastSeen kept for a
// minute. Each session here has a turn every few milliseconds, so nearly
// every turn leaves its user unwritten; in a real conversation, where turns
// come seconds apart, it is each turn after the first in a minute.
func BenchmarkTurnLastSeenMinute(b *testing.B) {
	benchTurns(b, true, 64, badgerstore.WithLastSeenEvery(time.Minute))
}

// benchTurns runs turns from 8 goroutines a CPU, each going round its own
// sessions, tied to users (one each) or not. The users, and the first turn
// of each goroutine's sessions beyond its first 64, come before the timer.
func benchTurns(b *testing.B, withUser bool, sessions int, opts ...badgerstore.Option) {
	db := open(b, b.TempDir(), opts...)
	const parallelism = 8 // many sessions chat at once
	goroutines := parallelism * runtime.GOMAXPROCS(0)
	// ids[g][k] and users[g][k]: goroutine g's session k, and its user;
	// made before the timer, which measures the store alone.
	ids := make([][]string, goroutines+1)
	users := make([][]string, goroutines+1)
	turn := func(g, k int) error {
		user := users[g][k]
		return db.Update(ctx, ids[g][k], func(t *store.Turn) error {
			if t.New {
				if user != "" {
					if err := t.SetUser(user); err != nil {
						return err
					}
				}
				t.Session.StoryID = "5b07fd67c2376e30306d9b0d"
			}
			t.Session.Contexts = []store.Context{{InteractionID: "5b07ffafc2376e30306d9b16", Lifespan: 2}}
			t.Append(store.Message{Type: store.UserMessage, Text: "I would like a large latte"},
				store.Message{Type: store.BotMessage, Text: "One large latte coming up", InteractionID: "5b07ffafc2376e30306d9b16", Score: 0.93})
			return nil
		})
	}
	var wg sync.WaitGroup
	for g := 1; g <= goroutines; g++ {
		ids[g], users[g] = make([]string, sessions), make([]string, sessions)
		wg.Go(func() {
			for k := range sessions {
				ids[g][k] = fmt.Sprintf("bench-session-%d-%d", g, k)
				if withUser {
					u, err := db.CreateUser(ctx, store.User{UserID: fmt.Sprintf("bench-%d-%d", g, k)})
					if err != nil {
						b.Error(err)
						return
					}
					users[g][k] = u.ID
				}
				if k >= 64 {
					if err := turn(g, k); err != nil {
						b.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.SetParallelism(parallelism)
	start, cpu0 := time.Now(), cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		g := int(next.Add(1))
		for i := 0; pb.Next(); i++ {
			if err := turn(g, i%sessions); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportTurns(b, start, cpu0)
}

// BenchmarkUpdateSession measures turns that only change the session (no
// user, no messages), in parallel across sessions.
func BenchmarkUpdateSession(b *testing.B) {
	db := open(b, b.TempDir())
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.SetParallelism(8) // many sessions chat at once
	start, cpu0 := time.Now(), cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		g := next.Add(1)
		for i := 0; pb.Next(); i++ {
			err := db.Update(ctx, fmt.Sprintf("bench-session-%d-%d", g, i%64), func(t *store.Turn) error {
				t.Session.Contexts = []store.Context{{InteractionID: "5b07ffafc2376e30306d9b16", Lifespan: 2}}
				t.Session.Failures++
				return nil
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportTurns(b, start, cpu0)
}

// BenchmarkBadgerKeys measures Badger alone, with the options Open chose,
// as BenchmarkTurn runs: 16 goroutines over 64 keys sets each commit
// transactions of 3 or 6 sets of 200 bytes (a turn without a user writes
// three keys, with one six). It is the ceiling for turns: "turns/s" here are
// transactions.
func BenchmarkBadgerKeys(b *testing.B) {
	for _, n := range []int{3, 6} {
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			db := open(b, b.TempDir())
			bdb := db.Badger()
			val := make([]byte, 200)
			// The keys of each goroutine RunParallel starts, built before
			// the timer: 64 key sets of n keys.
			const parallelism = 8
			keys := make([][64][][]byte, parallelism*runtime.GOMAXPROCS(0))
			for g := range keys {
				for i := range keys[g] {
					for k := range n {
						keys[g][i] = append(keys[g][i], fmt.Appendf(nil, "%c-bench-%d-%d", 'a'+k, g, i))
					}
				}
			}
			var next atomic.Int64
			b.SetParallelism(parallelism)
			b.ResetTimer()
			start, cpu0 := time.Now(), cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				keys := &keys[next.Add(1)-1]
				for i := 0; pb.Next(); i++ {
					err := bdb.Update(func(txn *badger.Txn) error {
						for _, k := range keys[i%len(keys)] {
							if err := txn.Set(k, val); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
			reportTurns(b, start, cpu0)
		})
	}
}

func BenchmarkAppendMessage(b *testing.B) {
	db := open(b, b.TempDir())
	var thread string
	err := db.Update(ctx, "bench-append", func(t *store.Turn) error {
		thread = t.StartThread().ID
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		_, err := db.AppendMessages(ctx, thread, store.Message{Type: store.AgentMessage, Text: "Hello, this is Bob from support."})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListUsers(b *testing.B) {
	sizes := []int{100_000}
	if os.Getenv("PARLEY_BENCH_1M") == "1" {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		name := strconv.Itoa(n/1000) + "k"
		b.Run("lastSeen/"+name, func(b *testing.B) {
			benchPage(b, filled(b, n), store.UserQuery{Sort: store.SortLastSeen})
		})
		b.Run("createdAt/"+name, func(b *testing.B) {
			benchPage(b, filled(b, n), store.UserQuery{})
		})
		if n > 100_000 {
			continue
		}
		b.Run("filtered10%/"+name, func(b *testing.B) {
			benchPage(b, filled(b, n), store.UserQuery{Filters: []store.Filter{
				{Field: "attributes.default_city", Op: store.OpEquals, Value: "Paris"}}})
		})
		b.Run("filtered0.1%/"+name, func(b *testing.B) {
			benchPage(b, filled(b, n), store.UserQuery{Filters: []store.Filter{
				{Field: "attributes.plan", Op: store.OpEquals, Value: "enterprise"}}})
		})
		b.Run("filtered0.1%/lastSeen/"+name, func(b *testing.B) {
			benchPage(b, filled(b, n), store.UserQuery{Sort: store.SortLastSeen, Filters: []store.Filter{
				{Field: "attributes.plan", Op: store.OpEquals, Value: "enterprise"}}})
		})
		b.Run("tag0.1%/"+name, func(b *testing.B) {
			benchPage(b, filled(b, n), store.UserQuery{Filters: []store.Filter{
				{Field: store.FieldTag, Op: store.OpEquals, Value: "vip"}}})
		})
		b.Run("offset1000/"+name, func(b *testing.B) {
			benchPage(b, filled(b, n), store.UserQuery{Offset: 1000})
		})
	}
}

// BenchmarkCountUsers counts the members of saved filters over 100,000
// users, as the engine does for a segment list: one filter matching 0.1 %
// of them (a tag), and five filters counted in one pass.
func BenchmarkCountUsers(b *testing.B) {
	tag := store.UserQuery{Filters: []store.Filter{{Field: store.FieldTag, Op: store.OpEquals, Value: "vip"}}}
	paris := store.UserQuery{Filters: []store.Filter{{Field: "attributes.default_city", Op: store.OpEquals, Value: "Paris"}}}
	recent := store.UserQuery{Filters: []store.Filter{{Field: store.FieldCreatedAt, Op: store.OpAfter, Time: time.Now().Add(-time.Hour)}}}
	enterprise := store.UserQuery{Match: store.MatchAny, Filters: []store.Filter{
		{Field: "attributes.plan", Op: store.OpEquals, Value: "enterprise"}, {Field: store.FieldTag, Op: store.OpEquals, Value: "vip"}}}
	feedback := store.UserQuery{Filters: []store.Filter{{Field: store.FieldFeedback, Op: store.OpAtLeast, Value: "1"}}}
	for _, c := range []struct {
		name string
		qs   []store.UserQuery
		want int
	}{
		{"tag0.1%/100k", []store.UserQuery{tag}, 100},
		{"five/100k", []store.UserQuery{tag, paris, recent, enterprise, feedback}, 100},
	} {
		b.Run(c.name, func(b *testing.B) {
			f := filled(b, 100_000)
			b.ReportAllocs()
			times := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				n, err := f.db.CountUsers(ctx, c.qs...)
				times = append(times, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
				if n[0] != c.want {
					b.Fatalf("count: got %d, want %d", n[0], c.want)
				}
			}
			b.StopTimer()
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
		})
	}
}

// benchPage lists pages of q from random starting users and reports the
// median latency.
func benchPage(b *testing.B, f *fill, q store.UserQuery) {
	b.ReportAllocs()
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		q := q
		if i%2 == 1 {
			q.After = f.ids[rand.IntN(len(f.ids)/2)+len(f.ids)/2]
		}
		t0 := time.Now()
		p, err := f.db.ListUsers(ctx, q)
		times = append(times, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		// After a user near the end, no user may match (about 1 in
		// 600 for the 0.1% filters): only a first page must have some.
		if len(p.Users) == 0 && q.After == "" {
			b.Fatalf("empty page")
		}
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
}

// A fill is a store with n users, kept for the whole benchmark run.
type fill struct {
	db  *badgerstore.DB
	ids []string
}

var (
	fillsMu sync.Mutex
	fills   = map[int]*fill{}
)

func filled(b *testing.B, n int) *fill {
	fillsMu.Lock()
	defer fillsMu.Unlock()
	if f := fills[n]; f != nil {
		return f
	}
	dir, err := os.MkdirTemp("", "parley-bench-")
	if err != nil {
		b.Fatal(err)
	}
	db, err := badgerstore.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	ids, err := db.FillUsers(n, userAttrs)
	if err != nil {
		b.Fatal(err)
	}
	// One user in 1,000 has the tag vip.
	var vips []string
	for i := 999; i < len(ids); i += 1000 {
		vips = append(vips, ids[i])
	}
	for len(vips) > 0 {
		k := min(len(vips), store.MaxUsersPerOp)
		if err := db.AddTags(ctx, []string{"vip"}, vips[:k]); err != nil {
			b.Fatal(err)
		}
		vips = vips[k:]
	}
	f := &fill{db: db, ids: ids}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.Logf("filled %d users in %v (heap %d MB)", n, time.Since(t0).Round(time.Millisecond), ms.HeapAlloc>>20)
	fills[n] = f
	fillsDirs = append(fillsDirs, dir)
	return f
}

var fillsDirs []string

// userAttrs returns realistic attributes: one user in 10 lives in Paris,
// one in 1,000 is on the enterprise plan.
func userAttrs(i int) map[string]string {
	cities := []string{"Paris", "Berlin", "Lisbon", "Madrid", "Rome", "Vienna", "Prague", "Warsaw", "Oslo", "Dublin"}
	a := map[string]string{
		store.AttrEmail:    fmt.Sprintf("user%d@example.com", i),
		store.AttrName:     fmt.Sprintf("User %d", i),
		"default_city":     cities[i%len(cities)],
		"default_language": "en",
		"plan":             "free",
	}
	if i%1000 == 999 {
		a["plan"] = "enterprise"
	}
	return a
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range fills {
		f.db.Close()
	}
	for _, d := range fillsDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// reportTurns reports turns per second of wall time and the CPU time of the
// whole process per turn (Badger's background work included), which depends
// less on what else runs on the machine.
func reportTurns(b *testing.B, start time.Time, cpu0 time.Duration) {
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "turns/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/turn")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkListUsersBehind measures a page sorted by lastSeen that first
// flushes the moves of 1,024 users whose turns are not yet in the lastSeen
// index (lastseen.go), as on a busy server; the turns run off the clock.
func BenchmarkListUsersBehind(b *testing.B) {
	const users = 1024
	db := open(b, b.TempDir())
	ids := make([]string, users)
	for i := range ids {
		u, err := db.CreateUser(ctx, store.User{UserID: "behind-" + strconv.Itoa(i)})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = u.ID
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		for i, id := range ids {
			err := db.Update(ctx, "behind-session-"+strconv.Itoa(i), func(t *store.Turn) error {
				if t.New {
					return t.SetUser(id)
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		t0 := time.Now()
		_, err := db.ListUsers(ctx, store.UserQuery{Sort: store.SortLastSeen})
		times = append(times, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
}

// BenchmarkRepairLastSeen measures what Open adds after a process stopped
// without Close: rebuilding the lastSeen index from every user record.
func BenchmarkRepairLastSeen(b *testing.B) {
	sizes := []int{100_000}
	if os.Getenv("PARLEY_BENCH_1M") == "1" {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		b.Run(strconv.Itoa(n/1000)+"k", func(b *testing.B) {
			f := filled(b, n)
			b.ResetTimer()
			for range b.N {
				if err := f.db.RepairLastSeen(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1e6/float64(b.N), "s/op")
		})
	}
}

// BenchmarkUserActivity counts the distinct users active over the last 30
// days and over the last year, in a store of 100,000 users each active on
// 10 days of the year (a million days of activity).
func BenchmarkUserActivity(b *testing.B) {
	f := filled(b, 100_000)
	activityOnce.Do(func() {
		if err := f.db.FillActivity(f.ids, 10); err != nil {
			b.Fatal(err)
		}
	})
	now := time.Now()
	for _, c := range []struct {
		name string
		from time.Time
	}{{"30days", now.AddDate(0, 0, -29)}, {"365days", now.AddDate(0, 0, -364)}} {
		b.Run(c.name, func(b *testing.B) {
			cpu0 := cpuTime()
			for range b.N {
				a, err := f.db.UserActivity(ctx, c.from, now)
				if err != nil || a.Active == 0 {
					b.Fatalf("got %+v, %v", a, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

var activityOnce sync.Once

// BenchmarkUpsertUsers measures an import's cost per row: batches of
// 1,000 upserts, each a new user named by userId with an email, a name and
// three attributes, one in 100 with two tags, into a store sized by a
// 128 MB MemoryBudget, as parley import users opens it by default. An op is one row;
// cpu-ns/op is the CPU time of all goroutines (Badger's compactions too)
// per row, which the load of a shared machine changes less than ns/op.
func BenchmarkUpsertUsers(b *testing.B) {
	db := open(b, b.TempDir(), badgerstore.MemoryBudget(128<<20))
	ups := make([]store.UserUpsert, 0, store.MaxUsersPerOp)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; {
		ups = ups[:0]
		for ; i < b.N && len(ups) < cap(ups); i++ {
			up := store.UserUpsert{UserID: "user-" + strconv.Itoa(i), Attributes: userAttrs(i)}
			if i%100 == 0 {
				up.Tags = []string{"vip", "lead"}
			}
			ups = append(ups, up)
		}
		res, err := db.UpsertUsers(ctx, ups)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil || !r.Created {
				b.Fatalf("upsert: %+v", r)
			}
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

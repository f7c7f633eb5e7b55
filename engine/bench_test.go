package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/internal/clinc150"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// coffeeTurns is one order at the coffee kiosk, then small talk and
// goodbye (which ends the session, so the next turn starts a new one).
var coffeeTurns = []string{
	"hi", "i would like a latte", "large", "oat", "yes",
	"what drinks do you have", "how much is a latte", "thanks", "bye",
}

// clincQueries returns every seventh validation query of CLINC150. It
// skips the benchmark when the corpus is absent, rather than measure
// another workload under the same name.
func clincQueries(b *testing.B, _ *story.Bot) []string {
	path, err := clinc150.Path()
	if err != nil {
		b.Skipf("CLINC150 corpus not available: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var d struct {
		Val [][2]string `json:"val"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		b.Fatal(err)
	}
	var qs []string
	for i := 0; i < len(d.Val); i += 7 {
		qs = append(qs, d.Val[i][0])
	}
	return qs
}

// openDisk opens Badger in a temporary directory, SyncWrites off. It is
// closed after the benchmark's timer stopped (b.Cleanup), unless the
// benchmark closes it first.
func openDisk(b *testing.B, dir string) *badgerstore.DB {
	db, err := badgerstore.Open(dir, badgerstore.WithSyncWrites(false))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := db.Close(); err != nil {
			b.Error(err)
		}
	})
	return db
}

// BenchmarkChat measures full turns on Badger on disk (SyncWrites off):
//
//   - parallel: turns of many sessions at once (RunParallel); turns/s.
//     Run 300,000 or more: a shorter run ends before Badger flushes its
//     first memtable, and overstates what a server sustains;
//   - session: turns of one session, one after another; p50-ns and p99-ns
//     are the median and 99th percentile of one turn;
//   - idle: bytes on disk per session left idle after two turns.
func BenchmarkChat(b *testing.B) {
	bots := []struct {
		name    string
		path    string
		queries func(*testing.B, *story.Bot) []string
	}{
		{"coffee", "../examples/coffee/bot.yaml", func(*testing.B, *story.Bot) []string { return coffeeTurns }},
		{"clinc150", "../story/testdata/clinc150.yaml", clincQueries},
	}
	for _, bb := range bots {
		b.Run(bb.name, func(b *testing.B) {
			if _, err := os.Stat(bb.path); err != nil {
				b.Skip(err)
			}
			bot := loadFile(b, bb.path)
			queries := bb.queries(b, bot)
			b.Run("parallel", func(b *testing.B) {
				db := openDisk(b, b.TempDir())
				e, err := engine.New(db, bot, engine.WithSeed(1))
				if err != nil {
					b.Fatal(err)
				}
				ctx := context.Background()
				var sessions atomic.Int64
				// Many sessions at once, as a server has: each goroutine
				// waits for its commit, so two would leave the CPUs idle.
				b.SetParallelism(32)
				b.ReportAllocs()
				b.ResetTimer()
				cpu0 := cpuTime()
				b.RunParallel(func(pb *testing.PB) {
					sid := fmt.Sprintf("bench-session-%06d", sessions.Add(1))
					i := 0
					for pb.Next() {
						if _, err := e.Chat(ctx, engine.Request{SessionID: sid, Query: queries[i%len(queries)]}); err != nil {
							b.Error(err)
							return
						}
						i++
					}
				})
				b.StopTimer()
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
				b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/turn")
			})
			b.Run("session", func(b *testing.B) {
				db := openDisk(b, b.TempDir())
				e, err := engine.New(db, bot, engine.WithSeed(1))
				if err != nil {
					b.Fatal(err)
				}
				ctx := context.Background()
				took := make([]time.Duration, b.N)
				b.ReportAllocs()
				b.ResetTimer()
				cpu0 := cpuTime()
				for i := range b.N {
					start := time.Now()
					if _, err := e.Chat(ctx, engine.Request{SessionID: "bench-one-session", Query: queries[i%len(queries)]}); err != nil {
						b.Fatal(err)
					}
					took[i] = time.Since(start)
				}
				b.StopTimer()
				b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/turn")
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "p50-ns")
				b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds()), "p99-ns")
			})
			b.Run("idle", func(b *testing.B) {
				base := b.TempDir()
				db := openDisk(b, base)
				db.Close()
				empty := diskUsage(b, base)
				dir := b.TempDir()
				db = openDisk(b, dir)
				e, err := engine.New(db, bot, engine.WithSeed(1))
				if err != nil {
					b.Fatal(err)
				}
				ctx := context.Background()
				b.ResetTimer()
				for i := range b.N {
					sid := fmt.Sprintf("idle-session-%08d", i)
					if _, err := e.Chat(ctx, engine.Request{SessionID: sid, Trigger: "welcome"}); err != nil {
						b.Fatal(err)
					}
					if _, err := e.Chat(ctx, engine.Request{SessionID: sid, Query: queries[i%len(queries)]}); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				if err := db.Close(); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(diskUsage(b, dir)-empty)/float64(b.N), "bytes/session")
			})
		})
	}
}

// cpuTime returns the CPU time of the whole process so far (Badger's
// background work included), which depends less than wall time on what else
// runs on the machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// diskUsage returns the bytes the files under dir occupy on disk.
func diskUsage(b *testing.B, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		n += fi.Size()
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// memStore keeps sessions in a map and nothing else: enough for Chat, to
// measure the engine's own share of a turn without Badger.
type memStore struct {
	store.Store // nil: other methods panic
	mu          sync.Mutex
	sessions    map[string]*store.Session
	threads     map[string]*store.Thread
	automated   []store.AutomatedMessage
	ids         atomic.Int64
}

func (m *memStore) LoadUser(id string) (*store.User, error) { return nil, store.ErrNotFound }

// AutomatedMessages and SaveAutomatedMessage keep the bot's declared
// automated messages, which New saves, for the engine's check of them
// after a turn; ListSegments reports none.
func (m *memStore) AutomatedMessages(ctx context.Context) ([]store.AutomatedMessage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.automated), nil
}
func (m *memStore) SaveAutomatedMessage(ctx context.Context, a store.AutomatedMessage) (store.AutomatedMessage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a.ID = m.NewID()
	m.automated = append(m.automated, a)
	return a, nil
}
func (m *memStore) ListSegments(ctx context.Context) ([]store.Segment, error) { return nil, nil }

// QAs reports none, for New.
func (m *memStore) QAs(ctx context.Context) ([]store.QA, error) { return nil, nil }
func (m *memStore) NewID() string                               { return fmt.Sprintf("%024x", m.ids.Add(1)) }

func (m *memStore) LoadThread(id string) (*store.Thread, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t := m.threads[id]; t != nil {
		tc := *t
		return &tc, nil
	}
	return nil, store.ErrNotFound
}

func (m *memStore) Update(ctx context.Context, id string, fn func(*store.Turn) error) error {
	m.mu.Lock()
	s, ok := m.sessions[id]
	var th *store.Thread
	if ok {
		c := s.Clone()
		s = &c
		if t := m.threads[s.ThreadID]; t != nil {
			tc := *t
			th = &tc
		}
	}
	m.mu.Unlock()
	t := store.NewTurn(m)
	t.Now = time.Now()
	if !ok || s.Expired(t.Now) {
		s, t.New = &store.Session{ID: id}, true
	}
	t.Session, t.Thread = s, th
	if err := fn(t); err != nil {
		return err
	}
	if t.Thread != nil {
		t.Thread.Messages += len(t.Messages)
	}
	m.mu.Lock()
	m.sessions[id] = s
	if t.Thread != nil {
		m.threads[t.Thread.ID] = t.Thread
	}
	m.mu.Unlock()
	return nil
}

// BenchmarkTurn measures the engine alone: Chat over a store that keeps
// sessions in a map.
func BenchmarkTurn(b *testing.B) {
	for _, bb := range []struct{ name, path string }{
		{"coffee", "../examples/coffee/bot.yaml"},
		{"clinc150", "../story/testdata/clinc150.yaml"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			bot := loadFile(b, bb.path)
			queries := coffeeTurns
			if bb.name != "coffee" {
				queries = clincQueries(b, bot)
			}
			st := &memStore{sessions: map[string]*store.Session{}, threads: map[string]*store.Thread{}}
			e, err := engine.New(st, bot, engine.WithSeed(1))
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if _, err := e.Chat(ctx, engine.Request{SessionID: "bench-one-session", Query: queries[i%len(queries)]}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSaveQA measures the time from saving a Q&A to its first match
// on the 150-interaction bot (7,500 phrases): Engine.SaveQA (a store
// write, and nlu.Matcher.With training the Q&A's matcher) then a Chat
// that the Q&A answers. Each iteration replaces the same Q&A with new
// questions, as an operator correcting an answer does. p50-ns is the
// median save-to-answer time; cpu-µs/op the CPU time it takes (less than
// the wall time when the machine is busy).
func BenchmarkSaveQA(b *testing.B) {
	const path = "../story/testdata/clinc150.yaml"
	if _, err := os.Stat(path); err != nil {
		b.Skip(err)
	}
	e, err := engine.New(openMemory(b), loadFile(b, path), engine.WithSeed(1))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	q := store.QA{Label: "wifi", Answer: "The password is beans4all."}
	b.ReportAllocs()
	var took []time.Duration
	cpu0 := cpuTime()
	i := 0
	for b.Loop() {
		i++
		t0 := time.Now()
		q.Questions = []string{
			fmt.Sprintf("what is the wifi password of room %d", i),
			"how do i connect to the wifi", "is there internet access here",
		}
		saved, err := e.SaveQA(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		q.ID = saved.ID
		resp, err := e.Chat(ctx, engine.Request{SessionID: fmt.Sprintf("bench-qa-%08d", i), Query: q.Questions[0]})
		if err != nil {
			b.Fatal(err)
		}
		if resp.Result.Interaction.ID != saved.ID {
			b.Fatalf("%q: answered by %s, want the Q&A", q.Questions[0], resp.Result.Interaction.Name)
		}
		took = append(took, time.Since(t0))
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "p50-ns")
}

package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/pgstore"
	"github.com/parleybot/parley/store/pgstore/pgtest"
	"github.com/parleybot/parley/store/storetest"
)

// The tests of this file open two stores on one schema, each with a pool
// of its own, as two processes serving one bot do.

// openTwo opens two stores on one fresh schema.
func openTwo(t *testing.T, opts ...pgstore.Option) (a, b *pgstore.DB) {
	t.Helper()
	connString, schema := pgtest.Schema(t)
	opts = append([]pgstore.Option{pgstore.WithSchema(schema)}, opts...)
	for _, db := range []**pgstore.DB{&a, &b} {
		var err error
		if *db, err = pgstore.Open(ctx, connString, opts...); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { (*db).Close() })
	}
	return a, b
}

// twoProcesses is a store whose calls alternate between two stores on one
// schema.
type twoProcesses struct {
	*pgstore.DB
	b *pgstore.DB
	n atomic.Uint64
}

func (s *twoProcesses) pick() *pgstore.DB {
	if s.n.Add(1)%2 == 0 {
		return s.DB
	}
	return s.b
}

func (s *twoProcesses) Update(ctx context.Context, id string, fn func(*store.Turn) error) error {
	return s.pick().Update(ctx, id, fn)
}

func (s *twoProcesses) UpdateUser(ctx context.Context, id string, attrs map[string]string) (store.User, error) {
	return s.pick().UpdateUser(ctx, id, attrs)
}

func (s *twoProcesses) User(ctx context.Context, id string) (store.User, error) {
	return s.pick().User(ctx, id)
}

func (s *twoProcesses) Session(ctx context.Context, id string) (store.Session, error) {
	return s.pick().Session(ctx, id)
}

func (s *twoProcesses) AppendMessages(ctx context.Context, id string, msgs ...store.Message) ([]store.Message, error) {
	return s.pick().AppendMessages(ctx, id, msgs...)
}

func (s *twoProcesses) Messages(ctx context.Context, id string, after, limit int) ([]store.Message, error) {
	return s.pick().Messages(ctx, id, after, limit)
}

func (s *twoProcesses) SetReaction(ctx context.Context, id string, seq int, r string) error {
	return s.pick().SetReaction(ctx, id, seq, r)
}

func (s *twoProcesses) SetBanned(ctx context.Context, id string, banned bool) error {
	return s.pick().SetBanned(ctx, id, banned)
}

func (s *twoProcesses) Stats(ctx context.Context, from, to time.Time) ([]store.Day, error) {
	return s.pick().Stats(ctx, from, to)
}

func (s *twoProcesses) DeleteUser(ctx context.Context, id string) error {
	return s.pick().DeleteUser(ctx, id)
}

func (s *twoProcesses) UpdateThread(ctx context.Context, id string, fn func(*store.Thread) error) (store.Thread, error) {
	return s.pick().UpdateThread(ctx, id, fn)
}

func (s *twoProcesses) ReadLog(ctx context.Context, after store.LogPos, limit int) (store.LogPage, error) {
	return s.pick().ReadLog(ctx, after, limit)
}

func (s *twoProcesses) AddTags(ctx context.Context, tags, users []string) error {
	return s.pick().AddTags(ctx, tags, users)
}

// TestConformanceTwoProcesses runs the conformance suite with turns, reads
// and changes alternating between two stores on one schema. (Records that
// get new ids are created by one of them: ids sort in creation order only
// as far as the creating processes' clocks agree.)
func TestConformanceTwoProcesses(t *testing.T) {
	storetest.Run(t, func(t *testing.T, cfg storetest.Config) store.Store {
		a, b := openTwo(t, pgstore.WithClock(cfg.Now), pgstore.WithLocation(cfg.Location), pgstore.WithLogRetention(cfg.LogRetention))
		return &twoProcesses{DB: a, b: b}
	})
}

// TestTurnsAcrossProcesses has clients send the turns of shared sessions
// to two stores at once: every turn is applied once, each client's turns
// in the order it sent them, and the counters count each turn once.
func TestTurnsAcrossProcesses(t *testing.T) {
	a, b := openTwo(t)
	const sessions, clients, turns = 4, 4, 25
	var wg sync.WaitGroup
	for s := range sessions {
		for c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sid := fmt.Sprintf("session-shared-%d", s)
				for n := range turns {
					db := a
					if (c+n)%2 == 1 {
						db = b
					}
					err := db.Update(ctx, sid, func(t *store.Turn) error {
						t.Session.Failures++
						t.Append(store.Message{Type: store.UserMessage, Text: fmt.Sprintf("%d/%d", c, n)})
						t.Counters.Fallbacks++
						return nil
					})
					if err != nil {
						t.Errorf("Update: %v", err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	for s := range sessions {
		sid := fmt.Sprintf("session-shared-%d", s)
		sess, err := b.Session(ctx, sid)
		if err != nil {
			t.Fatal(err)
		}
		if sess.Failures != clients*turns {
			t.Errorf("%s: %d turns applied, want %d", sid, sess.Failures, clients*turns)
		}
		next := make([]int, clients)
		for after := 0; ; {
			msgs, err := a.Messages(ctx, sess.ThreadID, after, 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) == 0 {
				break
			}
			for _, m := range msgs {
				if m.Seq != after+1 {
					t.Errorf("%s: message %d after %d", sid, m.Seq, after)
				}
				after = m.Seq
				c, n, _ := strings.Cut(m.Text, "/")
				ci, _ := strconv.Atoi(c)
				ni, _ := strconv.Atoi(n)
				if ni != next[ci] {
					t.Errorf("%s: client %d's turn %d came after its turn %d", sid, ci, ni, next[ci]-1)
				}
				next[ci] = ni + 1
			}
		}
		if !slices.Equal(next, slices.Repeat([]int{turns}, clients)) {
			t.Errorf("%s: turns seen per client %v, want %d each", sid, next, turns)
		}
	}
	days, err := a.Stats(ctx, time.Now(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := store.Counters{Messages: sessions * clients * turns, Sessions: sessions, Fallbacks: sessions * clients * turns}
	if !reflect.DeepEqual(days[0].Counters, want) {
		t.Errorf("counters: got %+v, want %+v", days[0].Counters, want)
	}
}

// TestCreateUserAcrossProcesses creates users with one userId and with one
// email through two stores at once: exactly one of each wins.
func TestCreateUserAcrossProcesses(t *testing.T) {
	a, b := openTwo(t)
	for round := range 20 {
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db := []*pgstore.DB{a, b}[i%2]
				u := store.User{UserID: fmt.Sprintf("same-%d", round)}
				if i >= 2 {
					u = store.User{UserID: fmt.Sprintf("other-%d-%d", round, i), Attributes: map[string]string{store.AttrEmail: fmt.Sprintf("Same%d@x.y", round)}}
				}
				_, errs[i] = db.CreateUser(ctx, u)
			}()
		}
		wg.Wait()
		for pair := range 2 {
			won := 0
			for _, err := range errs[2*pair : 2*pair+2] {
				switch {
				case err == nil:
					won++
				case !errors.Is(err, store.ErrConflict):
					t.Errorf("round %d: %v", round, err)
				}
			}
			if won != 1 {
				t.Errorf("round %d, pair %d: %d of 2 won (%v)", round, pair, won, errs)
			}
		}
	}
}

// TestTurnsSwapUsers ties two sessions to two users in opposite orders
// through two stores at once, so that turns lock the users' rows in
// opposite orders: PostgreSQL aborts one on a deadlock, the store runs it
// again, and every turn is applied once.
func TestTurnsSwapUsers(t *testing.T) {
	a, b := openTwo(t)
	x, err := a.CreateUser(ctx, store.User{UserID: "x"})
	if err != nil {
		t.Fatal(err)
	}
	y, err := b.CreateUser(ctx, store.User{UserID: "y"})
	if err != nil {
		t.Fatal(err)
	}
	const rounds = 4 // each deadlock costs PostgreSQL's deadlock_timeout (1s)
	var wg sync.WaitGroup
	var calls atomic.Int64
	for i, db := range []*pgstore.DB{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first, second := x.ID, y.ID
			if i == 1 {
				first, second = second, first
			}
			sid := fmt.Sprintf("session-swap-%d", i)
			for n := range rounds {
				err := db.Update(ctx, sid, func(t *store.Turn) error {
					calls.Add(1)
					if err := t.SetUser(first); err != nil {
						return err
					}
					if err := t.SetUser(second); err != nil {
						return err
					}
					if t.User.Attributes == nil {
						t.User.Attributes = map[string]string{}
					}
					t.User.Attributes[sid] = strconv.Itoa(n + 1)
					return nil
				})
				if err != nil {
					t.Errorf("Update: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, u := range []store.User{x, y} {
		got, err := a.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := "session-swap-1"
		if u.ID == y.ID {
			want = "session-swap-0"
		}
		if got.Attributes[want] != strconv.Itoa(rounds) {
			t.Errorf("user %s: attributes %v, want %s=%d", u.UserID, got.Attributes, want, rounds)
		}
	}
	t.Logf("%d turns ran their function %d times", 2*rounds, calls.Load())
}

// TestOutboxOneProcess shares an outbox between two stores: only one of
// them drains it, and the other takes over when the first closes or its
// connection dies.
func TestOutboxOneProcess(t *testing.T) {
	a, b := openTwo(t)
	d := store.Delivery{Key: "thread-1", Event: "ADD_MESSAGE", URL: "http://127.0.0.1:9/hook", Payload: []byte(`{}`)}
	if _, err := b.Enqueue(ctx, d); err != nil {
		t.Fatal(err)
	}
	due := func(db *pgstore.DB) int {
		t.Helper()
		ds, err := db.DueDeliveries(ctx, time.Now(), 10)
		if err != nil {
			t.Fatalf("DueDeliveries: %v", err)
		}
		return len(ds)
	}
	if n := due(a); n != 1 {
		t.Fatalf("the first store's DueDeliveries: got %d, want 1", n)
	}
	for range 3 {
		if n := due(b); n != 0 {
			t.Fatalf("the second store's DueDeliveries while the first drains: got %d, want 0", n)
		}
		if n := due(a); n != 1 {
			t.Fatalf("the first store's DueDeliveries again: got %d, want 1", n)
		}
	}
	a.Close()
	// The server ends a's connection, and so releases its lock, a moment
	// after a closes it.
	for deadline := time.Now().Add(10 * time.Second); due(b) != 1; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the second store does not drain the outbox once the first closed")
		}
	}

	// The leader's connection dies, as with a process killed: another
	// store takes over.
	c, err := pgstore.Open(ctx, pgtest.ConnString(), pgstore.WithSchema(b.Schema()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if n := due(c); n != 0 {
		t.Fatalf("a third store while the second drains: got %d, want 0", n)
	}
	exec(t, pgtest.ConnString(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`,
		"parley outbox "+b.Schema())
	// The second store may or may not have noticed yet; once the server
	// has ended its connection, one of the others drains.
	deadline := time.Now().Add(10 * time.Second)
	for {
		nb, _ := b.DueDeliveries(ctx, time.Now(), 10)
		nc := due(c)
		if len(nb)+nc == 1 {
			break
		}
		if len(nb)+nc > 1 {
			t.Fatalf("two stores drain at once: %d and %d", len(nb), nc)
		}
		if time.Now().After(deadline) {
			t.Fatal("no store drains the outbox after its drainer's connection ended")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

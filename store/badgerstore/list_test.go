package badgerstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/parleybot/parley/store"
)

// TestListUsersWalks checks every page ListUsers gives against the users
// filtered and sorted one by one, on stores whose keys come evenly, in
// bursts, in clumps sharing their first 8 bytes, and on both sides of 1970.
// Descending walks there read windows and segments (see pageFill.desc); the
// test fails if none did.
func TestListUsersWalks(t *testing.T) {
	var windows, segments int
	testHookDesc = func(pf *pageFill) {
		windows += pf.windows
		segments += pf.segments
	}
	t.Cleanup(func() { testHookDesc = nil })

	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	// Each spacing gives the gap before the i-th key's number.
	spacings := map[string]func(r *rand.Rand, i int) int64{
		"Even": func(r *rand.Rand, i int) int64 { return 1000 },
		"Bursts": func(r *rand.Rand, i int) int64 {
			if r.IntN(400) == 0 {
				return r.Int64N(1e12)
			}
			return 1 + r.Int64N(3)
		},
		"SparseDense": func(r *rand.Rand, i int) int64 {
			if i%1500 < 300 {
				return 1e10 + r.Int64N(1e10)
			}
			return 1
		},
		"Clumps": func(r *rand.Rand, i int) int64 {
			if r.IntN(700) == 0 {
				return 1 + r.Int64N(1e9)
			}
			return 0
		},
	}
	for _, name := range []string{"Even", "Bursts", "SparseDense", "Clumps", "Before1970"} {
		t.Run(name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(3, uint64(len(name))))
			spacing := spacings[name]
			start := base
			if name == "Before1970" {
				spacing = spacings["Bursts"]
				start = -2e12 // the keys' first byte is 0xff until 1970
			}
			db, users := walkStore(t, r, 3000, start, spacing)
			checkWalks(t, r, db, users)
		})
	}
	if windows == 0 || segments == 0 {
		t.Errorf("descending walks read %d windows, %d of them segments: want some of each", windows, segments)
	}
	t.Logf("descending walks read %d windows, %d of them segments", windows, segments)
}

// walkStore writes n users whose ids and lastSeen times follow spacing from
// start on, a few of them on the "rare" plan.
func walkStore(t *testing.T, r *rand.Rand, n int, start int64, spacing func(r *rand.Rand, i int) int64) (*DB, []store.User) {
	t.Helper()
	db, err := Open("", InMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cities := []string{"Paris", "Berlin", "Lisbon", "Madrid", "Rome", "Vienna", "Prague", "Warsaw", "Oslo", "Dublin"}
	users := make([]store.User, n)
	created, seen := start, start
	for i := range users {
		created += spacing(r, i)
		seen += spacing(r, i)
		var id [12]byte
		binary.BigEndian.PutUint64(id[:], uint64(created))
		binary.BigEndian.PutUint32(id[8:], r.Uint32()) // ids sharing their first 8 bytes in clumps
		u := store.User{ID: hexID(id[:]), UserID: fmt.Sprint("walk-", i), CreatedAt: time.Unix(0, created).UTC(),
			Attributes: map[string]string{"default_city": cities[r.IntN(len(cities))], "plan": "free"}}
		u.LastSeen = u.CreatedAt
		if r.IntN(3) > 0 { // lastSeen in an order of its own
			u.LastSeen = time.Unix(0, seen+r.Int64N(3)*spacing(r, i)).UTC()
		}
		if r.IntN(250) == 0 {
			u.Attributes["plan"] = "rare"
		}
		if r.IntN(40) == 0 {
			u.Attributes["vip"] = "yes"
		}
		users[i] = u
	}
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	for i := range users {
		u := &users[i]
		rec := encodeUser(nil, u)
		if err := wb.Set(key1(kUser, u.ID), rec); err != nil {
			t.Fatal(err)
		}
		if err := wb.Set(lastSeenKey(u.LastSeen, u.ID), rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := wb.Flush(); err != nil {
		t.Fatal(err)
	}
	return db, users
}

// checkWalks pages through users in both sorts and orders, under filters
// that match many, few or none, from the start and from random users.
func checkWalks(t *testing.T, r *rand.Rand, db *DB, users []store.User) {
	filters := map[string][]store.Filter{
		"None":  nil,
		"City":  {{Field: "attributes.default_city", Op: store.OpEquals, Value: "Paris"}},
		"Rare":  {{Field: "attributes.plan", Op: store.OpEquals, Value: "rare"}},
		"VIP":   {{Field: "attributes.vip", Op: store.OpExists}},
		"Never": {{Field: "attributes.plan", Op: store.OpEquals, Value: "never"}},
	}
	for _, sort := range []string{store.SortCreatedAt, store.SortLastSeen} {
		for _, order := range []string{store.Desc, store.Asc} {
			all := slices.Clone(users)
			slices.SortFunc(all, func(a, b store.User) int {
				if sort == store.SortLastSeen {
					return bytes.Compare(lastSeenKey(a.LastSeen, a.ID), lastSeenKey(b.LastSeen, b.ID))
				}
				return bytes.Compare(rawID(a.ID), rawID(b.ID))
			})
			if order == store.Desc {
				slices.Reverse(all)
			}
			for fname, fs := range filters {
				q := store.UserQuery{Sort: sort, Order: order, Filters: fs}
				var want []store.User
				for _, u := range all {
					if q.Matches(&u) {
						want = append(want, u)
					}
				}
				name := fmt.Sprintf("%s/%s/%s", sort, order, fname)
				// Every page from the start, in pages of 3 when few match.
				q.Limit = 40
				if len(want) < 100 {
					q.Limit = 3
				}
				checkPages(t, db, name, q, want)
				// One page after a random user.
				for range 3 {
					at := r.IntN(len(all))
					q := q
					q.Limit, q.After = 40, all[at].ID
					var after []store.User
					for _, u := range all[at+1:] {
						if q.Matches(&u) {
							after = append(after, u)
						}
					}
					checkPage(t, db, name+" after "+q.After, q, after[:min(len(after), q.Limit)])
				}
			}
		}
	}
}

func checkPages(t *testing.T, db *DB, name string, q store.UserQuery, want []store.User) {
	t.Helper()
	for {
		n := min(len(want), q.Limit)
		next := checkPage(t, db, fmt.Sprintf("%s after %q", name, q.After), q, want[:n])
		wantNext := ""
		if n == q.Limit {
			wantNext = want[n-1].ID
		}
		if next != wantNext {
			t.Fatalf("%s after %q: got next %q, want %q", name, q.After, next, wantNext)
		}
		if next == "" {
			return
		}
		want, q.After = want[n:], next
	}
}

// checkPage lists one page and compares it with want; it returns the page's
// Next.
func checkPage(t *testing.T, db *DB, name string, q store.UserQuery, want []store.User) string {
	t.Helper()
	// A walk that loops is cut short.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := db.ListUsers(ctx, q)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(p.Users) != len(want) || len(want) > 0 && !reflect.DeepEqual(p.Users, want) {
		ids := func(us []store.User) []string {
			var s []string
			for _, u := range us {
				s = append(s, u.ID)
			}
			return s
		}
		t.Fatalf("%s: got %d users %v, want %d %v", name, len(p.Users), ids(p.Users), len(want), ids(want))
	}
	return p.Next
}

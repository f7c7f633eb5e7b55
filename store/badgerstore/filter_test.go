package badgerstore

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley/store"
)

// TestMatcherAgrees checks that filtering records in place agrees with
// store.UserQuery.Matches on the users decodeUser reads from them: on varied
// users (long values and ids whose lengths take two varint bytes, keys that
// are prefixes of others, zero and pre-1970 times, times on a filter's
// boundary, filters on times Unix nanoseconds cannot hold), and on damaged
// records, which both must reject alike.
func TestMatcherAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	segs := []string{"0123456789abcdef01234567", "aaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbb"}
	keys := []string{"city", "cit", "cityx", "plan", "x", strings.Repeat("k", 128)}
	vals := []string{"Paris", "Par", "Berlin", "aris", "é", strings.Repeat("v", 200), strings.Repeat("v", 199) + "w"}
	randTime := func() time.Time {
		switch r.IntN(8) {
		case 0:
			return time.Time{}
		case 1:
			return time.Unix(0, -r.Int64N(1e18)).UTC() // before 1970
		}
		return base.Add(time.Duration(r.IntN(10)) * time.Minute)
	}
	filterTimes := []time.Time{
		base.Add(-1), base, base.Add(1), base.Add(5 * time.Minute), time.Unix(0, 0),
		time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(0, math.MinInt64), time.Unix(0, math.MaxInt64), time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	randUser := func() *store.User {
		u := &store.User{ID: segs[0], UserID: strings.Repeat("u", 1+r.IntN(300)), Banned: r.IntN(2) == 0,
			Conversations: r.IntN(300), SessionID: []string{"", "session-1"}[r.IntN(2)],
			CreatedAt: randTime(), LastSeen: randTime()}
		n := r.IntN(6)
		if r.IntN(10) == 0 {
			n = 150 // the count takes two bytes
		}
		for i := range n {
			k := keys[r.IntN(len(keys))]
			if i >= len(keys) {
				k = fmt.Sprint("key", i)
			}
			if u.Attributes == nil {
				u.Attributes = map[string]string{}
			}
			u.Attributes[k] = vals[r.IntN(len(vals))]
		}
		for _, s := range segs {
			if r.IntN(2) == 0 {
				u.Segments = append(u.Segments, s)
			}
		}
		if r.IntN(10) == 0 {
			u.Segments = append(u.Segments, "") // encoded as no id
		}
		return u
	}
	randFilter := func() store.Filter {
		switch r.IntN(5) {
		case 0:
			return store.Filter{Field: []string{store.FieldCreatedAt, store.FieldLastSeen}[r.IntN(2)],
				Op: []string{store.OpBefore, store.OpAfter}[r.IntN(2)], Time: filterTimes[r.IntN(len(filterTimes))]}
		case 1:
			return store.Filter{Field: store.FieldSegment, Op: []string{store.OpEquals, store.OpNotEquals}[r.IntN(2)], Value: segs[r.IntN(3)]}
		case 2:
			return store.Filter{Field: store.FieldBanned, Op: store.OpEquals, Value: fmt.Sprint(r.IntN(2) == 0)}
		}
		f := store.Filter{Field: "attributes." + append(keys, "y")[r.IntN(len(keys)+1)],
			Op: []string{store.OpEquals, store.OpNotEquals, store.OpContains, store.OpExists}[r.IntN(4)]}
		if f.Op != store.OpExists {
			f.Value = vals[r.IntN(len(vals))]
		}
		return f
	}
	// check compares the matcher with a full decode on the record b.
	check := func(i int, q *store.UserQuery, b []byte) {
		t.Helper()
		got, err := newMatcher(q).match(b)
		var u store.User
		derr := decodeUser(b, segs[0], &u)
		if (err != nil) != (derr != nil) {
			t.Fatalf("case %d: record %x, query %+v: match error %v, decodeUser error %v", i, b, q, err, derr)
		}
		if derr != nil {
			return
		}
		if want := q.Matches(&u); got != want {
			t.Fatalf("case %d: user %+v, query %+v: got %v, want %v", i, u, q, got, want)
		}
	}
	for i := range 20000 {
		u := randUser()
		q := store.UserQuery{Match: []string{store.MatchAll, store.MatchAny}[r.IntN(2)]}
		for range 1 + r.IntN(5) {
			q.Filters = append(q.Filters, randFilter())
		}
		q, err := q.Normalize()
		if err != nil {
			t.Fatal(err)
		}
		b := encodeUser(nil, u)
		if got, want := func() bool { ok, _ := newMatcher(&q).match(b); return ok }(), q.Matches(u); got != want {
			t.Fatalf("case %d: user %+v, query %+v: got %v, want %v", i, u, q, got, want)
		}
		check(i, &q, b)
		if i%10 != 0 {
			continue
		}
		// Damaged records: cut short, or one byte changed.
		check(i, &q, b[:r.IntN(len(b))])
		d := bytes.Clone(b)
		d[r.IntN(len(d))] = byte(r.IntN(256))
		check(i, &q, d)
	}
}

// TestSessionSize measures a typical idle session as stored: it must stay
// far below 2 KB.
func TestSessionSize(t *testing.T) {
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	s := &store.Session{
		ID: "c6d4bc58-4947-4f82-9e0b-67b87c6dc2de", UserID: "5b7ff847cc3c3fb33c9249a8", StoryID: "5b07fd67c2376e30306d9b0d",
		Contexts: []store.Context{
			{InteractionID: "5b07ffafc2376e30306d9b16", Lifespan: 2, Parameters: map[string]string{"size": "large", "drink": "latte"}},
			{InteractionID: "5b07ffafc2376e30306d9b17", Lifespan: 1},
		},
		Slot:       &store.SlotFilling{InteractionID: "5b07ffafc2376e30306d9b18", Parameter: "milk", Parameters: map[string]string{"size": "large"}},
		Attributes: map[string]string{"default_email": "alexis.mcglynn77@hotmail.com", "default_name": "Alexis", "group-selected": "14"},
		Failures:   1, ThreadID: "5c486e62bda7873576a379e4",
		StartedAt: now, UpdatedAt: now, ExpiresAt: now.Add(30 * time.Minute),
	}
	thread := encodeThread(nil, &store.Thread{Mode: store.ModeAI, Messages: 3})
	b := encodeSession(nil, s, thread)
	var back store.Session
	carried, err := decodeSession(b, s.ID, &back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(carried, thread) {
		t.Errorf("thread carried: got %x, want %x", carried, thread)
	}
	if !reflect.DeepEqual(back, *s) {
		t.Errorf("round trip:\ngot  %+v\nwant %+v", back, *s)
	}
	const limit = 2048
	if len(b) > limit {
		t.Errorf("encoded session: got %d bytes, want ≤ %d", len(b), limit)
	}
	j, _ := json.Marshal(s)
	t.Logf("a typical session takes %d bytes (key %d bytes); encoding/json would take %d", len(b), 1+len(s.ID), len(j))
}

func TestCorruptRecord(t *testing.T) {
	u := &store.User{UserID: "u", Attributes: map[string]string{"a": "b"}, Segments: []string{"0123456789abcdef01234567"}}
	b := encodeUser(nil, u)
	for i := range len(b) {
		var got store.User
		if err := decodeUser(b[:i], "x", &got); err == nil {
			t.Errorf("decoding %d of %d bytes: no error", i, len(b))
		}
		q := store.UserQuery{Filters: []store.Filter{{Field: "attributes.a", Op: store.OpExists}}}
		if _, err := newMatcher(&q).match(b[:i]); err == nil {
			t.Errorf("matching %d of %d bytes: no error", i, len(b))
		}
	}
}

// TestUvarint64 checks that uvarint64 reads as binary.Uvarint does: every
// length, the largest values, overflow, and cut-short or random bytes.
func TestUvarint64(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var inputs [][]byte
	for _, v := range []uint64{0, 1, 127, 128, 1<<56 - 1, 1 << 56, 1<<63 - 1, 1 << 63, math.MaxUint64} {
		inputs = append(inputs, binary.AppendUvarint(nil, v))
	}
	for range 20000 {
		v := r.Uint64() >> r.IntN(64)
		inputs = append(inputs, binary.AppendUvarint(nil, v))
		b := make([]byte, r.IntN(14))
		for i := range b {
			b[i] = byte(r.IntN(256)) | byte(r.IntN(2))<<7 // mostly with the high bit
		}
		inputs = append(inputs, b)
	}
	inputs = append(inputs, bytes.Repeat([]byte{0xff}, 12), append(bytes.Repeat([]byte{0xff}, 9), 1), append(bytes.Repeat([]byte{0xff}, 9), 2))
	for _, in := range inputs {
		for _, b := range [][]byte{in, append(bytes.Clone(in), 0xaa, 0x01, 0xff, 0x05, 0, 0, 0, 0, 0, 0, 0)} {
			v, n := uvarint64(b)
			wv, wn := binary.Uvarint(b)
			if (n > 0) != (wn > 0) || n > 0 && (v != wv || n != wn) {
				t.Fatalf("uvarint64(%x) = %d, %d; binary.Uvarint gives %d, %d", b, v, n, wv, wn)
			}
		}
	}
}

package badgerstore

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"time"

	"github.com/parleybot/parley/store"
)

// Listing users checks filters on each record as stored, in one pass over
// its bytes, without decoding it (and allocating) unless it matches: a page
// with a filter few users match may read a good part of the store. The pass
// reads every field as decodeUser does, so that a record it finds corrupt is
// exactly one that decodeUser rejects.

// A matcher is a normalized UserQuery's filters, ready to check user
// records. It keeps what it read of the record being checked, so it is not
// safe for concurrent use.
type matcher struct {
	any     bool
	filters []filter
	attrs   []int // indexes of the attribute filters
	segs    []int // indexes of the segment filters
	// found and vals hold, for each filter, whether the record has its
	// attribute or segment, and the attribute's value.
	found []bool
	vals  [][]byte
}

type filterKind uint8

const (
	attrEquals filterKind = iota
	attrNotEquals
	attrContains
	attrExists
	createdAt
	lastSeen
	inSegment
	notInSegment
	banned
)

// A filter is a store.Filter in the terms of the encoded record.
type filter struct {
	kind  filterKind
	key   string // attribute key
	value []byte // attribute value, or raw segment id
	// A time filter matches a nonzero time of lo ≤ Unix nanoseconds ≤ hi,
	// and the zero time if zero.
	lo, hi int64
	zero   bool
	// A banned filter matches users whose banned flag is banned.
	banned bool
}

// The times that Unix nanoseconds can hold.
var (
	minNanos = time.Unix(0, math.MinInt64)
	maxNanos = time.Unix(0, math.MaxInt64)
)

func newMatcher(q *store.UserQuery) *matcher {
	m := &matcher{any: q.Match == store.MatchAny}
	for i := range q.Filters {
		f := &q.Filters[i]
		pf := filter{value: []byte(f.Value)}
		switch f.Field {
		case store.FieldCreatedAt, store.FieldLastSeen:
			pf.kind = createdAt
			if f.Field == store.FieldLastSeen {
				pf.kind = lastSeen
			}
			pf.lo, pf.hi = nanosRange(f.Op, f.Time)
			pf.zero = f.Matches(&store.User{}) // a user whose times are both zero
		case store.FieldSegment:
			pf.kind = inSegment
			if f.Op != store.OpEquals {
				pf.kind = notInSegment
			}
			pf.value = rawID(f.Value)
			m.segs = append(m.segs, i)
		case store.FieldBanned:
			pf.kind = banned
			pf.banned = f.Value == "true"
		default:
			pf.key = strings.TrimPrefix(f.Field, store.FieldAttribute)
			switch f.Op {
			case store.OpEquals:
				pf.kind = attrEquals
			case store.OpNotEquals:
				pf.kind = attrNotEquals
			case store.OpContains:
				pf.kind = attrContains
			default:
				pf.kind = attrExists
			}
			m.attrs = append(m.attrs, i)
		}
		m.filters = append(m.filters, pf)
	}
	m.found = make([]bool, len(m.filters))
	m.vals = make([][]byte, len(m.filters))
	return m
}

// nanosRange returns the Unix nanoseconds n of the nonzero times that are
// before (op store.OpBefore) or after t, as lo ≤ n ≤ hi; lo > hi when there
// are none. t may be beyond what Unix nanoseconds hold.
func nanosRange(op string, t time.Time) (lo, hi int64) {
	before := op == store.OpBefore
	switch {
	case t.Before(minNanos):
		if before {
			return 1, 0
		}
		return math.MinInt64, math.MaxInt64
	case t.After(maxNanos):
		if before {
			return math.MinInt64, math.MaxInt64
		}
		return 1, 0
	}
	n := t.UnixNano()
	if before {
		if n == math.MinInt64 {
			return 1, 0
		}
		return math.MinInt64, n - 1
	}
	if n == math.MaxInt64 {
		return 1, 0
	}
	return n + 1, math.MaxInt64
}

// match reports whether the user record v passes the filters. It reads the
// record in the order encodeUser wrote it, and fails where decodeUser does.
func (m *matcher) match(v []byte) (bool, error) {
	if len(m.filters) == 0 {
		return true, nil
	}
	clear(m.found)
	s := scan{b: v}
	if s.byte() != recordFormat {
		s.fail()
	}
	s.raw() // userId
	isBanned := s.byte() != 0
	for range s.count() {
		k := s.raw()
		val := s.raw()
		for _, i := range m.attrs {
			if string(k) == m.filters[i].key {
				m.found[i], m.vals[i] = true, val // the last wins, as in a map
			}
		}
	}
	for range s.count() {
		switch s.byte() {
		case 0:
		case 12:
			if len(s.b) < 12 {
				s.fail()
				break
			}
			id := s.b[:12]
			s.b = s.b[12:]
			for _, i := range m.segs {
				if bytes.Equal(id, m.filters[i].value) {
					m.found[i] = true
				}
			}
		default:
			s.fail()
		}
	}
	s.uint() // conversations
	s.raw()  // sessionId
	created, createdSet := s.time()
	seen, seenSet := s.time()
	if s.bad {
		return false, errCorrupt
	}
	for i := range m.filters {
		pf := &m.filters[i]
		var ok bool
		switch pf.kind {
		case attrEquals:
			ok = m.found[i] && bytes.Equal(m.vals[i], pf.value)
		case attrNotEquals:
			ok = !m.found[i] || !bytes.Equal(m.vals[i], pf.value)
		case attrContains:
			ok = m.found[i] && bytes.Contains(m.vals[i], pf.value)
		case attrExists, inSegment:
			ok = m.found[i]
		case notInSegment:
			ok = !m.found[i]
		case createdAt:
			ok = pf.timeMatch(created, createdSet)
		case lastSeen:
			ok = pf.timeMatch(seen, seenSet)
		case banned:
			ok = isBanned == pf.banned
		}
		if ok == m.any {
			return m.any, nil
		}
	}
	return !m.any, nil
}

func (pf *filter) timeMatch(nanos int64, set bool) bool {
	if !set {
		return pf.zero
	}
	return pf.lo <= nanos && nanos <= pf.hi
}

// A scan reads an encoded record in place. Like a decoder, it stops at the
// first error, and fails on the same input; it only allocates nothing.
type scan struct {
	b   []byte
	bad bool
}

func (s *scan) fail() {
	s.bad = true
	s.b = nil
}

func (s *scan) byte() byte {
	if len(s.b) < 1 {
		s.fail()
		return 0
	}
	v := s.b[0]
	s.b = s.b[1:]
	return v
}

func (s *scan) uint() uint64 {
	if len(s.b) > 0 && s.b[0] < 0x80 { // most lengths take one byte
		v := s.b[0]
		s.b = s.b[1:]
		return uint64(v)
	}
	v, n := binary.Uvarint(s.b)
	if n <= 0 {
		s.fail()
		return 0
	}
	s.b = s.b[n:]
	return v
}

// count reads a length and checks it against what is left.
func (s *scan) count() int {
	n := s.uint()
	if n > uint64(len(s.b)) {
		s.fail()
		return 0
	}
	return int(n)
}

func (s *scan) raw() []byte {
	n := s.count()
	v := s.b[:n:n]
	s.b = s.b[n:]
	return v
}

// time reads an encoded time as Unix nanoseconds, and whether it is set
// (not the zero time).
func (s *scan) time() (int64, bool) {
	if s.byte() == 0 {
		return 0, false
	}
	v, n := binary.Varint(s.b)
	if n <= 0 {
		s.fail()
		return 0, false
	}
	s.b = s.b[n:]
	return v, true
}

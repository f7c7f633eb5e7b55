package badgerstore

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
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
	tags    []int // indexes of the tag filters
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
	hasTag
	notTag
	feedbackAtLeast
	feedbackAtMost
	messagesAtLeast
	messagesAtMost
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
	// A feedback filter compares the user's feedback count with n.
	n uint64
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
		case store.FieldTag:
			pf.kind, pf.key = hasTag, f.Value
			if f.Op != store.OpEquals {
				pf.kind = notTag
			}
			m.tags = append(m.tags, i)
		case store.FieldFeedback:
			pf.kind = feedbackAtLeast
			if f.Op == store.OpAtMost {
				pf.kind = feedbackAtMost
			}
			pf.n, _ = strconv.ParseUint(f.Value, 10, 64)
		case store.FieldMessages:
			pf.kind = messagesAtLeast
			if f.Op == store.OpAtMost {
				pf.kind = messagesAtMost
			}
			pf.n, _ = strconv.ParseUint(f.Value, 10, 64)
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
	filters, attrs, found, vals := m.filters, m.attrs, m.found, m.vals
	clear(found)
	b, ok := v, len(v) > 0 && v[0] >= recordFormat && v[0] <= verifiedFormat
	if ok {
		b = b[1:]
	}
	_, b, ok = field(b, ok) // userId
	isBanned := len(b) > 0 && b[0] != 0
	b, ok = skip(b, 1, ok)
	var n int
	n, b, ok = count(b, ok)
	for range n {
		var k, val []byte
		if !ok || len(b) == 0 {
			ok = false
		} else if kn := int(b[0]); kn < 0x80 && kn+1 < len(b) && int(b[kn+1]) < 0x80 && kn+1+int(b[kn+1]) < len(b) {
			// Key and value both shorter than 128 bytes: read them here.
			vn := int(b[kn+1])
			k, val, b = b[1:1+kn], b[kn+2:kn+2+vn], b[kn+2+vn:]
		} else {
			k, b, ok = field(b, ok)
			val, b, ok = field(b, ok)
		}
		for _, i := range attrs {
			if string(k) == filters[i].key {
				found[i], vals[i] = true, val // the last wins, as in a map
			}
		}
	}
	n, b, ok = count(b, ok)
	for range n {
		if !ok || len(b) == 0 {
			ok = false
			break
		}
		switch b[0] {
		case 0:
			b = b[1:]
		case 12:
			if len(b) < 13 {
				ok = false
				break
			}
			for _, i := range m.segs {
				if bytes.Equal(b[1:13], m.filters[i].value) {
					m.found[i] = true
				}
			}
			b = b[13:]
		default:
			ok = false
		}
	}
	_, b, ok = uvarint(b, ok) // conversations
	_, b, ok = field(b, ok)   // sessionId
	created, createdSet, b, ok := timeField(b, ok)
	seen, seenSet, b, ok := timeField(b, ok)
	var feedback, messages uint64
	if ok && v[0] >= extendedFormat {
		n, b, ok = count(b, ok)
		for range n {
			var t []byte
			t, b, ok = field(b, ok)
			for _, i := range m.tags {
				if string(t) == filters[i].key {
					found[i] = true
				}
			}
		}
		feedback, b, ok = uvarint(b, ok)
	}
	if ok && v[0] >= userFormat {
		messages, b, ok = uvarint(b, ok)
	}
	if ok && v[0] == verifiedFormat {
		_, _, ok = field(b, ok) // the verified email, read whole as decodeUser does
	}
	if !ok {
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
		case hasTag:
			ok = m.found[i]
		case notTag:
			ok = !m.found[i]
		case feedbackAtLeast:
			ok = feedback >= pf.n
		case feedbackAtMost:
			ok = feedback <= pf.n
		case messagesAtLeast:
			ok = messages >= pf.n
		case messagesAtMost:
			ok = messages <= pf.n
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

// The readers below take what is left of a record and whether it is whole
// so far, and return what follows the field and whether it still is. Once
// a record is found damaged they read nothing. Their first lines read the
// common case (a length or number below 128) and are inlined.

// skip skips n bytes.
func skip(b []byte, n int, ok bool) ([]byte, bool) {
	if !ok || len(b) < n {
		return nil, false
	}
	return b[n:], true
}

// uvarint reads an unsigned varint.
func uvarint(b []byte, ok bool) (uint64, []byte, bool) {
	if ok && len(b) > 0 && b[0] < 0x80 {
		return uint64(b[0]), b[1:], true
	}
	return uvarintSlow(b, ok)
}

func uvarintSlow(b []byte, ok bool) (uint64, []byte, bool) {
	if !ok {
		return 0, nil, false
	}
	v, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, nil, false
	}
	return v, b[n:], true
}

// count reads a length no greater than what is left.
func count(b []byte, ok bool) (int, []byte, bool) {
	n, b, ok := uvarint(b, ok)
	if n > uint64(len(b)) {
		return 0, nil, false
	}
	return int(n), b, ok
}

// field reads a length-prefixed field.
func field(b []byte, ok bool) (f, rest []byte, _ bool) {
	if ok && len(b) > 0 {
		if n := int(b[0]); n < 0x80 && n < len(b) {
			return b[1 : 1+n : 1+n], b[1+n:], true
		}
	}
	return fieldSlow(b, ok)
}

func fieldSlow(b []byte, ok bool) (f, rest []byte, _ bool) {
	n, b, ok := count(b, ok)
	if !ok {
		return nil, nil, false
	}
	return b[:n:n], b[n:], true
}

// timeField reads a time as Unix nanoseconds, and whether it is set (not
// the zero time).
func timeField(b []byte, ok bool) (nanos int64, set bool, rest []byte, _ bool) {
	if !ok || len(b) == 0 {
		return 0, false, nil, false
	}
	if b[0] == 0 {
		return 0, false, b[1:], true
	}
	u, n := uvarint64(b[1:])
	if n <= 0 {
		return 0, false, nil, false
	}
	return int64(u>>1) ^ -int64(u&1), true, b[1+n:], true // binary.Varint's zigzag
}

// uvarint64 is binary.Uvarint, reading 8 bytes at once when it can: a time
// takes 9.
func uvarint64(b []byte) (uint64, int) {
	if len(b) < 10 {
		return binary.Uvarint(b)
	}
	x := binary.LittleEndian.Uint64(b)
	if last := ^x & 0x8080808080808080; last != 0 {
		n := bits.TrailingZeros64(last)/8 + 1 // the bytes up to the first without the high bit
		return varintBits(x & (math.MaxUint64 >> (64 - 8*n))), n
	}
	switch {
	case b[8] < 0x80:
		return varintBits(x) | uint64(b[8])<<56, 9
	case b[9] <= 1:
		return varintBits(x) | uint64(b[8]&0x7f)<<56 | uint64(b[9])<<63, 10
	}
	return 0, -10 // overflow
}

// varintBits packs the low 7 bits of the 8 bytes of x (little-endian) into
// 56 bits.
func varintBits(x uint64) uint64 {
	x &= 0x7f7f7f7f7f7f7f7f
	x = (x & 0x007f007f007f007f) | (x&0x7f007f007f007f00)>>1
	x = (x & 0x00003fff00003fff) | (x&0x3fff00003fff0000)>>2
	return (x & 0x000000000fffffff) | (x&0x0fffffff00000000)>>4
}

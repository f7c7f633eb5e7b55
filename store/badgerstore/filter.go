package badgerstore

import (
	"bytes"
	"strings"

	"github.com/parleybot/parley/store"
)

// Listing users checks filters on each record as stored, without decoding it
// (and allocating) unless it matches: a page with a filter few users match
// may read a good part of the store.

// A userView is a user record read in place. Its slices point into the
// record and are only valid while the record is.
type userView struct {
	banned   bool
	attrs    []byte // the encoded attributes
	nattrs   int
	segs     []byte // the encoded segments
	nsegs    int
	created  int64 // Unix nanoseconds
	lastSeen int64
}

func parseUserView(v []byte, uv *userView) error {
	d := decoder{b: v}
	d.version()
	d.raw() // userId
	uv.banned = d.bool()
	uv.nattrs = d.count()
	rest := d.b
	for range uv.nattrs {
		d.raw()
		d.raw()
	}
	uv.attrs = rest[:len(rest)-len(d.b)]
	uv.nsegs = d.count()
	rest = d.b
	for range uv.nsegs {
		d.id2()
	}
	uv.segs = rest[:len(rest)-len(d.b)]
	d.uint() // conversations
	d.raw()  // sessionId
	uv.created = d.nanos()
	uv.lastSeen = d.nanos()
	return d.err
}

// id2 skips an encoded id.
func (d *decoder) id2() {
	switch d.byte() {
	case 0:
	case 12:
		if len(d.b) < 12 {
			d.fail()
			return
		}
		d.b = d.b[12:]
	default:
		d.fail()
	}
}

// nanos reads an encoded time as Unix nanoseconds (0 for the zero time).
func (d *decoder) nanos() int64 {
	if d.byte() == 0 {
		return 0
	}
	return d.int()
}

func (uv *userView) attr(key string) ([]byte, bool) {
	d := decoder{b: uv.attrs}
	for range uv.nattrs {
		k := d.raw()
		v := d.raw()
		if string(k) == key {
			return v, true
		}
	}
	return nil, false
}

func (uv *userView) inSegment(raw []byte) bool {
	d := decoder{b: uv.segs}
	for range uv.nsegs {
		if d.byte() != 12 || len(d.b) < 12 {
			return false
		}
		if bytes.Equal(d.b[:12], raw) {
			return true
		}
		d.b = d.b[12:]
	}
	return false
}

// A matcher is a normalized UserQuery's filters, ready to check views.
type matcher struct {
	any     bool
	filters []filter
}

type filter struct {
	f     *store.Filter
	key   string // attribute key
	value []byte
	seg   []byte // raw segment id
	nanos int64
}

func newMatcher(q *store.UserQuery) *matcher {
	m := &matcher{any: q.Match == store.MatchAny}
	for i := range q.Filters {
		f := &q.Filters[i]
		pf := filter{f: f, value: []byte(f.Value)}
		switch f.Field {
		case store.FieldCreatedAt, store.FieldLastSeen:
			pf.nanos = f.Time.UnixNano()
		case store.FieldSegment:
			pf.seg = rawID(f.Value)
		case store.FieldBanned:
		default:
			pf.key = strings.TrimPrefix(f.Field, store.FieldAttribute)
		}
		m.filters = append(m.filters, pf)
	}
	return m
}

// match reports whether the record v passes the filters.
func (m *matcher) match(v []byte) (bool, error) {
	if len(m.filters) == 0 {
		return true, nil
	}
	var uv userView
	if err := parseUserView(v, &uv); err != nil {
		return false, err
	}
	for i := range m.filters {
		if m.filters[i].match(&uv) == m.any {
			return m.any, nil
		}
	}
	return !m.any, nil
}

// match is store.Filter.Matches on a view; the two must agree.
func (pf *filter) match(uv *userView) bool {
	f := pf.f
	switch f.Field {
	case store.FieldCreatedAt:
		return timeMatch(f.Op, uv.created, pf.nanos)
	case store.FieldLastSeen:
		return timeMatch(f.Op, uv.lastSeen, pf.nanos)
	case store.FieldSegment:
		return uv.inSegment(pf.seg) == (f.Op == store.OpEquals)
	case store.FieldBanned:
		return uv.banned == (f.Value == "true")
	}
	v, ok := uv.attr(pf.key)
	switch f.Op {
	case store.OpEquals:
		return ok && bytes.Equal(v, pf.value)
	case store.OpNotEquals:
		return !ok || !bytes.Equal(v, pf.value)
	case store.OpContains:
		return ok && bytes.Contains(v, pf.value)
	case store.OpExists:
		return ok
	}
	return false
}

func timeMatch(op string, t, ft int64) bool {
	if op == store.OpBefore {
		return t < ft
	}
	return t > ft
}

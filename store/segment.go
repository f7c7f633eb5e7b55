package store

import "slices"

// MaxSegmentFilters is the most filters a [SegmentFilter] may have.
const MaxSegmentFilters = MaxQueryFilters

// A SegmentFilter is the saved filter of a segment (Userbot's
// SegmentFilter): conditions on users, as in a [UserQuery], matched all or
// any. A range of dates is two filters, "after" and "before", under
// MatchAll. A segment filter may name segments of explicit members, not
// other saved filters.
type SegmentFilter struct {
	// Match is MatchAll (the default, "") or MatchAny.
	Match string
	// Filters are 1–20 conditions; see [Filter].
	Filters []Filter
}

// Clone returns a copy of f that shares nothing with it.
func (f *SegmentFilter) Clone() *SegmentFilter {
	if f == nil {
		return nil
	}
	c := *f
	c.Filters = slices.Clone(f.Filters)
	return &c
}

// Normalize checks f and returns it with its Match filled in. Errors name
// fields under "filter.".
func (f SegmentFilter) Normalize() (SegmentFilter, error) {
	if len(f.Filters) == 0 {
		return f, invalid("filter.filters", "must have 1 to 20 entries")
	}
	var err error
	f.Match, err = checkFilters("filter.", f.Match, f.Filters, MaxSegmentFilters)
	return f, err
}

// Query returns a query for the users matching f.
func (f *SegmentFilter) Query() UserQuery {
	return UserQuery{Match: f.Match, Filters: slices.Clone(f.Filters)}
}

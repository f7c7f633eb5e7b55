package store

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// A User is a person who chats with the bot (ChatBot.com's user object).
type User struct {
	// ID is the store's 24-character hex id, assigned by CreateUser. IDs
	// sort in creation order.
	ID string
	// UserID is the caller's own identifier (1–256 characters). When the
	// caller gives none, CreateUser uses attributes.default_email if present
	// and a random UUID otherwise. It is unique.
	UserID string
	// Banned reports whether the user is banned.
	Banned bool
	// Attributes are the user's attributes: ChatBot.com's default_* keys and
	// custom keys matching ^[\w-]{1,128}$, 1–99 of them, values of 1–1024
	// characters (default_name 1–256). attributes.default_email is unique
	// across users, compared case-insensitively.
	Attributes map[string]string
	// Segments are the ids of the segments of explicit members the user
	// belongs to, sorted. (Segments defined by a saved filter are computed
	// when asked: see [SegmentFilter].)
	Segments []string
	// Tags are the names of the user's tags, sorted (see [CheckTag]).
	Tags []string
	// Feedback is the number of feedback records the user gave.
	Feedback int
	// Messages is the number of messages the user sent (USER_MESSAGEs
	// appended in their turns), counted by the store.
	Messages int
	// Conversations is the number of threads the user has had.
	Conversations int
	// SessionID is the session of the user's last turn, "" if none.
	SessionID string
	// VerifiedEmail is the address the user proved theirs by entering a
	// one-time code sent to it, "" if none (up to 1,024 characters). The
	// user is verified (SiteGPT's chatUser.verified) while it is their
	// default_email: see [User.Verified]. Only turns change it.
	VerifiedEmail string
	// CreatedAt is when the user was created; LastSeen is when the user
	// was created or last took part in a turn.
	CreatedAt, LastSeen time.Time
}

// Email returns the user's attributes.default_email, or "".
func (u *User) Email() string { return u.Attributes[AttrEmail] }

// Verified reports whether the user proved their email address theirs: a
// one-time code sent to their current default_email was entered. A
// changed address is not verified until a code sent to it is.
func (u *User) Verified() bool {
	e := u.Email()
	return e != "" && strings.EqualFold(e, u.VerifiedEmail)
}

// InSegment reports whether the user belongs to the segment with id seg.
func (u *User) InSegment(seg string) bool {
	for _, s := range u.Segments {
		if s == seg {
			return true
		}
	}
	return false
}

// HasTag reports whether the user has the tag named tag.
func (u *User) HasTag(tag string) bool {
	_, ok := slices.BinarySearch(u.Tags, tag)
	return ok
}

// Clone returns a deep copy of u.
func (u User) Clone() User {
	u.Attributes = cloneMap(u.Attributes)
	if u.Segments != nil {
		u.Segments = append([]string(nil), u.Segments...)
	}
	if u.Tags != nil {
		u.Tags = append([]string(nil), u.Tags...)
	}
	return u
}

// Attribute keys with a meaning of their own.
const (
	AttrEmail = "default_email" // the user's email: unique, and an identity when userId is omitted
	AttrName  = "default_name"  // the user's name: 1–256 characters
)

// Sort fields of a [UserQuery].
const (
	SortCreatedAt = "createdAt" // the default
	SortLastSeen  = "lastSeen"
)

// Sort orders of a [UserQuery].
const (
	Asc  = "asc"
	Desc = "desc" // the default
)

// Ways a [UserQuery] combines its filters.
const (
	MatchAll = "all" // every filter must hold (the default)
	MatchAny = "any" // at least one filter must hold
)

// Limits of a [UserQuery].
const (
	MaxPageSize     = 40 // the largest and the default UserQuery.Limit
	MaxFilters      = 5  // the most filters of ChatBot.com's List users (enforced by the engine)
	MaxQueryFilters = 20 // the most filters a UserQuery may have
)

// A UserQuery asks for one page of users (ChatBot.com's "List users"). Its
// zero value asks for the 40 newest users.
type UserQuery struct {
	// Limit is the page size, 1–40; 0 means 40.
	Limit int
	// Offset skips that many matching users first (after After, if
	// given), for a client that pages by position, as Userbot's dashboard
	// does. It costs a walk over the users skipped: the cursor (After) is
	// the cheap way through a long list.
	Offset int
	// After is the ID of the last user of the previous page; "" starts at
	// the beginning. Paging by createdAt never skips or repeats a user while
	// others are inserted; paging by lastSeen can skip or repeat a user whose
	// lastSeen changes between pages, and an After naming a user deleted
	// since is ErrNotFound.
	After string
	// Sort is SortCreatedAt (the default, "") or SortLastSeen.
	Sort string
	// Order is Desc (the default, "") or Asc.
	Order string
	// Match is MatchAll (the default, "") or MatchAny.
	Match string
	// Filters are 0–20 conditions on users (ChatBot.com's List users
	// allows 5, Userbot's saved filters 20).
	Filters []Filter
}

// Filter operators. Which ones a field accepts is listed on [Filter].
const (
	OpEquals    = "equals"
	OpNotEquals = "notEquals"
	OpContains  = "contains"
	OpExists    = "exists"
	OpBefore    = "before"
	OpAfter     = "after"
	OpAtLeast   = "atLeast"
	OpAtMost    = "atMost"
)

// Filter fields other than attributes.
const (
	FieldCreatedAt = "createdAt"
	FieldLastSeen  = "lastSeen"
	FieldSegment   = "segment"
	FieldBanned    = "banned"
	FieldTag       = "tag"
	FieldFeedback  = "feedback"
	FieldMessages  = "messages"
	// FieldAttribute prefixes an attribute key: "attributes.default_city".
	FieldAttribute = "attributes."
)

// A Filter is one condition of a [UserQuery]:
//
//   - "attributes.<key>" with OpEquals, OpNotEquals or OpContains and a
//     Value, or OpExists. Comparisons are exact (case-sensitive);
//     OpNotEquals holds for users without the attribute.
//   - FieldCreatedAt or FieldLastSeen with OpBefore or OpAfter and a Time
//     (strictly before or after).
//   - FieldSegment with OpEquals (member of the segment whose id is Value)
//     or OpNotEquals (not a member).
//   - FieldBanned with OpEquals and Value "true" or "false".
//   - FieldTag with OpEquals (has the tag named Value) or OpNotEquals.
//   - FieldFeedback with OpAtLeast or OpAtMost and a decimal Value: the
//     number of feedback records the user gave ("feedback:atLeast:1" is a
//     user who gave feedback).
//   - FieldMessages with OpAtLeast or OpAtMost and a decimal Value: the
//     number of messages the user sent.
type Filter struct {
	Field string
	Op    string
	Value string
	Time  time.Time
}

// Matches reports whether u satisfies f. f must be valid (see
// [UserQuery.Normalize]).
func (f *Filter) Matches(u *User) bool {
	switch f.Field {
	case FieldCreatedAt:
		return timeMatch(f, u.CreatedAt)
	case FieldLastSeen:
		return timeMatch(f, u.LastSeen)
	case FieldSegment:
		return u.InSegment(f.Value) == (f.Op == OpEquals)
	case FieldBanned:
		return u.Banned == (f.Value == "true")
	case FieldTag:
		return u.HasTag(f.Value) == (f.Op == OpEquals)
	case FieldFeedback, FieldMessages:
		n, _ := strconv.Atoi(f.Value)
		have := u.Feedback
		if f.Field == FieldMessages {
			have = u.Messages
		}
		if f.Op == OpAtLeast {
			return have >= n
		}
		return have <= n
	}
	v, ok := u.Attributes[strings.TrimPrefix(f.Field, FieldAttribute)]
	switch f.Op {
	case OpEquals:
		return ok && v == f.Value
	case OpNotEquals:
		return !ok || v != f.Value
	case OpContains:
		return ok && strings.Contains(v, f.Value)
	case OpExists:
		return ok
	}
	return false
}

func timeMatch(f *Filter, t time.Time) bool {
	if f.Op == OpBefore {
		return t.Before(f.Time)
	}
	return t.After(f.Time)
}

// Matches reports whether u satisfies q's filters under q.Match. A query
// without filters matches every user.
func (q *UserQuery) Matches(u *User) bool {
	if len(q.Filters) == 0 {
		return true
	}
	any := q.Match == MatchAny
	for i := range q.Filters {
		if q.Filters[i].Matches(u) == any {
			return any
		}
	}
	return !any
}

// A UserPage is one page of a user listing.
type UserPage struct {
	Users []User
	// Next is the After of the next page: the ID of the last user of this
	// page, or "" when this is the last page.
	Next string
}

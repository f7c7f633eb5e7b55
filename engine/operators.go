package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/parleybot/parley/store"
)

// The operations of Userbot's dashboard: users many at a time, tags,
// segments defined by saved filters, insights. Like the chat API's, each
// checks its input first: bad input is a *store.FieldError naming the field
// and the rule, and nothing is written.

// FindUsers returns one page of users, as ListUsers does, for an operator:
// up to 20 filters (ListUsers allows the chat API's 5), and Offset for a
// dashboard that pages by position. A segment filter naming a saved filter
// stands for that filter's conditions (see [Engine.SegmentQuery]).
func (e *Engine) FindUsers(ctx context.Context, q store.UserQuery) (store.UserPage, error) {
	q, err := e.expandSegments(ctx, q)
	if err != nil {
		return store.UserPage{}, err
	}
	return e.st.ListUsers(ctx, q)
}

// CountUsers returns the number of users matching q's filters (its paging
// is ignored), with FindUsers' rules.
func (e *Engine) CountUsers(ctx context.Context, q store.UserQuery) (int, error) {
	q, err := e.expandSegments(ctx, q)
	if err != nil {
		return 0, err
	}
	n, err := e.st.CountUsers(ctx, q)
	if err != nil {
		return 0, err
	}
	return n[0], nil
}

// expandSegments checks q and replaces each filter "segment equals S",
// where S is a saved filter, by S's filters. With one filter in all, the
// query takes S's filters and match; otherwise S must match as q does (or
// have one filter), so that the conditions can stand side by side.
// "segment notEquals S" of a saved filter cannot be expressed in one list
// of conditions and is refused.
func (e *Engine) expandSegments(ctx context.Context, q store.UserQuery) (store.UserQuery, error) {
	q, err := q.Normalize()
	if err != nil {
		return q, err
	}
	if !slices.ContainsFunc(q.Filters, func(f store.Filter) bool { return f.Field == store.FieldSegment }) {
		return q, nil
	}
	segs, err := e.st.ListSegments(ctx)
	if err != nil {
		return q, err
	}
	saved := map[string]*store.SegmentFilter{}
	for _, s := range segs {
		if s.Filter != nil {
			saved[s.ID] = s.Filter
		}
	}
	var out []store.Filter
	for i, f := range q.Filters {
		sf := saved[f.Value]
		if f.Field != store.FieldSegment || sf == nil {
			out = append(out, f)
			continue
		}
		field := fmt.Sprintf("filters[%d]", i)
		switch {
		case f.Op != store.OpEquals:
			return q, invalid(field+".op", "must be equals for a segment defined by a saved filter")
		case len(q.Filters) == 1:
			q.Match = sf.Match
		case sf.Match != q.Match && len(sf.Filters) > 1:
			return q, invalid(field+".value", "names a saved filter matching "+sf.Match+" filters: the query must match "+sf.Match+" too")
		}
		out = append(out, sf.Filters...)
	}
	q.Filters = out
	if len(out) > store.MaxQueryFilters {
		return q, invalid("filters", fmt.Sprintf("must have at most %d entries with the saved filters they name", store.MaxQueryFilters))
	}
	return q, nil
}

// CreateUsers creates up to 1,000 users at once (Userbot's
// chatusers.create), each as CreateUser does, all or none: an error names
// the first user at fault ("users[3].attributes").
func (e *Engine) CreateUsers(ctx context.Context, users []store.User) ([]store.User, error) {
	if len(users) < 1 || len(users) > store.MaxUsersPerOp {
		return nil, invalid("users", fmt.Sprintf("must have 1 to %d entries", store.MaxUsersPerOp))
	}
	for i := range users {
		if len(users[i].Attributes) == 0 && users[i].UserID == "" {
			return nil, invalid(fmt.Sprintf("users[%d]", i), "must have a userId or attributes")
		}
		if err := store.CheckUser(&users[i]); err != nil {
			var fe *store.FieldError
			errors.As(err, &fe)
			return nil, invalid(fmt.Sprintf("users[%d].%s", i, fe.Field), fe.Rule)
		}
	}
	return e.st.CreateUsers(ctx, users)
}

// DeleteUsers deletes up to 1,000 users (Userbot's chatusers.delete), each
// with everything about them as DeleteUser does, and returns how many it
// deleted: ids naming no user are skipped, so a call that failed part way
// can be repeated.
func (e *Engine) DeleteUsers(ctx context.Context, ids []string) (int, error) {
	return deleteMany(ctx, "users", ids, store.MaxUsersPerOp, e.st.DeleteUser)
}

// Insights are Userbot's analytics of chat users over a range of days
// (chatusers.insights).
type Insights struct {
	// From and To are the first and last day, "2006-01-02", in the
	// store's time zone.
	From string `json:"from"`
	To   string `json:"to"`
	// New, Active and Returning count distinct users over the whole
	// range (store.Stats.UserActivity): those created in it, those who
	// had a turn in it, and those of them created before it. A user who
	// came on three days counts once; users since deleted do not count.
	// Days has each day's counters, where a user active on three days is
	// in three days.
	New       int64         `json:"new"`
	Active    int64         `json:"active"`
	Returning int64         `json:"returning"`
	Days      []InsightsDay `json:"days"`
}

// InsightsDay is one day of Insights.
type InsightsDay struct {
	Date      string `json:"date"` // "2006-01-02"
	New       int64  `json:"new"`
	Active    int64  `json:"active"`
	Returning int64  `json:"returning"`
}

// Insights returns the new, active and returning users from the day of
// from to the day of to (at most 366 days), over the range and day by day.
func (e *Engine) Insights(ctx context.Context, from, to time.Time) (Insights, error) {
	days, err := e.Stats(ctx, from, to)
	if err != nil {
		return Insights{}, err
	}
	a, err := e.st.UserActivity(ctx, from, to)
	if err != nil {
		return Insights{}, err
	}
	in := Insights{From: days[0].Date, To: days[len(days)-1].Date, New: a.New, Active: a.Active, Returning: a.Returning,
		Days: make([]InsightsDay, len(days))}
	for i, d := range days {
		in.Days[i] = InsightsDay{Date: d.Date, New: d.NewUsers, Active: d.ActiveUsers, Returning: d.ReturningUsers}
	}
	return in, nil
}

// Stats returns the per-day counters from the day of from to the day of to
// (at most 366 days), in the store's time zone.
func (e *Engine) Stats(ctx context.Context, from, to time.Time) ([]store.Day, error) {
	if from.IsZero() {
		return nil, invalid("from", "must be a time")
	}
	if to.IsZero() {
		return nil, invalid("to", "must be a time")
	}
	if to.Before(from) {
		return nil, invalid("to", "must not be before from")
	}
	return e.st.Stats(ctx, from, to)
}

// FallbackQueries returns the messages that fallbacks answered most often
// from the day of from to the day of to (as Stats), most often first, at
// most limit (1–100): what the bot should be taught next. Messages are
// counted lower-cased with their spaces collapsed.
func (e *Engine) FallbackQueries(ctx context.Context, from, to time.Time, limit int) ([]store.FallbackQuery, error) {
	if from.IsZero() {
		return nil, invalid("from", "must be a time")
	}
	if to.IsZero() {
		return nil, invalid("to", "must be a time")
	}
	return e.st.FallbackQueries(ctx, from, to, limit)
}

// Tags returns the tags users have, by name, each with its number of
// users (Userbot's chatusers.get-bot-tags).
func (e *Engine) Tags(ctx context.Context) ([]store.Tag, error) { return e.st.Tags(ctx) }

// AddTags gives users (1–1,000 store ids) tags (1–100 names of 1–64
// characters): Userbot's chatusers.add-tag. A tag that did not exist
// starts to. A user who would have more than 100 tags, or an unknown
// user, changes nothing.
func (e *Engine) AddTags(ctx context.Context, tags, userIDs []string) error {
	if err := store.CheckTagging(tags, userIDs); err != nil {
		return err
	}
	return e.st.AddTags(ctx, tags, userIDs)
}

// RemoveTags takes tags from users, with the limits of AddTags (Userbot's
// chatusers.remove-tag). A tag no user has any more is gone.
func (e *Engine) RemoveTags(ctx context.Context, tags, userIDs []string) error {
	if err := store.CheckTagging(tags, userIDs); err != nil {
		return err
	}
	return e.st.RemoveTags(ctx, tags, userIDs)
}

// CreateFilterSegment creates a segment defined by a saved filter
// (Userbot's chatusers.create-segment with a filter): its members are the
// users matching f whenever they are asked for. A filter on segments may
// name segments of explicit members only.
func (e *Engine) CreateFilterSegment(ctx context.Context, name string, f store.SegmentFilter) (store.Segment, error) {
	if err := store.CheckSegmentName(name); err != nil {
		return store.Segment{}, err
	}
	f, err := e.checkSegmentFilter(ctx, f)
	if err != nil {
		return store.Segment{}, err
	}
	return e.st.CreateFilterSegment(ctx, name, f)
}

func (e *Engine) checkSegmentFilter(ctx context.Context, f store.SegmentFilter) (store.SegmentFilter, error) {
	f, err := f.Normalize()
	if err != nil {
		return f, err
	}
	if !slices.ContainsFunc(f.Filters, func(x store.Filter) bool { return x.Field == store.FieldSegment }) {
		return f, nil
	}
	segs, err := e.st.ListSegments(ctx)
	if err != nil {
		return f, err
	}
	for i, x := range f.Filters {
		if x.Field != store.FieldSegment {
			continue
		}
		j := slices.IndexFunc(segs, func(s store.Segment) bool { return s.ID == x.Value })
		field := fmt.Sprintf("filter.filters[%d].value", i)
		if j < 0 {
			return f, fmt.Errorf("engine: %s: segment %s: %w", field, x.Value, store.ErrNotFound)
		}
		if segs[j].Filter != nil {
			return f, invalid(field, "must name a segment of explicit members, not a saved filter")
		}
	}
	return f, nil
}

// A SegmentEdit changes a segment (Userbot's chatusers.edit-segment):
// the fields that are not nil.
type SegmentEdit struct {
	Name   *string
	Filter *store.SegmentFilter // only for a segment defined by a saved filter
}

// EditSegment renames a segment and replaces its saved filter, as e asks.
// A filter for a segment of explicit members is refused: a segment keeps
// its kind.
func (e *Engine) EditSegment(ctx context.Context, id string, ed SegmentEdit) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	if ed.Name == nil && ed.Filter == nil {
		return invalid("name", "a name or a filter must be given")
	}
	if ed.Name != nil {
		if err := store.CheckSegmentName(*ed.Name); err != nil {
			return err
		}
	}
	if ed.Filter != nil {
		f, err := e.checkSegmentFilter(ctx, *ed.Filter)
		if err != nil {
			return err
		}
		if err := e.st.SetSegmentFilter(ctx, id, f); err != nil {
			return err
		}
	}
	if ed.Name != nil {
		return e.st.RenameSegment(ctx, id, *ed.Name)
	}
	return nil
}

// DeleteSegments deletes up to 100 segments (Userbot's
// chatusers.remove-segment) and returns how many it deleted; ids naming
// no segment are skipped. Users stay; only their membership goes.
func (e *Engine) DeleteSegments(ctx context.Context, ids []string) (int, error) {
	return deleteMany(ctx, "segments", ids, store.MaxSegmentsPerOp, e.st.DeleteSegment)
}

// deleteMany checks 1 to most ids in field, then deletes each distinct one,
// skipping those that name nothing, and returns how many it deleted. It
// stops at the first other error, so a call that failed part way can be
// repeated.
func deleteMany(ctx context.Context, field string, ids []string, most int, del func(context.Context, string) error) (int, error) {
	if len(ids) < 1 || len(ids) > most {
		return 0, invalid(field, fmt.Sprintf("must have 1 to %d entries", most))
	}
	for _, id := range ids {
		if err := store.CheckID(field, id); err != nil {
			return 0, err
		}
	}
	n := 0
	for _, id := range slices.Compact(slices.Sorted(slices.Values(ids))) {
		err := del(ctx, id)
		switch {
		case err == nil:
			n++
		case !errors.Is(err, store.ErrNotFound):
			return n, err
		}
	}
	return n, nil
}

// SegmentQuery returns the query for the members of a segment: the
// segment's saved filter, or membership of its explicit members. Give it
// to FindUsers with a Limit and a cursor or offset.
func (e *Engine) SegmentQuery(ctx context.Context, id string) (store.UserQuery, error) {
	if err := store.CheckID("id", id); err != nil {
		return store.UserQuery{}, err
	}
	segs, err := e.st.ListSegments(ctx)
	if err != nil {
		return store.UserQuery{}, err
	}
	for _, s := range segs {
		if s.ID == id {
			if s.Filter != nil {
				return s.Filter.Query(), nil
			}
			return store.UserQuery{Filters: []store.Filter{{Field: store.FieldSegment, Op: store.OpEquals, Value: id}}}, nil
		}
	}
	return store.UserQuery{}, fmt.Errorf("engine: segment %s: %w", id, store.ErrNotFound)
}

package httpadapter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// The operations of Userbot's API, shared by the socket (userbot.go) and
// the REST routes POST /userbot/{operation}: each reads its JSON payload
// strictly and returns the value that becomes the reply's data.

// An opCall is one call of an operation.
type opCall struct {
	ctx context.Context
	eng *engine.Engine
	raw []byte // the JSON payload; nil or empty when none was sent
	// token is the word after the command words of qeafilter save token
	// <label>, "" if none.
	token string
	// progress, if not nil, sends an interim reply (the socket's import
	// progress).
	progress func(v any)
}

type operation func(c *opCall) (any, error)

// operations are Userbot's operations Parley implements, by channel.
var operations = map[string]operation{
	"bot.get-vars":                opBotVars,
	"bot.stats":                   opBotStats,
	"chatusers.get":               opUsersGet,
	"chatusers.create":            opUsersCreate,
	"chatusers.delete":            opUsersDelete,
	"chatusers.insights":          opUsersInsights,
	"chatusers.import":            opUsersImport,
	"chatusers.get-feedback":      opFeedback,
	"chatusers.create-segment":    opSegmentCreate,
	"chatusers.remove-segment":    opSegmentsRemove,
	"chatusers.edit-segment":      opSegmentEdit,
	"chatusers.get-bot-segments":  opSegments,
	"chatusers.get-bot-tags":      opTags,
	"chatusers.add-tag":           opTagsAdd,
	"chatusers.remove-tag":        opTagsRemove,
	"chatusers.get-vars":          opVars,
	"chatusers.set-variable":      opVarSet,
	"chatusers.remove-variable":   opVarRemove,
	"rawstats.count-nps":          opNPS,
	"rawstats.all":                opStatsAll,
	"rawstats.count-messages":     opCountMessages,
	"rawstats.count-sessions":     opCountSessions,
	"rawstats.top-fallbacks":      opTopFallbacks,
	"conditions.check":            opConditionCheck,
	"qeafilter.save":              opQASave,
	"qeafilter.save.token":        opQASaveToken,
	"qeafilter.delete":            opQADelete,
	"qeafilter.search.page-db-ai": opQASearch,
	"qeafilter.search":            opQASearch,
	"automated-messages.get":      opAutomatedGet,
	"automated-messages.save":     opAutomatedSave,
	"automated-messages.delete":   opAutomatedDelete,
	"rawstats.get":                opGoals,
	"intel.visitdetails":          opVisits,
	"intel.leadlist":              opLeads,
	"intel.keypeople":             opKeyPeople,
	"intel.addtag":                opLeadTagAdd,
	"intel.removetag":             opLeadTagRemove,
	"meetings.schedule":           opMeetingSchedule,
	"meetings.decline":            opMeetingDecline,
	"meetings.list":               opMeetings,
}

// payload decodes the call's payload into v strictly. Without a payload v
// keeps its zero value unless required.
func (c *opCall) payload(v any, required bool) error {
	if len(bytes.TrimSpace(c.raw)) == 0 {
		if required {
			return badRequest("", "this operation needs a JSON payload")
		}
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(c.raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return badRequest("", "the payload must hold one JSON value and nothing after it")
	}
	return nil
}

// ChatUser is a user in the replies of Userbot's operations.
type ChatUser struct {
	ID            string            `json:"id"`
	UserID        string            `json:"userId"`
	Banned        bool              `json:"banned"`
	Attributes    map[string]string `json:"attributes"`
	Tags          []string          `json:"tags"`
	Segments      []string          `json:"segments"`
	Feedback      int               `json:"feedback"`
	Messages      int               `json:"messages"`
	Conversations int               `json:"conversations"`
	CreatedAt     string            `json:"createdAt"`
	LastSeen      string            `json:"lastSeen"`
	// Visits is the number of pages kept of the user's visits, LastVisit
	// the last (in chatusers.get; null when none).
	Visits    int    `json:"visits"`
	LastVisit *Visit `json:"lastVisit"`
}

func chatUser(u *store.User) ChatUser {
	c := ChatUser{ID: u.ID, UserID: u.UserID, Banned: u.Banned, Attributes: u.Attributes, Tags: u.Tags,
		Segments: u.Segments, Feedback: u.Feedback, Messages: u.Messages, Conversations: u.Conversations,
		CreatedAt: stamp(u.CreatedAt), LastSeen: stamp(u.LastSeen)}
	if c.Attributes == nil {
		c.Attributes = map[string]string{}
	}
	if c.Tags == nil {
		c.Tags = []string{}
	}
	if c.Segments == nil {
		c.Segments = []string{}
	}
	return c
}

func stamp(t time.Time) string { return t.UTC().Format(engine.TimestampFormat) }

// period is the payload of the operations over a range of days. From and
// To are dates ("2026-03-01") or RFC 3339 times; the default is the 30
// days up to today.
type period struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// dates decodes a payload holding a period (p, a *period or a struct
// embedding one) and returns the period's range.
func (c *opCall) dates(p interface {
	times() (time.Time, time.Time, error)
}) (from, to time.Time, err error) {
	if err := c.payload(p, false); err != nil {
		return from, to, err
	}
	return p.times()
}

func (p *period) times() (from, to time.Time, err error) {
	// Today, as a date stands: noon UTC (see parseDay).
	to = time.Now().UTC().Truncate(24 * time.Hour).Add(12 * time.Hour)
	if p.To != "" {
		if to, err = parseDay("to", p.To); err != nil {
			return
		}
	}
	from = to.AddDate(0, 0, -29)
	if p.From != "" {
		if from, err = parseDay("from", p.From); err != nil {
			return
		}
		if p.To == "" && to.Before(from) && to.UTC().Format(time.DateOnly) == p.From {
			to = from // from is today, whose noon is still to come
		}
	}
	return from, to, nil
}

// parseDay reads a date or an RFC 3339 time. A date stands for noon UTC,
// which falls on that date in every time zone within 12 hours of UTC.
func parseDay(field, s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Add(12 * time.Hour), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, badRequest(field, "must be a date (2006-01-02) or an RFC 3339 time")
	}
	return t, nil
}

func opBotVars(c *opCall) (any, error) {
	if err := c.payload(&struct{}{}, false); err != nil {
		return nil, err
	}
	return map[string]any{"variables": c.eng.BotVariables()}, nil
}

func opBotStats(c *opCall) (any, error) {
	from, to, err := c.dates(&period{})
	if err != nil {
		return nil, err
	}
	days, err := c.eng.Stats(c.ctx, from, to)
	if err != nil {
		return nil, err
	}
	var sum store.Counters
	for _, d := range days {
		sum.Add(d.Counters)
	}
	users, err := c.eng.CountUsers(c.ctx, store.UserQuery{})
	if err != nil {
		return nil, err
	}
	return map[string]any{"from": days[0].Date, "to": days[len(days)-1].Date, "users": users, "totals": counters(sum)}, nil
}

// StatsCounters are the per-day counters in the replies of Userbot's
// operations.
type StatsCounters struct {
	Messages       int64 `json:"messages"`
	Sessions       int64 `json:"sessions"`
	NewUsers       int64 `json:"newUsers"`
	ActiveUsers    int64 `json:"activeUsers"`
	ReturningUsers int64 `json:"returningUsers"`
	Fallbacks      int64 `json:"fallbacks"`
	Handoffs       int64 `json:"handoffs"`
	Reactions      struct {
		Positive int64 `json:"positive"`
		Negative int64 `json:"negative"`
		Neutral  int64 `json:"neutral"`
	} `json:"reactions"`
	Feedback int64 `json:"feedback"`
	NPS      struct {
		Negative int64 `json:"negative"`
		Neutral  int64 `json:"neutral"`
		Positive int64 `json:"positive"`
	} `json:"nps"`
	Tagged int64 `json:"tagged"`
	// Goals are the goals reached, by name (see rawstats.get).
	Goals map[string]int64 `json:"goals"`
}

func counters(c store.Counters) StatsCounters {
	out := StatsCounters{Messages: c.Messages, Sessions: c.Sessions, NewUsers: c.NewUsers, ActiveUsers: c.ActiveUsers,
		ReturningUsers: c.ReturningUsers, Fallbacks: c.Fallbacks, Handoffs: c.Handoffs, Feedback: c.Feedback, Tagged: c.Tagged,
		Goals: c.Goals}
	if out.Goals == nil {
		out.Goals = map[string]int64{}
	}
	out.Reactions.Positive, out.Reactions.Negative, out.Reactions.Neutral = c.Positive, c.Negative, c.Neutral
	out.NPS.Negative, out.NPS.Neutral, out.NPS.Positive = c.NPSNegative, c.NPSNeutral, c.NPSPositive
	return out
}

// wireFilter is a filter in a payload: {"field": "tag", "op": "equals",
// "value": "vip"}; times are RFC 3339 values of createdAt and lastSeen.
type wireFilter struct {
	Field string `json:"field"`
	Op    string `json:"op"`
	Value string `json:"value"`
}

func filters(field string, in []wireFilter) ([]store.Filter, error) {
	out := make([]store.Filter, len(in))
	for i, f := range in {
		out[i] = store.Filter{Field: f.Field, Op: f.Op, Value: f.Value}
		if f.Field == store.FieldCreatedAt || f.Field == store.FieldLastSeen {
			t, err := time.Parse(time.RFC3339Nano, f.Value)
			if err != nil {
				return nil, badRequest(fmt.Sprintf("%s[%d].value", field, i), "must be an RFC 3339 time")
			}
			out[i].Value, out[i].Time = "", t
		}
	}
	return out, nil
}

func opUsersGet(c *opCall) (any, error) {
	var p struct {
		Limit   int          `json:"limit"`
		Offset  int          `json:"offset"`
		After   string       `json:"after"`
		Sort    string       `json:"sort"`
		Order   string       `json:"order"`
		Match   string       `json:"match"`
		Filters []wireFilter `json:"filters"`
		Segment string       `json:"segment"`
	}
	if err := c.payload(&p, false); err != nil {
		return nil, err
	}
	fs, err := filters("filters", p.Filters)
	if err != nil {
		return nil, err
	}
	q := store.UserQuery{Limit: p.Limit, Offset: p.Offset, After: p.After, Sort: p.Sort, Order: p.Order, Match: p.Match, Filters: fs}
	if p.Segment != "" {
		if len(fs) > 0 {
			return nil, badRequest("segment", "cannot be given with filters: add a filter on segment instead")
		}
		sq, err := c.eng.SegmentQuery(c.ctx, p.Segment)
		if err != nil {
			return nil, withField("segment", err)
		}
		q.Match, q.Filters = sq.Match, sq.Filters
	}
	page, err := c.eng.FindUsers(c.ctx, q)
	if err != nil {
		return nil, err
	}
	users := make([]ChatUser, len(page.Users))
	for i := range page.Users {
		users[i] = chatUser(&page.Users[i])
		if err := visitSummary(c, &users[i]); err != nil {
			return nil, err
		}
	}
	return map[string]any{"users": users, "count": len(users), "next": page.Next}, nil
}

// newUser is a user in the payload of chatusers.create.
type newUser struct {
	UserID     string            `json:"userId"`
	Attributes map[string]string `json:"attributes"`
	Tags       []string          `json:"tags"`
	Segments   []string          `json:"segments"`
	Banned     bool              `json:"banned"`
}

func opUsersCreate(c *opCall) (any, error) {
	var p []newUser
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	in := make([]store.User, len(p))
	for i, u := range p {
		in[i] = store.User{UserID: u.UserID, Attributes: u.Attributes, Tags: u.Tags, Segments: u.Segments, Banned: u.Banned}
	}
	created, err := c.eng.CreateUsers(c.ctx, in)
	if err != nil {
		return nil, err
	}
	users := make([]ChatUser, len(created))
	for i := range created {
		users[i] = chatUser(&created[i])
	}
	return map[string]any{"users": users}, nil
}

func opUsersDelete(c *opCall) (any, error) {
	var p struct {
		Users []string `json:"users"`
	}
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	n, err := c.eng.DeleteUsers(c.ctx, p.Users)
	if err != nil {
		return nil, err
	}
	return map[string]any{"deleted": n}, nil
}

func opUsersInsights(c *opCall) (any, error) {
	from, to, err := c.dates(&period{})
	if err != nil {
		return nil, err
	}
	return c.eng.Insights(c.ctx, from, to)
}

func opUsersImport(c *opCall) (any, error) {
	p, err := c.importPayload()
	if err != nil {
		return nil, err
	}
	if p.Upload != "" {
		return nil, badRequest("upload", "uploads in chunks are the socket's: POST /users/import streams a file of any size")
	}
	return c.importFile(p)
}

// ChatFeedback is a feedback record in the replies of Userbot's
// operations.
type ChatFeedback struct {
	ID        string `json:"id"`
	UserID    string `json:"userId"`
	Kind      string `json:"kind"`
	ThreadID  string `json:"threadId,omitempty"`
	Seq       int    `json:"seq,omitempty"`
	Reaction  string `json:"reaction,omitempty"`
	Score     *int   `json:"score,omitempty"`
	Comment   string `json:"comment,omitempty"`
	CreatedAt string `json:"createdAt"`
}

func opFeedback(c *opCall) (any, error) {
	var p struct {
		UserID string `json:"userId"`
		Kind   string `json:"kind"`
		period
		After string `json:"after"`
		Limit int    `json:"limit"`
	}
	if err := c.payload(&p, false); err != nil {
		return nil, err
	}
	q := store.FeedbackQuery{UserID: p.UserID, Kind: p.Kind, After: p.After, Limit: p.Limit}
	var err error
	if p.From != "" {
		if q.From, err = time.Parse(time.RFC3339Nano, p.From); err != nil {
			return nil, badRequest("from", "must be an RFC 3339 time")
		}
	}
	if p.To != "" {
		if q.To, err = time.Parse(time.RFC3339Nano, p.To); err != nil {
			return nil, badRequest("to", "must be an RFC 3339 time")
		}
	}
	page, err := c.eng.ListFeedback(c.ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]ChatFeedback, len(page.Feedback))
	for i, f := range page.Feedback {
		out[i] = ChatFeedback{ID: f.ID, UserID: f.UserID, Kind: f.Kind, ThreadID: f.ThreadID, Seq: f.Seq, Reaction: f.Reaction,
			Comment: f.Comment, CreatedAt: stamp(f.CreatedAt)}
		if f.Kind == store.FeedbackNPS {
			score := f.Score
			out[i].Score = &score
		}
	}
	return map[string]any{"feedback": out, "next": page.Next}, nil
}

// SegmentFilter is a saved filter in payloads and replies.
type SegmentFilter struct {
	Match   string       `json:"match"`
	Filters []wireFilter `json:"filters"`
}

func (f *SegmentFilter) store() (store.SegmentFilter, error) {
	fs, err := filters("filter.filters", f.Filters)
	return store.SegmentFilter{Match: f.Match, Filters: fs}, err
}

// ChatSegment is a segment in the replies of Userbot's operations.
type ChatSegment struct {
	ID        string         `json:"id"`
	Name      string         `json:"name"`
	CreatedAt string         `json:"createdAt"`
	Members   int            `json:"members"`
	Filter    *SegmentFilter `json:"filter"` // null for explicit members
}

func segment(s *store.Segment) ChatSegment {
	out := ChatSegment{ID: s.ID, Name: s.Name, CreatedAt: stamp(s.CreatedAt), Members: s.Members}
	if f := s.Filter; f != nil {
		out.Filter = &SegmentFilter{Match: f.Match, Filters: make([]wireFilter, len(f.Filters))}
		for i, x := range f.Filters {
			out.Filter.Filters[i] = wireFilter{Field: x.Field, Op: x.Op, Value: x.Value}
			if !x.Time.IsZero() {
				out.Filter.Filters[i].Value = stamp(x.Time)
			}
		}
	}
	return out
}

func opSegmentCreate(c *opCall) (any, error) {
	var p struct {
		Name   string         `json:"name"`
		Filter *SegmentFilter `json:"filter"`
		Users  []string       `json:"users"`
	}
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	var s store.Segment
	var err error
	if p.Filter != nil {
		if len(p.Users) > 0 {
			return nil, badRequest("users", "cannot be given with a filter: a saved filter's members are computed")
		}
		f, err := p.Filter.store()
		if err != nil {
			return nil, err
		}
		if s, err = c.eng.CreateFilterSegment(c.ctx, p.Name, f); err != nil {
			return nil, err
		}
	} else {
		if s, err = c.eng.CreateSegment(c.ctx, p.Name); err != nil {
			return nil, err
		}
		if len(p.Users) > 0 {
			if err := c.eng.AddToSegments(c.ctx, []string{s.ID}, p.Users); err != nil {
				c.eng.DeleteSegments(context.WithoutCancel(c.ctx), []string{s.ID})
				return nil, withField("users", err)
			}
			s.Members = len(p.Users)
		}
	}
	return segment(&s), nil
}

func opSegmentsRemove(c *opCall) (any, error) {
	var p []string
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	n, err := c.eng.DeleteSegments(c.ctx, p)
	if err != nil {
		return nil, err
	}
	return map[string]any{"deleted": n}, nil
}

func opSegmentEdit(c *opCall) (any, error) {
	var p struct {
		ID     string         `json:"id"`
		Name   *string        `json:"name"`
		Filter *SegmentFilter `json:"filter"`
	}
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	ed := engine.SegmentEdit{Name: p.Name}
	if p.Filter != nil {
		f, err := p.Filter.store()
		if err != nil {
			return nil, err
		}
		ed.Filter = &f
	}
	if err := c.eng.EditSegment(c.ctx, p.ID, ed); err != nil {
		return nil, withField("id", err)
	}
	return map[string]any{"id": p.ID}, nil
}

func opSegments(c *opCall) (any, error) {
	if err := c.payload(&struct{}{}, false); err != nil {
		return nil, err
	}
	segs, err := c.eng.ListSegments(c.ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ChatSegment, len(segs))
	for i := range segs {
		out[i] = segment(&segs[i])
	}
	return map[string]any{"segments": out}, nil
}

func opTags(c *opCall) (any, error) {
	if err := c.payload(&struct{}{}, false); err != nil {
		return nil, err
	}
	tags, err := c.eng.Tags(c.ctx)
	if err != nil {
		return nil, err
	}
	type tag struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		Users int    `json:"users"`
	}
	out := make([]tag, len(tags))
	for i, t := range tags {
		out[i] = tag{t.ID, t.Name, t.Users}
	}
	return map[string]any{"tags": out}, nil
}

// tagging is the payload of chatusers.add-tag and chatusers.remove-tag:
// tag names, or one in "tag", and user ids.
type tagging struct {
	Tag   string   `json:"tag"`
	Tags  []string `json:"tags"`
	Users []string `json:"users"`
}

func (c *opCall) tagging() (tags, users []string, err error) {
	var p tagging
	if err := c.payload(&p, true); err != nil {
		return nil, nil, err
	}
	if p.Tag != "" {
		p.Tags = append(p.Tags, p.Tag)
	}
	return p.Tags, p.Users, nil
}

func opTagsAdd(c *opCall) (any, error) {
	tags, users, err := c.tagging()
	if err != nil {
		return nil, err
	}
	if err := c.eng.AddTags(c.ctx, tags, users); err != nil {
		return nil, withField("users", err)
	}
	return map[string]any{"tags": tags, "users": len(users)}, nil
}

func opTagsRemove(c *opCall) (any, error) {
	tags, users, err := c.tagging()
	if err != nil {
		return nil, err
	}
	if err := c.eng.RemoveTags(c.ctx, tags, users); err != nil {
		return nil, withField("users", err)
	}
	return map[string]any{"tags": tags, "users": len(users)}, nil
}

func opVars(c *opCall) (any, error) {
	var p struct {
		UserID string `json:"userId"`
	}
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	vars, err := c.eng.UserVariables(c.ctx, p.UserID)
	if err != nil {
		return nil, withField("userId", err)
	}
	return map[string]any{"variables": vars}, nil
}

func opVarSet(c *opCall) (any, error) {
	var p struct {
		UserID     string `json:"userId"`
		VariableID string `json:"variable_id"`
		Value      string `json:"value"`
		Variable   *struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"variable"`
	}
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	set := engine.VariableSet{ID: p.VariableID, Value: p.Value}
	switch {
	case p.VariableID != "" && p.Variable != nil:
		return nil, badRequest("variable", "give either variable_id and value, or variable, not both")
	case p.Variable != nil:
		set = engine.VariableSet{Name: p.Variable.Name, Value: p.Variable.Value}
	case p.VariableID == "":
		return nil, badRequest("variable_id", "give variable_id and value to update a variable, or variable to create one")
	}
	v, err := c.eng.SetVariable(c.ctx, p.UserID, set)
	if err != nil {
		return nil, withField("variable_id", err)
	}
	return v, nil
}

func opVarRemove(c *opCall) (any, error) {
	var p struct {
		Variable string   `json:"variable"`
		Users    []string `json:"users"`
	}
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	n, err := c.eng.RemoveVariable(c.ctx, p.Variable, p.Users)
	if err != nil {
		return nil, err
	}
	return map[string]any{"removed": n}, nil
}

func opNPS(c *opCall) (any, error) {
	from, to, err := c.dates(&period{})
	if err != nil {
		return nil, err
	}
	return c.eng.CountNPS(c.ctx, from, to)
}

// DayStats is one day of rawstats.all.
type DayStats struct {
	Date string `json:"date"`
	StatsCounters
}

func (c *opCall) days() ([]store.Day, error) {
	from, to, err := c.dates(&period{})
	if err != nil {
		return nil, err
	}
	return c.eng.Stats(c.ctx, from, to)
}

func opStatsAll(c *opCall) (any, error) {
	days, err := c.days()
	if err != nil {
		return nil, err
	}
	out := make([]DayStats, len(days))
	for i, d := range days {
		out[i] = DayStats{Date: d.Date, StatsCounters: counters(d.Counters)}
	}
	return map[string]any{"days": out}, nil
}

// opGoals answers rawstats.get, Userbot's "sales stats": the goals the
// bot's goal actions counted over a period, each by name.
func opGoals(c *opCall) (any, error) {
	var p struct {
		period
		Goal string `json:"goal"`
	}
	from, to, err := c.dates(&p)
	if err != nil {
		return nil, err
	}
	return c.eng.CountGoals(c.ctx, from, to, p.Goal)
}

func opCountMessages(c *opCall) (any, error) {
	days, err := c.days()
	if err != nil {
		return nil, err
	}
	var n int64
	for _, d := range days {
		n += d.Messages
	}
	return map[string]any{"from": days[0].Date, "to": days[len(days)-1].Date, "messages": n}, nil
}

func opCountSessions(c *opCall) (any, error) {
	days, err := c.days()
	if err != nil {
		return nil, err
	}
	var n int64
	for _, d := range days {
		n += d.Sessions
	}
	return map[string]any{"from": days[0].Date, "to": days[len(days)-1].Date, "sessions": n}, nil
}

// opTopFallbacks (Parley's) lists the messages that fallbacks answered most
// often over a period, most often first: {"from","to","limit"} (limit 1–100,
// default 20) → {"messages":[{"text","count"}]}.
func opTopFallbacks(c *opCall) (any, error) {
	var p struct {
		period
		Limit *int `json:"limit"`
	}
	from, to, err := c.dates(&p)
	if err != nil {
		return nil, err
	}
	limit := 20
	if p.Limit != nil {
		limit = *p.Limit
	}
	top, err := c.eng.FallbackQueries(c.ctx, from, to, limit)
	if err != nil {
		return nil, err
	}
	return map[string]any{"messages": top}, nil
}

// ConditionCheck is the reply of conditions.check (Parley's): whether the
// condition compiles and, if not, where and why.
type ConditionCheck struct {
	Valid   bool   `json:"valid"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message,omitempty"`
}

// opConditionCheck compiles a condition as saving it would, for editors
// that check as the author types; a condition that does not compile is a
// reply, not an error.
func opConditionCheck(c *opCall) (any, error) {
	var p struct {
		Kind      string `json:"kind"`
		Condition string `json:"condition"`
	}
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	err := engine.CheckCondition(p.Kind, p.Condition)
	var ce *engine.ConditionError
	switch {
	case err == nil:
		return ConditionCheck{Valid: true}, nil
	case errors.As(err, &ce):
		return ConditionCheck{Line: ce.Line, Column: ce.Column, Message: ce.Message}, nil
	}
	return nil, err
}

package store

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Field limits of the chat APIs.
const (
	MaxAttributes     = 99   // attributes per user, session or update
	MaxAttributeKey   = 128  // characters of an attribute key
	MaxAttributeValue = 1024 // characters of an attribute value
	MaxName           = 256  // characters of attributes.default_name and of a segment name
	MaxUserID         = 256  // characters of a UserID
	MinSessionID      = 10   // characters of a session id, at least
	MaxSessionID      = 64   // characters of a session id, at most
	MaxSegmentsPerOp  = 100  // segments per AddToSegments or RemoveFromSegments
	MaxUsersPerOp     = 1000 // users per AddToSegments or RemoveFromSegments
	MaxMessagesPage   = 100  // messages per Messages call
	MaxThreadAlias    = 128  // characters of a thread's Alias
	MaxURL            = 2048 // characters of a webhook or icon URL
	MaxToken          = 256  // characters of a webhook token
	MaxAgentField     = 256  // characters of a message's AgentID and AgentName
	MaxPersona        = 64   // characters of a thread's Persona
	MaxTrigger        = 50   // characters of a message's Trigger
)

// ValidID reports whether id has the form of a store id: 24 lowercase hex
// digits.
func ValidID(id string) bool {
	if len(id) != 24 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// CheckID returns a *FieldError unless id is a valid store id.
func CheckID(field, id string) error {
	if !ValidID(id) {
		return invalid(field, "must be 24 hex digits")
	}
	return nil
}

// CheckUserID checks a UserID: 1–256 characters.
func CheckUserID(userID string) error {
	return checkLen("userId", userID, 1, MaxUserID)
}

// CheckSessionID checks a session id: 10–64 characters.
func CheckSessionID(id string) error {
	return checkLen("sessionId", id, MinSessionID, MaxSessionID)
}

// CheckSegmentName checks a segment name: 1–256 characters.
func CheckSegmentName(name string) error {
	return checkLen("name", name, 1, MaxName)
}

// checkLen returns a *FieldError for field unless s has min to max
// characters.
func checkLen(field, s string, min, max int) error {
	if n := utf8.RuneCountInString(s); n < min || n > max {
		return invalid(field, fmt.Sprintf("must be %d to %d characters", min, max))
	}
	return nil
}

// ValidAttributeKey reports whether key matches ^[\w-]{1,128}$.
func ValidAttributeKey(key string) bool {
	if len(key) < 1 || len(key) > MaxAttributeKey {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// CheckAttributes checks a stored set of attributes: at most 99, keys
// matching ^[\w-]{1,128}$, values of 1–1024 characters (default_name 1–256).
// field names the map in errors, e.g. "attributes".
func CheckAttributes(field string, attrs map[string]string) error {
	if len(attrs) > MaxAttributes {
		return invalid(field, fmt.Sprintf("must have at most %d entries", MaxAttributes))
	}
	for k, v := range attrs {
		if err := checkAttribute(field, k, v, false); err != nil {
			return err
		}
	}
	return nil
}

// CheckAttributeUpdate checks a merge of attributes: 1–99 entries, where an
// empty value (a removal) is allowed.
func CheckAttributeUpdate(field string, attrs map[string]string) error {
	if len(attrs) < 1 || len(attrs) > MaxAttributes {
		return invalid(field, fmt.Sprintf("must have 1 to %d entries", MaxAttributes))
	}
	for k, v := range attrs {
		if err := checkAttribute(field, k, v, true); err != nil {
			return err
		}
	}
	return nil
}

func checkAttribute(field, k, v string, removal bool) error {
	if !ValidAttributeKey(k) {
		return invalid(field, fmt.Sprintf("key %.140q must match ^[\\w-]{1,128}$", k))
	}
	max := MaxAttributeValue
	if k == AttrName {
		max = MaxName
	}
	if v == "" && removal {
		return nil
	}
	if n := utf8.RuneCountInString(v); n >= 1 && n <= max {
		return nil // without building the field's name
	}
	return checkLen(field+"."+k, v, 1, max)
}

// MergeAttributes merges update into attrs (allocating attrs if nil) and
// returns it. An empty value in update removes the key.
func MergeAttributes(attrs, update map[string]string) map[string]string {
	if attrs == nil {
		attrs = make(map[string]string, len(update))
	}
	for k, v := range update {
		if v == "" {
			delete(attrs, k)
		} else {
			attrs[k] = v
		}
	}
	return attrs
}

// NewUser checks in, a user given to CreateUser or CreateUsers, and
// returns the user a backend stores: its userId the email if it has none,
// else a random UUID; its segments and tags sorted without repeats; no
// conversations, feedback or session yet; the id and the time now.
func NewUser(in *User, id string, now time.Time) (User, error) {
	if err := CheckUser(in); err != nil {
		return User{}, err
	}
	u := in.Clone()
	if u.UserID == "" {
		u.UserID = u.Email()
		if u.UserID == "" {
			u.UserID = NewUUID()
		}
		if err := CheckUserID(u.UserID); err != nil {
			return User{}, fmt.Errorf("%w (attributes.default_email used as userId)", err)
		}
	}
	slices.Sort(u.Segments)
	u.Segments = slices.Compact(u.Segments)
	slices.Sort(u.Tags)
	u.Tags = slices.Compact(u.Tags)
	u.Conversations, u.Feedback = 0, 0
	u.SessionID = ""
	u.ID = id
	u.CreatedAt = now.UTC()
	u.LastSeen = u.CreatedAt
	return u, nil
}

// CheckUser checks the fields of a user given to CreateUser.
func CheckUser(u *User) error {
	if u.UserID != "" {
		if err := CheckUserID(u.UserID); err != nil {
			return err
		}
	}
	if err := CheckAttributes("attributes", u.Attributes); err != nil {
		return err
	}
	if len(u.Segments) > MaxSegmentsPerOp {
		return invalid("segments", fmt.Sprintf("must have at most %d entries", MaxSegmentsPerOp))
	}
	for _, s := range u.Segments {
		if err := CheckID("segments", s); err != nil {
			return err
		}
	}
	if len(u.Tags) > MaxTagsPerUser {
		return invalid("tags", fmt.Sprintf("must have at most %d entries", MaxTagsPerUser))
	}
	for _, t := range u.Tags {
		if err := CheckTag("tags", t); err != nil {
			return err
		}
	}
	return nil
}

// CheckMessage checks a message before it is appended.
func CheckMessage(m *Message) error {
	switch m.Type {
	case UserMessage, BotMessage, AgentMessage, SystemMessage:
	default:
		return invalid("type", "must be USER_MESSAGE, NORMAL_MESSAGE, AGENT_MESSAGE or SYSTEM_MESSAGE")
	}
	if err := checkLen("agentId", m.AgentID, 0, MaxAgentField); err != nil {
		return err
	}
	if err := checkLen("agentName", m.AgentName, 0, MaxAgentField); err != nil {
		return err
	}
	if err := checkLen("iconUrl", m.IconURL, 0, MaxURL); err != nil {
		return err
	}
	if m.Goto != "" || m.Trigger != "" {
		switch {
		case m.Type != UserMessage:
			return invalid("goto", "goto and trigger are for a USER_MESSAGE")
		case m.Goto != "" && m.Trigger != "":
			return invalid("trigger", "only one of goto and trigger may be given")
		case m.Goto != "" && !ValidID(m.Goto):
			return invalid("goto", "must be 24 hex digits")
		}
		if err := checkLen("trigger", m.Trigger, 0, MaxTrigger); err != nil {
			return err
		}
	}
	return CheckReaction(m.Reaction, true)
}

// CheckThreadAlias returns a *FieldError unless alias can be a thread's
// Alias: 1–128 characters, none of them a control character.
func CheckThreadAlias(alias string) error {
	if err := checkLen("threadId", alias, 1, MaxThreadAlias); err != nil {
		return err
	}
	for _, r := range alias {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return invalid("threadId", "must not contain control characters or invalid UTF-8")
		}
	}
	return nil
}

// CheckThread checks the fields of a thread a caller may set.
func CheckThread(t *Thread) error {
	if t.Alias != "" {
		if err := CheckThreadAlias(t.Alias); err != nil {
			return err
		}
	}
	switch t.Mode {
	case ModeAI, ModeAgent:
	default:
		return invalid("mode", "must be AI or AGENT")
	}
	if t.UserID != "" {
		if err := CheckID("userId", t.UserID); err != nil {
			return err
		}
	}
	if t.SessionID != "" {
		if err := CheckSessionID(t.SessionID); err != nil {
			return err
		}
	}
	if t.Read < 0 || t.Read > t.Messages {
		return invalid("totalMessagesRead", fmt.Sprintf("must be 0 to %d, the thread's messages", t.Messages))
	}
	if err := CheckWebhookURL("webhookUrl", t.WebhookURL); err != nil {
		return err
	}
	if err := checkLen("persona", t.Persona, 0, MaxPersona); err != nil {
		return err
	}
	return checkLen("webhookToken", t.WebhookToken, 0, MaxToken)
}

// CheckTurn returns a *FieldError if what a turn left in t, beyond
// attributes and messages, breaks a limit: the session's verification,
// the user's verified email, the thread's persona. Backends call it
// before committing a turn.
func CheckTurn(t *Turn) error {
	if v := t.Session.Verification; v != nil {
		if err := checkLen("verification.email", v.Email, 1, MaxAttributeValue); err != nil {
			return err
		}
		if err := checkLen("verification.code", v.Code, 1, MaxToken); err != nil {
			return err
		}
		if v.Attempts < 0 {
			return invalid("verification.attempts", "must not be negative")
		}
	}
	if t.User != nil {
		if err := checkLen("verifiedEmail", t.User.VerifiedEmail, 0, MaxAttributeValue); err != nil {
			return err
		}
	}
	if t.Thread != nil {
		return checkLen("persona", t.Thread.Persona, 0, MaxPersona)
	}
	return nil
}

// CheckWebhookURL returns a *FieldError unless u is "" or an absolute http
// or https URL of at most 2,048 characters.
func CheckWebhookURL(field, u string) error {
	if u == "" {
		return nil
	}
	if len(u) > MaxURL {
		return invalid(field, fmt.Sprintf("must be at most %d characters", MaxURL))
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return invalid(field, "must be an absolute http or https URL")
	}
	return nil
}

// CheckReaction checks a reaction; "" is allowed when empty is true.
func CheckReaction(r string, empty bool) error {
	switch r {
	case Positive, Negative, Neutral:
		return nil
	case "":
		if empty {
			return nil
		}
	}
	return invalid("reaction", "must be POSITIVE, NEGATIVE or NEUTRAL")
}

// CheckMembership checks the arguments of AddToSegments and
// RemoveFromSegments.
func CheckMembership(segmentIDs, userIDs []string) error {
	if len(segmentIDs) < 1 || len(segmentIDs) > MaxSegmentsPerOp {
		return invalid("segments", fmt.Sprintf("must have 1 to %d entries", MaxSegmentsPerOp))
	}
	if len(userIDs) < 1 || len(userIDs) > MaxUsersPerOp {
		return invalid("users", fmt.Sprintf("must have 1 to %d entries", MaxUsersPerOp))
	}
	for _, id := range segmentIDs {
		if err := CheckID("segments", id); err != nil {
			return err
		}
	}
	for _, id := range userIDs {
		if err := CheckID("users", id); err != nil {
			return err
		}
	}
	return nil
}

// Normalize checks q and returns it with its defaults filled in: Limit 40,
// Sort createdAt, Order desc, Match all.
func (q UserQuery) Normalize() (UserQuery, error) {
	if q.Limit == 0 {
		q.Limit = MaxPageSize
	}
	if q.Limit < 1 || q.Limit > MaxPageSize {
		return q, invalid("limit", fmt.Sprintf("must be 1 to %d", MaxPageSize))
	}
	if q.After != "" {
		if err := CheckID("after", q.After); err != nil {
			return q, err
		}
	}
	if q.Offset < 0 {
		return q, invalid("offset", "must be 0 or more")
	}
	switch q.Sort {
	case "":
		q.Sort = SortCreatedAt
	case SortCreatedAt, SortLastSeen:
	default:
		return q, invalid("sort.field", "must be createdAt or lastSeen")
	}
	switch q.Order {
	case "":
		q.Order = Desc
	case Asc, Desc:
	default:
		return q, invalid("sort.order", "must be asc or desc")
	}
	var err error
	q.Match, err = checkFilters("", q.Match, q.Filters, MaxQueryFilters)
	return q, err
}

// checkFilters checks a list of filters and its match, and returns the
// match with its default filled in. prefix goes before the fields named in
// errors.
func checkFilters(prefix, match string, filters []Filter, max int) (string, error) {
	switch match {
	case "":
		match = MatchAll
	case MatchAll, MatchAny:
	default:
		return match, invalid(prefix+"match", "must be all or any")
	}
	if len(filters) > max {
		return match, invalid(prefix+"filters", fmt.Sprintf("must have at most %d entries", max))
	}
	for i := range filters {
		if err := checkFilter(fmt.Sprintf("%sfilters[%d]", prefix, i), &filters[i]); err != nil {
			return match, err
		}
	}
	return match, nil
}

func checkFilter(field string, f *Filter) error {
	switch f.Field {
	case FieldCreatedAt, FieldLastSeen:
		if f.Op != OpBefore && f.Op != OpAfter {
			return invalid(field+".op", "must be before or after for "+f.Field)
		}
		if f.Time.IsZero() {
			return invalid(field+".value", "must be a time")
		}
	case FieldSegment:
		if f.Op != OpEquals && f.Op != OpNotEquals {
			return invalid(field+".op", "must be equals or notEquals for segment")
		}
		return CheckID(field+".value", f.Value)
	case FieldBanned:
		if f.Op != OpEquals {
			return invalid(field+".op", "must be equals for banned")
		}
		if f.Value != "true" && f.Value != "false" {
			return invalid(field+".value", "must be true or false")
		}
	case FieldTag:
		if f.Op != OpEquals && f.Op != OpNotEquals {
			return invalid(field+".op", "must be equals or notEquals for tag")
		}
		return CheckTag(field+".value", f.Value)
	case FieldFeedback, FieldMessages:
		if f.Op != OpAtLeast && f.Op != OpAtMost {
			return invalid(field+".op", "must be atLeast or atMost for "+f.Field)
		}
		if n, err := strconv.Atoi(f.Value); err != nil || n < 0 || strconv.Itoa(n) != f.Value {
			return invalid(field+".value", "must be a whole number of 0 or more")
		}
	default:
		key, ok := strings.CutPrefix(f.Field, FieldAttribute)
		if !ok || !ValidAttributeKey(key) {
			return invalid(field+".field", "must be createdAt, lastSeen, segment, banned, tag, feedback, messages or attributes.<key>")
		}
		switch f.Op {
		case OpExists:
		case OpEquals, OpNotEquals, OpContains:
			if err := checkLen(field+".value", f.Value, 1, MaxAttributeValue); err != nil {
				return err
			}
		default:
			return invalid(field+".op", "must be equals, notEquals, contains or exists for an attribute")
		}
	}
	return nil
}

// DayOf returns the calendar date of t in loc, as "2006-01-02".
func DayOf(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.DateOnly) }

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	return maps.Clone(m)
}

// MaxPeriodDays is the most days Stats and UserActivity read at once.
const MaxPeriodDays = 366

// Period returns the midnights, in loc, that begin the day of from and end
// the day of to: the whole days between. A period of no day (to before
// from) or of more than MaxPeriodDays is a *FieldError on "to".
func Period(from, to time.Time, loc *time.Location) (start, end time.Time, err error) {
	from, to = from.In(loc), to.In(loc)
	start = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
	end = time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, loc)
	switch {
	case !end.After(start):
		return start, end, invalid("to", "must not be before from")
	case end.After(start.AddDate(0, 0, MaxPeriodDays)):
		return start, end, invalid("to", fmt.Sprintf("must be at most %d days after from", MaxPeriodDays))
	}
	return start, end, nil
}

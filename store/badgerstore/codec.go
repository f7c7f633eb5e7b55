package badgerstore

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/parleybot/parley/store"
)

// Records are stored in a compact binary form: a format byte, then the
// fields in a fixed order as varints and length-prefixed strings. A record's
// format byte lets a later version read older records (see doc.go, "Schema
// and migrations").
const recordFormat = 1

// extendedFormat is the format byte of records with fields added in
// version 7: users (tags and feedback count, always written), segments
// (a saved filter) and counters (those added in version 7), the last two
// only when they have them. Records of format 1 end before those fields.
//
// userFormat is the format byte of user records since version 9: format
// 2 followed by the number of messages the user sent; verifiedFormat,
// since version 11, is userFormat followed by the user's verified email,
// written only when there is one.
const (
	extendedFormat = 2
	userFormat     = 3
	verifiedFormat = 4
)

var errCorrupt = errors.New("badgerstore: corrupt record")

// An encoder appends fields to a byte slice.
type encoder struct{ b []byte }

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) byte(v byte)   { e.b = append(e.b, v) }

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) bytes(s []byte) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

// time encodes the zero time as 0 and any other as 1 + its Unix nanoseconds.
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.byte(0)
		return
	}
	e.byte(1)
	e.int(t.UnixNano())
}

func (e *encoder) strs(ss []string) {
	e.uint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *encoder) attrs(m map[string]string) {
	e.uint(uint64(len(m)))
	for k, v := range m {
		e.str(k)
		e.str(v)
	}
}

// id encodes a 24-hex id as its 12 bytes, or an empty id as nothing.
func (e *encoder) id(id string) {
	if id == "" {
		e.byte(0)
		return
	}
	e.byte(12)
	e.b = appendID(e.b, id)
}

func (e *encoder) float(f float64) { e.uint(math.Float64bits(f)) }

// A decoder reads fields written by an encoder. The first error sticks; the
// fields read after it are zero.
type decoder struct {
	b   []byte
	err error
	// s is a copy of what was left of b at the first str: the strings of
	// a record share it, one allocation instead of one a string. b is
	// always a suffix of what s copied.
	s string
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.b = nil
}

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.b) < 1 {
		d.fail()
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) bool() bool { return d.byte() != 0 }

// extended reads the format byte of a record that has an extended form
// since version 7, and returns it.
func (d *decoder) extended() byte {
	f := d.byte()
	if f != recordFormat && f != extendedFormat {
		d.fail()
	}
	return f
}

func (d *decoder) raw() []byte {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

// str reads a string, copied out of the (possibly Badger-owned) buffer.
func (d *decoder) str() string {
	if d.s == "" {
		d.s = string(d.b)
	}
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	at := len(d.s) - len(d.b)
	d.b = d.b[n:]
	return d.s[at : at+int(n)]
}

func (d *decoder) time() time.Time {
	if d.byte() == 0 {
		return time.Time{}
	}
	return time.Unix(0, d.int()).UTC()
}

func (d *decoder) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.str()
	}
	return ss
}

// count reads a length and checks it against what is left.
func (d *decoder) count() int {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) attrs() map[string]string {
	n := d.count()
	if n == 0 {
		return nil
	}
	m := make(map[string]string, n)
	for range n {
		k := d.str()
		m[k] = d.str()
	}
	return m
}

func (d *decoder) id() string {
	switch d.byte() {
	case 0:
		return ""
	case 12:
		if len(d.b) < 12 {
			d.fail()
			return ""
		}
		s := hex.EncodeToString(d.b[:12])
		d.b = d.b[12:]
		return s
	}
	d.fail()
	return ""
}

func (d *decoder) float() float64 { return math.Float64frombits(d.uint()) }

// version reads the format byte.
func (d *decoder) version() {
	if d.byte() != recordFormat {
		d.fail()
	}
}

// grow returns b with room for about n more bytes, so that encoding a
// record allocates once.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		b = append(make([]byte, 0, len(b)+n), b...)
	}
	return b
}

func attrsSize(m map[string]string) int {
	n := 0
	for k, v := range m {
		n += len(k) + len(v) + 4
	}
	return n
}

// encodeUser encodes a user record. Besides decodeUser, the filter check
// (matcher.match in filter.go) reads its fields in place: a change here
// goes there too, and TestMatcherAgrees and FuzzDecode check the two agree.
func encodeUser(b []byte, u *store.User) []byte {
	e := encoder{grow(b, 64+len(u.UserID)+len(u.SessionID)+len(u.VerifiedEmail)+attrsSize(u.Attributes)+13*len(u.Segments)+tagsSize(u.Tags))}
	format := byte(userFormat)
	if u.VerifiedEmail != "" {
		format = verifiedFormat
	}
	e.byte(format)
	e.str(u.UserID)
	e.bool(u.Banned)
	e.attrs(u.Attributes)
	e.uint(uint64(len(u.Segments)))
	for _, s := range u.Segments {
		e.id(s)
	}
	e.uint(uint64(u.Conversations))
	e.str(u.SessionID)
	e.time(u.CreatedAt)
	e.time(u.LastSeen)
	// Since version 7 (format 2).
	e.strs(u.Tags)
	e.uint(uint64(u.Feedback))
	// Since version 9 (userFormat).
	e.uint(uint64(u.Messages))
	// Since version 11 (verifiedFormat).
	if format == verifiedFormat {
		e.str(u.VerifiedEmail)
	}
	return e.b
}

func decodeUser(b []byte, id string, u *store.User) error {
	d := decoder{b: b}
	format := d.byte()
	if format < recordFormat || format > verifiedFormat {
		d.fail()
	}
	u.ID = id
	u.UserID = d.str()
	u.Banned = d.bool()
	u.Attributes = d.attrs()
	if n := d.count(); n > 0 {
		u.Segments = make([]string, n)
		for i := range u.Segments {
			u.Segments[i] = d.id()
		}
	} else {
		u.Segments = nil
	}
	u.Conversations = int(d.uint())
	u.SessionID = d.str()
	u.CreatedAt = d.time()
	u.LastSeen = d.time()
	u.Tags, u.Feedback, u.Messages, u.VerifiedEmail = nil, 0, 0, ""
	if format >= extendedFormat {
		u.Tags = d.strs()
		u.Feedback = int(d.uint())
	}
	if format >= userFormat {
		u.Messages = int(d.uint())
	}
	if format == verifiedFormat {
		u.VerifiedEmail = d.str()
	}
	return d.err
}

// encodeSession encodes s followed by thread, the record of its current
// thread (see putSession), if not nil. A session waiting for a one-time
// code (since version 11) has format extendedFormat and the code's
// fields after its expiry.
func encodeSession(b []byte, s *store.Session, thread []byte) []byte {
	n := 128 + len(s.StoryID) + attrsSize(s.Attributes) + 28*len(s.Blocked)
	for _, c := range s.Contexts {
		n += len(c.InteractionID) + 8 + attrsSize(c.Parameters)
	}
	if s.Slot != nil {
		n += len(s.Slot.InteractionID) + len(s.Slot.Parameter) + 8 + attrsSize(s.Slot.Parameters)
	}
	format := byte(recordFormat)
	if v := s.Verification; v != nil {
		format = extendedFormat
		n += len(v.Email) + len(v.Code) + 24
	}
	e := encoder{grow(b, n+len(thread))}
	e.byte(format)
	e.id(s.UserID)
	e.str(s.StoryID)
	e.uint(uint64(len(s.Contexts)))
	for _, c := range s.Contexts {
		e.str(c.InteractionID)
		e.int(int64(c.Lifespan))
		e.attrs(c.Parameters)
	}
	if s.Slot == nil {
		e.byte(0)
	} else {
		e.byte(1)
		e.str(s.Slot.InteractionID)
		e.str(s.Slot.Parameter)
		e.attrs(s.Slot.Parameters)
		e.int(int64(s.Slot.Attempts))
	}
	e.attrs(s.Attributes)
	e.strs(nil) // a list of ids no version ever filled (Session.Visited, gone)
	e.strs(s.Blocked)
	e.int(int64(s.Failures))
	e.id(s.ThreadID)
	e.time(s.StartedAt)
	e.time(s.UpdatedAt)
	e.time(s.ExpiresAt)
	if v := s.Verification; v != nil {
		e.str(v.Email)
		e.str(v.Code)
		e.time(v.ExpiresAt)
		e.uint(uint64(v.Attempts))
	}
	if thread != nil {
		e.bytes(thread)
	}
	return e.b
}

// decodeSession decodes a session record into s, and returns the record of
// its current thread that it carries, or nil (schema 3 records carry none).
func decodeSession(b []byte, id string, s *store.Session) (thread []byte, err error) {
	d := decoder{b: b}
	format := d.extended()
	s.ID = id
	s.UserID = d.id()
	s.StoryID = d.str()
	if n := d.count(); n > 0 {
		s.Contexts = make([]store.Context, n)
		for i := range s.Contexts {
			c := &s.Contexts[i]
			c.InteractionID = d.str()
			c.Lifespan = int(d.int())
			c.Parameters = d.attrs()
		}
	}
	if d.byte() == 1 {
		s.Slot = &store.SlotFilling{
			InteractionID: d.str(),
			Parameter:     d.str(),
			Parameters:    d.attrs(),
			Attempts:      int(d.int()),
		}
	}
	s.Attributes = d.attrs()
	d.strs() // the list no version filled
	s.Blocked = d.strs()
	s.Failures = int(d.int())
	s.ThreadID = d.id()
	s.StartedAt = d.time()
	s.UpdatedAt = d.time()
	s.ExpiresAt = d.time()
	s.Verification = nil
	if format == extendedFormat {
		s.Verification = &store.Verification{Email: d.str(), Code: d.str(), ExpiresAt: d.time(), Attempts: int(d.uint())}
	}
	if len(d.b) > 0 && s.ThreadID != "" {
		thread = d.raw()
	}
	return thread, d.err
}

func encodeThread(b []byte, t *store.Thread) []byte {
	e := encoder{grow(b, 96+len(t.SessionID)+len(t.FirstMessage))}
	e.byte(recordFormat)
	e.id(t.UserID)
	e.str(t.SessionID)
	e.str(t.Mode)
	e.bool(t.Escalated)
	e.time(t.StartedAt)
	e.time(t.UpdatedAt)
	e.time(t.EndedAt)
	e.str(t.FirstMessage)
	e.uint(uint64(t.Messages))
	// Schema 7 adds the fields of the Threads API; a record without them
	// ends here.
	if t.Alias != "" || t.Read != 0 || t.WebhookURL != "" || t.WebhookToken != "" || t.Persona != "" {
		e.str(t.Alias)
		e.uint(uint64(t.Read))
		e.str(t.WebhookURL)
		e.str(t.WebhookToken)
	}
	// Schema 11 adds the persona, written when there is one.
	if t.Persona != "" {
		e.str(t.Persona)
	}
	return e.b
}

func decodeThread(b []byte, id string, t *store.Thread) error {
	d := decoder{b: b}
	d.version()
	t.ID = id
	t.UserID = d.id()
	t.SessionID = d.str()
	t.Mode = d.str()
	t.Escalated = d.bool()
	t.StartedAt = d.time()
	t.UpdatedAt = d.time()
	t.EndedAt = d.time()
	t.FirstMessage = d.str()
	t.Messages = int(d.uint())
	t.Alias, t.Read, t.WebhookURL, t.WebhookToken, t.Persona = "", 0, "", "", ""
	if len(d.b) > 0 {
		t.Alias = d.str()
		t.Read = int(d.uint())
		t.WebhookURL = d.str()
		t.WebhookToken = d.str()
	}
	if len(d.b) > 0 {
		t.Persona = d.str()
	}
	return d.err
}

// Message records. Format 1 holds one message, numbered by its key; format
// 2 (messagesFormat) holds the messages of one append (at most
// messagesPerKey), numbered from its key's sequence number on; format 3
// (agentsFormat) is format 2 with each message's AgentID, AgentName and
// IconURL, written when one of them is set; format 4 (sentFormat) is
// format 3 with each message's Goto and Trigger, written when one of them
// is set. Schema version 2 writes format 2 and reads formats 1 and 2;
// version 7 reads formats 1 to 3, version 15 all four.
const (
	messagesFormat = 2
	agentsFormat   = 3
	sentFormat     = 4
	messagesPerKey = 16
)

func messageSize(m *store.Message) int {
	return 40 + len(m.Type) + len(m.SystemType) + len(m.Text) + len(m.Fulfillment) + len(m.InteractionID) + len(m.Reaction) +
		len(m.AgentID) + len(m.AgentName) + len(m.IconURL) + len(m.Goto) + len(m.Trigger)
}

// encodeMessages encodes msgs (1 to messagesPerKey of them) as one record.
func encodeMessages(b []byte, msgs []store.Message) []byte {
	n := 8
	format := byte(messagesFormat)
	for i := range msgs {
		m := &msgs[i]
		n += messageSize(m)
		if m.Goto != "" || m.Trigger != "" {
			format = sentFormat
		} else if format == messagesFormat && (m.AgentID != "" || m.AgentName != "" || m.IconURL != "") {
			format = agentsFormat
		}
	}
	e := encoder{grow(b, n)}
	e.byte(format)
	e.uint(uint64(len(msgs)))
	for i := range msgs {
		e.message(&msgs[i], format)
	}
	return e.b
}

func (e *encoder) message(m *store.Message, format byte) {
	e.str(m.Type)
	e.str(m.SystemType)
	e.str(m.Text)
	e.bytes(m.Fulfillment)
	e.str(m.InteractionID)
	e.float(m.Score)
	e.str(m.Reaction)
	e.time(m.CreatedAt)
	if format >= agentsFormat {
		e.str(m.AgentID)
		e.str(m.AgentName)
		e.str(m.IconURL)
	}
	if format == sentFormat {
		e.str(m.Goto)
		e.str(m.Trigger)
	}
}

// decodeMessages appends the messages of a record whose key holds seq to
// msgs.
func decodeMessages(b []byte, threadID string, seq int, msgs []store.Message) ([]store.Message, error) {
	d := decoder{b: b}
	n := 1
	format := d.byte()
	switch format {
	case recordFormat:
	case messagesFormat, agentsFormat, sentFormat:
		n = d.count()
		if n < 1 || n > messagesPerKey {
			d.fail()
		}
	default:
		d.fail()
	}
	for i := 0; i < n && d.err == nil; i++ {
		msgs = append(msgs, store.Message{})
		d.message(threadID, seq+i, &msgs[len(msgs)-1], format)
	}
	if format != recordFormat && len(d.b) > 0 {
		d.fail() // bytes after the last message
	}
	return msgs, d.err
}

func (d *decoder) message(threadID string, seq int, m *store.Message, format byte) {
	m.ThreadID = threadID
	m.Seq = seq
	m.Type = d.str()
	m.SystemType = d.str()
	m.Text = d.str()
	if f := d.raw(); len(f) > 0 {
		m.Fulfillment = append([]byte(nil), f...)
	}
	m.InteractionID = d.str()
	m.Score = d.float()
	m.Reaction = d.str()
	m.CreatedAt = d.time()
	if format >= agentsFormat {
		m.AgentID = d.str()
		m.AgentName = d.str()
		m.IconURL = d.str()
	}
	if format == sentFormat {
		m.Goto = d.str()
		m.Trigger = d.str()
	}
}

func encodeSegment(b []byte, s *store.Segment) []byte {
	e := encoder{b}
	if s.Filter == nil {
		e.byte(recordFormat)
	} else {
		e.byte(extendedFormat)
	}
	e.str(s.Name)
	e.time(s.CreatedAt)
	e.uint(uint64(s.Members))
	// Since version 7 (extendedFormat): the saved filter.
	if f := s.Filter; f != nil {
		e.str(f.Match)
		e.uint(uint64(len(f.Filters)))
		for i := range f.Filters {
			x := &f.Filters[i]
			e.str(x.Field)
			e.str(x.Op)
			e.str(x.Value)
			e.time(x.Time)
		}
	}
	return e.b
}

func decodeSegment(b []byte, id string, s *store.Segment) error {
	d := decoder{b: b}
	format := d.extended()
	s.ID = id
	s.Name = d.str()
	s.CreatedAt = d.time()
	s.Members = int(d.uint())
	s.Filter = nil
	if format == extendedFormat {
		f := &store.SegmentFilter{Match: d.str()}
		if n := d.count(); n > 0 {
			f.Filters = make([]store.Filter, n)
			for i := range f.Filters {
				x := &f.Filters[i]
				x.Field, x.Op, x.Value = d.str(), d.str(), d.str()
				x.Time = d.time()
			}
		}
		s.Filter = f
	}
	return d.err
}

func encodeFeedback(b []byte, f *store.Feedback) []byte {
	e := encoder{b}
	e.byte(recordFormat)
	e.id(f.UserID)
	e.str(f.Kind)
	e.id(f.ThreadID)
	e.uint(uint64(f.Seq))
	e.str(f.Reaction)
	e.uint(uint64(f.Score))
	e.str(f.Comment)
	e.time(f.CreatedAt)
	return e.b
}

func decodeFeedback(b []byte, id string, f *store.Feedback) error {
	d := decoder{b: b}
	d.version()
	f.ID = id
	f.UserID = d.id()
	f.Kind = d.str()
	f.ThreadID = d.id()
	f.Seq = int(d.uint())
	f.Reaction = d.str()
	f.Score = int(d.uint())
	f.Comment = d.str()
	f.CreatedAt = d.time()
	return d.err
}

func tagsSize(tags []string) int {
	n := 1
	for _, t := range tags {
		n += 1 + len(t)
	}
	return n
}

func encodeCounters(b []byte, c *store.Counters) []byte {
	e := encoder{b}
	extended := c.ActiveUsers|c.ReturningUsers|c.Feedback|c.NPSNegative|c.NPSNeutral|c.NPSPositive|c.Tagged|c.Automated != 0 ||
		len(c.Goals) > 0
	if extended {
		e.byte(extendedFormat)
	} else {
		e.byte(recordFormat)
	}
	e.int(c.Messages)
	e.int(c.Sessions)
	e.int(c.NewUsers)
	e.int(c.Fallbacks)
	e.int(c.Handoffs)
	// Since version 7: reactions, when one is set (format 1), and since
	// version 8 the counters of Userbot's operations too (extendedFormat),
	// when one of those is set. The counters of most turns stay short.
	if extended {
		e.int(c.Positive)
		e.int(c.Negative)
		e.int(c.Neutral)
		e.int(c.ActiveUsers)
		e.int(c.ReturningUsers)
		e.int(c.Feedback)
		e.int(c.NPSNegative)
		e.int(c.NPSNeutral)
		e.int(c.NPSPositive)
		e.int(c.Tagged)
		// Since version 10, when set: automated messages sent; since
		// version 12, when any: the goals reached, by name, sorted.
		if c.Automated != 0 || len(c.Goals) > 0 {
			e.int(c.Automated)
		}
		if len(c.Goals) > 0 {
			e.uint(uint64(len(c.Goals)))
			for _, name := range slices.Sorted(maps.Keys(c.Goals)) {
				e.str(name)
				e.int(c.Goals[name])
			}
		}
	} else if c.Positive != 0 || c.Negative != 0 || c.Neutral != 0 {
		e.int(c.Positive)
		e.int(c.Negative)
		e.int(c.Neutral)
	}
	return e.b
}

func decodeCounters(b []byte, c *store.Counters) error {
	d := decoder{b: b}
	format := d.extended()
	c.Messages = d.int()
	c.Sessions = d.int()
	c.NewUsers = d.int()
	c.Fallbacks = d.int()
	c.Handoffs = d.int()
	c.Positive, c.Negative, c.Neutral = 0, 0, 0
	c.ActiveUsers, c.ReturningUsers, c.Feedback, c.NPSNegative, c.NPSNeutral, c.NPSPositive, c.Tagged = 0, 0, 0, 0, 0, 0, 0
	c.Automated = 0
	c.Goals = nil
	if format == extendedFormat || len(d.b) > 0 {
		c.Positive = d.int()
		c.Negative = d.int()
		c.Neutral = d.int()
	}
	if format == extendedFormat {
		c.ActiveUsers = d.int()
		c.ReturningUsers = d.int()
		c.Feedback = d.int()
		c.NPSNegative = d.int()
		c.NPSNeutral = d.int()
		c.NPSPositive = d.int()
		c.Tagged = d.int()
		if len(d.b) > 0 {
			c.Automated = d.int()
		}
		if len(d.b) > 0 {
			n := d.count()
			c.Goals = make(map[string]int64, n)
			for range n {
				name := d.str()
				c.Goals[name] = d.int()
			}
		}
	}
	return d.err
}

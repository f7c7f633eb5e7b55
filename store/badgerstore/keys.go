package badgerstore

import (
	"encoding/binary"
	"encoding/hex"
	"strings"
	"time"
)

// Key layout. Every key starts with one byte naming its kind; ids are stored
// as their 12 raw bytes, times as 8 big-endian bytes of Unix nanoseconds with
// the sign bit flipped, so that byte order is time order.
//
//	\x00schema                         schema version
//	\x00open                           the store is open (see lastseen.go)
//	u <user>                           user record
//	U <userId>                         → user (unique userId)
//	e <lowercased default_email>       → user (unique email)
//	l <lastSeen> <user>                index: users by lastSeen (written behind)
//	g <segment>                        segment record (its Members: a base, see counts.go)
//	g <segment> <unique: 12>           a change of the segment's member count (varint)
//	m <segment> <user>                 index: segment members
//	k <tag name>                       number of users with the tag (a base, see counts.go)
//	k <tag name> \x00 <unique: 12>     a change of that number (varint)
//	f <feedback>                       feedback record
//	F <user> <feedback>                index: a user's feedback
//	s <sessionId>                      session record
//	S <user> <sessionId>               index: a user's sessions
//	t <thread>                         thread record
//	T <user> <thread>                  index: a user's threads
//	M <thread> <seq: 4 bytes>          messages seq, seq+1, … of one append
//	a <alias>                          → thread (unique alias)
//	o <delivery>                       a webhook delivery in the outbox
//	c <day: 4 bytes> \x00              counters of a day (merged)
//	c <day: 4 bytes> \x01 <unique: 16> counters of one commit (to merge)
//	c <day: 4 bytes> \x02 <stripe: 1> counters of a lock stripe's turns (commits of one or two)
//	c <day: 4 bytes> \x03              counters of commits of three turns or more
//	n <day: 4> <len: 2> <text> <unique: 16>  one fallback query of a day (see counters.go)
//	A <message>                        automated message record (JSON)
//	D <recipient> \x00 <message>       delivery of an automated message (JSON)
//	d <message> <recipient>            index: a message's deliveries
//	V <length: 2> <visitor> <visit>    visit record (JSON) of a user or session
//	C <domain>                         company record (JSON)
//	L <lastActive> <domain>            index: companies by activity
//	P <length: 2> <domain> <user>      index: a company's people
//	W <user>                           → the user's company (domain)
//	N <meeting>                        meeting record (JSON)
//	I <start> <meeting>                index: meetings by start time
//	R <user> <meeting>                 index: a user's meetings
//	Q <qa>                             stored Q&A record (JSON)
//	q <label>                          → Q&A (unique label)
//	v <user> <day: 4 bytes>            the user had a turn that day (see activity.go)
//	x <kind> <id>                      pending purge of a deleted user, segment, thread or automated message
//	j <slot: 8 bytes>                  users' lastSeen a group commit left behind (see lastseen.go)
//	E <position: 8 bytes>              the event log: a run of entries ending there (see log.go)
//	\x00logid, \x00logtrim             the event log's id, and the last position it dropped
const (
	kUser       = 'u'
	kUserID     = 'U'
	kEmail      = 'e'
	kLastSeen   = 'l'
	kSegment    = 'g'
	kMember     = 'm'
	kTag        = 'k'
	kFeedback   = 'f'
	kUserFeed   = 'F'
	kSession    = 's'
	kUserSess   = 'S'
	kThread     = 't'
	kUserThread = 'T'
	kMessage    = 'M'
	kAlias      = 'a'
	kOutbox     = 'o'
	kCounter    = 'c'
	kFallback   = 'n'
	kPurge      = 'x'
	kJournal    = 'j'
	kActivity   = 'v'

	kAutomated    = 'A'
	kDelivery     = 'D'
	kMsgDelivery  = 'd'
	kVisit        = 'V'
	kCompany      = 'C'
	kLeadActivity = 'L'
	kPeople       = 'P'
	kUserCompany  = 'W'
	kMeeting      = 'N'
	kMeetingTime  = 'I'
	kUserMeeting  = 'R'
	kQA           = 'Q'
	kQALabel      = 'q'
	kEventLog     = 'E'
)

var schemaKey = []byte("\x00schema")

// rawID returns the 12 bytes of a 24-hex id (which must be valid).
func rawID(id string) []byte {
	b, _ := hex.DecodeString(id)
	return b
}

func hexID(b []byte) string { return hex.EncodeToString(b) }

// appendID appends the 12 bytes of a 24-hex id, which must be valid.
func appendID(b []byte, id string) []byte {
	b, _ = hex.AppendDecode(b, []byte(id))
	return b
}

func key1(kind byte, id string) []byte {
	k := make([]byte, 1, 13)
	k[0] = kind
	return appendID(k, id)
}

func key2(kind byte, id1, id2 string) []byte {
	k := make([]byte, 1, 25)
	k[0] = kind
	k = appendID(k, id1)
	return appendID(k, id2)
}

func strKey(kind byte, s string) []byte {
	k := make([]byte, 1, 1+len(s))
	k[0] = kind
	return append(k, s...)
}

func emailKey(email string) []byte { return strKey(kEmail, strings.ToLower(email)) }

func appendTime(b []byte, t time.Time) []byte {
	return binary.BigEndian.AppendUint64(b, uint64(t.UnixNano())^(1<<63))
}

func lastSeenKey(t time.Time, id string) []byte {
	k := appendTime([]byte{kLastSeen}, t)
	return appendID(k, id)
}

func userSessionKey(user, session string) []byte {
	k := key1(kUserSess, user)
	return append(k, session...)
}

func messageKey(thread string, seq int) []byte {
	return binary.BigEndian.AppendUint32(key1(kMessage, thread), uint32(seq))
}

// dayNumber is a calendar date as yyyymmdd.
func dayNumber(t time.Time) uint32 {
	y, m, d := t.Date()
	return uint32(y*10000 + int(m)*100 + d)
}

func dayKey(day uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{kCounter}, day)
}

package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// The event log: every message appended and every thread created, changed
// or deleted leaves an entry, written in the same transaction, at a
// position that readers meet in order. A reader that resumes after the
// last position it had (the bot-wide live stream does, after a restart or
// in another process) gets every entry it missed and none twice.
//
// The positions are in commit order, not in time order and not in the
// order of message numbers: a turn that started first may commit last,
// and a reaction rewrites a message without moving it. What a reader must
// never see is an entry that appears later at a position it has already
// passed; each backend documents how it keeps that promise (badgerstore
// numbers entries under a commit lock; pgstore orders them by transaction
// and returns only those of transactions older than every running one).
//
// The log is bounded: a backend keeps the last DefaultLogRetention
// entries (an option changes it) and drops older ones; a reader resuming
// from a dropped position is told so ([LogPage.Lost]) and starts again.

// DefaultLogRetention is how many entries of the event log a backend
// keeps by default.
const DefaultLogRetention = 100_000

// MaxLogPage bounds the entries of one [EventLog.ReadLog].
const MaxLogPage = 1000

// LogKind says what a LogEntry records.
type LogKind uint8

// Kinds of log entries.
const (
	LogMessage       LogKind = iota + 1 // a message appended (ThreadID, Seq)
	LogThreadCreated                    // a thread created
	LogThreadChanged                    // a thread's mode, escalation, read count, webhook or user changed
	LogThreadDeleted                    // a thread deleted (Alias says how clients knew it)
)

// String returns "message", "thread.created", "thread.changed" or
// "thread.deleted".
func (k LogKind) String() string {
	switch k {
	case LogMessage:
		return "message"
	case LogThreadCreated:
		return "thread.created"
	case LogThreadChanged:
		return "thread.changed"
	case LogThreadDeleted:
		return "thread.deleted"
	}
	return "unknown"
}

// A LogPos is a position in the event log. Positions are totally ordered
// ([LogPos.Less]); the zero LogPos is before every entry. Badgerstore
// numbers entries with N alone; pgstore orders them by transaction (Tx)
// and then by N.
type LogPos struct {
	Tx, N uint64
}

// Less reports whether p is before q.
func (p LogPos) Less(q LogPos) bool {
	return p.Tx < q.Tx || p.Tx == q.Tx && p.N < q.N
}

// String formats p as "N", or "Tx.N" when Tx is not 0: the form
// [ParseLogPos] reads.
func (p LogPos) String() string {
	if p.Tx == 0 {
		return strconv.FormatUint(p.N, 10)
	}
	return strconv.FormatUint(p.Tx, 10) + "." + strconv.FormatUint(p.N, 10)
}

// ParseLogPos reads a position formatted by [LogPos.String].
func ParseLogPos(s string) (LogPos, error) {
	var p LogPos
	tx, n, ok := strings.Cut(s, ".")
	var err error
	if !ok {
		p.N, err = strconv.ParseUint(s, 10, 64)
	} else if p.Tx, err = strconv.ParseUint(tx, 10, 64); err == nil && p.Tx != 0 {
		p.N, err = strconv.ParseUint(n, 10, 64)
	} else if err == nil {
		err = fmt.Errorf("transaction 0")
	}
	if err != nil {
		return LogPos{}, invalid("lastEventId", "must be a position of the event log")
	}
	return p, nil
}

// A LogEntry is one entry of the event log.
type LogEntry struct {
	Pos      LogPos
	Kind     LogKind
	ThreadID string // the thread's store id
	// Seq is the message's number in its thread, for LogMessage.
	Seq int
	// Alias is the thread's Alias, for LogThreadDeleted (the thread can
	// no longer be read).
	Alias string
}

// A LogPage is what [EventLog.ReadLog] read.
type LogPage struct {
	// Log identifies the log: chosen at random when the store was
	// created, so that a position of another store (or of a store
	// recreated) is not taken for one of this.
	Log string
	// Entries are the entries after the position asked for, in order.
	Entries []LogEntry
	// Last is where the next read resumes: no entry at or before it can
	// appear later. It is the last entry's position when the page is
	// full, else the end of the log as far as it is settled (never before
	// the position asked for, unless Lost).
	Last LogPos
	// Lost reports that the position asked for cannot be resumed from:
	// entries after it were dropped (retention), or it is past the end of
	// the log. Entries is then empty.
	Lost bool
	// Pending reports that entries after Last exist but are not settled
	// yet (transactions before theirs still run): read again soon.
	Pending bool
}

// EventLog reads the event log. Backends write it with every change it
// records, in the change's transaction. Implementations are safe for
// concurrent use; several processes may share one.
type EventLog interface {
	// ReadLog returns up to limit (0–MaxLogPage) entries after the
	// position after. With limit 0 it returns no entries, and Last is the
	// end of the log: where a reader that wants only what comes next
	// starts.
	ReadLog(ctx context.Context, after LogPos, limit int) (LogPage, error)
}

// CheckLogLimit checks the limit of a ReadLog.
func CheckLogLimit(limit int) error {
	if limit < 0 || limit > MaxLogPage {
		return invalid("limit", fmt.Sprintf("must be 0 to %d", MaxLogPage))
	}
	return nil
}

// TurnLog returns the log entries of a committed turn's thread: the thread
// created, the messages appended (already numbered), and the thread
// changed when its mode or escalation differs from when the turn loaded
// it. Backends write them with the turn.
func (t *Turn) TurnLog() []LogEntry {
	th := t.Thread
	if th == nil {
		return nil
	}
	was := t.loaded
	if t.newThread || was.id != th.ID {
		was = threadState{id: th.ID, mode: ModeAI}
	}
	changed := th.Mode != was.mode || th.Escalated != was.escalated
	n := len(t.Messages)
	if t.newThread {
		n++
	}
	if changed {
		n++
	}
	if n == 0 {
		return nil
	}
	es := make([]LogEntry, 0, n)
	if t.newThread {
		es = append(es, LogEntry{Kind: LogThreadCreated, ThreadID: th.ID})
	}
	for i := range t.Messages {
		es = append(es, LogEntry{Kind: LogMessage, ThreadID: th.ID, Seq: t.Messages[i].Seq})
	}
	if changed {
		es = append(es, LogEntry{Kind: LogThreadChanged, ThreadID: th.ID})
	}
	return es
}

// threadState is what TurnLog compares a turn's thread with.
type threadState struct {
	id        string
	mode      string
	escalated bool
}

// SetThread sets the turn's thread as the backend loaded it (the session's
// current thread). Backends call it instead of setting Thread, so that
// [Turn.TurnLog] knows what changed.
func (t *Turn) SetThread(th *Thread) {
	t.Thread = th
	t.loaded = threadState{id: th.ID, mode: th.Mode, escalated: th.Escalated}
}

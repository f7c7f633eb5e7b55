package pgstore

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

// The event log (see [store.EventLog]) is the table event_log: one row per
// entry, inserted in the transaction of the change it records, with the
// id of that transaction (xid, pg_current_xact_id()) and a number from an
// identity column (pos).
//
// Numbers from a sequence are taken when rows are inserted, not when
// their transactions commit: a turn may take 10, another 11 and commit
// first. A reader that returned 11 and moved past it would never return
// 10. So the log is read in the order of (xid, pos), and a read returns
// only the rows of transactions older than every transaction still
// running (xid < pg_snapshot_xmin(pg_current_snapshot())), which are
// settled: those transactions have ended, and every transaction still to
// commit has a larger xid, so its rows come after every row returned.
// Rows of younger transactions wait for the next read ([LogPage.Pending]
// tells the reader to come back soon). xmin is the server's: a
// transaction that stays open long anywhere on the server (in any
// database) delays the log, but loses nothing.
//
// Retention: every Nth entry a process appends, with N an eighth of the
// retention (WithLogRetention), the transaction that appends it also
// deletes the settled rows before the last retention ones and records the
// last of them in event_log_meta, so that a reader resuming from before it
// is told it lost entries.

const (
	insertLogSQL = `INSERT INTO event_log (kind, thread_id, seq, alias)
SELECT * FROM unnest($1::smallint[], $2::text[], $3::integer[], $4::text[])`
	trimLogSQL = `WITH cut AS (
	SELECT xid, pos FROM event_log ORDER BY xid DESC, pos DESC OFFSET $1 LIMIT 1
), settled AS (
	SELECT xid, pos FROM cut WHERE xid < pg_snapshot_xmin(pg_current_snapshot())
), gone AS (
	DELETE FROM event_log l USING settled s WHERE (l.xid, l.pos) <= (s.xid, s.pos)
)
UPDATE event_log_meta m SET trimmed_xid = s.xid, trimmed_pos = s.pos FROM settled s
WHERE (m.trimmed_xid, m.trimmed_pos) < (s.xid, s.pos)`
	readLogSQL = `SELECT m.id, m.trimmed_xid::text, m.trimmed_pos, x.xmin::text,
	coalesce((SELECT l.xid::text || '.' || l.pos FROM event_log l WHERE l.xid < x.xmin
		ORDER BY l.xid DESC, l.pos DESC LIMIT 1), ''),
	coalesce(e.xid::text, ''), coalesce(e.pos, 0), coalesce(e.kind, 0), coalesce(e.thread_id, ''),
	coalesce(e.seq, 0), coalesce(e.alias, '')
FROM event_log_meta m
CROSS JOIN (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) x
LEFT JOIN LATERAL (
	SELECT xid, pos, kind, thread_id, seq, alias FROM event_log
	WHERE (xid, pos) > ($1::text::xid8, $2) ORDER BY xid, pos LIMIT $3
) e ON true
ORDER BY e.xid, e.pos`
)

// logCount counts the entries this process appended, for retention.
type logCount struct{ n atomic.Uint64 }

// queueLog queues the insertion of entries, and their notification to
// other processes when they are not messages (messages have their own),
// in a transaction's batch.
func (db *DB) queueLog(b *pgx.Batch, es []store.LogEntry) {
	if len(es) == 0 {
		return
	}
	kinds := make([]int16, len(es))
	threads := make([]string, len(es))
	seqs := make([]int32, len(es))
	aliases := make([]string, len(es))
	notified := ""
	for i, e := range es {
		kinds[i], threads[i], seqs[i], aliases[i] = int16(e.Kind), e.ThreadID, int32(e.Seq), e.Alias
		if e.Kind != store.LogMessage && e.ThreadID != notified {
			db.queueNotify(b, e.ThreadID, 0, 0)
			notified = e.ThreadID
		}
	}
	b.Queue(insertLogSQL, kinds, threads, seqs, aliases)
	every := uint64(max(db.logKeep/8, 64))
	n := db.logCount.n.Add(uint64(len(es)))
	if n/every != (n-uint64(len(es)))/every {
		b.Queue(trimLogSQL, db.logKeep)
	}
}

// ReadLog implements [store.EventLog], in one statement (one snapshot).
func (db *DB) ReadLog(ctx context.Context, after store.LogPos, limit int) (store.LogPage, error) {
	if err := store.CheckLogLimit(limit); err != nil {
		return store.LogPage{}, err
	}
	if err := db.enter(ctx); err != nil {
		return store.LogPage{}, err
	}
	defer db.exit()
	rows, err := db.pool.Query(ctx, readLogSQL, strconv.FormatUint(after.Tx, 10), int64(after.N), limit+1)
	if err != nil {
		return store.LogPage{}, db.wrap(ctx, "read the event log", err)
	}
	defer rows.Close()
	var page store.LogPage
	var trimmed, end store.LogPos
	var xmin uint64
	for rows.Next() {
		var trimXid, xminText, endText, xid string
		var trimPos, pos int64
		var kind int16
		var seq int32
		var e store.LogEntry
		if err := rows.Scan(&page.Log, &trimXid, &trimPos, &xminText, &endText, &xid, &pos, &kind, &e.ThreadID, &seq, &e.Alias); err != nil {
			return store.LogPage{}, db.wrap(ctx, "read the event log", err)
		}
		trimmed = store.LogPos{Tx: parseXid(trimXid), N: uint64(trimPos)}
		xmin = parseXid(xminText)
		end = trimmed
		if tx, n, ok := strings.Cut(endText, "."); ok {
			p := store.LogPos{Tx: parseXid(tx), N: parseXid(n)}
			if trimmed.Less(p) {
				end = p
			}
		}
		if xid == "" || limit == 0 {
			continue
		}
		e.Pos = store.LogPos{Tx: parseXid(xid), N: uint64(pos)}
		if e.Pos.Tx >= xmin {
			page.Pending = true
			continue
		}
		e.Kind, e.Seq = store.LogKind(kind), int(seq)
		page.Entries = append(page.Entries, e)
	}
	if err := rows.Err(); err != nil {
		return store.LogPage{}, db.wrap(ctx, "read the event log", err)
	}
	switch {
	case limit == 0:
		page.Entries, page.Pending = nil, false
		page.Last = end
	case after.Less(trimmed), end.Less(after), after.Tx == 0 && after.N != 0:
		page.Entries, page.Pending = nil, false
		page.Lost = true
	case len(page.Entries) > limit:
		page.Entries, page.Pending = page.Entries[:limit], false
		page.Last = page.Entries[limit-1].Pos
	case len(page.Entries) == limit:
		page.Last = page.Entries[limit-1].Pos
	default:
		page.Last = end
		if end.Less(after) {
			page.Last = after
		}
	}
	return page, nil
}

func parseXid(s string) uint64 {
	n, _ := strconv.ParseUint(s, 10, 64)
	return n
}

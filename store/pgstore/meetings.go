package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

const meetingColumns = `id, coalesce(user_id, ''), session_id, thread_id, title, start_at, end_at, status, notes, event_id, created_at, updated_at`

func scanMeeting(row pgx.Row) (store.Meeting, error) {
	var m store.Meeting
	err := row.Scan(&m.ID, &m.UserID, &m.SessionID, &m.ThreadID, &m.Title, &m.Start, &m.End, &m.Status, &m.Notes, &m.EventID, &m.CreatedAt, &m.UpdatedAt)
	m.Start, m.End, m.CreatedAt, m.UpdatedAt = m.Start.UTC(), m.End.UTC(), m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	return m, err
}

// SaveMeeting implements [store.Meetings].
func (db *DB) SaveMeeting(ctx context.Context, m store.Meeting) (store.Meeting, error) {
	if err := store.CheckMeeting(&m); err != nil {
		return store.Meeting{}, err
	}
	m.Start, m.End = m.Start.UTC().Truncate(time.Microsecond), m.End.UTC().Truncate(time.Microsecond)
	now := db.clock()
	isNew := m.ID == ""
	if isNew {
		m.ID = db.newID()
	}
	var user *string
	if m.UserID != "" {
		user = &m.UserID
	}
	out := m
	err := db.tx(ctx, func(tx pgx.Tx) error {
		out = m
		if user != nil {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)`, m.UserID).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return store.ErrNotFound
			}
		}
		out.CreatedAt, out.UpdatedAt = now, now
		if isNew {
			_, err := tx.Exec(ctx, `INSERT INTO meetings (id, user_id, session_id, thread_id, title, start_at, end_at, status, notes, event_id, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`, m.ID, user, m.SessionID, m.ThreadID, m.Title, m.Start, m.End, m.Status, m.Notes, m.EventID, now)
			return err
		}
		err := tx.QueryRow(ctx, `UPDATE meetings SET user_id = $2, session_id = $3, thread_id = $4, title = $5, start_at = $6, end_at = $7,
	status = $8, notes = $9, event_id = $10, updated_at = $11 WHERE id = $1 RETURNING created_at`,
			m.ID, user, m.SessionID, m.ThreadID, m.Title, m.Start, m.End, m.Status, m.Notes, m.EventID, now).Scan(&out.CreatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		out.CreatedAt = out.CreatedAt.UTC()
		return err
	})
	if err != nil {
		return store.Meeting{}, db.wrap(ctx, "save meeting", err)
	}
	return out, nil
}

// Meeting implements [store.Meetings].
func (db *DB) Meeting(ctx context.Context, id string) (store.Meeting, error) {
	if err := store.CheckID("id", id); err != nil {
		return store.Meeting{}, err
	}
	if err := db.enter(ctx); err != nil {
		return store.Meeting{}, err
	}
	defer db.exit()
	m, err := scanMeeting(db.pool.QueryRow(ctx, `SELECT `+meetingColumns+` FROM meetings WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Meeting{}, db.wrap(ctx, "meeting", err)
	}
	return m, nil
}

// ListMeetings implements [store.Meetings].
func (db *DB) ListMeetings(ctx context.Context, q store.MeetingQuery) (store.MeetingPage, error) {
	q, err := q.Normalize()
	if err != nil {
		return store.MeetingPage{}, err
	}
	if err := db.enter(ctx); err != nil {
		return store.MeetingPage{}, err
	}
	defer db.exit()
	var from, to *time.Time
	if !q.From.IsZero() {
		from = &q.From
	}
	if !q.To.IsZero() {
		to = &q.To
	}
	var afterStart *time.Time
	if q.After != "" {
		var t time.Time
		err := db.pool.QueryRow(ctx, `SELECT start_at FROM meetings WHERE id = $1`, q.After).Scan(&t)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.MeetingPage{}, &store.FieldError{Field: "after", Rule: "must be the next of a page"}
		}
		if err != nil {
			return store.MeetingPage{}, db.wrap(ctx, "list meetings", err)
		}
		afterStart = &t
	}
	rows, err := db.pool.Query(ctx, `SELECT `+meetingColumns+` FROM meetings
WHERE ($1::timestamptz IS NULL OR start_at >= $1) AND ($2::timestamptz IS NULL OR start_at < $2)
	AND ($3 = '' OR user_id = $3) AND ($4 = '' OR status = $4)
	AND ($5::timestamptz IS NULL OR (start_at, id) > ($5, $6))
ORDER BY start_at, id LIMIT $7`, from, to, q.UserID, q.Status, afterStart, q.After, q.Limit+1)
	if err != nil {
		return store.MeetingPage{}, db.wrap(ctx, "list meetings", err)
	}
	ms, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Meeting, error) { return scanMeeting(row) })
	if err != nil {
		return store.MeetingPage{}, db.wrap(ctx, "list meetings", err)
	}
	page := store.MeetingPage{Meetings: ms}
	if len(ms) > q.Limit {
		page.Meetings = ms[:q.Limit]
		page.Next = ms[q.Limit-1].ID
	}
	return page, nil
}

package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

// AddFeedback implements [store.Feedbacks]: one transaction locks the
// user's row (whose feedback count it adds to) and, for a reaction, the
// message's.
func (db *DB) AddFeedback(ctx context.Context, f store.Feedback) (store.Feedback, error) {
	if err := store.CheckFeedback(&f); err != nil {
		return store.Feedback{}, err
	}
	f.ID = db.newID()
	f.CreatedAt = db.clock()
	base := store.Counters{Feedback: 1}
	if f.Kind == store.FeedbackNPS {
		switch store.NPSGroup(f.Score) {
		case store.Positive:
			base.NPSPositive = 1
		case store.Neutral:
			base.NPSNeutral = 1
		default:
			base.NPSNegative = 1
		}
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		c := base
		if err := lockUsers(ctx, tx, []string{f.UserID}); err != nil {
			return fmt.Errorf("userId: %w", store.ErrNotFound)
		}
		if f.ThreadID != "" {
			var owner *string
			err := tx.QueryRow(ctx, `SELECT user_id FROM threads WHERE id = $1`, f.ThreadID).Scan(&owner)
			if errors.Is(err, pgx.ErrNoRows) || err == nil && (owner == nil || *owner != f.UserID) {
				return fmt.Errorf("threadId: %w", store.ErrNotFound)
			}
			if err != nil {
				return err
			}
		}
		if f.Kind == store.FeedbackReaction {
			var old string
			err := tx.QueryRow(ctx, `SELECT reaction FROM messages WHERE thread_id = $1 AND seq = $2 FOR UPDATE`, f.ThreadID, f.Seq).Scan(&old)
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("seq: %w", store.ErrNotFound)
			}
			if err != nil {
				return err
			}
			c.AddReaction(old, -1) // as SetReaction counts
			c.AddReaction(f.Reaction, 1)
			if _, err := tx.Exec(ctx, `UPDATE messages SET reaction = $3 WHERE thread_id = $1 AND seq = $2`, f.ThreadID, f.Seq, f.Reaction); err != nil {
				return err
			}
		}
		var b pgx.Batch
		b.Queue(`UPDATE users SET feedback = feedback + 1 WHERE id = $1`, f.UserID)
		b.Queue(`INSERT INTO feedback (id, user_id, kind, thread_id, seq, reaction, score, comment, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, f.ID, f.UserID, f.Kind, f.ThreadID, f.Seq, f.Reaction, f.Score, f.Comment, f.CreatedAt)
		b.Queue(addCountersSQL, db.counterArgs(f.CreatedAt, randomShard(), c)...)
		return tx.SendBatch(ctx, &b).Close()
	})
	if err != nil {
		return store.Feedback{}, db.wrap(ctx, "add feedback", err)
	}
	return f, nil
}

// ListFeedback implements [store.Feedbacks].
func (db *DB) ListFeedback(ctx context.Context, q store.FeedbackQuery) (store.FeedbackPage, error) {
	q, err := q.Normalize()
	if err != nil {
		return store.FeedbackPage{}, err
	}
	if err := db.enter(ctx); err != nil {
		return store.FeedbackPage{}, err
	}
	defer db.exit()
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	where := []string{"true"}
	if q.UserID != "" {
		where = append(where, "user_id = "+arg(q.UserID))
	}
	if q.Kind != "" {
		where = append(where, "kind = "+arg(q.Kind))
	}
	if !q.From.IsZero() {
		where = append(where, "created_at >= "+arg(q.From))
	}
	if !q.To.IsZero() {
		where = append(where, "created_at < "+arg(q.To))
	}
	if q.After != "" {
		where = append(where, "id < "+arg(q.After))
	}
	rows, err := db.pool.Query(ctx, `
SELECT id, user_id, kind, thread_id, seq, reaction, score, comment, created_at FROM feedback
WHERE `+strings.Join(where, " AND ")+` ORDER BY id DESC LIMIT `+strconv.Itoa(q.Limit), args...)
	if err != nil {
		return store.FeedbackPage{}, db.wrap(ctx, "list feedback", err)
	}
	fs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Feedback, error) {
		var f store.Feedback
		err := row.Scan(&f.ID, &f.UserID, &f.Kind, &f.ThreadID, &f.Seq, &f.Reaction, &f.Score, &f.Comment, &f.CreatedAt)
		f.CreatedAt = f.CreatedAt.UTC()
		return f, err
	})
	if err != nil {
		return store.FeedbackPage{}, db.wrap(ctx, "list feedback", err)
	}
	var page store.FeedbackPage
	if len(fs) > 0 {
		page.Feedback = fs
	}
	if len(fs) == q.Limit {
		page.Next = fs[len(fs)-1].ID
	}
	return page, nil
}

package engine

import (
	"context"
	"time"

	"github.com/parleybot/parley/store"
)

// AddFeedback stores what a user said of the conversation: a reaction to
// one message of their thread, or an NPS score 0–10 with an optional
// comment (see store.CheckFeedback). It returns the record with its id.
// An unknown user, thread or message is store.ErrNotFound.
func (e *Engine) AddFeedback(ctx context.Context, f store.Feedback) (store.Feedback, error) {
	if err := store.CheckFeedback(&f); err != nil {
		return store.Feedback{}, err
	}
	return e.st.AddFeedback(ctx, f)
}

// ListFeedback returns one page of feedback, newest first (Userbot's
// chatusers.get-feedback).
func (e *Engine) ListFeedback(ctx context.Context, q store.FeedbackQuery) (store.FeedbackPage, error) {
	q, err := q.Normalize()
	if err != nil {
		return store.FeedbackPage{}, err
	}
	return e.st.ListFeedback(ctx, q)
}

// NPS is the Net Promoter Score of a range of days (Userbot's
// rawstats.count-nps): the scores given, split as store.NPSGroup does.
type NPS struct {
	From     string `json:"from"` // first day, "2006-01-02"
	To       string `json:"to"`   // last day
	Negative int64  `json:"negative"`
	Neutral  int64  `json:"neutral"`
	Positive int64  `json:"positive"`
	// Score is the percentage of positive scores minus that of negative
	// ones, -100 to 100; 0 when none was given.
	Score float64 `json:"score"`
}

// CountNPS returns the NPS scores given from the day of from to the day of
// to (at most 366 days).
func (e *Engine) CountNPS(ctx context.Context, from, to time.Time) (NPS, error) {
	days, err := e.Stats(ctx, from, to)
	if err != nil {
		return NPS{}, err
	}
	n := NPS{From: days[0].Date, To: days[len(days)-1].Date}
	for _, d := range days {
		n.Negative += d.NPSNegative
		n.Neutral += d.NPSNeutral
		n.Positive += d.NPSPositive
	}
	if total := n.Negative + n.Neutral + n.Positive; total > 0 {
		n.Score = float64(100*(n.Positive-n.Negative)) / float64(total)
	}
	return n, nil
}

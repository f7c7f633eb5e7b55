package store

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// Kinds of feedback.
const (
	FeedbackReaction = "reaction" // a reaction to one message of a thread
	FeedbackNPS      = "nps"      // a Net Promoter Score, 0–10
)

// Limits of feedback.
const (
	MaxNPS          = 10   // the highest NPS score (the lowest is 0)
	MaxComment      = 1024 // characters of a feedback comment
	MaxFeedbackPage = 100  // feedback records per page, and the default
)

// A Feedback is what a user said of the conversation (Userbot's Feedback):
// a reaction to one message, or a Net Promoter Score with an optional
// comment.
type Feedback struct {
	// ID is the store's 24-hex id, assigned by AddFeedback; ids sort in
	// creation order.
	ID string
	// UserID is the store id of the user who gave it.
	UserID string
	// Kind is FeedbackReaction or FeedbackNPS.
	Kind string
	// ThreadID and Seq name the message a reaction is about; a score may
	// name the thread it was given in (Seq 0) or nothing.
	ThreadID string
	Seq      int
	// Reaction is Positive, Negative or Neutral for a reaction, "" for a
	// score.
	Reaction string
	// Score is the NPS score, 0–10 (0 for a reaction).
	Score int
	// Comment is optional, up to 1,024 characters.
	Comment string
	// CreatedAt is set by the store.
	CreatedAt time.Time
}

// NPSGroup returns the group of an NPS score, as the per-day counters
// count it: Negative for 0–6 (detractors), Neutral for 7–8 (passives),
// Positive for 9–10 (promoters).
func NPSGroup(score int) string {
	switch {
	case score >= 9:
		return Positive
	case score >= 7:
		return Neutral
	}
	return Negative
}

// CheckFeedback checks a feedback record given to AddFeedback.
func CheckFeedback(f *Feedback) error {
	if err := CheckID("userId", f.UserID); err != nil {
		return err
	}
	if f.ThreadID != "" {
		if err := CheckID("threadId", f.ThreadID); err != nil {
			return err
		}
	}
	switch f.Kind {
	case FeedbackReaction:
		if f.ThreadID == "" || f.Seq < 1 {
			return invalid("seq", "a reaction must name a message: threadId and seq of 1 or more")
		}
		if err := CheckReaction(f.Reaction, false); err != nil {
			return err
		}
		if f.Score != 0 {
			return invalid("score", "must be 0 for a reaction")
		}
	case FeedbackNPS:
		if f.Score < 0 || f.Score > MaxNPS {
			return invalid("score", fmt.Sprintf("must be 0 to %d", MaxNPS))
		}
		if f.Reaction != "" {
			return invalid("reaction", "must be empty for an NPS score")
		}
		if f.Seq != 0 {
			return invalid("seq", "must be 0 for an NPS score")
		}
	default:
		return invalid("kind", "must be reaction or nps")
	}
	if utf8.RuneCountInString(f.Comment) > MaxComment {
		return invalid("comment", fmt.Sprintf("must be at most %d characters", MaxComment))
	}
	return nil
}

// A FeedbackQuery asks for one page of feedback, newest first.
type FeedbackQuery struct {
	// UserID, if set, keeps the feedback of that user (a store id).
	UserID string
	// Kind, if set, keeps one kind.
	Kind string
	// From and To, if set, keep feedback created at or after From and
	// before To.
	From, To time.Time
	// After is the ID of the last record of the previous page.
	After string
	// Limit is 1–100; 0 means 100.
	Limit int
}

// Normalize checks q and fills in its Limit.
func (q FeedbackQuery) Normalize() (FeedbackQuery, error) {
	if q.Limit == 0 {
		q.Limit = MaxFeedbackPage
	}
	if q.Limit < 1 || q.Limit > MaxFeedbackPage {
		return q, invalid("limit", fmt.Sprintf("must be 1 to %d", MaxFeedbackPage))
	}
	if q.UserID != "" {
		if err := CheckID("userId", q.UserID); err != nil {
			return q, err
		}
	}
	if q.After != "" {
		if err := CheckID("after", q.After); err != nil {
			return q, err
		}
	}
	if q.Kind != "" && q.Kind != FeedbackReaction && q.Kind != FeedbackNPS {
		return q, invalid("kind", "must be reaction or nps")
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return q, invalid("to", "must be after from")
	}
	return q, nil
}

// Matches reports whether f passes q's conditions other than paging.
func (q *FeedbackQuery) Matches(f *Feedback) bool {
	return (q.UserID == "" || f.UserID == q.UserID) && (q.Kind == "" || f.Kind == q.Kind) &&
		(q.From.IsZero() || !f.CreatedAt.Before(q.From)) && (q.To.IsZero() || f.CreatedAt.Before(q.To))
}

// A FeedbackPage is one page of feedback.
type FeedbackPage struct {
	Feedback []Feedback
	// Next is the After of the next page, "" on the last page.
	Next string
}

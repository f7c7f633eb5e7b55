package store

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A FallbackQuery is a message that fallbacks answered, with the number of
// times they did over a period: what an author should teach the bot next.
type FallbackQuery struct {
	Text  string `json:"text"`
	Count int64  `json:"count"`
}

// Limits of fallback queries.
const (
	// MaxFallbackText is the longest Turn.Fallback, in bytes: the chat
	// API's longest query (256 characters) of four-byte characters.
	MaxFallbackText = 1024
	// MaxFallbackQueries is the largest limit of Stats.FallbackQueries.
	MaxFallbackQueries = 100
)

// CheckFallback checks a Turn's Fallback: valid UTF-8 of at most
// MaxFallbackText bytes, without NUL (which PostgreSQL's text cannot
// hold). Backends call it when they commit a turn.
func CheckFallback(text string) error {
	if len(text) > MaxFallbackText || !utf8.ValidString(text) || strings.IndexByte(text, 0) >= 0 {
		return &FieldError{Field: "fallback", Rule: "must be valid UTF-8 of at most 1024 bytes, without NUL"}
	}
	return nil
}

// DayRange returns noon of every day from the day of from to the day of
// to, in loc: the days of Stats and FallbackQueries. to before from, or
// more than 366 days, is a *FieldError on "to".
func DayRange(from, to time.Time, loc *time.Location) ([]time.Time, error) {
	from, to = from.In(loc), to.In(loc)
	first := time.Date(from.Year(), from.Month(), from.Day(), 12, 0, 0, 0, loc)
	last := time.Date(to.Year(), to.Month(), to.Day(), 12, 0, 0, 0, loc)
	if last.Before(first) {
		return nil, &FieldError{Field: "to", Rule: "must not be before from"}
	}
	var days []time.Time
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		if len(days) == 366 {
			return nil, &FieldError{Field: "to", Rule: "must be at most 366 days after from"}
		}
		days = append(days, d)
	}
	return days, nil
}

// FallbackPeriod checks the arguments of Stats.FallbackQueries and
// returns noon of the first and the last day of the period in loc.
func FallbackPeriod(from, to time.Time, loc *time.Location, limit int) (first, last time.Time, err error) {
	if limit < 1 || limit > MaxFallbackQueries {
		return first, last, &FieldError{Field: "limit", Rule: "must be 1 to 100"}
	}
	days, err := DayRange(from, to, loc)
	if err != nil {
		return first, last, err
	}
	return days[0], days[len(days)-1], nil
}

// TopFallbacks returns the limit texts of counts counted most, most first
// and then by text: the order of Stats.FallbackQueries, for backends that
// count in memory.
func TopFallbacks(counts map[string]int64, limit int) []FallbackQuery {
	out := make([]FallbackQuery, 0, len(counts))
	for t, n := range counts {
		out = append(out, FallbackQuery{Text: t, Count: n})
	}
	slices.SortFunc(out, func(a, b FallbackQuery) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Text, b.Text))
	})
	return out[:min(limit, len(out))]
}

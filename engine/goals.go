package engine

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/parleybot/parley/story"
)

// Goals are what a bot counts as success: a goal action (goal: NAME in
// a response) counts its goal as reached, in the day's statistics
// (store.Counters.Goals), each time the response is given; a filter on the
// response decides when. The store keeps them per day and name like its
// other counters, so reading them costs what reading the statistics does.

// A GoalCount is how often one goal was reached.
type GoalCount struct {
	Name    string `json:"name"`
	Reached int64  `json:"reached"`
}

// GoalCounts are the goals reached over a period (Userbot's rawstats.get).
type GoalCounts struct {
	From    string `json:"from"` // the first day, "2006-01-02"
	To      string `json:"to"`   // the last day
	Reached int64  `json:"reached"`
	// Goals has every goal the bot declares, and any other reached in the
	// period (one a bot declared before a reload), by name.
	Goals []GoalCount `json:"goals"`
}

// CountGoals returns the goals reached from the day of from to the day of
// to (at most 366 days). A name, if not "", keeps that goal alone.
func (e *Engine) CountGoals(ctx context.Context, from, to time.Time, name string) (GoalCounts, error) {
	days, err := e.Stats(ctx, from, to)
	if err != nil {
		return GoalCounts{}, err
	}
	sums := map[string]int64{}
	for _, g := range e.BotGoals() {
		sums[g] = 0
	}
	for _, d := range days {
		for g, n := range d.Goals {
			sums[g] += n
		}
	}
	out := GoalCounts{From: days[0].Date, To: days[len(days)-1].Date, Goals: []GoalCount{}}
	for _, g := range slices.Sorted(maps.Keys(sums)) {
		if name == "" || g == name {
			out.Goals = append(out.Goals, GoalCount{Name: g, Reached: sums[g]})
			out.Reached += sums[g]
		}
	}
	return out, nil
}

// BotGoals returns the names of the goals the bot's goal actions count,
// sorted.
func (e *Engine) BotGoals() []string {
	var goals []string
	eachResponse(e.Bot(), func(r *story.Response) {
		if r.Kind == story.KindGoal && !slices.Contains(goals, r.Goal) {
			goals = append(goals, r.Goal)
		}
	})
	slices.Sort(goals)
	return goals
}

// eachResponse calls fn with every response of the bot, those of hand-off
// branches too.
func eachResponse(bot *story.Bot, fn func(r *story.Response)) {
	var walk func(rs []*story.Response)
	walk = func(rs []*story.Response) {
		for _, r := range rs {
			fn(r)
			if h := r.Handoff; h != nil {
				walk(h.Success.Responses)
				walk(h.Failure.Responses)
			}
		}
	}
	for _, st := range bot.Stories {
		for _, in := range st.Interactions {
			walk(in.Responses)
		}
	}
}

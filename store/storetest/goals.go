package storetest

import (
	"fmt"
	"sync"
	"time"

	"github.com/parleybot/parley/store"
)

// testGoals counts the goals turns reach, by name and day, also when many
// turns commit at once and when a turn adds nothing else.
func testGoals(e *env) {
	e.update("session-goal-1", func(t *store.Turn) error {
		t.Append(store.Message{Type: store.UserMessage, Text: "buy"})
		t.Counters.AddGoal("purchase")
		t.Counters.AddGoal("newsletter")
		return nil
	})
	e.update("session-goal-2", func(t *store.Turn) error {
		t.Counters.AddGoal("purchase")
		return nil
	})
	const workers, turns = 8, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for n := range turns {
				err := e.s.Update(ctx, fmt.Sprintf("session-goal-rush-%d-%d", w, n%2), func(t *store.Turn) error {
					t.Append(store.Message{Type: store.UserMessage, Text: "hi"})
					t.Counters.AddGoal("demo")
					return nil
				})
				if err != nil {
					e.Errorf("Update: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	e.clk.Advance(time.Hour) // the next day in zone
	e.update("session-goal-3", func(t *store.Turn) error {
		t.Counters.AddGoal("purchase")
		return nil
	})
	days, err := e.s.Stats(ctx, start.Add(-24*time.Hour), start.Add(time.Hour))
	if !e.noErr("Stats", err) {
		return
	}
	e.equal("no goals the day before", days[0].Goals, map[string]int64(nil))
	e.equal("goals of the first day", days[1].Goals, map[string]int64{"purchase": 2, "newsletter": 1, "demo": workers * turns})
	e.equal("goals of the second day", days[2].Goals, map[string]int64{"purchase": 1})
	e.equal("other counters", days[2].Counters.Sessions, int64(1))
}

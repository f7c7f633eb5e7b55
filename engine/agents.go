package engine

import (
	"slices"
	"sync"
)

// agents keeps the agents present: connected to a live stream of the bot's
// events, ready to take conversations.
type agents struct {
	mu sync.Mutex
	n  map[Agent]int // an agent may be present through several streams
}

// AgentPresent records that agent a is ready to take conversations, until
// the returned function is called (once per call of AgentPresent; more
// calls do nothing). Live streams call it for the agents they carry. Without
// a hand-off hook ([WithHandoff]), a bot's hand-off finds an agent
// available when at least one is present.
func (e *Engine) AgentPresent(a Agent) (leave func()) {
	e.agents.mu.Lock()
	if e.agents.n == nil {
		e.agents.n = make(map[Agent]int)
	}
	e.agents.n[a]++
	e.agents.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			e.agents.mu.Lock()
			defer e.agents.mu.Unlock()
			if e.agents.n[a]--; e.agents.n[a] <= 0 {
				delete(e.agents.n, a)
			}
		})
	}
}

// AgentsPresent returns the agents present, sorted by ID and name.
func (e *Engine) AgentsPresent() []Agent {
	e.agents.mu.Lock()
	defer e.agents.mu.Unlock()
	out := make([]Agent, 0, len(e.agents.n))
	for a := range e.agents.n {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b Agent) int {
		if a.ID != b.ID {
			if a.ID < b.ID {
				return -1
			}
			return 1
		}
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return out
}

func (a *agents) present() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.n) > 0
}

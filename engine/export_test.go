package engine

// QueuedSessions returns the number of sessions with a FIFO of turns.
func QueuedSessions(e *Engine) int { return e.queues.len() }

// Waiting returns the number of calls waiting in session id's FIFO.
func Waiting(e *Engine, id string) int {
	s := e.queues.shard(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.m[id]; f != nil {
		return len(f.waiters)
	}
	return 0
}

package engine

import (
	"context"
	"hash/maphash"
	"sync"
)

// queues runs the turns of one session one at a time, in the order the
// calls arrived: each session that has a turn running has a FIFO of the
// calls waiting behind it. A bare mutex would not do: sync.Mutex lets a
// newcomer overtake a waiter. A session's FIFO exists only while it has a
// turn running, so idle sessions cost nothing; it is nil while nobody
// waits, so a turn that runs alone allocates nothing here.
type queues struct {
	seed   maphash.Seed
	shards [64]queueShard

	// giveUp, when set (by tests only), runs as a waiter gives up because
	// its context is done, before it takes its shard's lock: a test
	// grants it the turn there to check that the turn is passed on.
	giveUp func()
}

type queueShard struct {
	mu sync.Mutex
	m  map[string]*fifo
}

// A fifo is the queue of one busy session: the calls waiting, oldest
// first. The running call is not in it.
type fifo struct {
	waiters []chan struct{}
}

func newQueues() *queues {
	q := &queues{seed: maphash.MakeSeed()}
	for i := range q.shards {
		q.shards[i].m = make(map[string]*fifo)
	}
	return q
}

func (q *queues) shard(id string) *queueShard {
	return &q.shards[maphash.String(q.seed, id)%uint64(len(q.shards))]
}

// acquire waits until the calls on session id that arrived before this
// one are done. On success the caller must call release(id).
func (q *queues) acquire(ctx context.Context, id string) error {
	s := q.shard(id)
	s.mu.Lock()
	f, busy := s.m[id]
	if !busy {
		s.m[id] = nil
		s.mu.Unlock()
		return nil
	}
	if f == nil {
		f = &fifo{}
		s.m[id] = f
	}
	ch := make(chan struct{})
	f.waiters = append(f.waiters, ch)
	s.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		if q.giveUp != nil {
			q.giveUp()
		}
		s.mu.Lock()
		granted := false
		select {
		case <-ch:
			granted = true
		default:
			for i, w := range f.waiters {
				if w == ch {
					f.waiters = append(f.waiters[:i], f.waiters[i+1:]...)
					break
				}
			}
		}
		s.mu.Unlock()
		if granted {
			// Our turn came as we gave up: pass it on.
			q.release(id)
		}
		return ctx.Err()
	}
}

// release lets the next call on session id run, or forgets the session's
// FIFO when nobody waits.
func (q *queues) release(id string) {
	s := q.shard(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.m[id]
	if f == nil || len(f.waiters) == 0 {
		delete(s.m, id)
		return
	}
	ch := f.waiters[0]
	f.waiters[0] = nil
	f.waiters = f.waiters[1:]
	close(ch)
}

// len returns the number of sessions with a FIFO, for tests.
func (q *queues) len() int {
	n := 0
	for i := range q.shards {
		s := &q.shards[i]
		s.mu.Lock()
		n += len(s.m)
		s.mu.Unlock()
	}
	return n
}

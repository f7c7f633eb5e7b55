package engine

import (
	"context"
	"errors"
	"testing"
)

// TestQueueGrantedAsCancelled checks the race of a waiter whose context is
// done just as the turn is handed to it: it must pass the turn on, or the
// session would stay busy forever. The race is made deterministic: the
// waiter's context is done before it waits, and the running turn releases
// the session at the moment the waiter gives up.
func TestQueueGrantedAsCancelled(t *testing.T) {
	const id = "session-1"
	q := newQueues()
	if err := q.acquire(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	q.giveUp = func() { q.release(id) } // the running turn ends now
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := q.acquire(ctx, id); !errors.Is(err, context.Canceled) {
		t.Fatalf("acquire with a cancelled context: got %v, want context.Canceled", err)
	}
	q.giveUp = nil
	if n := q.len(); n != 0 {
		t.Fatalf("got %d busy sessions after the cancelled waiter gave up its turn, want 0", n)
	}
	// The session takes a new turn at once.
	if err := q.acquire(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	q.release(id)
}

// TestQueueCancelledWaiterLeaves checks that a waiter that gives up
// before its turn comes leaves the FIFO, and the next waiter is served.
func TestQueueCancelledWaiterLeaves(t *testing.T) {
	const id = "session-1"
	q := newQueues()
	if err := q.acquire(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := q.acquire(ctx, id); !errors.Is(err, context.Canceled) {
		t.Fatalf("acquire with a cancelled context: got %v, want context.Canceled", err)
	}
	q.release(id)
	if n := q.len(); n != 0 {
		t.Fatalf("got %d busy sessions after the only turn ended, want 0", n)
	}
}

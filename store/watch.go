package store

import "context"

// A ThreadWatcher reports the messages that other processes sharing the
// store append to threads, so that a process can hand them to its live
// readers. Backends shared by several processes implement it (pgstore
// does); the engine uses it when the store does.
type ThreadWatcher interface {
	// WatchThreads calls fn, from one goroutine, for each commit of
	// another process that appended messages to a thread: the thread's ID
	// and the Seq of the first and last message it appended; first and
	// last are 0 for a commit that created, changed or deleted the thread
	// without appending (its entries in the [EventLog]). Once it
	// listens, and again after each reconnection, it calls fn with an
	// empty threadID: what was appended before may have been missed, and
	// readers catch up from the stored messages, whose Seq numbers leave no
	// gaps. WatchThreads returns when ctx ends or the store closes.
	WatchThreads(ctx context.Context, fn func(threadID string, first, last int)) error
}

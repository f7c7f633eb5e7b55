// Package store defines Parley's record types (users, sessions, threads,
// messages, segments, counters) and the interfaces the engine needs to keep
// them. Backends live in sub-packages and pass the conformance suite in
// store/storetest.
package store

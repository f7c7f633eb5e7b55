//go:build race

package httpadapter_test

// raceTurns is the number of turns each client of TestConcurrentClients
// sends under the race detector, which makes a turn about ten times
// slower: 100 clients × 30 turns keep the package's tests well under a
// minute on two shared cores, with the same 100 clients racing.
const raceTurns = 30

//go:build !race

package httpadapter_test

// raceTurns is the number of turns each client of TestConcurrentClients
// sends: the full 100 × 100 without the race detector.
const raceTurns = 100

//go:build race

package nlu_test

// raceEnabled is true when the tests run under the race detector, which
// makes the largest ones too slow to run in full.
const raceEnabled = true

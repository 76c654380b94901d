//go:build race

package main

// raceEnabled is true under the race detector, whose sync.Pool drops a
// share of all puts at random: tests that count on a chunk or buffer coming
// back from a pool skip those checks.
const raceEnabled = true

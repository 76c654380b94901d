//go:build race

package bench

// raceEnabled is true under the race detector, whose sync.Pool drops a
// share of all puts at random.
const raceEnabled = true

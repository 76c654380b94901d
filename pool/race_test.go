//go:build race

package pool_test

// raceEnabled is true under the race detector, whose sync.Pool drops a
// quarter of all puts at random.
const raceEnabled = true

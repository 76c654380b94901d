//go:build race

package tune

// raceEnabled is true under the race detector, whose sync.Pool drops a
// share of all puts at random: tests that compare hit rates or scores
// across replays skip those checks.
const raceEnabled = true

package bench

import "time"

// LongWarmUp is how long a child process runs a leaf of LongSize or more
// bytes untimed, right before the run it reports (see runChild).
//
// Memory throughput here depends on the traffic of the last tens of
// milliseconds. On the Intel Xeon of this project's runs, 64 MiB appended in
// 64 KiB-average pieces took 12 ms after a pause, falling to 5.5 ms over
// about 70 ms of back-to-back appends: the same after a 300 ms sleep as after
// 300 ms of a loop that touches no memory, and whether the memory was fresh
// or had just been written. A leaf timed from its second operation, where
// the benchtime allows one or two of 64 MiB, thus measured part of the climb,
// and how far along depended on what ran before: the copy ceiling fills its
// 64 MiB destination before its first operation, bytesio's pool takes its
// chunks from the heap in its first. In the order of a full run (every
// implementation at 1 to 64 MiB, two batches of 10 rounds of 50 ms), 64 MiB
// appends by bytesio measured 1.41x and 1.22x the time of copy's that way
// (medians of the rounds' ratios) and 1.08x and 0.964x timed after this
// warm-up; the leaves that run many operations in their benchtime, such as
// 4 KiB reads at random in 64 MiB, measured the same either way.
//
// The untimed run is the leaf itself, setup included, for LongWarmUp, so
// the loop a leaf times is the same at every size: an untimed warm-up
// inside that loop would cost each timed operation a test, 4 to 11
// instructions where a 64-byte read takes 180 (callgrind). Two garbage
// collections follow it (see runChild).
const LongWarmUp = 100 * time.Millisecond

// leafWarmUp returns the benchtime of the untimed run of the leaf at size
// before its timed one: LongWarmUp from LongSize up, and "" (no such run)
// below or for a size that is not a number of bytes.
func leafWarmUp(size string) string {
	if n, err := ParseSize(size); err != nil || n < LongSize {
		return ""
	}
	return LongWarmUp.String()
}

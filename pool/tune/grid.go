package tune

// The grid of candidates, the rules it follows and the choice among them.

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// layoutGrid returns the layout candidates for a fit half with the given
// median and 95th percentile, replayed in writes of piece bytes: the
// default configuration, calibrated, and pinned layouts with first chunks
// around the median and max chunks around the 95th percentile, within the
// rules (see the package documentation).
func layoutGrid(median, p95, piece int64) []pool.Config {
	clamp := func(v int64) int { return int(min(max(ceilPow2(v), pool.MinChunkLimit), pool.MaxChunkLimit)) }
	m, q := ceilPow2(median), ceilPow2(p95)
	firstCap := max(min(clamp(m), clamp(buffer.FirstChunkFactor*min(median, piece))), SmallFirstChunk)
	var pinned []pool.Config
	for _, f := range []int{clamp(m / 4), clamp(m), clamp(4 * m), firstCap, pool.DefaultFirstChunk} {
		if f > firstCap {
			continue
		}
		floor := max(f, CalibrationFloor)
		for _, mx := range []int{floor, clamp(q), clamp(4 * q), pool.DefaultMaxChunk} {
			if mx < floor {
				continue
			}
			pinned = append(pinned, pool.Config{FirstChunk: f, MaxChunk: mx, NoCalibration: true})
		}
	}
	slices.SortFunc(pinned, func(a, b pool.Config) int {
		return cmp.Or(cmp.Compare(a.FirstChunk, b.FirstChunk), cmp.Compare(a.MaxChunk, b.MaxChunk))
	})
	return append([]pool.Config{{}}, slices.Compact(pinned)...)
}

// retentionCaps returns the MaxRetained values tried around a peak of
// chunk bytes out: one below it, a quarter of the power of two that covers
// it (so between a quarter and half the peak; to show what a cap below the
// peak costs), and that power of two. A cap under pool.MinChunkLimit is
// left out, and so is the default, or a lower cap of the default or more
// (the default then shows what a cap below the peak costs).
func retentionCaps(peak int64) []int64 {
	if peak <= 0 {
		return nil
	}
	var caps []int64
	if below := ceilPow2(peak) / 4; below >= pool.MinChunkLimit && below < pool.DefaultMaxRetained {
		caps = append(caps, below)
	}
	if at := ceilPow2(peak); at != pool.DefaultMaxRetained {
		caps = append(caps, at)
	}
	return caps
}

// distance is the number of fields in which c differs from the default
// configuration (a field set to its default value does not count).
func distance(c pool.Config) int {
	d := 0
	for _, changed := range []bool{
		c.MinChunk != 0 && c.MinChunk != pool.DefaultMinChunk,
		c.MaxChunk != 0 && c.MaxChunk != pool.DefaultMaxChunk,
		c.FirstChunk != 0 && c.FirstChunk != pool.DefaultFirstChunk,
		c.MaxRetained != 0 && c.MaxRetained != pool.DefaultMaxRetained,
		c.NoCalibration,
	} {
		if changed {
			d++
		}
	}
	return d
}

// choose returns the index of the winning candidate: among those whose
// score is within TieTolerance of the lowest, the one closest to the
// default, then with the fewest chunks per buffer, then with the lowest
// score, then the first.
func choose(cs []Candidate) int {
	lowest := cs[0].Score
	for _, c := range cs {
		lowest = min(lowest, c.Score)
	}
	best := -1
	for i, c := range cs {
		if c.Score > lowest+TieTolerance {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		b := cs[best]
		if cmp.Or(cmp.Compare(distance(c.Config), distance(b.Config)),
			cmp.Compare(c.ChunksMean, b.ChunksMean),
			cmp.Compare(c.Score, b.Score)) < 0 {
			best = i
		}
	}
	return best
}

// rules returns the rules of the grid and the choice, for the report.
func rules() []string {
	return []string{
		fmt.Sprintf("MaxChunk is at least max(FirstChunk, %s), the floor calibration keeps, so large buffers are not cut into many small chunks", human(CalibrationFloor)),
		fmt.Sprintf("FirstChunk is at most max(%s, the median's class), so small content never sits in a large first chunk, "+
			"and at most max(%s, %d x the median buffer's first write rounded up to a power of two), as buffers do not use more", human(SmallFirstChunk), human(SmallFirstChunk), buffer.FirstChunkFactor),
		"the default runs calibrated (after calibration has settled), every other layout pinned with NoCalibration, as printed",
		fmt.Sprintf("scores within %.3f of the lowest tie; ties go to the configuration closest to the default (fewest fields changed), then to the fewest chunks per buffer", TieTolerance),
	}
}

// settleMargin is how close to a class boundary the median or 95th
// percentile's share must be for calibration to be called unsettled.
const settleMargin = 0.03

// nearBoundary reports whether calibration may settle on either of two
// layouts for h: whether the cumulative share of sizes at the boundary
// between two log2 classes is within settleMargin of 50% (the median, which
// sets the first chunk, at least MinChunk) or 95% (the 95th percentile,
// which sets the max chunk, at least max(first, 64 KiB)), and the layout
// differs on the two sides: both sizes are clamped to the default pool's
// MaxChunk, as calibration clamps them, so that a boundary above it changes
// nothing.
func nearBoundary(h hist) bool {
	clamp := func(size int64) int64 { return min(size, pool.DefaultMaxChunk) }
	firstOf := func(class int64) int64 { return clamp(max(class, pool.DefaultMinChunk)) }
	mf := firstOf(ceilPow2(h.quantile(0.5)))
	var cum int64
	for i, s := range h.sizes {
		cum += s.Count
		if i+1 == len(h.sizes) {
			break
		}
		lo, hi := ceilPow2(s.Size), ceilPow2(h.sizes[i+1].Size)
		if lo == hi {
			continue // not the last size of its class
		}
		share := float64(cum) / float64(h.total)
		near := func(q float64) bool { return share >= q-settleMargin && share <= q+settleMargin }
		if near(0.5) && firstOf(lo) != firstOf(hi) {
			return true
		}
		if floor := max(mf, CalibrationFloor); near(0.95) && clamp(max(lo, floor)) != clamp(max(hi, floor)) {
			return true
		}
	}
	return false
}

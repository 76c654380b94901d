package pool

// Calibration.
//
// Observe files each buffer's content size under its log2 class: class k
// holds sizes in (2^(k-1), 2^k], class 0 holds 0 and 1. The histogram is
// split into calShards shards, one picked at random per call, so that
// concurrent Observe calls rarely touch the same cache line; one call is one
// random number and one atomic add.
//
// Window: when a class of a shard reaches decayAt observations, every count of
// that shard is halved. Counts therefore decay exponentially, by half per
// decayAt/2 observations of a shard's commonest class, and are never reset: a
// short burst of unusual sizes fades instead of taking over the window.
//
// Rule: after every calShards-th decay (so about once per
// calShards*decayAt/2 observations of the commonest class, summed over the
// shards, as often as the window turns over), and before a shard's first decay when one of its class
// counts reaches 64, 128, 256 or 512, the shards are merged and, once they
// hold at least minObserved observations,
//
//	first = 2^(class covering the median size),   clamped to [MinChunk, MaxChunk]
//	max   = 2^(class covering the 95th percentile), clamped to [max(first, 64 KiB), MaxChunk]
//
// (a class covers the q-quantile when it is the smallest class whose
// cumulative count reaches q of the total). A buffer of median size then fits
// in its first chunk, and 95% of buffers grow by doubling without reaching the
// max chunk size. The 64 KiB floor keeps large buffers from being cut into
// many small chunks when small buffers dominate; past the max chunk size, a
// buffer's chunks still grow, by segments of 16 chunks of one size, up to
// MaxChunk (the buffer package's layout), so that a rare large buffer takes
// far fewer of them. Layout changes are stored atomically; buffers read the
// layout once, when they get their first chunk.

import (
	"math/bits"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

const (
	sizeClasses = 48      // class 47 holds everything above 2^46 bytes
	calShards   = 8       // a power of two
	decayAt     = 1024    // a shard's counts halve when one of them reaches this
	minObserved = 64      // no calibration before this many observations
	maxFloor    = 1 << 16 // the max chunk size is at least this (or MaxChunk)
)

// calibrator picks the layout of new buffers from the sizes of buffers given
// back.
type calibrator struct {
	shards [calShards]calShard

	mu      sync.Mutex    // held while the layout is computed; TryLock only
	decays  atomic.Uint32 // decays of all shards; each calShards-th calibrates
	changes atomic.Int64  // number of layout changes made by calibration
	changed atomic.Int64  // time of the last change, Unix nanoseconds; 0: never
}

// calShard is one shard of the decayed size histogram.
type calShard struct {
	counts   [sizeClasses]atomic.Uint64 // counts[k]: decayed observations of class k
	decaying atomic.Bool                // one halving at a time
	decayed  atomic.Bool                // the shard has halved at least once
}

// sizeClass returns the histogram class of a content size.
func sizeClass(size int64) int {
	if size <= 1 {
		return 0
	}
	return min(bits.Len64(uint64(size-1)), sizeClasses-1)
}

// Observe records the content size of a buffer given back to p (its size at
// Close or Reset, not its capacity). Calibration uses it to choose the layout
// of new buffers; with Config.NoCalibration the size only shows in [Stats].
// Observe is safe for concurrent use and costs one random number and one
// atomic add, plus an amortized fraction of a nanosecond for the decay and
// the layout updates.
func (p *Pool) Observe(size int64) { p.observeN(sizeClass(size), 1) }

// ObserveN records n buffers of the given content size, as n calls of
// Observe would, in one atomic add up to 512 of them, and in a few more for
// more. It lets a caller that sees many buffers of one size tally them
// itself and report them in batches; n <= 0 records nothing.
func (p *Pool) ObserveN(size int64, n int) {
	switch k := sizeClass(size); {
	case n <= 0:
	case n <= decayAt/2:
		p.observeN(k, uint64(n))
	default:
		// n calls of Observe would spread over the shards, each of which
		// halves its counts as one class reaches decayAt: put in one
		// shard, n past decayAt would weigh as about decayAt.
		for i := range p.cal.shards {
			part := uint64(n / calShards)
			if i < n%calShards {
				part++
			}
			p.observeShard(&p.cal.shards[i], k, part)
		}
	}
}

// observeN records n observations of size class k in one shard, picked at
// random as Observe picks it.
func (p *Pool) observeN(k int, n uint64) {
	p.observeShard(&p.cal.shards[rand.Uint32()&(calShards-1)], k, n)
}

// observeShard records n observations of size class k in shard s, as n
// calls of Observe that picked it would: in steps that end where one call
// would halve the shard, so that a count stays below 2*decayAt and the sums
// of calibrate cannot overflow. Past 64 halvings every other count of the
// shard is 0 and class k's goes round a cycle of decayAt/2 observations, so
// a larger n is cut to one as many cycles shorter, with the same effect.
func (p *Pool) observeShard(s *calShard, k int, n uint64) {
	if n > 66*decayAt {
		n = 64*decayAt + n%(decayAt/2)
	}
	for n > 0 {
		step := min(n, decayAt/2) // another goroutine is halving the shard
		if v := s.counts[k].Load(); v < decayAt {
			step = min(n, decayAt-v)
		}
		p.observeStep(s, k, step)
		n -= step
	}
}

// observeStep adds n observations of class k to shard s, then halves the
// shard when the count reached decayAt, or calibrates early on.
func (p *Pool) observeStep(s *calShard, k int, n uint64) {
	v := s.counts[k].Add(n)
	switch {
	case v >= decayAt:
		if s.decaying.CompareAndSwap(false, true) {
			for k := range s.counts {
				c := &s.counts[k]
				for v := c.Load(); v != 0 && !c.CompareAndSwap(v, v/2); v = c.Load() {
				}
			}
			s.decayed.Store(true)
			s.decaying.Store(false)
			// Merging the shards costs more than the decay: once per
			// calShards decays is as often as the window turns over.
			if p.cal.decays.Add(1)%calShards == 0 {
				p.calibrate()
			}
		}
	case v >= minObserved && bits.Len64(v) != bits.Len64(v-n) && !s.decayed.Load():
		p.calibrate() // early on, before the window is full: v passed a power of two
	}
}

// histogram returns the merged decayed counts and their sum.
func (c *calibrator) histogram() (h [sizeClasses]uint64, total uint64) {
	for i := range c.shards {
		for k := range h {
			v := c.shards[i].counts[k].Load()
			h[k] += v
			total += v
		}
	}
	return h, total
}

// calibrate recomputes the layout from the histogram by the rule in the
// file comment. It does nothing when calibration is off, when another
// goroutine is at it, or when there are too few observations.
func (p *Pool) calibrate() {
	if p.cfg.NoCalibration || !p.cal.mu.TryLock() {
		return
	}
	defer p.cal.mu.Unlock()
	h, total := p.cal.histogram()
	if total < minObserved {
		return
	}
	first, maxs := layoutFor(h[:], total, p.minShift, uint8(log2(p.cfg.MaxChunk)))
	if old := p.layout.Load(); old != packLayout(first, maxs) {
		p.setLayout(first, maxs)
		p.cal.changes.Add(1)
		p.cal.changed.Store(time.Now().UnixNano())
	}
}

// layoutFor applies the calibration rule to a histogram h of log2 classes
// with the given total, for chunk shifts in [minShift, maxShift]. It returns
// the first and max chunk shifts.
func layoutFor(h []uint64, total uint64, minShift, maxShift uint8) (first, maxs int) {
	med, p95 := -1, -1
	var cum uint64
	for k, v := range h {
		cum += v
		if med < 0 && 2*cum >= total {
			med = k
		}
		if p95 < 0 && 100*cum >= 95*total {
			p95 = k
			break
		}
	}
	lo, hi := int(minShift), int(maxShift)
	first = min(max(med, lo), hi)
	floor := min(max(first, log2(maxFloor)), hi)
	maxs = min(max(p95, floor), hi)
	return first, maxs
}

// Package pool provides size-classed pools of reference-counted memory
// chunks with a bound on the memory they keep, live statistics, and
// calibration of the chunk sizes new buffers start with.
//
// A [Pool] has one [sync.Pool] per size class (powers of two from
// Config.MinChunk to Config.MaxChunk), each holding *[Chunk] pointers, so
// putting a chunk back never allocates.
//
// Memory: chunks given back while the pool already counts Config.MaxRetained
// bytes are dropped for the garbage collector instead of being kept, so the
// pool never holds more than MaxRetained bytes. The count follows sync.Pool's
// two-GC lifetime (retain.go): after a burst, room frees up again within
// about three GC cycles, without any chunk being touched.
//
// Cost: a Get that finds a chunk and its Release execute no locked
// instruction and, beyond sync.Pool's own per-processor cache, write only
// the chunk and its bookkeeping: statistics and the sizes buffers report for
// calibration are tallied there and added to the shared counters and
// histogram once per 64 cycles of that chunk, retention is accounted once
// per chunk per GC cycle, and [Pool.Layout] is one load of a word no hot
// path writes.
//
// Calibration: [Pool.Observe] feeds a decaying histogram of buffer sizes from
// which the pool picks the first and largest chunk size of new buffers
// ([Pool.Layout]): the first chunk size is the size class (a power of two)
// that holds the median size, and the max chunk size the class that holds
// the 95th percentile, at least 64 KiB, both within [Config.MinChunk,
// Config.MaxChunk]. The histogram halves its counts as they grow, so a short
// burst of unusual sizes fades instead of taking over. [Pool.Stats] and
// [Pool.Publish] expose all of it.
//
// Package buffer takes its chunks from [Default] unless a buffer is bound to
// another pool.
package pool

import (
	"errors"
	"math/bits"
	"sync"
	"sync/atomic"
)

// Defaults used for the zero fields of a [Config].
const (
	// DefaultMinChunk is the smallest chunk size class.
	DefaultMinChunk = 64
	// DefaultMaxChunk is the largest chunk size class: buffers larger than
	// that are made of chunks of this size.
	DefaultMaxChunk = 1 << 20
	// DefaultFirstChunk is the size of a new buffer's first chunk until
	// calibration has seen enough buffers, or always when it is off.
	DefaultFirstChunk = 1 << 10
	// DefaultMaxRetained is the most chunk memory, in bytes, a pool keeps
	// for reuse.
	DefaultMaxRetained = 128 << 20
)

// Limits on the values of a [Config].
const (
	// MinChunkLimit is the smallest allowed chunk size class.
	MinChunkLimit = 64
	// MaxChunkLimit is the largest allowed chunk size class.
	MaxChunkLimit = 1 << 24
)

// ErrConfig is returned (wrapped, with the offending field) by [New] when a
// [Config] is out of range.
var ErrConfig = errors.New("pool: invalid config")

// Config sets up a [Pool]. The zero value selects every default.
type Config struct {
	// MinChunk is the smallest size class in bytes: a power of two from
	// MinChunkLimit to MaxChunk. Zero means DefaultMinChunk.
	MinChunk int `json:"min_chunk"`
	// MaxChunk is the largest size class in bytes: a power of two from
	// MinChunk to MaxChunkLimit. Zero means DefaultMaxChunk (or MinChunk if
	// that is larger).
	MaxChunk int `json:"max_chunk"`
	// FirstChunk is the first chunk size of new buffers while calibration
	// has no data or is off: a power of two from MinChunk to MaxChunk.
	// Zero means DefaultFirstChunk clamped to [MinChunk, MaxChunk].
	FirstChunk int `json:"first_chunk"`
	// MaxRetained caps the bytes of chunks the pool keeps for reuse. Zero
	// means DefaultMaxRetained; a negative value keeps nothing.
	MaxRetained int64 `json:"max_retained"`
	// NoCalibration turns calibration off: new buffers then always start
	// with FirstChunk and grow up to MaxChunk.
	NoCalibration bool `json:"no_calibration"`
}

// A Pool hands out [Chunk] values by size class. It is safe for use by multiple
// goroutines simultaneously. A Pool must be made by [New]; the zero value is
// not usable.
//
// Memory bound: the chunks a Pool keeps for reuse never add up to more than
// Config.MaxRetained bytes. The bound is on distinct chunks that entered the
// pool during the last three GC epochs (see [Stats].RetainedBytes), so after a
// burst it is reached again, with room for new chunks, within about three GC
// cycles.
type Pool struct {
	// Read by every Get, Release or Layout and written only by New and (the
	// layout) by calibration, so that those reads stay in every core's cache.
	classes  []class       // len(classes) == log2(MaxChunk/MinChunk)+1
	minShift uint8         // classes[i] holds chunks of 1<<(minShift+i) bytes
	layout   atomic.Uint32 // first and max chunk shifts: first | max<<8
	cfg      Config        // with defaults filled in
	limit    int64         // max(cfg.MaxRetained, 0)

	_ [64]byte // the fields below are written: not on the cache lines above

	mu   sync.Mutex // guards acct
	acct retention  // bytes in the sync.Pools, by GC epoch (retain.go)

	cal    calibrator
	copies counter // NoteCopy
	views  counter // NoteViews

	out outstanding // chunks alive and not dropped, and their peak (out.go)
}

// class is one size class: its sync.Pool and its counters. The padding keeps
// the counters, written every so many puts, off the cache lines of the
// sync.Pools, read by every Get and Release.
type class struct {
	sp   sync.Pool // of *Chunk
	size int
	_    [64]byte
	// hits and puts lag by the tallies still held in live chunks' meta;
	// misses, drops and freed are exact.
	hits, misses, puts, drops, freed atomic.Int64
	_                                [64]byte
}

// Default is the pool that buffers use unless bound to another one. It has
// the default [Config].
var Default = mustNew(Config{})

func mustNew(c Config) *Pool {
	p, err := New(c)
	if err != nil {
		panic(err)
	}
	return p
}

// New returns a pool set up by c, or an error wrapping [ErrConfig] that names
// the field out of range and the range it must be in.
func New(c Config) (*Pool, error) {
	if c.MinChunk == 0 {
		c.MinChunk = DefaultMinChunk
	}
	if c.MaxChunk == 0 {
		c.MaxChunk = max(DefaultMaxChunk, c.MinChunk)
	}
	if c.FirstChunk == 0 {
		c.FirstChunk = min(max(DefaultFirstChunk, c.MinChunk), c.MaxChunk)
	}
	if c.MaxRetained == 0 {
		c.MaxRetained = DefaultMaxRetained
	}
	switch {
	case !pow2In(c.MinChunk, MinChunkLimit, MaxChunkLimit):
		return nil, configError("MinChunk", c.MinChunk, "MinChunkLimit", MinChunkLimit, "MaxChunkLimit", MaxChunkLimit)
	case !pow2In(c.MaxChunk, c.MinChunk, MaxChunkLimit):
		return nil, configError("MaxChunk", c.MaxChunk, "MinChunk", c.MinChunk, "MaxChunkLimit", MaxChunkLimit)
	case !pow2In(c.FirstChunk, c.MinChunk, c.MaxChunk):
		return nil, configError("FirstChunk", c.FirstChunk, "MinChunk", c.MinChunk, "MaxChunk", c.MaxChunk)
	}
	p := &Pool{cfg: c, minShift: uint8(log2(c.MinChunk)), limit: max(c.MaxRetained, 0)}
	n := log2(c.MaxChunk) - log2(c.MinChunk) + 1
	p.classes = make([]class, n)
	for i := range p.classes {
		p.classes[i].size = c.MinChunk << i
	}
	p.acct.seen = gcEpoch.v.Load()
	p.setLayout(log2(c.FirstChunk), log2(c.MaxChunk))
	return p, nil
}

// Config returns the configuration of p, with defaults filled in.
func (p *Pool) Config() Config { return p.cfg }

// Get returns a chunk of the smallest size class that holds size bytes,
// or of the largest class when size is larger than that; a size of 0 or less
// gets the smallest class. Every int is a valid size. The chunk has one
// reference, held by the caller, and its bytes are not zeroed. Get panics
// with a message saying so on a Pool not made by [New].
func (p *Pool) Get(size int) *Chunk {
	i := p.classIndex(size)
	if uint(i) >= uint(len(p.classes)) { // only a zero Pool has no classes
		panic("pool: Get on a Pool not made by pool.New")
	}
	if c, _ := p.classes[i].sp.Get().(*Chunk); c != nil {
		c.m.hits++
		return c.handOut()
	}
	p.classes[i].misses.Add(1)
	return p.newChunk(i)
}

// flushEvery is how many puts, or observed sizes of one class, a chunk
// tallies before adding them to its class counters or to the calibration
// histogram. It trades the lag of [Stats] and calibration for atomic adds on
// the hot path: one pair per flushEvery Get+Release cycles, and one per
// flushEvery Chunk.Observe calls. The first put of a chunk in each GC epoch
// flushes too, since it takes the slow path anyway.
const flushEvery = 64

// putSlow is the part of Chunk.Release that puts back a chunk that is not yet
// counted in this GC epoch or whose tallies are due. It reports whether c may
// go into the sync.Pool; when not, it drops c.
//
//go:noinline
func (p *Pool) putSlow(c *Chunk) bool {
	m := c.m
	if m.label != gcEpoch.v.Load() && !p.admit(m, int64(len(c.b))) {
		p.classes[m.class].drops.Add(1)
		p.flush(m)
		m.dropped = true
		p.out.gone(int64(len(c.b)))
		return false
	}
	m.puts++
	p.flush(m)
	return true
}

// flush adds the tallies of m to its class counters.
func (p *Pool) flush(m *meta) {
	cl := &p.classes[m.class]
	if m.hits != 0 {
		cl.hits.Add(int64(m.hits))
		m.hits = 0
	}
	if m.puts != 0 {
		cl.puts.Add(int64(m.puts))
		m.puts = 0
	}
	if m.obsCount != 0 {
		p.flushObserved(m)
	}
}

// flushObserved adds the sizes observed on a chunk with meta m to the
// calibration histogram.
func (p *Pool) flushObserved(m *meta) {
	p.observeN(int(m.obsClass), uint64(m.obsCount))
	m.obsCount = 0
}

// observeSlow is Chunk.Observe of a size of class k when the sizes tallied
// on m's chunk are of another class, which it flushes first, or when the
// tally is due: it flushes the tally after adding the size.
//
//go:noinline
func (m *meta) observeSlow(k uint8) {
	if m.obsClass != k && m.obsCount != 0 {
		m.pool.flushObserved(m)
	}
	m.obsClass = k
	if m.obsCount++; m.obsCount >= flushEvery {
		m.pool.flushObserved(m)
	}
}

// classIndex returns the index of the smallest class that holds size bytes,
// clamped to the class range.
func (p *Pool) classIndex(size int) int {
	if size <= 1<<p.minShift {
		return 0
	}
	i := bits.Len(uint(size-1)) - int(p.minShift)
	return min(i, len(p.classes)-1)
}

// Layout returns the chunk sizes a new buffer should use: its first chunk
// holds first bytes, each next chunk is twice the previous one up to max
// bytes per chunk. Both are powers of two within the pool's classes, with
// first <= max. Past max, the buffer package grows chunks by segments up to
// Config.MaxChunk, when calibration set max below it (see Calibration in the
// package doc). With calibration on they follow the sizes of
// recently given back buffers. Layout costs one atomic load (a plain load on
// common platforms) of a word that only calibration writes.
func (p *Pool) Layout() (first, max int) {
	l := p.layout.Load()
	return 1 << (l & 0xff), 1 << (l >> 8)
}

func (p *Pool) setLayout(firstShift, maxShift int) {
	p.layout.Store(packLayout(firstShift, maxShift))
}

func packLayout(firstShift, maxShift int) uint32 {
	return uint32(firstShift) | uint32(maxShift)<<8
}

func pow2In(v, lo, hi int) bool { return v >= lo && v <= hi && v&(v-1) == 0 }

func log2(v int) int { return bits.Len(uint(v)) - 1 }

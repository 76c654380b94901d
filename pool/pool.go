// Package pool provides size-classed pools of reference-counted memory
// chunks with a bound on the memory they keep, live statistics, and
// calibration of the chunk sizes new buffers start with.
//
// A [Pool] has one [sync.Pool] per size class (powers of two from
// Config.MinChunk to Config.MaxChunk), each holding *[Chunk] pointers, so
// putting a chunk back never allocates. Chunks given back while the pool
// already retains Config.MaxRetained bytes are dropped for the garbage
// collector instead of being kept.
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

// A Pool hands out [Chunk]s by size class. It is safe for use by multiple
// goroutines simultaneously. A Pool must be made by [New]; the zero value is
// not usable.
type Pool struct {
	cfg      Config  // with defaults filled in
	minShift uint8   // classes[i] holds chunks of 1<<(minShift+i) bytes
	classes  []class // len(classes) == log2(MaxChunk/MinChunk)+1

	retained atomic.Int64 // estimated bytes held in the sync.Pools

	layout atomic.Uint32 // calibrated first and max chunk shifts: first | max<<8

	cal calibrator
}

// class is one size class: its sync.Pool and its counters.
type class struct {
	size int
	sp   sync.Pool // of *Chunk
	ctr  classCounters
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
// the field out of range.
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
		return nil, configError("MinChunk", c.MinChunk)
	case !pow2In(c.MaxChunk, c.MinChunk, MaxChunkLimit):
		return nil, configError("MaxChunk", c.MaxChunk)
	case !pow2In(c.FirstChunk, c.MinChunk, c.MaxChunk):
		return nil, configError("FirstChunk", c.FirstChunk)
	}
	p := &Pool{cfg: c, minShift: uint8(log2(c.MinChunk))}
	n := log2(c.MaxChunk) - log2(c.MinChunk) + 1
	p.classes = make([]class, n)
	for i := range p.classes {
		p.classes[i].size = c.MinChunk << i
	}
	p.setLayout(log2(c.FirstChunk), log2(c.MaxChunk))
	p.cal.init(p)
	return p, nil
}

// Config returns the configuration of p, with defaults filled in.
func (p *Pool) Config() Config { return p.cfg }

// Get returns a chunk of the smallest size class that holds size bytes,
// or of the largest class when size is larger than that. The chunk has one
// reference, held by the caller, and its bytes are not zeroed.
func (p *Pool) Get(size int) *Chunk {
	i := p.classIndex(size)
	cl := &p.classes[i]
	if v := cl.sp.Get(); v != nil {
		c := v.(*Chunk)
		p.retained.Add(-int64(cl.size))
		cl.ctr.hit()
		c.refs.Store(1)
		return c
	}
	cl.ctr.miss()
	c := &Chunk{b: make([]byte, cl.size), class: int8(i), pool: p}
	c.refs.Store(1)
	return c
}

// put keeps c for reuse, or drops it when the pool already retains
// MaxRetained bytes.
func (p *Pool) put(c *Chunk) {
	cl := &p.classes[c.class]
	size := int64(cl.size)
	if p.retained.Add(size) > p.cfg.MaxRetained {
		p.retained.Add(-size)
		cl.ctr.drop()
		return
	}
	cl.ctr.put()
	cl.sp.Put(c)
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
// holds first bytes, each next chunk is twice the previous one, and growth
// stops at max bytes per chunk. Both are powers of two within the pool's
// classes, with first <= max. With calibration on they follow the sizes of
// recently given back buffers.
func (p *Pool) Layout() (first, max int) {
	l := p.layout.Load()
	return 1 << (l & 0xff), 1 << (l >> 8)
}

func (p *Pool) setLayout(firstShift, maxShift int) {
	p.layout.Store(uint32(firstShift) | uint32(maxShift)<<8)
}

func pow2In(v, lo, hi int) bool { return v >= lo && v <= hi && v&(v-1) == 0 }

func log2(v int) int { return bits.Len(uint(v)) - 1 }

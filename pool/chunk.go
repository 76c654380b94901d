package pool

import (
	"math/rand/v2"
	"runtime"
	"sync/atomic"
)

// A Chunk is one block of memory handed out by a [Pool]. Its bytes are
// [Chunk.Bytes]; their length is the chunk's size class and never changes.
//
// A Chunk is reference counted. [Pool.Get] returns it with one reference,
// [Chunk.Retain] adds one and [Chunk.Release] drops one; when the last
// reference is dropped the chunk goes back to the pool it came from, and its
// bytes may be handed to another caller at once. A holder must therefore never
// touch the bytes after its own Release. Chunks taken from a pool are not
// zeroed: they may show what an earlier holder wrote.
//
// The counting is safe for concurrent use; the bytes are not synchronised.
//
// Misuse: Release or Retain without a reference panics. In builds with the
// bytesio_debug tag they also panic when called by a holder whose references
// were all released and the chunk was handed out to another holder since
// (fewer than 8 times since: each hand-out gets one of 8 handles in turn, so
// the *Chunk that Get returns differs between hand-outs of the same memory),
// and released chunks are filled with [Poison].
type Chunk struct {
	//lint:ignore U1000 used in bytesio_debug builds
	dbg chunkDebug // empty without the bytesio_debug tag (debug_on.go)
	b   []byte     // len(b) == cap(b) == the class size
	// refs is the number of holders; 0 while the chunk sits in the pool
	// (and always for the body of debug builds, whose handles count). Only a
	// sole holder writes it plainly (Get, last Release); every other access
	// is atomic. The sync.Pool hand-off orders the plain writes.
	refs int32
	m    *meta // bookkeeping that outlives the chunk; never nil
	pool *Pool // == m.pool, kept here to spare Release a load
}

// meta is the bookkeeping of one chunk. It is a separate object so that the
// cleanup which runs when the garbage collector frees the chunk can still
// read it (a cleanup's argument must not keep its object alive).
//
// Its fields are written plainly by whoever holds the chunk, or by the pool
// while the chunk is being put back; the sync.Pool hand-off and p.mu order
// those writes, and the runtime orders the cleanup after all of them.
type meta struct {
	pool  *Pool
	class int32 // index into pool.classes
	// label is the GC epoch under which the chunk's bytes are counted in
	// pool.acct, or 0 when they are not counted (see retain.go).
	label uint32
	// hits and puts are this chunk's Gets-from-the-pool and puts-back not yet
	// added to its class counters; flushed every flushEvery puts, when the
	// chunk is dropped and when it is freed.
	hits, puts uint32
	// obsCount buffer sizes of class obsClass were observed on this chunk
	// and not yet added to the calibration histogram; flushed with hits and
	// puts, when a size of another class comes, and at flushEvery sizes.
	obsCount uint32
	obsClass uint8
	// shard picks the counter shard for NoteViews on this chunk; random,
	// set when the chunk is made.
	shard uint8
	// dropped is set when the pool let the chunk go instead of keeping it:
	// it no longer counts in pool.out.
	dropped bool
}

// Bytes returns the chunk's whole memory, of length [Chunk.Size]. The slice is
// valid until the caller's reference is released.
func (c *Chunk) Bytes() []byte { return c.b }

// Size returns the chunk's size class in bytes.
func (c *Chunk) Size() int { return len(c.b) }

// Retain adds a reference to c. The caller must already hold one.
func (c *Chunk) Retain() {
	// A sole holder needs no read-modify-write, as in Release: nobody
	// else may Retain or Release c concurrently.
	if !debug && atomic.LoadInt32(&c.refs) == 1 {
		c.refs = 2
		return
	}
	// Without a reference, the count stays as it was: a Retain that
	// panicked must not leave a reference that a later Release drops.
	for {
		r := atomic.LoadInt32(&c.refs)
		if r < 1 {
			panic("pool.Chunk.Retain: chunk not held")
		}
		if atomic.CompareAndSwapInt32(&c.refs, r, r+1) {
			return
		}
	}
}

// Shared reports whether more than one holder has a reference to c, so that a
// holder that wants to write into it must copy it first.
func (c *Chunk) Shared() bool { return atomic.LoadInt32(&c.refs) > 1 }

// Release drops a reference to c. When it was the last, c returns to its pool
// (or is dropped when the pool already retains its maximum) and must not be
// used again by anyone.
func (c *Chunk) Release() {
	// A sole holder needs no read-modify-write: nobody else holds a
	// reference, so nobody may Retain or Release c concurrently. This keeps
	// the usual Get+Release cycle free of locked instructions.
	if atomic.LoadInt32(&c.refs) == 1 {
		c.refs = 0
	} else if !c.releaseShared() {
		return
	}
	// The last reference is gone: keep the chunk for reuse, or drop it.
	b := c.body()
	if debug {
		poison(b.b)
	}
	m := b.m
	if m.label != gcEpoch.v.Load() || m.puts >= flushEvery-1 {
		if !b.pool.putSlow(b) {
			return
		}
	} else {
		m.puts++
	}
	b.pool.classes[m.class].sp.Put(b)
}

// releaseShared drops a reference to c, which has more than one holder or
// none, and reports whether it was the last.
//
//go:noinline
func (c *Chunk) releaseShared() bool {
	r := atomic.AddInt32(&c.refs, -1)
	if r < 0 {
		atomic.AddInt32(&c.refs, 1) // a Release that panics drops nothing
	}
	switch {
	case r == 0:
		return true
	case r < 0 && debug:
		panic("pool.Chunk.Release: chunk released after its last reference was released; it may have been handed out to another holder since")
	case r < 0:
		panic("pool.Chunk.Release: chunk released more often than retained")
	}
	return false
}

// Observe records, like [Pool.Observe], the content size of a buffer given
// back or reset that held c. The caller must hold a reference to c, and no
// other holder may call Observe on c at the same time. While the sizes stay
// in one log2 class, it costs no atomic operation in 63 calls of 64 (sizes
// that change class at every call cost what Pool.Observe does): the size is
// tallied on the chunk and reaches the calibration histogram when the
// chunk's tallies are flushed (after 64 sizes of one log2 class, when a
// size of another class is observed on it, after at most 64 puts of the
// chunk, on its first put in a GC cycle, or when it is dropped or freed),
// so calibration sees it a little later than with Pool.Observe.
func (c *Chunk) Observe(size int64) {
	m, k := c.m, uint8(sizeClass(size))
	if m.obsClass != k || m.obsCount >= flushEvery-1 {
		m.observeSlow(k)
		return
	}
	m.obsCount++
}

// NoteViews records, like [Pool.NoteViews], that delta views over chunks of
// c's pool were made (delta > 0) or released (delta < 0). It spares
// Pool.NoteViews' random pick of a counter shard by using one chosen for c
// when it was made, so it costs one atomic add. The caller must hold a
// reference to c.
func (c *Chunk) NoteViews(delta int) { c.pool.views.addAt(uint32(c.m.shard), int64(delta)) }

// NoteCopy records, like [Pool.NoteCopy], that a buffer copied n chunks of
// c's pool because views still shared them. It spares Pool.NoteCopy's
// random pick of a counter shard, as NoteViews does, so it costs one atomic
// add. The caller must hold a reference to c.
func (c *Chunk) NoteCopy(n int) { c.pool.copies.addAt(uint32(c.m.shard), int64(n)) }

// newChunk allocates a chunk of class i of p, held once.
func (p *Pool) newChunk(i int) *Chunk {
	m := &meta{pool: p, class: int32(i), shard: uint8(rand.Uint32())}
	c := &Chunk{b: make([]byte, p.classes[i].size), m: m, pool: p}
	runtime.AddCleanup(c, chunkFreed, m)
	p.out.made(int64(len(c.b)))
	c.makeHandles()
	return c.handOut()
}

// chunkFreed runs after the garbage collector freed a chunk: one that
// sync.Pool let go at a GC, one the pool dropped, or one a holder never
// released.
func chunkFreed(m *meta) {
	p := m.pool
	cl := &p.classes[m.class]
	p.flush(m) // before freed, so that Freed == Misses means the tallies are in
	cl.freed.Add(1)
	if !m.dropped {
		p.out.gone(int64(cl.size))
	}
	if m.label != 0 {
		p.mu.Lock()
		p.acct.forget(m, int64(cl.size))
		p.mu.Unlock()
	}
}

package pool

import "sync/atomic"

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
type Chunk struct {
	b     []byte       // len(b) == cap(b) == the class size
	refs  atomic.Int32 // holders; 0 while the chunk sits in the pool
	class int8         // index into pool.classes
	pool  *Pool        // where Release returns the chunk
}

// Bytes returns the chunk's whole memory, of length [Chunk.Size]. The slice is
// valid until the caller's reference is released.
func (c *Chunk) Bytes() []byte { return c.b }

// Size returns the chunk's size class in bytes.
func (c *Chunk) Size() int { return len(c.b) }

// Retain adds a reference to c. The caller must already hold one.
func (c *Chunk) Retain() {
	if c.refs.Add(1) <= 1 {
		panic("pool.Chunk.Retain: chunk not held")
	}
}

// Shared reports whether more than one holder has a reference to c, so that a
// holder that wants to write into it must copy it first.
func (c *Chunk) Shared() bool { return c.refs.Load() > 1 }

// Release drops a reference to c. When it was the last, c returns to its pool
// (or is dropped when the pool already retains its maximum) and must not be
// used again by anyone.
func (c *Chunk) Release() {
	switch r := c.refs.Add(-1); {
	case r == 0:
		c.pool.put(c)
	case r < 0:
		panic("pool.Chunk.Release: chunk released more often than retained")
	}
}

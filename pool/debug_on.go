//go:build bytesio_debug

package pool

import "sync/atomic"

// debug turns on the checks of the bytesio_debug build tag: chunks given
// back are filled with Poison, so that memory used after its release shows
// a recognisable pattern instead of plausible data, and each hand-out of a
// chunk gets a handle of its own (below), so that a Release or Retain
// through a hand-out that already ended panics.
const debug = true

// debugHandles is the number of handles of a chunk. They are used in turn, so
// a stale Release is caught as long as the chunk was handed out again fewer
// than debugHandles times since the stale holder's last Release.
const debugHandles = 8

// chunkDebug is the per-chunk state of debug builds.
//
// In debug builds the *Chunk that Get returns is not the chunk the pool
// keeps (its body) but one of the body's handles: a Chunk with the same
// bytes and bookkeeping and a reference count of its own. Each hand-out
// takes the next handle in turn, so a holder whose hand-out ended (its last
// reference released) still points to a handle with no references, and its
// Release, Retain or Shared sees that even after the chunk was handed out to
// someone else. The handles are made with the body, so hand-outs allocate
// nothing.
type chunkDebug struct {
	body    *Chunk               // for a handle: its body; for a body: nil
	handles *[debugHandles]Chunk // for a body: its handles
	next    uint32               // for a body: the index of the next handle
}

// makeHandles gives c, a chunk just made, its handles.
func (c *Chunk) makeHandles() {
	c.dbg.handles = new([debugHandles]Chunk)
	for i := range c.dbg.handles {
		h := &c.dbg.handles[i]
		h.b, h.m, h.pool, h.dbg.body = c.b, c.m, c.pool, c
	}
	c.refs = 0 // the body is never held; its handles are
}

// handOut returns the next handle of c, a chunk just taken from the pool or
// made, with one reference.
func (c *Chunk) handOut() *Chunk {
	h := &c.dbg.handles[c.dbg.next%debugHandles]
	c.dbg.next++
	// Atomic, unlike the plain write without the tag: a holder whose
	// hand-out of this handle ended debugHandles hand-outs ago may still
	// use it, and that is a bug to report, not a data race to add.
	atomic.StoreInt32(&h.refs, 1)
	return h
}

// body returns the chunk that goes back to the pool when the last reference
// to c, a handle, is released.
func (c *Chunk) body() *Chunk { return c.dbg.body }

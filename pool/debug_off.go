//go:build !bytesio_debug

package pool

// debug turns on the checks of the bytesio_debug build tag. Without the tag
// it is false and they compile away.
const debug = false

// chunkDebug is the per-chunk state of debug builds: none without the tag.
//
//lint:ignore U1000 used in bytesio_debug builds
type chunkDebug struct{}

// handOut makes c, just taken from the pool or made, the caller's: it is the
// chunk itself with one reference.
func (c *Chunk) handOut() *Chunk {
	c.refs = 1 // sole holder: the sync.Pool hand-off orders this write
	return c
}

// body returns the chunk that goes back to the pool when the last reference
// to c is released: c itself.
func (c *Chunk) body() *Chunk { return c }

// makeHandles does nothing without the bytesio_debug tag.
func (c *Chunk) makeHandles() {}

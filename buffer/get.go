package buffer

import (
	"sync"

	"github.com/bytesio-go/bytesio/pool"
)

// A Pool keeps emptied Buffers for reuse, so that a hot path that takes a
// buffer, writes into it and gives it back allocates nothing once warm. The
// buffers it hands out take their chunks from one [pool.Pool].
//
// A Pool is safe for use by multiple goroutines simultaneously; the Buffers
// it hands out are not. A Pool must not be copied after first use.
type Pool struct {
	_      noCopy
	chunks *pool.Pool // nil means pool.Default
	bufs   sync.Pool  // of *Buffer, each empty, at position 0, with pooled set
}

// NewPool returns a Pool whose buffers take their chunks from p; a nil p
// means [pool.Default].
func NewPool(p *pool.Pool) *Pool { return &Pool{chunks: p} }

// defaultPool backs Get and Put.
var defaultPool Pool

// Get returns an empty Buffer at position 0 from the default Pool, whose
// buffers take their chunks from [pool.Default]. Give it back with [Put]
// when done.
func Get() *Buffer { return defaultPool.Get() }

// Put empties b and keeps it in the default Pool for a later [Get]; see
// [Pool.Put].
func Put(b *Buffer) { defaultPool.Put(b) }

// Get returns an empty Buffer at position 0, with the default limit, that
// takes its chunks from p's chunk pool. It is a buffer given back with Put
// when one is available, else a new one.
func (p *Pool) Get() *Buffer {
	// getFrom inlines with Get into the caller: the call of sync.Pool's
	// Get through a parameter is charged less (see slowWrite).
	return getFrom(p, poolGet)
}

// getFrom is Pool.Get, with get the pool's sync.Pool Get.
func getFrom(p *Pool, get func(*Pool) any) *Buffer {
	if b, ok := get(p).(*Buffer); ok { // Put keeps no nil
		b.pooled = false
		return b
	}
	return &Buffer{pool: p.chunks}
}

// poolGet takes a buffer from p's sync.Pool (see getFrom).
func poolGet(p *Pool) any { return p.bufs.Get() }

// Put empties b and keeps it for a later Get; the caller must not use b, or
// any slice a Buffer method returned, after Put. The buffer keeps at most one
// chunk, of a size a new buffer could take now: with first the pool's
// calibrated first size, from min(first, 4 KiB) (what a small first write
// gets) to max(first, 4 KiB), and never over 64 KiB. That is its first chunk,
// or, when the content outgrew it, the largest chunk the content grew into of
// at most first bytes and within the bound on first chunks for the last first
// write it checked (see Reset), so that as calibration raises the first size,
// pooled buffers follow; and when the content outgrew it, the chunks past it
// in the next use grow as calibration says at Put, as a new buffer's would. A
// buffer with no chunk of such a size, as after one large write, keeps none.
// It gives the others back, so that a pooled buffer never hoards the memory
// of a large one; besides that chunk it keeps only a spare chunk of at most
// SmallFirstChunk bytes that [Buffer.AvailableBuffer] lent, and the small
// chunk ReadFrom keeps (see there). A kept chunk larger than SmallFirstChunk
// is checked by the first write after Get, as after [Buffer.Reset]. Views
// taken from b keep their content. Put(nil) does nothing. A closed buffer, a
// buffer already given back, and a buffer bound to another chunk pool (nil
// and pool.Default name the same one) are not kept (in bytesio_debug builds
// the first two panic, as they are misuse); a buffer bound to another chunk
// pool is closed instead, giving its chunks back to its own pool.
func (p *Pool) Put(b *Buffer) {
	if debug && b != nil {
		b.checkCopyPut()
	}
	// The fast path: the buffer is plain, as the fast path left it the
	// last time (see Buffer.plain): its content is in the first chunk
	// alone, the writable window (so no view shares it), small and of a
	// size to keep as of its last report of sizes (keepLo; see observe);
	// the size is of the class being tallied and the tally is not full
	// (see countSize). The window, the whole chunk, becomes the tail. A
	// plain buffer is open. It makes no call before the pool's, so that b
	// and p stay in registers.
	if b != nil && b.plain && !b.pooled && b.pool == p.chunks && b.tallyInline(b.size) {
		b.emptyPlain("Pool.Put")
		b.pooled = true
		p.bufs.Put(b)
		return
	}
	if b == nil || b.pooled || b.closed || b.getPool() != p.chunkPool() {
		p.refuse(b)
		return
	}
	b.pool = p.chunks // as p names it (pool.Default or nil), for the fast path
	p.putSlow(b)
}

// chunkPool returns the chunk pool of p's buffers.
func (p *Pool) chunkPool() *pool.Pool {
	if p.chunks == nil {
		return pool.Default
	}
	return p.chunks
}

// putSlow is Put of an open buffer of p's chunk pool past its fast path.
func (p *Pool) putSlow(b *Buffer) {
	switch {
	case !b.bare():
		b.recycle()
	case b.windowKept():
		b.unpinView()
		b.countSize(b.size)
		b.emptyToTail()
		b.markPlain()
	case b.head[0] != nil && b.head[0].Size() >= b.keepLo && b.head[0].Size() <= b.keepHi:
		// The first write checks the chunk (kept; see rewrite).
		b.unpinView()
		b.countSize(b.size)
		b.size, b.pos = 0, 0
		b.lastRead, b.want, b.kept = opInvalid, 0, true
		b.dropWindow()
	default:
		b.recycle()
	}
	b.pooled = true
	p.bufs.Put(b)
}

// bare reports that the buffer holds one chunk and nothing besides: no
// limit, spare chunk or initial content (flat).
func (b *Buffer) bare() bool { return b.n == 1 && b.max == 0 && b.spare == nil && b.flat == nil }

// windowKept reports that the window is the first chunk, writable, of a
// size Put keeps as the tail (keepLo to SmallFirstChunk bytes). In a bare
// buffer, which has no limit to cut it, such a window is the whole chunk.
func (b *Buffer) windowKept() bool {
	return b.winW && b.winOff == 0 && len(b.win) <= SmallFirstChunk && len(b.win) >= b.keepLo
}

// emptyToTail empties a buffer whose window is its first chunk, writable
// and whole, and makes that chunk the tail.
func (b *Buffer) emptyToTail() {
	b.size, b.pos, b.room = 0, 0, len(b.win)
	b.lastRead, b.want, b.ahead = opInvalid, 0, 0
}

// refuse is Put of a buffer it does not keep.
func (p *Pool) refuse(b *Buffer) {
	switch {
	case b == nil:
	case b.pooled:
		misuse("Pool.Put", "buffer already given back")
	case b.closed:
		misuse("Pool.Put", "buffer used after Close")
	default: // bound to another chunk pool
		b.Close()
	}
}

// noCopy makes go vet's copylocks check report a copied value of the struct
// that holds it; see https://go.dev/issue/8005#issuecomment-190753527.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

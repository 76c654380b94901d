package buffer

import (
	"io"
	"math/bits"
	"sync"

	"github.com/bytesio-go/bytesio/pool"
)

// maxInt is the largest int on this platform.
const maxInt = int64(^uint(0) >> 1)

// DefaultLimit is the content size limit of a Buffer whose limit was not set
// with [Buffer.SetLimit]: 4 GiB on 64-bit platforms, 2 GiB - 1 on 32-bit ones.
const DefaultLimit = min(1<<32, maxInt)

// MaxLimit is the largest size limit a Buffer takes ([Buffer.SetLimit]):
// 4 EiB (1<<62) on 64-bit platforms, 2 GiB - 1 on 32-bit ones. It keeps the
// end of every chunk that holds content below math.MaxInt64. The position
// may still go past it, up to math.MaxInt64, as Seek allows; content cannot.
const MaxLimit = min(1<<62, maxInt)

// A Buffer is an in-memory file with the cursor semantics of Python's
// io.BytesIO: one position shared by reads and writes, writes that overwrite
// at the position and extend the content, zeros in any gap left by writing
// past the end, and a Truncate that shrinks without moving the position.
//
// The content is kept in chunks taken from a [pool.Pool]: growing never
// copies what was written, and [Buffer.Close] and [Buffer.Reset] give the
// chunks back. [Buffer.GetValue] returns a [View] of the whole content that
// copies no bytes and never changes afterwards (copy-on-write).
//
// The zero value for Buffer is an empty buffer ready to use, taking chunks
// from [pool.Default]. A Buffer is not safe for concurrent use by multiple
// goroutines; its Views are. A Buffer must not be copied after first use.
//
// Buffer implements io.ReadWriteSeeker, io.ReaderAt, io.WriterAt,
// io.ReaderFrom, io.WriterTo, io.ByteScanner, io.RuneScanner,
// io.ByteWriter, io.StringWriter and io.Closer.
type Buffer struct {
	_       noCopy
	guard   copyGuard // bytesio_debug builds: catches a copied Buffer
	content           // bytes [0, size)
	pos     int64     // next byte read or written is at pos; 0 <= pos, pos may pass size

	// room, when not 0, is the room left in the window right after the end
	// of the content, and the position is at the end: appending copies into
	// win[len(win)-room:] (the tail). Everything that moves the position or
	// the end, or shares the chunk, sets it to 0; room > 0 implies
	// pos == size == winOff+len(win)-room. It is a count, not a slice, so
	// that appending writes no pointer. It follows pos so that the rewind
	// zeroes both in one store (seekRewind).
	room int

	// win caches the memory of the chunk last used (but an overwrite
	// outside it leaves it where it is; see writeBytesSlow): win holds the
	// content offsets [winOff, winOff+len(win)), cut at the limit but not
	// at size. winW reports that the buffer owns it alone, so it may be
	// written.
	win    []byte
	winOff int64
	winW   bool

	// ahead, when not 0, is how many content bytes from the position on
	// the window holds, and aheadAll reports that they are all the content
	// left: a Read of up to ahead bytes, or of any length when aheadAll,
	// copies from win[pos-winOff:] (Read's fast path), and when aheadAll
	// WriteTo sends them in one Write. ahead > 0 implies
	// winOff <= pos < pos+ahead <= min(size, winOff+len(win)), and
	// aheadAll == (pos+ahead == size). Everything that moves the position
	// (but Read), shrinks the content or moves the window sets ahead to 0;
	// Read's slow path and Seek set both (setAhead). Keeping instead the
	// content offset where the bytes ahead end, which spares Read a store,
	// measured no faster (0.997 and 0.999 times at 64 B and 4 KiB, 12
	// rounds), ran 10 instructions more per rewind and read-back of 64 B,
	// and on 32-bit platforms needs int64 arithmetic to stay safe far past
	// the end; it also took Read's fast path to 77 of the inlining budget,
	// too much for Read to inline.
	ahead    int
	aheadAll bool

	// lastRead is opInvalid, opRead, or the size of the rune ReadRune
	// read. It follows aheadAll so that the rewind sets both in one store
	// (seekRewind).
	lastRead int8

	max    int64      // the size limit: 0 means DefaultLimit, -1 means 0
	pool   *pool.Pool // nil means pool.Default
	closed bool
	pooled bool // given back to a Pool and not taken out since

	// pinned is the generation (vsFree/stGen, cut to 32 bits) of the view
	// that held vs when the buffer was last emptied for reuse, so that the
	// next emptying lets go of vs if that view holds it still (unpinView).
	pinned uint32

	// spare is memory AvailableBuffer lends when the room at the end of the
	// content is short; it is not content. want is the room Grow asked for.
	spare *pool.Chunk
	want  int

	// probe is the small chunk ReadFrom reads into when the content fills
	// the buffer's one chunk (see ReadFrom), kept for the next such read
	// until Close; it is not content.
	probe *pool.Chunk

	// flatViewed reports that a view was taken of the initial content in
	// flat, which Peek and Next then lend as copies.
	flatViewed bool

	// kept reports that a Pool's Put kept the first chunk without a tail
	// (it is larger than SmallFirstChunk, or a view shares it) and that it
	// was not written since; the first write checks it against the
	// first-chunk bound (writeKept, rewrite, setup).
	kept bool

	// firstCap is the first-chunk bound (firstBound, a log2) of the first
	// write of the buffer's last use that took or checked a first chunk:
	// the largest first chunk promote keeps. 0 before the first.
	firstCap uint8

	// obsN counts the content sizes the buffer had when emptied that it
	// has not reported to the pool's calibration yet, all of the class
	// (obsLo, obsLo+obsSpan+1] (see observe).
	obsLo, obsSpan uint64
	obsN           int

	// keepLo and keepHi bound the first chunk Put keeps in its fast path
	// (see keepMax), from the pool's first chunk size when sizes were last
	// tallied in observe, at most obsBatch Puts ago; 0 before that.
	keepLo, keepHi int

	// plain reports that the buffer is as Put's fast path keeps it: open,
	// its one chunk the first (n == 1), no limit, spare chunk or initial
	// content (flat), and the window that chunk, whole and writable
	// (winW, winOff == 0), of keepLo to SmallFirstChunk bytes. Only putSlow
	// and resetSlow set it, having checked; the fast paths of Put and Reset
	// leave it, and every change to one of those fields clears it:
	// setWindow and dropWindow (which SetLimit, trim, takeFirst and free
	// call), sharing the window with a view, Close, the table's growth in
	// setup, lending a spare, observe. So the fast paths test one field for
	// all of them; debug builds check it there (checkPlain).
	plain bool

	// vs is the state the buffer's views use when no earlier view still
	// holds it (see viewState); nil before the first GetValue. Its word is
	// vsFree when no view holds it, vsFree-stGen (with the given or orphan
	// bit maybe set) while one does.
	vs     *viewState
	vsFree uint64

	// lent is the first chunk when the view in vs borrows the buffer's
	// reference on it (see viewState), or may have until the buffer sees
	// vs's word at vsFree; nil otherwise. A lent chunk is shared while that
	// view holds vs (see shared), and given to it (handOver) before the
	// buffer lets go of the chunk.
	lent *pool.Chunk

	// mu orders parallel WriteAt calls on disjoint ranges (io.WriterAt);
	// no other method takes it.
	mu sync.Mutex
}

// lastRead values other than a rune size.
const (
	opInvalid int8 = 0  // the last operation cannot be undone
	opRead    int8 = -1 // the last operation read at least one byte
)

// Interfaces a Buffer implements.
var (
	_ io.ReadWriteSeeker = (*Buffer)(nil)
	_ io.ReaderAt        = (*Buffer)(nil)
	_ io.WriterAt        = (*Buffer)(nil)
	_ io.ReaderFrom      = (*Buffer)(nil)
	_ io.WriterTo        = (*Buffer)(nil)
	_ io.ByteScanner     = (*Buffer)(nil)
	_ io.RuneScanner     = (*Buffer)(nil)
	_ io.ByteWriter      = (*Buffer)(nil)
	_ io.StringWriter    = (*Buffer)(nil)
	_ io.Closer          = (*Buffer)(nil)
)

// New returns an empty Buffer that takes its chunks from [pool.Default].
func New() *Buffer { return &Buffer{} }

// NewWithPool returns an empty Buffer that takes its chunks from p; a nil p
// means [pool.Default], as for [New].
func NewWithPool(p *pool.Pool) *Buffer { return &Buffer{pool: p} }

// NewBytes returns a Buffer whose initial content is b, positioned at 0.
// It shares b instead of copying it: the Buffer never writes into b, and
// copies it into chunks on the first write. Truncate keeps sharing what
// it keeps of b; Reset, Close and Truncate(0) let go of b. The caller must
// not modify b while the Buffer, or a View taken from it before the first
// write, may still read it.
func NewBytes(b []byte) *Buffer {
	if len(b) == 0 {
		return &Buffer{}
	}
	buf := &Buffer{content: content{flat: b, size: int64(len(b))}}
	buf.win = b
	return buf
}

// NewString returns a Buffer whose initial content is s, positioned at 0.
func NewString(s string) *Buffer {
	buf := &Buffer{}
	buf.WriteString(s)
	buf.pos, buf.room = 0, 0
	return buf
}

// SetLimit sets the largest content size the buffer may reach; an operation
// that would pass it returns [ErrTooLarge] and changes nothing, but
// [Buffer.ReadFrom], which keeps what fit. A limit larger than [MaxLimit] is
// lowered to it; a negative one is 0. A limit below the current size keeps
// the content, which can still be read and truncated; a write that would end
// past the limit then fails with ErrTooLarge even when it only overwrites
// content, and one that ends within the limit succeeds.
func (b *Buffer) SetLimit(n int64) {
	switch {
	case n <= 0:
		b.max = -1
	default:
		b.max = min(n, MaxLimit)
	}
	b.dropWindow() // the window is cut at the limit; not plain
}

// Limit returns the buffer's size limit.
func (b *Buffer) Limit() int64 {
	switch {
	case b.max == 0:
		return DefaultLimit
	case b.max < 0:
		return 0
	}
	return b.max
}

// Size returns the length of the whole content, wherever the position is.
// It is 0 once the buffer is closed.
func (b *Buffer) Size() int64 { return b.size }

// Len returns the number of bytes from the position to the end of the
// content: 0 when the position is at or past the end.
func (b *Buffer) Len() int {
	if b.pos >= b.size {
		return 0
	}
	return int(b.size - b.pos)
}

// Cap returns the bytes of chunk memory the buffer holds: the sizes of its
// chunks added up, with the chunk Reset keeps, the spare chunk of
// AvailableBuffer and the small chunk of ReadFrom. A gap that was never
// written holds no chunk, and initial content shared by NewBytes counts for
// nothing until it is copied.
func (b *Buffer) Cap() int64 {
	var n int64
	b.each(func(ch *pool.Chunk) { n += int64(ch.Size()) })
	for _, ch := range [...]*pool.Chunk{b.spare, b.probe} {
		if ch != nil {
			n += int64(ch.Size())
		}
	}
	return n
}

// Pos returns the position (Python's tell()). It may be past the end.
func (b *Buffer) Pos() int64 { return b.pos }

// Reset empties the buffer and sets the position to 0; the limit and pool
// binding stay. It keeps one chunk, so that the next writes go straight into
// memory the buffer already has (as bytes.Buffer keeps its capacity), and
// gives the others back to the pool. The chunk it keeps is the first, or,
// when the content outgrew it, the largest chunk the content grew into that
// the bound on first chunks allows for the last first write the buffer
// checked against that bound (at most max(4 KiB, 16 × that write rounded up
// to a power of two)), mostly that of its last use; a first write into a
// chunk of at most SmallFirstChunk bytes that Reset or Put left as the tail
// is within every bound and is not checked, and then the bound is that of an
// earlier use. Reused for content of the same size, the buffer then holds it
// in that one chunk; and when the content outgrew it, the chunks that follow
// it in the next use grow as the pool's calibration says at Reset, as a new
// buffer's would. A kept chunk larger than SmallFirstChunk is checked by the
// first write that follows, as after [Pool.Put]: when it is larger than the
// bound allows for that write, it goes back to the pool and the write takes a
// first chunk as a new buffer would, so a buffer reused for small content
// does not keep the memory of a large use. Besides that chunk, Reset keeps
// the spare chunk [Buffer.AvailableBuffer] lends when it holds at most
// SmallFirstChunk bytes, and the small chunk ReadFrom keeps (see there). The
// room [Buffer.Grow] asked for goes with the content it was for. Views taken
// before keep their content: while one shares the kept chunk, the next write
// takes a chunk of the buffer's own instead. Reset does nothing on a closed
// buffer, which stays closed: unlike Python's __init__ on a closed BytesIO,
// nothing reopens a Buffer. [Buffer.Truncate](0) empties a buffer the same
// way, but leaves the position.
func (b *Buffer) Reset() {
	if debug {
		b.checkCopy("Reset")
	}
	b.empty("Buffer.Reset")
}

// empty is Reset past its copy check, for Reset and Truncate(0); call
// names the caller in bytesio_debug builds' checks.
func (b *Buffer) empty(call string) {
	// Put's fast path, but for the pool (see emptyPlain). A plain buffer
	// is open.
	if b.plain && b.tallyInline(b.size) {
		b.emptyPlain(call)
		return
	}
	b.resetSlow()
}

// resetSlow is Reset past its fast path. It leaves the buffer plain when it
// is in the state that Buffer.plain describes, as putSlow does, so that the
// Resets that follow take the fast path.
func (b *Buffer) resetSlow() {
	if b.closed {
		return
	}
	b.want = 0
	b.promote(0, pool.MaxChunkLimit)
	b.free(pool.MaxChunkLimit)
	b.keepChecked()
	b.markPlain()
}

// markPlain sets plain after a full emptying (putSlow, resetSlow): the
// buffer is plain when it is in the state Buffer.plain describes and no view
// holds its view state, which the next emptying lets go of if that view
// holds it still (see unpinView), so that emptying must not take a fast
// path. It is not plain either when the report of sizes raised keepLo past
// the chunk.
func (b *Buffer) markPlain() { b.plain = b.bare() && b.windowKept() && !b.viewHeld() }

// emptyPlain is the fast path of emptying (call: Pool.Put or Buffer.Reset)
// for a plain buffer (see Buffer.plain) whose size the tally counts inline
// (tallyInline): the buffer keeps its one chunk as the tail.
func (b *Buffer) emptyPlain(call string) {
	if debug {
		b.checkPlain(call)
	}
	b.obsN++
	b.emptyToTail()
}

// keepChecked ends the emptying of a buffer for reuse (Reset, recycle): a
// first chunk kept larger than SmallFirstChunk is one the first write checks
// against its bound (kept; see checkKept), so the tail is dropped for that
// write to go through setup; a spare chunk larger than SmallFirstChunk goes
// back to the pool.
func (b *Buffer) keepChecked() {
	if ch := b.head[0]; b.n == 1 && ch != nil && ch.Size() > SmallFirstChunk {
		b.dropWindow()
		b.kept = true
	}
	if b.spare != nil && b.spare.Size() > SmallFirstChunk {
		b.spare.Release()
		b.spare = nil
	}
}

// Close gives the chunks back to the pool and closes the buffer: every other
// method then returns [ErrClosed] (Size, Len, Pos, Cap and Available return
// 0, AvailableBuffer nil, String "", GetValue an empty View, Reset and Grow
// do nothing; SetLimit and Limit work as before). Views taken before keep
// their content. Closing a closed buffer does nothing and returns nil.
//
// A Buffer is an io.Closer, so code that closes what it reads closes the
// buffer: an http.Request body, for one, which the transport may close
// after Do returns, in another goroutine. Pass such code io.NopCloser(b), or
// a ViewReader of a view, and give the buffer back or close it only when
// that code is done with it.
func (b *Buffer) Close() error {
	if debug {
		b.checkCopy("Close")
	}
	if !b.closed {
		b.free(0)
		for _, ch := range [...]**pool.Chunk{&b.spare, &b.probe} {
			if *ch != nil {
				(*ch).Release()
				*ch = nil
			}
		}
		b.dropViewState()
		b.flushSizes()
		b.closed, b.plain = true, false
	}
	return nil
}

// keepMax is the largest first chunk a buffer given back to a Pool keeps,
// the bound the standard library's pooled buffers use (fmt drops buffers
// above 64 KiB; golang/go#23199). Within it, a buffer keeps a first chunk of
// a size a new buffer could take now, with first the pool's (calibrated)
// first size: from min(first, SmallFirstChunk), what a small first write
// gets, to max(first, SmallFirstChunk). The spare chunk it keeps holds at
// most SmallFirstChunk bytes.
const keepMax = 64 << 10

// keepBounds returns the sizes of first chunk a buffer given back to a Pool
// keeps, as keepMax describes, for the pool's first chunk size first.
func keepBounds(first int) (lo, hi int) {
	return min(first, SmallFirstChunk), min(max(first, SmallFirstChunk), keepMax)
}

// recycle readies the buffer for reuse from a Pool: empty, at position 0,
// with the default limit, keeping a first chunk and a spare as keepMax
// describes (the first chunk, or a larger chunk the content grew into; see
// promote), so that calibration still decides the layout. A kept first
// chunk that is larger than SmallFirstChunk, or that a view shares, is one
// the first write checks (kept; see rewrite and setup); otherwise it is the
// tail.
//
// The fast path, for content in the first chunk alone, is in Pool.Put,
// saving a call: it reads the pool's first size as of the buffer's last
// report of sizes (keepLo, keepHi; see observe), so a layout change reaches
// a pooled buffer within obsBatch Puts. recycle is the rest.
func (b *Buffer) recycle() {
	b.max, b.want = 0, 0 // before free, which cuts the window at the limit
	first, _ := b.getPool().Layout()
	lo, hi := keepBounds(first)
	b.promote(lo, min(hi, first)) // up to the size new buffers take
	keep := 0
	if ch := b.head[0]; ch != nil && ch.Size() >= lo && ch.Size() <= hi {
		keep = ch.Size()
	}
	b.free(keep)
	b.keepChecked()
}

// promote readies a buffer whose content outgrew its first chunk for a next
// use that writes as much: of the chunks past the first, the largest of a
// size in [lo, hi], larger than the first chunk and at most the bound of its
// last first write (firstCap), becomes the first chunk, and the first chunk
// takes its place in the table, for free to give back with the others (free
// keeps a first chunk that a view shares as it keeps any). The layout no
// longer fits the table until free, which the callers call next, lays the
// buffer out from the kept chunk or drops it. Otherwise a buffer would keep
// the first chunk of its first use forever, and a buffer reused for larger
// content would take the chunks past it from the pool on every use: as the
// pool's calibrated first size grows, its buffers' kept chunks follow. A
// buffer whose first chunk is lent to a view that still holds it (see lent)
// is left as it is: only free may let go of that chunk (handOver).
func (b *Buffer) promote(lo, hi int) {
	if b.n < 2 || b.flat != nil || b.lent != nil && b.lentHeld() {
		return
	}
	if ch := b.head[0]; ch != nil {
		lo = max(lo, ch.Size()+1)
	}
	// Sizes grow with the index. Chunk 1+max-next holds 1<<max bytes, and
	// sparse content may hold millions of chunks past it, so the scan
	// starts there at the latest: a chunk past it holds as much or more,
	// and more is over hi (segments, larger chunks, exist only when
	// calibration lowered max, which is then at least 64 KiB, keepMax).
	for i := min(b.n-1, 1+int(b.l.max())-int(b.l.next())); i >= 1; i-- {
		s := b.l.size(i)
		if s < lo {
			return
		}
		if s > hi || !withinBound(s, int(b.firstCap)) {
			continue
		}
		if ch := b.at(i); ch != nil {
			b.setAt(i, b.head[0])
			b.head[0] = ch
			return
		}
	}
}

// free drops the content, reporting its size to the pool's calibration. It
// keeps the first chunk when that holds at most keep bytes: the table holds
// that chunk alone (n == 1, size == 0); when the content had grown past it,
// the chunks that will follow it grow as the pool's calibration now says
// (layoutFrom), as a new buffer's would, not as they did in the buffer's
// first use; and, unless a view shares the chunk, the tail is the chunk, so
// that the next append copies straight into it.
func (b *Buffer) free(keep int) {
	b.unpinView()
	first := b.head[0]
	b.countSize(b.size)
	if b.flat != nil {
		b.dropFlat()
	}
	b.size, b.pos, b.ahead = 0, 0, 0
	b.lastRead, b.kept = opInvalid, false
	if first != nil && first.Size() <= keep {
		if b.n > 1 {
			b.trim(1)
			// Only a buffer that grew past the chunk is laid out again:
			// that costs about 100 instructions (cachegrind), which a
			// Reset of content in the one chunk, on a hot path, does not
			// pay.
			b.l = b.layoutFrom(first.Size())
		}
		b.n = 1
		if b.shared(first) {
			// A view holds it: the next write takes a chunk of the
			// buffer's own (copying nothing, as the content is empty), or
			// this one back once no view holds it.
			b.dropWindow()
			return
		}
		// The window stays when it is the chunk, cut at the limit; a window
		// cut at an earlier limit (recycle restores the default) is set
		// anew.
		if m := first.Bytes(); !b.winW || b.winOff != 0 || len(b.win) == 0 || &b.win[0] != &m[0] ||
			int64(len(b.win)) != min(int64(len(m)), b.Limit()) {
			b.setWindow(m, 0, true)
		}
		b.room = len(b.win)
		return
	}
	b.trim(0)
	b.l = layout{}
}

// countSize tallies the content size of the emptied buffer for the
// pool's calibration: observe, with its common case inline. Its test is
// tallyInline's, written out: with the call, countSize would not inline
// (TestInlining).
func (b *Buffer) countSize(size int64) {
	if uint64(size)-1-b.obsLo <= b.obsSpan && b.obsN < obsBatch-1 {
		b.obsN++
	} else {
		b.observe(size)
	}
}

// tallyInline reports that countSize counts size inline: it is of the class
// being tallied, and the tally is not full.
func (b *Buffer) tallyInline(size int64) bool {
	return uint64(size)-1-b.obsLo <= b.obsSpan && b.obsN < obsBatch-1
}

// obsBatch is how many sizes of one class a buffer tallies before it reports
// them to the pool's calibration in one call.
const obsBatch = 64

// observe tallies size for the pool's calibration: sizes of one class
// (as calibration classes them: (2^(k-1), 2^k], and [0, 1]) are counted in
// the buffer and reported together every obsBatch sizes, when a size of
// another class comes, and at Close. A buffer dropped without Close loses at
// most obsBatch-1 sizes, which calibration, a decaying histogram, does not
// miss. The zero tally is of the class of 1. Sizes of 0 are not counted.
func (b *Buffer) observe(size int64) {
	if size <= 0 {
		return
	}
	first, _ := b.getPool().Layout()
	b.keepLo, b.keepHi = keepBounds(first)
	b.plain = false
	if uint64(size)-1-b.obsLo > b.obsSpan {
		b.flushSizes()
		k := bits.Len64(uint64(size - 1))
		lo := uint64(1) << k >> 1
		b.obsLo, b.obsSpan = lo, uint64(1)<<k-1-lo
	}
	if b.obsN++; b.obsN >= obsBatch {
		b.flushSizes()
	}
}

// flushSizes reports the tallied sizes to the pool.
func (b *Buffer) flushSizes() {
	if b.obsN > 0 {
		b.getPool().ObserveN(int64(b.obsLo)+1, b.obsN) // a size of the class
		b.obsN = 0
	}
}

func (b *Buffer) getPool() *pool.Pool {
	if b.pool == nil {
		return pool.Default
	}
	return b.pool
}

// trim releases the chunks past the first n and shortens the table to n.
func (b *Buffer) trim(n int) {
	if n == 0 && b.lent != nil && b.handOver() {
		b.head[0] = nil // the view holds the buffer's reference now
	}
	b.releaseFrom(n)
	b.n = min(b.n, n)
	b.dropWindow() // not plain
}

// checkKept is the first use of a first chunk that Put kept (kept), for
// content that ends at end: the chunk may be larger than the bound lets
// that content hold, and is then let go, as if no chunk was kept. It
// reports whether it let go of the chunk.
func (b *Buffer) checkKept(end int64) bool {
	if !b.kept {
		return false
	}
	b.kept = false
	if b.n == 1 && b.size == 0 && b.head[0] != nil && !withinBound(b.head[0].Size(), b.noteFirst(end)) {
		b.trim(0)
		return true
	}
	return false
}

// materialize moves initial content shared with the caller into chunks, so
// that it can be changed.
func (b *Buffer) materialize() {
	if b.flat == nil {
		return
	}
	data := b.flat[:b.size]
	b.dropFlat()
	b.size = 0
	copyIn(b, data, 0)
}

// dropFlat lets go of the initial content shared with the caller, and of
// the window on it; the caller sets the size.
func (b *Buffer) dropFlat() {
	b.flat, b.flatViewed = nil, false
	b.dropWindow()
}

// prepare makes the memory for content [off, end) writable, for a write of
// end-off > 0 bytes at off within the limit: afterwards every chunk
// overlapping [off, end) is owned by the buffer alone, and the content in any
// gap [size, off) reads as zeros once size is raised. The size itself is not
// changed.
func (b *Buffer) prepare(off, end int64) {
	b.setup(off, end)
	for o := off; o < end; {
		i, start := b.l.locate(o)
		b.owned(i, start, off, end)
		o = start + int64(b.l.size(i))
	}
}

// setup readies the table for a write of [off, end): initial content is
// moved into chunks, the layout is chosen for a buffer without chunks, old
// bytes past the end that would show in a gap are cleared, and the table
// grows to cover end (with gaps).
func (b *Buffer) setup(off, end int64) {
	b.materialize()
	b.checkKept(end)
	if b.n == 0 {
		b.l = b.firstLayout(end)
	}
	if s0 := b.size; off > s0 {
		// Old bytes in the chunk holding s0 (or in a kept first chunk)
		// would show in the gap [s0, off).
		if i, start := b.l.locate(s0); b.at(i) != nil {
			m := b.owned(i, start, s0, s0)
			clear(m[s0-start : min(int64(len(m)), off-start)])
		}
	}
	b.n = max(b.n, b.l.count(end))
	b.plain = false
}

// The bound on a buffer's first chunk. Whatever sizes the pool's calibration
// has seen, a buffer whose first write needs n bytes gets a first chunk of at
// most max(SmallFirstChunk, FirstChunkFactor × n rounded up to a power of
// two), unless that write alone is larger (then the first chunk holds it, up
// to the max chunk size of the pool's layout, see pool.Pool.Layout). So a
// buffer whose content never passed n bytes in its first chunk, and that Grow
// did not ask more of, holds at most max(4 KiB, 32n) of chunk memory, besides
// the small spare chunk AvailableBuffer may lend (64 bytes): calibration
// chooses the growth, never the cost of small content.
const (
	SmallFirstChunk  = 1 << smallFirstShift  // 4 KiB
	FirstChunkFactor = 1 << firstFactorShift // 16
)

const (
	smallFirstShift  = 12
	firstFactorShift = 4
)

// firstBound returns the log2 of the largest first chunk a buffer whose
// first write ends at end may get: max(SmallFirstChunk, FirstChunkFactor ×
// end rounded up to a power of two).
func firstBound(end int64) int {
	return max(bits.Len64(uint64(end-1))+firstFactorShift, smallFirstShift)
}

// withinBound reports whether a chunk of size bytes (a power of two) is
// within the bound on first chunks f, a log2 (see firstBound; 0 means none
// was noted). It compares logs: 1<<f passes any int for a first write past
// 64 MiB on 32-bit platforms.
func withinBound(size, f int) bool { return f == 0 || log2(size) <= f }

// noteFirst returns firstBound(end) for the first write of a use of the
// buffer, ending at end, and records it in firstCap.
func (b *Buffer) noteFirst(end int64) int {
	f := firstBound(end)
	b.firstCap = uint8(f)
	return f
}

// firstLayout returns the layout of a buffer without chunks whose first
// write ends at end: the pool's (calibrated) first size within the bound
// above, then chunks doubling from twice the first chunk, or from the
// calibrated first size when the first chunk was cut below it by at most 4
// times.
func (b *Buffer) firstLayout(end int64) layout {
	p := b.getPool()
	first, last := p.Layout()
	f, m := log2(first), log2(last)
	switch need, bound := bits.Len64(uint64(end-1)), b.noteFirst(end); {
	case need > f:
		f = min(need, m)
	case f > bound:
		f = max(bound, log2(p.Config().MinChunk))
	}
	return layoutAfter(f, log2(first), m, log2(p.Config().MaxChunk))
}

// layoutFrom returns the layout of a buffer whose first chunk holds size
// bytes (a power of two), growing as the pool's calibration now says (see
// layoutAfter).
func (b *Buffer) layoutFrom(size int) layout {
	p := b.getPool()
	first, last := p.Layout()
	return layoutAfter(log2(size), log2(first), log2(last), log2(p.Config().MaxChunk))
}

// layoutAfter returns the layout of a buffer whose first chunk holds 1<<f
// bytes, growing as the pool's calibration says, with 1<<calibrated its
// first size and 1<<m its largest: a first chunk below the calibrated size
// is followed by a chunk of that size when it is at most 4 times the first
// (so a buffer past its first chunk holds at most 5 times its content),
// else chunks double. A first chunk larger than the largest size (one kept
// from before calibration lowered it; see promote) raises the largest size
// to its own, so that the layout's invariants hold. Past 1<<m the chunks
// grow in segments up to 1<<top bytes, the pool's largest size (see
// layout).
func layoutAfter(f, calibrated, m, top int) layout {
	m = max(m, f)
	next := min(f+1, m)
	if calibrated <= f+2 {
		next = min(max(calibrated, f+1), m)
	}
	return makeLayout(f, next, m, max(top, m))
}

// owned returns the memory of chunk i, which starts at start, for a write of
// [off, end), after making sure the buffer owns it alone: a missing chunk is
// taken from the pool, with what precedes the write in it and what follows it
// below the size cleared to zeros; a chunk that a view shares is copied
// first. A caller that raises the size before writing (WriteAt) gets the
// bytes of the raised range outside [off, end) cleared in a new chunk, as
// they are gaps until written.
func (b *Buffer) owned(i int, start, off, end int64) []byte {
	ch := b.at(i)
	switch {
	case ch == nil:
		ch = b.getPool().Get(b.l.size(i))
		b.setAt(i, ch)
		m := ch.Bytes()
		cend := start + int64(len(m))
		clear(m[:max(off, start)-start])
		if we := min(end, cend); we < min(cend, b.size) {
			clear(m[we-start : min(cend, b.size)-start])
		}
		return m
	case b.shared(ch):
		p := b.getPool()
		nc := p.Get(ch.Size())
		if k := copyCached(nc.Bytes(), ch.Bytes()[:max(0, min(int64(ch.Size()), b.size-start))]); k > 0 {
			nc.NoteCopy(1) // the same counter as p.NoteCopy, without its random number
		}
		if ch != b.lent || !b.handOver() {
			ch.Release()
		}
		b.setAt(i, nc)
		b.dropWindow()
		return nc.Bytes()
	}
	return ch.Bytes()
}

// cachedPiece is the most copyCached copies in one call of copy. On amd64,
// Go's memmove writes a copy of 1 MiB or more with non-temporal stores,
// which leave it in memory and none of it in the cache.
const cachedPiece = 512 << 10

// copyCached is copy, in pieces of at most cachedPiece bytes so that what
// it writes stays in the cache. owned copies a chunk a view shares for the
// write that comes next, and the next copy of that chunk reads it: written
// in one piece, a chunk of 1 MiB or more is read back from memory. On the
// AMD EPYC of BENCHMARKS.md, copying two chunks of 1 to 16 MiB into each
// other by turns went 25 to 27 GB/s in one piece, 35 to 48 GB/s in pieces.
func copyCached(dst, src []byte) (n int) {
	for n < len(dst) && n < len(src) {
		n += copy(dst[n:], src[n:min(len(src), n+cachedPiece)])
	}
	return n
}

// setWindow caches m, the memory of the chunk at start, cut at the limit.
// The tail and ahead, which count from the old window, are gone; the caller
// sets them again where it wants them (setTail, setAhead).
func (b *Buffer) setWindow(m []byte, start int64, writable bool) {
	if lim := b.Limit(); start+int64(len(m)) > lim {
		m = m[:max(0, lim-start)]
	}
	b.win, b.winOff, b.winW, b.room, b.ahead = m, start, writable, 0, 0
	b.plain = false
}

// dropWindow forgets the window and the tail.
func (b *Buffer) dropWindow() {
	b.win, b.winOff, b.winW, b.room, b.ahead = nil, 0, false, 0, 0
	b.plain = false
}

// setAhead sets ahead to how many content bytes from the position on the
// window holds, and aheadAll.
func (b *Buffer) setAhead() {
	// e is where the content the window holds ends, relative to the window.
	e, w := b.size-b.winOff, int64(len(b.win))
	all := e <= w
	if !all {
		e = w
	}
	off := b.pos - b.winOff
	a := max(e-off, 0)
	if off < 0 {
		a = 0
	}
	b.ahead, b.aheadAll = int(a), all
}

// setTail sets the tail after a write that may have left the position at
// the end of the content, inside the window.
func (b *Buffer) setTail() {
	if off := b.pos - b.winOff; b.winW && b.pos == b.size && off >= 0 && off <= int64(len(b.win)) {
		b.room = len(b.win) - int(off)
	}
}

func log2(v int) int { return bits.Len(uint(v)) - 1 }

package buffer

import (
	"bytes"
	"io"
	"iter"
	"math"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bytesio-go/bytesio/pool"
)

// A View is a snapshot of a Buffer's whole content, taken by
// [Buffer.GetValue] (Python's getvalue). It copies no content: it holds a
// reference on each chunk of the buffer, and the buffer copies a chunk before
// it next writes into one that a view still holds (copy-on-write), so later
// writes, truncates, resets and closes of the buffer never change what the
// view shows.
//
// A View is immutable and safe for concurrent use by multiple goroutines,
// except that Release must not run concurrently with other calls on the
// same view. Copies of a View are the same view: releasing one releases all.
// The zero View is empty, and GetValue returns it for an empty or closed
// buffer; releasing it does nothing, and it stays empty (reads return io.EOF,
// not ErrReleased).
//
// [View.Release] gives the chunks back to their pool as soon as the buffer no
// longer holds them either; after it the view is empty and reads return
// [ErrReleased]. A view that is never released is collected by the garbage
// collector with its chunks, which then simply do not return to the pool;
// the buffer holds the chunks of one such view (the first taken while it
// had none) until it is closed or emptied twice for reuse (Reset, Put).
type View struct {
	s   *viewState // nil for the zero View
	gen uint64     // the view is live while s.st/stGen == gen
}

// viewState holds a view's chunks. Its word st is gen<<2 | given<<1 |
// orphan: gen changes on each release, so that a View kept after Release can
// tell it no longer owns the state.
//
// A buffer keeps one state for its views (Buffer.vs, own set), which needs
// no trip through the states pool and no locked instruction to take: the
// buffer knows the word the state has once its view released it
// (Buffer.vsFree). Release empties the state and then moves gen on, which
// hands an own state back to the buffer. A buffer that lets go of its state
// while a view holds it sets the orphan bit, and that view's Release then
// gives the state to the states pool. Other states come from the states
// pool and go back to it on Release.
//
// A view in the buffer's own state of content in one chunk borrows the
// buffer's reference on that chunk instead of taking one (lends; the
// buffer's lent is the chunk): it holds no reference and is not counted in
// the pool's statistics. While the view holds the state (its word is
// vsFree-4), the buffer treats the chunk as shared. When the buffer lets go
// of the chunk or copies it before a write while the view may still hold
// it, it gives the view its reference, counts the view, and sets given
// (Buffer.handOver); Release then gives up the chunk like any view's.
// Otherwise Release takes the state back with one compare-and-swap, and the
// buffer, seeing the word at vsFree, has the chunk alone again.
type viewState struct {
	st    atomic.Uint64
	own   bool // kept by a buffer; written only by whoever holds it alone
	lends bool // the view borrows the buffer's reference on head[0]
	pool  *pool.Pool
	content
}

// Bits of a viewState's word below gen.
const (
	stOrphan = 1 // the buffer let go of its own state while a view held it
	stGiven  = 2 // the buffer gave a lending view its reference
	stGen    = 4 // gen's unit
)

var states = sync.Pool{New: func() any { return new(viewState) }}

// GetValue returns a View of the whole content, wherever the position is. No
// content byte is copied: the cost is one reference count per chunk (a
// constant for content that fits one chunk, and one per chunk above that).
// Content in one chunk costs no reference count at all while no earlier view
// of the buffer is still held: the view borrows the buffer's reference until
// the buffer writes into that chunk, lets go of it or is closed while the view
// is held (see [pool.Stats].ViewsOutstanding). The position does not move. On
// a closed or empty buffer it returns an empty View.
func (b *Buffer) GetValue() View {
	if debug {
		b.checkCopy("GetValue")
	}
	if b.closed {
		misuse("Buffer.GetValue", "buffer used after Close")
	}
	if b.closed || b.size == 0 {
		return View{}
	}
	s := b.vs
	if s == nil {
		s = states.Get().(*viewState)
		s.own = true
		b.vs, b.vsFree = s, s.st.Load()
	}
	if s.st.Load() == b.vsFree {
		// The buffer's own state, which no view holds: any chunk lent to
		// its last view is the buffer's alone again.
		b.vsFree += stGen // its word once the view made now is released
		b.lent = nil
		if ch := b.head[0]; b.n == 1 && ch != nil && b.flat == nil {
			// Lend the chunk: no reference, no statistics (see viewState).
			s.lends, b.lent = true, ch
			s.head[0], s.n = ch, 1
			s.flat, s.l, s.size = nil, b.l, b.size
			b.winW, b.room, b.plain = false, 0, false // the chunk is shared now
			return View{s: s, gen: b.vsFree/stGen - 1}
		}
	} else {
		s = states.Get().(*viewState)
	}
	s.lends = false
	s.pool = b.getPool()
	s.flat, s.l, s.size = b.flat, b.l, b.size
	b.flatViewed = b.flat != nil
	s.shareTable(&b.content)
	s.noteViews(1)
	b.winW, b.room, b.plain = false, 0, false // the chunks are shared now
	return View{s: s, gen: s.st.Load() / stGen}
}

// noteViews counts a view made (1) or released (-1) in the pool's
// statistics, through the first chunk when there is one (cheaper).
func (s *viewState) noteViews(delta int) {
	if ch := s.tally(); ch != nil {
		ch.NoteViews(delta)
	} else {
		s.pool.NoteViews(delta)
	}
}

// state returns the view's content, or nil for the zero View and after
// Release.
func (v View) state() *viewState {
	if v.s == nil || v.s.st.Load()/stGen != v.gen {
		return nil
	}
	return v.s
}

// Release gives up the view's chunks; those the buffer no longer holds go
// back to their pool. Afterwards this view and all its copies are empty:
// Len returns 0 and reads return [ErrReleased]. Slices obtained from the view
// (Bytes, Chunks) must not be used after Release. Releasing again does
// nothing (bytesio_debug builds panic, as it is misuse).
func (v View) Release() {
	s := v.state()
	if s == nil {
		if v.s != nil {
			misuse("View.Release", "view released twice")
		}
		return
	}
	w := v.gen * stGen // the word while the view holds the state
	if s.lends {
		// Take the state back (the buffer's alone), unless the buffer gave
		// the view its reference meanwhile.
		ch := s.head[0]
		s.head[0], s.n, s.size, s.pool = nil, 0, 0, nil
		if s.st.CompareAndSwap(w, w+stGen) {
			return
		}
		w |= stGiven
		ch.NoteViews(-1)
		ch.Release()
	} else {
		s.noteViews(-1)
		s.releaseFrom(0)
		s.n, s.flat, s.size = 0, nil, 0
		s.pool = nil
	}
	if s.own {
		if s.st.CompareAndSwap(w, v.gen*stGen+stGen) {
			return // the buffer's again
		}
		s.own = false // orphaned: no one else holds it now
	}
	s.st.Store(v.gen*stGen + stGen)
	states.Put(s)
}

// dropViewState lets go of the state the buffer keeps for its views: back
// to the states pool when no view holds it, else to the view holding it,
// whose Release puts it back. A chunk still lent to that view is given to it
// first (settle).
func (b *Buffer) dropViewState() {
	s := b.vs
	if s == nil {
		return
	}
	b.settle()
	b.vs, b.pinned = nil, 0 // the next state's first view has generation 1
	if w := s.st.Load(); w != b.vsFree && s.st.CompareAndSwap(w, w|stOrphan) {
		return // a view holds it: orphaned
	}
	// The word is vsFree: no view holds it.
	s.own = false
	states.Put(s)
}

// unpinView is called as the buffer is emptied for reuse (Reset, Put): it
// lets go of the buffer's own view state, as Close does, when a view has
// held it since the emptying before, so that a view never released is
// collected with its chunks within two reuses of the buffer, not kept for
// as long as the buffer lives (a pooled buffer's life). A view held across
// one emptying, as when a buffer is given back before its last view is
// released, keeps the state where the buffer reuses it once released: a
// state taken and let go per use cost some 200 instructions (cachegrind,
// ViewCycle of 1 KiB).
func (b *Buffer) unpinView() {
	if s := b.vs; s != nil && s.st.Load() != b.vsFree { // viewHeld, inlinable so
		b.unpinHeld()
	}
}

// viewHeld reports that a view holds the buffer's own view state.
func (b *Buffer) viewHeld() bool {
	s := b.vs
	return s != nil && s.st.Load() != b.vsFree
}

// unpinHeld is unpinView when a view holds the buffer's own state.
//
//go:noinline
func (b *Buffer) unpinHeld() {
	if gen := uint32(b.vsFree / stGen); b.pinned != gen {
		b.pinned = gen
		return
	}
	b.dropViewState() // then the next GetValue takes another state
}

// settle ends the loan of the lent chunk: a view still borrowing it is
// given a reference of its own, so that the chunk's Shared tells the truth.
func (b *Buffer) settle() {
	if ch := b.lent; ch != nil && b.lentHeld() {
		ch.Retain()
		if !b.handOver() {
			ch.Release()
		}
	}
}

// lentHeld reports whether the view that borrowed the buffer's reference on
// the chunk lent (see viewState) still holds it; once it does not, the
// chunk is the buffer's alone again and lent is cleared.
func (b *Buffer) lentHeld() bool {
	if b.vs.st.Load() == b.vsFree {
		b.lent = nil
		return false
	}
	return true
}

// shared reports whether a view shares ch, so that the buffer must copy it
// before writing into it: a view holds a reference on it, or borrows the
// buffer's (lent).
func (b *Buffer) shared(ch *pool.Chunk) bool {
	if ch == b.lent && ch != nil && b.lentHeld() {
		return true
	}
	return ch.Shared()
}

// handOver gives the buffer's reference on the lent chunk to the view that
// borrowed it, when that view still holds it, and counts the view in the
// pool's statistics; it reports whether it did. Either way the chunk is no
// longer lent: when handOver reports false, the buffer's reference is still
// the buffer's.
func (b *Buffer) handOver() bool {
	ch, s := b.lent, b.vs
	b.lent = nil
	w := b.vsFree - stGen // the word while the view holds the state
	if ch == nil || s.st.Load() != w {
		return false
	}
	ch.NoteViews(1)
	if s.st.CompareAndSwap(w, w|stGiven) {
		return true
	}
	ch.NoteViews(-1) // the view was released meanwhile
	return false
}

// live returns the view's state like state, and in debug builds panics when
// the view was released.
func (v View) live(call string) *viewState {
	s := v.state()
	if debug && s == nil && v.s != nil {
		misuse(call, "view used after Release")
	}
	return s
}

// Released reports whether the view has been released.
func (v View) Released() bool { return v.s != nil && v.state() == nil }

// Len returns the length of the view's content; 0 after Release.
func (v View) Len() int64 { return v.lenAs("View.Len") }

// lenAs is Len for the method call names (in debug builds' panics).
func (v View) lenAs(call string) int64 {
	if s := v.live(call); s != nil {
		return s.size
	}
	return 0
}

// ReadAt copies the content at offset off into p, like io.ReaderAt: fewer
// than len(p) bytes come with io.EOF. The error is [ErrNegativeOffset] for a
// negative off and [ErrReleased] after Release.
func (v View) ReadAt(p []byte, off int64) (int, error) { return v.readAtAs("View.ReadAt", p, off) }

// readAtAs is ReadAt for the method call names (in debug builds' panics;
// the errors are the bare sentinels).
func (v View) readAtAs(call string, p []byte, off int64) (int, error) {
	s := v.live(call)
	switch {
	case s == nil && v.s != nil:
		return 0, errReleased(call)
	case off < 0:
		return 0, ErrNegativeOffset
	case s == nil || off >= s.size:
		return 0, io.EOF
	}
	n := s.readAt(p, off)
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// WriteTo writes the content to w. To a TCP or Unix socket (*net.TCPConn,
// *net.UnixConn), content in more than one chunk goes out in writev calls
// (net.Buffers) of up to 1024 pieces, a run of gap one piece of up to 16 MiB;
// to any other writer, each chunk is one w.Write of the view's
// own memory, with no copy, and a gap that was never written goes out from
// zeros of the call's own in Writes of up to 32 KiB. A Write that takes
// fewer bytes than it was given, without an error, ends it with
// io.ErrShortWrite and the count of all the bytes taken, those of the
// Writes before it included: a writer that takes at most k bytes per Write
// gets every piece (a chunk, or up to 32 KiB of a gap) before the first one
// longer than k in full, and k bytes of that one, where from a bytes.Reader,
// which writes everything in one call, it would get k bytes in all. A Write
// that reports a count outside [0, len(p)] ends it with an error, and counts
// as 0. It returns [ErrReleased] after Release, and when w releases the view
// during a Write, with the count of the bytes written before (bytesio_debug
// builds panic then, as it is misuse; the p of that Write may be memory
// the pool has handed to another buffer by then); w must not keep or
// modify p.
func (v View) WriteTo(w io.Writer) (int64, error) {
	s := v.live("View.WriteTo")
	if s == nil {
		if v.s != nil {
			return 0, errReleased("View.WriteTo")
		}
		return 0, nil
	}
	if p := s.whole(); len(p) > 0 {
		// The common small case: one Write, checked inline.
		k, err := w.Write(p)
		if k != len(p) || err != nil {
			k, err = checkWrite(k, err, len(p))
		}
		return int64(k), err
	}
	return v.writeLive("View.WriteTo", s, w, 0)
}

// writeLive writes the content from off on to w (content.writeTo) for the
// method call of the view v, whose state is s: a writer that releases the
// view ends it with ErrReleased.
func (v View) writeLive(call string, s *viewState, w io.Writer, off int64) (int64, error) {
	n, err := s.writeTo(w, off, func() bool { return v.state() == s })
	if err == errStopped {
		err = errReleased(call)
	}
	return n, err
}

// Chunks returns an iterator over the content in pieces, one per chunk, in
// order. The slices alias the view's memory: they must not be modified and
// are valid only until Release; releasing the view in the loop ends it
// (bytesio_debug builds panic, as it is misuse). A gap that was never
// written comes as fresh zeros, made once per iteration and yielded for
// every gap chunk of it, so that no memory of another buffer or view is
// ever handed out.
func (v View) Chunks() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		s := v.live("View.Chunks")
		if s == nil {
			return
		}
		var gap []byte
		for off := int64(0); off < s.size; {
			seg, start := s.segment(off)
			if isZeros(seg) {
				if len(gap) < len(seg) {
					gap = make([]byte, s.l.size(s.l.count(off+1)-1))
				}
				seg = gap[:len(seg)]
			}
			if !yield(seg[:len(seg):len(seg)]) {
				return
			}
			if v.state() != s {
				// Released in the loop: the state may hold another
				// view's content now.
				v.live("View.Chunks")
				return
			}
			off = start + int64(len(seg))
		}
	}
}

// AppendTo appends the content to dst and returns the extended slice.
func (v View) AppendTo(dst []byte) []byte {
	s := v.live("View.AppendTo")
	if s == nil {
		return dst
	}
	return s.appendTo(dst, 0)
}

// Bytes returns the content as one slice. When it lies in one chunk (or is
// the initial content the buffer was made with) this is the view's own
// memory, not a copy: it must not be modified and is valid only until
// Release. Otherwise it is a new slice holding one copy of the content.
func (v View) Bytes() []byte {
	s := v.live("View.Bytes")
	if s == nil || s.size == 0 {
		return nil
	}
	return s.borrow(0, int(s.size), false)
}

// String returns the content as a string (one copy).
func (v View) String() string {
	s := v.live("View.String")
	if s == nil {
		return ""
	}
	var sb strings.Builder
	sb.Grow(int(s.size))
	for off := int64(0); off < s.size; {
		seg, start := s.segment(off)
		sb.Write(seg)
		off = start + int64(len(seg))
	}
	return sb.String()
}

// Equal reports whether the content equals p.
func (v View) Equal(p []byte) bool {
	s := v.live("View.Equal")
	if s == nil {
		return len(p) == 0
	}
	if int64(len(p)) != s.size {
		return false
	}
	for off := int64(0); off < s.size; {
		seg, start := s.segment(off)
		if !bytes.Equal(seg, p[start:start+int64(len(seg))]) {
			return false
		}
		off = start + int64(len(seg))
	}
	return true
}

// NewReader returns a reader over the view's content, positioned at 0, like
// bytes.NewReader, with the methods ViewReader lists (not ReadByte or
// ReadRune: wrap it in a bufio.Reader for those). The reader does not own
// the view: it reads nothing once the view is released.
func (v View) NewReader() *ViewReader { return &ViewReader{v: v} }

// A ViewReader reads a View's content with a position of its own. It
// implements io.ReadSeeker, io.ReaderAt and io.WriterTo. A ViewReader is not
// safe for concurrent use; several readers over one view are.
type ViewReader struct {
	v   View
	pos int64 // next byte read is at pos; may pass the end
}

var (
	_ io.ReadSeeker = (*ViewReader)(nil)
	_ io.ReaderAt   = (*ViewReader)(nil)
	_ io.WriterTo   = (*ViewReader)(nil)
)

// Len returns the number of unread bytes.
func (r *ViewReader) Len() int {
	if n := r.v.lenAs("ViewReader.Len") - r.pos; n > 0 {
		return int(min(n, maxInt))
	}
	return 0
}

// Size returns the length of the view's content.
func (r *ViewReader) Size() int64 { return r.v.lenAs("ViewReader.Size") }

// Read reads up to len(p) bytes and advances the position; io.EOF at the end,
// [ErrReleased] after the view was released.
func (r *ViewReader) Read(p []byte) (int, error) {
	n, err := r.v.readAtAs("ViewReader.Read", p, r.pos)
	r.pos += int64(n)
	if n > 0 && err == io.EOF {
		err = nil
	}
	return n, err
}

// ReadAt reads like [View.ReadAt]; the position is not used or moved.
func (r *ViewReader) ReadAt(p []byte, off int64) (int, error) {
	return r.v.readAtAs("ViewReader.ReadAt", p, off)
}

// Seek sets the position like [Buffer.Seek], against the view's length.
func (r *ViewReader) Seek(offset int64, whence int) (int64, error) {
	if r.v.Released() {
		return 0, errReleased("ViewReader.Seek")
	}
	abs, err := seekPos(offset, whence, r.pos, r.v.Len())
	if err == nil {
		r.pos = abs
	}
	return abs, err
}

// WriteTo writes the unread bytes to w, as [View.WriteTo] does, and
// advances the position by what was written.
func (r *ViewReader) WriteTo(w io.Writer) (int64, error) {
	s := r.v.live("ViewReader.WriteTo")
	if s == nil {
		if r.v.s != nil {
			return 0, errReleased("ViewReader.WriteTo")
		}
		return 0, nil
	}
	n, err := r.v.writeLive("ViewReader.WriteTo", s, w, r.pos)
	// A writer that seeked r far on could make the sum wrap.
	r.pos = min(r.pos, math.MaxInt64-n) + n
	return n, err
}

// String returns the whole content as a string, wherever the position is
// (like GetValue, not like bytes.Buffer.String, which returns the unread
// part), so that fmt prints a Buffer's content. It returns "" after Close
// and "<nil>" for a nil Buffer.
func (b *Buffer) String() string {
	if b == nil {
		return "<nil>"
	}
	if debug {
		b.checkCopy("String")
	}
	p := make([]byte, b.size)
	b.readAt(p, 0)
	return string(p)
}

package buffer

import (
	"bytes"
	"errors"
	"io"
	"unicode/utf8"

	"github.com/bytesio-go/bytesio/pool"
)

// errInvalidRead is returned by ReadFrom when the reader reports a count
// outside [0, len(p)].
var errInvalidRead = errors.New("buffer: reader returned an invalid count")

// errReentered is returned by ReadFrom when the reader called a method of
// the buffer that changed it during a Read: the memory it was given to read
// into may no longer be where the buffer's content goes.
var errReentered = errors.New("buffer: ReadFrom's reader changed the buffer during Read")

// reentered is the misuse panic's text for errReentered.
const reentered = "the reader called the buffer during Read"

// maxConsecutiveEmptyReads is how many (0, nil) results ReadFrom accepts in a
// row before it gives up with io.ErrNoProgress.
const maxConsecutiveEmptyReads = 100

// writeSlow is Write and WriteString past the fast path: into the window
// when it holds the bytes written (overwriting, or appending after a read
// or a seek), else through writeAt. It leaves a tail when the position ends
// at the end of the content inside the window.
func writeSlow[S []byte | string](b *Buffer, p S) (n int, err error) {
	b.lastRead, b.ahead = opInvalid, 0
	for moved := false; ; moved = true {
		if off := b.pos - b.winOff; b.winW && off >= 0 && b.pos <= b.size && int64(len(p)) <= int64(len(b.win))-off {
			if debug && len(p) > 0 { // an empty p at the window's end would check the next chunk
				b.checkOwned("Write", b.pos)
			}
			copy(b.win[off:], p)
			b.pos += int64(len(p))
			b.size = max(b.size, b.pos)
			b.setTail()
			return len(p), nil
		}
		if moved || b.pos >= b.size || len(p) == 0 {
			break
		}
		// An overwrite outside the window, such as after a Seek: move the
		// window to the chunk at the position and try once more.
		b.cacheWindow(b.pos)
	}
	n, err = writeAt(b, p, b.pos)
	b.pos += int64(n)
	b.setTail()
	return n, err
}

// writeBytesSlow, writeStringSlow and writeByteSlow are Write, WriteString
// and WriteByte past the fast path (in tail_unsafe.go and tail_safe.go),
// which calls them through callSlowWrite, callSlowWriteString and
// callSlowWriteByte, passing slowWrite, slowWriteString and slowWriteByte.
//
// The split serves the compiler, as for Read (see callSlowRead). The
// compiler charges a call through a parameter 17 of the inlining budget and
// a call of a named function 57 (or the function's own cost when it
// inlines), so the fast path passes its slow path as a parameter of a
// callSlow* function, which inlines with it, so that the argument is
// constant. The slow* functions are inlinable, so that in the inlined fast
// path the call of slow becomes a direct call: a call through the
// parameter of a function it cannot inline stays an indirect call, and
// that cost AppendInt twice its time in one benchmark binary. The
// write*Slow functions are not inlined: in an inlined Write, a call of the
// generic writeSlow through them would make the compiler assume that b and
// p escape, and they keep the inlined code small.
func slowWrite(b *Buffer, p []byte) (int, error)       { return writeBytesSlow(b, p) }
func slowWriteString(b *Buffer, s string) (int, error) { return writeStringSlow(b, s) }
func slowWriteByte(b *Buffer, c byte) error            { return writeByteSlow(b, c) }

// callSlowWrite returns slow(b, p) (see slowWrite).
func callSlowWrite(b *Buffer, p []byte, slow func(*Buffer, []byte) (int, error)) (n int, err error) {
	n, err = slow(b, p)
	return
}

// callSlowWriteString returns slow(b, s) (see slowWrite). It is written
// out, not generic, so that the inlined code needs no dictionary (and in
// the purego build, so that b and s do not escape).
func callSlowWriteString(b *Buffer, s string, slow func(*Buffer, string) (int, error)) (n int, err error) {
	n, err = slow(b, s)
	return
}

// callSlowWriteByte returns slow(b, c) (see slowWrite).
func callSlowWriteByte(b *Buffer, c byte, slow func(*Buffer, byte) error) error {
	return slow(b, c)
}

//go:noinline
func writeBytesSlow(b *Buffer, p []byte) (int, error) {
	if b.kept && writeKept(b, p) {
		return len(p), nil
	}
	// An overwrite within the content and the limit, as after a Seek,
	// into the window or, outside it, into a chunk the buffer owns alone,
	// of the largest size and in head or page 0 of the table, as random
	// access in large content mostly is: straight into the memory, with
	// no call but the copy's, leaving the window where it is. When the
	// copy's stores miss the cache, the stores after them wait, and each
	// call costs stores: at random offsets of 64 MiB, a 4 KiB overwrite
	// this way took 0.83, 0.87, 0.94 and 0.97 times the time it took
	// through writeSlow in four interleaved runs of 50 to 60 rounds (the
	// last two not significant), and the full runs before and after it
	// measured 1.47 and 1.3 times a copy into preallocated memory.
	if n := int64(len(p)); n > 0 && n <= b.size-b.pos && n <= b.Limit()-b.pos && b.flat == nil {
		var m []byte
		if off := b.pos - b.winOff; off >= 0 && off < int64(len(b.win)) {
			if b.winW && n <= int64(len(b.win))-off {
				m = b.win[off:]
			}
		} else if i, start, ok := b.l.locateBig(b.pos); ok {
			if ch, ok := b.atNear(i); ok && ch != nil && !b.shared(ch) {
				if o := b.pos - start; n <= int64(ch.Size())-o {
					m = ch.Bytes()[o:]
				}
			}
		}
		if m != nil {
			if debug {
				b.checkOwned("Write", b.pos)
			}
			b.lastRead, b.ahead = opInvalid, 0
			copy(m, p)
			b.pos += n
			return len(p), nil
		}
	}
	// An append that crosses into a new chunk (p in the window's chunk
	// is left to writeSlow, as the copy into the tail could change it).
	if b.winW && b.pos == b.size && !overlaps(p, b.win) && appendNext(b, p) {
		return len(p), nil
	}
	return writeSlow(b, b.unalias(p, b.pos))
}

// appendNext appends p at the end of the content when the tail, in the last
// chunk of the table, takes the start of p and the chunk after it, which the
// layout sizes, takes the rest, as appends cross from chunk to chunk: it
// fills the tail, gets that chunk from the pool and makes it the window, and
// reports whether it did. That is what writeSlow would do through writeAt and
// copyIn, without setup and the table walks, which find nothing more to do
// there: no chunk past the tail's, a new chunk all of which p or the end
// after it covers, so nothing to clear. The caller checks, without a call,
// that the window is writable and the position at the end of the content,
// and that p, if a slice, does not lie in the window's chunk, which the
// first copy writes.
func appendNext[S []byte | string](b *Buffer, p S) bool {
	w, n := int64(len(b.win)), int64(len(p))
	if b.pos != b.winOff+w-int64(b.room) || n <= int64(b.room) ||
		b.flat != nil || n > b.Limit()-b.size {
		return false
	}
	// The window is the whole chunk: one cut at the limit would end where
	// the tail does, and p would pass the limit.
	i, start := b.l.locate(b.winOff)
	next := b.l.size(i + 1)
	if i != b.n-1 || start != b.winOff || n-int64(b.room) > int64(next) {
		return false
	}
	b.lastRead = opInvalid // with no room, a Read may have left the position at the end
	k := copy(b.win[w-int64(b.room):], p)
	ch := b.getPool().Get(next)
	b.n = i + 2
	b.setAt(i+1, ch)
	if debug {
		b.checkOwned("Write", start+w)
	}
	m := ch.Bytes()
	copy(m, p[k:])
	b.size += n
	b.pos = b.size
	b.setWindow(m, start+w, true)
	b.setTail()
	return true
}

// writeKept is the first Write or WriteString after Put or Reset kept the
// first chunk without a tail (kept, which the callers test inline): it
// writes p, at offset 0 of a buffer without content, into that chunk as
// rewrite would, without the calls through writeSlow and writeAt, which cost
// about 120 instructions more (cachegrind), and leaves the tail after p. It
// reports false and writes nothing where the general path has more to do:
// content or a position past 0 (as after a Seek), p empty, past the limit or
// the chunk, a view sharing the chunk, or a chunk larger than the
// first-chunk bound lets p have (which checkKept then lets go). WriteByte
// does not come here: the bound for 1 byte allows a chunk of at most
// SmallFirstChunk, which Put keeps without a tail only when a view shared
// it then, so the test would seldom pay.
func writeKept[S []byte | string](b *Buffer, p S) bool {
	ch, lim, n := b.head[0], b.Limit(), int64(len(p))
	if b.size != 0 || b.pos != 0 || n == 0 || b.n != 1 || ch == nil || b.flat != nil || n > min(int64(ch.Size()), lim) || b.shared(ch) ||
		!withinBound(ch.Size(), b.noteFirst(n)) {
		return false
	}
	mem := ch.Bytes()
	mem = mem[:min(int64(len(mem)), lim)] // the window is cut at the limit (setWindow)
	copy(mem, p)
	b.win, b.winOff, b.winW, b.room, b.ahead = mem, 0, true, len(mem)-len(p), 0
	b.size, b.pos, b.lastRead, b.kept, b.plain = n, n, opInvalid, false, false
	return true
}

//go:noinline
func writeStringSlow(b *Buffer, s string) (int, error) {
	if b.kept && writeKept(b, s) {
		return len(s), nil
	}
	if b.winW && b.pos == b.size && appendNext(b, s) {
		return len(s), nil
	}
	return writeSlow(b, s)
}

//go:noinline
func writeByteSlow(b *Buffer, c byte) error {
	a := [1]byte{c}
	_, err := writeSlow(b, a[:])
	return err
}

// WriteRune writes the UTF-8 encoding of r at the position like Write and
// returns its length. An invalid rune is written as utf8.RuneError.
func (b *Buffer) WriteRune(r rune) (n int, err error) {
	if debug {
		b.checkCopy("WriteRune")
		b.checkOpen("WriteRune")
	}
	if uint32(r) < utf8.RuneSelf {
		if err := b.WriteByte(byte(r)); err != nil {
			return 0, err
		}
		return 1, nil
	}
	var a [utf8.UTFMax]byte
	return b.Write(utf8.AppendRune(a[:0], r))
}

// WriteAt writes p at offset off like Write, but leaves the position where
// it is. A gap between the end of the content and off is filled with zeros.
// The error is [ErrNegativeOffset] for a negative off, [ErrTooLarge] when the
// content would pass the limit and [ErrClosed] after Close; then nothing was
// written.
//
// As io.WriterAt allows, WriteAt calls on non-overlapping ranges may run in
// parallel, from several goroutines, with each other only: no other method of
// the buffer may run at the same time. The parallel writers share one short
// lock around the table; the bytes are copied outside it.
func (b *Buffer) WriteAt(p []byte, off int64) (n int, err error) {
	b.mu.Lock()
	if debug {
		b.checkCopy("WriteAt")
	}
	b.lastRead, b.ahead = opInvalid, 0
	switch {
	case b.closed:
		b.mu.Unlock() // before errClosed, which panics in debug builds
		return 0, errClosed("WriteAt")
	case off < 0:
		err = ErrNegativeOffset
	case len(p) == 0:
	case off > b.Limit()-int64(len(p)):
		err = ErrTooLarge
	default:
		return b.writeAtLocked(p, off)
	}
	b.mu.Unlock()
	return 0, err
}

// writeAtLocked writes p, not empty, at off within the limit, with b.mu
// held, and unlocks it.
func (b *Buffer) writeAtLocked(p []byte, off int64) (int, error) {
	end := off + int64(len(p))
	b.dropWindow() // the window is the single-goroutine methods' cache
	if b.n == 1 && b.flat == nil && end <= b.size && end <= int64(b.l.size(0)) {
		// Content in the first chunk alone, overwritten within it, as a
		// header patched after the body: the general path below would
		// find that nothing needs setting up, nor p a copy (a p in the
		// chunk, as from Peek, is moved by copy as it should).
		b.kept = false // as setup's checkKept
		m := b.owned(0, 0, off, end)
		b.mu.Unlock()
		copy(m[off:end], p)
		return len(p), nil
	}
	if b.flat == nil && end <= b.size {
		// An overwrite of content, as at random offsets in large content:
		// when the chunk holding off holds all of it, unalias and setup
		// would find nothing to do (a p in that chunk is moved by copy as
		// it should; one in another chunk is not written). owned gets the
		// chunk of a gap never written, or copies one a view shares, as the
		// loop below would first; past the chunk, the loop does the rest.
		i, start, ok := b.l.locateBig(off) // inline, as in readAtChunk
		if !ok {
			i, start = b.l.locate(off)
		}
		b.kept = false // as setup's checkKept
		if m := b.owned(i, start, off, end); end-start <= int64(len(m)) {
			b.mu.Unlock()
			copy(m[off-start:end-start], p)
			return len(p), nil
		}
	}
	p = b.unalias(p, off)
	b.setup(off, end)
	b.size = max(b.size, end) // before copying: other writers see the range taken
	for o := off; ; {
		i, start := b.l.locate(o)
		m := b.owned(i, start, off, end)
		b.mu.Unlock()
		o += int64(copy(m[o-start:], p[o-off:]))
		if o == end {
			return len(p), nil
		}
		b.mu.Lock()
	}
}

// writeAt is the checked write of p at off >= 0 behind the Write methods.
func writeAt[S []byte | string](b *Buffer, p S, off int64) (int, error) {
	switch {
	case b.closed:
		return 0, errClosed("Write")
	case len(p) == 0:
		return 0, nil
	case off > b.Limit()-int64(len(p)):
		return 0, ErrTooLarge
	}
	if off == 0 && b.size == 0 && b.flat == nil {
		switch {
		case b.n == 0 && firstWrite(b, p):
			return len(p), nil
		case b.n == 1 && rewrite(b, p):
			return len(p), nil
		}
	}
	copyIn(b, p, off)
	return len(p), nil
}

// rewrite writes p at offset 0 of a buffer without content that kept its
// first chunk (Reset, Put), when p fits that chunk and no view shares it,
// and reports whether it did. A chunk that Put kept and that is larger than
// the first-chunk bound allows for p is given back first, and p written as
// into a buffer without chunks.
func rewrite[S []byte | string](b *Buffer, p S) bool {
	ch := b.head[0]
	if ch == nil {
		return false
	}
	if b.checkKept(int64(len(p))) {
		return firstWrite(b, p)
	}
	if len(p) > ch.Size() || b.shared(ch) {
		return false
	}
	mem := ch.Bytes()
	copy(mem, p)
	b.size = int64(len(p))
	b.setWindow(mem, 0, true)
	return true
}

// firstWrite writes p at offset 0 of a buffer without chunks (and so
// without content) when p fits the first chunk, the commonest start of a
// buffer's life, and reports whether it did. It chooses the layout as setup
// does.
func firstWrite[S []byte | string](b *Buffer, p S) bool {
	if !b.takeFirst(len(p)) {
		return false
	}
	copy(b.win, p) // the window is cut at the limit, which p does not pass
	b.size = int64(len(p))
	b.room = 0
	return true
}

// takeFirst gives a buffer without chunks its first chunk, of the layout
// firstLayout chooses for n bytes, as the window, when that chunk holds n
// bytes, and reports whether it did.
func (b *Buffer) takeFirst(n int) bool {
	l := b.firstLayout(int64(n))
	if n > 1<<l.first() {
		return false
	}
	ch := b.getPool().Get(1 << l.first())
	b.l, b.head[0], b.n = l, ch, 1
	b.setWindow(ch.Bytes(), 0, true)
	return true
}

// copyIn writes p at off: it prepares the memory, copies, raises the size and
// leaves the window on the chunk written last.
func copyIn[S []byte | string](b *Buffer, p S, off int64) {
	end := off + int64(len(p))
	b.room = 0 // the end moves
	b.setup(off, end)
	for n := 0; n < len(p); {
		o := off + int64(n)
		i, start := b.l.locate(o)
		m := b.owned(i, start, off, end)
		if debug {
			b.checkOwned("Write", o)
		}
		n += copy(m[o-start:], p[n:])
		if n == len(p) {
			b.setWindow(m, start, true)
		}
	}
	b.size = max(b.size, end)
}

// unalias returns p, or a copy of it when p lies in the memory of the
// chunk its write at off starts in and the write crosses out of that chunk,
// as a slice from Peek, Next or Lines can: copyIn and writeAtLocked copy
// one chunk at a time, in order, and the first copy could overwrite bytes of
// p that a later one reads. Write and WriteAt call it; WriteString need not,
// as a string is no chunk's memory. No other case needs a copy: within one
// chunk copy moves overlapping bytes right; p in the last chunk the write
// reaches is read there by the last copy; and p in a chunk the write
// crosses whole would be shorter than the write.
func (b *Buffer) unalias(p []byte, off int64) []byte {
	if b.n == 0 || b.flat != nil { // no chunk, or one a write copies first
		return p
	}
	i, start := b.l.locate(off)
	if off+int64(len(p))-start <= int64(b.l.size(i)) || i >= b.n {
		return p
	}
	if ch := b.at(i); ch != nil && overlaps(p, ch.Bytes()) && !b.inSpare(p) {
		return bytes.Clone(p)
	}
	return p
}

// inSpare reports whether p lies in the spare chunk AvailableBuffer lends,
// which is never content: whether p's capacity ends where the spare's memory
// does, a comparison of pointers that needs no unsafe. purego builds, where
// overlaps cannot tell whether p lies in a chunk, so spare the copy of the
// usual append through AvailableBuffer when its Write crosses chunks; in
// other builds overlaps has told already.
func (b *Buffer) inSpare(p []byte) bool {
	if b.spare == nil || cap(p) == 0 {
		return false
	}
	s := b.spare.Bytes()
	return &p[:cap(p)][cap(p)-1] == &s[len(s)-1]
}

// ReadFrom reads from r until io.EOF and writes what it reads at the position
// like Write, advancing the position. It returns the number of bytes read;
// io.EOF from r is not an error. When the position is at or past the end of
// the content, r reads straight into the buffer's chunks, with no copy in
// between; one exception: when the content fills the buffer's one chunk,
// the next Read of r gets the pool's smallest chunk (its MinChunk, 64
// bytes by default), so that a reader at its end adds no chunk, and what it
// reads there is copied in; the buffer keeps that chunk for the next time,
// until Close.
//
// Each read is a write. Into an empty buffer, the first read is the first
// write, for the bound on first chunks (see [SmallFirstChunk]), though its
// size is known only after it: a buffer without chunks reads it into a
// first chunk as a 1-byte write gets one; a buffer that kept a chunk
// through Put reads it into that chunk, which stays when the bound for the
// read's size allows it, and otherwise gives its bytes to a smaller chunk
// and goes back to the pool. The bound for that size also caps the chunk a
// later Put or Reset keeps. So a buffer from a Pool, given back after
// ReadFrom of bodies of a size the pool's calibration has seen, keeps the
// chunk that holds one and reads the next straight into it. A ReadFrom at
// the start of an empty buffer that reads nothing keeps the chunk Put or
// Reset kept, unless a view shares it or the bound on first chunks no
// longer allows it.
//
// On an error from r, ReadFrom keeps what it read before and returns the
// error. When the content reaches the limit and r has more, it keeps what fits
// and returns [ErrTooLarge]; the one byte read to find out that r had more is
// dropped. A reader that returns no bytes and no error 100 times in a row
// makes it return io.ErrNoProgress. A reader that reports a count outside [0,
// len(p)] makes it return an error, keeping what it read before but not the
// bytes of that Read.
//
// r must not call the buffer's methods during its Read. One that changes the
// buffer (writes, moves the position, takes a view, resets or closes it)
// makes ReadFrom return an error, keeping what it read before but not the
// bytes of that Read (bytesio_debug builds panic, as it is misuse); but p,
// the buffer's memory lent to r, may by then be content a view of the
// buffer shares, or memory the buffer gave back to its pool and another
// buffer took, and r's bytes land there.
func (b *Buffer) ReadFrom(r io.Reader) (total int64, err error) {
	if debug {
		b.checkCopy("ReadFrom")
	}
	b.lastRead, b.ahead = opInvalid, 0
	if b.closed {
		return 0, errClosed("ReadFrom")
	}
	var scratch []byte
	// prepared reports that a read went into a chunk prepare added; that
	// chunk may have been left without content (see dropUnread).
	prepared := false
	// first reports that no read has written yet and the content is
	// empty: the first read that writes is the first write of this use
	// of the buffer, whose size sets the bound on the first chunk a later
	// Put or Reset keeps (see promote). prepare could only assume a 1-byte
	// write, the least a read writes.
	first := b.size == 0
	// hadFirst reports that the buffer holds a first chunk without
	// content, as Put and Reset keep: prepare adds no chunk at offset 0
	// then, and dropUnread leaves that one.
	hadFirst := first && b.n == 1 && b.head[0] != nil && b.flat == nil
loop:
	for empty := 0; ; {
		// Reads into the tail (see Buffer.room), the room after the
		// content in the window: the common case of a body being read,
		// in a loop that keeps fewer values live across the Read than the
		// general one below. The window is cut at the limit, so room > 0
		// implies pos < Limit().
		for b.room > 0 {
			p := tailAt(b.win, b.room, b.room)
			var tch *pool.Chunk
			if debug {
				// The tail's chunk stays out of the pool until the misuse
				// panic below, should r call the buffer back.
				i, _ := b.l.locate(b.winOff)
				tch = b.at(i)
				tch.Retain()
			}
			n, rerr := r.Read(p)
			if debug {
				tch.Release()
			}
			if b.room != len(p) || &tailAt(b.win, b.room, 1)[0] != &p[0] {
				// The reader changed the buffer: p is not the tail.
				// Otherwise the tail's invariant (see Buffer.room) says
				// where it is.
				err = errReentered
				break loop
			}
			if n < 0 || n > len(p) {
				err = errInvalidRead
				break loop
			}
			if n > 0 {
				if first {
					b.noteFirst(b.pos + int64(n))
					first = false
				}
				b.room -= n
				b.pos += int64(n)
				b.size = b.pos
				total += int64(n)
				empty = 0
			}
			// The end of a read is the general loop's, written out: a
			// helper for both cost 8 to 13 instructions per read, and one
			// loop with the tail as a branch of it 19 (cachegrind).
			switch {
			case rerr == io.EOF:
				break loop
			case rerr != nil:
				err = rerr
				break loop
			case n == 0:
				if empty++; empty >= maxConsecutiveEmptyReads {
					err = io.ErrNoProgress
					break loop
				}
			}
		}
		lim := b.Limit()
		var p []byte
		var probe *pool.Chunk
		// own and ownI are the chunk read into and its entry when it is
		// the content's (fresh, keptIn).
		var own *pool.Chunk
		ownI := 0
		direct := b.pos >= b.size
		fresh, keptIn := false, false
		switch {
		case b.pos >= lim:
			var one [1]byte
			p = one[:]
		case direct && b.kept && b.pos == 0 && !b.shared(b.head[0]):
			// Into the first chunk Put kept (see kept), which holds no
			// content: the bound on first chunks is checked once the
			// read's size is known (keptFilled), where a write's is
			// checked before it writes. This case, the start of a pooled
			// buffer's ReadFrom, comes before the next one, which it
			// excludes (no content against a full chunk) and whose test
			// calls l.size: a pass of ReadFrom 12 KiB runs 34 fewer
			// instructions so (cachegrind).
			own = b.head[0]
			m := own.Bytes()
			p, keptIn = m[:min(int64(len(m)), lim)], true
		case direct && b.pos == b.size && b.n == 1 && b.flat == nil && b.size == int64(b.l.size(0)):
			// The content fills the one chunk: read into a small chunk
			// first, so that when r is at its end no chunk joins the
			// table only to be dropped (a body that fits the first chunk
			// exactly). If r has more, its bytes are copied in. The
			// buffer keeps that chunk (probe) for its next such read.
			if b.probe == nil {
				b.probe = b.getPool().Get(pool.MinChunkLimit)
			}
			probe = b.probe
			p = probe.Bytes()[:min(int64(probe.Size()), lim-b.pos)]
		case direct:
			b.prepare(b.pos, b.pos+1)
			prepared, fresh = true, true
			i, start := b.l.locate(b.pos)
			own, ownI = b.at(i), i
			m := own.Bytes()
			if start+int64(len(m)) > lim {
				m = m[:lim-start]
			}
			p = m[b.pos-start:]
		default:
			// Overwriting: r may use all of p as scratch space, so it
			// must not be the content itself.
			if scratch == nil {
				scratch = make([]byte, 4096)
			}
			p = scratch[:min(int64(len(scratch)), lim-b.pos)]
		}
		var n int
		var rerr error
		pos0, size0, max0, l0 := b.pos, b.size, b.max, b.l
		lent := own // the chunk p lies in, if not scratch memory
		if probe != nil {
			lent = probe
		}
		if debug && lent != nil {
			lent.Retain() // as for the tail
		}
		if fresh {
			n, rerr = readPrepared(b, r, p, hadFirst)
		} else {
			n, rerr = r.Read(p)
		}
		if debug && lent != nil {
			lent.Release()
		}
		if b.closed || b.pos != pos0 || b.size != size0 || b.max != max0 || b.l != l0 ||
			probe != nil && b.probe != probe || keptIn && !b.kept ||
			own != nil && (b.at(ownI) != own || b.shared(own)) {
			// The reader changed the buffer: the memory it read into, and
			// what is written where, are no longer as found above (the
			// layout too: the same chunk may be back at the same entry,
			// at another offset).
			err = errReentered
			break
		}
		if n < 0 || n > len(p) {
			err = errInvalidRead
			break
		}
		if n > 0 {
			if first {
				b.noteFirst(b.pos + int64(n))
				first = false
			}
			switch {
			case b.pos >= lim:
				err = ErrTooLarge
				break loop
			case probe != nil:
				copyIn(b, p[:n], b.pos)
			case keptIn:
				b.keptFilled(n)
			case direct:
				b.size = b.pos + int64(n)
				i, start := b.l.locate(b.pos)
				b.setWindow(b.at(i).Bytes(), start, true)
			default:
				copyIn(b, p[:n], b.pos)
			}
			b.pos += int64(n)
			if direct {
				b.setTail() // the next Read goes into the rest of the chunk
			}
			total += int64(n)
			empty = 0
		}
		switch {
		case rerr == io.EOF:
			break loop
		case rerr != nil:
			err = rerr
			break loop
		case n == 0:
			if empty++; empty >= maxConsecutiveEmptyReads {
				err = io.ErrNoProgress
				break loop
			}
		}
	}
	if prepared {
		b.dropUnread(hadFirst)
	}
	if err == errReentered {
		misuse("Buffer.ReadFrom", reentered) // once the buffer is as the reader left it
	}
	return total, err
}

// keptFilled ends ReadFrom's read of n > 0 bytes into the first chunk Put
// kept, at offset 0: that read is the first write of this use of the
// buffer, whose bound ReadFrom has noted (firstCap). When that bound allows
// the chunk (see checkKept), the chunk holds the content from here on;
// otherwise its n bytes move to a first chunk the bound allows, and it goes
// back to the pool.
func (b *Buffer) keptFilled(n int) {
	ch := b.head[0]
	b.kept = false
	if withinBound(ch.Size(), int(b.firstCap)) {
		b.size = int64(n)
		b.setWindow(ch.Bytes(), 0, true)
		return
	}
	b.head[0], b.n, b.l = nil, 0, layout{}
	b.dropWindow()
	copyIn(b, ch.Bytes()[:n], 0)
	if ch != b.lent || !b.handOver() { // no view holds it (see ReadFrom)
		ch.Release()
	}
}

// readPrepared is r.Read(p) into the chunk that prepare added at the
// position, which is no content yet: should r panic, dropUnread takes that
// chunk out of the table again, so that the buffer a caller recovers is as
// before the read. hadFirst is dropUnread's.
func readPrepared(b *Buffer, r io.Reader, p []byte, hadFirst bool) (n int, err error) {
	done := false
	defer func() {
		if !done {
			b.dropUnread(hadFirst)
		}
	}()
	n, err = r.Read(p)
	done = true
	return n, err
}

// dropUnread takes out of the table the chunks that prepare added in
// ReadFrom and that no byte was read into: the chunks past the content, but
// for the first chunk when hadFirst reports that the buffer held one,
// without content, before ReadFrom, and it holds one still (prepare drops a
// kept chunk the bound on first chunks does not allow; see checkKept). Dropping them drops the window, which
// it puts back on the last chunk, with the tail, for the writes that follow
// and for Put.
func (b *Buffer) dropUnread(hadFirst bool) {
	keep := b.l.count(b.size)
	if hadFirst && b.head[0] != nil { // not dropped by checkKept
		keep = max(keep, 1)
	}
	if b.flat != nil || b.chunks() <= keep {
		return
	}
	b.trim(keep)
	if b.size > 0 {
		b.cacheWindow(b.size - 1)
	} else if keep > 0 { // the first chunk, without content
		b.setWindow(b.head[0].Bytes(), 0, true)
	}
	b.setTail()
}

// Truncate shrinks the content to size bytes, dropping the rest. It never
// extends the content (a size at or past the end does nothing) and never
// moves the position, which may be left past the end. The error is
// [ErrNegativeSize] for a negative size and [ErrClosed] after Close.
// Python's truncate() is Truncate(b.Pos()), and its result is the size
// passed (b.Pos() there), not b.Size(): truncate(100) of 3 bytes returns
// 100 and leaves 3.
//
// Truncate(0) empties the buffer as [Buffer.Reset] does, position aside: it
// keeps the first chunk for the content that follows, within Reset's bounds,
// and counts the size for the pool's calibration as a use that ended. So
// Python's reuse of a buffer, seek(0) and truncate() in either order, costs
// no trip to the pool. Truncate to any other size gives back the chunks
// past the content.
func (b *Buffer) Truncate(size int64) error {
	if debug {
		b.checkCopy("Truncate")
	}
	b.lastRead, b.ahead = opInvalid, 0
	switch {
	case b.closed:
		return errClosed("Truncate")
	case size < 0:
		return ErrNegativeSize
	case size >= b.size:
		return nil
	}
	if size == 0 && b.flat == nil {
		// Empty, keeping memory for reuse as Reset does, but not the
		// position: the seek to 0 of Python's idiom, before or after,
		// then finds the first chunk in place.
		pos := b.pos
		b.empty("Buffer.Truncate")
		if pos != 0 {
			b.pos, b.room = pos, 0
		}
		return nil
	}
	b.size = size
	switch {
	case b.flat == nil:
		b.trim(b.l.count(size))
	case size == 0:
		b.dropFlat() // nothing of the caller's slice is content any more
	}
	return nil
}

// minRoom is the room AvailableBuffer offers at the least when the position
// is at the end: less than this at the end of the last chunk, and it lends
// the spare chunk instead, so that appending a number or a short string to
// it never allocates.
const minRoom = 64

// AvailableBuffer returns an empty slice with room to append to, when the
// position is at the end of the content; otherwise (and after Close) nil.
// Append to it and pass the result to an immediately following Write, as
// with bytes.Buffer: b.Write(strconv.AppendInt(b.AvailableBuffer(), x, 10)).
//
// The room is the rest of the chunk holding the end of the content, when the
// buffer owns that chunk alone and at least 64 bytes (or what Grow asked
// for) are left in it; the Write then finds the bytes already in place. A
// buffer without content offers the first chunk it kept through Reset or
// Put, and one that holds no chunk takes its first chunk for this, as a
// first Write of that many bytes would. Otherwise it is a spare chunk that the
// buffer keeps for this purpose (at least 64 bytes, or what Grow asked for)
// and that the Write copies from.
// The slice aliases the buffer's memory and is valid only until the next
// call of any other Buffer method; it is never shared with a view or another
// buffer.
func (b *Buffer) AvailableBuffer() []byte {
	if debug {
		b.checkCopy("AvailableBuffer")
	}
	if r := b.room; r >= minRoom && r >= b.want {
		return tailAt(b.win, r, r)[:0]
	}
	return b.roomFor(max(minRoom, b.want))
}

// roomFor returns room for n bytes at the end of the content, as
// AvailableBuffer describes, or nil when the position is not at the end.
func (b *Buffer) roomFor(n int) []byte {
	if b.closed || b.pos != b.size {
		return nil
	}
	if b.size > 0 && b.flat == nil {
		i, start := b.l.locate(b.size - 1)
		if ch := b.at(i); ch != nil && !b.shared(ch) {
			b.setWindow(ch.Bytes(), start, true) // cut at the limit, maybe below size
			if off := b.size - start; off <= int64(len(b.win)) && len(b.win[off:]) >= n {
				t := b.win[off:]
				if b.lastRead == opInvalid {
					b.room = len(t) // a tail implies opInvalid (see Write)
				}
				return t[:0:len(t)]
			}
		}
	}
	if b.size == 0 && b.n == 1 && b.flat == nil && b.head[0] != nil {
		// No content, and a first chunk kept without a tail (Put, Reset,
		// Truncate): the room is in that chunk, as for a first write of n
		// bytes (see rewrite), so that the Write that follows finds its
		// bytes in place. A chunk that a view shares, or that Put kept and
		// that is larger than the bound for n, is let go, as that Write
		// would: the room is then in a new first chunk (below).
		switch ch := b.head[0]; {
		case b.checkKept(int64(n)):
			// checkKept let go of the chunk.
		case b.shared(ch):
			b.trim(0)
		default:
			b.setWindow(ch.Bytes(), 0, true) // cut at the limit
			if len(b.win) >= n {
				if b.lastRead == opInvalid {
					b.room = len(b.win)
				}
				return b.win[:0:len(b.win)]
			}
		}
	}
	if b.n == 0 && b.flat == nil && b.takeFirst(n) && len(b.win) >= n {
		// No chunk yet (so no content): the first chunk, chosen as for a
		// first write of n bytes, becomes the tail (the window is cut at
		// the limit), and the Write that follows finds its bytes in place
		// instead of copying them from a spare chunk.
		if b.lastRead == opInvalid {
			b.room = len(b.win)
		}
		return b.win[:0:len(b.win)]
	}
	p := b.getPool()
	n = min(n, p.Config().MaxChunk)
	if b.spare == nil || b.spare.Size() < n {
		if b.spare != nil {
			b.spare.Release()
		}
		b.spare = p.Get(n)
		b.plain = false
	}
	m := b.spare.Bytes()
	return m[:0:len(m)]
}

// Grow makes sure that the next [Buffer.AvailableBuffer] has room for at
// least n bytes (up to the pool's largest chunk size), in the last chunk when
// it has that much left, else in the spare chunk. It changes neither the
// content nor the position. A negative n does nothing (bytesio_debug builds
// panic, as it is misuse), and on a closed buffer Grow does nothing. Writes
// past the end take chunks from the pool as they need them, Grow or not.
func (b *Buffer) Grow(n int) {
	if debug {
		b.checkCopy("Grow")
	}
	if n < 0 {
		misuse("Buffer.Grow", "negative count")
		return
	}
	if b.closed {
		return
	}
	b.want = n
	b.roomFor(max(minRoom, n))
}

// Available returns the capacity of [Buffer.AvailableBuffer]: how many bytes
// can be appended to it without allocating; 0 when the position is not at
// the end.
func (b *Buffer) Available() int { return cap(b.AvailableBuffer()) }

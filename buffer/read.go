package buffer

import (
	"io"
	"iter"
	"math"
	"unicode/utf8"
)

// callSlowRead returns slow(b, p). Read (in tail_unsafe.go and tail_safe.go)
// calls slowRead through it, as the compiler charges a call through a
// parameter 17 of the inlining budget and a call of a named function 57 (or
// the function's own cost when it inlines, 51 for slowRead); inlined, the
// call is direct.
func callSlowRead(b *Buffer, p []byte, slow func(*Buffer, []byte) (int, error)) (n int, err error) {
	n, err = slow(b, p)
	return
}

// slowRead is Read past its fast path: at the end of the content it returns
// io.EOF itself, as the last Read of every read loop does, else it calls
// readSlow. The inlined code of Read holds it all: Read calls slowRead
// through a parameter (callSlowRead), slowRead calls readSlow the same way
// through readEOF, and each is inlinable so that the calls are direct (see
// slowWrite).
func slowRead(b *Buffer, p []byte) (n int, err error) {
	n, err = readEOF(b, p, slowReadTable)
	return
}

// readEOF returns io.EOF for a Read at or past the end of an open buffer,
// else slow(b, p). The test for slow comes first: so laid out, the compiler
// loads io.EOF straight into the result registers, 2 instructions fewer.
func readEOF(b *Buffer, p []byte, slow func(*Buffer, []byte) (int, error)) (n int, err error) {
	if b.pos < b.size || b.closed {
		n, err = slow(b, p)
		return
	}
	b.lastRead = opInvalid
	return 0, io.EOF
}

// slowReadTable calls readSlow (see slowRead).
func slowReadTable(b *Buffer, p []byte) (int, error) { return b.readSlow(p) }

// readSlow is Read past the fast path: from the window when it holds the
// rest of the content or the bytes asked for, once moved to the chunk of the
// position if it was elsewhere, else through the table. It leaves ahead set
// for the next Read.
func (b *Buffer) readSlow(p []byte) (n int, err error) {
	b.ahead = 0
	if b.pos >= b.size {
		return b.readTable(p) // io.EOF, or ErrClosed
	}
	if off := b.pos - b.winOff; off < 0 || off >= int64(len(b.win)) {
		// The window does not hold the position, as at the end of each
		// chunk in sequential reads: move it to the chunk that does (when
		// that chunk is not a gap never written).
		b.cacheWindow(b.pos)
	}
	// The window holds the rest of the content (it ends at e, relative to
	// the window), or the bytes asked for.
	if off, e := b.pos-b.winOff, b.size-b.winOff; off >= 0 {
		if e <= int64(len(b.win)) {
			n = copy(p, spanAt(b.win, int(off), int(e)))
		} else if int64(len(p)) <= int64(len(b.win))-off && len(p) > 0 {
			// 1 <= len(p) <= len(win)-off, so off < len(win).
			n = copy(p, spanAt(b.win, int(off), len(b.win)))
		} else {
			return b.readTable(p)
		}
		b.pos += int64(n)
		b.lastRead = opRead
		if n == 0 {
			b.lastRead = opInvalid
		}
		b.setAhead()
		return n, nil
	}
	return b.readTable(p)
}

// readTable is Read when the window does not hold the bytes asked for: it
// reads through the table and moves the window to the last chunk read.
func (b *Buffer) readTable(p []byte) (int, error) {
	b.lastRead = opInvalid
	switch {
	case b.closed:
		return 0, errClosed("Read")
	case b.pos >= b.size:
		return 0, io.EOF
	}
	n := b.readAt(p, b.pos)
	b.cacheWindow(b.pos + int64(n) - 1)
	b.pos += int64(n)
	if n > 0 {
		b.lastRead = opRead
	}
	b.setAhead()
	return n, nil
}

// cacheWindow points the window at the chunk holding content offset off, for
// the reads and writes that follow.
func (b *Buffer) cacheWindow(off int64) {
	if off < 0 || off >= b.size {
		return
	}
	if b.flat != nil {
		b.setWindow(b.flat, 0, false)
		return
	}
	i, start := b.l.locate(off)
	// The chunks of head and page 0, where sequential reads cross, are
	// found inline (atNear); atFar looks further.
	ch, ok := b.atNear(i)
	if !ok {
		ch = b.atFar(i)
	}
	if ch != nil {
		b.setWindow(ch.Bytes(), start, !b.shared(ch))
	}
}

// ReadAt reads len(p) bytes from offset off without using or moving the
// position. When fewer bytes are there it returns them with io.EOF, as it
// does for any p, empty or not, at or past the end (as bytes.Reader does).
// The error is [ErrNegativeOffset] for a negative off. ReadAt calls may run
// in parallel with each other, as io.ReaderAt allows.
func (b *Buffer) ReadAt(p []byte, off int64) (n int, err error) {
	if debug {
		b.checkCopyRead("ReadAt")
	}
	// The fast path copies p from the window when the window holds all of
	// it and all of it is content; it only reads the buffer's fields, so
	// that parallel calls are safe. o >= 0 implies off >= winOff >= 0
	// (off - winOff cannot wrap to a small positive number), and len(p) > 0
	// with off <= size-len(p) that off < size; a closed buffer has size 0,
	// so that no p passes. It returns by itself, in ReadAt's own body, as
	// Read's does (see there); the slow path is called through a parameter
	// so that ReadAt inlines (see slowRead).
	if o := off - b.winOff; o >= 0 && o <= int64(len(b.win)-len(p)) && off <= b.size-int64(len(p)) && len(p) > 0 {
		n = copy(p, b.win[o:])
		return
	}
	n, err = callSlowReadAt(b, p, off, slowReadAt)
	return
}

// callSlowReadAt returns slow(b, p, off) (see callSlowRead).
func callSlowReadAt(b *Buffer, p []byte, off int64, slow func(*Buffer, []byte, int64) (int, error)) (n int, err error) {
	n, err = slow(b, p, off)
	return
}

// slowReadAt calls readAtChunk (see slowWrite).
func slowReadAt(b *Buffer, p []byte, off int64) (int, error) { return b.readAtChunk(p, off) }

// readAtChunk is ReadAt when the window does not hold p: from the chunk
// holding off when all of p is content in it, else readAtSlow. A chunk of
// the largest size in head or page 0 of the table, where random reads in
// large content mostly land, it finds with no call (80 instructions where
// calling locate and at took 112, by cachegrind).
func (b *Buffer) readAtChunk(p []byte, off int64) (n int, err error) {
	if off >= 0 && off <= b.size-int64(len(p)) && len(p) > 0 && !b.closed && b.flat == nil {
		i, start, ok := b.l.locateBig(off)
		if !ok {
			i, start = b.l.locate(off)
		}
		ch, ok := b.atNear(i)
		if !ok {
			ch = b.atFar(i)
		}
		if ch != nil {
			if m, o := ch.Bytes(), int(off-start); len(p) <= len(m)-o {
				return copy(p, spanAt(m, o, o+len(p))), nil
			}
		}
	}
	return b.readAtSlow(p, off)
}

// readAtSlow is ReadAt past its fast paths.
func (b *Buffer) readAtSlow(p []byte, off int64) (n int, err error) {
	switch {
	case b.closed:
		return 0, errClosed("ReadAt")
	case off < 0:
		return 0, ErrNegativeOffset
	case off >= b.size:
		return 0, io.EOF
	}
	n = b.readAt(p, off)
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// ReadByte reads the byte at the position and advances it; io.EOF at or past
// the end.
func (b *Buffer) ReadByte() (byte, error) {
	if debug {
		b.checkCopy("ReadByte")
		b.checkOpen("ReadByte")
	}
	if off := b.pos - b.winOff; off >= 0 && off < int64(len(b.win)) && b.pos < b.size {
		b.pos++
		b.lastRead, b.ahead = opRead, max(b.ahead-1, 0)
		return b.win[off], nil
	}
	var a [1]byte
	if _, err := b.readSlow(a[:]); err != nil {
		return 0, err
	}
	return a[0], nil
}

// UnreadByte moves the position back by one byte. It undoes the last read
// that returned at least one byte (Read, ReadByte, ReadRune, ReadBytes,
// ReadString, Next, or a step of Lines) when no call that can move the
// position or change the content came after it; calls that can do neither
// (GetValue, ReadAt, Peek and the other inspections listed in the package
// doc) do not count. Otherwise it returns [ErrInvalidUnread].
func (b *Buffer) UnreadByte() error {
	if debug {
		b.checkCopy("UnreadByte")
	}
	if b.closed {
		return errClosed("UnreadByte")
	}
	if b.lastRead == opInvalid {
		return ErrInvalidUnread
	}
	b.lastRead, b.ahead = opInvalid, 0
	b.pos--
	return nil
}

// ReadRune reads the UTF-8 encoded rune at the position and advances past it.
// An invalid encoding reads as utf8.RuneError of size 1. At or past the end it
// returns io.EOF.
func (b *Buffer) ReadRune() (r rune, size int, err error) {
	if debug {
		b.checkCopy("ReadRune")
	}
	if off := b.pos - b.winOff; off >= 0 && off < int64(len(b.win)) && b.pos < b.size && b.win[off] < utf8.RuneSelf {
		b.pos++
		b.lastRead, b.ahead = 1, max(b.ahead-1, 0)
		return rune(b.win[off]), 1, nil
	}
	b.lastRead, b.ahead = opInvalid, 0
	switch {
	case b.closed:
		return 0, 0, errClosed("ReadRune")
	case b.pos >= b.size:
		return 0, 0, io.EOF
	}
	var a [utf8.UTFMax]byte
	n := b.readAt(a[:], b.pos)
	r, size = utf8.DecodeRune(a[:n])
	b.pos += int64(size)
	b.lastRead = int8(size)
	return r, size, nil
}

// UnreadRune moves the position back over the rune read by the last
// successful ReadRune, under the same rule as UnreadByte: no call that can
// move the position or change the content may come between. Otherwise it
// returns [ErrInvalidUnread].
func (b *Buffer) UnreadRune() error {
	if debug {
		b.checkCopy("UnreadRune")
	}
	if b.closed {
		return errClosed("UnreadRune")
	}
	if b.lastRead <= opInvalid {
		b.lastRead = opInvalid // a failed UnreadRune ends UnreadByte's turn too
		return ErrInvalidUnread
	}
	b.pos -= int64(b.lastRead)
	b.lastRead, b.ahead = opInvalid, 0
	return nil
}

// ReadBytes reads until the first delim at or after the position and returns
// a new slice holding the bytes up to and including it, advancing the
// position past them. If delim is not found it returns the rest of the
// content and io.EOF; at or past the end, nil and io.EOF.
func (b *Buffer) ReadBytes(delim byte) ([]byte, error) {
	if debug {
		b.checkCopy("ReadBytes")
	}
	n, err := b.lineLen(delim)
	if n == 0 {
		return nil, err
	}
	p := make([]byte, n)
	b.readAt(p, b.pos)
	b.pos += int64(n)
	b.lastRead = opRead
	return p, err
}

// ReadString is like ReadBytes but returns a string.
func (b *Buffer) ReadString(delim byte) (string, error) {
	if debug {
		b.checkCopy("ReadString")
		b.checkOpen("ReadString")
	}
	p, err := b.ReadBytes(delim)
	return string(p), err
}

// lineLen returns the length of the bytes from the position up to and
// including the first delim, or to the end with io.EOF when there is none.
func (b *Buffer) lineLen(delim byte) (int, error) {
	b.lastRead, b.ahead = opInvalid, 0
	switch {
	case b.closed:
		return 0, errClosed("ReadBytes")
	case b.pos >= b.size:
		return 0, io.EOF
	}
	if i := b.indexByte(delim, b.pos); i >= 0 {
		return int(i - b.pos + 1), nil
	}
	return int(b.size - b.pos), io.EOF
}

// Lines returns an iterator over the lines from the position on, each with
// its terminating '\n' kept (the last one may have none), as Python's
// readlines and iteration give them and as bytes.Lines splits. The position
// advances past each line as it is yielded, so a loop that stops early leaves
// it after the last line consumed. Only '\n' ends a line. An iterator cannot
// return an error: on a closed buffer, or once the buffer is closed inside
// the loop, it yields nothing more.
//
// A yielded slice aliases the buffer's memory when the line lies in one chunk
// and is a copy otherwise; either way it is valid only until the next step of
// the loop or the next call that changes the buffer (which, as for Peek, may
// be a Write or WriteAt of it), and must not be modified.
func (b *Buffer) Lines() iter.Seq[[]byte] {
	if debug {
		b.checkCopy("Lines")
	}
	return func(yield func([]byte) bool) {
		for {
			if debug {
				b.checkOpen("Lines")
			}
			n, err := b.lineLen('\n')
			if n == 0 {
				return
			}
			line := b.lend(b.pos, n)
			b.pos += int64(n)
			b.lastRead = opRead
			if !yield(line) || err != nil {
				return
			}
			if b.pos >= b.size && !b.closed {
				// The content ended with that line. A step that found
				// nothing would end UnreadByte's turn, as a Read at the
				// end does, but the caller made no call: stop here.
				return
			}
		}
	}
}

// Peek returns the next n bytes at the position without advancing it. When
// fewer than n bytes are left it returns them with io.EOF. The error is
// [ErrNegativeCount] for a negative n.
//
// The slice aliases the buffer's memory when the bytes lie in one chunk and is
// a copy otherwise. Either way it must not be modified, and it is valid only
// until the next call of Write, WriteAt, WriteByte, WriteRune, WriteString,
// ReadFrom, Truncate, Reset or Close on the buffer; it may be the argument
// of that Write or WriteAt, which writes the bytes it held.
func (b *Buffer) Peek(n int) ([]byte, error) {
	if debug {
		b.checkCopy("Peek")
	}
	switch {
	case b.closed:
		return nil, errClosed("Peek")
	case n < 0:
		return nil, ErrNegativeCount
	}
	avail := b.avail()
	if avail == 0 {
		if n == 0 {
			return nil, nil
		}
		return nil, io.EOF
	}
	if int64(n) > avail {
		return b.lend(b.pos, int(avail)), io.EOF
	}
	return b.lend(b.pos, n), nil
}

// Next returns the next n bytes at the position, or all that is left when
// fewer are, and advances the position past them. It returns nil at or past
// the end, for n <= 0, and after Close. The slice is borrowed like Peek's,
// with the same lifetime.
func (b *Buffer) Next(n int) []byte {
	if debug {
		b.checkCopy("Next")
	}
	b.lastRead, b.ahead = opInvalid, 0
	if b.closed {
		misuse("Buffer.Next", "buffer used after Close")
	}
	avail := b.avail()
	if n <= 0 || avail == 0 {
		return nil
	}
	n = int(min(int64(n), avail))
	p := b.lend(b.pos, n)
	b.pos += int64(n)
	b.lastRead = opRead
	return p
}

// lend returns the n content bytes at the position, n <= what is left, for
// Peek, Next and Lines: borrowed memory that no view shares (initial content
// from NewBytes is lent as it is until a view was taken of it).
func (b *Buffer) lend(off int64, n int) []byte {
	b.settle()
	return b.borrow(off, n, b.flat == nil || b.flatViewed)
}

// avail returns the bytes from the position to the end, at most maxInt.
func (b *Buffer) avail() int64 {
	if b.pos >= b.size {
		return 0
	}
	return min(b.size-b.pos, maxInt)
}

// WriteTo writes the content from the position to the end to w and advances
// the position by what was written. To a TCP or Unix socket (*net.TCPConn,
// *net.UnixConn), content in more than one chunk goes out in writev calls
// (net.Buffers) of up to 1024 pieces, a run of gap one piece of up to 16 MiB;
// to any other writer, each chunk is one w.Write of the
// buffer's own memory, with no copy, and a gap that was never written goes
// out from zeros of the call's own in Writes of up to 32 KiB. A write that
// stops short without an error returns io.ErrShortWrite; a Write that reports
// a count outside [0, len(p)] ends it with an error, and counts as 0. w must
// not keep or modify p, nor call the buffer's methods during a Write: the
// buffer stays consistent, and the position moves on by what was written
// from where w left it, but a Write that, say, closes the buffer may then
// find in p memory the pool has handed to another buffer.
func (b *Buffer) WriteTo(w io.Writer) (n int64, err error) {
	if debug {
		b.checkCopy("WriteTo")
	}
	a := b.ahead
	if a <= 0 || !b.aheadAll {
		return b.writeToSlow(w)
	}
	// The window holds all that is left (see Buffer.ahead), as after the
	// rewind: one Write. The rest is in writeToSlow and writeToEnd, so that
	// this path keeps to registers but for b and len(p).
	b.lastRead, b.ahead = opInvalid, 0
	off := int(b.pos - b.winOff)
	p := spanAt(b.win, off, off+a)
	k, err := w.Write(p)
	// room and ahead were 0 before the Write and stay so, but for a writer
	// that used the buffer (moved the position, wrote at the end): their
	// invariants, which the position's move breaks, would let a Write or
	// Read reach past the window.
	if q := b.pos + int64(k); k == len(p) && err == nil && q >= b.pos && !b.closed {
		b.pos = q
		b.room, b.ahead = 0, 0
		return int64(k), nil
	}
	return b.writeToEnd(k, err, len(p))
}

// writeToEnd ends WriteTo's fast path after a Write of m bytes that
// returned k, err, when k is not m, err is not nil, or the writer closed the
// buffer or moved the position so far that the sum wraps (see advance).
func (b *Buffer) writeToEnd(k int, err error, m int) (int64, error) {
	if k != m || err != nil {
		k, err = checkWrite(k, err, m)
	}
	b.advance(int64(k))
	return int64(k), err
}

// writeToSlow is WriteTo past its fast path: the content left is not all in
// the window, or none is left, or the buffer is closed (which has nothing
// ahead).
func (b *Buffer) writeToSlow(w io.Writer) (n int64, err error) {
	b.lastRead, b.ahead = opInvalid, 0
	if b.closed {
		return 0, errClosed("WriteTo")
	}
	n, err = b.writeTo(w, b.pos, nil)
	b.advance(n)
	return n, err
}

// advance ends WriteTo past its fast path, after writes of k >= 0 bytes: it
// moves the position k bytes on and clears room and ahead, as the fast path
// does. A writer that called the buffer back may have closed it, whose
// position is 0, or moved the position so far that the sum would wrap: it
// stops at math.MaxInt64 then.
func (b *Buffer) advance(k int64) {
	if p := b.pos + k; p >= b.pos && !b.closed {
		b.pos = p
	} else {
		b.advanceSlow(k)
	}
	b.room, b.ahead = 0, 0
}

// advanceSlow is advance for a closed buffer or a sum that wraps.
//
//go:noinline
func (b *Buffer) advanceSlow(k int64) {
	switch {
	case b.closed:
		b.pos = 0
	case b.pos > math.MaxInt64-k:
		b.pos = math.MaxInt64
	default:
		b.pos += k
	}
}

// Seek sets the position for the next read or write to offset, read against
// whence: io.SeekStart (the start), io.SeekCurrent (the position) or
// io.SeekEnd (the end of the content). It returns the new position. Seeking
// past the end is allowed: reads there return io.EOF and a write zero-fills
// the gap.
//
// Where Python's io.BytesIO clamps a negative result to 0, Seek returns
// [ErrNegativeOffset]; an unknown whence returns [ErrInvalidWhence], and a
// result past math.MaxInt64 returns [ErrOverflow]. On error the position does
// not change.
func (b *Buffer) Seek(offset int64, whence int) (abs int64, err error) {
	if debug {
		b.checkCopy("Seek")
	}
	// seekRewind's fast path, inlined with Seek into the caller: the rewind
	// that comes before reading the content back.
	abs, err = seekRewind(b, offset, whence, slowSeek)
	return
}

// seekRewind is Seek(0, io.SeekStart) of a buffer whose window holds all the
// content, of 1 byte or more (winOff == 0 and 1 <= size <= len(win)), as
// after small writes: all of it is ahead. A closed buffer has no content,
// so it goes with any other seek to slow, through a parameter so that Seek
// inlines (see slowRead).
func seekRewind(b *Buffer, offset int64, whence int, slow func(*Buffer, int64, int) (int64, error)) (abs int64, err error) {
	// io.SeekStart is 0: one test covers offset, whence and winOff. The
	// stores go in pairs of neighbouring fields, so that the compiler
	// merges pos and room into one store, and lastRead and aheadAll into
	// another.
	if offset|int64(whence)|b.winOff == 0 && uint64(b.size-1) < uint64(len(b.win)) {
		b.ahead = int(b.size)
		b.pos, b.room = 0, 0
		b.lastRead, b.aheadAll = opInvalid, true
	} else {
		abs, err = slow(b, offset, whence)
	}
	return
}

// slowSeek calls seekSlow (see slowWrite).
func slowSeek(b *Buffer, offset int64, whence int) (int64, error) { return seekSlow(b, offset, whence) }

// seekSlow is Seek past seekRewind.
//
//go:noinline
func seekSlow(b *Buffer, offset int64, whence int) (int64, error) {
	b.lastRead = opInvalid // ahead changes only with the position
	if b.closed {
		return 0, errClosed("Seek")
	}
	abs, err := seekPos(offset, whence, b.pos, b.size)
	if err != nil {
		return 0, err
	}
	b.pos, b.room = abs, 0
	b.setTail()  // so that the writes that follow a seek to the end append
	b.setAhead() // so that the Reads that follow take the fast path
	return abs, nil
}

// seekPos returns the position that offset and whence give, from the
// position cur in content of the given size.
func seekPos(offset int64, whence int, cur, size int64) (int64, error) {
	var base int64
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		base = cur
	case io.SeekEnd:
		base = size
	default:
		return 0, ErrInvalidWhence
	}
	if offset > 0 && base > math.MaxInt64-offset {
		return 0, ErrOverflow
	}
	if abs := base + offset; abs >= 0 {
		return abs, nil
	}
	return 0, ErrNegativeOffset
}

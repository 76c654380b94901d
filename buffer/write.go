package buffer

import (
	"errors"
	"io"
	"math/bits"
	"unicode/utf8"
)

// errInvalidRead is returned by ReadFrom when the reader reports a count
// outside [0, len(p)].
var errInvalidRead = errors.New("buffer: reader returned an invalid count")

// maxConsecutiveEmptyReads is how many (0, nil) results ReadFrom accepts in a
// row before it gives up with io.ErrNoProgress.
const maxConsecutiveEmptyReads = 100

// Write writes p at the position, overwriting what is there and extending the
// content where p goes past its end, and advances the position by len(p). If
// the position is past the end, the gap is filled with zeros first. Writing
// an empty p changes nothing. Write never retains p. The error is
// [ErrTooLarge] when the content would pass the limit and [ErrClosed] after
// Close; then nothing was written.
func (b *Buffer) Write(p []byte) (n int, err error) {
	// Fastest path: appending 1 or more bytes into the room after the
	// content. A tail implies that lastRead is already opInvalid.
	if uint(len(p)-1) < uint(len(b.tail)) {
		copy(b.tail, p)
		b.tail = b.tail[len(p):]
		b.pos += int64(len(p))
		b.size = b.pos
		return len(p), nil
	}
	b.lastRead = opInvalid
	if off := b.pos - b.winOff; b.winW && off >= 0 && b.pos <= b.size && int64(len(p)) <= int64(len(b.win))-off {
		if debug {
			b.checkOwned("Write", b.pos)
		}
		copy(b.win[off:], p)
		b.pos += int64(len(p))
		b.size = max(b.size, b.pos)
		return len(p), nil
	}
	n, err = writeAt(b, p, b.pos)
	b.pos += int64(n)
	b.setTail()
	return n, err
}

// WriteString is like Write with the bytes of s.
func (b *Buffer) WriteString(s string) (n int, err error) {
	if uint(len(s)-1) < uint(len(b.tail)) {
		copy(b.tail, s)
		b.tail = b.tail[len(s):]
		b.pos += int64(len(s))
		b.size = b.pos
		return len(s), nil
	}
	b.lastRead = opInvalid
	if off := b.pos - b.winOff; b.winW && off >= 0 && b.pos <= b.size && int64(len(s)) <= int64(len(b.win))-off {
		copy(b.win[off:], s)
		b.pos += int64(len(s))
		b.size = max(b.size, b.pos)
		return len(s), nil
	}
	n, err = writeAt(b, s, b.pos)
	b.pos += int64(n)
	b.setTail()
	return n, err
}

// WriteByte writes c at the position like Write.
func (b *Buffer) WriteByte(c byte) error {
	if len(b.tail) > 0 {
		b.tail[0] = c
		b.tail = b.tail[1:]
		b.pos++
		b.size = b.pos
		return nil
	}
	b.lastRead = opInvalid
	if off := b.pos - b.winOff; b.winW && off >= 0 && off < int64(len(b.win)) && b.pos <= b.size {
		b.win[off] = c
		b.pos++
		b.size = max(b.size, b.pos)
		return nil
	}
	a := [1]byte{c}
	n, err := writeAt(b, a[:], b.pos)
	b.pos += int64(n)
	b.setTail()
	return err
}

// WriteRune writes the UTF-8 encoding of r at the position like Write and
// returns its length. An invalid rune is written as utf8.RuneError.
func (b *Buffer) WriteRune(r rune) (n int, err error) {
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
// content would pass the limit and [ErrClosed] after Close.
func (b *Buffer) WriteAt(p []byte, off int64) (n int, err error) {
	b.lastRead = opInvalid
	if off < 0 && !b.closed {
		return 0, ErrNegativeOffset
	}
	return writeAt(b, p, off)
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
	if b.n == 0 && b.flat == nil && off == 0 && firstWrite(b, p) {
		return len(p), nil
	}
	copyIn(b, p, off)
	return len(p), nil
}

// firstWrite writes p at offset 0 of a buffer without chunks (and so
// without content) when p fits the first chunk, the commonest start of a
// buffer's life, and reports whether it did. It chooses the layout as setup
// does.
func firstWrite[S []byte | string](b *Buffer, p S) bool {
	first, max := b.getPool().Layout()
	f, m := log2(first), log2(max)
	if len(p) > first {
		f = min(bits.Len(uint(len(p)-1)), m)
	}
	if len(p) > 1<<f {
		return false
	}
	b.l = layout{first: uint8(f), max: uint8(m)}
	ch := b.getPool().Get(1 << f)
	b.head[0], b.n = ch, 1
	mem := ch.Bytes()
	copy(mem, p)
	b.size = int64(len(p))
	b.tail = nil
	b.setWindow(mem, 0, true)
	return true
}

// copyIn writes p at off: it prepares the memory, copies, raises the size and
// leaves the window on the chunk written last.
func copyIn[S []byte | string](b *Buffer, p S, off int64) {
	end := off + int64(len(p))
	b.tail = nil // the end moves
	s0 := b.setup(off, end)
	for n := 0; n < len(p); {
		o := off + int64(n)
		i, start := b.l.locate(o)
		m := b.owned(i, start, off, end, s0)
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

// ReadFrom reads from r until io.EOF and writes what it reads at the position
// like Write, advancing the position. It returns the number of bytes read;
// io.EOF from r is not an error. When the position is at or past the end of
// the content, r reads straight into the buffer's chunks, with no copy in
// between.
//
// On an error from r, ReadFrom keeps what it read before and returns the
// error. When the content reaches the limit and r has more, it keeps what fits
// and returns [ErrTooLarge]; the one byte read to find out that r had more is
// dropped. A reader that returns no bytes and no error 100 times in a row
// makes it return io.ErrNoProgress.
func (b *Buffer) ReadFrom(r io.Reader) (total int64, err error) {
	b.lastRead = opInvalid
	b.tail = nil
	if b.closed {
		return 0, errClosed("ReadFrom")
	}
	defer func() {
		// prepare may have added chunks that no byte was read into.
		if b.flat == nil && b.chunks() > b.l.count(b.size) {
			b.trim(b.l.count(b.size))
		}
	}()
	var scratch []byte
	for empty := 0; ; {
		lim := b.Limit()
		var p []byte
		direct := b.pos >= b.size
		switch {
		case b.pos >= lim:
			var one [1]byte
			p = one[:]
		case direct:
			b.prepare(b.pos, b.pos+1)
			i, start := b.l.locate(b.pos)
			m := b.at(i).Bytes()
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
		n, rerr := r.Read(p)
		if n < 0 || n > len(p) {
			return total, errInvalidRead
		}
		if n > 0 {
			switch {
			case b.pos >= lim:
				return total, ErrTooLarge
			case direct:
				b.size = b.pos + int64(n)
				i, start := b.l.locate(b.pos)
				b.setWindow(b.at(i).Bytes(), start, true)
			default:
				copyIn(b, p[:n], b.pos)
			}
			b.pos += int64(n)
			total += int64(n)
			empty = 0
		}
		switch {
		case rerr == io.EOF:
			return total, nil
		case rerr != nil:
			return total, rerr
		case n == 0:
			if empty++; empty >= maxConsecutiveEmptyReads {
				return total, io.ErrNoProgress
			}
		}
	}
}

// Truncate shrinks the content to size bytes, dropping the rest. It never
// extends the content (a size at or past the end does nothing) and never
// moves the position, which may be left past the end. The error is
// [ErrNegativeSize] for a negative size and [ErrClosed] after Close.
func (b *Buffer) Truncate(size int64) error {
	b.lastRead = opInvalid
	switch {
	case b.closed:
		return errClosed("Truncate")
	case size < 0:
		return ErrNegativeSize
	case size >= b.size:
		return nil
	}
	b.size = size
	if b.flat == nil {
		b.trim(b.l.count(size))
	}
	return nil
}

// AvailableBuffer returns an empty slice whose capacity is the room left in
// the chunk at the position, when the position is at the end of the content
// and the buffer owns that chunk alone; otherwise it returns nil. Append to
// it and pass the result to an immediately following Write, which then finds
// the bytes already in place. The slice aliases the buffer's memory and is
// valid only until the next call of any other Buffer method.
func (b *Buffer) AvailableBuffer() []byte {
	return b.tail[:0:len(b.tail)]
}

// Grow makes room for n more bytes appended at the end of the content, so
// that writing them takes no chunk from the pool. A negative n does
// nothing. Grow never changes the content or the position.
func (b *Buffer) Grow(n int) {
	// TODO(hot path): preallocate.
}

// Available returns how many bytes can be appended at the end into memory
// the buffer already holds, when the position is at the end: the capacity
// of [Buffer.AvailableBuffer].
func (b *Buffer) Available() int { return len(b.tail) }

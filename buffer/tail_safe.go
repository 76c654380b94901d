//go:build purego

package buffer

// This file holds tailAt, spanAt and the fast paths of Write, WriteString,
// WriteByte and Read with ordinary slicing, for builds with the purego tag;
// tail_unsafe.go holds the versions without bounds checks and says why.

// tailAt returns the n bytes at the start of the last room bytes of w, with
// capacity n: w[len(w)-room:][:n:n]. The caller guarantees
// 0 <= n <= room <= len(w) and 0 < room, so that the slice never points
// past the end of w.
func tailAt(w []byte, room, n int) []byte {
	return w[len(w)-room:][:n:n]
}

// spanAt returns w[i:j:j]. The caller guarantees 0 <= i < j <= len(w), so
// that the slice never points past the end of w.
func spanAt(w []byte, i, j int) []byte {
	return w[i:j:j]
}

// Write writes p at the position, overwriting what is there and extending the
// content where p goes past its end, and advances the position by len(p). If
// the position is past the end, the gap is filled with zeros first. Writing
// an empty p changes nothing. Write never retains p. The error is
// [ErrTooLarge] when the content would pass the limit and [ErrClosed] after
// Close; then nothing was written.
func (b *Buffer) Write(p []byte) (n int, err error) {
	if debug {
		b.checkCopy("Write")
		b.checkTail("Write", len(p))
	}
	// tail_unsafe.go's, which says why it is laid out so, with ordinary
	// slicing.
	if n = len(p); uint(n-1) < uint(b.room) {
		copy(b.win[len(b.win)-b.room:], p)
		b.room -= n
		b.pos += int64(n)
		b.size = b.pos
		return
	}
	n, err = callSlowWrite(b, p, slowWrite)
	return
}

// WriteString is like Write with the bytes of s.
func (b *Buffer) WriteString(s string) (n int, err error) {
	if debug {
		b.checkCopy("WriteString")
		b.checkOpen("WriteString")
		b.checkTail("WriteString", len(s))
	}
	if n = len(s); uint(n-1) < uint(b.room) {
		copy(b.win[len(b.win)-b.room:], s)
		b.room -= n
		b.pos += int64(n)
		b.size = b.pos
		return
	}
	n, err = callSlowWriteString(b, s, slowWriteString)
	return
}

// WriteByte writes c at the position like Write.
func (b *Buffer) WriteByte(c byte) error {
	if debug {
		b.checkCopy("WriteByte")
		b.checkOpen("WriteByte")
		b.checkTail("WriteByte", 1)
	}
	if b.room > 0 {
		b.win[len(b.win)-b.room] = c
		b.room--
		b.pos++
		b.size = b.pos
		return nil
	}
	return callSlowWriteByte(b, c, slowWriteByte)
}

// Read reads len(p) bytes from the position, or the rest of the content when
// fewer are left, and advances the position by the count. At or past the end
// of the content it returns 0, io.EOF (Python's read returns b"" instead); an
// empty p before the end returns 0, nil.
func (b *Buffer) Read(p []byte) (n int, err error) {
	if debug {
		b.checkCopy("Read")
		b.checkAhead("Read")
	}
	// tail_unsafe.go's, which says why it is laid out so, with ordinary
	// slicing: it costs 78 of the inlining budget (79 on 32-bit platforms).
	if n = min(len(p), b.ahead); n > 0 && (n == len(p) || b.aheadAll) {
		copy(p[:n], b.win[b.pos-b.winOff:])
		b.ahead -= n
		b.pos += int64(n)
		b.lastRead = opRead
		return
	}
	n, err = callSlowRead(b, p, slowRead)
	return
}

// overlaps is tail_unsafe.go's, without the addresses: it reports whether
// p could lie within m, the memory of a chunk, which it can only when it is
// no longer than m, so that unalias copies every such p that does not lie
// in the spare chunk (see inSpare).
func overlaps(p, m []byte) bool {
	return len(p) > 0 && len(p) <= len(m)
}

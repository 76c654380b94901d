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

// appendTail is tail_unsafe.go's, which says what it does (as for the
// functions below), with ordinary slicing.
func appendTail(b *Buffer, p []byte, slow func(*Buffer, []byte) (int, error)) (n int, err error) {
	if uint(len(p)-1) < uint(b.room) {
		copy(b.win[len(b.win)-b.room:], p)
		b.room -= len(p)
		b.pos += int64(len(p))
		b.size = b.pos
		return len(p), nil
	}
	return slow(b, p)
}

// appendTailString is tail_unsafe.go's. It is written out, not generic: the
// call of a generic function through slow would make the compiler assume
// that b and s escape, and Write and WriteString allocate.
func appendTailString(b *Buffer, s string, slow func(*Buffer, string) (int, error)) (n int, err error) {
	if uint(len(s)-1) < uint(b.room) {
		copy(b.win[len(b.win)-b.room:], s)
		b.room -= len(s)
		b.pos += int64(len(s))
		b.size = b.pos
		return len(s), nil
	}
	return slow(b, s)
}

// putTail is tail_unsafe.go's.
func putTail(b *Buffer, c byte, slow func(*Buffer, byte) error) error {
	if b.room > 0 {
		b.win[len(b.win)-b.room] = c
		b.room--
		b.pos++
		b.size = b.pos
		return nil
	}
	return slow(b, c)
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

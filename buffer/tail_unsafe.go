//go:build !purego

package buffer

// This file holds the package's uses of unsafe. The first is the slices of
// the window or chunk that the fast paths of Write, WriteString, WriteByte,
// AvailableBuffer, Read, ReadAt and WriteTo copy to or from, made without the
// bounds checks and pointer masking that ordinary slicing costs, which the
// compiler cannot drop as it does not know the invariants the callers checked
// (room <= len(win); see Buffer.room). That is 7 of the 40-odd instructions
// of a small Write, and it is what lets Write, WriteString and WriteByte fit
// the compiler's inlining budget (see Write). tail_safe.go holds the
// same functions with ordinary slicing, chosen by the purego build tag;
// bytesio_debug builds check the invariants here. The other, overlaps,
// compares the addresses of two slices, which Go cannot without unsafe.

import (
	"math"
	"math/bits"
	"unsafe"

	"github.com/bytesio-go/bytesio/pool"
)

// maxSpan is the length of the array type spanAt converts to:
// 2^47-1 on 64-bit platforms, math.MaxInt32 on 32-bit ones, longer than any
// window (a chunk, or initial content from NewBytes) can be.
const maxSpan = math.MaxInt >> ((bits.UintSize - 32) / 2)

// tailAt returns the n bytes at the start of the last room bytes of w, with
// capacity n: w[len(w)-room:][:n:n]. The caller guarantees
// 0 <= n <= room <= len(w) and 0 < room, so that the slice never points
// past the end of w.
//
// A tail is in a chunk, so n <= pool.MaxChunkLimit: masking n with
// tailMask changes nothing and lets the compiler drop the check of n
// against the array length.
func tailAt(w []byte, room, n int) []byte {
	if debug && (n < 0 || n > room || room > len(w) || room <= 0 || room > pool.MaxChunkLimit) {
		panic("buffer: tail outside the window: the invariant n <= room <= len(win) is broken")
	}
	p := unsafe.Add(unsafe.Pointer(unsafe.SliceData(w)), len(w)-room)
	n &= tailMask
	return (*[tailMask + 1]byte)(p)[:n:n]
}

// tailMask keeps every bit of a length up to pool.MaxChunkLimit.
const tailMask = pool.MaxChunkLimit<<1 - 1

// spanAt returns w[i:j:j]. The caller guarantees 0 <= i < j <= len(w), so
// that the slice never points past the end of w.
func spanAt(w []byte, i, j int) []byte {
	if debug && (i < 0 || i >= j || j > len(w)) {
		panic("buffer: span outside the window")
	}
	p := unsafe.Add(unsafe.Pointer(unsafe.SliceData(w)), i)
	return (*[maxSpan]byte)(p)[: j-i : j-i]
}

// tailPtr returns the address of the first byte of the tail,
// b.win[len(b.win)-b.room]. The caller guarantees 0 < b.room <= len(b.win).
func tailPtr(b *Buffer) *byte {
	return (*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b.win)), len(b.win)-b.room))
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
	// Write sits in this file, not in write.go, for its fast path: it
	// copies p into the tail when p is 1 to room bytes long (see
	// Buffer.room; a tail implies that lastRead is already opInvalid).
	// So written, Write costs 78 of the compiler's inlining budget of 80,
	// and inlines where the compiler sees the type: a Write then costs no
	// call, as an append to a slice costs none. Two things make the room:
	//   - The slow path is called through a parameter (see slowWrite).
	//   - The tail is sliced as in tailAt, written out: calling tailAt
	//     costs 18 more, tailPtr 4, and a helper that tail_safe.go would
	//     define too, so that Write could sit in write.go once, 5.
	//
	// The fast path returns by itself, in Write's own body, as Read's does
	// (see there): in a helper inlined into Write (as it was), it shared
	// the slow path's return and reached it by a jump and three register
	// moves, where Write is a call (an io.Writer). TestInlining keeps
	// Write inlinable. The fast path holds no debug check: Write checks the
	// tail above.
	if n = len(p); uint(n-1) < uint(b.room) {
		copy((*[tailMask + 1]byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b.win)), len(b.win)-b.room))[:n&tailMask], p)
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
	// Write's fast path, for s.
	if n = len(s); uint(n-1) < uint(b.room) {
		copy((*[tailMask + 1]byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b.win)), len(b.win)-b.room))[:n&tailMask], s)
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
	// Write's fast path, for one byte: into the tail when there is one.
	if b.room > 0 {
		*tailPtr(b) = c
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
	// Read sits in this file, not in read.go, for its fast path: it copies
	// n = min(len(p), ahead) bytes from the window at the position when
	// n > 0 and that is all Read must return (n == len(p), or ahead is all
	// the content left; see Buffer.ahead). The slice of the window is made
	// with unsafe.Slice, which costs a compare more than spanAt's way but 2
	// less of the inlining budget; a helper that made it would cost 5 more.
	// So written, Read costs 79 of the budget of 80 (80 on 32-bit
	// platforms), and inlines where the compiler sees the type.
	//
	// The fast path returns by itself, in Read's own body: the compiler
	// then gives it a return of its own, laid out straight after the tests,
	// where Read is a call (an io.Reader). In a helper inlined into Read (as
	// it was) its return is shared with the slow path's, and the compiler
	// lays the fast path out after the slow path, reached by a jump, or
	// jumping to the return with register moves: a rewind and read-back of
	// 64 bytes through io.Reader then took 1.07 to 1.11 times as long on an
	// Intel Xeon, at the same instruction count. The slow path, through
	// callSlowRead, costs 25 of the budget.
	if n = min(len(p), b.ahead); n > 0 && (n == len(p) || b.aheadAll) {
		copy(p, unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b.win)), b.pos-b.winOff)), n))
		b.ahead -= n
		b.pos += int64(n)
		b.lastRead = opRead
		return
	}
	n, err = callSlowRead(b, p, slowRead)
	return
}

// overlaps reports whether p and m share memory.
func overlaps(p, m []byte) bool {
	if len(p) == 0 || len(m) == 0 {
		return false
	}
	ps, ms := uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(unsafe.Pointer(unsafe.SliceData(m)))
	return ps < ms+uintptr(len(m)) && ms < ps+uintptr(len(p))
}

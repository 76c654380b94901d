//go:build !purego

package buffer

// This file holds the package's uses of unsafe. The first is the slices of
// the window or chunk that the fast paths of Write, WriteString, WriteByte,
// AvailableBuffer, Read, ReadAt and WriteTo copy to or from, made without the
// bounds checks and pointer masking that ordinary slicing costs, which the
// compiler cannot drop as it does not know the invariants the callers checked
// (room <= len(win); see Buffer.room). That is 7 of the 40-odd instructions
// of a small Write, and it is what lets Write, WriteString and WriteByte fit
// the compiler's inlining budget (see appendTail). tail_safe.go holds the
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

// appendTail is Write's body: it copies p into the tail when p is 1 to room
// bytes long (see Buffer.room), else it returns slow(b, p), Write's slow
// path.
//
// It is written so that Write, only a call of it, fits the compiler's
// inlining budget of 80: then a Write where the compiler sees the type
// costs no call, as an append to a slice costs none. Two things make the
// room:
//   - The slow path is a parameter. The compiler charges a call through a
//     parameter 17, a call of a named function 57. The argument is
//     constant, so in the inlined code the call is direct (see slowWrite).
//   - The tail is sliced as in tailAt, written out: calling tailAt costs
//     18 more, tailPtr 4.
//
// TestInlining keeps Write inlinable. appendTail holds no debug check: a
// call there would make it too large to inline in debug builds, and leave
// the call of slow unresolved. Write checks the tail itself.
func appendTail(b *Buffer, p []byte, slow func(*Buffer, []byte) (int, error)) (n int, err error) {
	if n = len(p); uint(n-1) < uint(b.room) {
		copy((*[tailMask + 1]byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b.win)), len(b.win)-b.room))[:n&tailMask], p)
		b.room -= n
		b.pos += int64(n)
		b.size = b.pos
	} else {
		n, err = slow(b, p)
	}
	return
}

// appendTailString is appendTail for WriteString. It is written out, not
// generic, so that the inlined code needs no dictionary (and in the purego
// build, so that b and s do not escape).
func appendTailString(b *Buffer, s string, slow func(*Buffer, string) (int, error)) (n int, err error) {
	if n = len(s); uint(n-1) < uint(b.room) {
		copy((*[tailMask + 1]byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b.win)), len(b.win)-b.room))[:n&tailMask], s)
		b.room -= n
		b.pos += int64(n)
		b.size = b.pos
	} else {
		n, err = slow(b, s)
	}
	return
}

// putTail is WriteByte as appendTail is Write: it stores c at the start of
// the tail when there is one, else it returns slow(b, c).
func putTail(b *Buffer, c byte, slow func(*Buffer, byte) error) error {
	if b.room > 0 {
		*tailPtr(b) = c
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

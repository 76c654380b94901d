//go:build !purego

package buffer

// This file holds the package's one use of unsafe: the slices of the window
// or chunk that the fast paths of Write, WriteString, WriteByte,
// AvailableBuffer, Read, ReadAt and WriteTo copy to or from, made without the
// bounds checks and pointer masking that ordinary slicing costs, which the
// compiler cannot drop as it does not know the invariants the callers checked
// (room <= len(win); see Buffer.room). That is 7 of the 40-odd instructions
// of a small Write. tail_safe.go holds the same functions with ordinary
// slicing, chosen by the purego build tag; bytesio_debug builds check the
// invariants here.

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

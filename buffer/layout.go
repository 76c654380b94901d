package buffer

import "math/bits"

// A layout gives the chunk sizes of a buffer: chunk 0 holds 1<<first bytes;
// chunk i >= 1 holds 1<<(next+i-1) bytes while that is below 1<<max, and
// 1<<max bytes from then on. With next == first+1 the sizes simply double
// from the first chunk; a larger next lets the buffer grow at the size
// calibration picked after a first chunk kept small for small content.
// Offsets map to chunks by arithmetic, so finding the chunk for any offset
// costs the same at 0 and at 1 GiB. The zero layout is unset.
//
// Invariants of a set layout: 6 <= first <= max, first < next or
// first == next == max, next <= max.
type layout struct {
	first uint8 // log2 of the first chunk's size; 0 when unset
	next  uint8 // log2 of the second chunk's size
	max   uint8 // log2 of the largest chunk size
}

// newLayout returns the layout with chunk 0 of 1<<first bytes, chunks
// doubling from 1<<next (at least twice the first) up to 1<<max.
func newLayout(first, next, last int) layout {
	next = min(max(next, first+1), last)
	return layout{first: uint8(first), next: uint8(next), max: uint8(last)}
}

// locate returns the index of the chunk holding offset off, and the offset at
// which that chunk starts.
func (l layout) locate(off int64) (i int, start int64) {
	if i, start, ok := l.locateBig(off); ok {
		return i, start
	}
	// The shift counts are below 64; masking them says so to the compiler,
	// which then shifts without checking.
	f, n := uint(l.first)&63, uint(l.next)&63
	c0 := int64(1) << f
	if off < c0 {
		return 0, 0
	}
	i = bits.Len64(uint64((off-c0)>>n)+1) - 1
	return 1 + i, c0 + (int64(1)<<(uint(i)&63)-1)<<n
}

// locateBig is locate for an offset in a chunk of the largest size after
// chunk 0, where random access in large content mostly lands: it inlines.
// For any other offset, or an unset layout, it reports false.
func (l layout) locateBig(off int64) (i int, start int64, ok bool) {
	// The shift counts are below 64 (see locate).
	f, n, m := uint(l.first)&63, uint(l.next)&63, uint(l.max)&63
	// u is where chunk 1+m-n, the first of the largest size after chunk 0,
	// starts: past chunk 0 and the chunks from chunk 1 on that precede it,
	// which hold 1<<next + ... + 1<<(max-1) bytes.
	u := int64(1)<<f + int64(1)<<m - int64(1)<<n
	if off < u || l.first == 0 {
		return 0, 0, false
	}
	j := (off - u) >> m
	return 1 + int(m-n) + int(j), u + j<<m, true
}

// size returns the size of chunk i.
func (l layout) size(i int) int {
	if i == 0 {
		return 1 << (l.first & 63)
	}
	if k := int(l.max - l.next); i-1 < k {
		return 1 << (uint(int(l.next)+i-1) & 63)
	}
	return 1 << (l.max & 63)
}

// count returns how many chunks hold n bytes of content.
func (l layout) count(n int64) int {
	if n <= 0 {
		return 0
	}
	i, _ := l.locate(n - 1)
	return i + 1
}

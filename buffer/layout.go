package buffer

import "math/bits"

// A layout gives the chunk sizes of a buffer: chunk 0 holds 1<<first bytes;
// chunk i >= 1 holds 1<<(next+i-1) bytes while that is below 1<<max. From
// then on the chunks come in segments of segLen chunks of one size, 1<<max
// bytes in the first segment and twice as many in each one after it, up to
// 1<<top bytes, which every chunk past the segments holds. With
// next == first+1 the sizes simply double from the first chunk; a larger
// next lets the buffer grow at the size calibration picked after a first
// chunk kept small for small content. With top == max there are no
// segments: the sizes stop at 1<<max.
//
// The segments serve a pool whose calibration lowered max below its
// largest chunk size because most buffers are small: a rare large buffer
// then grows past 1<<max in fewer, larger chunks, and the last chunk's
// unused bytes stay within an eighth of the content before it (a chunk of
// a size above 1<<max starts at least segLen/2 times its size into the
// content).
//
// Offsets map to chunks by arithmetic, so finding the chunk for any offset
// costs the same at 0 and at 1 GiB. The zero layout is unset.
//
// Invariants of a set layout: 6 <= first <= max <= top, first < next or
// first == next == max, next <= max.
type layout struct {
	first uint8 // log2 of the first chunk's size; 0 when unset
	next  uint8 // log2 of the second chunk's size
	max   uint8 // log2 of the chunk size where doubling stops and segments start
	top   uint8 // log2 of the largest chunk size
	// big is where the first chunk of the largest size after chunk 0,
	// chunk 1+max-next+(top-max)*segLen, starts: past chunk 0, the chunks
	// that double from chunk 1 on, which hold 1<<next + ... + 1<<(max-1)
	// bytes, and the segments, which hold segLen<<max + ... +
	// segLen<<(top-1) bytes. It is kept so that locateBig inlines.
	big int64
}

// segShift is log2 of segLen, the number of chunks in a segment of the
// layout.
const (
	segShift = 4
	segLen   = 1 << segShift
)

// newLayout returns the layout with chunk 0 of 1<<first bytes, chunks
// doubling from 1<<next (at least twice the first) up to 1<<last, and no
// segments.
func newLayout(first, next, last int) layout {
	next = min(max(next, first+1), last)
	return layout{first: uint8(first), next: uint8(next), max: uint8(last)}.withTop(last)
}

// withTop returns l with segments up to chunks of 1<<top bytes (none when
// top <= max).
func (l layout) withTop(top int) layout {
	l.top = uint8(max(top, int(l.max)))
	f, n, m, t := uint(l.first), uint(l.next), uint(l.max), uint(l.top)
	l.big = int64(1)<<f + int64(1)<<m - int64(1)<<n + (int64(1)<<(t-m)-1)<<(m+segShift)
	return l
}

// locate returns the index of the chunk holding offset off, and the offset at
// which that chunk starts.
func (l layout) locate(off int64) (i int, start int64) {
	if i, start, ok := l.locateBig(off); ok {
		return i, start
	}
	// The shift counts are below 64; masking them says so to the compiler,
	// which then shifts without checking.
	f, n, m := uint(l.first)&63, uint(l.next)&63, uint(l.max)&63
	c0 := int64(1) << f
	if off < c0 {
		return 0, 0
	}
	// u is where chunk 1+max-next, the first of 1<<max bytes, starts.
	if u := c0 + int64(1)<<m - int64(1)<<n; off >= u {
		// In segment j, which starts at u + (2^j-1)<<(max+segShift) and
		// holds segLen chunks of 1<<(max+j) bytes.
		j := uint(bits.Len64(uint64((off-u)>>((m+segShift)&63))+1)-1) & 63
		s0 := u + (int64(1)<<j-1)<<((m+segShift)&63)
		k := (off - s0) >> ((m + j) & 63)
		return 1 + int(m-n) + int(j)<<segShift + int(k), s0 + k<<((m+j)&63)
	}
	i = bits.Len64(uint64((off-c0)>>n)+1) - 1
	return 1 + i, c0 + (int64(1)<<(uint(i)&63)-1)<<n
}

// locateBig is locate for an offset in a chunk of the largest size after
// chunk 0 and past the segments, where random access in large content
// mostly lands: it inlines. For any other offset, or an unset layout, it
// reports false.
func (l layout) locateBig(off int64) (i int, start int64, ok bool) {
	if off < l.big || l.first == 0 {
		return 0, 0, false
	}
	// The shift count is below 64 (see locate).
	t := uint(l.top) & 63
	j := (off - l.big) >> t
	return 1 + int(l.max-l.next) + int(l.top-l.max)<<segShift + int(j), l.big + j<<t, true
}

// size returns the size of chunk i.
func (l layout) size(i int) int {
	if i == 0 {
		return 1 << (l.first & 63)
	}
	k := int(l.max - l.next)
	if i-1 < k {
		return 1 << (uint(int(l.next)+i-1) & 63)
	}
	if s := i - 1 - k; s < int(l.top-l.max)<<segShift {
		return 1 << (uint(int(l.max)+s>>segShift) & 63)
	}
	return 1 << (l.top & 63)
}

// count returns how many chunks hold n bytes of content.
func (l layout) count(n int64) int {
	if n <= 0 {
		return 0
	}
	i, _ := l.locate(n - 1)
	return i + 1
}

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
	// sh holds the log2 sizes, each at most 24 (pool.MaxChunkLimit's), in
	// 5 bits each: first | next<<5 | max<<10 | top<<15, where first is the
	// first chunk's, next the second chunk's, max the size where doubling
	// stops and segments start, and top the largest; and from bit 20 the
	// index of the first chunk of the largest size after chunk 0,
	// 1+max-next+(top-max)*segLen, at most 307. 0 when unset.
	sh uint32
	// big is where that chunk starts: past chunk 0, the chunks that double
	// from chunk 1 on, which hold 1<<next + ... + 1<<(max-1) bytes, and the
	// segments, which hold segLen<<max + ... + segLen<<(top-1) bytes; below
	// 2^29. It and the index are kept so that locateBig inlines.
	big uint32
	// A layout is 8 bytes, as a Buffer has room for without growing into a
	// larger allocation size, in two fields, which the compiler keeps in
	// registers: with a field per size the layout sat in memory, written a
	// byte at a time and loaded whole, and a first write into a new buffer
	// took 30 ns more.
}

// segShift is log2 of segLen, the number of chunks in a segment of the
// layout.
const (
	segShift = 4
	segLen   = 1 << segShift
)

// makeLayout returns the layout of the given log2 sizes, which must keep
// the invariants of a set layout.
func makeLayout(first, next, last, top int) layout {
	f, n, m, t := uint(first), uint(next), uint(last), uint(top)
	mb := uint32(1) << m
	return layout{
		sh: uint32(f | n<<5 | m<<10 | t<<15 | (1+(m-n)+(t-m)<<segShift)<<20),
		// (2^(top-max)-1) << (max+segShift) is (2^top - 2^max) << segShift.
		big: 1<<f + mb - 1<<n + (1<<t-mb)<<segShift,
	}
}

// first, next, max and top return the log2 sizes, and bigIndex the index
// of the first chunk of the largest size after chunk 0 (see sh).
func (l layout) first() uint   { return uint(l.sh) & 31 }
func (l layout) next() uint    { return uint(l.sh>>5) & 31 }
func (l layout) max() uint     { return uint(l.sh>>10) & 31 }
func (l layout) top() uint     { return uint(l.sh>>15) & 31 }
func (l layout) bigIndex() int { return int(l.sh >> 20) }

// locate returns the index of the chunk holding offset off, and the offset at
// which that chunk starts.
func (l layout) locate(off int64) (i int, start int64) {
	if i, start, ok := l.locateBig(off); ok {
		return i, start
	}
	// The shift counts are below 64 (see sh); the masks say so to the
	// compiler, which then shifts without checking.
	f, n, m := l.first(), l.next(), l.max()
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
	if off < int64(l.big) || l.sh == 0 {
		return 0, 0, false
	}
	t := l.top()
	j := (off - int64(l.big)) >> t
	return l.bigIndex() + int(j), int64(l.big) + j<<t, true
}

// size returns the size of chunk i.
func (l layout) size(i int) int {
	switch n, m := l.next(), l.max(); {
	case i == 0:
		return 1 << l.first()
	case i <= int(m-n): // doubling from 1<<next
		return 1 << ((n + uint(i-1)) & 63)
	case i < l.bigIndex(): // in the segments
		return 1 << ((m + uint(i-1-int(m-n))>>segShift) & 63)
	}
	return 1 << l.top()
}

// count returns how many chunks hold n bytes of content.
func (l layout) count(n int64) int {
	if n <= 0 {
		return 0
	}
	i, _ := l.locate(n - 1)
	return i + 1
}

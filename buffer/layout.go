package buffer

import "math/bits"

// A layout gives the chunk sizes of a buffer: chunk i holds 1<<(first+i)
// bytes while that is below 1<<max, and 1<<max bytes from then on. Offsets
// map to chunks by arithmetic, so finding the chunk for any offset costs the
// same at 0 and at 1 GiB. The zero layout is unset.
type layout struct {
	first uint8 // log2 of the first chunk's size; 0 when unset
	max   uint8 // log2 of the largest chunk size; first <= max
}

// grown is the number of bytes held by the chunks that precede the first
// chunk of the largest size: 1<<first + ... + 1<<(max-1).
func (l layout) grown() int64 { return 1<<l.max - 1<<l.first }

// locate returns the index of the chunk holding offset off, and the offset at
// which that chunk starts.
func (l layout) locate(off int64) (i int, start int64) {
	if g := l.grown(); off >= g {
		j := (off - g) >> l.max
		return int(l.max-l.first) + int(j), g + j<<l.max
	}
	i = bits.Len64(uint64(off>>l.first)+1) - 1
	return i, (int64(1)<<i - 1) << l.first
}

// size returns the size of chunk i.
func (l layout) size(i int) int {
	if k := int(l.max - l.first); i < k {
		return 1 << (int(l.first) + i)
	}
	return 1 << l.max
}

// count returns how many chunks hold n bytes of content.
func (l layout) count(n int64) int {
	if n <= 0 {
		return 0
	}
	i, _ := l.locate(n - 1)
	return i + 1
}

package buffer_test

import (
	"bytes"
	"io"
	"math"
	"slices"

	"github.com/bytesio-go/bytesio/buffer"
)

// is64 reports whether int is 64 bits wide: far offsets (beyond what a 32-bit
// buffer may hold) are tried only then.
const is64 = math.MaxInt == math.MaxInt64

// denseMax is the largest content the ops runner compares whole; past it
// (content reaching far offsets) it compares small windows.
const denseMax = 256 << 10

// extent is a written run of bytes of a sparseModel. Its bytes are never
// modified once in the model, so snapshots may share them.
type extent struct {
	off int64
	b   []byte
}

func (e extent) end() int64 { return e.off + int64(len(e.b)) }

// sparseModel is the reference for Buffer used by the ops runner: the
// contract's semantics on a list of written extents, so that content reaching
// offset 1<<39 costs the model what was written, not the offset. Everything
// outside the extents, below the size, reads as zeros.
type sparseModel struct {
	ext    []extent // sorted by off, non-overlapping
	sz     int64
	pos    int64
	limit  int64
	closed bool
}

func newSparseModel() *sparseModel { return &sparseModel{limit: buffer.DefaultLimit} }

func (m *sparseModel) size() int64 { return m.sz }

func (m *sparseModel) avail() int64 { return max(0, m.sz-m.pos) }

func (m *sparseModel) reset() { m.ext, m.sz, m.pos = nil, 0, 0 }

// snapshot returns a copy of the content that later changes of m do not touch.
func (m *sparseModel) snapshot() *sparseModel {
	return &sparseModel{ext: slices.Clone(m.ext), sz: m.sz, limit: m.limit}
}

// cut removes [lo, hi) from the extents, splitting the ones that straddle it.
func (m *sparseModel) cut(lo, hi int64) {
	out := m.ext[:0:0]
	for _, e := range m.ext {
		if e.end() <= lo || e.off >= hi {
			out = append(out, e)
			continue
		}
		if e.off < lo {
			out = append(out, extent{e.off, e.b[:lo-e.off]})
		}
		if e.end() > hi {
			out = append(out, extent{hi, e.b[hi-e.off:]})
		}
	}
	m.ext = out
}

// writeAt writes p at off >= 0: zeros fill any gap, nothing changes for an
// empty p, and ErrTooLarge refuses a result past the limit.
func (m *sparseModel) writeAt(p []byte, off int64) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if off > m.limit-int64(len(p)) {
		return 0, buffer.ErrTooLarge
	}
	end := off + int64(len(p))
	m.cut(off, end)
	i, _ := slices.BinarySearchFunc(m.ext, off, func(e extent, off int64) int {
		return cmpInt64(e.off, off)
	})
	m.ext = slices.Insert(m.ext, i, extent{off, bytes.Clone(p)})
	m.sz = max(m.sz, end)
	return len(p), nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (m *sparseModel) write(p []byte) (int, error) {
	n, err := m.writeAt(p, m.pos)
	m.pos += int64(n)
	return n, err
}

// bytes returns the content in [off, off+n), clipped to the size; n must be
// small (the runner asks only for windows and for content below denseMax).
func (m *sparseModel) bytes(off, n int64) []byte {
	if off < 0 || n < 0 {
		panic("sparseModel.bytes: negative argument")
	}
	if off >= m.sz {
		return []byte{}
	}
	n = min(n, m.sz-off)
	if n > 4*denseMax {
		panic("sparseModel.bytes: window too large")
	}
	out := make([]byte, n)
	for _, e := range m.ext {
		if e.end() <= off || e.off >= off+n {
			continue
		}
		lo := max(e.off, off)
		copy(out[lo-off:], e.b[lo-e.off:])
	}
	return out
}

// all returns the whole content, which must be at most denseMax bytes.
func (m *sparseModel) all() []byte {
	if m.sz > denseMax {
		panic("sparseModel.all: content too large")
	}
	return m.bytes(0, m.sz)
}

// dense reports whether the content is small enough to compare whole.
func (m *sparseModel) dense() bool { return m.sz <= denseMax }

// rest returns the content from the position to the end (empty at or past
// the end); it must be at most denseMax bytes.
func (m *sparseModel) rest() []byte {
	if m.avail() > denseMax {
		panic("sparseModel.rest: too large")
	}
	return m.bytes(min(m.pos, m.sz), m.avail())
}

// indexByte returns the offset of the first c at or after from, or -1; c must
// not be 0 (the gaps hold zeros).
func (m *sparseModel) indexByte(from int64, c byte) int64 {
	for _, e := range m.ext {
		if e.end() <= from {
			continue
		}
		lo := max(e.off, from)
		if i := bytes.IndexByte(e.b[lo-e.off:], c); i >= 0 {
			return lo + int64(i)
		}
	}
	return -1
}

// readAt copies from off like io.ReaderAt.
func (m *sparseModel) readAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, buffer.ErrNegativeOffset
	}
	n := 0
	if off < m.sz {
		n = copy(p, m.bytes(off, int64(len(p))))
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (m *sparseModel) seek(off int64, whence int) (int64, error) {
	pos, err := modelSeek(off, whence, m.pos, m.sz)
	if err == nil {
		m.pos = pos
	}
	return pos, err
}

func (m *sparseModel) truncate(n int64) error {
	if n < 0 {
		return buffer.ErrNegativeSize
	}
	if n < m.sz {
		m.cut(n, m.sz)
		m.sz = n
	}
	return nil
}

// probes returns offsets worth reading around: both edges of each extent
// (at most count of them, starting at the one seed picks), the position and the
// end, and the middle of the content.
func (m *sparseModel) probes(seed, count int) []int64 {
	out := []int64{0, m.pos, m.sz - 3, m.sz / 2}
	if n := len(m.ext); n > 0 {
		for i := range min(n, count) {
			e := m.ext[(seed+i)%n]
			out = append(out, e.off-3, e.end()-3)
		}
	}
	for i, o := range out {
		out[i] = max(0, o)
	}
	return out
}

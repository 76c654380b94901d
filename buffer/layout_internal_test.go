package buffer

import (
	"testing"

	"github.com/bytesio-go/bytesio/pool"
)

// Every layout maps offsets to chunks consistently with the chunk sizes it
// gives: walking the chunks in order, each one starts where the previous
// ended, and locate finds it at its first and last byte; count agrees. The
// walk is independent of locate's arithmetic. The sizes grow by doubling up
// to 1<<max, then in segments of segLen chunks of one size up to 1<<top,
// and a chunk above 1<<max bytes starts at least segLen/2 times its size
// into the content.
func TestLayoutArithmetic(t *testing.T) {
	// The layout packs log2 sizes up to 24 and offsets below 2^32.
	if pool.MaxChunkLimit > 1<<24 || pool.MinChunkLimit < 1<<6 {
		t.Fatalf("pool.MaxChunkLimit %d, MinChunkLimit %d: layout needs sizes from 64 B to 16 MiB", pool.MaxChunkLimit, pool.MinChunkLimit)
	}
	for first := 6; first <= 24; first++ {
		for last := first; last <= 24; last++ {
			for next := first; next <= last+1; next++ {
				// Up to 4 segment sizes, and the most there can be (the
				// largest chunk size is at most 1<<24, pool.MaxChunkLimit).
				for top := last; top <= min(last+4, 24); top++ {
					checkLayout(t, testLayout(first, next, last, top), first, last, top)
				}
				if last+4 < 24 {
					checkLayout(t, testLayout(first, next, last, 24), first, last, 24)
				}
			}
		}
	}
}

// testLayout returns the layout with chunk 0 of 1<<first bytes, chunks
// doubling from 1<<next (at least twice the first) up to 1<<last, then
// segments up to 1<<top (none when top <= last).
func testLayout(first, next, last, top int) layout {
	return makeLayout(first, min(max(next, first+1), last), last, max(top, last))
}

func checkLayout(t *testing.T, l layout, first, last, top int) {
	t.Helper()
	var start int64
	chunks := 1 + int(l.max()-l.next()) + (top-last)*segLen + 3
	for i := range chunks {
		size := int64(l.size(i))
		switch {
		case i == 0 && size != 1<<first:
			t.Fatalf("%+v: chunk 0 holds %d; want %d", l, size, 1<<first)
		case size > 1<<top:
			t.Fatalf("%+v: chunk %d holds %d, over the largest size", l, i, size)
		case i > 0 && size < int64(l.size(i-1)):
			t.Fatalf("%+v: chunk %d holds %d, less than chunk %d", l, i, size, i-1)
		case i > 1 && size > 2*int64(l.size(i-1)):
			t.Fatalf("%+v: chunk %d holds %d, more than twice chunk %d", l, i, size, i-1)
		case size > 1<<last && start < segLen/2*size:
			t.Fatalf("%+v: chunk %d of %d bytes starts at %d, under %d times its size", l, i, size, start, segLen/2)
		case size > 1<<last && i >= segLen && l.size(i-segLen) == int(size):
			t.Fatalf("%+v: chunk %d holds %d, as do the %d before it", l, i, size, segLen)
		}
		for _, off := range []int64{start, start + size/2, start + size - 1} {
			if gi, gs := l.locate(off); gi != i || gs != start {
				t.Fatalf("%+v: locate(%d) = %d, %d; want %d, %d", l, off, gi, gs, i, start)
			}
			// locateBig answers for the chunks of the largest size after
			// chunk 0, and for no other.
			big := i > 0 && size == 1<<top
			if gi, gs, ok := l.locateBig(off); ok != big || ok && (gi != i || gs != start) {
				t.Fatalf("%+v: locateBig(%d) = %d, %d, %v; want %d, %d, %v", l, off, gi, gs, ok, i, start, big)
			}
		}
		if got := l.count(start + size); got != i+1 {
			t.Fatalf("%+v: count(%d) = %d; want %d", l, start+size, got, i+1)
		}
		start += size
	}
	if got := l.size(chunks - 1); got != 1<<top {
		t.Fatalf("%+v: chunk %d holds %d, not the largest size %d", l, chunks-1, got, 1<<top)
	}
	// Far offsets (within the platform's limit: chunk indexes are ints)
	// stay in chunks of the largest size.
	off := min(int64(1)<<40, maxInt-1)
	i, s := l.locate(off)
	if s > off || off-s >= 1<<top || l.size(i) != 1<<top {
		t.Fatalf("%+v: locate(%d) = %d, %d (size %d)", l, off, i, s, l.size(i))
	}
}

// An unset layout locates nothing by locateBig.
func TestLocateBigUnset(t *testing.T) {
	var l layout
	for _, off := range []int64{0, 1, 1 << 20} {
		if i, s, ok := l.locateBig(off); ok {
			t.Errorf("unset layout: locateBig(%d) = %d, %d, true; want false", off, i, s)
		}
	}
}

// A layout whose second chunk jumps to a larger size doubles from there.
func TestLayoutAfterSmallFirst(t *testing.T) {
	l := testLayout(12, 14, 20, 20) // 4 KiB, then 16 KiB, 32 KiB, ... 1 MiB
	want := []int{4 << 10, 16 << 10, 32 << 10, 64 << 10, 128 << 10, 256 << 10, 512 << 10, 1 << 20, 1 << 20}
	for i, w := range want {
		if got := l.size(i); got != w {
			t.Errorf("chunk %d holds %d; want %d", i, got, w)
		}
	}
}

// layoutAfter gives a layout that keeps the invariants of layout for every
// first chunk and calibration, also a first chunk larger than the largest
// size (kept from before calibration lowered it), and starts with that
// chunk.
func TestLayoutAfterInvariants(t *testing.T) {
	for f := 6; f <= 24; f++ {
		for m := 6; m <= 24; m++ {
			for calibrated := 6; calibrated <= m; calibrated++ {
				for _, top := range []int{m, m + 2, 24} {
					l := layoutAfter(f, calibrated, m, top)
					first, next, last := int(l.first()), int(l.next()), int(l.max())
					if first != f || l.size(0) != 1<<f || first > last || next > last || (first >= next && !(first == next && next == last)) || int(l.top()) != max(top, last) {
						t.Fatalf("layoutAfter(%d, %d, %d, %d) = %+v: breaks 6 <= first <= max <= top, first < next or first == next == max, next <= max", f, calibrated, m, top, l)
					}
				}
			}
		}
	}
}

package buffer

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/bytesio-go/bytesio/pool"
)

// tailAt and spanAt return the slices that ordinary slicing gives, same
// memory, length and capacity, for every argument their callers may pass,
// in the unsafe build (tail_unsafe.go) and the purego one alike.
func TestTailAtAndSpanAt(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	for range 20000 {
		w := make([]byte, 1+r.IntN(5000))
		room := 1 + r.IntN(len(w))
		n := r.IntN(room + 1)
		want := w[len(w)-room:][:n:n]
		if got := tailAt(w, room, n); !sameSlice(got, want) {
			t.Fatalf("tailAt(len %d, %d, %d): %s; want %s", len(w), room, n, describe(w, got), describe(w, want))
		}
		i := r.IntN(len(w))
		j := i + 1 + r.IntN(len(w)-i)
		want = w[i:j:j]
		if got := spanAt(w, i, j); !sameSlice(got, want) {
			t.Fatalf("spanAt(len %d, %d, %d): %s; want %s", len(w), i, j, describe(w, got), describe(w, want))
		}
	}
}

// sameSlice reports whether a and b are the same slice of memory.
func sameSlice(a, b []byte) bool {
	if len(a) != len(b) || cap(a) != cap(b) {
		return false
	}
	return cap(a) == 0 || &a[:1][0] == &b[:1][0]
}

// describe tells where s lies in w.
func describe(w, s []byte) string {
	for i := range w {
		if cap(s) > 0 && &w[i] == &s[:1][0] {
			return fmt.Sprintf("w[%d:] of len %d cap %d", i, len(s), cap(s))
		}
	}
	return fmt.Sprintf("len %d cap %d, not in w", len(s), cap(s))
}

// Reset makes a kept first chunk of up to SmallFirstChunk bytes the tail,
// so that the next append copies straight into it, and marks the buffer
// plain, so that its next Reset (or Put) takes the fast path; a larger one
// waits for the first write to check it against its bound (kept), with no
// tail. The second Reset of each size, on the chunk filled again, is the
// fast path's for a small chunk, and must leave the same state.
func TestResetKeepsSmallFirstChunkAsTail(t *testing.T) {
	for size := SmallFirstChunk / 4; size <= 4*SmallFirstChunk; size *= 2 {
		b := NewWithPool(firstChunkPool(t, size))
		for i := range 2 {
			fillFirstChunk(t, b, size)
			b.Reset()
			switch {
			case b.size != 0 || b.pos != 0:
				t.Errorf("Reset %d with a first chunk of %d: size %d, position %d; want 0, 0", i, size, b.size, b.pos)
			case size <= SmallFirstChunk && (b.room != size || b.kept || !b.plain):
				t.Errorf("Reset %d with a first chunk of %d: room %d, kept %v, plain %v; want room %d, not kept, plain", i, size, b.room, b.kept, b.plain, size)
			case size > SmallFirstChunk && (b.room != 0 || !b.kept || b.plain):
				t.Errorf("Reset %d with a first chunk of %d: room %d, kept %v, plain %v; want no room, kept, not plain", i, size, b.room, b.kept, b.plain)
			}
		}
		b.Close()
	}
}

// Truncate(0) empties the buffer as Reset does but leaves the position:
// after Python's reuse, seek(0) and truncate() in either order, the first
// chunk is kept, and for one of up to SmallFirstChunk bytes it is the tail,
// the buffer plain. Seek sets the tail again when it moves the position to
// the end (here 0), so that the next append copies straight into the chunk.
// A truncation from past the end keeps the position there, with no tail.
func TestTruncateZeroLeavesTail(t *testing.T) {
	for size := SmallFirstChunk / 4; size <= 4*SmallFirstChunk; size *= 2 {
		for _, order := range []string{"seek, truncate", "truncate, seek"} {
			b := NewWithPool(firstChunkPool(t, size))
			for i := range 2 {
				fillFirstChunk(t, b, size)
				ch := b.head[0]
				switch order {
				case "seek, truncate":
					b.Seek(0, io.SeekStart)
					b.Truncate(0)
				case "truncate, seek":
					b.Truncate(0)
					if b.pos != int64(size) || b.room != 0 || b.size != 0 {
						t.Errorf("%s %d with a first chunk of %d: position %d, room %d, size %d after Truncate(0); want %d, 0, 0",
							order, i, size, b.pos, b.room, b.size, size)
					}
					b.Seek(0, io.SeekStart)
				}
				switch {
				case b.size != 0 || b.pos != 0 || b.n != 1 || b.head[0] != ch:
					t.Errorf("%s %d with a first chunk of %d: size %d, position %d, %d chunks, same chunk %v; want 0, 0, the one kept",
						order, i, size, b.size, b.pos, b.n, b.head[0] == ch)
				case size <= SmallFirstChunk && (b.room != size || b.kept || !b.plain):
					t.Errorf("%s %d with a first chunk of %d: room %d, kept %v, plain %v; want room %d, not kept, plain",
						order, i, size, b.room, b.kept, b.plain, size)
				case size > SmallFirstChunk && (b.room != 0 || !b.kept || b.plain):
					t.Errorf("%s %d with a first chunk of %d: room %d, kept %v, plain %v; want no room, kept, not plain",
						order, i, size, b.room, b.kept, b.plain)
				}
			}
			b.Close()
		}
	}
}

// Put, like Reset, makes a bare buffer's first chunk the tail when it is of
// keepLo to SmallFirstChunk bytes, and marks the buffer plain, so that its
// next use appends straight into the chunk and its next Put takes the fast
// path; a larger first chunk is kept for the first write to check, with no
// tail. The pool's first size is the chunk's, which makes keepLo the
// chunk's size up to SmallFirstChunk: both ends of windowKept's range are
// met.
func TestPutKeepsSmallFirstChunkAsTail(t *testing.T) {
	for size := SmallFirstChunk / 4; size <= 4*SmallFirstChunk; size *= 2 {
		bp := NewPool(firstChunkPool(t, size))
		b := bp.Get()
		fillFirstChunk(t, b, size)
		bp.Put(b)
		if lo := min(size, SmallFirstChunk); b.keepLo != lo {
			t.Fatalf("first chunk of %d: keepLo %d after Put; want %d", size, b.keepLo, lo)
		}
		switch {
		case size <= SmallFirstChunk && (b.room != size || b.kept || !b.plain):
			t.Errorf("Put with a first chunk of %d: room %d, kept %v, plain %v; want room %d, not kept, plain", size, b.room, b.kept, b.plain, size)
		case size > SmallFirstChunk && (b.room != 0 || !b.kept || b.plain):
			t.Errorf("Put with a first chunk of %d: room %d, kept %v, plain %v; want no room, kept, not plain", size, b.room, b.kept, b.plain)
		}
	}
}

// firstChunkPool returns a chunk pool whose buffers take a first chunk of
// size bytes.
func firstChunkPool(t *testing.T, size int) *pool.Pool {
	t.Helper()
	p, err := pool.New(pool.Config{FirstChunk: size, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fillFirstChunk writes size bytes into the empty buffer b, whose first
// chunk they must fill exactly.
func fillFirstChunk(t *testing.T, b *Buffer, size int) {
	t.Helper()
	b.Write(bytes.Repeat([]byte{'x'}, size))
	if b.n != 1 || b.head[0] == nil || b.head[0].Size() != size {
		t.Fatalf("first chunk of %d: a write of %d left %d chunks", size, size, b.n)
	}
}

// overlaps never misses a slice p that lies within m, as a slice of a
// chunk lies within the chunk's memory, which unalias relies on, in either
// build; in the unsafe build it is exact for any two slices, so that
// unalias copies only a slice that shares a chunk's memory.
func TestOverlaps(t *testing.T) {
	a, other := make([]byte, 300), make([]byte, 300)
	exact := !overlaps(other[:10], a) // the purego build cannot tell
	for i := 0; i <= len(a); i += 7 {
		for j := i; j <= len(a); j += 11 {
			for k := 0; k <= len(a); k += 13 {
				for l := k; l <= len(a); l += 17 {
					p, m := a[i:j], a[k:l]
					share := i < l && k < j && i < j && k < l
					within := k <= i && j <= l && i < j
					if got := overlaps(p, m); within && !got || exact && got != share {
						t.Fatalf("overlaps(a[%d:%d], a[%d:%d]) = %v; want %v", i, j, k, l, got, share)
					}
					if got := overlaps(p, other[k:l]); got && exact {
						t.Fatalf("overlaps(a[%d:%d], other[%d:%d]) = true", i, j, k, l)
					}
				}
			}
		}
	}
}

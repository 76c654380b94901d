package buffer_test

import (
	"bytes"
	"io"
	"runtime"
	"testing"
	"weak"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// This file checks the documented memory bounds of a buffer at their edges,
// with expectations worked out from the doc comments (SmallFirstChunk,
// layoutAfter's growth rule, keepMax, NewBytes): content sizes at and next
// to powers of two, growth at exactly 4 times the first chunk, a spare of
// exactly SmallFirstChunk bytes. Cap shows the chunk memory a buffer holds.

// fixedPool returns a chunk pool without calibration whose new buffers
// start with first-byte chunks and grow up to 1 MiB, keeping no chunk given
// back (so that Cap counts only what a buffer holds).
func fixedPool(t *testing.T, first int) *pool.Pool {
	t.Helper()
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: first, MaxChunk: 1 << 20, NoCalibration: true, MaxRetained: -1})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// nextPow2 returns the smallest power of two at least n (n >= 1).
func nextPow2(n int) int {
	p := 1
	for p < n {
		p <<= 1
	}
	return p
}

// The first chunk of a buffer whose first write is of n bytes holds at most
// max(SmallFirstChunk, FirstChunkFactor × n rounded up to a power of two),
// whatever the pool's first size; a first write larger than the pool's
// first size gets a first chunk that holds it (the next power of two), and
// one that fits gets the pool's first size.
func TestFirstChunkBoundAtPowersOfTwo(t *testing.T) {
	large, small := fixedPool(t, 1<<20), fixedPool(t, 1<<10)
	for _, n := range []int{1, 255, 256, 257, 1 << 10, 1<<10 + 1, 4 << 10, 4<<10 + 1, 8 << 10, 8<<10 + 1} {
		// The pool's first size, 1 MiB, is above every bound here.
		b := buffer.NewWithPool(large)
		b.Write(pattern(n))
		if got, want := b.Cap(), int64(max(buffer.SmallFirstChunk, buffer.FirstChunkFactor*nextPow2(n))); got != want {
			t.Errorf("first size 1 MiB, first write of %d bytes: Cap %d; want the bound, %d", n, got, want)
		}
		b.Close()

		// The pool's first size, 1 KiB, is below every bound here.
		b = buffer.NewWithPool(small)
		b.Write(pattern(n))
		if got, want := b.Cap(), int64(max(1<<10, nextPow2(n))); got != want {
			t.Errorf("first size 1 KiB, first write of %d bytes: Cap %d; want %d", n, got, want)
		}
		b.Close()
	}
}

// A first chunk below the pool's first size is followed by a chunk of the
// first size when that is at most 4 times the first chunk, else by one of
// twice the first chunk.
func TestGrowthAfterSmallFirstChunk(t *testing.T) {
	for _, tt := range []struct {
		first int // the pool's first size
		next  int // the size of the second chunk
	}{
		{8 << 10, 8 << 10},   // twice the first chunk
		{16 << 10, 16 << 10}, // 4 times
		{32 << 10, 8 << 10},  // 8 times: chunks double
	} {
		b := buffer.NewWithPool(fixedPool(t, tt.first))
		b.Write(pattern(100)) // the bound is SmallFirstChunk: a 4 KiB first chunk
		if got := b.Cap(); got != buffer.SmallFirstChunk {
			t.Fatalf("first size %d: Cap after a first write of 100 bytes %d; want %d", tt.first, got, buffer.SmallFirstChunk)
		}
		b.Write(pattern(buffer.SmallFirstChunk - 100 + 1)) // one byte into the second chunk
		if got, want := b.Cap(), int64(buffer.SmallFirstChunk+tt.next); got != want {
			t.Errorf("first size %d: Cap past the first chunk %d; want %d (a second chunk of %d)", tt.first, got, want, tt.next)
		}
		b.Close()
	}
}

// A buffer given back to a Pool keeps its spare chunk (AvailableBuffer's)
// when it holds at most SmallFirstChunk bytes, and gives a larger one back.
func TestPutKeepsSpareUpToSmallFirstChunk(t *testing.T) {
	p := fixedPool(t, 1<<10)
	bp := buffer.NewPool(p)
	for _, grow := range []int{buffer.SmallFirstChunk, 2 * buffer.SmallFirstChunk} {
		b := bp.Get()
		b.Write(pattern(1 << 10)) // fills the first chunk: no room at the end
		b.Grow(grow)              // room in a spare chunk of grow bytes
		if got, want := b.Cap(), int64(1<<10+grow); got != want {
			t.Fatalf("Grow(%d) after 1 KiB: Cap %d; want %d", grow, got, want)
		}
		bp.Put(b)
		b = getBack(t, bp, b)
		want := int64(1 << 10)
		if grow <= buffer.SmallFirstChunk {
			want += int64(grow)
		}
		if got := b.Cap(); got != want {
			t.Errorf("spare of %d bytes: Cap after Put and Get %d; want %d", grow, got, want)
		}
		bp.Put(b)
	}
}

// Put keeps the chunk the content grew into when its size is exactly the
// lower end of the sizes kept, min(first size, SmallFirstChunk): here a
// buffer that took 1 KiB first chunks before calibration raised the pool's
// first size to 4 KiB keeps the 4 KiB chunk it grew into.
func TestPutKeepsChunkAtLowerKeepBound(t *testing.T) {
	p, bp := calibratedPool(t, 1<<10)
	content := pattern(8 << 10)
	b := bp.Get()
	writeIn(b, content, 1<<10) // chunks of 1, 2, 4 and 8 KiB
	if got := b.Cap(); got != 15<<10 {
		t.Fatalf("8 KiB in 1 KiB writes: Cap %d; want 15 KiB (chunks of 1, 2, 4 and 8 KiB)", got)
	}
	calibrateTo(t, p, 4<<10)
	bp.Put(b)
	b = getBack(t, bp, b)
	if got := b.Cap(); got != 4<<10 {
		t.Errorf("first size raised to 4 KiB: Cap after Put and Get %d; want 4 KiB, the chunk the content grew into", got)
	}
	bp.Put(b)
}

// A buffer made by NewBytes stops referring to the caller's slice after
// Reset, Close, Truncate(0) or a write (which copies the content into
// chunks): a long-lived buffer does not keep that memory alive.
func TestNewBytesDropsInitialContent(t *testing.T) {
	for _, tt := range []struct {
		name string
		drop func(b *buffer.Buffer)
	}{
		{"Reset", (*buffer.Buffer).Reset},
		{"Close", func(b *buffer.Buffer) { b.Close() }},
		{"Truncate(0)", func(b *buffer.Buffer) { b.Truncate(0) }},
		{"Write", func(b *buffer.Buffer) { b.Write([]byte("x")) }},
	} {
		initial := pattern(64 << 10)
		alive := weak.Make(&initial[0])
		b := buffer.NewBytes(initial)
		var one [1]byte
		b.Read(one[:]) // the window is on the initial content
		initial = nil
		tt.drop(b)
		runtime.GC()
		if alive.Value() != nil {
			t.Errorf("after %s the buffer still refers to the initial content", tt.name)
		}
		runtime.KeepAlive(b)
	}
}

// Cap counts every chunk of sparse content wherever the table keeps it: in
// its head, its first page, as the lone far chunk, and in far pages. With
// chunks of 64 bytes, chunk i holds [64i, 64i+64): chunk 0 is in the head,
// chunk 20 in the first page, and chunks from 72 on are far.
func TestCapOfSparseContent(t *testing.T) {
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 64, NoCalibration: true, MaxRetained: -1})
	if err != nil {
		t.Fatal(err)
	}
	b := buffer.NewWithPool(p)
	want := int64(0)
	for _, off := range []int64{0, 20 * 64, 1000 * 64, 100000 * 64, 100001 * 64, 300000 * 64} {
		if _, err := b.WriteAt([]byte{1}, off); err != nil {
			t.Fatal(err)
		}
		want += 64
		if got := b.Cap(); got != want {
			t.Errorf("after a byte written at %d: Cap %d; want %d (%d chunks of 64 bytes)", off, got, want, want/64)
		}
	}
	b.Close()
}

// A buffer reused with Reset for small content does not keep the memory of
// a large use: the first write after Reset checks the kept chunk against the
// bound for that write, with every writing method, as the first write after
// Put does, and Reset gives back a spare chunk larger than SmallFirstChunk.
// The content stays what was written.
func TestResetKeepsNoLargeChunkForSmallContent(t *testing.T) {
	big, err := pool.New(pool.Config{MinChunk: 64, MaxChunk: pool.MaxChunkLimit, NoCalibration: true, MaxRetained: -1})
	if err != nil {
		t.Fatal(err)
	}
	small := vtData(100, 5)
	writes := []struct {
		name  string
		write func(b *buffer.Buffer)
	}{
		{"Write", func(b *buffer.Buffer) { b.Write(small) }},
		{"Write after an empty Write", func(b *buffer.Buffer) { b.Write(nil); b.Write(small) }},
		{"WriteString", func(b *buffer.Buffer) { b.WriteString(string(small)) }},
		{"WriteByte", func(b *buffer.Buffer) {
			for _, c := range small {
				b.WriteByte(c)
			}
		}},
		{"WriteAt", func(b *buffer.Buffer) { b.WriteAt(small, 0); b.Seek(int64(len(small)), io.SeekStart) }},
		{"ReadFrom", func(b *buffer.Buffer) { b.ReadFrom(bytes.NewReader(small)) }},
		{"AvailableBuffer", func(b *buffer.Buffer) { b.Write(append(b.AvailableBuffer(), small...)) }},
	}
	// A bound of max(4 KiB, 16 × 128) = 4 KiB for the first chunk, and a
	// spare of at most SmallFirstChunk, which AvailableBuffer may lend, and
	// ReadFrom's small chunk (MinChunkLimit).
	const most = 2*buffer.SmallFirstChunk + pool.MinChunkLimit
	for _, p := range []*pool.Pool{big, fixedPool(t, 1<<10)} {
		for _, large := range []int{64 << 10, 1 << 20, 16 << 20} {
			for _, w := range writes {
				b := buffer.NewWithPool(p)
				b.Write(vtData(large, 1))
				b.Grow(1 << 20) // a spare chunk of 1 MiB
				b.AvailableBuffer()
				for round := range 3 {
					b.Reset()
					w.write(b)
					if got := b.Cap(); got > most {
						t.Errorf("MaxChunk %d, %d bytes, then Reset and %s of 100 bytes (round %d): Cap() = %d; want at most %d",
							p.Config().MaxChunk, large, w.name, round, got, most)
					}
					if got := b.String(); got != string(small) {
						t.Fatalf("%s after Reset: content of %d bytes; want the 100 written", w.name, len(got))
					}
				}
				b.Close()
			}
		}
	}
}

// A buffer that Put kept with a chunk larger than SmallFirstChunk, taken
// out again and Reset before its first write, still has that chunk checked
// by the first write.
func TestResetAfterGetChecksKeptChunk(t *testing.T) {
	bp, b := keptLarge(t)
	b.Reset()
	b.Write(vtData(100, 3))
	if got := b.Cap(); got > buffer.SmallFirstChunk {
		t.Errorf("Get, Reset, then a write of 100 bytes: Cap() = %d; want at most %d", got, buffer.SmallFirstChunk)
	}
	bp.Put(b)
}

// keptLarge returns a buffer that Put kept with a first chunk of 64 KiB,
// larger than SmallFirstChunk, taken out of its pool again, and that pool.
func keptLarge(t *testing.T) (*buffer.Pool, *buffer.Buffer) {
	t.Helper()
	bp := buffer.NewPool(fixedPool(t, 64<<10)) // Put keeps first chunks of up to 64 KiB
	b := bp.Get()
	b.Write(vtData(50_000, 2)) // a first chunk of 64 KiB
	bp.Put(b)
	b = getBack(t, bp, b) // under -race, sync.Pool may drop it
	if got := b.Cap(); got != 64<<10 {
		t.Fatalf("after Put and Get: Cap() = %d; want the 64 KiB chunk kept", got)
	}
	return bp, b
}

// The bound on first chunks holds for first writes that end far out, where
// FirstChunkFactor × the end passes any int (past 64 MiB on 32-bit
// platforms, past 2^59 on 64-bit ones): a kept chunk stays, and Reset
// promotes a chunk the content grew into, as nearer in.
func TestFirstChunkBoundFarOut(t *testing.T) {
	p := fixedPool(t, 1<<10) // chunks up to 1 MiB
	for _, end := range []int64{64<<20 + 1, 1<<31 - 1, 1<<59 + 5, 1 << 61} {
		if end > buffer.MaxLimit {
			continue
		}
		b := buffer.NewWithPool(p)
		b.SetLimit(buffer.MaxLimit)
		b.Write(vtData(8192, 1)) // a first chunk of 8 KiB, which Reset keeps
		b.Reset()
		b.WriteAt([]byte{1}, end-1) // far out: a first write whose bound passes any int
		if far := b.Cap() - 8192; far <= 0 || far&(far-1) != 0 || far > 1<<20 {
			t.Errorf("a first write ending at %d after Reset: Cap() = %d; want the kept 8 KiB and one chunk of up to 1 MiB", end, b.Cap())
		}
		b.Close()

		b = buffer.NewWithPool(p)
		b.SetLimit(buffer.MaxLimit)
		b.WriteAt([]byte{1}, end-1) // the first write: its bound passes any int
		b.WriteAt([]byte{2}, 1<<20+5)
		b.Reset() // keeps the largest chunk within the bound: the 1 MiB one
		if got := b.Cap(); got != 1<<20 {
			t.Errorf("first write ending at %d, then Reset: Cap() = %d; want 1 MiB", end, got)
		}
		b.Close()
	}
}

// For ReadFrom, the first read is the first write that bounds the chunk
// Reset keeps, also when that read goes into the tail of a chunk kept
// before: here 37 bytes, so however far the content grows, Reset keeps at
// most max(SmallFirstChunk, FirstChunkFactor × 64) (and the small chunk
// ReadFrom keeps, of pool.MinChunkLimit bytes).
func TestReadFromFirstReadBoundsKeptChunk(t *testing.T) {
	p := fixedPool(t, 1<<10)
	b := buffer.NewWithPool(p)
	defer b.Close()
	b.Write(pattern(100))
	b.Reset() // the 1 KiB first chunk is kept, as the room to append to
	if _, err := b.ReadFrom(&pieceReader{data: pattern(256 << 10)}); err != nil {
		t.Fatal(err)
	}
	if b.Size() != 256<<10 {
		t.Fatalf("ReadFrom read %d bytes; want %d", b.Size(), 256<<10)
	}
	b.Reset()
	if got, bound := b.Cap(), int64(max(buffer.SmallFirstChunk, buffer.FirstChunkFactor*nextPow2(37))+pool.MinChunkLimit); got > bound {
		t.Errorf("after a ReadFrom whose first read was 37 bytes, Reset keeps %d bytes of chunks; want at most %d", got, bound)
	}
}

package buffer_test

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// newSegmentPool returns a pool of the default configuration (MaxChunk
// 1 MiB, calibration on) whose calibration has seen only small buffers, so
// that it lowered the max chunk size to its 64 KiB floor: its large buffers
// grow past 64 KiB in segments of larger chunks.
func newSegmentPool(t *testing.T) *pool.Pool {
	t.Helper()
	p, err := pool.New(pool.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for range 4096 {
		p.Observe(100)
	}
	if _, last := p.Layout(); last != 64<<10 || p.Config().MaxChunk != 1<<20 {
		t.Fatalf("layout max %d, MaxChunk %d; want 64 KiB under 1 MiB", last, p.Config().MaxChunk)
	}
	return p
}

// A buffer whose chunks grow past the calibrated max size in segments holds
// its content as a plain slice does, across the boundaries of chunks of
// every size: appends, overwrites and writes past the end, reads, a view
// that an overwrite copies on write, and Truncate. It takes chunks of every
// size up to MaxChunk, and fewer than chunks of the max size alone would
// need.
func TestSegmentsHoldContent(t *testing.T) {
	p := newSegmentPool(t)
	rng := rand.New(rand.NewPCG(5, 6))
	random := func(n int) []byte {
		s := make([]byte, n)
		for i := range s {
			s[i] = byte(rng.Uint32() | 1) // never 0: a gap reads as zeros
		}
		return s
	}
	const size = 17 << 20
	b := buffer.NewWithPool(p)
	defer b.Close()
	var ref []byte
	for len(ref) < size {
		s := random(min(1+rng.IntN(64<<10), size-len(ref)))
		if n, err := b.Write(s); n != len(s) || err != nil {
			t.Fatalf("Write of %d bytes at %d: %d, %v", len(s), len(ref), n, err)
		}
		ref = append(ref, s...)
	}
	checkSegments(t, b, ref, rng)

	// 17 MiB in 64 KiB chunks alone would take 272 of them; in segments,
	// 68 here.
	st := p.Stats()
	if st.PeakChunksOut >= 136 {
		t.Errorf("17 MiB took %d chunks at most; want fewer than half of 272", st.PeakChunksOut)
	}
	for _, c := range st.Classes {
		if c.Size >= 128<<10 && c.Gets == 0 {
			t.Errorf("no chunk of %d bytes taken", c.Size)
		}
	}

	v := b.GetValue()
	snap := bytes.Clone(ref)
	for range 200 {
		off := rng.Int64N(int64(len(ref)) + 128<<10)
		s := random(1 + rng.IntN(300<<10))
		if n, err := b.WriteAt(s, off); n != len(s) || err != nil {
			t.Fatalf("WriteAt of %d bytes at %d: %d, %v", len(s), off, n, err)
		}
		if end := off + int64(len(s)); end > int64(len(ref)) {
			ref = append(ref, make([]byte, end-int64(len(ref)))...)
		}
		copy(ref[off:], s)
	}
	checkSegments(t, b, ref, rng)
	if got := v.Bytes(); !bytes.Equal(got, snap) {
		t.Errorf("the view changed with the buffer's overwrites")
	}
	v.Release()

	for range 8 {
		n := rng.Int64N(int64(len(ref)) + 1)
		if err := b.Truncate(n); err != nil {
			t.Fatalf("Truncate(%d): %v", n, err)
		}
		ref = ref[:n]
		off := n + rng.Int64N(256<<10) // past the end: a gap of zeros
		s := random(1 + rng.IntN(200<<10))
		if n, err := b.WriteAt(s, off); n != len(s) || err != nil {
			t.Fatalf("WriteAt of %d bytes at %d: %d, %v", len(s), off, n, err)
		}
		ref = append(ref, make([]byte, off+int64(len(s))-int64(len(ref)))...)
		copy(ref[off:], s)
		checkSegments(t, b, ref, rng)
	}
}

// checkSegments checks b's content against ref: whole, through Seek and
// io.ReadAll, and in random ReadAt spans.
func checkSegments(t *testing.T, b *buffer.Buffer, ref []byte, rng *rand.Rand) {
	t.Helper()
	if b.Size() != int64(len(ref)) {
		t.Fatalf("Size %d; want %d", b.Size(), len(ref))
	}
	if _, err := b.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(b)
	if err != nil || !bytes.Equal(got, ref) {
		t.Fatalf("content differs from the slice's (%d bytes, %v)", len(got), err)
	}
	for range 100 {
		off := rng.IntN(len(ref))
		p := make([]byte, min(1+rng.IntN(300<<10), len(ref)-off))
		if n, err := b.ReadAt(p, int64(off)); n != len(p) || err != nil && err != io.EOF || !bytes.Equal(p, ref[off:off+len(p)]) {
			t.Fatalf("ReadAt of %d bytes at %d: %d, %v, or the bytes differ", len(p), off, n, err)
		}
	}
}

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
func newSegmentPool(t testing.TB) *pool.Pool {
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

// segmentBoundaries returns offsets where chunks start in a buffer of
// newSegmentPool whose first write was small, as a script's mostly is:
// where the chunk size changes, up to the chunks of MaxChunk, and from the
// max on one chunk before and after each change. They are at most 32, as
// many as the decoder can pick (see opDecoder.targetAt).
func segmentBoundaries(t testing.TB) []int64 {
	t.Helper()
	b := buffer.NewWithPool(newSegmentPool(t))
	defer b.Close()
	b.Write(make([]byte, 100))
	b.Write(make([]byte, 17<<20))
	v := b.GetValue()
	defer v.Release()
	var starts, sizes []int64
	off := int64(0)
	for c := range v.Chunks() {
		starts, sizes = append(starts, off), append(sizes, int64(len(c)))
		off += int64(len(c))
	}
	var bounds []int64
	for i := 1; i < len(starts)-1; i++ {
		if sizes[i] == sizes[i-1] {
			continue
		}
		if sizes[i] > 64<<10 {
			bounds = append(bounds, starts[i-1])
		}
		bounds = append(bounds, starts[i])
		if sizes[i] >= 64<<10 {
			bounds = append(bounds, starts[i+1])
		}
	}
	if len(bounds) < 20 || len(bounds) > 32 || bounds[len(bounds)-1] < 15<<20 {
		t.Fatalf("%d boundaries up to %d; want 20 to 32, past 15 MiB", len(bounds), bounds[len(bounds)-1])
	}
	return bounds
}

// FuzzOpsSegments runs scripts of Buffer operations against the model, as
// FuzzOps does, on a pool whose buffers grow past the calibrated max chunk
// size in segments (newSegmentPool), with offsets at chunk boundaries taken
// from segmentBoundaries, up to 16 MiB, and far offsets in chunks of its
// MaxChunk. Each script gets a pool of its own, so that the sizes earlier
// scripts reported cannot move its calibration.
func FuzzOpsSegments(f *testing.F) {
	bounds := segmentBoundaries(f)
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script []byte) { runOpsSegments(t, script, bounds) })
}

// runOpsSegments runs script against the model on a new pool of
// newSegmentPool, whose chunks start at bounds (see segmentBoundaries), and
// returns the pool.
func runOpsSegments(t *testing.T, script []byte, bounds []int64) *pool.Pool {
	p := newSegmentPool(t)
	defer opsPools.Delete(p)
	runOpsAt(t, p, script, bounds)
	return p
}

// TestOpsRandomSegments runs random scripts, as TestOpsRandom does, on pools
// whose buffers grow in segments (see FuzzOpsSegments). At least one script
// in ten must take a chunk of a segment size (above the calibrated max,
// below MaxChunk), so that the scripts do reach the segments.
func TestOpsRandomSegments(t *testing.T) {
	bounds := segmentBoundaries(t)
	n, reached := scriptCount(200, 30, 60), 0
	runRandomScriptsWith(t, rand.NewPCG(7, 8), n, true, func(t *testing.T, script []byte) {
		for _, c := range runOpsSegments(t, script, bounds).Stats().Classes {
			if c.Size > 64<<10 && c.Size < 1<<20 && c.Gets > 0 {
				reached++
				break
			}
		}
	})
	if !t.Failed() && reached < n/10 {
		t.Errorf("%d of %d scripts took a chunk of a segment size; want at least %d", reached, n, n/10)
	}
	t.Logf("%d of %d scripts took a chunk of a segment size", reached, n)
}

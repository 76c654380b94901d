package pool_test

import (
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/bytesio-go/bytesio/pool"
)

// TestPeakOut holds known numbers of chunks out at once and checks the peaks
// against the bounds documented on Stats.PeakChunksOut: never below the true
// peak, above it by at most the chunks held for reuse in other classes, one
// chunk per class and processor, and (under the race detector) the puts
// sync.Pool let go.
func TestPeakOut(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // no GC: no chunk freed
	p := newPool(t, pool.Config{})
	sizes := []int{100, 1000, 5000} // classes of 128, 1024 and 8192 bytes
	hold := func(n int, sizes []int) (held []*pool.Chunk, bytes int64) {
		for i := range n {
			c := p.Get(sizes[i%len(sizes)])
			held = append(held, c)
			bytes += int64(c.Size())
		}
		return held, bytes
	}
	release := func(held []*pool.Chunk) {
		for _, c := range held {
			c.Release()
		}
	}
	// slack is the excess allowed over the chunks the pool could hold for
	// reuse: one per class and processor, and the puts race mode lets go.
	slack := func(released int) int64 {
		n := int64(len(sizes) * runtime.GOMAXPROCS(0))
		if raceEnabled {
			n += int64(released)
		}
		return n
	}
	check := func(step string, minChunks, maxChunks, minBytes, maxBytes int64) {
		t.Helper()
		s := p.Stats()
		if s.PeakChunksOut < minChunks || s.PeakChunksOut > maxChunks {
			t.Errorf("%s: PeakChunksOut = %d; want within [%d, %d]", step, s.PeakChunksOut, minChunks, maxChunks)
		}
		if s.PeakBytesOut < minBytes || s.PeakBytesOut > maxBytes {
			t.Errorf("%s: PeakBytesOut = %d; want within [%d, %d]", step, s.PeakBytesOut, minBytes, maxBytes)
		}
	}

	if s := p.Stats(); s.PeakChunksOut != 0 || s.PeakBytesOut != 0 {
		t.Fatalf("new pool: peaks %d chunks, %d bytes; want 0", s.PeakChunksOut, s.PeakBytesOut)
	}

	// A new pool has nothing to reuse: the peak is exact.
	held, b30 := hold(30, sizes)
	if b30 != 10*(128+1024+8192) {
		t.Fatalf("30 chunks hold %d bytes", b30)
	}
	check("30 held", 30, 30, b30, b30)
	release(held)
	check("30 released", 30, 30, b30, b30)

	// 60 at once, the first 30 reused: the peak is 60, plus at most the
	// slack (the classes are drained together, so none holds chunks for
	// reuse when the others allocate).
	held, b60 := hold(60, sizes)
	sl := slack(30)
	check("60 held", 60, 60+sl, b60, b60+sl*8192)
	release(held)

	// Fewer chunks out than before: the peak stays.
	held, _ = hold(20, sizes)
	release(held)
	check("20 held", 60, 60+sl, b60, b60+sl*8192)

	// 40 chunks of the smallest class while the other classes hold 40
	// chunks for reuse: the true peak is still 60 chunks, but the count
	// may pass it by what the other classes hold, as documented.
	sl = slack(60 + 20)
	held, _ = hold(40, sizes[:1])
	release(held)
	check("40 small held", 60, 40+40+sl, b60, max(b60, 40*128+20*(1024+8192))+sl*8192)
}

// Chunks the pool drops stop counting at once: with nothing retained, one
// chunk out at a time makes a peak of one.
func TestPeakOutDropped(t *testing.T) {
	p := newPool(t, pool.Config{MaxRetained: -1})
	for range 100 {
		p.Get(1000).Release()
	}
	if s := p.Stats(); s.Misses != 100 || s.PeakChunksOut != 1 || s.PeakBytesOut != 1024 {
		t.Fatalf("misses %d, peaks %d chunks, %d bytes; want 100, 1, 1024", s.Misses, s.PeakChunksOut, s.PeakBytesOut)
	}
}

// Chunks the garbage collector frees stop counting once, whether their
// holder never released them or the pool dropped them first: after the
// chunks of a first round are freed, a second round of n chunks out at once
// peaks at n.
func TestPeakOutFreed(t *testing.T) {
	for _, tt := range []struct {
		name  string
		round func(p *pool.Pool, n int) // takes n chunks, leaves them to the GC
	}{
		{"never released", func(p *pool.Pool, n int) {
			held := make([]*pool.Chunk, n) // all out at once
			for i := range held {
				held[i] = p.Get(1000)
			}
		}},
		{"dropped", func(p *pool.Pool, n int) {
			for range n {
				p.Get(1000).Release() // MaxRetained < 0: dropped at once
			}
		}},
	} {
		p := newPool(t, pool.Config{MaxRetained: -1})
		tt.round(p, 3)
		if s := p.Stats(); s.PeakChunksOut < 1 || s.PeakChunksOut > 3 {
			t.Fatalf("%s: first round peaks at %d chunks", tt.name, s.PeakChunksOut)
		}
		peak := p.Stats().PeakChunksOut
		if !gcUntil(p, 100, func(s pool.Stats) bool { return s.Freed >= 3 }) {
			t.Fatalf("%s: %d of 3 chunks freed after 100 GCs", tt.name, p.Stats().Freed)
		}
		var again []*pool.Chunk
		for range 4 {
			again = append(again, p.Get(1000))
		}
		if got := p.Stats().PeakChunksOut; got != max(peak, 4) {
			t.Errorf("%s: 4 chunks out after the first round was freed: peak %d, want %d", tt.name, got, max(peak, 4))
		}
		for _, c := range again {
			c.Release()
		}
	}
}

package pool_test

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/bytesio-go/bytesio/pool"
)

// mix is a weighted set of buffer sizes.
type mix []struct {
	size   int64
	weight int
}

// feed observes n sizes drawn from m with a fixed seed.
func feed(p *pool.Pool, m mix, n int, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 1))
	total := 0
	for _, e := range m {
		total += e.weight
	}
	for range n {
		w := r.IntN(total)
		for _, e := range m {
			if w -= e.weight; w < 0 {
				p.Observe(e.size)
				break
			}
		}
	}
}

func layout(p *pool.Pool) string {
	f, m := p.Layout()
	return fmt.Sprintf("first=%d max=%d", f, m)
}

func TestCalibrationConverges(t *testing.T) {
	const n = 40_000
	tests := []struct {
		name      string
		c         pool.Config
		mix       mix
		wantFirst int
		wantMax   int
	}{
		{"all-1KiB", pool.Config{}, mix{{1024, 1}}, 1 << 10, 64 << 10},
		{"all-1000B", pool.Config{}, mix{{1000, 1}}, 1 << 10, 64 << 10},
		{"90%1KiB+10%60KiB", pool.Config{}, mix{{1 << 10, 9}, {60 << 10, 1}}, 1 << 10, 64 << 10},
		{"90%1KiB+10%200KiB", pool.Config{}, mix{{1 << 10, 9}, {200 << 10, 1}}, 1 << 10, 256 << 10},
		{"bimodal-64B+4MiB", pool.Config{MaxChunk: 8 << 20}, mix{{64, 6}, {4 << 20, 4}}, 64, 4 << 20},
		{"bimodal-64B+4MiB/MaxChunk=1MiB", pool.Config{}, mix{{64, 6}, {4 << 20, 4}}, 64, 1 << 20},
		{"tiny/MaxChunk=4KiB", pool.Config{MaxChunk: 4 << 10}, mix{{10, 1}}, 64, 4 << 10},
		{"huge-median", pool.Config{}, mix{{16 << 20, 1}}, 1 << 20, 1 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPool(t, tt.c)
			feed(p, tt.mix, n, 1)
			want := fmt.Sprintf("first=%d max=%d", tt.wantFirst, tt.wantMax)
			if got := layout(p); got != want {
				t.Fatalf("after %d observations: %s, want %s", n, got, want)
			}
			s := p.Stats()
			if s.FirstChunk != tt.wantFirst || s.MaxChunk != tt.wantMax || s.LayoutChanges == 0 || s.LayoutChanged.IsZero() {
				t.Errorf("stats: first %d, max %d, changes %d at %v", s.FirstChunk, s.MaxChunk, s.LayoutChanges, s.LayoutChanged)
			}
		})
	}
}

func TestCalibrationFollowsShift(t *testing.T) {
	p := newPool(t, pool.Config{})
	feed(p, mix{{1 << 10, 1}}, 20_000, 1)
	if got, want := layout(p), "first=1024 max=65536"; got != want {
		t.Fatalf("first half: %s, want %s", got, want)
	}
	feed(p, mix{{16 << 10, 8}, {500 << 10, 2}}, 20_000, 2)
	if got, want := layout(p), "first=16384 max=524288"; got != want {
		t.Fatalf("after the shift: %s, want %s", got, want)
	}
}

func TestCalibrationRecoversFromBurst(t *testing.T) {
	p := newPool(t, pool.Config{})
	steady := mix{{1 << 10, 9}, {60 << 10, 1}}
	feed(p, steady, 20_000, 1)
	feed(p, mix{{4 << 20, 1}}, 2_000, 2) // a burst: 10% of the window
	feed(p, steady, 20_000, 3)
	if got, want := layout(p), "first=1024 max=65536"; got != want {
		t.Fatalf("after the burst and 20k steady sizes: %s, want %s", got, want)
	}
}

func TestNoCalibration(t *testing.T) {
	p := newPool(t, pool.Config{NoCalibration: true, FirstChunk: 4096, MaxChunk: 1 << 18})
	feed(p, mix{{100 << 10, 1}}, 20_000, 1)
	if got, want := layout(p), "first=4096 max=262144"; got != want {
		t.Fatalf("calibration off: %s, want %s", got, want)
	}
	s := p.Stats()
	if len(s.Sizes) != 1 || s.Sizes[0].Max != 128<<10 || s.Sizes[0].Count == 0 || s.LayoutChanges != 0 {
		t.Fatalf("calibration off: sizes %+v, changes %d", s.Sizes, s.LayoutChanges)
	}
}

func TestTooFewObservations(t *testing.T) {
	p := newPool(t, pool.Config{})
	feed(p, mix{{100 << 10, 1}}, 40, 1)
	if got, want := layout(p), "first=1024 max=1048576"; got != want {
		t.Fatalf("40 observations: %s, want %s", got, want)
	}
}

func TestHistogramDecays(t *testing.T) {
	p := newPool(t, pool.Config{})
	feed(p, mix{{1 << 10, 1}}, 100_000, 1)
	var sum uint64
	for _, c := range p.Stats().Sizes {
		sum += c.Count
	}
	// 8 shards, each halving when a count reaches 1024.
	if sum < 8*512 || sum > 8*1024 {
		t.Fatalf("decayed count after 100k observations = %d, want within [4096, 8192]", sum)
	}
}

// Sizes observed on a chunk that is never given back (a buffer reset again
// and again keeps its first chunk) still reach the histogram: all but the
// last 63 of them.
func TestChunkObserveWithoutRelease(t *testing.T) {
	p := newPool(t, pool.Config{})
	c := p.Get(1000)
	defer c.Release()
	const n = 1000
	for range n {
		c.Observe(3000)
	}
	var got uint64
	for _, sc := range p.Stats().Sizes {
		if sc.Max != 4096 {
			t.Errorf("histogram has %d sizes up to %d; only 3000 was observed", sc.Count, sc.Max)
		}
		got += sc.Count
	}
	if got < n-63 || got > n {
		t.Errorf("%d sizes observed on a held chunk; histogram holds %d, want within [%d, %d]", n, got, n-63, n)
	}
	if first, _ := p.Layout(); first != 4096 {
		t.Errorf("after %d sizes of 3000 bytes: first chunk %d, want 4096", n, first)
	}
}

// Sizes observed on a chunk reach the histogram, each in its own class,
// once the chunk is given back: kept for reuse (its first put in a GC
// epoch flushes its tallies) or dropped.
func TestChunkObserveReachesHistogram(t *testing.T) {
	for _, retained := range []int64{0, -1} { // the default bound, or keep nothing
		p := newPool(t, pool.Config{NoCalibration: true, MaxRetained: retained})
		c := p.Get(1000)
		for range 10 {
			c.Observe(3000) // class (2048, 4096]
		}
		c.Observe(100) // class (64, 128]: the 10 before are flushed
		for range 5 {
			c.Observe(3000)
		}
		c.Release()
		got := map[int64]uint64{}
		for _, sc := range p.Stats().Sizes {
			got[sc.Max] = sc.Count
		}
		if want := map[int64]uint64{4096: 15, 128: 1}; !maps.Equal(got, want) {
			t.Errorf("MaxRetained %d: histogram after Release %v; want %v", retained, got, want)
		}
	}
}

// The histogram's classes are (Max/2, Max]; the last, Max == 1<<47, also
// counts every larger size.
func TestObserveLastClass(t *testing.T) {
	p := newPool(t, pool.Config{NoCalibration: true})
	for _, size := range []int64{1<<46 + 1, 1 << 47, 1<<47 + 1, 1 << 50, math.MaxInt64, 1 << 46} {
		p.Observe(size)
	}
	got := map[int64]uint64{}
	for _, sc := range p.Stats().Sizes {
		got[sc.Max] = sc.Count
	}
	if want := map[int64]uint64{1 << 47: 5, 1 << 46: 1}; !maps.Equal(got, want) {
		t.Errorf("histogram %v; want %v", got, want)
	}
}

// ObserveN records what n calls of Observe record; n <= 0 records nothing.
func TestObserveN(t *testing.T) {
	a, err := pool.New(pool.Config{NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := pool.New(pool.Config{NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		size int64
		n    int
	}{{0, 3}, {1, 2}, {100, 64}, {5000, 1}, {1 << 40, 7}, {300, 0}, {300, -5}} {
		a.ObserveN(tt.size, tt.n)
		for range max(tt.n, 0) {
			b.Observe(tt.size)
		}
	}
	if got, want := a.Stats().Sizes, b.Stats().Sizes; !slices.Equal(got, want) {
		t.Errorf("ObserveN recorded %v; n calls of Observe record %v", got, want)
	}
}

// A large n decays the histogram as n calls of Observe would: the counts
// stay within what 8 shards that halve at 1024 hold (TestHistogramDecays),
// older sizes fade, and calibration follows the sizes observed, even for n
// up to math.MaxInt, which once wrapped the counts.
func TestObserveNLarge(t *testing.T) {
	for _, n := range []int{1 << 20, math.MaxInt32 - 12345, math.MaxInt} {
		p := newPool(t, pool.Config{})
		feed(p, mix{{100, 1}}, 10_000, 1) // an older size, to fade
		for range 256 {                   // each call picks a shard: all 8 get some
			p.ObserveN(1<<20, n)
		}
		var sum uint64
		for _, c := range p.Stats().Sizes {
			sum += c.Count
			if c.Max == 128 && c.Count != 0 {
				t.Errorf("n=%d: the older size still counts %d", n, c.Count)
			}
		}
		if sum == 0 || sum > 8*1024 {
			t.Errorf("n=%d: decayed count %d; want within (0, 8192]", n, sum)
		}
		// Only 1 MiB buffers count now: median and p95 are 1 MiB.
		if first, maxc := p.Layout(); first != 1<<20 || maxc != 1<<20 {
			t.Errorf("n=%d: Layout() = %d, %d; want 1 MiB, 1 MiB", n, first, maxc)
		}
	}
}

// Calibration keeps the layout within the pool's classes with the first
// chunk no larger than the max, whatever sizes it sees, also where the
// classes lie above the 64 KiB floor of the max (MinChunk 128 KiB) or below
// it (MaxChunk 1 KiB).
func TestCalibratedLayoutWithinClasses(t *testing.T) {
	for _, c := range []pool.Config{
		{MinChunk: 128 << 10, MaxChunk: 1 << 20},
		{MinChunk: 64, MaxChunk: 1 << 10},
		{},
	} {
		for _, m := range []mix{{{10, 1}}, {{100, 9}, {1 << 20, 1}}, {{8 << 20, 1}}, {{300 << 10, 1}}} {
			p := newPool(t, c)
			feed(p, m, 10_000, 1)
			first, maxc := p.Layout()
			cfg := p.Config()
			if first < cfg.MinChunk || first > maxc || maxc > cfg.MaxChunk {
				t.Errorf("config %+v, sizes %v: Layout() = %d, %d; want MinChunk <= first <= max <= MaxChunk", c, m, first, maxc)
			}
		}
	}
}

// ObserveN of many buffers weighs as that many calls of Observe: after a
// calibration on small buffers, a batch of a million buffers of 1 MiB moves
// the layout where a million calls do. Put in one shard of the histogram,
// the batch once weighed as about a thousand, and the first chunk stayed
// at 128 bytes.
func TestObserveNWeighsAsObserve(t *testing.T) {
	const n = 1 << 20
	one, err := pool.New(pool.Config{})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := pool.New(pool.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for range 200000 {
		one.Observe(100)
		batch.Observe(100)
	}
	for range n {
		one.Observe(1 << 20)
	}
	batch.ObserveN(1<<20, n)
	f1, m1 := one.Layout()
	f2, m2 := batch.Layout()
	if f1 != f2 || m1 != m2 || f1 != 1<<20 {
		t.Errorf("layout after %d sizes of 1 MiB: (%d, %d) by Observe, (%d, %d) by ObserveN; want both (%d, %d)", n, f1, m1, f2, m2, 1<<20, m1)
	}
}

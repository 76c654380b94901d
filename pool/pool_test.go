package pool_test

import (
	"encoding/json"
	"errors"
	"expvar"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bytesio-go/bytesio/pool"
)

func TestNewConfigErrors(t *testing.T) {
	// The message names the field and the range it must be in.
	tests := []struct {
		name string
		c    pool.Config
		msg  string
	}{
		{"MinChunk=32", pool.Config{MinChunk: 32}, "MinChunk = 32; want a power of two from MinChunkLimit (64) to MaxChunkLimit (16777216)"},
		{"MinChunk=100", pool.Config{MinChunk: 100}, "MinChunk = 100; want a power of two from MinChunkLimit (64) to MaxChunkLimit (16777216)"},
		{"MaxChunk<MinChunk", pool.Config{MinChunk: 1024, MaxChunk: 512}, "MaxChunk = 512; want a power of two from MinChunk (1024) to MaxChunkLimit (16777216)"},
		{"MaxChunk>limit", pool.Config{MaxChunk: pool.MaxChunkLimit * 2}, "MaxChunk = 33554432; want a power of two from MinChunk (64) to MaxChunkLimit (16777216)"},
		{"FirstChunk>MaxChunk", pool.Config{MaxChunk: 4096, FirstChunk: 8192}, "FirstChunk = 8192; want a power of two from MinChunk (64) to MaxChunk (4096)"},
		{"FirstChunk=3000", pool.Config{FirstChunk: 3000}, "FirstChunk = 3000; want a power of two from MinChunk (64) to MaxChunk (1048576)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pool.New(tt.c)
			if !errors.Is(err, pool.ErrConfig) {
				t.Fatalf("New(%+v) error = %v, want ErrConfig", tt.c, err)
			}
			if want := "pool: invalid config: " + tt.msg; err.Error() != want {
				t.Errorf("New(%+v) error = %q; want %q", tt.c, err, want)
			}
		})
	}
	p := newPool(t, pool.Config{})
	if got := p.Config(); got.MinChunk != pool.DefaultMinChunk || got.MaxChunk != pool.DefaultMaxChunk ||
		got.FirstChunk != pool.DefaultFirstChunk || got.MaxRetained != pool.DefaultMaxRetained {
		t.Fatalf("Config() = %+v, want defaults", got)
	}
	// Zeros take their defaults clamped to the sizes that are set.
	for _, tt := range []struct {
		c               pool.Config
		min, max, first int
		ret             int64
	}{
		{pool.Config{MinChunk: 64 << 10}, 64 << 10, pool.DefaultMaxChunk, 64 << 10, pool.DefaultMaxRetained},
		{pool.Config{MaxChunk: 256}, pool.DefaultMinChunk, 256, 256, pool.DefaultMaxRetained},
		{pool.Config{MinChunk: 4 << 20}, 4 << 20, 4 << 20, 4 << 20, pool.DefaultMaxRetained},
	} {
		p, err := pool.New(tt.c)
		if err != nil {
			t.Errorf("New(%+v): %v", tt.c, err)
			continue
		}
		if got := p.Config(); got.MinChunk != tt.min || got.MaxChunk != tt.max || got.FirstChunk != tt.first || got.MaxRetained != tt.ret {
			t.Errorf("New(%+v).Config() = %+v; want MinChunk %d, MaxChunk %d, FirstChunk %d, MaxRetained %d", tt.c, got, tt.min, tt.max, tt.first, tt.ret)
		}
	}
}

func TestGetSizeClasses(t *testing.T) {
	p := newPool(t, pool.Config{MinChunk: 64, MaxChunk: 1 << 16})
	for _, tt := range []struct{ size, want int }{
		{math.MinInt, 64}, {-1, 64}, {0, 64}, {1, 64}, {64, 64}, {65, 128}, {1000, 1024}, {1024, 1024},
		{1025, 2048}, {1 << 16, 1 << 16}, {1<<16 + 1, 1 << 16}, {1 << 30, 1 << 16}, {math.MaxInt, 1 << 16},
	} {
		c := p.Get(tt.size)
		if c.Size() != tt.want || len(c.Bytes()) != tt.want || cap(c.Bytes()) != tt.want {
			t.Errorf("Get(%d): Size %d, len %d, cap %d; want %d", tt.size, c.Size(), len(c.Bytes()), cap(c.Bytes()), tt.want)
		}
		c.Release()
	}
}

func TestChunkRefs(t *testing.T) {
	p := newPool(t, pool.Config{})
	c := p.Get(100)
	if c.Shared() {
		t.Fatal("fresh chunk is shared")
	}
	c.Retain()
	if !c.Shared() {
		t.Fatal("retained chunk is not shared")
	}
	c.Release()
	if c.Shared() {
		t.Fatal("chunk shared after one of two holders released it")
	}
	c.Release()
	defer func() {
		if recover() == nil {
			t.Fatal("Release of a released chunk did not panic")
		}
	}()
	c.Release()
}

// Retain or Release of a released chunk panics and leaves its count as it
// was: the chunk went back to the pool once, and the next two Gets of its
// size hand out two different chunks.
func TestRetainUnheldPanics(t *testing.T) {
	p := newPool(t, pool.Config{})
	c := p.Get(100)
	c.Release()
	panics := func(f func()) (p bool) {
		defer func() { p = recover() != nil }()
		f()
		return false
	}
	if !panics(c.Retain) {
		t.Fatal("Retain of a released chunk did not panic")
	}
	if !panics(c.Release) {
		t.Fatal("Release after a Retain that panicked did not panic")
	}
	if !panics(c.Release) {
		t.Fatal("a second Release of a released chunk did not panic")
	}
	if !panics(c.Retain) {
		t.Fatal("Retain after Releases that panicked did not panic")
	}
	a, b := p.Get(100), p.Get(100)
	if &a.Bytes()[0] == &b.Bytes()[0] {
		t.Errorf("two Gets handed out the same chunk: it went back to the pool twice")
	}
	a.Release()
	b.Release()
}

func TestGetPutAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops puts at random under the race detector")
	}
	p := newPool(t, pool.Config{})
	p.Get(4096).Release()
	if n := testing.AllocsPerRun(1000, func() { p.Get(4096).Release() }); n != 0 {
		t.Fatalf("Get+Release allocates %v times, want 0", n)
	}
}

// gcUntil runs up to n GCs, a millisecond apart (finalizers and cleanups
// run in a goroutine of their own), until done holds for p's statistics,
// and reports whether it came to hold.
func gcUntil(p *pool.Pool, n int, done func(pool.Stats) bool) bool {
	for range n {
		if done(p.Stats()) {
			return true
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	return done(p.Stats())
}

// waitFreed runs GCs until every chunk p allocated has been freed, so that
// all tallies are flushed. It gives up after many rounds.
func waitFreed(t *testing.T, p *pool.Pool) pool.Stats {
	t.Helper()
	for range 1000 {
		runtime.GC()
		if s := p.Stats(); s.Freed == s.Misses {
			return s
		}
		time.Sleep(time.Millisecond)
	}
	s := p.Stats()
	t.Fatalf("chunks still alive after 1000 GCs: misses %d, freed %d", s.Misses, s.Freed)
	return s
}

func TestCountersAddUp(t *testing.T) {
	const goroutines = 8
	n := 100_000
	if testing.Short() || raceEnabled {
		n = 20_000
	}
	p := newPool(t, pool.Config{MaxRetained: 16 << 10})
	sizes := []int{64, 1000, 4096, 8000}
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			held := make([]*pool.Chunk, 0, 16)
			for i := range n {
				held = append(held, p.Get(sizes[(g+i)%len(sizes)]))
				if len(held) == cap(held) || i == n-1 {
					for _, c := range held {
						c.Release()
					}
					held = held[:0]
				}
			}
		})
	}
	wg.Wait()
	total := int64(goroutines * n)

	s := p.Stats()
	alive := s.Misses - s.Freed
	if s.Gets > total || s.Gets < total-63*alive {
		t.Errorf("before GC: gets %d, want within [%d, %d]", s.Gets, total-63*alive, total)
	}
	if s.Drops == 0 {
		t.Errorf("no drops with MaxRetained 16 KiB and 16 chunks up to 8 KiB held: drops %d", s.Drops)
	}

	s = waitFreed(t, p)
	if s.Gets != total || s.Hits+s.Misses != total {
		t.Errorf("gets %d = hits %d + misses %d, want %d", s.Gets, s.Hits, s.Misses, total)
	}
	if s.Puts+s.Drops != total {
		t.Errorf("puts %d + drops %d = %d, want %d", s.Puts, s.Drops, s.Puts+s.Drops, total)
	}
	var handed int64
	for _, c := range s.Classes {
		if c.Gets != c.Hits+c.Misses {
			t.Errorf("class %d: gets %d != hits %d + misses %d", c.Size, c.Gets, c.Hits, c.Misses)
		}
		handed += c.Gets * int64(c.Size)
	}
	if want := int64(goroutines*n/len(sizes)) * (64 + 1024 + 4096 + 8192); handed != want || s.BytesHandedOut != want {
		t.Errorf("bytes handed out: classes %d, total %d; want %d", handed, s.BytesHandedOut, want)
	}
}

func TestRetentionAfterBurst(t *testing.T) {
	const (
		limit = 64 << 20
		chunk = 1 << 20
		batch = 128 // chunks held at once: 128 MiB
	)
	burst := 1 << 30
	if testing.Short() || raceEnabled {
		burst = 512 << 20
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	p := newPool(t, pool.Config{MaxChunk: chunk, MaxRetained: limit})
	held := make([]*pool.Chunk, 0, batch)
	for range burst / (batch * chunk) {
		for range batch {
			c := p.Get(chunk)
			c.Bytes()[0] = 1 // touch it
			held = append(held, c)
		}
		for _, c := range held {
			c.Release()
		}
		held = held[:0]
		if r := p.Stats().RetainedBytes; r > limit {
			t.Fatalf("retained %d > limit %d during the burst", r, limit)
		}
	}
	s := p.Stats()
	if s.Drops == 0 || s.RetainedBytes == 0 {
		t.Fatalf("burst of %d MiB with a %d MiB cap: retained %d, drops %d", burst>>20, limit>>20, s.RetainedBytes, s.Drops)
	}

	runtime.GC()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if r := p.Stats().RetainedBytes; r > limit {
		t.Errorf("after two GCs: retained %d > limit %d", r, limit)
	}
	if grown := int64(after.HeapInuse) - int64(before.HeapInuse); grown > limit+8<<20 {
		t.Errorf("after two GCs: HeapInuse grew by %d MiB, limit %d MiB", grown>>20, limit>>20)
	}

	// With no traffic the estimate decays to nothing as sync.Pool lets go.
	if !gcUntil(p, 20, func(s pool.Stats) bool { return s.RetainedBytes == 0 }) {
		t.Fatalf("retained %d after 20 GCs without traffic", p.Stats().RetainedBytes)
	}
	// And the pool keeps chunks again.
	p.Get(chunk).Release()
	if r := p.Stats().RetainedBytes; r != chunk {
		t.Errorf("after the decay, one chunk put back: retained %d, want %d", r, chunk)
	}
}

// The retention bound counts a chunk for three GC epochs after it entered
// the pool, not for as long as it lives: chunks put back, then taken out
// again and held, still count one or two epochs later, leave the estimate
// after three, and the pool keeps new chunks again up to its bound.
func TestRetentionForgetsHeldChunks(t *testing.T) {
	const (
		chunk  = 64 << 10
		window = 3 // GC epochs a chunk put back is counted for
	)
	p := newPool(t, pool.Config{MaxChunk: chunk, MaxRetained: 4 * chunk})
	var held []*pool.Chunk
	for range 4 {
		held = append(held, p.Get(chunk))
	}
	for _, c := range held {
		c.Release()
	}
	if r := p.Stats().RetainedBytes; r != 4*chunk {
		t.Fatalf("4 chunks put back: retained %d, want %d", r, 4*chunk)
	}
	put := map[*pool.Chunk]bool{}
	for _, c := range held {
		put[c] = true
	}
	held = held[:0]
	same := 0 // chunks taken out again, not new ones (sync.Pool may let go)
	for range 4 {
		c := p.Get(chunk)
		if put[c] {
			same++
		}
		held = append(held, c)
	}
	// One or two epochs later, the chunks taken out again still count (a
	// chunk sync.Pool let go leaves the count when it is freed).
	e0 := p.Stats().GCEpoch
	if !gcUntil(p, 100, func(s pool.Stats) bool { return s.GCEpoch != e0 }) {
		t.Fatalf("the GC epoch stayed at %d through 100 GCs", e0)
	}
	if s := p.Stats(); s.GCEpoch-e0 < window && s.RetainedBytes < int64(same)*chunk {
		t.Errorf("%d epochs later: retained %d, want at least %d (%d chunks taken out again and held)", s.GCEpoch-e0, s.RetainedBytes, same*chunk, same)
	}
	if !gcUntil(p, 20, func(s pool.Stats) bool { return s.RetainedBytes == 0 }) {
		t.Fatalf("retained %d after 20 GCs with every chunk held; want 0", p.Stats().RetainedBytes)
	}
	puts := p.Stats().Puts
	p.Get(chunk).Release()
	if p.Stats().Puts != puts+1 {
		t.Errorf("a chunk put back after the estimate emptied was not kept")
	}
	for _, c := range held {
		c.Release()
	}
}

func TestNegativeMaxRetainedKeepsNothing(t *testing.T) {
	p := newPool(t, pool.Config{MaxRetained: -1})
	for range 10 {
		p.Get(1000).Release()
	}
	if s := p.Stats(); s.Misses != 10 || s.Drops != 10 || s.RetainedBytes != 0 {
		t.Fatalf("misses %d, drops %d, retained %d; want 10, 10, 0", s.Misses, s.Drops, s.RetainedBytes)
	}
}

// TestChunkNoteViews checks that Chunk.NoteViews counts in the stats of
// the chunk's own pool, with Pool.NoteViews, and in no other pool's.
func TestChunkNoteViews(t *testing.T) {
	p, other := newPool(t, pool.Config{}), newPool(t, pool.Config{})
	chunks := make([]*pool.Chunk, 20) // of every shard, most likely
	for i := range chunks {
		chunks[i] = p.Get(1000)
		chunks[i].NoteViews(3)
	}
	p.NoteViews(2)
	for _, ch := range chunks[:5] {
		ch.NoteViews(-3)
	}
	if got, want := p.Stats().ViewsOutstanding, int64(15*3+2); got != want {
		t.Errorf("ViewsOutstanding = %d; want %d", got, want)
	}
	if got := other.Stats().ViewsOutstanding; got != 0 {
		t.Errorf("another pool's ViewsOutstanding = %d; want 0", got)
	}
	for _, ch := range chunks {
		ch.Release()
	}
}

// TestChunkNoteCopy checks that Chunk.NoteCopy counts in the stats of the
// chunk's own pool, with Pool.NoteCopy, and in no other pool's.
func TestChunkNoteCopy(t *testing.T) {
	p, other := newPool(t, pool.Config{}), newPool(t, pool.Config{})
	chunks := make([]*pool.Chunk, 20) // of every shard, most likely
	for i := range chunks {
		chunks[i] = p.Get(1000)
		chunks[i].NoteCopy(i + 1)
	}
	p.NoteCopy(7)
	if got, want := p.Stats().Copies, int64(20*21/2+7); got != want {
		t.Errorf("Copies = %d; want %d", got, want)
	}
	if got := other.Stats().Copies; got != 0 {
		t.Errorf("another pool's Copies = %d; want 0", got)
	}
	for _, ch := range chunks {
		ch.Release()
	}
}

// publishRuns numbers the runs of TestStatsJSONAndPublish.
var publishRuns int

func TestStatsJSONAndPublish(t *testing.T) {
	p := newPool(t, pool.Config{})
	p.Get(1000).Release()
	p.Observe(1000)
	p.NoteCopy(3)
	p.NoteViews(2)
	p.NoteViews(-1)
	// expvar names are process-wide: one per run (-count, -cpu).
	publishRuns++
	name := fmt.Sprintf("pool_test_stats_%d", publishRuns)
	p.Publish(name)
	v := expvar.Get(name)
	if v == nil {
		t.Fatal("Publish did not register the var")
	}
	var s pool.Stats
	if err := json.Unmarshal([]byte(v.String()), &s); err != nil {
		t.Fatalf("expvar value is not Stats JSON: %v\n%s", err, v.String())
	}
	if s.Misses != 1 || s.Copies != 3 || s.ViewsOutstanding != 1 || s.Config.MaxRetained != pool.DefaultMaxRetained {
		t.Errorf("published stats: %+v", s)
	}
	// The JSON names that bytesio tune and dashboards read.
	var fields map[string]any
	if err := json.Unmarshal([]byte(v.String()), &fields); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]float64{
		"views_outstanding": 1, "cow_copies": 3, "peak_chunks_out": 1, "peak_bytes_out": 1024, "misses": 1,
	} {
		if got, ok := fields[name].(float64); !ok || got != want {
			t.Errorf("JSON %q = %v; want %v", name, fields[name], want)
		}
	}
	if _, ok := fields["live_views"]; ok {
		t.Error(`JSON has "live_views", which claimed to count live views`)
	}
	if len(s.Sizes) != 1 || s.Sizes[0] != (pool.SizeCount{Max: 1024, Count: 1}) {
		t.Errorf("sizes = %+v, want [{1024 1}]", s.Sizes)
	}
	if len(s.Classes) != 15 || s.Classes[0].Size != 64 || s.Classes[14].Size != 1<<20 {
		t.Errorf("classes: %d, first %d", len(s.Classes), s.Classes[0].Size)
	}
}

// A Pool must be made by New: Get on a zero Pool panics with a message that
// says so, not with an index out of range.
func TestZeroPoolGetPanicsClearly(t *testing.T) {
	for _, size := range []int{0, 100, 1 << 30} {
		func() {
			defer func() {
				if r, _ := recover().(string); !strings.Contains(r, "not made by pool.New") {
					t.Errorf("Get(%d) on a zero Pool: recovered %v; want a panic naming pool.New", size, r)
				}
			}()
			var p pool.Pool
			p.Get(size)
		}()
	}
}

// GCEpoch counts the GC cycles the package noticed: 0 in a process where
// none has run, then one more per cycle once its finalizer has run. The
// check runs in a child process with GOGC=off, where the only cycles are
// the test's own, and starts each cycle only after the finalizer of the last
// has armed the next sentinel: a cycle started before that is one the
// documentation allows to go unnoticed.
func TestGCEpochCounts(t *testing.T) {
	if os.Getenv("BYTESIO_GCEPOCH_CHILD") == "" {
		if testing.Short() {
			t.Skip("runs a child process")
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestGCEpochCounts$", "-test.count=1")
		cmd.Env = append(os.Environ(), "BYTESIO_GCEPOCH_CHILD=1", "GOGC=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		return
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.NumGC != 0 {
		t.Fatalf("%d GC cycles ran before the test, with GOGC=off", ms.NumGC)
	}
	p := newPool(t, pool.Config{})
	if got := p.Stats().GCEpoch; got != 0 {
		t.Fatalf("GCEpoch before any GC = %d; want 0", got)
	}
	for want := uint32(1); want <= 3; want++ {
		runtime.GC()
		deadline := time.Now().Add(10 * time.Second)
		for pool.Rearmed() < want && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if got := p.Stats().GCEpoch; got != want {
			t.Fatalf("GCEpoch after %d GC cycles = %d; want %d", want, got, want)
		}
	}
}

// RetainedBytes counts a chunk put back again after it was held out longer
// than the three GC epochs its last put counted for: that earlier put no
// longer counts, so this one adds its bytes afresh. (Moving the bytes from
// the old epoch to the new, as for a chunk put back within the window,
// would count none, and the pool could then hold more than MaxRetained.)
func TestRetainedCountsChunkHeldPastWindow(t *testing.T) {
	p := newPool(t, pool.Config{})
	const size = 16 << 10
	c := p.Get(size)
	for range 100 { // until Get gives back the chunk put (sync.Pool may drop it)
		first := &c.Bytes()[0]
		c.Release()
		if c = p.Get(size); &c.Bytes()[0] == first {
			break
		}
	}
	// c was put back, then taken out again: it counted once. Hold it for
	// three more epochs, when that put no longer counts.
	e := p.Stats().GCEpoch
	if !gcUntil(p, 1000, func(s pool.Stats) bool { return s.GCEpoch >= e+3 }) {
		t.Fatalf("GCEpoch still below %d after 1000 GCs", e+3)
	}
	if got := p.Stats().RetainedBytes; got != 0 {
		t.Fatalf("three epochs after the last put: RetainedBytes = %d; want 0", got)
	}
	c.Release()
	if got := p.Stats().RetainedBytes; got != size {
		t.Errorf("after putting back a chunk held for three epochs: RetainedBytes = %d; want %d", got, size)
	}
}

package pool_test

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bytesio-go/bytesio/pool"
)

// FuzzCalibration feeds a pool, made from a fuzzed Config, sequences of
// observed buffer sizes (through Pool.Observe and Chunk.Observe), Gets,
// Retains and Releases of chunks, view and copy notes and GCs, some from two
// goroutines at once, and checks after every step that
//
//   - Layout returns powers of two with MinChunk <= first <= max <=
//     MaxChunk and max >= min(64 KiB, MaxChunk), and (FirstChunk, MaxChunk)
//     with NoCalibration;
//   - Stats adds up: Gets == Hits+Misses per class and in total, the byte
//     totals match the class counts, the exact counters are exact and the
//     lagging ones lag by no more than the Stats doc allows (but see the
//     check of Gets: a held chunk can lag by one more);
//   - PeakChunksOut and PeakBytesOut are at least the most the script held
//     at once and at most what the pool made;
//   - Get returns chunks of the documented class;
//   - a long run of one size makes the layout the one the calibration rule
//     in calibrate.go gives for it.
//
// New must accept exactly the configs the Config doc allows. The garbage
// collector is off while an input runs, so that chunks are freed (and their
// tallies flushed) only at the GC step of the script.
//
// Script: a config byte (bit 0: NoCalibration, bit 7: raw values that may be
// invalid, bits 7-5 = 010: wait at the end until every chunk is freed and
// check the totals exactly), the config fields, then ops of one byte each
// plus their arguments (see calRunner.doOp).
func FuzzCalibration(f *testing.F) {
	for _, s := range calSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script []byte) {
		runCal(t, script)
	})
}

// calDecoder reads a script; past its end every byte reads as 0.
type calDecoder struct {
	script []byte
	i      int
}

func (d *calDecoder) more() bool { return d.i < len(d.script) }

func (d *calDecoder) byte() byte {
	if d.i >= len(d.script) {
		return 0
	}
	c := d.script[d.i]
	d.i++
	return c
}

func (d *calDecoder) u16() int { return int(d.byte())<<8 | int(d.byte()) }

// size returns a buffer size for Observe: small, around a power of two,
// huge, or not positive.
func (d *calDecoder) size() int64 {
	c := d.byte()
	switch k := int64(c & 63); c >> 6 {
	case 0:
		return k * 37
	case 1, 2:
		return 1<<(k%48) + int64(d.byte()%3) - 1 // 2^k-1 .. 2^k+1
	default:
		return []int64{0, 1, -1, math.MinInt64, math.MaxInt64, 1 << 62, 1<<46 + 1, 5 << 20}[k%8]
	}
}

// getSize returns a size for Get: at most 256 KiB, or not positive.
func (d *calDecoder) getSize() int {
	c := d.byte()
	switch k := int(c & 63); c >> 6 {
	case 0:
		return k * 101
	case 1, 2:
		return 1<<(k%19) + int(d.byte()%3) - 1
	default:
		return []int{0, -1, math.MinInt, 64, 65, 1 << 18}[k%6]
	}
}

// calRunner applies a script to a pool and keeps what the checks need.
type calRunner struct {
	t    *testing.T
	p    *pool.Pool
	cfg  pool.Config // with defaults filled in
	d    calDecoder
	step int
	desc string

	held []*pool.Chunk
	refs map[*pool.Chunk]int // references the runner holds
	// the most chunks, and chunk bytes, the runner held at a check
	peakHeld, peakHeldBytes int64
	gets                    []int64 // Gets per class
	releases                []int64 // last references released, per class
	observed                uint64  // sizes observed, through either Observe
	copies                  int64
	views                   int64
	converges               int // converge steps left
	gcs                     int // GC steps left
	gced                    bool
}

func (r *calRunner) fatalf(format string, args ...any) {
	r.t.Helper()
	r.t.Fatalf("step %d %s: %s", r.step, r.desc, fmt.Sprintf(format, args...))
}

func runCal(t *testing.T, script []byte) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	r := &calRunner{t: t, d: calDecoder{script: script}, refs: map[*pool.Chunk]int{}, converges: 1, gcs: 1}
	head := r.d.byte()
	cfg := r.config(head)
	r.desc = fmt.Sprintf("New(%+v)", cfg)
	want, valid := fillConfig(cfg)
	p, err := pool.New(cfg)
	switch {
	case !valid:
		if p != nil || !errors.Is(err, pool.ErrConfig) {
			r.fatalf("got (%v, %v); want (nil, ErrConfig)", p, err)
		}
		return
	case err != nil:
		r.fatalf("got error %v; want %+v", err, want)
	case p.Config() != want:
		r.fatalf("Config() = %+v; want %+v", p.Config(), want)
	}
	r.p, r.cfg = p, want
	n := log2(want.MaxChunk) - log2(want.MinChunk) + 1
	r.gets, r.releases = make([]int64, n), make([]int64, n)
	r.check()
	trace := os.Getenv("POOL_OPS_TRACE") != ""
	for r.step = 1; r.d.more() && r.step <= 64; r.step++ {
		r.doOp()
		if trace {
			f, m := p.Layout()
			t.Logf("step %d %s: layout %d, %d; held %d", r.step, r.desc, f, m, len(r.held))
		}
		r.check()
	}
	r.step++
	r.desc = "release everything"
	for len(r.held) > 0 {
		r.release(0)
	}
	r.check()
	if head&0xe0 == 0x40 {
		r.settle()
	}
}

// config decodes a Config: within range, or raw values that may be invalid
// when bit 7 of head is set.
func (r *calRunner) config(head byte) pool.Config {
	d := &r.d
	c := pool.Config{
		NoCalibration: head&1 != 0,
		MaxRetained:   []int64{0, -1, 1, 4096, 64 << 10, 1 << 20, math.MaxInt64, math.MinInt64}[d.byte()%8],
	}
	if head&0x80 != 0 {
		c.MinChunk = []int{0, 32, 64, 100, 128, 1024, 4096, 1 << 16, 1 << 25, -64}[d.byte()%10]
		c.MaxChunk = []int{0, 64, 128, 1024, 4096, 1 << 16, 1 << 20, 1 << 24, 1 << 25, 3000}[d.byte()%10]
		c.FirstChunk = []int{0, 32, 64, 128, 1024, 4096, 1 << 16, 1 << 20, 3000, -1}[d.byte()%10]
		return c
	}
	// Within range; chunks of at most 64 KiB at the small end so that
	// Gets stay cheap.
	minShift := 6 + int(d.byte()%11)
	maxShift := minShift + int(d.byte())%(25-minShift)
	firstShift := minShift + int(d.byte())%(maxShift-minShift+1)
	c.MinChunk, c.MaxChunk, c.FirstChunk = 1<<minShift, 1<<maxShift, 1<<firstShift
	return c
}

// fillConfig returns c with the defaults of the Config doc filled in, and
// whether it is in range.
func fillConfig(c pool.Config) (pool.Config, bool) {
	if c.MinChunk == 0 {
		c.MinChunk = pool.DefaultMinChunk
	}
	if c.MaxChunk == 0 {
		c.MaxChunk = max(pool.DefaultMaxChunk, c.MinChunk)
	}
	if c.FirstChunk == 0 {
		c.FirstChunk = min(max(pool.DefaultFirstChunk, c.MinChunk), c.MaxChunk)
	}
	if c.MaxRetained == 0 {
		c.MaxRetained = pool.DefaultMaxRetained
	}
	pow2In := func(v, lo, hi int) bool { return v >= lo && v <= hi && v&(v-1) == 0 }
	ok := pow2In(c.MinChunk, pool.MinChunkLimit, pool.MaxChunkLimit) &&
		pow2In(c.MaxChunk, c.MinChunk, pool.MaxChunkLimit) &&
		pow2In(c.FirstChunk, c.MinChunk, c.MaxChunk)
	return c, ok
}

func log2(v int) int { return bits.Len(uint(v)) - 1 }

// class returns the index of the class Get(size) must take a chunk from:
// the first whose chunks hold size bytes, or the last. (A search by
// doubling, not the bit arithmetic of the pool.)
func (r *calRunner) class(size int) int {
	i := 0
	for i < len(r.gets)-1 && r.cfg.MinChunk<<i < size {
		i++
	}
	return i
}

func (r *calRunner) get(size int) *pool.Chunk {
	r.t.Helper()
	c := r.p.Get(size)
	i := r.class(size)
	want := r.cfg.MinChunk << i
	if c.Size() != want || len(c.Bytes()) != want || cap(c.Bytes()) != want {
		r.fatalf("Get(%d): Size %d, len %d, cap %d; want %d", size, c.Size(), len(c.Bytes()), cap(c.Bytes()), want)
	}
	if c.Shared() || r.refs[c] != 0 {
		r.fatalf("Get(%d) returned a chunk still held (Shared %v, refs %d)", size, c.Shared(), r.refs[c])
	}
	b := c.Bytes()
	b[0], b[len(b)-1] = byte(r.step), byte(r.step) // the memory is usable
	r.gets[i]++
	r.refs[c] = 1
	return c
}

// release drops one reference to held chunk i.
func (r *calRunner) release(i int) {
	c := r.held[i]
	c.Release()
	if r.refs[c]--; r.refs[c] == 0 {
		delete(r.refs, c)
		r.releases[r.class(c.Size())]++
	}
	r.held = slices.Delete(r.held, i, i+1) // no stale pointer keeps c alive
}

func (r *calRunner) doOp() {
	d := &r.d
	switch op := d.byte() % 9; op {
	case 0: // a run of one size through Pool.Observe
		size := d.size()
		n := 1 + int(d.byte())
		if c := d.byte(); c >= 0xf0 {
			n = d.u16() % 10000
		}
		r.desc = fmt.Sprintf("Observe(%d) x%d", size, n)
		for range n {
			r.p.Observe(size)
		}
		r.observed += uint64(n)

	case 1: // Get and hold
		size := d.getSize()
		r.desc = fmt.Sprintf("Get(%d)", size)
		if len(r.held) < 32 {
			r.held = append(r.held, r.get(size))
		}

	case 2: // Release, or Retain and Release
		c := d.byte()
		if len(r.held) == 0 {
			r.desc = "nothing to release"
			break
		}
		i := int(c>>1) % len(r.held)
		ch := r.held[i]
		if c&1 != 0 {
			r.desc = fmt.Sprintf("Retain held chunk %d", i)
			ch.Retain()
			r.refs[ch]++
			r.held = append(r.held, ch)
			if !ch.Shared() {
				r.fatalf("Shared() = false with %d references", r.refs[ch])
			}
			break
		}
		r.desc = fmt.Sprintf("Release held chunk %d", i)
		r.release(i)
		if r.refs[ch] == 1 && ch.Shared() {
			r.fatalf("Shared() = true with 1 reference")
		}

	case 3: // Get+Release cycles of one size
		size := d.getSize()
		n := 1 + int(d.byte())
		r.desc = fmt.Sprintf("(Get(%d)+Release) x%d", size, n)
		for range n {
			c := r.get(size)
			c.Release()
			delete(r.refs, c)
			r.releases[r.class(size)]++
		}

	case 4: // Chunk.Observe on a held chunk
		size := d.size()
		n := 1 + int(d.byte())
		if len(r.held) == 0 {
			r.desc = "no chunk to observe on"
			break
		}
		ch := r.held[int(d.byte())%len(r.held)]
		r.desc = fmt.Sprintf("Chunk.Observe(%d) x%d", size, n)
		for range n {
			ch.Observe(size)
		}
		r.observed += uint64(n)

	case 5: // NoteCopy, NoteViews
		c := d.byte()
		n := int(d.byte()) - 128
		if c&1 != 0 {
			r.desc = fmt.Sprintf("NoteCopy(%d)", max(n, 0))
			r.p.NoteCopy(max(n, 0))
			r.copies += int64(max(n, 0))
		} else {
			r.desc = fmt.Sprintf("NoteViews(%d)", n)
			r.p.NoteViews(n)
			r.views += int64(n)
		}

	case 6: // GC: sync.Pool lets go, chunks are freed, epochs advance
		r.desc = "GC"
		if r.gcs > 0 {
			r.gcs--
			runtime.GC()
			r.gced = true
		}

	case 7: // a long run of one size: the layout must follow the rule
		size := d.size()
		r.desc = fmt.Sprintf("converge on Observe(%d)", size)
		if r.converges == 0 {
			break
		}
		r.converges--
		const n = 1 << 16
		for range n {
			r.p.Observe(size)
		}
		r.observed += n
		first, maxc := r.p.Layout()
		if r.cfg.NoCalibration {
			break // checked in check
		}
		wf, wm := ruleLayout(sizeClassOf(size), log2(r.cfg.MinChunk), log2(r.cfg.MaxChunk))
		if first != 1<<wf || maxc != 1<<wm {
			r.fatalf("Layout() = %d, %d; want %d, %d", first, maxc, 1<<wf, 1<<wm)
		}

	case 8: // two goroutines at once: Observe runs and Get+Release cycles
		sizes := [2]int64{d.size(), d.size()}
		gsizes := [2]int{d.getSize(), d.getSize()}
		n := 1 + int(d.byte())
		r.desc = fmt.Sprintf("concurrently Observe(%d)+(Get(%d)+Release) and Observe(%d)+(Get(%d)+Release) x%d",
			sizes[0], gsizes[0], sizes[1], gsizes[1], n)
		var wg sync.WaitGroup
		for g := range 2 {
			wg.Go(func() {
				for range n {
					r.p.Observe(sizes[g])
					r.p.Get(gsizes[g]).Release()
				}
			})
		}
		wg.Wait()
		for g := range 2 {
			r.gets[r.class(gsizes[g])] += int64(n)
			r.releases[r.class(gsizes[g])] += int64(n)
		}
		r.observed += 2 * uint64(n)
	}
}

// sizeClassOf is the histogram class of a size: class k holds (2^(k-1),
// 2^k], class 0 holds 0 and 1, class 47 everything above 2^46.
// (A search by doubling, not the bit arithmetic of the pool.)
func sizeClassOf(size int64) int {
	k := 0
	for k < 47 && size > 1<<k {
		k++
	}
	return k
}

// ruleLayout is the calibration rule of calibrate.go for a histogram of one
// class k: first covers the median, max the 95th percentile, max at least
// 64 KiB, both within [lo, hi] (log2).
func ruleLayout(k, lo, hi int) (first, maxs int) {
	first = min(max(k, lo), hi)
	floor := min(max(first, 16), hi)
	return first, min(max(k, floor), hi)
}

// check tests the invariants of Layout and Stats.
func (r *calRunner) check() {
	r.t.Helper()
	p, cfg := r.p, r.cfg
	first, maxc := p.Layout()
	switch {
	case first&(first-1) != 0 || maxc&(maxc-1) != 0:
		r.fatalf("Layout() = %d, %d; want powers of two", first, maxc)
	case first < cfg.MinChunk || first > maxc || maxc > cfg.MaxChunk:
		r.fatalf("Layout() = %d, %d; want MinChunk %d <= first <= max <= MaxChunk %d", first, maxc, cfg.MinChunk, cfg.MaxChunk)
	case maxc < min(64<<10, cfg.MaxChunk):
		r.fatalf("Layout() = %d, %d; want max >= %d", first, maxc, min(64<<10, cfg.MaxChunk))
	case cfg.NoCalibration && (first != cfg.FirstChunk || maxc != cfg.MaxChunk):
		r.fatalf("Layout() = %d, %d with NoCalibration; want %d, %d", first, maxc, cfg.FirstChunk, cfg.MaxChunk)
	}

	s := p.Stats()
	if s.Config != cfg {
		r.fatalf("Stats().Config = %+v; want %+v", s.Config, cfg)
	}
	if s.FirstChunk != first || s.MaxChunk != maxc {
		r.fatalf("Stats() layout %d, %d; Layout() %d, %d", s.FirstChunk, s.MaxChunk, first, maxc)
	}
	if len(s.Classes) != len(r.gets) {
		r.fatalf("Stats() has %d classes; want %d", len(s.Classes), len(r.gets))
	}
	held := map[int]int64{} // held chunks per class
	var heldBytes int64
	for c := range r.refs {
		held[r.class(c.Size())]++
		heldBytes += int64(c.Size())
	}
	// The peaks of chunks out are never below what the runner holds now,
	// nor above what the pool ever made.
	r.peakHeld, r.peakHeldBytes = max(r.peakHeld, int64(len(r.refs))), max(r.peakHeldBytes, heldBytes)
	if s.PeakChunksOut < r.peakHeld || s.PeakChunksOut > s.Misses {
		r.fatalf("PeakChunksOut %d; want within [%d held at most, %d made]", s.PeakChunksOut, r.peakHeld, s.Misses)
	}
	if s.PeakBytesOut < r.peakHeldBytes || s.PeakBytesOut > s.BytesAllocated {
		r.fatalf("PeakBytesOut %d; want within [%d held at most, %d made]", s.PeakBytesOut, r.peakHeldBytes, s.BytesAllocated)
	}
	var sum pool.ClassStats
	var handed, allocated int64
	for i, c := range s.Classes {
		if c.Size != cfg.MinChunk<<i {
			r.fatalf("class %d: Size %d; want %d", i, c.Size, cfg.MinChunk<<i)
		}
		if c.Gets != c.Hits+c.Misses || c.Hits < 0 || c.Misses < 0 || c.Puts < 0 || c.Drops < 0 || c.Freed < 0 {
			r.fatalf("class %d: %+v; want Gets == Hits+Misses, none negative", i, c)
		}
		if c.Freed > c.Misses {
			r.fatalf("class %d: Freed %d > Misses %d", i, c.Freed, c.Misses)
		}
		// Hits and Puts lag by at most 63 per chunk alive, says the Stats
		// doc; but a chunk held right after its 64th hit since its tallies
		// were last flushed lags by 64 hits (it flushes at the next put),
		// hence the one more per held chunk.
		alive := c.Misses - c.Freed
		if !r.gced {
			if c.Freed != 0 {
				r.fatalf("class %d: Freed %d with the GC off", i, c.Freed)
			}
			if c.Gets > r.gets[i] || c.Gets < r.gets[i]-63*alive-held[i] {
				r.fatalf("class %d: Gets %d, %d chunks alive, %d held; want within [%d, %d]", i, c.Gets, alive, held[i], r.gets[i]-63*alive-held[i], r.gets[i])
			}
			if pd := c.Puts + c.Drops; pd > r.releases[i] || pd < r.releases[i]-63*alive {
				r.fatalf("class %d: Puts %d + Drops %d, %d chunks alive; want within [%d, %d]", i, c.Puts, c.Drops, alive, r.releases[i]-63*alive, r.releases[i])
			}
			if c.Misses > r.gets[i] {
				r.fatalf("class %d: Misses %d > Gets made %d", i, c.Misses, r.gets[i])
			}
		}
		if cfg.MaxRetained < 0 && (c.Hits != 0 || c.Puts != 0 || !r.gced && (c.Misses != r.gets[i] || c.Drops != r.releases[i])) {
			r.fatalf("class %d with MaxRetained %d: %+v; want every Get a miss and every release a drop (%d, %d)", i, cfg.MaxRetained, c, r.gets[i], r.releases[i])
		}
		sum.Gets += c.Gets
		sum.Hits += c.Hits
		sum.Misses += c.Misses
		sum.Puts += c.Puts
		sum.Drops += c.Drops
		sum.Freed += c.Freed
		handed += c.Gets * int64(c.Size)
		allocated += c.Misses * int64(c.Size)
	}
	if s.Gets != sum.Gets || s.Hits != sum.Hits || s.Misses != sum.Misses || s.Puts != sum.Puts || s.Drops != sum.Drops || s.Freed != sum.Freed {
		r.fatalf("Stats() totals %d/%d/%d/%d/%d/%d; classes add up to %+v", s.Gets, s.Hits, s.Misses, s.Puts, s.Drops, s.Freed, sum)
	}
	if s.BytesHandedOut != handed || s.BytesAllocated != allocated {
		r.fatalf("BytesHandedOut %d, BytesAllocated %d; classes give %d, %d", s.BytesHandedOut, s.BytesAllocated, handed, allocated)
	}
	if s.RetainedBytes < 0 || s.RetainedBytes > max(cfg.MaxRetained, 0) {
		r.fatalf("RetainedBytes %d; want within [0, %d]", s.RetainedBytes, max(cfg.MaxRetained, 0))
	}
	if s.Copies != r.copies || s.ViewsOutstanding != r.views {
		r.fatalf("Copies %d, ViewsOutstanding %d; want %d, %d", s.Copies, s.ViewsOutstanding, r.copies, r.views)
	}
	var counted uint64
	for i, sc := range s.Sizes {
		if sc.Count == 0 || sc.Max <= 0 || sc.Max&(sc.Max-1) != 0 || i > 0 && sc.Max <= s.Sizes[i-1].Max {
			r.fatalf("Sizes[%d] = %+v in %+v; want increasing powers of two with counts", i, sc, s.Sizes)
		}
		counted += sc.Count
	}
	if counted > r.observed {
		r.fatalf("Sizes count %d observations; %d were made", counted, r.observed)
	}
	if cfg.NoCalibration && s.LayoutChanges != 0 {
		r.fatalf("LayoutChanges %d with NoCalibration", s.LayoutChanges)
	}
	if s.LayoutChanged.IsZero() != (s.LayoutChanges == 0) {
		r.fatalf("LayoutChanges %d, LayoutChanged %v", s.LayoutChanges, s.LayoutChanged)
	}
}

// settle runs GCs until every chunk of the pool has been freed and its
// tallies flushed, and checks that the totals then come out exact: every Get
// counted, and every chunk given back either kept or dropped. (A chunk's
// cleanup counts it as freed before it flushes its tallies, so Stats may see
// Freed == Misses a moment before Gets and Puts are exact.)
func (r *calRunner) settle() {
	r.t.Helper()
	r.desc = "after every chunk was freed"
	exact := func(s pool.Stats) bool {
		if s.Freed != s.Misses {
			return false
		}
		for i, c := range s.Classes {
			if c.Gets != r.gets[i] || c.Puts+c.Drops != r.releases[i] {
				return false
			}
		}
		return true
	}
	for i := 0; ; i++ {
		runtime.GC()
		s := r.p.Stats()
		if exact(s) {
			break
		}
		switch {
		case i == 1000:
			for k, c := range s.Classes {
				if c.Gets != r.gets[k] || c.Puts+c.Drops != r.releases[k] {
					r.fatalf("after 1000 GCs, class %d: %+v; want Gets %d, Puts+Drops %d (every Get released), Freed == Misses", k, c, r.gets[k], r.releases[k])
				}
			}
			r.fatalf("after 1000 GCs: Freed %d, Misses %d; want them equal", s.Freed, s.Misses)
		case i < 10:
			runtime.Gosched() // let the cleanups run
		default:
			time.Sleep(time.Millisecond)
		}
	}
	for i, n := range r.releases {
		if n != r.gets[i] {
			r.fatalf("class %d: %d releases of %d Gets; the runner lost a chunk", i, n, r.gets[i])
		}
	}
	if s := r.p.Stats(); s.RetainedBytes < 0 || s.RetainedBytes > max(r.cfg.MaxRetained, 0) {
		r.fatalf("RetainedBytes %d; want within [0, %d]", s.RetainedBytes, max(r.cfg.MaxRetained, 0))
	}
}

// Seed scripts, built with the encoders below (op 8, two goroutines at
// once, is left to the fuzzer and the files in testdata). Config: head byte,
// MaxRetained index, then three shift bytes (or three raw value indexes with
// head bit 7), as in calRunner.config.
var calSeeds = [][]byte{
	// Default-like sizes (64 B .. 1 MiB, first 1 KiB): the layout follows
	// a run of 1000-byte buffers, then a mix with a 95th percentile of
	// 200 KiB.
	calCat([]byte{0, 0, 0, 14, 4}, calConverge(calSize(10, 0))),
	calCat([]byte{0, 0, 0, 14, 4}, calObserve(calSize(10, 0), 9000), calObserve(calSize(18, 0), 900), calObserve(calSize(6, 2), 3)),
	// NoCalibration: the layout never moves.
	calCat([]byte{1, 0, 0, 14, 4}, calObserve(calSize(20, 1), 5000), calConverge(calSize(6, 1))),
	// MaxRetained -1: every Get misses, every release drops; exact totals.
	calCat([]byte{0x40, 1, 0, 2, 1}, calCycles(calSize(8, 0), 10), calGet(calSize(8, 0)), calGet(calSize(12, 1)),
		calRetain(0), calRelease(0), calRelease(0), calRelease(0)),
	// Views and copies are noted exactly, also negative view deltas.
	calCat([]byte{0, 0, 3, 3, 0}, []byte{5, 1, 140, 5, 0, 100, 5, 0, 30, 5, 0, 255}),
	// Hits lag: 64 cycles of one chunk, then it is held; then a GC and more
	// cycles under a tiny MaxRetained.
	calCat([]byte{0x40, 2, 4, 0, 0}, calCycles(calSize(10, 1), 64), calGet(calSize(10, 1)), []byte{6},
		calCycles(calSize(10, 1), 200), calCycles(calSize(11, 1), 20)),
	// Raw configs: invalid ones fail with ErrConfig, zeros mean defaults.
	{0x80, 0, 3, 0, 0},
	{0x80, 0, 0, 9, 0},
	{0x80, 0, 2, 4, 8},
	calCat([]byte{0x80, 6, 0, 0, 0}, calConverge(calSize(46, 2))),
}

func calCat(parts ...[]byte) []byte { return slices.Concat(parts...) }

// calSize encodes the size 2^k - 1 + delta (delta 0, 1 or 2) for
// calDecoder.size and calDecoder.getSize.
func calSize(k, delta int) []byte { return []byte{0x40 | byte(k), byte(delta)} }

// calObserve encodes a run of n Pool.Observe calls.
func calObserve(size []byte, n int) []byte {
	if n <= 256 {
		return calCat([]byte{0}, size, []byte{byte(n - 1), 0})
	}
	return calCat([]byte{0}, size, []byte{0, 0xf0, byte(n >> 8), byte(n)})
}

func calGet(size []byte) []byte           { return calCat([]byte{1}, size) }
func calRelease(i int) []byte             { return []byte{2, byte(i << 1)} }
func calRetain(i int) []byte              { return []byte{2, byte(i<<1 | 1)} }
func calCycles(size []byte, n int) []byte { return calCat([]byte{3}, size, []byte{byte(n - 1)}) }
func calConverge(size []byte) []byte      { return calCat([]byte{7}, size) }

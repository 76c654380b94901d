package tune

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"slices"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

const (
	// liveBudget bounds the content bytes of the buffers a replay keeps
	// open: past it, the oldest open buffer closes early.
	liveBudget = 256 << 20
	// maxLive bounds the buffers live at once that a workload may ask for.
	maxLive = 4096
	// warmObservations is how many sizes a calibrated pool observes before
	// its replay, so that calibration has settled as it has in a program
	// that has run for a while (the rule needs 64 observations in a class of
	// one of its 8 shards; this gives every class with 1% of the buffers
	// about 80 per shard).
	warmObservations = 1 << 16
	// maxReplaySize is the largest buffer a replay writes: a larger one is
	// replayed at this size. Past 4 chunks of the largest size class
	// (pool.MaxChunkLimit), a buffer takes only chunks of its pool's
	// largest size, so its cost per byte stored barely changes with its
	// size, while replaying it in full would hold that much memory.
	maxReplaySize = 4 * pool.MaxChunkLimit
	// defaultReplayBytes is Options.ReplayBytes when 0.
	defaultReplayBytes = 1 << 30
)

// op is one step of a replay: buffer i opens (and is written in full) or
// closes.
type op struct {
	i     int32
	close bool
}

// plan is what one replay runs: the sizes of its buffers and the order in
// which they open and close. Every buffer opens once, then closes once.
type plan struct {
	sizes []int64
	ops   []op
}

// sizesPlan samples n sizes of h, in an order shuffled with the given
// seed, and opens them one after the other, closing the oldest first
// whenever live are open: at most live are open at once.
func sizesPlan(h hist, n, live int, seed uint64) plan {
	rnd := rand.New(rand.NewPCG(seed, 2))
	p := plan{sizes: h.sample(n, rnd.Shuffle)}
	for i := range p.sizes {
		if i >= live {
			p.ops = append(p.ops, op{i: int32(i - live), close: true})
		}
		p.ops = append(p.ops, op{i: int32(i)})
	}
	for i := max(len(p.sizes)-live, 0); i < len(p.sizes); i++ {
		p.ops = append(p.ops, op{i: int32(i), close: true})
	}
	return p
}

// spansPlan replays the first n of spans (sorted by opening time) in the
// order of spanOps.
func spansPlan(sorted []Span, n int) plan {
	sorted = sorted[:min(n, len(sorted))]
	p := plan{sizes: make([]int64, len(sorted)), ops: spanOps(sorted)}
	for i, s := range sorted {
		p.sizes[i] = s.Size
	}
	return p
}

// spanOps returns the opens and closes of spans (buffer i is spans[i]) in
// time order. At equal times, the closes of spans opened earlier come
// first, then the spans that open and close at that time, each closed
// right after it opens, then the opens of spans that close later: spans
// that touch never overlap, and a span with Open == Close is open for an
// instant in which no other span opens or closes.
func spanOps(spans []Span) []op {
	type ev struct {
		t    int64
		rank int // 0 a close, 1 either op of a span with Open == Close, 2 an open
		op   op
	}
	evs := make([]ev, 0, 2*len(spans))
	for i, s := range spans {
		if s.Open == s.Close {
			evs = append(evs, ev{s.Open, 1, op{int32(i), false}}, ev{s.Close, 1, op{int32(i), true}})
		} else {
			evs = append(evs, ev{s.Open, 2, op{int32(i), false}}, ev{s.Close, 0, op{int32(i), true}})
		}
	}
	// Stable: each span with Open == Close keeps its open just before its close.
	slices.SortStableFunc(evs, func(a, b ev) int { return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.rank, b.rank)) })
	ops := make([]op, len(evs))
	for k, e := range evs {
		ops[k] = e.op
	}
	return ops
}

// bound returns pl with every size above maxReplaySize lowered to it, and
// cut after the first buffers whose sizes add up to budget bytes (at least
// one buffer), so that a replay costs at most that much writing. It also
// returns how many of the buffers kept were lowered.
func (pl plan) bound(budget int64) (out plan, lowered int) {
	out.sizes = slices.Clone(pl.sizes)
	var sum int64
	for i, s := range out.sizes {
		if s > maxReplaySize {
			out.sizes[i] = maxReplaySize
			lowered++
		}
		if sum += out.sizes[i]; sum >= budget {
			out.sizes = out.sizes[:i+1]
			break
		}
	}
	k := int32(len(out.sizes))
	if k == int32(len(pl.sizes)) {
		out.ops = pl.ops
		return out, lowered
	}
	for _, o := range pl.ops {
		if o.i < k {
			out.ops = append(out.ops, o)
		}
	}
	return out, lowered
}

// replay runs pl through buffers of a pool made by pool.New(cfg) and
// measures. A calibrated pool (cfg.NoCalibration false) first observes
// warmObservations sizes of the plan, so that its layout has settled.
func replay(pl plan, cfg pool.Config, o *Options, piece []byte) (Candidate, error) {
	if o.Deterministic {
		// One P from the start: sync.Pool's caches and the calibration's
		// shards are per P, so a replay that moves between Ps gets and
		// observes differently.
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	}
	p, err := pool.New(cfg)
	if err != nil {
		return Candidate{}, err
	}
	if !cfg.NoCalibration && len(pl.sizes) > 0 {
		for i := range warmObservations {
			p.Observe(pl.sizes[i%len(pl.sizes)])
		}
	}
	if o.Deterministic {
		runtime.GC()
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
	}
	before := p.Stats()

	bufs := make([]*buffer.Buffer, len(pl.sizes))
	firsts := map[int64]int{} // first chunk size: buffers
	chunks := make([]int, len(pl.sizes))
	var (
		queue                           []int32 // open buffers, oldest first (closed ones skipped lazily)
		openBytes, stored, held         int64
		outChunks, outBytes             int64
		peakChunks, peakBytes, peakLive int64
		live                            int64
	)
	closeBuf := func(i int32) {
		b := bufs[i]
		if b == nil {
			return
		}
		openBytes -= pl.sizes[i]
		outChunks -= int64(chunks[i])
		outBytes -= b.Cap()
		live--
		b.Close()
		bufs[i] = nil
	}
	for _, s := range pl.ops {
		if s.close {
			closeBuf(s.i)
			continue
		}
		size := pl.sizes[s.i]
		b := buffer.NewWithPool(p)
		for rem := size; rem > 0; {
			k := min(rem, int64(len(piece)))
			if _, err := b.Write(piece[:k]); err != nil {
				return Candidate{}, fmt.Errorf("tune: replaying a %d-byte buffer: %v", size, err)
			}
			if rem == size {
				firsts[b.Cap()]++ // the first chunk, as the first write got it
			}
			rem -= k
		}
		v := b.GetValue()
		for range v.Chunks() {
			chunks[s.i]++
		}
		v.Release()
		c := b.Cap()
		bufs[s.i] = b
		stored += size
		held += c
		openBytes += size
		outChunks += int64(chunks[s.i])
		outBytes += c
		live++
		peakChunks = max(peakChunks, outChunks)
		peakBytes = max(peakBytes, outBytes)
		peakLive = max(peakLive, live)
		queue = append(queue, s.i)
		for openBytes > liveBudget && live > 1 {
			for bufs[queue[0]] == nil {
				queue = queue[1:]
			}
			closeBuf(queue[0])
		}
		if len(queue) > 64 && len(queue) > 4*int(live) { // drop closed entries now and then
			queue = slices.DeleteFunc(queue, func(i int32) bool { return bufs[i] == nil })
		}
	}
	for i := range bufs {
		closeBuf(int32(i))
	}
	after := p.Stats()

	c := Candidate{Config: cfg, Calibrated: !cfg.NoCalibration}
	c.FirstChunk, c.MaxChunk = p.Layout()
	c.MaxRetained = p.Config().MaxRetained
	for size, n := range firsts {
		if m := firsts[int64(c.FirstUsed)]; n > m || n == m && int(size) > c.FirstUsed {
			c.FirstUsed = int(size)
		}
	}
	var gets int64
	one := 0
	for _, n := range chunks {
		gets += int64(n)
		if n <= 1 {
			one++
		}
	}
	if stored > 0 {
		c.MemPerStored = float64(held) / float64(stored)
		c.AllocPerStored = float64(after.BytesAllocated-before.BytesAllocated) / float64(stored)
	}
	if gets > 0 {
		c.HitRate = 1 - float64(after.Misses-before.Misses)/float64(gets)
	}
	c.Drops = after.Drops - before.Drops
	c.PeakLive, c.PeakChunksOut, c.PeakBytesOut = int(peakLive), peakChunks, peakBytes
	if n := len(chunks); n > 0 {
		c.ChunksMean = float64(gets) / float64(n)
		slices.Sort(chunks)
		c.ChunksP50 = chunks[(n-1)/2]
		c.ChunksP99 = chunks[(n-1)*99/100]
		c.OneChunk = float64(one) / float64(n)
	}
	c.Score = c.MemPerStored + c.AllocPerStored + chunkCharge*c.ChunksMean
	return c, nil
}

// chunkCharge is the score's charge per chunk of a buffer, for the
// per-chunk work of reads and writes.
const chunkCharge = 0.05

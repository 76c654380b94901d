package pool

import (
	"expvar"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"
)

// Stats is a snapshot of a pool's traffic, memory and calibration, as
// returned by [Pool.Stats]. It marshals to JSON (the form [Pool.Publish]
// serves and bytesio tune reads).
//
// Exactness: Misses, Drops, Freed and BytesAllocated are exact when Stats is
// called. Hits and Puts are tallied in each chunk and added to the totals
// every 64 puts of that chunk, when the pool drops it and when the garbage
// collector frees it, so they lag by at most 64 hits and 63 puts per chunk
// still alive, and are exact once every chunk has been dropped or freed.
// Gets is Hits+Misses. PeakChunksOut and PeakBytesOut are upper bounds of
// what they name, and ViewsOutstanding counts views never released; see
// each.
type Stats struct {
	// Config is the pool's configuration, with defaults filled in.
	Config Config `json:"config"`

	// Classes has one entry per size class, smallest first.
	Classes []ClassStats `json:"classes"`

	// Gets, Hits, Misses, Puts, Drops and Freed are the sums over Classes.
	Gets   int64 `json:"gets"`
	Hits   int64 `json:"hits"`
	Misses int64 `json:"misses"`
	Puts   int64 `json:"puts"`
	Drops  int64 `json:"drops"`
	Freed  int64 `json:"freed"`

	// BytesHandedOut is the size of every chunk handed out by Get.
	BytesHandedOut int64 `json:"bytes_handed_out"`
	// BytesAllocated is the size of every chunk allocated (Misses).
	BytesAllocated int64 `json:"bytes_allocated"`
	// RetainedBytes is an upper bound on the bytes of chunks the pool holds
	// for reuse, never above Config.MaxRetained (0 when that is negative,
	// as a pool that keeps nothing holds nothing): the bytes of the distinct
	// chunks put back during the last three GC epochs and not freed since,
	// counting chunks taken out again. It decays to what sync.Pool can
	// still hold within three GC cycles of the last put.
	RetainedBytes int64 `json:"retained_bytes"`
	// GCEpoch is the number of GC cycles the pool package has noticed: 0
	// before the first, and at most runtime.MemStats.NumGC, which it follows
	// after the delay of a finalizer (a cycle that ends before the finalizer
	// of the one before it ran goes unnoticed).
	GCEpoch uint32 `json:"gc_epoch"`

	// PeakChunksOut and PeakBytesOut bound from above the most chunks, and
	// chunk bytes, out at once since the pool was made: handed out by Get
	// and not yet given back by their last Release (a chunk never released
	// stops counting when the garbage collector frees it).
	//
	// Counting the chunks out exactly would cost every Get and Release a
	// shared write, so the pool counts instead the chunks it made and has
	// neither dropped nor seen freed, a count that changes only when Get
	// allocates, Release drops and the collector frees. The figures are the
	// exact peaks of that count and of its bytes (possibly at different
	// times). They are never below the true peaks, and exceed them by what
	// waited for reuse when the peak was reached. Get allocates only when the
	// chunk's size class has nothing to reuse, so that is chunks of other
	// classes (in bytes at most RetainedBytes, so at most
	// Config.MaxRetained), at most one chunk per class in each other
	// processor's private slot of sync.Pool, and chunks sync.Pool let go (at
	// a GC, or at random under the race detector) that the collector has not
	// freed yet. When buffers of the same sizes come and go they are the true
	// peaks, give or take those slots.
	PeakChunksOut int64 `json:"peak_chunks_out"`
	PeakBytesOut  int64 `json:"peak_bytes_out"`

	// Sizes is the decayed histogram of observed buffer sizes (see
	// [Pool.Observe]), smallest class first, empty classes left out.
	Sizes []SizeCount `json:"sizes"`
	// FirstChunk and MaxChunk are the current [Pool.Layout].
	FirstChunk int `json:"first_chunk"`
	MaxChunk   int `json:"max_chunk"`
	// LayoutChanges counts the layout changes made by calibration, the last
	// of them at LayoutChanged (zero if none).
	LayoutChanges int64     `json:"layout_changes"`
	LayoutChanged time.Time `json:"layout_changed,omitzero"`

	// Copies is the number of chunks buffers copied because views shared
	// them (copy-on-write), as reported by [Pool.NoteCopy] and
	// [Chunk.NoteCopy].
	Copies int64 `json:"cow_copies"`
	// ViewsOutstanding is the number of views over chunks of the pool made
	// minus the number released, as reported by [Pool.NoteViews] and
	// [Chunk.NoteViews]. A view that is garbage collected without being
	// released stays counted, and one that keeps growing points at views
	// never released. A holder may count a view late: a buffer's view of
	// content in one chunk borrows the buffer's reference and is counted
	// only once the buffer lets go of that chunk, writes into it or lends it
	// while the view is held (the view then holds a reference of its own),
	// so the figure counts the views that hold chunk references. A view of
	// content in no chunk (initial content from NewBytes, or a gap never
	// written) is counted too, in the pool of its buffer.
	ViewsOutstanding int64 `json:"views_outstanding"`
}

// ClassStats is the traffic of one size class.
type ClassStats struct {
	// Size is the chunk size of the class in bytes.
	Size int `json:"size"`
	// Gets == Hits + Misses: chunks handed out, taken from the pool (Hits)
	// or newly allocated (Misses).
	Gets   int64 `json:"gets"`
	Hits   int64 `json:"hits"`
	Misses int64 `json:"misses"`
	// Puts counts chunks kept for reuse after their last release, Drops
	// those let go because the pool was full.
	Puts  int64 `json:"puts"`
	Drops int64 `json:"drops"`
	// Freed counts chunks of the class the garbage collector freed: those
	// sync.Pool let go at GC, dropped ones, and leaked ones.
	Freed int64 `json:"freed"`
}

// SizeCount is one class of the size histogram: sizes in (Max/2, Max], or 0
// and 1 for Max == 1. The last class, Max == 1<<47, also counts every
// larger size.
type SizeCount struct {
	Max   int64  `json:"max"`   // the largest size of the class
	Count uint64 `json:"count"` // decayed number of observations
}

// Stats returns a snapshot of p's statistics. It takes about a microsecond
// and does not disturb the hot path beyond a short hold of the lock that
// chunks take once per GC epoch.
func (p *Pool) Stats() Stats {
	s := Stats{Config: p.cfg, Classes: make([]ClassStats, len(p.classes))}
	for i := range p.classes {
		cl := &p.classes[i]
		c := ClassStats{
			Size:   cl.size,
			Hits:   cl.hits.Load(),
			Misses: cl.misses.Load(),
			Puts:   cl.puts.Load(),
			Drops:  cl.drops.Load(),
			Freed:  cl.freed.Load(),
		}
		c.Gets = c.Hits + c.Misses
		s.Classes[i] = c
		s.Gets += c.Gets
		s.Hits += c.Hits
		s.Misses += c.Misses
		s.Puts += c.Puts
		s.Drops += c.Drops
		s.Freed += c.Freed
		s.BytesHandedOut += c.Gets * int64(c.Size)
		s.BytesAllocated += c.Misses * int64(c.Size)
	}
	s.RetainedBytes, s.GCEpoch = p.retained()
	s.GCEpoch-- // gcEpoch starts at 1
	s.PeakChunksOut, s.PeakBytesOut = p.out.peakChunks.Load(), p.out.peakBytes.Load()
	h, _ := p.cal.histogram()
	for k, v := range h {
		if v != 0 {
			s.Sizes = append(s.Sizes, SizeCount{Max: 1 << k, Count: v})
		}
	}
	s.FirstChunk, s.MaxChunk = p.Layout()
	s.LayoutChanges = p.cal.changes.Load()
	if t := p.cal.changed.Load(); t != 0 {
		s.LayoutChanged = time.Unix(0, t)
	}
	s.Copies = p.copies.load()
	s.ViewsOutstanding = p.views.load()
	return s
}

// Publish makes p's [Stats] visible through package expvar under name (as
// JSON at /debug/vars when expvar's handler is served), computed afresh on
// each read. Like [expvar.Publish], it panics if name is already in use.
func (p *Pool) Publish(name string) {
	expvar.Publish(name, expvar.Func(func() any { return p.Stats() }))
}

// NoteCopy records that a buffer copied n chunks because views still shared
// them (copy-on-write).
func (p *Pool) NoteCopy(n int) { p.copies.add(int64(n)) }

// NoteViews records that delta views over chunks of p were made (delta > 0)
// or released (delta < 0); see [Stats].ViewsOutstanding.
func (p *Pool) NoteViews(delta int) { p.views.add(int64(delta)) }

// counter is a sum spread over padded shards, one picked at random per add,
// so that concurrent adds rarely share a cache line.
type counter struct {
	shards [8]struct {
		n atomic.Int64
		_ [56]byte // one shard per cache line
	}
}

func (c *counter) add(d int64) { c.addAt(rand.Uint32(), d) }

// addAt adds d on the shard that hint picks.
func (c *counter) addAt(hint uint32, d int64) { c.shards[hint&7].n.Add(d) }

func (c *counter) load() (n int64) {
	for i := range c.shards {
		n += c.shards[i].n.Load()
	}
	return n
}

// configError is New's error for field, of value v, which must be a power
// of two from lo to hi, named loName and hiName (defaults filled in).
func configError(field string, v int, loName string, lo int, hiName string, hi int) error {
	return fmt.Errorf("%w: %s = %d; want a power of two from %s (%d) to %s (%d)", ErrConfig, field, v, loName, lo, hiName, hi)
}

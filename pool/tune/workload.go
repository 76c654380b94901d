package tune

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/bytesio-go/bytesio/buffer"
)

// maxBuffers bounds the number of buffers a Workload may describe.
const maxBuffers = 1 << 40

// SizeCount is a buffer size and how many buffers had it.
type SizeCount struct {
	Size  int64 `json:"size"`
	Count int64 `json:"count"`
}

// Span is one buffer of a workload with lifetimes: its final size, and when it
// was opened and closed. Open and Close are points on any clock (nanoseconds,
// or event numbers as in a trace with open and close lines); a buffer is live
// from Open until Close. At equal times, closes come before opens, so that
// spans that touch do not overlap; a span with Open == Close is live for an
// instant, after the closes and before the opens of the other spans at its
// time.
type Span struct {
	Size  int64 `json:"size"`
	Open  int64 `json:"open"`
	Close int64 `json:"close"`
}

// A Workload is the input of a report: the sizes of the buffers a program
// used and, when known, how many of them were live at once.
//
// Concurrency comes from Spans when they are set, else from Live. When it is
// unknown (no Spans and Live == 0), the replay keeps [Options.Live] buffers
// open at once and the report does not judge the retention cap.
//
// The zero Workload holds no buffers; [Run] returns an error for it.
type Workload struct {
	// Source says where the sizes came from; it titles the report.
	Source string `json:"source"`
	// Sizes are buffer sizes with counts, in input order (the held-out
	// check splits them by position). Ignored when Spans is set.
	Sizes []SizeCount `json:"sizes,omitempty"`
	// Spans are buffers with lifetimes, in any order.
	Spans []Span `json:"spans,omitempty"`
	// Live is the number of buffers live at once for Sizes, when known
	// (as [FromStats] derives it from a pool's peak of chunks out).
	Live int `json:"live,omitempty"`
	// Notes are remarks on the input (how Live was derived, lines left
	// out), printed with the report.
	Notes []string `json:"notes,omitempty"`
}

// check validates w.
func (w *Workload) check() error {
	var total int64
	if len(w.Spans) > 0 {
		for i, s := range w.Spans {
			if s.Size < 0 || s.Size > buffer.DefaultLimit {
				return fmt.Errorf("tune: spans[%d]: size %d out of range [0, %d]", i, s.Size, int64(buffer.DefaultLimit))
			}
			if s.Close < s.Open {
				return fmt.Errorf("tune: spans[%d]: closed at %d, before it opened at %d", i, s.Close, s.Open)
			}
		}
		return nil
	}
	for i, s := range w.Sizes {
		if s.Size < 0 || s.Size > buffer.DefaultLimit || s.Count < 0 || s.Count > maxBuffers {
			return fmt.Errorf("tune: sizes[%d] = {size %d, count %d}: want a size in [0, %d] and a count in [0, %d]",
				i, s.Size, s.Count, int64(buffer.DefaultLimit), int64(maxBuffers))
		}
		if total += s.Count; total > maxBuffers {
			return fmt.Errorf("tune: more than %d buffers", int64(maxBuffers))
		}
	}
	if total == 0 {
		return errors.New("tune: the workload holds no buffers")
	}
	if w.Live < 0 {
		return fmt.Errorf("tune: Live = %d is negative", w.Live)
	}
	return nil
}

// hist is a size distribution: distinct sizes, ascending, with counts.
type hist struct {
	sizes []SizeCount
	total int64
}

// newHist merges and sorts sizes.
func newHist(in []SizeCount) hist {
	sizes := slices.Clone(in)
	slices.SortFunc(sizes, func(a, b SizeCount) int { return cmp.Compare(a.Size, b.Size) })
	var h hist
	for _, s := range sizes {
		if s.Count == 0 {
			continue
		}
		if n := len(h.sizes); n > 0 && h.sizes[n-1].Size == s.Size {
			h.sizes[n-1].Count += s.Count
		} else {
			h.sizes = append(h.sizes, s)
		}
		h.total += s.Count
	}
	return h
}

// spanHist returns the size distribution of spans.
func spanHist(spans []Span) hist {
	sizes := make([]SizeCount, len(spans))
	for i, s := range spans {
		sizes[i] = SizeCount{s.Size, 1}
	}
	return newHist(sizes)
}

// quantile returns the smallest size whose cumulative count reaches q of
// the total.
func (h hist) quantile(q float64) int64 {
	want := int64(math.Ceil(q * float64(h.total)))
	var cum int64
	for _, s := range h.sizes {
		if cum += s.Count; cum >= want {
			return s.Size
		}
	}
	return h.sizes[len(h.sizes)-1].Size
}

// sample returns n sizes in the proportions of h (largest remainder),
// shuffled with a fixed seed.
func (h hist) sample(n int, rnd func(n int, swap func(i, j int))) []int64 {
	type share struct {
		i    int
		frac float64
	}
	out := make([]int64, 0, n)
	var shares []share
	for i, s := range h.sizes {
		exact := float64(s.Count) * float64(n) / float64(h.total)
		k := int(exact)
		for range k {
			out = append(out, s.Size)
		}
		shares = append(shares, share{i, exact - float64(k)})
	}
	slices.SortStableFunc(shares, func(a, b share) int { return cmp.Compare(b.frac, a.frac) })
	for j := 0; len(out) < n; j++ {
		out = append(out, h.sizes[shares[j%len(shares)].i].Size)
	}
	rnd(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// splitSizes splits sizes in two halves by position: with the buffers
// numbered in input order (a count standing for that many buffers in a
// row), the even ones go to fit and the odd ones to held.
func splitSizes(sizes []SizeCount) (fit, held []SizeCount) {
	var k int64
	for _, s := range sizes {
		evens := (k+s.Count+1)/2 - (k+1)/2
		if evens > 0 {
			fit = append(fit, SizeCount{s.Size, evens})
		}
		if odds := s.Count - evens; odds > 0 {
			held = append(held, SizeCount{s.Size, odds})
		}
		k += s.Count
	}
	return fit, held
}

// sortSpans sorts spans by opening time, then closing time, then size.
func sortSpans(spans []Span) []Span {
	s := slices.Clone(spans)
	slices.SortStableFunc(s, func(a, b Span) int {
		return cmp.Or(cmp.Compare(a.Open, b.Open), cmp.Compare(a.Close, b.Close), cmp.Compare(a.Size, b.Size))
	})
	return s
}

// splitSpans splits spans, sorted by opening time, in two halves by time:
// the first half of the buffers to open goes to fit, the rest to held.
func splitSpans(sorted []Span) (fit, held []Span) {
	h := (len(sorted) + 1) / 2
	return sorted[:h], sorted[h:]
}

// peakLive returns the most spans live at once, as a replay holds them
// (see spanOps): a span with Open == Close counts for the instant it is
// open.
func peakLive(spans []Span) int {
	live, peak := 0, 0
	for _, o := range spanOps(spans) {
		if o.close {
			live--
		} else {
			live++
			peak = max(peak, live)
		}
	}
	return peak
}

// ceilPow2 returns the smallest power of two >= v, at least 1.
func ceilPow2(v int64) int64 {
	if v <= 1 {
		return 1
	}
	return 1 << bits.Len64(uint64(v-1))
}

// segmentChunks is how many chunks of one size a buffer takes past the
// max chunk size before the size doubles, up to the pool's MaxChunk (the
// segments of buffer's layout).
const segmentChunks = 16

// chunkWalk returns how many chunks hold n bytes in a buffer whose chunks
// start at first bytes and double up to max bytes, then grow in segments
// of segmentChunks chunks of one size, doubling from max up to top bytes
// (all powers of two, first <= max <= top; top == max: no segments), and
// the bytes of those chunks.
func chunkWalk(n, first, max, top int64) (k, b int64) {
	for c := first; n > 0 && c < max; c *= 2 {
		n -= c
		b += c
		k++
	}
	for c := max; n > 0 && c < top; c *= 2 {
		for j := 0; j < segmentChunks && n > 0; j++ {
			n -= c
			b += c
			k++
		}
	}
	if n > 0 {
		m := (n + top - 1) / top
		k += m
		b += m * top
	}
	return k, b
}

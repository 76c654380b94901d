// Package tune recommends a [pool.Config] for a workload: it replays the
// workload's buffer sizes through real buffers and pools under a grid of
// candidate configurations, measures each, and reports the best, with the
// Go code that applies it.
//
// Input is a [Workload]: buffer sizes (from a trace, see [ReadTrace], or
// from a pool's statistics, see [FromStats] and [ParseStats]), and, when
// known, how many buffers are live at once. [Run] returns a [Report], which
// renders as text, Markdown or JSON.
//
// Method:
//
//   - The input is split in two halves (see [Run]). Candidates are measured
//     on the first half; the recommended and default configurations are
//     measured again on the second, held-out half, so that a gain that only
//     fits the sample shows.
//   - Each candidate is replayed in the mode it is reported in: the default
//     with calibration on (after the pool has observed enough sizes of the
//     half replayed for calibration to settle, as in a program that has run
//     for a while), the others with the layout pinned
//     (NoCalibration). The code printed is the configuration measured.
//   - Candidates follow the pool's and the buffers' own rules: MaxChunk is
//     never under max(FirstChunk, 64 KiB), the floor calibration keeps, and
//     FirstChunk is never over max(4 KiB, the median size's class), so
//     small content never sits in a large first chunk, nor over max(4 KiB,
//     16 x the median buffer's first write rounded up to a power of two),
//     beyond which buffers do not use it.
//   - The score of a candidate is the chunk bytes its buffers held per byte
//     stored, plus the bytes its pool allocated per byte stored, plus 0.05
//     per chunk of the mean buffer; the lowest wins. Scores within 0.005 of
//     the lowest tie; ties go to the configuration closest to the default
//     (fewest fields changed), then to the fewest chunks per buffer.
//   - A calibrated pool settles on a layout from a histogram that decays in
//     random shards; when the median or 95th percentile sits at a class
//     boundary where the layout changes, it may settle either way, and the
//     report says so ([Report].CalibrationUnsettled).
//   - MaxRetained is judged only when the workload says how many buffers are
//     live at once; the replay then holds that many, and the caps tried are
//     around the peak of chunk bytes out it measures. Otherwise the default
//     cap is kept and the report says why.
//   - A replay writes at most [Options.ReplayBytes] (1 GiB): it stops after
//     the buffer that reaches them. A buffer larger than 64 MiB is replayed
//     at 64 MiB, since past 4 chunks of the largest size class its cost per
//     byte stored barely changes with its size. The report notes both.
//
// Time per buffer is not reported: one replay is too short and too noisy to
// rank configurations by speed; use the pool and buffer benchmarks for that.
package tune

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// The rules of the grid; see the package documentation.
const (
	// CalibrationFloor is the smallest largest-chunk size calibration
	// picks (or MaxChunk, if smaller); see pool/calibrate.go.
	CalibrationFloor = 64 << 10
	// SmallFirstChunk is the largest first chunk offered when the median
	// buffer fits a smaller one, or when its first write does: package
	// buffer gives a buffer whose first write needs n bytes a first chunk
	// of at most max(16n, 4 KiB) (n rounded up to a power of two); see
	// buffer.SmallFirstChunk and buffer.FirstChunkFactor.
	SmallFirstChunk = buffer.SmallFirstChunk
	// TieTolerance is how close to the lowest score a score must be to tie.
	TieTolerance = 0.005
)

// Seeds of the replay orders of the two halves of a workload of sizes.
const fitSeed, heldSeed = 1, 3

// Options tune a [Run]. The zero value selects every default.
type Options struct {
	// Buffers is the number of buffers replayed per candidate, from each
	// half of the input; 0 means 1000. When the workload gives a number of
	// buffers live at once ([Workload].Live), at least 4 times that many
	// are replayed, and the report notes the raise; the Live option below
	// does not raise it.
	Buffers int
	// Piece is the number of bytes per Write call in the replay; 0 means
	// 512. A buffer's first write sizes its first chunk when it is larger
	// than the pool's.
	Piece int
	// Live is the number of buffers open at once in the replay of a
	// workload that does not say; 0 means 16. When fewer buffers are
	// replayed, the replay holds them all open at once, and the report's
	// Live says that many. It is not used to judge MaxRetained.
	Live int
	// ReplayBytes bounds the bytes each replay writes, so that a workload of
	// large buffers tunes in bounded time: past it, a replay stops after the
	// buffer that reaches it (the first buffer always runs), and the report
	// says how many were replayed. 0 means 1 GiB. Whatever it is, a buffer
	// larger than 64 MiB is replayed at 64 MiB, with a note, so that a
	// replay holds at most about 320 MiB of content at once.
	ReplayBytes int64
	// Deterministic runs the replays with one P (GOMAXPROCS 1) and the
	// garbage collector off, both process-wide settings restored on return,
	// so that a workload gives the same report on every run (except under
	// the race detector, whose sync.Pool drops puts at random). It is meant
	// for tests and golden files, not for a program with other work going.
	Deterministic bool
}

// withDefaults fills in the zero fields of o and checks it.
func (o Options) withDefaults() (Options, error) {
	if o.Buffers == 0 {
		o.Buffers = 1000
	}
	if o.Piece == 0 {
		o.Piece = 512
	}
	if o.Live == 0 {
		o.Live = 16
	}
	if o.ReplayBytes == 0 {
		o.ReplayBytes = defaultReplayBytes
	}
	switch {
	case o.ReplayBytes < 0:
		return o, fmt.Errorf("tune: ReplayBytes = %d is negative", o.ReplayBytes)
	case o.Buffers < 1 || o.Buffers > 1_000_000:
		return o, fmt.Errorf("tune: Buffers = %d: want 1 to 1000000", o.Buffers)
	case o.Piece < 1 || o.Piece > 64<<20:
		return o, fmt.Errorf("tune: Piece = %d: want 1 to 64 MiB", o.Piece)
	case o.Live < 1 || o.Live > maxLive:
		return o, fmt.Errorf("tune: Live = %d: want 1 to %d", o.Live, maxLive)
	}
	return o, nil
}

// A Candidate is one configuration and what its replay measured.
type Candidate struct {
	// Config is the configuration exactly as given to pool.New; zero
	// fields mean the defaults.
	Config pool.Config `json:"config"`
	// Calibrated reports whether calibration was on (Config.NoCalibration
	// false).
	Calibrated bool `json:"calibrated"`
	// FirstChunk and MaxChunk are the pool's layout at the end of the
	// replay: Config's own when pinned, the calibrated one otherwise.
	FirstChunk int `json:"first_chunk"`
	MaxChunk   int `json:"max_chunk"`
	// FirstUsed is the first chunk size most non-empty buffers got, which
	// is smaller than FirstChunk when their first write is small (package
	// buffer bounds it to max(4 KiB, 16 x the first write rounded up to a
	// power of two)).
	FirstUsed int `json:"first_chunk_used"`
	// MaxRetained is the pool's retention cap, default filled in.
	MaxRetained int64 `json:"max_retained"`
	// MemPerStored is the chunk bytes the buffers held per byte stored.
	MemPerStored float64 `json:"chunk_bytes_per_byte_stored"`
	// AllocPerStored is the bytes the pool newly allocated per byte stored.
	AllocPerStored float64 `json:"alloc_bytes_per_byte_stored"`
	// ChunksMean, ChunksP50 and ChunksP99 are the mean and percentiles of
	// the chunks per buffer.
	ChunksMean float64 `json:"chunks_per_buffer_mean"`
	ChunksP50  int     `json:"chunks_per_buffer_p50"`
	ChunksP99  int     `json:"chunks_per_buffer_p99"`
	// OneChunk is the share of buffers held in at most one chunk.
	OneChunk float64 `json:"one_chunk_share"`
	// HitRate is the share of chunks handed out that came from the pool.
	HitRate float64 `json:"hit_rate"`
	// Drops is the number of chunks the pool let go because keeping them
	// would have passed MaxRetained.
	Drops int64 `json:"drops"`
	// PeakLive, PeakChunksOut and PeakBytesOut are the most buffers open,
	// chunks and chunk bytes held by open buffers at once in the replay.
	PeakLive      int   `json:"peak_live"`
	PeakChunksOut int64 `json:"peak_chunks_out"`
	PeakBytesOut  int64 `json:"peak_bytes_out"`
	// Score is MemPerStored + AllocPerStored + 0.05 x ChunksMean; the
	// lowest wins.
	Score float64 `json:"score"`
	// Default marks the default configuration, Recommended the chosen one.
	Default     bool `json:"default,omitempty"`
	Recommended bool `json:"recommended,omitempty"`
}

// A Bar is one class of the size histogram: the sizes in (Max/2, Max],
// Max a power of two; size 0 falls in the class of Max 1, with size 1.
type Bar struct {
	Max int64 `json:"max"`
	// Count is the number of input buffers in the class.
	Count int64 `json:"count"`
	// Share is Count over all the input buffers (Report.Buffers).
	Share float64 `json:"share"`
}

// A HeldOut is the check of a recommendation on the half of the input it
// was not chosen on.
type HeldOut struct {
	// Buffers is the number of input buffers in the held-out half, Replayed
	// the number replayed.
	Buffers  int64 `json:"buffers"`
	Replayed int   `json:"replayed"`
	// Recommended and Default are the replays of the recommended and the
	// default configuration on the held-out half.
	Recommended Candidate `json:"recommended"`
	Default     Candidate `json:"default"`
}

// A Report is the result of [Run]. Its fields are exported for programs
// that check a recommendation (and marshal to the JSON of [Report.WriteJSON]).
type Report struct {
	// Source says where the workload came from; Notes are remarks on it.
	Source string   `json:"source"`
	Notes  []string `json:"notes,omitempty"`
	// Buffers is the number of buffers in the input; Median, P95, P99 and
	// Max describe their sizes, Histogram their log2 classes.
	Buffers   int64 `json:"buffers"`
	Median    int64 `json:"median"`
	P95       int64 `json:"p95"`
	P99       int64 `json:"p99"`
	Max       int64 `json:"max"`
	Histogram []Bar `json:"histogram"`
	// FitBuffers is the number of input buffers in the half the candidates
	// were measured on, Replayed the number replayed per candidate.
	FitBuffers int64 `json:"fit_buffers"`
	Replayed   int   `json:"replayed"`
	// Live is the number of buffers open at once in the replay: from the
	// workload when RetentionJudged, else Options.Live, but at most
	// Replayed.
	Live            int  `json:"live"`
	RetentionJudged bool `json:"retention_judged"`
	// CalibrationUnsettled reports that the fit half's median or 95th
	// percentile lies within 3% of a size class boundary where the
	// calibrated layout changes, so that a calibrated pool may settle on
	// either of two layouts (its histogram decays in random shards): the
	// calibrated rows may differ from run to run, as they would between two
	// runs of the program.
	CalibrationUnsettled bool `json:"calibration_unsettled"`
	// Candidates are the configurations measured on the fit half.
	Candidates []Candidate `json:"candidates"`
	// Recommended is the chosen configuration, exactly as measured.
	Recommended pool.Config `json:"recommended"`
	// Rules are the rules the grid and the choice follow; Why explains the
	// choice.
	Rules []string `json:"rules"`
	Why   []string `json:"why"`
	// HeldOut is the check on the other half; nil when the input has a
	// single buffer.
	HeldOut *HeldOut `json:"held_out"`
	// Code is the Go code that applies Recommended.
	Code string `json:"code"`
}

// Run replays w under the candidate configurations and returns the report.
//
// The held-out split: a workload of sizes is split by position, the even
// buffers of the input order (a "size count" line standing for count
// buffers in a row) for fitting and the odd ones for the check; a workload
// of spans is split by time, the first half of the buffers to open for
// fitting and the rest for the check.
func Run(w Workload, o Options) (*Report, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := w.check(); err != nil {
		return nil, err
	}
	if len(w.Spans) == 0 && w.Live > maxLive {
		return nil, fmt.Errorf("tune: Live = %d: want at most %d", w.Live, maxLive)
	}
	r := &Report{Source: w.Source, Notes: slices.Clone(w.Notes)}
	var (
		all, fitHist        hist
		fitPlan, heldPlan   plan
		heldBuffers         int64
		replayed, heldCount int
		fitSpans            []Span // the fit half of the spans, when the workload has spans
	)
	if len(w.Spans) > 0 {
		sorted := sortSpans(w.Spans)
		var held []Span
		fitSpans, held = splitSpans(sorted)
		all, fitHist = spanHist(sorted), spanHist(fitSpans)
		fitPlan, heldPlan = spansPlan(fitSpans, o.Buffers), spansPlan(held, o.Buffers)
		heldBuffers = int64(len(held))
		r.RetentionJudged = true
	} else {
		fit, held := splitSizes(w.Sizes)
		all, fitHist = newHist(w.Sizes), newHist(fit)
		heldH := newHist(held)
		r.Live, r.RetentionJudged = o.Live, false
		n := o.Buffers
		if w.Live > 0 {
			r.Live, r.RetentionJudged = w.Live, true
			if n < 4*w.Live {
				n = 4 * w.Live
				r.Notes = append(r.Notes, fmt.Sprintf("%d buffers replayed per candidate, not %d (Options.Buffers, bytesio tune -n): at least 4 times the %d buffers live at once",
					n, o.Buffers, w.Live))
			}
		}
		fitPlan = sizesPlan(fitHist, n, r.Live, fitSeed)
		if heldBuffers = heldH.total; heldBuffers > 0 {
			heldPlan = sizesPlan(heldH, n, r.Live, heldSeed) // another order too
		}
	}
	wanted := len(fitPlan.sizes) // before the replay budget
	fitPlan, lowered := fitPlan.bound(o.ReplayBytes)
	heldPlan, heldLowered := heldPlan.bound(o.ReplayBytes)
	replayed, heldCount = len(fitPlan.sizes), len(heldPlan.sizes)
	if fitSpans != nil {
		r.Live = peakLive(fitSpans[:replayed])
	} else {
		r.Live = min(r.Live, replayed) // no more can be open at once
	}
	if replayed < wanted {
		r.Notes = append(r.Notes, fmt.Sprintf("%d buffers replayed per candidate, not %d: their sizes reach the replay budget of %s (Options.ReplayBytes, bytesio tune -replay-bytes)",
			replayed, wanted, human(o.ReplayBytes)))
	}
	if lowered+heldLowered > 0 {
		held := ""
		if heldLowered > 0 {
			held = fmt.Sprintf(", %d of the %d of the held-out half", heldLowered, heldCount)
		}
		r.Notes = append(r.Notes, fmt.Sprintf("buffers larger than %s were replayed at that size: %d of the %d replayed per candidate%s; past 4 chunks of the largest size class, the cost per byte stored barely changes with size",
			human(maxReplaySize), lowered, replayed, held))
	}
	r.Buffers = all.total
	r.Median, r.P95, r.P99 = all.quantile(0.5), all.quantile(0.95), all.quantile(0.99)
	r.Max = all.sizes[len(all.sizes)-1].Size
	r.Histogram = histogram(all)
	r.FitBuffers, r.Replayed = fitHist.total, replayed

	piece := bytes.Repeat([]byte{0xA5}, o.Piece)
	median, p95 := fitHist.quantile(0.5), fitHist.quantile(0.95)
	for _, cfg := range layoutGrid(median, p95, int64(o.Piece)) {
		c, err := replay(fitPlan, cfg, &o, piece)
		if err != nil {
			return nil, err
		}
		r.Candidates = append(r.Candidates, c)
	}
	best := choose(r.Candidates)
	if r.RetentionJudged {
		base := r.Candidates[best]
		for _, cap := range retentionCaps(base.PeakBytesOut) {
			cfg := base.Config
			cfg.MaxRetained = cap
			c, err := replay(fitPlan, cfg, &o, piece)
			if err != nil {
				return nil, err
			}
			r.Candidates = append(r.Candidates, c)
		}
		best = choose(r.Candidates)
	}
	for i := range r.Candidates {
		r.Candidates[i].Default = r.Candidates[i].Config == pool.Config{}
	}
	rec := &r.Candidates[best]
	rec.Recommended = true
	r.Recommended = rec.Config

	if heldCount > 0 {
		h := &HeldOut{Buffers: heldBuffers, Replayed: heldCount}
		if h.Recommended, err = replay(heldPlan, rec.Config, &o, piece); err != nil {
			return nil, err
		}
		h.Default = h.Recommended
		if rec.Config != (pool.Config{}) {
			if h.Default, err = replay(heldPlan, pool.Config{}, &o, piece); err != nil {
				return nil, err
			}
		}
		h.Recommended.Recommended = true
		h.Default.Default = true
		r.HeldOut = h
	}
	if r.CalibrationUnsettled = nearBoundary(fitHist); r.CalibrationUnsettled {
		r.Notes = append(r.Notes, "the median or 95th percentile sits at a size class boundary, so a calibrated pool may settle on either of two layouts: the calibrated rows may differ from run to run")
	}
	r.Rules = rules()
	r.Why = explain(r, rec)
	r.Code = GoCode(rec.Config)
	return r, nil
}

// histogram returns the log2 classes of h.
func histogram(h hist) []Bar {
	var bars []Bar
	for _, s := range h.sizes {
		m := ceilPow2(s.Size)
		if n := len(bars); n > 0 && bars[n-1].Max == m {
			bars[n-1].Count += s.Count
		} else {
			bars = append(bars, Bar{Max: m, Count: s.Count})
		}
	}
	for i := range bars {
		bars[i].Share = float64(bars[i].Count) / float64(h.total)
	}
	return bars
}

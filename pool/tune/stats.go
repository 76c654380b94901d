package tune

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// statsInput is the part of a [pool.Stats] a report reads, decoded from its
// JSON form. The peak fields are pointers: a Stats from before they existed
// leaves them nil, and the workload then carries no concurrency.
type statsInput struct {
	Sizes         []pool.SizeCount `json:"sizes"`
	FirstChunk    int64            `json:"first_chunk"`
	MaxChunk      int64            `json:"max_chunk"`
	PeakChunksOut *int64           `json:"peak_chunks_out"`
	PeakBytesOut  *int64           `json:"peak_bytes_out"`
	Config        struct {
		MaxChunk int64 `json:"max_chunk"`
	} `json:"config"`
}

// FromStats returns the workload a pool's statistics describe: the sizes of
// its decayed size histogram, each class at its upper bound (at most
// buffer.DefaultLimit, with a note when a class passes it), and, when the
// statistics carry a peak of chunks (or bytes) out, the number of buffers
// live at once that this peak implies at the pool's layout: the peak over
// the mean chunks (bytes) per buffer, rounded, at least 1 and at most 4096
// (with a note when capped). A negative peak, which no pool reports, is an
// error. Statistics without a valid layout are taken at the default one
// (first chunk 1 KiB, max 1 MiB). The source of the workload is source.
func FromStats(source string, s pool.Stats) (Workload, error) {
	data, err := json.Marshal(s)
	if err != nil {
		return Workload{}, fmt.Errorf("tune: %v", err)
	}
	return statsWorkload(source, data)
}

// ParseStats reads the JSON form of a [pool.Stats] (as saved from
// [pool.Pool.Stats] or served by [pool.Pool.Publish]), or an expvar page
// (/debug/vars) holding one; name prefixes errors and titles the report. On
// an expvar page the variable named varName is read, or, when varName is
// empty, the first variable holding pool statistics in name order; when
// that one cannot be read (it observed no sizes yet), the error names the
// other pools that hold observed sizes, to be named as varName. See
// [FromStats] for the workload it returns.
func ParseStats(name string, data []byte, varName string) (Workload, error) {
	var vars map[string]json.RawMessage
	if err := json.Unmarshal(data, &vars); err != nil {
		return Workload{}, fmt.Errorf("%s: not a JSON object (pool.Stats or expvar page): %v", name, err)
	}
	if isStats(vars) {
		return statsWorkload(name, data)
	}
	var all, pools []string
	for k, v := range vars {
		all = append(all, k)
		var m map[string]json.RawMessage
		if json.Unmarshal(v, &m) == nil && isStats(m) {
			pools = append(pools, k)
		}
	}
	slices.Sort(all)
	slices.Sort(pools)
	if varName != "" {
		if slices.Contains(pools, varName) {
			return statsWorkload(fmt.Sprintf("%s var %q", name, varName), vars[varName])
		}
		what := "not a variable"
		if _, ok := vars[varName]; ok {
			what = "a variable that holds no pool statistics"
		}
		if len(pools) > 0 {
			return Workload{}, fmt.Errorf("%s: no pool statistics named %q (%s); pool statistics found: %s", name, varName, what, quoteList(pools))
		}
		return Workload{}, fmt.Errorf("%s: no pool statistics named %q (%s); variables found: %s", name, varName, what, quoteList(all))
	}
	if len(pools) == 0 {
		return Workload{}, fmt.Errorf("%s: no pool statistics among %d variables (%s; publish them with (*pool.Pool).Publish)", name, len(all), quoteList(all))
	}
	w, err := statsWorkload(fmt.Sprintf("%s var %q", name, pools[0]), vars[pools[0]])
	if err == nil || len(pools) == 1 {
		return w, err
	}
	var observed []string
	for _, p := range pools[1:] {
		if _, err := statsWorkload(p, vars[p]); err == nil {
			observed = append(observed, p)
		}
	}
	if len(observed) == 0 {
		return Workload{}, fmt.Errorf("%w (the first of %d pools in name order; none of the others holds observed sizes either)", err, len(pools))
	}
	return Workload{}, fmt.Errorf("%w (the first of %d pools in name order); pools with observed sizes: %s "+
		"(name one with bytesio tune -var, or as varName)", err, len(pools), quoteList(observed))
}

// quoteList returns names quoted and joined by commas, at most 20 of them.
func quoteList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	var q []string
	for i, n := range names {
		if i == 20 {
			q = append(q, fmt.Sprintf("and %d more", len(names)-20))
			break
		}
		q = append(q, fmt.Sprintf("%q", n))
	}
	return strings.Join(q, ", ")
}

// isStats reports whether a JSON object has the keys of a pool.Stats.
func isStats(m map[string]json.RawMessage) bool {
	_, a := m["sizes"]
	_, b := m["classes"]
	return a && b
}

// statsWorkload decodes the JSON of a pool.Stats.
func statsWorkload(source string, data []byte) (Workload, error) {
	var s statsInput
	if err := json.Unmarshal(data, &s); err != nil {
		return Workload{}, fmt.Errorf("%s: bad pool statistics: %v", source, err)
	}
	for _, p := range []struct {
		key  string
		peak *int64
	}{{"peak_chunks_out", s.PeakChunksOut}, {"peak_bytes_out", s.PeakBytesOut}} {
		if p.peak != nil && *p.peak < 0 {
			return Workload{}, fmt.Errorf("%s: %s %d is negative: a pool's peak is 0 or more", source, p.key, *p.peak)
		}
	}
	w := Workload{Source: "stats " + source + " (classes replayed at their upper bound)"}
	var above int64 // buffers of classes whose upper bound passes DefaultLimit
	for i, c := range s.Sizes {
		if c.Max < 1 || c.Max&(c.Max-1) != 0 || c.Count > maxBuffers {
			return Workload{}, fmt.Errorf("%s: sizes[%d] = {max %d, count %d}: want a power-of-two max and a count up to %d",
				source, i, c.Max, c.Count, int64(maxBuffers))
		}
		if c.Count > 0 {
			// A class's upper bound may pass the default limit (the class
			// of 2^31 on 32-bit platforms holds sizes up to DefaultLimit,
			// and a buffer may raise its limit): replay it at the limit.
			size := c.Max
			if size > buffer.DefaultLimit {
				size, above = buffer.DefaultLimit, above+int64(c.Count)
			}
			w.Sizes = append(w.Sizes, SizeCount{size, int64(c.Count)})
		}
	}
	if len(w.Sizes) == 0 {
		return Workload{}, fmt.Errorf("%s: the statistics hold no observed buffer sizes", source)
	}
	if err := (&w).check(); err != nil {
		// check's errors name the package; this one names the source.
		return Workload{}, fmt.Errorf("%s: %s", source, strings.TrimPrefix(err.Error(), "tune: "))
	}
	w.Live, w.Notes = liveFromPeaks(w.Sizes, s)
	if above > 0 {
		w.Notes = append(w.Notes, fmt.Sprintf("%s of classes above the default size limit (%s) replayed at that limit",
			countOf(above, "buffer"), human(buffer.DefaultLimit)))
	}
	return w, nil
}

// liveFromPeaks derives the buffers live at once from a pool's peak of
// chunks (or, failing that, bytes) out: the peak divided by the mean chunks
// (bytes) per buffer of the observed sizes at the pool's layout, rounded
// half up, in exact integer arithmetic (a peak near 2^63 is past float64's
// integers). It returns 0 and a note when the statistics carry no peak.
func liveFromPeaks(sizes []SizeCount, s statsInput) (int, []string) {
	first, maxc := s.FirstChunk, s.MaxChunk
	if first < pool.MinChunkLimit || first&(first-1) != 0 || maxc < first || maxc > pool.MaxChunkLimit || maxc&(maxc-1) != 0 {
		first, maxc = pool.DefaultFirstChunk, pool.DefaultMaxChunk
	}
	// Past maxc, chunks grow in segments up to the pool's MaxChunk.
	top := s.Config.MaxChunk
	if top < maxc || top > pool.MaxChunkLimit || top&(top-1) != 0 {
		top = maxc
	}
	n, chunks, bytes := new(big.Int), new(big.Int), new(big.Int)
	for _, sc := range sizes {
		c, cb := chunkWalk(sc.Size, first, maxc, top)
		count := big.NewInt(sc.Count)
		n.Add(n, count)
		chunks.Add(chunks, new(big.Int).Mul(count, big.NewInt(c)))
		bytes.Add(bytes, new(big.Int).Mul(count, big.NewInt(cb)))
	}
	var peak int64
	var total *big.Int // chunks or bytes of all the buffers
	var unit string
	switch {
	case s.PeakChunksOut != nil && *s.PeakChunksOut > 0:
		peak, total, unit = *s.PeakChunksOut, chunks, "chunk"
	case s.PeakBytesOut != nil && *s.PeakBytesOut > 0:
		peak, total, unit = *s.PeakBytesOut, bytes, "byte"
	default:
		return 0, []string{"the statistics carry no peak of chunks out (peak_chunks_out missing or 0), so how many buffers are live at once is unknown"}
	}
	if total.Sign() <= 0 {
		return 0, []string{"the observed buffers are all empty, so the peak of chunks out says nothing about how many are live at once"}
	}
	// est = round(peak / (total/n)) = floor((2·peak·n + total) / (2·total)).
	est := new(big.Int).Mul(big.NewInt(peak), n)
	est.Add(est.Lsh(est, 1), total)
	est.Quo(est, new(big.Int).Lsh(total, 1))
	if est.Sign() == 0 {
		est.SetInt64(1)
	}
	live := maxLive
	if est.IsInt64() && est.Int64() <= maxLive {
		live = int(est.Int64())
	}
	per, _ := new(big.Rat).SetFrac(total, n).Float64()
	note := fmt.Sprintf("%s live at once: a peak of %s out over %.2f %ss per buffer at the pool's layout (first chunk %s, max %s)",
		countOf(live, "buffer"), countOf(peak, unit), per, unit, human(first), human(maxc))
	if est.Cmp(big.NewInt(maxLive)) > 0 {
		note += fmt.Sprintf("; %s, capped at %d", est, maxLive)
	}
	return live, []string{note}
}

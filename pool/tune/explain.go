package tune

// The reasons and the Go code of a report.

import (
	"fmt"
	"strings"

	"github.com/bytesio-go/bytesio/pool"
)

// explain says why rec won.
func explain(r *Report, rec *Candidate) []string {
	var why []string
	var def *Candidate
	for i := range r.Candidates {
		if r.Candidates[i].Default {
			def = &r.Candidates[i]
		}
	}
	ties := 0
	lowest := rec.Score
	for _, c := range r.Candidates {
		lowest = min(lowest, c.Score)
	}
	for _, c := range r.Candidates {
		if c.Score <= lowest+TieTolerance {
			ties++
		}
	}
	switch {
	case rec.Default:
		why = append(why, fmt.Sprintf("keep the default: no candidate scores better than it by more than %.3f (default %.3f, lowest %.3f)", TieTolerance, rec.Score, lowest))
	case ties > 1:
		why = append(why, fmt.Sprintf("score %.3f, one of %d candidates within %.3f of the lowest (%.3f); chosen by the tie rule", rec.Score, ties, TieTolerance, lowest))
	default:
		why = append(why, fmt.Sprintf("lowest score: %.3f = chunk bytes per byte stored %.3f + allocated bytes per byte stored %.3f + %.2f x %.2f chunks per buffer",
			rec.Score, rec.MemPerStored, rec.AllocPerStored, chunkCharge, rec.ChunksMean))
	}
	mode := "pinned (NoCalibration)"
	if rec.Calibrated {
		mode = "calibrated"
	}
	why = append(why,
		fmt.Sprintf("layout %s: first chunk %s%s, %.0f%% of buffers in one chunk (median size %s)", mode, human(int64(rec.FirstChunk)), usedNote(rec), 100*rec.OneChunk, human(r.Median)),
		fmt.Sprintf("max chunk %s: chunks double up to it (95th percentile %s, 99th %s); the p99 buffer takes %s%s", human(int64(rec.MaxChunk)), human(r.P95), human(r.P99), countOf(rec.ChunksP99, "chunk"), replayedAt(r.P99)))
	if r.RetentionJudged {
		why = append(why, fmt.Sprintf("MaxRetained %s: with %s live at once the replay peaks at %s (%s) out; pool hit rate %.1f%%, %s dropped at the cap",
			human(rec.MaxRetained), countOf(rec.PeakLive, "buffer"), countOf(rec.PeakChunksOut, "chunk"), human(rec.PeakBytesOut), 100*rec.HitRate, countOf(rec.Drops, "chunk")))
		for _, c := range r.Candidates {
			if c.Config.MaxRetained != 0 && c.Config != rec.Config {
				why = append(why, fmt.Sprintf("a cap of %s (%s the peak) drops %s, hit rate %.1f%%, score %.3f",
					human(c.MaxRetained), map[bool]string{true: "under", false: "covering"}[c.MaxRetained < c.PeakBytesOut], countOf(c.Drops, "chunk"), 100*c.HitRate, c.Score))
			}
		}
	} else {
		why = append(why, fmt.Sprintf("MaxRetained %s (the default): the input does not say how many buffers are live at once, so retention cannot be judged from it (replayed with %d live; give a trace with open/close events or statistics with peak_chunks_out)",
			human(rec.MaxRetained), r.Live))
	}
	if def != nil && !rec.Default {
		why = append(why, fmt.Sprintf("the default configuration scores %.3f (chunk bytes per byte stored %.3f, hit rate %.1f%%)", def.Score, def.MemPerStored, 100*def.HitRate))
	}
	if h := r.HeldOut; h != nil {
		if rec.Default {
			why = append(why, fmt.Sprintf("held-out half (%s replayed): the default scores %.3f", countOf(h.Replayed, "buffer"), h.Default.Score))
		} else {
			verdict := "the gain holds"
			switch d := h.Default.Score - h.Recommended.Score; {
			case d < -TieTolerance:
				verdict = "the recommendation does worse than the default there: it fits the sample, not the workload"
			case d <= TieTolerance:
				verdict = "no gain there: a tie"
			}
			why = append(why, fmt.Sprintf("held-out half (%s replayed): recommended %.3f, default %.3f; %s", countOf(h.Replayed, "buffer"), h.Recommended.Score, h.Default.Score, verdict))
		}
	} else {
		why = append(why, "no held-out check: the input has a single buffer")
	}
	return why
}

// usedNote says which first chunk buffers got, when not the layout's.
func usedNote(c *Candidate) string {
	if c.FirstUsed == 0 || c.FirstUsed == c.FirstChunk {
		return ""
	}
	return fmt.Sprintf(" (most buffers got %s, as their first write bounds it)", human(int64(c.FirstUsed)))
}

// GoCode returns Go code that makes a pool with configuration c (its zero
// fields left out) and a buffer that uses it.
func GoCode(c pool.Config) string {
	var sb strings.Builder
	if c == (pool.Config{}) {
		sb.WriteString("// The default configuration: pool.Default has it, and buffer.New uses it.\n")
		sb.WriteString("b := buffer.New()")
		return sb.String()
	}
	type field struct{ name, value string }
	var fs []field
	if c.MinChunk != 0 {
		fs = append(fs, field{"MinChunk", sizeExpr(int64(c.MinChunk))})
	}
	if c.MaxChunk != 0 {
		fs = append(fs, field{"MaxChunk", sizeExpr(int64(c.MaxChunk))})
	}
	if c.FirstChunk != 0 {
		fs = append(fs, field{"FirstChunk", sizeExpr(int64(c.FirstChunk))})
	}
	if c.MaxRetained != 0 {
		fs = append(fs, field{"MaxRetained", sizeExpr(c.MaxRetained)})
	}
	if c.NoCalibration {
		fs = append(fs, field{"NoCalibration", "true"})
	}
	width := 0
	for _, f := range fs {
		width = max(width, len(f.name)+1)
	}
	sb.WriteString("p, err := pool.New(pool.Config{\n")
	for _, f := range fs {
		fmt.Fprintf(&sb, "\t%-*s %s,\n", width, f.name+":", f.value)
	}
	sb.WriteString("})\nif err != nil {\n\treturn err\n}\nb := buffer.NewWithPool(p)")
	return sb.String()
}

// replayedAt is what explains a chunk count of a buffer of size bytes: ""
// when it was replayed at its size, else the size it was replayed at.
func replayedAt(size int64) string {
	if size <= maxReplaySize {
		return ""
	}
	return " as replayed, at " + human(maxReplaySize)
}

// countOf returns n and noun, with an s unless n is 1.
func countOf[N int | int64](n N, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

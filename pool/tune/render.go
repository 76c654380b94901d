package tune

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/bytesio-go/bytesio/pool"
)

// WriteJSON writes r to w as indented JSON, with the field names of the
// json tags of [Report].
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes r to w as plain text: the size histogram, the table of
// candidates, the recommendation with its reasons, and the Go code.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	if r.Source != "" {
		fmt.Fprintf(bw, "bytesio tune: %s\n%s\n", r.Source, r.summary())
	} else {
		fmt.Fprintf(bw, "bytesio tune\n%s\n", r.summary())
	}
	for _, n := range r.Notes {
		fmt.Fprintf(bw, "Note: %s\n", n)
	}
	fmt.Fprintln(bw, "\nBuffer sizes (log2 classes):")
	for _, l := range r.bars(40) {
		fmt.Fprintln(bw, l)
	}
	fmt.Fprintf(bw, "\n%s:\n", r.tableTitle())
	for _, l := range legend {
		fmt.Fprintln(bw, l)
	}
	rows := r.table()
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], len(cell))
		}
	}
	for _, row := range rows {
		var sb strings.Builder
		for i, cell := range row {
			if i > 0 {
				sb.WriteString("  ")
			}
			if i >= 1 && i <= 5 {
				fmt.Fprintf(&sb, "%-*s", widths[i], cell)
			} else {
				fmt.Fprintf(&sb, "%*s", widths[i], cell)
			}
		}
		fmt.Fprintln(bw, strings.TrimRight(sb.String(), " "))
	}
	fmt.Fprintf(bw, "\nRecommended: %s\n", r.recommendation())
	for _, s := range r.Why {
		fmt.Fprintf(bw, "  - %s\n", s)
	}
	fmt.Fprintln(bw, "\nRules:")
	for _, s := range r.Rules {
		fmt.Fprintf(bw, "  - %s\n", s)
	}
	fmt.Fprintf(bw, "\nGo code:\n\n")
	for _, l := range strings.Split(r.Code, "\n") {
		fmt.Fprintf(bw, "\t%s\n", l)
	}
	return bw.Flush()
}

// WriteMarkdown writes r to w as Markdown, with the same content as
// [Report.WriteText].
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# bytesio tune\n\n")
	if r.Source != "" {
		fmt.Fprintf(bw, "Source: %s.\n", r.Source)
	}
	fmt.Fprintf(bw, "%s.\n", r.summary())
	for _, n := range r.Notes {
		fmt.Fprintf(bw, "\nNote: %s.\n", n)
	}
	fmt.Fprintf(bw, "\n## Buffer sizes\n\n```\n")
	for _, l := range r.bars(40) {
		fmt.Fprintln(bw, l)
	}
	fmt.Fprintf(bw, "```\n\n## Candidates\n\n%s.\n%s\n\n", r.tableTitle(), strings.ReplaceAll(strings.Join(legend, "; "), "*", `\*`)+".")
	for i, row := range r.table() {
		fmt.Fprintf(bw, "| %s |\n", strings.Join(row, " | "))
		if i == 0 {
			fmt.Fprintf(bw, "|%s\n", strings.Repeat("---|", len(row)))
		}
	}
	rec := r.recommendation()
	fmt.Fprintf(bw, "\n## Recommendation\n\n%s%s.\n\n", strings.ToUpper(rec[:1]), rec[1:])
	for _, s := range r.Why {
		fmt.Fprintf(bw, "- %s\n", s)
	}
	fmt.Fprintf(bw, "\nRules:\n\n")
	for _, s := range r.Rules {
		fmt.Fprintf(bw, "- %s\n", s)
	}
	fmt.Fprintf(bw, "\n```go\n%s\n```\n", r.Code)
	return bw.Flush()
}

// legend explains the table's marks and columns, one line each.
var legend = []string{
	"* recommended, d default; mode: cal = calibrated (first and max as calibration set them), pin = NoCalibration",
	"used = the first chunk most buffers got (a buffer bounds it by its first write)",
	"mem/stored = chunk bytes held per byte stored; alloc/stored = bytes the pool allocated per byte stored",
	"peak out = most chunk bytes held by open buffers at once",
}

func (r *Report) summary() string {
	return fmt.Sprintf("%s; median %s, p95 %s, p99 %s, max %s", countOf(r.Buffers, "buffer"), human(r.Median), human(r.P95), human(r.P99), human(r.Max))
}

func (r *Report) tableTitle() string {
	live := countOf(r.Live, "buffer") + " live at once (from the input)"
	if !r.RetentionJudged {
		live = countOf(r.Live, "buffer") + " live at once (not from the input)"
	}
	return fmt.Sprintf("Candidates, measured on the fit half (%d of %s): %s replayed each, %s",
		r.FitBuffers, countOf(r.Buffers, "buffer"), countOf(r.Replayed, "buffer"), live)
}

func (r *Report) recommendation() string {
	for _, c := range r.Candidates {
		if !c.Recommended {
			continue
		}
		if !c.Calibrated {
			return fmt.Sprintf("FirstChunk %s, MaxChunk %s, MaxRetained %s, NoCalibration (layout pinned)",
				human(int64(c.FirstChunk)), human(int64(c.MaxChunk)), human(c.MaxRetained))
		}
		s := fmt.Sprintf("calibration on (it settled on first chunk %s, max chunk %s), MaxChunk %s, MaxRetained %s",
			human(int64(c.FirstChunk)), human(int64(c.MaxChunk)), human(int64(cmp.Or(c.Config.MaxChunk, pool.DefaultMaxChunk))), human(c.MaxRetained))
		if c.Default {
			s = "the default configuration: " + s
		}
		return s
	}
	return "none"
}

// table returns the candidate table as rows of cells, header first.
func (r *Report) table() [][]string {
	rows := [][]string{{"", "mode", "first", "used", "max", "retain", "mem/stored", "alloc/stored", "chunks p50", "p99", "1 chunk", "hit rate", "peak out", "score"}}
	for _, c := range r.Candidates {
		mark, mode := "", "pin"
		switch {
		case c.Recommended:
			mark = "*"
		case c.Default:
			mark = "d"
		}
		if c.Calibrated {
			mode = "cal"
		}
		rows = append(rows, []string{
			mark, mode, human(int64(c.FirstChunk)), human(int64(c.FirstUsed)), human(int64(c.MaxChunk)), human(c.MaxRetained),
			fmt.Sprintf("%.3f", c.MemPerStored), fmt.Sprintf("%.3f", c.AllocPerStored),
			strconv.Itoa(c.ChunksP50), strconv.Itoa(c.ChunksP99),
			fmt.Sprintf("%.1f%%", 100*c.OneChunk), fmt.Sprintf("%.1f%%", 100*c.HitRate),
			human(c.PeakBytesOut), fmt.Sprintf("%.3f", c.Score),
		})
	}
	return rows
}

// bars returns the histogram lines, bars scaled to width: the largest
// count fills it, any other positive count takes at least one mark, and a
// count of 0 or less (in a report decoded from JSON) takes none.
func (r *Report) bars(width int) []string {
	var top int64
	for _, h := range r.Histogram {
		top = max(top, h.Count)
	}
	var out []string
	for _, h := range r.Histogram {
		n := 0
		if h.Count > 0 { // so top >= h.Count > 0, and the ratio is in (0, 1]
			n = min(max(int(math.Round(float64(width)*float64(h.Count)/float64(top))), 1), width)
		}
		out = append(out, fmt.Sprintf("%10s  %-*s %5.1f%%  %d",
			"<= "+human(h.Max), width, strings.Repeat("#", n), 100*h.Share, h.Count))
	}
	return out
}

// sizeExpr writes a size as a Go shift expression when it is a whole
// number of KiB or MiB.
func sizeExpr(v int64) string {
	switch {
	case v >= 1<<20 && v%(1<<20) == 0:
		return fmt.Sprintf("%d << 20", v>>20)
	case v >= 1<<10 && v%(1<<10) == 0:
		return fmt.Sprintf("%d << 10", v>>10)
	}
	return strconv.FormatInt(v, 10)
}

// human formats a byte count.
func human(v int64) string {
	switch {
	case v < 1<<10:
		return fmt.Sprintf("%d B", v)
	case v < 1<<20:
		return trimUnit(float64(v)/(1<<10), "KiB")
	case v < 1<<30:
		return trimUnit(float64(v)/(1<<20), "MiB")
	}
	return trimUnit(float64(v)/(1<<30), "GiB")
}

func trimUnit(f float64, unit string) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0") + " " + unit
}

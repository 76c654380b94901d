package bench

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/perf/benchunit"

	"github.com/bytesio-go/bytesio/pool"
)

// Machine describes where benchmarks ran.
type Machine struct {
	CPU       string    // model name from /proc/cpuinfo
	Cores     int       // logical CPUs
	GoVersion string    // toolchain that built the benchmarks, e.g. "go1.26.8"
	OS, Arch  string    // runtime.GOOS and runtime.GOARCH
	Date      time.Time // when the run started; zero when a results file does not record it
}

// DetectMachine describes the current machine and the Go release that
// built this program, which compiled the benchmarks into it.
func DetectMachine() Machine {
	return Machine{CPU: cpuModel("/proc/cpuinfo"), Cores: runtime.NumCPU(),
		GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH, Date: time.Now()}
}

// cpuModel returns the first "model name" of a /proc/cpuinfo file, or
// "unknown".
func cpuModel(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// A Chart is an image file of a report.
type Chart struct {
	Title string // caption shown above the image
	File  string // path relative to the Markdown file
}

// A Report is everything WriteMarkdown writes.
type Report struct {
	Machine Machine // where the run happened
	// Command reproduces the run, e.g. "bytesio bench -full".
	Command   string
	Rounds    int            // interleaved rounds, the samples per cell (the most of any cell)
	BenchTime string         // benchtime of each leaf
	Tables    []*Table       // one per workload and unit
	Summaries []Summary      // bytesio against the strongest peer
	Targets   []TargetResult // the project's targets
	Charts    []Chart        // images linked from the report

	// FewestRounds is the fewest samples of any cell, when fewer than
	// Rounds (a step failed, the run was stopped); 0 means Rounds.
	FewestRounds int

	// Mixed is set when the results come from several runs put together
	// (files of "bytesio bench -o" concatenated) that differ in how they
	// were made. It maps each setting that differs, by the name of its
	// row in the header ("CPU", "cores", "Go", "date", "rounds" for the
	// rounds each run asked for, "benchtime") or "-bench", to the values
	// found, in order. The header shows those values in place of Machine's,
	// Rounds' and BenchTime's, and the report gives no command to
	// reproduce the results, which no one command does; Command is unused.
	Mixed map[string][]string
}

// MixedSettings is the order in which the report names the keys of
// [Report.Mixed].
var MixedSettings = []string{"CPU", "cores", "Go", "date", "rounds", "benchtime", "-bench"}

// PeerNotes says how each peer is run: as its competent users run it.
var PeerNotes = []string{
	"**bytes.Buffer**: a new buffer per operation, grown once with `Grow` to the size when the operation knows it " +
		"(Append, SmallCycle); ReadFrom and PeakHeap do not know it. Where the operation works on existing content " +
		"(GetValue, SnapshotWrite), one buffer holds it.",
	fmt.Sprintf("**bytes.Buffer+sync.Pool**: `*bytes.Buffer` from a `sync.Pool`, `Reset` after `Get`, put back only when "+
		"its capacity is at most %d KiB, as `fmt` does (golang/go#23199); Append also `Grow`s it to the size.", PoolCap>>10),
	fmt.Sprintf("**bytes.Buffer+sync.Pool-nocap** (Append, ReadFrom, Bimodal): the same, putting back every buffer however "+
		"large, the pattern golang/go#23199 is about. bytesio's chunk pool keeps up to %d MiB of chunks for reuse "+
		"(`pool.DefaultMaxRetained`), so from 64 KiB up this is the pooled peer that reuses its memory as bytesio does.",
		pool.DefaultMaxRetained>>20),
	fmt.Sprintf("**bytebufferpool** (valyala v1.0.0): a `bytebufferpool.Pool` warmed before timing with %d Puts of "+
		"buffers of the workload's length, so it has calibrated (it does after 42,000 Puts of one size class) as in a "+
		"long-running program. Calibrated, it drops buffers above the class of its 95th percentile, and every buffer "+
		"above 32 MiB, its largest class.", bbpCalibratePuts),
	"**copy+sync.Pool** (GetValue, SnapshotWrite): the snapshot copied into memory from a `sync.Pool` and put back " +
		"where bytesio releases its view, as a user who knows when the snapshot ends would.",
	"**bytes.Reader**, **bytes.Clone**: the standard library as is. **afero.mem**: `mem.File` of github.com/spf13/afero v1.15.0.",
	"**copy** is no competitor but the ceiling: `copy` into or out of memory that is already allocated and written. " +
		"Summaries never pick it as the strongest peer.",
	"**bytesio** uses `buffer.Get`/`buffer.Put` where an operation takes and gives back a buffer, one long-lived " +
		"`buffer.New` buffer where it works on existing content, and `New`/`Close` per operation where a file is " +
		"made and closed (SeekPastEnd) or the heap is measured (PeakHeap; Bimodal uses a `buffer.Pool` of its own); " +
		"the buffer escapes to the heap in every workload, as one a hot path passes on does. **bytesio-new** uses " +
		"`New`/`Close` per operation; **bytesio-nopool** a chunk pool that keeps nothing.",
}

// WriteMarkdown writes r as BENCHMARKS.md: the machine and command, the
// plain-language summary, how the peers run, the targets, the charts, and
// per workload the comparison with the strongest peer followed by one table
// per unit whose cells show median ± range and the ratio to the
// workload's baseline column.
func WriteMarkdown(w io.Writer, r Report) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	// mixed is the text of the row of a setting of the run: the values of
	// the runs put together when they differ, else one.
	mixed := func(row, one string) string {
		if v := r.Mixed[row]; len(v) > 1 {
			return "mixed: " + mdEscape(strings.Join(v, "; "))
		}
		return mdEscape(one)
	}
	p("# Benchmarks\n\n")
	if len(r.Mixed) > 0 {
		p("Generated by `bytesio bench -in` from the results of several runs put together. Do not edit.\n\n")
	} else {
		p("Generated by `bytesio bench`. Do not edit: rerun the command below.\n\n")
	}
	p("| machine | |\n|---|---|\n")
	p("| CPU | %s |\n", mixed("CPU", r.Machine.CPU))
	p("| cores | %s |\n", mixed("cores", strconv.Itoa(r.Machine.Cores)))
	p("| Go | %s |\n", mixed("Go", r.Machine.GoVersion+" "+r.Machine.OS+"/"+r.Machine.Arch))
	date := "unrecorded"
	if !r.Machine.Date.IsZero() {
		date = r.Machine.Date.UTC().Format("2006-01-02 15:04 MST")
	}
	p("| date | %s |\n", mixed("date", date))
	rounds := CountOf(r.Rounds, "interleaved round")
	if slices.ContainsFunc(r.Tables, func(t *Table) bool { return t.ByOrder }) {
		rounds = CountOf(r.Rounds, "run") + " per benchmark, not interleaved (paired by order)"
	}
	if r.FewestRounds > 0 && r.FewestRounds < r.Rounds {
		rounds += fmt.Sprintf(" (as few as %d for some benchmarks)", r.FewestRounds)
	}
	if v := r.Mixed["rounds"]; len(v) > 1 {
		rounds = "mixed: runs of " + mdEscape(strings.Join(v, ", ")) + " rounds put together; " + rounds
	}
	benchTime := mdEscape(r.BenchTime)
	if v := r.Mixed["benchtime"]; len(v) > 1 {
		benchTime = "mixed (" + mdEscape(strings.Join(v, ", ")) + ")"
	}
	p("| rounds | %s, benchtime %s per leaf (a quarter of it from %s up in Append and Read) |\n\n",
		rounds, benchTime, FormatSize(LongSize))
	if len(r.Mixed) > 0 {
		var differ []string
		for _, k := range MixedSettings {
			if len(r.Mixed[k]) > 1 {
				differ = append(differ, mdEscape(k))
			}
		}
		p("These results come from several runs put together, which differ in %s: no one command reproduces them.\n\n",
			strings.Join(differ, ", "))
	} else {
		fence := codeFence(r.Command)
		p("Reproduce with:\n\n%s\n%s\n%s\n\n", fence, r.Command, fence)
	}

	p("## Summary\n\n")
	p("bytesio against the strongest peer measured at each size (never the `copy` ceiling). A ratio is bytesio's\n")
	if slices.ContainsFunc(r.Tables, func(t *Table) bool { return t.ByOrder }) {
		p("value over the peer's; these results have no rounds (as from go test, where each benchmark's runs come one after\n")
		p("the other), so they are paired by their order, not measured moments apart, and the ratio shown is the\n")
	} else {
		p("value over the peer's; each round measures both in one process moments apart, and the ratio shown is the\n")
	}
	p("median of the per-round ratios with its 95%% confidence interval. \"Significant\" means the interval excludes 1.\n")
	p("Over several sizes, each round's ratios give one geomean, and the median of those is shown. The strongest\n")
	p("peer is picked on the same rounds it is judged on: where two peers are within a percent or two, the pick\n")
	p("moves the ratio by up to that much, against bytesio. The intervals cover the noise within this run, not the\n")
	p("machine's drift between runs, and the per-size counts are not corrected for testing many sizes.\n\n")
	p("| workload | bytesio vs the strongest peer |\n|---|---|\n")
	for _, s := range r.Summaries {
		text := s.Sentence()
		if c := s.Counts(); c != "" {
			text += "; " + c
		}
		p("| %s | %s |\n", mdEscape(s.Workload), mdEscape(text))
	}
	p("\n## How the peers run\n\n")
	for _, n := range PeerNotes {
		p("- %s\n", n)
	}
	p("\n## Targets\n\n")
	p("A target is met when the whole 95%% confidence interval of the ratio satisfies it (for a count of\n")
	p("allocations, when every round's does), NOT met when none of it does, and undecided otherwise, and always\n")
	p("with fewer than 6 rounds. A heap below the %d KiB resolution of the measurement is known only to be at\n", ratioFloor>>10)
	p("most that: the interval of its ratio runs down to 0 when it is bytesio's, up to ∞ when it is the peer's.\n\n")
	p("| target | want | measured (95%% CI) | status |\n|---|---|---|---|\n")
	for _, t := range r.Targets {
		m := t.Measured
		if t.Status == Missing {
			m = "—"
		}
		p("| %s | %s | %s | %s |\n", mdEscape(t.Target), t.Want, mdEscape(m), t.Status)
	}
	p("\n")
	if len(r.Charts) > 0 {
		p("## Charts\n\n")
		for _, c := range r.Charts {
			p("![%s](%s)\n\n", mdEscape(c.Title), c.File)
		}
	}
	sums := map[string]Summary{}
	for _, s := range r.Summaries {
		sums[s.Workload] = s
	}
	last := ""
	for _, t := range r.Tables {
		if t.Workload != last {
			last = t.Workload
			p("## %s\n\n", mdEscape(t.Workload))
			if wl, ok := WorkloadNamed(t.Workload); ok {
				p("One op: %s. Ratios in the tables are to %s.\n\n", wl.Doc, mdEscape(t.Impls[0]))
			}
			if s, ok := sums[t.Workload]; ok {
				writeMarkdownComparison(bw, s)
			}
		}
		writeMarkdownTable(bw, t)
	}
	return bw.Flush()
}

// writeMarkdownComparison writes bytesio against the strongest peer at
// each size of s.
func writeMarkdownComparison(w io.Writer, s Summary) {
	fmt.Fprintf(w, "### bytesio vs the strongest peer (%s)\n\n", mdEscape(s.Unit))
	fmt.Fprint(w, "| size | bytesio | strongest peer | peer | ratio (95% CI) | verdict |\n|---|---:|---|---:|---:|---|\n")
	for _, c := range s.Sizes {
		sc := scalerOf(s.Unit, c.Subject, c.PeerCell)
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", mdEscape(c.Size), formatValue(sc, c.Subject), mdEscape(c.Peer),
			formatValue(sc, c.PeerCell), c.Ratio, s.verdict(c.Ratio))
	}
	fmt.Fprintln(w)
}

func writeMarkdownTable(w io.Writer, t *Table) {
	better := "lower is better"
	if t.Better > 0 {
		better = "higher is better"
	}
	fmt.Fprintf(w, "### %s (%s)\n\n| size |", mdEscape(t.Unit), better)
	for _, impl := range t.Impls {
		fmt.Fprintf(w, " %s |", mdEscape(impl))
	}
	fmt.Fprint(w, "\n|---|")
	for range t.Impls {
		fmt.Fprint(w, "---:|")
	}
	fmt.Fprintln(w)
	for r, size := range t.Sizes {
		sc := t.scaler(r)
		fmt.Fprintf(w, "| %s |", mdEscape(size))
		for c, cell := range t.Cells[r] {
			switch {
			case cell == nil:
				fmt.Fprint(w, " |")
			case c == 0 || math.IsNaN(cell.Ratio):
				fmt.Fprintf(w, " %s |", formatValue(sc, cell))
			default:
				fmt.Fprintf(w, " %s (%s%s) |", formatValue(sc, cell), significance(cell), FormatRatio(cell.Ratio))
			}
		}
		fmt.Fprintln(w)
	}
	if len(t.Sizes) > 1 {
		fmt.Fprint(w, "| geomean |")
		cls := benchunit.ClassOf(t.Unit)
		for c := range t.Impls {
			g, gr := t.Geomean[c], t.GeoRatio[c]
			switch {
			case math.IsNaN(g):
				fmt.Fprint(w, " ? |")
			case c == 0 || math.IsNaN(gr):
				fmt.Fprintf(w, " %s |", benchunit.Scale(g, cls))
			default:
				fmt.Fprintf(w, " %s (%s) |", benchunit.Scale(g, cls), FormatRatio(gr))
			}
		}
		fmt.Fprintln(w)
	}
	for _, n := range t.Notes {
		fmt.Fprintf(w, "\nnote: %s\n", n)
	}
	fmt.Fprintln(w)
}

// significance is "~" when the cell does not differ significantly from the
// baseline.
func significance(c *Cell) string {
	if c.Cmp != nil && c.Cmp.P > c.Cmp.Alpha {
		return "~"
	}
	return ""
}

// mdEscape escapes s for a Markdown table cell, heading or link text: a
// backslash before each character that would end the cell (|) or start
// emphasis, code, a link or HTML there, and a space for a line break,
// which would end the table. Names and units come from the results, so
// they can hold any of these.
func mdEscape(s string) string { return mdReplacer.Replace(s) }

var mdReplacer = strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "~", `\~`,
	"[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`, "&", `\&`, "\n", " ", "\r", " ")

// codeFence returns a fence for a code block holding s: three backticks,
// or more than the longest run of them in s.
func codeFence(s string) string {
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// CountOf is n followed by noun, with an s unless n is 1, as the reports
// count things: "1 round", "6 rounds".
func CountOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

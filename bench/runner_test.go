package bench

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/perf/benchmath"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// loadSample reads testdata/sample.txt: six rounds of hand-made values, so
// the medians below are known without benchmath.
func loadSample(t *testing.T) []*Table {
	t.Helper()
	f, err := os.Open("testdata/sample.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := ReadResults(f, "sample.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(d.Results), 6*11; got != want {
		t.Fatalf("read %d results, want %d", got, want)
	}
	tables, err := BuildTables(d.Results, d.Units)
	if err != nil {
		t.Fatal(err)
	}
	return tables
}

func findTable(t *testing.T, tables []*Table, workload, unit string) *Table {
	t.Helper()
	for _, tb := range tables {
		if tb.Workload == workload && tb.Unit == unit {
			return tb
		}
	}
	t.Fatalf("no table %s %s", workload, unit)
	return nil
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }

func TestTablesOrder(t *testing.T) {
	tables := loadSample(t)
	var got []string
	for _, tb := range tables {
		got = append(got, tb.Title())
	}
	want := []string{
		"SmallCycle sec/op", "SmallCycle allocs/op",
		"Append sec/op", "Append B/s",
		"Bimodal sec/op", "Bimodal retained-B",
	}
	if !slices.Equal(got, want) {
		t.Errorf("tables\ngot  %q\nwant %q", got, want)
	}
}

func TestTableAppendSecOp(t *testing.T) {
	tb := findTable(t, loadSample(t), "Append", "sec/op")
	// The file lists 4KiB first and bytesio first: rows are sorted by
	// bytes, and the baseline bytes.Buffer+sync.Pool comes first.
	if want := []string{"64B", "4KiB", "64MiB"}; !slices.Equal(tb.Sizes, want) {
		t.Errorf("sizes %q, want %q", tb.Sizes, want)
	}
	if want := []string{ImplBufferPool, ImplBytesio, ImplCopy}; !slices.Equal(tb.Impls, want) {
		t.Errorf("impls %q, want %q", tb.Impls, want)
	}
	// Medians of six values: the mean of the 3rd and 4th (in seconds).
	medians := []struct {
		size, impl string
		want       float64
	}{
		{"64B", ImplBufferPool, 32.5e-9},  // 30..35
		{"64B", ImplBytesio, 22.5e-9},     // 20..25
		{"4KiB", ImplBufferPool, 2025e-9}, // 2000..2050 step 10
		{"4KiB", ImplBytesio, 1025e-9},    // 1000..1050
		{"64MiB", ImplBufferPool, 102.5e-3},
		{"64MiB", ImplBytesio, 5.25e-3},
		{"64MiB", ImplCopy, 3.25e-3},
	}
	for _, m := range medians {
		c := tb.Cell(m.size, m.impl)
		if c == nil {
			t.Errorf("%s %s: no cell", m.size, m.impl)
			continue
		}
		if !near(c.Summary.Center, m.want) {
			t.Errorf("%s %s: median %g, want %g", m.size, m.impl, c.Summary.Center, m.want)
		}
		if len(c.Values) != 6 || !slices.IsSorted(c.Values) {
			t.Errorf("%s %s: values %v, want 6 sorted", m.size, m.impl, c.Values)
		}
	}
	if c := tb.Cell("64B", ImplCopy); c != nil {
		t.Errorf("64B copy: got a cell, want none")
	}
	r64 := 22.5 / 32.5
	r4k := 1025.0 / 2025
	if c := tb.Cell("64B", ImplBytesio); !near(c.Ratio, r64) {
		t.Errorf("64B ratio %g, want %g", c.Ratio, r64)
	}
	// Six values each, fully separated: the smallest two-sided
	// Mann-Whitney p-value for n=6 is 2/C(12,6) = 0.002.
	if c := tb.Cell("64B", ImplBytesio); c.Cmp == nil || math.Abs(c.Cmp.P-2.0/924) > 1e-6 {
		t.Errorf("64B comparison %+v, want p=%g", c.Cmp, 2.0/924)
	}
	if g, want := tb.Geomean[0], math.Cbrt(32.5e-9*2025e-9*102.5e-3); !near(g, want) {
		t.Errorf("base geomean %g, want %g", g, want)
	}
	if g, want := tb.Geomean[1], math.Cbrt(22.5e-9*1025e-9*5.25e-3); !near(g, want) {
		t.Errorf("bytesio geomean %g, want %g", g, want)
	}
	if g, want := tb.GeoRatio[1], math.Cbrt(r64*r4k*(5.25/102.5)); !near(g, want) {
		t.Errorf("bytesio geomean ratio %g, want %g", g, want)
	}
	if !math.IsNaN(tb.Geomean[2]) || !math.IsNaN(tb.GeoRatio[2]) {
		t.Errorf("copy geomean %g, %g; want NaN (rows missing)", tb.Geomean[2], tb.GeoRatio[2])
	}

	var buf bytes.Buffer
	if err := tb.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	header := strings.Fields(lines[0])
	if want := []string{"Append", "sec/op", "bytes.Buffer+sync.Pool", "(base)", "bytesio", "vs", "base", "copy", "vs", "base"}; !slices.Equal(header, want) {
		t.Errorf("header %q, want %q", header, want)
	}
	for _, want := range []struct{ row, text string }{
		{"64B", "32.50n ± "},
		{"64B", "22.50n ± "},
		{"64B", "-30.77% (p=0.002 n=6)"},  // 22.5/32.5 - 1
		{"4KiB", "-49.38% (p=0.002 n=6)"}, // 1025/2025 - 1
		{"64MiB", "102.500m ± "},
		{"64MiB", "-94.88% (p=0.002 n=6)"}, // 5.25/102.5 - 1
		{"64MiB", "-96.83% (p=0.002 n=6)"}, // 3.25/102.5 - 1
		{"geomean", "-73.82%"},             // cbrt(r64*r4k*5.25/102.5) - 1
	} {
		found := false
		for _, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), want.row+" ") && strings.Contains(l, want.text) {
				found = true
			}
		}
		if !found {
			t.Errorf("row %s: no %q in\n%s", want.row, want.text, out)
		}
	}
	if g := (math.Cbrt(r64*r4k*(5.25/102.5)) - 1) * 100; math.Abs(g-(-73.82)) > 0.005 {
		t.Fatalf("hand-computed geomean delta %.4f, fix the test", g)
	}
}

func TestTableCustomUnit(t *testing.T) {
	tb := findTable(t, loadSample(t), "Bimodal", "retained-B")
	if tb.Better != -1 {
		t.Errorf("retained-B better = %d, want -1 (from the Unit line)", tb.Better)
	}
	if want := []string{ImplBufferPoolNoCap, ImplBytesio}; !slices.Equal(tb.Impls, want) {
		t.Errorf("impls %q, want %q", tb.Impls, want)
	}
	c := tb.Cell(BimodalSize, ImplBytesio)
	if c == nil || !near(c.Summary.Center, 10.5e6) || !near(c.Ratio, 10.5/42.5) {
		t.Errorf("bytesio cell %+v, want median 10.5e6 and ratio %g", c, 10.5/42.5)
	}
	bs := findTable(t, loadSample(t), "Append", "B/s")
	if bs.Better != +1 {
		t.Errorf("B/s better = %d, want +1", bs.Better)
	}
	// MB/s is tidied to B/s.
	if c := bs.Cell("64MiB", ImplCopy); c == nil || !near(c.Summary.Center, 20250e6) {
		t.Errorf("copy B/s %+v, want 20250e6", c)
	}
}

func TestPlanInterleaves(t *testing.T) {
	ws := []Workload{
		{Name: "A", Impls: []string{"x", "y"}, Sizes: []string{"1KiB", "1MiB"}},
		{Name: "B", Impls: []string{"x"}, Sizes: []string{"1KiB"}},
		{Name: "C", Impls: []string{"y"}, Sizes: []string{"1MiB"}},
	}
	var got []string
	for _, s := range Plan(ws, 3, nil) {
		got = append(got, s.Workload.Name+string(rune('0'+s.Round)))
	}
	if want := []string{"A1", "B1", "C1", "A2", "B2", "C2", "A3", "B3", "C3"}; !slices.Equal(got, want) {
		t.Errorf("plan %q, want %q", got, want)
	}

	re := regexp.MustCompile(`impl=x/size=1KiB`)
	steps := Plan(ws, 2, re)
	got = got[:0]
	for _, s := range steps {
		got = append(got, s.Workload.Name+string(rune('0'+s.Round)))
	}
	if want := []string{"A1", "B1", "A2", "B2"}; !slices.Equal(got, want) {
		t.Errorf("filtered plan %q, want %q (C has no matching leaf)", got, want)
	}
	if want := []string{"A/impl=x/size=1KiB"}; !slices.Equal(steps[0].Leaves, want) {
		t.Errorf("leaves %q, want %q", steps[0].Leaves, want)
	}
	args := steps[0].Args("20ms", re)
	if want := []string{"-workload", "A", "-benchtime", "20ms", "-round", "1", "-match", re.String()}; !slices.Equal(args, want) {
		t.Errorf("args %q, want %q", args, want)
	}
}

func TestSizes(t *testing.T) {
	for _, tc := range []struct {
		s string
		n int64
	}{{"64B", 64}, {"4KiB", 4096}, {"1MiB", 1 << 20}, {"64MiB", 64 << 20}, {"0B", 0}, {"1536B", 1536}, {"1025KiB", 1025 << 10}, {"3MiB", 3 << 20}, {"2GiB", 2 << 30}} {
		if n, err := ParseSize(tc.s); err != nil || n != tc.n {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tc.s, n, err, tc.n)
		}
		if s := FormatSize(tc.n); s != tc.s {
			t.Errorf("FormatSize(%d) = %q, want %q", tc.n, s, tc.s)
		}
	}
	// Labels that are no size, or a size past int64 (which multiplied
	// out would wrap to a negative count or 0), are errors.
	for _, s := range []string{BimodalSize, "-1B", "9007199254740992KiB", "17179869184GiB", "9223372036854775808B"} {
		if n, err := ParseSize(s); err == nil {
			t.Errorf("ParseSize(%q) = %d, no error", s, n)
		}
	}
	if n, err := ParseSize("9007199254740991KiB"); err != nil || n != 9007199254740991<<10 {
		t.Errorf("ParseSize(9007199254740991KiB) = %d, %v; want %d", n, err, int64(9007199254740991<<10))
	}
}

// A throughput chart leaves out sizes a log scale has no place for (0 B),
// and the hot-path chart ratios of 0: drawn, they made the plot library
// panic, or loop without end marking the axis.
func TestChartsOffLogScale(t *testing.T) {
	for name, lines := range map[string]string{
		"0B": "BenchmarkAppend/impl=bytesio/size=0B 1000 100 ns/op 100 MB/s\n" +
			"BenchmarkAppend/impl=bytesio/size=64B 1000 100 ns/op 100 MB/s\n" +
			"BenchmarkAppend/impl=bytes.Buffer+sync.Pool/size=64B 1000 110 ns/op 90 MB/s\n",
		"ratio 0": "BenchmarkSmallCycle/impl=bytesio/size=1KiB 1000 1e-300 ns/op\n" + // 1e-600 underflows
			"BenchmarkSmallCycle/impl=bytes.Buffer+sync.Pool/size=1KiB 1000 1e300 ns/op\n",
		// 5e-324 MB/s is 5e-318 B/s, which ReadResults keeps, and 0 GiB/s.
		"0 GiB/s": "BenchmarkRead/impl=bytesio/size=64KiB 1000 1780 ns/op 5e-324 MB/s\n" +
			"BenchmarkRead/impl=bytes.Reader/size=64KiB 1000 1780 ns/op 100 MB/s\n",
		"only 0 GiB/s": "BenchmarkRead/impl=bytes.Buffer/size=64KiB-2 3843 1780 ns/op 5e-324 MB/s\n",
	} {
		src := ""
		for r := 1; r <= 6; r++ {
			src += fmt.Sprintf("bytesio-round: %d\n", r) + lines
		}
		tables, dir := tablesFrom(t, src), t.TempDir()
		done := make(chan error, 1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					done <- fmt.Errorf("panic: %v", p)
				}
			}()
			_, err := WriteCharts(dir, tables)
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
		case <-time.After(time.Minute):
			t.Fatalf("%s: WriteCharts did not return in a minute", name)
		}
	}
}

// A plot that gonum/plot cannot draw, here a point at 0 on a log scale,
// makes writeSVG return an error, not panic.
// TestChartBarOffLogScale: a cell whose interval does not hold its median
// above 0 (a bound at or below 0, or NaN, from a hand-made table) gets no
// bar, where the log scale panicked; and a chart that fails to draw leaves
// the file that was there as it was, where it left it empty.
// TestChartNeedsThroughput checks that WriteChart draws only from a B/s
// table: a workload with times alone has no chart.
func TestChartNeedsThroughput(t *testing.T) {
	tb := &Table{Workload: "Read", Unit: "sec/op", Better: -1, Impls: []string{ImplBytesio}, Sizes: []string{"64KiB"},
		Cells: [][]*Cell{{{Values: []float64{1e-6}, Summary: benchmath.Summary{Center: 1e-6, Lo: 0.9e-6, Hi: 1.1e-6}}}}}
	var svg bytes.Buffer
	if drawn, err := WriteChart(&svg, []*Table{tb}, "Read"); drawn || err != nil || svg.Len() > 0 {
		t.Errorf("WriteChart of a sec/op table: drawn %v, %v, %d bytes; want nothing drawn", drawn, err, svg.Len())
	}
}

func TestChartBarOffLogScale(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, chartFile("Read"))
	if err := os.WriteFile(old, []byte("<svg>earlier chart</svg>"), 0o666); err != nil {
		t.Fatal(err)
	}
	for _, hi := range []float64{-1, 0, math.NaN()} {
		tb := &Table{Workload: "Read", Unit: "B/s", Better: 1, Impls: []string{ImplBytesio}, Sizes: []string{"64KiB"},
			Cells: [][]*Cell{{{Values: []float64{1e9}, Summary: benchmath.Summary{Center: 1e9, Lo: 0.9e9, Hi: hi}}}}}
		if _, err := WriteCharts(dir, []*Table{tb}); err != nil {
			t.Errorf("WriteCharts with a bound of %v: %v; want the bar left out", hi, err)
		}
	}

	// A chart that fails to draw, as writeSVG reports it.
	if err := os.WriteFile(old, []byte("<svg>earlier chart</svg>"), 0o666); err != nil {
		t.Fatal(err)
	}
	p := newPlot()
	p.Y.Scale = plot.LogScale{}
	s, err := plotter.NewScatter(plotter.XYs{{X: 1, Y: 0}, {X: 2, Y: 1}})
	if err != nil {
		t.Fatal(err)
	}
	p.Add(s)
	if _, err := writeChartFile(dir, chartFile("Read"), func(w io.Writer) (bool, error) {
		return true, writeSVG(w, p, vg.Inch, vg.Inch)
	}); err == nil {
		t.Fatal("writeChartFile of a chart that cannot draw: no error")
	}
	if b, err := os.ReadFile(old); err != nil || string(b) != "<svg>earlier chart</svg>" {
		t.Errorf("after a chart failed to draw, the file holds %q, %v; want the earlier chart", b, err)
	}
}

func TestWriteSVGPanic(t *testing.T) {
	p := newPlot()
	p.Title.Text = "bad"
	p.Y.Scale = plot.LogScale{}
	s, err := plotter.NewScatter(plotter.XYs{{X: 1, Y: 0}, {X: 2, Y: 1}})
	if err != nil {
		t.Fatal(err)
	}
	p.Add(s)
	var b bytes.Buffer
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("writeSVG panicked: %v", r)
		}
	}()
	if err := writeSVG(&b, p, vg.Inch, vg.Inch); err == nil || !strings.Contains(err.Error(), `drawing "bad": `) || b.Len() > 0 {
		t.Errorf("writeSVG of a point at 0 on a log scale: error %v, %d bytes written; want an error and nothing", err, b.Len())
	}
}

// TestSuite checks that the benchmark leaves cover the Workloads table
// exactly.
func TestSuite(t *testing.T) {
	for _, w := range Workloads {
		impls := suite[w.Name]
		if impls == nil {
			t.Errorf("workload %s has no leaves", w.Name)
			continue
		}
		if !slices.Contains(w.Impls, w.Baseline) {
			t.Errorf("%s: baseline %s is not one of its impls", w.Name, w.Baseline)
		}
		for _, impl := range w.Impls {
			if impls[impl] == nil {
				t.Errorf("%s: no leaf for %s", w.Name, impl)
			}
		}
		if len(impls) != len(w.Impls) {
			t.Errorf("%s: %d leaves for %d impls", w.Name, len(impls), len(w.Impls))
		}
	}
	if len(suite) != len(Workloads) {
		t.Errorf("%d workloads have leaves, the table has %d", len(suite), len(Workloads))
	}
}

func TestMarkdownAndChart(t *testing.T) {
	tables := loadSample(t)
	dir := t.TempDir()
	charts, err := WriteCharts(dir, tables)
	if err != nil {
		t.Fatal(err)
	}
	// Append has B/s at three sizes and SmallCycle time: the Append
	// chart and the hot-path chart; Read has no data, so no chart.
	var files []string
	for _, c := range charts {
		files = append(files, c.File)
	}
	if want := []string{"bench-hotpath.svg", "bench-append.svg"}; !slices.Equal(files, want) {
		t.Fatalf("charts %q, want %q", files, want)
	}
	for _, f := range files {
		svg, err := os.ReadFile(dir + "/" + f)
		if err != nil {
			t.Fatal(err)
		}
		// The font travels with the file, so text renders the same anywhere.
		for _, want := range []string{"<svg", "@font-face", "Liberation Sans", "base64"} {
			if !bytes.Contains(svg, []byte(want)) {
				t.Errorf("%s lacks %q", f, want)
			}
		}
	}
	var md bytes.Buffer
	err = WriteMarkdown(&md, Report{Machine: Machine{CPU: "Test CPU", Cores: 2, GoVersion: "go1.26.8", OS: "linux", Arch: "amd64"},
		Command: "bytesio bench -full -md BENCHMARKS.md", Rounds: 6, BenchTime: "20ms", Tables: tables,
		Summaries: Summarize(tables), Targets: EvalTargets(tables), Charts: charts})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| CPU | Test CPU |",
		"| rounds | 6 runs per benchmark, not interleaved (paired by order), benchtime 20ms per leaf",
		"bytesio bench -full -md BENCHMARKS.md",
		"## How the peers run",
		"42001 Puts",
		// Per-round ratios 8/40, 13/45, 12/44, 11/43, 10/42, 9/41: the
		// median (10/42+11/43)/2 = 0.247 is within the bound, but with six
		// rounds the interval is [min, max] = [0.2, 0.289], which
		// straddles 0.25.
		"| Bimodal retained-B vs bytes.Buffer+sync.Pool-nocap | ≤ 0.25× | 0.247× (0.2–0.289) | undecided |",
		"![Append throughput against size](bench-append.svg)",
		"| size | bytes.Buffer+sync.Pool | bytesio | copy |",
		"| 64B | 32.50n ± ",
		"(0.692×)", // 22.5/32.5
		"(0.0512×)",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
}

// TestMarkdownHeadings checks what the report says of the rounds when
// some cells have fewer, and which column the ratios of a workload are to
// when its baseline was not measured.
func TestMarkdownHeadings(t *testing.T) {
	// Encode without its baseline, bytes.Buffer+sync.Pool: bytesio is
	// the first column. bytebufferpool has 2 rounds, bytesio 3.
	src := "bytesio-round: 1\n" +
		"BenchmarkEncode/impl=bytesio/size=200B 1 500 ns/op\n" +
		"BenchmarkEncode/impl=bytebufferpool/size=200B 1 600 ns/op\n" +
		"bytesio-round: 2\n" +
		"BenchmarkEncode/impl=bytesio/size=200B 1 510 ns/op\n" +
		"BenchmarkEncode/impl=bytebufferpool/size=200B 1 610 ns/op\n" +
		"bytesio-round: 3\n" +
		"BenchmarkEncode/impl=bytesio/size=200B 1 520 ns/op\n"
	tables := tablesFrom(t, src)
	var md bytes.Buffer
	err := WriteMarkdown(&md, Report{Machine: Machine{CPU: "Test CPU", Cores: 2, GoVersion: "go1.26.8", OS: "linux", Arch: "amd64"},
		Command: "bytesio bench", Rounds: 3, FewestRounds: 2, BenchTime: "20ms", Tables: tables,
		Summaries: Summarize(tables), Targets: EvalTargets(tables)})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| rounds | 3 interleaved rounds (as few as 2 for some benchmarks), benchtime 20ms per leaf",
		"Ratios in the tables are to bytesio.",
		"| size | bytesio | bytebufferpool |",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	if strings.Contains(md.String(), "are to "+ImplBufferPool) {
		t.Errorf("markdown names %s, which was not measured, as the baseline", ImplBufferPool)
	}

	// When the fewest rounds of a benchmark are all the rounds, the
	// report says nothing of fewer.
	md.Reset()
	err = WriteMarkdown(&md, Report{Machine: Machine{CPU: "Test CPU", Cores: 2, GoVersion: "go1.26.8", OS: "linux", Arch: "amd64"},
		Command: "bytesio bench", Rounds: 3, FewestRounds: 3, BenchTime: "20ms", Tables: tables,
		Summaries: Summarize(tables), Targets: EvalTargets(tables)})
	if err != nil {
		t.Fatal(err)
	}
	if want := "| rounds | 3 interleaved rounds, benchtime 20ms per leaf"; !strings.Contains(md.String(), want) || strings.Contains(md.String(), "as few as") {
		t.Errorf("markdown with every benchmark at all its rounds lacks %q or says \"as few as\":\n%s", want, md.String())
	}
}

// cells returns the number of cells of a Markdown table row: the pipes
// not escaped by a backslash, less one.
func cells(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n - 1
}

// Names, sizes, units and the Go release come from the results: a | in
// them must not end a cell, nor other characters make Markdown of them.
// Every row of every table of the report has as many cells as its header.
func TestMarkdownEscape(t *testing.T) {
	src := "bytesio-round: 1\n" +
		"BenchmarkW|x/impl=a|b/size=1|2 1 10 ns/op 5 un|it\n" +
		"BenchmarkW|x/impl=*c*/size=1|2 1 12 ns/op 6 un|it\n" +
		"BenchmarkEncode/impl=bytesio/size=<b>_1_ 1 10 ns/op\n" +
		"BenchmarkEncode/impl=bytes.Buffer+sync.Pool/size=<b>_1_ 1 12 ns/op\n" +
		"BenchmarkEncode/impl=[x](y)/size=<b>_1_ 1 11 ns/op\n"
	tables := tablesFrom(t, src)
	var md bytes.Buffer
	err := WriteMarkdown(&md, Report{Machine: Machine{CPU: "C|PU", Cores: 2, GoVersion: "go1|x", OS: "li|nux", Arch: "amd64"},
		Command: "bytesio bench -bench '```'", Rounds: 1, BenchTime: "1|x", Tables: tables,
		Summaries: Summarize(tables), Targets: EvalTargets(tables)})
	if err != nil {
		t.Fatal(err)
	}
	out := md.String()
	header := -1
	for i, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			header = -1
			continue
		}
		if header < 0 {
			header = cells(line)
		} else if n := cells(line); n != header {
			t.Errorf("line %d has %d cells, its header %d: %q", i+1, n, header, line)
		}
	}
	for _, want := range []string{
		"## W\\|x", "| size | \\*c\\* | a\\|b |", "| 1\\|2 |", "### un\\|it (lower is better)",
		"| \\<b\\>\\_1\\_ |", "\\[x\\](y)", "| Go | go1\\|x li\\|nux/amd64 |", "| CPU | C\\|PU |",
		"| rounds | 1 interleaved round, benchtime 1\\|x per leaf", "````\nbytesio bench -bench '```'\n````",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}

// A report of several runs put together shows the settings that differ
// as mixed and gives no command to reproduce it.
func TestMarkdownMixed(t *testing.T) {
	tables := tablesFrom(t, "bytesio-round: 1\nBenchmarkEncode/impl=bytesio/size=200B 1 10 ns/op\n")
	var md bytes.Buffer
	err := WriteMarkdown(&md, Report{Machine: Machine{CPU: "Test CPU", Cores: 2, GoVersion: "go1.26.8", OS: "linux", Arch: "amd64"},
		Command: "bytesio bench -count 2", Rounds: 2, BenchTime: "5ms", Tables: tables,
		Mixed: map[string][]string{"benchtime": {"5ms", "3s"}, "rounds": {"2", "6"}, "-bench": {"^Encode/", ""},
			"date": {"2026-01-02 03:04 UTC", "2026-01-03 03:04 UTC"}}})
	if err != nil {
		t.Fatal(err)
	}
	out := md.String()
	for _, want := range []string{
		"| CPU | Test CPU |",
		"| date | mixed: 2026-01-02 03:04 UTC; 2026-01-03 03:04 UTC |",
		"| rounds | mixed: runs of 2, 6 rounds put together; 2 interleaved rounds, benchtime mixed (5ms, 3s) per leaf",
		"These results come from several runs put together, which differ in date, rounds, benchtime, -bench: no one command reproduces them.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Reproduce with") || strings.Contains(out, "-count 2") || strings.Contains(out, "rerun the command") {
		t.Errorf("a report of mixed runs gives a command:\n%s", out)
	}
}

func TestFormatRatio(t *testing.T) {
	for _, tc := range []struct {
		r    float64
		want string
	}{{0.5, "0.5×"}, {1.0396, "1.04×"}, {10.02, "10×"}, {20, "20×"}, {1.1, "1.1×"}, {0.1, "0.1×"}, {0.051219, "0.0512×"}, {12345.6, "12346×"}, {999.7, "1000×"}, {999999, "999999×"}, {999999.6, "1e+06×"}, {1234567, "1.23e+06×"}, {1e300, "1e+300×"}, {0.00012, "0.00012×"}, {math.NaN(), "?"}, {math.Inf(1), "?"}, {math.Inf(-1), "?"}} {
		if got := FormatRatio(tc.r); got != tc.want {
			t.Errorf("FormatRatio(%g) = %q, want %q", tc.r, got, tc.want)
		}
	}
}

// TestRatioGeomean checks the ratio of two values, 1 for 0/0 as in
// benchstat and undefined for x/0, and the geometric mean, undefined
// when a value is not positive and finite.
func TestRatioGeomean(t *testing.T) {
	for _, tc := range []struct{ a, b, want float64 }{
		{3, 2, 1.5}, {0, 0, 1}, {2, 2, 1}, {1, 0, math.NaN()}, {0, 4, 0},
	} {
		if got := ratio(tc.a, tc.b); !(near(got, tc.want) || math.IsNaN(got) && math.IsNaN(tc.want)) {
			t.Errorf("ratio(%g, %g) = %g; want %g", tc.a, tc.b, got, tc.want)
		}
	}
	for _, tc := range []struct {
		xs   []float64
		want float64
	}{
		{[]float64{2, 8}, 4}, {[]float64{5}, 5}, {nil, math.NaN()},
		{[]float64{0, 4}, math.NaN()}, {[]float64{-1, 4}, math.NaN()}, {[]float64{math.Inf(1), 4}, math.NaN()},
	} {
		if got := geomean(tc.xs); !(near(got, tc.want) || math.IsNaN(got) && math.IsNaN(tc.want)) {
			t.Errorf("geomean(%v) = %g; want %g", tc.xs, got, tc.want)
		}
	}
}

// TestBuildTablesOrdering checks the order of tables, columns and rows
// for names Workloads does not know: unknown workloads follow the known
// ones, unknown implementations follow the workload's own, sorted, and
// labels that are not sizes follow the sizes, sorted. It also checks the
// direction of a unit without metadata, and a row without the baseline.
func TestBuildTablesOrdering(t *testing.T) {
	src := "BenchmarkZeta/impl=a/size=1KiB 1 10 ns/op\n" +
		"BenchmarkAlpha/impl=a/size=zeta 1 10 ns/op\n" +
		"BenchmarkAlpha/impl=a/size=1KiB 1 10 ns/op\n" +
		"BenchmarkAlpha/impl=a/size=bimodal 1 10 ns/op\n" +
		"BenchmarkAlpha/impl=a/size=64B 1 10 ns/op\n" +
		"BenchmarkEncode/impl=zz/size=200B 1 10 ns/op 0 allocs/op 5000 retained-B\n" +
		"BenchmarkEncode/impl=bytesio/size=200B 1 10 ns/op 0 allocs/op 5000 retained-B\n" +
		"BenchmarkEncode/impl=mm/size=200B 1 10 ns/op 0 allocs/op 5000 retained-B\n" +
		"BenchmarkEncode/impl=bytes.Buffer+sync.Pool/size=200B 1 10 ns/op 0 allocs/op 5000 retained-B\n" +
		"BenchmarkEncode/impl=aa/size=200B 1 10 ns/op 0 allocs/op 5000 retained-B\n" +
		"BenchmarkEncode/impl=kk/size=200B 1 10 ns/op 0 allocs/op 5000 retained-B\n" +
		"BenchmarkEncode/impl=bytesio/size=1KiB 1 10 ns/op\n"
	// Map order varies from run to run: build the tables a few times.
	for range 10 {
		tables := tablesFrom(t, src)
		var titles []string
		for _, tb := range tables {
			titles = append(titles, tb.Title())
		}
		if want := []string{"Encode sec/op", "Encode allocs/op", "Encode retained-B", "Alpha sec/op", "Zeta sec/op"}; !slices.Equal(titles, want) {
			t.Fatalf("tables %q; want %q", titles, want)
		}
		enc := findTable(t, tables, "Encode", "sec/op")
		if want := []string{ImplBufferPool, ImplBytesio, "aa", "kk", "mm", "zz"}; !slices.Equal(enc.Impls, want) {
			t.Fatalf("Encode impls %q; want %q", enc.Impls, want)
		}
		if want := []string{"64B", "1KiB", "bimodal", "zeta"}; !slices.Equal(findTable(t, tables, "Alpha", "sec/op").Sizes, want) {
			t.Fatalf("Alpha sizes %q; want %q", findTable(t, tables, "Alpha", "sec/op").Sizes, want)
		}
		if tb := findTable(t, tables, "Encode", "retained-B"); tb.Better != -1 {
			t.Fatalf("retained-B without a Unit line: Better = %d; want -1", tb.Better)
		}
		// 0 allocations against 0: a ratio of 1.
		if c := findTable(t, tables, "Encode", "allocs/op").Cell("200B", ImplBytesio); c == nil || c.Ratio != 1 {
			t.Fatalf("0/0 allocs: cell %+v; want ratio 1", c)
		}
		// At 1KiB the baseline was not measured: no ratio, no comparison.
		if c := enc.Cell("1KiB", ImplBytesio); c == nil || !math.IsNaN(c.Ratio) || c.Cmp != nil {
			t.Fatalf("row without baseline: cell %+v; want ratio NaN and no comparison", c)
		}
	}
}

// TestWriteTextOneSize checks that a table of one size has no geomean
// row, as in benchstat: it would repeat the row.
func TestWriteTextOneSize(t *testing.T) {
	tables := tablesFrom(t, "BenchmarkEncode/impl=bytesio/size=200B 1 10 ns/op\nBenchmarkEncode/impl=bytes.Buffer+sync.Pool/size=200B 1 12 ns/op\n")
	var buf bytes.Buffer
	if err := findTable(t, tables, "Encode", "sec/op").WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "geomean") {
		t.Errorf("WriteText of one size has a geomean row:\n%s", buf.String())
	}
}

// TestRatioTicks checks the ticks of the hot-path chart's ratio axis: the
// powers of two from lo to hi, and none for a range a log axis cannot
// hold (from 0 or below, to +Inf, or reversed), which would otherwise
// count powers of two without end.
func TestRatioTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   []string
	}{
		{0.5, 4, []string{"0.5×", "1×", "2×", "4×"}},
		{0.6, 3, []string{"1×", "2×"}},
		{1, 1, []string{"1×"}},
		{1.1, 1.9, nil},
		{0, 2, nil},
		{-1, 2, nil},
		{1, math.Inf(1), nil},
		{2, 1, nil},
		{math.NaN(), 2, nil},
	} {
		done := make(chan []plot.Tick, 1)
		go func() { done <- ratioTicks{}.Ticks(tc.lo, tc.hi) }()
		select {
		case ts := <-done:
			var got []string
			for _, tk := range ts {
				got = append(got, tk.Label)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Ticks(%g, %g) = %q; want %q", tc.lo, tc.hi, got, tc.want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("Ticks(%g, %g) did not return", tc.lo, tc.hi)
		}
	}
}

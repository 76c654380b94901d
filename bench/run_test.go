package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchproc"
)

// TestRunChild runs two rounds of four hot-path leaves end to end, from a
// directory outside any Go module: each step is a child process of this
// test binary (see TestMain), as "bytesio bench" runs children of itself.
func TestRunChild(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes; skipped with -short")
	}
	t.Chdir(t.TempDir())
	// Race-detector builds sleep a second at exit unless told not to.
	t.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	var progress, raw bytes.Buffer
	re := regexp.MustCompile(`^(Encode|SmallCycle)/impl=(bytesio|bytes\.Buffer\+sync\.Pool)/size=(200B|1KiB)$`)
	d, err := Run(context.Background(), Options{Rounds: 2, BenchTime: "1x", Match: re, Progress: &progress, Raw: &raw})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, progress.String())
	}
	var got []string
	procs := regexp.MustCompile(`-\d+$`) // the child's GOMAXPROCS
	for _, r := range d.Results {
		got = append(got, procs.ReplaceAllString(r.Name.String(), "")+" round "+r.GetConfig(RoundKey)+" "+r.GetConfig("pkg"))
	}
	// Each round runs a row of a Williams design (implOrder). Encode's 4
	// implementations (bytesio, bytesio-new, bytes.Buffer+sync.Pool,
	// bytebufferpool) run as 0, 1, 3, 2 in round 1 and 1, 2, 0, 3 in
	// round 2, which puts bytes.Buffer+sync.Pool before bytesio;
	// SmallCycle's 5 (bytesio, bytesio-new, bytes.Buffer,
	// bytes.Buffer+sync.Pool, bytebufferpool) as 0, 1, 4, 2, 3, then
	// 1, 2, 0, 3, 4: bytesio first both times.
	var want []string
	for _, n := range []string{
		"Encode/impl=bytesio/size=200B round 1", "Encode/impl=bytes.Buffer+sync.Pool/size=200B round 1",
		"SmallCycle/impl=bytesio/size=1KiB round 1", "SmallCycle/impl=bytes.Buffer+sync.Pool/size=1KiB round 1",
		"Encode/impl=bytes.Buffer+sync.Pool/size=200B round 2", "Encode/impl=bytesio/size=200B round 2",
		"SmallCycle/impl=bytesio/size=1KiB round 2", "SmallCycle/impl=bytes.Buffer+sync.Pool/size=1KiB round 2",
	} {
		want = append(want, n+" "+PackagePath)
	}
	if !slices.Equal(got, want) {
		t.Errorf("results\ngot  %q\nwant %q", got, want)
	}
	for _, r := range d.Results {
		if r.Iters != 1 {
			t.Errorf("%s: %d iterations, want 1 (-benchtime 1x)", r.Name, r.Iters)
		}
	}
	if !strings.Contains(progress.String(), "round 2/2  SmallCycle") {
		t.Errorf("progress lacks round 2 of SmallCycle:\n%s", progress.String())
	}
	// The raw file is benchstat input: the configuration, the unit
	// metadata once, every result.
	for _, want := range []string{"goos: ", "pkg: " + PackagePath, "Unit retained-B better=lower", "BenchmarkEncode/impl=bytesio/size=200B"} {
		if !strings.Contains(raw.String(), want) {
			t.Errorf("raw output lacks %q:\n%s", want, raw.String())
		}
	}
	if n := strings.Count(raw.String(), "Unit retained-B"); n != 1 {
		t.Errorf("unit metadata written %d times, want once", n)
	}
}

// TestRunChildError checks that a failing child's own message reaches the
// caller: here the child does not know the workload.
func TestRunChildError(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes; skipped with -short")
	}
	ws := []Workload{{Name: "NoSuchWorkload", Impls: []string{"x"}, Sizes: []string{"1KiB"}}}
	_, err := Run(context.Background(), Options{Rounds: 1, BenchTime: "1x", Workloads: ws})
	if err == nil || !strings.Contains(err.Error(), `bench: unknown workload "NoSuchWorkload"`) {
		t.Errorf("Run error %v, want the child's message", err)
	}
}

func TestChildOrder(t *testing.T) {
	w := Workload{Name: "W", Impls: []string{"a", "b", "c"}, Sizes: []string{"1KiB", "1MiB"}}
	for _, tc := range []struct {
		round int
		re    string
		want  string
	}{
		{1, "", "a/1KiB b/1KiB c/1KiB a/1MiB b/1MiB c/1MiB"},
		{2, "", "b/1KiB c/1KiB a/1KiB b/1MiB c/1MiB a/1MiB"},
		{3, "", "c/1KiB a/1KiB b/1KiB c/1MiB a/1MiB b/1MiB"},
		{4, "", "c/1KiB b/1KiB a/1KiB c/1MiB b/1MiB a/1MiB"},
		{7, "", "a/1KiB b/1KiB c/1KiB a/1MiB b/1MiB c/1MiB"},
		{2, "impl=(a|c)/size=1MiB", "c/1MiB a/1MiB"},
	} {
		var re *regexp.Regexp
		if tc.re != "" {
			re = regexp.MustCompile(tc.re)
		}
		var got []string
		for _, l := range childOrder(w, tc.round, re) {
			got = append(got, l[0]+"/"+l[1])
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("round %d %q: %s, want %s", tc.round, tc.re, g, tc.want)
		}
	}
}

// TestImplOrderBalanced checks that over each block of rounds every
// implementation runs first equally often, and right after each other one
// equally often: with a rotated order each always followed the same one.
func TestImplOrderBalanced(t *testing.T) {
	for k := 1; k <= 8; k++ {
		block := k
		if k%2 == 1 {
			block = 2 * k
		}
		for start := 1; start <= 2*block+1; start += block {
			first := make([]int, k)
			after := make(map[[2]int]int)
			for round := start; round < start+block; round++ {
				order := implOrder(k, round)
				seen := make([]bool, k)
				for j, i := range order {
					if i < 0 || i >= k || seen[i] {
						t.Fatalf("k=%d round %d: %v is not a permutation", k, round, order)
					}
					seen[i] = true
					if j > 0 {
						after[[2]int{order[j-1], i}]++
					}
				}
				first[order[0]]++
			}
			for i, n := range first {
				if n != block/k {
					t.Errorf("k=%d rounds %d+: %d first %d times, want %d", k, start, i, n, block/k)
				}
			}
			for a := range k {
				for b := range k {
					if want := block / k; a != b && after[[2]int{a, b}] != want {
						t.Errorf("k=%d rounds %d+: %d after %d %d times, want %d", k, start, b, a, after[[2]int{a, b}], want)
					}
				}
			}
		}
	}
}

// TestRunOptions checks that bad options fail before any child starts.
func TestRunOptions(t *testing.T) {
	for _, o := range []Options{
		{Rounds: 0, BenchTime: "1x"},
		{Rounds: 1, BenchTime: "bogus"},
		{Rounds: 1, BenchTime: "0x"},
		{Rounds: 1, BenchTime: "-1s"},
		{Rounds: 1, BenchTime: "1x", Match: regexp.MustCompile(`^NoSuchWorkload/`)},
	} {
		o.Exec = []string{"/nonexistent/must-not-run"}
		if _, err := Run(context.Background(), o); err == nil || strings.Contains(err.Error(), "must-not-run") {
			t.Errorf("Run(%+v) = %v, want an error before running", o, err)
		}
	}
}

func TestParseBenchTime(t *testing.T) {
	for _, ok := range []string{"1x", "10x", "200ms", "1s", "1.5s"} {
		if err := ParseBenchTime(ok); err != nil {
			t.Errorf("ParseBenchTime(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "bogus", "0x", "-3x", "x", "0s", "-1ms", "10"} {
		if err := ParseBenchTime(bad); err == nil {
			t.Errorf("ParseBenchTime(%q): no error", bad)
		}
	}
	w, _ := WorkloadNamed("Append")
	for _, tc := range []struct{ size, bt, want string }{
		{"1MiB", "200ms", "200ms"}, {"4MiB", "200ms", "50ms"}, {"64MiB", "20ms", "5ms"}, {"64MiB", "10x", "10x"},
		// A quarter of 7ns is 1.75ns, of 3ns 0.75ns: at least 1ns, as
		// go test takes no benchtime of 0s.
		{"64MiB", "7ns", "1ns"}, {"64MiB", "3ns", "1ns"}, {"64MiB", "1ns", "1ns"},
	} {
		if got := LeafBenchTime(w, tc.size, tc.bt); got != tc.want {
			t.Errorf("LeafBenchTime(Append, %s, %s) = %s, want %s", tc.size, tc.bt, got, tc.want)
		}
	}
	if got := LeafBenchTime(Workload{Name: "ReadAt"}, "64MiB", "200ms"); got != "200ms" {
		t.Errorf("LeafBenchTime of a workload that is not Long = %s", got)
	}
}

// TestRunStopped checks that a run stopped early says how many of its
// steps ran, not how many it planned: here the context is done before the
// first step, which fails, and the run stops there.
func TestRunStopped(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ws := []Workload{{Name: "W", Impls: []string{"x"}, Sizes: []string{"1KiB"}}}
	var progress bytes.Buffer
	_, err := Run(ctx, Options{Exec: []string{"/nonexistent/must-not-run"}, Rounds: 3, BenchTime: "1x",
		Workloads: ws, Progress: &progress})
	if err == nil {
		t.Errorf("Run with a done context: no error")
	}
	// 3 rounds of 1 workload plan 3 steps.
	if !strings.Contains(progress.String(), "bench: stopped after 1 of 3 steps in ") {
		t.Errorf("progress lacks \"stopped after 1 of 3 steps\":\n%s", progress.String())
	}
}

// TestLeafFailure checks that a leaf's fatal message, which
// testing.Benchmark would discard, is what the child reports.
func TestLeafFailure(t *testing.T) {
	suite["Failing"] = map[string]leaf{"x": func(b *testing.B, n int64) {
		for b.Loop() {
			fatal(b, "loopback TCP: ", errors.New("connection refused"))
		}
	}}
	defer delete(suite, "Failing")
	w := Workload{Name: "Failing", Impls: []string{"x"}, Sizes: []string{"1KiB"}}
	var out bytes.Buffer
	err := runChild(w, 1, "1x", nil, &out)
	if err == nil || err.Error() != "bench: Failing/impl=x/size=1KiB: loopback TCP: connection refused" {
		t.Errorf("runChild error %v", err)
	}
}

// Raw output records each result's round, and ReadResults restores it, so
// that a file read again pairs its results by round even where a failed
// step left a round without some of them (here b has no round 2).
func TestRawKeepsRounds(t *testing.T) {
	src := "BenchmarkW/impl=a/size=1KiB 1 10 ns/op\n" +
		"BenchmarkW/impl=b/size=1KiB 1 20 ns/op\n" +
		"BenchmarkW/impl=a/size=1KiB 1 11 ns/op\n" +
		"BenchmarkW/impl=a/size=1KiB 1 12 ns/op\n" +
		"BenchmarkW/impl=b/size=1KiB 1 24 ns/op\n"
	rounds := []string{"1", "1", "2", "3", "3"}
	in, err := ReadResults(strings.NewReader(src), "src")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	raw := &rawWriter{w: benchfmt.NewWriter(&out), seen: map[benchfmt.UnitMetadataKey]bool{}}
	for i, r := range in.Results {
		r.SetConfig(RoundKey, rounds[i])
		raw.write(r)
	}
	if raw.err != nil {
		t.Fatal(raw.err)
	}
	back, err := ReadResults(bytes.NewReader(out.Bytes()), "raw")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range back.Results {
		got = append(got, r.GetConfig(RoundKey))
	}
	if !slices.Equal(got, rounds) {
		t.Fatalf("rounds read back %q; want %q\nfile:\n%s", got, rounds, out.String())
	}
	tables, err := BuildTables(back.Results, back.Units)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		if tb.Workload != "W" || tb.Unit != "sec/op" {
			continue
		}
		for j, impl := range tb.Impls {
			want := map[string]map[int]float64{"a": {1: 10e-9, 2: 11e-9, 3: 12e-9}, "b": {1: 20e-9, 3: 24e-9}}[impl]
			if c := tb.Cells[0][j]; !maps.EqualFunc(c.Rounds, want, func(x, y float64) bool { return math.Abs(x-y) < 1e-15 }) {
				t.Errorf("%s: rounds %v; want %v", impl, c.Rounds, want)
			}
		}
		return
	}
	t.Fatalf("no sec/op table of W")
}

// The raw file read by benchstat: its default -table .config splits the
// results by bytesio-round, a table of one sample per round, and
// "benchstat -ignore bytesio-round FILE", as the docs of Options.Raw and
// bytesio bench -o say, puts every round of a benchmark in one cell. The
// projections are benchstat's defaults (x/perf cmd/benchstat).
func TestRawBenchstatIgnoreRound(t *testing.T) {
	in, err := ReadResults(strings.NewReader("BenchmarkW/impl=a/size=1KiB 1 10 ns/op\nBenchmarkW/impl=a/size=1KiB 1 11 ns/op\n"), "src")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	raw := &rawWriter{w: benchfmt.NewWriter(&out), seen: map[benchfmt.UnitMetadataKey]bool{}}
	for i, r := range in.Results {
		r.SetConfig(RoundKey, strconv.Itoa(i+1))
		raw.write(r)
	}
	for _, tc := range []struct {
		ignore string
		tables int
	}{{"", 2}, {RoundFileKey, 1}} {
		var pp benchproc.ProjectionParser
		tableBy, _, err := pp.ParseWithUnit(".config", nil)
		if err != nil {
			t.Fatal(err)
		}
		rowBy, err := pp.Parse(".fullname", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pp.Parse(tc.ignore, nil); err != nil {
			t.Fatal(err)
		}
		cellsOf := map[[2]benchproc.Key]int{}
		tables := map[benchproc.Key]bool{}
		rd := benchfmt.NewReader(bytes.NewReader(out.Bytes()), "raw")
		for rd.Scan() {
			if res, ok := rd.Result().(*benchfmt.Result); ok {
				tk := tableBy.Project(res)
				tables[tk] = true
				cellsOf[[2]benchproc.Key{tk, rowBy.Project(res)}]++
			}
		}
		if len(tables) != tc.tables || len(cellsOf) != tc.tables {
			t.Errorf("benchstat -ignore %q: %d tables, %d cells; want %d of each", tc.ignore, len(tables), len(cellsOf), tc.tables)
		}
	}
}

// ReadResults leaves out, with an error naming the line, a result with a
// value no benchmark measures: not a finite number, negative, or a time of
// 0. Zero bytes and allocations are measurements, and so is a negative
// retained-B, a heap that shrank.
func TestReadResultsValues(t *testing.T) {
	const good = "BenchmarkW/impl=a/size=1KiB 1 10 ns/op\n"
	for _, tc := range []struct {
		line string
		want string // the error; "" for none
	}{
		{"BenchmarkW/impl=b/size=1KiB 1 NaN ns/op", "src:2: NaN ns/op: not a finite number"},
		{"BenchmarkW/impl=b/size=1KiB 1 +Inf ns/op", "src:2: +Inf ns/op: not a finite number"},
		{"BenchmarkW/impl=b/size=1KiB 1 20 ns/op -Inf B/op", "src:2: -Inf B/op: not a finite number"},
		{"BenchmarkW/impl=b/size=1KiB 1 NaN MB/s", "src:2: NaN MB/s: not a finite number"},
		{"BenchmarkW/impl=b/size=1KiB 1 -20 ns/op", "src:2: -20 ns/op: negative"},
		{"BenchmarkW/impl=b/size=1KiB 1 20 ns/op -1 allocs/op", "src:2: -1 allocs/op: negative"},
		{"BenchmarkW/impl=b/size=1KiB 1 20 ns/op -5 peak-B", "src:2: -5 peak-B: negative"},
		{"BenchmarkW/impl=b/size=1KiB 1 0 ns/op", "src:2: 0 ns/op: an operation takes some time"},
		// Fine as written, but not once converted to sec/op and B/s.
		{"BenchmarkW/impl=b/size=1KiB 1 1e-320 ns/op", "src:2: 1e-320 ns/op: 0 in sec/op"},
		{"BenchmarkW/impl=b/size=1KiB 1 20 ns/op 1e308 MB/s", "src:2: 1e+308 MB/s: past float64 in B/s"},
		{"BenchmarkW/impl=b/size=1KiB 1 1e-300 ns/op 1e300 MB/s", ""},
		{"BenchmarkW/impl=b/size=1KiB 1 20 ns/op 0 MB/s 0 B/op 0 allocs/op 0 peak-B 0 retained-B", ""},
		{"BenchmarkW/impl=b/size=1KiB 1 20 ns/op -500 retained-B", ""},
	} {
		d, err := ReadResults(strings.NewReader(good+tc.line+"\n"+good), "src")
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s: error %q, want %q", tc.line, got, tc.want)
		}
		// The bad line is left out, the others read.
		n := 3
		if tc.want != "" {
			n = 2
		}
		if d == nil || len(d.Results) != n {
			t.Errorf("%s: read %v, want %d results", tc.line, d, n)
		}
	}
}

// BuildTables refuses what would pair values with the wrong round: a
// second result of one round in a cell, or, for results without rounds,
// which are numbered by order, cells of one table that hold different
// counts.
func TestBuildTablesRounds(t *testing.T) {
	read := func(src string) []*benchfmt.Result {
		t.Helper()
		d, err := ReadResults(strings.NewReader(src), "src")
		if err != nil {
			t.Fatal(err)
		}
		return d.Results
	}
	dup := "bytesio-round: 1\n" +
		"BenchmarkW/impl=a/size=1KiB 1 10 ns/op\n" +
		"BenchmarkW/impl=b/size=1KiB 1 20 ns/op\n" +
		"bytesio-round: 2\n" +
		"BenchmarkW/impl=a/size=1KiB 1 11 ns/op\n" +
		"bytesio-round: 1\n" +
		"BenchmarkW/impl=a/size=1KiB 1 12 ns/op\n"
	_, err := BuildTables(read(dup), nil)
	if want := "src:7: W/impl=a/size=1KiB: a second result of round 1 (the first is at src:2)"; err == nil || err.Error() != want {
		t.Errorf("a round twice: error %v, want %q", err, want)
	}

	// Without rounds, the three results of a are rounds 1, 2 and 3, and
	// so are b's.
	tables, err := BuildTables(read("BenchmarkW/impl=a/size=1KiB 1 10 ns/op\n"+
		"BenchmarkW/impl=a/size=1KiB 1 11 ns/op\n"+
		"BenchmarkW/impl=b/size=1KiB 1 20 ns/op\n"+
		"BenchmarkW/impl=b/size=1KiB 1 21 ns/op\n"+
		"BenchmarkW/impl=b/size=1KiB 1 22 ns/op\n"+
		"BenchmarkW/impl=a/size=1KiB 1 12 ns/op\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	tb := findTable(t, tables, "W", "sec/op")
	near := func(x, y float64) bool { return math.Abs(x-y) < 1e-15 }
	if c, want := tb.Cell("1KiB", "a"), map[int]float64{1: 10e-9, 2: 11e-9, 3: 12e-9}; !maps.EqualFunc(c.Rounds, want, near) {
		t.Errorf("rounds %v; want %v", c.Rounds, want)
	}
	if c, want := tb.Cell("1KiB", "b"), map[int]float64{1: 20e-9, 2: 21e-9, 3: 22e-9}; !maps.EqualFunc(c.Rounds, want, near) {
		t.Errorf("rounds %v; want %v", c.Rounds, want)
	}

	// Without rounds, a line missing from one cell would pair the others
	// with results of different rounds, and so would a cell with more
	// lines, as names that differ in an extra key make: no tables. In
	// another workload, or with rounds, cells may hold different counts.
	for _, src := range []string{
		"BenchmarkW/impl=a/size=1KiB 1 10 ns/op\n" +
			"BenchmarkW/impl=a/size=1KiB 1 11 ns/op\n" +
			"BenchmarkW/impl=b/size=1KiB 1 20 ns/op\n" +
			"BenchmarkV/impl=a/size=1KiB 1 20 ns/op\n",
		"BenchmarkW/impl=a/size=1KiB/x=1 1 10 ns/op\n" +
			"BenchmarkW/impl=a/size=1KiB/x=2 1 11 ns/op\n" +
			"BenchmarkW/impl=b/size=1KiB 1 20 ns/op\n",
	} {
		_, err := BuildTables(read(src), nil)
		if want := "W sec/op: results without rounds pair by order, but b at 1KiB holds 1 and a at 1KiB 2: " +
			"a line missing or added would pair results of different rounds"; err == nil || err.Error() != want {
			t.Errorf("%q: error %v, want %q", src, err, want)
		}
	}

	// With rounds, a has 3 rounds, b 1: pairing takes the rounds both hold.
	tables, err = BuildTables(read("bytesio-round: 1\n"+
		"BenchmarkW/impl=a/size=1KiB 1 10 ns/op\n"+
		"BenchmarkW/impl=b/size=1KiB 1 20 ns/op\n"+
		"bytesio-round: 2\n"+
		"BenchmarkW/impl=a/size=1KiB 1 11 ns/op\n"+
		"bytesio-round: 3\n"+
		"BenchmarkW/impl=a/size=1KiB 1 12 ns/op\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if fewest, most := RoundsPerCell(tables); fewest != 1 || most != 3 {
		t.Errorf("RoundsPerCell = %d, %d; want 1, 3", fewest, most)
	}
}

// go test -bench -cpu 1,2 writes each benchmark at GOMAXPROCS 1 (no
// suffix) and 2 ("-2"): BuildTables refuses to put both in one cell, where
// the values of the slower setting would pass for more rounds of one
// benchmark. Results of one GOMAXPROCS, or of different GOMAXPROCS in
// different tables, build.
func TestBuildTablesGOMAXPROCS(t *testing.T) {
	var b strings.Builder
	for _, impl := range []string{"a", "b"} {
		for _, suffix := range []string{"", "-2"} {
			for i := range 6 {
				fmt.Fprintf(&b, "BenchmarkW/impl=%s/size=64B%s 1000 %d ns/op\n", impl, suffix, 20+i)
			}
		}
	}
	d, err := ReadResults(strings.NewReader(b.String()), "src")
	if err != nil {
		t.Fatal(err)
	}
	_, err = BuildTables(d.Results, d.Units)
	if want := "W sec/op: results of several GOMAXPROCS (1, 2) would share its cells"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("-cpu 1,2: error %v, want %q", err, want)
	}
	for _, src := range []string{
		"BenchmarkW/impl=a/size=64B-2 1 10 ns/op\nBenchmarkW/impl=b/size=64B-2 1 11 ns/op\n",
		"BenchmarkW/impl=a/size=64B 1 10 ns/op\nBenchmarkV/impl=a/size=64B-4 1 11 ns/op\n",
	} {
		tablesFrom(t, src)
	}
}

// BuildTables never hands a value that is not a finite number to the
// statistics (a NaN makes the Mann-Whitney test loop without end), even
// when the results did not come through ReadResults.
func TestBuildTablesNotFinite(t *testing.T) {
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		res := &benchfmt.Result{Name: benchfmt.Name("W/impl=a/size=1KiB"), Iters: 1,
			Values: []benchfmt.Value{{Value: x, Unit: "sec/op"}}}
		if _, err := BuildTables([]*benchfmt.Result{res}, nil); err == nil || !strings.Contains(err.Error(), "not a finite number") {
			t.Errorf("value %v: error %v, want \"not a finite number\"", x, err)
		}
	}
}

// TestHeadTail checks that head and tail keep the first or last lines of
// a child's output, counting a final newline as the end of a line, not
// the start of one more, and that head marks only a cut with "...".
func TestHeadTail(t *testing.T) {
	for _, tc := range []struct {
		f         func([]byte, int) []byte
		name, out string
		max       int
		want      string
	}{
		{head, "head", "a\nb\nc\n", 3, "a\nb\nc\n"},
		{head, "head", "a\nb\nc\n", 2, "a\nb\n...\n"},
		{head, "head", "a\nb\nc", 3, "a\nb\nc"},
		{head, "head", "a\nb\nc", 2, "a\nb\n...\n"},
		{tail, "tail", "a\nb\nc\n", 2, "b\nc\n"},
		{tail, "tail", "a\nb\nc\n", 3, "a\nb\nc\n"},
		{tail, "tail", "a\nb\nc", 2, "b\nc"},
		{tail, "tail", "", 2, ""},
	} {
		if got := string(tc.f([]byte(tc.out), tc.max)); got != tc.want {
			t.Errorf("%s(%q, %d) = %q; want %q", tc.name, tc.out, tc.max, got, tc.want)
		}
	}
}

// TestFmtDur checks the m:ss of the progress lines, "?" only for a
// negative duration (no estimate yet).
func TestFmtDur(t *testing.T) {
	for d, want := range map[time.Duration]string{
		-time.Second: "?", 0: "0:00", 61 * time.Second: "1:01", 59600 * time.Millisecond: "1:00", 3725 * time.Second: "62:05",
	} {
		if got := fmtDur(d); got != want {
			t.Errorf("fmtDur(%v) = %q; want %q", d, got, want)
		}
	}
}

// TestEstimator checks the time left: the steps from i on, each taking
// its workload's latest time, or the mean step time before the workload
// has run.
func TestEstimator(t *testing.T) {
	a, b := Workload{Name: "A"}, Workload{Name: "B"}
	e := newEstimator([]Step{{1, a, nil}, {1, b, nil}, {2, a, nil}, {2, b, nil}})
	if got := e.left(0); got != -1 {
		t.Errorf("left(0) before any step = %v; want -1", got)
	}
	e.done(0, 10*time.Second)
	// B has not run: the mean, 10s, for each of its steps.
	if got, want := e.left(1), 30*time.Second; got != want {
		t.Errorf("left(1) = %v; want %v", got, want)
	}
	e.done(1, 20*time.Second)
	if got, want := e.left(2), 30*time.Second; got != want {
		t.Errorf("left(2) = %v; want %v", got, want)
	}
}

// TestRunStepErrors checks a run whose steps all fail, without being
// stopped: every step runs, the progress says the run finished, and the
// error of a child that said nothing on stderr shows its stdout. A run of
// no rounds fails with that reason.
func TestRunStepErrors(t *testing.T) {
	ws := []Workload{{Name: "W", Impls: []string{"x"}, Sizes: []string{"1KiB"}}}
	var progress bytes.Buffer
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("the child is a shell script")
	}
	_, err := Run(context.Background(), Options{Exec: []string{"/bin/sh", "-c", "echo said-on-stdout; exit 3", "sh"},
		Rounds: 2, BenchTime: "1x", Workloads: ws, Progress: &progress})
	if err == nil || strings.Count(err.Error(), "said-on-stdout") != 2 {
		t.Errorf("Run error %v; want the stdout of both failing steps", err)
	}
	if p := progress.String(); !strings.Contains(p, "bench: 2 steps in ") || strings.Contains(p, "stopped") {
		t.Errorf("progress of a finished run:\n%s\nwant \"bench: 2 steps in\" and no \"stopped\"", p)
	}
	_, err = Run(context.Background(), Options{Exec: []string{"/nonexistent/must-not-run"}, Rounds: 0, BenchTime: "1x", Workloads: ws})
	if err == nil || !strings.Contains(err.Error(), "rounds must be at least 1") {
		t.Errorf("Run of 0 rounds: %v; want \"rounds must be at least 1\"", err)
	}
}

// failOnce fails its first write and takes the others.
type failOnce struct {
	failed  bool
	written int
}

func (f *failOnce) Write(p []byte) (int, error) {
	if !f.failed {
		f.failed = true
		return 0, errors.New("disk full")
	}
	f.written += len(p)
	return len(p), nil
}

// TestRawWriterStopsAtError checks that the raw output stops at its first
// error and keeps it, rather than writing a file with a hole in it.
func TestRawWriterStopsAtError(t *testing.T) {
	in, err := ReadResults(strings.NewReader("BenchmarkW/impl=a/size=1KiB 1 10 ns/op\nBenchmarkW/impl=b/size=1KiB 1 20 ns/op\n"), "src")
	if err != nil {
		t.Fatal(err)
	}
	w := &failOnce{}
	raw := &rawWriter{w: benchfmt.NewWriter(w), seen: map[benchfmt.UnitMetadataKey]bool{}}
	for _, r := range in.Results {
		raw.write(r)
	}
	if raw.err == nil || w.written != 0 {
		t.Errorf("after a failed write: error %v, %d bytes written; want the error and nothing written", raw.err, w.written)
	}
}

// TestLeafResult checks the result line of a leaf: ns/op, B/op and
// allocs/op as go test -benchmem prints them, MB/s only for a leaf that
// set its bytes and ran for some time, then each metric the leaf
// reported, by name, except those four, which it would repeat.
func TestLeafResult(t *testing.T) {
	units := func(res *benchfmt.Result) []string {
		var u []string
		for _, v := range res.Values {
			u = append(u, v.Unit)
		}
		return u
	}
	extra := map[string]float64{"ns/op": 1, "B/op": 2, "allocs/op": 3, "MB/s": 4, "retained-B": 5, "peak-B": 6}
	for _, tc := range []struct {
		r    testing.BenchmarkResult
		want []string
	}{
		{testing.BenchmarkResult{N: 10, T: time.Microsecond}, []string{"ns/op", "B/op", "allocs/op"}},
		{testing.BenchmarkResult{N: 10, T: time.Microsecond, Bytes: 64}, []string{"ns/op", "MB/s", "B/op", "allocs/op"}},
		{testing.BenchmarkResult{N: 10, Bytes: 64}, []string{"ns/op", "B/op", "allocs/op"}}, // no time: no MB/s, which would be +Inf
		{testing.BenchmarkResult{N: 10, T: time.Microsecond, Extra: extra}, []string{"ns/op", "B/op", "allocs/op", "peak-B", "retained-B"}},
	} {
		res := leafResult("BenchmarkX/impl=bytesio/size=64B", tc.r, nil)
		if got := units(res); !slices.Equal(got, tc.want) {
			t.Errorf("leafResult(%+v): units %q; want %q", tc.r, got, tc.want)
		}
		want := 100.0 // 1 µs over 10 iterations
		if tc.r.T == 0 {
			want = 0
		}
		if v := res.Values[0].Value; v != want {
			t.Errorf("leafResult(%+v): %g ns/op; want %g", tc.r, v, want)
		}
	}
	// 64 bytes 10 times in 1 µs: 640 MB/s.
	res := leafResult("BenchmarkX/impl=bytesio/size=64B", testing.BenchmarkResult{N: 10, T: time.Microsecond, Bytes: 64}, nil)
	if v := res.Values[1].Value; math.Abs(v-640) > 1e-9 {
		t.Errorf("leafResult: %g MB/s; want 640", v)
	}
}

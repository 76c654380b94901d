package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bytesio-go/bytesio/bench"
)

// TestMain lets the test binary stand in for bytesio as the child
// processes of "bytesio bench": the runner starts them as
// os.Executable() with bench.ChildArg.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == bench.ChildArg {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func TestBenchFlags(t *testing.T) {
	// Every case fails before a run; one that did run fails fast.
	defer func(old []string) { benchExec = old }(benchExec)
	benchExec = []string{"/nonexistent/must-not-run"}
	for _, tc := range []struct {
		args []string
		want string // in stderr
	}{
		{[]string{"-count", "0"}, "-count 0: want at least 1 round"},
		{[]string{"-count", "-1"}, "-count -1"},
		{[]string{"-count", "1001"}, "-count 1001: want at most 1000 rounds"},
		{[]string{"-in", "../../bench/testdata/sample.txt", "-count", "3"}, "-count cannot be used with -in"},
		{[]string{"-in", "../../bench/testdata/sample.txt", "-bench", "Append"}, "-bench cannot be used with -in"},
		{[]string{"-full", "-in", "../../bench/testdata/sample.txt"}, "-full cannot be used with -in"},
		{[]string{"-in", "../../bench/testdata/sample.txt", "-benchtime", "1s"}, "-benchtime cannot be used with -in"},
		{[]string{"-benchtime", "bogus"}, `invalid benchtime "bogus"`},
		{[]string{"-benchtime", "0x"}, `invalid benchtime "0x"`},
		{[]string{"-benchtime", ""}, `invalid benchtime ""`},
		{[]string{"-bench", "("}, "-bench: error parsing regexp"},
		{[]string{"-bench", "NoSuchWorkload"}, `-bench "NoSuchWorkload" matches no benchmark`},
		{[]string{"-o", ""}, "-o: empty file name"},
		{[]string{"-md", ""}, "-md: empty file name"},
		{[]string{"-in", ""}, "-in: empty file name"},
		{[]string{"-nosuchflag"}, "flag provided but not defined"},
		{[]string{"extra"}, "unexpected arguments"},
	} {
		var stdout, stderr bytes.Buffer
		if code := runBench(tc.args, &stdout, &stderr); code != 2 {
			t.Errorf("bench %q: exit %d, want 2 (stderr %q)", tc.args, code, stderr.String())
		}
		if !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("bench %q: stderr %q lacks %q", tc.args, stderr.String(), tc.want)
		}
		if stdout.Len() != 0 {
			t.Errorf("bench %q: wrote %q to stdout", tc.args, stdout.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if code := runBench([]string{"-h"}, &stdout, &stderr); code != 0 || !strings.Contains(stderr.String(), "-benchtime") {
		t.Errorf("bench -h: exit %d, usage %q", code, stderr.String())
	}
}

// TestBenchSameFile checks that two of -o, -md, the charts of -md and -in
// naming one file fail before anything is read or written: the second
// output would replace the first, or an output the results it is made
// from.
func TestBenchSameFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("in.txt", []byte(encodeRounds(1, 2)), 0o666); err != nil {
		t.Fatal(err)
	}
	defer func(old []string) { benchExec = old }(benchExec)
	benchExec = []string{"/nonexistent/must-not-run"}
	for _, tc := range []struct {
		args []string
		want string // in stderr
	}{
		{[]string{"-o", "x.txt", "-md", "x.txt"}, "-o x.txt and -md x.txt are the same file: writing the one would destroy the other"},
		{[]string{"-in", "in.txt", "-o", "x.txt", "-md", "x.txt"}, "-o x.txt and -md x.txt are the same file"},
		{[]string{"-o", "x.txt", "-md", "./sub/../x.txt"}, "-o x.txt and -md ./sub/../x.txt are the same file"},
		{[]string{"-o", "x.txt", "-md", filepath.Join(dir, "x.txt")}, "are the same file"},
		{[]string{"-in", "in.txt", "-md", "in.txt"},
			"-md in.txt and -in in.txt are the same file: writing the output would destroy the results it is made from"},
		{[]string{"-in", "in.txt", "-o", "./in.txt"}, "-o ./in.txt and -in in.txt are the same file"},
		{[]string{"-o", "out/bench-read.svg", "-md", "out/report.md"},
			"-o out/bench-read.svg and the chart out/bench-read.svg that -md out/report.md writes next to its report are the same file"},
		{[]string{"-md", "bench-hotpath.svg"}, "-md bench-hotpath.svg and the chart bench-hotpath.svg that -md bench-hotpath.svg"},
		{[]string{"-in", "bench-append.svg", "-md", "r.md"}, "writing the output would destroy the results it is made from"},
	} {
		var stdout, stderr bytes.Buffer
		if code := runBench(tc.args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("bench %q: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr.String(), tc.want)
		}
	}
	if b, err := os.ReadFile("in.txt"); err != nil || string(b) != encodeRounds(1, 2) {
		t.Errorf("in.txt was changed: %q, %v", b, err)
	}
	if files, _ := os.ReadDir("."); len(files) != 1 {
		t.Errorf("the failed runs left %d files, want only in.txt", len(files))
	}
}

// The same file under two names, a symbolic link and a hard link to a file
// that exists, is one file too: os.SameFile tells.
func TestBenchSameFileLinked(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	if err := os.WriteFile(in, []byte(encodeRounds(1, 2)), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o777); err != nil {
		t.Fatal(err)
	}
	sym, hard := filepath.Join(dir, "sub", "sym.txt"), filepath.Join(dir, "sub", "hard.txt")
	if err := os.Symlink(in, sym); err != nil {
		t.Skip(err)
	}
	if err := os.Link(in, hard); err != nil {
		t.Skip(err)
	}
	for _, out := range []string{sym, hard} {
		var stdout, stderr bytes.Buffer
		if code := runBench([]string{"-in", in, "-md", out}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "are the same file") {
			t.Errorf("-in %s -md %s: exit %d, stderr %q; want 2 and \"are the same file\"", in, out, code, stderr.String())
		}
	}
	if b, err := os.ReadFile(in); err != nil || string(b) != encodeRounds(1, 2) {
		t.Errorf("the input was changed: %q, %v", b, err)
	}
}

// The help of -o, the usage of bytesio bench and of bytesio say how
// benchstat reads -o's file: with -ignore bytesio-round, or one table per
// round.
func TestBenchstatAdvice(t *testing.T) {
	const want = "benchstat -ignore bytesio-round FILE"
	var stdout, stderr bytes.Buffer
	runBench([]string{"-h"}, &stdout, &stderr)
	help := strings.Join(strings.Fields(stderr.String()), " ")
	if !strings.Contains(help, "-o file write the raw benchmark results to file, in the Go benchmark format; compare them with "+want) {
		t.Errorf("bench -h: the help of -o does not say %q:\n%s", want, stderr.String())
	}
	if strings.Count(help, want) < 2 {
		t.Errorf("bench -h: the usage text does not say %q:\n%s", want, stderr.String())
	}
	stdout.Reset()
	run([]string{"help"}, &stdout, &stderr)
	if !strings.Contains(stdout.String(), want) {
		t.Errorf("bytesio help does not say %q:\n%s", want, stdout.String())
	}
}

func TestReproduce(t *testing.T) {
	got := reproduce([]string{"-count", "10", "-bench", "Append/.*size=4KiB", "-md", "BENCHMARKS.md", "it's"})
	want := `bytesio bench -count 10 -bench 'Append/.*size=4KiB' -md BENCHMARKS.md 'it'\''s'`
	if got != want {
		t.Errorf("reproduce:\ngot  %s\nwant %s", got, want)
	}
}

// TestBenchSmoke runs "bytesio bench" end to end on a few leaves, from a
// directory outside any Go module, with this test binary as the child
// processes: the summary, targets and comparison tables on stdout (all
// lines within 120 columns), progress on stderr, the raw file, and the
// Markdown report with its charts.
func TestBenchSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the benchmarks in child processes; skipped with -short")
	}
	dir := t.TempDir()
	t.Chdir(dir)
	// Race-detector builds sleep a second at exit unless told not to.
	t.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	raw, md := filepath.Join(dir, "raw.txt"), filepath.Join(dir, "out", "BENCHMARKS.md")
	var stdout, stderr bytes.Buffer
	code := runBench([]string{"-bench", `^(Encode|Append)/.*/size=(200B|4KiB)$`, "-count", "2", "-benchtime", "1x",
		"-o", raw, "-md", md}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"bytesio against the strongest peer",
		"Encode ", "the time of", "too few rounds to tell (6 needed)", // 2 rounds give no interval
		"Encode vs bytes.Buffer+sync.Pool", "undecided",
		"Append sec/op", "strongest peer", "4KiB",
		"targets not measured by this run",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if n := len([]rune(l)); n > 120 {
			t.Errorf("stdout line of %d columns: %q", n, l)
		}
	}
	if regexp.MustCompile(`(?m)^(64B|64KiB|1MiB|64MiB) `).MatchString(out) || strings.Contains(out, "round 1/2") {
		t.Errorf("stdout has rows of other sizes, or progress:\n%s", out)
	}
	if !strings.Contains(stderr.String(), "round 2/2") || !strings.Contains(stderr.String(), "no confidence interval exists") {
		t.Errorf("stderr lacks progress or the note on 2 rounds:\n%s", stderr.String())
	}
	rawText, err := os.ReadFile(raw)
	if err != nil {
		t.Fatal(err)
	}
	// (4 Encode + 6 Append implementations) × 1 size × 2 rounds.
	if n := strings.Count(string(rawText), "\nBenchmark"); n != 20 {
		t.Errorf("raw file has %d results, want 20:\n%s", n, rawText)
	}
	mdText, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Summary", "## How the peers run", "## Targets", "## Append", "bench-hotpath.svg",
		"-bench '^(Encode|Append)/.*/size=(200B|4KiB)$'"} {
		if !strings.Contains(string(mdText), want) {
			t.Errorf("BENCHMARKS.md lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "bench-hotpath.svg")); err != nil {
		t.Error(err)
	}

	// Rendered again from the raw file, the report tells how the run was
	// made (not the flags' defaults) and when.
	md2 := filepath.Join(dir, "again", "BENCHMARKS.md")
	stdout.Reset()
	stderr.Reset()
	if code := runBench([]string{"-in", raw, "-md", md2}, &stdout, &stderr); code != 0 {
		t.Fatalf("-in: exit %d\nstderr:\n%s", code, stderr.String())
	}
	md2Text, err := os.ReadFile(md2)
	if err != nil {
		t.Fatal(err)
	}
	header := regexp.MustCompile(`(?m)^\| (CPU|cores|Go|date|rounds) \|.*$`)
	got, want := header.FindAllString(string(md2Text), -1), header.FindAllString(string(mdText), -1)
	if len(want) != 5 || !strings.Contains(want[4], "2 interleaved rounds, benchtime 1x") ||
		strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rendered from the raw file, the report's run lines are\n%s\nwant\n%s\n(2 rounds of 1x)",
			strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// It gives the command that measured the results, writing md2.
	if want := "bytesio bench -count 2 -benchtime 1x -bench '^(Encode|Append)/.*/size=(200B|4KiB)$' -md " + md2; !strings.Contains(string(md2Text), "```\n"+want+"\n```") {
		t.Errorf("rendered from the raw file, the report lacks the command %s:\n%s", want, md2Text)
	}
}

// encodeRounds returns raw results of Encode, bytesio against the pooled
// bytes.Buffer, in the given rounds, each marked as -o marks it.
func encodeRounds(rounds ...int) string {
	var b strings.Builder
	for _, r := range rounds {
		fmt.Fprintf(&b, "bytesio-round: %d\n", r)
		fmt.Fprintf(&b, "BenchmarkEncode/impl=bytesio/size=200B-4 100 %d ns/op 0 B/op 0 allocs/op\n", 500+r)
		fmt.Fprintf(&b, "BenchmarkEncode/impl=bytes.Buffer+sync.Pool/size=200B-4 100 %d ns/op 0 B/op 0 allocs/op\n", 600+r)
	}
	return b.String()
}

// -v adds a benchstat-style table per unit the results hold, against the
// first implementation as the base: here the medians of 601..606 and
// 501..506 ns, 603.5 and 503.5, 16.57% apart; without -v there is none.
func TestBenchInVerbose(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("in.txt", []byte(encodeRounds(1, 2, 3, 4, 5, 6)), 0o666); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := runBench([]string{"-in", "in.txt", "-v"}, &stdout, &stderr); code != 0 {
		t.Fatalf("-v: exit %d\nstderr:\n%s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"Encode sec/op  bytes.Buffer+sync.Pool (base)", "603.5n ± 0%  503.5n ± 0%  -16.57%",
		"Encode B/op  bytes.Buffer+sync.Pool (base)", "Encode allocs/op  bytes.Buffer+sync.Pool (base)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("-v: stdout lacks %q:\n%s", want, out)
		}
	}
	stdout.Reset()
	if code := runBench([]string{"-in", "in.txt"}, &stdout, &stderr); code != 0 || strings.Contains(stdout.String(), "(base)") {
		t.Errorf("without -v: exit %d, stdout\n%s\nwant 0 and no per-unit tables", code, stdout.String())
	}
}

// A file without round markers pairs its results by order, which a result
// left out (here a NaN) would shift for the rounds after it: -in writes no
// report then, where one with markers reports what is left.
func TestBenchInUnmarkedDrop(t *testing.T) {
	t.Chdir(t.TempDir())
	unmarked := func(rounds ...int) string { return strings.ReplaceAll(encodeRounds(rounds...), "bytesio-round", "x") }
	src := unmarked(1) + "BenchmarkEncode/impl=bytesio/size=200B-4 100 NaN ns/op\n" + unmarked(2, 3)
	if err := os.WriteFile("in.txt", []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := runBench([]string{"-in", "in.txt", "-md", "out.md"}, &stdout, &stderr); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if want := "in.txt records no rounds (bytesio-round), so its results pair by order"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
	if _, err := os.Stat("out.md"); err == nil || stdout.Len() > 0 {
		t.Errorf("a report was written (stdout %d bytes)", stdout.Len())
	}

	// The same file with its round markers: the error is reported (exit
	// 1), and so are the results left, rounds 1 to 3 of both.
	marked := encodeRounds(1) + "BenchmarkEncode/impl=bytesio/size=200B-4 100 NaN ns/op\n" + encodeRounds(2, 3)
	if err := os.WriteFile("in.txt", []byte(marked), 0o666); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	if code := runBench([]string{"-in", "in.txt", "-md", "out.md"}, &stdout, &stderr); code != 1 {
		t.Errorf("marked: exit %d, want 1", code)
	}
	if strings.Contains(stderr.String(), "records no rounds") {
		t.Errorf("marked: stderr %q says the file records no rounds", stderr.String())
	}
	md, err := os.ReadFile("out.md")
	if err != nil || !strings.Contains(string(md), "| rounds | 3 interleaved rounds") {
		t.Errorf("marked: no report of the 3 rounds left (%v):\n%s", err, md)
	}
}

// TestBenchIn renders raw files with -in: what the report says of the run
// comes from the file, and a file that cannot be paired or summarised
// fails with a message.
func TestBenchIn(t *testing.T) {
	t.Chdir(t.TempDir())
	const header = "bytesio-rounds: 3\nbytesio-benchtime: 10ms\nbytesio-bench: \"Encode/\"\n" +
		"bytesio-date: 2026-01-02T03:04:05Z\nbytesio-go: go1.99.1\nbytesio-cores: 12\n\n" +
		"goos: darwin\ngoarch: arm64\ncpu: Apple M2 Pro\n"
	for _, tc := range []struct {
		name, src string
		code      int
		stderr    string   // in stderr; "" for nothing there
		md        []string // in the report
	}{
		{"machine", header + encodeRounds(1, 2, 3), 0, "", []string{
			"| CPU | Apple M2 Pro |", "| cores | 12 |", "| Go | go1.99.1 darwin/arm64 |", "| date | 2026-01-02 03:04 UTC |",
			"| rounds | 3 interleaved rounds, benchtime 10ms per leaf",
			"```\nbytesio bench -count 3 -benchtime 10ms -bench Encode/ -md machine.md\n```"}},
		// go test -bench output: no record of the run; the cores are the
		// GOMAXPROCS of the names (-4).
		{"gotest", "goos: linux\ngoarch: amd64\ncpu: Test CPU\n" + strings.ReplaceAll(encodeRounds(1, 2), "bytesio-round", "x"), 0, "", []string{
			"| CPU | Test CPU |", "| cores | 4 |", "| Go | unrecorded linux/amd64 |", "| date | unrecorded |",
			"| rounds | 2 runs per benchmark, not interleaved (paired by order), benchtime unrecorded per leaf",
			"```\nbytesio bench -in gotest.txt -md gotest.md\n```"}},
		// Cut short: the header says 3 rounds, the file holds 2.
		{"short", header + encodeRounds(1, 2), 0,
			"warning: short.txt records a run of 3 rounds but holds 2 rounds of each benchmark", []string{
				"| rounds | 2 interleaved rounds, benchtime 10ms"}},
		// Cut in round 3: 3 rounds of bytesio, 2 of the peer.
		{"cut", header + encodeRounds(1, 2) + "bytesio-round: 3\nBenchmarkEncode/impl=bytesio/size=200B-4 100 503 ns/op\n", 0,
			"warning: cut.txt records a run of 3 rounds but holds 2 to 3 rounds of each benchmark", []string{
				"| rounds | 3 interleaved rounds (as few as 2 for some benchmarks), benchtime 10ms"}},
		// Legitimate zeros (B/op, allocs/op) and a heap that shrank; with
		// no peer, the report compares nothing, and says so.
		{"zeros", "BenchmarkBimodal/impl=bytesio/size=bimodal 1 10 ns/op 0 B/op 0 allocs/op -500 retained-B\n", 0,
			"bytesio bench: warning: no workload has results of bytesio and of a peer in one unit", nil},
		// Without rounds, a line missing pairs the rest with other rounds.
		{"uneven", strings.ReplaceAll(encodeRounds(1, 2), "bytesio-round", "x") +
			"BenchmarkEncode/impl=bytesio/size=200B-4 100 503 ns/op\n", 1,
			"bytesio bench: Encode sec/op: results without rounds pair by order, but bytes.Buffer+sync.Pool at 200B holds 2 " +
				"and bytesio at 200B 3", nil},
		// 1e-320 ns/op is 0 s: left out, as 0 ns/op is.
		{"tiny", header + encodeRounds(1, 2) + "bytesio-round: 3\nBenchmarkEncode/impl=bytesio/size=200B-4 100 1e-320 ns/op\n", 1,
			"bytesio bench: tiny.txt:18: 1e-320 ns/op: 0 in sec/op", nil},
		{"inf", header + encodeRounds(1, 2) + "bytesio-round: 3\nBenchmarkEncode/impl=bytesio/size=200B-4 100 +Inf ns/op\n", 1,
			"bytesio bench: inf.txt:18: +Inf ns/op: not a finite number", nil},
		{"nan", "BenchmarkEncode/impl=bytesio/size=200B 100 NaN ns/op\n" + encodeRounds(1, 2), 1,
			"bytesio bench: nan.txt:1: NaN ns/op: not a finite number", nil},
		{"negative", "BenchmarkEncode/impl=bytesio/size=200B 100 -5 ns/op\n", 1, "negative.txt:1: -5 ns/op: negative", nil},
		{"twice", header + encodeRounds(1, 2, 3, 2), 1,
			"bytesio bench: twice.txt:21: Encode/impl=bytesio/size=200B-4: a second result of round 2 (the first is at twice.txt:15)", nil},
		// 5e-324 MB/s is 5e-318 B/s, a value, but 0 in the GiB/s of the
		// charts, off their log scale: no chart, no panic.
		{"tinythroughput", "BenchmarkRead/impl=bytes.Buffer/size=64KiB-2 3843 1780 ns/op 5e-324 MB/s\n", 0,
			"bytesio bench: warning: no workload has results of bytesio and of a peer in one unit", []string{"## Read"}},
		{"empty", "", 1, "bytesio bench: empty.txt holds no benchmark results", nil},
		{"text", "hello\nworld\n", 1, "bytesio bench: text.txt holds no benchmark results", nil},
	} {
		in, md := tc.name+".txt", tc.name+".md"
		if err := os.WriteFile(in, []byte(tc.src), 0o666); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		if code := runBench([]string{"-in", in, "-md", md}, &stdout, &stderr); code != tc.code {
			t.Errorf("%s: exit %d, want %d\nstderr:\n%s", tc.name, code, tc.code, stderr.String())
		}
		if tc.stderr == "" && stderr.Len() > 0 || !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("%s: stderr %q, want %q", tc.name, stderr.String(), tc.stderr)
		}
		text, _ := os.ReadFile(md)
		for _, want := range tc.md {
			if !strings.Contains(string(text), want) {
				t.Errorf("%s: report lacks %q:\n%s", tc.name, want, text)
			}
		}
	}
}

// A file cut short mid-line, as a run stopped while writing would leave
// it, ends in "503 n": its last line is left out, with a warning, not read
// as a value in a unit "n". A last line that is blank is no cut.
func TestBenchInCut(t *testing.T) {
	t.Chdir(t.TempDir())
	const header = "bytesio-rounds: 3\nbytesio-benchtime: 10ms\n\n"
	src := header + encodeRounds(1, 2) + "bytesio-round: 3\nBenchmarkEncode/impl=bytesio/size=200B-4 100 503 n"
	if err := os.WriteFile("cut.txt", []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := runBench([]string{"-in", "cut.txt", "-md", "cut.md", "-o", "raw.txt", "-v"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", code, stderr.String())
	}
	if want := "bytesio bench: warning: cut.txt does not end in a newline: its last line (11) may have been cut short, and is left out"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q lacks %q", stderr.String(), want)
	}
	md, _ := os.ReadFile("cut.md")
	if want := "| rounds | 2 interleaved rounds, benchtime 10ms"; !strings.Contains(string(md), want) || strings.Contains(stdout.String(), "Encode n") {
		t.Errorf("the cut line was read: report lacks %q, or stdout has a table in n:\n%s\n%s", want, md, stdout.String())
	}
	if raw, _ := os.ReadFile("raw.txt"); strings.Contains(string(raw), "503 n") {
		t.Errorf("-o copied the cut line:\n%s", raw)
	}

	stderr.Reset()
	if err := os.WriteFile("blank.txt", []byte(header+encodeRounds(1, 2)+"  "), 0o666); err != nil {
		t.Fatal(err)
	}
	if code := runBench([]string{"-in", "blank.txt"}, &stdout, &stderr); code != 0 || strings.Contains(stderr.String(), "newline") {
		t.Errorf("a last line of blanks: exit %d, stderr %q; want 0 and no warning", code, stderr.String())
	}
}

// Files of -o of two runs put together, of different -bench selections,
// benchtimes and dates: the report says which settings differ, shows them
// as mixed, and gives no command, which would reproduce only the first;
// stderr warns.
func TestBenchInMixed(t *testing.T) {
	t.Chdir(t.TempDir())
	a := "bytesio-rounds: 2\nbytesio-benchtime: 5ms\nbytesio-bench: \"^Encode/\"\nbytesio-date: 2026-01-02T03:04:05Z\n\n" + encodeRounds(1, 2)
	b := "bytesio-rounds: 2\nbytesio-benchtime: 3s\nbytesio-bench: \"\"\nbytesio-date: 2026-01-03T03:04:05Z\n\n" +
		"bytesio-round: 1\nBenchmarkSmallCycle/impl=bytesio/size=1KiB-4 100 50 ns/op\nBenchmarkSmallCycle/impl=bytes.Buffer+sync.Pool/size=1KiB-4 100 60 ns/op\n" +
		"bytesio-round: 2\nBenchmarkSmallCycle/impl=bytesio/size=1KiB-4 100 51 ns/op\nBenchmarkSmallCycle/impl=bytes.Buffer+sync.Pool/size=1KiB-4 100 61 ns/op\n"
	if err := os.WriteFile("in.txt", []byte(a+b), 0o666); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := runBench([]string{"-in", "in.txt", "-md", "r.md"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", code, stderr.String())
	}
	if want := `bytesio bench: warning: in.txt holds the results of several runs, which differ in ` +
		`date (2026-01-02 03:04 UTC, 2026-01-03 03:04 UTC), benchtime (5ms, 3s), -bench ("^Encode/", ""): ` +
		`the report marks them as mixed and gives no command to reproduce them`; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q lacks %q", stderr.String(), want)
	}
	md, _ := os.ReadFile("r.md")
	for _, want := range []string{
		"## SmallCycle", "| date | mixed: 2026-01-02 03:04 UTC; 2026-01-03 03:04 UTC |",
		"| rounds | 2 interleaved rounds, benchtime mixed (5ms, 3s) per leaf",
		"These results come from several runs put together, which differ in date, benchtime, -bench: no one command reproduces them.",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(string(md), "Reproduce with") || strings.Contains(string(md), "-bench") && strings.Contains(string(md), "^Encode/") {
		t.Errorf("report gives a command:\n%s", md)
	}

	// Runs of different rounds: the rounds are mixed, and no warning
	// compares the rounds held with either run's.
	c := "bytesio-rounds: 3\nbytesio-benchtime: 5ms\nbytesio-date: 2026-01-02T03:04:05Z\n\n" + encodeRounds(1, 2, 3) // no -bench: an earlier release's
	d := strings.ReplaceAll(strings.ReplaceAll(b, "bytesio-rounds: 2", "bytesio-rounds: 6"), "3s", "5ms")
	if err := os.WriteFile("in2.txt", []byte(c+d), 0o666); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := runBench([]string{"-in", "in2.txt", "-md", "r2.md"}, &stdout, &stderr); code != 0 || strings.Contains(stderr.String(), "records a run of") {
		t.Errorf("exit %d, stderr %q; want 0 and no warning on the rounds held", code, stderr.String())
	}
	md, _ = os.ReadFile("r2.md")
	if strings.Contains(string(md), "-bench") {
		t.Errorf("report marks -bench mixed, but an -o of an earlier release without it ran every benchmark, as \"\" says:\n%s", md)
	}
	if want := "| rounds | mixed: runs of 3, 6 rounds put together; 3 interleaved rounds (as few as 2 for some benchmarks), benchtime 5ms per leaf"; !strings.Contains(string(md), want) {
		t.Errorf("report lacks %q:\n%s", want, md)
	}
}

// Each -o file records -bench, "" when it selects every benchmark, so
// that in files put together the -bench of one does not carry over to the
// results of the next.
func TestWriteRunConfigEveryKey(t *testing.T) {
	var a, b bytes.Buffer
	writeRunConfig(&a, runRecord{Rounds: 2, BenchTime: "5ms", Match: "^Encode/"})
	writeRunConfig(&b, runRecord{Rounds: 2, BenchTime: "5ms"})
	src := a.String() + encodeRounds(1) + b.String() + strings.ReplaceAll(encodeRounds(1), "Encode", "Fprintf")
	d, err := bench.ReadResults(strings.NewReader(src), "src")
	if err != nil {
		t.Fatal(err)
	}
	last := d.Results[len(d.Results)-1]
	if got := last.GetConfig(benchKey); got != `""` {
		t.Errorf("the second run's -bench reads %q; want %q", got, `""`)
	}
	if rec := recordedRun(d); !slices.Equal(rec.Mixed["-bench"], []string{`"^Encode/"`, `""`}) {
		t.Errorf("recordedRun: mixed %v; want -bench \"^Encode/\" and \"\"", rec.Mixed)
	}

	// go test output records neither rounds nor -bench: its -bench is
	// unrecorded, not the "" of a run of every benchmark.
	src = encodeRounds(1) + b.String() + encodeRounds(1)
	if d, err = bench.ReadResults(strings.NewReader(src), "src"); err != nil {
		t.Fatal(err)
	}
	if rec := recordedRun(d); !slices.Equal(rec.Mixed["-bench"], []string{"unrecorded", `""`}) {
		t.Errorf("recordedRun: mixed %v; want -bench unrecorded and \"\"", rec.Mixed)
	}
}

// TestBenchOutputs checks that -o creates its directory, as -md does, and
// that an output that cannot be written fails before the run, leaving
// nothing behind: no charts of a report that was not written.
func TestBenchOutputs(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	in := filepath.Join(dir, "in.txt")
	if err := os.WriteFile(in, []byte(encodeRounds(1, 2)), 0o666); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	raw := filepath.Join(dir, "new", "dir", "raw.txt")
	if code := runBench([]string{"-in", in, "-o", raw}, &stdout, &stderr); code != 0 {
		t.Errorf("-o into a new directory: exit %d\nstderr:\n%s", code, stderr.String())
	}
	if b, err := os.ReadFile(raw); err != nil || string(b) != encodeRounds(1, 2) {
		t.Errorf("-o into a new directory: %q, %v; want a copy of the input", b, err)
	}

	// -md naming a directory.
	if err := os.MkdirAll(filepath.Join(dir, "out", "report.md"), 0o777); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := runBench([]string{"-in", in, "-md", filepath.Join(dir, "out", "report.md")}, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "-md: ") || !strings.Contains(stderr.String(), "is a directory") {
		t.Errorf("-md naming a directory: exit %d, stderr %q; want 1 and the error", code, stderr.String())
	}
	// writeReport itself opens the report before it writes the charts.
	d, err := bench.ReadResults(strings.NewReader(encodeRounds(1, 2)), "in")
	if err != nil {
		t.Fatal(err)
	}
	tables, err := bench.BuildTables(d.Results, d.Units)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeReport(filepath.Join(dir, "out", "report.md"), bench.Report{Tables: tables}); err == nil {
		t.Errorf("writeReport to a directory: no error")
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "out", "*.svg")); len(files) > 0 {
		t.Errorf("-md naming a directory wrote %q", files)
	}

	// Before a run: the run would start this program, which fails.
	defer func(old []string) { benchExec = old }(benchExec)
	benchExec = []string{"/nonexistent/must-not-run"}
	for _, flag := range []string{"-o", "-md"} {
		stderr.Reset()
		code := runBench([]string{"-count", "1", "-benchtime", "1x", "-bench", "^Encode/", flag, filepath.Join(dir, "out", "report.md")}, &stdout, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "is a directory") || strings.Contains(stderr.String(), "must-not-run") {
			t.Errorf("%s naming a directory: exit %d, stderr %q; want 1 and the error before the run", flag, code, stderr.String())
		}
	}
	if files, _ := os.ReadDir(filepath.Join(dir, "out")); len(files) != 1 {
		t.Errorf("the failed runs left %d files in out, want only report.md, the directory", len(files))
	}
}

func TestRoundsHeld(t *testing.T) {
	for _, tc := range []struct {
		want, fewest, most int
		held               string
	}{
		{10, 10, 10, ""},
		{0, 3, 4, ""}, // the run's rounds are unknown
		{10, 3, 3, "3 rounds"},
		{10, 3, 4, "3 to 4 rounds"},
		{2, 4, 4, "4 rounds"},      // more than asked for: a file read twice
		{3, 3, 4, "3 to 4 rounds"}, // the fewest as asked for, not the most
		{6, 1, 1, "1 round"},
	} {
		if got := roundsHeld(tc.want, tc.fewest, tc.most); got != tc.held {
			t.Errorf("roundsHeld(%d, %d, %d) = %q, want %q", tc.want, tc.fewest, tc.most, got, tc.held)
		}
	}
}

// TestBenchCountRange checks that -count takes 1 to 1000 rounds and that
// the note on too few rounds for an interval comes below 6 rounds only.
// Each run fails at its -o, a directory, before running anything.
func TestBenchCountRange(t *testing.T) {
	dir := t.TempDir()
	defer func(old []string) { benchExec = old }(benchExec)
	benchExec = []string{"/nonexistent/must-not-run"}
	for _, tc := range []struct {
		count string
		note  bool
	}{{"1000", false}, {"6", false}, {"5", true}} {
		var stdout, stderr bytes.Buffer
		code := runBench([]string{"-count", tc.count, "-o", dir}, &stdout, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "is a directory") {
			t.Errorf("-count %s: exit %d, stderr %q; want 1 and the -o error", tc.count, code, stderr.String())
		}
		if note := strings.Contains(stderr.String(), "no confidence interval exists"); note != tc.note {
			t.Errorf("-count %s: note on too few rounds %v; want %v (stderr %q)", tc.count, note, tc.note, stderr.String())
		}
	}
}

// TestBenchInMissing checks that -in of a file that cannot be read fails
// with the reason.
func TestBenchInMissing(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runBench([]string{"-in", filepath.Join(t.TempDir(), "nope.txt")}, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "no such file") {
		t.Errorf("-in of a missing file: exit %d, stderr %q; want 1 and \"no such file\"", code, stderr.String())
	}
}

// TestRunCommand checks the command line of a recorded run: -full or
// nothing for the two modes, whose rounds and benchtime are both theirs,
// else -count and -benchtime; none unless both are recorded, nor for
// several runs put together, of which it would reproduce only one.
func TestRunCommand(t *testing.T) {
	for _, tc := range []struct {
		rec  runRecord
		want string
	}{
		{runRecord{Rounds: fullRounds, BenchTime: fullBenchTime}, "bytesio bench -full -md B.md"},
		{runRecord{Rounds: quickRounds, BenchTime: quickBenchTime}, "bytesio bench -md B.md"},
		{runRecord{Rounds: fullRounds, BenchTime: quickBenchTime}, "bytesio bench -count 40 -benchtime 20ms -md B.md"},
		{runRecord{Rounds: quickRounds, BenchTime: fullBenchTime}, "bytesio bench -count 6 -benchtime 50ms -md B.md"},
		{runRecord{Rounds: 3, BenchTime: "1x", Match: "Read/"}, "bytesio bench -count 3 -benchtime 1x -bench Read/ -md B.md"},
		{runRecord{Rounds: 3}, ""},
		{runRecord{BenchTime: "1x"}, ""},
		{runRecord{Rounds: 3, BenchTime: "1x", Mixed: map[string][]string{"date": {"2026-01-02 03:04 UTC", "2026-01-03 03:04 UTC"}}}, ""},
	} {
		if got := runCommand(tc.rec, "B.md"); got != tc.want {
			t.Errorf("runCommand(%+v) = %q; want %q", tc.rec, got, tc.want)
		}
	}
	if got := shellQuote(""); got != "''" {
		t.Errorf("shellQuote(\"\") = %q; want %q", got, "''")
	}
}

// TestRecordedRunCores checks the cores and rounds a file records: names
// without a GOMAXPROCS suffix ran on 1, a recorded count that is not
// positive is no record.
func TestRecordedRunCores(t *testing.T) {
	for _, tc := range []struct {
		src           string
		cores, rounds int
	}{
		{"BenchmarkEncode/impl=bytesio/size=200B 1 10 ns/op\n", 1, 0},
		{"BenchmarkEncode/impl=bytesio/size=200B-8 1 10 ns/op\n", 8, 0},
		{"bytesio-cores: 0\nbytesio-rounds: -3\nBenchmarkEncode/impl=bytesio/size=200B-4 1 10 ns/op\n", 4, 0},
		{"bytesio-cores: 12\nbytesio-rounds: 7\nBenchmarkEncode/impl=bytesio/size=200B-4 1 10 ns/op\n", 12, 7},
	} {
		d, err := bench.ReadResults(strings.NewReader(tc.src), "src")
		if err != nil {
			t.Fatal(err)
		}
		if rec := recordedRun(d); rec.Machine.Cores != tc.cores || rec.Rounds != tc.rounds {
			t.Errorf("recordedRun(%q): %d cores, %d rounds; want %d, %d", tc.src, rec.Machine.Cores, rec.Rounds, tc.cores, tc.rounds)
		}
	}

	// Two runs put together, one recording 0 cores (no record, so the -4
	// of its names) and one recording 4, agree on the cores.
	src := "bytesio-cores: 0\nBenchmarkEncode/impl=bytesio/size=200B-4 1 10 ns/op\n" +
		"bytesio-cores: 4\nBenchmarkEncode/impl=bytesio/size=200B-4 1 11 ns/op\n"
	d, err := bench.ReadResults(strings.NewReader(src), "src")
	if err != nil {
		t.Fatal(err)
	}
	if m := mixedSettings(d.Results); m != nil {
		t.Errorf("mixedSettings(%q) = %v; want nil", src, m)
	}
}

// TestWriteTargetsAllMeasured checks that the count of targets not
// measured appears only when there are some.
func TestWriteTargetsAllMeasured(t *testing.T) {
	var out bytes.Buffer
	writeTargets(&out, []bench.TargetResult{{Target: "t", Want: "≤ 1×", Measured: "1×", Status: bench.Met}})
	if strings.Contains(out.String(), "not measured") {
		t.Errorf("writeTargets with every target measured:\n%s", out.String())
	}
	out.Reset()
	writeTargets(&out, []bench.TargetResult{{Target: "t", Status: bench.Missing}})
	if !strings.Contains(out.String(), "(1 target not measured by this run)") {
		t.Errorf("writeTargets with a target not measured:\n%s", out.String())
	}
}

// TestRunDispatch checks that run hands each command to its own flags (each
// -h lists a flag only that command has), prints the usage on stdout for
// help, and fails no command, or an unknown one with its name, with the
// usage on stderr.
func TestRunDispatch(t *testing.T) {
	tests := []struct {
		args        []string
		code        int
		out, errOut string // wanted in stdout, stderr ("" wants nothing checked)
	}{
		{nil, 2, "", "usage: bytesio"},
		{[]string{"bench", "-h"}, 0, "", "-benchtime"},
		{[]string{"tune", "-h"}, 0, "", "-replay-bytes"},
		{[]string{"help"}, 0, "usage: bytesio", ""},
		{[]string{"-h"}, 0, "usage: bytesio", ""},
		{[]string{"--help"}, 0, "usage: bytesio", ""},
		{[]string{"frob"}, 2, "", `unknown command "frob"`},
		{[]string{"Bench"}, 2, "", "usage: bytesio"},
	}
	for _, tc := range tests {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, &stdout, &stderr)
		if code != tc.code || !strings.Contains(stdout.String(), tc.out) || !strings.Contains(stderr.String(), tc.errOut) {
			t.Errorf("bytesio %s: exit %d, stdout %q, stderr %q; want %d, %q in stdout, %q in stderr",
				strings.Join(tc.args, " "), code, stdout.String(), stderr.String(), tc.code, tc.out, tc.errOut)
		}
		if tc.code == 0 && tc.out != "" && stderr.Len() != 0 {
			t.Errorf("bytesio %s: stderr %q; want nothing", strings.Join(tc.args, " "), stderr.String())
		}
	}
}

// TestBenchRunShort checks the warning of a run whose results hold fewer
// rounds than were asked for: here the child (a shell script) gives a
// result in round 1 and fails in round 2.
func TestBenchRunShort(t *testing.T) {
	defer func(old []string) { benchExec = old }(benchExec)
	// The child's flags are -workload W -benchtime T -round N -match RE.
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("the child is a shell script")
	}
	benchExec = []string{"/bin/sh", "-c", `if [ "$6" = 1 ]; then echo "BenchmarkEncode/impl=bytesio/size=200B 1 10 ns/op"; else exit 1; fi`, "sh"}
	var stdout, stderr bytes.Buffer
	code := runBench([]string{"-bench", "^Encode/impl=bytesio/", "-count", "2", "-benchtime", "1x"}, &stdout, &stderr)
	if want := "warning: 2 rounds were asked for but the results hold 1 round of each benchmark"; code != 1 || !strings.Contains(stderr.String(), want) {
		t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr.String(), want)
	}
}

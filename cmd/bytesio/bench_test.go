package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
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
	for _, tc := range []struct {
		args []string
		want string // in stderr
	}{
		{[]string{"-count", "0"}, "-count 0: want at least 1 round"},
		{[]string{"-count", "-1"}, "-count -1"},
		{[]string{"-benchtime", "bogus"}, `invalid benchtime "bogus"`},
		{[]string{"-benchtime", "0x"}, `invalid benchtime "0x"`},
		{[]string{"-benchtime", ""}, `invalid benchtime ""`},
		{[]string{"-bench", "("}, "-bench: error parsing regexp"},
		{[]string{"-bench", "NoSuchWorkload"}, `-bench "NoSuchWorkload" matches no benchmark`},
		{[]string{"-o", ""}, "-o: empty file name"},
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
	// (4 Encode + 5 Append implementations) × 1 size × 2 rounds.
	if n := strings.Count(string(rawText), "\nBenchmark"); n != 18 {
		t.Errorf("raw file has %d results, want 18:\n%s", n, rawText)
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
	header := regexp.MustCompile(`(?m)^\| (date|rounds) \|.*$`)
	got, want := header.FindAllString(string(md2Text), -1), header.FindAllString(string(mdText), -1)
	if len(want) != 2 || !strings.Contains(want[1], "2 interleaved rounds, benchtime 1x") ||
		strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rendered from the raw file, the report's run lines are\n%s\nwant\n%s\n(2 rounds of 1x)",
			strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

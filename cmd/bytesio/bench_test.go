package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestBenchFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-count", "-1"},
		{"-bench", "("},
		{"-nosuchflag"},
		{"extra"},
	} {
		var stdout, stderr bytes.Buffer
		if code := runBench(args, &stdout, &stderr); code != 2 {
			t.Errorf("bench %q: exit %d, want 2 (stderr %q)", args, code, stderr.String())
		}
		if stdout.Len() != 0 {
			t.Errorf("bench %q: wrote %q to stdout", args, stdout.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if code := runBench([]string{"-h"}, &stdout, &stderr); code != 0 || !strings.Contains(stderr.String(), "-benchtime") {
		t.Errorf("bench -h: exit %d, usage %q", code, stderr.String())
	}
}

func TestReproduce(t *testing.T) {
	got := reproduce([]string{"-count", "10", "-bench", "Append/.*size=4KiB", "-md", "BENCHMARKS.md", "it's"})
	want := `go run ./cmd/bytesio bench -count 10 -bench 'Append/.*size=4KiB' -md BENCHMARKS.md 'it'\''s'`
	if got != want {
		t.Errorf("reproduce:\ngot  %s\nwant %s", got, want)
	}
}

// TestBenchSmoke builds the benchmark binary and runs two rounds of one
// small leaf set end to end: tables on stdout, progress on stderr, the raw
// file and the Markdown report with its chart.
func TestBenchSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the benchmarks; skipped with -short")
	}
	dir := t.TempDir()
	raw, md := filepath.Join(dir, "raw.txt"), filepath.Join(dir, "BENCHMARKS.md")
	var stdout, stderr bytes.Buffer
	code := runBench([]string{"-quick", "-bench", "Append/.*size=4KiB", "-count", "2", "-benchtime", "10ms", "-o", raw, "-md", md}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"Append sec/op", "Append B/s", "Append allocs/op",
		"bytes.Buffer (base)", "bytesio", "bytesio-nopool", "copy", "4KiB",
		"Append 64MiB: time vs new bytes.Buffer", // summary, not measured in this run
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if regexp.MustCompile(`(?m)^\s+(64B|64KiB|1MiB|64MiB) `).MatchString(out) || strings.Contains(out, "round 1/2") {
		t.Errorf("stdout has rows of other sizes, or progress:\n%s", out)
	}
	if !strings.Contains(stderr.String(), "round 2/2") {
		t.Errorf("stderr lacks progress:\n%s", stderr.String())
	}
	rawText, err := os.ReadFile(raw)
	if err != nil {
		t.Fatal(err)
	}
	// 6 implementations × 1 size × 2 rounds.
	if n := strings.Count(string(rawText), "BenchmarkAppend/"); n != 12 {
		t.Errorf("raw file has %d results, want 12:\n%s", n, rawText)
	}
	mdText, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Summary", "## Append", "bench-append.svg", "-bench 'Append/.*size=4KiB'"} {
		if !strings.Contains(string(mdText), want) {
			t.Errorf("BENCHMARKS.md lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "bench-append.svg")); err != nil {
		t.Error(err)
	}
}

package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"

	"github.com/bytesio-go/bytesio/bench"
)

// Defaults of the two modes of "bytesio bench".
const (
	quickRounds    = 6
	quickBenchTime = "20ms"
	fullRounds     = 10
	fullBenchTime  = "200ms"
)

// runBench implements "bytesio bench": it builds the benchmark binary of
// package bench, runs it in interleaved rounds, and prints one
// benchstat-style table per workload and unit to stdout, followed by the
// summary of the project's targets. Progress goes to stderr.
func runBench(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bytesio bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	quick := fs.Bool("quick", true, fmt.Sprintf("quick run: %d rounds of -benchtime %s (false: %d rounds of %s)",
		quickRounds, quickBenchTime, fullRounds, fullBenchTime))
	count := fs.Int("count", 0, "number of interleaved `rounds` (default by -quick)")
	benchTime := fs.String("benchtime", "", "-test.benchtime of each benchmark, e.g. 200ms or 10x (default by -quick)")
	match := fs.String("bench", "", "run only the benchmarks whose name, Workload/impl=NAME/size=SIZE, matches this `regexp`")
	rawOut := fs.String("o", "", "write the raw benchmark results to `file` (readable by benchstat)")
	mdOut := fs.String("md", "", "write a Markdown report to `file`, and its SVG charts next to it")
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: bytesio bench [flags]

Builds the benchmarks of ./bench once, runs every workload in interleaved
rounds (-count), and prints benchstat-style tables: median ± 95% range per
implementation, delta and p-value against the workload's baseline, geomean.
Run inside the bytesio module.

flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bytesio bench: unexpected arguments %q\n", fs.Args())
		fs.Usage()
		return 2
	}
	rounds, bt := fullRounds, fullBenchTime
	if *quick {
		rounds, bt = quickRounds, quickBenchTime
	}
	if *count != 0 {
		rounds = *count
	}
	if *benchTime != "" {
		bt = *benchTime
	}
	if rounds < 1 {
		fmt.Fprintln(stderr, "bytesio bench: -count must be at least 1")
		return 2
	}
	var re *regexp.Regexp
	if *match != "" {
		var err error
		if re, err = regexp.Compile(*match); err != nil {
			fmt.Fprintf(stderr, "bytesio bench: -bench: %v\n", err)
			return 2
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	root, err := bench.ModuleRoot(ctx, ".")
	if err != nil {
		fmt.Fprintf(stderr, "bytesio bench: %v\n", err)
		return 1
	}
	opts := bench.Options{ModuleRoot: root, Rounds: rounds, BenchTime: bt, Match: re, Progress: stderr}
	var raw bytes.Buffer
	if *rawOut != "" {
		opts.Raw = &raw
	}
	data, runErr := bench.Run(ctx, opts)
	status := 0
	if runErr != nil {
		fmt.Fprintf(stderr, "bytesio bench: %v\n", runErr)
		status = 1
	}
	if data == nil {
		return 1
	}
	if *rawOut != "" {
		if err := os.WriteFile(*rawOut, raw.Bytes(), 0o666); err != nil {
			fmt.Fprintf(stderr, "bytesio bench: %v\n", err)
			status = 1
		}
	}
	tables, err := bench.BuildTables(data.Results, data.Units)
	if err != nil {
		fmt.Fprintf(stderr, "bytesio bench: %v\n", err)
		return 1
	}
	targets := bench.EvalTargets(tables)
	if err := bench.WriteTables(stdout, tables); err != nil {
		return 1
	}
	fmt.Fprintln(stdout)
	writeTargets(stdout, targets)
	if *mdOut != "" {
		rep := bench.Report{
			Machine:   bench.DetectMachine(ctx, root),
			Command:   reproduce(args),
			Rounds:    rounds,
			BenchTime: bt,
			Tables:    tables,
			Targets:   targets,
		}
		if err := writeReport(*mdOut, rep); err != nil {
			fmt.Fprintf(stderr, "bytesio bench: %v\n", err)
			status = 1
		}
	}
	return status
}

// writeTargets prints the summary of targets as a text table.
func writeTargets(w io.Writer, targets []bench.TargetResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "target\twant\tmeasured\tstatus")
	for _, t := range targets {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Target, t.Want, t.Measured, t.Status)
	}
	tw.Flush()
}

// writeReport writes the Markdown report and its charts, next to it.
func writeReport(path string, rep bench.Report) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	charts, err := bench.WriteCharts(filepath.Dir(path), rep.Tables)
	if err != nil {
		return err
	}
	rep.Charts = charts
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := bench.WriteMarkdown(f, rep); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// reproduce returns the command line that repeats this run.
func reproduce(args []string) string {
	parts := []string{"go", "run", "./cmd/bytesio", "bench"}
	for _, a := range args {
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

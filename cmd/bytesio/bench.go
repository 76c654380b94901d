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
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bytesio-go/bytesio/bench"
)

// Defaults of the two modes of "bytesio bench".
const (
	quickRounds    = 6
	quickBenchTime = "20ms"
	fullRounds     = 10
	fullBenchTime  = "200ms"
)

// runBench implements "bytesio bench": it runs every workload of package
// bench in interleaved rounds, each step in a child process of this
// program, and prints the plain-language summary (bytesio against the
// strongest peer), the project's targets and one comparison table per
// workload to stdout; with -v also the benchstat-style tables of every
// unit. Progress goes to stderr.
func runBench(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bytesio bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	full := fs.Bool("full", false, fmt.Sprintf("full run: %d rounds of -benchtime %s (default: %d rounds of %s)",
		fullRounds, fullBenchTime, quickRounds, quickBenchTime))
	count := fs.Int("count", 0, "number of interleaved `rounds`, at least 1 (default by -full)")
	benchTime := fs.String("benchtime", "", "benchtime of each benchmark, e.g. 200ms or 10x (default by -full)")
	match := fs.String("bench", "", "run only the benchmarks whose name, Workload/impl=NAME/size=SIZE, matches this `regexp`")
	rawOut := fs.String("o", "", "write the raw benchmark results to `file` (readable by benchstat)")
	mdOut := fs.String("md", "", "write a Markdown report to `file`, and its SVG charts next to it")
	inFile := fs.String("in", "", "read raw results from `file` (written by -o, which records the run's rounds, benchtime and date) instead of running the benchmarks")
	verbose := fs.Bool("v", false, "also print the benchstat-style tables of every unit (wider than 120 columns)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, `usage: bytesio bench [flags]

Runs the benchmarks compiled into this program in interleaved rounds, each
round of each workload in a child process, and prints how bytesio compares
with the strongest peer at each size (median ratio, paired by round, with its
95%% confidence interval), the project's targets, and a table per workload.
Runs in any directory; no Go toolchain or source is needed.

The default quick run (%d rounds of %s) takes about 2 minutes; -full (%d
rounds of %s, the one behind BENCHMARKS.md) about 11 minutes on 2 cores.

flags:
`, quickRounds, quickBenchTime, fullRounds, fullBenchTime)
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
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	rounds, bt := quickRounds, quickBenchTime
	if *full {
		rounds, bt = fullRounds, fullBenchTime
	}
	if set["count"] {
		if *count < 1 {
			fmt.Fprintf(stderr, "bytesio bench: -count %d: want at least 1 round\n", *count)
			return 2
		}
		rounds = *count
	}
	if set["benchtime"] {
		if err := bench.ParseBenchTime(*benchTime); err != nil {
			fmt.Fprintf(stderr, "bytesio bench: %v\n", err)
			return 2
		}
		bt = *benchTime
	}
	var re *regexp.Regexp
	if set["bench"] {
		var err error
		if re, err = regexp.Compile(*match); err != nil {
			fmt.Fprintf(stderr, "bytesio bench: -bench: %v\n", err)
			return 2
		}
		if len(bench.Plan(bench.Workloads, 1, re)) == 0 {
			fmt.Fprintf(stderr, "bytesio bench: -bench %q matches no benchmark\n", *match)
			return 2
		}
	}
	for _, f := range []struct{ name, path string }{{"o", *rawOut}, {"md", *mdOut}, {"in", *inFile}} {
		if set[f.name] && f.path == "" {
			fmt.Fprintf(stderr, "bytesio bench: -%s: empty file name\n", f.name)
			return 2
		}
	}

	if rounds < 6 && *inFile == "" {
		fmt.Fprintf(stderr, "bytesio bench: note: with %d rounds no confidence interval exists (6 needed): every verdict will be undecided\n", rounds)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	machine := bench.DetectMachine()
	opts := bench.Options{Exec: benchExec, Rounds: rounds, BenchTime: bt, Match: re, Progress: stderr}
	var raw bytes.Buffer
	if *rawOut != "" {
		opts.Raw = &raw
	}
	var data *bench.Data
	var runErr error
	if *inFile != "" {
		data, runErr = readRaw(*inFile, &raw)
		if data != nil {
			rounds, bt, machine.Date = recordedRun(data, machine.Date)
		}
	} else {
		if *rawOut != "" {
			writeRunConfig(&raw, rounds, bt, machine.Date)
		}
		data, runErr = bench.Run(ctx, opts)
	}
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
	if len(data.Results) == 0 {
		return 1
	}
	tables, err := bench.BuildTables(data.Results, data.Units)
	if err != nil {
		fmt.Fprintf(stderr, "bytesio bench: %v\n", err)
		return 1
	}
	sums := bench.Summarize(tables)
	targets := bench.EvalTargets(tables)
	if err := writeBenchText(stdout, tables, sums, targets, *verbose); err != nil {
		fmt.Fprintf(stderr, "bytesio bench: %v\n", err)
		return 1
	}
	if *mdOut != "" {
		rep := bench.Report{
			Machine:   machine,
			Command:   reproduce(args),
			Rounds:    rounds,
			BenchTime: bt,
			Tables:    tables,
			Summaries: sums,
			Targets:   targets,
		}
		if err := writeReport(*mdOut, rep); err != nil {
			fmt.Fprintf(stderr, "bytesio bench: %v\n", err)
			status = 1
		}
	}
	return status
}

// readRaw reads the results of an earlier run, copying the file to raw.
// Its results are paired by the rounds -o records (bench.RoundFileKey); a
// file without them (go test -bench output, or -o of an older release) has
// its rounds numbered by the order of each leaf's results.
func readRaw(path string, raw *bytes.Buffer) (*bench.Data, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	raw.Write(b)
	return bench.ReadResults(bytes.NewReader(b), path)
}

// The configuration keys, in the Go benchmark format, with which -o
// records how the run was made, so that -in reports it again.
const (
	roundsKey    = "bytesio-rounds"
	benchTimeKey = "bytesio-benchtime"
	dateKey      = "bytesio-date"
)

// writeRunConfig writes the run's rounds, benchtime and start as
// configuration lines, which apply to every result after them.
func writeRunConfig(w io.Writer, rounds int, benchTime string, start time.Time) {
	fmt.Fprintf(w, "%s: %d\n%s: %s\n%s: %s\n\n", roundsKey, rounds, benchTimeKey, benchTime,
		dateKey, start.UTC().Format(time.RFC3339))
}

// recordedRun returns the rounds, benchtime and start of the run that
// wrote data, from its configuration lines. A file without them (go test
// -bench output, or -o of an older release) gets the largest number of
// results of one benchmark as its rounds, "unrecorded" and the given date.
func recordedRun(data *bench.Data, date time.Time) (rounds int, benchTime string, start time.Time) {
	rounds, benchTime, start = 0, "unrecorded", date
	per := map[string]int{} // results of each benchmark: one a round
	for _, r := range data.Results {
		k := string(r.Name.Full())
		per[k]++
		rounds = max(rounds, per[k])
	}
	if len(data.Results) == 0 {
		return rounds, benchTime, start
	}
	first := data.Results[0]
	if n, err := strconv.Atoi(first.GetConfig(roundsKey)); err == nil && n > 0 {
		rounds = n
	}
	if bt := first.GetConfig(benchTimeKey); bt != "" {
		benchTime = bt
	}
	if t, err := time.Parse(time.RFC3339, first.GetConfig(dateKey)); err == nil {
		start = t
	}
	return rounds, benchTime, start
}

// benchExec is the command of the child processes; nil means this
// program (tests may point it elsewhere).
var benchExec []string

// writeBenchText prints the summary, the targets (those measured), the
// comparison table of every workload and, when verbose, every table.
func writeBenchText(w io.Writer, tables []*bench.Table, sums []bench.Summary, targets []bench.TargetResult, verbose bool) error {
	fmt.Fprintln(w, "bytesio against the strongest peer at each size (median of the per-round ratios, 95% CI):")
	if err := bench.WriteSummary(w, sums); err != nil {
		return err
	}
	fmt.Fprintln(w)
	writeTargets(w, targets)
	for _, s := range sums {
		fmt.Fprintln(w)
		if err := bench.WriteComparison(w, s); err != nil {
			return err
		}
	}
	if verbose {
		fmt.Fprintln(w)
		return bench.WriteTables(w, tables)
	}
	return nil
}

// writeTargets prints the targets the run measured as a text table.
func writeTargets(w io.Writer, targets []bench.TargetResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "target\twant\tmeasured (95% CI)\tstatus")
	skipped := 0
	for _, t := range targets {
		if t.Status == bench.Missing {
			skipped++
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Target, t.Want, t.Measured, t.Status)
	}
	tw.Flush()
	if skipped > 0 {
		fmt.Fprintf(w, "(%d targets not measured by this run)\n", skipped)
	}
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
	parts := []string{"bytesio", "bench"}
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

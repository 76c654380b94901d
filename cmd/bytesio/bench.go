package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/perf/benchfmt"

	"github.com/bytesio-go/bytesio/bench"
)

// Defaults of the two modes of "bytesio bench".
const (
	quickRounds    = 6
	quickBenchTime = "20ms"
	// The full run cuts its time into many short rounds: the ratio of a
	// round compares measurements moments apart, and the interval of the
	// median narrows with the number of rounds. On this project's shared
	// 2-core machine, 40 rounds of 50ms gave the five hot-path workloads
	// 95% intervals reaching 3-10% from the median, where 10 rounds of
	// 200ms, in about the same time, gave 15-50%.
	fullRounds    = 40
	fullBenchTime = "50ms"
	// maxRounds bounds -count: a run plans its steps up front, and a
	// thousand rounds of 200ms take about 16 hours already.
	maxRounds = 1000
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
	count := fs.Int("count", 0, fmt.Sprintf("number of interleaved `rounds`, 1 to %d (default by -full)", maxRounds))
	benchTime := fs.String("benchtime", "", "benchtime of each benchmark, e.g. 200ms or 10x (default by -full)")
	match := fs.String("bench", "", "run only the benchmarks whose name, Workload/impl=NAME/size=SIZE, matches this `regexp`")
	rawOut := fs.String("o", "", "write the raw benchmark results to `file`, in the Go benchmark format; compare them with "+
		"benchstat -ignore bytesio-round FILE (each result records its round, and benchstat's default tables split by it, "+
		"one table per round)")
	mdOut := fs.String("md", "", "write a Markdown report to `file`, and its SVG charts next to it ("+
		strings.Join(bench.ChartFiles(), ", ")+"); no two of -o, -md, the charts and -in may be the same file")
	inFile := fs.String("in", "", "read raw results from `file` (written by -o, which records the run's rounds, benchtime, "+
		"-bench, date, cores and Go release) instead of running the benchmarks; -bench, -count, -full and -benchtime "+
		"select what a run measures, so they cannot be used with -in; a file without rounds (go test -bench output) "+
		"pairs its results by order, and gives no report when a result in it is not readable, nor when it holds one "+
		"benchmark at several GOMAXPROCS (go test -cpu 1,2); a file that does not end "+
		"in a newline may have been cut mid-line, so its last line is left out, with a warning; files of several runs "+
		"put together give a report that marks what differs between them as mixed, with a warning, and no command")
	verbose := fs.Bool("v", false, "also print the benchstat-style tables of every unit (wider than 120 columns)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, `usage: bytesio bench [flags]

Runs the benchmarks compiled into this program in interleaved rounds, each
round of each workload in a child process, and prints how bytesio compares
with the strongest peer at each size (median ratio, paired by round, with its
95%% confidence interval), the project's targets, and a table per workload.
Runs in any directory; no Go toolchain or source is needed.

The default quick run (%d rounds of %s) takes about 2 minutes; -full (%d
rounds of %s, the one behind BENCHMARKS.md) 15 to 20 minutes on 2 cores.

-o saves the results in the Go benchmark format, each with its round as the
file key bytesio-round; compare them with benchstat as

	benchstat -ignore bytesio-round FILE

since benchstat's default tables split by every file key, one per round.

Exit status: 2 for a usage error, 1 when the run or the report fails.

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
	if set["in"] {
		for _, name := range []string{"bench", "count", "full", "benchtime"} {
			if set[name] {
				fmt.Fprintf(stderr, "bytesio bench: -%s cannot be used with -in: the results in the file were measured already\n", name)
				return 2
			}
		}
	}
	rounds, bt := quickRounds, quickBenchTime
	if *full {
		rounds, bt = fullRounds, fullBenchTime
	}
	if set["count"] {
		if *count < 1 {
			fmt.Fprintf(stderr, "bytesio bench: -count %d: want at least 1 round\n", *count)
			return 2
		}
		if *count > maxRounds {
			fmt.Fprintf(stderr, "bytesio bench: -count %d: want at most %d rounds\n", *count, maxRounds)
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
	if err := distinctFiles(*rawOut, *mdOut, *inFile); err != nil {
		fmt.Fprintf(stderr, "bytesio bench: %v\n", err)
		return 2
	}

	if rounds < 6 && *inFile == "" {
		fmt.Fprintf(stderr, "bytesio bench: note: with %d rounds no confidence interval exists (6 needed): every verdict will be undecided\n", rounds)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts := bench.Options{Exec: benchExec, Rounds: rounds, BenchTime: bt, Match: re, Progress: stderr}
	var raw bytes.Buffer
	if *rawOut != "" {
		opts.Raw = &raw
	}
	// How the run was made: as asked for, or as the file records it.
	rec := runRecord{Rounds: rounds, BenchTime: bt, Machine: bench.DetectMachine()}
	if re != nil {
		rec.Match = re.String()
	}
	var data *bench.Data
	var runErr error
	if *inFile != "" {
		var cut int
		if data, cut, runErr = readRaw(*inFile, &raw); data == nil {
			fmt.Fprintf(stderr, "bytesio bench: %v\n", runErr)
			return 1
		}
		if cut > 0 {
			fmt.Fprintf(stderr, "bytesio bench: warning: %s does not end in a newline: its last line (%d) may have been "+
				"cut short, and is left out\n", *inFile, cut)
		}
		rec = recordedRun(data)
	}
	// A bad output file fails now, not after a run of minutes.
	for _, f := range []struct{ name, path string }{{"o", *rawOut}, {"md", *mdOut}} {
		if f.path == "" {
			continue
		}
		if err := checkOutput(f.path); err != nil {
			fmt.Fprintf(stderr, "bytesio bench: -%s: %v\n", f.name, err)
			return 1
		}
	}
	if *inFile == "" {
		if *rawOut != "" {
			writeRunConfig(&raw, rec)
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
	if *inFile != "" && runErr != nil && slices.ContainsFunc(data.Results, func(r *benchfmt.Result) bool {
		return r.GetConfig(bench.RoundKey) == ""
	}) {
		fmt.Fprintf(stderr, "bytesio bench: %s records no rounds (%s), so its results pair by order, "+
			"which the results left out would shift: no report\n", *inFile, bench.RoundFileKey)
		return 1
	}
	if *rawOut != "" {
		if err := os.WriteFile(*rawOut, raw.Bytes(), 0o666); err != nil {
			fmt.Fprintf(stderr, "bytesio bench: %v\n", err)
			status = 1
		}
	}
	if len(data.Results) == 0 {
		if *inFile != "" {
			fmt.Fprintf(stderr, "bytesio bench: %s holds no benchmark results\n", *inFile)
		} else {
			fmt.Fprintln(stderr, "bytesio bench: the run measured nothing")
		}
		return 1
	}
	tables, err := bench.BuildTables(data.Results, data.Units)
	if err != nil {
		fmt.Fprintf(stderr, "bytesio bench: %v\n", err)
		return 1
	}
	if len(rec.Mixed) > 0 {
		var differ []string
		for _, k := range bench.MixedSettings {
			if v := rec.Mixed[k]; len(v) > 1 {
				differ = append(differ, k+" ("+strings.Join(v, ", ")+")")
			}
		}
		fmt.Fprintf(stderr, "bytesio bench: warning: %s holds the results of several runs, which differ in %s: "+
			"the report marks them as mixed and gives no command to reproduce them\n", *inFile, strings.Join(differ, ", "))
	}
	fewest, most := bench.RoundsPerCell(tables)
	if held := roundsHeld(rec.Rounds, fewest, most); held != "" && *inFile != "" {
		fmt.Fprintf(stderr, "bytesio bench: warning: %s records a run of %d rounds but holds %s of each benchmark\n",
			*inFile, rec.Rounds, held)
	} else if held != "" {
		fmt.Fprintf(stderr, "bytesio bench: warning: %d rounds were asked for but the results hold %s of each benchmark\n",
			rec.Rounds, held)
	}
	sums := bench.Summarize(tables)
	if len(sums) == 0 {
		fmt.Fprintln(stderr, "bytesio bench: warning: no workload has results of bytesio and of a peer in one unit: "+
			"the tables compare nothing")
	}
	targets := bench.EvalTargets(tables)
	if err := writeBenchText(stdout, tables, sums, targets, *verbose); err != nil {
		fmt.Fprintf(stderr, "bytesio bench: %v\n", err)
		return 1
	}
	if *mdOut != "" {
		command := reproduce(args)
		if *inFile != "" {
			// The command that measured the results, not this one, when
			// the file records it; none for several runs put together.
			command = cmp.Or(runCommand(rec, *mdOut), command)
		}
		rep := bench.Report{
			Machine:      rec.Machine,
			Command:      command,
			Rounds:       most,
			FewestRounds: fewest,
			BenchTime:    cmp.Or(rec.BenchTime, "unrecorded"),
			Tables:       tables,
			Summaries:    sums,
			Targets:      targets,
			Mixed:        rec.Mixed,
		}
		if err := writeReport(*mdOut, rep); err != nil {
			fmt.Fprintf(stderr, "bytesio bench: %v\n", err)
			status = 1
		}
	}
	return status
}

// roundsHeld says how many rounds of each benchmark the results hold,
// fewest to most, when that differs from the rounds of the run, want
// (0 when unknown): "4 rounds", "4 to 5 rounds"; "" when it does not.
func roundsHeld(want, fewest, most int) string {
	switch {
	case want == 0 || fewest == want && most == want:
		return ""
	case fewest == most:
		return bench.CountOf(most, "round")
	}
	return fmt.Sprintf("%d to %d rounds", fewest, most)
}

// A namedFile is a file bytesio bench reads or writes: the flag that names
// it and its path, or, for a chart -md writes next to the report, -md's
// path and the chart's.
type namedFile struct {
	flag, path string
	chart      string // the path of the chart; "" for the file the flag names
}

// String names f in an error: "-o raw.txt", or "the chart dir/bench-read.svg
// that -md dir/r.md writes next to its report".
func (f namedFile) String() string {
	if f.chart != "" {
		return fmt.Sprintf("the chart %s that -md %s writes next to its report", f.chart, f.path)
	}
	return f.flag + " " + f.path
}

// distinctFiles returns an error when two of the files -o, -md (with the
// charts it writes next to the report) and -in name (those not "") are
// the same file, where one output would replace the other, or an output
// the results it is made from: the same path once made absolute and clean
// (through the symbolic links of its directory), or, for files that
// exist, the same file by os.SameFile (a hard link, a symbolic link).
func distinctFiles(rawOut, mdOut, inFile string) error {
	var files []namedFile
	for _, f := range []namedFile{{flag: "-o", path: rawOut}, {flag: "-md", path: mdOut}, {flag: "-in", path: inFile}} {
		if f.path != "" {
			files = append(files, f)
		}
	}
	if mdOut != "" {
		for _, name := range bench.ChartFiles() {
			files = append(files, namedFile{flag: "-md", path: mdOut, chart: filepath.Join(filepath.Dir(mdOut), name)})
		}
	}
	file := func(f namedFile) string { return cmp.Or(f.chart, f.path) }
	for i, a := range files {
		for _, b := range files[i+1:] {
			if a.chart != "" && b.chart != "" || !sameFile(file(a), file(b)) {
				continue
			}
			what := "writing the one would destroy the other"
			if a.flag == "-in" || b.flag == "-in" {
				what = "writing the output would destroy the results it is made from"
			}
			return fmt.Errorf("%v and %v are the same file: %s; give each its own", a, b, what)
		}
	}
	return nil
}

// sameFile reports whether the paths a and b name the same file (see
// distinctFiles).
func sameFile(a, b string) bool {
	if canonical(a) == canonical(b) {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// canonical returns path absolute and clean, with the symbolic links of
// its directory resolved when the directory exists.
func canonical(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}

// checkOutput creates the directory of the output file path, where the
// writes at the end go, and checks that path can be written, so that a bad
// -o or -md fails before a run that may take minutes, not after it. It
// leaves no new file behind.
func checkOutput(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o666)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if errors.Is(statErr, os.ErrNotExist) {
		return os.Remove(path)
	}
	return nil
}

// readRaw reads the results of an earlier run, copying what it reads to
// raw. Its results are paired by the rounds -o records
// (bench.RoundFileKey); a file without them (go test -bench output, or -o
// of an older release) has its rounds numbered by the order of each leaf's
// results. A file that does not end in a newline may have been cut short
// mid-line, where "392.61 ns/op" becomes "392.61 n", a value in a unit of
// its own: its last line is left out, and cut is its number (0 when the
// file ends in a newline, or its last line is blank).
func readRaw(path string, raw *bytes.Buffer) (data *bench.Data, cut int, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	if i := bytes.LastIndexByte(b, '\n'); i < len(b)-1 && len(bytes.TrimSpace(b[i+1:])) > 0 {
		cut = bytes.Count(b, []byte("\n")) + 1
		b = b[:i+1]
	}
	raw.Write(b)
	data, err = bench.ReadResults(bytes.NewReader(b), path)
	return data, cut, err
}

// The configuration keys, in the Go benchmark format, with which -o
// records how the run was made, so that -in reports it again. The child
// processes record goos, goarch and cpu on every result.
const (
	roundsKey    = "bytesio-rounds"
	benchTimeKey = "bytesio-benchtime"
	benchKey     = "bytesio-bench" // the -bench regexp, quoted as a Go string
	dateKey      = "bytesio-date"
	goKey        = "bytesio-go"
	coresKey     = "bytesio-cores"
)

// A runRecord is how a run was made: as asked for, or as -o recorded it.
type runRecord struct {
	Rounds    int    // rounds asked for; 0 when not recorded, or mixed
	BenchTime string // "" when not recorded
	Match     string // the -bench regexp; "" for every benchmark
	Machine   bench.Machine
	// Mixed is set for the results of several runs put together that
	// differ in how they were made: see bench.Report.Mixed.
	Mixed map[string][]string
}

// writeRunConfig writes rec as configuration lines, which apply to every
// result after them. Each key is written, -bench too when it selects
// every benchmark (""), so that in files put together none of them
// carries over from the file before.
func writeRunConfig(w io.Writer, rec runRecord) {
	fmt.Fprintf(w, "%s: %d\n%s: %s\n%s: %s\n", roundsKey, rec.Rounds, benchTimeKey, rec.BenchTime, benchKey, strconv.Quote(rec.Match))
	fmt.Fprintf(w, "%s: %s\n%s: %s\n%s: %d\n\n", dateKey, rec.Machine.Date.UTC().Format(time.RFC3339),
		goKey, rec.Machine.GoVersion, coresKey, rec.Machine.Cores)
}

// procs is the GOMAXPROCS suffix of a benchmark name, which go test and
// the child processes leave out when it is 1.
var procs = regexp.MustCompile(`-(\d+)$`)

// recordedRun returns how the run that wrote data was made, from the
// configuration of its first result: the keys -o writes, and goos, goarch
// and cpu. A file without them (go test -bench output, or -o of an older
// release) has no rounds (0) nor benchtime (""), no date (zero), the
// GOMAXPROCS of its benchmark names as its cores, and "unrecorded" for
// the Go release and anything else missing. Where the results differ in
// any of these (files of several runs put together), Mixed says how, and
// Rounds is 0 when they differ in it.
func recordedRun(data *bench.Data) runRecord {
	var rec runRecord
	if len(data.Results) == 0 {
		return rec
	}
	first := data.Results[0]
	get := func(key string) string { return cmp.Or(first.GetConfig(key), "unrecorded") }
	rec.Machine.CPU, rec.Machine.OS, rec.Machine.Arch = get("cpu"), get("goos"), get("goarch")
	rec.Machine.GoVersion = get(goKey)
	rec.Machine.Cores = 1
	if m := procs.FindStringSubmatch(first.Name.String()); m != nil {
		rec.Machine.Cores, _ = strconv.Atoi(m[1])
	}
	if n, err := strconv.Atoi(first.GetConfig(coresKey)); err == nil && n > 0 {
		rec.Machine.Cores = n
	}
	if n, err := strconv.Atoi(first.GetConfig(roundsKey)); err == nil && n > 0 {
		rec.Rounds = n
	}
	rec.BenchTime = first.GetConfig(benchTimeKey)
	if re, err := strconv.Unquote(first.GetConfig(benchKey)); err == nil {
		rec.Match = re
	}
	if t, err := time.Parse(time.RFC3339, first.GetConfig(dateKey)); err == nil {
		rec.Machine.Date = t
	}
	if rec.Mixed = mixedSettings(data.Results); len(rec.Mixed["rounds"]) > 1 {
		rec.Rounds = 0
	}
	return rec
}

// mixedSettings returns, for each setting of the run (by the keys of
// bench.Report.Mixed) in which results differ, the values they hold, in
// the order they come; nil when they agree in all.
func mixedSettings(results []*benchfmt.Result) map[string][]string {
	get := func(r *benchfmt.Result, key string) string { return cmp.Or(r.GetConfig(key), "unrecorded") }
	settings := map[string]func(*benchfmt.Result) string{
		"CPU": func(r *benchfmt.Result) string { return get(r, "cpu") },
		"cores": func(r *benchfmt.Result) string {
			if n, err := strconv.Atoi(r.GetConfig(coresKey)); err == nil && n > 0 {
				return strconv.Itoa(n)
			}
			if m := procs.FindStringSubmatch(r.Name.String()); m != nil {
				return m[1]
			}
			return "1"
		},
		"Go": func(r *benchfmt.Result) string { return get(r, goKey) + " " + get(r, "goos") + "/" + get(r, "goarch") },
		"date": func(r *benchfmt.Result) string {
			if t, err := time.Parse(time.RFC3339, r.GetConfig(dateKey)); err == nil {
				return t.UTC().Format("2006-01-02 15:04 MST")
			}
			return "unrecorded"
		},
		"rounds":    func(r *benchfmt.Result) string { return get(r, roundsKey) },
		"benchtime": func(r *benchfmt.Result) string { return get(r, benchTimeKey) },
		"-bench": func(r *benchfmt.Result) string {
			// -o of an earlier release wrote no -bench for a run of every
			// benchmark: what -o writes now as "".
			if r.GetConfig(benchKey) == "" && r.GetConfig(roundsKey) != "" {
				return `""`
			}
			return get(r, benchKey)
		},
	}
	var mixed map[string][]string
	for _, k := range bench.MixedSettings {
		var vals []string
		for _, r := range results {
			if v := settings[k](r); !slices.Contains(vals, v) {
				vals = append(vals, v)
			}
		}
		if len(vals) > 1 {
			if mixed == nil {
				mixed = map[string][]string{}
			}
			mixed[k] = vals
		}
	}
	return mixed
}

// runCommand returns the command line of the run rec records, writing its
// report to md: -full, or nothing for the quick run, where rounds and
// benchtime are theirs, else -count and -benchtime; "" when rec does not
// record both, or records several runs.
func runCommand(rec runRecord, md string) string {
	if rec.Rounds == 0 || rec.BenchTime == "" || len(rec.Mixed) > 0 {
		return ""
	}
	parts := []string{"bytesio", "bench"}
	switch {
	case rec.Rounds == fullRounds && rec.BenchTime == fullBenchTime:
		parts = append(parts, "-full")
	case rec.Rounds == quickRounds && rec.BenchTime == quickBenchTime:
	default:
		parts = append(parts, "-count", strconv.Itoa(rec.Rounds), "-benchtime", shellQuote(rec.BenchTime))
	}
	if rec.Match != "" {
		parts = append(parts, "-bench", shellQuote(rec.Match))
	}
	if md != "" {
		parts = append(parts, "-md", shellQuote(md))
	}
	return strings.Join(parts, " ")
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
		fmt.Fprintf(w, "(%s not measured by this run)\n", bench.CountOf(skipped, "target"))
	}
}

// writeReport writes the Markdown report and its charts, next to it, in
// the directory checkOutput made: the charts only once the report's file
// is open.
func writeReport(path string, rep bench.Report) error {
	// The report is opened first, so that a path that cannot be one fails
	// before any chart is written, but cut and written last, rendered in
	// memory: a chart that fails leaves an earlier report as it was (and
	// no new one).
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o666)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		f.Close()
		if statErr != nil {
			os.Remove(path)
		}
		return err
	}
	charts, err := bench.WriteCharts(filepath.Dir(path), rep.Tables)
	if err != nil {
		return fail(err)
	}
	rep.Charts = charts
	var md bytes.Buffer
	if err := bench.WriteMarkdown(&md, rep); err != nil {
		return fail(err)
	}
	if err := f.Truncate(0); err != nil {
		return fail(err)
	}
	if _, err := f.Write(md.Bytes()); err != nil {
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

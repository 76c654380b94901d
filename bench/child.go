package bench

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/perf/benchfmt"
)

// ChildArg is the hidden first argument that makes a program run one step
// of a benchmark run as a child process. [Run] starts every step as
// os.Executable() (or Options.Exec) with ChildArg and the step's flags, so
// a program that calls Run must call [ChildMain] with the arguments after
// ChildArg when its first argument is ChildArg. The benchmarks are
// compiled into that program: no Go toolchain or source is needed.
const ChildArg = "-bytesio-bench-child"

// PackagePath is the import path the results name as their pkg.
const PackagePath = "github.com/bytesio-go/bytesio/bench"

// customUnits are the units the leaves report with b.ReportMetric, all
// lower-is-better byte counts.
var customUnits = []string{"peak-B", "retained-B"}

// ParseBenchTime checks a -benchtime value as go test takes it: a
// positive duration such as "200ms", or a positive count of iterations
// such as "10x".
func ParseBenchTime(s string) error {
	if n, ok := strings.CutSuffix(s, "x"); ok {
		if k, err := strconv.Atoi(n); err != nil || k < 1 {
			return fmt.Errorf("invalid benchtime %q: want a positive count such as 10x", s)
		}
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return fmt.Errorf("invalid benchtime %q: want a positive duration such as 200ms, or a count such as 10x", s)
	}
	return nil
}

// LeafBenchTime returns the benchtime of one leaf of w at size when the run
// asks for benchtime: a quarter of a duration (at least 1ns) for the sizes
// of a Long workload from LongSize up, benchtime itself otherwise.
func LeafBenchTime(w Workload, size, benchtime string) string {
	n, err := ParseSize(size)
	if !w.Long || err != nil || n < LongSize || strings.HasSuffix(benchtime, "x") {
		return benchtime
	}
	d, err := time.ParseDuration(benchtime)
	if err != nil {
		return benchtime
	}
	return max(d/4, time.Nanosecond).String()
}

// ChildMain runs the leaves of one workload with testing.Benchmark and
// writes their results to stdout in the Go benchmark format, preceded by
// the configuration (goos, goarch, pkg, cpu) and the metadata of the
// custom units. args are the flags after ChildArg: -workload NAME,
// -benchtime D, -round N (see childOrder) and optionally -match REGEXP. A
// failing leaf stops the run: its message goes to stderr and ChildMain
// returns 1; bad flags return 2.
func ChildMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bytesio bench child", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("workload", "", "the workload to run")
	benchtime := fs.String("benchtime", "1s", "benchtime of each leaf")
	match := fs.String("match", "", "run only the leaves whose name matches this regexp")
	round := fs.Int("round", 1, "the round, which sets the order of the implementations (implOrder)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	w, ok := WorkloadNamed(*name)
	if !ok {
		fmt.Fprintf(stderr, "bench: unknown workload %q\n", *name)
		return 2
	}
	if err := ParseBenchTime(*benchtime); err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	var re *regexp.Regexp
	if *match != "" {
		var err error
		if re, err = regexp.Compile(*match); err != nil {
			fmt.Fprintf(stderr, "bench: -match: %v\n", err)
			return 2
		}
	}
	if err := runChild(w, *round, *benchtime, re, stdout); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// runChild runs the leaves of w that re matches and writes their results.
func runChild(w Workload, round int, benchtime string, re *regexp.Regexp, stdout io.Writer) error {
	testing.Init() // registers -test.benchtime, which testing.Benchmark reads
	bw := benchfmt.NewWriter(stdout)
	for _, u := range customUnits {
		if err := bw.Write(&benchfmt.UnitMetadata{UnitMetadataKey: benchfmt.UnitMetadataKey{Unit: u, Key: "better"}, OrigUnit: u, Value: "lower"}); err != nil {
			return err
		}
	}
	config := []benchfmt.Config{
		{Key: "goos", Value: []byte(runtime.GOOS), File: true},
		{Key: "goarch", Value: []byte(runtime.GOARCH), File: true},
		{Key: "pkg", Value: []byte(PackagePath), File: true},
		{Key: "cpu", Value: []byte(cpuModel("/proc/cpuinfo")), File: true},
	}
	for _, leaf := range childOrder(w, round, re) {
		impl, size := leaf[0], leaf[1]
		name := LeafName(w.Name, impl, size)
		fn, err := leafFunc(w.Name, impl, size)
		if err != nil {
			return err
		}
		if err := flag.Set("test.benchtime", LeafBenchTime(w, size, benchtime)); err != nil {
			return fmt.Errorf("bench: %s: %w", name, err)
		}
		takeLeafErr()
		r := testing.Benchmark(fn)
		if msg := takeLeafErr(); msg != "" || r.N == 0 {
			if msg == "" {
				msg = "the benchmark failed"
			}
			return fmt.Errorf("bench: %s: %s", name, msg)
		}
		if err := bw.Write(leafResult(name, r, config)); err != nil {
			return err
		}
	}
	return nil
}

// childOrder returns the leaves (implementation, size) of w that re
// matches in the order a child runs them in round: size by size, so that
// the implementations a ratio pairs run moments apart, and at each size
// the implementations in w's order permuted by the round (implOrder), so
// that over the rounds each runs first (after a fresh process, or after
// the last leaf of the size before) as often as any other, and after each
// other implementation as often as after any other.
func childOrder(w Workload, round int, re *regexp.Regexp) [][2]string {
	var out [][2]string
	order := implOrder(len(w.Impls), round)
	for _, size := range w.Sizes {
		for _, i := range order {
			impl := w.Impls[i]
			if re == nil || re.MatchString(LeafName(w.Name, impl, size)) {
				out = append(out, [2]string{impl, size})
			}
		}
	}
	return out
}

// implOrder returns the order of k implementations in round (from 1): the
// rows of a Williams design, a Latin square whose rows, in each block of k
// rounds (2k when k is odd, the second k the first's rows reversed), put
// each implementation first once (twice) and right after each other one
// once (twice). Rotating one order instead, as before, kept every
// implementation's predecessor the same in every round.
func implOrder(k, round int) []int {
	r := max(round-1, 0)
	order := make([]int, k)
	for j := range order {
		// The first row: 0, 1, k-1, 2, k-2, ...; row r adds r to each.
		first := (j + 1) / 2
		if j%2 == 0 && j > 0 {
			first = k - j/2
		}
		order[j] = (first + r) % k
	}
	if k%2 == 1 && (r/k)%2 == 1 {
		slices.Reverse(order)
	}
	return order
}

// leafResult converts r to a result line as go test -benchmem prints it,
// with B/op and allocs/op truncated to integers as go test does.
func leafResult(name string, r testing.BenchmarkResult, config []benchfmt.Config) *benchfmt.Result {
	full := name
	if p := runtime.GOMAXPROCS(0); p != 1 {
		full += "-" + strconv.Itoa(p)
	}
	res := &benchfmt.Result{Config: config, Name: benchfmt.Name(full), Iters: r.N}
	add := func(v float64, unit string) {
		res.Values = append(res.Values, benchfmt.Value{Value: v, Unit: unit})
	}
	add(float64(r.T.Nanoseconds())/float64(r.N), "ns/op")
	if r.Bytes > 0 && r.T > 0 {
		add(float64(r.Bytes)*float64(r.N)/1e6/r.T.Seconds(), "MB/s")
	}
	add(float64(r.AllocedBytesPerOp()), "B/op")
	add(float64(r.AllocsPerOp()), "allocs/op")
	for _, u := range slices.Sorted(maps.Keys(r.Extra)) {
		if u != "ns/op" && u != "B/op" && u != "allocs/op" && u != "MB/s" {
			add(r.Extra[u], u)
		}
	}
	return res
}

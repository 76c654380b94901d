package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"time"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchunit"
)

// RoundKey is the internal configuration key the runner sets on every result
// to the round (1-based) that produced it.
const RoundKey = ".round"

// RoundFileKey is the configuration key in the Go benchmark format with
// which Options.Raw records the round of the results after it (benchfmt
// does not write internal keys such as RoundKey); ReadResults turns it back
// into RoundKey, so that a file read again pairs its results by round even
// when a failed step left a round without some of them.
const RoundFileKey = "bytesio-round"

// Options configure [Run].
type Options struct {
	// Exec is the command that runs one step: the step's flags are
	// appended to it. Empty means os.Executable() followed by ChildArg:
	// the running program, which must then call ChildMain (see ChildArg).
	Exec []string
	// Rounds is how many times every selected workload runs.
	Rounds int
	// BenchTime is the benchtime of every leaf, e.g. "200ms" or "10x"
	// (see ParseBenchTime and LeafBenchTime).
	BenchTime string
	// Match selects leaves by their LeafName; nil selects all.
	Match *regexp.Regexp
	// Workloads is the table to run; nil means [Workloads].
	Workloads []Workload
	// Progress, if not nil, receives one line per step: round, workload,
	// elapsed time and an estimate of the time left.
	Progress io.Writer
	// Raw, if not nil, receives every result in the Go benchmark format,
	// with its round as RoundFileKey. benchstat reads it; as that key is
	// a file configuration key, which benchstat's default -table .config
	// splits tables by, one table per round, compare with
	// "benchstat -ignore bytesio-round FILE".
	Raw io.Writer
}

// A Step is one child process of a run: one workload in one round.
type Step struct {
	Round    int      // 1-based
	Workload Workload // the workload it runs
	Leaves   []string // the LeafNames it runs
}

// Plan returns the steps of a run in order: round 1 runs every workload
// that has a leaf matched by match, then round 2 runs them again in the
// same order, and so on, so slow drift of the machine affects every
// implementation alike. Workloads with no matching leaf are left out.
func Plan(workloads []Workload, rounds int, match *regexp.Regexp) []Step {
	var steps []Step
	for r := 1; r <= rounds; r++ {
		for _, w := range workloads {
			if leaves := w.Leaves(match); len(leaves) > 0 {
				steps = append(steps, Step{Round: r, Workload: w, Leaves: leaves})
			}
		}
	}
	return steps
}

// Args returns the flags of the child process of s (see ChildMain).
func (s Step) Args(benchtime string, match *regexp.Regexp) []string {
	args := []string{"-workload", s.Workload.Name, "-benchtime", benchtime, "-round", strconv.Itoa(s.Round)}
	if match != nil {
		args = append(args, "-match", match.String())
	}
	return args
}

// Data is what a run measured.
type Data struct {
	// Results holds every result, each with RoundKey set.
	Results []*benchfmt.Result
	// Units is the unit metadata the binary printed.
	Units benchfmt.UnitMetadataMap
}

// ReadResults parses benchmark output in the Go benchmark format, such as
// a file written through Options.Raw or by go test -bench. name labels
// syntax errors and results with a value no benchmark measures (not a
// finite number, negative outside retained-B, or a time of 0, as written
// or once converted to the unit of the tables), which are left out and
// returned joined after everything readable was read.
func ReadResults(r io.Reader, name string) (*Data, error) {
	d := &Data{Units: benchfmt.UnitMetadataMap{}}
	rd := benchfmt.NewReader(r, name)
	var errs []error
	for rd.Scan() {
		switch rec := rd.Result().(type) {
		case *benchfmt.Result:
			if err := checkResult(rec); err != nil {
				errs = append(errs, err)
				continue
			}
			res := rec.Clone()
			if v := res.GetConfig(RoundFileKey); v != "" && res.GetConfig(RoundKey) == "" {
				res.SetConfig(RoundKey, v)
			}
			d.Results = append(d.Results, res)
		case *benchfmt.SyntaxError:
			errs = append(errs, rec)
		}
	}
	for k, v := range rd.Units() {
		d.Units[k] = v
	}
	return d, errors.Join(append(errs, rd.Err())...)
}

// checkValue reports whether v can be a measurement: a finite number, not
// negative (except in retained-B, the change of the heap over a burst,
// which is negative when the heap shrank), and not zero in sec/op, the
// time of an operation; a zero B/op, allocs/op, throughput or byte count
// is legitimate. It holds both as written and once converted to the unit
// of the tables (ns/op to sec/op, MB/s to B/s), which can overflow or
// round a tiny value to 0.
func checkValue(v benchfmt.Value) error {
	x, unit := v.Value, v.Unit
	if v.OrigUnit != "" {
		x, unit = v.OrigValue, v.OrigUnit
	}
	// benchfmt.Reader leaves the unit of 0 ns/op (and ±Inf) as it is.
	_, tidy := benchunit.Tidy(1, unit)
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return fmt.Errorf("%v %s: not a finite number", x, unit)
	case x < 0 && tidy != "retained-B":
		return fmt.Errorf("%v %s: negative", x, unit)
	case x == 0 && tidy == "sec/op":
		return fmt.Errorf("%v %s: an operation takes some time", x, unit)
	}
	// The value in the unit the tables use: converting 1e308 MB/s to B/s
	// overflows, and 1e-320 ns/op is 0 s.
	switch y := v.Value; {
	case math.IsInf(y, 0):
		return fmt.Errorf("%v %s: past float64 in %s", x, unit, v.Unit)
	case y == 0 && x != 0:
		return fmt.Errorf("%v %s: 0 in %s", x, unit, v.Unit)
	}
	return nil
}

// checkResult checks every value of res with checkValue; the error names
// the file and line of res.
func checkResult(res *benchfmt.Result) error {
	for _, v := range res.Values {
		if err := checkValue(v); err != nil {
			file, line := res.Pos()
			return &benchfmt.SyntaxError{FileName: file, Line: line, Msg: err.Error()}
		}
	}
	return nil
}

// Run runs the plan of o, each step in a child process. A failing step is
// reported in the returned error, with the child's own message, and the
// run goes on with the other steps, so Data holds everything that was
// measured.
func Run(ctx context.Context, o Options) (*Data, error) {
	if o.Workloads == nil {
		o.Workloads = Workloads
	}
	if o.Rounds < 1 {
		return nil, errors.New("bench: rounds must be at least 1")
	}
	if err := ParseBenchTime(o.BenchTime); err != nil {
		return nil, err
	}
	steps := Plan(o.Workloads, o.Rounds, o.Match)
	if len(steps) == 0 {
		return nil, errors.New("bench: no benchmark matches")
	}
	if len(o.Exec) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("bench: finding this program to run its benchmarks: %w", err)
		}
		o.Exec = []string{exe, ChildArg}
	}
	var raw *rawWriter
	if o.Raw != nil {
		raw = &rawWriter{w: benchfmt.NewWriter(o.Raw), seen: map[benchfmt.UnitMetadataKey]bool{}}
	}
	d := &Data{Units: benchfmt.UnitMetadataMap{}}
	var errs []error
	eta := newEstimator(steps)
	start := time.Now()
	rd := new(benchfmt.Reader)
	ran := 0
	for i, s := range steps {
		ran++
		progress(o.Progress, "bench: round %d/%d  %-13s  step %d/%d  elapsed %s  left ~%s\n",
			s.Round, o.Rounds, s.Workload.Name, i+1, len(steps),
			fmtDur(time.Since(start)), fmtDur(eta.left(i)))
		t0 := time.Now()
		err := runStep(ctx, s, o, rd, d, raw)
		eta.done(i, time.Since(t0))
		if err != nil {
			progress(o.Progress, "bench: %v\n", err)
			errs = append(errs, err)
			if ctx.Err() != nil {
				break
			}
		}
	}
	if ran < len(steps) {
		progress(o.Progress, "bench: stopped after %d of %d steps in %s\n", ran, len(steps), fmtDur(time.Since(start)))
	} else {
		progress(o.Progress, "bench: %d steps in %s\n", len(steps), fmtDur(time.Since(start)))
	}
	if raw != nil && raw.err != nil {
		errs = append(errs, raw.err)
	}
	return d, errors.Join(errs...)
}

// runStep runs one step and appends its results to d.
func runStep(ctx context.Context, s Step, o Options, rd *benchfmt.Reader, d *Data, raw *rawWriter) error {
	args := append(slices.Clone(o.Exec[1:]), s.Args(o.BenchTime, o.Match)...)
	cmd := exec.CommandContext(ctx, o.Exec[0], args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	var stdout bytes.Buffer
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("round %d %s: %w", s.Round, s.Workload.Name, err)
	}
	// Keep a copy of the output for the error message of a failing run.
	rd.Reset(io.TeeReader(pipe, &stdout), s.Workload.Name, RoundKey, strconv.Itoa(s.Round))
	got := 0
	for rd.Scan() {
		switch rec := rd.Result().(type) {
		case *benchfmt.Result:
			got++
			d.Results = append(d.Results, rec.Clone())
			raw.write(rec)
		case *benchfmt.UnitMetadata:
			raw.write(rec)
		case *benchfmt.SyntaxError:
			progress(o.Progress, "bench: %v\n", rec)
		}
	}
	_, _ = io.Copy(io.Discard, pipe)
	werr := cmd.Wait()
	for k, v := range rd.Units() {
		d.Units[k] = v
	}
	if werr != nil || rd.Err() != nil {
		// The child's message (or panic) is on its stderr; a child that
		// says nothing there may have said something on stdout.
		msg := head(stderr.Bytes(), 60)
		if len(bytes.TrimSpace(msg)) == 0 {
			msg = tail(stdout.Bytes(), 20)
		}
		return fmt.Errorf("round %d %s: %w\n%s", s.Round, s.Workload.Name,
			errors.Join(werr, rd.Err()), bytes.TrimRight(msg, "\n"))
	}
	if got < len(s.Leaves) {
		return fmt.Errorf("round %d %s: %d results, want %d", s.Round, s.Workload.Name, got, len(s.Leaves))
	}
	return nil
}

// rawWriter writes results, with their round as RoundFileKey, and each
// unit's metadata once.
type rawWriter struct {
	w    *benchfmt.Writer
	seen map[benchfmt.UnitMetadataKey]bool
	err  error
}

func (r *rawWriter) write(rec benchfmt.Record) {
	if r == nil || r.err != nil {
		return
	}
	switch rec := rec.(type) {
	case *benchfmt.UnitMetadata:
		if r.seen[rec.UnitMetadataKey] {
			return
		}
		r.seen[rec.UnitMetadataKey] = true
	case *benchfmt.Result:
		if round := rec.GetConfig(RoundKey); round != "" {
			res := rec.Clone()
			res.Config = append(res.Config, benchfmt.Config{Key: RoundFileKey, Value: []byte(round), File: true})
			r.err = r.w.Write(res)
			return
		}
	}
	r.err = r.w.Write(rec)
}

// tail returns the last max lines of out.
func tail(out []byte, max int) []byte {
	lines := splitLines(out)
	if len(lines) > max {
		lines = lines[len(lines)-max:]
	}
	return bytes.Join(lines, nil)
}

// head returns the first max lines of out: where a child's error message
// or panic is.
func head(out []byte, max int) []byte {
	lines := splitLines(out)
	if len(lines) > max {
		lines = append(lines[:max:max], []byte("...\n"))
	}
	return bytes.Join(lines, nil)
}

// splitLines splits out after each newline; a final newline ends the
// last line rather than starting an empty one.
func splitLines(out []byte) [][]byte {
	lines := bytes.SplitAfter(out, []byte("\n"))
	if len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func progress(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format, args...)
	}
}

// fmtDur formats d as m:ss, or "?" when d is negative.
func fmtDur(d time.Duration) string {
	if d < 0 {
		return "?"
	}
	s := int(d.Round(time.Second) / time.Second)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// estimator predicts the time left in a run from how long each workload
// took in its latest round, or from the mean step time before a workload
// has run once.
type estimator struct {
	steps []Step
	last  map[string]time.Duration
	total time.Duration
	n     int
}

func newEstimator(steps []Step) *estimator {
	return &estimator{steps: steps, last: map[string]time.Duration{}}
}

func (e *estimator) done(i int, d time.Duration) {
	e.last[e.steps[i].Workload.Name] = d
	e.total += d
	e.n++
}

// left estimates the time of steps i and after; -1 before any step is
// done.
func (e *estimator) left(i int) time.Duration {
	if e.n == 0 {
		return -1
	}
	mean := e.total / time.Duration(e.n)
	var sum time.Duration
	for _, s := range e.steps[i:] {
		if d, ok := e.last[s.Workload.Name]; ok {
			sum += d
		} else {
			sum += mean
		}
	}
	return sum
}

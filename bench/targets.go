package bench

import (
	"fmt"
	"math"
	"strings"
)

// Status is the outcome of a target.
type Status int

// Outcomes of a target.
const (
	// Missing means the run did not measure what the target needs.
	Missing Status = iota
	// Met means the measurement satisfies the target.
	Met
	// NotMet means it does not.
	NotMet
)

// String returns "met", "NOT met" or "not measured".
func (s Status) String() string {
	switch s {
	case Met:
		return "met"
	case NotMet:
		return "NOT met"
	}
	return "not measured"
}

// A TargetResult is one line of the summary: a performance target of the
// project and what the run measured for it.
type TargetResult struct {
	// Target says what is compared, e.g. "Append 64MiB time vs new
	// bytes.Buffer".
	Target string
	// Want is the bound, e.g. "≤ 0.10×".
	Want string
	// Measured is the measured value, e.g. "0.031×"; empty when Missing.
	Measured string
	Status   Status // met, not met, or not measured
}

// lookup finds table centres.
type lookup map[[2]string]*Table

func newLookup(tables []*Table) lookup {
	l := lookup{}
	for _, t := range tables {
		l[[2]string{t.Workload, t.Unit}] = t
	}
	return l
}

// centre returns the centre of workload/impl/size in unit.
func (l lookup) centre(workload, unit, impl, size string) (float64, bool) {
	t := l[[2]string{workload, unit}]
	if t == nil {
		return 0, false
	}
	c := t.Cell(size, impl)
	if c == nil {
		return 0, false
	}
	return c.Summary.Center, true
}

// ratio returns centre(impl)/centre(base) at size.
func (l lookup) ratio(workload, unit, impl, base, size string) (float64, bool) {
	a, ok1 := l.centre(workload, unit, impl, size)
	b, ok2 := l.centre(workload, unit, base, size)
	r := ratio(a, b)
	return r, ok1 && ok2 && !math.IsNaN(r)
}

// geoRatio returns the geometric mean over the sizes both have of
// centre(impl)/centre(base).
func (l lookup) geoRatio(workload, unit, impl, base string) (float64, bool) {
	t := l[[2]string{workload, unit}]
	if t == nil {
		return 0, false
	}
	var rs []float64
	for _, size := range t.Sizes {
		if r, ok := l.ratio(workload, unit, impl, base, size); ok {
			rs = append(rs, r)
		}
	}
	g := geomean(rs)
	return g, !math.IsNaN(g)
}

// check is one clause of a target: a measured value and whether it passes.
type check struct {
	measured string
	ok       bool // measured at all
	pass     bool
}

func atMost(v float64, ok bool, bound float64) check {
	return check{FormatRatio(v), ok, v <= bound}
}

func atLeast(v float64, ok bool, bound float64) check {
	return check{FormatRatio(v), ok, v >= bound}
}

func zeroAllocs(l lookup, workload, size string) check {
	v, ok := l.centre(workload, "allocs/op", ImplBytesio, size)
	return check{fmt.Sprintf("%g allocs/op", v), ok, v == 0}
}

// combine joins the clauses of a target.
func combine(target, want string, cs ...check) TargetResult {
	tr := TargetResult{Target: target, Want: want, Status: Met}
	var ms []string
	for _, c := range cs {
		if !c.ok {
			return TargetResult{Target: target, Want: want, Status: Missing}
		}
		ms = append(ms, c.measured)
		if !c.pass {
			tr.Status = NotMet
		}
	}
	tr.Measured = strings.Join(ms, ", ")
	return tr
}

// EvalTargets checks the project's performance targets against tables.
// Ratios of times are bytesio's time over the other's (lower is better);
// ratios of throughput are bytesio's B/s over the other's.
func EvalTargets(tables []*Table) []TargetResult {
	l := newLookup(tables)
	const big = "64MiB"
	var out []TargetResult

	r, ok := l.ratio("Append", "sec/op", ImplBytesio, ImplBuffer, big)
	out = append(out, combine("Append 64MiB: time vs new bytes.Buffer", "≤ 0.10×", atMost(r, ok, 0.10)))
	r, ok = l.ratio("Append", "B/s", ImplBytesio, ImplCopy, big)
	out = append(out, combine("Append 64MiB: throughput vs copy ceiling", "≥ 0.7×", atLeast(r, ok, 0.7)))

	r, ok = l.ratio("SmallCycle", "sec/op", ImplBytesio, ImplBufferPool, "1KiB")
	out = append(out, combine("SmallCycle 1KiB: time vs bytes.Buffer+sync.Pool; allocs", "≤ 1.1×; 0 allocs/op",
		atMost(r, ok, 1.1), zeroAllocs(l, "SmallCycle", "1KiB")))

	r, ok = l.ratio("Read", "sec/op", ImplBytesio, ImplReader, big)
	out = append(out, combine("Read 64MiB (sequential 4KiB reads): time vs bytes.Reader", "≤ 1.05×", atMost(r, ok, 1.05)))
	r, ok = l.geoRatio("Read", "sec/op", ImplBytesio, ImplReader)
	out = append(out, combine("Read, geomean over all sizes: time vs bytes.Reader", "≤ 1.05×", atMost(r, ok, 1.05)))
	r, ok = l.ratio("ReadAt", "sec/op", ImplBytesio, ImplReader, big)
	out = append(out, combine("ReadAt 64MiB (random 4KiB reads): time vs bytes.Reader", "≤ 1.15×", atMost(r, ok, 1.15)))
	r, ok = l.geoRatio("ReadAt", "sec/op", ImplBytesio, ImplReader)
	out = append(out, combine("ReadAt, geomean over all sizes: time vs bytes.Reader", "≤ 1.15×", atMost(r, ok, 1.15)))

	r, ok = l.ratio("Overwrite", "sec/op", ImplBytesio, ImplCopy, big)
	ra, oka := l.ratio("Overwrite", "sec/op", ImplBytesio, ImplAfero, big)
	out = append(out, combine("Overwrite in 64MiB: time vs copy ceiling; vs afero.mem", "≤ 1.2×; < 1×",
		atMost(r, ok, 1.2), check{FormatRatio(ra), oka, ra < 1}))

	r, ok = l.ratio("GetValue", "sec/op", ImplClone, ImplBytesio, big)
	out = append(out, combine("GetValue 64MiB: speed-up of the view over a copy (bytes.Clone)", "≥ 1000×", atLeast(r, ok, 1000)))

	r, ok = l.ratio("Bimodal", "retained-B", ImplBytesio, ImplBufferPool, BimodalSize)
	out = append(out, combine("Bimodal: heap retained after GC vs bytes.Buffer+sync.Pool", "≤ 0.25×", atMost(r, ok, 0.25)))

	r, ok = l.ratio("ViewCycle", "sec/op", ImplBytesio, ImplBufferPool, "16KiB")
	out = append(out, combine("ViewCycle 16KiB: time vs bytes.Buffer+sync.Pool; allocs", "≤ 1.2×; 0 allocs/op",
		atMost(r, ok, 1.2), zeroAllocs(l, "ViewCycle", "16KiB")))

	v, ok := l.centre("PeakHeap", "peak-B", ImplBytesio, big)
	out = append(out, combine("PeakHeap: peak heap writing 64MiB, over 64MiB", "≤ 1.1×", atMost(v/(64<<20), ok, 1.1)))
	return out
}

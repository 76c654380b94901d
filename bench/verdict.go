package bench

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"golang.org/x/perf/benchmath"
)

// A Ratio compares two implementations paired by round: in every round
// both ran in the same child process moments apart, so their ratio in that
// round is free of the machine's drift between rounds. Center is the
// median of the per-round ratios and [Lo, Hi] its confidence interval at
// level Confidence (order statistics, as benchstat's medians; infinite
// at one end or both with fewer than 6 rounds). Where a value was below
// the resolution of its unit (Floored; see pairedRatio), the interval
// takes in every ratio the values allow: down to 0 when bytesio's was,
// up to +Inf when the peer's was.
type Ratio struct {
	Center, Lo, Hi float64
	N              int  // rounds paired
	Floored        bool // a value of some round was below the resolution
}

// noRatio is the Ratio of nothing measured.
var noRatio = Ratio{Center: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}

// minPairs is the fewest rounds that give a confidence interval finite at
// both ends at level Confidence.
const minPairs = 6

// Valid reports whether r was measured.
func (r Ratio) Valid() bool { return r.N > 0 && !math.IsNaN(r.Center) }

// Decided reports whether r tells something: it rests on enough rounds for
// a confidence interval, and that interval is not all of [0, +Inf), as it
// is when the values of both sides were below the resolution.
func (r Ratio) Decided() bool {
	return r.Valid() && r.N >= minPairs && !math.IsInf(r.Lo, 0) && !(r.Lo <= 0 && math.IsInf(r.Hi, 1))
}

// unresolved reports whether r rests on enough rounds but values below the
// resolution of the unit leave its interval all of [0, +Inf).
func (r Ratio) unresolved() bool { return r.Valid() && r.Floored && r.N >= minPairs && !r.Decided() }

// AtMost is the status of the target r ≤ bound: Met when the whole
// confidence interval is at or below it, NotMet when the whole interval is
// above it, Undecided otherwise, and always with too few rounds for an
// interval or none that tells (see Decided).
func (r Ratio) AtMost(bound float64) Status {
	switch {
	case !r.Valid():
		return Missing
	case !r.Decided():
		return Undecided
	case r.Hi <= bound:
		return Met
	case r.Lo > bound:
		return NotMet
	}
	return Undecided
}

// AtLeast is the status of the target r ≥ bound, by the same rule as
// AtMost.
func (r Ratio) AtLeast(bound float64) Status {
	switch {
	case !r.Valid():
		return Missing
	case !r.Decided():
		return Undecided
	case r.Lo >= bound:
		return Met
	case r.Hi < bound:
		return NotMet
	}
	return Undecided
}

// String formats r as "1.04× (0.98–1.1)"; "?" when not measured.
func (r Ratio) String() string { return r.StringAgainst() }

// StringAgainst formats r as String does, each end of the interval with
// the digits it needs to show which side of 1 and of each bound it is on,
// as the verdicts of targets with those bounds take it: 1.0504 against a
// bound of 1.05 prints as "1.0504", not "1.05".
func (r Ratio) StringAgainst(bounds ...float64) string {
	if !r.Valid() {
		return "?"
	}
	return FormatRatio(r.Center) + " (" + ciString(r.Lo, bounds...) + "–" + ciString(r.Hi, bounds...) + ")"
}

// ciString formats an end of a confidence interval: as FormatRatio does,
// but with more digits where those would put it on the other side of 1
// (which decides significance) or of one of bounds than it is, or on it:
// 1.002, 0.9999.
func ciString(x float64, bounds ...float64) string {
	if math.IsInf(x, 0) {
		return map[bool]string{true: "-∞", false: "∞"}[x < 0]
	}
	s := strings.TrimSuffix(FormatRatio(x), "×")
	refs := append(bounds[:len(bounds):len(bounds)], 1) // never into the caller's array
	for prec := 4; prec <= 17 && misplaced(s, x, refs); prec++ {
		s = strconv.FormatFloat(x, 'g', prec, 64)
	}
	return s
}

// misplaced reports whether s, x printed, is on another side of one of
// refs than x is.
func misplaced(s string, x float64, refs []float64) bool {
	p, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return false
	}
	for _, ref := range refs {
		if cmp.Compare(p, ref) != cmp.Compare(x, ref) {
			return true
		}
	}
	return false
}

// ratioFloor is the resolution of the heap measurements (byte-count
// units): a workload that keeps nothing (bytes.Buffer without a pool,
// bytesio with a pool that keeps nothing) leaves 0 to 21 KiB above its
// baseline from round to round, the runtime's own noise, and a heap that
// shrank below its baseline measures negative. A value below it is known
// only to be at most ratioFloor: counting it as it is would make a ratio
// of two nothings anywhere from 0 to thousands.
const ratioFloor = 32 << 10

// pairedRatio compares a with b round by round. Values of byte-count
// units (floor > 0) below floor are known only to be at most floor: the
// centre counts them as floor, and the interval takes in every ratio they
// allow (see boundRatio). A round whose ratio is not a finite number (x/0,
// or an overflow) is left out.
func pairedRatio(a, b map[int]float64, floor float64) Ratio {
	var rs []bounded
	for round, x := range a {
		if y, ok := b[round]; ok {
			if r, ok := boundRatio(x, y, floor); ok {
				rs = append(rs, r)
			}
		}
	}
	return summarizeRatios(rs)
}

// bounded is a round's ratio: r with values below the floor counted as
// the floor, and the least and the most the ratio can be.
type bounded struct{ r, lo, hi float64 }

// boundRatio returns the ratio x/y of one round, with values below floor
// known only to be at most floor (and at least 0): a ratio from 0 up when
// x is, up to +Inf when y is. It reports false for a ratio that is not a
// finite number.
func boundRatio(x, y, floor float64) (bounded, bool) {
	r := ratio(max(x, floor), max(y, floor))
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return bounded{}, false
	}
	b := bounded{r, r, r}
	if x < floor {
		b.lo = 0
	}
	if y < floor {
		b.hi = math.Inf(1)
	}
	return b, true
}

// geoPairedRatio is the geometric mean over several pairs (one per size)
// of their per-round ratios: the rounds in which every pair was measured
// give one geomean each (and one of their least and of their most),
// summarised as pairedRatio does.
func geoPairedRatio(pairs [][2]map[int]float64, floor float64) Ratio {
	if len(pairs) == 0 {
		return noRatio
	}
	var rs []bounded
rounds:
	for round := range pairs[0][0] {
		var logs [3]float64 // of r, lo and hi
		for _, p := range pairs {
			x, ok1 := p[0][round]
			y, ok2 := p[1][round]
			b, ok := boundRatio(x, y, floor)
			if !ok1 || !ok2 || !ok || !(b.r > 0) {
				continue rounds
			}
			logs[0] += math.Log(b.r)
			logs[1] += math.Log(b.lo) // -Inf for 0
			logs[2] += math.Log(b.hi) // +Inf for +Inf
		}
		n := float64(len(pairs))
		rs = append(rs, bounded{math.Exp(logs[0] / n), math.Exp(logs[1] / n), math.Exp(logs[2] / n)})
	}
	return summarizeRatios(rs)
}

// summarizeRatios returns the median of the ratios rs and its confidence
// interval: that of the least each can be at its low end, and that of the
// most at its high end, which are the ratios themselves where no value was
// below the floor.
func summarizeRatios(rs []bounded) Ratio {
	if len(rs) == 0 {
		return noRatio
	}
	summary := func(f func(bounded) float64) benchmath.Summary {
		xs := make([]float64, len(rs))
		for i, b := range rs {
			xs[i] = f(b)
		}
		return benchmath.AssumeNothing.Summary(benchmath.NewSample(xs, &benchmath.DefaultThresholds), Confidence)
	}
	sum := summary(func(b bounded) float64 { return b.r })
	r := Ratio{Center: sum.Center, Lo: sum.Lo, Hi: sum.Hi, N: len(rs)}
	for _, b := range rs {
		if b.lo != b.r || b.hi != b.r {
			r.Floored = true
			r.Lo = summary(func(b bounded) float64 { return b.lo }).Lo
			r.Hi = summary(func(b bounded) float64 { return b.hi }).Hi
			break
		}
	}
	return r
}

// floorOf returns the floor of unit's values in ratios (see pairedRatio).
func floorOf(unit string) float64 {
	if strings.HasSuffix(unit, "-B") {
		return ratioFloor
	}
	return 0
}

// BestPeer returns the column of the strongest peer at row r: the peer
// (see IsPeer) with the best median, or -1 when no peer was measured
// there.
func (t *Table) BestPeer(r int) int {
	best := -1
	for c, cell := range t.Cells[r] {
		if cell == nil || !IsPeer(t.Impls[c]) {
			continue
		}
		if best < 0 || better(t.Better, cell.Summary.Center, t.Cells[r][best].Summary.Center) {
			best = c
		}
	}
	return best
}

// better reports whether a is better than b in the direction dir (+1:
// higher is better).
func better(dir int, a, b float64) bool {
	if dir > 0 {
		return a > b
	}
	return a < b
}

// A Comparison is bytesio against the strongest peer at one size.
type Comparison struct {
	Size     string // the size label, e.g. "4KiB"
	Subject  *Cell  // bytesio's cell
	Peer     string // the strongest peer there
	PeerCell *Cell  // the peer's cell
	Ratio    Ratio  // bytesio over the peer, paired by round
}

// A Summary is one workload's verdict: bytesio against the strongest peer
// at each size, in the workload's summary unit.
type Summary struct {
	Workload string       // the workload's name, e.g. "Append"
	Unit     string       // the compared unit, e.g. "sec/op"
	Better   int          // +1 when higher values are better, -1 when lower are
	Sizes    []Comparison // the sizes both were measured at, in the table's order
	// Overall is the ratio at the only size; over several sizes, the
	// median over rounds of each round's geometric mean of the ratios at
	// every size (see geoPairedRatio), with its confidence interval. It
	// is not the geometric mean of the per-size medians, which has no
	// interval of its own.
	Overall Ratio
	// Ahead, Behind and Even count the sizes where bytesio is
	// significantly better, significantly worse, or neither; Undecided
	// those with too few rounds for a confidence interval (see
	// Ratio.Decided), and Unresolved those whose interval values below the
	// resolution of the unit leave open (see Ratio.Decided), which are none
	// of the three.
	Ahead, Behind, Even, Undecided, Unresolved int
}

// Summarize compares bytesio with the strongest peer at each size of
// every workload of tables, in the workload's summary unit (see
// Workload.MetricUnit). Workloads without bytesio or without peers are
// left out.
func Summarize(tables []*Table) []Summary {
	var out []Summary
	for _, t := range tables {
		w, ok := WorkloadNamed(t.Workload)
		if !ok || t.Unit != w.MetricUnit() {
			continue
		}
		subj := t.Column(Subject)
		if subj < 0 {
			continue
		}
		s := Summary{Workload: t.Workload, Unit: t.Unit, Better: t.Better}
		var pairs [][2]map[int]float64
		floor := floorOf(t.Unit)
		for r, size := range t.Sizes {
			sc, p := t.Cells[r][subj], t.BestPeer(r)
			if sc == nil || p < 0 {
				continue
			}
			pc := t.Cells[r][p]
			c := Comparison{Size: size, Subject: sc, Peer: t.Impls[p], PeerCell: pc,
				Ratio: pairedRatio(sc.Rounds, pc.Rounds, floor)}
			s.Sizes = append(s.Sizes, c)
			pairs = append(pairs, [2]map[int]float64{sc.Rounds, pc.Rounds})
			switch {
			case c.Ratio.unresolved():
				s.Unresolved++
			case !c.Ratio.Decided():
				s.Undecided++
			case c.Ratio.Hi < 1:
				s.aheadOrBehind(+1)
			case c.Ratio.Lo > 1:
				s.aheadOrBehind(-1)
			default:
				s.Even++
			}
		}
		if len(s.Sizes) == 0 {
			continue
		}
		s.Overall = geoPairedRatio(pairs, floor)
		out = append(out, s)
	}
	return out
}

// aheadOrBehind counts a size where bytesio's value is significantly lower
// (lower > 0) or higher than the peer's, in the unit's direction.
func (s *Summary) aheadOrBehind(lower int) {
	if (lower > 0) == (s.Better < 0) {
		s.Ahead++
	} else {
		s.Behind++
	}
}

// Peer returns the strongest peer's name when it is the same at every
// size, else "".
func (s Summary) Peer() string {
	p := s.Sizes[0].Peer
	for _, c := range s.Sizes[1:] {
		if c.Peer != p {
			return ""
		}
	}
	return p
}

// quantity names what a unit measures, for sentences.
func quantity(unit string) string {
	switch unit {
	case "sec/op":
		return "the time"
	case "B/s":
		return "the throughput"
	case "peak-B":
		return "the peak heap"
	case "retained-B":
		return "the retained heap"
	case "B/op":
		return "the bytes allocated"
	case "allocs/op":
		return "the allocations"
	}
	return "the " + unit
}

// Sentence says s in plain language, e.g. "1.35× the time of
// bytes.Buffer+sync.Pool (95% CI 1.30–1.41): 35% slower, significant";
// over several sizes, "(geomean of 11 sizes; CI 0.93–1.01)": the median
// over rounds of each round's geomean of the ratios at every size, and its
// 95% confidence interval (see geoPairedRatio), which is not the geomean
// of the per-size medians.
func (s Summary) Sentence() string {
	peer := s.Peer()
	if peer == "" {
		peer = "the best peers"
	}
	r := s.Overall
	var ci string
	switch {
	case !r.Decided() && len(s.Sizes) > 1:
		ci = fmt.Sprintf(" (geomean of %d sizes)", len(s.Sizes))
	case !r.Decided():
	case len(s.Sizes) > 1:
		ci = fmt.Sprintf(" (geomean of %d sizes; CI %s–%s)", len(s.Sizes), ciString(r.Lo), ciString(r.Hi))
	default:
		ci = fmt.Sprintf(" (95%% CI %s–%s)", ciString(r.Lo), ciString(r.Hi))
	}
	return fmt.Sprintf("%s %s of %s%s: %s", FormatRatio(r.Center), quantity(s.Unit), peer, ci, s.judgement())
}

// Counts says at how many sizes bytesio is significantly ahead, behind,
// or neither, and, when there are any, at how many too few rounds tell;
// "" for a workload of one size.
func (s Summary) Counts() string {
	if len(s.Sizes) < 2 {
		return ""
	}
	c := fmt.Sprintf("%s at %d of %d sizes, %s at %d, no significant difference at %d",
		s.word(true), s.Ahead, len(s.Sizes), s.word(false), s.Behind, s.Even)
	if s.Undecided > 0 {
		c += fmt.Sprintf(", too few rounds at %d", s.Undecided)
	}
	if s.Unresolved > 0 {
		c += fmt.Sprintf(", left open by the resolution at %d", s.Unresolved)
	}
	return c
}

// word is "faster"/"slower" for times, "less"/"more" for byte counts.
func (s Summary) word(ahead bool) string {
	switch {
	case s.Unit == "sec/op":
		return map[bool]string{true: "faster", false: "slower"}[ahead]
	case s.Better > 0:
		return map[bool]string{true: "higher", false: "lower"}[ahead]
	}
	return map[bool]string{true: "less", false: "more"}[ahead]
}

// judgement says how far bytesio is ahead or behind overall and whether
// that is significant.
func (s Summary) judgement() string {
	r := s.Overall
	if r.unresolved() {
		return fmt.Sprintf("values below the measurement's resolution (%d KiB) leave it open, no telling", ratioFloor>>10)
	}
	if !r.Decided() {
		return "too few rounds to tell (6 needed)"
	}
	lower := r.Center < 1
	ahead := lower == (s.Better < 0)
	var how string
	switch {
	case math.Abs(r.Center-1) < 0.005:
		how = "about the same"
	case r.Center > 0.5 && r.Center < 2:
		how = fmt.Sprintf("%.0f%% %s", math.Abs(r.Center-1)*100, s.word(ahead))
	case lower:
		how = fmt.Sprintf("%s× %s", trimRatio(1/r.Center), s.word(ahead))
	default:
		how = fmt.Sprintf("%s× %s", trimRatio(r.Center), s.word(ahead))
	}
	switch {
	case r.Hi < 1 || r.Lo > 1:
		return how + ", significant"
	}
	return how + ", not significant"
}

func trimRatio(x float64) string { return strings.TrimSuffix(FormatRatio(x), "×") }

// WriteSummary writes the plain-language summary: one line per workload.
func WriteSummary(w io.Writer, sums []Summary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range sums {
		fmt.Fprintf(tw, "%s\t%s\n", s.Workload, s.Sentence())
		if c := s.Counts(); c != "" {
			fmt.Fprintf(tw, "\t  %s\n", c)
		}
	}
	return tw.Flush()
}

// WriteComparison writes s as a text table that fits 120 columns: per
// size, bytesio's median, the strongest peer and its median, the paired
// ratio with its confidence interval, and the verdict.
func WriteComparison(w io.Writer, s Summary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s %s\tbytesio\tstrongest peer\t\tratio (95%% CI)\tverdict\n", s.Workload, s.Unit)
	for _, c := range s.Sizes {
		sc := scalerOf(s.Unit, c.Subject, c.PeerCell)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Size, formatValue(sc, c.Subject), c.Peer,
			formatValue(sc, c.PeerCell), c.Ratio, s.verdict(c.Ratio))
	}
	return tw.Flush()
}

// verdict is the word for one size's ratio.
func (s Summary) verdict(r Ratio) string {
	switch {
	case r.unresolved():
		return "open (resolution)"
	case !r.Decided():
		return "too few rounds"
	case r.Hi < 1:
		return s.word(s.Better < 0)
	case r.Lo > 1:
		return s.word(s.Better > 0)
	}
	return "~"
}

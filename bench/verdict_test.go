package bench

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// rounds returns a per-round sample: vals[i] is round i+1.
func rounds(vals ...float64) map[int]float64 {
	m := map[int]float64{}
	for i, v := range vals {
		m[i+1] = v
	}
	return m
}

// sameRounds returns the results of six rounds that each measured lines,
// one result to a line.
func sameRounds(lines ...string) string {
	return strings.Repeat(strings.Join(lines, "\n")+"\n", 6)
}

func nearRatio(t *testing.T, what string, got Ratio, center, lo, hi float64, n int) {
	t.Helper()
	if !near(got.Center, center) || !near(got.Lo, lo) || !near(got.Hi, hi) || got.N != n {
		t.Errorf("%s = %+v, want center %g, CI [%g, %g], n=%d", what, got, center, lo, hi, n)
	}
}

// TestPairedRatio checks the ratio's median and confidence interval on
// samples whose per-round ratios are known: with 6 rounds the 95%
// interval of a median is [min, max] (a binomial tail of 2/2^6 = 0.031 ≤
// 0.05, while [2nd, 5th] leaves 2·7/64 = 0.22), with 10 rounds it is
// [2nd, 9th] (2·11/1024 = 0.021; [3rd, 8th] leaves 2·56/1024 = 0.11), and
// with 5 or fewer no interval has 95% coverage.
func TestPairedRatio(t *testing.T) {
	// a drifts with the machine, b = a/r: ratios 0.90..1.00.
	a := rounds(90, 184, 282, 384, 490, 600)
	b := rounds(100, 200, 300, 400, 500, 600)
	r := pairedRatio(a, b, 0)
	nearRatio(t, "6 rounds", r, (0.94+0.96)/2, 0.90, 1.00, 6)
	for _, tc := range []struct {
		bound  float64
		atMost Status
	}{{1.00, Met}, {0.99, Undecided}, {0.90, Undecided}, {0.899, NotMet}} {
		if got := r.AtMost(tc.bound); got != tc.atMost {
			t.Errorf("AtMost(%g) = %v, want %v", tc.bound, got, tc.atMost)
		}
	}
	for _, tc := range []struct {
		bound   float64
		atLeast Status
	}{{0.90, Met}, {0.95, Undecided}, {1.00, Undecided}, {1.001, NotMet}} {
		if got := r.AtLeast(tc.bound); got != tc.atLeast {
			t.Errorf("AtLeast(%g) = %v, want %v", tc.bound, got, tc.atLeast)
		}
	}
	// Pairing: unpaired, a's and b's ranges overlap almost entirely; by
	// round, every ratio is below 1.
	if got := pairedRatio(rounds(90, 184, 282, 384, 490, 594), b, 0); got.Hi >= 1 {
		t.Errorf("paired ratio %+v, want Hi < 1", got)
	}

	// 10 rounds: ratios 0.80, 0.82, ..., 0.98 in shuffled rounds.
	ten := rounds(0.86, 0.80, 0.98, 0.84, 0.92, 0.82, 0.96, 0.88, 0.94, 0.90)
	ones := rounds(1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
	nearRatio(t, "10 rounds", pairedRatio(ten, ones, 0), (0.88+0.90)/2, 0.82, 0.96, 10)

	// 5 rounds: no interval, so no verdict either way.
	few := pairedRatio(rounds(1, 2, 3, 4, 5), rounds(10, 20, 30, 40, 50), 0)
	if few.Decided() || few.AtMost(1) != Undecided || few.AtLeast(0.01) != Undecided || !near(few.Center, 0.1) {
		t.Errorf("5 rounds: %+v, AtMost(1) %v; want an infinite interval, undecided", few, few.AtMost(1))
	}
	// Only rounds measured on both sides pair.
	if got := pairedRatio(rounds(1, 2, 3), map[int]float64{2: 4, 3: 6, 7: 1}, 0); got.N != 2 || !near(got.Center, 0.5) {
		t.Errorf("partial pairing %+v, want n=2, center 0.5", got)
	}
	// Byte counts below the 32 KiB resolution count as 32 KiB in the
	// centre: a heap that shrank (-500) over 100 bytes is 1, and 96 KiB
	// over 100 bytes is 3, not 983; the median of 1 and 3 is 2.
	if got := pairedRatio(rounds(-500, 96<<10), rounds(100, 100), ratioFloor); !near(got.Center, 2) {
		t.Errorf("floored ratio %+v, want 2", got)
	}
	// A ratio that overflows is left out, as x/0 is: 1e300/1e-300 is
	// +Inf; the ratios left are 1 and 2, median 1.5.
	if got := pairedRatio(rounds(1e300, 1, 2), rounds(1e-300, 1, 1), 0); got.N != 2 || !near(got.Center, 1.5) {
		t.Errorf("overflowing ratio: n=%d, center %g; want n=2, center 1.5", got.N, got.Center)
	}
	if got := pairedRatio(nil, b, 0); got.Valid() || got.AtMost(1) != Missing {
		t.Errorf("nothing measured: %+v, %v", got, got.AtMost(1))
	}
}

func TestGeoPairedRatio(t *testing.T) {
	// Per round, size 1 gives 0.5 and size 2 gives 2, 2, 2, 8, 8, 8: the
	// geomeans are 1, 1, 1, 2, 2, 2; median 1.5, interval [1, 2].
	half := [2]map[int]float64{rounds(1, 1, 1, 1, 1, 1), rounds(2, 2, 2, 2, 2, 2)}
	twos := [2]map[int]float64{rounds(2, 4, 6, 8, 16, 24), rounds(1, 2, 3, 1, 2, 3)}
	nearRatio(t, "geomean", geoPairedRatio([][2]map[int]float64{half, twos}, 0), 1.5, 1, 2, 6)
	// A round missing at one size is left out.
	short := [2]map[int]float64{rounds(1, 1, 1, 1, 1), rounds(2, 2, 2, 2, 2)}
	if got := geoPairedRatio([][2]map[int]float64{short, twos}, 0); got.N != 5 {
		t.Errorf("geomean over a short pair: n=%d, want 5", got.N)
	}
	// A round whose ratio at one size is 0 (bytesio measured 0, no floor)
	// is left out, rather than making that round's geomean 0: rounds 2 to
	// 6 give 1, 1, 2, 2, 2.
	zero := [2]map[int]float64{rounds(0, 1, 1, 1, 1, 1), rounds(2, 2, 2, 2, 2, 2)}
	if got := geoPairedRatio([][2]map[int]float64{zero, twos}, 0); got.N != 5 || !near(got.Center, 2) {
		t.Errorf("geomean with a ratio of 0 in round 1 = %+v; want that round left out: n=5, median 2", got)
	}
}

// loadVerdicts reads testdata/verdicts.txt: six rounds of hand-made values
// (see the expectations below).
func loadVerdicts(t *testing.T) []*Table {
	t.Helper()
	f, err := os.Open("testdata/verdicts.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return tablesRead(t, f, "verdicts.txt")
}

func TestStrongestPeer(t *testing.T) {
	tables := loadVerdicts(t)
	tb := findTable(t, tables, "Append", "sec/op")
	// copy is fastest at both sizes but is no peer; at 64B the pooled
	// buffer (20 ns) beats a new one (40 ns), at 4KiB the new one (100 ns)
	// beats the pooled one (200 ns).
	for _, tc := range []struct{ size, peer string }{{"64B", ImplBufferPool}, {"4KiB", ImplBuffer}} {
		r := slices.Index(tb.Sizes, tc.size)
		if c := tb.BestPeer(r); c < 0 || tb.Impls[c] != tc.peer {
			t.Errorf("%s: best peer column %d, want %s", tc.size, c, tc.peer)
		}
	}
	// Higher is better for throughput.
	bs := &Table{Unit: "B/s", Better: +1, Impls: []string{ImplBytesio, ImplReader, ImplBuffer, ImplCopy},
		Sizes: []string{"1KiB"}, Cells: [][]*Cell{{cellOf(5), cellOf(3), cellOf(4), cellOf(9)}}}
	if c := bs.BestPeer(0); c != 2 {
		t.Errorf("B/s best peer column %d, want 2 (bytes.Buffer, 4 > 3; copy 9 is no peer)", c)
	}
	// A peer not measured at a size is passed over there.
	bs.Cells[0][2] = nil
	if c := bs.BestPeer(0); c != 1 {
		t.Errorf("B/s best peer column %d with bytes.Buffer not measured, want 1 (bytes.Reader)", c)
	}
}

func cellOf(v float64) *Cell {
	c := &Cell{Values: []float64{v}, Rounds: rounds(v)}
	c.Summary.Center = v
	return c
}

func TestSummarize(t *testing.T) {
	sums := map[string]Summary{}
	for _, s := range Summarize(loadVerdicts(t)) {
		sums[s.Workload] = s
	}
	// Encode: bytesio is 1.1× the pooled bytes.Buffer in every round,
	// while both drift from 100 to 150 ns: paired, the difference is
	// certain. bytebufferpool (200 ns) and bytesio-new (ours) do not
	// count.
	enc := sums["Encode"]
	if enc.Peer() != ImplBufferPool {
		t.Errorf("Encode peer %q", enc.Peer())
	}
	nearRatio(t, "Encode", enc.Overall, 1.1, 1.1, 1.1, 6)
	if got, want := enc.Sentence(), "1.1× the time of bytes.Buffer+sync.Pool (95% CI 1.1–1.1): 10% slower, significant"; got != want {
		t.Errorf("Encode sentence\ngot  %s\nwant %s", got, want)
	}
	// Fprintf: ratios 0.90, 0.95, ..., 1.15: median 1.025, CI [0.9, 1.15].
	fp := sums["Fprintf"]
	if got, want := fp.Sentence(), "1.02× the time of bytes.Buffer+sync.Pool (95% CI 0.9–1.15): 2% slower, not significant"; got != want {
		t.Errorf("Fprintf sentence\ngot  %s\nwant %s", got, want)
	}
	// Append: 21/20 = 1.05 against the pooled buffer at 64B, 150/100 = 1.5
	// against a new bytes.Buffer at 4KiB; geomean sqrt(1.05·1.5) = 1.255.
	app := sums["Append"]
	if app.Peer() != "" || len(app.Sizes) != 2 || app.Behind != 2 || app.Ahead != 0 || app.Even != 0 {
		t.Errorf("Append summary %+v", app)
	}
	g := math.Sqrt(1.05 * 1.5)
	nearRatio(t, "Append", app.Overall, g, g, g, 6)
	if got, want := app.Sentence(), "1.25× the time of the best peers (geomean of 2 sizes; CI 1.25–1.25): 25% slower, significant"; got != want {
		t.Errorf("Append sentence\ngot  %s\nwant %s", got, want)
	}
	if got, want := app.Counts(), "faster at 0 of 2 sizes, slower at 2, no significant difference at 0"; got != want {
		t.Errorf("Append counts %q, want %q", got, want)
	}
	// Bimodal compares retained-B: 1e5 against the capped pool's 2e5
	// (the strongest peer; the uncapped one keeps 4e7).
	bi := sums["Bimodal"]
	if got, want := bi.Sentence(), "0.5× the retained heap of bytes.Buffer+sync.Pool (95% CI 0.5–0.5): 2× less, significant"; got != want {
		t.Errorf("Bimodal sentence\ngot  %s\nwant %s", got, want)
	}

	var out bytes.Buffer
	if err := WriteComparison(&out, app); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"64B ", "bytes.Buffer+sync.Pool", "1.05× (1.05–1.05)", "4KiB", "1.5× (1.5–1.5)", "slower"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("comparison lacks %q:\n%s", want, out.String())
		}
	}
	for _, l := range strings.Split(out.String(), "\n") {
		if len([]rune(l)) > 120 {
			t.Errorf("line wider than 120 columns: %q", l)
		}
	}
}

// TestSummarizeFewRounds checks that sizes with too few rounds for an
// interval are counted as such, not as sizes without a significant
// difference.
func TestSummarizeFewRounds(t *testing.T) {
	// At 64B six rounds of 10 ns against 20 ns: 0.5 in every round, the
	// interval [0.5, 0.5], faster. At 4KiB only three rounds: no interval.
	var src strings.Builder
	for r := 1; r <= 6; r++ {
		fmt.Fprintf(&src, "bytesio-round: %d\n", r)
		src.WriteString("BenchmarkAppend/impl=bytesio/size=64B 1 10 ns/op\nBenchmarkAppend/impl=bytes.Buffer/size=64B 1 20 ns/op\n")
		if r <= 3 {
			src.WriteString("BenchmarkAppend/impl=bytesio/size=4KiB 1 10 ns/op\nBenchmarkAppend/impl=bytes.Buffer/size=4KiB 1 20 ns/op\n")
		}
	}
	d, err := ReadResults(strings.NewReader(src.String()), "src")
	if err != nil {
		t.Fatal(err)
	}
	tables, err := BuildTables(d.Results, d.Units)
	if err != nil {
		t.Fatal(err)
	}
	sums := Summarize(tables)
	if len(sums) != 1 {
		t.Fatalf("%d summaries, want 1", len(sums))
	}
	s := sums[0]
	if s.Ahead != 1 || s.Behind != 0 || s.Even != 0 || s.Undecided != 1 {
		t.Errorf("ahead %d, behind %d, even %d, undecided %d; want 1, 0, 0, 1", s.Ahead, s.Behind, s.Even, s.Undecided)
	}
	if got, want := s.Counts(), "faster at 1 of 2 sizes, slower at 0, no significant difference at 0, too few rounds at 1"; got != want {
		t.Errorf("counts %q, want %q", got, want)
	}
	// Over the 3 rounds both sizes have, the geomean has no interval
	// either; the sentence still says it is a geomean.
	if got, want := s.Sentence(), "0.5× the time of bytes.Buffer (geomean of 2 sizes): too few rounds to tell (6 needed)"; got != want {
		t.Errorf("sentence %q, want %q", got, want)
	}
}

func TestEvalTargets(t *testing.T) {
	got := map[string]TargetResult{}
	for _, r := range EvalTargets(loadVerdicts(t)) {
		got[r.Target] = r
	}
	for _, want := range []struct {
		target   string
		status   Status
		measured string
	}{
		// 1.1 in every round, allocs equal: the time rules it out.
		{"Encode vs bytes.Buffer+sync.Pool", NotMet, "1.1× (1.1–1.1); 0 vs 0 allocs/op"},
		// 0.90..1.15 straddles 1.0.
		{"Fprintf vs bytes.Buffer+sync.Pool", Undecided, "1.02× (0.9–1.15); 0 vs 0 allocs/op"},
		// Faster (0.8), but one allocation where the peer has none.
		{"AppendInt vs bytes.Buffer+sync.Pool", NotMet, "0.8× (0.8–0.8); 1 vs 0 allocs/op"},
		// 21/20 ≤ 1.1 and 150/200 ≤ 1.1 in every round.
		{"Append 64B vs bytes.Buffer+sync.Pool", Met, "1.05× (1.05–1.05)"},
		{"Append 4KiB vs bytes.Buffer+sync.Pool", Met, "0.75× (0.75–0.75)"},
		// 1e5 / 4e7.
		{"Bimodal retained-B vs bytes.Buffer+sync.Pool-nocap", Met, "0.0025× (0.0025–0.0025)"},
		{"SmallCycle 1KiB vs bytes.Buffer+sync.Pool", Missing, ""},
		{"Read, geomean of all sizes, vs bytes.Reader", Missing, ""},
	} {
		r, ok := got[want.target]
		if !ok {
			t.Errorf("no target %q", want.target)
			continue
		}
		if r.Status != want.status || r.Measured != want.measured {
			t.Errorf("%s: %s %q, want %s %q", r.Target, r.Status, r.Measured, want.status, want.measured)
		}
	}
}

// TestCombine checks how clauses add up: any not measured makes the
// target not measured, then any NOT met makes it NOT met, then any
// undecided makes it undecided.
func TestCombine(t *testing.T) {
	c := func(s Status) clause { return clause{"x", s} }
	for _, tc := range []struct {
		in   []Status
		want Status
	}{
		{[]Status{Met, Met}, Met},
		{[]Status{Met, Undecided}, Undecided},
		{[]Status{Undecided, NotMet}, NotMet},
		{[]Status{NotMet, Undecided}, NotMet},
		{[]Status{NotMet, Missing}, Missing},
	} {
		var cs []clause
		for _, s := range tc.in {
			cs = append(cs, c(s))
		}
		if got := combine("t", "w", cs...).Status; got != tc.want {
			t.Errorf("combine %v = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestVerdictStability runs many pairs of simulated quick runs (6 rounds)
// of an implementation whose true ratio sits exactly on a target's bound,
// the worst case, with the per-round noise of the ratios measured on this
// machine (lognormal, σ = 0.02: per-round ratios spread 1-3%) and no drift
// between runs. By the median alone, one run of a pair says met and the
// other not met about half the time; by the confidence interval a pair
// contradicts itself only when both runs are lopsided the opposite way
// (each at most 2/64), far below 1%. Drift of the machine between runs is
// not in the interval: larger than the interval's width, it makes runs of a
// target this close contradict each other, as the README says.
func TestVerdictStability(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	run := func() Ratio {
		a, b := map[int]float64{}, map[int]float64{}
		for r := 1; r <= 6; r++ {
			b[r] = 100 * math.Exp(0.3*rng.NormFloat64()) // the rounds drift alike
			a[r] = b[r] * math.Exp(0.02*rng.NormFloat64())
		}
		return pairedRatio(a, b, 0)
	}
	const pairs = 2000
	byMedian, byCI := 0, 0
	for range pairs {
		r1, r2 := run(), run()
		if (r1.Center <= 1) != (r2.Center <= 1) {
			byMedian++
		}
		s1, s2 := r1.AtMost(1), r2.AtMost(1)
		if (s1 == Met && s2 == NotMet) || (s1 == NotMet && s2 == Met) {
			byCI++
		}
	}
	t.Logf("contradictions: %d by median, %d by CI", byMedian, byCI)
	if byMedian < pairs/4 {
		t.Errorf("medians alone contradicted each other in %d of %d pairs; the simulation is too tame", byMedian, pairs)
	}
	if byCI > pairs/100 {
		t.Errorf("confidence intervals contradicted each other in %d of %d pairs, want under 1%%", byCI, pairs)
	}
}

// A confidence bound that rounds to 1 at three digits is printed until it
// shows which side of 1 it is on.
func TestCIStringSideOfOne(t *testing.T) {
	for x, want := range map[float64]string{
		1: "1", 1.00173: "1.002", 0.999885: "0.9999", 1.00439: "1.004", 0.99949: "0.999",
		1.0004: "1.0004", 1.05: "1.05", 0.958: "0.958", 17256: "17256",
		1.0000001: "1.0000001", math.Inf(-1): "-∞", math.Inf(1): "∞",
	} {
		if got := ciString(x); got != want {
			t.Errorf("ciString(%v) = %q; want %q", x, got, want)
		}
	}
}

// Against a target's bound, an end of the interval is printed until it
// shows which side of the bound it is on: 1.0504 printed as 1.05 against
// ≤ 1.05 would show an interval that meets the target beside "undecided".
func TestCIStringSideOfBound(t *testing.T) {
	for _, tc := range []struct {
		x, bound float64
		want     string
	}{
		{1.0504, 1.05, "1.0504"}, {1.0496, 1.05, "1.0496"}, {1.05, 1.05, "1.05"}, {1.0537, 1.05, "1.054"},
		{0.8996, 0.9, "0.8996"}, {0.90004, 0.9, "0.90004"}, {0.25003, 0.25, "0.25003"}, {0.2, 0.25, "0.2"},
		{1.00173, 1.05, "1.002"}, // and of 1, as always
	} {
		if got := ciString(tc.x, tc.bound); got != tc.want {
			t.Errorf("ciString(%v, %v) = %q; want %q", tc.x, tc.bound, got, tc.want)
		}
	}
	r := Ratio{Center: 1.02, Lo: 1, Hi: 1.0504, N: 6}
	if got, want := r.StringAgainst(1.05), "1.02× (1–1.0504)"; got != want {
		t.Errorf("StringAgainst(1.05) = %q; want %q", got, want)
	}
	if got, want := r.String(), "1.02× (1–1.05)"; got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
	if got, want := atMost(r, 1.05), (clause{"1.02× (1–1.0504)", Undecided}); got != want {
		t.Errorf("atMost(1.05) = %+v; want %+v", got, want)
	}
}

// tablesFrom builds the tables of results in the Go benchmark format.
func tablesFrom(t *testing.T, src string) []*Table {
	t.Helper()
	return tablesRead(t, strings.NewReader(src), "src")
}

// tablesRead builds the tables of the results r holds, read as the file name.
func tablesRead(t *testing.T, r io.Reader, name string) []*Table {
	t.Helper()
	d, err := ReadResults(r, name)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := BuildTables(d.Results, d.Units)
	if err != nil {
		t.Fatal(err)
	}
	return tables
}

// TestRatioFewRounds checks a ratio of 5 rounds, whose interval is
// infinite at its low end only: it prints as such, and neither bound
// decides it, however far the finite end is from the bound.
func TestRatioFewRounds(t *testing.T) {
	r := pairedRatio(rounds(1, 2, 3, 4, 5), rounds(1, 1, 1, 1, 1), 0)
	if got, want := r.String(), "3× (-∞–5)"; got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
	for _, bound := range []float64{0.5, 3, 10} {
		if got := r.AtLeast(bound); got != Undecided {
			t.Errorf("AtLeast(%g) = %v; want %v", bound, got, Undecided)
		}
		if got := r.AtMost(bound); got != Undecided {
			t.Errorf("AtMost(%g) = %v; want %v", bound, got, Undecided)
		}
	}
	// The rule holds for any interval with fewer than minPairs rounds,
	// finite or not, whatever computed it.
	for n := 1; n < minPairs; n++ {
		for _, r := range []Ratio{{Center: 3, Lo: 2, Hi: 4, N: n}, {Center: 3, Lo: 2, Hi: math.Inf(1), N: n}} {
			if got := r.AtMost(1); got != Undecided {
				t.Errorf("%v of %d rounds: AtMost(1) = %v; want %v", r, n, got, Undecided)
			}
			if got := r.AtLeast(1); got != Undecided {
				t.Errorf("%v of %d rounds: AtLeast(1) = %v; want %v", r, n, got, Undecided)
			}
		}
	}
	// A Ratio of no rounds, as the zero value, was not measured.
	if got := (Ratio{}).AtMost(1); got != Missing {
		t.Errorf("Ratio{}.AtMost(1) = %v; want %v", got, Missing)
	}
}

// TestPairedRatioZeroPeer checks that a round whose peer measured 0, where
// the ratio is no number, is left out.
func TestPairedRatioZeroPeer(t *testing.T) {
	if got := pairedRatio(rounds(1, 2, 3), rounds(0, 1, 1), 0); got.N != 2 || !near(got.Center, 2.5) {
		t.Errorf("pairedRatio with a peer of 0 = %+v; want n=2, center 2.5", got)
	}
}

// TestGeoPairedRatioMissing checks that only the rounds in which every
// pair was measured count, on either side of any pair, also for byte
// counts, whose floor would turn a missing value into a measured one.
func TestGeoPairedRatioMissing(t *testing.T) {
	const kib = 1 << 10
	full := [2]map[int]float64{rounds(64*kib, 64*kib, 64*kib, 64*kib, 64*kib, 64*kib), rounds(128*kib, 128*kib, 128*kib, 128*kib, 128*kib, 128*kib)}
	// Round 6 is missing on one side of the second pair.
	subjectShort := [2]map[int]float64{rounds(64*kib, 64*kib, 64*kib, 64*kib, 64*kib), full[1]}
	peerShort := [2]map[int]float64{full[0], rounds(128*kib, 128*kib, 128*kib, 128*kib, 128*kib)}
	for _, tc := range []struct {
		name  string
		pairs [][2]map[int]float64
		floor float64
		n     int
	}{
		{"subject short", [][2]map[int]float64{full, subjectShort}, ratioFloor, 5},
		{"peer short", [][2]map[int]float64{full, peerShort}, ratioFloor, 5},
		{"subject short, no floor", [][2]map[int]float64{full, subjectShort}, 0, 5},
		{"peer short, no floor", [][2]map[int]float64{full, peerShort}, 0, 5},
	} {
		if got := geoPairedRatio(tc.pairs, tc.floor); got.N != tc.n || !near(got.Center, 0.5) {
			t.Errorf("geoPairedRatio(%s) = %+v; want n=%d, center 0.5", tc.name, got, tc.n)
		}
	}
}

// TestSummarizeTouchingOne checks that an interval that reaches 1 at
// either end is no significant difference: "Significant" means the
// interval excludes 1. Sizes with too few rounds are neither, and the
// verdict says so.
func TestSummarizeTouchingOne(t *testing.T) {
	var src strings.Builder
	for r := 1; r <= 6; r++ {
		line := func(impl, size string, ns float64) {
			fmt.Fprintf(&src, "BenchmarkAppend/impl=%s/size=%s 1 %g ns/op\n", impl, size, ns)
		}
		line(ImplBufferPool, "64B", 100)
		line(ImplBytesio, "64B", 88+2*float64(r)) // 0.90 .. 1.00
		line(ImplBufferPool, "4KiB", 100)
		line(ImplBytesio, "4KiB", 98+2*float64(r)) // 1.00 .. 1.10
		line(ImplBufferPool, "64KiB", 100)
		line(ImplBytesio, "64KiB", 80) // 0.8: faster
	}
	sums := Summarize(tablesFrom(t, src.String()))
	if len(sums) != 1 {
		t.Fatalf("%d summaries; want 1", len(sums))
	}
	s := sums[0]
	if s.Ahead != 1 || s.Behind != 0 || s.Even != 2 || s.Undecided != 0 {
		t.Errorf("ahead %d, behind %d, even %d, undecided %d; want 1, 0, 2, 0", s.Ahead, s.Behind, s.Even, s.Undecided)
	}
	want := map[string]string{"64B": "~", "4KiB": "~", "64KiB": "faster"}
	for _, c := range s.Sizes {
		if got := s.verdict(c.Ratio); got != want[c.Size] {
			t.Errorf("verdict at %s (%v) = %q; want %q", c.Size, c.Ratio, got, want[c.Size])
		}
	}
	few := pairedRatio(rounds(1, 2, 3), rounds(2, 2, 2), 0)
	if got := s.verdict(few); got != "too few rounds" {
		t.Errorf("verdict of 3 rounds = %q; want %q", got, "too few rounds")
	}
}

// TestJudgement checks the plain-language verdict at its edges: an
// interval that reaches 1 is not significant, a ratio within half a
// percent of 1 is about the same, and 2× says "2× slower" as 0.5× says
// "2× faster".
func TestJudgement(t *testing.T) {
	for _, tc := range []struct {
		r    Ratio
		want string
	}{
		{Ratio{Center: 1, Lo: 1, Hi: 1, N: 6}, "about the same, not significant"},
		{Ratio{Center: 0.95, Lo: 0.9, Hi: 1, N: 6}, "5% faster, not significant"},
		{Ratio{Center: 1.05, Lo: 1, Hi: 1.1, N: 6}, "5% slower, not significant"},
		{Ratio{Center: 0.996, Lo: 0.99, Hi: 1.01, N: 6}, "about the same, not significant"},
		{Ratio{Center: 1.004, Lo: 0.99, Hi: 1.01, N: 6}, "about the same, not significant"},
		{Ratio{Center: 2, Lo: 2, Hi: 2, N: 6}, "2× slower, significant"},
		{Ratio{Center: 0.5, Lo: 0.5, Hi: 0.5, N: 6}, "2× faster, significant"},
		{Ratio{Center: 3, Lo: 2.5, Hi: 3.5, N: 6}, "3× slower, significant"},
	} {
		s := Summary{Workload: "Encode", Unit: "sec/op", Better: -1, Overall: tc.r}
		if got := s.judgement(); got != tc.want {
			t.Errorf("judgement(%v) = %q; want %q", tc.r, got, tc.want)
		}
	}
}

// TestSummarizeLeavesOut checks that a workload without bytesio, or
// without a peer, has no summary, and that a summary compares only the
// sizes where both bytesio and a peer were measured.
func TestSummarizeLeavesOut(t *testing.T) {
	src := sameRounds(
		// Encode without bytesio, Fprintf without a peer.
		"BenchmarkEncode/impl="+ImplBufferPool+"/size=200B 1 100 ns/op",
		"BenchmarkEncode/impl="+ImplByteBufferPool+"/size=200B 1 90 ns/op",
		"BenchmarkFprintf/impl="+ImplBytesio+"/size=100B 1 100 ns/op",
		"BenchmarkFprintf/impl="+ImplBytesioNew+"/size=100B 1 90 ns/op",
		// Append: bytesio not measured at 4KiB.
		"BenchmarkAppend/impl="+ImplBufferPool+"/size=64B 1 100 ns/op",
		"BenchmarkAppend/impl="+ImplBytesio+"/size=64B 1 50 ns/op",
		"BenchmarkAppend/impl="+ImplBufferPool+"/size=4KiB 1 100 ns/op",
	)
	sums := Summarize(tablesFrom(t, src))
	if len(sums) != 1 || sums[0].Workload != "Append" {
		t.Fatalf("summaries %+v; want Append only", sums)
	}
	if s := sums[0]; len(s.Sizes) != 1 || s.Sizes[0].Size != "64B" {
		t.Errorf("Append compared at %+v; want 64B only", s.Sizes)
	}
	if got := sums[0].Counts(); got != "" {
		t.Errorf("Counts() of one size = %q; want \"\"", got)
	}
}

// TestAllocsAtMost checks the allocation clause: met when every round of
// bytesio is within the bound (every round of the peer's), NOT met when
// no round is, undecided otherwise, and not measured without the peer.
func TestAllocsAtMost(t *testing.T) {
	allocs := func(impl string, vals ...int) string {
		var b strings.Builder
		for _, v := range vals {
			fmt.Fprintf(&b, "BenchmarkEncode/impl=%s/size=200B 1 100 ns/op %d allocs/op\n", impl, v)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name       string
		subj, peer []int
		usePeer    bool
		bound      float64
		want       Status
	}{
		{"equal to the peer", []int{0, 0}, []int{0, 0}, true, 0, Met},
		{"within every round of the peer", []int{1, 1}, []int{1, 2}, true, 0, Met},
		{"within some rounds of the peer", []int{1, 1}, []int{0, 1}, true, 0, Undecided},
		{"above some rounds of the peer", []int{1, 2}, []int{1, 1}, true, 0, Undecided},
		{"above every round of the peer", []int{2, 2}, []int{0, 1}, true, 0, NotMet},
		{"no peer measured", []int{0, 0}, nil, true, 0, Missing},
		{"at the bound", []int{0, 0}, nil, false, 0, Met},
		{"some rounds above the bound", []int{0, 1}, nil, false, 0, Undecided},
		{"every round above the bound", []int{1, 1}, nil, false, 0, NotMet},
	} {
		// Each list three times over: 6 rounds, enough for a verdict.
		src := allocs(ImplBytesio, slices.Concat(tc.subj, tc.subj, tc.subj)...) + allocs(ImplByteBufferPool, 0, 0, 0, 0, 0, 0)
		if tc.peer != nil {
			src += allocs(ImplBufferPool, slices.Concat(tc.peer, tc.peer, tc.peer)...)
		}
		peer := ""
		if tc.usePeer {
			peer = ImplBufferPool
		}
		if got := allocsAtMost(newLookup(tablesFrom(t, src)), "Encode", "200B", peer, tc.bound).status; got != tc.want {
			t.Errorf("allocsAtMost(%s: %v vs %v) = %v; want %v", tc.name, tc.subj, tc.peer, got, tc.want)
		}
	}
}

// TestTargetBounds checks each target against its documented bound (the
// "want" column of BENCHMARKS.md): a ratio 2% on the right side of the
// bound in every round meets it, 2% on the wrong side does not.
func TestTargetBounds(t *testing.T) {
	for _, tc := range []struct {
		target, workload, size string
		subject, other         string // the ratio is subject over other
		unit                   string // as printed: ns/op, MB/s, retained-B, peak-B
		bound                  float64
		atLeast                bool
	}{
		{"Encode vs bytes.Buffer+sync.Pool", "Encode", sizeOf("Encode"), ImplBytesio, ImplBufferPool, "ns/op", 1.0, false},
		{"Fprintf vs bytes.Buffer+sync.Pool", "Fprintf", sizeOf("Fprintf"), ImplBytesio, ImplBufferPool, "ns/op", 1.0, false},
		{"AppendInt vs bytes.Buffer+sync.Pool", "AppendInt", sizeOf("AppendInt"), ImplBytesio, ImplBufferPool, "ns/op", 1.0, false},
		{"SmallCycle 1KiB vs bytes.Buffer+sync.Pool", "SmallCycle", "1KiB", ImplBytesio, ImplBufferPool, "ns/op", 1.0, false},
		{"SmallCycle 1KiB vs bytebufferpool", "SmallCycle", "1KiB", ImplBytesio, ImplByteBufferPool, "ns/op", 1.1, false},
		{"Append 64B vs bytes.Buffer+sync.Pool", "Append", "64B", ImplBytesio, ImplBufferPool, "ns/op", 1.1, false},
		{"Append 4KiB vs bytes.Buffer+sync.Pool", "Append", "4KiB", ImplBytesio, ImplBufferPool, "ns/op", 1.1, false},
		{"ViewCycle 16KiB vs bytes.Buffer+sync.Pool", "ViewCycle", "16KiB", ImplBytesio, ImplBufferPool, "ns/op", 1.1, false},
		{"Read 64B vs bytes.Reader", "Read", "64B", ImplBytesio, ImplReader, "ns/op", 1.05, false},
		{"Read, geomean of all sizes, vs bytes.Reader", "Read", "1KiB", ImplBytesio, ImplReader, "ns/op", 1.0, false},
		{"Append 64MiB throughput vs copy", "Append", "64MiB", ImplBytesio, ImplCopy, "MB/s", 0.9, true},
		{"PeakHeap 64MiB: peak heap over the data", "PeakHeap", "64MiB", ImplBytesio, "", "peak-B", 1.1, false},
		{"Bimodal retained-B vs bytes.Buffer+sync.Pool", "Bimodal", BimodalSize, ImplBytesio, ImplBufferPool, "retained-B", 0.25, false},
		{"Bimodal retained-B vs bytes.Buffer+sync.Pool-nocap", "Bimodal", BimodalSize, ImplBytesio, ImplBufferPoolNoCap, "retained-B", 0.25, false},
		{"ReadAt 64MiB vs bytes.Reader", "ReadAt", "64MiB", ImplBytesio, ImplReader, "ns/op", 1.15, false},
		{"Overwrite 64MiB vs copy", "Overwrite", "64MiB", ImplBytesio, ImplCopy, "ns/op", 1.2, false},
		{"GetValue 64MiB: bytes.Clone over bytesio", "GetValue", "64MiB", ImplClone, ImplBytesio, "ns/op", 1000, true},
	} {
		for _, f := range []float64{0.98, 1.02} {
			var src strings.Builder
			for r := 1; r <= 6; r++ {
				other := 1e6 * (1 + float64(r)/10) // drifts from round to round
				if tc.other == "" {
					other = 64 << 20 // the data PeakHeap writes
				} else {
					fmt.Fprintf(&src, "Benchmark%s/impl=%s/size=%s 1 %v %s 0 allocs/op\n", tc.workload, tc.other, tc.size, other, tc.unit)
				}
				fmt.Fprintf(&src, "Benchmark%s/impl=%s/size=%s 1 %v %s 0 allocs/op\n", tc.workload, tc.subject, tc.size, other*tc.bound*f, tc.unit)
			}
			want := Met
			if (f > 1) != tc.atLeast {
				want = NotMet
			}
			found := false
			for _, r := range EvalTargets(tablesFrom(t, src.String())) {
				if r.Target == tc.target {
					found = true
					if r.Status != want {
						t.Errorf("%s at %g× the bound: %v (%s); want %v", tc.target, f, r.Status, r.Measured, want)
					}
				}
			}
			if !found {
				t.Errorf("no target %q", tc.target)
			}
		}
	}
}

// TestTargetsMissing checks that a target is not measured when a peer is
// missing at its size, or, for a geomean over every size, at any size.
func TestTargetsMissing(t *testing.T) {
	src := sameRounds(
		"BenchmarkRead/impl="+ImplBytesio+"/size=64B 1 100 ns/op",
		"BenchmarkRead/impl="+ImplReader+"/size=64B 1 100 ns/op",
		"BenchmarkRead/impl="+ImplBytesio+"/size=1KiB 1 100 ns/op",
		"BenchmarkEncode/impl="+ImplBytesio+"/size=200B 1 100 ns/op 0 allocs/op",
		"BenchmarkEncode/impl="+ImplBufferPool+"/size=200B 1 100 ns/op",
	)
	got := map[string]Status{}
	for _, r := range EvalTargets(tablesFrom(t, src)) {
		got[r.Target] = r.Status
	}
	for target, want := range map[string]Status{
		"Read 64B vs bytes.Reader":                    Met,
		"Read, geomean of all sizes, vs bytes.Reader": Missing,
		// bytes.Buffer+sync.Pool's allocations were not measured.
		"Encode vs bytes.Buffer+sync.Pool": Missing,
	} {
		if got[target] != want {
			t.Errorf("%s: %v; want %v", target, got[target], want)
		}
	}

	// bytesio missing where the peer was measured: not measured either.
	src = sameRounds(
		"BenchmarkRead/impl="+ImplReader+"/size=64B 1 100 ns/op",
		"BenchmarkRead/impl="+ImplBytesio+"/size=1KiB 1 100 ns/op",
		"BenchmarkRead/impl="+ImplReader+"/size=1KiB 1 100 ns/op",
	)
	got = map[string]Status{}
	for _, r := range EvalTargets(tablesFrom(t, src)) {
		got[r.Target] = r.Status
	}
	for _, target := range []string{"Read 64B vs bytes.Reader", "Read, geomean of all sizes, vs bytes.Reader"} {
		if got[target] != Missing {
			t.Errorf("with bytesio not measured at 64B, %s: %v; want %v", target, got[target], Missing)
		}
	}
}

// TestRetainedFloor checks heaps below the 32 KiB resolution, known only
// to be at most 32 KiB: the centre counts them as 32 KiB, and the interval
// takes in every ratio they allow. Two heaps below it tell nothing (1 KB
// against 20 KB is no ratio of 0.05); bytesio below it against 100 KiB is
// at most 0.32, which meets a target of 0.25× only when the peer keeps
// more; a peer below it against bytesio's 10 MiB is at least 320. Heaps
// above it compare as measured.
func TestRetainedFloor(t *testing.T) {
	for _, tc := range []struct {
		name          string
		subject, peer string // retained-B
		status        Status
		measured      string
		judgement     string
	}{
		{"both below", "1000", "20000", Undecided, "1× (0–∞)", "values below the measurement's resolution (32 KiB) leave it open, no telling"},
		{"bytesio below", "0", "102400", Undecided, "0.32× (0–0.32)", "3.12× less, significant"},
		{"bytesio below, peer far above", "0", "1048576", Met, "0.0312× (0–0.0312)", "32× less, significant"},
		{"peer below", "10485760", "1000", NotMet, "320× (320–∞)", "320× more, significant"},
		{"both above", "65536", "131072", NotMet, "0.5× (0.5–0.5)", "2× less, significant"},
	} {
		src := sameRounds(
			"BenchmarkBimodal/impl="+ImplBytesio+"/size="+BimodalSize+" 1 100 ns/op "+tc.subject+" retained-B",
			"BenchmarkBimodal/impl="+ImplBufferPool+"/size="+BimodalSize+" 1 100 ns/op "+tc.peer+" retained-B",
		)
		tables := tablesFrom(t, src)
		found := false
		for _, r := range EvalTargets(tables) {
			if r.Target == "Bimodal retained-B vs bytes.Buffer+sync.Pool" {
				found = true
				if r.Status != tc.status || r.Measured != tc.measured {
					t.Errorf("%s: %v %q; want %v %q", tc.name, r.Status, r.Measured, tc.status, tc.measured)
				}
			}
		}
		if !found {
			t.Errorf("%s: no Bimodal target", tc.name)
		}
		for _, s := range Summarize(tables) {
			if s.Workload == "Bimodal" {
				if got := s.judgement(); got != tc.judgement {
					t.Errorf("%s: judgement %q; want %q", tc.name, got, tc.judgement)
				}
			}
		}
	}
}

// TestAllocsFewRounds checks that a target's count of allocations, like
// its ratio, is undecided with fewer than 6 rounds, as the targets' text
// says: 3 allocations against 0 in one round is not yet NOT met.
func TestAllocsFewRounds(t *testing.T) {
	src := "BenchmarkSmallCycle/impl=" + ImplBytesio + "/size=1KiB 1 100 ns/op 3 allocs/op\n" +
		"BenchmarkSmallCycle/impl=" + ImplBufferPool + "/size=1KiB 1 100 ns/op 0 allocs/op\n"
	for _, r := range EvalTargets(tablesFrom(t, src)) {
		if r.Target == "SmallCycle 1KiB vs bytes.Buffer+sync.Pool" && r.Status != Undecided {
			t.Errorf("with 1 round: %v %q; want undecided", r.Status, r.Measured)
		}
	}
}

// TestOpenIntervalLabel checks the words for an interval that values below
// the resolution leave open, when no round had both below it: bytesio's in
// one round, the peer's in the other five. The ratio is undecided, and the
// words say the resolution left it open, not that both were below it.
func TestOpenIntervalLabel(t *testing.T) {
	var src string
	for r := 1; r <= 6; r++ {
		sub, peer := "10485760", "1000"
		if r == 1 {
			sub, peer = "1000", "10485760"
		}
		src += "bytesio-round: " + strconv.Itoa(r) + "\n" +
			"BenchmarkBimodal/impl=" + ImplBytesio + "/size=" + BimodalSize + " 1 100 ns/op " + sub + " retained-B\n" +
			"BenchmarkBimodal/impl=" + ImplBufferPool + "/size=" + BimodalSize + " 1 100 ns/op " + peer + " retained-B\n"
	}
	for _, s := range Summarize(tablesFrom(t, src)) {
		if s.Workload != "Bimodal" {
			continue
		}
		if s.Overall.Decided() || !s.Overall.unresolved() {
			t.Errorf("%s: want an interval left open", s.Overall)
		}
		if got := s.Sentence(); strings.Contains(got, "both") || !strings.Contains(got, "leave it open") {
			t.Errorf("Sentence() = %q; want it to say the resolution leaves it open", got)
		}
		if got := s.verdict(s.Sizes[0].Ratio); got != "open (resolution)" {
			t.Errorf("verdict %q; want %q", got, "open (resolution)")
		}
	}
}

// TestStatusString checks the words of the targets table.
func TestStatusString(t *testing.T) {
	for s, want := range map[Status]string{Met: "met", NotMet: "NOT met", Undecided: "undecided", Missing: "not measured"} {
		if got := s.String(); got != want {
			t.Errorf("Status(%d).String() = %q; want %q", s, got, want)
		}
	}
}

// TestSentenceOneSizeFewRounds checks that the sentence of a workload of
// one size speaks of no geomean, also when too few rounds tell.
func TestSentenceOneSizeFewRounds(t *testing.T) {
	s := Summary{Workload: "Encode", Unit: "sec/op", Better: -1, Sizes: []Comparison{{Size: "200B", Peer: ImplBufferPool}},
		Overall: pairedRatio(rounds(1, 1, 1), rounds(2, 2, 2), 0)}
	if got, want := s.Sentence(), "0.5× the time of bytes.Buffer+sync.Pool: too few rounds to tell (6 needed)"; got != want {
		t.Errorf("Sentence() = %q; want %q", got, want)
	}
}

// TestSmallCycleAllocs checks SmallCycle's target of 0 allocations: one
// allocation in every round does not meet it, however fast.
func TestSmallCycleAllocs(t *testing.T) {
	src := sameRounds(
		"BenchmarkSmallCycle/impl="+ImplBytesio+"/size=1KiB 1 50 ns/op 1 allocs/op",
		"BenchmarkSmallCycle/impl="+ImplBufferPool+"/size=1KiB 1 100 ns/op 1 allocs/op",
	)
	for _, r := range EvalTargets(tablesFrom(t, src)) {
		if r.Target == "SmallCycle 1KiB vs bytes.Buffer+sync.Pool" {
			if r.Status != NotMet {
				t.Errorf("%s: %v (%s); want %v", r.Target, r.Status, r.Measured, NotMet)
			}
			return
		}
	}
	t.Errorf("no SmallCycle target")
}

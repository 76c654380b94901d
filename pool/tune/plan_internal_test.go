package tune

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/bytesio-go/bytesio/pool"
)

// planOpenAtMost checks the rule of every plan (each buffer opens once,
// then closes once) and returns the most buffers open at once.
func planOpenAtMost(t *testing.T, name string, pl plan) int {
	t.Helper()
	state := make([]int, len(pl.sizes)) // 0 not opened, 1 open, 2 closed
	open, most := 0, 0
	for k, o := range pl.ops {
		switch {
		case o.i < 0 || int(o.i) >= len(pl.sizes):
			t.Fatalf("%s: op %d names buffer %d of %d", name, k, o.i, len(pl.sizes))
		case !o.close && state[o.i] != 0:
			t.Fatalf("%s: op %d opens buffer %d again", name, k, o.i)
		case o.close && state[o.i] != 1:
			t.Fatalf("%s: op %d closes buffer %d, which is not open", name, k, o.i)
		case o.close:
			state[o.i] = 2
			open--
		default:
			state[o.i] = 1
			open++
			most = max(most, open)
		}
	}
	for i, s := range state {
		if s != 2 {
			t.Fatalf("%s: buffer %d is left %s", name, i, map[int]string{0: "unopened", 1: "open"}[s])
		}
	}
	return most
}

// sizesPlan opens the sizes one after the other and closes the oldest
// whenever more than live are open: at most min(live, n) are open at once,
// and exactly that many at the peak.
func TestSizesPlanKeepsLiveOpen(t *testing.T) {
	h := newHist([]SizeCount{{Size: 100, Count: 3}, {Size: 5000, Count: 1}})
	for _, n := range []int{1, 2, 5, 40} {
		for _, live := range []int{1, 2, 3, 40, 100} {
			name := fmt.Sprintf("n=%d live=%d", n, live)
			pl := sizesPlan(h, n, live, 1)
			if len(pl.sizes) != n {
				t.Fatalf("%s: %d sizes", name, len(pl.sizes))
			}
			if most := planOpenAtMost(t, name, pl); most != min(live, n) {
				t.Errorf("%s: %d buffers open at once; want %d", name, most, min(live, n))
			}
		}
	}
}

// spansPlan replays spans in time order, closing before opening at equal
// times: spans that touch never overlap, and the peak is the most spans
// that truly overlap.
func TestSpansPlanOrder(t *testing.T) {
	spans := []Span{ // sorted by opening time
		{Size: 10, Open: 0, Close: 10},
		{Size: 20, Open: 5, Close: 20},
		{Size: 30, Open: 10, Close: 30}, // opens when the first closes
		{Size: 40, Open: 20, Close: 25}, // opens when the second closes
		{Size: 50, Open: 21, Close: 22},
	}
	for _, tt := range []struct {
		n, most int
	}{{1, 1}, {2, 2}, {3, 2}, {4, 2}, {5, 3}, {9, 3}} {
		name := fmt.Sprintf("first %d spans", tt.n)
		pl := spansPlan(spans, tt.n)
		if len(pl.sizes) != min(tt.n, len(spans)) {
			t.Fatalf("%s: %d sizes", name, len(pl.sizes))
		}
		for i, s := range pl.sizes {
			if s != spans[i].Size {
				t.Fatalf("%s: size %d is %d; want %d", name, i, s, spans[i].Size)
			}
		}
		if most := planOpenAtMost(t, name, pl); most != tt.most {
			t.Errorf("%s: %d spans open at once; want %d", name, most, tt.most)
		}
	}
}

// A span with Open == Close opens and closes at its time: after the closes
// of the spans opened earlier and before the opens of the others, each such
// span closed right after it opens. Worked out by hand: at time 0, span 0
// (zero length) opens and closes, then span 1 opens; at 5 span 2 opens; at
// 10 span 1 closes, span 3 (zero length) opens and closes with span 2 alone
// open, then span 4 opens; span 2 closes at 15, span 4 at 20; at 30 spans
// 5 and 6 (zero length) open and close one after the other. At most 2 are
// open at once (spans 1 and 2, then 2 and 3, then 2 and 4), and peakLive
// must count as the replay holds them: spans of zero length alone, 1.
func TestSpansPlanZeroLength(t *testing.T) {
	spans := []Span{ // sorted by opening time
		{Size: 1, Open: 0, Close: 0},
		{Size: 2, Open: 0, Close: 10},
		{Size: 3, Open: 5, Close: 15},
		{Size: 4, Open: 10, Close: 10},
		{Size: 5, Open: 10, Close: 20},
		{Size: 6, Open: 30, Close: 30},
		{Size: 7, Open: 30, Close: 30},
	}
	opens, closes := func(i int32) op { return op{i, false} }, func(i int32) op { return op{i, true} }
	want := []op{
		opens(0), closes(0), opens(1), // time 0
		opens(2),                                 // 5
		closes(1), opens(3), closes(3), opens(4), // 10
		closes(2),                                // 15
		closes(4),                                // 20
		opens(5), closes(5), opens(6), closes(6), // 30
	}
	pl := spansPlan(spans, len(spans))
	if !slices.Equal(pl.ops, want) {
		t.Errorf("ops %v; want %v", pl.ops, want)
	}
	if most := planOpenAtMost(t, "all spans", pl); most != 2 {
		t.Errorf("%d spans open at once; want 2", most)
	}
	for _, tt := range []struct {
		spans []Span
		want  int
	}{
		{spans, 2},
		{spans[:1], 1},
		{spans[5:], 1},
		{spans[3:4], 1},
	} {
		if got := peakLive(tt.spans); got != tt.want {
			t.Errorf("peakLive(%v) = %d; want %d", tt.spans, got, tt.want)
		}
	}
}

// bound lowers sizes above 64 MiB to 64 MiB and cuts the plan after the
// buffer whose size reaches the budget, keeping the ops of the buffers kept
// in their order; a plan within the budget comes back whole.
func TestPlanBound(t *testing.T) {
	const big = 64 << 20 // maxReplaySize, written out
	spans := []Span{
		{Size: 10, Open: 0, Close: 50},
		{Size: 100 << 20, Open: 1, Close: 3},
		{Size: 20, Open: 2, Close: 4},
		{Size: 30, Open: 3, Close: 40},
		{Size: big + 1, Open: 4, Close: 5},
	}
	pl := spansPlan(spans, len(spans))
	for _, tt := range []struct {
		budget  int64
		sizes   []int64
		lowered int
	}{
		{1, []int64{10}, 0},                            // the first buffer always runs
		{10, []int64{10}, 0},                           // reached exactly
		{11, []int64{10, big}, 1},                      // lowered, then counted lowered
		{big + 30, []int64{10, big, 20}, 1},            // reached exactly after three
		{big + 31, []int64{10, big, 20, 30}, 1},        // the fourth reaches it
		{2*big + 60, []int64{10, big, 20, 30, big}, 2}, // reached by the last
		{1 << 40, []int64{10, big, 20, 30, big}, 2},    // within the budget
	} {
		name := fmt.Sprintf("budget %d", tt.budget)
		got, lowered := pl.bound(tt.budget)
		if !slices.Equal(got.sizes, tt.sizes) || lowered != tt.lowered {
			t.Errorf("%s: sizes %v, %d lowered; want %v, %d", name, got.sizes, lowered, tt.sizes, tt.lowered)
			continue
		}
		planOpenAtMost(t, name, got)
		want := spansPlan(spans, len(tt.sizes)).ops // the same spans, cut before planning
		if !slices.Equal(got.ops, want) {
			t.Errorf("%s: ops %v; want %v", name, got.ops, want)
		}
	}
	if pl.sizes[1] != 100<<20 {
		t.Errorf("bound changed the plan it was given: size 1 is %d", pl.sizes[1])
	}
}

// human writes byte counts below 1 KiB in bytes, then in KiB, MiB or GiB
// with one decimal, dropped when it is 0.
func TestHumanSizes(t *testing.T) {
	for v, want := range map[int64]string{
		0: "0 B", 1000: "1000 B", 1023: "1023 B", 1 << 10: "1 KiB", 1536: "1.5 KiB",
		1 << 20: "1 MiB", 3 << 19: "1.5 MiB", 1<<20 - 1<<10: "1023 KiB",
		1 << 30: "1 GiB", 5 << 29: "2.5 GiB", 64 << 30: "64 GiB",
	} {
		if got := human(v); got != want {
			t.Errorf("human(%d) = %q; want %q", v, got, want)
		}
	}
}

// bars draws a bar of width marks for the largest count, the others in
// proportion, rounded, and at least one mark for a positive count. A
// report decoded from JSON may hold counts of 0 or less (and a top count
// of 0 or less): those draw no marks, and no bar passes width.
func TestBarsWidths(t *testing.T) {
	for _, tt := range []struct {
		counts []int64
		want   []int // marks per bar, at width 40
	}{
		{[]int64{1, 2, 4}, []int{10, 20, 40}},
		{[]int64{1, 1000}, []int{1, 40}}, // 0.04 rounds to 0, raised to 1
		{[]int64{3, 8}, []int{15, 40}},
		{[]int64{0}, []int{0}},
		{[]int64{0, 0}, []int{0, 0}},
		{[]int64{-3, 2}, []int{0, 40}},
		{[]int64{-3}, []int{0}},
		{[]int64{-1, -3}, []int{0, 0}},
		{[]int64{0, math.MaxInt64}, []int{0, 40}},
		{[]int64{1, math.MaxInt64}, []int{1, 40}},
	} {
		r := &Report{}
		for i, c := range tt.counts {
			r.Histogram = append(r.Histogram, Bar{Max: 1 << i, Count: c, Share: math.NaN()})
		}
		lines := r.bars(40)
		if len(lines) != len(tt.want) {
			t.Fatalf("counts %v: %d lines; want %d", tt.counts, len(lines), len(tt.want))
		}
		for i, l := range lines {
			if got := strings.Count(l, "#"); got != tt.want[i] {
				t.Errorf("counts %v: bar %d has %d marks; want %d (%q)", tt.counts, i, got, tt.want[i], l)
			}
		}
	}
}

// WriteText and WriteMarkdown render any Report, such as one decoded from
// JSON with counts of 0 or less, without panicking.
func TestRenderMalformedReport(t *testing.T) {
	for _, js := range []string{
		`{}`,
		`{"histogram":[{"max":4,"count":0,"share":0}]}`,
		`{"histogram":[{"max":4,"count":-3,"share":-1},{"max":8,"count":2,"share":1}]}`,
		`{"histogram":[{"max":4,"count":-1},{"max":8,"count":-3}]}`,
	} {
		var r Report
		if err := json.Unmarshal([]byte(js), &r); err != nil {
			t.Fatal(err)
		}
		for name, write := range map[string]func(io.Writer) error{"WriteText": r.WriteText, "WriteMarkdown": r.WriteMarkdown} {
			var sb strings.Builder
			if err := write(&sb); err != nil {
				t.Errorf("%s %s: %v", name, js, err)
			}
			if !strings.Contains(sb.String(), "bytesio tune") {
				t.Errorf("%s %s: no title in %q", name, js, sb.String())
			}
		}
	}
}

// A Report without a source (one made from a Workload without a Source)
// gets a title without an empty source after it, and counts of 1 take the
// singular.
func TestRenderNoSourceAndSingular(t *testing.T) {
	r := Report{Buffers: 1, Live: 1, Replayed: 1}
	for name, tc := range map[string]struct {
		write func(io.Writer) error
		title string
	}{
		"WriteText":     {r.WriteText, "bytesio tune\n1 buffer; "},
		"WriteMarkdown": {r.WriteMarkdown, "# bytesio tune\n\n1 buffer; "},
	} {
		var sb strings.Builder
		if err := tc.write(&sb); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if out := sb.String(); !strings.HasPrefix(out, tc.title) || !strings.Contains(out, "1 buffer live") ||
			!strings.Contains(out, "1 buffer replayed each") || strings.Contains(out, "1 buffers") {
			t.Errorf("%s: want it to start %q, say \"1 buffer live\" and \"1 buffer replayed each\", and never \"1 buffers\":\n%s", name, tc.title, out)
		}
	}
	for _, tc := range []struct {
		n    int64
		want string
	}{{0, "0 chunks"}, {1, "1 chunk"}, {2, "2 chunks"}} {
		if got := countOf(tc.n, "chunk"); got != tc.want {
			t.Errorf("countOf(%d, \"chunk\") = %q; want %q", tc.n, got, tc.want)
		}
	}
}

// WriteText and WriteMarkdown carry every note, reason and rule of a
// Report, each once, as their docs promise the same content.
func TestRenderCarriesNotesWhyRules(t *testing.T) {
	r := Report{
		Source: "test",
		Notes:  []string{"note one", "note two"},
		Why:    []string{"reason one", "reason two"},
		Rules:  []string{"rule one", "rule two"},
		Code:   "p, err := pool.New(pool.Config{})",
	}
	for name, write := range map[string]func(io.Writer) error{"WriteText": r.WriteText, "WriteMarkdown": r.WriteMarkdown} {
		var sb strings.Builder
		if err := write(&sb); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, s := range slices.Concat(r.Notes, r.Why, r.Rules, []string{r.Code}) {
			if n := strings.Count(sb.String(), s); n != 1 {
				t.Errorf("%s: %q appears %d times; want once in\n%s", name, s, n, sb.String())
			}
		}
	}
}

// replay measures what the layout rules make of known sizes. With a pinned
// layout of 1 KiB first chunks doubling up to 64 KiB, writes of 512 bytes
// and a pool that keeps nothing, buffers of 100, 1000, 3000 and 10000 bytes
// hold 1, 1, 2 and 4 chunks (1, 1, 3 and 15 KiB: the first write bounds the
// first chunk to at least 4 KiB, above the pool's 1 KiB), every chunk is
// newly allocated and dropped when given back, and with two buffers open at
// once the most held together is buffers 2 and 3: 6 chunks, 18 KiB.
func TestReplayMeasures(t *testing.T) {
	pl := plan{
		sizes: []int64{100, 1000, 3000, 10000},
		ops: []op{
			{0, false}, {1, false}, {0, true}, {2, false},
			{1, true}, {3, false}, {2, true}, {3, true},
		},
	}
	cfg := pool.Config{MinChunk: 64, FirstChunk: 1 << 10, MaxChunk: 64 << 10, NoCalibration: true, MaxRetained: -1}
	c, err := replay(pl, cfg, &Options{}, make([]byte, 512))
	if err != nil {
		t.Fatal(err)
	}
	const stored, held = 100 + 1000 + 3000 + 10000, (1 + 1 + 3 + 15) << 10
	for _, f := range []struct {
		name      string
		got, want float64
	}{
		{"MemPerStored", c.MemPerStored, float64(held) / stored},
		{"AllocPerStored", c.AllocPerStored, float64(held) / stored},
		{"ChunksMean", c.ChunksMean, 2},
		{"OneChunk", c.OneChunk, 0.5},
		{"HitRate", c.HitRate, 0},
		{"Score", c.Score, 2*float64(held)/stored + chunkCharge*2},
	} {
		if math.Abs(f.got-f.want) > 1e-9 {
			t.Errorf("%s = %g; want %g", f.name, f.got, f.want)
		}
	}
	for _, f := range []struct {
		name      string
		got, want int64
	}{
		{"FirstChunk", int64(c.FirstChunk), 1 << 10},
		{"MaxChunk", int64(c.MaxChunk), 64 << 10},
		{"FirstUsed", int64(c.FirstUsed), 1 << 10},
		{"Drops", c.Drops, 8},
		{"PeakLive", int64(c.PeakLive), 2},
		{"PeakChunksOut", c.PeakChunksOut, 6},
		{"PeakBytesOut", c.PeakBytesOut, 18 << 10},
	} {
		if f.got != f.want {
			t.Errorf("%s = %d; want %d", f.name, f.got, f.want)
		}
	}
	if c.ChunksP50 < 1 || c.ChunksP50 > 2 || c.ChunksP99 < c.ChunksP50 || c.ChunksP99 > 4 {
		t.Errorf("chunks per buffer: p50 %d, p99 %d; want p50 in [1, 2], p99 in [p50, 4]", c.ChunksP50, c.ChunksP99)
	}
}

// peakLive agrees with the definition of Span it counts by, on random spans
// with many equal times: at a time t, the closes come first, then each span
// with Open == Close at t, live for an instant on its own, then the opens.
// So the most live at once is the largest of, over the opens of other spans
// at t, the spans with Open <= t < Close, and over each span with Open ==
// Close == t, one more than the spans with Open < t < Close.
func TestPeakLiveByDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for trial := range 300 {
		spans := make([]Span, 1+r.IntN(60))
		for i := range spans {
			open := int64(r.IntN(20))
			spans[i] = Span{Size: 1, Open: open, Close: open}
			if r.IntN(3) > 0 {
				spans[i].Close += 1 + int64(r.IntN(10))
			}
		}
		slices.SortStableFunc(spans, func(a, b Span) int { return cmp.Compare(a.Open, b.Open) })
		want := 0
		for _, s := range spans {
			at := s.Open
			live := 0
			for _, o := range spans {
				if o.Open == o.Close {
					continue
				}
				if s.Open == s.Close && o.Open < at && at < o.Close || s.Open != s.Close && o.Open <= at && at < o.Close {
					live++
				}
			}
			if s.Open == s.Close {
				live++
			}
			want = max(want, live)
		}
		if got := peakLive(spans); got != want {
			t.Fatalf("trial %d: peakLive(%v) = %d; want %d", trial, spans, got, want)
		}
	}
}

// sequentialPlan returns a plan that opens and closes each of sizes in
// turn: one buffer open at a time.
func sequentialPlan(sizes ...int64) plan {
	pl := plan{sizes: sizes}
	for i := range sizes {
		pl.ops = append(pl.ops, op{int32(i), false}, op{int32(i), true})
	}
	return pl
}

// The peaks of a replay are the most at any one time, not the state at the
// end: with the layout of TestReplayMeasures (1 KiB first chunks, so a
// 3000-byte buffer holds 2 chunks, 3 KiB, and a 100-byte one 1 chunk, 1
// KiB), three 3000-byte buffers open together, then closed, then one of 100
// bytes alone, peak at 3 buffers, 6 chunks and 9 KiB out.
func TestReplayPeaksAreMaxima(t *testing.T) {
	pl := plan{
		sizes: []int64{3000, 3000, 3000, 100},
		ops: []op{
			{0, false}, {1, false}, {2, false}, {0, true}, {1, true}, {2, true},
			{3, false}, {3, true},
		},
	}
	cfg := pool.Config{MinChunk: 64, FirstChunk: 1 << 10, MaxChunk: 64 << 10, NoCalibration: true, MaxRetained: -1}
	c, err := replay(pl, cfg, &Options{}, make([]byte, 512))
	if err != nil {
		t.Fatal(err)
	}
	if c.PeakLive != 3 || c.PeakChunksOut != 6 || c.PeakBytesOut != 9<<10 {
		t.Errorf("replay peaks = %d live, %d chunks, %d bytes; want 3, 6, %d", c.PeakLive, c.PeakChunksOut, c.PeakBytesOut, 9<<10)
	}
}

// ChunksP50 and ChunksP99 are percentiles in the sense of hist.quantile:
// the smallest count of chunks that at least that share of the buffers
// reach. Of buffers holding 1 and 2 chunks, the median is 1; of 99
// buffers of 1 chunk and one of 4 chunks (10000 bytes: 1+2+4+8 KiB), the
// 99th percentile is 1.
func TestReplayChunkPercentiles(t *testing.T) {
	cfg := pool.Config{MinChunk: 64, FirstChunk: 1 << 10, MaxChunk: 64 << 10, NoCalibration: true, MaxRetained: -1}
	c, err := replay(sequentialPlan(100, 3000), cfg, &Options{}, make([]byte, 512))
	if err != nil {
		t.Fatal(err)
	}
	if c.ChunksP50 != 1 {
		t.Errorf("ChunksP50 of buffers of 1 and 2 chunks = %d; want 1", c.ChunksP50)
	}
	sizes := make([]int64, 100)
	for i := range sizes {
		sizes[i] = 100
	}
	sizes[57] = 10000
	c, err = replay(sequentialPlan(sizes...), cfg, &Options{}, make([]byte, 512))
	if err != nil {
		t.Fatal(err)
	}
	if c.ChunksP99 != 1 || c.ChunksP50 != 1 {
		t.Errorf("ChunksP50, ChunksP99 of 99 buffers of 1 chunk and one of 4 = %d, %d; want 1, 1", c.ChunksP50, c.ChunksP99)
	}
}

// A calibrated replay first lets the pool observe the sizes of the whole
// plan, not only its first: with one buffer of 100 bytes first and four of
// 9000 bytes, the calibrated first chunk is the class covering the median,
// 16 KiB.
func TestReplayWarmsOnThePlan(t *testing.T) {
	c, err := replay(sequentialPlan(100, 9000, 9000, 9000, 9000), pool.Config{}, &Options{}, make([]byte, 512))
	if err != nil {
		t.Fatal(err)
	}
	if c.FirstChunk != 16<<10 || !c.Calibrated {
		t.Errorf("calibrated replay: FirstChunk %d, Calibrated %v; want %d, true", c.FirstChunk, c.Calibrated, 16<<10)
	}
}

// bound lowers only sizes above maxReplaySize: a buffer of exactly 64 MiB
// is replayed whole and not counted as lowered.
func TestPlanBoundAtMaxReplaySize(t *testing.T) {
	got, lowered := sequentialPlan(64<<20, 10).bound(1 << 30)
	if !slices.Equal(got.sizes, []int64{64 << 20, 10}) || lowered != 0 {
		t.Errorf("bound of [64 MiB, 10] = %v, %d lowered; want [%d 10], 0 lowered", got.sizes, lowered, 64<<20)
	}
}

// The live budget (256 MiB of content open) counts the buffers open now,
// not every buffer replayed so far: after 257 buffers of 1 MiB one at a
// time, three small buffers opened together are all live at once.
func TestReplayLiveBudgetCountsOpenBuffers(t *testing.T) {
	pl := sequentialPlan()
	for i := range 257 {
		pl.sizes = append(pl.sizes, 1<<20)
		pl.ops = append(pl.ops, op{int32(i), false}, op{int32(i), true})
	}
	pl.sizes = append(pl.sizes, 10, 10, 10)
	pl.ops = append(pl.ops, op{257, false}, op{258, false}, op{259, false}, op{257, true}, op{258, true}, op{259, true})
	c, err := replay(pl, pool.Config{FirstChunk: 64 << 10, MaxChunk: 64 << 10, NoCalibration: true}, &Options{}, make([]byte, 64<<10))
	if err != nil {
		t.Fatal(err)
	}
	if c.PeakLive != 3 {
		t.Errorf("PeakLive = %d; want 3", c.PeakLive)
	}
}

// The oldest open buffer closes early only past the live budget: two
// buffers whose content adds up to exactly 256 MiB stay open together, so a
// third opened after them makes three live; one byte more closes the first.
func TestReplayLiveBudgetEdge(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("holds 256 MiB of content (3 s under the race detector; CI runs it without)")
	}
	for _, tt := range []struct {
		second   int64
		peakLive int
	}{
		{liveBudget / 2, 3},
		{liveBudget/2 + 1, 2},
	} {
		pl := sequentialPlan()
		pl.sizes = []int64{liveBudget / 2, tt.second, 10}
		pl.ops = []op{{0, false}, {1, false}, {2, false}, {0, true}, {1, true}, {2, true}}
		c, err := replay(pl, pool.Config{FirstChunk: 1 << 20, MaxChunk: 1 << 20, NoCalibration: true}, &Options{}, make([]byte, 1<<20))
		if err != nil {
			t.Fatal(err)
		}
		if c.PeakLive != tt.peakLive {
			t.Errorf("buffers of %d and %d bytes, then one of 10: PeakLive = %d; want %d", int64(liveBudget/2), tt.second, c.PeakLive, tt.peakLive)
		}
	}
}

// newHist merges equal sizes and sorts them: a size given twice is one
// entry with the counts added.
func TestNewHistMerges(t *testing.T) {
	h := newHist([]SizeCount{{2, 1}, {1, 1}, {2, 3}})
	if fmt.Sprint(h.sizes) != "[{1 1} {2 4}]" || h.total != 5 {
		t.Errorf("newHist = %v, total %d; want [{1 1} {2 4}], total 5", h.sizes, h.total)
	}
}

// quantile is the smallest size whose cumulative count reaches q of the
// total: of sizes 1, 2 and 3, a half of 3 buffers is 1.5, reached at 2.
func TestQuantileRoundsUp(t *testing.T) {
	if got := newHist([]SizeCount{{1, 1}, {2, 1}, {3, 1}}).quantile(0.5); got != 2 {
		t.Errorf("quantile(0.5) of 1, 2, 3 = %d; want 2", got)
	}
}

// sample gives the sizes left after the whole shares to the largest
// remainders: 2 of sizes {1: 1 buffer, 2: 2 buffers} are 0.67 and 1.33, so
// one of each.
func TestSampleLargestRemainder(t *testing.T) {
	got := newHist([]SizeCount{{1, 1}, {2, 2}}).sample(2, func(int, func(int, int)) {})
	slices.Sort(got)
	if !slices.Equal(got, []int64{1, 2}) {
		t.Errorf("sample(2) of {1: 1, 2: 2} = %v; want [1 2]", got)
	}
}

// splitSizes numbers buffers across lines: "100" then "200" are buffers 0
// and 1, so 100 fits and 200 is held out.
func TestSplitAcrossLines(t *testing.T) {
	fit, held := splitSizes([]SizeCount{{100, 1}, {200, 1}, {300, 1}})
	if fmt.Sprint(fit) != "[{100 1} {300 1}]" || fmt.Sprint(held) != "[{200 1}]" {
		t.Errorf("splitSizes(100, 200, 300) = fit %v, held %v; want [{100 1} {300 1}], [{200 1}]", fit, held)
	}
}

// sortSpans sorts by opening time, then closing time, then size.
func TestSortSpansByClose(t *testing.T) {
	got := sortSpans([]Span{{Size: 1, Open: 0, Close: 9}, {Size: 2, Open: 0, Close: 5}})
	if fmt.Sprint(got) != "[{2 0 5} {1 0 9}]" {
		t.Errorf("sortSpans = %v; want [{2 0 5} {1 0 9}]", got)
	}
}

// nearBoundary: a cumulative share exactly settleMargin below or above 50%
// is within it, and one just past it is not.
func TestNearBoundaryEdges(t *testing.T) {
	for _, tt := range []struct {
		below int64 // of 100 sizes, how many are 600 (the rest are 9000)
		want  bool
	}{{46, false}, {47, true}, {50, true}, {53, true}, {54, false}} {
		if got := nearBoundary(newHist([]SizeCount{{600, tt.below}, {9000, 100 - tt.below}})); got != tt.want {
			t.Errorf("nearBoundary(%d%% at 600, the rest at 9000) = %v; want %v", tt.below, got, tt.want)
		}
	}
}

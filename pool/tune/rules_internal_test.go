package tune

// Tests of the documented rules of grid.go (layoutGrid, retentionCaps,
// distance, choose) and explain.go (explain, usedNote), each at its edges.
// The expected values are worked out by hand from the rules in the package
// documentation and the doc comments, never taken from a run.

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bytesio-go/bytesio/pool"
)

// pinnedLayout is a pinned layout as the grid offers it.
func pinnedLayout(first, maxChunk int) pool.Config {
	return pool.Config{FirstChunk: first, MaxChunk: maxChunk, NoCalibration: true}
}

// TestLayoutGridByHand checks whole grids worked out by hand. The grid is
// the default configuration first, then the pinned layouts, sorted by
// FirstChunk then MaxChunk, without duplicates: first chunks around the
// median (a quarter of its class, its class, four times its class), the
// largest first chunk the rules allow (max(4 KiB, min(median class,
// 16 x the class of the first write))) and the default first chunk (1 KiB),
// each kept only if within that cap; max chunks at the floor
// max(FirstChunk, 64 KiB), around the 95th percentile (its class and four
// times it) and the default max chunk (1 MiB), each kept only if not under
// the floor; every size a power of two in [64 B, 16 MiB].
func TestLayoutGridByHand(t *testing.T) {
	const K, M = 1 << 10, 1 << 20
	def := pool.Config{}
	for _, tt := range []struct {
		name               string
		median, p95, piece int64
		want               []pool.Config
	}{{
		// Median class 1 KiB, p95 class 32 KiB, first write 512 B: first
		// chunks 256 B, 1 KiB, 4 KiB (4 x 1 KiB, which is also the cap
		// max(4 KiB, min(1 KiB, 8 KiB))); max chunks 64 KiB (floor; 32 KiB is
		// under it), 128 KiB (4 x 32 KiB), 1 MiB.
		name: "median 1000, p95 20000", median: 1000, p95: 20_000, piece: 512,
		want: []pool.Config{def,
			pinnedLayout(256, 64*K), pinnedLayout(256, 128*K), pinnedLayout(256, M),
			pinnedLayout(1*K, 64*K), pinnedLayout(1*K, 128*K), pinnedLayout(1*K, M),
			pinnedLayout(4*K, 64*K), pinnedLayout(4*K, 128*K), pinnedLayout(4*K, M),
		},
	}, {
		// Median class 128 B: first chunks 64 B (32 B raised to the 64 B
		// minimum), 128 B, 512 B, the cap 4 KiB and the default 1 KiB; the
		// p95 class (128 B) and 4 x it (512 B) are under the 64 KiB floor.
		name: "median 100, p95 100", median: 100, p95: 100, piece: 512,
		want: []pool.Config{def,
			pinnedLayout(64, 64*K), pinnedLayout(64, M),
			pinnedLayout(128, 64*K), pinnedLayout(128, M),
			pinnedLayout(512, 64*K), pinnedLayout(512, M),
			pinnedLayout(1*K, 64*K), pinnedLayout(1*K, M),
			pinnedLayout(4*K, 64*K), pinnedLayout(4*K, M),
		},
	}, {
		// Median class 128 KiB but first writes of 512 B: the cap is
		// max(4 KiB, min(128 KiB, 16 x 512 B)) = 8 KiB, so 32 KiB, 128 KiB
		// and 512 KiB are left out; max chunks 64 KiB, 1 MiB (p95 class and
		// default), 4 MiB.
		name: "first write bounds the first chunk", median: 100_000, p95: M, piece: 512,
		want: []pool.Config{def,
			pinnedLayout(1*K, 64*K), pinnedLayout(1*K, M), pinnedLayout(1*K, 4*M),
			pinnedLayout(8*K, 64*K), pinnedLayout(8*K, M), pinnedLayout(8*K, 4*M),
		},
	}, {
		// Median 2 MiB, first writes of 64 KiB: the cap is
		// max(4 KiB, min(2 MiB, 1 MiB)) = 1 MiB; first chunks 512 KiB, 1 MiB,
		// 1 KiB. The floor is the first chunk itself above 64 KiB; 4 x the
		// p95 class (32 MiB) is cut to 16 MiB.
		name: "large median", median: 2 * M, p95: 8 * M, piece: 64 * K,
		want: []pool.Config{def,
			pinnedLayout(1*K, 64*K), pinnedLayout(1*K, M), pinnedLayout(1*K, 8*M), pinnedLayout(1*K, 16*M),
			pinnedLayout(512*K, 512*K), pinnedLayout(512*K, M), pinnedLayout(512*K, 8*M), pinnedLayout(512*K, 16*M),
			pinnedLayout(M, M), pinnedLayout(M, 8*M), pinnedLayout(M, 16*M),
		},
	}} {
		got := layoutGrid(tt.median, tt.p95, tt.piece)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: layoutGrid(%d, %d, %d) =\n%v\nwant\n%v", tt.name, tt.median, tt.p95, tt.piece, got, tt.want)
		}
	}
}

// TestRetentionCaps checks retentionCaps: nil for a peak <= 0; otherwise a
// cap at about half the peak (the power of two a quarter of the peak's
// class, so in [peak/4, peak/2)) when it is at least the smallest chunk
// (64 B) and under the default (128 MiB; at or above it, the default
// already shows what a cap under the peak costs), and the power of two
// covering the peak (in [peak, 2 x peak)), in that order, leaving out the
// default.
func TestRetentionCaps(t *testing.T) {
	const M = 1 << 20
	for _, tt := range []struct {
		peak int64
		want []int64
	}{
		{-5, nil},
		{0, nil},
		{1, []int64{1}},
		{100, []int64{128}},          // a quarter of 128 B is under 64 B
		{200, []int64{64, 256}},      // a quarter of 256 B is 64 B, the edge
		{3000, []int64{1024, 4096}},  // 1 KiB is in [750, 1500)
		{100 * M, []int64{32 * M}},   // 128 MiB covers it but is the default
		{400 * M, []int64{512 * M}},  // 128 MiB is a quarter of 512 MiB but is the default
		{600 * M, []int64{1024 * M}}, // the default is the cap under the peak
	} {
		got := retentionCaps(tt.peak)
		if !slices.Equal(got, tt.want) || (tt.want == nil) != (got == nil) {
			t.Errorf("retentionCaps(%d) = %v, want %v", tt.peak, got, tt.want)
		}
		for _, c := range got {
			if c == pool.DefaultMaxRetained {
				t.Errorf("retentionCaps(%d) = %v holds the default", tt.peak, got)
			}
			if c&(c-1) != 0 {
				t.Errorf("retentionCaps(%d): %d is not a power of two", tt.peak, c)
			}
		}
	}
}

// TestDistance checks that distance counts the fields changed from the
// default configuration, and that a field set to its default value does
// not count.
func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		c    pool.Config
		want int
	}{
		{pool.Config{}, 0},
		{pool.Config{MinChunk: pool.DefaultMinChunk}, 0},
		{pool.Config{MinChunk: 128}, 1},
		{pool.Config{MaxChunk: pool.DefaultMaxChunk}, 0},
		{pool.Config{MaxChunk: 64 << 10}, 1},
		{pool.Config{FirstChunk: pool.DefaultFirstChunk}, 0},
		{pool.Config{FirstChunk: 4 << 10}, 1},
		{pool.Config{MaxRetained: pool.DefaultMaxRetained}, 0},
		{pool.Config{MaxRetained: 1 << 20}, 1},
		{pool.Config{NoCalibration: true}, 1},
		{pool.Config{MinChunk: pool.DefaultMinChunk, MaxChunk: pool.DefaultMaxChunk, FirstChunk: pool.DefaultFirstChunk, MaxRetained: pool.DefaultMaxRetained}, 0},
		{pool.Config{MinChunk: pool.DefaultMinChunk, MaxChunk: pool.DefaultMaxChunk, FirstChunk: pool.DefaultFirstChunk, MaxRetained: pool.DefaultMaxRetained, NoCalibration: true}, 1},
		{pool.Config{MinChunk: 128, MaxChunk: 64 << 10, FirstChunk: 4 << 10, MaxRetained: 1 << 20, NoCalibration: true}, 5},
		{pinnedLayout(256, 1<<16), 3},
	} {
		if got := distance(tt.c); got != tt.want {
			t.Errorf("distance(%+v) = %d, want %d", tt.c, got, tt.want)
		}
	}
}

// countWith returns how many of lines contain sub.
func countWith(lines []string, sub string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, sub) {
			n++
		}
	}
	return n
}

// wantLine fails t unless exactly one of why contains every one of subs.
func wantLine(t *testing.T, what string, why []string, subs ...string) {
	t.Helper()
	n := 0
	for _, l := range why {
		all := true
		for _, s := range subs {
			all = all && strings.Contains(l, s)
		}
		if all {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%s: %d lines contain all of %q, want 1:\n%s", what, n, subs, strings.Join(why, "\n"))
	}
}

// TestExplainFirstReason checks the first reason explain gives: "keep the
// default" when the recommended is the default (even if others tie); the
// tie rule, with the number of candidates within TieTolerance of the
// lowest (a score exactly TieTolerance above the lowest counts, one just
// above does not), when there are several; else "lowest score" with its
// parts: chunk bytes and allocated bytes per byte stored and 0.05 x the
// chunks per buffer.
func TestExplainFirstReason(t *testing.T) {
	lowest := 1.0
	edge := lowest + TieTolerance
	def := Candidate{Default: true, Calibrated: true, Score: 1.3, MemPerStored: 1.2, HitRate: 0.5}
	rec := Candidate{Config: pinnedLayout(1<<10, 1<<16), Score: lowest, MemPerStored: 0.8, AllocPerStored: 0.1, ChunksMean: 2}
	near := Candidate{Config: pinnedLayout(256, 1<<16), Score: 1.003}
	atEdge := Candidate{Config: pinnedLayout(4<<10, 1<<16), Score: edge}
	past := Candidate{Config: pinnedLayout(64, 1<<16), Score: 1.006}

	// Three within the tolerance: rec, near and atEdge.
	r := &Report{Candidates: []Candidate{def, near, rec, atEdge, past}}
	why := explain(r, &r.Candidates[2])
	if !strings.HasPrefix(why[0], "score 1.000, one of 3 candidates within 0.005 of the lowest (1.000); chosen by the tie rule") {
		t.Errorf("tie of 3: first reason %q", why[0])
	}

	// Two within the tolerance: rec and the one at the edge.
	r = &Report{Candidates: []Candidate{def, rec, atEdge, past}}
	why = explain(r, &r.Candidates[1])
	if !strings.Contains(why[0], "one of 2 candidates") || !strings.Contains(why[0], "tie rule") {
		t.Errorf("tie of 2: first reason %q", why[0])
	}

	// Alone within the tolerance: the lowest score and its parts,
	// 0.8 + 0.1 + 0.05 x 2 = 1.0.
	r = &Report{Candidates: []Candidate{def, rec, past}}
	why = explain(r, &r.Candidates[1])
	if !strings.HasPrefix(why[0], "lowest score: 1.000") {
		t.Errorf("alone: first reason %q", why[0])
	}
	for _, s := range []string{"0.800", "0.100", "0.05 x 2.00"} {
		if !strings.Contains(why[0], s) {
			t.Errorf("alone: first reason %q lacks %q", why[0], s)
		}
	}

	// The default recommended: keep it, though others tie with it.
	d := Candidate{Default: true, Calibrated: true, Score: 1.002}
	r = &Report{Candidates: []Candidate{d, near, rec}}
	why = explain(r, &r.Candidates[0])
	if !strings.HasPrefix(why[0], "keep the default") || !strings.Contains(why[0], "default 1.002, lowest 1.000") {
		t.Errorf("default: first reason %q", why[0])
	}
}

// TestExplainNumbers checks the numbers explain shows against the fields
// they come from: the percent of buffers in one chunk (100 x OneChunk), the
// first chunk buffers got when not the layout's, the hit rates (100 x
// HitRate) of the recommendation, of the other retention caps and of the
// default, which caps are listed (those set, other than the
// recommendation's own, in order) and whether each is under or covering
// the peak (a cap equal to the peak covers it).
func TestExplainNumbers(t *testing.T) {
	const K, M = 1 << 10, 1 << 20
	recCfg := pool.Config{FirstChunk: 4 * K, MaxChunk: 64 * K, NoCalibration: true, MaxRetained: M}
	def := Candidate{Default: true, Calibrated: true, FirstChunk: K, MaxChunk: 64 * K, MaxRetained: pool.DefaultMaxRetained,
		Score: 1.25, MemPerStored: 1.125, HitRate: 0.5}
	layout := Candidate{Config: pinnedLayout(4*K, 64*K), FirstChunk: 4 * K, MaxChunk: 64 * K, MaxRetained: pool.DefaultMaxRetained,
		Score: 1.1, HitRate: 0.75}
	rec := Candidate{Config: recCfg, FirstChunk: 4 * K, MaxChunk: 64 * K, FirstUsed: 512, MaxRetained: M,
		OneChunk: 0.25, ChunksP99: 3, HitRate: 0.875, Drops: 3, PeakLive: 8, PeakChunksOut: 12, PeakBytesOut: M, Score: 1.0}
	under := rec
	under.Config.MaxRetained, under.MaxRetained = 256*K, 256*K
	under.HitRate, under.Drops, under.Score = 0.625, 40, 1.2
	equal := rec
	equal.Config.MaxRetained, equal.MaxRetained, equal.PeakBytesOut = 512*K, 512*K, 512*K
	equal.HitRate, equal.Drops, equal.Score = 0.8, 0, 1.05
	r := &Report{Median: 1000, P95: 20_000, P99: 50_000, Live: 8, RetentionJudged: true,
		Candidates: []Candidate{def, layout, rec, under, equal}}
	why := explain(r, &r.Candidates[2])

	wantLine(t, "one chunk", why, "25% of buffers in one chunk")
	wantLine(t, "first chunk used", why, "first chunk 4 KiB (most buffers got 512 B")
	wantLine(t, "retention", why, "MaxRetained 1 MiB", "8 buffers live", "12 chunks (1 MiB)", "hit rate 87.5%", "3 chunks dropped")
	if n := countWith(why, "a cap of"); n != 2 {
		t.Errorf("%d lines on other caps, want 2 (256 KiB and 512 KiB):\n%s", n, strings.Join(why, "\n"))
	}
	wantLine(t, "cap under the peak", why, "a cap of 256 KiB (under the peak) drops 40 chunks, hit rate 62.5%, score 1.200")
	wantLine(t, "cap equal to the peak", why, "a cap of 512 KiB (covering the peak) drops 0 chunks, hit rate 80.0%, score 1.050")
	if countWith(why, "a cap of 1 MiB") != 0 {
		t.Errorf("the recommendation's own cap is listed among the others:\n%s", strings.Join(why, "\n"))
	}
	wantLine(t, "default", why, "the default configuration scores 1.250", "1.125", "hit rate 50.0%")

	// The default recommended: no line comparing it with itself.
	r = &Report{Candidates: []Candidate{def, layout}}
	why = explain(r, &r.Candidates[0])
	if n := countWith(why, "the default configuration scores"); n != 0 {
		t.Errorf("the default recommended is compared with itself:\n%s", strings.Join(why, "\n"))
	}
}

// TestExplainHeldOut checks the held-out verdict against the difference d
// of the default's and the recommendation's scores there: d above
// TieTolerance, "the gain holds"; within it either way, "no gain there: a
// tie"; below -TieTolerance, "does worse"; and the sentences for the
// default recommended and for no held-out half.
func TestExplainHeldOut(t *testing.T) {
	def := Candidate{Default: true, Calibrated: true, Score: 1.3}
	rec := Candidate{Config: pinnedLayout(4<<10, 1<<16), Score: 1.0}
	for _, tt := range []struct {
		recScore, defScore float64
		want               string
	}{
		{1.0, 1.2, "the gain holds"},
		{1.0, 1.01, "the gain holds"},
		{1.002, 1.0, "no gain there: a tie"},
		{1.0, 1.002, "no gain there: a tie"},
		{1.0, 1.0, "no gain there: a tie"},
		{1.1, 1.0, "does worse"},
		{1.01, 1.0, "does worse"},
	} {
		r := &Report{Candidates: []Candidate{def, rec}, HeldOut: &HeldOut{Buffers: 600, Replayed: 500,
			Recommended: Candidate{Score: tt.recScore}, Default: Candidate{Score: tt.defScore}}}
		why := explain(r, &r.Candidates[1])
		head := fmt.Sprintf("held-out half (500 buffers replayed): recommended %.3f, default %.3f; ", tt.recScore, tt.defScore)
		wantLine(t, fmt.Sprintf("recommended %v, default %v", tt.recScore, tt.defScore), why, head, tt.want)
		for _, other := range []string{"the gain holds", "no gain there: a tie", "does worse"} {
			if other != tt.want && countWith(why, other) != 0 {
				t.Errorf("recommended %v, default %v: verdict %q given too:\n%s", tt.recScore, tt.defScore, other, strings.Join(why, "\n"))
			}
		}
	}

	r := &Report{Candidates: []Candidate{def, rec}, HeldOut: &HeldOut{Replayed: 500, Recommended: def, Default: def}}
	why := explain(r, &r.Candidates[0])
	wantLine(t, "default recommended", why, "held-out half (500 buffers replayed): the default scores 1.300")

	r = &Report{Candidates: []Candidate{def, rec}}
	why = explain(r, &r.Candidates[1])
	wantLine(t, "single buffer", why, "no held-out check")
}

// TestUsedNote checks that usedNote speaks only when buffers got a first
// chunk other than the layout's: not when FirstUsed is unknown (0) or equal
// to FirstChunk.
func TestUsedNote(t *testing.T) {
	for _, tt := range []struct {
		first, used int
		want        string // the size the note names; "" for no note
	}{
		{4096, 0, ""},
		{4096, 4096, ""},
		{1024, 1024, ""},
		{4096, 512, "got 512 B"},
		{64 << 10, 8 << 10, "got 8 KiB"},
	} {
		c := &Candidate{FirstChunk: tt.first, FirstUsed: tt.used}
		got := usedNote(c)
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("usedNote(FirstChunk %d, FirstUsed %d) = %q; want %s", tt.first, tt.used, got,
				map[bool]string{true: "none", false: "a note that buffers " + tt.want}[tt.want == ""])
		}
	}
}

// TestExplainLayoutMode checks the mode explain gives the recommended
// layout: "calibrated" when calibration was on, "pinned (NoCalibration)"
// otherwise.
func TestExplainLayoutMode(t *testing.T) {
	pinned := Candidate{Config: pinnedLayout(4<<10, 1<<16), FirstChunk: 4 << 10, MaxChunk: 1 << 16, Score: 1}
	def := Candidate{Default: true, Calibrated: true, FirstChunk: 1 << 10, MaxChunk: 1 << 16, Score: 1}
	r := &Report{Candidates: []Candidate{def, pinned}}
	wantLine(t, "pinned", explain(r, &r.Candidates[1]), "layout pinned (NoCalibration): first chunk 4 KiB")
	wantLine(t, "calibrated", explain(r, &r.Candidates[0]), "layout calibrated: first chunk 1 KiB")
}

// TestExplainHeldOutTieEdge checks that a held-out difference of exactly
// TieTolerance is a tie, as scores within TieTolerance tie.
func TestExplainHeldOutTieEdge(t *testing.T) {
	def := Candidate{Default: true, Calibrated: true, Score: 1.3}
	rec := Candidate{Config: pinnedLayout(4<<10, 1<<16), Score: 1.0}
	r := &Report{Candidates: []Candidate{def, rec}, HeldOut: &HeldOut{Replayed: 5,
		Recommended: Candidate{Score: 0}, Default: Candidate{Score: TieTolerance}}}
	wantLine(t, "d = TieTolerance", explain(r, &r.Candidates[1]), "no gain there: a tie")
}

// TestGoCodeEveryField checks that GoCode's code builds exactly the
// configuration given, every field set, sizes that are not whole KiB or
// MiB included.
func TestGoCodeEveryField(t *testing.T) {
	for _, c := range []pool.Config{
		{MinChunk: 256, MaxChunk: 3 << 19, FirstChunk: 1536, MaxRetained: 5 << 20, NoCalibration: true},
		{MinChunk: 100, MaxRetained: 1000},
	} {
		if got := configFromCode(t, GoCode(c)); got != c {
			t.Errorf("GoCode(%+v) builds %+v\n%s", c, got, GoCode(c))
		}
	}
}

// TestRenderTable checks what WriteText and WriteMarkdown say of the
// candidates: the recommendation sentence (pinned, or the default with its
// calibrated layout and the default MaxChunk of 1 MiB), the marks * and d,
// where the concurrency came from, a text table whose columns line up (so
// every row is as long as the header), and a Markdown table whose
// separator row follows the header. The histogram's largest count fills
// the bar, wherever it is.
func TestRenderTable(t *testing.T) {
	const K = 1 << 10
	def := Candidate{Default: true, Calibrated: true, FirstChunk: K, MaxChunk: 64 * K, FirstUsed: K, MaxRetained: pool.DefaultMaxRetained, Score: 1.5}
	rec := Candidate{Config: pinnedLayout(4*K, 64*K), Recommended: true, FirstChunk: 4 * K, MaxChunk: 64 * K, FirstUsed: 4 * K,
		MaxRetained: pool.DefaultMaxRetained, PeakBytesOut: 123456789, Score: 1.25}
	r := &Report{Source: "src", Buffers: 5, Live: 16, FitBuffers: 3, Replayed: 3,
		Histogram:  []Bar{{8, 4, 0.8}, {16, 1, 0.2}},
		Candidates: []Candidate{def, rec}, Code: GoCode(rec.Config)}
	var sb strings.Builder
	if err := r.WriteText(&sb); err != nil {
		t.Fatal(err)
	}
	text := sb.String()
	for _, want := range []string{
		"\nRecommended: FirstChunk 4 KiB, MaxChunk 64 KiB, MaxRetained 128 MiB, NoCalibration (layout pinned)\n",
		"16 buffers live at once (not from the input)",
		strings.Repeat("#", 40) + " ", "  " + strings.Repeat("#", 10) + " ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("WriteText lacks %q:\n%s", want, text)
		}
	}
	lines := strings.Split(text, "\n")
	head := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "alloc/stored") && strings.HasSuffix(l, "score") })
	if head < 0 || head+2 >= len(lines) {
		t.Fatalf("WriteText: no table header:\n%s", text)
	}
	for i, mark := range []string{"d", "*"} {
		row := lines[head+1+i]
		if len(row) != len(lines[head]) || !strings.HasPrefix(row, mark+" ") {
			t.Errorf("WriteText: row %q; want it as long as the header %q, marked %q", row, lines[head], mark)
		}
	}

	sb.Reset()
	if err := r.WriteMarkdown(&sb); err != nil {
		t.Fatal(err)
	}
	md := strings.Split(sb.String(), "\n")
	head = slices.IndexFunc(md, func(l string) bool { return strings.HasPrefix(l, "|  | mode |") })
	if head < 0 || md[head+1] != "|"+strings.Repeat("---|", 14) {
		t.Errorf("WriteMarkdown: header at line %d, not followed by the separator row:\n%s", head, sb.String())
	}

	r.Candidates[0].Recommended, r.Candidates[1].Recommended = true, false
	r.RetentionJudged = true
	sb.Reset()
	if err := r.WriteText(&sb); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"\nRecommended: the default configuration: calibration on (it settled on first chunk 1 KiB, max chunk 64 KiB), MaxChunk 1 MiB, MaxRetained 128 MiB\n",
		"16 buffers live at once (from the input)",
	} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("WriteText, the default recommended, lacks %q:\n%s", want, sb.String())
		}
	}
}

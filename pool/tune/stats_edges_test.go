package tune

// Tests of stats.go (ParseStats, FromStats, statsWorkload, liveFromPeaks,
// chunkWalk) and of the count rules of trace.go, each at its edges. The
// expected values are worked out by hand from the doc comments (chunks start
// at the first chunk, double up to the max one, then grow in segments up to
// the pool's MaxChunk; a class is replayed at
// its upper bound; live = peak / mean chunks or bytes per buffer), never
// taken from a run.

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"testing"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// statsEdgesDoc returns the JSON of a pool.Stats with the given sizes entries
// (JSON array body) and extra fields (JSON object members, may be empty).
func statsEdgesDoc(sizes, extra string) string {
	s := `{"classes": [], "sizes": [` + sizes + `]`
	if extra != "" {
		s += ", " + extra
	}
	return s + "}"
}

// statsEdgesSizes checks the sizes a parse of input (named name) gave
// against want, nil meaning that the input must be rejected with an error
// that starts with name; it reports whether the sizes were as wanted.
func statsEdgesSizes(t *testing.T, input, name string, w Workload, err error, want []SizeCount) bool {
	t.Helper()
	switch {
	case want == nil && err == nil:
		t.Errorf("%q: accepted as %v; want an error", input, w.Sizes)
	case want == nil:
		if !strings.HasPrefix(err.Error(), name) {
			t.Errorf("%q: error %q does not start with the name", input, err)
		}
	case err != nil:
		t.Errorf("%q: %v", input, err)
	case !slices.Equal(w.Sizes, want):
		t.Errorf("%q: sizes %v; want %v", input, w.Sizes, want)
	default:
		return true
	}
	return false
}

// statsEdgesPage is an expvar page holding two pool statistics, "zeta"
// (written first) and "alpha", and three variables that hold none: cmdline
// (an array), memstats (an object) and beta (sizes but no classes).
var statsEdgesPage = `{"cmdline": ["prog", "-v"],
	"zeta": ` + statsEdgesDoc(`{"max": 8192, "count": 7}`, "") + `,
	"memstats": {"Alloc": 1},
	"beta": {"sizes": [{"max": 16, "count": 1}]},
	"alpha": ` + statsEdgesDoc(`{"max": 64, "count": 3}`, "") + `}`

// TestStatsEdgesExpvarPick checks which variable of an expvar page
// ParseStats reads: the one named varName, or, with no name, the first
// variable holding pool statistics in name order ("alpha" before "zeta",
// whatever the order in the text).
func TestStatsEdgesExpvarPick(t *testing.T) {
	for _, tt := range []struct {
		varName string
		want    []SizeCount
	}{
		{"", []SizeCount{{64, 3}}},
		{"alpha", []SizeCount{{64, 3}}},
		{"zeta", []SizeCount{{8192, 7}}},
	} {
		w, err := ParseStats("page.json", []byte(statsEdgesPage), tt.varName)
		if err != nil {
			t.Errorf("var %q: %v", tt.varName, err)
			continue
		}
		if !slices.Equal(w.Sizes, tt.want) {
			t.Errorf("var %q: sizes %v; want %v", tt.varName, w.Sizes, tt.want)
		}
	}
}

// TestStatsEdgesExpvarErrors checks the errors of ParseStats on an expvar
// page: they start with the name; a named variable that exists but holds no
// pool statistics is told apart from one that does not exist; the pools
// found are listed (sorted) when there are some, else every variable; and a
// page without pool statistics and no name is an error.
func TestStatsEdgesExpvarErrors(t *testing.T) {
	noPools := `{"memstats": {"Alloc": 1}, "cmdline": ["prog"]}`
	for _, tt := range []struct {
		page, varName string
		want, notWant []string
	}{
		{statsEdgesPage, "memstats",
			[]string{`"memstats"`, "holds no pool statistics", `pool statistics found: "alpha", "zeta"`},
			[]string{"not a variable"}},
		{statsEdgesPage, "beta",
			[]string{`"beta"`, "holds no pool statistics", `pool statistics found: "alpha", "zeta"`},
			[]string{"not a variable"}},
		{statsEdgesPage, "nosuch",
			[]string{`"nosuch"`, "not a variable", `pool statistics found: "alpha", "zeta"`},
			[]string{"holds no pool statistics"}},
		{noPools, "memstats",
			[]string{"holds no pool statistics", `variables found: "cmdline", "memstats"`},
			[]string{"not a variable", "pool statistics found"}},
		{noPools, "nosuch",
			[]string{"not a variable", `variables found: "cmdline", "memstats"`},
			[]string{"holds no pool statistics"}},
		{noPools, "",
			[]string{"no pool statistics among 2 variables", `"cmdline", "memstats"`},
			nil},
	} {
		_, err := ParseStats("page.json", []byte(tt.page), tt.varName)
		if err == nil {
			t.Errorf("var %q of %s: no error", tt.varName, tt.page)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "page.json: ") {
			t.Errorf("var %q: error %q does not start with the name", tt.varName, msg)
		}
		for _, s := range tt.want {
			if !strings.Contains(msg, s) {
				t.Errorf("var %q: error %q; want it to contain %q", tt.varName, msg, s)
			}
		}
		for _, s := range tt.notWant {
			if strings.Contains(msg, s) {
				t.Errorf("var %q: error %q; want it not to contain %q", tt.varName, msg, s)
			}
		}
	}
}

// TestStatsEdgesSizeLimits checks the validation of the sizes entries at
// their limits: a max must be a power of two of at least 1, a count at most
// maxBuffers; a class whose max passes buffer.DefaultLimit (the class of
// 2^31 on 32-bit platforms, whose DefaultLimit is 2^31-1) is replayed at
// DefaultLimit, with a note; entries with a count of 0 are skipped, and
// statistics left with no sizes are an error.
func TestStatsEdgesSizeLimits(t *testing.T) {
	top := int64(1) << (bits.Len64(uint64(buffer.DefaultLimit)) - 1)
	if bits.UintSize == 64 && top != buffer.DefaultLimit {
		t.Fatalf("DefaultLimit %d is not a power of two on 64-bit", int64(buffer.DefaultLimit))
	}
	for _, tt := range []struct {
		sizes string
		want  []SizeCount // nil: rejected
		above int64       // buffers noted as replayed at DefaultLimit
	}{
		{`{"max": 1, "count": 3}`, []SizeCount{{1, 3}}, 0},
		{`{"max": 0, "count": 3}`, nil, 0},
		{`{"max": -2, "count": 3}`, nil, 0},
		{`{"max": 3, "count": 3}`, nil, 0},
		{`{"max": 96, "count": 3}`, nil, 0},
		{fmt.Sprintf(`{"max": %d, "count": 1}`, top), []SizeCount{{top, 1}}, 0},
		{fmt.Sprintf(`{"max": %d, "count": 1}`, 2*top), []SizeCount{{buffer.DefaultLimit, 1}}, 1},
		{fmt.Sprintf(`{"max": %d, "count": 2}, {"max": 64, "count": 1}`, int64(1)<<47), []SizeCount{{buffer.DefaultLimit, 2}, {64, 1}}, 2},
		{fmt.Sprintf(`{"max": 64, "count": %d}`, int64(maxBuffers)), []SizeCount{{64, maxBuffers}}, 0},
		{fmt.Sprintf(`{"max": 64, "count": %d}`, int64(maxBuffers)+1), nil, 0},
		{`{"max": 64, "count": 0}, {"max": 128, "count": 5}, {"max": 256, "count": 0}`, []SizeCount{{128, 5}}, 0},
		{`{"max": 64, "count": 0}`, nil, 0},
		{``, nil, 0},
	} {
		w, err := ParseStats("s.json", []byte(statsEdgesDoc(tt.sizes, "")), "")
		if !statsEdgesSizes(t, tt.sizes, "s.json", w, err, tt.want) {
			continue
		}
		noted := strings.Contains(strings.Join(w.Notes, "\n"), countOf(tt.above, "buffer")+" of classes above the default size limit")
		if tt.above > 0 != noted {
			t.Errorf("sizes [%s]: notes %q; want a note of %d buffers above the limit: %v", tt.sizes, w.Notes, tt.above, tt.above > 0)
		}
	}
}

// TestStatsEdgesLiveFromPeaks checks how buffers live at once follow from
// the peaks: peak_chunks_out when > 0, else peak_bytes_out when > 0, else
// Live 0 and a note that there is no peak; the estimate is the peak over the
// mean chunks (bytes) per buffer, rounded to the nearest, and at least 1.
//
// At the default layout (first chunk 1 KiB, max 1 MiB), 1024 bytes take one
// 1 KiB chunk and 4096 bytes chunks of 1, 2 and 4 KiB (3 chunks, 7168
// bytes). Sizes {1024 x 2, 4096 x 1} average 5/3 chunks and 9216/3 = 3072
// bytes per buffer.
func TestStatsEdgesLiveFromPeaks(t *testing.T) {
	mixed := `{"max": 1024, "count": 2}, {"max": 4096, "count": 1}`
	for _, tt := range []struct {
		sizes, peaks string
		live         int
		note         string
	}{
		{mixed, `"peak_chunks_out": 9, "peak_bytes_out": 307200`, 5, "a peak of 9 chunks out"},   // 5.4
		{mixed, `"peak_chunks_out": 11, "peak_bytes_out": 307200`, 7, "a peak of 11 chunks out"}, // 6.6
		{mixed, `"peak_chunks_out": 0, "peak_bytes_out": 307200`, 100, "a peak of 307200 bytes out"},
		{mixed, `"peak_bytes_out": 307200`, 100, "a peak of 307200 bytes out"},
		{mixed, `"peak_bytes_out": 4607`, 1, "bytes out"},                                 // 1.4997
		{mixed, `"peak_bytes_out": 4608`, 2, "bytes out"},                                 // 1.5
		{`{"max": 4096, "count": 1}`, `"peak_chunks_out": 1`, 1, "a peak of 1 chunk out"}, // 1/3
		{mixed, `"peak_chunks_out": 0, "peak_bytes_out": 0`, 0, "no peak"},
		{mixed, `"peak_chunks_out": 0`, 0, "no peak"},
		{mixed, ``, 0, "no peak"},
	} {
		w, err := ParseStats("s.json", []byte(statsEdgesDoc(tt.sizes, tt.peaks)), "")
		if err != nil {
			t.Errorf("%s: %v", tt.peaks, err)
			continue
		}
		if w.Live != tt.live || len(w.Notes) != 1 || !strings.Contains(w.Notes[0], tt.note) {
			t.Errorf("%s: Live %d, notes %q; want %d and one note with %q", tt.peaks, w.Live, w.Notes, tt.live, tt.note)
		}
		if tt.live > 0 && !strings.HasPrefix(w.Notes[0], countOf(tt.live, "buffer")+" live at once") {
			t.Errorf("%s: note %q does not give %d buffers", tt.peaks, w.Notes[0], tt.live)
		}
	}
}

// TestStatsEdgesBadPeaks checks peaks no pool reports: a negative peak of
// chunks or bytes out is an error that names it, where it read as missing;
// and a peak near 2^63, past float64's integers, gives its estimate exact
// (a 1 KiB buffer takes one chunk, so the estimate is the peak).
func TestStatsEdgesBadPeaks(t *testing.T) {
	for _, tt := range []struct{ peaks, want string }{
		{`"peak_chunks_out": -5`, "s.json: peak_chunks_out -5 is negative"},
		{`"peak_chunks_out": 0, "peak_bytes_out": -1`, "s.json: peak_bytes_out -1 is negative"},
		{`"peak_chunks_out": -1, "peak_bytes_out": 4096`, "s.json: peak_chunks_out -1 is negative"},
	} {
		w, err := ParseStats("s.json", []byte(statsEdgesDoc(`{"max": 1024, "count": 10}`, tt.peaks)), "")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, notes %q; want an error with %q", tt.peaks, err, w.Notes, tt.want)
		}
	}
	const top = "9223372036854775807"
	w, err := ParseStats("s.json", []byte(statsEdgesDoc(`{"max": 1024, "count": 1}`, `"peak_chunks_out": `+top)), "")
	if err != nil {
		t.Fatal(err)
	}
	if want := "; " + top + ", capped at 4096"; w.Live != maxLive || len(w.Notes) != 1 || !strings.HasSuffix(w.Notes[0], want) {
		t.Errorf("peak %s: Live %d, notes %q; want %d and a note ending %q", top, w.Live, w.Notes, maxLive, want)
	}
}

// TestStatsEdgesLiveCap checks the cap of Live at maxLive (4096): an
// estimate of exactly 4096 is kept without a "capped" remark, one above it
// gives 4096 and says it was capped. A 1 KiB buffer takes one 1 KiB chunk at
// the default layout; 4096.5 buffers of 1 KiB round up to 4097.
func TestStatsEdgesLiveCap(t *testing.T) {
	for _, tt := range []struct {
		peaks  string
		live   int
		capped bool
	}{
		{`"peak_chunks_out": 4095`, 4095, false},
		{`"peak_chunks_out": 4096`, 4096, false},
		{`"peak_chunks_out": 4097`, 4096, true},
		{`"peak_chunks_out": 1000000`, 4096, true},
		{fmt.Sprintf(`"peak_bytes_out": %d`, 4096*1024), 4096, false},
		{fmt.Sprintf(`"peak_bytes_out": %d`, 4096*1024+511), 4096, false}, // 4096.499
		{fmt.Sprintf(`"peak_bytes_out": %d`, 4096*1024+512), 4096, true},  // 4096.5
	} {
		w, err := ParseStats("s.json", []byte(statsEdgesDoc(`{"max": 1024, "count": 10}`, tt.peaks)), "")
		if err != nil {
			t.Errorf("%s: %v", tt.peaks, err)
			continue
		}
		if w.Live != tt.live || len(w.Notes) != 1 || strings.Contains(w.Notes[0], "capped") != tt.capped {
			t.Errorf("%s: Live %d, notes %q; want %d, capped %v", tt.peaks, w.Live, w.Notes, tt.live, tt.capped)
		}
		if tt.capped && !strings.Contains(w.Notes[0], "capped at 4096") {
			t.Errorf("%s: note %q does not give the cap", tt.peaks, w.Notes[0])
		}
	}
}

// TestStatsEdgesLayout checks the layout used to turn a peak into buffers:
// the statistics' first_chunk and max_chunk when valid (powers of two,
// pool.MinChunkLimit <= first <= max <= pool.MaxChunkLimit), else the
// defaults (1 KiB, 1 MiB). Chunk counts by hand:
//
//	4096 B at 64 B/128 B:  64, then 4032/128 = 31.5 -> 32 chunks of 128: 33
//	4096 B at 1 KiB/1 KiB: 4 chunks
//	4096 B at 16 MiB/16 MiB: 1 chunk
//	4096 B at the defaults: 1, 2, 4 KiB: 3 chunks
//	4 MiB at 64 B/16 MiB: 64 B .. 2 MiB (16 chunks, 4 MiB - 64), then one 4 MiB: 17
//	4 MiB at the defaults: 1 KiB .. 512 KiB (10 chunks, 1023 KiB), then 3073 KiB in 1 MiB chunks: 4; 14
//	4 MiB at 1 KiB/64 KiB in a pool of MaxChunk 1 MiB: 1 KiB .. 32 KiB (6 chunks, 63 KiB), 16 x 64 KiB
//	  (1087 KiB), 16 x 128 KiB (3135 KiB), then 961 KiB in 256 KiB chunks: 4; 42 (70 with no segments)
func TestStatsEdgesLayout(t *testing.T) {
	const small, large = `{"max": 4096, "count": 1}`, `{"max": 4194304, "count": 1}`
	for _, tt := range []struct {
		layout, sizes string
		peak          int
		live          int
		human         string // the layout as the note gives it
	}{
		// Valid layouts, kept.
		{`"first_chunk": 64, "max_chunk": 128`, small, 330, 10, "first chunk 64 B, max 128 B"},              // defaults: 110
		{`"first_chunk": 1024, "max_chunk": 1024`, small, 40, 10, "first chunk 1 KiB, max 1 KiB"},           // defaults: 13
		{`"first_chunk": 16777216, "max_chunk": 16777216`, small, 10, 10, "first chunk 16 MiB, max 16 MiB"}, // defaults: 3
		{`"first_chunk": 64, "max_chunk": 16777216`, large, 170, 10, "first chunk 64 B, max 16 MiB"},        // defaults: 12
		// Past max, segments up to the pool's MaxChunk, when valid.
		{`"first_chunk": 1024, "max_chunk": 65536, "config": {"max_chunk": 1048576}`, large, 420, 10, "first chunk 1 KiB, max 64 KiB"},
		{`"first_chunk": 1024, "max_chunk": 65536, "config": {"max_chunk": 16777216}`, large, 420, 10, "first chunk 1 KiB, max 64 KiB"}, // MaxChunkLimit
		{`"first_chunk": 1024, "max_chunk": 65536, "config": {"max_chunk": 3000}`, large, 420, 6, "first chunk 1 KiB, max 64 KiB"},
		{`"first_chunk": 1024, "max_chunk": 65536, "config": {"max_chunk": 32768}`, large, 420, 6, "first chunk 1 KiB, max 64 KiB"},
		{`"first_chunk": 1024, "max_chunk": 65536, "config": {"max_chunk": 33554432}`, large, 420, 6, "first chunk 1 KiB, max 64 KiB"}, // past MaxChunkLimit
		// Invalid layouts, replaced by the defaults.
		{`"first_chunk": 32, "max_chunk": 1024`, small, 30, 10, "first chunk 1 KiB, max 1 MiB"},        // as given: 9 chunks, 3
		{`"first_chunk": 96, "max_chunk": 1048576`, small, 30, 10, "first chunk 1 KiB, max 1 MiB"},     // as given: 6 chunks, 5
		{`"first_chunk": 2048, "max_chunk": 1024`, small, 30, 10, "first chunk 1 KiB, max 1 MiB"},      // as given: 4 chunks, 8
		{`"first_chunk": 1024, "max_chunk": 33554432`, large, 140, 10, "first chunk 1 KiB, max 1 MiB"}, // as given: 13 chunks, 11
		{`"first_chunk": 1024, "max_chunk": 3000`, large, 140, 10, "first chunk 1 KiB, max 1 MiB"},     // as given: 1400 chunks, 1
		{`"first_chunk": 0, "max_chunk": 0`, small, 30, 10, "first chunk 1 KiB, max 1 MiB"},
	} {
		extra := fmt.Sprintf(`%s, "peak_chunks_out": %d`, tt.layout, tt.peak)
		w, err := ParseStats("s.json", []byte(statsEdgesDoc(tt.sizes, extra)), "")
		if err != nil {
			t.Errorf("%s: %v", tt.layout, err)
			continue
		}
		if w.Live != tt.live || len(w.Notes) != 1 || !strings.Contains(w.Notes[0], tt.human) {
			t.Errorf("%s: Live %d, notes %q; want %d at %q", tt.layout, w.Live, w.Notes, tt.live, tt.human)
		}
	}
}

// TestStatsEdgesFromStats checks FromStats on a pool.Stats value: the layout
// it carries is used (4096 bytes at 64 B/128 B take 64 + 32 x 128 = 4160
// bytes, so a peak of 41600 bytes is 10 buffers; at the defaults' 7168 it
// would be 6), a peak of 0 chunks falls back to bytes, and statistics with
// no sizes are an error that starts with the source.
func TestStatsEdgesFromStats(t *testing.T) {
	s := pool.Stats{
		Sizes:        []pool.SizeCount{{Max: 4096, Count: 3}},
		FirstChunk:   64,
		MaxChunk:     128,
		PeakBytesOut: 41600,
	}
	w, err := FromStats("p", s)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w.Sizes, []SizeCount{{4096, 3}}) || w.Live != 10 || len(w.Notes) != 1 || !strings.Contains(w.Notes[0], "bytes out") {
		t.Errorf("sizes %v, Live %d, notes %q; want [{4096 3}], 10 from the bytes", w.Sizes, w.Live, w.Notes)
	}
	if _, err := FromStats("p", pool.Stats{}); err == nil || !strings.HasPrefix(err.Error(), "p: ") {
		t.Errorf("empty stats: %v; want an error starting with the source", err)
	}
}

// TestStatsEdgesEmptyBuffers checks that liveFromPeaks derives nothing (Live
// 0, one note) when the buffers hold no chunks, whatever the peak: a peak
// over 0 chunks per buffer says nothing about how many buffers were live.
// (Through ParseStats every class is at least 1 byte, so this is reached
// only directly.)
func TestStatsEdgesEmptyBuffers(t *testing.T) {
	peak := int64(10)
	for _, s := range []statsInput{
		{PeakChunksOut: &peak},
		{PeakBytesOut: &peak},
	} {
		live, notes := liveFromPeaks([]SizeCount{{0, 5}}, s)
		if live != 0 || len(notes) != 1 {
			t.Errorf("empty buffers: Live %d, notes %q; want 0 and one note", live, notes)
		}
	}
}

// TestStatsEdgesChunkBoundaries checks chunkWalk at chunk boundaries:
// chunks start at first and double up to max, then come in segments of 16
// of one size, doubling up to top, then repeat top; n bytes take the fewest
// of them that hold n, and 0 bytes take none.
func TestStatsEdgesChunkBoundaries(t *testing.T) {
	const k = 1 << 10
	for _, tt := range []struct {
		n, first, max, top int64
		chunks, nbytes     int64
	}{
		{0, k, 1 << 20, 1 << 20, 0, 0},
		{1, k, 1 << 20, 1 << 20, 1, k},
		{k, k, 1 << 20, 1 << 20, 1, k},
		{k + 1, k, 1 << 20, 1 << 20, 2, 3 * k},
		{3 * k, k, 1 << 20, 1 << 20, 2, 3 * k},
		{3*k + 1, k, 1 << 20, 1 << 20, 3, 7 * k},
		{1023 * k, k, 1 << 20, 1 << 20, 10, 1023 * k}, // 1 KiB .. 512 KiB
		{1023*k + 1, k, 1 << 20, 1 << 20, 11, 2047 * k},
		{2047 * k, k, 1 << 20, 1 << 20, 11, 2047 * k},
		{2047*k + 1, k, 1 << 20, 1 << 20, 12, 3071 * k},
		{0, 4 * k, 4 * k, 4 * k, 0, 0},
		{4 * k, 4 * k, 4 * k, 4 * k, 1, 4 * k},
		{4*k + 1, 4 * k, 4 * k, 4 * k, 2, 8 * k},
		{64, 64, 128, 128, 1, 64},
		{65, 64, 128, 128, 2, 192},
		{192, 64, 128, 128, 2, 192},
		{193, 64, 128, 128, 3, 320},

		// Past max, segments of 16 chunks of one size, doubling up to top:
		// 1 KiB .. 32 KiB (6 chunks, 63 KiB), 16 of 64 KiB (1087 KiB), then
		// 128 KiB chunks.
		{63 * k, k, 64 * k, 1 << 20, 6, 63 * k},
		{63*k + 1, k, 64 * k, 1 << 20, 7, 127 * k},
		{127 * k, k, 64 * k, 1 << 20, 7, 127 * k}, // the first 64 KiB chunk full
		{128 * k, k, 64 * k, 1 << 20, 8, 191 * k},
		{1087 * k, k, 64 * k, 1 << 20, 22, 1087 * k},
		{1087*k + 1, k, 64 * k, 1 << 20, 23, 1215 * k},
		{1087*k + 1, k, 64 * k, 128 * k, 23, 1215 * k},
		{3135*k + 1, k, 64 * k, 1 << 20, 39, 3391 * k},
		{3135*k + 1, k, 64 * k, 128 * k, 39, 3263 * k},
		{1 << 30, k, 64 * k, 1 << 20, 22 + 16 + 16 + 16 + (1<<30-15423*k+(1<<20)-1)>>20, 15423*k + (1<<30-15423*k+(1<<20)-1)>>20<<20},
	} {
		if k, nb := chunkWalk(tt.n, tt.first, tt.max, tt.top); k != tt.chunks || nb != tt.nbytes {
			t.Errorf("chunkWalk(%d, %d, %d, %d) = %d, %d; want %d, %d", tt.n, tt.first, tt.max, tt.top, k, nb, tt.chunks, tt.nbytes)
		}
	}
}

// TestStatsEdgesTraceCounts checks the "SIZE COUNT" lines of a trace at
// their edges: two fields are a size and a count, three are an error; a
// count of 0 is skipped; a count that is not a whole number is an error; the
// buffers may total maxBuffers (2^40) but not one more.
func TestStatsEdgesTraceCounts(t *testing.T) {
	for _, tt := range []struct {
		trace string
		want  []SizeCount // nil: rejected
	}{
		{"100 3\n", []SizeCount{{100, 3}}},
		{"100 0\n200 1\n", []SizeCount{{200, 1}}},
		{"100 1 2\n", nil},
		{"100 x\n", nil},
		{"100 1099511627776\n", []SizeCount{{100, maxBuffers}}},
		{"100 1099511627775\n7\n", []SizeCount{{100, maxBuffers - 1}, {7, 1}}},
		{"100 1099511627776\n7\n", nil},
		{"100 1099511627777\n", nil},
	} {
		w, err := ReadTrace("t", strings.NewReader(tt.trace))
		statsEdgesSizes(t, tt.trace, "t:", w, err, tt.want)
	}
}

// TestStatsEdgesObservedAtLimit checks that the statistics of a pool that
// observed a buffer at the default size limit, or a larger one (a buffer
// may raise its limit), make a workload: such classes replay at the limit.
// On 32-bit platforms DefaultLimit is 2^31-1, in the class of 2^31.
func TestStatsEdgesObservedAtLimit(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	p.Observe(100)
	p.Observe(int64(buffer.DefaultLimit))
	p.Observe(4 * int64(buffer.DefaultLimit))
	w, err := FromStats("p", p.Stats())
	if err != nil {
		t.Fatalf("FromStats: %v", err)
	}
	if want := []SizeCount{{128, 1}, {buffer.DefaultLimit, 1}, {buffer.DefaultLimit, 1}}; !slices.Equal(w.Sizes, want) {
		t.Errorf("sizes %v; want %v", w.Sizes, want)
	}
	above := 1 // the class of 4 x DefaultLimit
	if bits.UintSize == 32 {
		above = 2 // and DefaultLimit's own class, 2^31
	}
	if note := countOf(above, "buffer") + " of classes above the default size limit"; !strings.Contains(strings.Join(w.Notes, "\n"), note) {
		t.Errorf("notes %q; want one saying %q", w.Notes, note)
	}
}

// TestReadTraceBadLines checks that ReadTrace skips blank lines and turns
// each bad line into an error naming it ("name:line: ..."): extra fields
// on open and close lines, a total past maxBuffers, negative, too large or
// out-of-range numbers, and a line too long to scan.
func TestReadTraceBadLines(t *testing.T) {
	w, err := ReadTrace("t", strings.NewReader("1\n\n   \n2 3\n"))
	if err != nil || fmt.Sprint(w.Sizes) != "[{1 1} {2 3}]" {
		t.Errorf(`ReadTrace("1", "", "   ", "2 3") = %v, %v; want [{1 1} {2 3}], no error`, w.Sizes, err)
	}
	for _, tt := range []struct{ trace, want string }{
		{"open a b\n", `t:1: want "open ID"`},
		{"open a\nclose a 1 2\n", `t:2: want "close ID SIZE"`},
		{fmt.Sprintf("1 %d\n1 1\n", int64(maxBuffers)), "t:2: more than"},
		{"-1\n", "t:1: size -1 is negative"},
		{fmt.Sprintf("%d\n", int64(buffer.DefaultLimit)+1), "t:1: size " + fmt.Sprint(int64(buffer.DefaultLimit)+1) + " is larger than"},
		{"99999999999999999999\n", `t:1: size "99999999999999999999" is out of range`},
		{"1\n" + strings.Repeat("7", 2<<20) + "\n", "t:2: "},
	} {
		if _, err := ReadTrace("t", strings.NewReader(tt.trace)); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ReadTrace(%.40q) = %v; want an error starting %q", tt.trace, err, tt.want)
		}
	}
}

// TestReadTraceStillOpenNote checks the note on buffers open at the end of
// a trace: it counts them and names the line the first of them opened on,
// also when there is only one.
func TestReadTraceStillOpenNote(t *testing.T) {
	for _, tt := range []struct{ trace, want string }{
		{"open a\nclose a 1\nopen b\n", "1 buffer still open at the end of the trace is left out (it opened on line 3)"},
		{"open x\nopen y\nclose x 5\nopen z\n", "2 buffers still open at the end of the trace are left out (the first opened on line 2)"},
	} {
		w, err := ReadTrace("t", strings.NewReader(tt.trace))
		if err != nil || len(w.Notes) != 1 || w.Notes[0] != tt.want {
			t.Errorf("ReadTrace(%q) notes = %q, %v; want [%q]", tt.trace, w.Notes, err, tt.want)
		}
	}
}

// TestStatsEdgesPickAndList checks ParseStats on expvar pages: with no
// variable named, the pool statistics are read even when another variable
// comes first in name order; a name not found lists the pools found, even
// a single one; and lists stop at 20 names, then say how many more.
func TestStatsEdgesPickAndList(t *testing.T) {
	page := `{"aaa": ["x"], "pool": ` + statsEdgesDoc(`{"max": 64, "count": 3}`, "") + `}`
	w, err := ParseStats("page", []byte(page), "")
	if err != nil || fmt.Sprint(w.Sizes) != "[{64 3}]" {
		t.Errorf(`ParseStats(page, "") = %v, %v; want [{64 3}]`, w.Sizes, err)
	}
	_, err = ParseStats("page", []byte(page), "nosuch")
	if err == nil || !strings.Contains(err.Error(), `pool statistics found: "pool"`) {
		t.Errorf(`ParseStats(page, "nosuch") = %v; want the pool found listed`, err)
	}
	var names []string
	for i := range 25 {
		names = append(names, fmt.Sprintf("v%02d", i))
	}
	want := `"v00", "v01", "v02", "v03", "v04", "v05", "v06", "v07", "v08", "v09", "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", and 5 more`
	if got := quoteList(names); got != want {
		t.Errorf("quoteList(25 names) = %q; want %q", got, want)
	}
}

// TestStatsEdgesPickEmpty checks ParseStats on an expvar page of several
// pools whose first in name order has observed no sizes: the error names
// the pools that have, to be named with -var; with none, it says so.
func TestStatsEdgesPickEmpty(t *testing.T) {
	empty, full := statsEdgesDoc("", ""), statsEdgesDoc(`{"max": 64, "count": 3}`, "")
	// "e" holds sizes it cannot read: it is not suggested.
	page := `{"a": ` + empty + `, "b": ` + full + `, "c": ` + statsEdgesDoc(`{"max": 64, "count": 0}`, "") + `, "d": ` + full +
		`, "e": ` + statsEdgesDoc(`{"max": 3, "count": 3}`, "") + `}`
	_, err := ParseStats("page", []byte(page), "")
	want := `page var "a": the statistics hold no observed buffer sizes (the first of 5 pools in name order); ` +
		`pools with observed sizes: "b", "d" (name one with bytesio tune -var, or as varName)`
	if err == nil || err.Error() != want {
		t.Errorf("ParseStats(page) = %v; want %q", err, want)
	}
	if w, err := ParseStats("page", []byte(page), "d"); err != nil || fmt.Sprint(w.Sizes) != "[{64 3}]" {
		t.Errorf(`ParseStats(page, "d") = %v, %v; want [{64 3}]`, w.Sizes, err)
	}
	_, err = ParseStats("page", []byte(`{"a": `+empty+`, "b": `+empty+`, "e": `+statsEdgesDoc(`{"max": 3, "count": 3}`, "")+`}`), "")
	if want := "(the first of 3 pools in name order; none of the others holds observed sizes either)"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("ParseStats(page of empty pools) = %v; want %q", err, want)
	}
}

// TestStatsEdgesCounts checks that a class count past maxBuffers is an
// error naming its entry (its index among all the entries), and that counts
// adding up past maxBuffers over several classes are an error too, named by
// the source alone.
func TestStatsEdgesCounts(t *testing.T) {
	doc := statsEdgesDoc(fmt.Sprintf(`{"max": 64, "count": %d}`, int64(maxBuffers)+1), "")
	if _, err := ParseStats("s", []byte(doc), ""); err == nil || !strings.Contains(err.Error(), "sizes[0]") {
		t.Errorf("ParseStats(count maxBuffers+1) = %v; want an error naming sizes[0]", err)
	}
	doc = statsEdgesDoc(fmt.Sprintf(`{"max": 64, "count": 0}, {"max": 128, "count": %d}`, int64(maxBuffers)+1), "")
	if _, err := ParseStats("s", []byte(doc), ""); err == nil || !strings.Contains(err.Error(), "sizes[1]") {
		t.Errorf("ParseStats(count 0, count maxBuffers+1) = %v; want an error naming sizes[1]", err)
	}
	doc = statsEdgesDoc(fmt.Sprintf(`{"max": 64, "count": %d}, {"max": 128, "count": %d}`, int64(maxBuffers), 1), "")
	if w, err := ParseStats("s", []byte(doc), ""); err == nil || !strings.HasPrefix(err.Error(), "s: ") || strings.Contains(err.Error(), "tune:") {
		t.Errorf("ParseStats(counts adding to maxBuffers+1) = %v, %v; want an error starting with the name, and no package prefix after it", w.Sizes, err)
	}
}

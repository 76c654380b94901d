package main

// bytesio tune: a capacity tuning report for package pool.
//
// It reads buffer sizes (a trace, a saved pool.Stats, or a live expvar
// endpoint), replays them through real buffers and pools under a grid of
// candidate configurations, and recommends one. See tuneUsage.

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/bits"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

const tuneUsage = `usage: bytesio tune [flags]

Reads buffer sizes, replays them through bytesio buffers and pools under
candidate configurations (first chunk x max chunk x retention cap), and
recommends a pool.Config, with the Go code to apply it.

Input (at most one; with none, an example workload is used):
  -trace FILE    one size per line, or "size count" per line; # comments
  -stats FILE    a pool.Stats saved as JSON (or a saved /debug/vars page)
  -expvar URL    a live expvar endpoint, e.g. http://127.0.0.1:6060/debug/vars

Flags:
`

// maxTraceCount bounds the count of one trace line.
const maxTraceCount = 1 << 40

// tuneOptions are the flags of bytesio tune.
type tuneOptions struct {
	trace, stats, expvarURL string
	varName                 string // expvar variable; "" picks the first pool.Stats
	format                  string // text, md or json
	buffers                 int    // buffers replayed per candidate
	piece                   int    // bytes per Write call
	live                    int    // buffers open at once
	golden                  bool   // deterministic run: no timings, GC off, one P
}

func runTune(args []string, stdout, stderr io.Writer) int {
	var o tuneOptions
	fs := flag.NewFlagSet("bytesio tune", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.trace, "trace", "", "read sizes from a trace `file`")
	fs.StringVar(&o.stats, "stats", "", "read sizes from a pool.Stats JSON `file`")
	fs.StringVar(&o.expvarURL, "expvar", "", "read sizes from a live expvar endpoint `url`")
	fs.StringVar(&o.varName, "var", "", "expvar variable `name` of the pool (default: the first pool.Stats found)")
	fs.StringVar(&o.format, "format", "text", "output `format`: text, md or json")
	fs.IntVar(&o.buffers, "n", 1000, "buffers replayed per candidate")
	fs.IntVar(&o.piece, "piece", 512, "bytes per Write call in the replay (the first write of a buffer sizes its first chunk when larger than the pool's)")
	fs.IntVar(&o.live, "live", 16, "buffers open at once in the replay")
	fs.BoolVar(&o.golden, "golden", false, "")
	fs.Usage = func() {
		fmt.Fprint(stderr, tuneUsage)
		fs.VisitAll(func(f *flag.Flag) {
			if f.Name == "golden" || f.Name == "trace" || f.Name == "stats" || f.Name == "expvar" {
				return // golden is for tests; the inputs are described above
			}
			name, usage := flag.UnquoteUsage(f)
			fmt.Fprintf(stderr, "  -%s %s\n    \t%s", f.Name, name, usage)
			if f.DefValue != "" && f.DefValue != "0" {
				fmt.Fprintf(stderr, " (default %s)", f.DefValue)
			}
			fmt.Fprintln(stderr)
		})
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bytesio tune: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if err := tune(o, stdout); err != nil {
		fmt.Fprintf(stderr, "bytesio tune: %v\n", err)
		return 1
	}
	return 0
}

// tune runs the whole report.
func tune(o tuneOptions, w io.Writer) error {
	switch {
	case o.format != "text" && o.format != "md" && o.format != "json":
		return fmt.Errorf("-format %q: want text, md or json", o.format)
	case o.buffers < 1 || o.buffers > 1_000_000:
		return fmt.Errorf("-n %d: want 1 to 1000000", o.buffers)
	case o.piece < 1 || o.piece > 64<<20:
		return fmt.Errorf("-piece %d: want 1 to 64 MiB", o.piece)
	case o.live < 1 || o.live > 4096:
		return fmt.Errorf("-live %d: want 1 to 4096", o.live)
	}
	inputs := 0
	for _, s := range []string{o.trace, o.stats, o.expvarURL} {
		if s != "" {
			inputs++
		}
	}
	if inputs > 1 {
		return errors.New("give at most one of -trace, -stats and -expvar")
	}
	var (
		wl  workload
		err error
	)
	switch {
	case o.trace != "":
		wl, err = readTraceFile(o.trace)
	case o.stats != "":
		wl, err = readStatsFile(o.stats, o.varName)
	case o.expvarURL != "":
		wl, err = readExpvar(o.expvarURL, o.varName)
	default:
		wl = exampleWorkload()
	}
	if err != nil {
		return err
	}
	r, err := buildReport(wl, o)
	if err != nil {
		return err
	}
	switch o.format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "md":
		return writeMarkdown(w, r)
	}
	return writeText(w, r)
}

// sizeCount is a buffer size and how many buffers had it.
type sizeCount struct {
	Size  int64 `json:"size"`
	Count int64 `json:"count"`
}

// workload is the input of the report: buffer sizes with counts.
type workload struct {
	Source string      `json:"source"`
	Sizes  []sizeCount `json:"-"` // sorted by size, sizes distinct, counts > 0
	Total  int64       `json:"buffers"`
}

// newWorkload merges and sorts sizes.
func newWorkload(source string, sizes []sizeCount) workload {
	slices.SortFunc(sizes, func(a, b sizeCount) int { return cmp.Compare(a.Size, b.Size) })
	var out []sizeCount
	var total int64
	for _, s := range sizes {
		if n := len(out); n > 0 && out[n-1].Size == s.Size {
			out[n-1].Count += s.Count
		} else {
			out = append(out, s)
		}
		total += s.Count
	}
	return workload{Source: source, Sizes: out, Total: total}
}

// exampleWorkload is a web-service-like mix used when no input is given.
func exampleWorkload() workload {
	return newWorkload("built-in example workload", []sizeCount{
		{0, 5}, {200, 150}, {700, 250}, {1500, 200}, {3000, 120}, {9000, 80},
		{30_000, 60}, {60_000, 60}, {150_000, 40}, {600_000, 25}, {3_000_000, 10},
	})
}

// readTraceFile reads a trace: each line a size, or a size and a count,
// separated by blanks; blank lines and lines starting with # are skipped.
func readTraceFile(name string) (workload, error) {
	f, err := os.Open(name)
	if err != nil {
		return workload{}, err
	}
	defer f.Close()
	return readTrace(name, f)
}

func readTrace(name string, r io.Reader) (workload, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	var sizes []sizeCount
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) > 2 {
			return workload{}, fmt.Errorf("%s:%d: want \"size\" or \"size count\", got %d fields", name, line, len(fields))
		}
		size, err := parseCount(fields[0], buffer.DefaultLimit)
		if err != nil {
			return workload{}, fmt.Errorf("%s:%d: size %s", name, line, err)
		}
		count := int64(1)
		if len(fields) == 2 {
			if count, err = parseCount(fields[1], maxTraceCount); err != nil {
				return workload{}, fmt.Errorf("%s:%d: count %s", name, line, err)
			}
			if count == 0 {
				continue
			}
		}
		sizes = append(sizes, sizeCount{size, count})
	}
	if err := sc.Err(); err != nil {
		return workload{}, fmt.Errorf("%s:%d: %v", name, line+1, err)
	}
	if len(sizes) == 0 {
		return workload{}, fmt.Errorf("%s: no buffer sizes (want one size, or \"size count\", per line)", name)
	}
	wl := newWorkload("trace "+name, sizes)
	if wl.Total > maxTraceCount {
		return workload{}, fmt.Errorf("%s: %d buffers in all: more than %d", name, wl.Total, int64(maxTraceCount))
	}
	return wl, nil
}

// parseCount parses a decimal integer in [0, limit].
func parseCount(s string, limit int64) (int64, error) {
	v, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange):
		return 0, fmt.Errorf("%q is out of range (max %d)", s, limit)
	case err != nil:
		return 0, fmt.Errorf("%q is not a whole number", s)
	case v < 0:
		return 0, fmt.Errorf("%d is negative", v)
	case v > limit:
		return 0, fmt.Errorf("%d is larger than %d", v, limit)
	}
	return v, nil
}

// readStatsFile reads a pool.Stats saved as JSON, or a saved expvar page.
func readStatsFile(name, varName string) (workload, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return workload{}, err
	}
	return statsWorkload(name, data, varName)
}

// readExpvar fetches an expvar page and reads the pool.Stats published there.
func readExpvar(url, varName string) (workload, error) {
	if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
		return workload{}, fmt.Errorf("-expvar %q: want an http:// or https:// URL", url)
	}
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return workload{}, fmt.Errorf("%s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return workload{}, fmt.Errorf("%s: HTTP status %s", url, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return workload{}, fmt.Errorf("%s: %v", url, err)
	}
	return statsWorkload(url, data, varName)
}

// statsWorkload finds the pool.Stats in data: data itself, or one of the
// variables of an expvar page (the one named varName if it is not empty).
func statsWorkload(name string, data []byte, varName string) (workload, error) {
	var vars map[string]json.RawMessage
	if err := json.Unmarshal(data, &vars); err != nil {
		return workload{}, fmt.Errorf("%s: not a JSON object (pool.Stats or expvar page): %v", name, err)
	}
	source := name
	if !isStats(vars) {
		var names []string
		for k, v := range vars {
			var m map[string]json.RawMessage
			if json.Unmarshal(v, &m) == nil && isStats(m) && (varName == "" || k == varName) {
				names = append(names, k)
			}
		}
		if len(names) == 0 {
			if varName != "" {
				return workload{}, fmt.Errorf("%s: no pool statistics named %q among %d variables", name, varName, len(vars))
			}
			return workload{}, fmt.Errorf("%s: no pool statistics among %d variables (publish them with (*pool.Pool).Publish)", name, len(vars))
		}
		slices.Sort(names)
		data = vars[names[0]]
		source = fmt.Sprintf("%s var %q", name, names[0])
	}
	var s pool.Stats
	if err := json.Unmarshal(data, &s); err != nil {
		return workload{}, fmt.Errorf("%s: bad pool statistics: %v", source, err)
	}
	var sizes []sizeCount
	for i, c := range s.Sizes {
		if c.Max < 1 || c.Max > buffer.DefaultLimit || c.Max&(c.Max-1) != 0 || c.Count > maxTraceCount {
			return workload{}, fmt.Errorf("%s: sizes[%d] = {max %d, count %d}: want a power-of-two max up to %d and a count up to %d",
				source, i, c.Max, c.Count, int64(buffer.DefaultLimit), int64(maxTraceCount))
		}
		if c.Count > 0 {
			sizes = append(sizes, sizeCount{c.Max, int64(c.Count)})
		}
	}
	if len(sizes) == 0 {
		return workload{}, fmt.Errorf("%s: the statistics hold no observed buffer sizes", source)
	}
	return newWorkload("stats "+source+" (classes replayed at their upper bound)", sizes), nil
}

// isStats reports whether a JSON object has the keys of a pool.Stats.
func isStats(m map[string]json.RawMessage) bool {
	_, a := m["sizes"]
	_, b := m["classes"]
	return a && b
}

// candidate is one configuration and what its replay measured.
type candidate struct {
	Config pool.Config `json:"config"`
	// MemPerStored is the chunk bytes the buffers held per byte stored.
	MemPerStored float64 `json:"chunk_bytes_per_byte_stored"`
	// AllocPerStored is the bytes the pool newly allocated per byte stored.
	AllocPerStored float64 `json:"alloc_bytes_per_byte_stored"`
	// ChunksP50 and ChunksP99 are percentiles of the chunks per buffer.
	ChunksP50 int `json:"chunks_per_buffer_p50"`
	ChunksP99 int `json:"chunks_per_buffer_p99"`
	// OneChunk is the share of buffers held in at most one chunk.
	OneChunk float64 `json:"one_chunk_share"`
	// HitRate is the share of chunks handed out that came from the pool.
	HitRate float64 `json:"hit_rate"`
	// NsPerBuffer is the wall time per buffer; 0 (left out) in golden mode.
	NsPerBuffer float64 `json:"ns_per_buffer,omitempty"`
	// Score is MemPerStored + AllocPerStored + 0.05 x mean chunks per
	// buffer; the lowest wins.
	Score       float64 `json:"score"`
	Recommended bool    `json:"recommended,omitempty"`
	Default     bool    `json:"default,omitempty"` // the default pool.Config

	meanChunks float64 // chunks per buffer
}

// histBar is one class of the size histogram.
type histBar struct {
	Max   int64   `json:"max"` // sizes in (Max/2, Max]
	Count int64   `json:"count"`
	Share float64 `json:"share"`
}

// report is everything bytesio tune prints.
type report struct {
	Source      string      `json:"source"`
	Buffers     int64       `json:"buffers"`  // in the input
	Replayed    int         `json:"replayed"` // per candidate
	Median      int64       `json:"median"`
	P95         int64       `json:"p95"`
	P99         int64       `json:"p99"`
	MaxSize     int64       `json:"max"`
	Histogram   []histBar   `json:"histogram"`
	Candidates  []candidate `json:"candidates"`
	Recommended pool.Config `json:"recommended"`
	Why         []string    `json:"why"`
	Code        string      `json:"code"`
}

// quantile returns the smallest size whose cumulative count reaches q of
// the total.
func (wl workload) quantile(q float64) int64 {
	want := int64(math.Ceil(q * float64(wl.Total)))
	var cum int64
	for _, s := range wl.Sizes {
		if cum += s.Count; cum >= want {
			return s.Size
		}
	}
	return wl.Sizes[len(wl.Sizes)-1].Size
}

// ceilPow2 returns the smallest power of two >= v, at least 1.
func ceilPow2(v int64) int64 {
	if v <= 1 {
		return 1
	}
	return 1 << bits.Len64(uint64(v-1))
}

// sample returns n sizes in the proportions of wl (largest remainder),
// shuffled with a fixed seed.
func (wl workload) sample(n int) []int64 {
	type share struct {
		i    int
		frac float64
	}
	out := make([]int64, 0, n)
	var shares []share
	for i, s := range wl.Sizes {
		exact := float64(s.Count) * float64(n) / float64(wl.Total)
		k := int(exact)
		for range k {
			out = append(out, s.Size)
		}
		shares = append(shares, share{i, exact - float64(k)})
	}
	slices.SortStableFunc(shares, func(a, b share) int { return cmp.Compare(b.frac, a.frac) })
	for j := 0; len(out) < n; j++ {
		out = append(out, wl.Sizes[shares[j%len(shares)].i].Size)
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// candidateConfigs returns the grid: first chunks around the median, max
// chunks around the 95th percentile, two retention caps, and the default.
func candidateConfigs(median, p95 int64) []pool.Config {
	clamp := func(v int64) int { return int(min(max(ceilPow2(v), pool.MinChunkLimit), pool.MaxChunkLimit)) }
	m, q := ceilPow2(median), ceilPow2(p95)
	firsts := []int{clamp(m / 4), clamp(m), clamp(m * 4), pool.DefaultFirstChunk}
	var out []pool.Config
	for _, f := range firsts {
		maxes := []int{clamp(max(64<<10, int64(f))), clamp(max(q, int64(f))), clamp(max(4*q, int64(f))), pool.DefaultMaxChunk}
		for _, mx := range maxes {
			if mx < f {
				continue
			}
			for _, r := range []int64{16 << 20, pool.DefaultMaxRetained} {
				out = append(out, pool.Config{FirstChunk: f, MaxChunk: mx, MaxRetained: r, NoCalibration: true})
			}
		}
	}
	slices.SortFunc(out, func(a, b pool.Config) int {
		return cmp.Or(cmp.Compare(a.FirstChunk, b.FirstChunk), cmp.Compare(a.MaxChunk, b.MaxChunk), cmp.Compare(a.MaxRetained, b.MaxRetained))
	})
	return slices.Compact(out)
}

func isDefault(c pool.Config) bool {
	return c.FirstChunk == pool.DefaultFirstChunk && c.MaxChunk == pool.DefaultMaxChunk && c.MaxRetained == pool.DefaultMaxRetained
}

// liveBudget bounds the bytes of the buffers the replay keeps open.
const liveBudget = 256 << 20

// replay runs seq through buffers of a pool set up by cfg and measures.
func replay(seq []int64, cfg pool.Config, o tuneOptions, piece []byte) (candidate, error) {
	p, err := pool.New(cfg)
	if err != nil {
		return candidate{}, err
	}
	if o.golden {
		runtime.GC()
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
	}
	chunks := make([]int, len(seq))
	var open []*buffer.Buffer
	var openBytes, stored, held int64
	start := time.Now()
	for i, size := range seq {
		b := buffer.NewWithPool(p)
		for rem := size; rem > 0; {
			k := min(rem, int64(len(piece)))
			if _, err := b.Write(piece[:k]); err != nil {
				return candidate{}, fmt.Errorf("replaying a %d-byte buffer: %v", size, err)
			}
			rem -= k
		}
		v := b.GetValue()
		for range v.Chunks() {
			chunks[i]++
		}
		v.Release()
		stored += size
		held += b.Cap()
		open = append(open, b)
		openBytes += size
		for len(open) > o.live || (openBytes > liveBudget && len(open) > 1) {
			openBytes -= open[0].Size()
			open[0].Close()
			open = open[1:]
		}
	}
	for _, b := range open {
		b.Close()
	}
	elapsed := time.Since(start)

	s := p.Stats()
	c := candidate{Config: p.Config()}
	c.Config.NoCalibration = false
	var gets int64
	one := 0
	for _, n := range chunks {
		gets += int64(n)
		if n <= 1 {
			one++
		}
	}
	if stored > 0 {
		c.MemPerStored = float64(held) / float64(stored)
		c.AllocPerStored = float64(s.BytesAllocated) / float64(stored)
	}
	if gets > 0 {
		c.HitRate = 1 - float64(s.Misses)/float64(gets)
	}
	c.meanChunks = float64(gets) / float64(len(seq))
	slices.Sort(chunks)
	c.ChunksP50 = chunks[(len(chunks)-1)/2]
	c.ChunksP99 = chunks[(len(chunks)-1)*99/100]
	c.OneChunk = float64(one) / float64(len(seq))
	if !o.golden {
		c.NsPerBuffer = float64(elapsed.Nanoseconds()) / float64(len(seq))
	}
	// Score: memory held and memory allocated per byte stored, plus a
	// small charge per chunk for the per-chunk work of reads and writes.
	c.Score = c.MemPerStored + c.AllocPerStored + 0.05*c.meanChunks
	c.Default = isDefault(c.Config)
	return c, nil
}

// buildReport replays the workload under every candidate.
func buildReport(wl workload, o tuneOptions) (*report, error) {
	if o.golden {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	}
	r := &report{
		Source:  wl.Source,
		Buffers: wl.Total,
		Median:  wl.quantile(0.5),
		P95:     wl.quantile(0.95),
		P99:     wl.quantile(0.99),
		MaxSize: wl.Sizes[len(wl.Sizes)-1].Size,
	}
	// Histogram by log2 class.
	for _, s := range wl.Sizes {
		m := ceilPow2(s.Size)
		if n := len(r.Histogram); n > 0 && r.Histogram[n-1].Max == m {
			r.Histogram[n-1].Count += s.Count
		} else {
			r.Histogram = append(r.Histogram, histBar{Max: m, Count: s.Count})
		}
	}
	for i := range r.Histogram {
		r.Histogram[i].Share = float64(r.Histogram[i].Count) / float64(wl.Total)
	}

	seq := wl.sample(o.buffers)
	r.Replayed = len(seq)
	piece := bytes.Repeat([]byte{0xA5}, o.piece)
	best := -1
	for _, cfg := range candidateConfigs(r.Median, r.P95) {
		c, err := replay(seq, cfg, o, piece)
		if err != nil {
			return nil, err
		}
		r.Candidates = append(r.Candidates, c)
		if i := len(r.Candidates) - 1; best < 0 || c.Score < r.Candidates[best].Score-1e-9 {
			best = i
		}
	}
	rec := &r.Candidates[best]
	rec.Recommended = true
	r.Recommended = rec.Config
	r.Why = explain(r, rec)
	r.Code = goCode(rec.Config)
	return r, nil
}

// explain says why rec won.
func explain(r *report, rec *candidate) []string {
	c := rec.Config
	why := []string{
		fmt.Sprintf("lowest score (%.3f = chunk bytes per byte stored %.3f + allocated bytes per byte stored %.3f + 0.05 x %.2f chunks per buffer)",
			rec.Score, rec.MemPerStored, rec.AllocPerStored, rec.meanChunks),
		fmt.Sprintf("FirstChunk %s: %.0f%% of buffers fit in one chunk (median size %s)", human(int64(c.FirstChunk)), 100*rec.OneChunk, human(r.Median)),
		fmt.Sprintf("MaxChunk %s: chunks double up to it (95th percentile %s, 99th %s); p99 buffer takes %d chunks", human(int64(c.MaxChunk)), human(r.P95), human(r.P99), rec.ChunksP99),
		fmt.Sprintf("MaxRetained %s: pool hit rate %.1f%%", human(c.MaxRetained), 100*rec.HitRate),
	}
	for _, d := range r.Candidates {
		if d.Default && !d.Recommended {
			why = append(why, fmt.Sprintf("the default configuration scores %.3f (chunk bytes per byte stored %.3f, hit rate %.1f%%)",
				d.Score, d.MemPerStored, 100*d.HitRate))
		}
	}
	return why
}

// goCode returns the Go code that applies c.
func goCode(c pool.Config) string {
	return fmt.Sprintf(`p, err := pool.New(pool.Config{
	FirstChunk:  %s,
	MaxChunk:    %s,
	MaxRetained: %s,
	// Calibration stays on and adapts from here; NoCalibration: true pins this layout.
})
if err != nil {
	return err
}
b := buffer.NewWithPool(p)`, sizeExpr(int64(c.FirstChunk)), sizeExpr(int64(c.MaxChunk)), sizeExpr(c.MaxRetained))
}

// sizeExpr writes a size as a Go shift expression when it is a whole
// number of KiB or MiB.
func sizeExpr(v int64) string {
	switch {
	case v >= 1<<20 && v%(1<<20) == 0:
		return fmt.Sprintf("%d << 20", v>>20)
	case v >= 1<<10 && v%(1<<10) == 0:
		return fmt.Sprintf("%d << 10", v>>10)
	}
	return strconv.FormatInt(v, 10)
}

// human formats a byte count.
func human(v int64) string {
	switch {
	case v < 1<<10:
		return fmt.Sprintf("%d B", v)
	case v < 1<<20:
		return trimUnit(float64(v)/(1<<10), "KiB")
	case v < 1<<30:
		return trimUnit(float64(v)/(1<<20), "MiB")
	}
	return trimUnit(float64(v)/(1<<30), "GiB")
}

func trimUnit(f float64, unit string) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0") + " " + unit
}

// table returns the candidate table as rows of cells, header first.
func (r *report) table() [][]string {
	rows := [][]string{{"", "first", "max", "retain", "mem/stored", "alloc/stored", "chunks p50", "p99", "1 chunk", "hit rate", "time/buffer", "score"}}
	for _, c := range r.Candidates {
		mark := ""
		switch {
		case c.Recommended:
			mark = "*"
		case c.Default:
			mark = "d"
		}
		t := "-"
		if c.NsPerBuffer > 0 {
			t = time.Duration(c.NsPerBuffer).Round(10 * time.Nanosecond).String()
		}
		rows = append(rows, []string{
			mark, human(int64(c.Config.FirstChunk)), human(int64(c.Config.MaxChunk)), human(c.Config.MaxRetained),
			fmt.Sprintf("%.3f", c.MemPerStored), fmt.Sprintf("%.3f", c.AllocPerStored),
			strconv.Itoa(c.ChunksP50), strconv.Itoa(c.ChunksP99),
			fmt.Sprintf("%.1f%%", 100*c.OneChunk), fmt.Sprintf("%.1f%%", 100*c.HitRate), t, fmt.Sprintf("%.3f", c.Score),
		})
	}
	return rows
}

// bars returns the histogram lines, bars scaled to width.
func (r *report) bars(width int) []string {
	var top int64
	for _, h := range r.Histogram {
		top = max(top, h.Count)
	}
	var out []string
	for _, h := range r.Histogram {
		n := int(math.Round(float64(width) * float64(h.Count) / float64(top)))
		if n == 0 && h.Count > 0 {
			n = 1
		}
		out = append(out, fmt.Sprintf("%10s  %-*s %5.1f%%  %d",
			"<= "+human(h.Max), width, strings.Repeat("#", n), 100*h.Share, h.Count))
	}
	return out
}

func (r *report) summary() string {
	return fmt.Sprintf("%d buffers; median %s, p95 %s, p99 %s, max %s", r.Buffers, human(r.Median), human(r.P95), human(r.P99), human(r.MaxSize))
}

func writeText(w io.Writer, r *report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "bytesio tune: %s\n%s\n\n", r.Source, r.summary())
	fmt.Fprintln(bw, "Buffer sizes (log2 classes):")
	for _, l := range r.bars(40) {
		fmt.Fprintln(bw, l)
	}
	fmt.Fprintf(bw, "\nCandidates, %d buffers replayed each (* recommended, d default):\n", r.Replayed)
	fmt.Fprintln(bw, "mem/stored = chunk bytes held per byte stored; alloc/stored = bytes the pool allocated per byte stored")
	rows := r.table()
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], len(cell))
		}
	}
	for _, row := range rows {
		var sb strings.Builder
		for i, cell := range row {
			if i > 0 {
				sb.WriteString("  ")
			}
			if i <= 3 && i > 0 {
				fmt.Fprintf(&sb, "%-*s", widths[i], cell)
			} else {
				fmt.Fprintf(&sb, "%*s", widths[i], cell)
			}
		}
		fmt.Fprintln(bw, strings.TrimRight(sb.String(), " "))
	}
	c := r.Recommended
	fmt.Fprintf(bw, "\nRecommended: FirstChunk %s, MaxChunk %s, MaxRetained %s\n", human(int64(c.FirstChunk)), human(int64(c.MaxChunk)), human(c.MaxRetained))
	for _, s := range r.Why {
		fmt.Fprintf(bw, "  - %s\n", s)
	}
	fmt.Fprintf(bw, "\nGo code:\n\n")
	for _, l := range strings.Split(r.Code, "\n") {
		fmt.Fprintf(bw, "\t%s\n", l)
	}
	return bw.Flush()
}

func writeMarkdown(w io.Writer, r *report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# bytesio tune\n\nSource: %s.\n%s.\n\n## Buffer sizes\n\n```\n", r.Source, r.summary())
	for _, l := range r.bars(40) {
		fmt.Fprintln(bw, l)
	}
	fmt.Fprintf(bw, "```\n\n## Candidates\n\n%d buffers replayed per candidate. **\\*** recommended, d default; "+
		"mem/stored = chunk bytes held per byte stored, alloc/stored = bytes the pool allocated per byte stored.\n\n", r.Replayed)
	rows := r.table()
	for i, row := range rows {
		fmt.Fprintf(bw, "| %s |\n", strings.Join(row, " | "))
		if i == 0 {
			fmt.Fprintf(bw, "|%s\n", strings.Repeat("---|", len(row)))
		}
	}
	c := r.Recommended
	fmt.Fprintf(bw, "\n## Recommendation\n\nFirstChunk %s, MaxChunk %s, MaxRetained %s:\n\n", human(int64(c.FirstChunk)), human(int64(c.MaxChunk)), human(c.MaxRetained))
	for _, s := range r.Why {
		fmt.Fprintf(bw, "- %s\n", s)
	}
	fmt.Fprintf(bw, "\n```go\n%s\n```\n", r.Code)
	return bw.Flush()
}

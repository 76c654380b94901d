package bench

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Implementation names used as the /impl= part of benchmark names.
const (
	// ImplBytesio is a buffer.Buffer as a hot path uses it: from buffer.Get,
	// given back with buffer.Put; in workloads over one long-lived buffer,
	// a buffer.Buffer from buffer.New.
	ImplBytesio = "bytesio"
	// ImplBytesioNew is a buffer.Buffer from buffer.New, given back with
	// Close: the way to use one without a pool of Buffers.
	ImplBytesioNew = "bytesio-new"
	// ImplBytesioNoPool is a buffer.Buffer bound to a chunk pool that keeps
	// nothing, so every chunk is freshly allocated.
	ImplBytesioNoPool = "bytesio-nopool"
	// ImplBuffer is a bytes.Buffer, a new one for each operation, grown
	// once with Grow when the operation knows its size.
	ImplBuffer = "bytes.Buffer"
	// ImplBufferPool is a *bytes.Buffer taken from a sync.Pool and put back
	// only when its capacity is at most PoolCap (golang/go#23199).
	ImplBufferPool = "bytes.Buffer+sync.Pool"
	// ImplBufferPoolNoCap is a *bytes.Buffer taken from a sync.Pool and
	// always put back, however large it grew: the pattern
	// golang/go#23199 warns about.
	ImplBufferPoolNoCap = "bytes.Buffer+sync.Pool-nocap"
	// ImplReader is a bytes.Reader over a contiguous slice.
	ImplReader = "bytes.Reader"
	// ImplByteBufferPool is github.com/valyala/bytebufferpool, warmed into
	// its calibrated state before timing.
	ImplByteBufferPool = "bytebufferpool"
	// ImplAfero is github.com/spf13/afero/mem.File, a seekable in-memory
	// file.
	ImplAfero = "afero.mem"
	// ImplCopy is copy into (or out of) memory that is already allocated and
	// written: the physical ceiling for the same bytes moved. It is no
	// competitor: summaries never pick it as the best peer.
	ImplCopy = "copy"
	// ImplClone is bytes.Clone: a fresh copy of the content, as Python's
	// getvalue makes.
	ImplClone = "bytes.Clone"
	// ImplClonePool is a copy of the content into memory from a sync.Pool,
	// given back where bytesio releases its view: the snapshot of a user
	// who knows when it ends.
	ImplClonePool = "copy+sync.Pool"
)

// PoolCap is the largest capacity of a bytes.Buffer that the sync.Pool
// peers put back, as fmt and net/http do with their pooled buffers
// (golang/go#23199): larger ones are left to the garbage collector.
const PoolCap = 64 << 10

// A Workload is one benchmark function of the suite, BenchmarkName, with a
// leaf per implementation and size.
type Workload struct {
	// Name is the benchmark name without the "Benchmark" prefix.
	Name string
	// Doc says in one sentence what one operation does.
	Doc string
	// Impls lists the implementations in column order.
	Impls []string
	// Sizes lists the size labels in row order (see ParseSize).
	Sizes []string
	// Baseline is the column the benchstat-style tables compare with.
	Baseline string
	// Metric is the unit the summary and verdicts compare; "" means
	// "sec/op".
	Metric string
	// Parallel marks workloads that run with b.RunParallel.
	Parallel bool
	// Long marks workloads whose sizes of LongSize and more run with a
	// shorter benchtime (see LeafBenchTime).
	Long bool
}

// Subject is the implementation the summary speaks for: ImplBytesio.
const Subject = ImplBytesio

// IsOurs reports whether impl is one of this module's implementations.
func IsOurs(impl string) bool {
	return impl == ImplBytesio || strings.HasPrefix(impl, ImplBytesio+"-")
}

// IsPeer reports whether impl competes with bytesio: neither one of ours
// nor the copy ceiling.
func IsPeer(impl string) bool { return !IsOurs(impl) && impl != ImplCopy }

// MetricUnit returns the unit the summary of w compares.
func (w Workload) MetricUnit() string {
	if w.Metric == "" {
		return "sec/op"
	}
	return w.Metric
}

// chartSizes are the sizes of the workloads drawn on charts: eleven,
// log-spaced by 4 from 64 B to 64 MiB.
var chartSizes = []string{"64B", "256B", "1KiB", "4KiB", "16KiB", "64KiB", "256KiB", "1MiB", "4MiB", "16MiB", "64MiB"}

// Workloads is the benchmark table: the leaves in workloads*.go define
// exactly these, and the runner plans its invocations from it.
var Workloads = []Workload{
	{
		Name: "Encode",
		Doc: "take a buffer, json.NewEncoder(buf).Encode a 200-byte struct through the io.Writer interface, " +
			"send the content to a sink that copies it, an io.Writer whose type the compiler cannot see (bytesio: Seek(0) and WriteTo), " +
			"give the buffer back",
		Impls:    []string{ImplBytesio, ImplBytesioNew, ImplBufferPool, ImplByteBufferPool},
		Sizes:    []string{encodeSize},
		Baseline: ImplBufferPool,
	},
	{
		Name: "Fprintf",
		Doc: "take a buffer, fmt.Fprintf a 100-byte line through the io.Writer interface, " +
			"send the content to a sink that copies it, give the buffer back",
		Impls:    []string{ImplBytesio, ImplBytesioNew, ImplBufferPool, ImplByteBufferPool},
		Sizes:    []string{fprintfSize},
		Baseline: ImplBufferPool,
	},
	{
		Name: "AppendInt",
		Doc: "take a buffer, append 64 integers with strconv.AppendInt into AvailableBuffer and Write each " +
			"(bytebufferpool, which has no AvailableBuffer, appends to B and calls no Write), " +
			"send the content to a sink that copies it, give the buffer back",
		Impls:    []string{ImplBytesio, ImplBytesioNew, ImplBufferPool, ImplByteBufferPool},
		Sizes:    []string{appendIntSize},
		Baseline: ImplBufferPool,
	},
	{
		Name:     "SmallCycle",
		Doc:      "take a buffer, write the size in 64-byte writes, read it back with Read until io.EOF (a copy for bytebufferpool, which has no Read), give the buffer back",
		Impls:    []string{ImplBytesio, ImplBytesioNew, ImplBuffer, ImplBufferPool, ImplByteBufferPool},
		Sizes:    []string{"1KiB", "8KiB"},
		Baseline: ImplBufferPool,
	},
	{
		Name: "ViewCycle",
		Doc: "take a buffer, write the size in 1 KiB writes, take the whole content (GetValue; Bytes() or B for the peers), " +
			"write it to a sink that copies it, give the buffer back, release the view",
		Impls:    []string{ImplBytesio, ImplBytesioNew, ImplBufferPool, ImplByteBufferPool},
		Sizes:    []string{"1KiB", "16KiB"},
		Baseline: ImplBufferPool,
	},
	{
		Name: "Append",
		Doc: "take a buffer, give it the whole size in appends of 16 B to 4 KiB, give it back " +
			"(the bytes.Buffer peers Grow to the size first)",
		Impls:    []string{ImplBytesio, ImplBuffer, ImplBufferPool, ImplBufferPoolNoCap, ImplByteBufferPool, ImplCopy},
		Sizes:    chartSizes,
		Baseline: ImplBufferPool,
		Long:     true,
	},
	{
		Name:     "Read",
		Doc:      "rewind, then read the whole content, written in one Write, in sequential reads of up to 4 KiB",
		Impls:    []string{ImplBytesio, ImplReader, ImplBuffer, ImplAfero, ImplCopy},
		Sizes:    chartSizes,
		Baseline: ImplReader,
		Long:     true,
	},
	{
		Name:     "ReadSmall",
		Doc:      "rewind, then read the whole content, written in 64-byte writes, in sequential 64-byte reads",
		Impls:    []string{ImplBytesio, ImplReader, ImplCopy},
		Sizes:    []string{"4KiB", "64KiB", "1MiB"},
		Baseline: ImplReader,
	},
	{
		Name:     "ReadAt",
		Doc:      "one 4 KiB ReadAt at a random offset (fixed seed) of the content",
		Impls:    []string{ImplBytesio, ImplReader, ImplAfero, ImplCopy},
		Sizes:    []string{"64KiB", "1MiB", "64MiB"},
		Baseline: ImplReader,
	},
	{
		Name:     "Overwrite",
		Doc:      "Seek to a random offset (fixed seed) inside the content and Write 4 KiB over it",
		Impls:    []string{ImplBytesio, ImplAfero, ImplCopy},
		Sizes:    []string{"1MiB", "64MiB"},
		Baseline: ImplAfero,
	},
	{
		Name: "SeekPastEnd",
		Doc: "new empty file, Seek size bytes past the end, Write 4 KiB, close (the gap reads as zeros; " +
			"copy clears size bytes of allocated memory); no B/s, as the gap moves no bytes",
		Impls:    []string{ImplBytesio, ImplAfero, ImplCopy},
		Sizes:    []string{"4KiB", "1MiB", "64MiB"},
		Baseline: ImplAfero,
	},
	{
		Name: "GetValue",
		Doc: "take a snapshot of the whole content that later writes cannot change: a View (then Release), " +
			"bytes.Clone, or a copy into memory from a sync.Pool (then put back); copy fills preallocated memory; " +
			"no B/s, as a view moves no bytes",
		Impls:    []string{ImplBytesio, ImplClone, ImplClonePool, ImplCopy},
		Sizes:    []string{"64B", "4KiB", "1MiB", "64MiB"},
		Baseline: ImplClone,
	},
	{
		Name: "SnapshotWrite",
		Doc: "take a snapshot of the whole content (GetValue; bytes.Clone of Bytes(), or a copy of it into memory " +
			"from a sync.Pool), then write 64 B at a random offset (WriteAt; a copy into Bytes()): the first write " +
			"after the snapshot; release the view (put the copy back)",
		Impls:    []string{ImplBytesio, ImplBuffer, ImplClonePool},
		Sizes:    []string{"4KiB", "1MiB", "64MiB"},
		Baseline: ImplBuffer,
	},
	{
		Name:  "ReadFrom",
		Doc:   "take a buffer, ReadFrom an io.Reader of the whole size that has no WriteTo, give the buffer back",
		Impls: []string{ImplBytesio, ImplBuffer, ImplBufferPool, ImplBufferPoolNoCap, ImplByteBufferPool, ImplCopy},
		// Three quarters of a power of two: a body of exactly a power of two
		// is the peers' worst case (bytes.Buffer keeps 512 bytes free past
		// the content, and bytebufferpool doubles a full buffer before it
		// sees the end), and bytesio's best.
		Sizes:    []string{"3KiB", "12KiB", "48KiB", "768KiB", "48MiB"},
		Baseline: ImplBufferPool,
	},
	{
		Name: "WriteTo",
		Doc: "rewind (a new bytes.Buffer over the content), then WriteTo a sink that copies every byte " +
			"into a reused buffer",
		Impls:    []string{ImplBytesio, ImplBuffer, ImplReader},
		Sizes:    []string{"4KiB", "1MiB", "64MiB"},
		Baseline: ImplReader,
	},
	{
		Name: "WriteToTCP",
		Doc: "rewind (a new bytes.Buffer over the content), then WriteTo a loopback TCP connection " +
			"whose other end reads everything (bytesio writes its chunks with writev)",
		Impls:    []string{ImplBytesio, ImplBuffer, ImplReader},
		Sizes:    []string{"64KiB", "1MiB", "16MiB"},
		Baseline: ImplReader,
	},
	{
		Name: "PeakHeap",
		Doc: "a buffer emptied of pooled memory by two GCs gets 64 MiB in 4 KiB writes (size unknown: no Grow); " +
			"peak-B is the largest heap growth seen, sampled every 1 MiB",
		Impls:    []string{ImplBytesio, ImplBytesioNoPool, ImplBuffer},
		Sizes:    []string{"64MiB"},
		Baseline: ImplBuffer,
		Metric:   "peak-B",
	},
	{
		Name: "Bimodal",
		Doc: "parallel goroutines fill, drain and give back buffers of 1 KiB, one in 64 of 4 MiB; " +
			"retained-B is the heap left above the pre-burst baseline after a calm of small work and GCs " +
			"(a value below 32 KiB, the resolution of the measurement, is known only to be at most that: see Targets)",
		Impls:    []string{ImplBytesio, ImplBytesioNoPool, ImplBuffer, ImplBufferPool, ImplBufferPoolNoCap, ImplByteBufferPool},
		Sizes:    []string{BimodalSize},
		Baseline: ImplBufferPoolNoCap,
		Metric:   "retained-B",
		Parallel: true,
	},
}

// BimodalSize is the size label of the Bimodal workload, whose operations
// are 1 KiB, one in 64 of them 4 MiB.
const BimodalSize = "bimodal"

// LongSize is the smallest size at which a Long workload's leaves run with
// a quarter of the benchtime: a few operations of 4 MiB or more already
// take long, and the eleven sizes of the charts would otherwise dominate
// the run.
const LongSize = 4 << 20

// WorkloadNamed returns the workload named name from Workloads.
func WorkloadNamed(name string) (Workload, bool) {
	for _, w := range Workloads {
		if w.Name == name {
			return w, true
		}
	}
	return Workload{}, false
}

// LeafName returns the name of one leaf without the "Benchmark" prefix, e.g.
// "Append/impl=bytesio/size=4KiB". It is what -bench patterns are matched
// against.
func LeafName(workload, impl, size string) string {
	return workload + "/impl=" + impl + "/size=" + size
}

// Leaves returns the names (see LeafName) of the workload's leaves that re
// matches, in run order. A nil re matches every leaf.
func (w Workload) Leaves(re *regexp.Regexp) []string {
	var out []string
	for _, impl := range w.Impls {
		for _, size := range w.Sizes {
			n := LeafName(w.Name, impl, size)
			if re == nil || re.MatchString(n) {
				out = append(out, n)
			}
		}
	}
	return out
}

var sizeUnits = []struct {
	suffix string
	mult   int64
}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}

// ParseSize parses a size label such as "64B", "4KiB" or "64MiB" into bytes.
// A label whose byte count is negative or does not fit an int64 is an
// error.
func ParseSize(s string) (int64, error) {
	for _, u := range sizeUnits {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseInt(num, 10, 64)
			if err != nil || n < 0 || n > math.MaxInt64/u.mult {
				break
			}
			return n * u.mult, nil
		}
	}
	return 0, fmt.Errorf("bench: bad size %q", s)
}

// FormatSize returns the size label of n bytes: the largest binary unit
// that divides n, e.g. 4096 gives "4KiB".
func FormatSize(n int64) string {
	for _, u := range sizeUnits {
		if n >= u.mult && n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}

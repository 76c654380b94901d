package bench

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Implementation names used as the /impl= part of benchmark names.
const (
	// ImplBytesio is a buffer.Buffer from buffer.New, on the default pool.
	ImplBytesio = "bytesio"
	// ImplBytesioNoPool is a buffer.Buffer bound to a pool that keeps no
	// chunks, so every chunk is freshly allocated.
	ImplBytesioNoPool = "bytesio-nopool"
	// ImplBuffer is a bytes.Buffer, a new one for each operation.
	ImplBuffer = "bytes.Buffer"
	// ImplBufferPool is a *bytes.Buffer taken from and put back into a
	// sync.Pool.
	ImplBufferPool = "bytes.Buffer+sync.Pool"
	// ImplReader is a bytes.Reader over a contiguous slice.
	ImplReader = "bytes.Reader"
	// ImplByteBufferPool is github.com/valyala/bytebufferpool.
	ImplByteBufferPool = "bytebufferpool"
	// ImplAfero is github.com/spf13/afero/mem.File, a seekable in-memory
	// file.
	ImplAfero = "afero.mem"
	// ImplCopy is copy into (or out of) memory that is already allocated and
	// written: the physical ceiling for the same bytes moved.
	ImplCopy = "copy"
	// ImplClone is bytes.Clone: a fresh copy of the content, as Python's
	// getvalue makes.
	ImplClone = "bytes.Clone"
)

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
	// Baseline is the implementation the others are compared with.
	Baseline string
	// Parallel marks workloads that run with b.RunParallel.
	Parallel bool
}

// Workloads is the benchmark table: the _test.go files define exactly these
// leaves, and the runner plans its invocations from it.
var Workloads = []Workload{
	{
		Name:     "Append",
		Doc:      "a new buffer gets the whole size in appends of 16 B to 4 KiB, then is closed or put back",
		Impls:    []string{ImplBytesio, ImplBytesioNoPool, ImplBuffer, ImplBufferPool, ImplByteBufferPool, ImplCopy},
		Sizes:    []string{"64B", "4KiB", "64KiB", "1MiB", "64MiB"},
		Baseline: ImplBuffer,
	},
	{
		Name:     "SmallCycle",
		Doc:      "new buffer, 1 KiB written in 64-byte writes, read back, closed or put back",
		Impls:    []string{ImplBytesio, ImplBytesioNoPool, ImplBuffer, ImplBufferPool, ImplByteBufferPool},
		Sizes:    []string{"1KiB"},
		Baseline: ImplBufferPool,
	},
	{
		Name:     "Read",
		Doc:      "rewind, then read the whole content in sequential 4 KiB reads",
		Impls:    []string{ImplBytesio, ImplReader, ImplBuffer, ImplAfero, ImplCopy},
		Sizes:    []string{"64B", "4KiB", "64KiB", "1MiB", "64MiB"},
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
		Baseline: ImplCopy,
	},
	{
		Name:     "SeekPastEnd",
		Doc:      "new empty file, Seek size bytes past the end, Write 4 KiB (the gap reads as zeros), close",
		Impls:    []string{ImplBytesio, ImplAfero, ImplCopy},
		Sizes:    []string{"4KiB", "1MiB", "64MiB"},
		Baseline: ImplCopy,
	},
	{
		Name:     "GetValue",
		Doc:      "take the whole content: a view (bytesio, then Release), Bytes() (bytes.Buffer, aliased), or a copy",
		Impls:    []string{ImplBytesio, ImplBuffer, ImplClone, ImplCopy},
		Sizes:    []string{"4KiB", "1MiB", "64MiB"},
		Baseline: ImplBuffer,
	},
	{
		Name:     "ReadFrom",
		Doc:      "a new buffer reads the whole size from an io.Reader (no WriterTo), then is closed or put back",
		Impls:    []string{ImplBytesio, ImplBytesioNoPool, ImplBuffer, ImplBufferPool, ImplByteBufferPool, ImplCopy},
		Sizes:    []string{"64KiB", "1MiB", "64MiB"},
		Baseline: ImplBuffer,
	},
	{
		Name:     "WriteTo",
		Doc:      "rewind, then WriteTo(io.Discard) of the whole content",
		Impls:    []string{ImplBytesio, ImplBuffer, ImplReader},
		Sizes:    []string{"4KiB", "1MiB", "64MiB"},
		Baseline: ImplBuffer,
	},
	{
		Name:     "ViewCycle",
		Doc:      "new buffer, 16 KiB written in 1 KiB writes, whole content taken (GetValue / Bytes), written to io.Discard, closed or put back, view released",
		Impls:    []string{ImplBytesio, ImplBuffer, ImplBufferPool, ImplByteBufferPool},
		Sizes:    []string{"16KiB"},
		Baseline: ImplBufferPool,
	},
	{
		Name:     "PeakHeap",
		Doc:      "a buffer emptied of pooled memory by two GCs gets 64 MiB in 4 KiB writes; peak-B is the largest heap growth seen, sampled every 1 MiB",
		Impls:    []string{ImplBytesio, ImplBytesioNoPool, ImplBuffer},
		Sizes:    []string{"64MiB"},
		Baseline: ImplBuffer,
	},
	{
		Name:     "Bimodal",
		Doc:      "parallel goroutines fill, drain and give back buffers of 1 KiB, one in 64 of 4 MiB; retained-B is the heap left above the pre-burst baseline after one GC",
		Impls:    []string{ImplBytesio, ImplBytesioNoPool, ImplBuffer, ImplBufferPool, ImplByteBufferPool},
		Sizes:    []string{BimodalSize},
		Baseline: ImplBufferPool,
		Parallel: true,
	},
}

// BimodalSize is the size label of the Bimodal workload, whose operations
// are 1 KiB, one in 64 of them 4 MiB.
const BimodalSize = "bimodal"

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
func ParseSize(s string) (int64, error) {
	for _, u := range sizeUnits {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseInt(num, 10, 64)
			if err != nil || n < 0 {
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

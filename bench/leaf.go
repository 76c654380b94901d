package bench

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"

	"github.com/bytesio-go/bytesio/pool"
)

// A leaf runs one implementation of a workload at a size of n bytes (0 for
// a size label that is not a number of bytes). It calls b.SetBytes itself
// where B/s means something; the caller has called b.ReportAllocs.
//
// Every leaf loops with
//
//	for warm := true; warm || b.Loop(); warm = false { op }
//
// so one untimed operation runs before b.Loop starts the timer (its first
// call resets it): pools are warm even when the benchtime allows a single
// 64 MiB operation, and every implementation gets the same warm-up.
//
// Leaves report failures with fatal, never b.Fatal, so that the child
// process can show the message (testing.Benchmark discards a benchmark's
// log).
//
// A function that returns leaves is marked //go:noinline. Called in a
// package-level register, it would otherwise be inlined into the package's
// init, which is too large for the compiler to inline into: the closures
// it makes would then call Write, Get and Put instead of inlining them, as
// no user's code does (ViewCycle's bytesio leaf ran 5608 instructions per
// operation so, 5150 with them inlined, by cachegrind).
type leaf func(b *testing.B, n int64)

// suite maps workload name, then implementation, to its leaf. TestSuite
// checks that it covers Workloads exactly.
var suite = map[string]map[string]leaf{}

// register adds the leaves of a workload to suite.
func register(workload string, impls map[string]leaf) bool {
	suite[workload] = impls
	return true
}

// leafErr holds the message of the latest failing leaf.
var leafErr struct {
	sync.Mutex
	msg string
}

// fatal records the failure of a leaf and stops it: the message goes to
// the benchmark's log (shown by go test) and to leafErr (shown by the
// child process).
func fatal(b *testing.B, args ...any) {
	msg := fmt.Sprint(args...)
	leafErr.Lock()
	leafErr.msg = msg
	leafErr.Unlock()
	b.Helper()
	b.Fatal(msg)
}

// takeLeafErr returns and clears the recorded failure.
func takeLeafErr() string {
	leafErr.Lock()
	defer leafErr.Unlock()
	m := leafErr.msg
	leafErr.msg = ""
	return m
}

// leafFunc returns the benchmark function of one leaf, ready for b.Run or
// testing.Benchmark.
func leafFunc(workload, impl, size string) (func(b *testing.B), error) {
	fn := suite[workload][impl]
	if fn == nil {
		return nil, fmt.Errorf("bench: no leaf %s", LeafName(workload, impl, size))
	}
	n, err := ParseSize(size)
	if err != nil {
		n = 0 // a label such as BimodalSize: the leaf knows its sizes
	}
	return func(b *testing.B) {
		b.ReportAllocs()
		fn(b, n)
		// The leaves store results here so the compiler keeps their work.
		runtime.KeepAlive(sink)
		runtime.KeepAlive(scratchKeep)
	}, nil
}

// runWorkload runs every leaf of the named workload as sub-benchmarks
// impl=IMPL/size=SIZE of b, skipping those re rejects (nil runs all). The
// thin Benchmark functions of the package's tests call it, so go test
// -bench runs the same leaves as the child processes of [Run].
func runWorkload(b *testing.B, name string, re *regexp.Regexp) {
	w, ok := WorkloadNamed(name)
	if !ok {
		b.Fatalf("workload %s is not in Workloads", name)
	}
	for _, impl := range w.Impls {
		for _, size := range w.Sizes {
			if re != nil && !re.MatchString(LeafName(name, impl, size)) {
				continue
			}
			fn, err := leafFunc(name, impl, size)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("impl="+impl+"/size="+size, fn)
		}
	}
}

// source holds the shared source bytes of the workloads.
var source struct {
	sync.Mutex
	p []byte
}

// data returns the shared source bytes, at least n of them: a non-zero
// pattern (never fresh zero pages, which would make reads look impossibly
// fast). It grows on demand, so a process that runs only small leaves
// does not fill 64 MiB; slices it returned earlier stay valid.
func data(n int64) []byte {
	source.Lock()
	defer source.Unlock()
	if int64(len(source.p)) < n {
		p := make([]byte, max(n, 2*int64(len(source.p)), 64<<10))
		fillPattern(p, 0)
		source.p = p
	}
	return source.p
}

// fillPattern writes a non-zero byte pattern into p: p[i] is
// byte((i+seed)%251) + 1. The pattern repeats every 251 bytes, so after the
// first period it is copied, doubling, at memory speed: filling the 64 MiB
// of a large leaf byte by byte took 60 ms of every child process's setup.
func fillPattern(p []byte, seed int) {
	k := min(len(p), patternPeriod)
	for i := range k {
		p[i] = byte((i+seed)%patternPeriod) + 1
	}
	for k < len(p) { // k is a multiple of the period until the last copy
		k += copy(p[k:], p[:k])
	}
}

// patternPeriod is the period of fillPattern's bytes, a prime, so that no
// power-of-two stride sees the same byte twice in a row.
const patternPeriod = 251

// prealloc returns n bytes of memory that are allocated and written
// already: the destination of the copy ceiling.
func prealloc(n int64) []byte {
	p := make([]byte, n)
	fillPattern(p, 7)
	return p
}

// scratch returns n bytes of heap memory to read into. Every
// implementation reads into memory from here: a destination the compiler
// kept on the stack would be aligned differently, and memmove speed depends
// on the relative alignment of source and destination (a stack buffer made
// random unaligned 4 KiB copies about 3.5x faster than a heap one here).
func scratch(n int64) []byte {
	p := make([]byte, n)
	scratchKeep = p // escape to the heap
	return p
}

var scratchKeep []byte

// noPool keeps no chunks: every Get allocates.
var noPool = sync.OnceValue(func() *pool.Pool {
	p, err := pool.New(pool.Config{MaxRetained: -1})
	if err != nil {
		panic(err)
	}
	return p
})

// offsets returns count offsets in [0, n-span] from a fixed seed, the same
// for every implementation.
func offsets(n, span int64, count int) []int64 {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	offs := make([]int64, count)
	for i := range offs {
		offs[i] = r.Int64N(max(n-span, 0) + 1)
	}
	return offs
}

// pieces splits data(n)[:n] into consecutive appends of 16 B to 4 KiB,
// their sizes drawn log-uniformly from a fixed seed.
func pieces(n int64) [][]byte {
	r := rand.New(rand.NewPCG(2, 3))
	src := data(n)[:n]
	var out [][]byte
	for len(src) > 0 {
		k := min(16<<r.IntN(9), len(src)) // 16 B << 0..8 = 16 B .. 4 KiB
		k = min(k+r.IntN(k), 4096, len(src))
		out = append(out, src[:k])
		src = src[k:]
	}
	return out
}

// heapSample reads the bytes of heap objects, live or not yet swept.
type heapSample [1]metrics.Sample

func newHeapSample() *heapSample {
	var s heapSample
	s[0].Name = "/memory/classes/heap/objects:bytes"
	return &s
}

// read returns the current value; it does not allocate.
func (s *heapSample) read() int64 {
	metrics.Read(s[:])
	return int64(s[0].Value.Uint64())
}

// sink keeps results alive.
var sink int

// escaped holds the last value escape was given.
var escaped []any

// escape makes v escape to the heap, as a value a hot path passes on
// through an interface does: a leaf whose buffer the compiler could keep on
// the stack would measure less than such code pays.
//
//go:noinline
func escape(v any) { escaped = append(escaped[:0], v) }

package bench

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"runtime/metrics"
	"sync"
	"testing"

	"github.com/bytesio-go/bytesio/pool"
)

var matchFlag = flag.String(MatchFlag, "", "run only the leaves whose name (Workload/impl=I/size=S) matches this `regexp`")

// TestMain prints the metadata of the custom units before benchmarks run,
// so that benchstat and the runner know lower is better.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		fmt.Println("Unit peak-B better=lower")
		fmt.Println("Unit retained-B better=lower")
	}
	os.Exit(m.Run())
}

// A leaf runs one implementation of a workload at a size of n bytes. It
// calls b.SetBytes itself; the caller has called b.ReportAllocs.
//
// Every leaf loops with
//
//	for warm := true; warm || b.Loop(); warm = false { op }
//
// so one untimed operation runs before b.Loop starts the timer (its first
// call resets it): pools are warm even when the benchtime allows a single
// 64 MiB operation, and every implementation gets the same warm-up.
type leaf func(b *testing.B, n int64)

// suite maps workload name, then implementation, to its leaf. TestSuite
// checks that it covers Workloads exactly.
var suite = map[string]map[string]leaf{}

// register adds the leaves of a workload to suite.
func register(workload string, impls map[string]leaf) bool {
	suite[workload] = impls
	return true
}

// runWorkload runs every leaf of the named workload as
// impl=IMPL/size=SIZE, skipping those -bytesio.match rejects.
func runWorkload(b *testing.B, name string) {
	w, ok := WorkloadNamed(name)
	if !ok {
		b.Fatalf("workload %s is not in Workloads", name)
	}
	var re *regexp.Regexp
	if *matchFlag != "" {
		var err error
		if re, err = regexp.Compile(*matchFlag); err != nil {
			b.Fatalf("-%s: %v", MatchFlag, err)
		}
	}
	for _, impl := range w.Impls {
		fn := suite[name][impl]
		if fn == nil {
			b.Fatalf("%s has no leaf for %s", name, impl)
		}
		for _, size := range w.Sizes {
			if re != nil && !re.MatchString(LeafName(name, impl, size)) {
				continue
			}
			n, err := ParseSize(size)
			if err != nil {
				n = 0 // a label such as BimodalSize: the leaf knows its sizes
			}
			b.Run("impl="+impl+"/size="+size, func(b *testing.B) {
				b.ReportAllocs()
				fn(b, n)
			})
		}
	}
}

// maxData is the largest content any workload uses.
const maxData = 64 << 20

// data returns the shared source bytes: a non-zero pattern (never fresh
// zero pages, which would make reads look impossibly fast).
var data = sync.OnceValue(func() []byte {
	d := make([]byte, maxData+8<<10)
	fillPattern(d, 0)
	return d
})

// fillPattern writes a non-zero byte pattern into p.
func fillPattern(p []byte, seed int) {
	for i := range p {
		p[i] = byte((i+seed)%251) + 1
	}
}

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

// pieces splits data()[:n] into consecutive appends of 16 B to 4 KiB,
// their sizes drawn log-uniformly from a fixed seed.
func pieces(n int64) [][]byte {
	r := rand.New(rand.NewPCG(2, 3))
	src := data()[:n]
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

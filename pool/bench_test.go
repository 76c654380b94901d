package pool_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/bytesio-go/bytesio/pool"
)

// chunkSize is the chunk size of the Get+Put benchmarks.
const chunkSize = 4 << 10

// BenchmarkGetPut compares one Get+Release cycle of a pool chunk with
// Get+Put of a bare sync.Pool of *[chunkSize]byte, serial and under
// b.RunParallel (run with -cpu 1,2).
func BenchmarkGetPut(b *testing.B) {
	b.Run("impl=pool", func(b *testing.B) {
		p := newPool(b, pool.Config{})
		b.ReportAllocs()
		for b.Loop() {
			p.Get(chunkSize).Release()
		}
	})
	b.Run("impl=sync.Pool", func(b *testing.B) {
		sp := &sync.Pool{New: func() any { return new([chunkSize]byte) }}
		b.ReportAllocs()
		for b.Loop() {
			sp.Put(sp.Get().(*[chunkSize]byte))
		}
	})
	b.Run("impl=pool/parallel", func(b *testing.B) {
		p := newPool(b, pool.Config{})
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				p.Get(chunkSize).Release()
			}
		})
	})
	b.Run("impl=sync.Pool/parallel", func(b *testing.B) {
		sp := &sync.Pool{New: func() any { return new([chunkSize]byte) }}
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				sp.Put(sp.Get().(*[chunkSize]byte))
			}
		})
	})
}

// BenchmarkCycle runs the pool side of a small buffer's life, as package
// buffer does it: Layout at the first write, Get of the first chunk, the
// content written, Chunk.Observe of the size at Close, Release. The peer
// gets a []byte of the same size from a bare sync.Pool and writes the same
// content. Calibration is on, so its per-cycle cost is in the figures.
func BenchmarkCycle(b *testing.B) {
	for _, size := range []int{64, 1 << 10, 16 << 10} {
		data := make([]byte, size)
		poolCycle := func(p *pool.Pool) {
			first, _ := p.Layout()
			c := p.Get(max(first, size))
			copy(c.Bytes(), data)
			c.Observe(int64(size))
			c.Release()
		}
		syncCycle := func(sp *sync.Pool) {
			s := sp.Get().(*[]byte)
			copy(*s, data)
			sp.Put(s)
		}
		newSync := func() *sync.Pool {
			return &sync.Pool{New: func() any { s := make([]byte, size); return &s }}
		}
		b.Run(fmt.Sprintf("impl=pool/size=%d", size), func(b *testing.B) {
			p := newPool(b, pool.Config{})
			b.ReportAllocs()
			for b.Loop() {
				poolCycle(p)
			}
		})
		b.Run(fmt.Sprintf("impl=sync.Pool/size=%d", size), func(b *testing.B) {
			sp := newSync()
			b.ReportAllocs()
			for b.Loop() {
				syncCycle(sp)
			}
		})
		b.Run(fmt.Sprintf("impl=pool/parallel/size=%d", size), func(b *testing.B) {
			p := newPool(b, pool.Config{})
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					poolCycle(p)
				}
			})
		})
		b.Run(fmt.Sprintf("impl=sync.Pool/parallel/size=%d", size), func(b *testing.B) {
			sp := newSync()
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					syncCycle(sp)
				}
			})
		})
	}
}

// BenchmarkLayout measures Layout alone, and under RunParallel with one
// Pool.Observe per 16 Layouts (goroutines that observe sizes while others
// start buffers).
func BenchmarkLayout(b *testing.B) {
	b.Run("serial", func(b *testing.B) {
		p := newPool(b, pool.Config{})
		n := 0
		for b.Loop() {
			f, m := p.Layout()
			n += f + m
		}
		sink = n
	})
	b.Run("parallel+observe", func(b *testing.B) {
		p := newPool(b, pool.Config{})
		b.RunParallel(func(pb *testing.PB) {
			n := 0
			for i := 0; pb.Next(); i++ {
				f, m := p.Layout()
				n += f + m
				if i%16 == 0 {
					p.Observe(int64(f))
				}
			}
			sink = n
		})
	})
}

// sink keeps benchmark results alive.
var sink int

// BenchmarkObserve measures the calibration input path: Pool.Observe,
// Chunk.Observe on a held chunk (a buffer reset again and again), and
// Pool.ObserveN of a buffer's batch.
func BenchmarkObserve(b *testing.B) {
	b.Run("chunk", func(b *testing.B) {
		p := newPool(b, pool.Config{})
		c := p.Get(1000)
		defer c.Release()
		for b.Loop() {
			c.Observe(700)
		}
	})
	b.Run("serial", func(b *testing.B) {
		p := newPool(b, pool.Config{})
		var n int64
		for b.Loop() {
			n++
			p.Observe(n & 0xffff)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		p := newPool(b, pool.Config{})
		b.RunParallel(func(pb *testing.PB) {
			var n int64
			for pb.Next() {
				n++
				p.Observe(n & 0xffff)
			}
		})
	})
	// batch is what a buffer pays once per 64 Puts: ObserveN of 64 sizes
	// of one class, decays and layout updates included.
	b.Run("batch", func(b *testing.B) {
		p := newPool(b, pool.Config{})
		for b.Loop() {
			p.ObserveN(700, 64)
		}
	})
}

// BenchmarkStats measures taking a snapshot.
func BenchmarkStats(b *testing.B) {
	p := newPool(b, pool.Config{})
	for i := range 1000 {
		p.Observe(int64(i))
		p.Get(i).Release()
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Stats()
	}
}

func newPool(tb testing.TB, c pool.Config) *pool.Pool {
	tb.Helper()
	p, err := pool.New(c)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

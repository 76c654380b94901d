package buffer_test

// Benchmarks of the buffer against the standard library's types, named
// BenchmarkX/impl=NAME/size=SIZE for benchstat:
//
//	go test -run '^$' -bench . -count 10 ./buffer > run.txt
//	go tool benchstat -col /impl -row /size -table .name run.txt
//
// The module's bench package holds the full comparison with third-party
// peers; these cover the buffer's own targets with standard peers only.

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

var sizes = []int{4 << 10, 1 << 20, 64 << 20}

func sizeName(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%dMiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return fmt.Sprintf("%dB", n)
}

// run runs f as the leaf impl=impl/size=n with n bytes per op.
func run(b *testing.B, impl string, n int, f func(b *testing.B)) {
	b.Run("impl="+impl+"/size="+sizeName(n), func(b *testing.B) {
		b.SetBytes(int64(n))
		b.ReportAllocs()
		f(b)
	})
}

// Append writes n bytes in 4 KiB pieces into a new buffer per op. Every
// implementation runs one untimed op first, so that the pool is warm however
// many garbage collections came before the timed loop.
func BenchmarkAppend(b *testing.B) {
	piece := pattern(4 << 10)
	for _, n := range sizes {
		appendTo := func(w io.Writer) {
			for off := 0; off < n; off += len(piece) {
				w.Write(piece)
			}
		}
		run(b, "bytesio", n, func(b *testing.B) {
			for warm := true; warm || b.Loop(); warm = false {
				buf := buffer.New()
				for off := 0; off < n; off += len(piece) {
					buf.Write(piece)
				}
				buf.Close()
			}
		})
		run(b, "bytes.Buffer", n, func(b *testing.B) {
			for warm := true; warm || b.Loop(); warm = false {
				var buf bytes.Buffer
				appendTo(&buf)
			}
		})
		dst := pattern(n)
		run(b, "copy", n, func(b *testing.B) {
			for warm := true; warm || b.Loop(); warm = false {
				for off := 0; off < n; off += len(piece) {
					copy(dst[off:], piece)
				}
			}
		})
	}
}

// SmallCycle writes 1 KiB in 64-byte pieces, reads it back and gives the
// buffer back.
func BenchmarkSmallCycle(b *testing.B) {
	const n = 1 << 10
	piece := pattern(64)
	out := make([]byte, n)
	run(b, "bytesio", n, func(b *testing.B) {
		for b.Loop() {
			buf := buffer.New()
			for w := 0; w < n; w += len(piece) {
				buf.Write(piece)
			}
			buf.Seek(0, io.SeekStart)
			buf.Read(out)
			buf.Close()
		}
	})
	bp := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	run(b, "bytes.Buffer+sync.Pool", n, func(b *testing.B) {
		for b.Loop() {
			buf := bp.Get().(*bytes.Buffer)
			for w := 0; w < n; w += len(piece) {
				buf.Write(piece)
			}
			buf.Read(out)
			buf.Reset()
			bp.Put(buf)
		}
	})
}

// readers returns a bytesio buffer and a bytes.Reader over the same n bytes.
func readers(n int) (*buffer.Buffer, *bytes.Reader) {
	data := pattern(n)
	buf := buffer.New()
	buf.Write(data)
	return buf, bytes.NewReader(data)
}

// Read reads the whole content sequentially in 4 KiB reads.
func BenchmarkRead(b *testing.B) {
	p := make([]byte, 4<<10)
	for _, n := range sizes {
		buf, br := readers(n)
		run(b, "bytesio", n, func(b *testing.B) {
			for b.Loop() {
				buf.Seek(0, io.SeekStart)
				for {
					if _, err := buf.Read(p); err != nil {
						break
					}
				}
			}
		})
		run(b, "bytes.Reader", n, func(b *testing.B) {
			for b.Loop() {
				br.Seek(0, io.SeekStart)
				for {
					if _, err := br.Read(p); err != nil {
						break
					}
				}
			}
		})
		buf.Close()
	}
}

// ReadAt reads 4 KiB at random offsets; a op is n bytes of such reads.
func BenchmarkReadAt(b *testing.B) {
	p := make([]byte, 4<<10)
	for _, n := range sizes {
		offs := make([]int64, n/len(p))
		r := rand.New(rand.NewPCG(1, 2))
		for i := range offs {
			offs[i] = r.Int64N(int64(n - len(p) + 1))
		}
		buf, br := readers(n)
		run(b, "bytesio", n, func(b *testing.B) {
			for b.Loop() {
				for _, off := range offs {
					buf.ReadAt(p, off)
				}
			}
		})
		run(b, "bytes.Reader", n, func(b *testing.B) {
			for b.Loop() {
				for _, off := range offs {
					br.ReadAt(p, off)
				}
			}
		})
		buf.Close()
	}
}

// heapBytes reads the bytes of heap objects, live or not yet swept.
func heapBytes(s []metrics.Sample) uint64 {
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// PeakHeap writes 64 MiB in 4 KiB pieces into a new buffer with the garbage
// collector off, and reports the heap reached above the start as peak-B: the
// memory the write needs at its peak.
func BenchmarkPeakHeap(b *testing.B) {
	const n = 64 << 20
	piece := pattern(4 << 10)
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	measure := func(b *testing.B, write func() func()) {
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
		var peak uint64
		for b.Loop() {
			runtime.GC()
			base := heapBytes(s)
			done := write()
			peak = max(peak, heapBytes(s)-base)
			done()
		}
		b.ReportMetric(float64(peak), "peak-B")
	}
	run(b, "bytesio", n, func(b *testing.B) {
		measure(b, func() func() {
			buf := buffer.New()
			for w := 0; w < n; w += len(piece) {
				buf.Write(piece)
			}
			return func() { buf.Close() }
		})
	})
	run(b, "bytes.Buffer", n, func(b *testing.B) {
		measure(b, func() func() {
			var buf bytes.Buffer
			for w := 0; w < n; w += len(piece) {
				buf.Write(piece)
			}
			return func() { buf.Reset() }
		})
	})
}

// GetValue takes the whole content: a View of a bytesio buffer, the aliased
// Bytes of a bytes.Buffer, or a copy of them. The buffers take chunks of up
// to 1 MiB from a pool without calibration, and are written in one Write, so
// that 4 KiB and 1 MiB are one chunk each and 64 MiB is 64 chunks: the cost of
// a view is the same for any buffer of one chunk, and one reference count per
// chunk above that.
func BenchmarkGetValue(b *testing.B) {
	p, err := pool.New(pool.Config{MaxChunk: 1 << 20, NoCalibration: true})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range sizes {
		buf := buffer.NewWithPool(p)
		buf.Write(pattern(n))
		bb := bytes.NewBuffer(pattern(n))
		run(b, "bytesio", n, func(b *testing.B) {
			for b.Loop() {
				buf.GetValue().Release()
			}
		})
		run(b, "bytes.Buffer", n, func(b *testing.B) {
			for b.Loop() {
				sink = bb.Bytes()
			}
		})
		run(b, "bytes.Clone", n, func(b *testing.B) {
			for b.Loop() {
				sink = bytes.Clone(bb.Bytes())
			}
		})
		buf.Close()
	}
}

var sink []byte

// ViewCycle builds 16 KiB, takes its value, streams it to io.Discard and
// gives everything back.
func BenchmarkViewCycle(b *testing.B) {
	const n = 16 << 10
	piece := pattern(1 << 10)
	run(b, "bytesio", n, func(b *testing.B) {
		for b.Loop() {
			buf := buffer.New()
			for w := 0; w < n; w += len(piece) {
				buf.Write(piece)
			}
			v := buf.GetValue()
			v.WriteTo(io.Discard)
			buf.Close()
			v.Release()
		}
	})
	bp := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	run(b, "bytes.Buffer+sync.Pool", n, func(b *testing.B) {
		for b.Loop() {
			buf := bp.Get().(*bytes.Buffer)
			for w := 0; w < n; w += len(piece) {
				buf.Write(piece)
			}
			io.Discard.Write(buf.Bytes())
			buf.Reset()
			bp.Put(buf)
		}
	})
}

// WriteAfterGetValue measures the first write after GetValue, the timer
// running for the write only: it copies the one chunk it writes into (up to
// 1 MiB here), whatever the size of the buffer. copies/op counts the chunks
// copied, from the pool's statistics.
func BenchmarkWriteAfterGetValue(b *testing.B) {
	p, err := pool.New(pool.Config{MaxChunk: 1 << 20, NoCalibration: true})
	if err != nil {
		b.Fatal(err)
	}
	piece := pattern(64)
	for _, n := range sizes {
		buf := buffer.NewWithPool(p)
		buf.Write(pattern(n))
		run(b, "bytesio", n, func(b *testing.B) {
			b.SetBytes(int64(len(piece)))
			before, ops := p.Stats().Copies, 0
			for b.Loop() {
				b.StopTimer()
				v := buf.GetValue()
				b.StartTimer()
				buf.WriteAt(piece, int64(n/2))
				b.StopTimer()
				v.Release()
				b.StartTimer()
				ops++
			}
			b.ReportMetric(float64(p.Stats().Copies-before)/float64(ops), "copies/op")
		})
		buf.Close()
	}
}

// SparseWriteAt writes 1 byte at offset off of a buffer with a 1 TiB limit,
// takes its value, reads the byte back from the view and releases both: the
// cost must not grow with the offset (the chunk table holds pages only where
// chunks are). The buffer comes from Get and goes back with Put (bytesio),
// or is made by New and closed (bytesio-new).
func BenchmarkSparseWriteAt(b *testing.B) {
	offs := []struct {
		name string
		off  int64
	}{{"0", 0}, {"1GiB", 1 << 30}, {"512GiB", 1 << 39}}
	for _, o := range offs {
		if int64(int(o.off)) != o.off {
			continue // 32-bit
		}
		one, p := []byte{7}, make([]byte, 1)
		op := func(buf *buffer.Buffer) {
			buf.SetLimit(1 << 40)
			buf.WriteAt(one, o.off)
			v := buf.GetValue()
			v.ReadAt(p, o.off)
			v.Release()
		}
		b.Run("impl=bytesio/offset="+o.name, func(b *testing.B) {
			b.ReportAllocs()
			for warm := true; warm || b.Loop(); warm = false {
				buf := buffer.Get()
				op(buf)
				buffer.Put(buf)
			}
		})
		b.Run("impl=bytesio-new/offset="+o.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				buf := buffer.New()
				op(buf)
				buf.Close()
			}
		})
	}
}

// TruncateFarPages drops the last byte of sparse content and writes it
// again, with chunks of 64 bytes spread one to a page of the chunk table
// over 100 to 10000 pages: the cost must not grow with the pages held
// (Truncate looks up the pages past the new end, not every page).
func BenchmarkTruncateFarPages(b *testing.B) {
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 64, NoCalibration: true})
	if err != nil {
		b.Fatal(err)
	}
	for _, pages := range []int{100, 10000} {
		b.Run(fmt.Sprintf("impl=bytesio/pages=%d", pages), func(b *testing.B) {
			buf := buffer.NewWithPool(p)
			defer buf.Close()
			buf.SetLimit(buffer.MaxLimit)
			const pageBytes = 64 * 64 // a page of the table holds 64 chunks
			for i := range pages {
				buf.WriteAt([]byte{1}, int64(i+1)*pageBytes)
			}
			end := buf.Size()
			b.ReportAllocs()
			for warm := true; warm || b.Loop(); warm = false {
				buf.Truncate(end - 1)
				buf.WriteAt([]byte{2}, end-1)
			}
		})
	}
}

// ParallelWriteAt fills 64 MiB from 8 goroutines, each writing its share of
// 4 KiB pieces (interleaved with the others') through WriteAt, as a parallel
// downloader fills an io.WriterAt; the peer is a preallocated []byte behind a
// mutex, which is how a plain slice is made safe for it (reused from op to
// op, as bytesio reuses the pool's chunks).
func BenchmarkParallelWriteAt(b *testing.B) {
	const n, piece, writers = 64 << 20, 4 << 10, 8
	src := pattern(n)
	fill := func(w io.WriterAt) {
		var wg sync.WaitGroup
		for g := range writers {
			wg.Go(func() {
				for off := g * piece; off < n; off += writers * piece {
					w.WriteAt(src[off:off+piece], int64(off))
				}
			})
		}
		wg.Wait()
	}
	run(b, "bytesio", n, func(b *testing.B) {
		for warm := true; warm || b.Loop(); warm = false {
			buf := buffer.New()
			fill(buf)
			buf.Close()
		}
	})
	run(b, "mutex+[]byte", n, func(b *testing.B) {
		dst := &lockedSlice{b: make([]byte, n)} // preallocated once, as the pool's chunks are
		fill(dst)                               // and written once, so its pages are mapped
		for b.Loop() {
			fill(dst)
		}
	})
}

// lockedSlice is a []byte that takes parallel WriteAt calls under a mutex.
type lockedSlice struct {
	mu sync.Mutex
	b  []byte
}

func (s *lockedSlice) WriteAt(p []byte, off int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copy(s.b[off:], p), nil
}

package bench

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"testing"

	"github.com/spf13/afero/mem"
	"github.com/valyala/bytebufferpool"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// piece is the unit of the Read, ReadAt, Overwrite and SeekPastEnd
// workloads.
const piece = 4 << 10

func BenchmarkAppend(b *testing.B)      { runWorkload(b, "Append") }
func BenchmarkSmallCycle(b *testing.B)  { runWorkload(b, "SmallCycle") }
func BenchmarkRead(b *testing.B)        { runWorkload(b, "Read") }
func BenchmarkReadAt(b *testing.B)      { runWorkload(b, "ReadAt") }
func BenchmarkOverwrite(b *testing.B)   { runWorkload(b, "Overwrite") }
func BenchmarkSeekPastEnd(b *testing.B) { runWorkload(b, "SeekPastEnd") }
func BenchmarkGetValue(b *testing.B)    { runWorkload(b, "GetValue") }
func BenchmarkReadFrom(b *testing.B)    { runWorkload(b, "ReadFrom") }
func BenchmarkWriteTo(b *testing.B)     { runWorkload(b, "WriteTo") }
func BenchmarkViewCycle(b *testing.B)   { runWorkload(b, "ViewCycle") }
func BenchmarkPeakHeap(b *testing.B)    { runWorkload(b, "PeakHeap") }
func BenchmarkBimodal(b *testing.B)     { runWorkload(b, "Bimodal") }

// filled returns a bytesio buffer holding data()[:n], written in one Write.
func filled(b *testing.B, n int64) *buffer.Buffer {
	buf := buffer.New()
	if _, err := buf.Write(data()[:n]); err != nil {
		b.Fatal(err)
	}
	return buf
}

// aferoFile returns an afero in-memory file holding data()[:n].
func aferoFile(b *testing.B, n int64) *mem.File {
	f := mem.NewFileHandle(mem.CreateFile("bench"))
	if _, err := f.Write(data()[:n]); err != nil {
		b.Fatal(err)
	}
	return f
}

// drain reads r to the end in 4 KiB reads into dst.
func drain(b *testing.B, r io.Reader, dst []byte) {
	for {
		k, err := r.Read(dst)
		sink += k
		if err == io.EOF {
			return
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// onlyReader hides every method of its reader but Read, so ReadFrom cannot
// take a WriterTo shortcut.
type onlyReader struct{ r *bytes.Reader }

func (o *onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

var _ = register("Append", map[string]leaf{
	ImplBytesio:       appendBytesio(false),
	ImplBytesioNoPool: appendBytesio(true),
	ImplBuffer: func(b *testing.B, n int64) {
		ps := pieces(n)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := new(bytes.Buffer)
			for _, p := range ps {
				bb.Write(p)
			}
			sink += bb.Len()
		}
	},
	ImplBufferPool: func(b *testing.B, n int64) {
		ps := pieces(n)
		sp := sync.Pool{New: func() any { return new(bytes.Buffer) }}
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := sp.Get().(*bytes.Buffer)
			bb.Reset()
			for _, p := range ps {
				bb.Write(p)
			}
			sp.Put(bb)
		}
	},
	ImplByteBufferPool: func(b *testing.B, n int64) {
		ps := pieces(n)
		var bp bytebufferpool.Pool
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := bp.Get()
			for _, p := range ps {
				bb.Write(p)
			}
			bp.Put(bb)
		}
	},
	ImplCopy: func(b *testing.B, n int64) {
		ps, dst := pieces(n), prealloc(n)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			off := 0
			for _, p := range ps {
				off += copy(dst[off:], p)
			}
			sink += off
		}
	},
})

// smallCycle: 1 KiB in 64-byte writes, then read back.
const smallWrite = 64

var _ = register("SmallCycle", map[string]leaf{
	ImplBytesio:       smallCycleBytesio(false),
	ImplBytesioNoPool: smallCycleBytesio(true),
	ImplBuffer: func(b *testing.B, n int64) {
		src, dst := data()[:n], scratch(n)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := new(bytes.Buffer)
			for off := 0; off < len(src); off += smallWrite {
				bb.Write(src[off : off+smallWrite])
			}
			for {
				k, err := bb.Read(dst)
				if sink += k; err != nil {
					break
				}
			}
		}
	},
	ImplBufferPool: func(b *testing.B, n int64) {
		src, dst := data()[:n], scratch(n)
		sp := sync.Pool{New: func() any { return new(bytes.Buffer) }}
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := sp.Get().(*bytes.Buffer)
			bb.Reset()
			for off := 0; off < len(src); off += smallWrite {
				bb.Write(src[off : off+smallWrite])
			}
			for {
				k, err := bb.Read(dst)
				if sink += k; err != nil {
					break
				}
			}
			sp.Put(bb)
		}
	},
	ImplByteBufferPool: func(b *testing.B, n int64) {
		src, dst := data()[:n], scratch(n)
		var bp bytebufferpool.Pool
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := bp.Get()
			for off := 0; off < len(src); off += smallWrite {
				bb.Write(src[off : off+smallWrite])
			}
			sink += copy(dst, bb.B) // it has no Read
			bp.Put(bb)
		}
	},
})

var _ = register("Read", map[string]leaf{
	ImplBytesio: func(b *testing.B, n int64) {
		buf, dst := filled(b, n), scratch(piece)
		defer buf.Close()
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			buf.Seek(0, io.SeekStart)
			drain(b, buf, dst)
		}
	},
	ImplReader: func(b *testing.B, n int64) {
		r, dst := bytes.NewReader(bytes.Clone(data()[:n])), scratch(piece)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			r.Seek(0, io.SeekStart)
			drain(b, r, dst)
		}
	},
	ImplBuffer: func(b *testing.B, n int64) {
		content, dst := bytes.Clone(data()[:n]), scratch(piece)
		var bb bytes.Buffer
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb = *bytes.NewBuffer(content) // bytes.Buffer cannot rewind
			drain(b, &bb, dst)
		}
	},
	ImplAfero: func(b *testing.B, n int64) {
		f, dst := aferoFile(b, n), scratch(piece)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			f.Seek(0, io.SeekStart)
			drain(b, f, dst)
		}
	},
	ImplCopy: func(b *testing.B, n int64) {
		content, dst := bytes.Clone(data()[:n]), scratch(piece)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			for off := 0; off < len(content); off += piece {
				sink += copy(dst, content[off:])
			}
		}
	},
})

// readAtOffsets is how many random offsets ReadAt and Overwrite cycle
// through.
const readAtOffsets = 1 << 12

var _ = register("ReadAt", map[string]leaf{
	ImplBytesio: func(b *testing.B, n int64) {
		buf, dst, offs := filled(b, n), scratch(piece), offsets(n, piece, readAtOffsets)
		defer buf.Close()
		b.SetBytes(piece)
		i := 0
		for warm := true; warm || b.Loop(); warm = false {
			k, _ := buf.ReadAt(dst, offs[i%readAtOffsets])
			sink += k
			i++
		}
	},
	ImplReader: func(b *testing.B, n int64) {
		r, dst, offs := bytes.NewReader(bytes.Clone(data()[:n])), scratch(piece), offsets(n, piece, readAtOffsets)
		b.SetBytes(piece)
		i := 0
		for warm := true; warm || b.Loop(); warm = false {
			k, _ := r.ReadAt(dst, offs[i%readAtOffsets])
			sink += k
			i++
		}
	},
	ImplAfero: func(b *testing.B, n int64) {
		f, dst, offs := aferoFile(b, n), scratch(piece), offsets(n, piece, readAtOffsets)
		b.SetBytes(piece)
		i := 0
		for warm := true; warm || b.Loop(); warm = false {
			k, _ := f.ReadAt(dst, offs[i%readAtOffsets])
			sink += k
			i++
		}
	},
	ImplCopy: func(b *testing.B, n int64) {
		content, dst, offs := bytes.Clone(data()[:n]), scratch(piece), offsets(n, piece, readAtOffsets)
		b.SetBytes(piece)
		i := 0
		for warm := true; warm || b.Loop(); warm = false {
			off := offs[i%readAtOffsets]
			sink += copy(dst, content[off:off+piece])
			i++
		}
	},
})

var _ = register("Overwrite", map[string]leaf{
	ImplBytesio: func(b *testing.B, n int64) {
		buf, src, offs := filled(b, n), data()[piece+1:2*piece+1], offsets(n, piece, readAtOffsets)
		defer buf.Close()
		b.SetBytes(piece)
		i := 0
		for warm := true; warm || b.Loop(); warm = false {
			buf.Seek(offs[i%readAtOffsets], io.SeekStart)
			k, _ := buf.Write(src)
			sink += k
			i++
		}
	},
	ImplAfero: func(b *testing.B, n int64) {
		f, src, offs := aferoFile(b, n), data()[piece+1:2*piece+1], offsets(n, piece, readAtOffsets)
		b.SetBytes(piece)
		i := 0
		for warm := true; warm || b.Loop(); warm = false {
			f.Seek(offs[i%readAtOffsets], io.SeekStart)
			k, _ := f.Write(src)
			sink += k
			i++
		}
	},
	ImplCopy: func(b *testing.B, n int64) {
		dst, src, offs := prealloc(n), data()[piece+1:2*piece+1], offsets(n, piece, readAtOffsets)
		b.SetBytes(piece)
		i := 0
		for warm := true; warm || b.Loop(); warm = false {
			sink += copy(dst[offs[i%readAtOffsets]:], src)
			i++
		}
	},
})

var _ = register("SeekPastEnd", map[string]leaf{
	ImplBytesio: func(b *testing.B, n int64) {
		src := data()[:piece]
		b.SetBytes(n + piece)
		for warm := true; warm || b.Loop(); warm = false {
			buf := buffer.New()
			buf.Seek(n, io.SeekStart)
			k, _ := buf.Write(src)
			sink += k
			buf.Close()
		}
	},
	ImplAfero: func(b *testing.B, n int64) {
		src := data()[:piece]
		b.SetBytes(n + piece)
		for warm := true; warm || b.Loop(); warm = false {
			f := mem.NewFileHandle(mem.CreateFile("gap"))
			f.Seek(n, io.SeekStart)
			k, _ := f.Write(src)
			sink += k
			f.Close()
		}
	},
	ImplCopy: func(b *testing.B, n int64) {
		src, dst := data()[:piece], prealloc(n+piece)
		b.SetBytes(n + piece)
		for warm := true; warm || b.Loop(); warm = false {
			clear(dst[:n])
			sink += copy(dst[n:], src)
		}
	},
})

var _ = register("GetValue", map[string]leaf{
	ImplBytesio: func(b *testing.B, n int64) {
		buf := filled(b, n)
		defer buf.Close()
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			v := buf.GetValue()
			sink += int(v.Len())
			v.Release()
		}
	},
	ImplBuffer: func(b *testing.B, n int64) {
		bb := bytes.NewBuffer(bytes.Clone(data()[:n]))
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			sink += len(bb.Bytes())
		}
	},
	ImplClone: func(b *testing.B, n int64) {
		bb := bytes.NewBuffer(bytes.Clone(data()[:n]))
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			sink += len(bytes.Clone(bb.Bytes()))
		}
	},
	ImplCopy: func(b *testing.B, n int64) {
		content, dst := bytes.Clone(data()[:n]), prealloc(n)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			sink += copy(dst, content)
		}
	},
})

var _ = register("ReadFrom", map[string]leaf{
	ImplBytesio:       readFromBytesio(false),
	ImplBytesioNoPool: readFromBytesio(true),
	ImplBuffer: func(b *testing.B, n int64) {
		src := &onlyReader{bytes.NewReader(nil)}
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			src.r.Reset(data()[:n])
			bb := new(bytes.Buffer)
			if _, err := bb.ReadFrom(src); err != nil {
				b.Fatal(err)
			}
			sink += bb.Len()
		}
	},
	ImplBufferPool: func(b *testing.B, n int64) {
		src := &onlyReader{bytes.NewReader(nil)}
		sp := sync.Pool{New: func() any { return new(bytes.Buffer) }}
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			src.r.Reset(data()[:n])
			bb := sp.Get().(*bytes.Buffer)
			bb.Reset()
			if _, err := bb.ReadFrom(src); err != nil {
				b.Fatal(err)
			}
			sp.Put(bb)
		}
	},
	ImplByteBufferPool: func(b *testing.B, n int64) {
		src := &onlyReader{bytes.NewReader(nil)}
		var bp bytebufferpool.Pool
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			src.r.Reset(data()[:n])
			bb := bp.Get()
			if _, err := bb.ReadFrom(src); err != nil {
				b.Fatal(err)
			}
			bp.Put(bb)
		}
	},
	ImplCopy: func(b *testing.B, n int64) {
		src, dst := &onlyReader{bytes.NewReader(nil)}, prealloc(n)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			src.r.Reset(data()[:n])
			k, err := io.ReadFull(src, dst)
			if err != nil {
				b.Fatal(err)
			}
			sink += k
		}
	},
})

var _ = register("WriteTo", map[string]leaf{
	ImplBytesio: func(b *testing.B, n int64) {
		buf := filled(b, n)
		defer buf.Close()
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			buf.Seek(0, io.SeekStart)
			k, _ := buf.WriteTo(io.Discard)
			sink += int(k)
		}
	},
	ImplBuffer: func(b *testing.B, n int64) {
		content := bytes.Clone(data()[:n])
		var bb bytes.Buffer
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb = *bytes.NewBuffer(content) // bytes.Buffer cannot rewind
			k, _ := bb.WriteTo(io.Discard)
			sink += int(k)
		}
	},
	ImplReader: func(b *testing.B, n int64) {
		r := bytes.NewReader(bytes.Clone(data()[:n]))
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			r.Seek(0, io.SeekStart)
			k, _ := r.WriteTo(io.Discard)
			sink += int(k)
		}
	},
})

// viewWrite is the write size of ViewCycle.
const viewWrite = 1 << 10

var _ = register("ViewCycle", map[string]leaf{
	ImplBytesio: func(b *testing.B, n int64) {
		src := data()[:n]
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			buf := buffer.New()
			for off := 0; off < len(src); off += viewWrite {
				buf.Write(src[off : off+viewWrite])
			}
			v := buf.GetValue()
			k, _ := v.WriteTo(io.Discard)
			sink += int(k)
			buf.Close()
			v.Release()
		}
	},
	ImplBuffer: func(b *testing.B, n int64) {
		src := data()[:n]
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := new(bytes.Buffer)
			for off := 0; off < len(src); off += viewWrite {
				bb.Write(src[off : off+viewWrite])
			}
			k, _ := io.Discard.Write(bb.Bytes())
			sink += k
		}
	},
	ImplBufferPool: func(b *testing.B, n int64) {
		src := data()[:n]
		sp := sync.Pool{New: func() any { return new(bytes.Buffer) }}
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := sp.Get().(*bytes.Buffer)
			bb.Reset()
			for off := 0; off < len(src); off += viewWrite {
				bb.Write(src[off : off+viewWrite])
			}
			k, _ := io.Discard.Write(bb.Bytes())
			sink += k
			sp.Put(bb)
		}
	},
	ImplByteBufferPool: func(b *testing.B, n int64) {
		src := data()[:n]
		var bp bytebufferpool.Pool
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := bp.Get()
			for off := 0; off < len(src); off += viewWrite {
				bb.Write(src[off : off+viewWrite])
			}
			k, _ := io.Discard.Write(bb.B)
			sink += k
			bp.Put(bb)
		}
	},
})

// peakEvery is how often PeakHeap samples the heap, in bytes written.
const peakEvery = 1 << 20

// peakHeap runs the PeakHeap loop: before each op two GCs empty every
// sync.Pool and the heap is sampled; during the op, which writes n bytes in
// 4 KiB writes through write, the heap is sampled every peakEvery bytes;
// peak-B is the largest growth over the pre-op sample seen in any op.
func peakHeap(b *testing.B, n int64, open func() (write func([]byte), done func())) {
	src := data()[:n]
	hs := newHeapSample()
	var peak int64
	b.SetBytes(n)
	for warm := true; warm || b.Loop(); warm = false {
		b.StopTimer()
		runtime.GC()
		runtime.GC()
		base := hs.read()
		b.StartTimer()
		write, done := open()
		for off := 0; off < len(src); off += piece {
			write(src[off : off+piece])
			if (off+piece)%peakEvery == 0 {
				peak = max(peak, hs.read()-base)
			}
		}
		done()
	}
	b.ReportMetric(float64(peak), "peak-B")
}

var _ = register("PeakHeap", map[string]leaf{
	ImplBytesio:       peakHeapBytesio(false),
	ImplBytesioNoPool: peakHeapBytesio(true),
	ImplBuffer: func(b *testing.B, n int64) {
		peakHeap(b, n, func() (func([]byte), func()) {
			bb := new(bytes.Buffer)
			return func(p []byte) { bb.Write(p) }, func() { sink += bb.Len() }
		})
	},
})

// Bimodal sizes: most operations are small, one in bimodalEvery is big.
const (
	bimodalSmall = 1 << 10
	bimodalBig   = 4 << 20
	bimodalEvery = 64
	// bimodalParallelism is the b.SetParallelism of Bimodal: that many
	// goroutines per GOMAXPROCS.
	bimodalParallelism = 4
	// bimodalCalmGCs is how many garbage collections the calm after the
	// burst spans, with bimodalCalmOps small operations per goroutine
	// before each.
	bimodalCalmGCs = 3
	bimodalCalmOps = 200
)

// bimodal runs the Bimodal burst: goroutines repeatedly take a buffer
// (start), fill it with a small or, one op in bimodalEvery, a big size in
// 4 KiB writes, drain it to io.Discard and give it back (finish). Before
// the burst two GCs empty every sync.Pool and the heap is sampled.
//
// After the burst comes the calm that golang/go#23199 is about: the same
// goroutines keep running small operations only, across bimodalCalmGCs
// garbage collections, as a server does after a spike. A pool keeps what
// that traffic keeps using alive and lets the rest go with sync.Pool's
// two-GC victim cycle. retained-B is how far the heap stays above the
// pre-burst sample after the calm: the memory the spike left pinned. Every
// implementation runs the same burst and the same calm, untimed.
func bimodal(b *testing.B, op func(src []byte)) {
	src := data()[:bimodalBig]
	hs := newHeapSample()
	b.SetBytes((bimodalSmall*(bimodalEvery-1) + bimodalBig) / bimodalEvery)
	b.SetParallelism(bimodalParallelism)
	runtime.GC()
	runtime.GC()
	base := hs.read()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for i := 1; pb.Next(); i++ {
			if i%bimodalEvery == 0 {
				op(src)
			} else {
				op(src[:bimodalSmall])
			}
		}
	})
	b.StopTimer()
	workers := bimodalParallelism * runtime.GOMAXPROCS(0)
	for range bimodalCalmGCs {
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for range bimodalCalmOps {
					op(src[:bimodalSmall])
				}
			})
		}
		wg.Wait()
		runtime.GC()
	}
	b.ReportMetric(float64(hs.read()-base), "retained-B")
}

// holdAcrossIO yields while a Bimodal operation holds its buffer, as a
// server holds one across network I/O, so that the goroutines hold buffers
// at the same time and every buffer a pool keeps goes round.
func holdAcrossIO() { runtime.Gosched() }

// writeIn writes p to w in 4 KiB writes.
func writeIn(w io.Writer, p []byte) {
	for len(p) > 0 {
		k := min(len(p), piece)
		w.Write(p[:k])
		p = p[k:]
	}
}

var _ = register("Bimodal", map[string]leaf{
	ImplBytesio:       bimodalBytesio(false),
	ImplBytesioNoPool: bimodalBytesio(true),
	ImplBuffer: func(b *testing.B, _ int64) {
		bimodal(b, func(src []byte) {
			bb := new(bytes.Buffer)
			writeIn(bb, src)
			holdAcrossIO()
			bb.WriteTo(io.Discard)
		})
	},
	ImplBufferPool: func(b *testing.B, _ int64) {
		sp := sync.Pool{New: func() any { return new(bytes.Buffer) }}
		bimodal(b, func(src []byte) {
			bb := sp.Get().(*bytes.Buffer)
			bb.Reset()
			writeIn(bb, src)
			holdAcrossIO()
			bb.WriteTo(io.Discard)
			sp.Put(bb)
		})
	},
	ImplByteBufferPool: func(b *testing.B, _ int64) {
		var bp bytebufferpool.Pool
		bimodal(b, func(src []byte) {
			bb := bp.Get()
			writeIn(bb, src)
			holdAcrossIO()
			bb.WriteTo(io.Discard)
			bp.Put(bb)
		})
	},
})

// appendBytesio is the Append leaf of bytesio, or of bytesio-nopool when nopool is set.
func appendBytesio(nopool bool) leaf {
	p := poolFor(nopool)
	return func(b *testing.B, n int64) {
		ps := pieces(n)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			buf := buffer.NewWithPool(p)
			for _, p := range ps {
				buf.Write(p)
			}
			buf.Close()
		}
	}
}

// smallCycleBytesio is the SmallCycle leaf of bytesio, or of bytesio-nopool when nopool is set.
func smallCycleBytesio(nopool bool) leaf {
	p := poolFor(nopool)
	return func(b *testing.B, n int64) {
		src, dst := data()[:n], scratch(n)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			buf := buffer.NewWithPool(p)
			for off := 0; off < len(src); off += smallWrite {
				buf.Write(src[off : off+smallWrite])
			}
			buf.Seek(0, io.SeekStart)
			for { // not drain: passing buf as an io.Reader would move it to the heap
				k, err := buf.Read(dst)
				if sink += k; err != nil {
					break
				}
			}
			buf.Close()
		}
	}
}

// readFromBytesio is the ReadFrom leaf of bytesio, or of bytesio-nopool when nopool is set.
func readFromBytesio(nopool bool) leaf {
	p := poolFor(nopool)
	return func(b *testing.B, n int64) {
		src := &onlyReader{bytes.NewReader(nil)}
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			src.r.Reset(data()[:n])
			buf := buffer.NewWithPool(p)
			if _, err := buf.ReadFrom(src); err != nil {
				b.Fatal(err)
			}
			buf.Close()
		}
	}
}

// peakHeapBytesio is the PeakHeap leaf of bytesio, or of bytesio-nopool when nopool is set.
func peakHeapBytesio(nopool bool) leaf {
	p := poolFor(nopool)
	return func(b *testing.B, n int64) {
		peakHeap(b, n, func() (func([]byte), func()) {
			buf := buffer.NewWithPool(p)
			return func(p []byte) { buf.Write(p) }, func() { buf.Close() }
		})
	}
}

// bimodalBytesio is the Bimodal leaf of bytesio, or of bytesio-nopool when nopool is set.
func bimodalBytesio(nopool bool) leaf {
	p := poolFor(nopool)
	return func(b *testing.B, _ int64) {
		bimodal(b, func(src []byte) {
			buf := buffer.NewWithPool(p)
			writeIn(buf, src)
			holdAcrossIO()
			buf.Seek(0, io.SeekStart)
			buf.WriteTo(io.Discard)
			buf.Close()
		})
	}
}

// poolFor returns the pool of a bytesio implementation: nil, which buffers
// take as pool.Default, or one that keeps nothing for bytesio-nopool.
func poolFor(nopool bool) *pool.Pool {
	if nopool {
		return noPool()
	}
	return nil
}

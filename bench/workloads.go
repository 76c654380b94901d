package bench

import (
	"bytes"
	"io"
	"net"
	"runtime"
	"sync"
	"testing"

	"github.com/spf13/afero/mem"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// This file holds the workloads over sizes from 64 B to 64 MiB and the
// memory workloads; workloads_hot.go holds the hot-path ones.

// piece is the unit of the Read, ReadAt, Overwrite and SeekPastEnd
// workloads.
const piece = 4 << 10

// filled returns a bytesio buffer holding data(n)[:n], written in one Write.
func filled(b *testing.B, n int64) *buffer.Buffer {
	buf := buffer.New()
	if _, err := buf.Write(data(n)[:n]); err != nil {
		fatal(b, err)
	}
	return buf
}

// filledSmall returns a bytesio buffer holding data(n)[:n], written in
// smallWrite-byte writes, so it spans chunks of growing sizes.
func filledSmall(b *testing.B, n int64) *buffer.Buffer {
	buf := buffer.New()
	src := data(n)[:n]
	for off := 0; off < len(src); off += smallWrite {
		if _, err := buf.Write(src[off:min(off+smallWrite, len(src))]); err != nil {
			fatal(b, err)
		}
	}
	return buf
}

// aferoFile returns an afero in-memory file holding data(n)[:n].
func aferoFile(b *testing.B, n int64) *mem.File {
	f := mem.NewFileHandle(mem.CreateFile("bench"))
	if _, err := f.Write(data(n)[:n]); err != nil {
		fatal(b, err)
	}
	return f
}

// onlyReader hides every method of its reader but Read, so ReadFrom cannot
// take a WriterTo shortcut.
type onlyReader struct{ r *bytes.Reader }

func (o *onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// appendPooled is the Append leaf of the pooled bytes.Buffer, capped at
// PoolCap or, with nocap, keeping buffers of every size, as bytesio's chunk
// pool keeps chunks up to its MaxRetained. It is not inlined (see leaf).
//
//go:noinline
func appendPooled(nocap bool) leaf {
	return func(b *testing.B, n int64) {
		ps := pieces(n)
		bp := newBufferPool(nocap)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := bp.get()
			bb.Reset()
			bb.Grow(int(n))
			for _, p := range ps {
				bb.Write(p)
			}
			bp.put(bb)
		}
	}
}

var _ = register("Append", map[string]leaf{
	ImplBytesio: func(b *testing.B, n int64) {
		ps := pieces(n)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			buf := buffer.Get()
			for _, p := range ps {
				buf.Write(p)
			}
			buffer.Put(buf)
		}
	},
	ImplBuffer: func(b *testing.B, n int64) {
		ps := pieces(n)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := newGrownBuffer(n)
			for _, p := range ps {
				bb.Write(p)
			}
			sink += bb.Len()
		}
	},
	ImplBufferPool:      appendPooled(false),
	ImplBufferPoolNoCap: appendPooled(true),
	ImplByteBufferPool: func(b *testing.B, n int64) {
		ps := pieces(n)
		bp := newByteBufferPool(int(n))
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

// readLeaves returns the leaves of a sequential read workload: rewind,
// then read the whole content in reads of readSize bytes, from a bytesio
// buffer that fill wrote, a bytes.Reader, or by copy.
//
// It is not inlined, so that its closures inline Seek, bytesio's and
// bytes.Reader's (see leaf).
//
//go:noinline
func readLeaves(fill func(b *testing.B, n int64) *buffer.Buffer, readSize int64) map[string]leaf {
	return map[string]leaf{
		ImplBytesio: func(b *testing.B, n int64) {
			buf, dst := fill(b, n), scratch(readSize)
			defer buf.Close()
			b.SetBytes(n)
			for warm := true; warm || b.Loop(); warm = false {
				buf.Seek(0, io.SeekStart)
				readAll(b, buf, dst)
			}
		},
		ImplReader: func(b *testing.B, n int64) {
			r, dst := bytes.NewReader(bytes.Clone(data(n)[:n])), scratch(readSize)
			b.SetBytes(n)
			for warm := true; warm || b.Loop(); warm = false {
				r.Seek(0, io.SeekStart)
				readAll(b, r, dst)
			}
		},
		ImplCopy: func(b *testing.B, n int64) {
			content, dst := bytes.Clone(data(n)[:n]), scratch(readSize)
			b.SetBytes(n)
			for warm := true; warm || b.Loop(); warm = false {
				for off := int64(0); off < int64(len(content)); off += readSize {
					sink += copy(dst, content[off:])
				}
			}
		},
	}
}

var _ = register("Read", readWithBuffer())

// readWithBuffer returns the leaves of Read: readLeaves' and, for
// bytes.Buffer, which cannot rewind, a new buffer on the content per
// operation. It is not inlined (see leaf).
//
//go:noinline
func readWithBuffer() map[string]leaf {
	leaves := readLeaves(filled, piece)
	leaves[ImplBuffer] = func(b *testing.B, n int64) {
		content, dst := bytes.Clone(data(n)[:n]), scratch(piece)
		var bb bytes.Buffer
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb = *bytes.NewBuffer(content) // bytes.Buffer cannot rewind
			readAll(b, &bb, dst)
		}
	}
	leaves[ImplAfero] = func(b *testing.B, n int64) {
		f, dst := aferoFile(b, n), scratch(piece)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			f.Seek(0, io.SeekStart)
			readAll(b, f, dst)
		}
	}
	return leaves
}

var _ = register("ReadSmall", readLeaves(filledSmall, smallWrite))

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
		r, dst, offs := bytes.NewReader(bytes.Clone(data(n)[:n])), scratch(piece), offsets(n, piece, readAtOffsets)
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
		content, dst, offs := bytes.Clone(data(n)[:n]), scratch(piece), offsets(n, piece, readAtOffsets)
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
		buf, src, offs := filled(b, n), data(2*piece + 1)[piece+1:2*piece+1], offsets(n, piece, readAtOffsets)
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
		f, src, offs := aferoFile(b, n), data(2*piece + 1)[piece+1:2*piece+1], offsets(n, piece, readAtOffsets)
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
		dst, src, offs := prealloc(n), data(2*piece + 1)[piece+1:2*piece+1], offsets(n, piece, readAtOffsets)
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
		src := data(piece)[:piece]
		for warm := true; warm || b.Loop(); warm = false {
			buf := buffer.New()
			escape(buf) // as afero's file does, and a buffer a hot path passes on
			buf.Seek(n, io.SeekStart)
			k, _ := buf.Write(src)
			sink += k
			buf.Close()
		}
	},
	ImplAfero: func(b *testing.B, n int64) {
		src := data(piece)[:piece]
		for warm := true; warm || b.Loop(); warm = false {
			f := mem.NewFileHandle(mem.CreateFile("gap"))
			f.Seek(n, io.SeekStart)
			k, _ := f.Write(src)
			sink += k
			f.Close()
		}
	},
	ImplCopy: func(b *testing.B, n int64) {
		src, dst := data(piece)[:piece], prealloc(n+piece)
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
		for warm := true; warm || b.Loop(); warm = false {
			v := buf.GetValue()
			sink += int(v.Len())
			v.Release()
		}
	},
	ImplClone: func(b *testing.B, n int64) {
		bb := bytes.NewBuffer(bytes.Clone(data(n)[:n]))
		for warm := true; warm || b.Loop(); warm = false {
			sink += len(bytes.Clone(bb.Bytes()))
		}
	},
	ImplClonePool: func(b *testing.B, n int64) {
		bb := bytes.NewBuffer(bytes.Clone(data(n)[:n]))
		var sp snapshotPool
		for warm := true; warm || b.Loop(); warm = false {
			snap := sp.take(bb.Bytes())
			sink += len(*snap)
			sp.give(snap) // where bytesio releases its view
		}
	},
	ImplCopy: func(b *testing.B, n int64) {
		content, dst := bytes.Clone(data(n)[:n]), prealloc(n)
		for warm := true; warm || b.Loop(); warm = false {
			sink += copy(dst, content)
		}
	},
})

// snapshotWrite is the write of SnapshotWrite.
const snapshotWrite = 64

var _ = register("SnapshotWrite", map[string]leaf{
	ImplBytesio: func(b *testing.B, n int64) {
		buf, src := filled(b, n), data(1 + snapshotWrite)[1:1+snapshotWrite]
		defer buf.Close()
		offs := offsets(n, snapshotWrite, readAtOffsets)
		i := 0
		for warm := true; warm || b.Loop(); warm = false {
			v := buf.GetValue()
			if _, err := buf.WriteAt(src, offs[i%readAtOffsets]); err != nil {
				fatal(b, err)
			}
			sink += int(v.Len())
			v.Release()
			i++
		}
	},
	ImplBuffer: func(b *testing.B, n int64) {
		bb, src := bytes.NewBuffer(bytes.Clone(data(n)[:n])), data(1 + snapshotWrite)[1:1+snapshotWrite]
		offs := offsets(n, snapshotWrite, readAtOffsets)
		i := 0
		for warm := true; warm || b.Loop(); warm = false {
			snap := bytes.Clone(bb.Bytes()) // Bytes() alone would change under the write
			copy(bb.Bytes()[offs[i%readAtOffsets]:], src)
			sink += len(snap)
			i++
		}
	},
	ImplClonePool: func(b *testing.B, n int64) {
		bb, src := bytes.NewBuffer(bytes.Clone(data(n)[:n])), data(1 + snapshotWrite)[1:1+snapshotWrite]
		offs := offsets(n, snapshotWrite, readAtOffsets)
		var sp snapshotPool
		i := 0
		for warm := true; warm || b.Loop(); warm = false {
			snap := sp.take(bb.Bytes())
			copy(bb.Bytes()[offs[i%readAtOffsets]:], src)
			sink += len(*snap)
			sp.give(snap) // where bytesio releases its view
			i++
		}
	},
})

// readFromPooled is the ReadFrom leaf of the pooled bytes.Buffer, capped
// or not (see appendPooled). It is not inlined (see leaf).
//
//go:noinline
func readFromPooled(nocap bool) leaf {
	return func(b *testing.B, n int64) {
		src := &onlyReader{bytes.NewReader(nil)}
		bp := newBufferPool(nocap)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			src.r.Reset(data(n)[:n])
			bb := bp.get()
			bb.Reset()
			if _, err := bb.ReadFrom(src); err != nil {
				fatal(b, err)
			}
			bp.put(bb)
		}
	}
}

var _ = register("ReadFrom", map[string]leaf{
	ImplBytesio: func(b *testing.B, n int64) {
		src := &onlyReader{bytes.NewReader(nil)}
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			src.r.Reset(data(n)[:n])
			buf := buffer.Get()
			if _, err := buf.ReadFrom(src); err != nil {
				fatal(b, err)
			}
			buffer.Put(buf)
		}
	},
	ImplBuffer: func(b *testing.B, n int64) {
		src := &onlyReader{bytes.NewReader(nil)}
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			src.r.Reset(data(n)[:n])
			bb := new(bytes.Buffer)
			if _, err := bb.ReadFrom(src); err != nil {
				fatal(b, err)
			}
			sink += bb.Len()
		}
	},
	ImplBufferPool:      readFromPooled(false),
	ImplBufferPoolNoCap: readFromPooled(true),
	ImplByteBufferPool: func(b *testing.B, n int64) {
		src := &onlyReader{bytes.NewReader(nil)}
		bp := newByteBufferPool(int(n))
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			src.r.Reset(data(n)[:n])
			bb := bp.Get()
			if _, err := bb.ReadFrom(src); err != nil {
				fatal(b, err)
			}
			bp.Put(bb)
		}
	},
	ImplCopy: func(b *testing.B, n int64) {
		src, dst := &onlyReader{bytes.NewReader(nil)}, prealloc(n)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			src.r.Reset(data(n)[:n])
			k, err := io.ReadFull(src, dst)
			if err != nil {
				fatal(b, err)
			}
			sink += k
		}
	},
})

// writeToLeaves returns the leaves of a WriteTo workload whose sink for
// n bytes open returns; done, if not nil, runs after the timed loop.
//
//go:noinline
func writeToLeaves(open func(b *testing.B, n int64) (w io.Writer, rewind, done func())) map[string]leaf {
	return map[string]leaf{
		ImplBytesio: func(b *testing.B, n int64) {
			buf := filled(b, n)
			defer buf.Close()
			w, rewind, done := open(b, n)
			defer done()
			b.SetBytes(n)
			for warm := true; warm || b.Loop(); warm = false {
				rewind()
				buf.Seek(0, io.SeekStart)
				if _, err := buf.WriteTo(w); err != nil {
					fatal(b, err)
				}
			}
		},
		ImplBuffer: func(b *testing.B, n int64) {
			content := bytes.Clone(data(n)[:n])
			w, rewind, done := open(b, n)
			defer done()
			var bb bytes.Buffer
			b.SetBytes(n)
			for warm := true; warm || b.Loop(); warm = false {
				rewind()
				bb = *bytes.NewBuffer(content) // bytes.Buffer cannot rewind
				if _, err := bb.WriteTo(w); err != nil {
					fatal(b, err)
				}
			}
		},
		ImplReader: func(b *testing.B, n int64) {
			r := bytes.NewReader(bytes.Clone(data(n)[:n]))
			w, rewind, done := open(b, n)
			defer done()
			b.SetBytes(n)
			for warm := true; warm || b.Loop(); warm = false {
				rewind()
				r.Seek(0, io.SeekStart)
				if _, err := r.WriteTo(w); err != nil {
					fatal(b, err)
				}
			}
		},
	}
}

var _ = register("WriteTo", writeToLeaves(func(b *testing.B, n int64) (io.Writer, func(), func()) {
	s := newCopySink(n)
	return s, s.rewind, func() {}
}))

var _ = register("WriteToTCP", writeToLeaves(loopback))

// loopback returns the writing end of a loopback TCP connection whose
// other end a goroutine reads to the end into a reused 1 MiB buffer; done
// closes it and waits for the reader.
func loopback(b *testing.B, n int64) (io.Writer, func(), func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatal(b, "loopback TCP: ", err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			c = nil
		}
		accepted <- c
	}()
	w, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		fatal(b, "loopback TCP: ", err)
	}
	r := <-accepted
	if r == nil {
		w.Close()
		fatal(b, "loopback TCP: accept failed")
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		p := make([]byte, 1<<20)
		for {
			if _, err := r.Read(p); err != nil {
				return
			}
		}
	})
	return w, func() {}, func() {
		w.Close()
		wg.Wait()
		r.Close()
	}
}

// peakEvery is how often PeakHeap samples the heap, in bytes written.
const peakEvery = 1 << 20

// peakHeap runs the PeakHeap loop: before each op two GCs empty every
// sync.Pool and the heap is sampled; during the op, which writes n bytes in
// 4 KiB writes through write, the heap is sampled every peakEvery bytes;
// peak-B is the largest growth over the pre-op sample seen in any op.
func peakHeap(b *testing.B, n int64, open func() (write func([]byte), done func())) {
	src := data(n)[:n]
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
	src := data(bimodalBig)[:bimodalBig]
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
	ImplBufferPool:      bimodalBufferPool(false),
	ImplBufferPoolNoCap: bimodalBufferPool(true),
	ImplByteBufferPool: func(b *testing.B, _ int64) {
		bp := newByteBufferPool(bimodalSmall)
		bimodal(b, func(src []byte) {
			bb := bp.Get()
			writeIn(bb, src)
			holdAcrossIO()
			bb.WriteTo(io.Discard)
			bp.Put(bb)
		})
	},
})

// bimodalBufferPool is the Bimodal leaf of the sync.Pool peer, with or
// without its size cap.
//
//go:noinline
func bimodalBufferPool(nocap bool) leaf {
	return func(b *testing.B, _ int64) {
		bp := newBufferPool(nocap)
		bimodal(b, func(src []byte) {
			bb := bp.get()
			bb.Reset()
			writeIn(bb, src)
			holdAcrossIO()
			bb.WriteTo(io.Discard)
			bp.put(bb)
		})
	}
}

// peakHeapBytesio is the PeakHeap leaf of bytesio, or of bytesio-nopool
// when nopool is set.
//
//go:noinline
func peakHeapBytesio(nopool bool) leaf {
	return func(b *testing.B, n int64) {
		p := poolFor(nopool)
		peakHeap(b, n, func() (func([]byte), func()) {
			buf := buffer.NewWithPool(p)
			return func(p []byte) { buf.Write(p) }, func() { buf.Close() }
		})
	}
}

// bimodalBytesio is the Bimodal leaf of bytesio (Get and Put), or of
// bytesio-nopool when nopool is set.
//
//go:noinline
func bimodalBytesio(nopool bool) leaf {
	return func(b *testing.B, _ int64) {
		bp := buffer.NewPool(poolFor(nopool))
		bimodal(b, func(src []byte) {
			buf := bp.Get()
			writeIn(buf, src)
			holdAcrossIO()
			buf.Seek(0, io.SeekStart)
			buf.WriteTo(io.Discard)
			bp.Put(buf)
		})
	}
}

// poolFor returns the chunk pool of a bytesio implementation: nil, which
// buffers take as pool.Default, or one that keeps nothing for
// bytesio-nopool.
func poolFor(nopool bool) *pool.Pool {
	if nopool {
		return noPool()
	}
	return nil
}

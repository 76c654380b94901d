package buffer_test

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// Storage safety: memory a buffer lends never belongs to another buffer or
// a view, sparse content costs what it holds, calibration never makes small
// content expensive, parallel WriteAt keeps every byte, AvailableBuffer has
// room where its doc says.

// Writing into a slice lent from a never-written gap changes no other buffer
// and no view. (The gap used to be lent as the package's shared zero array,
// so this wrote "CORRUPT!" into every gap of every buffer.)
func TestLentGapIsPrivate(t *testing.T) {
	lenders := []struct {
		name string
		lend func(b *buffer.Buffer) []byte
	}{
		{"Next", func(b *buffer.Buffer) []byte { return b.Next(8) }},
		{"Peek", func(b *buffer.Buffer) []byte { p, _ := b.Peek(8); return p }},
		{"Lines", func(b *buffer.Buffer) []byte {
			b.Truncate(8) // a last line, all gap, in the first chunk
			for line := range b.Lines() {
				return line
			}
			return nil
		}},
		{"View.Bytes", func(b *buffer.Buffer) []byte {
			// Content all gap but its last byte, in one chunk.
			c := buffer.New()
			c.WriteAt([]byte{1}, 100)
			return c.GetValue().Bytes()[:8]
		}},
		{"View.Chunks", func(b *buffer.Buffer) []byte {
			for c := range b.GetValue().Chunks() {
				return c[:8]
			}
			return nil
		}},
	}
	for _, tt := range lenders {
		t.Run(tt.name, func(t *testing.T) {
			b := buffer.New()
			defer b.Close()
			b.WriteAt([]byte{1}, 4<<20)
			other := buffer.New()
			defer other.Close()
			other.WriteAt([]byte{2}, 4<<20)
			before := other.GetValue()
			defer before.Release()

			p := tt.lend(b)
			if len(p) != 8 {
				t.Fatalf("lent %d bytes; want 8", len(p))
			}
			copy(p, "CORRUPT!")

			want := make([]byte, 8)
			got := make([]byte, 8)
			other.ReadAt(got, 0)
			if !bytes.Equal(got, want) {
				t.Errorf("another buffer's gap reads %q; want zeros", got)
			}
			before.ReadAt(got, 1<<20)
			if !bytes.Equal(got, want) {
				t.Errorf("a view of another buffer reads %q; want zeros", got)
			}
			fresh := buffer.New()
			fresh.WriteAt([]byte{3}, 8<<20)
			fresh.ReadAt(got, 2<<20)
			fresh.Close()
			if !bytes.Equal(got, want) {
				t.Errorf("a new buffer's gap reads %q; want zeros", got)
			}
		})
	}
}

// Writing into a slice lent by the buffer while a view shares the chunk
// leaves the view as it was: the buffer lends a copy then.
func TestLentSharedChunkIsPrivate(t *testing.T) {
	b := buffer.NewString("hello, world")
	defer b.Close()
	v := b.GetValue()
	copy(b.Next(5), "XXXXX")
	p, _ := b.Peek(2)
	copy(p, "YY")
	if got := v.String(); got != "hello, world" {
		t.Errorf("view = %q after writes into lent slices; want %q", got, "hello, world")
	}
	// Without a view the slice is the buffer's own memory, as documented.
	v.Release()
	b.Seek(0, io.SeekStart)
	copy(b.Next(5), "HELLO")
	if got := b.String(); got != "HELLO, world" {
		t.Errorf("content = %q; want the write through the lent slice to show", got)
	}
}

// One byte written far away costs one chunk and a page of the table, not
// memory in proportion to its offset; GetValue, Truncate and Close cost as
// little. (The table used to be a slice of one pointer per chunk of the
// offset: tens of MB at 1<<39.)
func TestSparseContentCostsWhatItHolds(t *testing.T) {
	if runtime.GOARCH == "386" {
		t.Skip("offsets past 2 GiB need 64-bit ints")
	}
	for _, off := range []int64{0, 1 << 30, 1 << 39} {
		b := buffer.New()
		b.SetLimit(1 << 40)
		alloc := allocated(func() {
			if _, err := b.WriteAt([]byte{9}, off); err != nil {
				t.Fatal(err)
			}
			v := b.GetValue()
			if v.Len() != off+1 {
				t.Fatalf("view of %d bytes; want %d", v.Len(), off+1)
			}
			p := make([]byte, 1)
			v.ReadAt(p, off)
			if p[0] != 9 {
				t.Fatalf("view reads %d at %d; want 9", p[0], off)
			}
			v.Release()
			b.Truncate(off / 2)
			b.Close()
		})
		// The one chunk may be new (the race detector makes sync.Pool drop
		// puts at random); the table must cost next to nothing.
		if alloc > pool.DefaultMaxChunk+64<<10 {
			t.Errorf("WriteAt at %d + GetValue + Truncate + Close allocated %d bytes; want at most one chunk and 64 KiB", off, alloc)
		}
	}
}

// allocated returns the bytes f allocated on the heap, chunks from the pool
// included when the pool had none to give.
func allocated(f func()) uint64 {
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	f()
	runtime.ReadMemStats(&m1)
	return m1.TotalAlloc - m0.TotalAlloc
}

// Whatever sizes calibration has seen, a buffer holding 100 bytes holds at
// most 4 KiB of chunks. (A burst of 65 buffers of 600 KiB used to give every
// later buffer a first chunk of 1 MiB.)
func TestCalibrationNeverMakesSmallContentExpensive(t *testing.T) {
	histories := []struct {
		name string
		run  func(p *pool.Pool)
	}{
		{"buffers of 600 KiB", func(p *pool.Pool) {
			// 65 are enough unless a GC makes the pool drop the chunk
			// that tallies their sizes; go on until calibration moved.
			piece := pattern(600 << 10)
			for i := 0; i < 65 || i < 5000 && firstChunk(p) <= 4<<10; i++ {
				b := buffer.NewWithPool(p)
				b.Write(piece)
				b.Close()
			}
		}},
		{"10000 sizes of 1 MiB observed", func(p *pool.Pool) {
			for range 10000 {
				p.Observe(1 << 20)
			}
		}},
		{"random sizes up to 16 MiB", func(p *pool.Pool) {
			r := rand.New(rand.NewPCG(1, 2))
			for range 5000 {
				p.Observe(r.Int64N(16 << 20))
			}
		}},
	}
	writes := []struct {
		name  string
		write func(b *buffer.Buffer)
	}{
		{"one write", func(b *buffer.Buffer) { b.Write(pattern(100)) }},
		{"byte by byte", func(b *buffer.Buffer) {
			for _, c := range pattern(100) {
				b.WriteByte(c)
			}
		}},
		{"WriteAt 90", func(b *buffer.Buffer) { b.WriteAt(pattern(10), 90) }},
		{"ReadFrom", func(b *buffer.Buffer) { b.ReadFrom(io.LimitReader(zeroFree{}, 100)) }},
		{"Get/Put buffer", nil},
	}
	for _, h := range histories {
		p, err := pool.New(pool.Config{})
		if err != nil {
			t.Fatal(err)
		}
		h.run(p)
		if first := firstChunk(p); first <= 4<<10 {
			t.Fatalf("%s: calibrated first chunk %d; the history should make it large", h.name, first)
		}
		bp := buffer.NewPool(p)
		for _, w := range writes {
			var b *buffer.Buffer
			if w.write == nil {
				b = bp.Get()
				b.Write(pattern(100))
			} else {
				b = buffer.NewWithPool(p)
				w.write(b)
			}
			if b.Size() != 100 {
				t.Fatalf("%s, %s: size %d; want 100", h.name, w.name, b.Size())
			}
			if got := b.Cap(); got > 4<<10 {
				t.Errorf("%s, %s: a 100-byte buffer holds %d bytes of chunks; want at most 4 KiB", h.name, w.name, got)
			}
			if w.write == nil {
				bp.Put(b)
			} else {
				b.Close()
			}
		}
	}
}

func firstChunk(p *pool.Pool) int {
	first, _ := p.Layout()
	return first
}

// Parallel WriteAt calls on disjoint ranges keep every byte, as io.WriterAt
// allows clients to expect; run under -race in CI. Pieces cross chunk
// boundaries and leave gaps, and are written in a shuffled order.
func TestParallelWriteAt(t *testing.T) {
	for _, tt := range []struct {
		name        string
		piece, gaps int
	}{
		{"4KiB pieces", 4 << 10, 0},
		{"odd pieces with gaps", 3001, 17},
	} {
		t.Run(tt.name, func(t *testing.T) {
			const writers, pieces = 8, 256
			want := make([]byte, pieces*(tt.piece+tt.gaps))
			data := pattern(len(want))
			type span struct{ off, end int }
			var spans []span
			for i := range pieces {
				off := i * (tt.piece + tt.gaps)
				spans = append(spans, span{off, off + tt.piece})
				copy(want[off:off+tt.piece], data[off:])
			}
			rand.New(rand.NewPCG(3, 4)).Shuffle(len(spans), func(i, j int) { spans[i], spans[j] = spans[j], spans[i] })
			for round := range 4 {
				b := buffer.New()
				if round%2 == 1 {
					v := b.GetValue() // an empty view changes nothing
					v.Release()
				}
				var wg sync.WaitGroup
				for w := range writers {
					wg.Go(func() {
						for i := w; i < len(spans); i += writers {
							s := spans[i]
							if n, err := b.WriteAt(data[s.off:s.end], int64(s.off)); n != s.end-s.off || err != nil {
								t.Errorf("WriteAt(%d bytes, %d) = %d, %v", s.end-s.off, s.off, n, err)
							}
						}
					})
				}
				wg.Wait()
				end := int64(spans[0].end)
				for _, s := range spans {
					end = max(end, int64(s.end))
				}
				if b.Size() != end {
					t.Fatalf("round %d: size %d; want %d", round, b.Size(), end)
				}
				got := make([]byte, end)
				b.ReadAt(got, 0)
				if i := firstDiff(got, want[:end]); i >= 0 {
					t.Fatalf("round %d: content differs first at %d: %d; want %d", round, i, got[i], want[i])
				}
				b.Close()
			}
		})
	}
}

// Parallel ReadAt calls return every byte, as io.ReaderAt allows clients to
// expect; run under -race in CI. The reads cross chunk boundaries, a gap and
// the end of the content, over content made by Write, by NewBytes and with a
// view taken, so that every path of ReadAt runs.
func TestParallelReadAt(t *testing.T) {
	want := pattern(200_000)
	copy(want[70_000:90_000], make([]byte, 20_000)) // a gap, never written
	for _, tt := range []struct {
		name string
		make func() *buffer.Buffer
	}{
		{"written", func() *buffer.Buffer {
			b := buffer.New()
			b.Write(want[:70_000])
			b.WriteAt(want[90_000:], 90_000)
			return b
		}},
		{"NewBytes", func() *buffer.Buffer { return buffer.NewBytes(bytes.Clone(want)) }},
		{"viewed", func() *buffer.Buffer {
			b := buffer.NewWithPool(vtSmallPool(t))
			b.Write(want[:70_000])
			b.WriteAt(want[90_000:], 90_000)
			b.GetValue() // never released: the chunks stay shared
			return b
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.make()
			defer b.Close()
			var wg sync.WaitGroup
			for r := range 8 {
				wg.Go(func() {
					rng := rand.New(rand.NewPCG(uint64(r), 5))
					p := make([]byte, 5000)
					for range 2000 {
						off := rng.IntN(len(want) + 100)
						k := rng.IntN(len(p) + 1)
						n, err := b.ReadAt(p[:k], int64(off))
						wantN := max(0, min(k, len(want)-off))
						if n != wantN || (n < k || off >= len(want)) != (err == io.EOF) || !bytes.Equal(p[:n], want[min(off, len(want)):][:n]) {
							t.Errorf("ReadAt(%d bytes, %d) = %d, %v; want %d bytes of the content", k, off, n, err, wantN)
							return
						}
					}
				})
			}
			wg.Wait()
		})
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// AvailableBuffer has room whenever the position is at the end, after any
// kind of write and after Seek, so appending a number allocates nothing.
// (It used to be nil after writes that took the window path and after every
// Seek.) That holds when the appends cross from one chunk into the next
// too, in every build: purego builds, which cannot compare addresses, copied
// each crossing append from the spare chunk, an allocation each.
func TestAvailableBufferAtTheEnd(t *testing.T) {
	p512, err := pool.New(pool.Config{FirstChunk: 512, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	setups := []struct {
		name string
		make func() *buffer.Buffer
	}{
		{"NewString, Seek end, WriteString", func() *buffer.Buffer {
			b := buffer.NewString("hello")
			b.Seek(0, io.SeekEnd)
			b.WriteString("!")
			return b
		}},
		{"Write, Seek 0, Seek end", func() *buffer.Buffer {
			b := buffer.New()
			b.WriteString("hello")
			b.Seek(0, io.SeekStart)
			b.Seek(0, io.SeekEnd)
			return b
		}},
		{"overwrite up to the end", func() *buffer.Buffer {
			b := buffer.New()
			b.WriteString("hello")
			b.Seek(1, io.SeekStart)
			b.WriteString("ELLO")
			return b
		}},
		{"empty", buffer.New},
		{"full first chunk", func() *buffer.Buffer {
			b := buffer.New()
			b.Write(pattern(1 << 10))
			return b
		}},
		{"after a read to the end", func() *buffer.Buffer {
			b := buffer.NewString("hello")
			io.ReadAll(b)
			return b
		}},
		{"Get", buffer.Get},
		{"appends crossing chunks", func() *buffer.Buffer {
			b := buffer.NewWithPool(p512) // 50 numbers fill 512 bytes and more
			b.WriteString("hello")
			return b
		}},
	}
	for _, tt := range setups {
		b := tt.make()
		size := b.Size()
		if got := b.Available(); got < 64 {
			t.Errorf("%s: Available() = %d; want at least 64", tt.name, got)
		}
		appendInts := func() {
			b.Truncate(size)
			b.Seek(0, io.SeekEnd)
			for x := range 50 {
				b.Write(strconv.AppendInt(b.AvailableBuffer(), int64(x)*1e12, 10))
			}
		}
		// sync.Pool drops puts at random under the race detector, so the
		// allocation check runs without it.
		if raceEnabled {
			appendInts()
		} else if a := testing.AllocsPerRun(100, appendInts); a != 0 {
			t.Errorf("%s: 50 AppendInt via AvailableBuffer: %v allocs per run; want 0", tt.name, a)
		}
		var want bytes.Buffer
		for x := range 50 {
			want.WriteString(strconv.FormatInt(int64(x)*1e12, 10))
		}
		if got := b.String(); got[size:] != want.String() {
			t.Errorf("%s: appended %.80q...; want %.80q...", tt.name, got[size:], want.String())
		}
		b.Close()
	}
	b := buffer.NewString("hello")
	if ab := b.AvailableBuffer(); ab != nil {
		t.Errorf("AvailableBuffer() at position 0 of 5 bytes: cap %d; want nil", cap(ab))
	}
}

// On a buffer that holds no chunk yet, AvailableBuffer lends the first
// chunk itself: the Write of what was appended to it takes nothing more
// from the pool, and the buffer holds that one chunk alone, also when it
// is taken again from its Pool.
func TestAvailableBufferTakesTheFirstChunk(t *testing.T) {
	p, err := pool.New(pool.Config{})
	if err != nil {
		t.Fatal(err)
	}
	bp := buffer.NewPool(p)
	for round := range 3 {
		gets := p.Stats().Gets
		b := bp.Get() // a new buffer, or (not under the race detector, whose sync.Pool drops some) the last one
		var want []byte
		for x := range 20 {
			ab := b.AvailableBuffer()
			b.Write(strconv.AppendInt(ab, int64(x)*123457+1, 10))
			want = strconv.AppendInt(want, int64(x)*123457+1, 10)
		}
		if got := b.String(); got != string(want) {
			t.Fatalf("round %d: content %q; want %q", round, got, want)
		}
		if took := p.Stats().Gets - gets; took > 1 || b.Cap() != int64(p.Config().FirstChunk) {
			t.Errorf("round %d: took %d chunks from the pool, Cap() = %d; want at most 1, and the first chunk of %d bytes alone",
				round, took, b.Cap(), p.Config().FirstChunk)
		}
		bp.Put(b)
	}
}

// After Grow(n), AvailableBuffer has room for n bytes, and the content and
// position are unchanged.
func TestGrow(t *testing.T) {
	for _, n := range []int{0, 1, 63, 64, 100, 1000, 5000, 70 << 10} {
		b := buffer.NewString("abc")
		b.Seek(0, io.SeekEnd)
		b.Grow(n)
		if got := cap(b.AvailableBuffer()); got < n {
			t.Errorf("Grow(%d): AvailableBuffer has room for %d", n, got)
		}
		if b.String() != "abc" || b.Pos() != 3 {
			t.Errorf("Grow(%d) changed the buffer: %q at %d", n, b.String(), b.Pos())
		}
		b.Close()
	}
	// With room left at the end of the last chunk, from less than 64 bytes
	// to more than n: Grow(n) is kept by AvailableBuffer whether that room
	// is enough or not (up to the largest chunk size, 1 KiB here), and what
	// is appended to it is written.
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 1 << 10, MaxChunk: 1 << 10, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, room := range []int{10, 64, 100, 500} {
		for _, n := range []int{64, 100, 101, 500, 2000} {
			b := buffer.NewWithPool(p)
			content := pattern(1<<10 - room)
			b.Write(content)
			b.Grow(n)
			avail := b.AvailableBuffer()
			if cap(avail) < min(n, 1<<10) {
				t.Errorf("room %d, Grow(%d): AvailableBuffer has room for %d", room, n, cap(avail))
			}
			b.Write(append(avail, pattern(n)...))
			if got := b.String(); got != string(content)+string(pattern(n)) {
				t.Errorf("room %d, Grow(%d): content after appending to AvailableBuffer differs", room, n)
			}
			b.Close()
		}
	}
	if !debugBuild {
		b := buffer.NewString("abc")
		b.Grow(-1) // does nothing
		if b.String() != "abc" {
			t.Errorf("Grow(-1) changed the content")
		}
	}
}

// go vet's copylocks check reports a copied Buffer (the buffer carries a
// noCopy marker): a copy shares the original's chunks and writes into
// memory the pool may have handed to another buffer.
func TestVetReportsCopiedBuffer(t *testing.T) {
	out, err := goCommand(t, "vet", "./testdata/copied").CombinedOutput()
	if err == nil || !bytes.Contains(out, []byte("copies lock value")) && !bytes.Contains(out, []byte("passes lock by value")) {
		t.Errorf("go vet on a copied Buffer: err %v, output:\n%s\nwant a copylocks report", err, out)
	}
}

// goCommand returns the go command with args, for a test that runs it; it
// skips the test with -short or when no go command is found.
func goCommand(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	if testing.Short() {
		t.Skip("runs go " + args[0])
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	return exec.Command(gobin, args...)
}

// Grow(n) puts the room where AvailableBuffer's doc says: in the last chunk
// when exactly n bytes are left in it, and in the first chunk Reset kept
// when that holds exactly n, taking no spare chunk (Cap unchanged); and the
// room it asked for lasts: after a write that left less than n in the last
// chunk, AvailableBuffer still has room for n.
func TestGrowRoomLeft(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true}) // first chunk 1 KiB
	if err != nil {
		t.Fatal(err)
	}
	b := buffer.NewWithPool(p)
	b.Write(pattern(10))
	b.Grow(1014) // exactly the room left in the 1 KiB chunk
	if got, c := b.Available(), b.Cap(); got != 1014 || c != 1<<10 {
		t.Errorf("10 bytes in 1 KiB, Grow(1014): Available() = %d, Cap() = %d; want 1014, 1024", got, c)
	}
	b.Close()

	b = buffer.NewWithPool(p)
	b.Write(pattern(8 << 10)) // one chunk of 8 KiB
	b.Reset()                 // keeps it, without content
	b.Grow(8 << 10)
	if got, c := b.Available(), b.Cap(); got != 8<<10 || c != 8<<10 {
		t.Errorf("8 KiB chunk kept by Reset, Grow(8 KiB): Available() = %d, Cap() = %d; want 8192, 8192", got, c)
	}
	b.Close()

	b = buffer.NewWithPool(p)
	b.Write(pattern(10))
	b.Grow(2000)     // more than the chunk has left
	b.WriteByte('x') // leaves the room after it in the chunk as the tail
	if got := b.Available(); got < 2000 {
		t.Errorf("Grow(2000), WriteByte: Available() = %d; want at least 2000", got)
	}
	b.Close()
}

// A spare chunk that AvailableBuffer replaces with a larger one, as Grow
// asks for more room, goes back to the pool: after Close every chunk the
// buffer took is given back. The pool keeps no chunk (MaxRetained -1), so
// each chunk given back is dropped, and Stats counts both exactly.
func TestReplacedSpareGoesBack(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true, MaxRetained: -1}) // first chunk 1 KiB
	if err != nil {
		t.Fatal(err)
	}
	b := buffer.NewWithPool(p)
	b.Write(pattern(1000))
	b.Grow(2000) // a spare chunk of 2 KiB
	b.Grow(5000) // a spare chunk of 8 KiB instead
	b.Write(append(b.AvailableBuffer(), pattern(5000)...))
	b.Close()
	if s := p.Stats(); s.Drops != s.Misses {
		t.Errorf("after Close: %d chunks given back to the pool; want all %d taken", s.Drops, s.Misses)
	}
}

package buffer_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// A buffer from Get is empty, at 0, with the default limit, whatever the
// buffer given back before held; views taken before Put keep their content.
func TestGetPut(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	bp := buffer.NewPool(p)
	bp.Put(nil) // does nothing
	var views []buffer.View
	for i := range 50 {
		b := bp.Get()
		if b.Size() != 0 || b.Pos() != 0 || b.Limit() != buffer.DefaultLimit {
			t.Fatalf("round %d: Get returned size %d, pos %d, limit %d", i, b.Size(), b.Pos(), b.Limit())
		}
		if got, err := b.Read(make([]byte, 1)); got != 0 || err != io.EOF {
			t.Fatalf("round %d: Read of a fresh buffer = %d, %v", i, got, err)
		}
		data := pattern(100 + i*97)
		b.Write(data)
		if i%3 == 0 {
			views = append(views, b.GetValue())
		}
		b.SetLimit(int64(len(data)) + 5)
		b.Seek(int64(i), io.SeekStart)
		if i%5 == 0 {
			b.WriteAt([]byte{1}, 3000) // past the limit: refused
		}
		bp.Put(b)
	}
	for k, v := range views {
		i := k * 3
		if want := pattern(100 + i*97); !v.Equal(want) {
			t.Errorf("view of round %d changed after Put", i)
		}
		v.Release()
	}
}

// A buffer from Get behaves as a new one, whatever was done to it before
// Put, and so does a buffer after Reset (with its limit kept): each way of
// use leaves other state (bytes ahead for Read, a byte or rune to unread,
// room asked for, a limit, a window elsewhere or shared with a view) that Put
// or Reset must clear on the path it takes. Each case runs twice, so that
// the second Put can take the fast path; the probe then reads, unreads,
// writes and reads back, into the kept first chunk.
func TestGetAfterPutIsNew(t *testing.T) {
	for _, tt := range []struct {
		name   string
		use    func(b *buffer.Buffer) (after func(t *testing.T)) // after: checked at the end, or nil
		chunks int64                                             // the probe's writes take this many chunks
		// resetChunks is chunks after Reset, which keeps a chunk that Put
		// does not: one larger than 64 KiB.
		resetChunks int64
	}{
		{"written", func(b *buffer.Buffer) func(*testing.T) { b.Write(pattern(100)); return nil }, 0, 0},
		{"read partly", func(b *buffer.Buffer) func(*testing.T) {
			b.Write(pattern(100))
			b.Seek(0, io.SeekStart)
			b.Read(make([]byte, 10))
			return nil
		}, 0, 0},
		{"rewound", func(b *buffer.Buffer) func(*testing.T) { b.Write(pattern(100)); b.Seek(0, io.SeekStart); return nil }, 0, 0},
		{"ReadByte", func(b *buffer.Buffer) func(*testing.T) {
			b.Write(pattern(100))
			b.Seek(50, io.SeekStart)
			b.ReadByte()
			return nil
		}, 0, 0},
		{"ReadRune", func(b *buffer.Buffer) func(*testing.T) {
			b.Write(pattern(100))
			b.WriteString("é")
			b.Seek(100, io.SeekStart)
			b.ReadRune()
			return nil
		}, 0, 0},
		{"Grow", func(b *buffer.Buffer) func(*testing.T) { b.Write(pattern(100)); b.Grow(3000); return nil }, 0, 0},
		{"AvailableBuffer", func(b *buffer.Buffer) func(*testing.T) { b.Write(pattern(100)); b.AvailableBuffer(); return nil }, 0, 0},
		{"spare", func(b *buffer.Buffer) func(*testing.T) {
			b.Write(pattern(1000))
			b.Write(append(b.AvailableBuffer(), pattern(100)...)) // past the first chunk's end
			return nil
		}, 0, 0},
		{"limited", func(b *buffer.Buffer) func(*testing.T) { b.SetLimit(2000); b.Write(pattern(100)); return nil }, 0, 0},
		{"past the end", func(b *buffer.Buffer) func(*testing.T) { b.Write(pattern(100)); b.Seek(300, io.SeekStart); return nil }, 0, 0},
		{"truncated", func(b *buffer.Buffer) func(*testing.T) { b.Write(pattern(100)); b.Truncate(20); return nil }, 0, 0},
		{"large", func(b *buffer.Buffer) func(*testing.T) {
			b.Write(pattern(100 << 10))
			b.Seek(10, io.SeekStart)
			return nil
		}, 0, 1}, // Reset keeps the first chunk, of 128 KiB, which the probe's first write of 50 bytes lets go
		{"viewed", func(b *buffer.Buffer) func(*testing.T) { b.Write(pattern(100)); b.GetValue().Release(); return nil }, 0, 0},
		{"viewed, held", func(b *buffer.Buffer) func(*testing.T) {
			b.Write(pattern(100))
			v := b.GetValue()
			return func(t *testing.T) {
				if !v.Equal(pattern(100)) {
					t.Errorf("a view taken before Put changed after the buffer was reused")
				}
				v.Release()
			}
		}, 1, 1}, // the view holds the kept chunk: the writes take a new one
		// Room asked for that the kept chunk still has, but not after the
		// probe's first write: a Grow of the last use left behind would
		// make the probe's AvailableBuffer take a spare chunk. Put takes its
		// fast path, or, with a view holding the chunk, keeps it unwritable.
		{"Grow within the chunk", func(b *buffer.Buffer) func(*testing.T) { b.Write(pattern(10)); b.Grow(1000); return nil }, 0, 0},
		{"Grow within the chunk, viewed, held", func(b *buffer.Buffer) func(*testing.T) {
			b.Write(pattern(10))
			b.Grow(1000)
			v := b.GetValue()
			return func(*testing.T) { v.Release() }
		}, 1, 1},
		{"ReadByte, viewed, held", func(b *buffer.Buffer) func(*testing.T) {
			b.Write(pattern(100))
			v := b.GetValue()
			b.Seek(50, io.SeekStart)
			b.ReadByte()
			return func(*testing.T) { v.Release() }
		}, 1, 1},
	} {
		for _, reuse := range []string{"Put", "Reset"} {
			t.Run(tt.name+"/"+reuse, func(t *testing.T) {
				// The pool keeps no chunk (MaxRetained -1), so that every
				// chunk taken from it is a miss, which Stats counts exactly.
				p, err := pool.New(pool.Config{NoCalibration: true, MaxRetained: -1})
				if err != nil {
					t.Fatal(err)
				}
				bp := buffer.NewPool(p)
				b := bp.Get()
				limit := buffer.DefaultLimit // Put clears a limit, Reset keeps it
				for range 2 {
					if after := tt.use(b); after != nil {
						defer after(t)
					}
					if reuse == "Reset" {
						limit = b.Limit()
						b.Reset()
						continue
					}
					bp.Put(b)
					b = getBack(t, bp, b)
				}
				chunks := tt.chunks
				if reuse == "Reset" {
					chunks = tt.resetChunks
				}
				probe(t, p, b, limit, chunks)
			})
		}
	}
}

// probe checks that b, emptied by Put and Get or by Reset, of chunks from p,
// behaves as a new buffer with the given limit, and that when it kept a chunk
// its writes of 150 bytes take the given number of chunks from p (0: it
// writes into that chunk).
func probe(t *testing.T, p *pool.Pool, b *buffer.Buffer, limit, chunks int64) {
	t.Helper()
	if b.Size() != 0 || b.Pos() != 0 || b.Len() != 0 || b.Limit() != limit {
		t.Fatalf("size %d, pos %d, len %d, limit %d; want 0, 0, 0, %d", b.Size(), b.Pos(), b.Len(), b.Limit(), limit)
	}
	if err := b.UnreadByte(); err == nil {
		t.Fatalf("UnreadByte succeeded on an emptied buffer")
	}
	if err := b.UnreadRune(); err == nil {
		t.Fatalf("UnreadRune succeeded on an emptied buffer")
	}
	if n, err := b.Read(make([]byte, 10)); n != 0 || err != io.EOF {
		t.Fatalf("Read = %d, %v; want 0, EOF", n, err)
	}
	kept, misses := b.Cap(), p.Stats().Misses
	if a := b.AvailableBuffer(); len(a) != 0 || cap(a) < 64 {
		t.Fatalf("AvailableBuffer has len %d, cap %d; want 0, at least 64", len(a), cap(a))
	}
	want := pattern(150)
	b.Write(want[:50])
	b.Write(append(b.AvailableBuffer(), want[50:]...))
	if m := p.Stats().Misses; kept >= 150 && m-misses != chunks {
		t.Errorf("writing 150 bytes took %d chunks from the pool; want %d, the buffer kept %d bytes", m-misses, chunks, kept)
	}
	b.Seek(0, io.SeekStart)
	got, err := io.ReadAll(b)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("read back %d bytes (%v); want the %d written", len(got), err, len(want))
	}
}

// A buffer given back keeps at most one small chunk, so pooled buffers
// never hoard memory: a buffer that grew large in small writes keeps its
// first chunk (4 KiB, which a 4 KiB first write gets) and gives the rest
// back; one filled by one large write has no chunk of a size new buffers
// take (its one chunk holds all the content), and keeps none.
func TestPutKeepsLittle(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	bp := buffer.NewPool(p)
	for _, tt := range []struct {
		name    string
		piece   int // bytes per write
		wantCap int64
	}{
		{"10 MiB in 4 KiB writes", 4 << 10, 4 << 10},
		{"one 10 MiB write", 10 << 20, 0},
	} {
		b := bp.Get()
		writeIn(b, pattern(10<<20), tt.piece)
		bp.Put(b)
		b = getBack(t, bp, b)
		if got := b.Cap(); got != tt.wantCap {
			t.Errorf("%s: after Put, the buffer holds %d bytes of chunks; want %d", tt.name, got, tt.wantCap)
		}
		b.Close() // so that the next Get does not find it
	}
}

// bufferOf300 returns a buffer holding 300 bytes, of a pool that does not
// calibrate, and that pool.
func bufferOf300(t *testing.T) (*pool.Pool, *buffer.Buffer) {
	t.Helper()
	p, err := pool.New(pool.Config{NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	b := buffer.NewWithPool(p)
	b.Write(pattern(300))
	return p, b
}

// Reset keeps the first chunk, so the next writes need no chunk from the
// pool; a view taken before keeps its content, and a
// gap written after Reset reads as zeros, not as the old bytes.
func TestResetKeepsFirstChunk(t *testing.T) {
	p, b := bufferOf300(t)
	defer b.Close()
	cap0 := b.Cap()
	b.Reset()
	if b.Cap() != cap0 || b.Size() != 0 || b.Pos() != 0 {
		t.Fatalf("after Reset: Cap %d (want %d), Size %d, Pos %d", b.Cap(), cap0, b.Size(), b.Pos())
	}
	gets := p.Stats().Gets
	b.Seek(200, io.SeekStart)
	b.Write([]byte("x"))
	if p.Stats().Gets != gets {
		t.Errorf("a write after Reset took a chunk from the pool")
	}
	got := make([]byte, 201)
	b.ReadAt(got, 0)
	for i, c := range got[:200] {
		if c != 0 {
			t.Fatalf("after Reset, the gap reads %d at %d; want zeros", c, i)
		}
	}
	// With a view on the first chunk, Reset keeps it too, and the next
	// write takes a chunk of the buffer's own: the view does not change.
	v := b.GetValue()
	defer v.Release()
	b.Reset()
	b.WriteString("new")
	if v.Len() != 201 || v.Bytes()[200] != 'x' {
		t.Errorf("view changed after Reset and a write")
	}
}

// Truncate(0) keeps the first chunk as Reset does, in Python's reuse of a
// buffer (seek(0) and truncate() in either order): the writes that follow
// take no chunk from the pool. It leaves the position, and a write there
// fills the gap before it with zeros, not the old bytes; a view taken before
// keeps its content.
func TestTruncateZeroKeepsFirstChunk(t *testing.T) {
	p, b := bufferOf300(t)
	defer b.Close()
	cap0, gets := b.Cap(), p.Stats().Gets
	for i := range 64 {
		if i%2 == 0 {
			b.Seek(0, io.SeekStart)
			b.Truncate(0)
		} else {
			b.Truncate(0)
			if b.Pos() != 300 || b.Size() != 0 {
				t.Fatalf("cycle %d: after Truncate(0) position %d, size %d; want 300, 0", i, b.Pos(), b.Size())
			}
			b.Seek(0, io.SeekStart)
		}
		b.Write(pattern(300)[i:])
		b.Write(pattern(i))
	}
	if got := p.Stats().Gets; got != gets {
		t.Errorf("64 reuses through Truncate(0) took %d chunks from the pool; want none", got-gets)
	}
	if b.Cap() != cap0 || b.String() != string(append(pattern(300)[63:], pattern(63)...)) {
		t.Errorf("after the reuses: Cap %d (want %d), content %q", b.Cap(), cap0, b.String())
	}
	v := b.GetValue()
	defer v.Release()
	want := v.Bytes()
	b.Truncate(0) // the position stays at 300
	b.Write([]byte("x"))
	if got := b.String(); got != string(make([]byte, 300))+"x" {
		t.Errorf("a write at 300 after Truncate(0): content %q; want 300 zeros and x", got)
	}
	if got := v.Bytes(); string(got) != string(want) {
		t.Errorf("the view changed after Truncate(0) and a write")
	}
}

// A buffer written after Put (misuse) and given back again is not kept
// twice, though its state is then the one Put's fast path takes: Get never
// hands one buffer to two users. (bytesio_debug builds panic at the second
// Put: see the debug tests.)
func TestPutAgainAfterUseIsNotKeptTwice(t *testing.T) {
	if debugBuild {
		t.Skip("debug builds panic on this misuse")
	}
	bp := buffer.NewPool(nil)
	for i := range 20 {
		b := bp.Get()
		b.WriteString("x")
		bp.Put(b)
		b.WriteString("y") // misuse: b was given back
		bp.Put(b)
		c, d := bp.Get(), bp.Get()
		if c == d {
			t.Fatalf("cycle %d: Get returned the same buffer twice after a write and a second Put", i)
		}
		bp.Put(c)
		bp.Put(d)
	}
}

// Put of a buffer bound to another chunk pool closes it instead of keeping
// it; Put of a closed buffer or of a buffer already given back does nothing
// (bytesio_debug builds panic: see the debug tests): Get never hands a
// closed buffer out again.
func TestPutMisuseIsHarmless(t *testing.T) {
	if debugBuild {
		t.Skip("debug builds panic on this misuse")
	}
	bp := buffer.NewPool(nil)
	b := bp.Get()
	b.WriteString("x")
	bp.Put(b)
	bp.Put(b) // twice: ignored
	c := bp.Get()
	d := bp.Get()
	if c == d {
		t.Fatalf("Get returned the same buffer twice after a double Put")
	}
	c.Close()
	bp.Put(c) // closed: not kept, so Get hands out writable buffers
	for i := range 10 {
		f := bp.Get()
		if f == c {
			t.Fatalf("Get %d = the closed buffer given back; want another", i)
		}
		if _, err := f.WriteString("y"); err != nil {
			t.Fatalf("WriteString on the buffer of Get %d = %v; want nil", i, err)
		}
	}
	other, err := pool.New(pool.Config{})
	if err != nil {
		t.Fatal(err)
	}
	e := buffer.NewWithPool(other)
	e.WriteString("y")
	bp.Put(e) // another pool's buffer: closed, not kept
	if _, err := e.Write([]byte("z")); err == nil {
		t.Errorf("a buffer of another pool is usable after Put")
	}
	bp.Put(d)
}

// A buffer that Put's fast path would keep, back from its own Pool and
// holding as much as before, is still refused by a Pool of another chunk
// pool: Put closes it, so that its chunks go back to its own pool, and that
// Pool's Get never hands it out.
func TestPutIntoAnotherPoolAfterReuse(t *testing.T) {
	other, err := pool.New(pool.Config{})
	if err != nil {
		t.Fatal(err)
	}
	own := buffer.NewPool(other)
	content := pattern(100)
	b := own.Get()
	b.Write(content)
	own.Put(b)
	b = getBack(t, own, b)
	b.Write(content) // as much as the first use: Put's fast path would keep b
	bp := buffer.NewPool(nil)
	puts := other.Stats().Puts
	bp.Put(b)
	if got := other.Stats().Puts - puts; got != 1 {
		t.Errorf("Put of a buffer of another chunk pool gave %d chunks back to its pool; want its 1", got)
	}
	if !debugBuild { // where using a closed buffer panics
		if _, err := b.WriteString("z"); err == nil {
			t.Errorf("a buffer of another chunk pool is usable after Put")
		}
	}
	for i := range 10 {
		if bp.Get() == b {
			t.Fatalf("Get %d = the buffer of another chunk pool given back; want another", i)
		}
	}
}

// A buffer reports the sizes it held when emptied to the pool's calibration
// in batches: every 64 sizes of one class, when a size of another class
// comes, and at Close; none is lost on those paths.
func TestSizesReachCalibration(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	count := func(max int64) (n uint64) {
		for _, c := range p.Stats().Sizes {
			if c.Max == max {
				n = c.Count
			}
		}
		return n
	}
	b := buffer.NewWithPool(p)
	for i := range 64 {
		b.Write(pattern(100))
		b.Reset()
		if want := uint64(0); i < 63 && count(128) != want {
			t.Fatalf("after %d resets the pool counts %d sizes; want %d (tallied in the buffer)", i+1, count(128), want)
		}
	}
	if got := count(128); got != 64 {
		t.Fatalf("after 64 resets the pool counts %d sizes of 100 bytes; want 64", got)
	}
	b.Write(pattern(100))
	b.Reset()
	b.Write(pattern(5000)) // another class: the 100 goes out
	b.Reset()
	if got := count(128); got != 65 {
		t.Fatalf("after a size of another class the pool counts %d sizes of 100 bytes; want 65", got)
	}
	b.Close()
	if got := count(8192); got != 1 {
		t.Fatalf("after Close the pool counts %d sizes of 5000 bytes; want 1", got)
	}
}

// Put tallies the size of the content it empties, on its fast path (a
// small first chunk kept as the tail) as on the others. The tally reaches
// the pool in batches of 64 per buffer, so each buffer that sync.Pool drops
// (under the race detector it drops some on purpose) loses at most 63.
func TestPutTalliesSizes(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	bp := buffer.NewPool(p)
	const cycles = 640
	seen := map[*buffer.Buffer]bool{}
	for range cycles {
		b := bp.Get()
		seen[b] = true
		b.Write(pattern(100))
		bp.Put(b)
	}
	var got uint64
	for _, c := range p.Stats().Sizes {
		if c.Max == 128 {
			got = c.Count
		}
	}
	if lost := uint64(63 * len(seen)); got > cycles || got+lost < cycles {
		t.Errorf("after %d cycles of 100 bytes with %d buffers the pool counts %d sizes; want %d, less at most %d",
			cycles, len(seen), got, cycles, lost)
	}
}

// Put keeps a first chunk of the size a new buffer takes, up to 64 KiB; the
// first write after Get checks a kept chunk larger than 4 KiB against the
// first-chunk bound, so small content never sits in it. The pools keep no
// chunk (MaxRetained -1), so that every chunk taken from them is a miss,
// which Stats counts exactly.
func TestPutKeepsFirstChunkOfTheLayout(t *testing.T) {
	for _, tt := range []struct {
		first    int
		write    int   // content of the first round
		keep     int64 // Cap after Put and Get
		small    int   // the next round's first write
		smallCap int64 // Cap after it
	}{
		{16 << 10, 10 << 10, 16 << 10, 1 << 10, 16 << 10}, // 16 KiB = 16 × 1 KiB: within the bound
		{16 << 10, 10 << 10, 16 << 10, 100, 4 << 10},      // 100 bytes: a 4 KiB chunk instead
		{64 << 10, 60 << 10, 64 << 10, 8 << 10, 64 << 10},
		{128 << 10, 100 << 10, 0, 100 << 10, 128 << 10}, // over 64 KiB: not kept
	} {
		p, err := pool.New(pool.Config{NoCalibration: true, FirstChunk: tt.first, MaxRetained: -1})
		if err != nil {
			t.Fatal(err)
		}
		bp := buffer.NewPool(p)
		b := bp.Get()
		b.Write(pattern(tt.write))
		bp.Put(b)
		b = getBack(t, bp, b)
		if got := b.Cap(); got != tt.keep {
			t.Errorf("first %d, %d bytes written: Cap after Put and Get %d; want %d", tt.first, tt.write, got, tt.keep)
		}
		misses := p.Stats().Misses
		want := pattern(tt.small)
		b.Write(want)
		if got := b.Cap(); got != tt.smallCap {
			t.Errorf("first %d, then %d bytes: Cap %d; want %d", tt.first, tt.small, got, tt.smallCap)
		}
		if tt.keep == tt.smallCap && p.Stats().Misses != misses {
			t.Errorf("first %d, then %d bytes: the write took a chunk from the pool; want the kept one", tt.first, tt.small)
		}
		if v := b.GetValue(); !v.Equal(want) {
			t.Errorf("first %d, then %d bytes: content differs", tt.first, tt.small)
		} else {
			v.Release()
		}
		bp.Put(b)
	}
}

// A buffer given back to a Pool, or Reset, keeps its first chunk, and when
// its content grew past that chunk, the chunks that follow it in its next
// use grow as the pool's calibration says then, as a new buffer's would,
// not as they did in its first use: a buffer whose first chunk (16 KiB, the
// bound for a first write of 1 KiB) was laid out when calibration said
// 16 KiB then takes a 64 KiB chunk past it, once calibration says 64 KiB,
// where it took 32 KiB and then 64 KiB.
func TestReuseFollowsCalibratedLayout(t *testing.T) {
	content := pattern(64 << 10)
	fill := func(b *buffer.Buffer) {
		b.Write(content[:1<<10]) // the first write: a first chunk of at most 16 KiB
		for off := 1 << 10; off < len(content); off += 4 << 10 {
			b.Write(content[off:min(off+4<<10, len(content))])
		}
	}
	for _, how := range []string{"Put", "Reset"} {
		p, err := pool.New(pool.Config{})
		if err != nil {
			t.Fatal(err)
		}
		bp := buffer.NewPool(p)
		calibrateTo(t, p, 16<<10)
		var b *buffer.Buffer
		reuse := func() {
			if how == "Put" {
				bp.Put(b)
				b = getBack(t, bp, b)
			} else {
				b.Reset()
			}
		}
		if how == "Put" {
			b = bp.Get()
		} else {
			b = buffer.NewWithPool(p)
		}
		b.Write(content[:12<<10])
		reuse()
		calibrateTo(t, p, 64<<10)
		for use := range 2 {
			fill(b)
			fresh := buffer.NewWithPool(p)
			fill(fresh)
			if want := int64(80 << 10); fresh.Cap() != want {
				t.Fatalf("%s: a new buffer holds 64 KiB in %d bytes of chunks; want %d (16 KiB, then 64 KiB)", how, fresh.Cap(), want)
			}
			// The use right after calibration changed grows as laid out
			// before (the content stayed in the first chunk); emptying the
			// buffer lays it out again.
			if use == 1 && b.Cap() != fresh.Cap() {
				t.Errorf("%s: a reused buffer holds 64 KiB in %d bytes of chunks; want %d, as a new buffer", how, b.Cap(), fresh.Cap())
			}
			if v := b.GetValue(); !v.Equal(content) {
				t.Errorf("%s, use %d: content differs", how, use)
			} else {
				v.Release()
			}
			fresh.Close()
			reuse()
		}
		if how == "Put" {
			bp.Put(b)
		} else {
			b.Close()
		}
	}
}

// A buffer given back while a view shares its first chunk keeps the chunk:
// the view keeps its content, the next write takes a chunk of the buffer's
// own while the view lives, and the kept chunk itself once it is released.
func TestPutWithViewKeepsFirstChunk(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true, FirstChunk: 16 << 10, MaxRetained: -1})
	if err != nil {
		t.Fatal(err)
	}
	bp := buffer.NewPool(p)
	for _, release := range []bool{false, true} {
		b := bp.Get()
		old := pattern(12 << 10)
		b.Write(old)
		v := b.GetValue()
		bp.Put(b)
		if release {
			v.Release()
		}
		b = getBack(t, bp, b)
		misses := p.Stats().Misses
		fresh := bytes.Repeat([]byte("new content "), 100) // 1200 bytes: 16 KiB is within the bound
		b.Write(fresh)
		if got, want := p.Stats().Misses-misses, map[bool]int64{false: 1, true: 0}[release]; got != want {
			t.Errorf("view released %v: the first write took %d chunks from the pool; want %d", release, got, want)
		}
		if !release {
			if !v.Equal(old) {
				t.Errorf("the view changed after Put, Get and a write")
			}
			v.Release()
		}
		if s := b.String(); s != string(fresh) {
			t.Errorf("view released %v: content differs from what was written", release)
		}
		if c := p.Stats().Copies; c != 0 {
			t.Errorf("view released %v: %d chunk copies; want none (the content was empty)", release, c)
		}
		bp.Put(b)
	}
}

// The first write after Put checks the chunk kept larger than
// SmallFirstChunk once, for that write, and the buffer then works as one
// never given back: emptied by Truncate(0), which gives its chunks back, it
// takes new ones for what it reads or is written.
func TestKeptChunkCheckedOnce(t *testing.T) {
	body := vtData(100, 4)
	for _, refill := range []struct {
		name string
		fill func(b *buffer.Buffer) error
	}{
		{"ReadFrom", func(b *buffer.Buffer) error { _, err := b.ReadFrom(bytes.NewReader(body)); return err }},
		{"Write", func(b *buffer.Buffer) error { _, err := b.Write(body); return err }},
	} {
		bp, b := keptLarge(t)
		b.Write(vtData(10_000, 3)) // a bound of 16 × 16 KiB: the 64 KiB chunk stays
		if got := b.Cap(); got != 64<<10 {
			t.Fatalf("after Put, Get and a write of 10 000 bytes: Cap() = %d; want the 64 KiB chunk kept", got)
		}
		b.Truncate(0)
		b.Seek(0, io.SeekStart)
		if err := refill.fill(b); err != nil {
			t.Fatalf("%s of 100 bytes after Truncate(0): %v", refill.name, err)
		}
		if got := b.String(); got != string(body) || b.Pos() != 100 {
			t.Errorf("%s after Truncate(0): %d bytes at position %d; want the 100 read, at 100", refill.name, len(got), b.Pos())
		}
		if got := b.Cap(); got > buffer.SmallFirstChunk {
			t.Errorf("%s of 100 bytes after Truncate(0): Cap() = %d; want at most %d", refill.name, got, buffer.SmallFirstChunk)
		}
		bp.Put(b)
	}
}

// The first write into a chunk Put kept, after Get and SetLimit below the
// chunk's size, keeps to the limit, with Write and with WriteString: a write
// past it, first or not, fails with ErrTooLarge and leaves the content as
// it was.
func TestKeptChunkUnderLimit(t *testing.T) {
	for _, w := range []struct {
		name  string
		write func(b *buffer.Buffer, p []byte) (int, error)
	}{
		{"Write", (*buffer.Buffer).Write},
		{"WriteString", func(b *buffer.Buffer, p []byte) (int, error) { return b.WriteString(string(p)) }},
	} {
		_, b := keptLarge(t)
		b.SetLimit(20_000)
		if k, err := w.write(b, vtData(25_000, 4)); k != 0 || !errors.Is(err, buffer.ErrTooLarge) || b.Size() != 0 {
			t.Fatalf("first %s of 25 000 bytes under a limit of 20 000: %d, %v, Size() %d; want 0, ErrTooLarge, 0", w.name, k, err, b.Size())
		}
		first := vtData(10_000, 5) // a bound of 16 × 16 KiB: the 64 KiB chunk stays
		if n, err := w.write(b, first); n != len(first) || err != nil {
			t.Fatalf("%s of 10 000 bytes under a limit of 20 000: %d, %v", w.name, n, err)
		}
		if got := b.Cap(); got != 64<<10 {
			t.Fatalf("after the first %s: Cap() = %d; want the 64 KiB chunk kept", w.name, got)
		}
		for _, n := range []int{10_001, 15_000, 40_000} {
			if k, err := w.write(b, vtData(n, 6)); k != 0 || !errors.Is(err, buffer.ErrTooLarge) {
				t.Errorf("%s of %d bytes after 10 000 under a limit of 20 000: %d, %v; want 0, ErrTooLarge", w.name, n, k, err)
			}
		}
		if got := b.String(); got != string(first) || b.Pos() != int64(len(first)) {
			t.Errorf("after the failed %ss: %d bytes at position %d; want the 10 000 written, at 10 000", w.name, len(got), b.Pos())
		}
		if n, err := w.write(b, vtData(10_000, 7)); n != 10_000 || err != nil {
			t.Errorf("%s of 10 000 bytes up to the limit: %d, %v", w.name, n, err)
		}
		b.Close()
	}
}

// getBack returns b, just given back to bp, from bp.Get. sync.Pool keeps b
// for the processor the goroutine ran on, so another may hand out new
// buffers until the goroutine runs there again. When b does not come back,
// as with a quarter of the puts under the race detector, whose sync.Pool
// drops them on purpose, it puts b into the pool again (buffer.Requeue),
// up to 50 times; the test is skipped if b never comes back.
func getBack(t *testing.T, bp *buffer.Pool, b *buffer.Buffer) *buffer.Buffer {
	t.Helper()
	for range 50 {
		if c, ok := tryGetBack(bp, b); ok {
			return c
		}
		buffer.Requeue(bp, b)
	}
	t.Skip("the pool did not hand the buffer back")
	return nil
}

// tryGetBack is getBack that reports whether b came back instead of
// skipping the test.
func tryGetBack(bp *buffer.Pool, b *buffer.Buffer) (*buffer.Buffer, bool) {
	for range 1000 {
		if c := bp.Get(); c == b {
			return c, true
		}
		runtime.Gosched()
	}
	return nil, false
}

// Sizes at the edges of calibration's classes, (Max/2, Max], reach the pool
// in the right class, however they follow each other.
func TestSizesAtClassEdges(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	sizes := []int{1, 2, 2, 3, 4, 5, 8, 9, 9, 16, 17, 64, 65, 4096, 4097, 1, 1, 3, 5, 4, 17, 16, 4097, 4096, 3, 2}
	want := map[int64]uint64{}
	for _, n := range sizes {
		class := int64(1) // the smallest power of two >= n
		for class < int64(n) {
			class *= 2
		}
		want[class]++
	}
	b := buffer.NewWithPool(p)
	for _, n := range sizes {
		b.Write(pattern(n))
		b.Reset()
	}
	b.Close() // reports what is tallied
	got := map[int64]uint64{}
	for _, c := range p.Stats().Sizes {
		if c.Count > 0 {
			got[c.Max] = c.Count
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("sizes by class %v; want %v", got, want)
	}
}

// A buffer that had a limit keeps its first chunk through Reset and Put with
// the window cut at that limit; after Get, AvailableBuffer moves the window
// to the whole chunk. The tail must move with it, or the Write that follows
// puts the bytes past the end of the content (found by FuzzOps).
func TestAvailableBufferAfterPutOfLimitedBuffer(t *testing.T) {
	bp := buffer.NewPool(newSmallPool(t))
	b := bp.Get()
	b.Seek(16, io.SeekStart)
	b.Write(make([]byte, 49)) // a first chunk of 128 bytes
	b.Reset()
	b.SetLimit(64)
	b.Reset()
	bp.Put(b)
	b = bp.Get()
	defer bp.Put(b)
	b.Grow(447)
	b.WriteByte(0xe5)
	if _, err := b.Write(append(b.AvailableBuffer(), '0')); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "\xe50" {
		t.Errorf("content = %q; want %q", got, "\xe50")
	}
}

// Put restores the default limit of a buffer given back, and the window,
// cut at the limit the buffer had, is the whole first chunk again: the
// room after the next Get's first write is the rest of the chunk, and the
// Put after that, of a buffer then plain, finds it so (bytesio_debug builds
// check it there; before, they panicked).
func TestPutUncutsWindowOfLimitedBuffer(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	bp := buffer.NewPool(p)
	b := bp.Get()
	b.Write(make([]byte, 3000)) // a first chunk of 4 KiB
	b.SetLimit(2000)            // cuts the window at 2000 bytes
	b.Seek(0, io.SeekStart)
	b.Write([]byte("a"))
	bp.Put(b)
	b = getBack(t, bp, b)
	b.Write([]byte("x"))
	if got, want := b.Available(), int(b.Cap())-1; got != want || b.Cap() != 4096 {
		t.Errorf("after Put, Get and a 1-byte write: Available() = %d, Cap() = %d; want %d, 4096", got, b.Cap(), want)
	}
	bp.Put(b)
	b = getBack(t, bp, b)
	b.Write([]byte("y"))
	if got := b.String(); got != "y" {
		t.Errorf("content %q; want %q", got, "y")
	}
	bp.Put(b)
}

// The bound Reset keeps a chunk by is that of the last first write the
// buffer checked: a first write of 1 byte into the chunk an earlier Reset
// left as the tail is not checked, so Reset keeps the 64 KiB chunk that the
// bound of the first use's 3000-byte write allows; the next first write,
// of 1 byte, checks it and lets it go, so the buffer holds that memory only
// until then.
func TestResetStaleBoundHeldUntilFirstWrite(t *testing.T) {
	b := buffer.New()
	defer b.Close()
	b.Write(make([]byte, 3000)) // use 1: a bound of 64 KiB
	b.Reset()
	b.Write([]byte("y")) // use 2: into the tail, unchecked
	b.Write(bytes.Repeat([]byte("z"), 200<<10))
	b.Reset()
	if c := b.Cap(); c > 64<<10 {
		t.Errorf("after Reset, Cap() = %d; want at most 64 KiB, the bound of use 1", c)
	}
	b.Write([]byte("w"))
	if c := b.Cap(); c > buffer.SmallFirstChunk {
		t.Errorf("after a first write of 1 byte, Cap() = %d; want at most %d", c, buffer.SmallFirstChunk)
	}
	if got := b.String(); got != "w" {
		t.Errorf("content %q; want %q", got, "w")
	}
}

// calibrateTo feeds p's calibration sizes of size until the first chunk of
// new buffers is size, a power of two.
func calibrateTo(t *testing.T, p *pool.Pool, size int) {
	t.Helper()
	for range 1 << 20 {
		if first, _ := p.Layout(); first == size {
			return
		}
		p.Observe(int64(size))
	}
	first, _ := p.Layout()
	t.Fatalf("calibration stayed at a first chunk of %d bytes; want %d", first, size)
}

// calibratedPool returns a chunk pool calibrated to a first chunk of size
// bytes, and a buffer Pool on it. The chunk pool keeps no chunk given back
// (MaxRetained < 0), so every chunk a buffer takes from it is a miss, which
// its Stats count at once (a hit is counted only when its chunk's tallies
// are flushed).
func calibratedPool(t *testing.T, size int) (*pool.Pool, *buffer.Pool) {
	t.Helper()
	p, err := pool.New(pool.Config{MaxRetained: -1})
	if err != nil {
		t.Fatal(err)
	}
	calibrateTo(t, p, size)
	return p, buffer.NewPool(p)
}

// writeIn writes content into b in writes of n bytes.
func writeIn(b *buffer.Buffer, content []byte, n int) {
	for off := 0; off < len(content); off += n {
		b.Write(content[off:min(off+n, len(content))])
	}
}

// A buffer reused for content larger than its first chunk keeps, when given
// back, the larger chunk its content grew into, when that is of a size a
// new buffer could take now (the pool's first size) and within the bound of
// its first write: its next use holds the content in that one chunk and
// takes none from the pool. So pooled buffers follow the pool's calibration
// as content grows, instead of keeping the first chunk of their first use
// and taking the rest from the pool on every use.
func TestPutKeepsOutgrownChunk(t *testing.T) {
	p, bp := calibratedPool(t, 4<<10)
	content := pattern(16 << 10)
	b := bp.Get()
	writeIn(b, content, 1<<10) // chunks of 4, 8 and 16 KiB; the bound is 16 KiB
	bp.Put(b)
	b = getBack(t, bp, b)
	if got := b.Cap(); got != 4<<10 {
		t.Fatalf("first size 4 KiB: Cap after Put and Get %d; want 4 KiB, the first chunk", got)
	}
	calibrateTo(t, p, 16<<10)
	writeIn(b, content, 1<<10)
	bp.Put(b)
	b = getBack(t, bp, b)
	if got := b.Cap(); got != 16<<10 {
		t.Fatalf("first size 16 KiB: Cap after Put and Get %d; want 16 KiB, the chunk the content grew into", got)
	}
	misses := p.Stats().Misses
	writeIn(b, content, 1<<10)
	if got := p.Stats().Misses - misses; got != 0 || b.Cap() != 16<<10 {
		t.Errorf("the next use took %d chunks from the pool and holds %d bytes; want none and 16 KiB", got, b.Cap())
	}
	if v := b.GetValue(); !v.Equal(content) {
		t.Errorf("content differs from what was written")
	} else {
		v.Release()
	}
	bp.Put(b)
}

// Reset keeps the largest chunk the buffer holds alone within the bound of
// its first write, so that a buffer reused through Reset holds content of
// the same size in one chunk; never a chunk past that bound, and never one
// a view shares.
func TestResetKeepsOutgrownChunk(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true, MaxRetained: -1}) // first chunk 1 KiB
	if err != nil {
		t.Fatal(err)
	}
	content := pattern(16 << 10)
	for _, tt := range []struct {
		name  string
		first int   // size of the first write
		keep  int64 // Cap after Reset
	}{
		{"first write 1 KiB", 1 << 10, 16 << 10}, // bound 16 KiB
		{"first write 5 bytes", 5, 4 << 10},      // bound 4 KiB
	} {
		b := buffer.NewWithPool(p)
		for round := range 3 {
			b.Write(content[:tt.first])
			writeIn(b, content[tt.first:], 1<<10)
			b.Reset()
			if got := b.Cap(); got != tt.keep {
				t.Errorf("%s, round %d: Cap after Reset %d; want %d", tt.name, round, got, tt.keep)
			}
		}
		misses := p.Stats().Misses
		b.Write(content[:tt.first])
		writeIn(b, content[tt.first:], 1<<10)
		if tt.keep == 16<<10 && p.Stats().Misses != misses {
			t.Errorf("%s: writing the content again took chunks from the pool; want the kept one", tt.name)
		}
		if v := b.GetValue(); !v.Equal(content) {
			t.Errorf("%s: content differs from what was written", tt.name)
		} else {
			v.Release()
		}
		b.Close()
	}

	// A view holds every chunk, or the first chunk alone (taken while the
	// content fit it): Reset keeps none of them writable, and the view keeps
	// its content through the writes that follow. This pool keeps the
	// chunks given back, so that a chunk given back too early would be
	// written again.
	reuse, err := pool.New(pool.Config{NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, viewed := range []int{len(content), 1 << 10} {
		b := buffer.NewWithPool(reuse)
		writeIn(b, content[:viewed], 1<<10)
		v := b.GetValue()
		writeIn(b, content[viewed:], 1<<10)
		b.Reset()
		fresh := bytes.Repeat([]byte("new content "), 2000)
		writeIn(b, fresh, 1<<10)
		other := buffer.NewWithPool(reuse) // takes a 1 KiB chunk
		other.Write(fresh[:1<<10])
		if !v.Equal(content[:viewed]) {
			t.Errorf("view of %d bytes: it changed after Reset and writes", viewed)
		}
		if s := b.String(); s != string(fresh) {
			t.Errorf("view of %d bytes: content after Reset and writes differs from what was written", viewed)
		}
		v.Release()
		b.Close()
		other.Close()
	}
}

// Reset and Put of sparse content take time for the chunks held, not for
// the gaps between them (promote looks at the few chunks below the largest
// size): the content below has chunks 2^36 chunk slots apart, and a loop
// over the slots would not end.
func TestEmptySparseContent(t *testing.T) {
	if strconv.IntSize < 64 {
		t.Skip("offsets past 2 GiB need 64-bit ints")
	}
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 64 << 10, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	bp := buffer.NewPool(p)
	for _, put := range []bool{false, true} {
		b := bp.Get()
		b.SetLimit(1 << 53)
		b.Write(pattern(10)) // a first chunk of 64 bytes; 4 KiB is the bound
		b.Write(pattern(1000))
		if _, err := b.WriteAt([]byte("far"), 1<<52); err != nil { // a 64 KiB chunk
			t.Fatal(err)
		}
		if put {
			bp.Put(b)
			b = getBack(t, bp, b)
		} else {
			b.Reset()
		}
		if b.Size() != 0 || b.Cap() > 4<<10 {
			t.Errorf("put %v: Size %d, Cap %d after emptying; want 0 and one chunk within the bound", put, b.Size(), b.Cap())
		}
		bp.Put(b)
	}
}

// ReadFrom of a body that fills the buffer's one chunk exactly reads the
// reader's end into a 64-byte chunk, so that no chunk joins the content
// only to be dropped. The buffer keeps that chunk for its next such read,
// through Reset and Put, and gives it back at Close.
func TestReadFromKeepsProbe(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true, MaxRetained: -1}) // first chunk 1 KiB
	if err != nil {
		t.Fatal(err)
	}
	drops := func(size int) int64 {
		for _, c := range p.Stats().Classes {
			if c.Size == size {
				return c.Drops
			}
		}
		return -1
	}
	bp := buffer.NewPool(p)
	body := pattern(1 << 10)
	b := bp.Get()
	for round := range 4 {
		misses := p.Stats().Misses
		if n, err := b.ReadFrom(bytes.NewReader(body)); n != int64(len(body)) || err != nil {
			t.Fatalf("round %d: ReadFrom = %d, %v; want %d, nil", round, n, err, len(body))
		}
		if got, want := p.Stats().Misses-misses, map[bool]int64{true: 2, false: 0}[round == 0]; got != want {
			t.Errorf("round %d: ReadFrom took %d chunks from the pool; want %d", round, got, want)
		}
		if v := b.GetValue(); !v.Equal(body) {
			t.Errorf("round %d: content differs from the body", round)
		} else {
			v.Release()
		}
		if round%2 == 0 {
			b.Reset()
		} else {
			bp.Put(b)
			b = getBack(t, bp, b)
		}
	}
	before64, before1K := drops(64), drops(1<<10)
	b.Close()
	if got64, got1K := drops(64)-before64, drops(1<<10)-before1K; got64 != 1 || got1K != 1 {
		t.Errorf("Close gave back %d chunks of 64 bytes and %d of 1 KiB; want 1 and 1", got64, got1K)
	}
}

// TestReadFromEmptyKeepsChunk checks that a ReadFrom that reads nothing,
// into a buffer that kept its first chunk through Put or Reset, leaves that
// chunk in place: the write that follows takes no chunk from the pool.
func TestReadFromEmptyKeepsChunk(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true, MaxRetained: -1})
	if err != nil {
		t.Fatal(err)
	}
	bp := buffer.NewPool(p)
	b := bp.Get()
	for round := range 4 {
		b.WriteString("warm")
		if round%2 == 0 {
			b.Reset()
		} else {
			bp.Put(b)
			b = getBack(t, bp, b)
		}
		kept, misses := b.Cap(), p.Stats().Misses
		if kept == 0 {
			t.Fatalf("round %d: the buffer kept no chunk", round)
		}
		// Each also after a call that leaves the chunk without its tail:
		// ReadFrom then reads through the general loop, whose clean-up
		// once dropped every chunk past the content, the kept one too.
		for _, untail := range []struct {
			name string
			f    func()
		}{
			{"", func() {}},
			{" after a Seek there and back", func() { b.Seek(1, io.SeekStart); b.Seek(0, io.SeekStart) }},
			{" after SetLimit", func() { b.SetLimit(1 << 20) }},
		} {
			for _, r := range []io.Reader{strings.NewReader(""), iotest.ErrReader(io.EOF), &stuckReader{}} {
				untail.f()
				b.ReadFrom(r)
				if got := b.Cap(); got != kept {
					t.Errorf("round %d: Cap() = %d after a ReadFrom of nothing%s; want %d", round, got, untail.name, kept)
				}
			}
		}
		b.WriteString("after")
		if got := p.Stats().Misses - misses; got != 0 {
			t.Errorf("round %d: ReadFrom of nothing and a write took %d chunks from the pool; want 0", round, got)
		}
		if v := b.GetValue(); !v.Equal([]byte("after")) {
			t.Errorf("round %d: content %q; want %q", round, v.Bytes(), "after")
		} else {
			v.Release()
		}
	}
	b.Close()
}

// A ReadFrom of nothing past the end of a chunk that Reset kept drops the
// chunk it added at the position and keeps the kept one.
func TestReadFromEmptyPastKeptChunk(t *testing.T) {
	b := buffer.New()
	defer b.Close()
	b.WriteString("warm")
	b.Reset()
	kept := b.Cap()
	b.Seek(5000, io.SeekStart) // past the kept chunk of 1 KiB
	if n, err := b.ReadFrom(strings.NewReader("")); n != 0 || err != nil {
		t.Fatalf("ReadFrom = %d, %v; want 0, nil", n, err)
	}
	if got := b.Cap(); got != kept || kept == 0 || b.Size() != 0 || b.Pos() != 5000 {
		t.Errorf("Cap, Size, Pos = %d, %d, %d; want %d (not 0), 0, 5000", got, b.Size(), b.Pos(), kept)
	}
	b.WriteString("x")
	want := append(make([]byte, 5000), 'x')
	if v := b.GetValue(); !v.Equal(want) {
		t.Errorf("content of %d bytes; want 5000 zeros and x", v.Len())
	}
}

// A ReadFrom of nothing that finds the chunk Reset kept past the bound on
// first chunks (calibration lowered the layout since) lets it go, as any
// first write does, and leaves no table entry without its chunk: it once
// kept the emptied entry and dereferenced its nil chunk.
func TestReadFromEmptyAfterKeptChunkDropped(t *testing.T) {
	p, err := pool.New(pool.Config{MaxChunk: 1 << 24})
	if err != nil {
		t.Fatal(err)
	}
	b := buffer.NewWithPool(p)
	defer b.Close()
	b.Write(make([]byte, 4<<20)) // a first chunk of 4 MiB
	b.Reset()                    // keeps it
	p.ObserveN(100, 1_000_000)   // the layout falls to small chunks
	b.Seek(1<<16, io.SeekStart)  // past the first chunk of the new layout
	if n, err := b.ReadFrom(strings.NewReader("")); n != 0 || err != nil {
		t.Fatalf("ReadFrom = %d, %v; want 0, nil", n, err)
	}
	if b.Size() != 0 || b.Pos() != 1<<16 || b.Cap() != 0 {
		t.Errorf("Size, Pos, Cap = %d, %d, %d; want 0, %d, 0", b.Size(), b.Pos(), b.Cap(), 1<<16)
	}
	b.WriteString("x")
	if v := b.GetValue(); !v.Equal(append(make([]byte, 1<<16), 'x')) {
		t.Errorf("content of %d bytes; want %d zeros and x", v.Len(), 1<<16)
	}
}

// A pooled buffer filled by ReadFrom with bodies larger than 4 KiB keeps,
// once calibration has seen them, the chunk that holds a body, and reads
// the next body straight into it: from the second use on, a cycle of Get,
// ReadFrom and Put takes no chunk from the pool. The first read of a use
// sets the bound on the first chunk by its size (a read is a write);
// before, ReadFrom counted it as 1 byte, the bound stayed at 4 KiB, and
// every use took the chunks past 4 KiB from the pool again.
func TestReadFromKeptChunk(t *testing.T) {
	for _, size := range []int{8 << 10, 16 << 10, 64 << 10} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			p, bp := calibratedPool(t, size)
			b := bp.Get()
			for use := range 6 {
				body := pattern(size)
				body[0] = byte(use) // each body differs
				gets := p.Stats().Gets
				if n, err := b.ReadFrom(bytes.NewReader(body)); n != int64(size) || err != nil {
					t.Fatalf("use %d: ReadFrom = %d, %v; want %d, nil", use, n, err, size)
				}
				if v := b.GetValue(); !v.Equal(body) {
					t.Fatalf("use %d: content differs from the body", use)
				} else {
					v.Release()
				}
				if got := p.Stats().Gets - gets; use >= 2 && got != 0 {
					t.Errorf("use %d: ReadFrom took %d chunks from the pool; want none", use, got)
				}
				if got := b.Cap(); got != int64(size)+64 && use >= 2 {
					t.Errorf("use %d: Cap() = %d; want %d, the kept chunk and the 64-byte one", use, got, size+64)
				}
				bp.Put(b)
				b = getBack(t, bp, b)
			}
			b.Close()
		})
	}
}

// A read into a kept chunk is the first write of the use: when it is
// small, the bound on first chunks moves its bytes to a small chunk and
// gives the kept one back, as a small first Write would; when a view
// shares the kept chunk, ReadFrom reads into a chunk of its own and the
// view keeps its content; a limit below the chunk's size holds.
func TestReadFromIntoKeptChunk(t *testing.T) {
	p, bp := calibratedPool(t, 16<<10)
	// kept returns a buffer from bp that kept a 16 KiB chunk.
	kept := func(t *testing.T) *buffer.Buffer {
		t.Helper()
		b := bp.Get()
		for range 3 {
			b.ReadFrom(bytes.NewReader(pattern(16 << 10)))
			bp.Put(b)
			b = getBack(t, bp, b)
		}
		if got := b.Cap(); got < 16<<10 {
			t.Fatalf("Cap() = %d; want a kept chunk of 16 KiB", got)
		}
		return b
	}
	body := pattern(10 << 10)

	for _, viewed := range []bool{false, true} {
		t.Run(fmt.Sprintf("small first read,viewed=%v", viewed), func(t *testing.T) {
			b := kept(t)
			defer b.Close()
			if viewed {
				// A view of the kept chunk, released: the buffer may
				// still count the chunk as lent to it.
				b.Write(pattern(16 << 10))
				b.GetValue().Release()
				bp.Put(b)
				b = getBack(t, bp, b)
			}
			gets := p.Stats().Gets
			if n, err := b.ReadFrom(iotest.OneByteReader(bytes.NewReader(body[:100]))); n != 100 || err != nil {
				t.Fatalf("ReadFrom = %d, %v; want 100, nil", n, err)
			}
			// 100 bytes whose first write was 1 byte: a 4 KiB first
			// chunk (and the 64-byte one ReadFrom keeps), not the 16
			// KiB one, which went back to the pool: the next Get of
			// 16 KiB takes it.
			if got := b.Cap(); got > 4<<10+64 {
				t.Errorf("Cap() = %d; want at most 4 KiB + 64", got)
			}
			if got := p.Stats().Gets - gets; got < 1 {
				t.Errorf("ReadFrom took %d chunks from the pool; want the small first chunk", got)
			}
			m := newModel()
			m.write(body[:100])
			checkBufferModel(t, b, m)
		})
	}

	t.Run("shared", func(t *testing.T) {
		b := bp.Get()
		b.ReadFrom(bytes.NewReader(pattern(16 << 10)))
		v := b.GetValue()
		defer v.Release()
		want := bytes.Clone(v.Bytes())
		bp.Put(b) // keeps the chunk the view shares
		b = getBack(t, bp, b)
		defer b.Close()
		if n, err := b.ReadFrom(bytes.NewReader(body)); n != int64(len(body)) || err != nil {
			t.Fatalf("ReadFrom = %d, %v", n, err)
		}
		if !v.Equal(want) {
			t.Error("the view changed")
		}
		m := newModel()
		m.write(body)
		checkBufferModel(t, b, m)
	})

	t.Run("limit", func(t *testing.T) {
		b := kept(t)
		defer b.Close()
		b.SetLimit(1000)
		n, err := b.ReadFrom(bytes.NewReader(body))
		if n != 1000 || !errors.Is(err, buffer.ErrTooLarge) {
			t.Fatalf("ReadFrom = %d, %v; want 1000, ErrTooLarge", n, err)
		}
		m := newModel()
		m.write(body[:1000])
		checkBufferModel(t, b, m)
	})

	t.Run("panic", func(t *testing.T) {
		b := kept(t)
		defer b.Close()
		capBefore := b.Cap()
		func() {
			defer func() { recover() }()
			b.ReadFrom(&pieceReader{panics: true})
		}()
		if b.Size() != 0 || b.Pos() != 0 || b.Cap() != capBefore {
			t.Errorf("after a panic: Size %d, Pos %d, Cap %d; want 0, 0, %d", b.Size(), b.Pos(), b.Cap(), capBefore)
		}
		b.WriteString("after")
		m := newModel()
		m.write([]byte("after"))
		checkBufferModel(t, b, m)
	})
}

// A chunk Reset keeps may be larger than the pool's largest chunk size by
// then (calibration lowered it): the layout that starts with it still
// maps every offset to its chunk, and content written after holds what was
// written.
func TestResetKeepsChunkAboveNewMax(t *testing.T) {
	p, err := pool.New(pool.Config{MaxRetained: -1}) // largest chunk 1 MiB until calibrated
	if err != nil {
		t.Fatal(err)
	}
	b := buffer.NewWithPool(p)
	defer b.Close()
	b.Write(pattern(128 << 10)) // a first chunk of 128 KiB; the bound is 2 MiB
	b.Write(pattern(400 << 10)) // then chunks of 256 and 512 KiB
	// Small sizes only: the largest chunk size falls to 64 KiB.
	for i := 0; i < 1<<20; i++ {
		if _, last := p.Layout(); last < 512<<10 {
			break
		}
		p.Observe(1 << 10)
	}
	if _, last := p.Layout(); last >= 512<<10 {
		t.Fatalf("largest chunk size %d after calibration; want below 512 KiB", last)
	}
	b.Reset() // keeps the 512 KiB chunk
	want := pattern(3 << 20)
	writeIn(b, want, 100<<10)
	if v := b.GetValue(); !v.Equal(want) {
		t.Errorf("content after Reset and writes differs from what was written")
	} else {
		v.Release()
	}
	got := make([]byte, 1000)
	for _, off := range []int64{0, 511 << 10, 512 << 10, 1 << 20, 3<<20 - 1000} {
		if n, err := b.ReadAt(got, off); n != len(got) || err != nil || !bytes.Equal(got, want[off:off+1000]) {
			t.Errorf("ReadAt(1000 bytes, %d) = %d, %v, or other bytes than written", off, n, err)
		}
	}
}

// A pooled buffer follows a change of the pool's first size within obsBatch
// (64) Puts: once calibration raised it from 1 KiB to 16 KiB, a small first
// write gets a 4 KiB chunk, so a buffer holding a 1 KiB first chunk no
// longer keeps it when given back (Put keeps a first chunk from
// min(first, 4 KiB) to max(first, 4 KiB)), whichever path Put takes.
func TestPutDropsChunkBelowNewFirstSize(t *testing.T) {
	for _, viewed := range []bool{false, true} {
		p, bp := calibratedPool(t, 1<<10)
		b := bp.Get()
		b.Write(pattern(100))
		bp.Put(b)
		b = getBack(t, bp, b)
		if got := b.Cap(); got != 1<<10 {
			t.Fatalf("first size 1 KiB: Cap after Put and Get = %d; want 1 KiB", got)
		}
		calibrateTo(t, p, 16<<10)
		for i := 0; b.Cap() != 0; i++ {
			if i > 64 {
				t.Fatalf("viewed %v: after %d Puts with a first size of 16 KiB, the buffer keeps %d bytes; want 0", viewed, i, b.Cap())
			}
			b.Write(pattern(100))
			var v buffer.View
			if viewed {
				v = b.GetValue() // the window is not writable: Put's slow path
			}
			bp.Put(b)
			v.Release()
			b = getBack(t, bp, b)
		}
		b.Close()
	}
}

// Put tallies the size of the content it empties on every path, and reports
// the tally to the pool's calibration in batches of 64 (obsBatch): after 64
// Puts of 100 bytes, every other one with a view holding the chunk, the pool
// counts all 64, not before.
func TestPutReportsSizesInBatches(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	count := func() (n uint64) {
		for _, c := range p.Stats().Sizes {
			if c.Max == 128 {
				n = c.Count
			}
		}
		return n
	}
	bp := buffer.NewPool(p)
	b := bp.Get()
	for i := range 64 {
		if got := count(); got != 0 {
			t.Fatalf("after %d Puts the pool counts %d sizes; want 0 (tallied in the buffer)", i, got)
		}
		b.Write(pattern(100))
		var v buffer.View
		if i%2 == 0 {
			v = b.GetValue()
		}
		bp.Put(b)
		b = getBack(t, bp, b)
		v.Release()
	}
	if got := count(); got != 64 {
		t.Errorf("after 64 Puts of 100 bytes the pool counts %d sizes; want 64", got)
	}
	b.Close()
}

// Reset keeps the chunk the content outgrew its first chunk into also when
// a view of the first chunk was taken and released before the content grew:
// the chunk was lent to that view, and is the buffer's alone again once the
// view is released, whether or not the buffer wrote into it since.
func TestResetKeepsOutgrownChunkAfterReleasedView(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true, MaxRetained: -1}) // first chunk 1 KiB
	if err != nil {
		t.Fatal(err)
	}
	content := pattern(16 << 10)
	for _, overwrite := range []bool{false, true} {
		b := buffer.NewWithPool(p)
		b.Write(content[:1<<10]) // the bound is 16 KiB
		b.GetValue().Release()
		if overwrite {
			b.Seek(0, io.SeekStart)
			b.Write(content[:1<<10])
		}
		writeIn(b, content[1<<10:], 1<<10) // chunks of 2, 4, 8 and 16 KiB
		b.Reset()
		if got := b.Cap(); got != 16<<10 {
			t.Errorf("overwritten %v: Cap after a view was released, the content grew and Reset = %d; want 16 KiB", overwrite, got)
		}
		b.Close()
	}
}

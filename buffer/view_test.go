package buffer_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// vtSmallPool returns a pool of 64, 128 and 256 byte chunks: a buffer's
// chunks are 64, 128, 256, 256, ... bytes, so a few hundred bytes span
// several chunks.
func vtSmallPool(tb testing.TB) *pool.Pool {
	tb.Helper()
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 256, NoCalibration: true})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// vtData returns n bytes that depend on seed, none of them 0 or 0xA5.
func vtData(n int, seed byte) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte((i*7+int(seed)*13)%100 + 1)
	}
	return p
}

// vtChunks returns the view's pieces, as Chunks yields them.
func vtChunks(v buffer.View) [][]byte {
	var cs [][]byte
	for c := range v.Chunks() {
		cs = append(cs, c)
	}
	return cs
}

// vtCheckView reads v with every read method and reports the first
// disagreement with want. It only reads v, so it may run concurrently with
// other readers of v.
func vtCheckView(v buffer.View, want []byte) error {
	if got := v.Len(); got != int64(len(want)) {
		return fmt.Errorf("Len() = %d; want %d", got, len(want))
	}
	if got := v.Bytes(); !bytes.Equal(got, want) {
		return fmt.Errorf("Bytes() = %q; want %q", got, want)
	}
	if got := v.String(); got != string(want) {
		return fmt.Errorf("String() = %q; want %q", got, want)
	}
	if !v.Equal(want) {
		return fmt.Errorf("Equal(want) = false; want true")
	}
	if got := v.AppendTo([]byte("x")); !bytes.Equal(got[1:], want) || got[0] != 'x' {
		return fmt.Errorf("AppendTo(\"x\") = %q; want \"x\"+%q", got, want)
	}
	if got := bytes.Join(vtChunks(v), nil); !bytes.Equal(got, want) {
		return fmt.Errorf("Chunks() joined = %q; want %q", got, want)
	}
	steps := []int{37, 64, 300, len(want) + 1}
	if len(want) <= 256 {
		steps = append(steps, 1)
	}
	for _, step := range steps {
		got := make([]byte, 0, len(want))
		p := make([]byte, step)
		for off := int64(0); ; {
			n, err := v.ReadAt(p, off)
			got = append(got, p[:n]...)
			off += int64(n)
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("ReadAt(len %d, %d): %v", step, off, err)
			}
			if n != step {
				return fmt.Errorf("ReadAt(len %d, %d) = %d, nil; want %d or io.EOF", step, off, n, step)
			}
		}
		if !bytes.Equal(got, want) {
			return fmt.Errorf("ReadAt in steps of %d = %q; want %q", step, got, want)
		}
	}
	var bb bytes.Buffer
	if n, err := v.WriteTo(&bb); err != nil || n != int64(len(want)) || !bytes.Equal(bb.Bytes(), want) {
		return fmt.Errorf("WriteTo = %d, %v, %q; want %d, nil, %q", n, err, bb.Bytes(), len(want), want)
	}
	if got, err := io.ReadAll(v.NewReader()); err != nil || !bytes.Equal(got, want) {
		return fmt.Errorf("io.ReadAll(NewReader()) = %q, %v; want %q, nil", got, err, want)
	}
	return nil
}

// vtChurn runs buffers full of junk through p (and raw chunks of every
// class), so that any chunk that went back to the pool too early is
// overwritten.
func vtChurn(p *pool.Pool, junk byte) {
	var bufs []*buffer.Buffer
	for i := range 8 {
		b := vtNewBuffer(p)
		b.Write(bytes.Repeat([]byte{junk}, 700+i*300))
		bufs = append(bufs, b)
	}
	for _, b := range bufs {
		b.Close()
	}
	if p == nil {
		p = pool.Default
	}
	var chs []*pool.Chunk
	first, maxc := p.Layout()
	for size := first; size <= min(maxc, 64<<10); size *= 2 {
		for range 4 {
			c := p.Get(size)
			vtFill(c.Bytes(), junk)
			chs = append(chs, c)
		}
	}
	for _, c := range chs {
		c.Release()
	}
}

// vtFill sets every byte of b to x.
func vtFill(b []byte, x byte) {
	if len(b) == 0 {
		return
	}
	b[0] = x
	for i := 1; i < len(b); i *= 2 {
		copy(b[i:], b[:i])
	}
}

// vtNewBuffer returns an empty buffer bound to p, or a zero Buffer (the
// default pool) when p is nil.
func vtNewBuffer(p *pool.Pool) *buffer.Buffer {
	if p == nil {
		return new(buffer.Buffer)
	}
	return buffer.NewWithPool(p)
}

// vtWriteFirstByteApart writes data into b one byte first, then the rest, so that b takes
// its pool's first chunk size (a larger first write gets a first chunk that
// holds all of it) and the chunk layout is the one the tests expect.
func vtWriteFirstByteApart(b *buffer.Buffer, data []byte) {
	if len(data) > 0 {
		b.Write(data[:1])
		b.Write(data[1:])
	}
}

// vtBufContent returns the whole content of b, read with ReadAt.
func vtBufContent(t *testing.T, b *buffer.Buffer) []byte {
	t.Helper()
	got := make([]byte, b.Size())
	if n, err := b.ReadAt(got, 0); n != len(got) || (err != nil && err != io.EOF) {
		t.Fatalf("ReadAt(whole content) = %d, %v; want %d", n, err, len(got))
	}
	return got
}

// vtWriteAt writes p at off into the model m (zero-filling a gap) and
// returns it.
func vtWriteAt(m []byte, p []byte, off int) []byte {
	if end := off + len(p); end > len(m) {
		m = append(m, make([]byte, end-len(m))...)
	}
	copy(m[off:], p)
	return m
}

// A view shows the content at GetValue time whatever happens to the buffer
// afterwards, even after the buffer's chunks went back to the pool and were
// handed out again full of other bytes.
func TestViewSnapshotStable(t *testing.T) {
	pools := []struct {
		name string
		p    *pool.Pool
	}{
		{"default", nil},
		{"small", vtSmallPool(t)},
	}
	sizes := []int{1, 10, 63, 64, 65, 200, 700, 3000, 20000}
	mutations := []struct {
		name string
		// do changes b (content m, position at the end) and returns the
		// content it should have afterwards, or nil when b is closed.
		do func(b *buffer.Buffer, m []byte) []byte
	}{
		{"none", func(b *buffer.Buffer, m []byte) []byte { return m }},
		{"overwrite at 0", func(b *buffer.Buffer, m []byte) []byte {
			b.Seek(0, io.SeekStart)
			b.Write(bytes.Repeat([]byte{0xEE}, len(m)))
			return bytes.Repeat([]byte{0xEE}, len(m))
		}},
		{"WriteAt each byte", func(b *buffer.Buffer, m []byte) []byte {
			m = slices.Clone(m)
			for i := range m {
				b.WriteAt([]byte{0xEE}, int64(i))
				m[i] = 0xEE
			}
			return m
		}},
		{"append", func(b *buffer.Buffer, m []byte) []byte {
			b.Write(bytes.Repeat([]byte{0xEE}, 500))
			return append(slices.Clone(m), bytes.Repeat([]byte{0xEE}, 500)...)
		}},
		{"truncate half and rewrite", func(b *buffer.Buffer, m []byte) []byte {
			b.Truncate(int64(len(m) / 2))
			b.Seek(int64(len(m)/2), io.SeekStart)
			b.Write(bytes.Repeat([]byte{0xEE}, len(m)))
			return append(slices.Clone(m[:len(m)/2]), bytes.Repeat([]byte{0xEE}, len(m))...)
		}},
		{"truncate 0 and rewrite", func(b *buffer.Buffer, m []byte) []byte {
			b.Truncate(0)
			b.WriteAt(bytes.Repeat([]byte{0xEE}, len(m)), 0)
			return bytes.Repeat([]byte{0xEE}, len(m))
		}},
		{"seek past end and write", func(b *buffer.Buffer, m []byte) []byte {
			b.Seek(100, io.SeekEnd)
			b.Write([]byte{0xEE})
			return vtWriteAt(slices.Clone(m), []byte{0xEE}, len(m)+100)
		}},
		{"ReadFrom over", func(b *buffer.Buffer, m []byte) []byte {
			b.Seek(1, io.SeekStart)
			b.ReadFrom(iotest.HalfReader(bytes.NewReader(bytes.Repeat([]byte{0xEE}, len(m)))))
			return vtWriteAt(slices.Clone(m), bytes.Repeat([]byte{0xEE}, len(m)), 1)
		}},
		{"reset and rewrite", func(b *buffer.Buffer, m []byte) []byte {
			b.Reset()
			b.Write(bytes.Repeat([]byte{0xEE}, len(m)))
			return bytes.Repeat([]byte{0xEE}, len(m))
		}},
		{"close", func(b *buffer.Buffer, m []byte) []byte {
			b.Close()
			return nil
		}},
	}
	for _, pl := range pools {
		for _, n := range sizes {
			for _, mu := range mutations {
				t.Run(fmt.Sprintf("pool=%s/len=%d/%s", pl.name, n, mu.name), func(t *testing.T) {
					data := vtData(n, byte(n))
					b := vtNewBuffer(pl.p)
					defer b.Close()
					b.Write(data)
					v := b.GetValue()
					defer v.Release()
					if err := vtCheckView(v, data); err != nil {
						t.Fatalf("before the change: %v", err)
					}
					want := mu.do(b, data)
					vtChurn(pl.p, 0xDD)
					if err := vtCheckView(v, data); err != nil {
						t.Errorf("after %s and pool reuse: %v", mu.name, err)
					}
					if want != nil {
						if got := vtBufContent(t, b); !bytes.Equal(got, want) {
							t.Errorf("buffer content after %s = %q; want %q", mu.name, got, want)
						}
						// A second view taken after the change shows the
						// new content, and the first one still the old.
						v2 := b.GetValue()
						b.Reset()
						vtChurn(pl.p, 0xCC)
						if err := vtCheckView(v2, want); err != nil {
							t.Errorf("second view: %v", err)
						}
						if err := vtCheckView(v, data); err != nil {
							t.Errorf("first view after the second: %v", err)
						}
						v2.Release()
					}
				})
			}
		}
	}
}

// Several views taken between writes each keep their own snapshot.
func TestViewSnapshotSeries(t *testing.T) {
	p := vtSmallPool(t)
	b := buffer.NewWithPool(p)
	defer b.Close()
	var views []buffer.View
	var wants [][]byte
	m := []byte{}
	for i := range 12 {
		off := (i * 97) % 900
		d := vtData(50+i*30, byte(i))
		b.WriteAt(d, int64(off))
		m = vtWriteAt(m, d, off)
		if i%4 == 3 {
			b.Truncate(int64(len(m) * 2 / 3))
			m = m[:len(m)*2/3]
		}
		views = append(views, b.GetValue())
		wants = append(wants, slices.Clone(m))
	}
	b.Close()
	vtChurn(p, 0xDD)
	for i, v := range views {
		if err := vtCheckView(v, wants[i]); err != nil {
			t.Errorf("view %d: %v", i, err)
		}
		v.Release()
	}
}

// Views are read by several goroutines while their buffers are rewritten
// and closed, and released while the owners go on reusing the pool. Run with
// -race.
func TestViewConcurrentReaders(t *testing.T) {
	p := vtSmallPool(t)
	const owners = 8
	iters := 100
	if testing.Short() {
		iters = 20
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	for g := range owners {
		wg.Go(func() {
			var releasers sync.WaitGroup
			defer releasers.Wait()
			for it := range iters {
				n := 1 + (g*379+it*211)%1500
				data := vtData(n, byte(g*31+it))
				junk := bytes.Repeat([]byte{0xEE}, n)
				b := buffer.NewWithPool(p)
				b.Write(data)
				v := b.GetValue()
				var readers sync.WaitGroup
				for range 2 {
					readers.Go(func() {
						if err := vtCheckView(v, data); err != nil {
							fail(fmt.Errorf("owner %d, iteration %d: %v", g, it, err))
						}
					})
				}
				// The view is released by another goroutine once its
				// readers are done, while the owner closes the buffer
				// and goes on.
				releasers.Go(func() {
					readers.Wait()
					v.Release()
				})
				b.WriteAt(junk[:n/2], 0)
				b.Truncate(int64(n / 3))
				b.Seek(0, io.SeekEnd)
				b.Write(junk)
				b.WriteAt(junk, int64(n))
				b.Reset()
				b.Write(junk)
				b.Close()
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if i == 10 {
			t.Errorf("... and %d more", len(errs)-i)
			break
		}
		t.Error(err)
	}
}

// vtFirstBytes returns the address of the first byte of each non-empty
// slice.
func vtFirstBytes(cs [][]byte) []*byte {
	var ps []*byte
	for _, c := range cs {
		if len(c) > 0 {
			ps = append(ps, &c[0])
		}
	}
	return ps
}

// Once a view and its buffer are both released, their chunks are back in
// the pool: the next Gets of their classes return those very chunks and
// allocate nothing. While the view lives, they are not in the pool.
func TestViewRecycling(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	// A GC empties sync.Pools, and a chunk put back on one P is not seen
	// by a Get on another until it leaves that P's private slot.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	p := vtSmallPool(t)
	b := buffer.NewWithPool(p)
	data := vtData(64+128+256+200, 1) // chunks of 64, 128, 256 and 256 bytes
	vtWriteFirstByteApart(b, data)
	v := b.GetValue()
	vcopy := v
	mine := vtFirstBytes(vtChunks(v))
	if len(mine) != 4 {
		t.Fatalf("view has %d chunks; want 4", len(mine))
	}
	classes := []int{64, 128, 256, 256}
	b.Close()
	if got := p.Stats().ViewsOutstanding; got != 1 {
		t.Errorf("Stats().ViewsOutstanding with one view = %d; want 1", got)
	}

	// The view still holds every chunk: none of them is handed out.
	var held []*pool.Chunk
	for _, size := range classes {
		c := p.Get(size)
		held = append(held, c)
		if slices.Contains(mine, &c.Bytes()[0]) {
			t.Errorf("Get(%d) after Close returned a chunk the live view holds", size)
		}
		clear(c.Bytes())
	}
	if err := vtCheckView(v, data); err != nil {
		t.Fatalf("view after Close: %v", err)
	}

	v.Release()
	if !debugBuild { // where a second Release panics by design
		v.Release()     // a second Release does nothing
		vcopy.Release() // nor does releasing a copy
	}
	if got := p.Stats().ViewsOutstanding; got != 0 {
		t.Errorf("Stats().ViewsOutstanding after Release = %d; want 0", got)
	}
	// Each chunk went back exactly once: twice as many Gets as chunks find
	// each of them once, and distinct chunks for the rest.
	var ms0, ms1 runtime.MemStats
	got := make([]*pool.Chunk, 0, 2*len(classes))
	misses := p.Stats().Misses
	runtime.ReadMemStats(&ms0)
	for _, size := range classes {
		got = append(got, p.Get(size))
	}
	runtime.ReadMemStats(&ms1)
	if d := ms1.Mallocs - ms0.Mallocs; d != 0 {
		t.Errorf("Get of the released chunks' classes: %d allocations; want 0", d)
	}
	if d := p.Stats().Misses - misses; d != 0 {
		t.Errorf("Get of the released chunks' classes: Stats().Misses grew by %d; want 0", d)
	}
	for i, c := range got {
		if !slices.Contains(mine, &c.Bytes()[0]) {
			t.Errorf("Get(%d) after Release did not return one of the view's chunks", classes[i])
		}
	}
	for _, size := range classes {
		got = append(got, p.Get(size))
	}
	seen := map[*byte]bool{}
	for _, c := range got {
		if seen[&c.Bytes()[0]] {
			t.Errorf("a chunk of %d bytes was handed out twice: released twice into the pool", c.Size())
		}
		seen[&c.Bytes()[0]] = true
	}
	for _, c := range append(got, held...) {
		c.Release()
	}
}

// A View released twice, or released through a copy after its state was
// reused by another GetValue, does not touch the later view.
func TestViewDoubleReleaseIsolated(t *testing.T) {
	if debugBuild {
		t.Skip("a second Release panics by design in bytesio_debug builds")
	}
	p := vtSmallPool(t)
	for _, n := range []int{40, 900} {
		t.Run(fmt.Sprintf("len=%d", n), func(t *testing.T) {
			b1 := buffer.NewWithPool(p)
			b1.Write(vtData(n, 1))
			v1 := b1.GetValue()
			v1copy := v1
			v1.Release()
			b1.Close()

			data := vtData(n, 2)
			b2 := buffer.NewWithPool(p)
			b2.Write(data)
			v2 := b2.GetValue() // may reuse v1's released state
			b2.Close()
			v1.Release()
			v1copy.Release()
			if v2.Released() {
				t.Fatalf("v2.Released() = true after releasing v1 again; want false")
			}
			vtChurn(p, 0xDD)
			if err := vtCheckView(v2, data); err != nil {
				t.Errorf("v2 after v1 was released again: %v", err)
			}
			// Later buffers are isolated from each other too.
			b3 := buffer.NewWithPool(p)
			b3.Write(bytes.Repeat([]byte{0x33}, n))
			b4 := buffer.NewWithPool(p)
			b4.Write(bytes.Repeat([]byte{0x44}, n))
			if got := vtBufContent(t, b3); !bytes.Equal(got, bytes.Repeat([]byte{0x33}, n)) {
				t.Errorf("b3 content = %q; want all 0x33", got)
			}
			if err := vtCheckView(v2, data); err != nil {
				t.Errorf("v2 after more buffers: %v", err)
			}
			b3.Close()
			b4.Close()
			v2.Release()
		})
	}
}

// Once every view of a buffer is released, writing into it copies no chunk:
// the buffer keeps the same memory. While a view lives, it copies.
func TestViewWriteAfterReleaseCopiesNothing(t *testing.T) {
	p := vtSmallPool(t)
	for _, n := range []int{50, 700} {
		t.Run(fmt.Sprintf("len=%d", n), func(t *testing.T) {
			b := buffer.NewWithPool(p)
			defer b.Close()
			b.Write(vtData(n, 1))
			chunksNow := func() []*byte {
				v := b.GetValue()
				defer v.Release()
				return vtFirstBytes(vtChunks(v))
			}
			before := chunksNow()

			v1, v2 := b.GetValue(), b.GetValue()
			v1.Release()
			v2.Release()
			copies := p.Stats().Copies
			b.WriteAt([]byte{0xEE}, 0)
			b.WriteAt([]byte{0xEE}, int64(n-1))
			if after := chunksNow(); !slices.Equal(after, before) {
				t.Errorf("write after all views were released moved chunks %p to %p; want no copy", before, after)
			}
			if d := p.Stats().Copies - copies; d != 0 {
				t.Errorf("write after all views were released: Stats().Copies grew by %d; want 0", d)
			}

			// Control: with a live view the same writes copy the chunks
			// they touch, once each.
			v := b.GetValue()
			copies = p.Stats().Copies
			b.WriteAt([]byte{0xEF}, 0)
			b.WriteAt([]byte{0xEF}, int64(n-1))
			b.WriteAt([]byte{0xEF}, 1)
			after := chunksNow()
			v.Release()
			if after[0] == before[0] || after[len(after)-1] == before[len(before)-1] {
				t.Errorf("write with a live view kept chunks %p (were %p); want copies", after, before)
			}
			if d, want := p.Stats().Copies-copies, int64(min(len(before), 2)); d != want {
				t.Errorf("writes into %d chunks shared with a view: Stats().Copies grew by %d; want %d", want, d, want)
			}

			if !raceEnabled {
				x := []byte{1, 2, 3}
				if a := testing.AllocsPerRun(100, func() {
					v := b.GetValue()
					v.Release()
					b.WriteAt(x, 0)
					b.WriteAt(x, int64(n-3))
				}); a != 0 {
					t.Errorf("GetValue+Release+WriteAt: %v allocs per run; want 0", a)
				}
			}
		})
	}
}

func TestViewRelease(t *testing.T) {
	p := vtSmallPool(t)
	for _, n := range []int{1, 64, 500} {
		t.Run(fmt.Sprintf("len=%d", n), func(t *testing.T) {
			if debugBuild {
				t.Skip("reading a released view panics by design in bytesio_debug builds")
			}
			b := buffer.NewWithPool(p)
			defer b.Close()
			b.Write(vtData(n, 3))
			v := b.GetValue()
			c := v
			r := v.NewReader()
			if v.Released() {
				t.Fatal("Released() = true before Release")
			}
			v.Release()
			for _, w := range []struct {
				name string
				v    buffer.View
			}{{"view", v}, {"copy", c}} {
				if !w.v.Released() {
					t.Errorf("%s: Released() = false; want true", w.name)
				}
				if got := w.v.Len(); got != 0 {
					t.Errorf("%s: Len() = %d; want 0", w.name, got)
				}
				if n, err := w.v.ReadAt(make([]byte, 4), 0); n != 0 || !errors.Is(err, buffer.ErrReleased) {
					t.Errorf("%s: ReadAt = %d, %v; want 0, ErrReleased", w.name, n, err)
				}
				var bb bytes.Buffer
				if n, err := w.v.WriteTo(&bb); n != 0 || !errors.Is(err, buffer.ErrReleased) || bb.Len() != 0 {
					t.Errorf("%s: WriteTo = %d, %v (%d bytes written); want 0, ErrReleased", w.name, n, err, bb.Len())
				}
				if got := w.v.Bytes(); len(got) != 0 {
					t.Errorf("%s: Bytes() = %q; want empty", w.name, got)
				}
				if got := w.v.String(); got != "" {
					t.Errorf("%s: String() = %q; want \"\"", w.name, got)
				}
				if !w.v.Equal(nil) || w.v.Equal(vtData(n, 3)) {
					t.Errorf("%s: Equal(nil), Equal(old content) = %v, %v; want true, false", w.name, w.v.Equal(nil), w.v.Equal(vtData(n, 3)))
				}
				if got := w.v.AppendTo([]byte("x")); string(got) != "x" {
					t.Errorf("%s: AppendTo(\"x\") = %q; want \"x\"", w.name, got)
				}
				if got := vtChunks(w.v); len(got) != 0 {
					t.Errorf("%s: Chunks() yielded %d slices; want 0", w.name, len(got))
				}
			}
			if n, err := r.Read(make([]byte, 4)); n != 0 || !errors.Is(err, buffer.ErrReleased) {
				t.Errorf("ViewReader.Read after Release = %d, %v; want 0, ErrReleased", n, err)
			}
			// The buffer is untouched by the view's Release.
			if got, want := vtBufContent(t, b), vtData(n, 3); !bytes.Equal(got, want) {
				t.Errorf("buffer after Release of its view = %q; want %q", got, want)
			}
		})
	}

	t.Run("zero View", func(t *testing.T) {
		var v buffer.View
		if v.Released() {
			t.Error("zero View: Released() = true; want false")
		}
		if err := vtCheckView(v, nil); err != nil {
			t.Errorf("zero View: %v", err)
		}
		if n, err := v.ReadAt(make([]byte, 1), 0); n != 0 || err != io.EOF {
			t.Errorf("zero View: ReadAt = %d, %v; want 0, io.EOF", n, err)
		}
		v.Release()
		v.Release()
		if v.Released() || v.Len() != 0 {
			t.Errorf("zero View after Release: Released() = %v, Len() = %d; want false, 0", v.Released(), v.Len())
		}
	})
	t.Run("empty buffer", func(t *testing.T) {
		b := buffer.NewWithPool(p)
		v := b.GetValue()
		if err := vtCheckView(v, nil); err != nil {
			t.Errorf("view of an empty buffer: %v", err)
		}
		b.Close()
		if debugBuild {
			return // GetValue after Close panics by design
		}
		v = b.GetValue()
		if err := vtCheckView(v, nil); err != nil {
			t.Errorf("view of a closed buffer: %v", err)
		}
		if v.Released() {
			t.Error("view of a closed buffer: Released() = true; want false")
		}
	})
}

// vtCountingWriter records every slice passed to Write, without copying it.
type vtCountingWriter struct {
	writes [][]byte
	n      int
}

func (w *vtCountingWriter) Write(p []byte) (int, error) {
	w.writes = append(w.writes, p)
	w.n += len(p)
	return len(p), nil
}

// WriteTo to a plain io.Writer makes one Write per chunk, passing the
// chunks' own memory (no copy).
func TestViewWriteToOneWritePerChunk(t *testing.T) {
	p := vtSmallPool(t)
	for _, n := range []int{1, 64, 65, 448, 449, 2000} {
		t.Run(fmt.Sprintf("len=%d", n), func(t *testing.T) {
			data := vtData(n, 4)
			b := buffer.NewWithPool(p)
			defer b.Close()
			b.Write(data)
			v := b.GetValue()
			defer v.Release()
			chunks := vtChunks(v)

			var w vtCountingWriter
			if got, err := v.WriteTo(&w); got != int64(n) || err != nil {
				t.Fatalf("View.WriteTo = %d, %v; want %d, nil", got, err, n)
			}
			if len(w.writes) != len(chunks) {
				t.Fatalf("View.WriteTo made %d writes; want %d (one per chunk)", len(w.writes), len(chunks))
			}
			for i, c := range chunks {
				if got := w.writes[i]; len(got) != len(c) || &got[0] != &c[0] {
					t.Errorf("write %d: %d bytes at %p; want the chunk's %d bytes at %p", i, len(got), &got[0], len(c), &c[0])
				}
			}

			// Buffer.WriteTo from the middle of the first chunk (the
			// view made the chunks shared; they are the same memory).
			from := n / 2
			b.Seek(int64(from), io.SeekStart)
			w = vtCountingWriter{}
			if got, err := b.WriteTo(&w); got != int64(n-from) || err != nil {
				t.Fatalf("Buffer.WriteTo = %d, %v; want %d, nil", got, err, n-from)
			}
			if got := bytes.Join(w.writes, nil); !bytes.Equal(got, data[from:]) {
				t.Errorf("Buffer.WriteTo wrote %q; want %q", got, data[from:])
			}
			// The writes are the tails of the chunks from the one holding
			// from on.
			var want [][]byte
			off := 0
			for _, c := range chunks {
				switch {
				case off+len(c) <= from:
				case off < from:
					want = append(want, c[from-off:])
				default:
					want = append(want, c)
				}
				off += len(c)
			}
			if len(w.writes) != len(want) {
				t.Fatalf("Buffer.WriteTo made %d writes; want %d", len(w.writes), len(want))
			}
			for i := range want {
				if len(want[i]) > 0 && (len(w.writes[i]) != len(want[i]) || &w.writes[i][0] != &want[i][0]) {
					t.Errorf("Buffer.WriteTo write %d does not alias the chunk's memory", i)
				}
			}
			if got := b.Pos(); got != int64(n) {
				t.Errorf("Pos() after WriteTo = %d; want %d", got, n)
			}
		})
	}
}

// vtTCPPair returns the two ends of a loopback TCP connection.
func vtTCPPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback TCP: %v", err)
	}
	defer ln.Close()
	type res struct {
		c   net.Conn
		err error
	}
	ch := make(chan res, 1)
	go func() {
		c, err := ln.Accept()
		ch <- res{c, err}
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	r := <-ch
	if r.err != nil {
		client.Close()
		t.Fatal(r.err)
	}
	// A guard against hanging forever, not a timing assertion.
	deadline := time.Now().Add(time.Minute)
	client.SetDeadline(deadline)
	r.c.SetDeadline(deadline)
	return client, r.c
}

// WriteTo over a real TCP connection (one writev for several chunks)
// delivers exactly the bytes.
func TestViewWriteToTCP(t *testing.T) {
	pools := []struct {
		name string
		p    *pool.Pool
	}{
		{"default", nil},
		{"small", vtSmallPool(t)},
	}
	for _, pl := range pools {
		for _, n := range []int{1, 64, 1000, 70000} {
			data := vtData(n, byte(n))
			writers := []struct {
				name string
				// write writes data (held by b) to c and returns what it
				// reports.
				write func(b *buffer.Buffer, c net.Conn) (int64, error)
				want  []byte
			}{
				{"View", func(b *buffer.Buffer, c net.Conn) (int64, error) {
					v := b.GetValue()
					defer v.Release()
					b.Close() // the view alone holds the chunks
					return v.WriteTo(c)
				}, data},
				{"Buffer", func(b *buffer.Buffer, c net.Conn) (int64, error) {
					b.Seek(0, io.SeekStart)
					k, err := b.WriteTo(c)
					if b.Pos() != int64(n) {
						t.Errorf("Pos() after Buffer.WriteTo = %d; want %d", b.Pos(), n)
					}
					return k, err
				}, data},
				{"Buffer from middle", func(b *buffer.Buffer, c net.Conn) (int64, error) {
					b.Seek(int64(n/3), io.SeekStart)
					return b.WriteTo(c)
				}, data[n/3:]},
				{"ViewReader from middle", func(b *buffer.Buffer, c net.Conn) (int64, error) {
					v := b.GetValue()
					defer v.Release()
					r := v.NewReader()
					r.Seek(int64(n/3), io.SeekStart)
					return r.WriteTo(c)
				}, data[n/3:]},
			}
			for _, wr := range writers {
				t.Run(fmt.Sprintf("pool=%s/len=%d/%s", pl.name, n, wr.name), func(t *testing.T) {
					client, server := vtTCPPair(t)
					defer server.Close()
					got := make(chan []byte, 1)
					go func() {
						p, _ := io.ReadAll(server)
						got <- p
					}()
					b := vtNewBuffer(pl.p)
					defer b.Close()
					b.Write(data)
					k, err := wr.write(b, client)
					client.Close()
					if err != nil || k != int64(len(wr.want)) {
						t.Errorf("WriteTo = %d, %v; want %d, nil", k, err, len(wr.want))
					}
					if p := <-got; !bytes.Equal(p, wr.want) {
						t.Errorf("received %d bytes; want %d, equal to the content", len(p), len(wr.want))
					}
				})
			}
		}
	}
}

// WriteTo to a socket of sparse content, from the start and from the
// middle of a gap: the chunks held and the gaps between them, thousands of
// pieces (more than one writev takes), arrive in order, and a gap of 64 MiB
// over chunks of 64 bytes goes out with memory that does not grow with the
// gap (before, one piece per gap chunk: about 128 MB).
func TestWriteToSocketSparse(t *testing.T) {
	p, err := pool.New(pool.Config{MinChunk: 64, MaxChunk: 64, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		offsets []int64 // a byte is written at each
		from    int64   // the position WriteTo starts at
	}{
		{"3000 chunks between gaps", func() (o []int64) {
			for i := range int64(3000) {
				o = append(o, i*200+i%7)
			}
			return o
		}(), 0},
		{"3000 chunks between gaps, from a gap", func() (o []int64) {
			for i := range int64(3000) {
				o = append(o, i*200+i%7)
			}
			return o
		}(), 1500*200 + 100},
		{"64 MiB gap", []int64{0, 64<<20 - 1}, 0},
		{"64 MiB gap, from its middle", []int64{0, 64<<20 - 1}, 32<<20 + 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := buffer.NewWithPool(p)
			defer b.Close()
			model := make([]byte, tc.offsets[len(tc.offsets)-1]+1)
			for i, o := range tc.offsets {
				c := byte(i%250) + 1
				b.WriteAt([]byte{c}, o)
				model[o] = c
			}
			b.Seek(tc.from, io.SeekStart)
			model = model[tc.from:]
			client, server := vtTCPPair(t)
			defer server.Close()
			// The reader checks what arrives against the model as it
			// comes, in a buffer it has before WriteTo starts.
			done := make(chan error, 1)
			buf := make([]byte, 32<<10)
			go func() {
				var off int
				for {
					k, err := server.Read(buf)
					if k > 0 && (off+k > len(model) || !bytes.Equal(buf[:k], model[off:off+k])) {
						done <- fmt.Errorf("bytes [%d, %d) received differ from the content", off, off+k)
						io.Copy(io.Discard, server)
						return
					}
					off += k
					if err == io.EOF {
						if off != len(model) {
							err = fmt.Errorf("received %d bytes; want %d", off, len(model))
						} else {
							err = nil
						}
						done <- err
						return
					}
					if err != nil {
						done <- err
						return
					}
				}
			}()
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			n, err := b.WriteTo(client)
			runtime.ReadMemStats(&m1)
			client.Close()
			if err != nil || n != int64(len(model)) {
				t.Errorf("WriteTo = %d, %v; want %d, nil", n, err, len(model))
			}
			if err := <-done; err != nil {
				t.Error(err)
			}
			if d := m1.TotalAlloc - m0.TotalAlloc; d > 1<<20 {
				t.Errorf("WriteTo allocated %d bytes; want at most 1 MiB, whatever the gaps", d)
			}
		})
	}
}

func TestViewReader(t *testing.T) {
	p := vtSmallPool(t)
	for _, n := range []int{0, 1, 64, 65, 1000} {
		t.Run(fmt.Sprintf("len=%d", n), func(t *testing.T) {
			data := vtData(n, 5)
			b := buffer.NewWithPool(p)
			defer b.Close()
			b.Write(data)
			v := b.GetValue()
			b.Reset()
			b.Write(bytes.Repeat([]byte{0xEE}, n+10))
			if err := iotest.TestReader(v.NewReader(), data); err != nil {
				t.Fatal(err)
			}

			r := v.NewReader()
			if r.Len() != n || r.Size() != int64(n) {
				t.Errorf("Len(), Size() = %d, %d; want %d, %d", r.Len(), r.Size(), n, n)
			}
			if pos, err := r.Seek(int64(n/2), io.SeekStart); pos != int64(n/2) || err != nil {
				t.Errorf("Seek(%d, SeekStart) = %d, %v; want %d, nil", n/2, pos, err, n/2)
			}
			if r.Len() != n-n/2 {
				t.Errorf("Len() after Seek = %d; want %d", r.Len(), n-n/2)
			}
			var bb bytes.Buffer
			if k, err := r.WriteTo(&bb); k != int64(n-n/2) || err != nil || !bytes.Equal(bb.Bytes(), data[n/2:]) {
				t.Errorf("WriteTo after Seek = %d, %v, %q; want %d, nil, %q", k, err, bb.Bytes(), n-n/2, data[n/2:])
			}
			if k, err := r.Read(make([]byte, 1)); k != 0 || err != io.EOF {
				t.Errorf("Read after WriteTo = %d, %v; want 0, io.EOF", k, err)
			}
			if pos, err := r.Seek(-1, io.SeekStart); !errors.Is(err, buffer.ErrNegativeOffset) {
				t.Errorf("Seek(-1, SeekStart) = %d, %v; want ErrNegativeOffset", pos, err)
			}
			if pos, err := r.Seek(0, 7); !errors.Is(err, buffer.ErrInvalidWhence) {
				t.Errorf("Seek(0, 7) = %d, %v; want ErrInvalidWhence", pos, err)
			}
			if pos, _ := r.Seek(0, io.SeekCurrent); pos != int64(n) {
				t.Errorf("position after failed Seeks = %d; want %d", pos, n)
			}
			if _, err := r.Seek(math.MaxInt64, io.SeekStart); err != nil {
				t.Errorf("Seek(MaxInt64, SeekStart): %v; want nil", err)
			}
			if _, err := r.Seek(1, io.SeekCurrent); !errors.Is(err, buffer.ErrOverflow) {
				t.Errorf("Seek(1, SeekCurrent) at MaxInt64: %v; want ErrOverflow", err)
			}
			if k, err := r.Read(make([]byte, 1)); k != 0 || err != io.EOF {
				t.Errorf("Read at MaxInt64 = %d, %v; want 0, io.EOF", k, err)
			}
			r.Seek(int64(n), io.SeekStart)
			if pos, err := r.Seek(10, io.SeekEnd); pos != int64(n+10) || err != nil || r.Len() != 0 {
				t.Errorf("Seek(10, SeekEnd) = %d, %v, Len %d; want %d, nil, 0", pos, err, r.Len(), n+10)
			}
			if n > 2 {
				q := make([]byte, 2)
				if k, err := r.ReadAt(q, int64(n-2)); k != 2 || err != nil || !bytes.Equal(q, data[n-2:]) {
					t.Errorf("ReadAt(2 bytes, %d) = %d, %v, %q; want 2, nil, %q", n-2, k, err, q, data[n-2:])
				}
				if k, err := r.ReadAt(make([]byte, 3), int64(n-2)); k != 2 || err != io.EOF {
					t.Errorf("ReadAt(3 bytes, %d) = %d, %v; want 2, io.EOF", n-2, k, err)
				}
			}

			if n == 0 || debugBuild {
				return // the zero View: nothing to release; debug builds panic on use after Release
			}
			v.Release()
			if k, err := r.Read(make([]byte, 1)); k != 0 || !errors.Is(err, buffer.ErrReleased) {
				t.Errorf("Read after Release = %d, %v; want 0, ErrReleased", k, err)
			}
			if k, err := r.ReadAt(make([]byte, 1), 0); k != 0 || !errors.Is(err, buffer.ErrReleased) {
				t.Errorf("ReadAt after Release = %d, %v; want 0, ErrReleased", k, err)
			}
			if _, err := r.Seek(0, io.SeekStart); !errors.Is(err, buffer.ErrReleased) {
				t.Errorf("Seek after Release: %v; want ErrReleased", err)
			}
			bb.Reset()
			if k, err := r.WriteTo(&bb); k != 0 || !errors.Is(err, buffer.ErrReleased) || bb.Len() != 0 {
				t.Errorf("WriteTo after Release = %d, %v; want 0, ErrReleased", k, err)
			}
			if r.Len() != 0 || r.Size() != 0 {
				t.Errorf("Len(), Size() after Release = %d, %d; want 0, 0", r.Len(), r.Size())
			}
		})
	}
}

// vtWithin reports whether s lies inside the memory of c.
func vtWithin(s, c []byte) bool {
	if len(s) == 0 || len(c) == 0 {
		return false
	}
	for i := range c {
		if &c[i] == &s[0] {
			return len(s) <= len(c)-i
		}
	}
	return false
}

// vtChunkSpans returns the memory of b's chunks, found through a view that
// it releases at once: the buffer still holds the chunks, and holds them
// alone, so it may lend them.
func vtChunkSpans(b *buffer.Buffer) [][]byte {
	v := b.GetValue()
	defer v.Release()
	return slices.Collect(v.Chunks())
}

// vtInAnyChunk reports whether s lies inside one of the chunks.
func vtInAnyChunk(s []byte, spans [][]byte) bool {
	for _, c := range spans {
		if vtWithin(s, c) {
			return true
		}
	}
	return false
}

func TestBorrowPeek(t *testing.T) {
	p := vtSmallPool(t)
	data := vtData(300, 6) // chunks: [0,64) [64,192) [192,300)
	b := buffer.NewWithPool(p)
	defer b.Close()
	vtWriteFirstByteApart(b, data)
	v := vtChunkSpans(b)
	tests := []struct {
		pos     int64
		n       int
		want    []byte
		wantErr error
		alias   bool // the result must alias a chunk; else it must not
	}{
		{0, 10, data[:10], nil, true},
		{0, 64, data[:64], nil, true},
		{10, 54, data[10:64], nil, true},
		{60, 10, data[60:70], nil, false}, // spans two chunks
		{0, 300, data, nil, false},
		{64, 128, data[64:192], nil, true},
		{250, 50, data[250:], nil, true},
		{250, 51, data[250:], io.EOF, true},
		{250, math.MaxInt, data[250:], io.EOF, true},
		{150, 1000, data[150:], io.EOF, false},
		{300, 0, nil, nil, false},
		{300, 1, nil, io.EOF, false},
		{400, 1, nil, io.EOF, false},
		{5, 0, nil, nil, false},
	}
	for _, tt := range tests {
		b.Seek(tt.pos, io.SeekStart)
		got, err := b.Peek(tt.n)
		if !bytes.Equal(got, tt.want) || err != tt.wantErr {
			t.Errorf("pos %d: Peek(%d) = %q, %v; want %q, %v", tt.pos, tt.n, got, err, tt.want, tt.wantErr)
		}
		if a := vtInAnyChunk(got, v); a != tt.alias {
			t.Errorf("pos %d: Peek(%d) aliases a chunk: %v; want %v", tt.pos, tt.n, a, tt.alias)
		}
		if b.Pos() != tt.pos {
			t.Errorf("pos %d: Peek(%d) moved the position to %d", tt.pos, tt.n, b.Pos())
		}
	}
	b.Seek(3, io.SeekStart)
	if got, err := b.Peek(-1); got != nil || !errors.Is(err, buffer.ErrNegativeCount) || b.Pos() != 3 {
		t.Errorf("Peek(-1) = %q, %v, pos %d; want nil, ErrNegativeCount, 3", got, err, b.Pos())
	}
}

func TestBorrowNext(t *testing.T) {
	p := vtSmallPool(t)
	data := vtData(300, 7)
	b := buffer.NewWithPool(p)
	defer b.Close()
	vtWriteFirstByteApart(b, data)
	v := vtChunkSpans(b)
	tests := []struct {
		pos     int64
		n       int
		want    []byte
		wantPos int64
		alias   bool
	}{
		{0, 10, data[:10], 10, true},
		{60, 10, data[60:70], 70, false},
		{250, 100, data[250:], 300, true},
		{150, math.MaxInt, data[150:], 300, false},
		{300, 1, nil, 300, false},
		{500, 1, nil, 500, false},
		{7, 0, nil, 7, false},
		{7, -1, nil, 7, false},
	}
	for _, tt := range tests {
		b.Seek(tt.pos, io.SeekStart)
		got := b.Next(tt.n)
		if !bytes.Equal(got, tt.want) || b.Pos() != tt.wantPos {
			t.Errorf("pos %d: Next(%d) = %q, pos %d; want %q, pos %d", tt.pos, tt.n, got, b.Pos(), tt.want, tt.wantPos)
		}
		if a := vtInAnyChunk(got, v); a != tt.alias {
			t.Errorf("pos %d: Next(%d) aliases a chunk: %v; want %v", tt.pos, tt.n, a, tt.alias)
		}
	}
	// UnreadByte after Next steps back one byte.
	b.Seek(10, io.SeekStart)
	b.Next(5)
	if err := b.UnreadByte(); err != nil || b.Pos() != 14 {
		t.Errorf("UnreadByte after Next(5) = %v, pos %d; want nil, 14", err, b.Pos())
	}
}

func TestBorrowAvailableBuffer(t *testing.T) {
	p := vtSmallPool(t)
	b := buffer.NewWithPool(p)
	defer b.Close()
	b.Write(vtData(40, 8))
	want := vtData(40, 8)

	ab := b.AvailableBuffer()
	if len(ab) != 0 || cap(ab) == 0 {
		t.Fatalf("AvailableBuffer() at the end of a 40-byte chunk-backed content: len %d, cap %d; want 0, > 0", len(ab), cap(ab))
	}
	ab = append(ab, "tail"...)
	if k, err := b.Write(ab); k != 4 || err != nil {
		t.Fatalf("Write(AvailableBuffer()+\"tail\") = %d, %v; want 4, nil", k, err)
	}
	want = append(want, "tail"...)
	if got := vtBufContent(t, b); !bytes.Equal(got, want) {
		t.Errorf("content = %q; want %q", got, want)
	}
	if !raceEnabled {
		wrote := 0
		if a := testing.AllocsPerRun(100, func() {
			b.Seek(0, io.SeekEnd)
			ab := b.AvailableBuffer()
			if cap(ab) >= 2 {
				b.Write(append(ab, 'x', 'y'))
				wrote++
			}
			b.Truncate(44)
			b.WriteAt([]byte{'l'}, 43) // puts the last chunk back in use
		}); a != 0 {
			t.Errorf("AvailableBuffer+append+Write: %v allocs per run; want 0", a)
		}
		if wrote == 0 {
			t.Errorf("AvailableBuffer() after Truncate and WriteAt at the end had no room in a 64-byte chunk holding 44 bytes")
		}
		if got := vtBufContent(t, b); !bytes.Equal(got, want) {
			t.Errorf("content after the AllocsPerRun loop = %q; want %q", got, want)
		}
	}

	b.Seek(10, io.SeekStart)
	if ab := b.AvailableBuffer(); ab != nil {
		t.Errorf("AvailableBuffer() with the position inside the content: len %d cap %d; want nil", len(ab), cap(ab))
	}
	b.Seek(100, io.SeekStart)
	if ab := b.AvailableBuffer(); ab != nil {
		t.Errorf("AvailableBuffer() with the position past the end: len %d cap %d; want nil", len(ab), cap(ab))
	}

	// With a live view, appending to AvailableBuffer and writing leaves
	// the view as it was.
	b.Seek(0, io.SeekEnd)
	v := b.GetValue()
	defer v.Release()
	snap := slices.Clone(want)
	ab = b.AvailableBuffer()
	if len(ab) != 0 {
		t.Fatalf("AvailableBuffer() has len %d; want 0", len(ab))
	}
	ab = append(ab, "more"...)
	b.Write(ab)
	want = append(want, "more"...)
	if got := vtBufContent(t, b); !bytes.Equal(got, want) {
		t.Errorf("content = %q; want %q", got, want)
	}
	if err := vtCheckView(v, snap); err != nil {
		t.Errorf("view after AvailableBuffer+Write: %v", err)
	}

	if ab := new(buffer.Buffer).AvailableBuffer(); len(ab) != 0 {
		t.Errorf("AvailableBuffer() of a zero Buffer has len %d; want 0", len(ab))
	}
}

func TestBorrowLines(t *testing.T) {
	p := vtSmallPool(t)
	long := strings.Repeat("L", 150) + "\n"  // spans chunks
	text := "a\nbb\n" + long + "\n" + "last" // no final newline
	b := buffer.NewWithPool(p)
	defer b.Close()
	vtWriteFirstByteApart(b, []byte(text))
	v := vtChunkSpans(b)
	b.Seek(0, io.SeekStart)

	var got []string
	var aliased []bool
	for line := range b.Lines() {
		got = append(got, string(line))
		aliased = append(aliased, vtInAnyChunk(line, v))
	}
	var want []string
	for line := range strings.Lines(text) {
		want = append(want, line)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Lines() = %q; want %q", got, want)
	}
	// "a\n" and "bb\n" lie in the first chunk; the long line spans
	// [5, 156), across the 64-byte boundary.
	if wantAlias := []bool{true, true, false, true, true}; !slices.Equal(aliased, wantAlias) {
		t.Errorf("Lines() aliasing = %v; want %v", aliased, wantAlias)
	}
	if b.Pos() != int64(len(text)) {
		t.Errorf("Pos() after Lines = %d; want %d", b.Pos(), len(text))
	}

	// Stopping early leaves the position after the last line consumed.
	b.Seek(0, io.SeekStart)
	for range b.Lines() {
		break
	}
	if b.Pos() != 2 {
		t.Errorf("Pos() after one step of Lines = %d; want 2", b.Pos())
	}
	// From past the end there is nothing.
	b.Seek(1000, io.SeekStart)
	for line := range b.Lines() {
		t.Errorf("Lines() past the end yielded %q", line)
	}
}

// Views released on other goroutines while their buffer goes on (writes,
// new views, Reset, Put and Get, Close) keep their content, and hand their
// state back to the buffer or, once the buffer let go of it, to the pool.
// Run with -race, this checks the hand-over of a buffer's own view state.
func TestViewReleaseOnOtherGoroutines(t *testing.T) {
	p := vtSmallPool(t)
	bp := buffer.NewPool(p)
	type sent struct {
		v    buffer.View
		want []byte
	}
	views := make(chan sent, 8)
	done := make(chan struct{})
	var bad atomic.Int64
	for range 2 {
		go func() {
			defer func() { done <- struct{}{} }()
			for s := range views {
				if !s.v.Equal(s.want) {
					bad.Add(1)
				}
				s.v.Release()
			}
		}()
	}
	b := bp.Get()
	for i := range 3000 {
		want := pattern(1 + i%700)
		b.Write(want)
		views <- sent{b.GetValue(), want}
		switch i % 5 {
		case 0:
			b.Reset()
		case 1:
			bp.Put(b)
			b = bp.Get()
		case 2:
			b.Close()
			b = bp.Get()
		case 3:
			b.Truncate(0)
			b.Seek(0, io.SeekStart)
		default:
			b.Reset()
			b.WriteString("overwritten") // copy-on-write while a view may live
			b.Reset()
		}
	}
	close(views)
	<-done
	<-done
	bp.Put(b)
	if n := bad.Load(); n != 0 {
		t.Errorf("%d views changed before their Release", n)
	}
	if n := p.Stats().ViewsOutstanding; n != 0 {
		t.Errorf("ViewsOutstanding = %d after every view was released; want 0", n)
	}
}

// GetValue of a buffer without content returns the zero View, as its doc
// says, however the buffer came to be empty (new, Reset with a chunk kept,
// Truncate(0)): releasing it does nothing, even twice, and it stays empty,
// with reads returning io.EOF, not ErrReleased.
func TestGetValueOfEmptyIsZeroView(t *testing.T) {
	for _, tt := range []struct {
		name  string
		empty func(b *buffer.Buffer)
	}{
		{"new", func(b *buffer.Buffer) {}},
		{"Reset", func(b *buffer.Buffer) { b.Write(pattern(100)); b.Reset() }},
		{"Truncate(0)", func(b *buffer.Buffer) { b.Write(pattern(100)); b.Truncate(0) }},
		{"viewed, Reset", func(b *buffer.Buffer) { b.Write(pattern(100)); b.GetValue().Release(); b.Reset() }},
	} {
		b := buffer.New()
		tt.empty(b)
		v := b.GetValue()
		if v != (buffer.View{}) {
			t.Errorf("%s: GetValue() = a non-zero View; want the zero View", tt.name)
		}
		v.Release()
		v.Release()
		if n, err := v.ReadAt(make([]byte, 1), 0); n != 0 || err != io.EOF {
			t.Errorf("%s: ReadAt after Release = %d, %v; want 0, io.EOF", tt.name, n, err)
		}
		if v.Released() {
			t.Errorf("%s: Released() = true; want false", tt.name)
		}
		b.Seek(0, io.SeekStart) // Truncate leaves the position
		b.Write(pattern(10))
		if got := b.String(); got != string(pattern(10)) {
			t.Errorf("%s: content after a write = %q; want %q", tt.name, got, pattern(10))
		}
		b.Close()
	}
}

// A view of content whose one chunk slot is a gap (never written) reads
// zeros, also when the buffer's own view state last served a view that
// borrowed a chunk since given back to the pool: a released view leaves
// nothing of its content in the state.
func TestViewOfGapAfterLentView(t *testing.T) {
	p := newSmallPool(t) // keeps chunks given back, with their bytes
	b := buffer.NewWithPool(p)
	defer b.Close()
	b.Write(pattern(50))
	b.GetValue().Release() // lent the one chunk
	b.Truncate(0)          // the chunk goes back to the pool
	b.Seek(300, io.SeekStart)
	b.WriteByte(1)
	b.Truncate(40) // one chunk slot, a gap
	other := buffer.NewWithPool(p)
	defer other.Close()
	other.Write(bytes.Repeat([]byte{0xff}, 50)) // may take the chunk given back
	v := b.GetValue()
	defer v.Release()
	if got, want := v.Bytes(), make([]byte, 40); !bytes.Equal(got, want) {
		t.Errorf("view of a 40-byte gap = %v; want %v", got, want)
	}
	if got := other.String(); got != string(bytes.Repeat([]byte{0xff}, 50)) {
		t.Errorf("other buffer's content = %q; want 50 bytes of 0xff", got)
	}
}

// Appending after GetValue of content in several chunks copies the chunk
// holding the end before writing into it (copy-on-write), as a write into
// any chunk a view holds does, and AvailableBuffer's room, which is never
// shared with a view, is not in that chunk: one chunk copy, counted in the
// pool's Copies, and the view keeps its content.
func TestAppendAfterViewCopiesLastChunk(t *testing.T) {
	for _, avail := range []bool{false, true} {
		p := vtSmallPool(t) // chunks of 64, 128, 256 bytes
		b := buffer.NewWithPool(p)
		want := vtData(100, 3)
		b.Write(want[:50]) // a first chunk of 64 bytes
		b.Write(want[50:]) // ends in the 128-byte chunk, with room after it
		v := b.GetValue()
		if avail {
			b.Write(append(b.AvailableBuffer(), "more"...))
		} else {
			b.WriteString("more")
		}
		if got := p.Stats().Copies; got != 1 {
			t.Errorf("AvailableBuffer %v: chunk copies after appending to a viewed buffer = %d; want 1", avail, got)
		}
		if err := vtCheckView(v, want); err != nil {
			t.Errorf("AvailableBuffer %v: view after appending: %v", avail, err)
		}
		if got := b.String(); got != string(want)+"more" {
			t.Errorf("AvailableBuffer %v: content = %q; want %q", avail, got, string(want)+"more")
		}
		v.Release()
		b.Close()
	}
}

// View.Chunks hands out no memory past the content: each piece has no
// capacity beyond its length, so the bytes after a piece in its chunk (room
// the buffer may write later, or old bytes of a chunk reused from the pool)
// and the zeros served for the next gap cannot be reached by appending to it.
func TestViewChunksCapAtLength(t *testing.T) {
	p := vtSmallPool(t) // chunks of 64, 128, 256 bytes
	b := buffer.NewWithPool(p)
	defer b.Close()
	b.Write(vtData(50, 4))     // in the first chunk, of 64 bytes
	b.WriteAt([]byte{7}, 1000) // gap chunks, then a chunk with room after the end
	v := b.GetValue()
	defer v.Release()
	var got []byte
	for seg := range v.Chunks() {
		if cap(seg) != len(seg) {
			t.Errorf("Chunks yielded a piece of len %d with cap %d; want cap == len", len(seg), cap(seg))
		}
		_ = append(seg, 0xee) // must not reach any memory of the view
		got = append(got, seg...)
	}
	want := append(append(vtData(50, 4), make([]byte, 950)...), 7)
	if !bytes.Equal(got, want) {
		t.Errorf("Chunks after appending to the pieces = %d bytes; want the %d of the content", len(got), len(want))
	}
}

// View.Equal compares content, not only length: a p of the view's length
// that differs in one byte is unequal wherever that byte is, at the first
// and last byte of every piece (chunks and gaps) as in their middles, and a
// p one byte shorter or longer is unequal too. bytes.Equal on the view's
// bytes is the oracle.
func TestViewEqualDiffersByOneByte(t *testing.T) {
	p := vtSmallPool(t) // chunks of 64, 128, 256 bytes
	b := buffer.NewWithPool(p)
	defer b.Close()
	vtWriteFirstByteApart(b, vtData(700, 5)) // 64+128+256+256 bytes of chunks
	b.WriteAt([]byte{9}, 1500)               // a gap of zeros, then one byte
	v := b.GetValue()
	defer v.Release()
	want := v.Bytes()
	if !v.Equal(bytes.Clone(want)) {
		t.Fatal("Equal(a copy of its own bytes) = false; want true")
	}
	var offs []int // every piece's first, middle and last byte
	start := 0
	for _, seg := range vtChunks(v) {
		offs = append(offs, start, start+len(seg)/2, start+len(seg)-1)
		start += len(seg)
	}
	if len(offs) < 3*5 {
		t.Fatalf("the view has %d pieces; want at least 5 (chunks and a gap)", len(offs)/3)
	}
	for _, off := range offs {
		q := bytes.Clone(want)
		q[off] ^= 0x40
		if got, oracle := v.Equal(q), bytes.Equal(want, q); got != oracle {
			t.Errorf("Equal(content with byte %d changed) = %v; want %v", off, got, oracle)
		}
	}
	if v.Equal(want[:len(want)-1]) || v.Equal(append(bytes.Clone(want), 0)) {
		t.Error("Equal(content one byte shorter or longer) = true; want false")
	}
	var empty buffer.View
	if !empty.Equal(nil) || !empty.Equal([]byte{}) || empty.Equal([]byte{0}) {
		t.Error("the zero View: Equal(nil), Equal(empty), Equal({0}) are not true, true, false")
	}
}

// TestDroppedViewNotPinned drops a view unreleased and reuses its buffer:
// within two reuses (Reset, or Put and Get) the buffer lets go of the
// view's state, so the garbage collector takes the view's chunks, where
// the buffer kept them as long as it lived (a pooled buffer of 1 KiB held
// 64 MiB). Content in one chunk (a view borrows the buffer's reference)
// and in many are both covered.
func TestDroppedViewNotPinned(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int
	}{{"one chunk", 48 << 10}, {"many chunks", 4 << 20}} {
		for _, reuse := range []string{"Reset", "Put"} {
			t.Run(tc.name+"/"+reuse, func(t *testing.T) {
				p, err := pool.New(pool.Config{MaxRetained: -1, FirstChunk: 64 << 10, NoCalibration: true}) // keeps nothing
				if err != nil {
					t.Fatal(err)
				}
				bp := buffer.NewPool(p)
				b := bp.Get()
				b.Write(bytes.Repeat([]byte{'v'}, tc.size))
				_ = b.GetValue() // dropped, never released
				for range 2 {
					if reuse == "Reset" {
						b.Reset()
					} else {
						bp.Put(b)
						if b = bp.Get(); b.Size() != 0 {
							t.Fatalf("Get returned a buffer of %d bytes", b.Size())
						}
					}
					b.WriteString("small")
				}
				var s pool.Stats
				for i := 0; ; i++ {
					runtime.GC()
					time.Sleep(time.Millisecond) // let the chunk cleanups run
					if s = p.Stats(); s.Misses-s.Freed <= 1 || i == 50 {
						break
					}
				}
				if alive := s.Misses - s.Freed; alive > 1 {
					t.Errorf("%d chunks alive (%d bytes allocated) for a buffer of %d bytes, capacity %d",
						alive, s.BytesAllocated, b.Size(), b.Cap())
				}
				runtime.KeepAlive(b)
			})
		}
	}
}

// A write into a chunk of several MiB that a view shares copies the chunk
// once, in pieces (see copyCached): the view keeps the old content, the
// buffer has the new, at the start, across a piece's end and at the end.
func TestViewCopyOnWriteOfLargeChunk(t *testing.T) {
	p, err := pool.New(pool.Config{FirstChunk: 4 << 20, MaxChunk: 4 << 20, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	const n = 3<<20 + 17
	data := vtData(n, 5)
	b := buffer.NewWithPool(p)
	defer b.Close()
	b.Write(data)
	v := b.GetValue()
	defer v.Release()
	want := slices.Clone(data)
	for _, off := range []int{0, 512<<10 - 2, 1<<20 - 1, n - 3} {
		w := []byte{0xEE, 0xEF, 0xF0}
		b.WriteAt(w, int64(off))
		copy(want[off:], w)
	}
	if got := p.Stats().Copies; got != 1 {
		t.Errorf("chunk copies = %d; want 1 (the content is in one chunk)", got)
	}
	if err := vtCheckView(v, data); err != nil {
		t.Errorf("view after the writes: %v", err)
	}
	if got := vtBufContent(t, b); !bytes.Equal(got, want) {
		t.Errorf("buffer content differs from the model's at %d of %d bytes", firstDiff(got, want), n)
	}
}

package buffer_test

import (
	"bytes"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"testing"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// A view of content in one chunk borrows the buffer's reference on it (see
// GetValue). Whatever the buffer does while the view is held, the view keeps
// its content and is counted in ViewsOutstanding once the buffer touched the
// chunk; after Release the chunk goes back to the pool exactly once, when the
// buffer no longer holds it, and the count is 0 again. A view released first
// leaves the chunk to the buffer: writing copies nothing.
func TestViewOfOneChunk(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	// A GC empties sync.Pools, and a chunk put back on one P is not seen
	// by a Get on another until it leaves that P's private slot.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	p := vtSmallPool(t) // a first chunk of 64 bytes
	bp := buffer.NewPool(p)
	data, x := vtData(50, 1), vtData(20, 2)

	// Each action uses the buffer b and returns the buffer to go on with
	// (nil when it gave b up). Those marked leaves let go of the view's
	// chunk or write into it, which the view, if held, must not see; peek
	// lends the content, which a held view must not share either.
	actions := []struct {
		name   string
		leaves bool
		peeks  bool
		do     func(t *testing.T, b *buffer.Buffer) *buffer.Buffer
	}{
		{"overwrite", true, false, func(t *testing.T, b *buffer.Buffer) *buffer.Buffer {
			b.WriteAt(x, 0)
			return b
		}},
		{"append", true, false, func(t *testing.T, b *buffer.Buffer) *buffer.Buffer {
			b.Seek(0, io.SeekEnd)
			b.Write(x[:10])
			return b
		}},
		{"reset", true, false, func(t *testing.T, b *buffer.Buffer) *buffer.Buffer {
			b.Reset()
			b.Write(x)
			return b
		}},
		{"truncate", true, false, func(t *testing.T, b *buffer.Buffer) *buffer.Buffer {
			b.Truncate(0)
			b.Seek(0, io.SeekStart)
			b.Write(x)
			return b
		}},
		{"put", true, false, func(t *testing.T, b *buffer.Buffer) *buffer.Buffer {
			bp.Put(b)
			b = bp.Get()
			b.Write(x)
			return b
		}},
		{"second view", true, false, func(t *testing.T, b *buffer.Buffer) *buffer.Buffer {
			v2 := b.GetValue()
			want := vtBufContent(t, b)
			b.WriteAt(x, 0)
			if err := vtCheckView(v2, want); err != nil {
				t.Errorf("another view after a write: %v", err)
			}
			v2.Release()
			return b
		}},
		{"close", true, false, func(t *testing.T, b *buffer.Buffer) *buffer.Buffer {
			b.Close()
			return nil
		}},
		{"read", false, false, func(t *testing.T, b *buffer.Buffer) *buffer.Buffer {
			b.Seek(0, io.SeekStart)
			b.Read(make([]byte, 64))
			return b
		}},
		{"peek", false, true, func(t *testing.T, b *buffer.Buffer) *buffer.Buffer {
			b.Seek(0, io.SeekStart)
			if m, _ := b.Peek(10); !bytes.Equal(m, data[:10]) {
				t.Errorf("Peek(10) = %v; want %v", m, data[:10])
			}
			return b
		}},
	}
	for _, a := range actions {
		t.Run(a.name+"/held", func(t *testing.T) {
			b := bp.Get()
			b.Write(data)
			v := b.GetValue()
			mine := vtFirstBytes(vtChunks(v))
			if len(mine) != 1 {
				t.Fatalf("view has %d chunks; want 1", len(mine))
			}
			b = a.do(t, b)
			vtChurn(p, 0xDD)
			if err := vtCheckView(v, data); err != nil {
				t.Fatalf("view after %s: %v", a.name, err)
			}
			// Counted once the buffer let go of the chunk, copied it or
			// lent it.
			if got, want := p.Stats().ViewsOutstanding, int64(boolInt(a.leaves || a.peeks)); got != want {
				t.Errorf("ViewsOutstanding after %s with the view held = %d; want %d", a.name, got, want)
			}
			v.Release()
			if got := p.Stats().ViewsOutstanding; got != 0 {
				t.Errorf("ViewsOutstanding after Release = %d; want 0", got)
			}
			if !a.leaves {
				// The buffer has the chunk alone again: no copy.
				copies := p.Stats().Copies
				b.WriteAt(x, 0)
				if d := p.Stats().Copies - copies; d != 0 {
					t.Errorf("write after Release copied %d chunks; want 0", d)
				}
			}
			// The view's chunk is back in the pool if the buffer no longer
			// holds it, and then once only.
			got := []*pool.Chunk{p.Get(64), p.Get(64)}
			var back int
			for _, c := range got {
				if &c.Bytes()[0] == mine[0] {
					back++
				}
				c.Release()
			}
			if want := boolInt(a.leaves); back != want {
				t.Errorf("the view's chunk came out of the pool %d times after Release; want %d", back, want)
			}
			if b != nil {
				bp.Put(b)
			}
		})
		t.Run(a.name+"/released", func(t *testing.T) {
			b := bp.Get()
			b.Write(data)
			v := b.GetValue()
			v.Release()
			copies := p.Stats().Copies
			b = a.do(t, b)
			// Only the write made while another view is held copies.
			if d, want := p.Stats().Copies-copies, int64(boolInt(a.name == "second view")); d != want {
				t.Errorf("%s after the view's Release copied %d chunks; want %d", a.name, d, want)
			}
			if got := p.Stats().ViewsOutstanding; got != 0 {
				t.Errorf("ViewsOutstanding after %s = %d; want 0", a.name, got)
			}
			if b != nil {
				bp.Put(b)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// GetValue and Release of content in one chunk touch no reference count and
// allocate nothing, whichever order the view and the buffer let go.
func TestViewOfOneChunkAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	b := buffer.New()
	defer b.Close()
	b.Write(bytes.Repeat([]byte{7}, 100))
	if a := testing.AllocsPerRun(100, func() { b.GetValue().Release() }); a != 0 {
		t.Errorf("GetValue+Release: %v allocs per run; want 0", a)
	}
	bp := buffer.NewPool(nil)
	if a := testing.AllocsPerRun(100, func() {
		b := bp.Get()
		b.Write([]byte("some content"))
		v := b.GetValue()
		bp.Put(b)
		v.Release()
	}); a != 0 {
		t.Errorf("Get, Write, GetValue, Put, Release: %v allocs per run; want 0", a)
	}
	if !slices.Equal(b.GetValue().Bytes(), bytes.Repeat([]byte{7}, 100)) {
		t.Errorf("content changed")
	}
}

// A slice Peek or Next lent is valid as the argument of the next write, as
// its doc allows: written back into the buffer, at an offset that makes the
// write cross from the chunk it lies in to the next, or from the one before
// into it, it writes the bytes it held, as copy of overlapping slices does,
// by Write and by WriteAt. Copied chunk by chunk, the first copy once
// overwrote bytes of the slice that the second then read.
func TestWriteBorrowedSlice(t *testing.T) {
	p := vtSmallPool(t) // chunks of 64, 128 and 256 bytes
	data := make([]byte, 1000)
	for i := range data {
		data[i] = byte(i%251 + 1)
	}
	for _, lend := range []string{"Peek", "Next"} {
		for _, at := range []bool{false, true} {
			for s := 0; s < 600; s += 5 {
				for _, n := range []int{1, 13, 64, 100} {
					for d := max(s-70, 0); d <= s+70; d += 3 {
						b := buffer.NewWithPool(p)
						b.Write(data)
						b.Seek(int64(s), io.SeekStart)
						var q []byte
						if lend == "Peek" {
							q, _ = b.Peek(n)
						} else {
							q = b.Next(n)
						}
						want := slices.Clone(data)
						copy(want[d:], data[s:s+n])
						if at {
							b.WriteAt(q, int64(d))
						} else {
							b.Seek(int64(d), io.SeekStart)
							b.Write(q)
						}
						v := b.GetValue()
						if got := v.Bytes(); !bytes.Equal(got, want) {
							i := 0
							for i < len(got) && got[i] == want[i] {
								i++
							}
							t.Fatalf("%s(%d) at %d, written back at %d (WriteAt %v): content differs from byte %d: %v, want %v",
								lend, n, s, d, at, i, got[i:min(i+8, len(got))], want[i:min(i+8, len(want))])
						}
						v.Release()
						b.Close()
					}
				}
			}
		}
	}
}

// FuzzWriteBorrowed writes a slice that Peek or Next lent back into the
// buffer, by Write or WriteAt, at any offset, also past the end, in buffers
// of the layouts small pools give, against copy's move of overlapping
// bytes (see TestWriteBorrowedSlice).
func FuzzWriteBorrowed(f *testing.F) {
	f.Add(uint16(1000), uint16(90), uint16(99), uint16(158), byte(0), byte(0))
	f.Add(uint16(300), uint16(10), uint16(49), uint16(40), byte(5), byte(1))
	f.Fuzz(func(t *testing.T, size, s, n, d uint16, how, chunks byte) {
		size = size%4096 + 1
		s %= size
		n = n%(size-s) + 1 // 1 to size-s bytes lent
		d %= size + 100
		first := 64 << (chunks % 4)
		p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: first, MaxChunk: first << (chunks >> 2 % 4), NoCalibration: true})
		if err != nil {
			t.Fatal(err)
		}
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i%251 + 1)
		}
		b := buffer.NewWithPool(p)
		defer b.Close()
		if how&4 != 0 { // in 64-byte writes: chunks from the first size up
			for off := 0; off < len(data); off += 64 {
				b.Write(data[off:min(off+64, len(data))])
			}
		} else {
			b.Write(data)
		}
		b.Seek(int64(s), io.SeekStart)
		var q []byte
		if how&1 != 0 {
			q = b.Next(int(n))
		} else {
			q, _ = b.Peek(int(n))
		}
		want := make([]byte, max(int(size), int(d)+int(n)))
		copy(want, data)
		copy(want[d:], data[s:int(s)+int(n)])
		var k int
		if how&2 != 0 {
			k, err = b.WriteAt(q, int64(d))
		} else {
			b.Seek(int64(d), io.SeekStart)
			k, err = b.Write(q)
		}
		if k != int(n) || err != nil {
			t.Fatalf("write of the lent slice = %d, %v; want %d, nil", k, err, n)
		}
		v := b.GetValue()
		defer v.Release()
		if got := v.Bytes(); !bytes.Equal(got, want) {
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			t.Fatalf("%d bytes, lent %d at %d (how %d), written at %d: content of %d bytes differs from byte %d; want %d bytes",
				size, n, s, how, d, len(got), i, len(want))
		}
	})
}

package buffer_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// boundariesFor returns the offsets, up to upTo, where a chunk of a buffer
// bound to p starts (but the first at 0): chunk i holds first<<i bytes until
// that reaches max, then max bytes.
func boundariesFor(p *pool.Pool, upTo int64) []int64 {
	first, max := p.Layout()
	var bs []int64
	size := int64(first)
	for off := size; off <= upTo; off += size {
		bs = append(bs, off)
		if size < int64(max) {
			size *= 2
		}
	}
	return bs
}

// boundaryPools are the pools of the sweeps: their chunk boundaries fall at
// 64, 192, 448, 704, ... and at 128, 384, 896, 1408, ...
func boundaryPools(t *testing.T) []struct {
	name string
	p    *pool.Pool
} {
	t.Helper()
	mid, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 128, MaxChunk: 512, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	return []struct {
		name string
		p    *pool.Pool
	}{
		{"small", newSmallPool(t)},
		{"mid", mid},
	}
}

func TestBoundariesFor(t *testing.T) {
	p := newSmallPool(t)
	got := fmt.Sprint(boundariesFor(p, 1300))
	if want := "[64 192 448 704 960 1216]"; got != want {
		t.Errorf("boundariesFor(small, 1300) = %s; want %s", got, want)
	}
}

// TestWritePieces writes inputs in pieces of every size from 1 up (xxhash's
// TestAll style) and reads them back with several read sizes.
func TestWritePieces(t *testing.T) {
	lens := []int{0, 1, 63, 64, 65, 127, 128, 129, 191, 192, 193, 447, 448, 449, 703, 704, 705, 1000, 1200}
	pieces := func(n int) []int {
		var ps []int
		for s := 1; s <= min(n, 70); s++ {
			ps = append(ps, s)
		}
		for _, s := range []int{127, 128, 129, 255, 256, 257, 500, 1000, n} {
			if s > 70 && s <= n {
				ps = append(ps, s)
			}
		}
		if n == 0 {
			ps = []int{1}
		}
		return ps
	}
	readSizes := []int{1, 2, 7, 64, 1 << 10}
	for _, bp := range boundaryPools(t) {
		for _, n := range lens {
			input := vecGen(int64(n), int64(n)+100)
			for _, ps := range pieces(n) {
				if bp.name == "mid" && ps > 3 && ps%16 != 0 && ps != n {
					continue // keep the second layout's sweep short
				}
				name := fmt.Sprintf("pool=%s,input=len%d,pieceSize=%d", bp.name, n, ps)
				t.Run(name, func(t *testing.T) {
					b := buffer.NewWithPool(bp.p)
					defer b.Close()
					writePieces(t, b, input, ps)
					if got := b.Pos(); got != int64(n) {
						t.Fatalf("Pos() after writing = %d; want %d", got, n)
					}
					if got := b.Size(); got != int64(n) {
						t.Fatalf("Size() after writing = %d; want %d", got, n)
					}
					v := b.GetValue()
					if got := v.Bytes(); !bytes.Equal(got, input) {
						t.Fatalf("GetValue().Bytes():\ngot  %x\nwant %x", got, input)
					}
					v.Release()
					for _, rs := range readSizes {
						readBack(t, b, input, rs)
					}
				})
			}
		}
	}
}

// writePieces writes input into b in pieces of ps bytes, with Write,
// WriteString or WriteByte depending on ps.
func writePieces(t *testing.T, b *buffer.Buffer, input []byte, ps int) {
	t.Helper()
	for off := 0; off < len(input); off += ps {
		piece := input[off:min(off+ps, len(input))]
		var n int
		var err error
		switch {
		case ps == 1:
			err = b.WriteByte(piece[0])
			n = 1
		case ps%2 == 0:
			n, err = b.WriteString(string(piece))
		default:
			n, err = b.Write(piece)
		}
		if n != len(piece) || err != nil {
			t.Fatalf("write of piece at %d: got (%d, %v); want (%d, nil)", off, n, err, len(piece))
		}
	}
}

// readBack reads all of b from 0 with Read calls of rs bytes, then checks
// ReadAt at every multiple of rs.
func readBack(t *testing.T, b *buffer.Buffer, want []byte, rs int) {
	t.Helper()
	if pos, err := b.Seek(0, io.SeekStart); pos != 0 || err != nil {
		t.Fatalf("Seek(0, 0): got (%d, %v); want (0, nil)", pos, err)
	}
	var got []byte
	p := make([]byte, rs)
	for calls := 0; ; calls++ {
		if calls > len(want)+1 {
			t.Fatalf("readSize=%d: no EOF after %d Read calls", rs, calls)
		}
		n, err := b.Read(p)
		got = append(got, p[:n]...)
		if err == io.EOF {
			if n != 0 {
				t.Fatalf("readSize=%d: Read returned (%d, EOF); want EOF only with 0 bytes", rs, n)
			}
			break
		}
		if err != nil || n == 0 {
			t.Fatalf("readSize=%d: Read at %d: got (%d, %v); want (>0, nil)", rs, len(got)-n, n, err)
		}
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("readSize=%d: read back\ngot  %x\nwant %x", rs, got, want)
	}
	for off := 0; off <= len(want); off += rs {
		clear(p)
		n, err := b.ReadAt(p, int64(off))
		wn := min(rs, len(want)-off)
		var wantErr error
		if wn < rs {
			wantErr = io.EOF
		}
		if n != wn || err != wantErr || !bytes.Equal(p[:n], want[off:off+wn]) {
			t.Fatalf("readSize=%d: ReadAt(%d): got (%d, %v) %x; want (%d, %v) %x", rs, off, n, err, p[:n], wn, wantErr, want[off:off+wn])
		}
	}
}

// TestBoundaryOffsets writes and reads at offsets on both sides of every
// chunk boundary: overwriting content, filling a gap, after a Truncate, and
// while a view shares the chunks.
func TestBoundaryOffsets(t *testing.T) {
	const baseLen = 2300
	base := vecGen(baseLen, 7)
	lens := []int{1, 2, 3, 64, 65, 256, 257}
	for _, bp := range boundaryPools(t) {
		for _, bnd := range boundariesFor(bp.p, 2100) {
			for off := bnd - 2; off <= bnd+2; off++ {
				for _, n := range lens {
					data := vecGen(int64(n), off*1000+int64(n))
					name := fmt.Sprintf("pool=%s,boundary=%d,off=%d,len=%d", bp.name, bnd, off, n)
					t.Run(name, func(t *testing.T) {
						testBoundaryOffset(t, bp.p, base, data, off)
					})
				}
			}
		}
	}
}

func testBoundaryOffset(t *testing.T, p *pool.Pool, base, data []byte, off int64) {
	n := len(data)
	end := off + int64(n)
	overwritten := bytes.Clone(base)
	if int(end) > len(overwritten) {
		overwritten = append(overwritten, make([]byte, int(end)-len(overwritten))...)
	}
	copy(overwritten[off:], data)

	fill := func(t *testing.T) *buffer.Buffer {
		t.Helper()
		b := buffer.NewWithPool(p)
		// One byte first, so the buffer takes the pool's first chunk size
		// (a larger first write gets a first chunk that holds it all).
		for _, part := range [][]byte{base[:1], base[1:]} {
			if n, err := b.Write(part); n != len(part) || err != nil {
				t.Fatalf("Write(base): got (%d, %v); want (%d, nil)", n, err, len(part))
			}
		}
		return b
	}
	content := func(t *testing.T, b *buffer.Buffer, what string, want []byte) {
		t.Helper()
		v := b.GetValue()
		defer v.Release()
		if got := v.Bytes(); !bytes.Equal(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Fatalf("%s: content differs from byte %d on (len %d, want %d):\ngot  %x\nwant %x",
				what, i, len(got), len(want), got[i:min(len(got), i+16)], want[i:min(len(want), i+16)])
		}
	}

	// Overwrite with WriteAt, then read the range back three ways.
	b := fill(t)
	if got, err := b.WriteAt(data, off); got != n || err != nil {
		t.Fatalf("WriteAt: got (%d, %v); want (%d, nil)", got, err, n)
	}
	if got := b.Pos(); got != int64(len(base)) {
		t.Fatalf("WriteAt moved the position to %d", got)
	}
	content(t, b, "WriteAt over content", overwritten)
	got := make([]byte, n)
	if m, err := b.ReadAt(got, off); m != n || err != nil && !(err == io.EOF && int(end) == len(overwritten)) || !bytes.Equal(got, data) {
		t.Fatalf("ReadAt: got (%d, %v) %x; want (%d, nil) %x", m, err, got, n, data)
	}
	if pos, err := b.Seek(off, io.SeekStart); pos != off || err != nil {
		t.Fatalf("Seek(%d, 0): got (%d, %v)", off, pos, err)
	}
	clear(got)
	if m, err := io.ReadFull(b, got); m != n || err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Seek+ReadFull: got (%d, %v) %x; want (%d, nil) %x", m, err, got, n, data)
	}
	for i := off - 1; i <= off+1 && i < int64(len(overwritten)); i++ {
		b.Seek(i, io.SeekStart)
		if c, err := b.ReadByte(); c != overwritten[i] || err != nil {
			t.Fatalf("ReadByte at %d: got (%#x, %v); want (%#x, nil)", i, c, err, overwritten[i])
		}
	}
	b.Close()

	// Overwrite with Seek + Write while a view shares every chunk.
	b = fill(t)
	v := b.GetValue()
	b.Seek(off, io.SeekStart)
	if got, err := b.Write(data); got != n || err != nil {
		t.Fatalf("Seek+Write: got (%d, %v); want (%d, nil)", got, err, n)
	}
	if got := b.Pos(); got != end {
		t.Fatalf("Seek+Write: Pos() = %d; want %d", got, end)
	}
	content(t, b, "Seek+Write with a live view", overwritten)
	if !v.Equal(base) {
		t.Fatalf("view taken before the write changed: got %x", v.Bytes())
	}
	v.Release()
	b.Close()

	// Write into an empty buffer at off: the gap before it is zeros.
	b = buffer.NewWithPool(p)
	if got, err := b.WriteAt(data, off); got != n || err != nil {
		t.Fatalf("WriteAt into empty: got (%d, %v); want (%d, nil)", got, err, n)
	}
	content(t, b, "WriteAt into empty", append(make([]byte, off), data...))
	b.Close()

	// Truncate at off, then write past the end: what was cut reads as zeros.
	for _, gap := range []int64{0, 1, 2, 70, 300} {
		b = fill(t)
		if err := b.Truncate(off); err != nil {
			t.Fatalf("Truncate(%d): %v", off, err)
		}
		b.Seek(off+gap, io.SeekStart)
		if got, err := b.Write(data); got != n || err != nil {
			t.Fatalf("Truncate+Write(gap %d): got (%d, %v); want (%d, nil)", gap, got, err, n)
		}
		want := append(append(bytes.Clone(base[:off]), make([]byte, gap)...), data...)
		content(t, b, fmt.Sprintf("Truncate(%d), Write at %d", off, off+gap), want)
		b.Close()
	}

	// Truncate at off while a view shares the chunks, then write over the
	// cut: the view keeps the old content and the gap is zeros.
	b = fill(t)
	v = b.GetValue()
	b.Truncate(off)
	b.Seek(off+1, io.SeekStart)
	b.Write(data)
	content(t, b, "Truncate+Write with a live view", append(append(bytes.Clone(base[:off]), 0), data...))
	if !v.Equal(base) {
		t.Fatalf("view taken before Truncate changed")
	}
	v.Release()
	b.Close()
}

// An append at a chunk boundary reached by reading, with no room left in
// the chunk, is a write like any other: UnreadByte after it fails, and the
// bytes land on both sides of the boundary, for appends of WriteString as of
// Write, of 1 byte and of more than the next chunk holds.
func TestAppendAcrossAfterRead(t *testing.T) {
	for _, pl := range boundaryPools(t) {
		for _, b0 := range boundariesFor(pl.p, 1300) {
			for _, n := range []int{1, 5, 300, 1500} {
				for _, str := range []bool{false, true} {
					name := fmt.Sprintf("%s/boundary=%d/append=%d/string=%v", pl.name, b0, n, str)
					b := buffer.NewWithPool(pl.p)
					want := vtData(int(b0), 1)
					b.Write(want)
					b.Seek(b0-3, io.SeekStart)
					if k, err := b.Read(make([]byte, 10)); k != 3 || err != nil {
						t.Fatalf("%s: Read to the boundary = %d, %v; want 3, nil", name, k, err)
					}
					p := vtData(n, 2)
					var err error
					if str {
						_, err = b.WriteString(string(p))
					} else {
						_, err = b.Write(p)
					}
					if err != nil {
						t.Fatalf("%s: append: %v", name, err)
					}
					if err := b.UnreadByte(); err == nil {
						t.Errorf("%s: UnreadByte after the append = nil; want an error", name)
					}
					want = append(want, p...)
					if got := b.Pos(); got != int64(len(want)) {
						t.Errorf("%s: Pos() = %d; want %d", name, got, len(want))
					}
					if got := b.String(); got != string(want) {
						t.Errorf("%s: content differs from the appended bytes", name)
					}
					b.Close()
				}
			}
		}
	}
}

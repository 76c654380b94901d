package buffer_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// htContent is the content of the buffers the hostile calls run on: 300
// bytes, over the chunks [0,64) [64,192) [192,448) of the small pool.
var htContent = vtData(300, 9)

// htPos is where those buffers are positioned.
const htPos = 100

// htBuffer returns a buffer holding htContent, positioned at htPos.
func htBuffer(t *testing.T) *buffer.Buffer {
	t.Helper()
	b := buffer.NewWithPool(vtSmallPool(t))
	if _, err := b.Write(htContent); err != nil {
		t.Fatal(err)
	}
	b.Seek(htPos, io.SeekStart)
	return b
}

// htViewReader returns a reader of a view of htBuffer's content, positioned
// at from; the view is released and the buffer closed when the test ends.
func htViewReader(t *testing.T, from int64) *buffer.ViewReader {
	t.Helper()
	b := htBuffer(t)
	v := b.GetValue()
	t.Cleanup(func() { v.Release(); b.Close() })
	r := v.NewReader()
	r.Seek(from, io.SeekStart)
	return r
}

// htCheckUnchanged fails unless b still holds want at position pos.
func htCheckUnchanged(t *testing.T, what string, b *buffer.Buffer, want []byte, pos int64) {
	t.Helper()
	if got := b.Pos(); got != pos {
		t.Errorf("%s: position = %d; want %d (unchanged)", what, got, pos)
	}
	if got := b.Size(); got != int64(len(want)) {
		t.Errorf("%s: Size() = %d; want %d (unchanged)", what, got, len(want))
	}
	got := make([]byte, len(want)+1)
	n, _ := b.ReadAt(got, 0)
	if !bytes.Equal(got[:n], want) {
		t.Errorf("%s: content = %q; want %q (unchanged)", what, got[:n], want)
	}
}

// Every call with a bad argument returns its sentinel error, a zero count,
// and leaves content and position as they were.
func TestHostileArguments(t *testing.T) {
	p := make([]byte, 10)
	tests := []struct {
		name string
		op   func(b *buffer.Buffer) (int64, error)
		want error
	}{
		{"Seek(-1, SeekStart)", func(b *buffer.Buffer) (int64, error) { return b.Seek(-1, io.SeekStart) }, buffer.ErrNegativeOffset},
		{"Seek(MinInt64, SeekStart)", func(b *buffer.Buffer) (int64, error) { return b.Seek(math.MinInt64, io.SeekStart) }, buffer.ErrNegativeOffset},
		{"Seek(-pos-1, SeekCurrent)", func(b *buffer.Buffer) (int64, error) { return b.Seek(-htPos-1, io.SeekCurrent) }, buffer.ErrNegativeOffset},
		{"Seek(MinInt64, SeekCurrent)", func(b *buffer.Buffer) (int64, error) { return b.Seek(math.MinInt64, io.SeekCurrent) }, buffer.ErrNegativeOffset},
		{"Seek(-size-1, SeekEnd)", func(b *buffer.Buffer) (int64, error) { return b.Seek(-301, io.SeekEnd) }, buffer.ErrNegativeOffset},
		{"Seek(MinInt64, SeekEnd)", func(b *buffer.Buffer) (int64, error) { return b.Seek(math.MinInt64, io.SeekEnd) }, buffer.ErrNegativeOffset},
		{"Seek(MaxInt64, SeekCurrent)", func(b *buffer.Buffer) (int64, error) { return b.Seek(math.MaxInt64, io.SeekCurrent) }, buffer.ErrOverflow},
		{"Seek(MaxInt64-pos+1, SeekCurrent)", func(b *buffer.Buffer) (int64, error) {
			return b.Seek(math.MaxInt64-htPos+1, io.SeekCurrent)
		}, buffer.ErrOverflow},
		{"Seek(MaxInt64, SeekEnd)", func(b *buffer.Buffer) (int64, error) { return b.Seek(math.MaxInt64, io.SeekEnd) }, buffer.ErrOverflow},
		{"Seek(0, -1)", func(b *buffer.Buffer) (int64, error) { return b.Seek(0, -1) }, buffer.ErrInvalidWhence},
		{"Seek(0, 3)", func(b *buffer.Buffer) (int64, error) { return b.Seek(0, 3) }, buffer.ErrInvalidWhence},
		{"Seek(0, 42)", func(b *buffer.Buffer) (int64, error) { return b.Seek(0, 42) }, buffer.ErrInvalidWhence},
		{"Seek(5, MinInt)", func(b *buffer.Buffer) (int64, error) { return b.Seek(5, math.MinInt) }, buffer.ErrInvalidWhence},
		{"Seek(-1, 3)", func(b *buffer.Buffer) (int64, error) { return b.Seek(-1, 3) }, buffer.ErrInvalidWhence},
		{"Seek(MaxInt64, 42)", func(b *buffer.Buffer) (int64, error) { return b.Seek(math.MaxInt64, 42) }, buffer.ErrInvalidWhence},
		{"ReadAt(p, -1)", func(b *buffer.Buffer) (int64, error) { n, err := b.ReadAt(p, -1); return int64(n), err }, buffer.ErrNegativeOffset},
		{"ReadAt(p, MinInt64)", func(b *buffer.Buffer) (int64, error) { n, err := b.ReadAt(p, math.MinInt64); return int64(n), err }, buffer.ErrNegativeOffset},
		{"ReadAt(nil, -1)", func(b *buffer.Buffer) (int64, error) { n, err := b.ReadAt(nil, -1); return int64(n), err }, buffer.ErrNegativeOffset},
		{"ReadAt(p, MaxInt64)", func(b *buffer.Buffer) (int64, error) { n, err := b.ReadAt(p, math.MaxInt64); return int64(n), err }, io.EOF},
		{"ReadAt(p, size)", func(b *buffer.Buffer) (int64, error) { n, err := b.ReadAt(p, 300); return int64(n), err }, io.EOF},
		{"WriteAt(p, -1)", func(b *buffer.Buffer) (int64, error) { n, err := b.WriteAt(p, -1); return int64(n), err }, buffer.ErrNegativeOffset},
		{"WriteAt(p, MinInt64)", func(b *buffer.Buffer) (int64, error) { n, err := b.WriteAt(p, math.MinInt64); return int64(n), err }, buffer.ErrNegativeOffset},
		{"WriteAt(nil, -1)", func(b *buffer.Buffer) (int64, error) { n, err := b.WriteAt(nil, -1); return int64(n), err }, buffer.ErrNegativeOffset},
		{"WriteAt(p, 1<<62)", func(b *buffer.Buffer) (int64, error) { n, err := b.WriteAt(p, 1<<62); return int64(n), err }, buffer.ErrTooLarge},
		{"WriteAt(p, MaxInt64)", func(b *buffer.Buffer) (int64, error) { n, err := b.WriteAt(p, math.MaxInt64); return int64(n), err }, buffer.ErrTooLarge},
		{"WriteAt(p, MaxInt64-5)", func(b *buffer.Buffer) (int64, error) { n, err := b.WriteAt(p, math.MaxInt64-5); return int64(n), err }, buffer.ErrTooLarge},
		{"WriteAt(p, DefaultLimit-9)", func(b *buffer.Buffer) (int64, error) {
			n, err := b.WriteAt(p, buffer.DefaultLimit-9)
			return int64(n), err
		}, buffer.ErrTooLarge},
		{"Truncate(-1)", func(b *buffer.Buffer) (int64, error) { return 0, b.Truncate(-1) }, buffer.ErrNegativeSize},
		{"Truncate(MinInt64)", func(b *buffer.Buffer) (int64, error) { return 0, b.Truncate(math.MinInt64) }, buffer.ErrNegativeSize},
		{"Peek(-1)", func(b *buffer.Buffer) (int64, error) { q, err := b.Peek(-1); return int64(len(q)), err }, buffer.ErrNegativeCount},
		{"Peek(MinInt)", func(b *buffer.Buffer) (int64, error) { q, err := b.Peek(math.MinInt); return int64(len(q)), err }, buffer.ErrNegativeCount},
		{"UnreadByte", func(b *buffer.Buffer) (int64, error) { return 0, b.UnreadByte() }, buffer.ErrInvalidUnread},
		{"UnreadRune", func(b *buffer.Buffer) (int64, error) { return 0, b.UnreadRune() }, buffer.ErrInvalidUnread},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := htBuffer(t)
			defer b.Close()
			n, err := tt.op(b)
			if n != 0 || !errors.Is(err, tt.want) {
				t.Errorf("%s = %d, %v; want 0, %v", tt.name, n, err, tt.want)
			}
			htCheckUnchanged(t, tt.name, b, htContent, htPos)
			// The buffer still works.
			if k, err := b.Write([]byte("ok")); k != 2 || err != nil {
				t.Errorf("Write after %s = %d, %v; want 2, nil", tt.name, k, err)
			}
		})
	}
}

// A position at math.MaxInt64 is allowed, and every call there fails
// cleanly.
func TestHostileMaxPosition(t *testing.T) {
	b := htBuffer(t)
	defer b.Close()
	if pos, err := b.Seek(math.MaxInt64, io.SeekStart); pos != math.MaxInt64 || err != nil {
		t.Fatalf("Seek(MaxInt64, SeekStart) = %d, %v; want MaxInt64, nil", pos, err)
	}
	const at = math.MaxInt64
	if pos, err := b.Seek(1, io.SeekCurrent); !errors.Is(err, buffer.ErrOverflow) {
		t.Errorf("Seek(1, SeekCurrent) at MaxInt64 = %d, %v; want ErrOverflow", pos, err)
	}
	htCheckUnchanged(t, "Seek(1, SeekCurrent)", b, htContent, at)

	ops := []struct {
		name string
		op   func() (int64, error)
		want error
	}{
		{"Write", func() (int64, error) { n, err := b.Write([]byte{1}); return int64(n), err }, buffer.ErrTooLarge},
		{"WriteString", func() (int64, error) { n, err := b.WriteString("x"); return int64(n), err }, buffer.ErrTooLarge},
		{"WriteByte", func() (int64, error) { return 0, b.WriteByte(1) }, buffer.ErrTooLarge},
		{"WriteRune(é)", func() (int64, error) { n, err := b.WriteRune('é'); return int64(n), err }, buffer.ErrTooLarge},
		{"WriteRune(x)", func() (int64, error) { n, err := b.WriteRune('x'); return int64(n), err }, buffer.ErrTooLarge},
		{"ReadFrom", func() (int64, error) { return b.ReadFrom(strings.NewReader("abc")) }, buffer.ErrTooLarge},
		{"Read", func() (int64, error) { n, err := b.Read(make([]byte, 4)); return int64(n), err }, io.EOF},
		{"ReadByte", func() (int64, error) { _, err := b.ReadByte(); return 0, err }, io.EOF},
		{"ReadRune", func() (int64, error) { _, n, err := b.ReadRune(); return int64(n), err }, io.EOF},
		{"ReadBytes", func() (int64, error) { q, err := b.ReadBytes('\n'); return int64(len(q)), err }, io.EOF},
		{"Peek", func() (int64, error) { q, err := b.Peek(1); return int64(len(q)), err }, io.EOF},
		{"Next", func() (int64, error) { return int64(len(b.Next(1))), nil }, nil},
		{"WriteTo", func() (int64, error) { return b.WriteTo(io.Discard) }, nil},
		{"Truncate(MaxInt64)", func() (int64, error) { return 0, b.Truncate(math.MaxInt64) }, nil},
		{"UnreadByte", func() (int64, error) { return 0, b.UnreadByte() }, buffer.ErrInvalidUnread},
		{"Write(nil)", func() (int64, error) { n, err := b.Write(nil); return int64(n), err }, nil},
	}
	for _, tt := range ops {
		n, err := tt.op()
		if n != 0 || err != tt.want && !errors.Is(err, tt.want) {
			t.Errorf("%s at MaxInt64 = %d, %v; want 0, %v", tt.name, n, err, tt.want)
		}
		htCheckUnchanged(t, tt.name+" at MaxInt64", b, htContent, at)
	}
	if got := b.Len(); got != 0 {
		t.Errorf("Len() at MaxInt64 = %d; want 0", got)
	}
}

// A huge offset fails before anything is allocated for it.
func TestHostileHugeOffsetIsCheap(t *testing.T) {
	b := htBuffer(t)
	defer b.Close()
	one := []byte{1}
	tests := []struct {
		name string
		op   func() (int, error)
	}{
		{"Seek(1<<62)+Write", func() (int, error) { b.Seek(1<<62, io.SeekStart); return b.Write(one) }},
		{"Seek(1<<62)+WriteString", func() (int, error) { b.Seek(1<<62, io.SeekStart); return b.WriteString("x") }},
		{"Seek(1<<62)+WriteByte", func() (int, error) { b.Seek(1<<62, io.SeekStart); return 0, b.WriteByte(1) }},
		{"WriteAt(1<<62)", func() (int, error) { return b.WriteAt(one, 1<<62) }},
		{"Seek(DefaultLimit)+Write", func() (int, error) { b.Seek(buffer.DefaultLimit, io.SeekStart); return b.Write(one) }},
	}
	for _, tt := range tests {
		if n, err := tt.op(); n != 0 || !errors.Is(err, buffer.ErrTooLarge) {
			t.Errorf("%s = %d, %v; want 0, ErrTooLarge", tt.name, n, err)
		}
		if a := testing.AllocsPerRun(20, func() { tt.op() }); a != 0 {
			t.Errorf("%s: %v allocs per run; want 0", tt.name, a)
		}
		b.Seek(htPos, io.SeekStart)
		htCheckUnchanged(t, tt.name, b, htContent, htPos)
	}

	// ReadFrom must read one byte to learn that the reader has more, and
	// may allocate for that, but nothing in proportion to the offset.
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for range 10 {
		b.Seek(1<<62, io.SeekStart)
		if n, err := b.ReadFrom(strings.NewReader("abc")); n != 0 || !errors.Is(err, buffer.ErrTooLarge) {
			t.Errorf("Seek(1<<62)+ReadFrom = %d, %v; want 0, ErrTooLarge", n, err)
		}
	}
	runtime.ReadMemStats(&ms1)
	if d := ms1.TotalAlloc - ms0.TotalAlloc; d > 64<<10 {
		t.Errorf("10 ReadFrom calls at 1<<62 allocated %d bytes; want at most 64 KiB", d)
	}
	b.Seek(htPos, io.SeekStart)
	htCheckUnchanged(t, "ReadFrom at 1<<62", b, htContent, htPos)
}

// The size limit is reached by every writing method; the call that would
// pass it changes nothing.
func TestHostileLimit(t *testing.T) {
	const limit = 100
	tests := []struct {
		name string
		pos  int64 // where the call starts, in content of 90 bytes
		op   func(b *buffer.Buffer) (int64, error)
		// wantErr is ErrTooLarge or nil; want is the content afterwards
		// and wantPos the position, or nil when nothing changes.
		wantErr error
		wantN   int64
		want    []byte
		wantPos int64
	}{
		{"Write to the limit", 90, func(b *buffer.Buffer) (int64, error) {
			n, err := b.Write(bytes.Repeat([]byte{'w'}, 10))
			return int64(n), err
		}, nil, 10, append(vtData(90, 1), bytes.Repeat([]byte{'w'}, 10)...), 100},
		{"Write past the limit", 90, func(b *buffer.Buffer) (int64, error) {
			n, err := b.Write(bytes.Repeat([]byte{'w'}, 11))
			return int64(n), err
		}, buffer.ErrTooLarge, 0, nil, 0},
		{"Write past the limit from 0", 0, func(b *buffer.Buffer) (int64, error) {
			n, err := b.Write(bytes.Repeat([]byte{'w'}, 101))
			return int64(n), err
		}, buffer.ErrTooLarge, 0, nil, 0},
		{"Write past the end beyond the limit", 200, func(b *buffer.Buffer) (int64, error) {
			n, err := b.Write([]byte{'w'})
			return int64(n), err
		}, buffer.ErrTooLarge, 0, nil, 0},
		{"WriteString past the limit", 95, func(b *buffer.Buffer) (int64, error) {
			n, err := b.WriteString("123456")
			return int64(n), err
		}, buffer.ErrTooLarge, 0, nil, 0},
		{"WriteString to the limit", 95, func(b *buffer.Buffer) (int64, error) {
			n, err := b.WriteString("12345")
			return int64(n), err
		}, nil, 5, append(vtData(90, 1), "\x00\x00\x00\x00\x0012345"...), 100},
		{"WriteAt past the limit", 0, func(b *buffer.Buffer) (int64, error) {
			n, err := b.WriteAt([]byte{'a', 'b'}, 99)
			return int64(n), err
		}, buffer.ErrTooLarge, 0, nil, 0},
		{"WriteAt at the limit", 0, func(b *buffer.Buffer) (int64, error) {
			n, err := b.WriteAt([]byte{'a'}, 100)
			return int64(n), err
		}, buffer.ErrTooLarge, 0, nil, 0},
		{"WriteAt the last byte", 0, func(b *buffer.Buffer) (int64, error) {
			n, err := b.WriteAt([]byte{'a'}, 99)
			return int64(n), err
		}, nil, 1, append(vtData(90, 1), "\x00\x00\x00\x00\x00\x00\x00\x00\x00a"...), 0},
		{"WriteByte at the limit", 100, func(b *buffer.Buffer) (int64, error) {
			return 0, b.WriteByte('a')
		}, buffer.ErrTooLarge, 0, nil, 0},
		{"WriteByte to the limit", 99, func(b *buffer.Buffer) (int64, error) {
			return 0, b.WriteByte('a')
		}, nil, 0, append(vtData(90, 1), "\x00\x00\x00\x00\x00\x00\x00\x00\x00a"...), 100},
		{"WriteRune(x) at the limit", 100, func(b *buffer.Buffer) (int64, error) {
			n, err := b.WriteRune('x')
			return int64(n), err
		}, buffer.ErrTooLarge, 0, nil, 0},
		{"WriteRune(€) across the limit", 98, func(b *buffer.Buffer) (int64, error) {
			n, err := b.WriteRune('€')
			return int64(n), err
		}, buffer.ErrTooLarge, 0, nil, 0},
		{"ReadFrom endless", 90, func(b *buffer.Buffer) (int64, error) {
			return b.ReadFrom(&htEndless{})
		}, buffer.ErrTooLarge, 10, append(vtData(90, 1), htStream(10)...), 100},
		{"ReadFrom endless from 0", 0, func(b *buffer.Buffer) (int64, error) {
			return b.ReadFrom(&htEndless{})
		}, buffer.ErrTooLarge, 100, htStream(100), 100},
		{"ReadFrom endless one byte at a time", 50, func(b *buffer.Buffer) (int64, error) {
			return b.ReadFrom(iotest.OneByteReader(&htEndless{}))
		}, buffer.ErrTooLarge, 50, append(vtData(50, 1), htStream(50)...), 100},
		{"ReadFrom endless past the end", 95, func(b *buffer.Buffer) (int64, error) {
			return b.ReadFrom(iotest.HalfReader(&htEndless{}))
		}, buffer.ErrTooLarge, 5, append(vtData(90, 1), append(make([]byte, 5), htStream(5)...)...), 100},
		{"ReadFrom endless at the limit", 100, func(b *buffer.Buffer) (int64, error) {
			return b.ReadFrom(&htEndless{})
		}, buffer.ErrTooLarge, 0, nil, 0},
		{"ReadFrom endless beyond the limit", 150, func(b *buffer.Buffer) (int64, error) {
			return b.ReadFrom(&htEndless{})
		}, buffer.ErrTooLarge, 0, nil, 0},
		{"ReadFrom exactly to the limit", 90, func(b *buffer.Buffer) (int64, error) {
			return b.ReadFrom(bytes.NewReader(htStream(10)))
		}, nil, 10, append(vtData(90, 1), htStream(10)...), 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := buffer.NewWithPool(vtSmallPool(t))
			defer b.Close()
			b.SetLimit(limit)
			if got := b.Limit(); got != limit {
				t.Fatalf("Limit() = %d; want %d", got, limit)
			}
			b.Write(vtData(90, 1))
			b.Seek(tt.pos, io.SeekStart)
			n, err := tt.op(b)
			if n != tt.wantN || err != tt.wantErr && !errors.Is(err, tt.wantErr) {
				t.Errorf("%s = %d, %v; want %d, %v", tt.name, n, err, tt.wantN, tt.wantErr)
			}
			if tt.want == nil {
				htCheckUnchanged(t, tt.name, b, vtData(90, 1), tt.pos)
				return
			}
			htCheckUnchanged(t, tt.name, b, tt.want, tt.wantPos)
		})
	}

	t.Run("SetLimit values", func(t *testing.T) {
		b := buffer.New()
		defer b.Close()
		if got := b.Limit(); got != buffer.DefaultLimit {
			t.Errorf("Limit() of a new buffer = %d; want DefaultLimit %d", got, int64(buffer.DefaultLimit))
		}
		for _, tt := range []struct{ set, want int64 }{
			{1, 1},
			{0, 0},
			{-5, 0},
			{math.MinInt64, 0},
			{math.MaxInt64, min(1<<62, math.MaxInt)},
			{1<<62 + 1, min(1<<62, math.MaxInt)},
			{1 << 62, min(1<<62, math.MaxInt)},
			{1<<62 - 1, min(1<<62-1, math.MaxInt)},
			{buffer.DefaultLimit, buffer.DefaultLimit},
		} {
			b.SetLimit(tt.set)
			if got := b.Limit(); got != tt.want {
				t.Errorf("SetLimit(%d): Limit() = %d; want %d", tt.set, got, tt.want)
			}
		}
		b.SetLimit(0)
		if n, err := b.Write([]byte{1}); n != 0 || !errors.Is(err, buffer.ErrTooLarge) {
			t.Errorf("Write with limit 0 = %d, %v; want 0, ErrTooLarge", n, err)
		}
		if n, err := b.Write(nil); n != 0 || err != nil {
			t.Errorf("Write(nil) with limit 0 = %d, %v; want 0, nil", n, err)
		}
		if b.Size() != 0 || b.Pos() != 0 {
			t.Errorf("after writes with limit 0: Size, Pos = %d, %d; want 0, 0", b.Size(), b.Pos())
		}
	})
}

// A limit lowered below the size keeps the content: reads and Truncate
// work, a write that would end past the limit fails with ErrTooLarge and
// changes nothing, even when it only overwrites, and one that ends within
// the limit succeeds (SetLimit's doc).
func TestLimitBelowSize(t *testing.T) {
	writes := []struct {
		name    string
		pos     int64
		op      func(b *buffer.Buffer) error
		want    string // the content afterwards: "abcdef" unless the write succeeds
		wantPos int64
		wantErr error
	}{
		{"Write ending at the limit", 1, func(b *buffer.Buffer) error { _, err := b.Write([]byte("x")); return err }, "axcdef", 2, nil},
		{"Write overwriting past the limit", 1, func(b *buffer.Buffer) error { _, err := b.Write([]byte("xy")); return err }, "abcdef", 1, buffer.ErrTooLarge},
		{"WriteString within the limit", 0, func(b *buffer.Buffer) error { _, err := b.WriteString("xy"); return err }, "xycdef", 2, nil},
		{"WriteString overwriting past the limit", 4, func(b *buffer.Buffer) error { _, err := b.WriteString("x"); return err }, "abcdef", 4, buffer.ErrTooLarge},
		{"WriteByte within the limit", 0, func(b *buffer.Buffer) error { return b.WriteByte('x') }, "xbcdef", 1, nil},
		{"WriteByte overwriting past the limit", 2, func(b *buffer.Buffer) error { return b.WriteByte('x') }, "abcdef", 2, buffer.ErrTooLarge},
		{"WriteRune overwriting past the limit", 1, func(b *buffer.Buffer) error { _, err := b.WriteRune('é'); return err }, "abcdef", 1, buffer.ErrTooLarge},
		{"WriteAt within the limit", 0, func(b *buffer.Buffer) error { _, err := b.WriteAt([]byte("x"), 1); return err }, "axcdef", 0, nil},
		{"WriteAt overwriting past the limit", 0, func(b *buffer.Buffer) error { _, err := b.WriteAt([]byte("x"), 3); return err }, "abcdef", 0, buffer.ErrTooLarge},
	}
	for _, w := range writes {
		b := buffer.NewString("abcdef")
		b.SetLimit(2)
		b.Seek(w.pos, io.SeekStart)
		if err := w.op(b); err != w.wantErr {
			t.Errorf("%s: %v; want %v", w.name, err, w.wantErr)
		}
		htCheckUnchanged(t, w.name, b, []byte(w.want), w.wantPos)
		b.Close()
	}

	b := buffer.NewString("abcdef")
	b.SetLimit(2)
	if got, err := io.ReadAll(b); err != nil || string(got) != "abcdef" {
		t.Errorf("ReadAll under a limit below the size: %q, %v; want the whole content", got, err)
	}
	if err := b.Truncate(4); err != nil || b.Size() != 4 {
		t.Errorf("Truncate(4) under a limit of 2: %v, size %d; want nil, 4", err, b.Size())
	}
}

// At the highest limit, MaxLimit (what SetLimit(math.MaxInt64) sets), the
// content reaches the limit and no further, through every writing method, in
// the last chunks below it: writes that end at the limit keep every byte, and
// writes past it fail and change nothing, so no chunk end or size there wraps
// past math.MaxInt64. Each pool lays out the chunks below the limit
// differently; the longer writes cross chunk boundaries.
func TestHostileTopLimit(t *testing.T) {
	top := int64(buffer.MaxLimit)
	big, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: pool.MaxChunkLimit, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	pools := []struct {
		name string
		p    *pool.Pool
	}{{"small", vtSmallPool(t)}, {"default", pool.Default}, {"16MiB", big}}
	writers := []struct {
		name    string
		max     int  // the longest write it takes, 0 for any
		partial bool // a write past the limit keeps what fits (ReadFrom)
		op      func(b *buffer.Buffer, p []byte) (int64, error)
	}{
		{"Write", 0, false, func(b *buffer.Buffer, p []byte) (int64, error) { n, err := b.Write(p); return int64(n), err }},
		{"WriteString", 0, false, func(b *buffer.Buffer, p []byte) (int64, error) {
			n, err := b.WriteString(string(p))
			return int64(n), err
		}},
		{"WriteAt", 0, false, func(b *buffer.Buffer, p []byte) (int64, error) {
			n, err := b.WriteAt(p, b.Pos())
			if err == nil {
				b.Seek(int64(n), io.SeekCurrent)
			}
			return int64(n), err
		}},
		{"ReadFrom", 0, true, func(b *buffer.Buffer, p []byte) (int64, error) { return b.ReadFrom(bytes.NewReader(p)) }},
		{"AvailableBuffer", 0, false, func(b *buffer.Buffer, p []byte) (int64, error) {
			n, err := b.Write(append(b.AvailableBuffer(), p...))
			return int64(n), err
		}},
		{"WriteByte", 1, false, func(b *buffer.Buffer, p []byte) (int64, error) {
			if err := b.WriteByte(p[0]); err != nil {
				return 0, err
			}
			return 1, nil
		}},
		{"WriteRune", 1, false, func(b *buffer.Buffer, p []byte) (int64, error) {
			n, err := b.WriteRune(rune(p[0]))
			return int64(n), err
		}},
	}
	data := vtData(1<<20+5, 3) // bytes below 0x80: one rune each
	for _, pl := range pools {
		for _, w := range writers {
			for _, l := range []int{1, 2, 300, len(data)} {
				if w.max != 0 && l > w.max {
					continue
				}
				t.Run(fmt.Sprintf("%s/%s/%d", pl.name, w.name, l), func(t *testing.T) {
					checkTopLimit(t, pl.p, w.op, w.partial, data[:l], top)
				})
			}
		}
	}
}

// checkTopLimit writes data so that it ends at the limit top, after a first
// try one byte later fails (or, when partial, keeps all but its last byte,
// which is then reset), then one byte more, which fails too.
func checkTopLimit(t *testing.T, p *pool.Pool, write func(*buffer.Buffer, []byte) (int64, error), partial bool, data []byte, top int64) {
	b := buffer.NewWithPool(p)
	defer b.Close()
	b.SetLimit(math.MaxInt64)
	if got := b.Limit(); got != top {
		t.Fatalf("SetLimit(MaxInt64): Limit() = %d; want MaxLimit %d", got, top)
	}
	l := int64(len(data))
	// One byte past the limit: nothing is written, or what fits.
	b.Seek(top-l+1, io.SeekStart)
	n, err := write(b, data)
	switch {
	case !partial:
		if n != 0 || !errors.Is(err, buffer.ErrTooLarge) {
			t.Fatalf("%d bytes ending 1 past the limit = %d, %v; want 0, ErrTooLarge", l, n, err)
		}
		htCheckSize(t, "after the write past the limit", b, 0, top-l+1)
	case n != l-1 || !errors.Is(err, buffer.ErrTooLarge):
		t.Fatalf("%d bytes ending 1 past the limit = %d, %v; want %d, ErrTooLarge", l, n, err, l-1)
	default:
		size := top
		if l == 1 {
			size = 0 // nothing fit
		}
		htCheckSize(t, "after the read past the limit", b, size, top)
		got := make([]byte, l-1)
		if k, _ := b.ReadAt(got, top-l+1); k != len(got) || !bytes.Equal(got, data[:l-1]) {
			t.Fatalf("after the read past the limit: the %d bytes that fit read back as %d bytes, equal: %v", l-1, k, bytes.Equal(got, data[:l-1]))
		}
		b.Reset()
		b.SetLimit(math.MaxInt64)
	}
	// Ending at the limit: all of it is written.
	b.Seek(top-l, io.SeekStart)
	if n, err := write(b, data); n != l || err != nil {
		t.Fatalf("%d bytes ending at the limit = %d, %v; want %d, nil", l, n, err, l)
	}
	htCheckSize(t, "after the write to the limit", b, top, top)
	// One more byte, at the limit: nothing is written.
	if n, err := write(b, data[:1]); n != 0 || !errors.Is(err, buffer.ErrTooLarge) {
		t.Errorf("1 byte at the limit = %d, %v; want 0, ErrTooLarge", n, err)
	}
	htCheckSize(t, "after the write at the limit", b, top, top)
	// Past the limit, up to the largest position.
	b.Seek(math.MaxInt64, io.SeekStart)
	if n, err := write(b, data[:1]); n != 0 || !errors.Is(err, buffer.ErrTooLarge) {
		t.Errorf("1 byte at MaxInt64 = %d, %v; want 0, ErrTooLarge", n, err)
	}
	htCheckSize(t, "after the write at MaxInt64", b, top, math.MaxInt64)
	// The content ends with data, after a zero byte of the gap.
	got := make([]byte, l+1)
	if n, err := b.ReadAt(got, top-l-1); n != len(got) || err != nil && err != io.EOF {
		t.Fatalf("ReadAt(%d, top-%d) = %d, %v; want %d", len(got), l+1, n, err, len(got))
	}
	if got[0] != 0 || !bytes.Equal(got[1:], data) {
		t.Errorf("content before the limit = %x...; want 00 then the %d bytes written", got[:min(len(got), 8)], l)
	}
	b.Seek(-l, io.SeekEnd)
	if n, err := io.ReadFull(b, got[:l]); n != len(data) || err != nil || !bytes.Equal(got[:l], data) {
		t.Errorf("Read of the last %d bytes = %d, %v; content equal: %v", l, n, err, bytes.Equal(got[:l], data))
	}
	if v := b.GetValue(); int64(v.Len()) != top {
		t.Errorf("GetValue().Len() = %d; want %d", v.Len(), top)
	} else {
		v.Release()
	}
}

// htCheckSize fails unless b has the given size and position.
func htCheckSize(t *testing.T, what string, b *buffer.Buffer, size, pos int64) {
	t.Helper()
	if b.Size() != size || b.Pos() != pos {
		t.Fatalf("%s: size %d, position %d; want %d, %d", what, b.Size(), b.Pos(), size, pos)
	}
}

// htEndless is a reader that never ends: it delivers htStream.
type htEndless struct{ off int }

func (r *htEndless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = htStreamByte(r.off + i)
	}
	r.off += len(p)
	return len(p), nil
}

func htStreamByte(i int) byte { return byte(i%200 + 3) }

// htStream returns the first n bytes an htEndless reader delivers.
func htStream(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = htStreamByte(i)
	}
	return p
}

// ReadFrom keeps what it read before an error and returns the error, gives
// up on a reader that makes no progress, and survives readers that lie
// about their counts.
func TestHostileReadFrom(t *testing.T) {
	errX := errors.New("reader broke")
	starts := []struct {
		name string
		pos  int64
	}{
		{"overwrite", 10},
		{"at end", 300},
		{"past end", 350},
	}
	readers := []struct {
		name    string
		r       func() io.Reader
		data    []byte // what ReadFrom keeps
		wantErr error
	}{
		{"ErrReader", func() io.Reader { return iotest.ErrReader(errX) }, nil, errX},
		{"5 bytes then error", func() io.Reader {
			return io.MultiReader(strings.NewReader("abcde"), iotest.ErrReader(errX))
		}, []byte("abcde"), errX},
		{"data and error together", func() io.Reader { return &htDataErr{data: []byte("xyz"), err: errX} }, []byte("xyz"), errX},
		{"TimeoutReader", func() io.Reader { return iotest.TimeoutReader(strings.NewReader("hello")) }, []byte("hello"), iotest.ErrTimeout},
		{"DataErrReader", func() io.Reader { return iotest.DataErrReader(strings.NewReader("hello")) }, []byte("hello"), nil},
		{"empty", func() io.Reader { return strings.NewReader("") }, nil, nil},
		{"nothing forever", func() io.Reader { return &htStuck{} }, nil, io.ErrNoProgress},
		{"progress between stalls", func() io.Reader {
			return &htStuck{script: []int{99, 99, 99}} // 99 stalls before each byte
		}, []byte{'s', 's', 's'}, io.ErrNoProgress},
	}
	for _, st := range starts {
		for _, rd := range readers {
			t.Run(st.name+"/"+rd.name, func(t *testing.T) {
				b := htBuffer(t)
				defer b.Close()
				b.Seek(st.pos, io.SeekStart)
				n, err := b.ReadFrom(rd.r())
				if n != int64(len(rd.data)) || err != rd.wantErr && !errors.Is(err, rd.wantErr) {
					t.Errorf("ReadFrom = %d, %v; want %d, %v", n, err, len(rd.data), rd.wantErr)
				}
				want := bytes.Clone(htContent)
				if len(rd.data) > 0 {
					want = vtWriteAt(want, rd.data, int(st.pos))
				}
				htCheckUnchanged(t, "ReadFrom", b, want, st.pos+int64(len(rd.data)))
				// A later write past the end still zero-fills.
				b.Seek(20, io.SeekEnd)
				b.Write([]byte{1})
				want = vtWriteAt(want, []byte{1}, len(want)+20)
				htCheckUnchanged(t, "Write after ReadFrom", b, want, int64(len(want)))
			})
		}
	}

	t.Run("stuck reader is called 100 times", func(t *testing.T) {
		b := htBuffer(t)
		defer b.Close()
		r := &htStuck{}
		if n, err := b.ReadFrom(r); n != 0 || !errors.Is(err, io.ErrNoProgress) {
			t.Errorf("ReadFrom = %d, %v; want 0, io.ErrNoProgress", n, err)
		}
		if r.calls != 100 {
			t.Errorf("ReadFrom called Read %d times; want 100", r.calls)
		}
	})

	for _, bad := range []int{-1, math.MinInt, 1 << 20} {
		t.Run(fmt.Sprintf("reader returns count %d", bad), func(t *testing.T) {
			for _, st := range starts {
				b := htBuffer(t)
				b.Seek(st.pos, io.SeekStart)
				n, err := b.ReadFrom(htBadCount{bad})
				if n != 0 || err == nil {
					t.Errorf("%s: ReadFrom = %d, %v; want 0 and an error", st.name, n, err)
				}
				htCheckUnchanged(t, st.name, b, htContent, st.pos)
				b.Close()
			}
		})
	}
}

// htDataErr returns its data and its error from the same Read call.
type htDataErr struct {
	data []byte
	err  error
	done bool
}

func (r *htDataErr) Read(p []byte) (int, error) {
	if r.done {
		return 0, io.EOF
	}
	r.done = true
	return copy(p, r.data), r.err
}

// htStuck returns (0, nil) forever, except that script lists runs: the
// counts of (0, nil) results to return before each byte 's'.
type htStuck struct {
	script []int
	calls  int
}

func (r *htStuck) Read(p []byte) (int, error) {
	r.calls++
	if len(r.script) == 0 || len(p) == 0 {
		return 0, nil
	}
	if r.script[0] > 0 {
		r.script[0]--
		return 0, nil
	}
	r.script = r.script[1:]
	p[0] = 's'
	return 1, nil
}

// htBadCount reports a count outside [0, len(p)].
type htBadCount struct{ n int }

func (r htBadCount) Read(p []byte) (int, error) { return r.n, nil }

// htWriter accepts up to room bytes in all, then stops: with err (or
// without an error when err is nil, a short write). It records whether it
// was called with an empty slice.
type htWriter struct {
	room int
	err  error
	got  []byte
	n    int // a count to report instead of the real one, when not 0
}

func (w *htWriter) Write(p []byte) (int, error) {
	k := min(len(p), w.room-len(w.got))
	w.got = append(w.got, p[:k]...)
	if w.n != 0 {
		return w.n, nil
	}
	if k < len(p) {
		return k, w.err
	}
	return k, nil
}

// scribblingWriter writes into every slice it is given, which io.Writer forbids,
// and keeps what it was given, and the longest slice given for bytes that
// all lie in [lo, hi) of what it got.
type scribblingWriter struct {
	got            []byte
	lo, hi, within int
}

func (s *scribblingWriter) Write(p []byte) (int, error) {
	if len(s.got) >= s.lo && len(s.got)+len(p) <= s.hi {
		s.within = max(s.within, len(p))
	}
	s.got = append(s.got, p...)
	for i := range p {
		//lint:ignore SA1023 the misbehaving writer under test
		p[i] = 'X'
	}
	return len(p), nil
}

// A writer that writes into what WriteTo gives it spoils neither the gaps
// of other buffers and views nor the next WriteTo of a gap: gaps go out
// from zeros of the call's own, in pieces of at most 32 KiB.
func TestWriteToGapsToScribbler(t *testing.T) {
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 64 << 10, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	const far = 300 << 10 // past several gap chunks, some of 64 KiB
	// The writer spoils the two chunks written, which are the buffer's own
	// (as a bytes.Buffer's would be); [lo, hi) lies in gap chunks.
	const lo, hi = 64 << 10, far - 64<<10
	for _, viaView := range []bool{false, true} {
		a := buffer.NewWithPool(p)
		a.WriteAt([]byte("a"), 0)
		a.WriteAt([]byte("b"), far) // the chunks between are gaps
		for range 2 {
			w := &scribblingWriter{lo: lo, hi: hi}
			if viaView {
				v := a.GetValue()
				v.WriteTo(w)
				v.Release()
			} else {
				a.Seek(0, io.SeekStart)
				a.WriteTo(w)
			}
			if len(w.got) != far+1 || !bytes.Equal(w.got[lo:hi], make([]byte, hi-lo)) {
				t.Fatalf("view=%v: WriteTo wrote %d bytes, with gap bytes not zeros", viaView, len(w.got))
			}
			// The gap chunks in [lo, hi) hold 64 KiB.
			if w.within > 32<<10 {
				t.Fatalf("view=%v: WriteTo handed the writer %d bytes of a gap in one Write; want pieces of at most 32 KiB", viaView, w.within)
			}
		}
		other := buffer.NewWithPool(p)
		other.WriteAt([]byte("z"), far)
		got := make([]byte, far)
		other.ReadAt(got, 0)
		if !bytes.Equal(got, make([]byte, far)) {
			t.Fatalf("view=%v: after WriteTo to a scribbling writer, another buffer's gap reads non-zero bytes", viaView)
		}
		other.Close()
		a.Close()
	}
}

// WriteTo to a writer that fails or writes short advances the position by
// exactly what was written.
func TestHostileWriteTo(t *testing.T) {
	errX := errors.New("writer broke")
	for _, from := range []int64{0, 10, 63, 64, 100, 299} {
		for _, room := range []int{0, 1, 20, 54, 64, 150, 189} {
			if int(from)+room >= len(htContent) {
				continue
			}
			for _, werr := range []error{errX, nil} {
				name := fmt.Sprintf("from=%d/room=%d/err=%v", from, room, werr)
				want := htContent[from : int(from)+room]
				wantErr := werr
				if wantErr == nil {
					wantErr = io.ErrShortWrite
				}
				t.Run("Buffer/"+name, func(t *testing.T) {
					b := htBuffer(t)
					defer b.Close()
					b.Seek(from, io.SeekStart)
					w := &htWriter{room: room, err: werr}
					n, err := b.WriteTo(w)
					if n != int64(room) || !errors.Is(err, wantErr) || !bytes.Equal(w.got, want) {
						t.Errorf("WriteTo = %d, %v, wrote %q; want %d, %v, %q", n, err, w.got, room, wantErr, want)
					}
					htCheckUnchanged(t, "WriteTo", b, htContent, from+int64(room))
				})
				t.Run("ViewReader/"+name, func(t *testing.T) {
					r := htViewReader(t, from)
					w := &htWriter{room: room, err: werr}
					n, err := r.WriteTo(w)
					if n != int64(room) || !errors.Is(err, wantErr) || !bytes.Equal(w.got, want) {
						t.Errorf("WriteTo = %d, %v, wrote %q; want %d, %v, %q", n, err, w.got, room, wantErr, want)
					}
					if pos, _ := r.Seek(0, io.SeekCurrent); pos != from+int64(room) {
						t.Errorf("ViewReader position after WriteTo = %d; want %d", pos, from+int64(room))
					}
				})
			}
		}
	}
	t.Run("View", func(t *testing.T) {
		b := htBuffer(t)
		defer b.Close()
		v := b.GetValue()
		defer v.Release()
		w := &htWriter{room: 70, err: errX}
		if n, err := v.WriteTo(w); n != 70 || !errors.Is(err, errX) || !bytes.Equal(w.got, htContent[:70]) {
			t.Errorf("View.WriteTo = %d, %v, wrote %q; want 70, %v, %q", n, err, w.got, errX, htContent[:70])
		}
	})

	// A writer that reports a count outside [0, len(p)] gets an error, and
	// the position moves by no more than the content.
	for _, bad := range []int{-1, 1 << 20} {
		t.Run(fmt.Sprintf("count %d", bad), func(t *testing.T) {
			b := htBuffer(t)
			defer b.Close()
			w := &htWriter{room: 1 << 30, n: bad}
			n, err := b.WriteTo(w)
			if err == nil || n < 0 || n > int64(len(htContent)-htPos) {
				t.Errorf("WriteTo = %d, %v; want an error and a count in [0, %d]", n, err, len(htContent)-htPos)
			}
			htCheckUnchanged(t, "WriteTo", b, htContent, htPos+n)
		})
	}
}

// fullErrWriter takes every byte it is given and fails on its call number
// fail (counting from 1): it returns len(p) with an error, which io.Writer
// allows. It records what it got and how often it was called.
type fullErrWriter struct {
	fail, calls int
	err         error
	got         []byte
}

func (w *fullErrWriter) Write(p []byte) (int, error) {
	w.calls++
	w.got = append(w.got, p...)
	if w.calls == w.fail {
		return len(p), w.err
	}
	return len(p), nil
}

// A writer that takes all of a Write and returns an error with it stops
// WriteTo, which returns that error, the bytes written through that Write,
// and moves the position past them, whether the content left is in the
// window (WriteTo's one Write), spread over chunks, or read through a view.
func TestWriteToErrorWithFullWrite(t *testing.T) {
	errX := errors.New("writer took it all and broke")
	// check runs WriteTo of the content from from on, by writeTo, with a
	// writer that fails on its call fail, and returns the count.
	check := func(t *testing.T, from int64, fail int, writeTo func(w io.Writer) (int64, error)) int64 {
		t.Helper()
		w := &fullErrWriter{fail: fail, err: errX}
		n, err := writeTo(w)
		if !errors.Is(err, errX) {
			t.Errorf("WriteTo = %d, %v; want the writer's error %v", n, err, errX)
		}
		if n != int64(len(w.got)) || n <= 0 || !bytes.Equal(w.got, htContent[from:from+n]) {
			t.Errorf("WriteTo = %d after writing %d bytes (%q); want the count of what it wrote, a prefix of the content from %d",
				n, len(w.got), w.got, from)
		}
		if w.calls != fail {
			t.Errorf("the writer was called %d times; want WriteTo to stop at its error, on call %d", w.calls, fail)
		}
		return n
	}
	for _, from := range []int64{0, 100, 299} {
		t.Run(fmt.Sprintf("one chunk/from=%d", from), func(t *testing.T) {
			b := buffer.New() // 300 bytes in one Write: one chunk, the window
			defer b.Close()
			b.Write(htContent)
			b.Seek(from, io.SeekStart)
			if n := check(t, from, 1, b.WriteTo); n != int64(len(htContent))-from {
				t.Errorf("WriteTo = %d; want all %d bytes left, in its one Write", n, int64(len(htContent))-from)
			}
			htCheckUnchanged(t, "WriteTo", b, htContent, int64(len(htContent)))
		})
		for _, fail := range []int{1, 2} {
			if from == 299 && fail == 2 {
				continue // one byte left: one Write
			}
			name := fmt.Sprintf("from=%d/fail=%d", from, fail)
			t.Run("chunks/"+name, func(t *testing.T) {
				b := htBuffer(t) // chunks of 64 to 256 bytes
				defer b.Close()
				b.Seek(from, io.SeekStart)
				n := check(t, from, fail, b.WriteTo)
				htCheckUnchanged(t, "WriteTo", b, htContent, from+n)
			})
			t.Run("ViewReader/"+name, func(t *testing.T) {
				r := htViewReader(t, from)
				n := check(t, from, fail, r.WriteTo)
				if pos, _ := r.Seek(0, io.SeekCurrent); pos != from+n {
					t.Errorf("ViewReader position after WriteTo = %d; want %d", pos, from+n)
				}
			})
		}
	}
	t.Run("View", func(t *testing.T) {
		b := htBuffer(t)
		defer b.Close()
		v := b.GetValue()
		defer v.Release()
		check(t, 0, 1, v.WriteTo)
	})
}

// htClosedOps are calls on a closed buffer, each returning its count and
// error.
var htClosedOps = []struct {
	name string
	op   func(b *buffer.Buffer) (int64, error)
}{
	{"Read", func(b *buffer.Buffer) (int64, error) { n, err := b.Read(make([]byte, 4)); return int64(n), err }},
	{"Read(nil)", func(b *buffer.Buffer) (int64, error) { n, err := b.Read(nil); return int64(n), err }},
	{"ReadAt", func(b *buffer.Buffer) (int64, error) { n, err := b.ReadAt(make([]byte, 4), 0); return int64(n), err }},
	{"ReadAt(-1)", func(b *buffer.Buffer) (int64, error) { n, err := b.ReadAt(make([]byte, 4), -1); return int64(n), err }},
	{"ReadAt(nil)", func(b *buffer.Buffer) (int64, error) { n, err := b.ReadAt(nil, 0); return int64(n), err }},
	{"ReadByte", func(b *buffer.Buffer) (int64, error) { c, err := b.ReadByte(); return int64(c), err }},
	{"UnreadByte", func(b *buffer.Buffer) (int64, error) { return 0, b.UnreadByte() }},
	{"ReadRune", func(b *buffer.Buffer) (int64, error) { r, n, err := b.ReadRune(); return int64(r) + int64(n), err }},
	{"UnreadRune", func(b *buffer.Buffer) (int64, error) { return 0, b.UnreadRune() }},
	{"ReadBytes", func(b *buffer.Buffer) (int64, error) { q, err := b.ReadBytes('\n'); return int64(len(q)), err }},
	{"ReadString", func(b *buffer.Buffer) (int64, error) { s, err := b.ReadString('\n'); return int64(len(s)), err }},
	{"ReadFrom", func(b *buffer.Buffer) (int64, error) { return b.ReadFrom(strings.NewReader("abc")) }},
	{"ReadFrom(empty)", func(b *buffer.Buffer) (int64, error) { return b.ReadFrom(strings.NewReader("")) }},
	{"Write", func(b *buffer.Buffer) (int64, error) { n, err := b.Write([]byte("abc")); return int64(n), err }},
	{"Write(nil)", func(b *buffer.Buffer) (int64, error) { n, err := b.Write(nil); return int64(n), err }},
	{"WriteAt", func(b *buffer.Buffer) (int64, error) { n, err := b.WriteAt([]byte("abc"), 0); return int64(n), err }},
	{"WriteAt(-1)", func(b *buffer.Buffer) (int64, error) { n, err := b.WriteAt([]byte("abc"), -1); return int64(n), err }},
	{"WriteByte", func(b *buffer.Buffer) (int64, error) { return 0, b.WriteByte('a') }},
	{"WriteRune(a)", func(b *buffer.Buffer) (int64, error) { n, err := b.WriteRune('a'); return int64(n), err }},
	{"WriteRune(é)", func(b *buffer.Buffer) (int64, error) { n, err := b.WriteRune('é'); return int64(n), err }},
	{"WriteString", func(b *buffer.Buffer) (int64, error) { n, err := b.WriteString("abc"); return int64(n), err }},
	{"WriteString(empty)", func(b *buffer.Buffer) (int64, error) { n, err := b.WriteString(""); return int64(n), err }},
	{"WriteTo", func(b *buffer.Buffer) (int64, error) { return b.WriteTo(io.Discard) }},
	{"Seek", func(b *buffer.Buffer) (int64, error) { return b.Seek(0, io.SeekStart) }},
	{"Seek(bad whence)", func(b *buffer.Buffer) (int64, error) { return b.Seek(0, 42) }},
	{"Seek(-1)", func(b *buffer.Buffer) (int64, error) { return b.Seek(-1, io.SeekStart) }},
	{"Seek(-5, current)", func(b *buffer.Buffer) (int64, error) { return b.Seek(-5, io.SeekCurrent) }},
	{"Truncate", func(b *buffer.Buffer) (int64, error) { return 0, b.Truncate(0) }},
	{"Truncate(-1)", func(b *buffer.Buffer) (int64, error) { return 0, b.Truncate(-1) }},
	{"Peek", func(b *buffer.Buffer) (int64, error) { q, err := b.Peek(1); return int64(len(q)), err }},
	{"Peek(0)", func(b *buffer.Buffer) (int64, error) { q, err := b.Peek(0); return int64(len(q)), err }},
}

// After Close every method returns ErrClosed (which is fs.ErrClosed), and
// the views taken before keep their content.
func TestHostileClosed(t *testing.T) {
	if debugBuild {
		t.Skip("using a closed buffer panics by design in bytesio_debug builds")
	}
	states := []struct {
		name string
		make func(t *testing.T) (*buffer.Buffer, buffer.View, []byte)
	}{
		{"zero Buffer", func(t *testing.T) (*buffer.Buffer, buffer.View, []byte) {
			return new(buffer.Buffer), buffer.View{}, nil
		}},
		{"with content", func(t *testing.T) (*buffer.Buffer, buffer.View, []byte) {
			b := htBuffer(t)
			b.ReadByte() // an UnreadByte would be valid before Close
			return b, buffer.View{}, nil
		}},
		{"with a live view", func(t *testing.T) (*buffer.Buffer, buffer.View, []byte) {
			b := htBuffer(t)
			return b, b.GetValue(), htContent
		}},
		{"NewBytes", func(t *testing.T) (*buffer.Buffer, buffer.View, []byte) {
			b := buffer.NewBytes([]byte("initial"))
			return b, b.GetValue(), []byte("initial")
		}},
		{"position past the end", func(t *testing.T) (*buffer.Buffer, buffer.View, []byte) {
			b := htBuffer(t)
			b.Seek(1000, io.SeekStart)
			return b, buffer.View{}, nil
		}},
	}
	for _, st := range states {
		t.Run(st.name, func(t *testing.T) {
			b, v, vwant := st.make(t)
			defer v.Release()
			if err := b.Close(); err != nil {
				t.Fatalf("Close() = %v; want nil", err)
			}
			for _, tt := range htClosedOps {
				n, err := tt.op(b)
				if n != 0 || !errors.Is(err, buffer.ErrClosed) || !errors.Is(err, fs.ErrClosed) {
					t.Errorf("%s after Close = %d, %v; want 0, ErrClosed (fs.ErrClosed)", tt.name, n, err)
				}
			}
			if err := b.Close(); err != nil {
				t.Errorf("second Close() = %v; want nil", err)
			}
			b.Reset()
			if n, err := b.Write([]byte("x")); n != 0 || !errors.Is(err, buffer.ErrClosed) {
				t.Errorf("Write after Close+Reset = %d, %v; want 0, ErrClosed", n, err)
			}
			if b.Size() != 0 || b.Len() != 0 || b.Pos() != 0 {
				t.Errorf("Size, Len, Pos after Close = %d, %d, %d; want 0, 0, 0", b.Size(), b.Len(), b.Pos())
			}
			if got := b.GetValue(); got.Len() != 0 || got.Released() {
				t.Errorf("GetValue after Close: Len %d, Released %v; want 0, false", got.Len(), got.Released())
			}
			if got := b.Next(5); got != nil {
				t.Errorf("Next(5) after Close = %q; want nil", got)
			}
			if got := b.AvailableBuffer(); got != nil {
				t.Errorf("AvailableBuffer() after Close: len %d, cap %d; want nil", len(got), cap(got))
			}
			b.Grow(100) // does nothing: a closed buffer takes no chunk
			if a, c := b.Available(), b.Cap(); a != 0 || c != 0 {
				t.Errorf("Available, Cap after Close and Grow(100) = %d, %d; want 0, 0", a, c)
			}
			if got := b.String(); got != "" {
				t.Errorf("String() after Close = %q; want \"\"", got)
			}
			for line := range b.Lines() {
				t.Errorf("Lines() after Close yielded %q", line)
			}
			b.SetLimit(10) // harmless, and Limit reports it, as on an open buffer
			if got := b.Limit(); got != 10 {
				t.Errorf("Limit() after Close and SetLimit(10) = %d; want 10", got)
			}
			if n, err := b.Write([]byte("x")); n != 0 || !errors.Is(err, buffer.ErrClosed) {
				t.Errorf("Write after Close+SetLimit = %d, %v; want 0, ErrClosed", n, err)
			}
			if err := vtCheckView(v, vwant); err != nil {
				t.Errorf("view taken before Close: %v", err)
			}
		})
	}
}

// String of a nil *Buffer returns "<nil>", as its doc says, so that
// printing a nil buffer does not panic.
func TestHostileNilString(t *testing.T) {
	var b *buffer.Buffer
	if got := b.String(); got != "<nil>" {
		t.Errorf("(*Buffer)(nil).String() = %q; want %q", got, "<nil>")
	}
}

// UnreadByte and UnreadRune only undo the read just before.
func TestHostileUnread(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(b *buffer.Buffer)
		unread  func(b *buffer.Buffer) error
		wantErr error
		wantPos int64
	}{
		{"UnreadByte fresh", func(b *buffer.Buffer) {}, (*buffer.Buffer).UnreadByte, buffer.ErrInvalidUnread, 0},
		{"UnreadRune fresh", func(b *buffer.Buffer) {}, (*buffer.Buffer).UnreadRune, buffer.ErrInvalidUnread, 0},
		{"UnreadByte after Write", func(b *buffer.Buffer) { b.Write([]byte("z")) }, (*buffer.Buffer).UnreadByte, buffer.ErrInvalidUnread, 1},
		{"UnreadByte after Seek", func(b *buffer.Buffer) { b.ReadByte(); b.Seek(5, io.SeekStart) }, (*buffer.Buffer).UnreadByte, buffer.ErrInvalidUnread, 5},
		{"UnreadByte after Read at EOF", func(b *buffer.Buffer) {
			b.Seek(0, io.SeekEnd)
			b.Read(make([]byte, 4))
		}, (*buffer.Buffer).UnreadByte, buffer.ErrInvalidUnread, 12},
		{"UnreadByte after empty Read", func(b *buffer.Buffer) { b.ReadByte(); b.Read(nil) }, (*buffer.Buffer).UnreadByte, buffer.ErrInvalidUnread, 1},
		{"UnreadByte after empty Read in a gap", func(b *buffer.Buffer) {
			b.WriteAt([]byte("!"), 1000) // no chunk holds [64, 192): Read serves it without one
			b.Seek(100, io.SeekStart)
			b.ReadByte()
			b.Read(nil)
		}, (*buffer.Buffer).UnreadByte, buffer.ErrInvalidUnread, 101},
		{"UnreadByte twice", func(b *buffer.Buffer) { b.ReadByte(); b.ReadByte(); b.UnreadByte() }, (*buffer.Buffer).UnreadByte, buffer.ErrInvalidUnread, 1},
		{"UnreadByte after Truncate", func(b *buffer.Buffer) { b.ReadByte(); b.Truncate(5) }, (*buffer.Buffer).UnreadByte, buffer.ErrInvalidUnread, 1},
		// Calls that neither move the position nor change the content leave
		// the last read undoable; every call that can, fails or not, ends it.
		{"UnreadByte after GetValue", func(b *buffer.Buffer) { b.ReadByte(); v := b.GetValue(); v.Release() }, (*buffer.Buffer).UnreadByte, nil, 0},
		{"UnreadByte after ReadAt", func(b *buffer.Buffer) { b.ReadByte(); b.ReadAt(make([]byte, 4), 3) }, (*buffer.Buffer).UnreadByte, nil, 0},
		{"UnreadByte after Peek", func(b *buffer.Buffer) { b.ReadByte(); b.Peek(3) }, (*buffer.Buffer).UnreadByte, nil, 0},
		{"UnreadByte after SetLimit", func(b *buffer.Buffer) { b.ReadByte(); b.SetLimit(100) }, (*buffer.Buffer).UnreadByte, nil, 0},
		{"UnreadByte after String", func(b *buffer.Buffer) { b.ReadByte(); _ = b.String() }, (*buffer.Buffer).UnreadByte, nil, 0},
		{"UnreadRune after GetValue", func(b *buffer.Buffer) { b.ReadByte(); b.ReadRune(); b.GetValue().Release() }, (*buffer.Buffer).UnreadRune, nil, 1},
		{"UnreadByte after failed Seek", func(b *buffer.Buffer) { b.ReadByte(); b.Seek(-5, io.SeekStart) }, (*buffer.Buffer).UnreadByte, buffer.ErrInvalidUnread, 1},
		{"UnreadByte after empty Write", func(b *buffer.Buffer) { b.ReadByte(); b.Write(nil) }, (*buffer.Buffer).UnreadByte, buffer.ErrInvalidUnread, 1},
		{"UnreadByte after empty WriteAt", func(b *buffer.Buffer) { b.ReadByte(); b.WriteAt(nil, 0) }, (*buffer.Buffer).UnreadByte, buffer.ErrInvalidUnread, 1},
		{"UnreadByte after failed WriteAt", func(b *buffer.Buffer) { b.ReadByte(); b.WriteAt([]byte("x"), -1) }, (*buffer.Buffer).UnreadByte, buffer.ErrInvalidUnread, 1},
		{"UnreadByte after Write past the limit", func(b *buffer.Buffer) {
			b.ReadByte()
			b.SetLimit(12)
			b.Seek(1, io.SeekCurrent)
			b.Seek(-1, io.SeekCurrent)
			b.Write(make([]byte, 20))
		}, (*buffer.Buffer).UnreadByte, buffer.ErrInvalidUnread, 1},
		{"UnreadByte after WriteTo", func(b *buffer.Buffer) { b.ReadByte(); b.WriteTo(io.Discard) }, (*buffer.Buffer).UnreadByte, buffer.ErrInvalidUnread, 12},
		{"UnreadRune after ReadByte", func(b *buffer.Buffer) { b.ReadByte() }, (*buffer.Buffer).UnreadRune, buffer.ErrInvalidUnread, 1},
		{"UnreadRune after Read", func(b *buffer.Buffer) { b.Read(make([]byte, 3)) }, (*buffer.Buffer).UnreadRune, buffer.ErrInvalidUnread, 3},
		{"UnreadRune twice", func(b *buffer.Buffer) { b.ReadRune(); b.UnreadRune() }, (*buffer.Buffer).UnreadRune, buffer.ErrInvalidUnread, 0},
		{"UnreadRune after ReadRune at EOF", func(b *buffer.Buffer) { b.Seek(0, io.SeekEnd); b.ReadRune() }, (*buffer.Buffer).UnreadRune, buffer.ErrInvalidUnread, 12},
		{"UnreadRune after ReadRune", func(b *buffer.Buffer) { b.ReadByte(); b.ReadRune() }, (*buffer.Buffer).UnreadRune, nil, 1},
		{"UnreadByte after ReadByte", func(b *buffer.Buffer) { b.ReadByte(); b.ReadByte() }, (*buffer.Buffer).UnreadByte, nil, 1},
		{"UnreadByte after ReadString", func(b *buffer.Buffer) { b.ReadString('l') }, (*buffer.Buffer).UnreadByte, nil, 3},
	}
	for _, tt := range tests {
		b := buffer.NewWithPool(vtSmallPool(t))
		b.WriteString("héllo world") // 'é' is two bytes: 12 bytes in all
		b.Seek(0, io.SeekStart)
		tt.setup(b)
		if err := tt.unread(b); err != tt.wantErr && !errors.Is(err, tt.wantErr) || tt.wantErr == nil && err != nil {
			t.Errorf("%s: got %v; want %v", tt.name, err, tt.wantErr)
		}
		if b.Pos() != tt.wantPos {
			t.Errorf("%s: position = %d; want %d", tt.name, b.Pos(), tt.wantPos)
		}
		b.Close()
	}
}

// ReadAt returns what bytes.Reader's returns over the same content, for
// every length and offset around the chunk boundaries and the end,
// including empty reads: io.EOF at the end. The buffers hold the window in
// each place ReadAt's fast path reads from: the one chunk of the content,
// the last chunk after reading to the end, memory from NewBytes, and a
// window holding old bytes past the end after Truncate.
func TestReadAtMatchesReader(t *testing.T) {
	const size = 300
	content := vtData(size, 5)
	states := []struct {
		name string
		make func(t *testing.T) *buffer.Buffer
	}{
		{"one chunk", func(t *testing.T) *buffer.Buffer {
			b := buffer.New()
			b.Write(content)
			return b
		}},
		{"small chunks, read to the end", func(t *testing.T) *buffer.Buffer {
			b := buffer.NewWithPool(vtSmallPool(t))
			b.Write(content)
			b.Seek(0, io.SeekStart)
			io.Copy(io.Discard, b)
			return b
		}},
		{"NewBytes", func(t *testing.T) *buffer.Buffer { return buffer.NewBytes(bytes.Clone(content)) }},
		{"truncated", func(t *testing.T) *buffer.Buffer {
			b := buffer.New()
			b.Write(content)
			b.Write(vtData(100, 6))
			b.Truncate(size)
			return b
		}},
	}
	r := bytes.NewReader(content)
	for _, st := range states {
		t.Run(st.name, func(t *testing.T) {
			b := st.make(t)
			defer b.Close()
			for _, off := range []int64{0, 1, 63, 64, 191, 192, size - 5, size - 4, size - 1, size, size + 1} {
				for _, n := range []int{0, 1, 4, 64, 129} {
					got, want := make([]byte, n), make([]byte, n)
					k, err := b.ReadAt(got, off)
					wk, werr := r.ReadAt(want, off)
					if k != wk || err != werr || !bytes.Equal(got, want) {
						t.Errorf("ReadAt(%d bytes, %d) = %d, %v; bytes.Reader's = %d, %v", n, off, k, err, wk, werr)
					}
				}
			}
		})
	}
}

// Nil and empty slices, strings and readers change nothing and fail
// nowhere.
func TestHostileEmpty(t *testing.T) {
	t.Run("Buffer", func(t *testing.T) {
		b := htBuffer(t)
		defer b.Close()
		type result struct {
			n   int64
			err error
		}
		tests := []struct {
			name string
			pos  int64
			op   func() (int64, error)
			want result
		}{
			{"Read(nil)", htPos, func() (int64, error) { n, err := b.Read(nil); return int64(n), err }, result{0, nil}},
			{"Read([]byte{})", htPos, func() (int64, error) { n, err := b.Read([]byte{}); return int64(n), err }, result{0, nil}},
			{"Read(nil) at end", 300, func() (int64, error) { n, err := b.Read(nil); return int64(n), err }, result{0, io.EOF}},
			{"Read(nil) past end", 400, func() (int64, error) { n, err := b.Read(nil); return int64(n), err }, result{0, io.EOF}},
			{"ReadAt(nil, 0)", htPos, func() (int64, error) { n, err := b.ReadAt(nil, 0); return int64(n), err }, result{0, nil}},
			{"ReadAt(nil, size)", htPos, func() (int64, error) { n, err := b.ReadAt(nil, 300); return int64(n), err }, result{0, io.EOF}},
			{"Write(nil)", htPos, func() (int64, error) { n, err := b.Write(nil); return int64(n), err }, result{0, nil}},
			{"Write([]byte{}) past end", 400, func() (int64, error) { n, err := b.Write([]byte{}); return int64(n), err }, result{0, nil}},
			{"WriteString(\"\") past end", 400, func() (int64, error) { n, err := b.WriteString(""); return int64(n), err }, result{0, nil}},
			{"WriteAt(nil, 1000)", htPos, func() (int64, error) { n, err := b.WriteAt(nil, 1000); return int64(n), err }, result{0, nil}},
			{"WriteAt(nil, 1<<62)", htPos, func() (int64, error) { n, err := b.WriteAt(nil, 1<<62); return int64(n), err }, result{0, nil}},
			{"ReadFrom(empty) past end", 400, func() (int64, error) { return b.ReadFrom(bytes.NewReader(nil)) }, result{0, nil}},
			{"WriteTo at end", 300, func() (int64, error) { return b.WriteTo(&htWriter{}) }, result{0, nil}},
			{"WriteTo past end", 400, func() (int64, error) { return b.WriteTo(&htWriter{}) }, result{0, nil}},
			{"Peek(0)", htPos, func() (int64, error) { q, err := b.Peek(0); return int64(len(q)), err }, result{0, nil}},
			{"Next(0)", htPos, func() (int64, error) { return int64(len(b.Next(0))), nil }, result{0, nil}},
			{"Truncate(size)", htPos, func() (int64, error) { return 0, b.Truncate(300) }, result{0, nil}},
			{"Truncate(MaxInt64)", htPos, func() (int64, error) { return 0, b.Truncate(math.MaxInt64) }, result{0, nil}},
		}
		for _, tt := range tests {
			b.Seek(tt.pos, io.SeekStart)
			n, err := tt.op()
			if got := (result{n, err}); got != tt.want {
				t.Errorf("%s = %d, %v; want %d, %v", tt.name, n, err, tt.want.n, tt.want.err)
			}
			htCheckUnchanged(t, tt.name, b, htContent, tt.pos)
		}
	})

	t.Run("constructors", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			b    *buffer.Buffer
		}{
			{"NewBytes(nil)", buffer.NewBytes(nil)},
			{"NewBytes([]byte{})", buffer.NewBytes([]byte{})},
			{"NewString(\"\")", buffer.NewString("")},
			{"New()", buffer.New()},
			{"zero Buffer", new(buffer.Buffer)},
		} {
			b := tt.b
			if n, err := b.Read(make([]byte, 1)); n != 0 || err != io.EOF {
				t.Errorf("%s: Read = %d, %v; want 0, io.EOF", tt.name, n, err)
			}
			if q, err := b.ReadBytes('\n'); q != nil || err != io.EOF {
				t.Errorf("%s: ReadBytes = %q, %v; want nil, io.EOF", tt.name, q, err)
			}
			if n, err := b.WriteTo(&htWriter{}); n != 0 || err != nil {
				t.Errorf("%s: WriteTo = %d, %v; want 0, nil", tt.name, n, err)
			}
			if v := b.GetValue(); v.Len() != 0 || v.Bytes() != nil || v.String() != "" {
				t.Errorf("%s: GetValue = %q; want empty", tt.name, v.Bytes())
			}
			if b.Size() != 0 || b.Len() != 0 || b.Pos() != 0 {
				t.Errorf("%s: Size, Len, Pos = %d, %d, %d; want 0, 0, 0", tt.name, b.Size(), b.Len(), b.Pos())
			}
			if err := b.Truncate(0); err != nil {
				t.Errorf("%s: Truncate(0) = %v; want nil", tt.name, err)
			}
			if err := b.Close(); err != nil {
				t.Errorf("%s: Close = %v; want nil", tt.name, err)
			}
		}
	})

	t.Run("View", func(t *testing.T) {
		b := htBuffer(t)
		defer b.Close()
		v := b.GetValue()
		defer v.Release()
		if n, err := v.ReadAt(nil, 0); n != 0 || err != nil {
			t.Errorf("ReadAt(nil, 0) = %d, %v; want 0, nil", n, err)
		}
		if n, err := v.ReadAt(nil, 300); n != 0 || err != io.EOF {
			t.Errorf("ReadAt(nil, size) = %d, %v; want 0, io.EOF", n, err)
		}
		if n, err := v.ReadAt(make([]byte, 1), -1); n != 0 || !errors.Is(err, buffer.ErrNegativeOffset) {
			t.Errorf("ReadAt(p, -1) = %d, %v; want 0, ErrNegativeOffset", n, err)
		}
		if n, err := v.ReadAt(make([]byte, 1), math.MaxInt64); n != 0 || err != io.EOF {
			t.Errorf("ReadAt(p, MaxInt64) = %d, %v; want 0, io.EOF", n, err)
		}
		if got := v.AppendTo(nil); !bytes.Equal(got, htContent) {
			t.Errorf("AppendTo(nil) = %q; want %q", got, htContent)
		}
		if v.Equal(nil) || v.Equal([]byte{}) {
			t.Error("Equal(nil) or Equal(empty) on 300 bytes = true; want false")
		}
		r := v.NewReader()
		if n, err := r.Read(nil); n != 0 || err != nil {
			t.Errorf("ViewReader.Read(nil) = %d, %v; want 0, nil", n, err)
		}
		r.Seek(1000, io.SeekStart)
		if n, err := r.Read(make([]byte, 1)); n != 0 || err != io.EOF {
			t.Errorf("ViewReader.Read past the end = %d, %v; want 0, io.EOF", n, err)
		}
		if n, err := r.WriteTo(&htWriter{}); n != 0 || err != nil {
			t.Errorf("ViewReader.WriteTo past the end = %d, %v; want 0, nil", n, err)
		}
	})
}

// NewBytes never writes into the slice it was given.
func TestHostileNewBytesNotWritten(t *testing.T) {
	orig := []byte("hello, world")
	src := bytes.Clone(orig)
	b := buffer.NewBytes(src)
	defer b.Close()
	v := b.GetValue()
	defer v.Release()
	b.Write([]byte("J"))
	b.WriteAt([]byte("W"), 7)
	b.Truncate(5)
	b.Seek(0, io.SeekEnd)
	b.Write([]byte("!!"))
	if !bytes.Equal(src, orig) {
		t.Errorf("slice given to NewBytes = %q after writes; want %q", src, orig)
	}
	if got, want := vtBufContent(t, b), []byte("Jello!!"); !bytes.Equal(got, want) {
		t.Errorf("content = %q; want %q", got, want)
	}
	if err := vtCheckView(v, orig); err != nil {
		t.Errorf("view taken before the writes: %v", err)
	}
}

// shortConn is a net.Conn (not a socket of the net package) that writes at
// most 5 bytes a call and reports no error.
type shortConn struct{ net.Conn }

func (shortConn) Write(p []byte) (int, error) { return min(len(p), 5), nil }

// A net.Conn that is not a TCP or Unix socket gets checked writes: a short
// write stops WriteTo with io.ErrShortWrite and the count written, for content
// over several chunks (net.Buffers would skip on to the next chunk).
func TestHostileShortConnWrite(t *testing.T) {
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 256, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	b := buffer.NewWithPool(p)
	defer b.Close()
	b.Write(pattern(1))
	b.Write(pattern(300)[1:]) // chunks of 64 and 128 bytes, then 108 in the third
	b.Seek(0, io.SeekStart)
	if n, err := b.WriteTo(shortConn{}); n != 5 || err != io.ErrShortWrite {
		t.Errorf("Buffer.WriteTo = (%d, %v); want (5, %v)", n, err, io.ErrShortWrite)
	}
	if b.Pos() != 5 {
		t.Errorf("position %d after a short write of 5; want 5", b.Pos())
	}
	v := b.GetValue()
	defer v.Release()
	if n, err := v.WriteTo(shortConn{}); n != 5 || err != io.ErrShortWrite {
		t.Errorf("View.WriteTo = (%d, %v); want (5, %v)", n, err, io.ErrShortWrite)
	}
}

// countingWriter counts the Writes it is given and the longest.
type countingWriter struct{ writes, longest int }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	w.longest = max(w.longest, len(p))
	return len(p), nil
}

// A gap goes out in Writes of 32 KiB where its segments hold as many, even
// when the first piece of gap WriteTo meets is 1 byte, the end of a chunk:
// sized by that piece, the zeros of later pieces once made 1 MiB of gap
// take a Write per byte.
func TestWriteToGapPieces(t *testing.T) {
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 64 << 10, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	const far = 1 << 20
	b := buffer.NewWithPool(p)
	defer b.Close()
	b.WriteAt([]byte("z"), far) // [0, far) is gap, in chunks of up to 64 KiB
	v := b.GetValue()
	defer v.Release()
	var chunks []int
	for c := range v.Chunks() {
		chunks = append(chunks, len(c))
	}
	if len(chunks) < 2 || chunks[0] < 2 {
		t.Fatalf("chunks of %v bytes; want the gap in more than one", chunks)
	}
	from := int64(chunks[0] - 1) // the last byte of the first chunk
	// Pieces of 32 KiB take 32 Writes; each chunk cuts at most one more.
	most := far/(32<<10) + len(chunks)
	for _, tc := range []struct {
		name string
		to   func(w io.Writer) (int64, error)
	}{
		{"Buffer", func(w io.Writer) (int64, error) { b.Seek(from, io.SeekStart); return b.WriteTo(w) }},
		{"ViewReader", func(w io.Writer) (int64, error) {
			r := v.NewReader()
			r.Seek(from, io.SeekStart)
			return r.WriteTo(w)
		}},
	} {
		w := &countingWriter{}
		n, err := tc.to(w)
		if err != nil || n != far+1-from {
			t.Fatalf("%s: WriteTo = %d, %v; want %d, nil", tc.name, n, err, far+1-from)
		}
		if w.writes > most || w.longest != 32<<10 {
			t.Errorf("%s: WriteTo of %d bytes of gap from the end of a chunk took %d Writes of up to %d bytes; "+
				"want at most %d, of up to 32 KiB", tc.name, n, w.writes, w.longest, most)
		}
	}
}

// capWriter keeps the most capacity past their length of the slices it is
// given.
type capWriter struct{ past int }

func (w *capWriter) Write(p []byte) (int, error) {
	w.past = max(w.past, cap(p)-len(p))
	return len(p), nil
}

// The slices WriteTo hands a writer end at the content, in capacity too,
// as those of Chunks and Bytes do: past it, a chunk holds bytes of earlier
// content, maybe another buffer's, which a writer reading p[:cap(p)] would
// see. One chunk, many, and a gap; from the buffer, a view and a reader.
func TestWriteToCapsSlices(t *testing.T) {
	p := vtSmallPool(t) // chunks of 64, 128 and 256 bytes
	for _, layout := range []struct {
		name  string
		write func(b *buffer.Buffer)
	}{
		{"one chunk", func(b *buffer.Buffer) { b.WriteString("abc") }},
		{"chunks", func(b *buffer.Buffer) { b.Write(bytes.Repeat([]byte("c"), 300)) }},
		{"gap", func(b *buffer.Buffer) { b.WriteString("a"); b.WriteAt([]byte("z"), 700) }},
	} {
		b := buffer.NewWithPool(p)
		b.Write(bytes.Repeat([]byte("S"), 1000)) // leaves its bytes in the chunks
		b.Reset()
		layout.write(b)
		v := b.GetValue()
		for _, to := range []struct {
			name string
			to   func(w io.Writer)
		}{
			{"Buffer.WriteTo", func(w io.Writer) { b.Seek(0, io.SeekStart); b.WriteTo(w) }},
			{"Buffer.WriteTo past a Read", func(w io.Writer) { b.Seek(1, io.SeekStart); b.WriteTo(w) }},
			{"View.WriteTo", func(w io.Writer) { v.WriteTo(w) }},
			{"ViewReader.WriteTo", func(w io.Writer) { v.NewReader().WriteTo(w) }},
		} {
			w := &capWriter{}
			to.to(w)
			if w.past != 0 {
				t.Errorf("%s, %s: a slice with %d bytes of capacity past its length", layout.name, to.name, w.past)
			}
		}
		v.Release()
		b.Close()
	}
}

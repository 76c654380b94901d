package buffer_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"
	"testing/iotest"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// TestIOTestReader runs iotest.TestReader, which checks that Read, ReadAt and
// Seek agree, over buffers and view readers with content.
func TestIOTestReader(t *testing.T) {
	small := newSmallPool(t)
	for _, n := range []int{0, 1, 63, 64, 65, 192, 449, 1000, 1025, 5000} {
		content := vecGen(int64(n), int64(n))
		t.Run(fmt.Sprintf("len=%d/NewBytes", n), func(t *testing.T) {
			if err := iotest.TestReader(buffer.NewBytes(bytes.Clone(content)), content); err != nil {
				t.Fatal(err)
			}
		})
		t.Run(fmt.Sprintf("len=%d/NewString", n), func(t *testing.T) {
			if err := iotest.TestReader(buffer.NewString(string(content)), content); err != nil {
				t.Fatal(err)
			}
		})
		t.Run(fmt.Sprintf("len=%d/pool=small", n), func(t *testing.T) {
			b := buffer.NewWithPool(small)
			defer b.Close()
			b.Write(content)
			b.Seek(0, io.SeekStart)
			if err := iotest.TestReader(b, content); err != nil {
				t.Fatal(err)
			}
		})
		t.Run(fmt.Sprintf("len=%d/pool=small,overwritten", n), func(t *testing.T) {
			// Content reached through overwrites, a gap and a Truncate.
			b := buffer.NewWithPool(small)
			defer b.Close()
			b.Write(vecGen(int64(n)+100, 1))
			b.Truncate(int64(n / 2))
			b.Seek(int64(n/2+10), io.SeekStart)
			b.Write(vecGen(10, 2))
			b.WriteAt(content, 0)
			b.Truncate(int64(n))
			b.Seek(0, io.SeekStart)
			if err := iotest.TestReader(b, content); err != nil {
				t.Fatal(err)
			}
		})
		t.Run(fmt.Sprintf("len=%d/ViewReader", n), func(t *testing.T) {
			b := buffer.NewWithPool(small)
			defer b.Close()
			b.Write(content)
			v := b.GetValue()
			defer v.Release()
			b.WriteAt([]byte("changed after GetValue"), 0)
			b.Truncate(int64(n / 3))
			if err := iotest.TestReader(v.NewReader(), content); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// readFromSources wrap a reader of src in the misbehaving readers of
// testing/iotest.
var readFromSources = []struct {
	name string
	make func(src []byte) io.Reader
}{
	{"bytes.Reader", func(src []byte) io.Reader { return bytes.NewReader(src) }},
	{"OneByteReader", func(src []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(src)) }},
	{"HalfReader", func(src []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(src)) }},
	{"DataErrReader", func(src []byte) io.Reader { return iotest.DataErrReader(bytes.NewReader(src)) }},
	{"DataErrReader(OneByteReader)", func(src []byte) io.Reader {
		return iotest.DataErrReader(iotest.OneByteReader(bytes.NewReader(src)))
	}},
	// Hides bytes.Reader's WriterTo, so ReadFrom must call Read.
	{"onlyReader", func(src []byte) io.Reader { return struct{ io.Reader }{bytes.NewReader(src)} }},
	// Uses all of p as scratch space, as io.Reader allows.
	{"scribbler", func(src []byte) io.Reader { return &scribbler{iotest.HalfReader(bytes.NewReader(src))} }},
}

// scribbler fills all of p with 0xee before reading into it, as io.Reader
// allows ("Read may use all of p as scratch space during the call").
type scribbler struct{ r io.Reader }

func (s *scribbler) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0xee
	}
	return s.r.Read(p)
}

// readFromStarts are the states ReadFrom starts in: content and position.
var readFromStarts = []struct {
	name    string
	initLen int
	pos     int64
}{
	{"empty,pos=0", 0, 0},
	{"content,pos=0", 300, 0},       // overwrite from the start, then extend
	{"content,pos=mid", 300, 150},   // overwrite mid-content
	{"content,pos=end", 300, 300},   // append
	{"content,pos=past", 300, 1000}, // zero-filled gap
	{"empty,pos=past", 0, 70},
}

// TestReadFromIOTest fills buffers with ReadFrom from iotest readers and
// compares the result with the source bytes.
func TestReadFromIOTest(t *testing.T) {
	small := newSmallPool(t)
	for _, st := range readFromStarts {
		for _, src := range readFromSources {
			for _, n := range []int{0, 1, 64, 200, 5000} {
				name := fmt.Sprintf("%s/src=%s,len=%d", st.name, src.name, n)
				t.Run(name, func(t *testing.T) {
					data := vecGen(int64(n), 99)
					b, m := startReadFrom(t, small, st.initLen, st.pos)
					defer b.Close()
					got, err := b.ReadFrom(src.make(data))
					if got != int64(n) || err != nil {
						t.Fatalf("ReadFrom: got (%d, %v); want (%d, nil)", got, err, n)
					}
					m.write(data)
					checkBufferModel(t, b, m)
					// Whatever r left past the end must not show in a gap.
					b.Seek(3, io.SeekEnd)
					m.pos = m.size() + 3
					b.Write([]byte{7})
					m.write([]byte{7})
					checkBufferModel(t, b, m)
				})
			}
		}
	}
}

// TestReadFromTimeout checks that ReadFrom stops at the reader's error,
// keeping what it read, and that a second ReadFrom goes on from there.
func TestReadFromTimeout(t *testing.T) {
	small := newSmallPool(t)
	for _, st := range readFromStarts {
		for _, n := range []int{1, 100, 5000} {
			t.Run(fmt.Sprintf("%s,len=%d", st.name, n), func(t *testing.T) {
				data := vecGen(int64(n), 5)
				b, m := startReadFrom(t, small, st.initLen, st.pos)
				defer b.Close()
				r := iotest.TimeoutReader(iotest.HalfReader(bytes.NewReader(data)))
				got, err := b.ReadFrom(r)
				if err != iotest.ErrTimeout || got < 0 || got > int64(n) {
					t.Fatalf("first ReadFrom: got (%d, %v); want (0..%d, %v)", got, err, n, iotest.ErrTimeout)
				}
				m.write(data[:got])
				checkBufferModel(t, b, m)
				got2, err := b.ReadFrom(r)
				if got+got2 != int64(n) || err != nil {
					t.Fatalf("second ReadFrom: got (%d, %v); want (%d, nil)", got2, err, int64(n)-got)
				}
				m.write(data[got:])
				checkBufferModel(t, b, m)
			})
		}
	}
}

// TestReadFromErrors covers a reader that fails after some bytes, one that
// never makes progress, and the size limit.
func TestReadFromErrors(t *testing.T) {
	small := newSmallPool(t)
	errBoom := errors.New("boom")

	t.Run("reader error", func(t *testing.T) {
		for _, st := range readFromStarts {
			data := vecGen(700, 3)
			b, m := startReadFrom(t, small, st.initLen, st.pos)
			r := io.MultiReader(bytes.NewReader(data), iotest.ErrReader(errBoom))
			got, err := b.ReadFrom(r)
			if got != int64(len(data)) || err != errBoom {
				t.Fatalf("%s: got (%d, %v); want (%d, %v)", st.name, got, err, len(data), errBoom)
			}
			m.write(data)
			checkBufferModel(t, b, m)
			b.Close()
		}
	})

	t.Run("no progress", func(t *testing.T) {
		b, m := startReadFrom(t, small, 300, 100)
		defer b.Close()
		got, err := b.ReadFrom(&stuckReader{data: vecGen(10, 4)})
		if got != 10 || err != io.ErrNoProgress {
			t.Fatalf("got (%d, %v); want (10, %v)", got, err, io.ErrNoProgress)
		}
		m.write(vecGen(10, 4))
		checkBufferModel(t, b, m)
	})

	t.Run("limit", func(t *testing.T) {
		for _, st := range readFromStarts {
			for _, lim := range []int64{1000, 1200, 1500} {
				data := vecGen(1000, 6)
				b, m := startReadFrom(t, small, st.initLen, st.pos)
				b.SetLimit(lim)
				m.limit = lim
				got, err := b.ReadFrom(iotest.HalfReader(bytes.NewReader(data)))
				room := max(0, lim-st.pos)
				switch {
				case int64(len(data)) <= room:
					if got != int64(len(data)) || err != nil {
						t.Fatalf("%s,limit=%d: got (%d, %v); want (%d, nil)", st.name, lim, got, err, len(data))
					}
				case got < 0 || got > room || !errors.Is(err, buffer.ErrTooLarge):
					t.Fatalf("%s,limit=%d: got (%d, %v); want (0..%d, %v)", st.name, lim, got, err, room, buffer.ErrTooLarge)
				}
				m.write(data[:got])
				checkBufferModel(t, b, m)
				b.Close()
			}
		}
	})
}

// TestReadFromReaderPanics checks that a buffer whose reader panicked in
// ReadFrom, recovered by the caller, holds what was read before the panic
// and nothing of what the reader scribbled into the memory of the read that
// panicked, whichever memory that was (the tail, the small chunk at a full
// first chunk, a chunk taken for the read, scratch memory for an
// overwrite), and holds no more chunks than after the same bytes read to
// io.EOF.
func TestReadFromReaderPanics(t *testing.T) {
	small := newSmallPool(t)
	starts := append(slices.Clone(readFromStarts), []struct {
		name    string
		initLen int
		pos     int64
	}{
		{"full first chunk", 64, 64},    // the next read takes the small chunk
		{"full second chunk", 192, 192}, // the next read takes a chunk
	}...)
	for _, st := range starts {
		for _, k := range []int{0, 10, 64, 128, 700} {
			data := vecGen(int64(k), 8)
			// twin reads the same bytes to io.EOF.
			twin, _ := startReadFrom(t, small, st.initLen, st.pos)
			if got, err := twin.ReadFrom(&pieceReader{data: data}); got != int64(k) || err != nil {
				t.Fatalf("%s,k=%d: twin ReadFrom = %d, %v", st.name, k, got, err)
			}
			b, m := startReadFrom(t, small, st.initLen, st.pos)
			func() {
				defer func() {
					if recover() == nil {
						t.Fatalf("%s,k=%d: ReadFrom did not pass the reader's panic on", st.name, k)
					}
				}()
				b.ReadFrom(&pieceReader{data: data, panics: true})
			}()
			m.write(data)
			checkBufferModel(t, b, m)
			if b.Cap() != twin.Cap() {
				t.Errorf("%s,k=%d: Cap() = %d after the panic, %d after io.EOF; want them equal", st.name, k, b.Cap(), twin.Cap())
			}
			// Writes after the panic, past the end too, see no scribble.
			for _, w := range []int64{0, 500} {
				b.Seek(w, io.SeekEnd)
				m.seek(w, io.SeekEnd)
				b.Write([]byte("after"))
				m.write([]byte("after"))
			}
			checkBufferModel(t, b, m)
			b.Close()
			twin.Close()
		}
	}
}

// pieceReader returns data in pieces of at most 37 bytes, then io.EOF, or,
// when panics is set, fills p with 0xee and panics.
type pieceReader struct {
	data   []byte
	panics bool
}

func (r *pieceReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		if r.panics {
			for i := range p {
				p[i] = 0xee
			}
			panic("pieceReader: boom")
		}
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), 37)], r.data)
	r.data = r.data[n:]
	return n, nil
}

// stuckReader returns data once, then (0, nil) forever.
type stuckReader struct{ data []byte }

func (r *stuckReader) Read(p []byte) (int, error) {
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// startReadFrom returns a buffer with initLen bytes of content positioned at
// pos, and the matching model.
func startReadFrom(t *testing.T, p *pool.Pool, initLen int, pos int64) (*buffer.Buffer, *model) {
	t.Helper()
	b := buffer.NewWithPool(p)
	m := newModel()
	init := vecGen(int64(initLen), 42)
	if n, err := b.Write(init); n != initLen || err != nil {
		t.Fatalf("Write(init): got (%d, %v); want (%d, nil)", n, err, initLen)
	}
	m.write(init)
	if got, err := b.Seek(pos, io.SeekStart); got != pos || err != nil {
		t.Fatalf("Seek(%d, 0): got (%d, %v)", pos, got, err)
	}
	m.pos = pos
	return b, m
}

// checkBufferModel compares the position, size and content of b with m.
func checkBufferModel(t *testing.T, b *buffer.Buffer, m *model) {
	t.Helper()
	if got := b.Pos(); got != m.pos {
		t.Fatalf("Pos() = %d; want %d", got, m.pos)
	}
	if got := b.Size(); got != m.size() {
		t.Fatalf("Size() = %d; want %d", got, m.size())
	}
	v := b.GetValue()
	defer v.Release()
	if got := v.Bytes(); !bytes.Equal(got, m.data) {
		i := 0
		for i < len(got) && i < len(m.data) && got[i] == m.data[i] {
			i++
		}
		t.Fatalf("content differs from byte %d on (len %d, want %d)", i, len(got), len(m.data))
	}
}

// TestReadFromAtChunkEnd fills a buffer from Get, and one of the small pool,
// with ReadFrom of sizes around its first chunk's: a reader that ends with
// the chunk leaves no chunk behind (ReadFrom looks for the end with a small
// chunk of the pool's), and one that goes on past it loses no byte, whichever
// reader it is. Writes after ReadFrom go on from its end.
func TestReadFromAtChunkEnd(t *testing.T) {
	small := newSmallPool(t)
	for _, bc := range []struct {
		name string
		new  func() *buffer.Buffer
		done func(*buffer.Buffer)
	}{
		{"Get", buffer.Get, buffer.Put},
		{"pool=small", func() *buffer.Buffer { return buffer.NewWithPool(small) }, func(b *buffer.Buffer) { b.Close() }},
	} {
		// The first chunk a first read takes, as big as a 1-byte write's.
		b := bc.new()
		b.WriteByte(1)
		first := int(b.Cap())
		bc.done(b)
		for _, src := range readFromSources {
			for _, d := range []int{-1, 0, 1, 63, 64, 65, first} {
				n := first + d
				t.Run(fmt.Sprintf("%s/src=%s,len=%d", bc.name, src.name, n), func(t *testing.T) {
					// Twice: the second buffer from Get is the first one, put
					// back with its first chunk.
					for range 2 {
						b := bc.new()
						// A buffer from Get may hold a kept first chunk,
						// larger than first after larger content (promote),
						// and the 64-byte chunk ReadFrom keeps (probe).
						want := max(b.Cap(), int64(first)+64)
						data := vecGen(int64(n), int64(n))
						got, err := b.ReadFrom(src.make(data))
						if got != int64(n) || err != nil {
							t.Fatalf("ReadFrom: got (%d, %v); want (%d, nil)", got, err, n)
						}
						if d == 0 {
							v := b.GetValue()
							chunks := 0
							for range v.Chunks() {
								chunks++
							}
							v.Release()
							if chunks != 1 || b.Cap() > want {
								t.Errorf("content of the first chunk's size: %d chunks, Cap() = %d; want 1 chunk, Cap() at most %d", chunks, b.Cap(), want)
							}
						}
						m := newModel()
						m.write(data)
						b.Write([]byte("after"))
						m.write([]byte("after"))
						checkBufferModel(t, b, m)
						bc.done(b)
					}
				})
			}
		}
	}
}

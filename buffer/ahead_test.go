package buffer_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"unicode/utf8"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// readModel is the []byte reference of the calls aheadCalls makes: the content
// and the position.
type readModel struct {
	data []byte
	pos  int
}

// aheadCalls are the calls that move the position, change the content or
// give the buffer back, each applied to a buffer and to its model. Read's
// fast path serves bytes the previous Read left in the window (ahead);
// after each of these, what it serves must be what the model holds.
var aheadCalls = []struct {
	name string
	do   func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer
}{
	{"Reset", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		b.Reset()
		*m = readModel{}
		return b
	}},
	{"Truncate(pos+3)", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		n := min(m.pos+3, len(m.data))
		mustOK(t, b.Truncate(int64(n)))
		m.data = m.data[:n]
		return b
	}},
	{"Truncate(pos-1)", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		mustOK(t, b.Truncate(int64(m.pos-1)))
		m.data = m.data[:m.pos-1]
		return b
	}},
	{"Seek(1)", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		mustSeek(t, b, 1, io.SeekStart)
		m.pos = 1
		return b
	}},
	{"Seek(-1,Current)", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		mustSeek(t, b, -1, io.SeekCurrent)
		m.pos--
		return b
	}},
	{"Seek(-5,End)", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		mustSeek(t, b, -5, io.SeekEnd)
		m.pos = len(m.data) - 5
		return b
	}},
	{"UnreadByte", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		mustOK(t, b.UnreadByte())
		m.pos--
		return b
	}},
	{"ReadByte", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		c, err := b.ReadByte()
		mustOK(t, err)
		if c != m.data[m.pos] {
			t.Fatalf("ReadByte = %d, want %d", c, m.data[m.pos])
		}
		m.pos++
		return b
	}},
	{"ReadRune", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		r, size, err := b.ReadRune()
		mustOK(t, err)
		if wr, wsize := utf8.DecodeRune(m.data[m.pos:]); r != wr || size != wsize {
			t.Fatalf("ReadRune = %q, %d, want %q, %d", r, size, wr, wsize)
		}
		m.pos += size
		return b
	}},
	{"ReadRune, UnreadRune", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		_, _, err := b.ReadRune()
		mustOK(t, err)
		mustOK(t, b.UnreadRune())
		return b
	}},
	{"ReadString", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		delim := m.data[m.pos+2]
		n := bytes.IndexByte(m.data[m.pos:], delim) + 1
		got, err := b.ReadString(delim)
		mustOK(t, err)
		if got != string(m.data[m.pos:m.pos+n]) {
			t.Fatalf("ReadString(%d) = %q, want %q", delim, got, m.data[m.pos:m.pos+n])
		}
		m.pos += n
		return b
	}},
	{"Next(3)", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		if got := b.Next(3); !bytes.Equal(got, m.data[m.pos:m.pos+3]) {
			t.Fatalf("Next(3) = %v, want %v", got, m.data[m.pos:m.pos+3])
		}
		m.pos += 3
		return b
	}},
	{"Write", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		p := []byte("written")
		_, err := b.Write(p)
		mustOK(t, err)
		m.write(p, m.pos)
		m.pos += len(p)
		return b
	}},
	{"WriteAt ahead, with a view held", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		v := b.GetValue()
		defer v.Release()
		return writeAtAhead(t, b, m)
	}},
	{"WriteAt ahead", writeAtAhead},
	{"WriteTo", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		var w bytes.Buffer
		_, err := b.WriteTo(&w)
		mustOK(t, err)
		m.pos = len(m.data)
		return b
	}},
	{"Put and Get", func(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
		buffer.Put(b)
		*m = readModel{}
		return buffer.Get() // often b again
	}},
}

// writeAtAhead writes a few bytes with WriteAt 2 bytes after the position.
func writeAtAhead(t *testing.T, b *buffer.Buffer, m *readModel) *buffer.Buffer {
	p := []byte("written at")
	_, err := b.WriteAt(p, int64(m.pos+2))
	mustOK(t, err)
	m.write(p, m.pos+2)
	return b
}

// write writes p at off in the model.
func (m *readModel) write(p []byte, off int) {
	if end := off + len(p); end > len(m.data) {
		m.data = append(m.data, make([]byte, end-len(m.data))...)
	}
	copy(m.data[off:], p)
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func mustSeek(t *testing.T, b *buffer.Buffer, off int64, whence int) {
	t.Helper()
	if _, err := b.Seek(off, whence); err != nil {
		t.Fatal(err)
	}
}

// After a Read that leaves bytes ahead in the window, each call that moves
// the position, changes the content or gives the buffer back is followed by
// Reads of several sizes: each returns what the readModel holds, to io.EOF.
func TestReadAfterEachCall(t *testing.T) {
	small, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 256, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	written := func(b *buffer.Buffer) func(t *testing.T, data []byte) *buffer.Buffer {
		return func(t *testing.T, data []byte) *buffer.Buffer {
			_, err := b.Write(data)
			mustOK(t, err)
			mustSeek(t, b, 0, io.SeekStart)
			return b
		}
	}
	for _, pc := range []struct {
		name string
		new  func(t *testing.T, data []byte) *buffer.Buffer
	}{
		{"Get", func(t *testing.T, data []byte) *buffer.Buffer { return written(buffer.Get())(t, data) }},
		{"pool=small", func(t *testing.T, data []byte) *buffer.Buffer { return written(buffer.NewWithPool(small))(t, data) }},
		{"NewBytes", func(t *testing.T, data []byte) *buffer.Buffer { return buffer.NewBytes(bytes.Clone(data)) }},
	} {
		for _, size := range []int{100, 1000} {
			for _, first := range []int{10, 63, 64, 65} {
				for _, call := range aheadCalls {
					name := fmt.Sprintf("%s/size=%d/read=%d/%s", pc.name, size, first, call.name)
					t.Run(name, func(t *testing.T) {
						m := readModel{data: pattern(size)}
						b := pc.new(t, m.data)
						got := make([]byte, first)
						if _, err := io.ReadFull(b, got); err != nil {
							t.Fatal(err)
						}
						m.pos = first
						b = call.do(t, b, &m)
						for i := 0; ; i++ {
							k := []int{1, 7, 64, 1000}[i%4]
							p := make([]byte, k)
							n, err := b.Read(p)
							want := m.data[min(m.pos, len(m.data)):]
							if len(want) == 0 {
								if n != 0 || err != io.EOF {
									t.Fatalf("Read %d at the end = %d, %v; want 0, EOF", k, n, err)
								}
								break
							}
							if err != nil || n == 0 || !bytes.Equal(p[:n], want[:n]) {
								t.Fatalf("Read %d at %d = %d, %v, %v; want a prefix of %v", k, m.pos, n, err, p[:n], want[:min(k, len(want))])
							}
							m.pos += n
						}
						b.Close()
					})
				}
			}
		}
	}
}

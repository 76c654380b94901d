package buffer_test

import (
	"io"
	"testing"

	"github.com/bytesio-go/bytesio/buffer"
)

// pattern returns n non-zero bytes.
func pattern(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i%251 + 1)
	}
	return p
}

func testAllocs(t *testing.T, name string, f func()) {
	t.Helper()
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items at random")
	}
	if n := testing.AllocsPerRun(100, f); n != 0 {
		t.Errorf("%s: %v allocs per run; want 0", name, n)
	}
}

// Steady-state reads, writes and seeks allocate nothing, and neither does a
// whole New-write-Close cycle once the pool is warm.
func TestAllocs(t *testing.T) {
	data := pattern(1 << 10)
	p := make([]byte, 64)

	b := buffer.New()
	defer b.Close()
	b.Write(pattern(256 << 10))
	testAllocs(t, "Write", func() {
		b.Seek(1000, io.SeekStart)
		b.Write(data)
	})
	testAllocs(t, "Read", func() {
		b.Seek(5000, io.SeekStart)
		b.Read(p)
	})
	testAllocs(t, "ReadAt", func() { b.ReadAt(p, 200<<10) })
	testAllocs(t, "Seek", func() { b.Seek(-10, io.SeekEnd) })
	testAllocs(t, "WriteByte+ReadByte", func() {
		b.Seek(7, io.SeekStart)
		b.WriteByte('x')
		b.Seek(7, io.SeekStart)
		b.ReadByte()
	})

	if debugBuild {
		// The copy check stores a buffer's own address in it, so a
		// buffer from New escapes to the heap in debug builds.
		return
	}
	testAllocs(t, "New+Write 1KiB+Close", func() {
		b := buffer.New()
		b.Write(data)
		b.Close()
	})
	testAllocs(t, "GetValue+WriteTo+Release", func() {
		b := buffer.New()
		for range 16 {
			b.Write(data)
		}
		v := b.GetValue()
		v.WriteTo(io.Discard)
		b.Close()
		v.Release()
	})
	testAllocs(t, "write after views were released", func() {
		b := buffer.New()
		b.Write(data)
		v := b.GetValue()
		v.Release()
		b.Seek(0, io.SeekStart)
		b.Write(data[:100])
		b.Close()
	})
}

package buffer_test

import (
	"io"
	"testing"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// A buffer that only ever holds a few bytes holds a small chunk, however it
// was written, and growth doubles chunk sizes up to the pool's largest.
func TestSmallBuffersStaySmall(t *testing.T) {
	p, err := pool.New(pool.Config{NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := p.Layout()
	tests := []struct {
		name  string
		write func(b *buffer.Buffer)
	}{
		{"one write of 100", func(b *buffer.Buffer) { b.Write(pattern(100)) }},
		{"100 single bytes", func(b *buffer.Buffer) {
			for _, c := range pattern(100) {
				b.WriteByte(c)
			}
		}},
		{"write at 90", func(b *buffer.Buffer) { b.WriteAt(pattern(10), 90) }},
		{"ReadFrom of 100", func(b *buffer.Buffer) { b.ReadFrom(io.LimitReader(zeroFree{}, 100)) }},
	}
	for _, tt := range tests {
		b := buffer.NewWithPool(p)
		tt.write(b)
		if b.Size() != 100 {
			t.Fatalf("%s: size %d; want 100", tt.name, b.Size())
		}
		if got := b.Cap(); got > int64(first) {
			t.Errorf("%s: holds %d bytes of chunks; want at most the first chunk, %d", tt.name, got, first)
		}
		b.Close()
	}
}

// Growth never copies: the chunk memory of a growing buffer adds up chunk
// by chunk, and a large buffer is made of chunks of the largest size.
func TestGrowthByChunks(t *testing.T) {
	p, err := pool.New(pool.Config{FirstChunk: 1 << 10, MaxChunk: 64 << 10, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	b := buffer.NewWithPool(p)
	defer b.Close()
	piece := pattern(512)
	var want int64 // chunk bytes: 1K, 2K, ..., 32K, then 64K each
	for size := int64(0); size < 1<<20; size += int64(len(piece)) {
		b.Write(piece)
		for want < b.Size() {
			want += min(max(want+1<<10, 1<<10), 64<<10)
		}
		if got := b.Cap(); got != want {
			t.Fatalf("size %d: holds %d bytes of chunks; want %d", b.Size(), got, want)
		}
	}
}

// zeroFree is an endless reader of non-zero bytes.
type zeroFree struct{}

func (zeroFree) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 7
	}
	return len(p), nil
}

// Truncate gives back every chunk past the new end, in whichever part of the
// chunk table it sits: a write past the end afterwards reads as zeros in the
// gap, never as the bytes those chunks held. Chunks of 64 bytes put
// hundreds of chunks in a small buffer, so the cut falls at every place
// within the pages of the table past its first entries.
func TestTruncateThenGapReadsZeros(t *testing.T) {
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 64, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	const size = 500 * 64 // 500 chunks
	content := pattern(size)
	for cut := int64(0); cut <= size; cut += 3*64 + 17 {
		b := buffer.NewWithPool(p)
		b.Write(content)
		if err := b.Truncate(cut); err != nil {
			t.Fatal(err)
		}
		end := int64(size + 100)
		if _, err := b.WriteAt([]byte{0xEE}, end); err != nil {
			t.Fatal(err)
		}
		want := make([]byte, end+1)
		copy(want, content[:cut])
		want[end] = 0xEE
		got := make([]byte, b.Size())
		if n, err := b.ReadAt(got, 0); n != len(got) || err != nil {
			t.Fatalf("cut at %d: ReadAt of the whole content: %d, %v", cut, n, err)
		}
		if i := firstDiff(got, want); i >= 0 {
			t.Fatalf("cut at %d, then a byte written at %d: content differs first at %d (got %#x, want %#x)", cut, end, i, got[i], want[i])
		}
		b.Close()
	}
}

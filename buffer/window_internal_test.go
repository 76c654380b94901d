package buffer

import (
	"bytes"
	"io"
	"testing"

	"github.com/bytesio-go/bytesio/pool"
)

// An overwrite inside the content, in a chunk of the largest size that the
// window does not hold, goes straight into that chunk when the buffer owns
// it alone, and leaves the window where it was, as the window's comment
// says (see writeBytesSlow). The content is what a plain slice holds, and a
// chunk a view shares is copied first, so the view does not change.
func TestOverwriteOutsideWindowLeavesIt(t *testing.T) {
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 256, NoCalibration: true, MaxRetained: -1})
	if err != nil {
		t.Fatal(err)
	}
	const size = 40 * 256 // chunks of every size, and most of them of the largest
	want := make([]byte, size)
	for i := range want {
		want[i] = byte(i*7 + 1)
	}
	b := NewWithPool(p)
	defer b.Close()
	for off := 0; off < size; off += 100 { // small writes: the chunks grow from the first size
		if _, err := b.Write(want[off:min(off+100, size)]); err != nil {
			t.Fatal(err)
		}
	}
	end := b.winOff // the last chunk's start: the overwrites go below it
	if len(b.win) == 0 || end == 0 {
		t.Fatalf("after the writes the window holds [%d, %d); want a window past chunk 0", end, end+int64(len(b.win)))
	}

	patch := []byte{0xa1, 0xa2, 0xa3}
	direct := 0
	for off := int64(0); off+int64(len(patch)) <= end; off += 61 {
		i, start, big := b.l.locateBig(off)
		// The window before the write, and whether it holds the bytes the
		// write overwrites.
		win, winOff := b.win, b.winOff
		outside := off < winOff || off+int64(len(patch)) > winOff+int64(len(b.win))
		b.Seek(off, io.SeekStart)
		if _, err := b.Write(patch); err != nil {
			t.Fatalf("Write at %d: %v", off, err)
		}
		copy(want[off:], patch)
		patch[0]++
		if b.Pos() != off+int64(len(patch)) {
			t.Fatalf("Write at %d left the position at %d; want %d", off, b.Pos(), off+int64(len(patch)))
		}
		if !big || !outside || off+int64(len(patch)) > start+int64(b.l.size(i)) {
			continue // not within one chunk of the largest size outside the window
		}
		direct++
		if !sameSlice(b.win, win) || b.winOff != winOff {
			t.Fatalf("an overwrite at %d, in chunk %d of the largest size, moved the window from %d to %d", off, i, winOff, b.winOff)
		}
	}
	if direct < 20 {
		t.Fatalf("%d overwrites landed in chunks of the largest size outside the window; want at least 20", direct)
	}
	checkContent(t, b, want)

	// With a view holding every chunk, each overwrite copies its chunk
	// first: the view keeps the old bytes.
	v := b.GetValue()
	defer v.Release()
	old := bytes.Clone(want)
	for off := int64(0); off+int64(len(patch)) <= end; off += 61 {
		b.Seek(off, io.SeekStart)
		if _, err := b.Write(patch); err != nil {
			t.Fatalf("Write at %d with a view held: %v", off, err)
		}
		copy(want[off:], patch)
	}
	if !v.Equal(old) {
		t.Error("the view changed under overwrites of the buffer")
	}
	checkContent(t, b, want)
}

// checkContent fails t unless b's content is want.
func checkContent(t *testing.T, b *Buffer, want []byte) {
	t.Helper()
	got := make([]byte, len(want)+1)
	n, err := b.ReadAt(got, 0)
	if n != len(want) || err != io.EOF || !bytes.Equal(got[:n], want) {
		t.Fatalf("ReadAt of the content: %d bytes, %v; want the %d bytes written and io.EOF", n, err, len(want))
	}
}

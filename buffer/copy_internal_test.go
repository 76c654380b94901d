package buffer

import (
	"bytes"
	"testing"
)

// copyCached copies as copy does, whatever the lengths around its pieces.
func TestCopyCached(t *testing.T) {
	for _, n := range []int{0, 1, cachedPiece - 1, cachedPiece, cachedPiece + 1, 2*cachedPiece + 3} {
		src := make([]byte, n)
		for i := range src {
			src[i] = byte(i%251 + 1)
		}
		for _, d := range []int{-1, 0, 1, cachedPiece} { // dst shorter, as long, longer
			if n+d < 0 {
				continue
			}
			got, want := bytes.Repeat([]byte{0xEE}, n+d), bytes.Repeat([]byte{0xEE}, n+d)
			k, wk := copyCached(got, src), copy(want, src)
			if k != wk || !bytes.Equal(got, want) {
				t.Errorf("copyCached of %d bytes into %d: %d bytes, content equal %t; copy: %d",
					n, n+d, k, bytes.Equal(got, want), wk)
			}
		}
	}
}

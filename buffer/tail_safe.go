//go:build purego

package buffer

// This file holds tailAt and spanAt with ordinary slicing, for builds with
// the purego tag; tail_unsafe.go holds the versions without bounds checks
// and says why.

// tailAt returns the n bytes at the start of the last room bytes of w, with
// capacity n: w[len(w)-room:][:n:n]. The caller guarantees
// 0 <= n <= room <= len(w) and 0 < room, so that the slice never points
// past the end of w.
func tailAt(w []byte, room, n int) []byte {
	return w[len(w)-room:][:n:n]
}

// spanAt returns w[i:j:j]. The caller guarantees 0 <= i < j <= len(w), so
// that the slice never points past the end of w.
func spanAt(w []byte, i, j int) []byte {
	return w[i:j:j]
}

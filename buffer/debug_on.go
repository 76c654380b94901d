//go:build bytesio_debug

package buffer

// debug turns on the misuse checks of the bytesio_debug build tag: using a
// closed buffer, using a copied buffer, reading or releasing a released view,
// and writing into a chunk that a view still shares all panic, naming the
// call.
const debug = true

// copyGuard records the address of the Buffer that holds it, so that a copy
// can tell it is one (as strings.Builder does).
type copyGuard struct {
	self *Buffer // the buffer's own address once used; nil before
}

// checkCopy panics when b is a copy of a buffer that was used before it was
// copied: the copy would share the original's chunks.
func (b *Buffer) checkCopy(call string) {
	switch b.guard.self {
	case nil:
		b.guard.self = b
	case b:
	default:
		panic("buffer.Buffer." + call + ": Buffer copied after first use (a copy shares the original's chunks)")
	}
}

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
func (b *Buffer) checkCopy(call string) { b.guardCopy("Buffer."+call, true) }

// checkCopyRead is checkCopy for ReadAt, whose calls may run in parallel
// with each other: it only reads the guard.
func (b *Buffer) checkCopyRead(call string) { b.guardCopy("Buffer."+call, false) }

// checkCopyPut is checkCopy for a Pool's Put of b.
func (b *Buffer) checkCopyPut() { b.guardCopy("Pool.Put", true) }

// guardCopy panics, naming the call, when b is a copy of a used buffer,
// and, with mark, marks b used.
func (b *Buffer) guardCopy(call string, mark bool) {
	switch b.guard.self {
	case nil:
		if mark {
			b.guard.self = b
		}
	case b:
	default:
		panic("buffer." + call + ": Buffer copied after first use (a copy shares the original's chunks)")
	}
}

//go:build !bytesio_debug

package buffer

// debug turns on the misuse checks of the bytesio_debug build tag. Without
// the tag it is false and the checks compile away.
const debug = false

// copyGuard is empty without the bytesio_debug tag: copies are caught only
// by go vet's copylocks check (see noCopy).
type copyGuard struct{}

func (b *Buffer) checkCopy(string)     { _ = b.guard }
func (b *Buffer) checkCopyRead(string) { _ = b.guard }
func (b *Buffer) checkCopyPut()        { _ = b.guard }

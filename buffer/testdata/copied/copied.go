// Package copied copies a Buffer, which go vet must report
// (see TestVetReportsCopiedBuffer).
package copied

import "github.com/bytesio-go/bytesio/buffer"

// Copy returns a copy of the buffer b points to.
func Copy(b *buffer.Buffer) buffer.Buffer {
	c := *b
	return c
}

//go:build !bytesio_debug

package buffer

// debug turns on the misuse checks of the bytesio_debug build tag. Without
// the tag it is false and the checks compile away.
const debug = false

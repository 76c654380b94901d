//go:build !bytesio_debug

package pool

// debug turns on the checks of the bytesio_debug build tag. Without the tag
// it is false and they compile away.
const debug = false

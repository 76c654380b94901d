//go:build bytesio_debug

package pool

// debug turns on the checks of the bytesio_debug build tag: chunks given
// back are filled with Poison, so that memory used after its release shows
// a recognisable pattern instead of plausible data.
const debug = true

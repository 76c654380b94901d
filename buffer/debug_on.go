//go:build bytesio_debug

package buffer

// debug turns on the misuse checks of the bytesio_debug build tag: using a
// closed buffer, reading or releasing a released view, and writing into a
// chunk that a view still shares all panic, naming the call.
const debug = true

//go:build !bytesio_debug

package buffer_test

// debugBuild reports whether the bytesio_debug tag is on: tests that use a
// buffer after Close or a view after Release skip those steps, since debug
// builds panic there by design.
const debugBuild = false

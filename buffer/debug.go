package buffer

// This file holds the misuse checks that the bytesio_debug build tag turns
// on (go test -tags bytesio_debug ./...). Each is behind the constant debug,
// so without the tag they cost nothing.

// misuse panics with a message naming the call, in debug builds only.
func misuse(call, what string) {
	if debug {
		panic("buffer." + call + ": " + what)
	}
}

// errClosed returns ErrClosed for a call on a closed buffer, which debug
// builds report by panicking.
func errClosed(call string) error {
	if debug { // so that release builds do not build the name
		misuse("Buffer."+call, "buffer used after Close")
	}
	return ErrClosed
}

// errReleased returns ErrReleased for a read of a released view, which debug
// builds report by panicking.
func errReleased(call string) error {
	misuse(call, "view used after Release")
	return ErrReleased
}

// checkOwned reports a write into memory at off that a view still shares,
// in debug builds: the copy-on-write step was skipped.
func (b *Buffer) checkOwned(call string, off int64) {
	if !debug || b.flat != nil {
		return
	}
	if i, _ := b.l.locate(off); i < b.n {
		if ch := b.at(i); ch != nil && b.shared(ch) {
			misuse("Buffer."+call, "write into a chunk a view still shares")
		}
	}
}

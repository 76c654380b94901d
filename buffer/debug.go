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

// checkOpen reports, in debug builds, a call on a closed buffer under the
// name of the call, for methods whose error comes from a method they share
// with others (WriteString's and WriteByte's from Write's, ReadByte's from
// Read's).
func (b *Buffer) checkOpen(call string) {
	if debug && b.closed {
		errClosed(call)
	}
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

// checkTail reports, in debug builds, a write of n bytes that the fast path
// (Write, WriteString, WriteByte) would take while the tail is not where the
// invariant of Buffer.room puts it: 0 < n <= room <= len(win) and
// pos == size == winOff+len(win)-room.
func (b *Buffer) checkTail(call string, n int) {
	if !debug || uint(n-1) >= uint(b.room) {
		return
	}
	if b.room > len(b.win) || b.pos != b.size || b.pos != b.winOff+int64(len(b.win)-b.room) {
		misuse("Buffer."+call, "tail outside the window: the invariant of room is broken")
	}
}

// checkAhead reports, in debug builds, a Read whose fast path would copy
// from the window while ahead is not what the invariant of Buffer.ahead
// allows: winOff <= pos < pos+ahead <= min(size, winOff+len(win)), and
// aheadAll reports pos+ahead == size.
func (b *Buffer) checkAhead(call string) {
	if !debug || b.ahead == 0 {
		return
	}
	if b.ahead < 0 || b.pos < b.winOff || b.pos+int64(b.ahead) > min(b.size, b.winOff+int64(len(b.win))) ||
		b.aheadAll != (b.pos+int64(b.ahead) == b.size) {
		misuse("Buffer."+call, "ahead outside the window: the invariant of ahead is broken")
	}
}

// checkPlain reports, in debug builds, a buffer that the fast path of call
// (Pool.Put or Buffer.Reset) takes as plain while it is not in the state
// Buffer.plain describes: a change to one of its fields did not clear plain.
func (b *Buffer) checkPlain(call string) {
	if !debug {
		return
	}
	if b.closed || !b.bare() || !b.windowKept() ||
		b.head[0] == nil || len(b.win) != b.head[0].Size() || &b.win[0] != &b.head[0].Bytes()[0] {
		misuse(call, "plain buffer not in the state it implies: the invariant of plain is broken")
	}
}

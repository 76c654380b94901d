package buffer

// Requeue puts b, which Put gave back to p, into p's sync.Pool once more,
// for tests that take b back (getBack) when the pool dropped it, as the
// race detector's sync.Pool does with a quarter of the puts on purpose. Should
// the pool still hold b, for another processor, it then holds it twice,
// which a test that takes b back once and puts it back at its end does not
// notice.
func Requeue(p *Pool, b *Buffer) {
	if b.pooled {
		p.bufs.Put(b)
	}
}

// DropContent empties b as Truncate(0) did before it emptied as Reset does:
// every chunk goes back to the pool, and no size is counted for the pool's
// calibration, for tests that start each cycle of a buffer's reuse from no
// chunk without a use of their own.
func DropContent(b *Buffer) {
	b.lastRead, b.ahead = opInvalid, 0
	b.size = 0
	b.trim(0)
}

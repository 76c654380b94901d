package pool

// Chunks out.
//
// Counting the chunks out exactly would take a shared write on every Get and
// Release. The pool counts instead the chunks it made and has neither
// dropped nor seen freed: those change only when Get allocates a chunk, when
// put drops one and when the garbage collector frees one, all of them slow
// paths. That count is the chunks out plus the chunks waiting in the
// sync.Pools (plus chunks sync.Pool let go whose cleanup has not run yet).
// Its peak can only be reached when Get allocates, and Get allocates a chunk
// of a class only when the class's sync.Pool had none to give (but see
// [Stats].PeakChunksOut), so at that moment it is the chunks out plus what
// the other classes hold for reuse.

import "sync/atomic"

// outstanding counts the chunks of a pool that are alive and not dropped, and
// the peak of that count. It has cache lines of its own: Get writes it on a
// miss, and the Pool fields next to it are read on every Get.
type outstanding struct {
	_                     [64]byte
	chunks, bytes         atomic.Int64
	peakChunks, peakBytes atomic.Int64
	_                     [32]byte
}

// made counts a chunk of size bytes that Get just allocated.
func (o *outstanding) made(size int64) {
	raiseTo(&o.peakChunks, o.chunks.Add(1))
	raiseTo(&o.peakBytes, o.bytes.Add(size))
}

// gone uncounts a chunk of size bytes that the pool dropped or the garbage
// collector freed.
func (o *outstanding) gone(size int64) {
	o.chunks.Add(-1)
	o.bytes.Add(-size)
}

// raiseTo sets m to v if v is larger.
func raiseTo(m *atomic.Int64, v int64) {
	for old := m.Load(); v > old && !m.CompareAndSwap(old, v); old = m.Load() {
	}
}

package bench

import (
	"bytes"
	"io"
	"math"
	"sync"

	"github.com/valyala/bytebufferpool"
)

// This file holds the peers as their competent users run them, and the
// sinks the workloads write to.

// bufferPool is a sync.Pool of *bytes.Buffer, the standard pooled peer.
type bufferPool struct {
	sp  sync.Pool
	max int // the largest capacity put back: PoolCap, or any (ImplBufferPoolNoCap)
}

// newBufferPool returns the pool of ImplBufferPool, or of
// ImplBufferPoolNoCap when nocap is set.
func newBufferPool(nocap bool) *bufferPool {
	p := &bufferPool{max: PoolCap}
	if nocap {
		p.max = math.MaxInt
	}
	p.sp.New = func() any { return new(bytes.Buffer) }
	return p
}

// get returns a buffer, which the caller empties with Reset: get, put and
// Reset inline where the leaves call them, as bytesio's Get and Put do
// (TestPeersInline), and get with the Reset in it would not.
func (p *bufferPool) get() *bytes.Buffer { return p.sp.Get().(*bytes.Buffer) }

// put gives bb back unless it grew past PoolCap, as fmt does
// (golang/go#23199): a pool must not pin rare huge buffers.
func (p *bufferPool) put(bb *bytes.Buffer) {
	if bb.Cap() <= p.max {
		p.sp.Put(bb)
	}
}

// snapshotPool is a sync.Pool of snapshot memory: the copy of a content
// that a competent user who knows when the snapshot ends reuses, as
// bytesio reuses the chunks of a released view.
type snapshotPool struct{ sp sync.Pool }

// take returns a copy of content in memory from the pool.
func (p *snapshotPool) take(content []byte) *[]byte {
	s, _ := p.sp.Get().(*[]byte)
	if s == nil {
		s = new([]byte)
	}
	*s = append((*s)[:0], content...)
	return s
}

// give puts the memory of a snapshot back.
func (p *snapshotPool) give(s *[]byte) { p.sp.Put(s) }

// bbpCalibratePuts is how many Puts of one size class make
// bytebufferpool calibrate: it does so when a class passes 42000 calls
// (calibrateCallsThreshold in its pool.go).
const bbpCalibratePuts = 42001

// warmByteBufferPool brings bp into the calibrated state a long-running
// program sees: bbpCalibratePuts Puts of buffers whose length is n, the
// length the workload's buffers have when it puts them back. Before its
// first calibration bytebufferpool hands out empty buffers and keeps
// everything; after it, Get returns buffers of the common size class and
// Put drops those above the 95th percentile's class (so from 32 MiB up,
// its largest class, every buffer is dropped, as in production).
func warmByteBufferPool(bp *bytebufferpool.Pool, n int) {
	var spare []byte
	for range bbpCalibratePuts {
		bb := bp.Get()
		if cap(bb.B) < n {
			if cap(spare) < n {
				spare = make([]byte, n)
			}
			bb.B = spare
		}
		bb.B = bb.B[:n]
		bp.Put(bb) // resets bb; kept only while cap(bb.B) is within maxSize
	}
}

// newByteBufferPool returns a bytebufferpool.Pool warmed for buffers of n
// bytes (see warmByteBufferPool).
func newByteBufferPool(n int) *bytebufferpool.Pool {
	bp := new(bytebufferpool.Pool)
	warmByteBufferPool(bp, n)
	return bp
}

// copySink is an io.Writer that consumes what it is given: it copies
// every byte into a reused buffer, from its start again whenever it is
// full, and never allocates.
type copySink struct {
	dst []byte
	off int
}

// newCopySink returns a sink copying into n bytes of allocated, written
// memory.
func newCopySink(n int64) *copySink { return &copySink{dst: prealloc(max(n, 1))} }

// newOpaqueSink returns a sink like newCopySink as an io.Writer whose
// type the compiler cannot see where it is called, as the destination of a
// hot path is (a connection, a response writer): every implementation then
// makes the same dynamic Write call. A sink seen as a *copySink would have
// its Write devirtualized and inlined into the loops of the peers that call
// it directly, while bytesio's WriteTo calls it through io.Writer.
//
//go:noinline
func newOpaqueSink(n int64) io.Writer { return newCopySink(n) }

// Write copies p into the sink; it always returns len(p), nil.
func (s *copySink) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if s.off == len(s.dst) {
			s.off = 0
		}
		k := copy(s.dst[s.off:], p)
		s.off += k
		p = p[k:]
	}
	return n, nil
}

// rewind makes the next Write start at the sink's first byte.
func (s *copySink) rewind() { s.off = 0 }

// newGrownBuffer returns a new bytes.Buffer grown to n bytes: the peer
// that knows its size up front.
func newGrownBuffer(n int64) *bytes.Buffer {
	bb := new(bytes.Buffer)
	bb.Grow(int(n))
	return bb
}

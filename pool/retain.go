package pool

// Retention accounting.
//
// A sync.Pool cannot tell how much it holds, and it lets go of its contents
// over two GC cycles: a GC moves what was put since the previous GC to a
// victim cache, and the next GC drops the victim cache. The pool therefore
// counts bytes by GC epoch. Every chunk carries a label, the epoch under which
// its bytes were last added to acct; acct keeps one slot per label still in
// the window, and a slot leaves the window (and the total) once sync.Pool can
// no longer hold anything labelled with it.
//
// Hot path: putting back a chunk already labelled with the current epoch costs
// one atomic load (of gcEpoch) and no write to shared memory. Only the first
// put of a chunk in each epoch takes p.mu, to relabel it (its bytes move from
// the old slot to the new one and the total does not change) or to label it
// afresh (which adds its bytes, or drops the chunk when that would pass the
// cap). Taking a chunk out does not subtract it: the total counts every chunk
// that entered the pool in the window, held or not.
//
// Invariants, with E = acct.seen:
//
//	acct.total == Σ acct.slot                          (at every unlock)
//	acct.total <= cap                                  (only checked adds raise it)
//	bytes retrievable from the sync.Pools <= acct.total (see window below)
//
// Window. The GC epoch advances only in the finalizer of a sentinel object
// allocated by the previous advance, so between two advances at least one GC
// starts, and each GC start empties sync.Pool's victim cache and demotes its
// primary cache. A chunk put back under label L and still retrievable at time
// t has lived through at most one GC start since, so at most two advances
// happened: L >= E-2. Hence labels E-2, E-1 and E are counted, and a label
// leaves the total when the epoch reaches L+3. (The argument assumes the put
// reaches sync.Pool.Put before two epoch advances; the window between reading
// the epoch and the Put is a few instructions long.)
//
// Consequences: the pool never holds more than MaxRetained bytes; after a
// burst, acct.total falls to what the pool can still hold within three epoch
// advances (about three GC cycles) even if no chunk is touched again, and
// sooner for chunks that the GC frees (their cleanup forgets them at once).

import (
	"runtime"
	"sync/atomic"
)

// gcEpoch counts GC cycles, lagging the real count by the delay of the
// finalizer goroutine. It starts at 1 so that label 0 means "not counted".
// It has a cache line of its own: every put reads it.
var gcEpoch struct {
	_ [64]byte
	v atomic.Uint32
	_ [60]byte
}

func init() {
	gcEpoch.v.Store(1)
	armSentinel()
}

// sentinel is a heap object whose only job is to be collected. It holds a
// pointer so that it is never tiny-allocated next to a live object.
type sentinel struct{ _ *byte }

// armSentinel allocates a fresh sentinel whose finalizer advances gcEpoch and
// arms the next one. The new sentinel is allocated after the GC that freed the
// old one, so only a GC that starts later can free it.
func armSentinel() {
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
		gcEpoch.v.Add(1)
		armSentinel()
		rearmed.Add(1)
	})
}

// rearmed counts the finalizers that have armed the next sentinel: it equals
// gcEpoch-1 once the finalizer that last advanced gcEpoch has returned. A GC
// that starts between that advance and the arming does not free the new
// sentinel and goes unnoticed (see [Stats].GCEpoch); tests that count cycles
// exactly wait for rearmed before they start the next one.
var rearmed atomic.Uint32

// retention is a pool's estimate of the bytes it holds. Guarded by Pool.mu.
type retention struct {
	seen  uint32   // the GC epoch the slots were last rolled to; labels are <= seen
	total int64    // Σ slot; an upper bound on the bytes in the sync.Pools
	slot  [4]int64 // slot[L%4]: bytes of chunks labelled L, for L in [seen-2, seen]
}

// window is the number of epochs a label is counted for.
const window = 3

// roll brings r to epoch e (>= r.seen): labels older than e-2 leave the total.
func (r *retention) roll(e uint32) {
	if e == r.seen {
		return
	}
	if e-r.seen > window {
		r.slot = [4]int64{}
		r.total = 0
	} else {
		for l := r.seen - (window - 1); l != e-(window-1); l++ {
			r.total -= r.slot[l%4]
			r.slot[l%4] = 0
		}
	}
	r.seen = e
}

// counted reports whether label l is still in r's window.
func (r *retention) counted(l uint32) bool {
	return l != 0 && r.seen-l < window
}

// admit labels m, a chunk of the given size being put back, with r.seen. It
// reports false, leaving m unlabelled, when counting its bytes would pass
// limit.
func (r *retention) admit(m *meta, size, limit int64) bool {
	if r.counted(m.label) {
		r.slot[m.label%4] -= size
		r.slot[r.seen%4] += size
		m.label = r.seen
		return true
	}
	if r.total+size > limit {
		m.label = 0
		return false
	}
	r.total += size
	r.slot[r.seen%4] += size
	m.label = r.seen
	return true
}

// forget removes the bytes of m, a chunk that is gone, from the count.
func (r *retention) forget(m *meta, size int64) {
	r.roll(max(r.seen, gcEpoch.v.Load()))
	if r.counted(m.label) {
		r.slot[m.label%4] -= size
		r.total -= size
	}
	m.label = 0
}

// admit is the slow half of put: the chunk's label is not the current epoch.
// It reports whether the chunk may go into the sync.Pool.
func (p *Pool) admit(m *meta, size int64) bool {
	p.mu.Lock()
	p.acct.roll(max(p.acct.seen, gcEpoch.v.Load()))
	ok := p.acct.admit(m, size, p.limit)
	p.mu.Unlock()
	return ok
}

// retained returns the current estimate of the bytes the pool holds.
func (p *Pool) retained() (bytes int64, epoch uint32) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.acct.roll(max(p.acct.seen, gcEpoch.v.Load()))
	return p.acct.total, p.acct.seen
}

//go:build bytesio_debug

package pool_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/bytesio-go/bytesio/pool"
)

// In debug builds a released chunk holds only Poison bytes.
func TestDebugPoison(t *testing.T) {
	p, err := pool.New(pool.Config{})
	if err != nil {
		t.Fatal(err)
	}
	c := p.Get(4096)
	b := c.Bytes()
	for i := range b {
		b[i] = byte(i)
	}
	c.Release()
	if want := bytes.Repeat([]byte{pool.Poison}, len(b)); !bytes.Equal(b, want) {
		t.Errorf("released chunk holds %x...; want only %#x", b[:8], pool.Poison)
	}
}

// handedOutAgain gets chunks of size from p until one holds the memory of
// the released chunk old, and reports whether one did within a few tries
// (sync.Pool may drop a put, and another processor's private slot may hold
// it). The others are released at the end of the test.
func handedOutAgain(t *testing.T, p *pool.Pool, size int, old *byte) (*pool.Chunk, bool) {
	t.Helper()
	for range 4 {
		c := p.Get(size)
		if &c.Bytes()[0] == old {
			return c, true
		}
		t.Cleanup(c.Release)
	}
	return nil, false
}

// mustPanic calls f and checks that it panics with a message that starts
// with prefix.
func mustPanic(t *testing.T, what, prefix string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if msg, _ := r.(string); !strings.HasPrefix(msg, prefix) {
			t.Errorf("%s: panic %v; want a panic starting with %q", what, r, prefix)
		}
	}()
	f()
}

// A Release or Retain through a hand-out that already ended panics even when
// the chunk was handed out to another holder since, as long as that
// happened fewer than 8 times (the Chunk doc), and leaves the current
// holder's reference and bytes alone.
func TestDebugStaleRelease(t *testing.T) {
	const size = 1000
	for again := range 8 { // hand-outs of the chunk after the stale holder's
		t.Run(fmt.Sprintf("again=%d", again), func(t *testing.T) {
			for try := 0; ; try++ {
				if try == 20 {
					t.Skip("the pool did not hand the chunk out again")
				}
				p, err := pool.New(pool.Config{})
				if err != nil {
					t.Fatal(err)
				}
				stale := p.Get(size)
				mem := &stale.Bytes()[0]
				stale.Release()
				var cur *pool.Chunk
				ok := true
				for i := range again {
					if cur, ok = handedOutAgain(t, p, size, mem); !ok {
						break
					}
					if i < again-1 {
						cur.Release()
					}
				}
				if !ok {
					continue
				}
				if cur != nil {
					copy(cur.Bytes(), "mine")
				}
				mustPanic(t, "stale Release", "pool.Chunk.Release: ", stale.Release)
				mustPanic(t, "stale Retain", "pool.Chunk.Retain: ", stale.Retain)
				if stale.Shared() {
					t.Error("stale handle reports Shared")
				}
				if cur == nil {
					return
				}
				if cur.Shared() || string(cur.Bytes()[:4]) != "mine" {
					t.Fatalf("after the stale calls the holder's chunk: Shared %v, bytes %q; want false, \"mine\"", cur.Shared(), cur.Bytes()[:4])
				}
				// The holder's reference is intact: the chunk is not in the
				// pool, and its own Retain and Release work.
				if c, _ := handedOutAgain(t, p, size, mem); c != nil {
					t.Fatal("Get handed out a chunk that is held")
				}
				cur.Retain()
				cur.Release()
				cur.Release()
				return
			}
		})
	}
}

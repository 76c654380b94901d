package buffer_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// cycleCase is a state that a case of TestPutCycles and TestResetCycles sets
// up in a buffer before emptying it. check, when not nil, checks after the
// emptying what the setup must keep (a view's content).
type cycleCase struct {
	name  string
	setup func(t *testing.T, b *buffer.Buffer) (check func())
}

// cycleFirst is the pool's first chunk size in the cycle tests: buffers
// keep 1 KiB chunks.
const cycleFirst = 1 << 10

// cycleCases are the states of TestPutCycles and TestResetCycles, each one a
// fast path of emptying (see Buffer.plain) must send to its full path.
var cycleCases = []cycleCase{
	{"view of the first chunk", func(t *testing.T, b *buffer.Buffer) func() {
		content := pattern(300)
		b.Write(content)
		v := b.GetValue()
		return func() {
			if !v.Equal(content) {
				t.Errorf("a view taken before Put changed after Get and writes")
			}
			v.Release()
		}
	}},
	{"content past the first chunk, window back on it", func(t *testing.T, b *buffer.Buffer) func() {
		writeIn(b, pattern(3*cycleFirst), 256) // chunks of 1 and 2 KiB
		b.Seek(0, io.SeekStart)
		var one [1]byte
		b.Read(one[:]) // the window is on the first chunk again
		b.Seek(300, io.SeekStart)
		return nil
	}},
	{"content past the first chunk, overwritten at 0", func(t *testing.T, b *buffer.Buffer) func() {
		writeIn(b, pattern(3*cycleFirst), 256)
		b.WriteAt([]byte("x"), 0)
		b.Truncate(300)
		return nil
	}},
	{"limit set", func(t *testing.T, b *buffer.Buffer) func() {
		b.SetLimit(2000) // above the first chunk, which it does not cut
		b.Write(pattern(300))
		return nil
	}},
	{"limit set after the content, nothing after it", func(t *testing.T, b *buffer.Buffer) func() {
		b.Write(pattern(300))
		b.SetLimit(2000)
		return nil
	}},
	{"spare above SmallFirstChunk", func(t *testing.T, b *buffer.Buffer) func() {
		b.Write(pattern(300))
		b.Seek(0, io.SeekEnd)
		b.Grow(2 * buffer.SmallFirstChunk) // more than the first chunk has left: a spare
		return nil
	}},
}

// cyclePool returns a pool that keeps the chunks given back, so that a
// chunk given back too early is handed out and written again.
func cyclePool(t *testing.T) *pool.Pool {
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: cycleFirst, MaxChunk: 64 << 10, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Put's promises hold on every use of a buffer, not only on its first Put:
// a buffer given back again and again with content of one size (as a hot
// path does) reaches Put's fast path, which must send every state it does
// not handle to the full path. Each case below sets up one such state in
// every cycle, then checks what Put promises after Get: a view taken before
// keeps its content, the buffer holds no chunk past the one it keeps nor a
// spare above SmallFirstChunk, it has the default limit, and content
// written next, appended and then past a gap, reads back as written. Each
// case runs twice: as is, and with a clean use before the setup in every
// cycle (content in the first chunk alone, given back and taken again), so
// that the setup starts from the state Put's fast path keeps and must leave
// it (see Buffer.plain).
func TestPutCycles(t *testing.T) {
	const first = cycleFirst
	forCycleCases(t, func(t *testing.T, tt cycleCase, clean bool) {
		p := cyclePool(t)
		bp := buffer.NewPool(p)
		b := bp.Get()
		checked := 0
		for cycle := range 3 * 64 { // past the 64 sizes a buffer tallies before reporting them
			var ok bool
			if clean {
				// 300 bytes: most cases give the buffer back
				// with as many, a size of the class Put tallies,
				// so that it takes its fast path.
				b.Write(pattern(300))
				bp.Put(b)
				if b, ok = tryGetBack(bp, b); !ok {
					b = bp.Get()
					continue
				}
			}
			check := tt.setup(t, b)
			bp.Put(b)
			other := buffer.NewWithPool(p) // takes chunks given back, and writes them
			other.Write(bytes.Repeat([]byte{0xee}, 4*first))
			if b, ok = tryGetBack(bp, b); !ok {
				// The pool dropped it (see getBack): the cycles go on
				// with a new buffer.
				if check != nil {
					check()
				}
				other.Close()
				b = bp.Get()
				continue
			}
			checked++
			if got := b.Cap(); got > first {
				t.Fatalf("cycle %d: a buffer from Get holds %d bytes of chunks; want at most the %d it keeps", cycle, got, first)
			}
			if got := b.Limit(); got != buffer.DefaultLimit {
				t.Fatalf("cycle %d: Limit after Get %d; want DefaultLimit", cycle, got)
			}
			checkReuse(t, b, cycle, "Get", check)
			other.Close()
			// Empty the buffer for the next cycle without Reset or
			// Truncate(0), which would tally a size of their own and
			// keep Put off its fast path.
			buffer.DropContent(b)
			b.Seek(0, io.SeekStart)
		}
		bp.Put(b)
		if checked < 3*64/2 {
			t.Skipf("the pool handed the buffer back in %d of %d cycles", checked, 3*64)
		}
	})
}

// Reset's promises hold on every use of a buffer, as Put's do (see
// TestPutCycles): a buffer emptied again and again with content of one size
// in its first chunk reaches Reset's fast path, which must send every state
// it does not handle to the full path. After each case's setup and Reset,
// the buffer is empty at position 0 with the limit it had, holds no chunk
// past the one it keeps (at most the largest the content took, 2 KiB), a
// view taken before keeps its content, and content written next reads back
// as written while another buffer of the pool writes the chunks given back.
// Each case runs as is and after a clean use in every cycle (content in the
// first chunk alone, then Reset: the fast path's state). Reset runs twice,
// with a write between: the second finds the state the first left, as it
// marked it (plain or not), which bytesio_debug builds check on the fast
// path.
func TestResetCycles(t *testing.T) {
	forCycleCases(t, func(t *testing.T, tt cycleCase, clean bool) {
		p := cyclePool(t)
		b := buffer.NewWithPool(p)
		defer b.Close()
		for cycle := range 3 * 64 { // past the 64 sizes a buffer tallies before reporting them
			if clean {
				b.Write(pattern(300))
				b.Reset()
			}
			check := tt.setup(t, b)
			limit := b.Limit()
			b.Reset()
			// Again, with content in the chunk kept: a Reset on the
			// state the first left, as it marked it (plain or not).
			b.Write(pattern(300))
			b.Reset()
			other := buffer.NewWithPool(p) // takes chunks given back, and writes them
			other.Write(bytes.Repeat([]byte{0xee}, 4*cycleFirst))
			if b.Size() != 0 || b.Pos() != 0 {
				t.Fatalf("cycle %d: after Reset size %d, position %d; want 0, 0", cycle, b.Size(), b.Pos())
			}
			if got := b.Limit(); got != limit {
				t.Fatalf("cycle %d: Limit after Reset %d; want %d, as before", cycle, got, limit)
			}
			if got := b.Cap(); got > 2*cycleFirst {
				t.Fatalf("cycle %d: after Reset the buffer holds %d bytes of chunks; want at most the %d of the one it keeps", cycle, got, 2*cycleFirst)
			}
			checkReuse(t, b, cycle, "Reset", check)
			other.Close()
			// Empty the buffer for the next cycle's setup without
			// Reset or Truncate(0), which would tally a size of their
			// own, and from no chunk, as each cycle sets its state up.
			buffer.DropContent(b)
			b.Seek(0, io.SeekStart)
			b.SetLimit(buffer.DefaultLimit)
		}
	})
}

// checkReuse checks a buffer emptied by call (Get after Put, or Reset) in
// cycle: content written next, appended at 0 into the kept chunk and then
// past a gap, reads back as written; then check, when not nil, checks what
// the case's setup must keep.
func checkReuse(t *testing.T, b *buffer.Buffer, cycle int, call string, check func()) {
	t.Helper()
	b.Write([]byte("head"))
	b.Seek(100, io.SeekStart)
	b.Write([]byte("after"))
	want := append(append([]byte("head"), make([]byte, 96)...), "after"...)
	if got := b.String(); got != string(want) {
		t.Fatalf("cycle %d: content after %s and a write past a gap %q; want %q", cycle, call, got, want)
	}
	if check != nil {
		check()
	}
}

// forCycleCases runs run on every case of cycleCases, as is and after a
// clean use (clean), each as a subtest.
func forCycleCases(t *testing.T, run func(t *testing.T, tt cycleCase, clean bool)) {
	for _, tt := range cycleCases {
		for _, clean := range []bool{false, true} {
			name := tt.name
			if clean {
				name += ", after a clean use"
			}
			t.Run(name, func(t *testing.T) { run(t, tt, clean) })
		}
	}
}

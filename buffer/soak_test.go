package buffer_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// soakWorkers is the number of goroutines TestSoak runs.
const soakWorkers = 4

// soakOps returns the number of operations TestSoak runs in all: the
// BYTESIO_SOAK_OPS environment variable (1000000 for a full soak), else
// 200000, or 20000 under the race detector.
func soakOps(t *testing.T) int {
	t.Helper()
	if s := os.Getenv("BYTESIO_SOAK_OPS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < soakWorkers {
			t.Fatalf("BYTESIO_SOAK_OPS=%q: want a number of operations >= %d", s, soakWorkers)
		}
		return n
	}
	if raceEnabled {
		return 20_000
	}
	return 200_000
}

// TestSoak runs random operations on buffers and views from 4 goroutines at
// once, all on one pool of small chunks (64, 128, 256, 256, ... bytes, so
// that content crosses chunk boundaries all the time and chunks move
// between the goroutines' buffers through the pool). Each goroutine checks
// its buffers against the model and its views against their snapshots.
//
// At the end, once everything is closed and released, every chunk handed
// out must have been given back exactly once, and the heap in use after two
// GCs must be back within 10% (plus 1 MiB) of where it started.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test; skipped with -short")
	}
	total := soakOps(t)
	p := newSmallPool(t)

	runtime.GC()
	runtime.GC()
	before := heapInUse()
	start := time.Now()

	errs := make([]error, soakWorkers)
	var wg sync.WaitGroup
	for w := range soakWorkers {
		n := total / soakWorkers
		if w == 0 {
			n += total % soakWorkers
		}
		wg.Go(func() { errs[w] = soakWorker(p, uint64(w), n) })
	}
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Errorf("worker %d: %v", w, err)
		}
	}
	if t.Failed() {
		return
	}
	t.Logf("%d operations on %d goroutines in %v", total, soakWorkers, time.Since(start).Round(time.Millisecond))

	// Every chunk the pool handed out came back once: once the garbage
	// collector has freed them all (which flushes the per-chunk tallies),
	// Gets == Puts + Drops exactly (see pool.Stats).
	s := p.Stats()
	if s.ViewsOutstanding != 0 {
		t.Errorf("pool reports %d views outstanding after every view was released", s.ViewsOutstanding)
	}
	if s.Copies == 0 {
		t.Errorf("no copy-on-write copy in %d operations: the views did not share chunks with writes", total)
	}
	for i := 0; s.Freed != s.Misses || s.Gets != s.Puts+s.Drops; i++ {
		if i == 1000 {
			t.Fatalf("after 1000 GCs: gets %d, puts %d + drops %d, misses %d, freed %d; want gets == puts + drops and freed == misses",
				s.Gets, s.Puts, s.Drops, s.Misses, s.Freed)
		}
		runtime.GC()
		if i >= 10 {
			time.Sleep(time.Millisecond) // let the chunk cleanups run
		} else {
			runtime.Gosched()
		}
		s = p.Stats()
	}

	// Heap in use counts whole spans: besides what the soak leaves behind
	// it holds what the runtime and the testing package keep from the run
	// (sync.Pool per-P arrays, cleanup and finalizer queues, test output)
	// and spans kept in use by one surviving object among freed ones. The
	// 1 MiB of slack covers those; a leak of the soak's memory (the pool
	// hands out some 27 MiB of chunks per 200000 operations, and models,
	// snapshots and copies come besides) would be far larger.
	runtime.GC()
	runtime.GC()
	after := heapInUse()
	t.Logf("heap in use: %d KiB before, %d KiB after; pool: %d gets (%d KiB), %d misses, %d copies",
		before>>10, after>>10, s.Gets, s.BytesHandedOut>>10, s.Misses, s.Copies)
	if limit := before + before/10 + 1<<20; after > limit {
		t.Errorf("heap in use %d KiB after the soak; want at most %d KiB (%d KiB before, +10%%, +1 MiB)", after>>10, limit>>10, before>>10)
	}
}

func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// soakSlot is one buffer of a soak worker, its model and its views.
type soakSlot struct {
	b     *buffer.Buffer
	m     *model
	views []liveView
}

// soakWorker runs n random operations on 3 buffers bound to p and returns
// the first mismatch with the model.
func soakWorker(p *pool.Pool, seed uint64, n int) (err error) {
	rng := rand.New(rand.NewPCG(seed, 0x50a4))
	var slots [3]soakSlot
	for i := range slots {
		slots[i] = soakSlot{b: buffer.NewWithPool(p), m: newModel()}
	}
	defer func() {
		for i := range slots {
			for _, lv := range slots[i].views {
				if !lv.v.Equal(lv.want) && err == nil {
					err = fmt.Errorf("slot %d: a view changed before its release", i)
				}
				lv.v.Release()
			}
			slots[i].b.Close()
		}
	}()
	var dataSeed int64
	data := func(n int) []byte {
		dataSeed++
		return vecGen(int64(n), dataSeed<<8|int64(seed))
	}
	size := func() int {
		if rng.IntN(2) == 0 {
			return fuzzSizes[rng.IntN(len(fuzzSizes))]
		}
		return rng.IntN(3000)
	}
	target := func(m *model) int64 {
		switch rng.IntN(4) {
		case 0:
			return fuzzBoundaries[rng.IntN(len(fuzzBoundaries))] + int64(rng.IntN(5)) - 2
		case 1:
			return m.size() + int64(rng.IntN(600))
		default:
			return rng.Int64N(m.size() + 1)
		}
	}

	for step := range n {
		sl := &slots[rng.IntN(len(slots))]
		b, m := sl.b, sl.m
		var desc string
		fail := func(format string, args ...any) error {
			return fmt.Errorf("step %d %s (pos %d, size %d): %s", step, desc, m.pos, m.size(), fmt.Sprintf(format, args...))
		}
		switch op := rng.IntN(20); op {
		case 0, 1, 2: // Write, WriteString, WriteByte
			q := data(size())
			if op == 2 {
				q = q[:min(1, len(q))]
			}
			desc = fmt.Sprintf("write%d(%d bytes)", op, len(q))
			var got int
			var err error
			switch {
			case op == 1:
				got, err = b.WriteString(string(q))
			case op == 2 && len(q) == 1:
				if err = b.WriteByte(q[0]); err == nil {
					got = 1
				}
			default:
				got, err = b.Write(q)
			}
			want, wantErr := m.write(q)
			if got != want || !errors.Is(err, wantErr) {
				return fail("got (%d, %v); want (%d, %v)", got, err, want, wantErr)
			}

		case 3: // WriteAt
			q, off := data(size()), target(m)
			desc = fmt.Sprintf("WriteAt(%d bytes, %d)", len(q), off)
			got, err := b.WriteAt(q, off)
			want, wantErr := m.writeAt(q, off)
			if got != want || !errors.Is(err, wantErr) {
				return fail("got (%d, %v); want (%d, %v)", got, err, want, wantErr)
			}

		case 4, 5: // Read
			q := make([]byte, size())
			desc = fmt.Sprintf("Read(%d)", len(q))
			got, err := b.Read(q)
			want := int(min(int64(len(q)), m.avail()))
			var wantErr error
			if m.avail() == 0 {
				wantErr = io.EOF
			}
			if got != want || err != wantErr || !bytes.Equal(q[:got], m.data[min(m.pos, m.size()):][:want]) {
				return fail("got (%d, %v); want (%d, %v) and the content", got, err, want, wantErr)
			}
			m.pos += int64(got)

		case 6: // ReadAt
			q, off := make([]byte, size()), target(m)
			desc = fmt.Sprintf("ReadAt(%d, %d)", len(q), off)
			got, err := b.ReadAt(q, off)
			w := make([]byte, len(q))
			want, wantErr := m.readAt(w, off)
			if len(q) == 0 && err == io.EOF {
				wantErr = io.EOF // io.ReaderAt allows either at the end
			}
			if got != want || err != wantErr || !bytes.Equal(q[:got], w[:want]) {
				return fail("got (%d, %v); want (%d, %v) and the content", got, err, want, wantErr)
			}

		case 7: // ReadByte, UnreadByte
			desc = "ReadByte+UnreadByte"
			c, err := b.ReadByte()
			if m.avail() == 0 {
				if err != io.EOF {
					return fail("ReadByte at the end: got %v; want io.EOF", err)
				}
				break
			}
			if err != nil || c != m.data[m.pos] {
				return fail("ReadByte: got (%#x, %v); want (%#x, nil)", c, err, m.data[m.pos])
			}
			m.pos++
			if rng.IntN(2) == 0 {
				if err := b.UnreadByte(); err != nil {
					return fail("UnreadByte: got %v; want nil", err)
				}
				m.pos--
			}

		case 8: // Seek
			whence := rng.IntN(3)
			off := target(m) - []int64{0, m.pos, m.size()}[whence]
			if rng.IntN(8) == 0 {
				off = -m.pos - 1 // negative result for SeekCurrent
			}
			desc = fmt.Sprintf("Seek(%d, %d)", off, whence)
			got, err := b.Seek(off, whence)
			want, wantErr := m.seek(off, whence)
			if !errors.Is(err, wantErr) || wantErr == nil && got != want {
				return fail("got (%d, %v); want (%d, %v)", got, err, want, wantErr)
			}

		case 9: // Truncate
			k := rng.Int64N(m.size() + 2)
			desc = fmt.Sprintf("Truncate(%d)", k)
			if err := b.Truncate(k); err != nil {
				return fail("got %v; want nil", err)
			}
			m.truncate(k)

		case 10: // ReadFrom
			src := data(size())
			var r io.Reader = bytes.NewReader(src)
			switch rng.IntN(4) {
			case 1:
				r = iotest.HalfReader(r)
			case 2:
				r = iotest.DataErrReader(r)
			case 3:
				r = &scribbler{iotest.OneByteReader(r)}
			}
			desc = fmt.Sprintf("ReadFrom(%d bytes)", len(src))
			got, err := b.ReadFrom(r)
			if int64(len(src)) > m.limit-m.pos && len(src) > 0 {
				if !errors.Is(err, buffer.ErrTooLarge) || got < 0 || got > max(0, m.limit-m.pos) {
					return fail("got (%d, %v); want (0..%d, ErrTooLarge)", got, err, max(0, m.limit-m.pos))
				}
			} else if got != int64(len(src)) || err != nil {
				return fail("got (%d, %v); want (%d, nil)", got, err, len(src))
			}
			m.write(src[:got])

		case 11: // WriteTo
			desc = "WriteTo"
			var w bytes.Buffer
			got, err := b.WriteTo(&w)
			want := m.data[min(m.pos, m.size()):]
			if got != int64(len(want)) || err != nil || !bytes.Equal(w.Bytes(), want) {
				return fail("got (%d, %v); want (%d, nil) and the content", got, err, len(want))
			}
			m.pos += got

		case 12, 13: // GetValue
			desc = "GetValue"
			if len(sl.views) >= 4 {
				if err := soakRelease(sl, 0, rng); err != nil {
					return fail("%v", err)
				}
			}
			sl.views = append(sl.views, liveView{b.GetValue(), bytes.Clone(m.data)})

		case 14: // Release a view, after reading it one way or another
			desc = "Release"
			if len(sl.views) > 0 {
				if err := soakRelease(sl, rng.IntN(len(sl.views)), rng); err != nil {
					return fail("%v", err)
				}
			}

		case 15: // SetLimit
			lim := []int64{buffer.DefaultLimit, buffer.DefaultLimit, 100, 1000, 5000, m.size() + 10}[rng.IntN(6)]
			desc = fmt.Sprintf("SetLimit(%d)", lim)
			b.SetLimit(lim)
			m.limit = lim

		case 16: // Next, Peek
			k := size()
			desc = fmt.Sprintf("Peek+Next(%d)", k)
			want := m.data[min(m.pos, m.size()):]
			want = want[:min(len(want), k)]
			pk, _ := b.Peek(k)
			if !bytes.Equal(pk, want) {
				return fail("Peek: got %d bytes; want %d and the content", len(pk), len(want))
			}
			if got := b.Next(k); !bytes.Equal(got, want) {
				return fail("Next: got %d bytes; want %d and the content", len(got), len(want))
			}
			m.pos += int64(len(want))

		case 17: // Reset
			desc = "Reset"
			b.Reset()
			m.data, m.pos = nil, 0

		case 18: // Close, then a new buffer in the slot; the views stay
			if rng.IntN(4) != 0 {
				desc = "no-op"
				break
			}
			desc = "Close"
			if err := b.Close(); err != nil {
				return fail("got %v; want nil", err)
			}
			sl.b, sl.m = buffer.NewWithPool(p), newModel()
			b, m = sl.b, sl.m

		default: // Lines from the position, three at most
			desc = "Lines"
			rest := m.data[min(m.pos, m.size()):]
			var got []byte
			lines := 0
			for line := range b.Lines() {
				if i := bytes.IndexByte(line, '\n'); i != len(line)-1 && (i >= 0 || len(got)+len(line) != len(rest)) {
					return fail("line %d of %d bytes ends at byte %d", lines, len(line), i)
				}
				got = append(got, line...)
				if lines++; lines == 3 {
					break
				}
			}
			if lines < 3 && len(got) != len(rest) || !bytes.Equal(got, rest[:min(len(got), len(rest))]) || len(got) > len(rest) {
				return fail("got %d bytes in %d lines; want %d bytes of the content", len(got), lines, len(rest))
			}
			m.pos += int64(len(got))
		}

		if got := b.Pos(); got != m.pos {
			return fail("then Pos() = %d; want %d", got, m.pos)
		}
		if got := b.Size(); got != m.size() {
			return fail("then Size() = %d; want %d", got, m.size())
		}
		if got := int64(b.Len()); got != m.avail() {
			return fail("then Len() = %d; want %d", got, m.avail())
		}
		if step%16 == 15 {
			q := make([]byte, m.size())
			if k, _ := b.ReadAt(q, 0); k != len(q) || !bytes.Equal(q, m.data) {
				return fail("then the content differs from the model")
			}
			for i, lv := range sl.views {
				if !lv.v.Equal(lv.want) {
					return fail("then view %d differs from its snapshot", i)
				}
			}
		}
		// Keep the content small: content far past a few hundred KiB only
		// slows the checks.
		if m.size() > 256<<10 {
			b.Truncate(64 << 10)
			m.truncate(64 << 10)
		}
	}
	return nil
}

// soakRelease checks view i of sl through one of its readers and releases
// it.
func soakRelease(sl *soakSlot, i int, rng *rand.Rand) error {
	lv := sl.views[i]
	sl.views = append(sl.views[:i], sl.views[i+1:]...)
	defer lv.v.Release()
	var got []byte
	switch rng.IntN(4) {
	case 0:
		got = lv.v.AppendTo(nil)
	case 1:
		var w bytes.Buffer
		lv.v.WriteTo(&w)
		got = w.Bytes()
	case 2:
		got, _ = io.ReadAll(lv.v.NewReader())
	default:
		for c := range lv.v.Chunks() {
			got = append(got, c...)
		}
	}
	if !bytes.Equal(got, lv.want) {
		return fmt.Errorf("view of %d bytes read back %d bytes, or other bytes", len(lv.want), len(got))
	}
	return nil
}

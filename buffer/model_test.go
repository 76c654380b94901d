package buffer_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// model is the reference for Buffer: the contract's semantics on a plain
// []byte, written for clarity rather than speed. The ops runner uses
// sparseModel instead, which also holds content at far offsets.
type model struct {
	data  []byte
	pos   int64
	limit int64
}

func newModel() *model { return &model{limit: buffer.DefaultLimit} }

func (m *model) size() int64 { return int64(len(m.data)) }

func (m *model) avail() int64 { return max(0, m.size()-m.pos) }

// writeAt writes p at off >= 0: zeros fill any gap, nothing changes for an
// empty p, and ErrTooLarge refuses a result past the limit.
func (m *model) writeAt(p []byte, off int64) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if off > m.limit-int64(len(p)) {
		return 0, buffer.ErrTooLarge
	}
	end := off + int64(len(p))
	if end > m.size() {
		m.data = append(m.data, make([]byte, end-m.size())...)
	}
	copy(m.data[off:], p)
	return len(p), nil
}

func (m *model) write(p []byte) (int, error) {
	n, err := m.writeAt(p, m.pos)
	m.pos += int64(n)
	return n, err
}

// readAt copies from off like io.ReaderAt.
func (m *model) readAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, buffer.ErrNegativeOffset
	}
	n := 0
	if off < m.size() {
		n = copy(p, m.data[off:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (m *model) seek(off int64, whence int) (int64, error) {
	pos, err := modelSeek(off, whence, m.pos, m.size())
	if err == nil {
		m.pos = pos
	}
	return pos, err
}

// modelSeek is the models' Seek: the position that off and whence give
// from pos in content of size bytes, or the error the buffer must return.
func modelSeek(off int64, whence int, pos, size int64) (int64, error) {
	var base int64
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		base = pos
	case io.SeekEnd:
		base = size
	default:
		return 0, buffer.ErrInvalidWhence
	}
	if off > 0 && base > math.MaxInt64-off {
		return 0, buffer.ErrOverflow
	}
	if base+off < 0 {
		return 0, buffer.ErrNegativeOffset
	}
	return base + off, nil
}

func (m *model) truncate(n int64) error {
	if n < 0 {
		return buffer.ErrNegativeSize
	}
	if n < m.size() {
		m.data = m.data[:n]
	}
	return nil
}

// Chunk-boundary-interesting sizes: both sides of the boundaries of the
// small pool (chunks of 64, 128, 256, 256, ...) and of the default one (first
// chunk 1 KiB).
var fuzzSizes = []int{
	0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 63, 64, 65, 127, 128, 129, 191, 192, 193,
	255, 256, 257, 383, 384, 385, 447, 448, 449, 511, 512, 513, 703, 704, 705,
	959, 960, 961, 1023, 1024, 1025, 2047, 2048, 2049, 3071, 3072, 3073, 4096,
}

// Offsets where a chunk starts with the small pool, computed in
// boundariesFor; set up by newSmallPool.
var fuzzBoundaries []int64

// newSmallPool returns a pool whose buffers use chunks of 64, 128 and then
// 256 bytes, so that small contents cross many chunk boundaries.
func newSmallPool(tb testing.TB) *pool.Pool {
	tb.Helper()
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 256, NoCalibration: true})
	if err != nil {
		tb.Fatal(err)
	}
	if first, max := p.Layout(); first != 64 || max != 256 {
		tb.Fatalf("small pool Layout() = %d, %d; want 64, 256", first, max)
	}
	if fuzzBoundaries == nil {
		fuzzBoundaries = boundariesFor(p, 8<<10)
	}
	return p
}

// opDecoder turns fuzz bytes into operation arguments; past the end of the
// script every byte reads as 0.
type opDecoder struct {
	script []byte
	i      int
	seed   int64 // of the last data

	far     bool // targetAt may return far offsets
	farUsed int  // far offsets returned so far

	bounds []int64 // offsets where chunks start; nil means fuzzBoundaries
}

// boundary returns an offset where a chunk starts: d.bounds[i], or
// fuzzBoundaries[i] without them, i taken modulo their count.
func (d *opDecoder) boundary(i int) int64 {
	bs := d.bounds
	if bs == nil {
		bs = fuzzBoundaries
	}
	return bs[i%len(bs)]
}

func (d *opDecoder) more() bool { return d.i < len(d.script) }

func (d *opDecoder) byte() byte {
	if d.i >= len(d.script) {
		return 0
	}
	c := d.script[d.i]
	d.i++
	return c
}

func (d *opDecoder) u16() int { return int(d.byte())<<8 | int(d.byte()) }

// size returns a length for a write or read: small, chunk-boundary
// interesting, or up to about 5000.
func (d *opDecoder) size() int {
	switch c := d.byte(); {
	case c < 0x80:
		return int(c)
	case c < 0xe0:
		return fuzzSizes[int(c-0x80)%len(fuzzSizes)]
	default:
		return d.u16() % 5000
	}
}

// target returns an offset chosen around the state of m: near the end,
// within the content, at a chunk boundary, far past the end (at most a few
// hundred KiB), huge, or negative.
func (d *opDecoder) target(m *model) int64 { return d.targetAt(m.size(), m.pos) }

// targetAt is target for content of the given size and position. When d.far
// is set, it also returns far offsets (up to 1<<39, see farTarget).
func (d *opDecoder) targetAt(size, pos int64) int64 {
	c := d.byte()
	k := int64(c & 31)
	switch c >> 5 {
	case 0:
		return size - k
	case 1:
		return size + k
	case 2:
		return int64(fuzzSizes[int(k)%len(fuzzSizes)])
	case 3:
		return int64(d.u16()) % (size + 1)
	case 4:
		return pos + k - 16
	case 5:
		return 4096*(k+1) + int64(d.byte()) // up to about 132 KiB
	case 6:
		switch k % 4 {
		case 0:
			return math.MaxInt64 - k/4
		case 1:
			return 1<<40 + k
		case 3:
			if d.far {
				return d.farTarget(size, k)
			}
		}
		return -1 - k/4
	default:
		return d.boundary(int(k)) + int64(d.byte()%5) - 2
	}
}

// farMax is how many far offsets one script may use: each write there takes
// a chunk of the pool's largest size, so this bounds a script's memory.
const farMax = 16

// farTarget returns an offset far out (up to 1<<39, on 64-bit platforms
// only; elsewhere, and past farMax of them, one past any limit).
func (d *opDecoder) farTarget(size, k int64) int64 {
	c := d.byte()
	if !is64 || d.farUsed >= farMax {
		return 1<<40 + k
	}
	d.farUsed++
	switch c % 4 {
	case 0:
		return 1<<39 - int64(c>>2)
	case 1:
		return int64(d.u16()) << 23 // up to 1<<39
	case 2:
		return size + int64(d.u16())<<20 // a gap of up to 64 GiB
	default:
		return 1<<32 + int64(c>>2) - 32 // around DefaultLimit
	}
}

// data returns n non-zero bytes that differ from one call to the next.
func (d *opDecoder) data(n int) []byte {
	d.seed++
	return vecGen(int64(n), d.seed)
}

// unreadState is what the model knows about a following UnreadByte.
type unreadState int8

// The rule (see the package doc): UnreadByte undoes the last read that
// returned at least one byte, and UnreadRune the last ReadRune, if no call
// that can move the position or change the content came after it, successful
// or not. Calls that can do neither (GetValue, ReadAt, Peek, String, Len,
// Size, Pos, Cap, Limit, SetLimit, Available, AvailableBuffer, Grow, view
// reads) leave the state as it was. The model knows the state exactly.
const (
	unreadInvalid unreadState = iota // must fail with ErrInvalidUnread
	unreadValid                      // must succeed: the last read returned >= 1 byte
)

// liveView is a View with the content it must keep.
type liveView struct {
	v    buffer.View
	want []byte
}

// opsView is a View with a snapshot of the content it must keep.
type opsView struct {
	v     buffer.View
	want  *sparseModel
	whole []byte // the content of want, when it is dense
}

func newOpsView(v buffer.View, m *sparseModel) opsView {
	lv := opsView{v: v, want: m.snapshot()}
	if m.dense() {
		lv.whole = m.all()
	}
	return lv
}

// opsPools holds one buffer.Pool per chunk pool, so that buffers given back
// in one script may come out of Get in the next.
var opsPools sync.Map // *pool.Pool -> *buffer.Pool

// poolMax returns the largest chunk size of p.
func poolMax(p *pool.Pool) int64 {
	if c := p.Config().MaxChunk; c > 0 {
		return int64(c)
	}
	return pool.DefaultMaxChunk
}

// opsRunner applies a script to a Buffer and a model side by side.
type opsRunner struct {
	t        *testing.T
	p        *pool.Pool   // the chunk pool of the script
	bp       *buffer.Pool // buffers on p, for Put then Get
	maxChunk int64        // the largest chunk of the buffer's pool
	b        *buffer.Buffer
	m        *sparseModel
	d        opDecoder
	step     int
	desc     string // the current op, for failure messages
	unread   unreadState
	runeSize int    // what a following UnreadRune undoes; 0: it must fail
	grow     int    // room that the next AvailableBuffer must have (Grow)
	init     []byte // argument of NewBytes, which must stay unchanged
	orig     []byte
	views    []opsView
	dead     []opsView // released views (or copies of them)

	// Another buffer on the same pool, with a never-written gap: no slice
	// lent by b may ever reach its content.
	other     *buffer.Buffer
	otherWant []byte
}

func (r *opsRunner) fatalf(format string, args ...any) {
	r.t.Helper()
	r.t.Fatalf("step %d %s: %s", r.step, r.desc, fmt.Sprintf(format, args...))
}

// checkErr reports a mismatch of err with want (compared with errors.Is, or
// == for nil and io.EOF).
func (r *opsRunner) checkErr(what string, err, want error) {
	r.t.Helper()
	if what != "" {
		what += ": "
	}
	if want == nil || want == io.EOF {
		if err != want {
			r.fatalf("%sgot error %v; want %v", what, err, want)
		}
		return
	}
	if !errors.Is(err, want) {
		r.fatalf("%sgot error %v; want %v", what, err, want)
	}
}

// runOps runs one script on a buffer bound to p (or built another way, as the
// first byte says) and on a model, comparing them after every step.
func runOps(t *testing.T, p *pool.Pool, script []byte) { runOpsAt(t, p, script, nil) }

// runOpsAt is runOps with the offsets where p's chunks start (see
// opDecoder.bounds), for a pool whose boundaries are not the small pool's.
func runOpsAt(t *testing.T, p *pool.Pool, script []byte, bounds []int64) {
	bp, ok := opsPools.Load(p)
	if !ok {
		bp, _ = opsPools.LoadOrStore(p, buffer.NewPool(p))
	}
	r := &opsRunner{
		t: t, p: p, bp: bp.(*buffer.Pool), maxChunk: poolMax(p),
		m: newSparseModel(), d: opDecoder{script: script, far: true, bounds: bounds},
	}
	switch mode := r.d.byte() % 8; mode {
	case 6:
		r.init = vecGen(int64(r.d.size()), -1)
		r.orig = bytes.Clone(r.init)
		r.b = buffer.NewBytes(r.init)
		r.m.writeAt(r.init, 0)
		r.maxChunk = poolMax(pool.Default)
	case 7:
		r.b = new(buffer.Buffer)
		r.maxChunk = poolMax(pool.Default)
	default:
		r.b = buffer.NewWithPool(p)
	}
	r.other = buffer.NewWithPool(p)
	r.otherWant = make([]byte, 3150)
	copy(r.otherWant, vecGen(100, -2))
	copy(r.otherWant[3100:], vecGen(50, -3))
	r.other.WriteAt(r.otherWant[:100], 0)
	r.other.WriteAt(r.otherWant[3100:], 3100)
	defer func() {
		for _, lv := range r.views {
			lv.v.Release()
		}
		r.b.Close()
		r.other.Close()
	}()
	r.desc = "new"
	r.check()
	trace := os.Getenv("BUFFER_OPS_TRACE") != ""
	// A script that hangs crashes the process, so that the fuzzer keeps it.
	stuck := time.AfterFunc(time.Minute, func() {
		panic(fmt.Sprintf("runOps: script %x took over a minute", script))
	})
	defer stuck.Stop()
	for r.step = 1; r.d.more() && r.step <= 400; r.step++ {
		r.doOp()
		if trace {
			t.Logf("step %d %s: pos %d, size %d, unread %d/%d", r.step, r.desc, r.m.pos, r.m.size(), r.unread, r.runeSize)
		}
		r.check()
	}
}

const fuzzNumOps = 37

func (r *opsRunner) doOp() {
	t, b, m, d := r.t, r.b, r.m, &r.d
	t.Helper()
	prevUnread, prevRune, prevGrow := r.unread, r.runeSize, r.grow
	r.unread, r.runeSize, r.grow = unreadInvalid, 0, 0
	// keep is for calls that can neither move the position nor change the
	// content: the unread state and Grow's room stay as they were.
	keep := func() { r.unread, r.runeSize, r.grow = prevUnread, prevRune, prevGrow }
	op := d.byte() % fuzzNumOps
	if op == 35 {
		r.putGet()
		return
	}
	if m.closed && op != 21 {
		if !debugBuild { // debug builds panic on use after Close
			r.doClosedOp(op)
		}
		return
	}
	switch op {
	case 0, 1, 2: // Write, WriteString, WriteByte
		n := d.size()
		if op == 2 {
			n = 1
		}
		p := d.data(n)
		r.desc = fmt.Sprintf("write%d(%d bytes) at pos %d", op, n, m.pos)
		var got int
		var err error
		switch op {
		case 0:
			got, err = b.Write(p)
		case 1:
			got, err = b.WriteString(string(p))
		case 2:
			err = b.WriteByte(p[0])
			if err == nil {
				got = 1
			}
		}
		want, wantErr := m.write(p)
		r.checkErr("", err, wantErr)
		if got != want {
			r.fatalf("got n = %d; want %d", got, want)
		}

	case 3: // WriteAt
		n := d.size()
		off := d.targetAt(m.size(), m.pos)
		p := d.data(n)
		r.desc = fmt.Sprintf("WriteAt(%d bytes, %d)", n, off)
		got, err := b.WriteAt(p, off)
		want, wantErr := 0, error(buffer.ErrNegativeOffset)
		if off >= 0 {
			want, wantErr = m.writeAt(p, off)
		}
		r.checkErr("", err, wantErr)
		if got != want {
			r.fatalf("got n = %d; want %d", got, want)
		}

	case 4, 5: // Read, io.ReadFull
		n := d.size()
		flags := d.byte()
		r.desc = fmt.Sprintf("Read(%d) at pos %d, size %d", n, m.pos, m.size())
		p := make([]byte, n)
		var got int
		var err error
		if op == 4 {
			got, err = b.Read(p)
			// Like Python's readinto: min(len(p), bytes left), and
			// io.EOF only at or past the end.
			var wantErr error
			if m.avail() == 0 {
				wantErr = io.EOF
			}
			r.checkErr("", err, wantErr)
			if want := int(min(int64(n), m.avail())); got != want {
				r.fatalf("got n = %d; want %d", got, want)
			}
		} else {
			r.desc = "io.ReadFull" + r.desc[4:]
			got, err = io.ReadFull(b, p)
			want := int(min(int64(n), m.avail()))
			var wantErr error
			switch {
			case n == 0:
			case want == 0:
				wantErr = io.EOF
			case want < n:
				wantErr = io.ErrUnexpectedEOF
			}
			r.checkErr("", err, wantErr)
			if got != want {
				r.fatalf("got n = %d; want %d", got, want)
			}
		}
		if want := m.bytes(m.pos, int64(got)); !bytes.Equal(p[:got], want) {
			r.fatalf("read %x; want %x", p[:got], want)
		}
		m.pos += int64(got)
		if op == 5 && n == 0 {
			// io.ReadFull of nothing calls no Read: UnreadByte undoes
			// what came before, if anything (the checks between steps
			// call only GetValue and ReadAt, which leave it alone).
			keep()
			r.checkUnread(flags)
			break
		}
		// io.ReadFull's last Read returned bytes only when it filled p.
		r.afterRead(flags, got > 0 && (op == 4 || got == n))

	case 6: // ReadAt
		n := d.size()
		off := d.targetAt(m.size(), m.pos)
		r.desc = fmt.Sprintf("ReadAt(%d bytes, %d) of size %d", n, off, m.size())
		r.checkReadAt(b.ReadAt, m, n, off)
		keep()

	case 7: // ReadByte
		flags := d.byte()
		r.desc = fmt.Sprintf("ReadByte() at pos %d, size %d", m.pos, m.size())
		r.readByte(flags)

	case 8: // UnreadByte on its own
		r.desc = fmt.Sprintf("UnreadByte() at pos %d", m.pos)
		err := b.UnreadByte()
		switch prevUnread {
		case unreadInvalid:
			r.checkErr("after a non-read op", err, buffer.ErrInvalidUnread)
		default:
			r.checkErr("after a read", err, nil)
			m.pos--
		}

	case 9: // ReadBytes / ReadString
		delim := []byte{'\n', 0x01, 0x80, 0xff}[d.byte()%4]
		flags := d.byte()
		r.desc = fmt.Sprintf("ReadBytes(%#x) at pos %d, size %d", delim, m.pos, m.size())
		from := min(m.pos, m.size())
		var want []byte
		wantErr := error(io.EOF)
		if i := m.indexByte(from, delim); i >= 0 && i-from < denseMax {
			want, wantErr = m.bytes(from, i+1-from), nil
		} else if i < 0 && m.avail() <= denseMax {
			want = m.rest()
		} else {
			r.desc += " skipped: the line is too long to compare"
			keep()
			break
		}
		var line []byte
		var err error
		if flags&4 != 0 {
			var s string
			s, err = b.ReadString(delim)
			line = []byte(s)
		} else {
			line, err = b.ReadBytes(delim)
		}
		r.checkErr("", err, wantErr)
		if !bytes.Equal(line, want) {
			r.fatalf("got %x; want %x", line, want)
		}
		m.pos += int64(len(want))
		r.afterRead(flags, len(want) > 0)

	case 10, 11: // Seek
		var off int64
		var whence int
		if c := d.byte(); c%8 == 7 {
			// Raw offsets: overflow, invalid whence.
			off = []int64{math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, -1, 1 << 62, 0}[int(c>>3)%6]
			whence = []int{0, 1, 2, 3, -1, 1, 2}[int(c>>3)%7]
		} else {
			whence = int(c % 3)
			tgt := d.targetAt(m.size(), m.pos)
			off = tgt - []int64{0, m.pos, m.size()}[whence]
		}
		r.desc = fmt.Sprintf("Seek(%d, %d) at pos %d, size %d", off, whence, m.pos, m.size())
		got, err := b.Seek(off, whence)
		want, wantErr := m.seek(off, whence)
		r.checkErr("", err, wantErr)
		if wantErr == nil && got != want {
			r.fatalf("got %d; want %d", got, want)
		}

	case 12: // Truncate
		var n int64
		switch c := d.byte(); c % 4 {
		case 0:
			n = m.pos
		case 1:
			n = m.size() + int64(c>>2)%5 - 2
		case 2:
			n = d.targetAt(m.size(), m.pos)
		default:
			n = int64(d.u16()) % (m.size() + 1)
		}
		r.desc = fmt.Sprintf("Truncate(%d) of size %d", n, m.size())
		err := b.Truncate(n)
		wantErr := m.truncate(n)
		r.checkErr("", err, wantErr)

	case 13: // Reset
		r.desc = "Reset()"
		b.Reset()
		m.reset()
		// It keeps at most one chunk and the spare one of
		// AvailableBuffer, each at most the pool's largest size, and the
		// 64-byte chunk of ReadFrom.
		if c, most := b.Cap(), 2*r.maxChunk+pool.MinChunkLimit; c > most {
			r.fatalf("then Cap() = %d; want at most %d", c, most)
		}

	case 14, 15: // ReadFrom
		n := d.size()
		flags := d.byte()
		src := d.data(n)
		var rd io.Reader = bytes.NewReader(src)
		kind := "bytes.Reader"
		switch flags % 5 {
		case 1:
			rd, kind = iotest.OneByteReader(rd), "OneByteReader"
		case 2:
			rd, kind = iotest.HalfReader(rd), "HalfReader"
		case 3:
			rd, kind = iotest.DataErrReader(rd), "DataErrReader"
		case 4:
			rd, kind = &scribbler{iotest.HalfReader(rd)}, "scribbler"
		}
		r.desc = fmt.Sprintf("ReadFrom(%s of %d bytes) at pos %d, size %d, limit %d", kind, n, m.pos, m.size(), m.limit)
		got, err := b.ReadFrom(rd)
		switch {
		case n == 0 || int64(n) <= m.limit-m.pos:
			r.checkErr("", err, nil)
			if got != int64(n) {
				r.fatalf("got n = %d; want %d", got, n)
			}
			if n == 0 && b.Size() != m.size() {
				// The contract does not say whether an empty ReadFrom past
				// the end zero-fills the gap; Write does not.
				r.fatalf("empty ReadFrom changed the size from %d to %d", m.size(), b.Size())
			}
		default:
			// It keeps what fits and then fails.
			r.checkErr("", err, buffer.ErrTooLarge)
			if got < 0 || got > max(0, m.limit-m.pos) {
				r.fatalf("got n = %d; want 0..%d", got, max(0, m.limit-m.pos))
			}
		}
		if got >= 0 && got <= int64(n) {
			m.write(src[:got])
		}

	case 16, 17: // WriteTo
		c := d.byte()
		r.desc = fmt.Sprintf("WriteTo at pos %d, size %d", m.pos, m.size())
		avail := m.avail()
		if c%2 == 0 && avail <= denseMax {
			var w bytes.Buffer
			got, err := b.WriteTo(&w)
			r.checkErr("", err, nil)
			if want := m.rest(); got != int64(len(want)) || !bytes.Equal(w.Bytes(), want) {
				r.fatalf("got (%d) %x; want (%d) %x", got, w.Bytes(), len(want), want)
			}
			m.pos += avail
			break
		}
		// A writer that takes only room bytes in all, then stops short
		// (io.ErrShortWrite) or fails. Far content always comes here.
		room := int64(d.size())
		w := &limitedWriter{room: room}
		wantErr := io.ErrShortWrite
		if c&2 != 0 {
			w.err = errWriterFull
			wantErr = errWriterFull
		}
		want := min(avail, room)
		if avail <= room {
			wantErr = nil
		}
		r.desc += fmt.Sprintf(" to a writer taking %d bytes", room)
		got, err := b.WriteTo(w)
		r.checkErr("", err, wantErr)
		if exp := m.bytes(m.pos, want); got != want || !bytes.Equal(w.w.Bytes(), exp) {
			r.fatalf("got (%d) %x; want (%d) %x", got, w.w.Bytes(), want, exp)
		}
		m.pos += want

	case 18: // GetValue
		r.desc = "GetValue()"
		v := b.GetValue()
		if len(r.views) >= 4 {
			r.views[0].v.Release()
			r.bury(r.views[0])
			r.views = r.views[1:]
		}
		r.views = append(r.views, newOpsView(v, m))
		keep() // GetValue neither reads nor moves

	case 19: // Release a view, maybe through a copy
		c := d.byte()
		keep()
		if len(r.views) == 0 {
			r.desc = "no view to release"
			break
		}
		i := int(c) % len(r.views)
		r.desc = fmt.Sprintf("Release view %d", i)
		v := r.views[i].v
		cp := v
		if c&0x80 != 0 {
			cp.Release()
		} else {
			v.Release()
		}
		if !debugBuild { // debug builds panic on a second Release
			v.Release() // idempotent
		}
		r.bury(r.views[i])
		r.views = append(r.views[:i], r.views[i+1:]...)

	case 20: // View.ReadAt and the other view readers
		c := d.byte()
		n := d.size()
		offByte := d.u16()
		keep()
		if len(r.views) == 0 {
			r.desc = "no view to read"
			break
		}
		r.checkView(r.views[int(c)%len(r.views)], c, n, offByte)

	case 21: // Close
		if d.byte() != 0xc1 {
			r.desc = "no-op"
			keep()
			break
		}
		r.desc = "Close()"
		if err := b.Close(); err != nil {
			r.fatalf("got %v; want nil", err)
		}
		m.closed = true

	case 22: // SetLimit
		lim := []int64{0, 1, 64, 100, 300, 1000, 5000, 200 << 10, buffer.DefaultLimit, 1 << 40}[int(d.byte())%10]
		r.desc = fmt.Sprintf("SetLimit(%d)", lim)
		b.SetLimit(lim)
		want := min(lim, buffer.MaxLimit) // lowered to MaxLimit
		if got := b.Limit(); got != want {
			r.fatalf("then Limit() = %d; want %d", got, want)
		}
		m.limit = want
		keep()

	case 23, 24: // ReadByte + UnreadByte pairs at chunk boundaries
		k := d.boundary(int(d.byte()))
		flags := d.byte()
		r.desc = fmt.Sprintf("Seek(%d) ReadByte() at size %d", k-1, m.size())
		if got, err := b.Seek(k-1, io.SeekStart); got != k-1 || err != nil {
			r.fatalf("Seek: got (%d, %v); want (%d, nil)", got, err, k-1)
		}
		m.pos = k - 1
		r.readByte(flags | 1)

	case 25: // Len, Size, Pos on their own (also checked after every step)
		r.desc = "Len() Size() Pos()"
		keep()

	case 26: // Peek
		n := d.size()
		flags := d.byte()
		if flags&0xc0 == 0xc0 {
			n = -1 - int(flags>>3&3)
		}
		r.desc = fmt.Sprintf("Peek(%d) at pos %d, size %d", n, m.pos, m.size())
		got, err := b.Peek(n)
		keep()
		if n < 0 {
			r.checkErr("", err, buffer.ErrNegativeCount)
			if len(got) != 0 {
				r.fatalf("got %d bytes; want none", len(got))
			}
			break
		}
		want := m.bytes(m.pos, int64(n))
		var wantErr error
		if len(want) < n {
			wantErr = io.EOF
		}
		r.checkErr("", err, wantErr)
		if !bytes.Equal(got, want) {
			r.fatalf("got (%d) %x; want (%d) %x", len(got), got, len(want), want)
		}
		if flags&1 != 0 {
			r.scribble("Peek", got, m.pos)
		}

	case 27: // Next
		n := d.size()
		flags := d.byte()
		if flags&0xc0 == 0xc0 {
			n = -int(flags >> 5 & 1)
		}
		r.desc = fmt.Sprintf("Next(%d) at pos %d, size %d", n, m.pos, m.size())
		got := b.Next(n)
		var want []byte
		if n > 0 {
			want = m.bytes(m.pos, int64(n))
		}
		if len(want) == 0 && got != nil {
			r.fatalf("got %x; want nil", got)
		}
		if !bytes.Equal(got, want) {
			r.fatalf("got (%d) %x; want (%d) %x", len(got), got, len(want), want)
		}
		if flags&4 != 0 {
			r.scribble("Next", got, m.pos)
		}
		m.pos += int64(len(want))
		r.afterRead(flags, len(want) > 0)

	case 28: // ReadRune, then maybe UnreadRune or UnreadByte
		flags := d.byte()
		r.desc = fmt.Sprintf("ReadRune() at pos %d, size %d", m.pos, m.size())
		c, size, err := b.ReadRune()
		if m.avail() == 0 {
			r.checkErr("", err, io.EOF)
			if c != 0 || size != 0 {
				r.fatalf("got (%q, %d); want (0, 0)", c, size)
			}
			r.afterRead(flags, false)
			break
		}
		r.checkErr("", err, nil)
		wc, wsize := utf8.DecodeRune(m.bytes(m.pos, utf8.UTFMax))
		if c != wc || size != wsize {
			r.fatalf("got (%q, %d); want (%q, %d)", c, size, wc, wsize)
		}
		m.pos += int64(size)
		if flags&0x20 != 0 {
			r.unread, r.runeSize = unreadValid, size
			if flags&1 != 0 {
				r.unreadRune("then UnreadRune()")
			}
			break
		}
		r.afterRead(flags, true)
		if r.unread == unreadValid {
			r.runeSize = size // no UnreadByte came after
		}

	case 29: // UnreadRune on its own
		r.desc = fmt.Sprintf("UnreadRune() at pos %d", m.pos)
		r.unread, r.runeSize = prevUnread, prevRune
		r.unreadRune("")

	case 30: // WriteRune
		c := []rune{'a', 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x20ac, 0xfffd, 0x10000, 0x1f600,
			utf8.MaxRune, -1, 0xd800, utf8.MaxRune + 1}[int(d.byte())%14]
		r.desc = fmt.Sprintf("WriteRune(%U) at pos %d", c, m.pos)
		got, err := b.WriteRune(c)
		want, wantErr := m.write(utf8.AppendRune(nil, c))
		r.checkErr("", err, wantErr)
		if got != want {
			r.fatalf("got n = %d; want %d", got, want)
		}

	case 31: // Grow
		c := d.byte()
		var n int
		switch c % 4 {
		case 0:
			n = int(c >> 2)
		case 1:
			n = d.size()
		case 2:
			n = int(r.maxChunk) + int(c>>2) - 32
		default:
			if !debugBuild { // debug builds panic: misuse
				n = -1 - int(c>>2)
			}
		}
		r.desc = fmt.Sprintf("Grow(%d) at pos %d, size %d", n, m.pos, m.size())
		b.Grow(n)
		keep()
		// The doc promises room for the last Grow's n; a smaller Grow
		// after a larger one may take room back (bytes.Buffer's does not).
		r.grow = n
		r.checkAvailable()

	case 32: // AvailableBuffer and Available, then writing into the room
		flags := d.byte()
		r.desc = fmt.Sprintf("AvailableBuffer() at pos %d, size %d", m.pos, m.size())
		keep()
		ab := r.checkAvailable()
		if flags&1 != 0 && ab != nil {
			// The room lies past the end: writing into it changes no
			// content, no view and no other buffer.
			room := ab[:cap(ab)]
			for i := 0; i < len(room); i += len(scribbleBytes) {
				copy(room[i:], scribbleBytes)
			}
			r.checkUntouched("AvailableBuffer")
			off := max(0, m.size()-16)
			r.checkReadAt(b.ReadAt, m, 24, off)
		}

	case 33: // The strconv idiom: append to AvailableBuffer, then Write
		c := d.byte()
		r.desc = fmt.Sprintf("Write(append(AvailableBuffer(), ...)) at pos %d, size %d", m.pos, m.size())
		ab := b.AvailableBuffer()
		atEnd := m.pos == m.size()
		if !atEnd && ab != nil || atEnd && (ab == nil || len(ab) != 0 || cap(ab) < max(64, int(min(int64(prevGrow), r.maxChunk)))) {
			r.fatalf("AvailableBuffer() = len %d, cap %d, nil %t; at the end %t, after Grow(%d)", len(ab), cap(ab), ab == nil, atEnd, prevGrow)
		}
		var p []byte
		switch c % 3 {
		case 0:
			p = strconv.AppendInt(ab, int64(d.u16())*int64(c), 10)
		case 1:
			p = append(ab, d.data(d.size())...)
		default:
			p = append(ab, d.data(int(c>>2))...)
		}
		want := bytes.Clone(p)
		got, err := b.Write(p)
		wn, wantErr := m.write(want)
		r.checkErr("", err, wantErr)
		if got != wn {
			r.fatalf("got n = %d; want %d", got, wn)
		}

	case 36: // Lines, for up to 4 lines
		most := 1 + int(d.byte()%4)
		flags := d.byte()
		r.desc = fmt.Sprintf("Lines() for %d lines at pos %d, size %d", most, m.pos, m.size())
		// The lines the model expects; far content without a '\n' in
		// reach is skipped.
		var want [][]byte
		for off := min(m.pos, m.size()); len(want) < most && off < m.size(); {
			end := m.size()
			if i := m.indexByte(off, '\n'); i >= 0 {
				end = i + 1
			}
			if end-off > denseMax {
				break
			}
			want = append(want, m.bytes(off, end-off))
			off = end
		}
		if len(want) < most && m.pos+int64(len(bytes.Join(want, nil))) < m.size() {
			r.desc += " skipped: a line is too long to compare"
			keep()
			break
		}
		got := 0
		for line := range b.Lines() {
			if got == len(want) {
				r.fatalf("line %d = %q; want no more lines", got, line)
			}
			if !bytes.Equal(line, want[got]) {
				r.fatalf("line %d = %q; want %q", got, line, want[got])
			}
			if flags&4 != 0 {
				r.scribble("Lines", line, m.pos)
			}
			m.pos += int64(len(line))
			got++
			if got == most {
				break
			}
		}
		if got != len(want) {
			r.fatalf("got %d lines; want %d", got, len(want))
		}
		r.afterRead(flags, got > 0)

	case 34: // String
		r.desc = "String()"
		keep()
		if !m.dense() {
			r.desc += " skipped: far content"
			break
		}
		if got, want := b.String(), m.all(); got != string(want) {
			r.fatalf("got (%d) %x; want (%d) %x", len(got), got, len(want), want)
		}
	}
}

// putGet gives the buffer back to the runner's buffer.Pool and goes on with
// the one Get returns: empty, at 0, with the default limit; views taken
// before keep their content (check looks at them after every step).
func (r *opsRunner) putGet() {
	r.desc = "Put then Get"
	if r.m.closed && debugBuild { // debug builds panic on Put of a closed buffer
		return
	}
	r.bp.Put(r.b)
	b := r.bp.Get()
	r.b = b
	r.m.reset()
	r.m.limit, r.m.closed = buffer.DefaultLimit, false
	r.maxChunk = poolMax(r.p)
	if b.Size() != 0 || b.Pos() != 0 || b.Limit() != buffer.DefaultLimit {
		r.fatalf("Get: Size %d, Pos %d, Limit %d; want 0, 0, %d", b.Size(), b.Pos(), b.Limit(), int64(buffer.DefaultLimit))
	}
	// Put keeps at most a chunk of the pool's first size (4 KiB if that is
	// smaller, 64 KiB if larger), a spare of 4 KiB and the 64-byte chunk of
	// ReadFrom.
	first, _ := r.p.Layout()
	if c, most := b.Cap(), int64(min(max(first, 4<<10), 64<<10)+4<<10+pool.MinChunkLimit); c > most {
		r.fatalf("Get returned a buffer holding %d bytes of chunks; want at most %d", c, most)
	}
}

// scribbleBytes is what the runner writes into AvailableBuffer's room.
var scribbleBytes = bytes.Repeat([]byte{0xa5}, 4096)

// checkAvailable checks AvailableBuffer and Available against the model:
// nil and 0 unless the position is at the end; there, an empty slice with
// room for at least 64 bytes and what Grow asked for (up to the pool's
// largest chunk), whose capacity Available reports. It returns the slice.
func (r *opsRunner) checkAvailable() []byte {
	r.t.Helper()
	ab := r.b.AvailableBuffer()
	av := r.b.Available()
	if r.m.pos != r.m.size() {
		if ab != nil || av != 0 {
			r.fatalf("not at the end: AvailableBuffer() has cap %d (nil %t), Available() = %d; want nil, 0", cap(ab), ab == nil, av)
		}
		return nil
	}
	want := max(64, int(min(int64(r.grow), r.maxChunk)))
	if ab == nil || len(ab) != 0 || cap(ab) < want {
		r.fatalf("AvailableBuffer() = len %d, cap %d (nil %t); want len 0, cap >= %d", len(ab), cap(ab), ab == nil, want)
	}
	if av != cap(ab) {
		r.fatalf("Available() = %d; want cap(AvailableBuffer()) = %d", av, cap(ab))
	}
	return ab
}

// scribble writes into s, a slice that the buffer lent at offset off of its
// content (Peek, Next): no view and no other buffer may change, and the
// buffer's own content there is either unchanged (s was a copy) or all of s
// (s aliases it). Then it writes the bytes back, so that the model holds.
func (r *opsRunner) scribble(what string, s []byte, off int64) {
	r.t.Helper()
	if len(s) == 0 {
		return
	}
	orig := bytes.Clone(s)
	for i := range s {
		s[i] ^= 0x5a
	}
	r.checkUntouched(what)
	got := make([]byte, len(s))
	if n, err := r.b.ReadAt(got, off); n != len(s) || err != nil && err != io.EOF {
		r.fatalf("after writing into the slice %s lent: ReadAt(%d bytes, %d) = (%d, %v)", what, len(s), off, n, err)
	}
	if !bytes.Equal(got, orig) && !bytes.Equal(got, s) {
		r.fatalf("after writing into the slice %s lent: content %x; want it unchanged (%x) or all the written bytes (%x)", what, got, orig, s)
	}
	copy(s, orig)
}

// checkUntouched checks, after a write into memory the buffer lent, that
// every view and the other buffer kept their content.
func (r *opsRunner) checkUntouched(what string) {
	r.t.Helper()
	for i, lv := range r.views {
		if !r.viewMatches(lv) {
			r.fatalf("after writing into the slice %s lent: view %d changed", what, i)
		}
	}
	p := make([]byte, len(r.otherWant))
	if n, err := r.other.ReadAt(p, 0); n != len(p) || err != nil && err != io.EOF || !bytes.Equal(p, r.otherWant) {
		r.fatalf("after writing into the slice %s lent: another buffer reads (%d, %v) %x; want %x", what, n, err, p, r.otherWant)
	}
}

// unreadRune runs UnreadRune against the model's state.
func (r *opsRunner) unreadRune(what string) {
	r.t.Helper()
	err := r.b.UnreadRune()
	if r.unread == unreadValid && r.runeSize > 0 {
		r.checkErr(what, err, nil)
		r.m.pos -= int64(r.runeSize)
	} else {
		r.checkErr(what, err, buffer.ErrInvalidUnread)
	}
	if got := r.b.Pos(); got != r.m.pos {
		r.fatalf("%s: Pos() = %d; want %d", what, got, r.m.pos)
	}
	r.unread, r.runeSize = unreadInvalid, 0
}

// afterRead runs UnreadByte right after a read when flags ask for it: it must
// work when the read returned bytes, and fail otherwise; a second one must
// fail. A read that returned bytes with io.EOF (ReadBytes at the end) counts
// as a read that returned bytes.
func (r *opsRunner) afterRead(flags byte, readSome bool) {
	r.t.Helper()
	r.unread, r.runeSize = unreadInvalid, 0
	if readSome {
		r.unread = unreadValid
	}
	r.checkUnread(flags)
}

// checkUnread checks UnreadByte against r.unread, after another op when
// flags ask for one, if flags ask for the check at all.
func (r *opsRunner) checkUnread(flags byte) {
	r.t.Helper()
	if flags&1 == 0 {
		return
	}
	// Maybe another op comes between: then UnreadByte must fail.
	switch flags >> 3 & 3 {
	case 1:
		p := r.d.data(1)
		n, err := r.b.Write(p)
		wn, wantErr := r.m.write(p)
		r.checkErr("then Write(1 byte)", err, wantErr)
		if n != wn {
			r.fatalf("then Write(1 byte): got n = %d; want %d", n, wn)
		}
		r.unread = unreadInvalid
	case 2:
		if pos, err := r.b.Seek(0, io.SeekStart); pos != 0 || err != nil {
			r.fatalf("then Seek(0, 0): got (%d, %v); want (0, nil)", pos, err)
		}
		r.m.pos = 0
		r.unread = unreadInvalid
	case 3:
		p := r.d.data(1)
		n, err := r.b.WriteAt(p, 0)
		wn, wantErr := r.m.writeAt(p, 0)
		r.checkErr("then WriteAt(1 byte, 0)", err, wantErr)
		if n != wn {
			r.fatalf("then WriteAt(1 byte, 0): got n = %d; want %d", n, wn)
		}
		r.unread = unreadInvalid
	}
	err := r.b.UnreadByte()
	switch r.unread {
	case unreadValid:
		r.checkErr("then UnreadByte()", err, nil)
		r.m.pos--
	default:
		r.checkErr("then UnreadByte()", err, buffer.ErrInvalidUnread)
	}
	if got := r.b.Pos(); got != r.m.pos {
		r.fatalf("then UnreadByte(): Pos() = %d; want %d", got, r.m.pos)
	}
	r.unread, r.runeSize = unreadInvalid, 0
	if flags&2 != 0 {
		r.checkErr("then a second UnreadByte()", r.b.UnreadByte(), buffer.ErrInvalidUnread)
	}
}

// doClosedOp checks that an op on a closed buffer fails with ErrClosed.
func (r *opsRunner) doClosedOp(op byte) {
	b, d := r.b, &r.d
	r.desc = fmt.Sprintf("op %d after Close", op)
	arg := d.byte()
	p := make([]byte, 8)
	check := func(what string, n int64, err error) {
		r.t.Helper()
		if n != 0 || !errors.Is(err, buffer.ErrClosed) || !errors.Is(err, fs.ErrClosed) {
			r.fatalf("%s: got (%d, %v); want (0, %v)", what, n, err, buffer.ErrClosed)
		}
	}
	switch arg % 22 {
	case 0:
		n, err := b.Write(p)
		check("Write", int64(n), err)
	case 1:
		n, err := b.WriteString("x")
		check("WriteString", int64(n), err)
	case 2:
		check("WriteByte", 0, b.WriteByte(1))
	case 3:
		n, err := b.WriteAt(p, 0)
		check("WriteAt", int64(n), err)
	case 4:
		n, err := b.Read(p)
		check("Read", int64(n), err)
	case 5:
		n, err := b.ReadAt(p, 0)
		check("ReadAt", int64(n), err)
	case 6:
		_, err := b.ReadByte()
		check("ReadByte", 0, err)
	case 7:
		check("UnreadByte", 0, b.UnreadByte())
	case 8:
		line, err := b.ReadBytes('\n')
		check("ReadBytes", int64(len(line)), err)
	case 9:
		_, err := b.Seek(0, io.SeekStart)
		check("Seek", 0, err)
	case 10:
		check("Truncate", 0, b.Truncate(0))
	case 11:
		n, err := b.ReadFrom(bytes.NewReader(p))
		check("ReadFrom", n, err)
	case 12:
		n, err := b.WriteTo(io.Discard)
		check("WriteTo", n, err)
	case 13:
		b.Reset()
		if err := b.Close(); err != nil {
			r.fatalf("second Close: got %v; want nil", err)
		}
		if v := b.GetValue(); v.Len() != 0 {
			r.fatalf("GetValue().Len() = %d; want 0", v.Len())
		}
	case 14:
		got, err := b.Peek(1)
		check("Peek", int64(len(got)), err)
	case 15:
		if got := b.Next(4); got != nil {
			r.fatalf("Next(4) = %x; want nil", got)
		}
	case 16:
		c, size, err := b.ReadRune()
		check("ReadRune", int64(c)|int64(size), err)
	case 17:
		check("UnreadRune", 0, b.UnreadRune())
	case 18:
		n, err := b.WriteRune('x')
		check("WriteRune", int64(n), err)
	case 19, 20:
		if arg%22 == 20 {
			b.Grow(100)
		}
		if ab, av := b.AvailableBuffer(), b.Available(); ab != nil || av != 0 {
			r.fatalf("AvailableBuffer() has cap %d (nil %t), Available() = %d; want nil, 0", cap(ab), ab == nil, av)
		}
	case 21:
		if s := b.String(); s != "" {
			r.fatalf("String() = %q; want \"\"", s)
		}
	}
}

// bury keeps a released view (or a copy of one) to check that it stays
// empty.
func (r *opsRunner) bury(lv opsView) {
	if len(r.dead) >= 4 {
		r.dead = r.dead[1:]
	}
	r.dead = append(r.dead, lv)
}

// checkReadAt compares readAt(n bytes, off) with m's.
func (r *opsRunner) checkReadAt(readAt func([]byte, int64) (int, error), m *sparseModel, n int, off int64) {
	r.t.Helper()
	p := make([]byte, n)
	got, err := readAt(p, off)
	q := make([]byte, n)
	want, wantErr := m.readAt(q, off)
	if n == 0 && off >= m.size() && err == io.EOF {
		wantErr = io.EOF // io.ReaderAt allows either for an empty p at the end
	}
	r.checkErr(fmt.Sprintf("ReadAt(%d bytes, %d) of %d", n, off, m.size()), err, wantErr)
	if got != want || !bytes.Equal(p[:got], q[:want]) {
		r.fatalf("ReadAt(%d bytes, %d): got (%d) %x; want (%d) %x", n, off, got, p[:got], want, q[:want])
	}
}

// checkWindows compares small windows of readAt, around the edges of what
// was written, with m.
func (r *opsRunner) checkWindows(readAt func([]byte, int64) (int, error), m *sparseModel) {
	r.t.Helper()
	for _, off := range m.probes(r.step, 6) {
		r.checkReadAt(readAt, m, 8, off)
	}
}

// viewMatches reports whether lv shows its snapshot: whole when small, in
// windows otherwise.
func (r *opsRunner) viewMatches(lv opsView) bool {
	if lv.v.Len() != lv.want.size() {
		return false
	}
	if lv.whole != nil {
		return lv.v.Equal(lv.whole)
	}
	for _, off := range lv.want.probes(r.step, 6) {
		p, q := make([]byte, 8), make([]byte, 8)
		n, _ := lv.v.ReadAt(p, off)
		wn, _ := lv.want.readAt(q, off)
		if n != wn || !bytes.Equal(p, q) {
			return false
		}
	}
	return true
}

// checkView reads lv through one of the View's readers, chosen by c.
func (r *opsRunner) checkView(lv opsView, c byte, n, offArg int) {
	r.t.Helper()
	v := lv.v
	if !lv.want.dense() {
		probes := lv.want.probes(int(c), 4)
		off := probes[offArg%len(probes)]
		r.desc = fmt.Sprintf("View.ReadAt(%d bytes, %d) of %d", n, off, lv.want.size())
		r.checkReadAt(v.ReadAt, lv.want, n, off)
		vr := v.NewReader()
		if vr.Size() != lv.want.size() {
			r.fatalf("NewReader: Size() = %d; want %d", vr.Size(), lv.want.size())
		}
		if pos, err := vr.Seek(off, io.SeekStart); pos != off || err != nil {
			r.fatalf("NewReader: Seek: got (%d, %v); want (%d, nil)", pos, err, off)
		}
		p := make([]byte, n)
		got, _ := io.ReadFull(vr, p)
		if want := lv.want.bytes(off, int64(n)); !bytes.Equal(p[:got], want) {
			r.fatalf("NewReader: read %x at %d; want %x", p[:got], off, want)
		}
		return
	}
	want := lv.whole
	off := int64(offArg)%(int64(len(want))+8) - 2
	switch c >> 4 % 8 {
	case 0, 1, 2:
		r.desc = fmt.Sprintf("View.ReadAt(%d bytes, %d) of %d", n, off, len(want))
		if off < 0 {
			// Like Buffer.ReadAt, though the contract only implies it.
			p := make([]byte, n)
			if got, err := v.ReadAt(p, off); got != 0 || err == nil {
				r.fatalf("got (%d, %v); want (0, an error)", got, err)
			}
			break
		}
		r.checkReadAt(v.ReadAt, lv.want, n, off)
	case 3:
		r.desc = "View.AppendTo"
		prefix := []byte("prefix")
		if got := v.AppendTo(prefix); !bytes.Equal(got, append(bytes.Clone(prefix), want...)) {
			r.fatalf("got %x; want prefix + %x", got, want)
		}
	case 4:
		r.desc = "View.Chunks"
		var got []byte
		for ch := range v.Chunks() {
			got = append(got, ch...)
		}
		if !bytes.Equal(got, want) {
			r.fatalf("got %x; want %x", got, want)
		}
	case 5:
		r.desc = "View.WriteTo"
		var w bytes.Buffer
		got, err := v.WriteTo(&w)
		if got != int64(len(want)) || err != nil || !bytes.Equal(w.Bytes(), want) {
			r.fatalf("got (%d, %v) %x; want (%d, nil) %x", got, err, w.Bytes(), len(want), want)
		}
	case 6:
		r.desc = fmt.Sprintf("View.NewReader Seek(%d) ReadAll", off)
		vr := v.NewReader()
		if vr.Size() != int64(len(want)) || vr.Len() != len(want) {
			r.fatalf("Size() = %d, Len() = %d; want %d", vr.Size(), vr.Len(), len(want))
		}
		pos, err := vr.Seek(off, io.SeekStart)
		if off < 0 {
			if err == nil {
				r.fatalf("Seek: got (%d, nil); want an error", pos)
			}
			break
		}
		if pos != off || err != nil {
			r.fatalf("Seek: got (%d, %v); want (%d, nil)", pos, err, off)
		}
		got, err := io.ReadAll(vr)
		if err != nil || !bytes.Equal(got, want[min(off, int64(len(want))):]) {
			r.fatalf("got %x, %v; want %x", got, err, want[min(off, int64(len(want))):])
		}
	default:
		r.desc = "View.String"
		if got := v.String(); got != string(want) {
			r.fatalf("got %x; want %x", got, want)
		}
	}
}

// check compares the buffer with the model, and every view with its
// snapshot.
func (r *opsRunner) check() {
	r.t.Helper()
	b, m := r.b, r.m
	if m.pos < 0 {
		r.fatalf("model position %d < 0", m.pos)
	}
	if !m.closed {
		if got := b.Pos(); got != m.pos {
			r.fatalf("then Pos() = %d; want %d", got, m.pos)
		}
		if got := b.Size(); got != m.size() {
			r.fatalf("then Size() = %d; want %d", got, m.size())
		}
		if got := b.Len(); int64(got) != m.avail() {
			r.fatalf("then Len() = %d; want %d", got, m.avail())
		}
		// ReadAt leaves the buffer's state alone; GetValue shares the
		// chunks, so it runs only now and then, not to hide bugs of the
		// unshared paths. Far content is compared in windows.
		switch {
		case r.step%8 == 7:
			v := b.GetValue()
			if v.Len() != m.size() {
				r.fatalf("then GetValue().Len() = %d; want %d", v.Len(), m.size())
			}
			if m.dense() {
				if got, want := v.Bytes(), m.all(); !bytes.Equal(got, want) {
					r.fatalf("then GetValue() = (%d) %x; want (%d) %x", len(got), got, len(want), want)
				}
			} else {
				r.checkWindows(v.ReadAt, m)
			}
			v.Release()
		case m.dense():
			want := m.all()
			p := make([]byte, len(want))
			n, err := b.ReadAt(p, 0)
			if len(p) == 0 && err == io.EOF {
				err = nil
			}
			if n != len(p) || err != nil || !bytes.Equal(p, want) {
				r.fatalf("then ReadAt(all, 0) = (%d, %v) %x; want (%d, nil) %x", n, err, p[:n], len(p), want)
			}
		default:
			r.checkWindows(b.ReadAt, m)
		}
	}
	for i, lv := range r.views {
		if !r.viewMatches(lv) {
			r.fatalf("then view %d: Len() = %d; want %d, or its content changed", i, lv.v.Len(), lv.want.size())
		}
	}
	for i, lv := range r.dead {
		if debugBuild { // debug builds panic on use after Release
			break
		}
		v := lv.v
		p := make([]byte, 1)
		n, err := v.ReadAt(p, 0)
		if lv.want.size() == 0 && err == io.EOF {
			// GetValue of an empty buffer returns the zero View, which
			// stays empty and cannot tell that it was released (see the
			// View doc).
			err = buffer.ErrReleased
		}
		if v.Len() != 0 || n != 0 || !errors.Is(err, buffer.ErrReleased) {
			r.fatalf("then released view %d: Len() = %d, ReadAt = (%d, %v); want 0, (0, %v)", i, v.Len(), n, err, buffer.ErrReleased)
		}
	}
	if r.orig != nil && !bytes.Equal(r.init, r.orig) {
		r.fatalf("NewBytes argument changed")
	}
}

// limitedWriter takes room bytes in all; past that it returns a short count
// with err (nil makes the short write io.ErrShortWrite's case).
type limitedWriter struct {
	w    bytes.Buffer
	room int64
	err  error
}

var errWriterFull = errors.New("limitedWriter: full")

func (w *limitedWriter) Write(p []byte) (int, error) {
	n := int(min(int64(len(p)), w.room))
	w.w.Write(p[:n])
	w.room -= int64(n)
	if n < len(p) {
		return n, w.err
	}
	return n, nil
}

// Seed scripts; the first byte picks how the buffer is made (0-5: small
// pool, 6: NewBytes, 7: zero value), then each op is one byte and its
// arguments.
var fuzzSeeds = [][]byte{
	// Write 200 bytes (crosses 64 and 192), seek to 0, read in pieces with
	// UnreadByte after them, WriteTo, Seek(-1, 1), Read(nil) + UnreadByte.
	{0, 0, 0xe0, 0x00, 0xc8, 10, 0, 0x40, 4, 7, 1, 4, 0x8c, 0, 5, 0x94, 0,
		7, 3, 9, 0, 4, 16, 0, 10, 1, 0x8f, 4, 0, 3},
	// Far seek, write after a zero-filled gap, truncate inside the gap,
	// write, seek to a chunk boundary, write 300, GetValue, Truncate,
	// UnreadByte.
	{1, 10, 0, 0xa3, 7, 0, 5, 12, 2, 0xa1, 16, 1, 3, 10, 0, 0xe3, 2,
		0, 0xe0, 0x01, 0x2c, 18, 12, 1, 8},
	// Views across WriteAt, Write, Truncate, Reset; every view reader;
	// Release through a copy.
	{2, 0, 0x9d, 18, 3, 15, 0xe1, 2, 1, 20, 18, 12, 3, 0, 100,
		20, 0x00, 0x8b, 0, 60, 10, 0, 0x40, 0, 0xe0, 0x03, 0xe8, 13,
		20, 0x31, 0, 0, 0, 20, 0x41, 0, 0, 0, 20, 0x51, 0, 0, 0,
		20, 0x61, 0, 0, 10, 19, 0x80, 20, 0x70, 0, 0, 0, 19, 0},
	// NewBytes: Read(nil) + UnreadByte, ReadByte + UnreadByte at chunk
	// boundaries, reads at the end with UnreadByte after them.
	{6, 0xa0, 4, 0, 3, 23, 1, 3, 24, 2, 0, 8, 4, 1, 1, 10, 2, 0x20,
		7, 1, 4, 0, 1, 9, 0, 1,
		// Then seek to 0, and read with another op before UnreadByte.
		10, 0, 0x40, 4, 5, 9, 7, 0x11, 9, 0, 0x19},
	// Limit: ReadFrom past it, WriteAt past it, writes at a huge position,
	// an overflowing Seek, ReadAt and ReadFrom far out, short WriteTo.
	{3, 22, 4, 14, 0xe0, 0x03, 0xe8, 0, 3, 0x91, 0x60, 0x01, 0x22,
		10, 0, 0xc0, 0, 1, 2, 0, 10, 0x67, 6, 8, 0xc0, 15, 5, 1,
		22, 8, 10, 0, 0x40, 17, 0x01, 50, 17, 0x03, 10},
	// Close with live views, every op after Close, Close again.
	{7, 0, 0x90, 18, 21, 0xc1, 0, 0, 0, 4, 0, 7, 0, 9, 0, 11, 0, 12,
		0, 13, 0, 1, 0, 2, 0, 3, 0, 5, 0, 6, 0, 8, 0, 10, 21, 0xc1},
	// Far offsets: SetLimit(1<<40), WriteAt 1<<39-1, view, Seek to
	// 1<<39+20, Write 100, Peek and Next there, WriteAt around 4 GiB,
	// ReadAt in the gap, Truncate into the gap, Write through
	// AvailableBuffer, Put then Get.
	{0, 22, 9, 3, 5, 0xc3, 0x04, 18, 10, 0, 0xc3, 0x00, 0, 100,
		10, 1, 0x80, 26, 0x40, 1, 10, 1, 0x80, 27, 0x20, 5, 3, 0x30, 0xc3, 0x83,
		6, 16, 0xc3, 0x05, 0x00, 0x10, 12, 2, 0xc3, 0x01, 0x00, 0x20,
		10, 2, 0x00, 33, 1, 0x40, 34, 35, 0},
	// Runes: WriteRune of 3-, 4-byte and invalid runes, back to 0,
	// ReadRune + UnreadRune, ReadRune + UnreadByte, ReadRune, UnreadRune,
	// ReadByte, UnreadRune (fails), UnreadByte, Peek and Next with writes
	// into what they lend, String, Lines.
	{0, 30, 6, 30, 9, 30, 11, 10, 0, 0x40, 28, 0x21, 28, 0x01, 28, 0,
		29, 7, 0, 29, 8, 26, 3, 1, 27, 2, 5, 34, 36, 3, 4},
	// The hot path: Grow, AvailableBuffer with writes into its room,
	// Write(strconv.AppendInt(AvailableBuffer())), a view sharing the last
	// chunk, append + Write, Grow past the largest chunk, a gap after the
	// written-into room, Put then Get with a view alive, Reset.
	{1, 31, 1, 100, 32, 1, 33, 3, 0x12, 0x34, 18, 32, 1, 33, 1, 0x8c,
		31, 0x82, 32, 1, 10, 0, 0x25, 0, 3, 35, 0, 10, 13, 20, 0x50, 0, 0, 0},
	// NewBytes of 2000 bytes: view, overwrite inside, release.
	{6, 0xe0, 0x07, 0xd0, 18, 3, 10, 0x45, 1, 0, 19, 0, 4, 0xe0, 0x08, 0x00, 0},
}

// FuzzOps runs scripts of Buffer operations against the model.
func FuzzOps(f *testing.F) { fuzzScripts(f, fuzzSeeds, newSmallPool(f), runOps) }

// TestOpsRandom runs random scripts against the model, so that a plain go test
// covers more than the fuzz seeds.
func TestOpsRandom(t *testing.T) {
	// The race detector makes each script several times slower.
	runRandomScripts(t, newSmallPool(t), rand.NewPCG(1, 2), scriptCount(400, 50, 250), true)
}

// scriptCount is how many random scripts a test runs: full, or short with
// -short, or race under the race detector.
func scriptCount(full, short, race int) int {
	switch {
	case testing.Short():
		return short
	case raceEnabled:
		return race
	}
	return full
}

// runRandomScripts runs n random scripts of 64 to 575 bytes from src
// against the model on pool p, Close made rare. With far, one script in four
// starts with SetLimit(1<<40), so that far offsets get written. It stops at
// the first failing script and logs it.
func runRandomScripts(t *testing.T, p *pool.Pool, src rand.Source, n int, far bool) {
	runRandomScriptsWith(t, src, n, far, func(t *testing.T, script []byte) { runOps(t, p, script) })
}

// runRandomScriptsWith is runRandomScripts with run, a script runner, in
// place of runOps on one pool.
func runRandomScriptsWith(t *testing.T, src rand.Source, n int, far bool, run func(*testing.T, []byte)) {
	rng := rand.New(src)
	for i := range n {
		script := make([]byte, 64+rng.IntN(512))
		for j := range script {
			script[j] = byte(rng.Uint32())
			// Make Close rare: it ends the interesting part of a script.
			if script[j] == 0xc1 {
				script[j] = 0xc2
			}
		}
		if far && i%4 == 1 {
			script = append(script[:1:1], append([]byte{22, 9}, script[1:]...)...)
		}
		t.Run(fmt.Sprintf("script=%d", i), func(t *testing.T) {
			run(t, script)
		})
		if t.Failed() {
			t.Logf("script %d: %x", i, script)
			break
		}
	}
}

// newLargePool returns a pool whose buffers use chunks of 16, 32 and then
// 64 KiB, so that Put keeps first chunks larger than SmallFirstChunk. The
// decoder's offsets near chunk boundaries stay the small pool's (it sets
// them up); its offsets up to about 132 KiB cross this pool's boundaries.
func newLargePool(tb testing.TB) *pool.Pool {
	tb.Helper()
	newSmallPool(tb)
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 16 << 10, MaxChunk: 64 << 10, NoCalibration: true})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// FuzzOpsLargeChunks runs scripts of Buffer operations against the model,
// as FuzzOps does, on the pool of newLargePool: buffers taken from a Pool
// start with a kept chunk of 16 KiB or more, which their first write or
// ReadFrom checks against the bound on first chunks.
func FuzzOpsLargeChunks(f *testing.F) { fuzzScripts(f, fuzzSeeds, newLargePool(f), runOps) }

// fuzzScripts fuzzes run, a script runner, on the pool p from the seeds.
func fuzzScripts(f *testing.F, seeds [][]byte, p *pool.Pool, run func(*testing.T, *pool.Pool, []byte)) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script []byte) {
		run(t, p, script)
	})
}

// TestOpsRandomLargeChunks runs random scripts, as TestOpsRandom does, on a
// pool whose first chunk is 16 KiB: Put then keeps first chunks larger
// than SmallFirstChunk (kept), whose first write or read checks them
// against the bound on first chunks (a write before it writes, a ReadFrom
// after its first read).
func TestOpsRandomLargeChunks(t *testing.T) {
	runRandomScripts(t, newLargePool(t), rand.NewPCG(3, 4), scriptCount(300, 40, 150), false)
}

// readByte runs ReadByte against the model, then the UnreadByte checks that
// flags ask for (see afterRead).
func (r *opsRunner) readByte(flags byte) {
	r.t.Helper()
	c, err := r.b.ReadByte()
	if r.m.avail() == 0 {
		r.checkErr("", err, io.EOF)
		r.afterRead(flags, false)
		return
	}
	r.checkErr("", err, nil)
	if want := r.m.bytes(r.m.pos, 1)[0]; c != want {
		r.fatalf("got %#x; want %#x", c, want)
	}
	r.m.pos++
	r.afterRead(flags, true)
}

// checkPosSizeLen compares the buffer's Pos, Size and Len with the model's,
// reporting a difference through fatalf.
func checkPosSizeLen(fatalf func(format string, args ...any), b *buffer.Buffer, m *model) {
	if got := b.Pos(); got != m.pos {
		fatalf("then Pos() = %d; want %d", got, m.pos)
	}
	if got := b.Size(); got != m.size() {
		fatalf("then Size() = %d; want %d", got, m.size())
	}
	if got := b.Len(); int64(got) != m.avail() {
		fatalf("then Len() = %d; want %d", got, m.avail())
	}
}

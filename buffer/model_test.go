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
	"testing"
	"testing/iotest"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// model is the reference for Buffer: the contract's semantics on a plain
// []byte, written for clarity rather than speed.
type model struct {
	data   []byte
	pos    int64
	limit  int64
	closed bool
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
	var base int64
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		base = m.pos
	case io.SeekEnd:
		base = m.size()
	default:
		return 0, buffer.ErrInvalidWhence
	}
	if off > 0 && base > math.MaxInt64-off {
		return 0, buffer.ErrOverflow
	}
	if base+off < 0 {
		return 0, buffer.ErrNegativeOffset
	}
	m.pos = base + off
	return m.pos, nil
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
func (d *opDecoder) target(m *model) int64 {
	c := d.byte()
	k := int64(c & 31)
	switch c >> 5 {
	case 0:
		return m.size() - k
	case 1:
		return m.size() + k
	case 2:
		return int64(fuzzSizes[int(k)%len(fuzzSizes)])
	case 3:
		return int64(d.u16()) % (m.size() + 1)
	case 4:
		return m.pos + k - 16
	case 5:
		return 4096*(k+1) + int64(d.byte()) // up to about 132 KiB
	case 6:
		switch k % 4 {
		case 0:
			return math.MaxInt64 - k/4
		case 1:
			return 1<<40 + k
		default:
			return -1 - k/4
		}
	default:
		b := fuzzBoundaries[int(k)%len(fuzzBoundaries)]
		return b + int64(d.byte()%5) - 2
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
// returned at least one byte, if no call that can move the position or change
// the content came after it, successful or not. Calls that can do neither
// (GetValue, ReadAt, Peek, SetLimit, Len, Size, Pos, view reads) leave the
// state as it was. The model knows the state exactly.
const (
	unreadInvalid unreadState = iota // must fail with ErrInvalidUnread
	unreadValid                      // must succeed: the last read returned >= 1 byte
)

// liveView is a View with the content it must keep.
type liveView struct {
	v    buffer.View
	want []byte
}

// opsRunner applies a script to a Buffer and a model side by side.
type opsRunner struct {
	t      *testing.T
	b      *buffer.Buffer
	m      *model
	d      opDecoder
	step   int
	desc   string // the current op, for failure messages
	unread unreadState
	init   []byte // argument of NewBytes, which must stay unchanged
	orig   []byte
	views  []liveView
	dead   []liveView // released views (or copies of them)
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
func runOps(t *testing.T, p *pool.Pool, script []byte) {
	r := &opsRunner{t: t, m: newModel(), d: opDecoder{script: script}}
	switch mode := r.d.byte() % 8; mode {
	case 6:
		r.init = vecGen(int64(r.d.size()), -1)
		r.orig = bytes.Clone(r.init)
		r.b = buffer.NewBytes(r.init)
		r.m.data = bytes.Clone(r.init)
	case 7:
		r.b = new(buffer.Buffer)
	default:
		r.b = buffer.NewWithPool(p)
	}
	r.desc = "new"
	r.check()
	trace := os.Getenv("BUFFER_OPS_TRACE") != ""
	for r.step = 1; r.d.more() && r.step <= 400; r.step++ {
		r.doOp()
		if trace {
			t.Logf("step %d %s: pos %d, size %d, unread %d", r.step, r.desc, r.m.pos, r.m.size(), r.unread)
		}
		r.check()
	}
	for _, lv := range r.views {
		lv.v.Release()
	}
	r.b.Close()
}

const fuzzNumOps = 26

func (r *opsRunner) doOp() {
	t, b, m, d := r.t, r.b, r.m, &r.d
	t.Helper()
	prevUnread := r.unread
	r.unread = unreadInvalid
	op := d.byte() % fuzzNumOps
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
		off := d.target(m)
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
		if want := m.data[min(m.pos, m.size()):][:got]; !bytes.Equal(p[:got], want) {
			r.fatalf("read %x; want %x", p[:got], want)
		}
		m.pos += int64(got)
		if op == 5 && n == 0 {
			// io.ReadFull of nothing calls no Read: UnreadByte undoes
			// what came before, if anything (the checks between steps
			// call only GetValue and ReadAt, which leave it alone).
			r.unread = prevUnread
			r.checkUnread(flags)
			break
		}
		// io.ReadFull's last Read returned bytes only when it filled p.
		r.afterRead(flags, got > 0 && (op == 4 || got == n))

	case 6: // ReadAt
		n := d.size()
		off := d.target(m)
		r.desc = fmt.Sprintf("ReadAt(%d bytes, %d) of size %d", n, off, m.size())
		p := make([]byte, n)
		got, err := b.ReadAt(p, off)
		q := make([]byte, n)
		want, wantErr := m.readAt(q, off)
		if n == 0 && off >= m.size() && err == io.EOF {
			wantErr = io.EOF // io.ReaderAt allows either for an empty p at the end
		}
		r.checkErr("", err, wantErr)
		if got != want || !bytes.Equal(p[:got], q[:want]) {
			r.fatalf("got (%d) %x; want (%d) %x", got, p[:got], want, q[:want])
		}
		r.unread = prevUnread

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
		var line []byte
		var err error
		if flags&4 != 0 {
			var s string
			s, err = b.ReadString(delim)
			line = []byte(s)
		} else {
			line, err = b.ReadBytes(delim)
		}
		rest := m.data[min(m.pos, m.size()):]
		want, wantErr := rest, error(io.EOF)
		if i := bytes.IndexByte(rest, delim); i >= 0 {
			want, wantErr = rest[:i+1], nil
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
			tgt := d.target(m)
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
			n = d.target(m)
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
		m.data, m.pos = nil, 0

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
		if c%2 == 0 {
			var w bytes.Buffer
			got, err := b.WriteTo(&w)
			r.checkErr("", err, nil)
			if want := m.data[min(m.pos, m.size()):]; got != int64(len(want)) || !bytes.Equal(w.Bytes(), want) {
				r.fatalf("got (%d) %x; want (%d) %x", got, w.Bytes(), len(want), want)
			}
			m.pos += avail
			break
		}
		// A writer that takes only room bytes in all, then stops short
		// (io.ErrShortWrite) or fails.
		room := int64(d.size())
		w := &limitedWriter{room: room}
		var wantErr error = io.ErrShortWrite
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
		if exp := m.data[min(m.pos, m.size()):][:want]; got != want || !bytes.Equal(w.w.Bytes(), exp) {
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
		r.views = append(r.views, liveView{v, bytes.Clone(m.data)})
		r.unread = prevUnread // GetValue neither reads nor moves

	case 19: // Release a view, maybe through a copy
		c := d.byte()
		if len(r.views) == 0 {
			r.desc = "no view to release"
			r.unread = prevUnread
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
		r.unread = prevUnread

	case 20: // View.ReadAt and the other view readers
		c := d.byte()
		n := d.size()
		offByte := d.u16()
		if len(r.views) == 0 {
			r.desc = "no view to read"
			r.unread = prevUnread
			break
		}
		lv := r.views[int(c)%len(r.views)]
		r.checkView(lv, c, n, int64(offByte)%(int64(len(lv.want))+8)-2)
		r.unread = prevUnread

	case 21: // Close
		if d.byte() != 0xc1 {
			r.desc = "no-op"
			r.unread = prevUnread
			break
		}
		r.desc = "Close()"
		if err := b.Close(); err != nil {
			r.fatalf("got %v; want nil", err)
		}
		m.closed = true

	case 22: // SetLimit
		lim := []int64{0, 1, 64, 100, 300, 1000, 5000, 200 << 10, buffer.DefaultLimit}[int(d.byte())%9]
		r.desc = fmt.Sprintf("SetLimit(%d)", lim)
		b.SetLimit(lim)
		if got := b.Limit(); got != lim {
			r.fatalf("then Limit() = %d; want %d", got, lim)
		}
		m.limit = lim
		r.unread = prevUnread

	case 23, 24: // ReadByte + UnreadByte pairs at chunk boundaries
		k := fuzzBoundaries[int(d.byte())%len(fuzzBoundaries)]
		flags := d.byte()
		r.desc = fmt.Sprintf("Seek(%d) ReadByte() at size %d", k-1, m.size())
		if got, err := b.Seek(k-1, io.SeekStart); got != k-1 || err != nil {
			r.fatalf("Seek: got (%d, %v); want (%d, nil)", got, err, k-1)
		}
		m.pos = k - 1
		r.readByte(flags | 1)

	case 25: // Len, Size, Pos on their own (also checked after every step)
		r.desc = "Len() Size() Pos()"
		r.unread = prevUnread
	}
}

// afterRead runs UnreadByte right after a read when flags ask for it: it must
// work when the read returned bytes, and fail otherwise; a second one must
// fail. A read that returned bytes with io.EOF (ReadBytes at the end) counts
// as a read that returned bytes.
func (r *opsRunner) afterRead(flags byte, readSome bool) {
	r.t.Helper()
	r.unread = unreadInvalid
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
	r.unread = unreadInvalid
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
	switch arg % 14 {
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
	}
}

// bury keeps a released view (or a copy of one) to check that it stays
// empty.
func (r *opsRunner) bury(lv liveView) {
	if len(r.dead) >= 4 {
		r.dead = r.dead[1:]
	}
	r.dead = append(r.dead, lv)
}

// checkView reads lv through one of the View's readers, chosen by c.
func (r *opsRunner) checkView(lv liveView, c byte, n int, off int64) {
	r.t.Helper()
	v, want := lv.v, lv.want
	switch c >> 4 % 8 {
	case 0, 1, 2:
		r.desc = fmt.Sprintf("View.ReadAt(%d bytes, %d) of %d", n, off, len(want))
		p := make([]byte, n)
		got, err := v.ReadAt(p, off)
		if off < 0 {
			// Like Buffer.ReadAt, though the contract only implies it.
			if got != 0 || err == nil {
				r.fatalf("got (%d, %v); want (0, an error)", got, err)
			}
			break
		}
		q := make([]byte, n)
		m := &model{data: want}
		wn, wantErr := m.readAt(q, off)
		if n == 0 && off >= int64(len(want)) && err == io.EOF {
			wantErr = io.EOF
		}
		r.checkErr("", err, wantErr)
		if got != wn || !bytes.Equal(p[:got], q[:wn]) {
			r.fatalf("got (%d) %x; want (%d) %x", got, p[:got], wn, q[:wn])
		}
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
		checkPosSizeLen(r.fatalf, b, m)
		// ReadAt leaves the buffer's state alone; GetValue shares the
		// chunks, so it runs only now and then, not to hide bugs of the
		// unshared paths.
		if r.step%8 == 7 {
			v := b.GetValue()
			if got := v.Bytes(); v.Len() != m.size() || !bytes.Equal(got, m.data) {
				r.fatalf("then GetValue() = (%d) %x; want (%d) %x", v.Len(), got, m.size(), m.data)
			}
			v.Release()
		} else {
			p := make([]byte, m.size())
			n, err := b.ReadAt(p, 0)
			if len(p) == 0 && err == io.EOF {
				err = nil
			}
			if n != len(p) || err != nil || !bytes.Equal(p, m.data) {
				r.fatalf("then ReadAt(all, 0) = (%d, %v) %x; want (%d, nil) %x", n, err, p[:n], len(p), m.data)
			}
		}
	}
	for i, lv := range r.views {
		if got := lv.v.Len(); got != int64(len(lv.want)) || !lv.v.Equal(lv.want) {
			r.fatalf("then view %d: Len() = %d, content %x; want (%d) %x", i, got, lv.v.Bytes(), len(lv.want), lv.want)
		}
	}
	for i, lv := range r.dead {
		if debugBuild { // debug builds panic on use after Release
			break
		}
		v := lv.v
		p := make([]byte, 1)
		n, err := v.ReadAt(p, 0)
		if len(lv.want) == 0 && err == io.EOF {
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
	// NewBytes of 2000 bytes: view, overwrite inside, release.
	{6, 0xe0, 0x07, 0xd0, 18, 3, 10, 0x45, 1, 0, 19, 0, 4, 0xe0, 0x08, 0x00, 0},
}

// FuzzOps runs scripts of Buffer operations against the model.
func FuzzOps(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	p := newSmallPool(f)
	f.Fuzz(func(t *testing.T, script []byte) {
		runOps(t, p, script)
	})
}

// TestOpsRandom runs random scripts against the model, so that a plain go test
// covers more than the fuzz seeds.
func TestOpsRandom(t *testing.T) {
	p := newSmallPool(t)
	n := 400
	if testing.Short() {
		n = 50
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		script := make([]byte, 64+rng.IntN(512))
		for j := range script {
			script[j] = byte(rng.Uint32())
		}
		// Make Close rare: it ends the interesting part of a script.
		for j := range script {
			if script[j] == 0xc1 {
				script[j] = 0xc2
			}
		}
		t.Run(fmt.Sprintf("script=%d", i), func(t *testing.T) {
			runOps(t, p, script)
		})
		if t.Failed() {
			t.Logf("script %d: %x", i, script)
			break
		}
	}
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
	if want := r.m.data[r.m.pos]; c != want {
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

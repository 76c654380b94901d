package buffer_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"testing"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// FuzzReadFromWriteTo drives ReadFrom with scripted readers that misbehave
// (short reads, runs of (0, nil), errors and io.EOF together with data,
// scribbling over all of p, impossible counts) and Buffer.WriteTo,
// View.WriteTo and ViewReader.WriteTo with scripted writers that misbehave
// (short writes without an error, errors, impossible counts), from positions
// before, at and past the end and under size limits. Each call's counts,
// error, content and position are checked against the model, replayed over
// the calls the reader or writer actually saw.
//
// Script: a mode byte (bits 0-1: 0 and 1 the small pool, 2 pool.Default, 3
// NewBytes), the initial content size and start position, then ops of one
// byte each plus their arguments (see rwRunner.doOp).
func FuzzReadFromWriteTo(f *testing.F) { fuzzScripts(f, rwSeeds, newSmallPool(f), runRW) }

// fuzzMisbehavingConn lets the scripted writer pose as a net.Conn while it
// writes short without an error or reports impossible counts. WriteTo hands
// net.Buffers (writev) only to *net.TCPConn and *net.UnixConn, and checks
// every other writer's counts chunk by chunk, net.Conn or not; a regression
// there shows up here at once.
const fuzzMisbehavingConn = true

// errAnyFailure stands for "some error other than io.EOF" in expectations:
// the error for an impossible count is not exported.
var errAnyFailure = errors.New("any error but io.EOF")

// Errors of the scripted readers and writers.
var (
	errReaderBroke = errors.New("rwReader: broke")
	errWriterBroke = errors.New("rwWriter: broke")
)

// rwScribble is what scribbling readers write over p.
const rwScribble = 0xEE

// readStep is one scripted result of rwReader.Read.
type readStep struct {
	n        int   // bytes returned, at most len(p); see rel, bad and fill
	fill     bool  // return min(len(p), 64 KiB) bytes
	bad      bool  // return an impossible count: n, plus len(p) when rel
	rel      bool  // with bad: n is relative to len(p)
	err      error // returned with the bytes
	times    int   // the step repeats this many times; < 0 forever
	scribble bool  // fill all of p with rwScribble before the data
}

// stepString describes the count, error and repetition of a scripted read
// or write step; whole names the step that takes all it is offered.
func stepString(n int, bad, rel, isWhole bool, whole string, err error, times int) string {
	var w string
	switch {
	case bad && rel:
		w = fmt.Sprintf("count len(p)%+d", n)
	case bad:
		w = fmt.Sprintf("count %d", n)
	case isWhole:
		w = whole
	default:
		w = fmt.Sprint(n)
	}
	if err != nil {
		w += fmt.Sprintf("+%v", err)
	}
	if times > 1 {
		w += fmt.Sprintf(" x%d", times)
	}
	return w
}

func (s readStep) String() string {
	w := stepString(s.n, s.bad, s.rel, s.fill, "fill", s.err, s.times)
	if s.scribble {
		w += " scribbling"
	}
	return w
}

// readCall is one call of rwReader.Read as it happened.
type readCall struct {
	plen int
	n    int
	err  error
	data []byte // the bytes returned in p[:n], when 0 <= n <= plen
}

// rwReader plays readSteps, then its tail step forever, and records every
// call.
type rwReader struct {
	steps []readStep
	tail  readStep
	seed  int64
	calls []readCall
}

func (r *rwReader) Read(p []byte) (int, error) {
	s := &r.tail
	if len(r.steps) > 0 {
		s = &r.steps[0]
		if s.times--; s.times <= 0 {
			r.steps = r.steps[1:]
		}
	}
	n := min(s.n, len(p))
	switch {
	case s.bad && s.rel:
		n = len(p) + s.n
	case s.bad:
		n = s.n
	case s.fill:
		n = min(len(p), 64<<10)
	}
	if s.scribble {
		for i := range p {
			p[i] = rwScribble
		}
	}
	c := readCall{plen: len(p), n: n, err: s.err}
	if n > 0 && n <= len(p) {
		r.seed++
		c.data = vecGen(int64(n), r.seed)
		copy(p, c.data)
	}
	r.calls = append(r.calls, c)
	return n, s.err
}

// writeStep is one scripted result of rwWriter.Write.
type writeStep struct {
	n     int  // bytes taken, at most len(p); see all and bad
	all   bool // take all of p
	bad   bool // report an impossible count: n, plus len(p) when rel
	rel   bool
	err   error
	times int
}

func (s writeStep) String() string {
	return stepString(s.n, s.bad, s.rel, s.all, "all", s.err, s.times)
}

// writeCall is one call of rwWriter.Write as it happened.
type writeCall struct {
	p   []byte // a copy of what the writer was given
	n   int
	err error
}

// rwWriter plays writeSteps, then takes everything, and records every call.
type rwWriter struct {
	steps []writeStep
	calls []writeCall
}

func (w *rwWriter) Write(p []byte) (int, error) {
	s := writeStep{all: true}
	if len(w.steps) > 0 {
		s = w.steps[0]
		if w.steps[0].times--; w.steps[0].times <= 0 {
			w.steps = w.steps[1:]
		}
	}
	n := min(s.n, len(p))
	switch {
	case s.bad && s.rel:
		n = len(p) + s.n
	case s.bad:
		n = s.n
	case s.all:
		n = len(p)
	}
	w.calls = append(w.calls, writeCall{p: bytes.Clone(p), n: n, err: s.err})
	return n, s.err
}

// rwConn is an rwWriter posing as a net.Conn, which sends multi-chunk
// content through net.Buffers. Only Write may be called.
type rwConn struct {
	net.Conn
	w *rwWriter
}

func (c *rwConn) Write(p []byte) (int, error) { return c.w.Write(p) }

// rwRunner applies a script of ReadFrom and WriteTo calls to a Buffer and a
// model side by side.
type rwRunner struct {
	t     *testing.T
	b     *buffer.Buffer
	m     *model
	d     opDecoder
	step  int
	desc  string
	init  []byte // argument of NewBytes, which must stay unchanged
	orig  []byte
	views []liveView
}

func (r *rwRunner) fatalf(format string, args ...any) {
	r.t.Helper()
	r.t.Fatalf("step %d %s: %s", r.step, r.desc, fmt.Sprintf(format, args...))
}

// checkErr reports err unless it matches want: nil and io.EOF exactly,
// errAnyFailure any error but io.EOF, others by errors.Is.
func (r *rwRunner) checkErr(what string, err, want error) {
	r.t.Helper()
	ok := false
	switch want {
	case nil, io.EOF:
		ok = err == want
	case errAnyFailure:
		ok = err != nil && err != io.EOF
	default:
		ok = errors.Is(err, want)
	}
	if !ok {
		r.fatalf("%s: got error %v; want %v", what, err, want)
	}
}

func runRW(t *testing.T, p *pool.Pool, script []byte) {
	r := &rwRunner{t: t, m: newModel(), d: opDecoder{script: script}}
	mode := r.d.byte() % 4
	init := r.d.data(r.d.size())
	switch mode {
	case 3:
		r.init, r.orig = init, bytes.Clone(init)
		r.b = buffer.NewBytes(init)
	case 2:
		r.b = buffer.New()
	default:
		r.b = buffer.NewWithPool(p)
	}
	defer func() {
		for _, lv := range r.views {
			lv.v.Release()
		}
		r.b.Close()
	}()
	r.desc = fmt.Sprintf("setup(mode %d, %d bytes)", mode, len(init))
	if mode != 3 {
		if n, err := r.b.Write(init); n != len(init) || err != nil {
			r.fatalf("Write: got (%d, %v); want (%d, nil)", n, err, len(init))
		}
	}
	r.m.data = bytes.Clone(init)
	r.seek(max(0, r.d.target(r.m)))
	r.check()
	trace := os.Getenv("BUFFER_OPS_TRACE") != ""
	for r.step = 1; r.d.more() && r.step <= 48; r.step++ {
		r.doOp()
		if trace {
			t.Logf("step %d %s: pos %d, size %d, limit %d, views %d", r.step, r.desc, r.m.pos, r.m.size(), r.m.limit, len(r.views))
		}
		r.check()
	}
}

// seek moves both to off, which must be valid.
func (r *rwRunner) seek(off int64) {
	r.t.Helper()
	got, err := r.b.Seek(off, io.SeekStart)
	want, wantErr := r.m.seek(off, io.SeekStart)
	r.checkErr(fmt.Sprintf("Seek(%d)", off), err, wantErr)
	if got != want {
		r.fatalf("Seek(%d): got %d; want %d", off, got, want)
	}
}

func (r *rwRunner) doOp() {
	b, m, d := r.b, r.m, &r.d
	switch op := d.byte() % 10; op {
	case 0, 1, 2:
		r.readFrom()

	case 3:
		w := r.writer()
		avail := bytes.Clone(m.data[min(m.pos, m.size()):])
		r.desc = fmt.Sprintf("Buffer.WriteTo(%s) at pos %d, size %d", w.desc, m.pos, m.size())
		n, err := b.WriteTo(w.w)
		r.checkWrites(w.rec, avail, n, err)
		m.pos += n

	case 4:
		v, release := r.view()
		w := r.writer()
		want := v.Bytes()
		r.desc = fmt.Sprintf("View.WriteTo(%s) of %d bytes", w.desc, len(want))
		want = bytes.Clone(want)
		n, err := v.WriteTo(w.w)
		r.checkWrites(w.rec, want, n, err)
		if release {
			v.Release()
		}

	case 5:
		v, release := r.view()
		vr := v.NewReader()
		size := v.Len()
		off := int64(d.u16()) % (size + 70)
		w := r.writer()
		r.desc = fmt.Sprintf("ViewReader.WriteTo(%s) at %d of %d bytes", w.desc, off, size)
		if pos, err := vr.Seek(off, io.SeekStart); pos != off || err != nil {
			r.fatalf("Seek: got (%d, %v); want (%d, nil)", pos, err, off)
		}
		all := v.Bytes()
		avail := bytes.Clone(all[min(off, size):])
		n, err := vr.WriteTo(w.w)
		r.checkWrites(w.rec, avail, n, err)
		if pos, err := vr.Seek(0, io.SeekCurrent); pos != off+n || err != nil {
			r.fatalf("then Seek(0, SeekCurrent): got (%d, %v); want (%d, nil)", pos, err, off+n)
		}
		if got, want := vr.Len(), len(avail)-int(n); got != want {
			r.fatalf("then Len() = %d; want %d", got, want)
		}
		// A second WriteTo writes the rest.
		var rest bytes.Buffer
		n2, err := vr.WriteTo(&rest)
		if n2 != int64(len(avail))-n || err != nil || !bytes.Equal(rest.Bytes(), avail[n:]) {
			r.fatalf("then WriteTo(bytes.Buffer) = (%d, %v) %x; want (%d, nil) %x", n2, err, rest.Bytes(), int64(len(avail))-n, avail[n:])
		}
		if release {
			v.Release()
		}

	case 6:
		off := d.target(m)
		r.desc = fmt.Sprintf("Seek(%d) at size %d", off, m.size())
		got, err := b.Seek(off, io.SeekStart)
		want, wantErr := m.seek(off, io.SeekStart)
		r.checkErr("", err, wantErr)
		if wantErr == nil && got != want {
			r.fatalf("got %d; want %d", got, want)
		}

	case 7:
		c := d.byte()
		lims := []int64{
			buffer.DefaultLimit, 0, 1, 64, 100, 300, 1000, 5000, 1 << 16, 1 << 40,
			m.size() + int64(c>>4), m.pos + int64(c>>4), m.pos - 1, math.MaxInt64,
		}
		lim := lims[int(c)%len(lims)]
		r.desc = fmt.Sprintf("SetLimit(%d)", lim)
		b.SetLimit(lim)
		m.limit = min(max(lim, 0), buffer.MaxLimit)
		if got := b.Limit(); got != m.limit {
			r.fatalf("then Limit() = %d; want %d", got, m.limit)
		}
		if m.limit > buffer.DefaultLimit {
			// The model cannot hold what a write at a far target (1<<40
			// and up) would then make.
			b.SetLimit(buffer.DefaultLimit)
			m.limit = buffer.DefaultLimit
		}

	case 8:
		p := d.data(d.size())
		r.desc = fmt.Sprintf("Write(%d bytes) at pos %d, size %d", len(p), m.pos, m.size())
		n, err := b.Write(p)
		wn, wantErr := m.write(p)
		r.checkErr("", err, wantErr)
		if n != wn {
			r.fatalf("got n = %d; want %d", n, wn)
		}

	case 9:
		switch c := d.byte(); c % 4 {
		case 0:
			r.desc = "GetValue()"
			if len(r.views) >= 3 {
				r.views[0].v.Release()
				r.views = r.views[1:]
			}
			r.views = append(r.views, liveView{b.GetValue(), bytes.Clone(m.data)})
		case 1:
			r.desc = "Release()"
			if len(r.views) > 0 {
				i := int(c>>2) % len(r.views)
				r.views[i].v.Release()
				r.views = append(r.views[:i], r.views[i+1:]...)
			}
		case 2:
			n := int64(d.u16()) % (m.size() + 2)
			r.desc = fmt.Sprintf("Truncate(%d) of size %d", n, m.size())
			r.checkErr("", b.Truncate(n), m.truncate(n))
		default:
			r.desc = "Reset()"
			b.Reset()
			m.data, m.pos = nil, 0
		}
	}
}

// view returns a held view picked by the script, or a new one that the
// caller releases.
func (r *rwRunner) view() (v buffer.View, release bool) {
	c := r.d.byte()
	if len(r.views) > 0 && c&1 != 0 {
		lv := r.views[int(c>>1)%len(r.views)]
		return lv.v, false
	}
	return r.b.GetValue(), true
}

// readFrom runs ReadFrom with a scripted reader and replays its calls on the
// model.
func (r *rwRunner) readFrom() {
	b, m, d := r.b, r.m, &r.d
	h := d.byte()
	rd := &rwReader{seed: int64(r.step) << 32}
	var desc []string
	for range h % 8 {
		s := r.readStep()
		rd.steps = append(rd.steps, s)
		desc = append(desc, s.String())
	}
	// The tail; an endless reader only where the limit stops it soon.
	switch h >> 3 % 4 {
	case 0:
		rd.tail = readStep{err: io.EOF}
	case 1:
		rd.tail = readStep{err: errReaderBroke}
	case 2:
		rd.tail = readStep{} // (0, nil) forever
	case 3:
		rd.tail = readStep{fill: true, scribble: h&0x80 != 0}
		if m.limit > 1<<16 {
			rd.tail = readStep{err: io.EOF}
		}
	}
	desc = append(desc, fmt.Sprintf("then %v forever", rd.tail))
	r.desc = fmt.Sprintf("ReadFrom(%v) at pos %d, size %d, limit %d", desc, m.pos, m.size(), m.limit)

	got, err := b.ReadFrom(rd)

	// Replay the calls: each must be one the contract allows, and the
	// result must follow from them.
	var total int64
	empty := 0
	for i, c := range rd.calls {
		last := i == len(rd.calls)-1
		switch {
		case c.plen <= 0:
			r.fatalf("call %d: Read with an empty p", i)
		case m.pos >= m.limit && c.plen != 1:
			r.fatalf("call %d: at the limit, Read with len(p) = %d; want 1", i, c.plen)
		case m.pos < m.limit && int64(c.plen) > m.limit-m.pos:
			r.fatalf("call %d: Read with len(p) = %d at pos %d passes the limit %d", i, c.plen, m.pos, m.limit)
		}
		stop, wantErr := false, error(nil)
		switch {
		case c.n < 0 || c.n > c.plen:
			stop, wantErr = true, errAnyFailure
		case c.n > 0 && m.pos >= m.limit:
			stop, wantErr = true, buffer.ErrTooLarge
		default:
			if c.n > 0 {
				if _, err := m.write(c.data); err != nil {
					r.fatalf("call %d: model write: %v", i, err)
				}
				total += int64(c.n)
				empty = 0
			}
			switch {
			case c.err == io.EOF:
				stop = true
			case c.err != nil:
				stop, wantErr = true, c.err
			case c.n == 0:
				if empty++; empty >= 100 {
					stop, wantErr = true, io.ErrNoProgress
				}
			}
		}
		if stop != last {
			if stop {
				r.fatalf("call %d (%d of %d, %v): went on reading after it", i, c.n, c.plen, c.err)
			}
			r.fatalf("stopped after call %d (%d of %d, %v); got (%d, %v)", i, c.n, c.plen, c.err, got, err)
		}
		if stop {
			r.checkErr("", err, wantErr)
			if got != total {
				r.fatalf("got n = %d; want %d", got, total)
			}
		}
	}
	if len(rd.calls) == 0 {
		r.fatalf("never called Read; got (%d, %v)", got, err)
	}
}

// readStep decodes one reader step.
func (r *rwRunner) readStep() readStep {
	d := &r.d
	c := d.byte()
	s := readStep{times: 1, scribble: c&0x80 != 0}
	x := int(c>>3) & 15
	switch c % 8 {
	case 0:
		s.n = d.size()
	case 1:
		s.n, s.times = d.size(), 1+x%8
	case 2:
		s.n, s.err = d.size(), io.EOF
	case 3:
		s.n, s.err = d.size(), errReaderBroke
	case 4:
		s.times = []int{1, 2, 50, 98, 99, 100, 101, 150}[x%8]
	case 5:
		s.bad = true
		bad := []struct {
			n   int
			rel bool
		}{{-1, false}, {1, true}, {4096, true}, {math.MinInt, false}, {math.MaxInt, false}, {-4096, false}}[(x&7)%6]
		s.n, s.rel = bad.n, bad.rel
		if x&8 != 0 {
			s.err = io.EOF
		}
	case 6:
		s.err = io.EOF
		if x&1 != 0 {
			s.err = errReaderBroke
		}
	default:
		s.fill, s.times = true, 1+x%4
	}
	return s
}

// scriptedWriter is a writer for a WriteTo op: w is what WriteTo gets, rec
// records its calls.
type scriptedWriter struct {
	w    io.Writer
	rec  *rwWriter
	desc string
}

// writer decodes a scripted writer.
func (r *rwRunner) writer() scriptedWriter {
	d := &r.d
	h := d.byte()
	conn := h&0x40 != 0
	rec := &rwWriter{}
	for range h & 7 {
		c := d.byte()
		s := writeStep{times: 1}
		x := int(c >> 3)
		switch c & 7 {
		case 0, 6, 7:
			s.all = true
		case 1:
			s.n, s.times = d.size(), 1+x%4
		case 2:
			s.n, s.err = d.size(), errWriterBroke
		case 3:
			s.bad = true
			bad := []struct {
				n   int
				rel bool
			}{{-1, false}, {1, true}, {math.MinInt, false}, {math.MaxInt, false}}[x%4]
			s.n, s.rel = bad.n, bad.rel
			if x&4 != 0 {
				s.err = errWriterBroke
			}
		case 4:
			// takes nothing
		default:
			s.all, s.err = true, errWriterBroke
		}
		if conn && !fuzzMisbehavingConn && s.err == nil && !s.all {
			s = writeStep{all: true, times: s.times}
		}
		if conn && !fuzzMisbehavingConn && s.bad {
			s = writeStep{n: 0, err: errWriterBroke, times: 1}
		}
		rec.steps = append(rec.steps, s)
	}
	desc := fmt.Sprintf("writer %v", rec.steps)
	if conn {
		return scriptedWriter{&rwConn{w: rec}, rec, "net.Conn " + desc}
	}
	return scriptedWriter{rec, rec, desc}
}

// checkWrites replays the calls a WriteTo made: each must be given the next
// bytes of avail, and the count and error must follow from what the writer
// returned.
func (r *rwRunner) checkWrites(w *rwWriter, avail []byte, got int64, err error) {
	r.t.Helper()
	var written int64
	for i, c := range w.calls {
		last := i == len(w.calls)-1
		if end := written + int64(len(c.p)); end > int64(len(avail)) || !bytes.Equal(c.p, avail[written:end]) {
			r.fatalf("call %d: Write(%d bytes) at %d of %d: not the content", i, len(c.p), written, len(avail))
		}
		stop, wantErr := false, error(nil)
		switch {
		case c.n < 0 || c.n > len(c.p):
			stop, wantErr = true, errAnyFailure
		default:
			written += int64(c.n)
			switch {
			case c.err != nil:
				stop, wantErr = true, c.err
			case c.n < len(c.p):
				stop, wantErr = true, io.ErrShortWrite
			case written == int64(len(avail)):
				stop = true
			}
		}
		if stop != last {
			if stop {
				r.fatalf("call %d (%d of %d, %v): went on writing after it", i, c.n, len(c.p), c.err)
			}
			r.fatalf("stopped after call %d (%d of %d, %v); got (%d, %v)", i, c.n, len(c.p), c.err, got, err)
		}
		if stop {
			r.checkErr("", err, wantErr)
		}
	}
	if len(w.calls) == 0 {
		if len(avail) != 0 {
			r.fatalf("never called Write with %d bytes to write; got (%d, %v)", len(avail), got, err)
		}
		r.checkErr("", err, nil)
	}
	if got != written {
		r.fatalf("got n = %d; want %d", got, written)
	}
}

// check compares the buffer with the model, the views with their
// snapshots, and the NewBytes argument with its original.
func (r *rwRunner) check() {
	r.t.Helper()
	b, m := r.b, r.m
	checkPosSizeLen(r.fatalf, b, m)
	p := make([]byte, m.size())
	n, err := b.ReadAt(p, 0)
	if len(p) == 0 && err == io.EOF {
		err = nil
	}
	if n != len(p) || err != nil || !bytes.Equal(p, m.data) {
		i := 0
		for i < n && p[i] == m.data[i] {
			i++
		}
		r.fatalf("then ReadAt(all, 0) = (%d, %v), differing from byte %d on; want (%d, nil)", n, err, i, len(p))
	}
	for i, lv := range r.views {
		if !lv.v.Equal(lv.want) {
			r.fatalf("then view %d (%d bytes) changed", i, len(lv.want))
		}
	}
	if r.orig != nil && !bytes.Equal(r.init, r.orig) {
		r.fatalf("NewBytes argument changed")
	}
}

// Seed scripts, built with the encoders below (see FuzzReadFromWriteTo and
// rwRunner.doOp for the layout).
var rwSeeds = [][]byte{
	// 300 bytes in the small pool, at 100: ReadFrom with short reads, then
	// data with io.EOF (overwrite, then extend); WriteTo with a short write
	// and no error; View.WriteTo and ViewReader.WriteTo with failing
	// writers.
	cat([]byte{0}, sz(300), posAt(100),
		rf(rtEOF, rsData(20), rsRepeat(7, 3), rsEOF(400)),
		seek(posAt(200)), bufWT(wr(false, wsShort(10, 1))),
		viewWT(0, wr(false, wsErr(100))),
		viewReaderWT(0, 150, wr(false, wsAllErr())),
		viewReaderWT(0, 299, wr(false, wsNothing()))),
	// At the end: runs of 99 and 100 (0, nil) results, with a byte
	// between; then 101 of them.
	cat([]byte{1}, sz(64), posPast(0),
		rf(rtEOF, rsEmpty(4), rsData(1), rsEmpty(5)),
		rf(rtEOF, rsEmpty(3), rsData(1), rsEmpty(6))),
	// Past the end: readers that scribble over all of p, data with an
	// error, impossible counts (with io.EOF too); then a write past the
	// end, which must zero-fill the gap.
	cat([]byte{0}, sz(191), posPast(1),
		rf(rtErr, scribble(rsData(48)), scribble(rsErr(32))),
		rf(rtEOF, rsBad(0, false)),
		rf(rtEOF, scribble(rsBad(1, true))),
		rf(rtEOF, rsBad(2, false)),
		rf(rtEOF, rsData(5), rsBad(3, false)),
		rf(rtEOF, rsBad(4, true)),
		rf(rtEOF, rsBad(5, false)),
		seek(posPast(9)), write(5)),
	// Limits: ReadFrom from an endless reader up to limit 1000, at it,
	// beyond it; then limit 64 with a scribbling endless reader.
	cat([]byte{0}, sz(64), posAt(64),
		setLimit(6), rf(rtEndless), rf(rtEndless), seek(posPast(31)), rf(rtEndless),
		setLimit(3), seek(posAt(10)), rf(rtEndless|rtScribble), rf(rtStuck),
		setLimit(13), seek(posAt(3)), rf(rtEOF, rsFill(4)),
		setLimit(10|2<<4), rf(rtEndless, rsData(1))),
	// pool.Default with 5000 bytes (several chunks): writers posing as
	// net.Conn, impossible counts to Buffer.WriteTo.
	cat([]byte{2}, sz(4999), posAt(0),
		viewWT(0, wr(true, wsErr(3000))),
		viewWT(0, wr(true, wsAll(), wsAllErr())),
		bufWT(wr(false, wsBad(0, false))),
		bufWT(wr(false, wsBad(1, true))),
		bufWT(wr(false, wsBad(2, false))),
		bufWT(wr(false, wsShort(1000, 2), wsBad(3, true))),
		bufWT(wr(true, wsAll(), wsAll())),
		seek(posAt(1)), rf(rtEOF, rsRepeat(1000, 4), rsFill(4))),
	// NewBytes: ReadFrom overwrites the shared bytes (which must be
	// copied first), views held across ReadFrom, Truncate and Reset.
	cat([]byte{3}, sz(704), posAt(0),
		getValue(), rf(rtEOF, rsData(64)),
		getValue(), rf(rtStuck, rsData(100)), truncate(400),
		viewReaderWT(1, 600, wr(false, wsShort(64, 2))),
		viewWT(3, wr(false, wsShort(1, 1))),
		reset(), seek(posPast(5)), rf(rtEOF|rtScribble, scribble(rsData(70))),
		rf(rtStuck, rsData(3), rsEnd(false)), rf(rtStuck, rsData(3), rsEnd(true))),
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// sz encodes a size below 5000 for opDecoder.size.
func sz(n int) []byte {
	if n < 0x80 {
		return []byte{byte(n)}
	}
	return []byte{0xe0, byte(n >> 8), byte(n)}
}

// posAt encodes offset n, at most the size, for opDecoder.target; posPast
// the size plus k < 32.
func posAt(n int) []byte   { return []byte{3 << 5, byte(n >> 8), byte(n)} }
func posPast(k int) []byte { return []byte{1<<5 | byte(k)} }

// Reader tails for rf.
const (
	rtEOF      = 0 << 3
	rtErr      = 1 << 3
	rtStuck    = 2 << 3 // (0, nil) forever
	rtEndless  = 3 << 3 // data forever, when the limit is at most 64 KiB
	rtScribble = 0x80
)

// rf encodes a ReadFrom op with a reader of the given steps and tail.
func rf(tail byte, steps ...[]byte) []byte {
	return cat([]byte{0, byte(len(steps)) | tail}, cat(steps...))
}

func rsData(n int) []byte              { return cat([]byte{0}, sz(n)) }
func rsRepeat(n, times int) []byte     { return cat([]byte{1 | byte(times-1)<<3}, sz(n)) }
func rsEOF(n int) []byte               { return cat([]byte{2}, sz(n)) }
func rsErr(n int) []byte               { return cat([]byte{3}, sz(n)) }
func rsEmpty(run int) []byte           { return []byte{4 | byte(run)<<3} } // run indexes 1, 2, 50, 98, 99, 100, 101, 150
func rsEnd(withErr bool) []byte        { return []byte{6 | b2u(withErr)<<3} }
func rsFill(times int) []byte          { return []byte{7 | byte(times-1)<<3} }
func scribble(step []byte) []byte      { return cat([]byte{step[0] | 0x80}, step[1:]) }
func rsBad(i int, withEOF bool) []byte { return []byte{5 | byte(i)<<3 | b2u(withEOF)<<6} } // -1, len+1, len+4096, MinInt, MaxInt, -4096

func b2u(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// wr encodes a scripted writer.
func wr(conn bool, steps ...[]byte) []byte {
	return cat([]byte{byte(len(steps)) | b2u(conn)<<6}, cat(steps...))
}

func wsAll() []byte                    { return []byte{0} }
func wsShort(n, times int) []byte      { return cat([]byte{1 | byte(times-1)<<3}, sz(n)) }
func wsErr(n int) []byte               { return cat([]byte{2}, sz(n)) }
func wsBad(i int, withErr bool) []byte { return []byte{3 | byte(i)<<3 | b2u(withErr)<<5} } // -1, len+1, MinInt, MaxInt
func wsNothing() []byte                { return []byte{4} }
func wsAllErr() []byte                 { return []byte{5} }

// Ops; view picks a held view (odd) or a new one (even).
func bufWT(w []byte) []byte             { return cat([]byte{3}, w) }
func viewWT(view byte, w []byte) []byte { return cat([]byte{4, view}, w) }
func viewReaderWT(view byte, off int, w []byte) []byte {
	return cat([]byte{5, view, byte(off >> 8), byte(off)}, w)
}
func seek(target []byte) []byte { return cat([]byte{6}, target) }
func setLimit(i byte) []byte    { return []byte{7, i} } // see the list in doOp
func write(n int) []byte        { return cat([]byte{8}, sz(n)) }
func getValue() []byte          { return []byte{9, 0} }
func truncate(n int) []byte     { return []byte{9, 2, byte(n >> 8), byte(n)} }
func reset() []byte             { return []byte{9, 3} }

// The content limit follows the platform: 4 GiB on 64-bit, math.MaxInt32 on
// 32-bit, where a limit set above math.MaxInt is lowered to it and a size past
// 2 GiB fails with ErrTooLarge (GOARCH=386 go test). The largest limit is
// 1<<62 on 64-bit.
func TestLimitPlatform(t *testing.T) {
	if want := min(int64(1)<<32, math.MaxInt); buffer.DefaultLimit != want {
		t.Errorf("DefaultLimit = %d; want %d", int64(buffer.DefaultLimit), want)
	}
	if want := min(int64(1)<<62, math.MaxInt); buffer.MaxLimit != want {
		t.Errorf("MaxLimit = %d; want %d", int64(buffer.MaxLimit), want)
	}
	b := buffer.New()
	defer b.Close()
	b.SetLimit(1 << 40)
	if got, want := b.Limit(), min(int64(1)<<40, math.MaxInt); got != want {
		t.Errorf("SetLimit(1<<40): Limit() = %d; want %d", got, want)
	}
	// Write one byte at 2 GiB: past the limit on 32-bit (a gap is not
	// allocated, so it is cheap on 64-bit).
	const at = 1 << 31
	n, err := b.WriteAt([]byte{1}, at)
	if math.MaxInt == math.MaxInt32 {
		if n != 0 || !errors.Is(err, buffer.ErrTooLarge) || b.Size() != 0 {
			t.Errorf("WriteAt(1 byte, 2 GiB) = %d, %v, size %d; want 0, ErrTooLarge, size 0", n, err, b.Size())
		}
	} else if n != 1 || err != nil || b.Size() != at+1 {
		t.Errorf("WriteAt(1 byte, 2 GiB) = %d, %v, size %d; want 1, nil, size %d", n, err, b.Size(), int64(at+1))
	}
	b.Reset()
	// At DefaultLimit nothing more fits, with the default limit.
	b.SetLimit(buffer.DefaultLimit)
	b.Seek(buffer.DefaultLimit, io.SeekStart)
	if n, err := b.ReadFrom(&htEndless{}); n != 0 || !errors.Is(err, buffer.ErrTooLarge) || b.Size() != 0 {
		t.Errorf("ReadFrom at DefaultLimit = %d, %v, size %d; want 0, ErrTooLarge, size 0", n, err, b.Size())
	}
	b.Seek(buffer.DefaultLimit-1, io.SeekStart)
	if n, err := b.WriteString("ab"); n != 0 || !errors.Is(err, buffer.ErrTooLarge) || b.Size() != 0 {
		t.Errorf("WriteString(2 bytes) at DefaultLimit-1 = %d, %v, size %d; want 0, ErrTooLarge, size 0", n, err, b.Size())
	}
}

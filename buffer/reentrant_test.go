package buffer_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// A Buffer is not reentrant, but a reader or writer that calls it back from
// ReadFrom or WriteTo must not break it: these tests found writes past a
// chunk's end (other buffers' memory changed), nil dereferences, a closed
// buffer holding content, and another buffer's stale bytes shown as
// content.

// reentrantSetups are buffer states that take each path of ReadFrom: the
// tail, an empty buffer (a first chunk added), the chunk Reset kept, the
// small chunk read into when the content fills the one chunk, an
// overwrite (scratch memory), and past the end (a chunk added there).
var reentrantSetups = []struct {
	name  string
	setup func() *buffer.Buffer
}{
	{"tail", func() *buffer.Buffer { b := buffer.New(); b.WriteString("0123456789"); return b }},
	{"empty", buffer.New},
	{"kept", func() *buffer.Buffer {
		b := buffer.New()
		b.Write(bytes.Repeat([]byte{'k'}, 16<<10))
		b.Reset()
		return b
	}},
	{"full", func() *buffer.Buffer {
		b := buffer.New()
		b.WriteString("f")
		b.Write(bytes.Repeat([]byte{'f'}, b.Available()))
		return b
	}},
	{"overwrite", func() *buffer.Buffer {
		b := buffer.New()
		b.Write(bytes.Repeat([]byte{'o'}, 100))
		b.Seek(10, io.SeekStart)
		return b
	}},
	{"past end", func() *buffer.Buffer {
		b := buffer.New()
		b.WriteString("0123456789")
		b.Seek(5000, io.SeekStart)
		return b
	}},
}

// reentrantActions are what a reader or writer does to the buffer it was
// called from.
var reentrantActions = []struct {
	name string
	act  func(b *buffer.Buffer)
}{
	{"nothing", func(b *buffer.Buffer) { _ = b.Len() }},
	{"GetValue", func(b *buffer.Buffer) { b.GetValue().Release() }},
	{"hold view", func(b *buffer.Buffer) { _ = b.GetValue() }}, // released by the test
	{"rewind", func(b *buffer.Buffer) { b.Seek(0, io.SeekStart) }},
	{"write", func(b *buffer.Buffer) { b.WriteString("abc") }},
	{"append", func(b *buffer.Buffer) { b.Seek(0, io.SeekEnd); b.WriteString("abc") }},
	{"truncate", func(b *buffer.Buffer) { b.Truncate(3) }},
	{"truncate all", func(b *buffer.Buffer) { b.Truncate(0) }},
	{"outgrow, reset", func(b *buffer.Buffer) { b.Write(make([]byte, 1<<20)); b.Reset() }},
	{"limit", func(b *buffer.Buffer) { b.SetLimit(50) }},
	{"reset", func(b *buffer.Buffer) { b.Reset() }},
	{"close", func(b *buffer.Buffer) { b.Close() }},
}

// callbackReader reads "hello" in its first Read, calling act before it
// fills p or, when late, after it; then io.EOF.
type callbackReader struct {
	act   func()
	late  bool
	calls int
}

func (r *callbackReader) Read(p []byte) (int, error) {
	r.calls++
	if r.calls > 1 {
		return 0, io.EOF
	}
	if !r.late {
		r.act()
	}
	n := copy(p, "hello")
	if r.late {
		r.act()
	}
	return n, nil
}

// short quotes s, cut to 40 bytes.
func short(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%q... (%d bytes)", s[:40], len(s))
	}
	return fmt.Sprintf("%q", s)
}

// modelWrite returns content with p written at pos, zero-filling a gap.
func modelWrite(content []byte, pos int64, p []byte) []byte {
	if end := pos + int64(len(p)); end > int64(len(content)) {
		content = append(content, make([]byte, end-int64(len(content)))...)
	}
	copy(content[pos:], p)
	return content
}

// othersLen is the content of each buffer others makes: its first small
// write takes a first chunk as a buffer's first write does, the rest fills
// it and more, so that a chunk another buffer let go of is filled.
const othersLen = 9000

// others fills buffers with a known byte, to tell if a write lands in them.
func others() []*buffer.Buffer {
	var bs []*buffer.Buffer
	for range 16 {
		o := buffer.New()
		o.WriteString("o")
		o.Write(bytes.Repeat([]byte{'o'}, othersLen-1))
		bs = append(bs, o)
	}
	return bs
}

// readFromCatching is b.ReadFrom(r), which bytesio_debug builds end with a
// misuse panic when r calls b back and changes it: it reports that as an
// error with panicked set.
func readFromCatching(b *buffer.Buffer, r io.Reader) (n int64, err error, panicked bool) {
	defer func() {
		if e := recover(); e != nil {
			if !debugBuild || !strings.Contains(fmt.Sprint(e), "the reader called the buffer during Read") {
				panic(e)
			}
			err, panicked = errors.New("the misuse panic: buffer changed during Read"), true
		}
	}()
	n, err = b.ReadFrom(r)
	return n, err, false
}

func checkOthers(t *testing.T, bs []*buffer.Buffer) {
	t.Helper()
	for i, o := range bs {
		if s := o.String(); s != strings.Repeat("o", othersLen) {
			t.Fatalf("another buffer (%d) changed: %s", i, short(strings.Trim(s, "o")))
		}
		o.Close()
	}
}

// TestReadFromReentrant runs ReadFrom with a reader that calls the buffer
// back during a Read, before it fills p (which ReadFrom's doc forbids). The
// buffer must end as the callback left it, the bytes of that Read dropped,
// with an error (a misuse panic in bytesio_debug builds), or, when the
// callback changed nothing ReadFrom relies on, with those bytes written at
// the position and no error; it must stay usable, and no buffer made
// before may change. A callback that writes at the position writes into p
// (the tail, or a chunk read into directly), which the reader then fills:
// TestReadFromReentrantAny covers it.
func TestReadFromReentrant(t *testing.T) {
	for _, st := range reentrantSetups {
		for _, ac := range reentrantActions {
			if ac.name == "write" || ac.name == "append" {
				continue
			}
			t.Run(st.name+"/"+ac.name, func(t *testing.T) {
				if ac.name == "close" && debugBuild {
					t.Skip("a closed buffer's ReadFrom panics in debug builds")
				}
				// want is the buffer as the callback leaves it; with is
				// that with the Read's bytes written.
				want, with := st.setup(), st.setup()
				ac.act(want)
				ac.act(with)
				with.WriteString("hello")

				b := st.setup()
				bs := others()
				n, err, _ := readFromCatching(b, &callbackReader{act: func() { ac.act(b) }})
				var model *buffer.Buffer
				switch {
				case err == nil && n == 5:
					model = with
				case err != nil && n == 0:
					if !strings.Contains(err.Error(), "changed the buffer") && !strings.Contains(err.Error(), "misuse") {
						t.Fatalf("ReadFrom = %d, %v; want the error of a reader that changed the buffer", n, err)
					}
					model = want
				default:
					t.Fatalf("ReadFrom = %d, %v; want 5, nil or 0 and an error", n, err)
				}
				if ac.name == "nothing" && err != nil {
					t.Fatalf("ReadFrom = %d, %v with a reader that changed nothing", n, err)
				}
				if got, exp := b.String(), model.String(); got != exp || b.Pos() != model.Pos() {
					t.Fatalf("after ReadFrom = %d, %v: pos %d, content %s; want pos %d, %s", n, err, b.Pos(), short(got), model.Pos(), short(exp))
				}
				// Usable: an append and a read back agree with the model.
				if ac.name != "close" {
					z := bytes.Repeat([]byte{'Z'}, 5000)
					b.Write(z)
					model.Write(z)
					if got, exp := b.String(), model.String(); got != exp {
						t.Fatalf("after a Write: %d bytes, want %d (equal: %v)", len(got), len(exp), got == exp)
					}
					b.Seek(0, io.SeekStart)
					if all, err := io.ReadAll(b); err != nil || string(all) != model.String() {
						t.Fatalf("read back %d bytes, %v; want the content", len(all), err)
					}
				} else if b.Size() != 0 {
					t.Fatalf("a buffer closed during ReadFrom holds %d bytes", b.Size())
				}
				checkOthers(t, bs)
				b.Close()
			})
		}
	}
}

// TestReadFromReentrantAny is TestReadFromReentrant with a callback that
// also takes a view of the buffer and makes buffers that take chunks from
// the pool, and with the callback before the reader fills p or after it.
// What the buffer holds is whatever the reader left in its memory, and it
// must stay consistent (a write and a read back agree with a []byte model
// of what it held); no buffer made before may change. When the reader
// fills p first, neither those buffers nor the view may change either.
// When it fills p after, p's chunk may by then be one of those buffers' or
// hold content the view shares, as ReadFrom's doc warns: but bytesio_debug
// builds, which panic there, keep the chunk from the pool until they do,
// so those buffers may not change.
func TestReadFromReentrantAny(t *testing.T) {
	for _, st := range reentrantSetups {
		for _, ac := range reentrantActions {
			for _, late := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%s/late=%v", st.name, ac.name, late), func(t *testing.T) {
					if ac.name == "close" && debugBuild {
						t.Skip("a closed buffer's ReadFrom panics in debug builds")
					}
					b := st.setup()
					bs := others()
					var inner []*buffer.Buffer
					var v buffer.View
					var seen string
					n, err, _ := readFromCatching(b, &callbackReader{act: func() {
						ac.act(b)
						if ac.name != "close" {
							v = b.GetValue()
							seen = v.String()
						}
						inner = others()
					}, late: late})
					if got := v.String(); got != seen && late {
						t.Fatalf("ReadFrom = %d, %v: a view taken in the Read changed from %s to %s", n, err, short(seen), short(got))
					}
					v.Release()
					if late || debugBuild {
						checkOthers(t, inner)
					}
					if ac.name == "close" {
						if b.Size() != 0 {
							t.Fatalf("a buffer closed during ReadFrom = %d, %v holds %d bytes", n, err, b.Size())
						}
						checkOthers(t, bs)
						return
					}
					model, pos := []byte(b.String()), b.Pos()
					z := bytes.Repeat([]byte{'Z'}, 5000)
					if _, err := b.Write(z); err == nil {
						model = modelWrite(model, pos, z)
					} else if !errors.Is(err, buffer.ErrTooLarge) || pos+int64(len(z)) <= b.Limit() {
						t.Fatalf("Write at %d under a limit of %d: %v", pos, b.Limit(), err)
					}
					if got := b.String(); got != string(model) {
						t.Fatalf("after ReadFrom = %d, %v and a Write: %s, want %s", n, err, short(got), short(string(model)))
					}
					b.Seek(0, io.SeekStart)
					if all, err := io.ReadAll(b); err != nil || !bytes.Equal(all, model) {
						t.Fatalf("read back %d bytes, %v; want the content", len(all), err)
					}
					checkOthers(t, bs)
					b.Close()
				})
			}
		}
	}
}

// callbackWriter calls act on its first Write and takes everything.
type callbackWriter struct {
	act   func()
	calls int
	got   []byte
}

func (w *callbackWriter) Write(p []byte) (int, error) {
	w.calls++
	if w.calls == 1 {
		w.act()
	}
	w.got = append(w.got, p...)
	return len(p), nil
}

// TestWriteToReentrant runs WriteTo with a writer that calls the buffer
// back: the position moves by what was written, as WriteTo says, and the
// buffer stays consistent: a write at the position and a read back agree
// with a model, and never show memory of another buffer (a chunk that held
// other bytes was taken first).
func TestWriteToReentrant(t *testing.T) {
	for _, size := range []int{3, 5000} { // one Write, and one per chunk
		for _, ac := range reentrantActions {
			t.Run(fmt.Sprintf("%s/%d", ac.name, size), func(t *testing.T) {
				if ac.name == "close" && debugBuild {
					t.Skip("a closed buffer's methods panic in debug builds")
				}
				dirty := buffer.New()
				dirty.Write(bytes.Repeat([]byte{'S'}, 64<<10))
				dirty.Close() // its chunks, full of S, go back to the pool

				content := bytes.Repeat([]byte{'c'}, size)
				b, model := buffer.New(), buffer.New()
				b.Write(content)
				model.Write(content)
				b.Seek(0, io.SeekStart)
				model.Seek(0, io.SeekStart)
				w := &callbackWriter{act: func() { ac.act(b) }}
				n, err := b.WriteTo(w)
				if err != nil || n != int64(len(w.got)) {
					t.Fatalf("WriteTo = %d, %v; the writer got %d bytes", n, err, len(w.got))
				}
				if ac.name == "close" {
					if b.Size() != 0 {
						t.Fatalf("a buffer closed during WriteTo holds %d bytes", b.Size())
					}
					return
				}
				// The model: the callback, then the position moved by n.
				ac.act(model)
				model.Seek(n, io.SeekCurrent)
				if b.Pos() != model.Pos() || b.String() != model.String() {
					t.Fatalf("after WriteTo: pos %d, %d bytes; want pos %d, %d bytes", b.Pos(), b.Size(), model.Pos(), model.Size())
				}
				b.WriteString("x")
				model.WriteString("x")
				if got, exp := b.String(), model.String(); got != exp {
					t.Fatalf("after a Write: %s, want %s", short(got), short(exp))
				}
				if strings.Contains(b.String(), "S") {
					t.Fatalf("content shows another buffer's bytes: %s", short(b.String()))
				}
				b.Seek(0, io.SeekStart)
				if all, err := io.ReadAll(b); err != nil || string(all) != model.String() {
					t.Fatalf("read back %s, %v; want %s", short(string(all)), err, short(model.String()))
				}
				b.Close()
			})
		}
	}
}

// releasedInLoop runs f, which releases a view inside a loop over it, and
// returns whether it panicked (as bytesio_debug builds do, the release
// being misuse).
func releasedInLoop(f func()) (panicked bool) {
	defer func() { panicked = recover() != nil }()
	f()
	return false
}

// TestViewReleasedInLoop releases a view inside its own Chunks loop and
// inside the writer of its WriteTo, then takes a view of another buffer,
// which gets the released view's state: the loop must stop there, not go
// on over the other buffer's content (it did, in every build).
func TestViewReleasedInLoop(t *testing.T) {
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 64, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	setup := func() (a, other *buffer.Buffer, v buffer.View, done func()) {
		a, other = buffer.NewWithPool(p), buffer.NewWithPool(p)
		a.WriteString(strings.Repeat("A", 300))
		other.WriteString(strings.Repeat("S", 1000))
		// Views that hold each buffer's own state, so that v's state, and
		// the one the other buffer's next view takes, come from the
		// package's pool of states.
		h1, h2 := a.GetValue(), other.GetValue()
		return a, other, a.GetValue(), func() { h1.Release(); h2.Release(); a.Close(); other.Close() }
	}

	t.Run("Chunks", func(t *testing.T) {
		_, other, v, done := setup()
		defer done()
		var got []byte
		var ov buffer.View
		panicked := releasedInLoop(func() {
			for c := range v.Chunks() {
				got = append(got, c...)
				if ov.Len() == 0 {
					v.Release()
					ov = other.GetValue()
				}
			}
		})
		defer ov.Release()
		if panicked != debugBuild {
			t.Errorf("panicked: %v; want %v (debug build)", panicked, debugBuild)
		}
		if string(got) != strings.Repeat("A", 64) {
			t.Errorf("the loop yielded %s after Release; want the first chunk only", short(string(got)))
		}
	})
	for _, reader := range []bool{false, true} {
		t.Run(fmt.Sprintf("WriteTo/reader=%v", reader), func(t *testing.T) {
			_, other, v, done := setup()
			defer done()
			var ov buffer.View
			w := &callbackWriter{act: func() { v.Release(); ov = other.GetValue() }}
			var n int64
			var err error
			panicked := releasedInLoop(func() {
				if reader {
					n, err = v.NewReader().WriteTo(w)
				} else {
					n, err = v.WriteTo(w)
				}
			})
			defer ov.Release()
			if panicked != debugBuild {
				t.Errorf("panicked: %v; want %v (debug build)", panicked, debugBuild)
			}
			if string(w.got) != strings.Repeat("A", 64) {
				t.Errorf("the writer got %s; want the first chunk only", short(string(w.got)))
			}
			if !debugBuild && (n != 64 || !errors.Is(err, buffer.ErrReleased)) {
				t.Errorf("WriteTo = %d, %v; want 64, ErrReleased", n, err)
			}
		})
	}
}

// fnReader is a Read function as an io.Reader.
type fnReader func(p []byte) (int, error)

func (f fnReader) Read(p []byte) (int, error) { return f(p) }

// TestReadFromReentrantRelayout: a reader that empties the buffer and
// writes it anew under another layout of chunks, so that p's chunk comes
// back from the pool at the same entry but another offset, with position
// and size as before. ReadFrom must not take the Read's bytes as written
// at the position (they went to the chunk's old offset).
func TestReadFromReentrantRelayout(t *testing.T) {
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 128, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	b := buffer.NewWithPool(p)
	defer b.Close()
	b.Write(bytes.Repeat([]byte{'a'}, 10)) // chunks of 64, 128, 128: the third at 192
	b.Write(bytes.Repeat([]byte{'a'}, 260))
	b.Seek(300, io.SeekStart) // ReadFrom reads into the third chunk at 108
	model := bytes.Repeat([]byte{'b'}, 270)
	calls := 0
	n, err, _ := readFromCatching(b, fnReader(func(q []byte) (int, error) {
		if calls++; calls > 1 {
			return 0, io.EOF
		}
		v := b.GetValue()
		b.Truncate(0)
		b.WriteAt(model[:100], 0) // a first write of 100: chunks of 128
		b.WriteAt(model[100:200], 100)
		v.Release()
		o := buffer.NewWithPool(p)
		o.Write(make([]byte, 100))
		defer o.Close()
		b.WriteAt(model[200:], 200)
		b.Seek(300, io.SeekStart) // position and size as before
		return copy(q, "hello"), nil
	}))
	want := modelWrite(bytes.Clone(model), 300, []byte("hello"))
	switch got := []byte(b.String()); {
	case err == nil && n == 5 && bytes.Equal(got, want):
	case err != nil && n == 0 && bytes.Equal(got, model):
	default:
		t.Fatalf("ReadFrom = %d, %v; content %s, want %s with 5, nil or %s with an error",
			n, err, short(string(got)), short(string(want)), short(string(model)))
	}
}

// TestWriteToReentrantPos: a writer that closes the buffer leaves it at
// position 0, as Close says; one that seeks it to the largest position
// leaves it there, where adding the count wrapped to a negative position
// (and the next Write panicked). ViewReader.WriteTo likewise.
func TestWriteToReentrantPos(t *testing.T) {
	for _, size := range []int{5, 5000} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			b := buffer.New()
			defer b.Close()
			b.Write(bytes.Repeat([]byte{'c'}, size))
			b.Seek(0, io.SeekStart)
			if n, err := b.WriteTo(&callbackWriter{act: func() { b.Seek(math.MaxInt64-1, io.SeekStart) }}); n != int64(size) || err != nil {
				t.Fatalf("WriteTo = %d, %v", n, err)
			}
			if b.Pos() != math.MaxInt64 {
				t.Errorf("Pos() = %d, want math.MaxInt64", b.Pos())
			}
			if _, err := b.Write([]byte("x")); !errors.Is(err, buffer.ErrTooLarge) {
				t.Errorf("Write at the largest position: %v, want ErrTooLarge", err)
			}

			if !debugBuild {
				c := buffer.New()
				c.Write(bytes.Repeat([]byte{'c'}, size))
				c.Seek(0, io.SeekStart)
				c.WriteTo(&callbackWriter{act: func() { c.Close() }})
				if c.Pos() != 0 {
					t.Errorf("Pos() of a buffer closed in WriteTo = %d, want 0", c.Pos())
				}
			}

			v := b.GetValue()
			defer v.Release()
			r := v.NewReader()
			if _, err := r.WriteTo(&callbackWriter{act: func() { r.Seek(math.MaxInt64-1, io.SeekStart) }}); err != nil {
				t.Fatalf("ViewReader.WriteTo: %v", err)
			}
			if pos, err := r.Seek(0, io.SeekCurrent); pos != math.MaxInt64 || err != nil {
				t.Errorf("ViewReader position %d, %v; want math.MaxInt64", pos, err)
			}
		})
	}
}

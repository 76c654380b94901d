package buffer_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// isoSecret is the byte that fills every chunk sitting in the pool before
// each scenario. Content written by the tests never holds it (vtData
// yields 1..100), so any isoSecret read back is a previous holder's memory.
const isoSecret = 0xA5

// isoPools are the pools the scenarios run on, with their largest class.
func isoPools(t *testing.T) []struct {
	name string
	p    *pool.Pool
	max  int
} {
	mid, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 128, MaxChunk: 1024, NoCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	return []struct {
		name string
		p    *pool.Pool
		max  int
	}{
		{"small", vtSmallPool(t), 256},
		{"mid", mid, 1024},
	}
}

// isoPoison takes many chunks of every class of p, fills them with
// isoSecret and gives them back, so that the next chunks p hands out hold
// the secret.
func isoPoison(p *pool.Pool, maxClass int) {
	var chs []*pool.Chunk
	for size := 64; size <= maxClass; size *= 2 {
		for range 32 {
			c := p.Get(size)
			vtFill(c.Bytes(), isoSecret)
			chs = append(chs, c)
		}
	}
	for _, c := range chs {
		c.Release()
	}
}

// isoCheck reads the whole content of b with every read path and fails if
// it differs from want or shows isoSecret. It leaves the position as it
// was.
func isoCheck(t *testing.T, what string, b *buffer.Buffer, want []byte) {
	t.Helper()
	if i := bytes.IndexByte(want, isoSecret); i >= 0 {
		t.Fatalf("%s: test bug: the model holds the secret at %d", what, i)
	}
	pos := b.Pos()
	defer b.Seek(pos, io.SeekStart)
	if b.Size() != int64(len(want)) {
		t.Errorf("%s: Size() = %d; want %d", what, b.Size(), len(want))
	}
	report := func(how string, got []byte) {
		t.Helper()
		if i := bytes.IndexByte(got, isoSecret); i >= 0 {
			t.Errorf("%s: %s shows a previous holder's byte %#x at offset %d", what, how, isoSecret, i)
		} else if !bytes.Equal(got, want) {
			t.Errorf("%s: %s = %q; want %q", what, how, got, want)
		}
	}

	got := make([]byte, len(want)+10)
	n, _ := b.ReadAt(got, 0)
	report("ReadAt", got[:n])

	b.Seek(0, io.SeekStart)
	got, err := io.ReadAll(iotest.OneByteReader(b)) // a Read per byte
	if err != nil {
		t.Errorf("%s: Read: %v", what, err)
	}
	report("Read", got)

	b.Seek(0, io.SeekStart)
	got, _ = io.ReadAll(b)
	report("io.ReadAll", got)

	b.Seek(0, io.SeekStart)
	var bb bytes.Buffer
	b.WriteTo(&bb)
	report("WriteTo", bb.Bytes())

	b.Seek(0, io.SeekStart)
	got, _ = b.Peek(len(want))
	report("Peek", got)

	// Peek and ReadAt from every chunk boundary region.
	for _, off := range []int{63, 64, 191, 192, 447, 448} {
		if off >= len(want) {
			break
		}
		b.Seek(int64(off), io.SeekStart)
		got, _ = b.Peek(len(want) - off)
		if i := bytes.IndexByte(got, isoSecret); i >= 0 || !bytes.Equal(got, want[off:]) {
			t.Errorf("%s: Peek at %d = %q; want %q", what, off, got, want[off:])
		}
	}

	v := b.GetValue()
	report("GetValue().Bytes()", v.Bytes())
	report("GetValue().AppendTo", v.AppendTo(nil))
	report("GetValue() chunks", bytes.Join(vtChunks(v), nil))
	v.Release()
}

// isoScenario builds content in a buffer from a freshly poisoned pool and
// returns the buffer and the content it should hold.
type isoScenario struct {
	name string
	run  func(t *testing.T, b *buffer.Buffer) []byte
}

func isoRun(t *testing.T, scenarios []isoScenario) {
	for _, pl := range isoPools(t) {
		for _, sc := range scenarios {
			t.Run("pool="+pl.name+"/"+sc.name, func(t *testing.T) {
				isoPoison(pl.p, pl.max)
				b := buffer.NewWithPool(pl.p)
				defer b.Close()
				want := sc.run(t, b)
				isoCheck(t, sc.name, b, want)
			})
		}
	}
}

// Seeking past the end and writing leaves a gap of zeros, never pool
// garbage.
func TestIsolationSeekPastEnd(t *testing.T) {
	var scenarios []isoScenario
	for _, start := range []int{0, 1, 30, 64, 100} {
		for _, off := range []int{1, 10, 63, 64, 65, 100, 191, 192, 193, 500, 1000, 1500} {
			if off <= start {
				continue
			}
			scenarios = append(scenarios, isoScenario{
				fmt.Sprintf("content=%d/seek=%d", start, off),
				func(t *testing.T, b *buffer.Buffer) []byte {
					m := vtWriteAt(nil, vtData(start, 1), 0)
					b.Write(vtData(start, 1))
					b.Seek(int64(off), io.SeekStart)
					b.Write(vtData(5, 2))
					return vtWriteAt(m, vtData(5, 2), off)
				},
			})
		}
	}
	scenarios = append(scenarios,
		isoScenario{"gaps written later", func(t *testing.T, b *buffer.Buffer) []byte {
			var m []byte
			for _, off := range []int{0, 100, 300, 1200, 150, 50, 700, 250, 1100} {
				b.Seek(int64(off), io.SeekStart)
				b.Write(vtData(3, byte(off)))
				m = vtWriteAt(m, vtData(3, byte(off)), off)
			}
			return m
		}},
		isoScenario{"WriteByte and WriteString past the end", func(t *testing.T, b *buffer.Buffer) []byte {
			b.Seek(70, io.SeekStart)
			b.WriteByte(7)
			b.Seek(10, io.SeekCurrent)
			b.WriteString("str")
			b.Seek(300, io.SeekEnd)
			b.WriteRune('é')
			m := vtWriteAt(nil, []byte{7}, 70)
			m = vtWriteAt(m, []byte("str"), 81)
			return vtWriteAt(m, []byte("é"), 84+300)
		}},
	)
	isoRun(t, scenarios)
}

// Truncating and growing again, by every write path, shows zeros where the
// dropped content was.
func TestIsolationTruncateExtend(t *testing.T) {
	var scenarios []isoScenario
	extenders := []struct {
		name string
		// extend grows b (content m truncated to k, position 700) and
		// returns the new content.
		extend func(b *buffer.Buffer, m []byte, k int) []byte
	}{
		{"Write at old position", func(b *buffer.Buffer, m []byte, k int) []byte {
			b.Write(vtData(4, 3))
			return vtWriteAt(m, vtData(4, 3), 700)
		}},
		{"Seek past end and Write", func(b *buffer.Buffer, m []byte, k int) []byte {
			b.Seek(40, io.SeekEnd)
			b.Write(vtData(4, 3))
			return vtWriteAt(m, vtData(4, 3), k+40)
		}},
		{"Write at the end", func(b *buffer.Buffer, m []byte, k int) []byte {
			b.Seek(0, io.SeekEnd)
			b.Write(vtData(4, 3))
			return vtWriteAt(m, vtData(4, 3), k)
		}},
		{"WriteAt past end", func(b *buffer.Buffer, m []byte, k int) []byte {
			b.WriteAt(vtData(4, 3), int64(k+50))
			return vtWriteAt(m, vtData(4, 3), k+50)
		}},
		{"WriteByte one past end", func(b *buffer.Buffer, m []byte, k int) []byte {
			b.Seek(1, io.SeekEnd)
			b.WriteByte(9)
			return vtWriteAt(m, []byte{9}, k+1)
		}},
		{"ReadFrom HalfReader at old position", func(b *buffer.Buffer, m []byte, k int) []byte {
			b.ReadFrom(iotest.HalfReader(bytes.NewReader(vtData(30, 4))))
			return vtWriteAt(m, vtData(30, 4), 700)
		}},
		{"ReadFrom OneByteReader at the end", func(b *buffer.Buffer, m []byte, k int) []byte {
			b.Seek(0, io.SeekEnd)
			b.ReadFrom(iotest.OneByteReader(bytes.NewReader(vtData(30, 4))))
			return vtWriteAt(m, vtData(30, 4), k)
		}},
		{"failed ReadFrom then Write", func(b *buffer.Buffer, m []byte, k int) []byte {
			b.Seek(int64(k+20), io.SeekStart)
			b.ReadFrom(iotest.ErrReader(errors.New("nothing")))
			b.Seek(int64(k+60), io.SeekStart)
			b.Write(vtData(4, 3))
			return vtWriteAt(m, vtData(4, 3), k+60)
		}},
	}
	for _, k := range []int{0, 1, 30, 63, 64, 65, 100, 192, 300, 500} {
		for _, ex := range extenders {
			scenarios = append(scenarios, isoScenario{
				fmt.Sprintf("truncate=%d/%s", k, ex.name),
				func(t *testing.T, b *buffer.Buffer) []byte {
					m := vtData(700, 1)
					b.Write(m)
					b.Truncate(int64(k))
					return ex.extend(b, slices0(m[:k]), k)
				},
			})
		}
	}
	// The same with a live view holding the chunks, so that the extension
	// writes into copies.
	for _, k := range []int{30, 64, 100, 300} {
		for _, ex := range extenders {
			scenarios = append(scenarios, isoScenario{
				fmt.Sprintf("view/truncate=%d/%s", k, ex.name),
				func(t *testing.T, b *buffer.Buffer) []byte {
					m := vtData(700, 1)
					b.Write(m)
					v := b.GetValue()
					defer v.Release()
					b.Truncate(int64(k))
					want := ex.extend(b, slices0(m[:k]), k)
					if err := vtCheckView(v, m); err != nil {
						t.Errorf("view: %v", err)
					}
					return want
				},
			})
		}
	}
	isoRun(t, scenarios)
}

// slices0 returns a copy of p that is not nil.
func slices0(p []byte) []byte { return append([]byte{}, p...) }

// WriteAt far out, then into the gap, leaves zeros around each write.
func TestIsolationWriteAtFar(t *testing.T) {
	isoRun(t, []isoScenario{
		{"far then gap", func(t *testing.T, b *buffer.Buffer) []byte {
			var m []byte
			for _, off := range []int{5000, 2000, 0, 4999, 3000, 63, 1023, 1024} {
				b.WriteAt(vtData(7, byte(off)), int64(off))
				m = vtWriteAt(m, vtData(7, byte(off)), off)
			}
			return m
		}},
		{"far then truncate into the gap", func(t *testing.T, b *buffer.Buffer) []byte {
			b.WriteAt(vtData(7, 1), 3000)
			b.WriteAt(vtData(7, 2), 100)
			b.Truncate(1500)
			b.WriteAt(vtData(7, 3), 2500)
			m := vtWriteAt(nil, vtData(7, 2), 100)
			m = vtWriteAt(m, make([]byte, 1500-len(m)), len(m))
			return vtWriteAt(m, vtData(7, 3), 2500)
		}},
	})
}

// WriteAt within the content, as a header patched after the body, whether
// the content is in the first chunk alone or not, and the bytes written in
// one chunk (WriteAt's short paths) or across chunks: the position stays, a
// view taken before keeps its content, and bytes written from the buffer's
// own memory (a Peek slice, overlapping the target, in the first chunk or
// the last) land as copy moves them.
func TestIsolationWriteAtWithin(t *testing.T) {
	var scenarios []isoScenario
	for _, n := range []int{100, 300, 5000} { // one chunk in both pools, several in the small one, or in both
		scenarios = append(scenarios,
			isoScenario{fmt.Sprintf("header after the body/content=%d", n), func(t *testing.T, b *buffer.Buffer) []byte {
				b.Write(vtData(n, 1))
				b.Seek(10, io.SeekStart)
				if k, err := b.WriteAt(vtData(8, 2), 0); k != 8 || err != nil {
					t.Errorf("WriteAt = %d, %v; want 8, nil", k, err)
				}
				b.WriteAt(vtData(3, 3), int64(n-3)) // up to the end
				if got := b.Pos(); got != 10 {
					t.Errorf("Pos() after WriteAt = %d; want 10", got)
				}
				m := vtWriteAt(slices0(vtData(n, 1)), vtData(8, 2), 0)
				return vtWriteAt(m, vtData(3, 3), n-3)
			}},
			isoScenario{fmt.Sprintf("under views/content=%d", n), func(t *testing.T, b *buffer.Buffer) []byte {
				m := slices0(vtData(n, 1))
				b.Write(m)
				var views []buffer.View
				var wants [][]byte
				for i, off := range []int{50, 0, n - 20, 51} {
					views = append(views, b.GetValue())
					wants = append(wants, slices0(m))
					b.WriteAt(vtData(20, byte(4+i)), int64(off))
					m = vtWriteAt(m, vtData(20, byte(4+i)), off)
				}
				for i, v := range views {
					if got := v.Bytes(); !bytes.Equal(got, wants[i]) {
						t.Errorf("view %d changed under WriteAt: %q; want %q", i, got, wants[i])
					}
					v.Release()
				}
				return m
			}},
			isoScenario{fmt.Sprintf("from its own memory/content=%d", n), func(t *testing.T, b *buffer.Buffer) []byte {
				m := slices0(vtData(n, 1))
				b.Write(m)
				b.Seek(0, io.SeekStart)
				p, err := b.Peek(40)
				if err != nil {
					t.Fatal(err)
				}
				b.WriteAt(p, 25) // overlaps what it copies from
				return vtWriteAt(m, slices0(m[:40]), 25)
			}},
			isoScenario{fmt.Sprintf("from its own memory at the end/content=%d", n), func(t *testing.T, b *buffer.Buffer) []byte {
				m := slices0(vtData(n, 1))
				b.Write(m)
				b.Seek(int64(n-30), io.SeekStart)
				p, err := b.Peek(20)
				if err != nil {
					t.Fatal(err)
				}
				b.WriteAt(p, int64(n-25)) // overlaps what it copies from
				return vtWriteAt(m, slices0(m[n-30:n-10]), n-25)
			}},
		)
	}
	isoRun(t, scenarios)
}

// ReadFrom with short reads after a seek past the end keeps the gap zero
// and shows nothing past what the reader delivered.
func TestIsolationReadFrom(t *testing.T) {
	readers := []struct {
		name string
		r    func(p []byte) io.Reader
	}{
		{"HalfReader", func(p []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(p)) }},
		{"OneByteReader", func(p []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(p)) }},
		{"DataErrReader", func(p []byte) io.Reader { return iotest.DataErrReader(bytes.NewReader(p)) }},
		{"TimeoutReader", func(p []byte) io.Reader { return iotest.TimeoutReader(bytes.NewReader(p)) }},
	}
	var scenarios []isoScenario
	for _, rd := range readers {
		for _, start := range []int{0, 40} {
			for _, pos := range []int{0, 40, 63, 90, 200, 1000} {
				if pos < start {
					continue
				}
				for _, n := range []int{1, 50, 300} {
					scenarios = append(scenarios, isoScenario{
						fmt.Sprintf("%s/content=%d/pos=%d/n=%d", rd.name, start, pos, n),
						func(t *testing.T, b *buffer.Buffer) []byte {
							b.Write(vtData(start, 1))
							b.Seek(int64(pos), io.SeekStart)
							k, _ := b.ReadFrom(rd.r(vtData(n, 5)))
							m := vtWriteAt(slices0(vtData(start, 1)), vtData(int(k), 5), pos)
							if k == 0 {
								m = vtData(start, 1)
							}
							return m
						},
					})
				}
			}
		}
	}
	isoRun(t, scenarios)
}

// Copy-on-write copies of chunks shared with views come from the pool too:
// they show no garbage either, in the buffer or in later views.
func TestIsolationViews(t *testing.T) {
	isoRun(t, []isoScenario{
		{"write into the gap of a shared chunk", func(t *testing.T, b *buffer.Buffer) []byte {
			b.Write(vtData(100, 1))
			v := b.GetValue()
			defer v.Release()
			b.WriteAt(vtData(5, 2), 150)
			if err := vtCheckView(v, vtData(100, 1)); err != nil {
				t.Errorf("view: %v", err)
			}
			return vtWriteAt(vtData(100, 1), vtData(5, 2), 150)
		}},
		{"views between writes past the end", func(t *testing.T, b *buffer.Buffer) []byte {
			var m []byte
			var views []buffer.View
			var wants [][]byte
			for i, off := range []int{10, 80, 75, 300, 200, 700, 650} {
				b.Seek(int64(off), io.SeekStart)
				b.Write(vtData(4, byte(i)))
				m = vtWriteAt(m, vtData(4, byte(i)), off)
				views = append(views, b.GetValue())
				wants = append(wants, slices0(m))
				if i%2 == 1 {
					b.Truncate(int64(off - 3))
					m = m[:off-3]
				}
			}
			for i, v := range views {
				if got := v.Bytes(); bytes.IndexByte(got, isoSecret) >= 0 || !bytes.Equal(got, wants[i]) {
					t.Errorf("view %d = %q; want %q", i, got, wants[i])
				}
				v.Release()
			}
			return m
		}},
		{"reset with a view, then past the end", func(t *testing.T, b *buffer.Buffer) []byte {
			b.Write(vtData(500, 1))
			v := b.GetValue()
			defer v.Release()
			b.Reset()
			b.WriteAt(vtData(3, 2), 400)
			return vtWriteAt(nil, vtData(3, 2), 400)
		}},
		{"NewBytes content extended past the end", func(t *testing.T, b *buffer.Buffer) []byte {
			nb := buffer.NewBytes(vtData(50, 1))
			defer nb.Close()
			v := nb.GetValue()
			defer v.Release()
			nb.WriteAt(vtData(3, 2), 300)
			want := vtWriteAt(vtData(50, 1), vtData(3, 2), 300)
			isoCheck(t, "NewBytes buffer", nb, want)
			b.Write(want)
			return want
		}},
	})
}

// A random mix of operations, checked against a model after each one, with
// the pool poisoned again every few steps.
func TestIsolationRandomOps(t *testing.T) {
	steps := 400
	if testing.Short() {
		steps = 100
	}
	for _, pl := range isoPools(t) {
		t.Run("pool="+pl.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			b := buffer.NewWithPool(pl.p)
			defer b.Close()
			var m []byte
			pos := 0
			var views []buffer.View
			var wants [][]byte
			for i := range steps {
				if i%5 == 0 {
					isoPoison(pl.p, pl.max)
				}
				var what string
				switch op := rng.IntN(7); op {
				case 0:
					off := rng.IntN(2500)
					d := vtData(1+rng.IntN(300), byte(i))
					what = fmt.Sprintf("WriteAt(%d bytes, %d)", len(d), off)
					b.WriteAt(d, int64(off))
					m = vtWriteAt(m, d, off)
				case 1:
					pos = rng.IntN(2500)
					d := vtData(1+rng.IntN(100), byte(i))
					what = fmt.Sprintf("Seek(%d)+Write(%d bytes)", pos, len(d))
					b.Seek(int64(pos), io.SeekStart)
					b.Write(d)
					m = vtWriteAt(m, d, pos)
					pos += len(d)
				case 2:
					k := rng.IntN(len(m) + 1)
					what = fmt.Sprintf("Truncate(%d)", k)
					b.Truncate(int64(k))
					m = m[:k]
				case 3:
					pos = rng.IntN(2500)
					d := vtData(1+rng.IntN(400), byte(i))
					what = fmt.Sprintf("Seek(%d)+ReadFrom(HalfReader, %d bytes)", pos, len(d))
					b.Seek(int64(pos), io.SeekStart)
					b.ReadFrom(iotest.HalfReader(bytes.NewReader(d)))
					m = vtWriteAt(m, d, pos)
					pos += len(d)
				case 4:
					what = "GetValue"
					views = append(views, b.GetValue())
					wants = append(wants, slices0(m))
				case 5:
					what = "Release a view"
					if len(views) > 0 {
						j := rng.IntN(len(views))
						if err := vtCheckView(views[j], wants[j]); err != nil {
							t.Fatalf("step %d: view %d: %v", i, j, err)
						}
						views[j].Release()
						views = append(views[:j], views[j+1:]...)
						wants = append(wants[:j], wants[j+1:]...)
					}
				case 6:
					what = "Reset"
					if rng.IntN(4) == 0 {
						b.Reset()
						m, pos = nil, 0
					}
				}
				b.Seek(int64(pos), io.SeekStart)
				isoCheck(t, fmt.Sprintf("step %d: %s", i, what), b, m)
				if t.Failed() {
					t.FailNow()
				}
			}
			for j, v := range views {
				if err := vtCheckView(v, wants[j]); err != nil {
					t.Errorf("view %d at the end: %v", j, err)
				}
				v.Release()
			}
		})
	}
}

package buffer_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/bytesio-go/bytesio/buffer"
	"github.com/bytesio-go/bytesio/pool"
)

// piece is one WriteAt of a parallel writer.
type piece struct {
	off int64
	p   []byte
}

// disjointPieces cuts [base, base+span) into pieces of random lengths, most
// small enough that several share a chunk, with never-written gaps between
// some of them; every piece has bytes of its own.
func disjointPieces(rng *rand.Rand, base, span int64) []piece {
	var ps []piece
	for off := base; off < base+span; {
		if rng.IntN(4) == 0 {
			off += int64(rng.IntN(700)) // a gap
		}
		n := 1 + rng.IntN(100)
		if rng.IntN(3) == 0 {
			n = 1 + rng.IntN(5000)
		}
		n = int(min(int64(n), base+span-off))
		if n <= 0 {
			break
		}
		ps = append(ps, piece{off, vecGen(int64(n), rng.Int64())})
		off += int64(n)
	}
	return ps
}

// TestParallelWriteAtModel runs WriteAt on disjoint ranges from several
// goroutines at once, as io.WriterAt allows, and compares the content with
// the model fed the same pieces: into an empty buffer, over content written
// before (held by a view, which must not change), past the end, and at far
// offsets.
func TestParallelWriteAtModel(t *testing.T) {
	small := newSmallPool(t)
	type setup struct {
		name    string
		p       *pool.Pool
		before  int64 // content written before the parallel writes
		base    int64 // where the pieces start
		span    int64
		limit   int64
		far     []int64 // more regions of pieces, far out
		writers int
	}
	setups := []setup{
		{name: "small-pool", p: small, span: 64 << 10, writers: 8},
		{name: "default-pool", p: pool.Default, span: 256 << 10, writers: 8},
		{name: "over-content", p: small, before: 20 << 10, span: 48 << 10, writers: 4},
		{name: "past-end", p: small, before: 1000, base: 10 << 10, span: 32 << 10, writers: 8},
	}
	if is64 {
		setups = append(setups, setup{name: "far", p: small, before: 300, base: 1 << 38, span: 32 << 10,
			limit: 1 << 40, far: []int64{1<<39 - 5000, 5 << 30, 1 << 20}, writers: 8})
	}
	rounds := 4
	if testing.Short() {
		rounds = 2
	}
	for _, s := range setups {
		t.Run(s.name, func(t *testing.T) {
			for round := range rounds {
				rng := rand.New(rand.NewPCG(uint64(round), 7))
				b := buffer.NewWithPool(s.p)
				m := newSparseModel()
				if s.limit != 0 {
					b.SetLimit(s.limit)
					m.limit = s.limit
				}
				var v buffer.View
				var snap *sparseModel
				if s.before > 0 {
					pre := vecGen(s.before, int64(round)+100)
					b.Write(pre)
					m.write(pre)
					v, snap = b.GetValue(), m.snapshot()
				}
				ps := disjointPieces(rng, s.base, s.span)
				for _, off := range s.far {
					ps = append(ps, disjointPieces(rng, off, 3000)...)
				}
				rng.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
				for _, pc := range ps {
					m.writeAt(pc.p, pc.off)
				}

				start := make(chan struct{})
				errs := make(chan error, len(ps))
				var wg sync.WaitGroup
				for w := range s.writers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						for i := w; i < len(ps); i += s.writers {
							if n, err := b.WriteAt(ps[i].p, ps[i].off); n != len(ps[i].p) || err != nil {
								errs <- fmt.Errorf("WriteAt(%d bytes, %d) = (%d, %v)", len(ps[i].p), ps[i].off, n, err)
							}
						}
					}()
				}
				close(start)
				wg.Wait()
				close(errs)
				for err := range errs {
					t.Fatalf("round %d: %v", round, err)
				}

				if b.Size() != m.size() || b.Pos() != m.pos {
					t.Fatalf("round %d: Size %d, Pos %d; want %d, %d", round, b.Size(), b.Pos(), m.size(), m.pos)
				}
				if m.dense() {
					got := make([]byte, m.size())
					if n, err := b.ReadAt(got, 0); n != len(got) || err != nil && err != io.EOF {
						t.Fatalf("round %d: ReadAt(all) = (%d, %v)", round, n, err)
					}
					if want := m.all(); !bytes.Equal(got, want) {
						i := 0
						for i < len(got) && got[i] == want[i] {
							i++
						}
						t.Fatalf("round %d: content differs from offset %d: got %x; want %x", round, i, got[i:min(i+16, len(got))], want[i:min(i+16, len(want))])
					}
				} else {
					// Each piece whole, with a byte of what lies on either side.
					for _, pc := range ps {
						off, n := max(0, pc.off-1), int64(len(pc.p))+2
						got := make([]byte, n)
						k, _ := b.ReadAt(got, off)
						if want := m.bytes(off, n); !bytes.Equal(got[:k], want) {
							t.Fatalf("round %d: ReadAt(%d bytes, %d) = %x; want %x", round, n, off, got[:k], want)
						}
					}
				}
				if snap != nil {
					if v.Len() != snap.size() || !v.Equal(snap.all()) {
						t.Fatalf("round %d: the view taken before the parallel writes changed", round)
					}
					v.Release()
				}
				b.Close()
			}
		})
	}
}

package buffer_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"sync"
	"testing"

	"github.com/bytesio-go/bytesio/buffer"
)

// Hot-path benchmarks: a buffer taken from a pool, written through the
// io.Writer interface (so it escapes to the heap, as with an encoder), its
// content sent to a sink that copies it, and the buffer given back. The
// peer is bytes.Buffer from a sync.Pool, put back only up to 64 KiB
// (golang/go#23199), the strongest standard-library peer. The bench package
// holds the full suite with third-party peers.
//
//	go test -run '^$' -bench HotPath -count 10 ./buffer > run.txt
//	go tool benchstat -col /impl -row .name run.txt

// copySink copies what is written to it, as a handler copying into a socket
// buffer would.
type copySink struct{ b []byte }

func (s *copySink) Write(p []byte) (int, error) {
	s.b = append(s.b[:0], p...)
	return len(p), nil
}

// record is a ~200-byte JSON object.
type record struct {
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Email   string   `json:"email"`
	Active  bool     `json:"active"`
	Score   float64  `json:"score"`
	Tags    []string `json:"tags"`
	Comment string   `json:"comment"`
}

var rec = record{ID: 123456789, Name: "Ada Lovelace", Email: "ada@example.com", Active: true, Score: 98.6,
	Tags: []string{"math", "engines", "poetry"}, Comment: "first program for the Analytical Engine, 1843"}

// hotImpl is one way to take, use and give back a buffer.
type hotImpl struct {
	name string
	// cycle takes a buffer, calls write with it as an io.Writer, sends the
	// whole content to sink and gives the buffer back.
	cycle func(write func(w io.Writer), sink io.Writer)
}

var bbPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

var hotImpls = []hotImpl{
	{"bytesio", func(write func(io.Writer), sink io.Writer) {
		b := buffer.Get()
		write(b)
		b.Seek(0, io.SeekStart)
		b.WriteTo(sink)
		buffer.Put(b)
	}},
	{"bytes.Buffer+sync.Pool", func(write func(io.Writer), sink io.Writer) {
		b := bbPool.Get().(*bytes.Buffer)
		write(b)
		sink.Write(b.Bytes())
		if b.Cap() <= 64<<10 {
			b.Reset()
			bbPool.Put(b)
		}
	}},
}

func BenchmarkHotPath(b *testing.B) {
	piece64, piece1K := pattern(64), pattern(1<<10)
	work := []struct {
		name  string
		write func(w io.Writer)
	}{
		{"Encode", func(w io.Writer) { json.NewEncoder(w).Encode(&rec) }},
		{"Fprintf", func(w io.Writer) {
			fmt.Fprintf(w, "%s <%s> id=%d score=%.1f active=%t\n", rec.Name, rec.Email, rec.ID, rec.Score, rec.Active)
		}},
		{"AppendInt", func(w io.Writer) {
			switch w := w.(type) {
			case *buffer.Buffer:
				for i := range 64 {
					w.Write(strconv.AppendInt(w.AvailableBuffer(), int64(i)*1e9+7, 10))
				}
			case *bytes.Buffer:
				for i := range 64 {
					w.Write(strconv.AppendInt(w.AvailableBuffer(), int64(i)*1e9+7, 10))
				}
			}
		}},
		{"Append64B", func(w io.Writer) { w.Write(piece64) }},
		{"Append4KiB", func(w io.Writer) {
			for range 4 {
				w.Write(piece1K)
			}
		}},
		{"SmallCycle1KiB", func(w io.Writer) {
			for range 16 {
				w.Write(piece64)
			}
		}},
	}
	for _, wk := range work {
		for _, im := range hotImpls {
			b.Run("work="+wk.name+"/impl="+im.name, func(b *testing.B) {
				b.ReportAllocs()
				sink := &copySink{b: make([]byte, 0, 8<<10)}
				for warm := true; warm || b.Loop(); warm = false {
					im.cycle(wk.write, sink)
				}
			})
		}
	}
}

// ViewCycle builds 16 KiB in 1 KiB writes, takes a snapshot, streams it to
// io.Discard and gives everything back: GetValue and a View for bytesio,
// Bytes() for the peer.
func BenchmarkHotPathViewCycle(b *testing.B) {
	piece := pattern(1 << 10)
	b.Run("impl=bytesio", func(b *testing.B) {
		b.ReportAllocs()
		for warm := true; warm || b.Loop(); warm = false {
			buf := buffer.Get()
			for range 16 {
				buf.Write(piece)
			}
			v := buf.GetValue()
			buffer.Put(buf)
			v.WriteTo(io.Discard)
			v.Release()
		}
	})
	b.Run("impl=bytes.Buffer+sync.Pool", func(b *testing.B) {
		b.ReportAllocs()
		for warm := true; warm || b.Loop(); warm = false {
			buf := bbPool.Get().(*bytes.Buffer)
			for range 16 {
				buf.Write(piece)
			}
			io.Discard.Write(buf.Bytes())
			buf.Reset()
			bbPool.Put(buf)
		}
	})
}

// ReadSmall reads 64 bytes at a time through io.Reader from a buffer
// holding 4 KiB, against bytes.Reader over the same bytes.
func BenchmarkHotPathRead64(b *testing.B) {
	data := pattern(4 << 10)
	p := make([]byte, 64)
	drain := func(r io.Reader) {
		for {
			if _, err := r.Read(p); err != nil {
				return
			}
		}
	}
	b.Run("impl=bytesio", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		buf := buffer.New()
		buf.Write(data)
		for b.Loop() {
			buf.Seek(0, io.SeekStart)
			drain(buf)
		}
	})
	b.Run("impl=bytes.Reader", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		r := bytes.NewReader(data)
		for b.Loop() {
			r.Seek(0, io.SeekStart)
			drain(r)
		}
	})
}

package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"testing"

	"github.com/valyala/bytebufferpool"

	"github.com/bytesio-go/bytesio/buffer"
)

// This file holds the hot-path workloads: a small buffer taken, written
// and given back per operation. In Encode, Fprintf and AppendInt the
// buffer is passed through an interface, so it escapes to the heap as in
// real code (a bytesio buffer from buffer.New then costs an allocation).

// Size labels of the hot-path workloads: the bytes one operation writes
// (TestHotPathSizes checks them).
const (
	encodeSize    = "200B"
	fprintfSize   = "100B"
	appendIntSize = "640B"
)

// record is what Encode encodes: 200 bytes of JSON with the newline.
type record struct {
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Email   string   `json:"email"`
	Active  bool     `json:"active"`
	Score   float64  `json:"score"`
	Tags    []string `json:"tags"`
	Created string   `json:"created"`
	Note    string   `json:"note"`
}

var theRecord = &record{
	ID: 1234567, Name: "Ada Lovelace", Email: "ada@example.com", Active: true, Score: 97.25,
	Tags: []string{"analytical", "engine", "notes"}, Created: "2026-11-24T10:20:30Z",
	Note: "published algorithm in 1843",
}

// encode is the operation of Encode.
//
//go:noinline
func encode(w io.Writer) {
	if err := json.NewEncoder(w).Encode(theRecord); err != nil {
		panic(err) // a buffer's Write does not fail here
	}
}

// fprintfLine is the operation of Fprintf: a 100-byte log line.
//
//go:noinline
func fprintfLine(w io.Writer) {
	fmt.Fprintf(w, "%s %-5s %s id=%d dur=%.3fms bytes=%d path=%q\n",
		"2026-11-24T10:20:30.123Z", "INFO", "request done", 1234567, 12.345, 48213, "/v1/items/42")
}

// appendInts is the number of integers AppendInt writes.
const appendInts = 64

// availableWriter is a buffer with the AvailableBuffer idiom of
// bytes.Buffer.
type availableWriter interface {
	io.Writer
	AvailableBuffer() []byte
}

// intAt is the i-th integer of AppendInt: nine digits.
func intAt(i int) int64 { return 100_000_000 + int64(i)*7_654_321 }

// writeInts is the operation of AppendInt: each integer is appended to
// the buffer's available memory with a separator and written.
//
//go:noinline
func writeInts(w availableWriter) {
	for i := range appendInts {
		w.Write(append(strconv.AppendInt(w.AvailableBuffer(), intAt(i), 10), ' '))
	}
}

// appendIntsBBP is writeInts as bytebufferpool's users write it: it has no
// AvailableBuffer, its B field is the slice to append to.
//
//go:noinline
func appendIntsBBP(bb *bytebufferpool.ByteBuffer) {
	for i := range appendInts {
		bb.B = append(strconv.AppendInt(bb.B, intAt(i), 10), ' ')
	}
}

// hotLeaves returns the four leaves of a hot-path workload whose
// operation writes to an io.Writer (write) or, for bytebufferpool, to
// its buffer (writeBBP; nil means write).
//
//go:noinline
func hotLeaves(write func(w io.Writer), writeBBP func(bb *bytebufferpool.ByteBuffer)) map[string]leaf {
	if writeBBP == nil {
		writeBBP = func(bb *bytebufferpool.ByteBuffer) { write(bb) }
	}
	return map[string]leaf{
		ImplBytesio: func(b *testing.B, _ int64) {
			sink := newOpaqueSink(64 << 10)
			for warm := true; warm || b.Loop(); warm = false {
				buf := buffer.Get()
				write(buf)
				// Send the content as a user of the file-like API does,
				// inline as the peers' sends are: rewind (at 0 from the
				// start of an open buffer, Seek cannot fail), then WriteTo.
				buf.Seek(0, io.SeekStart)
				if _, err := buf.WriteTo(sink); err != nil {
					fatal(b, err)
				}
				buffer.Put(buf)
			}
		},
		ImplBytesioNew: func(b *testing.B, _ int64) {
			sink := newOpaqueSink(64 << 10)
			for warm := true; warm || b.Loop(); warm = false {
				buf := buffer.New()
				write(buf)
				// Send the content as a user of the file-like API does,
				// inline as the peers' sends are: rewind (at 0 from the
				// start of an open buffer, Seek cannot fail), then WriteTo.
				buf.Seek(0, io.SeekStart)
				if _, err := buf.WriteTo(sink); err != nil {
					fatal(b, err)
				}
				buf.Close()
			}
		},
		ImplBufferPool: func(b *testing.B, _ int64) {
			sink := newOpaqueSink(64 << 10)
			bp := newBufferPool(false)
			for warm := true; warm || b.Loop(); warm = false {
				bb := bp.get()
				bb.Reset()
				write(bb)
				sink.Write(bb.Bytes())
				bp.put(bb)
			}
		},
		ImplByteBufferPool: func(b *testing.B, _ int64) {
			sink := newOpaqueSink(64 << 10)
			n := hotLen(write)
			bp := newByteBufferPool(n)
			for warm := true; warm || b.Loop(); warm = false {
				bb := bp.Get()
				writeBBP(bb)
				sink.Write(bb.B)
				bp.Put(bb)
			}
		},
	}
}

// hotLen returns how many bytes write writes.
func hotLen(write func(w io.Writer)) int {
	var c countWriter
	write(&c)
	return int(c)
}

// countWriter counts what is written to it.
type countWriter int

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

// AvailableBuffer returns nil: appending to it allocates, which is fine
// for counting.
func (c *countWriter) AvailableBuffer() []byte { return nil }

var _ = register("Encode", hotLeaves(encode, nil))

var _ = register("Fprintf", hotLeaves(fprintfLine, nil))

var _ = register("AppendInt", hotLeaves(
	func(w io.Writer) { writeInts(w.(availableWriter)) },
	appendIntsBBP))

// smallWrite is the write size of SmallCycle and ReadSmall.
const smallWrite = 64

// readAll reads r to the end into dst, which it overwrites.
func readAll(b *testing.B, r io.Reader, dst []byte) {
	for {
		k, err := r.Read(dst)
		sink += k
		if err == io.EOF {
			return
		}
		if err != nil {
			fatal(b, err)
		}
	}
}

var _ = register("SmallCycle", map[string]leaf{
	ImplBytesio: func(b *testing.B, n int64) {
		src, dst := data(n)[:n], scratch(n)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			buf := buffer.Get()
			for off := 0; off < len(src); off += smallWrite {
				buf.Write(src[off : off+smallWrite])
			}
			buf.Seek(0, io.SeekStart)
			readAll(b, buf, dst)
			buffer.Put(buf)
		}
	},
	ImplBytesioNew: func(b *testing.B, n int64) {
		src, dst := data(n)[:n], scratch(n)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			buf := buffer.New()
			for off := 0; off < len(src); off += smallWrite {
				buf.Write(src[off : off+smallWrite])
			}
			buf.Seek(0, io.SeekStart)
			readAll(b, buf, dst)
			buf.Close()
		}
	},
	ImplBuffer: func(b *testing.B, n int64) {
		src, dst := data(n)[:n], scratch(n)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := newGrownBuffer(n)
			for off := 0; off < len(src); off += smallWrite {
				bb.Write(src[off : off+smallWrite])
			}
			readAll(b, bb, dst)
		}
	},
	ImplBufferPool: func(b *testing.B, n int64) {
		src, dst := data(n)[:n], scratch(n)
		bp := newBufferPool(false)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := bp.get()
			bb.Reset()
			for off := 0; off < len(src); off += smallWrite {
				bb.Write(src[off : off+smallWrite])
			}
			readAll(b, bb, dst)
			bp.put(bb)
		}
	},
	ImplByteBufferPool: func(b *testing.B, n int64) {
		src, dst := data(n)[:n], scratch(n)
		bp := newByteBufferPool(int(n))
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := bp.Get()
			for off := 0; off < len(src); off += smallWrite {
				bb.Write(src[off : off+smallWrite])
			}
			sink += copy(dst, bb.B) // it has no Read
			bp.Put(bb)
		}
	},
})

// viewWrite is the write size of ViewCycle.
const viewWrite = 1 << 10

// viewCycleBytesio is the ViewCycle leaf of bytesio (Get/Put) or, with
// isNew, of bytesio-new (New/Close).
//
//go:noinline
func viewCycleBytesio(isNew bool) leaf {
	return func(b *testing.B, n int64) {
		src := data(n)[:n]
		sink := newOpaqueSink(n)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			var buf *buffer.Buffer
			if isNew {
				buf = buffer.New()
			} else {
				buf = buffer.Get()
			}
			for off := 0; off < len(src); off += viewWrite {
				buf.Write(src[off : off+viewWrite])
			}
			v := buf.GetValue()
			if _, err := v.WriteTo(sink); err != nil {
				fatal(b, err)
			}
			if isNew {
				buf.Close()
			} else {
				buffer.Put(buf)
			}
			v.Release()
		}
	}
}

var _ = register("ViewCycle", map[string]leaf{
	ImplBytesio:    viewCycleBytesio(false),
	ImplBytesioNew: viewCycleBytesio(true),
	ImplBufferPool: func(b *testing.B, n int64) {
		src := data(n)[:n]
		sink := newOpaqueSink(n)
		bp := newBufferPool(false)
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := bp.get()
			bb.Reset()
			for off := 0; off < len(src); off += viewWrite {
				bb.Write(src[off : off+viewWrite])
			}
			sink.Write(bb.Bytes())
			bp.put(bb)
		}
	},
	ImplByteBufferPool: func(b *testing.B, n int64) {
		src := data(n)[:n]
		sink := newOpaqueSink(n)
		bp := newByteBufferPool(int(n))
		b.SetBytes(n)
		for warm := true; warm || b.Loop(); warm = false {
			bb := bp.Get()
			for off := 0; off < len(src); off += viewWrite {
				bb.Write(src[off : off+viewWrite])
			}
			sink.Write(bb.B)
			bp.Put(bb)
		}
	},
})

package buffer

import (
	"bytes"
	"io"
	"iter"
	"net"

	"github.com/bytesio-go/bytesio/pool"
)

// zeros backs the chunks of a gap that was never written: they read as
// zeros and are never written to.
var zeros [pool.MaxChunkLimit]byte

// content is the storage shared by Buffer and View: size bytes held either in
// flat or in chunks laid out by l.
//
// While flat != nil the content is flat[:size] and the table is empty.
// Otherwise chunk i (see layout) holds the content bytes
// [l.locate start, start+l.size(i)) ∩ [0, size); a nil chunk reads as zeros
// and the table has exactly l.count(size) entries. Chunk bytes at or past
// size are left over from earlier holders and never read.
type content struct {
	head [headChunks]*pool.Chunk // chunk i for i < headChunks
	more []*pool.Chunk           // chunk i is more[i-headChunks] for i >= headChunks
	n    int                     // entries in the table: chunks 0 .. n-1
	flat []byte                  // initial content shared with the caller, not copied
	l    layout
	size int64
}

// headChunks is how many chunk pointers a table holds without allocating:
// with a first chunk of 1 KiB, content up to 255 KiB.
const headChunks = 8

// at returns chunk i, which must be within the table.
func (c *content) at(i int) *pool.Chunk {
	if i < headChunks {
		return c.head[i]
	}
	return c.more[i-headChunks]
}

func (c *content) setAt(i int, ch *pool.Chunk) {
	if i < headChunks {
		c.head[i] = ch
	} else {
		c.more[i-headChunks] = ch
	}
}

// chunks returns the number of entries in the table.
func (c *content) chunks() int { return c.n }

// all returns an iterator over the table's chunks; a nil chunk is a gap.
func (c *content) all() iter.Seq2[int, *pool.Chunk] {
	return func(yield func(int, *pool.Chunk) bool) {
		for i := range c.n {
			if !yield(i, c.at(i)) {
				return
			}
		}
	}
}

// segment returns the memory that holds offset off < size: seg holds the
// content bytes [start, start+len(seg)), with len(seg) cut at size.
func (c *content) segment(off int64) (seg []byte, start int64) {
	if c.flat != nil {
		return c.flat[:c.size], 0
	}
	i, start := c.l.locate(off)
	n := min(int64(c.l.size(i)), c.size-start)
	if ch := c.at(i); ch != nil {
		return ch.Bytes()[:n], start
	}
	return zeros[:n], start
}

// readAt copies the content at off into p and returns the count: at most
// len(p), and 0 when off >= size.
func (c *content) readAt(p []byte, off int64) int {
	n := 0
	for n < len(p) && off < c.size {
		seg, start := c.segment(off)
		k := copy(p[n:], seg[off-start:])
		n += k
		off += int64(k)
	}
	return n
}

// appendTo appends the content [off, size) to dst.
func (c *content) appendTo(dst []byte, off int64) []byte {
	for off < c.size {
		seg, start := c.segment(off)
		dst = append(dst, seg[off-start:]...)
		off = start + int64(len(seg))
	}
	return dst
}

// writeTo writes the content [off, size) to w. To a TCP or Unix socket,
// content in more than one segment goes out as one net.Buffers writev call;
// to any other writer, one checked Write per segment (net.Buffers would not
// notice a short write there). A short write without an error reports
// io.ErrShortWrite.
func (c *content) writeTo(w io.Writer, off int64) (int64, error) {
	if off >= c.size {
		return 0, nil
	}
	switch w.(type) {
	case *net.TCPConn, *net.UnixConn:
		if seg, start := c.segment(off); start+int64(len(seg)) < c.size {
			var bufs net.Buffers
			for o := off; o < c.size; {
				seg, start := c.segment(o)
				bufs = append(bufs, seg[o-start:])
				o = start + int64(len(seg))
			}
			return bufs.WriteTo(w)
		}
	}
	var n int64
	for off < c.size {
		seg, start := c.segment(off)
		p := seg[off-start:]
		k, err := w.Write(p)
		if k < 0 || k > len(p) {
			k = 0
			if err == nil {
				err = errInvalidWrite
			}
		}
		n += int64(k)
		off += int64(k)
		if err == nil && k < len(p) {
			err = io.ErrShortWrite
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// indexByte returns the offset of the first delim at or after off, or -1.
func (c *content) indexByte(delim byte, off int64) int64 {
	for off < c.size {
		seg, start := c.segment(off)
		if i := bytes.IndexByte(seg[off-start:], delim); i >= 0 {
			return off + int64(i)
		}
		off = start + int64(len(seg))
	}
	return -1
}

// borrow returns the n content bytes at off < size, n <= size-off: a slice of
// the storage when they lie in one segment, else a fresh copy.
func (c *content) borrow(off int64, n int) []byte {
	seg, start := c.segment(off)
	if s := seg[off-start:]; len(s) >= n {
		return s[:n:n]
	}
	p := make([]byte, n)
	c.readAt(p, off)
	return p
}

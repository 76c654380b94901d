package buffer

import (
	"bytes"
	"io"
	"maps"
	"net"
	"sync"

	"github.com/bytesio-go/bytesio/pool"
)

// zeros backs the chunks of a gap that was never written when the content is
// read inside the package (copied out, searched, written to an io.Writer). It
// is never written to, and never handed to a caller as borrowed memory: see
// borrow and View.Chunks, which give a gap fresh zeros instead.
var zeros [pool.MaxChunkLimit]byte

// content is the storage shared by Buffer and View: size bytes held either in
// flat or in chunks laid out by l.
//
// While flat != nil the content is flat[:size] and the table is empty.
// Otherwise chunk i (see layout) holds the content bytes
// [l.locate start, start+l.size(i)) ∩ [0, size); a missing chunk reads as
// zeros. No chunk is held at index n or above, and n >= l.count(size): n
// passes it only for a first chunk kept empty by Reset (n == 1, size == 0)
// and, inside ReadFrom, for a chunk prepared ahead of a read. Chunk bytes at
// or past size are left over from earlier holders and never read.
//
// The table costs memory in proportion to the chunks held, not to the
// offsets they hold. Chunk i < headChunks is head[i]. Chunk i of page 0
// (headChunks <= i < headChunks+pageLen) is p0.c[i-headChunks]. A chunk
// past page 0 is c1 when c1i == i (one far chunk needs no page: a lone
// write far away costs what a head chunk costs), else entry
// (i-headChunks)%pageLen of far[(i-headChunks)/pageLen]. A page exists only
// while it holds a chunk, and an index is in one place only. Finding a chunk
// is arithmetic plus, past page 0 (64 MiB with 1 MiB chunks), one map
// lookup.
type content struct {
	head [headChunks]*pool.Chunk // chunk i for i < headChunks
	p0   *page                   // page 0, or nil
	c1   *pool.Chunk             // chunk c1i, past page 0, or nil
	c1i  int
	far  map[int]*page // pages 1 and up that hold chunks other than c1
	// farPeak is the most pages far held since it was made: a Go map does
	// not shrink, so dropPage makes a new one when far holds a quarter of
	// that (see dropPage).
	farPeak int
	n       int    // entries in the table: chunks 0 .. n-1
	flat    []byte // initial content shared with the caller, not copied
	l       layout
	size    int64
}

// headChunks is how many chunk pointers a table holds without allocating:
// with a first chunk of 1 KiB, content up to 255 KiB.
const headChunks = 8

// pageLen is the number of chunk pointers in a page of the table.
const pageLen = 64

// A page holds pageLen entries of the table; held counts the non-nil ones.
type page struct {
	c    [pageLen]*pool.Chunk
	held int
}

// pages keeps emptied pages for reuse; a page in it holds no chunk.
var pages = sync.Pool{New: func() any { return new(page) }}

// pageOf returns the page and entry of chunk i >= headChunks.
func pageOf(i int) (k, j int) {
	i -= headChunks
	return i / pageLen, i % pageLen
}

// page returns page k, or nil when it holds no chunk.
func (c *content) page(k int) *page {
	if k == 0 {
		return c.p0
	}
	if len(c.far) == 0 {
		return nil
	}
	return c.far[k]
}

// atNear is at for chunk i in head or in page 0 when that page is made,
// small enough to inline; for any other i it reports false.
func (c *content) atNear(i int) (ch *pool.Chunk, ok bool) {
	if uint(i) < headChunks {
		return c.head[i], true
	}
	if j := uint(i - headChunks); j < pageLen && c.p0 != nil {
		return c.p0.c[j], true
	}
	return nil, false
}

// at returns chunk i, or nil for a gap. Hot paths call atNear inline and
// atFar only when it reports false, as at does.
func (c *content) at(i int) *pool.Chunk {
	if ch, ok := c.atNear(i); ok {
		return ch
	}
	return c.atFar(i)
}

// atFar is at for an i that atNear reported false for: past page 0, or in
// page 0 before it is made.
func (c *content) atFar(i int) *pool.Chunk {
	if i-headChunks < pageLen {
		return nil // page 0 not made
	}
	if c.c1 != nil && c.c1i == i {
		return c.c1
	}
	k, j := pageOf(i)
	if pg := c.page(k); pg != nil {
		return pg.c[j]
	}
	return nil
}

// setAt sets chunk i, making its page when needed and dropping a page that
// no longer holds a chunk.
func (c *content) setAt(i int, ch *pool.Chunk) {
	if i < headChunks {
		c.head[i] = ch
		return
	}
	k, j := pageOf(i)
	if k > 0 && c.c1 != nil && c.c1i == i {
		c.c1 = ch
		return
	}
	pg := c.page(k)
	if pg == nil {
		switch {
		case ch == nil:
			return
		case k > 0 && c.c1 == nil:
			c.c1, c.c1i = ch, i
			return
		}
		pg = pages.Get().(*page)
		if k == 0 {
			c.p0 = pg
		} else {
			if c.far == nil {
				c.far = make(map[int]*page)
			}
			c.far[k] = pg
			c.farPeak = max(c.farPeak, len(c.far))
		}
	}
	switch old := pg.c[j]; {
	case old == nil && ch != nil:
		pg.held++
	case old != nil && ch == nil:
		pg.held--
	}
	pg.c[j] = ch
	if pg.held == 0 {
		c.dropPage(k, pg)
	}
}

// dropPage forgets page k, which holds no chunk, and keeps it for reuse.
// The map of far pages goes with its last page, and is made anew when it
// holds a quarter of the most pages it held (once that was over
// farShrinkMin): a Go map does not shrink, so a buffer or a pooled view
// state that once held many far pages would otherwise keep the map's memory
// for good. Making it anew costs its pages, after at least three times as
// many were dropped.
func (c *content) dropPage(k int, pg *page) {
	if k == 0 {
		c.p0 = nil
	} else if delete(c.far, k); len(c.far) == 0 {
		c.far, c.farPeak = nil, 0
	} else if c.farPeak > farShrinkMin && len(c.far) <= c.farPeak/4 {
		// Not maps.Clone, which keeps the size of the map it copies.
		m := make(map[int]*page, len(c.far))
		maps.Copy(m, c.far)
		c.far, c.farPeak = m, len(m)
	}
	pages.Put(pg)
}

// farShrinkMin is the most pages for which dropPage keeps the map of far
// pages it has (a map of 64 pages costs a few KiB).
const farShrinkMin = 64

// tally returns a chunk of the table on which statistics can be tallied
// (the pool's counters through a chunk cost no shared random pick): the
// first chunk, or the lone far chunk; nil when the table holds neither.
func (c *content) tally() *pool.Chunk {
	if c.head[0] != nil {
		return c.head[0]
	}
	return c.c1
}

// chunks returns the number of entries in the table.
func (c *content) chunks() int { return c.n }

// each calls f for every chunk held, in no particular order.
func (c *content) each(f func(*pool.Chunk)) {
	for _, ch := range c.head {
		if ch != nil {
			f(ch)
		}
	}
	if c.p0 != nil {
		c.p0.each(f)
	}
	if c.c1 != nil {
		f(c.c1)
	}
	if len(c.far) > 0 {
		for _, pg := range c.far {
			pg.each(f)
		}
	}
}

func (pg *page) each(f func(*pool.Chunk)) {
	for _, ch := range pg.c {
		if ch != nil {
			f(ch)
		}
	}
}

// releaseFrom releases every chunk at index n or above and removes it from
// the table, in time proportional to the chunks it releases plus the fewer
// of the far pages held and the pages that entries n and above span.
func (c *content) releaseFrom(n int) {
	if c.n == 1 && n == 0 {
		if ch := c.head[0]; ch != nil {
			ch.Release()
			c.head[0] = nil
		}
		return
	}
	for i := n; i < min(c.n, headChunks); i++ {
		if ch := c.head[i]; ch != nil {
			ch.Release()
			c.head[i] = nil
		}
	}
	if c.n <= headChunks {
		return // no page or far chunk holds a chunk
	}
	if c.p0 != nil {
		c.releasePage(0, c.p0, n)
	}
	if c.c1 != nil && c.c1i >= n {
		c.c1.Release()
		c.c1 = nil
	}
	if len(c.far) == 0 {
		return
	}
	// Far pages from the one entry n is in to the last entry's: looked up
	// one by one when they are fewer than the pages held, else every page
	// held is visited, and those wholly below n are left alone.
	first, last := max(1, (n-headChunks)/pageLen), (c.n-1-headChunks)/pageLen
	if last-first < len(c.far) {
		for k := first; k <= last; k++ {
			if pg := c.far[k]; pg != nil {
				c.releasePage(k, pg, n)
			}
		}
		return
	}
	for k, pg := range c.far {
		if headChunks+(k+1)*pageLen > n {
			c.releasePage(k, pg, n)
		}
	}
}

// releasePage releases the chunks of page k at index n or above.
func (c *content) releasePage(k int, pg *page, n int) {
	base := headChunks + k*pageLen
	for j := max(0, n-base); j < pageLen && pg.held > 0; j++ {
		if ch := pg.c[j]; ch != nil {
			ch.Release()
			pg.c[j] = nil
			pg.held--
		}
	}
	if pg.held == 0 {
		c.dropPage(k, pg)
	}
}

// shareTable makes c's table a copy of src's, retaining every chunk: c then
// holds its own references. c's table must be empty.
func (c *content) shareTable(src *content) {
	if src.n == 1 {
		// The common small case: one chunk (or a gap).
		if ch := src.head[0]; ch != nil {
			ch.Retain()
			c.head[0] = ch
		}
		c.n = 1
		return
	}
	c.head = src.head
	for _, ch := range c.head {
		if ch != nil {
			ch.Retain()
		}
	}
	c.n = src.n
	if c.n <= headChunks {
		return
	}
	if src.p0 != nil {
		c.p0 = src.p0.clone()
	}
	if src.c1 != nil {
		c.c1, c.c1i = src.c1, src.c1i
		c.c1.Retain()
	}
	if len(src.far) > 0 {
		for k, pg := range src.far {
			if c.far == nil {
				c.far = make(map[int]*page, len(src.far))
			}
			c.far[k] = pg.clone()
		}
		c.farPeak = len(c.far)
	}
}

// clone returns a copy of pg from the page pool, retaining its chunks.
func (pg *page) clone() *page {
	cp := pages.Get().(*page)
	*cp = *pg
	cp.each((*pool.Chunk).Retain)
	return cp
}

// whole returns the content when it lies in one piece of memory (the
// initial content, or the first chunk alone), with no capacity past it,
// else nil.
func (c *content) whole() []byte {
	if c.flat != nil {
		return c.flat[:c.size:c.size]
	}
	if ch := c.head[0]; c.n == 1 && ch != nil && c.size <= int64(ch.Size()) {
		return ch.Bytes()[:c.size:c.size]
	}
	return nil
}

// isZeros reports whether seg is memory of the package's zeros.
func isZeros(seg []byte) bool { return len(seg) > 0 && &seg[0] == &zeros[0] }

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
// content in more than one segment goes out in net.Buffers writev calls
// (writeVectors); to any other writer, one checked Write per segment (net.Buffers would not
// notice a short write there), and a gap goes out from zeros of the call's
// own, cleared before each Write, in Writes of gapPiece bytes or the rest
// of the segment if less: a writer that writes into what it is given
// (io.Writer forbids it) then spoils no other buffer's gaps. A short write
// without an error reports io.ErrShortWrite. For a view, live reports
// whether the view is still held: a writer that releases it (which an
// io.Writer has no business doing) ends the call with errStopped before the
// next Write, which would otherwise send the content of the view that took
// the released state over; a buffer passes nil.
func (c *content) writeTo(w io.Writer, off int64, live func() bool) (int64, error) {
	if off >= c.size {
		return 0, nil
	}
	if p := c.whole(); p != nil {
		// The content is in one piece: one Write, whatever w is.
		k, err := writeAll(w, p[off:])
		return int64(k), err
	}
	switch w.(type) {
	case *net.TCPConn, *net.UnixConn:
		if seg, start := c.segment(off); start+int64(len(seg)) < c.size {
			return c.writeVectors(w, off, live)
		}
	}
	var n int64
	var gap []byte
	for off < c.size {
		seg, start := c.segment(off)
		p := seg[off-start : len(seg) : len(seg)] // no chunk memory past the content
		if isZeros(seg) {
			// Zeros enough for this piece: a gap piece cut short by the
			// end of its segment does not cut the pieces after it.
			k := min(len(p), gapPiece)
			if len(gap) < k {
				gap = make([]byte, k)
			} else {
				clear(gap[:k])
			}
			p = gap[:k:k]
		}
		k, err := writeAll(w, p)
		n += int64(k)
		off += int64(k)
		if err != nil {
			return n, err
		}
		if live != nil && !live() {
			return n, errStopped
		}
	}
	return n, nil
}

// writeVectors is writeTo for a socket, where one writev sends many
// pieces: each chunk held, and each run of gap from the package's zeros, in
// pieces of up to len(zeros) (the socket only reads them). It sends them in
// batches of up to maxVectors pieces, so that the memory the call takes is
// bounded however much content or gap there is; a batch of chunks of
// MaxChunkLimit bytes is 16 GiB.
func (c *content) writeVectors(w io.Writer, off int64, live func() bool) (int64, error) {
	var n int64
	var vec net.Buffers // grown as needed: most content is a few chunks
	for o := off; o < c.size; {
		seg, start := c.segment(o)
		p := seg[o-start : len(seg) : len(seg)]
		if last := len(vec) - 1; isZeros(p) && last >= 0 && isZeros(vec[last]) && len(vec[last])+len(p) <= len(zeros) {
			// The gap goes on: one piece for the run.
			vec[last] = zeros[: len(vec[last])+len(p) : len(vec[last])+len(p)]
		} else {
			vec = append(vec, p)
		}
		o += int64(len(p))
		if len(vec) == maxVectors || o == c.size {
			bufs := vec // WriteTo consumes bufs, leaving vec's array to reuse
			k, err := bufs.WriteTo(w)
			n += k
			if err != nil {
				return n, err
			}
			if live != nil && !live() {
				return n, errStopped
			}
			vec = vec[:0]
		}
	}
	return n, nil
}

// maxVectors is the most pieces writeVectors hands to one net.Buffers
// WriteTo: IOV_MAX on Linux, the most one writev takes.
const maxVectors = 1024

// gapPiece is the most bytes of a gap that writeTo hands to one Write.
const gapPiece = 32 << 10

// writeAll writes p to w in one Write and checks the result: a count outside
// [0, len(p)] is errInvalidWrite (and counts as 0), a short count without an
// error is io.ErrShortWrite.
func writeAll(w io.Writer, p []byte) (int, error) {
	k, err := w.Write(p)
	if k != len(p) || err != nil {
		return checkWrite(k, err, len(p))
	}
	return k, nil
}

// checkWrite is writeAll's check of a result other than (len(p), nil).
func checkWrite(k int, err error, n int) (int, error) {
	if k < 0 || k > n {
		k = 0
		if err == nil {
			err = errInvalidWrite
		}
	}
	if err == nil && k < n {
		err = io.ErrShortWrite
	}
	return k, err
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
// the storage when they lie in one chunk (or in flat), else a fresh copy. A
// gap is never lent (its memory is the package's zeros): it comes as fresh
// zeros. With private set, memory that a view may share is not lent either
// (a chunk a view holds, or flat), so that writing into the slice can change
// no view.
func (c *content) borrow(off int64, n int, private bool) []byte {
	if c.flat != nil && !private {
		return c.flat[off : off+int64(n) : off+int64(n)]
	}
	if c.flat != nil {
		return bytes.Clone(c.flat[off : off+int64(n)])
	}
	i, start := c.l.locate(off)
	if ch := c.at(i); ch != nil && (!private || !ch.Shared()) {
		if m := ch.Bytes()[off-start:]; len(m) >= n {
			return m[:n:n]
		}
	}
	p := make([]byte, n)
	c.readAt(p, off)
	return p
}

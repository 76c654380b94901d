// Package buffer provides [Buffer], an in-memory file with the cursor
// semantics of Python's io.BytesIO, on pooled, chunked storage.
//
// One position is shared by reads and writes. A write overwrites at the
// position and extends the content where it goes past the end; writing past
// the end first fills the gap with zeros. [Buffer.Truncate] only shrinks and
// never moves the position. [Buffer.GetValue] returns the whole content,
// wherever the position is, as a [View] that copies no bytes and never
// changes afterwards.
//
//	b := buffer.NewString("hello")
//	b.WriteString(" world") // overwrites "hello": the position starts at 0
//	v := b.GetValue()       // " world"
//	defer v.Release()
//
// # Storage
//
// The content lives in chunks from a [pool.Pool] ([pool.Default] unless the
// buffer was made by [NewWithPool] or [NewPool]). A buffer's first chunk has
// the size the pool's calibration picks, but never more than max(4 KiB, 16
// × the first write rounded up to a power of two), whatever calibration has
// seen ([SmallFirstChunk], [FirstChunkFactor]); a larger first write gets a
// first chunk that holds it all (up to the max size calibration picks).
// Each next chunk is twice the previous one up to that max size; only a
// first chunk that the bound cut below the calibrated size is followed by a
// chunk of the calibrated size instead, when that is at most 4 times the
// first. Past the max size, chunks come in segments of 16 of one size, each
// segment's twice the last's, up to the pool's largest size (Config.MaxChunk),
// which all chunks after them have; with calibration off, or when it picked
// the largest size, there are no segments. So a rare large buffer in a
// program of small ones takes few chunks, and once it passes 8 times the
// max size its last chunk's unused bytes stay within an eighth of its
// content. So small buffers stay small,
// growth never copies what was written, and the chunk holding any offset is
// found by arithmetic. [Buffer.Close] gives the chunks back;
// [Buffer.Reset] keeps one (the first, or a larger one the content grew
// into, within the bound above for the first write), and [Put] keeps at most
// one, of a size a new buffer could take (at most 64 KiB), and none when no
// chunk of the buffer has such a size; either way the first write that
// follows checks it against the bound above for that write. A gap that was
// never written holds no chunk at all and reads as zeros, and the table of
// chunks costs memory only where chunks are, so one byte written at offset
// 1<<39 costs one chunk, not a table for the whole offset; chunks taken
// from the pool never show what an earlier user wrote.
//
// # Views and borrowed memory
//
// A [View] holds a reference on each chunk it shows; the buffer copies a
// chunk (that one only) before writing into it while a view holds it. A chunk
// returns to the pool once neither the buffer nor any view holds it, so a
// view's memory is never reused under it. A view of content in one chunk
// first borrows the buffer's reference, which makes GetValue and Release
// cheap (one compare-and-swap in all) when the view is released before the
// buffer next writes into, resets away or closes that chunk; otherwise the
// buffer gives the view its reference then. Release views when done with them;
// a view that is never released is collected by the garbage collector, once
// its buffer is closed or emptied twice for reuse (Reset, Put) if it is the
// first view taken while the buffer had none, whose state the buffer holds.
//
// [Buffer.Peek], [Buffer.Next], [Buffer.Lines] and [Buffer.AvailableBuffer]
// return slices of the buffer's own memory with a short lifetime stated in
// each method's doc, like bytes.Buffer.Bytes: they must not be kept past the
// calls named there. In particular, after [Buffer.Close] or [Buffer.Reset]
// that memory belongs to the pool and may hold another buffer's bytes.
// Borrowed memory is never shared with another buffer, nor with a view that
// existed when it was lent: a never-written gap and a chunk that a view
// holds are lent as a fresh copy. A borrowed slice must not be modified; if
// it is, the damage stays in this buffer's own content and in views taken
// after the slice was lent.
//
// # Reading back: UnreadByte and UnreadRune
//
// [Buffer.UnreadByte] undoes the last read that returned at least one byte
// (Read, ReadByte, ReadRune, ReadBytes, ReadString, Next, a step of Lines),
// and [Buffer.UnreadRune] the last ReadRune, as long as no call that can move
// the position or change the content came after it, whether that call
// succeeded or not (Write and its kin, WriteAt, ReadFrom, WriteTo, Seek,
// Truncate, Reset, Close, and the other reads). Calls that can do neither
// leave it alone: GetValue, ReadAt, Peek, String, Len, Size, Pos, Cap,
// Limit, SetLimit, Available, AvailableBuffer and Grow. This is
// bytes.Buffer's rule written out for every method, with three differences:
// a failed UnreadRune, a call that could have moved the position, ends what
// UnreadByte may undo, where bytes.Buffer's does not; a ReadBytes or
// ReadString that returns no byte (at the end) cannot be undone, where
// bytes.Buffer's UnreadByte then succeeds, moving back over the byte read
// before; and Grow, which here cannot move the position, leaves it alone,
// where bytes.Buffer's Grow ends it when all was read. Unlike
// bufio.Reader's, Peek ends neither.
//
// # Concurrency and copies
//
// A Buffer is not safe for concurrent use, with two exceptions that
// io.WriterAt and io.ReaderAt ask for: [Buffer.WriteAt] calls on
// non-overlapping ranges may run in parallel with each other, and
// [Buffer.ReadAt] calls with each other; neither with any other call. Views
// are safe for concurrent use. A Buffer must not be copied: go vet's copylocks check
// reports copies, and bytesio_debug builds panic when a copy is used.
//
// # Build tags
//
// The bytesio_debug tag turns on the misuse checks described above and in
// the methods' docs, among them every call on a closed buffer of a method
// that returns ErrClosed in other builds, or reads content (GetValue, Next,
// Lines, which return empty results in other builds), every use of a
// released view (ErrReleased, or 0) and a second Release of a view (which
// does nothing in other builds): each panics with a message naming the
// call. The methods that report the state of a closed buffer (Size, Len,
// Pos, Cap, Available, AvailableBuffer, String, Limit) and those that do
// nothing on one (Reset, Grow, SetLimit, Close) do not panic. It also
// checks the invariants of the package's use of unsafe (tail_unsafe.go,
// which slices the buffer's memory without bounds checks in the fast paths
// of Write and its kin, AvailableBuffer, Read, ReadAt and WriteTo, and
// compares addresses to tell whether a slice lies in a chunk). The purego
// tag builds the package without unsafe: Write and WriteString, which the
// compiler inlines where it sees the type, are then calls (Read, WriteByte,
// the rewind and, on 64-bit platforms, ReadAt still inline), and a Write or
// WriteAt that crosses from one chunk into the next copies p first when it
// is no longer than the first of them, as it cannot tell whether p is a
// slice Peek, Next or Lines lent (see Peek), unless p lies in the spare
// chunk AvailableBuffer lends, which a comparison of pointers tells.
//
// # Limits
//
// Positions and sizes are int64. Each buffer has a size limit
// ([DefaultLimit] unless set by [Buffer.SetLimit], at most [MaxLimit]); an
// operation whose result would pass it returns [ErrTooLarge] and changes
// nothing (but ReadFrom, which keeps what fit; see there), so a hostile
// offset such as Seek(1<<62, io.SeekStart) followed by a Write fails
// cleanly instead of allocating.
//
// # Differences from io.BytesIO
//
// Where Go's io contracts require it, Buffer follows Go:
//
//	Python io.BytesIO                           Go Buffer
//	read() at or past the end returns b""       Read returns 0, io.EOF
//	seek(-n, 1) or seek(-n, 2) below 0 clamps   Seek returns ErrNegativeOffset; position unchanged
//	seek(-1) raises ValueError                  Seek returns ErrNegativeOffset
//	seek(0, 3) raises ValueError                Seek returns ErrInvalidWhence
//	seek past sys.maxsize raises OverflowError  Seek returns ErrOverflow
//	truncate(n) returns n                       Truncate returns only an error
//	truncate(None) truncates at the position    Truncate(b.Pos())
//	truncate(-1) raises ValueError              Truncate returns ErrNegativeSize
//	readline(), readlines(), iteration          ReadBytes('\n') (io.EOF with an unended last line), Lines()
//	readline(size)                              Peek(size), then Next up to its first '\n'
//	tell()                                      Pos()
//	getvalue() returns bytes (shared, COW)      GetValue returns a View (shared, COW); Release it
//	getbuffer() exports block write, truncate, close  no exports: views are snapshots, writes copy
//	close() with exports raises BufferError     Close always succeeds; views keep their chunks
//	operations after close raise ValueError     they return ErrClosed (errors.Is fs.ErrClosed); Lines yields nothing
//	write(str) raises TypeError                 WriteString writes the string's bytes
//	MemoryError may close the object            ErrTooLarge changes nothing (ReadFrom keeps what fit)
//	no size limit but memory                    a per-buffer limit, DefaultLimit
//	readinto, read1, readinto1                  Read
//	(no equivalent)                             ReadAt, WriteAt, ReadFrom, WriteTo, runes, Peek, Next
package buffer

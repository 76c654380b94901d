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
// buffer was made by [NewWithPool]). A buffer's first chunk has the size the
// pool's calibration picks, or holds all of the first write when that is
// larger (up to the pool's largest size); each next chunk is twice the
// previous one up to the largest size, and from then on all chunks have that
// size: small
// buffers stay small, growth never copies what was written, and the chunk
// holding any offset is found by arithmetic. [Buffer.Close] and
// [Buffer.Reset] give the chunks back. A gap that was never written holds no
// chunk at all and reads as zeros; chunks taken from the pool never show what
// an earlier user wrote.
//
// # Views and borrowed memory
//
// A [View] holds a reference on each chunk it shows; the buffer copies a
// chunk (that one only) before writing into it while a view holds it. A chunk
// returns to the pool once neither the buffer nor any view holds it, so a
// view's memory is never reused under it. Release views when done with them;
// a view that is never released is collected by the garbage collector.
//
// [Buffer.Peek], [Buffer.Next], [Buffer.Lines] and [Buffer.AvailableBuffer]
// return slices of the buffer's own memory with a short lifetime stated in
// each method's doc, like bytes.Buffer.Bytes: they must not be kept past the
// calls named there. In particular, after [Buffer.Close] or [Buffer.Reset]
// that memory belongs to the pool and may hold another buffer's bytes.
//
// # Limits
//
// Positions and sizes are int64. Each buffer has a size limit
// ([DefaultLimit] unless set by [Buffer.SetLimit]); an operation whose result
// would pass it returns [ErrTooLarge] and changes nothing, so a hostile
// offset such as Seek(1<<62, io.SeekStart) followed by a Write fails cleanly
// instead of allocating.
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
//	readline(), readlines(), iteration          ReadBytes('\n'), Lines()
//	tell()                                      Pos()
//	getvalue() returns bytes (shared, COW)      GetValue returns a View (shared, COW); Release it
//	getbuffer() exports block write and close   no exports: views are snapshots, writes copy
//	close() with exports raises BufferError     Close always succeeds; views keep their chunks
//	operations after close raise ValueError     they return ErrClosed (errors.Is fs.ErrClosed)
//	write(str) raises TypeError                 WriteString writes the string's bytes
//	MemoryError may close the object            ErrTooLarge changes nothing
//	no size limit but memory                    a per-buffer limit, DefaultLimit
//	readinto, read1, readinto1                  Read
//	(no equivalent)                             ReadAt, WriteAt, ReadFrom, WriteTo, runes, Peek, Next
//
// A Buffer is not safe for concurrent use; Views are.
package buffer

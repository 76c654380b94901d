package buffer

import (
	"errors"
	"io/fs"
)

// Errors returned by Buffer, View and ViewReader methods. A method that
// returns one of them has changed nothing: content and position are as they
// were before the call (ReadFrom, which keeps what it read before the error, is
// the one documented exception).
var (
	// ErrClosed is returned by every method of a closed Buffer that returns
	// an error, but Close; the methods without one return zero or empty
	// results (Pos, Size, Len, Cap, Available, AvailableBuffer, String,
	// GetValue, Next, Lines) or do nothing (Reset, Grow), as their docs say,
	// but for SetLimit and Limit, which work as on an open buffer.
	// errors.Is(ErrClosed, fs.ErrClosed) is true.
	ErrClosed error = &wrapError{"buffer: I/O operation on closed buffer", fs.ErrClosed}

	// ErrTooLarge is returned when an operation would make the content
	// larger than the buffer's limit (see Buffer.SetLimit).
	ErrTooLarge = errors.New("buffer: size limit exceeded")

	// ErrNegativeOffset is returned by ReadAt and WriteAt for a negative
	// offset, and by Seek when the new position would be negative (where
	// Python's io.BytesIO clamps to 0).
	ErrNegativeOffset = errors.New("buffer: negative offset")

	// ErrInvalidWhence is returned by Seek for a whence other than
	// io.SeekStart, io.SeekCurrent and io.SeekEnd.
	ErrInvalidWhence = errors.New("buffer: invalid whence")

	// ErrOverflow is returned by Seek when the new position would not fit an
	// int64.
	ErrOverflow = errors.New("buffer: new position too large")

	// ErrNegativeSize is returned by Truncate for a negative size.
	ErrNegativeSize = errors.New("buffer: negative size")

	// ErrNegativeCount is returned by Peek for a negative count.
	ErrNegativeCount = errors.New("buffer: negative count")

	// ErrInvalidUnread is returned by UnreadByte and UnreadRune when the
	// previous operation was not a read that can be undone.
	ErrInvalidUnread = errors.New("buffer: invalid use of UnreadByte or UnreadRune")

	// ErrReleased is returned when a View or ViewReader is read after the
	// view was released.
	ErrReleased = errors.New("buffer: view used after Release")
)

// errInvalidWrite is returned by WriteTo when the writer reports a count
// outside [0, len(p)].
var errInvalidWrite = errors.New("buffer: invalid write result")

// errStopped is returned by writeTo when the view it writes was released
// during a Write; the view's method returns ErrReleased instead.
var errStopped = errors.New("buffer: view released during WriteTo")

// wrapError is an error with its own text that matches another with errors.Is.
type wrapError struct {
	msg string
	err error
}

// Error returns the error's own text.
func (e *wrapError) Error() string { return e.msg }

// Unwrap returns the error it matches with errors.Is.
func (e *wrapError) Unwrap() error { return e.err }

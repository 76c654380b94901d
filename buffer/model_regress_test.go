package buffer_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/bytesio-go/bytesio/buffer"
)

// Regressions found by FuzzOps, each reduced to its shortest form.

// TestAvailableBufferPastLimit: with the limit lowered below the size,
// AvailableBuffer at the end of the content must still answer as its doc says
// (an empty slice with room for at least 64 bytes; the Write then returns
// ErrTooLarge), not panic.
func TestAvailableBufferPastLimit(t *testing.T) {
	p := newSmallPool(t)
	for _, size := range []int64{1, 100, 6848} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			b := buffer.NewWithPool(p)
			defer b.Close()
			b.Seek(size-1, 0)
			b.WriteByte(4)
			b.SetLimit(0)
			ab := b.AvailableBuffer()
			if ab == nil || len(ab) != 0 || cap(ab) < 64 || b.Available() != cap(ab) {
				t.Fatalf("AvailableBuffer() = len %d, cap %d (nil %t), Available() = %d; want len 0, cap >= 64, Available() = cap", len(ab), cap(ab), ab == nil, b.Available())
			}
			if n, err := b.Write(append(ab, 'x')); n != 0 || err != buffer.ErrTooLarge {
				t.Fatalf("Write = (%d, %v); want (0, ErrTooLarge)", n, err)
			}
			if b.Size() != size {
				t.Fatalf("Size() = %d; want %d", b.Size(), size)
			}
		})
	}
}

// TestUnreadByteAfterFailedUnreadRune: UnreadRune can move the position, so
// by the package doc's rule it ends what UnreadByte may undo "whether that
// call succeeded or not"; a failed UnreadRune after ReadByte must therefore
// make the next UnreadByte fail too.
func TestUnreadByteAfterFailedUnreadRune(t *testing.T) {
	b := buffer.NewString("abc")
	defer b.Close()
	if c, err := b.ReadByte(); c != 'a' || err != nil {
		t.Fatalf("ReadByte() = (%q, %v); want ('a', nil)", c, err)
	}
	if err := b.UnreadRune(); err != buffer.ErrInvalidUnread {
		t.Fatalf("UnreadRune() after ReadByte = %v; want ErrInvalidUnread", err)
	}
	if err := b.UnreadByte(); err != buffer.ErrInvalidUnread {
		t.Fatalf("UnreadByte() after a failed UnreadRune = %v; want ErrInvalidUnread", err)
	}
	if b.Pos() != 1 {
		t.Fatalf("Pos() = %d; want 1", b.Pos())
	}
}

// TestUnreadByteDifferences checks the package doc's other two differences
// from bytes.Buffer's rule, each against bytes.Buffer itself: after a
// ReadString that returns nothing at the end UnreadByte fails here and
// succeeds there; after Grow it succeeds here and fails there.
func TestUnreadByteDifferences(t *testing.T) {
	var bb bytes.Buffer
	bb.WriteString("ab")
	bb.ReadString('\n')
	bb.ReadString('\n')
	b := buffer.NewString("ab")
	defer b.Close()
	b.ReadString('\n')
	if s, err := b.ReadString('\n'); s != "" || err != io.EOF {
		t.Fatalf("ReadString at the end = %q, %v; want \"\", io.EOF", s, err)
	}
	if e1, e2 := bb.UnreadByte(), b.UnreadByte(); e1 != nil || e2 != buffer.ErrInvalidUnread {
		t.Errorf("UnreadByte after an empty ReadString: bytes.Buffer %v, Buffer %v; want nil, ErrInvalidUnread", e1, e2)
	}

	// bytes.Buffer's Grow ends it when all was read (Grow then resets).
	bb.Reset()
	bb.WriteString("ab")
	bb.ReadByte()
	bb.ReadByte()
	bb.Grow(10)
	b2 := buffer.NewString("ab")
	defer b2.Close()
	b2.ReadByte()
	b2.ReadByte()
	b2.Grow(10)
	if e1, e2 := bb.UnreadByte(), b2.UnreadByte(); e1 == nil || e2 != nil || b2.Pos() != 1 {
		t.Errorf("UnreadByte after Grow: bytes.Buffer %v, Buffer %v at %d; want an error, nil at 1", e1, e2, b2.Pos())
	}
}

// TestBorrowedNewBytesSharedWithView: the package doc says borrowed memory
// is never shared with a view, so writing into what Next or Peek lent can
// at worst change the buffer's own content. A buffer made by NewBytes lends
// its initial content itself, which a view taken by GetValue also shows.
func TestBorrowedNewBytesSharedWithView(t *testing.T) {
	for _, next := range []bool{false, true} {
		b := buffer.NewBytes([]byte("hello, world"))
		v := b.GetValue()
		var s []byte
		if next {
			s = b.Next(5)
		} else {
			s, _ = b.Peek(5)
		}
		copy(s, "HELLO")
		if got := v.String(); got != "hello, world" {
			t.Errorf("next %t: after writing into the borrowed slice, the view reads %q; want %q", next, got, "hello, world")
		}
		v.Release()
		b.Close()
	}
}

package buffer_test

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/bytesio-go/bytesio/buffer"
)

// A write at the position overwrites: a new buffer is positioned at 0, so
// " world" replaces "hello" and runs past it. The position is then at the
// end, where Read finds nothing, while GetValue returns the whole content.
func Example_overwrite() {
	b := buffer.NewString("hello")
	defer b.Close()

	b.WriteString(" world")
	_, err := b.Read(make([]byte, 10))
	v := b.GetValue()
	defer v.Release()
	fmt.Printf("%q %v\n", v.String(), err)
	// Output: " world" EOF
}

// Seeking to the end first makes the write an append.
func Example_append() {
	b := buffer.NewString("hello")
	defer b.Close()

	b.Seek(0, io.SeekEnd)
	b.WriteString(" world")
	v := b.GetValue()
	defer v.Release()
	fmt.Printf("%q\n", v.String())
	// Output: "hello world"
}

// Read continues from the position; GetValue returns everything wherever the
// position is.
func Example_readVersusGetValue() {
	b := buffer.New()
	defer b.Close()

	b.WriteString("hello world")
	b.Seek(6, io.SeekStart)
	rest, _ := io.ReadAll(b)
	v := b.GetValue()
	defer v.Release()
	fmt.Printf("read %q, getvalue %q, position %d\n", rest, v.String(), b.Pos())
	// Output: read "world", getvalue "hello world", position 11
}

// Writing past the end fills the gap with zeros; Truncate shrinks the content
// but leaves the position where it was.
func ExampleBuffer_Truncate() {
	b := buffer.NewString("0123456789")
	defer b.Close()

	b.Seek(8, io.SeekStart)
	b.Truncate(2)
	b.WriteString("!")
	v := b.GetValue()
	defer v.Release()
	fmt.Printf("%q size=%d pos=%d\n", v.String(), b.Size(), b.Pos())
	// Output: "01\x00\x00\x00\x00\x00\x00!" size=9 pos=9
}

// A View is a snapshot: later writes to the buffer do not change it.
func ExampleBuffer_GetValue() {
	b := buffer.New()
	defer b.Close()

	b.WriteString("first")
	v := b.GetValue()
	defer v.Release()
	b.Seek(0, io.SeekStart)
	b.WriteString("FIRST, then more")
	now := b.GetValue()
	defer now.Release()
	fmt.Printf("%q %q\n", v.String(), now.String())
	// Output: "first" "FIRST, then more"
}

// A View streams its chunks to a writer without copying them.
func ExampleView_WriteTo() {
	b := buffer.New()
	defer b.Close()

	fmt.Fprintf(b, "status: %s\n", "ok")
	v := b.GetValue()
	defer v.Release()
	v.WriteTo(os.Stdout)
	// Output: status: ok
}

// Lines yields the lines from the position on, each with its newline.
func ExampleBuffer_Lines() {
	b := buffer.NewString("one\ntwo\nthree")
	defer b.Close()

	for line := range b.Lines() {
		fmt.Printf("%q\n", line)
	}
	// Output:
	// "one\n"
	// "two\n"
	// "three"
}

// The hot-path recipe: take a buffer from the pool, write through io.Writer
// (here an encoder), use the content, give the buffer back. Once warm, the
// cycle allocates nothing: the buffer and its first chunk are reused.
func ExampleGet() {
	b := buffer.Get()
	defer buffer.Put(b)

	json.NewEncoder(b).Encode(map[string]int{"id": 7})
	b.WriteTo(os.Stdout) // from the position, which Encode left at the end: nothing
	b.Seek(0, io.SeekStart)
	b.WriteTo(os.Stdout)
	// Output: {"id":7}
}

// AvailableBuffer and Grow let strconv append straight into the buffer's
// memory, as with bytes.Buffer.
func ExampleBuffer_AvailableBuffer() {
	b := buffer.Get()
	defer buffer.Put(b)

	for i := range 3 {
		b.Write(strconv.AppendInt(b.AvailableBuffer(), int64(i*100), 10))
		b.WriteByte(' ')
	}
	fmt.Println(b) // String: the whole content
	// Output: 0 100 200
}

// String returns the whole content, wherever the position is (Python's
// getvalue), so fmt prints a buffer's content.
func ExampleBuffer_String() {
	b := buffer.NewString("abcdef")
	defer b.Close()

	b.Seek(3, io.SeekStart)
	fmt.Printf("%s at %d\n", b, b.Pos())
	// Output: abcdef at 3
}

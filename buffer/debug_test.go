//go:build bytesio_debug

package buffer_test

import (
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/bytesio-go/bytesio/buffer"
)

// debugBuild reports whether the bytesio_debug tag is on: tests that use a
// buffer after Close or a view after Release skip those steps, since debug
// builds panic there by design.
const debugBuild = true

// In debug builds, misuse panics with a message naming the call.
func TestDebugMisusePanics(t *testing.T) {
	tests := []struct {
		want string
		f    func()
	}{
		{"buffer.Buffer.Read: buffer used after Close", func() {
			b := buffer.NewString("x")
			b.Close()
			b.Read(make([]byte, 1))
		}},
		{"buffer.Buffer.Write: buffer used after Close", func() {
			b := buffer.New()
			b.Close()
			b.Write([]byte("x"))
		}},
		{"buffer.Buffer.Seek: buffer used after Close", func() {
			b := buffer.New()
			b.Close()
			b.Seek(0, io.SeekStart)
		}},
		// These share their error with Write, Read or ReadBytes, and name
		// themselves.
		{"buffer.Buffer.WriteString: buffer used after Close", func() {
			b := buffer.New()
			b.Close()
			b.WriteString("x")
		}},
		{"buffer.Buffer.WriteByte: buffer used after Close", func() {
			b := buffer.New()
			b.Close()
			b.WriteByte('x')
		}},
		{"buffer.Buffer.WriteRune: buffer used after Close", func() {
			b := buffer.New()
			b.Close()
			b.WriteRune('é')
		}},
		{"buffer.Buffer.ReadByte: buffer used after Close", func() {
			b := buffer.NewString("x")
			b.Close()
			b.ReadByte()
		}},
		{"buffer.Buffer.ReadString: buffer used after Close", func() {
			b := buffer.NewString("x")
			b.Close()
			b.ReadString('x')
		}},
		{"buffer.Buffer.Lines: buffer used after Close", func() {
			b := buffer.NewString("x\ny")
			b.Close()
			for range b.Lines() {
			}
		}},
		{"buffer.Buffer.Lines: buffer used after Close", func() { // closed inside the loop
			b := buffer.NewString("x\ny")
			for range b.Lines() {
				b.Close()
			}
		}},
		{"buffer.View.ReadAt: view used after Release", func() {
			b := buffer.NewString("abc")
			v := b.GetValue()
			v.Release()
			v.ReadAt(make([]byte, 1), 0)
		}},
		{"buffer.View.Bytes: view used after Release", func() {
			b := buffer.NewString("abc")
			v := b.GetValue()
			v.Release()
			v.Bytes()
		}},
		{"buffer.View.Release: view released twice", func() {
			b := buffer.NewString("abc")
			v := b.GetValue()
			v.Release()
			v.Release()
		}},
		// A ViewReader names its own call.
		{"buffer.ViewReader.Read: view used after Release", func() {
			v := buffer.NewString("abc").GetValue()
			r := v.NewReader()
			v.Release()
			r.Read(make([]byte, 1))
		}},
		{"buffer.ViewReader.ReadAt: view used after Release", func() {
			v := buffer.NewString("abc").GetValue()
			r := v.NewReader()
			v.Release()
			r.ReadAt(make([]byte, 1), 0)
		}},
		{"buffer.ViewReader.Len: view used after Release", func() {
			v := buffer.NewString("abc").GetValue()
			r := v.NewReader()
			v.Release()
			r.Len()
		}},
		{"buffer.ViewReader.Size: view used after Release", func() {
			v := buffer.NewString("abc").GetValue()
			r := v.NewReader()
			v.Release()
			r.Size()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			defer func() {
				got, _ := recover().(string)
				if !strings.Contains(got, tt.want) {
					t.Errorf("panic %q; want %q", got, tt.want)
				}
			}()
			tt.f()
		})
	}
}

// Closing twice is allowed in debug builds too.
func TestDebugDoubleCloseIsFine(t *testing.T) {
	b := buffer.New()
	b.Close()
	if err := b.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// In debug builds, using a copy of a buffer that was in use panics, naming
// the call: the copy shares the original's chunks, which the pool may hand
// to another buffer once the original is closed. (Copied through reflect,
// which go vet's copylocks check does not follow.)
func TestDebugCopiedBufferPanics(t *testing.T) {
	b := buffer.New()
	b.WriteString("hello")
	c := new(buffer.Buffer)
	reflect.ValueOf(c).Elem().Set(reflect.ValueOf(b).Elem())
	b.Close()
	d := buffer.New()
	defer d.Close()
	d.WriteString("hello")
	defer func() {
		got, _ := recover().(string)
		if want := "buffer.Buffer.Seek: Buffer copied after first use"; !strings.Contains(got, want) {
			t.Errorf("panic %q; want %q", got, want)
		}
		if v := d.GetValue(); v.String() != "hello" {
			t.Errorf("another buffer holds %q; want %q", v.String(), "hello")
		}
	}()
	c.Seek(0, io.SeekStart)
	c.WriteString("XXXXX")
}

// In debug builds, ReadAt of a copy of a buffer that was in use panics, as
// every other method does (it read the chunks the original gave back), and
// so does Put of such a copy, which would put a buffer sharing the
// original's chunks into the pool, for the next Get's caller to trip on.
// Parallel ReadAt calls on a buffer of its own do not trip the check.
func TestDebugCopiedBufferReadAtAndPut(t *testing.T) {
	for _, tt := range []struct {
		want string
		use  func(c *buffer.Buffer)
	}{
		{"buffer.Buffer.ReadAt: Buffer copied after first use", func(c *buffer.Buffer) { c.ReadAt(make([]byte, 5), 0) }},
		{"buffer.Pool.Put: Buffer copied after first use", func(c *buffer.Buffer) { buffer.Put(c) }},
	} {
		t.Run(tt.want, func(t *testing.T) {
			b := buffer.Get()
			b.WriteString("hello")
			c := new(buffer.Buffer)
			reflect.ValueOf(c).Elem().Set(reflect.ValueOf(b).Elem())
			b.Close()
			defer func() {
				got, _ := recover().(string)
				if !strings.Contains(got, tt.want) {
					t.Errorf("panic %q; want %q", got, tt.want)
				}
			}()
			tt.use(c)
		})
	}
	b := buffer.NewString("hello")
	defer b.Close()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			p := make([]byte, 5)
			if n, err := b.ReadAt(p, 0); n != 5 || err != nil || string(p) != "hello" {
				t.Errorf("ReadAt = %d, %v, %q", n, err, p)
			}
		})
	}
	wg.Wait()
}

// A buffer copied before its first use is a buffer of its own.
func TestDebugCopyBeforeUseIsFine(t *testing.T) {
	var a buffer.Buffer
	b := new(buffer.Buffer)
	reflect.ValueOf(b).Elem().Set(reflect.ValueOf(&a).Elem())
	b.WriteString("x")
	b.Close()
}

// In debug builds, Put of a buffer already given back or closed panics.
func TestDebugPutMisusePanics(t *testing.T) {
	for _, tt := range []struct {
		want string
		f    func()
	}{
		{"buffer.Pool.Put: buffer already given back", func() { b := buffer.Get(); buffer.Put(b); buffer.Put(b) }},
		{"buffer.Pool.Put: buffer used after Close", func() { b := buffer.Get(); b.Close(); buffer.Put(b) }},
	} {
		func() {
			defer func() {
				got, _ := recover().(string)
				if !strings.Contains(got, tt.want) {
					t.Errorf("panic %q; want %q", got, tt.want)
				}
			}()
			tt.f()
		}()
	}
}

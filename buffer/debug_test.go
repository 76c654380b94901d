//go:build bytesio_debug

package buffer_test

import (
	"io"
	"reflect"
	"strings"
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

//go:build bytesio_debug

package buffer_test

import (
	"io"
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

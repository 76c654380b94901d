//go:build bytesio_debug

package buffer

import (
	"strings"
	"testing"
)

// In bytesio_debug builds, the fast paths of Write, WriteString, WriteByte
// and Read check the invariants of room and ahead that tail_unsafe.go slices
// by without bounds checks, and panic, naming the call, when one is broken
// (as a bug elsewhere in the package would break it), instead of reading or
// writing outside the window.
func TestDebugChecksInvariantsOfUnsafePaths(t *testing.T) {
	fresh := func() *Buffer {
		b := New()
		b.WriteString("hello, world") // room after the content in the first chunk
		if b.room == 0 {
			t.Fatal("no tail after a first write")
		}
		return b
	}
	rewound := func() *Buffer {
		b := fresh()
		b.Seek(0, 0) // all of the content ahead
		if b.ahead == 0 {
			t.Fatal("nothing ahead after a rewind")
		}
		return b
	}
	for _, tt := range []struct {
		name, want string
		call       func()
	}{
		{"room past the window", "Buffer.Write: tail outside the window", func() {
			b := fresh()
			b.room = len(b.win) + 1
			b.Write([]byte("x"))
		}},
		{"tail not at the end", "Buffer.WriteString: tail outside the window", func() {
			b := fresh()
			b.size--
			b.WriteString("x")
		}},
		{"tail not where room puts it", "Buffer.WriteByte: tail outside the window", func() {
			b := fresh()
			b.room--
			b.WriteByte('x')
		}},
		{"ahead past the content", "Buffer.Read: ahead outside the window", func() {
			b := rewound()
			b.ahead++
			b.Read(make([]byte, 1))
		}},
		{"ahead negative", "Buffer.Read: ahead outside the window", func() {
			b := rewound()
			b.ahead = -1
			b.Read(make([]byte, 1))
		}},
		{"position before the window", "Buffer.Read: ahead outside the window", func() {
			b := rewound()
			b.winOff = 1
			b.Read(make([]byte, 1))
		}},
		{"aheadAll wrong", "Buffer.Read: ahead outside the window", func() {
			b := rewound()
			b.ahead--
			b.Read(make([]byte, 1))
		}},
	} {
		got := func() (msg string) {
			defer func() {
				if r := recover(); r != nil {
					msg, _ = r.(string)
				}
			}()
			tt.call()
			return ""
		}()
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s: panic %q; want one containing %q", tt.name, got, tt.want)
		}
	}
}

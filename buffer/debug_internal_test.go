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
			// The window moved so that the tail would end where it did:
			// room > len(win) is the only relation broken.
			b := fresh()
			b.room = len(b.win) + 1
			b.winOff = b.pos + 1
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
			// aheadAll false, as it is for an ahead that stops short of
			// the end: only the bound of ahead is broken.
			b := rewound()
			b.ahead++
			b.aheadAll = false
			b.Read(make([]byte, 1))
		}},
		{"ahead negative", "Buffer.Read: ahead outside the window", func() {
			b := rewound()
			b.ahead = -1
			b.aheadAll = false
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
		got := panicMessage(tt.call)
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s: panic %q; want one containing %q", tt.name, got, tt.want)
		}
	}
}

// In bytesio_debug builds, the fast path of Reset and Pool.Put checks that
// a buffer marked plain is in the state plain implies, and panics, naming
// the call, when a field that plain depends on changed without clearing it.
// Each case breaks one relation of that state.
func TestDebugChecksPlain(t *testing.T) {
	for _, tt := range []struct {
		name    string
		corrupt func(b *Buffer)
	}{
		{"closed", func(b *Buffer) { b.closed = true }},
		{"a limit (not bare)", func(b *Buffer) { b.max = 1 << 20 }},
		{"window read-only (not kept)", func(b *Buffer) { b.winW = false }},
		{"no first chunk", func(b *Buffer) { b.head[0] = nil }},
		{"window shorter than the chunk", func(b *Buffer) {
			b.keepLo = 0 // so that the shorter window is still of a size Put keeps
			b.win = b.win[:len(b.win)-1]
		}},
		{"window in other memory", func(b *Buffer) { b.win = make([]byte, len(b.win)) }},
	} {
		b := New()
		b.WriteString("hello")
		b.Reset() // the slow path: marks the buffer plain, and tallies its size class
		b.WriteString("hello")
		if !b.plain || !b.tallyInline(b.size) {
			t.Fatalf("%s: the buffer is not plain (%v) or its size not tallied inline after Reset and a write", tt.name, b.plain)
		}
		tt.corrupt(b)
		got := panicMessage(func() { b.Reset() })
		if want := "Buffer.Reset: plain buffer not in the state it implies"; !strings.Contains(got, want) {
			t.Errorf("%s: panic %q; want one containing %q", tt.name, got, want)
		}
	}
}

// panicMessage returns the message f panics with, "" when it returns.
func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg, _ = r.(string)
		}
	}()
	f()
	return ""
}

package buffer_test

import (
	"strconv"
	"strings"
	"testing"
)

// The hot paths and their helpers stay small enough for the compiler to
// inline them: a call in their place would cost more than they save (Write,
// WriteString, WriteByte, Read, Seek and ReadAt, whose fast paths are a
// few instructions; the slicing helpers of tail_unsafe.go; the size tally of
// Put) or allocate (Get and Put of the default pool). Pool.Get inlines with
// getFrom and poolGet, so that a Get costs the call of sync.Pool's Get and
// no call of its own. The slow* and callSlow* helpers and readEOF must
// inline too, or the inlined Write, Read and Seek call their slow paths
// indirectly (see slowWrite); locateBig and atNear, or an overwrite in
// large content and ReadAt there make calls that cost more than their work
// (see writeBytesSlow).
func TestInlining(t *testing.T) {
	out, err := goCommand(t, "build", "-gcflags=-m", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	inlines := func(fn string) bool {
		return strings.Contains(string(out), ": can inline "+fn+" ") || strings.Contains(string(out), ": can inline "+fn+"\n")
	}
	for _, fn := range []string{
		"tailAt", "spanAt", "(*Buffer).countSize", "Get", "Put",
		"(*Buffer).Write", "(*Buffer).WriteString", "(*Buffer).WriteByte", "(*Buffer).Read",
		"(*Buffer).Seek", "(*Pool).Get", "getFrom", "poolGet",
		"slowWrite", "slowWriteString", "slowWriteByte", "callSlowWrite", "callSlowWriteString", "callSlowWriteByte", "callSlowRead", "slowRead", "readEOF", "slowReadTable", "slowSeek",
		"callSlowReadAt", "slowReadAt", "layout.locateBig", "(*content).atNear",
	} {
		if !inlines(fn) {
			t.Errorf("%s is not inlinable any more (go build -gcflags=-m)", fn)
		}
	}
	// ReadAt inlines on 64-bit platforms; on 32-bit ones its int64
	// arithmetic costs 2 over the budget, and it is a call with the fast
	// path inside.
	if strconv.IntSize == 64 && !inlines("(*Buffer).ReadAt") {
		t.Errorf("(*Buffer).ReadAt is not inlinable any more (go build -gcflags=-m)")
	}
}

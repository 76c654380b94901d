package bench

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"testing"

	"github.com/valyala/bytebufferpool"

	"github.com/bytesio-go/bytesio/buffer"
)

// TestHotPathSizes checks that the size labels of the hot-path workloads
// are the bytes their operations write, and that every implementation
// writes the same bytes.
func TestHotPathSizes(t *testing.T) {
	for _, tc := range []struct {
		workload string
		write    func(io.Writer)
		bbp      func(*bytebufferpool.ByteBuffer)
	}{
		{"Encode", encode, nil},
		{"Fprintf", fprintfLine, nil},
		{"AppendInt", func(w io.Writer) { writeInts(w.(availableWriter)) }, appendIntsBBP},
	} {
		var ref bytes.Buffer
		tc.write(&ref)
		if got, want := FormatSize(int64(ref.Len())), sizeOf(tc.workload); got != want {
			t.Errorf("%s writes %d bytes (%s), its size label is %s", tc.workload, ref.Len(), got, want)
		}
		buf := buffer.Get()
		tc.write(buf)
		if got := buf.String(); got != ref.String() {
			t.Errorf("%s into bytesio: %q, want %q", tc.workload, got, ref.String())
		}
		buffer.Put(buf)
		if tc.bbp != nil {
			bb := new(bytebufferpool.ByteBuffer)
			tc.bbp(bb)
			if string(bb.B) != ref.String() {
				t.Errorf("%s into bytebufferpool: %q, want %q", tc.workload, bb.B, ref.String())
			}
		}
	}
	var rec record
	if err := json.Unmarshal([]byte(mustEncode(t)), &rec); err != nil || !reflect.DeepEqual(&rec, theRecord) {
		t.Errorf("Encode output does not round-trip: %v", err)
	}
}

func mustEncode(t *testing.T) string {
	var b bytes.Buffer
	encode(&b)
	return b.String()
}

// TestByteBufferPoolWarm checks the calibrated state the peer is timed
// in, reading bytebufferpool's unexported fields: before warming nothing
// is calibrated; after it, new buffers get the class of n and buffers of
// that class are kept, larger ones dropped.
func TestByteBufferPoolWarm(t *testing.T) {
	sizes := func(bp *bytebufferpool.Pool) (def, max uint64) {
		v := reflect.ValueOf(bp).Elem()
		return v.FieldByName("defaultSize").Uint(), v.FieldByName("maxSize").Uint()
	}
	for _, tc := range []struct {
		n        int
		defClass uint64 // 64 << ceil(log2(n/64))
	}{{200, 256}, {1 << 10, 1 << 10}, {16 << 10, 16 << 10}, {1000, 1024}} {
		bp := new(bytebufferpool.Pool)
		if d, m := sizes(bp); d != 0 || m != 0 {
			t.Fatalf("fresh pool: default %d, max %d", d, m)
		}
		warmByteBufferPool(bp, tc.n)
		if d, m := sizes(bp); d != tc.defClass || m != tc.defClass {
			t.Errorf("n=%d: after warming, default %d, max %d; want %d, %d", tc.n, d, m, tc.defClass, tc.defClass)
		}
	}
}

// TestBufferPoolCap checks the golang/go#23199 cap of the sync.Pool peer.
func TestBufferPoolCap(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's sync.Pool drops puts at random")
	}
	for _, tc := range []struct {
		nocap bool
		size  int
		kept  bool
	}{{false, PoolCap, true}, {false, PoolCap + 1, false}, {true, 4 << 20, true}} {
		p := newBufferPool(tc.nocap)
		bb := p.get()
		bb.Grow(tc.size)
		bb.Write(make([]byte, tc.size))
		c := bb.Cap()
		p.put(bb)
		got := p.get() // as put left it: the leaves Reset it
		if kept := got == bb; kept != tc.kept {
			t.Errorf("nocap=%v, %d bytes (cap %d): kept %v, want %v", tc.nocap, tc.size, c, kept, tc.kept)
		}
		if !tc.kept && got.Len() != 0 {
			t.Errorf("get returned a new buffer of length %d", got.Len())
		}
	}
}

func TestCopySink(t *testing.T) {
	s := &copySink{dst: make([]byte, 5)}
	for _, p := range []string{"abc", "defg", "hijklmnopq"} {
		if n, err := s.Write([]byte(p)); n != len(p) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", p, n, err)
		}
	}
	// 17 bytes through 5: "abcde" "fghij" "klmno" then "pq" over the start.
	if got := string(s.dst); got != "pqmno" || s.off != 2 {
		t.Errorf("sink holds %q at %d, want %q at 2", got, s.off, "pqmno")
	}
	s.rewind()
	s.Write([]byte("Z"))
	if s.dst[0] != 'Z' {
		t.Errorf("after rewind the write did not start at 0: %q", s.dst)
	}
}

// TestFillPattern checks fillPattern against its definition, at lengths
// around its period and its doublings.
func TestFillPattern(t *testing.T) {
	for _, n := range []int{0, 1, 250, 251, 252, 501, 502, 503, 1003, 1004, 1005, 4096, 100003} {
		for _, seed := range []int{0, 7, 250, 251, 1000} {
			p := make([]byte, n)
			fillPattern(p, seed)
			for i, c := range p {
				if want := byte((i+seed)%251) + 1; c != want {
					t.Fatalf("fillPattern(%d bytes, seed %d)[%d] = %d; want %d", n, seed, i, c, want)
				}
			}
		}
	}
}

// TestData checks that benchmark content is never zero: a zero page reads
// impossibly fast.
func TestData(t *testing.T) {
	for _, n := range []int64{1, 100 << 10, 1 << 20} {
		d := data(n)
		if int64(len(d)) < n {
			t.Fatalf("data(%d) has %d bytes", n, len(d))
		}
		if i := bytes.IndexByte(d, 0); i >= 0 {
			t.Errorf("data(%d)[%d] is 0", n, i)
		}
	}
	if i := bytes.IndexByte(prealloc(1<<16), 0); i >= 0 {
		t.Errorf("prealloc()[%d] is 0", i)
	}
	total := 0
	for _, p := range pieces(1 << 20) {
		if len(p) < 16 || len(p) > 4096 {
			t.Fatalf("piece of %d bytes", len(p))
		}
		total += len(p)
	}
	if total != 1<<20 {
		t.Errorf("pieces cover %d bytes, want %d", total, 1<<20)
	}
}

// TestOffsets checks that offsets lie in [0, n-span], both ends
// included, also when the span is all of n.
func TestOffsets(t *testing.T) {
	if offs := offsets(10, 10, 5); slices.ContainsFunc(offs, func(o int64) bool { return o != 0 }) {
		t.Errorf("offsets(10, 10, 5) = %v; want all 0", offs)
	}
	offs := offsets(8, 4, 500)
	if slices.Min(offs) != 0 || slices.Max(offs) != 4 {
		t.Errorf("offsets(8, 4, 500) span [%d, %d]; want [0, 4]", slices.Min(offs), slices.Max(offs))
	}
}

// TestLeafFuncUnknown checks that a leaf the suite does not have is an
// error, not a benchmark that fails when run.
func TestLeafFuncUnknown(t *testing.T) {
	if fn, err := leafFunc("NoSuchWorkload", ImplBytesio, "1KiB"); fn != nil || err == nil {
		t.Errorf("leafFunc of an unknown workload = %v, %v; want an error", fn != nil, err)
	}
}

// TestLeavesNotInInit checks that no leaf is a closure of a function
// inlined into the package's init, where the compiler does not inline the
// calls the leaf makes (see leaf). Such a closure is named
// init.<function>.func<N>; a function literal written in a package-level
// register is init.func<N>, and inlines as any function does.
func TestLeavesNotInInit(t *testing.T) {
	inlined := regexp.MustCompile(`\.init\.[A-Za-z_]\w*\.func\d+$`)
	for _, w := range slices.Sorted(maps.Keys(suite)) {
		for _, impl := range slices.Sorted(maps.Keys(suite[w])) {
			name := runtime.FuncForPC(reflect.ValueOf(suite[w][impl]).Pointer()).Name()
			if inlined.MatchString(name) {
				t.Errorf("%s/impl=%s is %s, made by a function inlined into init: mark that function //go:noinline", w, impl, name)
			}
		}
	}
}

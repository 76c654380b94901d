package tune

import (
	"strings"
	"testing"
)

// FuzzReadTrace checks that any input gives an error or a workload that Run
// accepts: sizes or spans (not both), in range, with closes after opens.
func FuzzReadTrace(f *testing.F) {
	for _, s := range []string{
		"100\n200 3\n# c\n",
		"open a\nopen b\nclose a 10\nclose b 0\n",
		"open a\nclose a 99999999999\n",
		"0 0\n",
		"open a\n100\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ReadTrace("fuzz", strings.NewReader(s))
		if err != nil {
			return
		}
		if len(w.Sizes) > 0 && len(w.Spans) > 0 {
			t.Fatalf("both sizes and spans: %+v", w)
		}
		if err := w.check(); err != nil {
			t.Fatalf("ReadTrace returned a workload Run rejects: %v", err)
		}
		for _, sp := range w.Spans {
			if sp.Close <= sp.Open {
				t.Fatalf("span closes at %d, not after it opens at %d", sp.Close, sp.Open)
			}
		}
	})
}

// FuzzParseStats checks that any JSON gives an error or a workload that Run
// accepts, with Live within its bound.
func FuzzParseStats(f *testing.F) {
	for _, s := range []string{
		`{"classes": [], "sizes": [{"max": 4096, "count": 50}], "first_chunk": 1024, "max_chunk": 65536, "peak_chunks_out": 300}`,
		`{"classes": [], "sizes": [{"max": 1, "count": 5}], "peak_bytes_out": 1e18}`,
		`{"p": {"classes": [], "sizes": [{"max": 64, "count": 1}]}, "cmdline": []}`,
		`{"classes": [], "sizes": [{"max": 3, "count": 1}]}`,
	} {
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, s, varName string) {
		w, err := ParseStats("fuzz", []byte(s), varName)
		if err != nil {
			return
		}
		if err := w.check(); err != nil {
			t.Fatalf("ParseStats returned a workload Run rejects: %v", err)
		}
		if w.Live < 0 || w.Live > maxLive || len(w.Spans) != 0 {
			t.Fatalf("Live %d, %d spans", w.Live, len(w.Spans))
		}
	})
}

package main

import (
	"bytes"
	"encoding/json"
	"expvar"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bytesio-go/bytesio/pool"
	"github.com/bytesio-go/bytesio/pool/tune"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/tune")

// runTuneArgs runs bytesio tune and returns its exit status and outputs.
func runTuneArgs(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runTune(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestTuneGolden(t *testing.T) {
	for _, tt := range []struct{ trace, format string }{
		{"example", "text"}, {"example", "md"}, {"example", "json"},
		{"bursts", "text"}, // a trace with open/close events: retention judged
	} {
		t.Run(tt.trace+"/format="+tt.format, func(t *testing.T) {
			trace := filepath.Join("testdata", "tune", tt.trace+".trace")
			code, out, errOut := runTuneArgs(t, "-golden", "-n", "300", "-format", tt.format, trace)
			if code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut)
			}
			golden := filepath.Join("testdata", "tune", tt.trace+"."+tt.format+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if tt.format == "json" {
				var r tune.Report
				if err := json.Unmarshal([]byte(out), &r); err != nil {
					t.Fatalf("output is not JSON: %v", err)
				}
				if len(r.Candidates) == 0 || r.HeldOut == nil || len(r.Rules) == 0 || !strings.Contains(r.Code, "buffer.New") {
					t.Fatalf("incomplete report: %+v", r)
				}
			}
			if raceEnabled {
				t.Skip("hit rates differ under the race detector; golden output not compared")
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("output differs from %s (rerun with -update after checking):\n%s", golden, out)
			}
		})
	}
}

// TestTuneTraceArgument checks that a positional file is read like -trace.
func TestTuneTraceArgument(t *testing.T) {
	trace := filepath.Join("testdata", "tune", "example.trace")
	_, byFlag, _ := runTuneArgs(t, "-golden", "-n", "50", "-format", "json", "-trace", trace)
	code, byArg, errOut := runTuneArgs(t, "-golden", "-n", "50", "-format", "json", trace)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	var a, b tune.Report
	if json.Unmarshal([]byte(byFlag), &a) != nil || json.Unmarshal([]byte(byArg), &b) != nil {
		t.Fatal("output is not JSON")
	}
	if a.Source != b.Source || a.Buffers != b.Buffers || a.Buffers != 395 {
		t.Errorf("-trace read %q (%d buffers), the argument %q (%d buffers); want the same 395", a.Source, a.Buffers, b.Source, b.Buffers)
	}
}

func TestTuneDefaultWorkload(t *testing.T) {
	code, out, errOut := runTuneArgs(t, "-golden", "-n", "100")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	for _, want := range []string{"built-in example workload", "Buffer sizes", "Candidates", "Recommended:", "pool.New(pool.Config{", "#"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// statsJSON returns the JSON of a pool that saw the given sizes.
func statsJSON(t *testing.T, sizes ...int64) []byte {
	t.Helper()
	p, err := pool.New(pool.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sizes {
		p.Observe(s)
	}
	data, err := json.Marshal(p.Stats())
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestTuneStatsFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "stats.json")
	if err := os.WriteFile(name, statsJSON(t, 100, 1000, 1000, 1000, 50_000), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runTuneArgs(t, "-golden", "-n", "50", "-stats", name)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, "stats "+name) || !strings.Contains(out, "5 buffers; median 1 KiB") {
		t.Errorf("unexpected report:\n%s", out)
	}
}

// expvarRuns numbers the runs of TestTuneExpvar: expvar names are
// process-wide, and -count or -cpu run a test more than once.
var expvarRuns int

func TestTuneExpvar(t *testing.T) {
	p, err := pool.New(pool.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for range 30 {
		p.Observe(3000)
	}
	expvarRuns++
	name := fmt.Sprintf("tune_test_pool_%d", expvarRuns)
	p.Publish(name)
	srv := httptest.NewServer(expvar.Handler())
	defer srv.Close()

	args := []string{"-golden", "-n", "50", "-expvar", srv.URL + "/debug/vars"}
	if expvarRuns > 1 { // the first run finds its pool by itself
		args = append(args, "-var", name)
	}
	code, out, errOut := runTuneArgs(t, args...)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, fmt.Sprintf("var %q", name)) || !strings.Contains(out, "30 buffers; median 4 KiB") {
		t.Errorf("unexpected report:\n%s", out)
	}

	code, _, errOut = runTuneArgs(t, "-n", "50", "-expvar", srv.URL, "-var", "nosuchvar")
	if code != 1 || !strings.Contains(errOut, `no pool statistics named "nosuchvar" (not a variable); pool statistics found: `) ||
		!strings.Contains(errOut, fmt.Sprintf("%q", name)) {
		t.Errorf("-var nosuchvar: exit %d, stderr %q", code, errOut)
	}
}

func TestTuneBadInput(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	garbage := file("garbage.trace", "100\n# ok\n\nhello\n")
	negative := file("negative.trace", "100\n-5\n")
	absurd := file("absurd.trace", "100 2\n99999999999999\n")
	overflow := file("overflow.trace", "100000000000000000000000\n")
	badCount := file("badcount.trace", "100 x\n")
	negCount := file("negcount.trace", "100 -1\n")
	fields := file("fields.trace", "100 2 3\n")
	empty := file("empty.trace", "")
	comments := file("comments.trace", "# nothing\n\n")
	notJSON := file("notjson.json", "size,count\n1,2\n")
	noSizes := file("nosizes.json", string(statsJSON(t)))
	noPool := file("nopool.json", `{"cmdline": ["x"], "memstats": {"Alloc": 1}}`)
	badClass := file("badclass.json", `{"classes": [], "sizes": [{"max": 1000, "count": 3}]}`)
	// Two pools on a saved expvar page; the first in name order has
	// observed no sizes yet.
	twoPools := file("twopools.json", `{"a_pool": `+string(statsJSON(t))+`, "b_pool": `+string(statsJSON(t, 100))+`}`)

	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html>hello</html>"))
	}))
	defer html.Close()
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"cmdline": ["server"], "requests": 12}`))
	}))
	defer plain.Close()
	missing := httptest.NewServer(http.NotFoundHandler())
	defer missing.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL + "/debug/vars"
	closed.Close()

	// Exit status 2 for a usage error (a flag value out of range, flags
	// that conflict), as bytesio bench; 1 when the input fails.
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"garbage line", []string{"-trace", garbage}, 1, garbage + `:4: size "hello" is not a whole number`},
		{"negative size", []string{"-trace", negative}, 1, negative + ":2: size -5 is negative"},
		{"absurd size", []string{"-trace", absurd}, 1, absurd + ":2: size 99999999999999 is larger than"},
		{"overflowing size", []string{"-trace", overflow}, 1, overflow + ":1: size \"100000000000000000000000\" is out of range"},
		{"bad count", []string{"-trace", badCount}, 1, badCount + `:1: count "x" is not a whole number`},
		{"negative count", []string{"-trace", negCount}, 1, negCount + ":1: count -1 is negative"},
		{"three fields", []string{"-trace", fields}, 1, fields + `:1: want "size" or "size count", got 3 fields`},
		{"empty file", []string{"-trace", empty}, 1, empty + ": no buffer sizes"},
		{"only comments", []string{"-trace", comments}, 1, comments + ": no buffer sizes"},
		{"missing file", []string{"-trace", filepath.Join(dir, "nope")}, 1, "nope: no such file"},
		{"stats not JSON", []string{"-stats", notJSON}, 1, notJSON + ": not a JSON object"},
		{"stats without sizes", []string{"-stats", noSizes}, 1, noSizes + ": the statistics hold no observed buffer sizes"},
		{"stats without pool", []string{"-stats", noPool}, 1, noPool + `: no pool statistics among 2 variables ("cmdline", "memstats";`},
		{"stats -var not a pool", []string{"-stats", noPool, "-var", "cmdline"}, 1,
			noPool + `: no pool statistics named "cmdline" (a variable that holds no pool statistics); variables found: "cmdline", "memstats"`},
		{"stats bad class", []string{"-stats", badClass}, 1, badClass + ": sizes[0] = {max 1000, count 3}"},
		{"stats first pool empty", []string{"-stats", twoPools}, 1, twoPools + ` var "a_pool": the statistics hold no observed buffer sizes ` +
			`(the first of 2 pools in name order); pools with observed sizes: "b_pool" (name one with bytesio tune -var`},
		{"expvar unreachable", []string{"-expvar", closedURL}, 1, closedURL + ": "},
		{"expvar not JSON", []string{"-expvar", html.URL}, 1, html.URL + ": not a JSON object"},
		{"expvar without pool", []string{"-expvar", plain.URL}, 1, plain.URL + ": no pool statistics among 2 variables"},
		{"expvar 404", []string{"-expvar", missing.URL}, 1, missing.URL + ": HTTP status 404 Not Found (expvar serves its page at /debug/vars: try " + missing.URL + "/debug/vars)"},
		{"expvar 404 at /debug/vars", []string{"-expvar", missing.URL + "/debug/vars"}, 1, missing.URL + "/debug/vars: HTTP status 404 Not Found\n"},
		{"expvar not a URL", []string{"-expvar", "localhost:6060"}, 2, `-expvar "localhost:6060": want an http:// or https:// URL`},
		{"expvar bad escape", []string{"-expvar", "http://%zz/"}, 2, `-expvar "http://%zz/": want an http:// or https:// URL`},
		{"expvar no host", []string{"-expvar", "http://"}, 2, `-expvar "http://": want an http:// or https:// URL`},
		{"expvar space in host", []string{"-expvar", "http://a b/"}, 2, `-expvar "http://a b/": want an http:// or https:// URL`},
		{"two inputs", []string{"-trace", garbage, "-stats", noSizes}, 2, "at most one of"},
		{"argument and -stats", []string{"-stats", noSizes, garbage}, 2, "at most one of"},
		{"argument and -trace", []string{"-trace", garbage, garbage}, 2, "trace file given twice"},
		{"argument is a bad trace", []string{garbage}, 1, garbage + `:4: size "hello" is not a whole number`},
		{"argument missing", []string{filepath.Join(dir, "nope")}, 1, "nope: no such file"},
		{"bad -live", []string{"-live", "0"}, 2, "-live 0"},
		{"bad -piece", []string{"-piece", "0"}, 2, "-piece 0"},
		{"bad -replay-bytes", []string{"-replay-bytes", "-5"}, 2, "-replay-bytes -5"},
		{"bad format", []string{"-format", "xml"}, 2, `-format "xml"`},
		{"bad -n", []string{"-n", "0"}, 2, "-n 0"},
		{"-var without -stats or -expvar", []string{"-var", "pool"}, 2, `-var "pool" names a variable of -stats or -expvar, and neither is given`},
		{"-var with a trace", []string{"-var", "pool", garbage}, 2, `-var "pool" names a variable`},
		{"bad -replay-bytes 0", []string{"-replay-bytes", "0"}, 2, "-replay-bytes 0: want at least 1"},
		// The largest values of -n, -piece and -live are accepted: the
		// missing trace file is the error.
		{"largest -n", []string{"-n", "1000000", filepath.Join(dir, "nope")}, 1, "nope: no such file"},
		{"largest -piece", []string{"-piece", "67108864", filepath.Join(dir, "nope")}, 1, "nope: no such file"},
		{"largest -live", []string{"-live", "4096", filepath.Join(dir, "nope")}, 1, "nope: no such file"},
		{"unknown flag", []string{"-frobnicate"}, 2, "flag provided but not defined"},
		{"two arguments", []string{"a.trace", "b.trace"}, 2, `unexpected argument "b.trace"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runTuneArgs(t, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, errOut, tt.code, tt.want)
			}
			if out != "" {
				t.Errorf("stdout not empty on error: %q", out)
			}
		})
	}
}

// TestTuneHelp checks the usage -h prints: the inputs once, in the text
// above the flags (-trace, -stats and -expvar get no line of their own in
// the list of flags, where flag would print them again), and no -golden,
// which is for tests.
func TestTuneHelp(t *testing.T) {
	code, _, errOut := runTuneArgs(t, "-h")
	if code != 0 || !strings.Contains(errOut, "-trace FILE") || strings.Contains(errOut, "golden") {
		t.Fatalf("-h: exit %d, usage:\n%s", code, errOut)
	}
	for _, name := range []string{"trace", "stats", "expvar"} {
		if n := strings.Count(errOut, "-"+name+" "); n != 1 {
			t.Errorf("-h names -%s %d times, want once:\n%s", name, n, errOut)
		}
	}
	if !strings.Contains(errOut, "\n  -var name\n") {
		t.Errorf("-h lacks the line of -var in the list of flags:\n%s", errOut)
	}
}

package main

// bytesio tune: a capacity tuning report for package pool, made by package
// pool/tune. This file is flag parsing, input and output only.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/bytesio-go/bytesio/pool/tune"
)

const tuneUsage = `usage: bytesio tune [flags] [trace-file]

Reads buffer sizes, replays them through bytesio buffers and pools under
candidate configurations, and recommends a pool.Config, with the Go code to
apply it. Candidates are measured on one half of the input and the choice is
checked on the other half. See the documentation of package pool/tune.
Exit status: 2 for a usage error, 1 when the input cannot be read or tuned.

Input (at most one; with none, an example workload is used):
  FILE, -trace FILE  one size per line, or "size count" per line; or, to say
                     how many buffers are live at once, "open ID" and
                     "close ID SIZE" lines in time order; # comments
  -stats FILE        a pool.Stats saved as JSON (or a saved /debug/vars page)
  -expvar URL        a live expvar endpoint, e.g. http://127.0.0.1:6060/debug/vars

Flags:
`

// tuneOptions are the flags of bytesio tune.
type tuneOptions struct {
	trace, stats, expvarURL string
	varName                 string // expvar variable; "" picks the first pool.Stats
	format                  string // text, md or json
	opts                    tune.Options
}

// runTune implements "bytesio tune": it reads the input the flags name,
// runs the tuning report and writes it to stdout, and returns the exit
// status: 2 for a usage error, 1 when the input or the report fails.
func runTune(args []string, stdout, stderr io.Writer) int {
	var o tuneOptions
	fs := flag.NewFlagSet("bytesio tune", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.trace, "trace", "", "read sizes from a trace `file`")
	fs.StringVar(&o.stats, "stats", "", "read sizes from a pool.Stats JSON `file`")
	fs.StringVar(&o.expvarURL, "expvar", "", "read sizes from a live expvar endpoint `url`")
	fs.StringVar(&o.varName, "var", "", "expvar variable `name` of the pool (default: the first pool.Stats found)")
	fs.StringVar(&o.format, "format", "text", "output `format`: text, md or json")
	fs.IntVar(&o.opts.Buffers, "n", 1000, "buffers replayed per candidate, from each half of the input")
	fs.IntVar(&o.opts.Piece, "piece", 512, "bytes per Write call in the replay (the first write of a buffer sizes its first chunk when larger than the pool's)")
	fs.IntVar(&o.opts.Live, "live", 16, "buffers open at once in the replay when the input does not say (retention is then not judged)")
	fs.Int64Var(&o.opts.ReplayBytes, "replay-bytes", 1<<30, "bytes each replay writes at most: it stops after the buffer that reaches them (buffers above 64 MiB are replayed at 64 MiB)")
	fs.BoolVar(&o.opts.Deterministic, "golden", false, "")
	fs.Usage = func() {
		fmt.Fprint(stderr, tuneUsage)
		fs.VisitAll(func(f *flag.Flag) {
			if f.Name == "golden" || f.Name == "trace" || f.Name == "stats" || f.Name == "expvar" {
				return // golden is for tests; the inputs are described above
			}
			name, usage := flag.UnquoteUsage(f)
			fmt.Fprintf(stderr, "  -%s %s\n    \t%s", f.Name, name, usage)
			if f.DefValue != "" && f.DefValue != "0" {
				fmt.Fprintf(stderr, " (default %s)", f.DefValue)
			}
			fmt.Fprintln(stderr)
		})
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	switch {
	case fs.NArg() > 1:
		fmt.Fprintf(stderr, "bytesio tune: unexpected argument %q (give one input file)\n", fs.Arg(1))
		return 2
	case fs.NArg() == 1 && o.trace != "":
		fmt.Fprintf(stderr, "bytesio tune: trace file given twice: -trace %q and %q\n", o.trace, fs.Arg(0))
		return 2
	case fs.NArg() == 1:
		o.trace = fs.Arg(0)
	}
	if err := checkTuneOptions(o); err != nil {
		fmt.Fprintf(stderr, "bytesio tune: %v\n", err)
		return 2
	}
	if err := runTuneReport(o, stdout); err != nil {
		fmt.Fprintf(stderr, "bytesio tune: %v\n", err)
		return 1
	}
	return 0
}

// checkTuneOptions returns the usage error of o, if any: a flag value out
// of range, or flags that conflict.
func checkTuneOptions(o tuneOptions) error {
	switch {
	case o.format != "text" && o.format != "md" && o.format != "json":
		return fmt.Errorf("-format %q: want text, md or json", o.format)
	case o.opts.Buffers < 1 || o.opts.Buffers > 1_000_000:
		return fmt.Errorf("-n %d: want 1 to 1000000", o.opts.Buffers)
	case o.opts.Piece < 1 || o.opts.Piece > 64<<20:
		return fmt.Errorf("-piece %d: want 1 to 64 MiB", o.opts.Piece)
	case o.opts.Live < 1 || o.opts.Live > 4096:
		return fmt.Errorf("-live %d: want 1 to 4096", o.opts.Live)
	case o.opts.ReplayBytes < 1:
		return fmt.Errorf("-replay-bytes %d: want at least 1", o.opts.ReplayBytes)
	}
	inputs := 0
	for _, s := range []string{o.trace, o.stats, o.expvarURL} {
		if s != "" {
			inputs++
		}
	}
	if inputs > 1 {
		return errors.New("give at most one of a trace file, -stats and -expvar")
	}
	if o.varName != "" && o.stats == "" && o.expvarURL == "" {
		return fmt.Errorf("-var %q names a variable of -stats or -expvar, and neither is given", o.varName)
	}
	if o.expvarURL != "" {
		if u, err := url.Parse(o.expvarURL); err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			return fmt.Errorf("-expvar %q: want an http:// or https:// URL", o.expvarURL)
		}
	}
	return nil
}

// runTuneReport reads the input of o, which checkTuneOptions accepted, runs
// the report and writes it.
func runTuneReport(o tuneOptions, w io.Writer) error {
	var (
		wl  tune.Workload
		err error
	)
	switch {
	case o.trace != "":
		wl, err = readTraceFile(o.trace)
	case o.stats != "":
		wl, err = readStatsFile(o.stats, o.varName)
	case o.expvarURL != "":
		wl, err = readExpvar(o.expvarURL, o.varName)
	default:
		wl = exampleWorkload()
	}
	if err != nil {
		return err
	}
	r, err := tune.Run(wl, o.opts)
	if err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "tune: "))
	}
	switch o.format {
	case "json":
		return r.WriteJSON(w)
	case "md":
		return r.WriteMarkdown(w)
	}
	return r.WriteText(w)
}

// exampleWorkload is a web-service-like mix used when no input is given.
func exampleWorkload() tune.Workload {
	return tune.Workload{Source: "built-in example workload", Sizes: []tune.SizeCount{
		{Size: 0, Count: 5}, {Size: 200, Count: 150}, {Size: 700, Count: 250}, {Size: 1500, Count: 200},
		{Size: 3000, Count: 120}, {Size: 9000, Count: 80}, {Size: 30_000, Count: 60}, {Size: 60_000, Count: 60},
		{Size: 150_000, Count: 40}, {Size: 600_000, Count: 25}, {Size: 3_000_000, Count: 10},
	}}
}

// readTraceFile reads a trace file (see tune.ReadTrace).
func readTraceFile(name string) (tune.Workload, error) {
	f, err := os.Open(name)
	if err != nil {
		return tune.Workload{}, err
	}
	defer f.Close()
	return tune.ReadTrace(name, f)
}

// readStatsFile reads a pool.Stats saved as JSON, or a saved expvar page.
func readStatsFile(name, varName string) (tune.Workload, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return tune.Workload{}, err
	}
	return tune.ParseStats(name, data, varName)
}

// readExpvar fetches an expvar page, at an http:// or https:// URL, and
// reads the pool.Stats published there.
func readExpvar(rawURL, varName string) (tune.Workload, error) {
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(rawURL)
	if err != nil {
		return tune.Workload{}, fmt.Errorf("%s: %v", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("%s: HTTP status %s", rawURL, resp.Status)
		if u, perr := url.Parse(rawURL); perr == nil && resp.StatusCode == http.StatusNotFound && !strings.HasSuffix(u.Path, "/debug/vars") {
			u.Path = strings.TrimSuffix(u.Path, "/") + "/debug/vars"
			u.RawQuery, u.Fragment = "", ""
			err = fmt.Errorf("%w (expvar serves its page at /debug/vars: try %s)", err, u)
		}
		return tune.Workload{}, err
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return tune.Workload{}, fmt.Errorf("%s: %v", rawURL, err)
	}
	return tune.ParseStats(rawURL, data, varName)
}

// Command bytesio runs the project's benchmark comparison and capacity
// tuning reports.
//
// Usage:
//
//	bytesio bench [flags]   compare bytesio with bytes.Buffer, bytes.Reader and peers
//	bytesio tune [flags]    recommend a pool configuration from buffer sizes
//
// Run "bytesio bench -h" or "bytesio tune -h" for the flags of each.
//
// "bytesio bench -o FILE" saves the raw results in the Go benchmark
// format, each with its round as the file configuration key
// bytesio-round. benchstat's default tables split by every such key, one
// table per round; compare the results with
//
//	benchstat -ignore bytesio-round FILE
//
// The exit status is 2 for a usage error (an unknown command or flag, a
// flag value out of range, flags that conflict), and 1 when the run, the
// input or the report fails.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/bytesio-go/bytesio/bench"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case bench.ChildArg: // a step of "bytesio bench", run in a child process
		return bench.ChildMain(args[1:], stdout, stderr)
	case "bench":
		return runBench(args[1:], stdout, stderr)
	case "tune":
		return runTune(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "bytesio: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

// usage prints the commands of bytesio to w.
func usage(w io.Writer) {
	fmt.Fprint(w, `usage: bytesio <command> [flags]

commands:
  bench   compare bytesio with bytes.Buffer, bytes.Reader and peers (benchstat tables)
  tune    recommend a pool configuration from buffer sizes (capacity tuning report)

bytesio bench -o FILE saves the raw results; compare them with
  benchstat -ignore bytesio-round FILE
(each result records its round, which benchstat's default tables split by).

Exit status: 2 for a usage error, 1 when a command fails.
`)
}

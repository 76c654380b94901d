package bench

import (
	"flag"
	"fmt"
	"os"
	"testing"
)

// TestMain runs the child process of a run when the test binary is
// started as one (TestRunChild does that), and otherwise prints the
// metadata of the custom units before benchmarks run, so that benchstat
// knows lower is better.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == ChildArg {
		os.Exit(ChildMain(os.Args[2:], os.Stdout, os.Stderr))
	}
	flag.Parse()
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		for _, u := range customUnits {
			fmt.Printf("Unit %s better=lower\n", u)
		}
	}
	os.Exit(m.Run())
}

// The benchmarks of the suite, for go test -bench: the same leaves the
// child processes of Run execute.

func BenchmarkEncode(b *testing.B)        { runWorkload(b, "Encode", nil) }
func BenchmarkFprintf(b *testing.B)       { runWorkload(b, "Fprintf", nil) }
func BenchmarkAppendInt(b *testing.B)     { runWorkload(b, "AppendInt", nil) }
func BenchmarkSmallCycle(b *testing.B)    { runWorkload(b, "SmallCycle", nil) }
func BenchmarkViewCycle(b *testing.B)     { runWorkload(b, "ViewCycle", nil) }
func BenchmarkAppend(b *testing.B)        { runWorkload(b, "Append", nil) }
func BenchmarkRead(b *testing.B)          { runWorkload(b, "Read", nil) }
func BenchmarkReadSmall(b *testing.B)     { runWorkload(b, "ReadSmall", nil) }
func BenchmarkReadAt(b *testing.B)        { runWorkload(b, "ReadAt", nil) }
func BenchmarkOverwrite(b *testing.B)     { runWorkload(b, "Overwrite", nil) }
func BenchmarkSeekPastEnd(b *testing.B)   { runWorkload(b, "SeekPastEnd", nil) }
func BenchmarkGetValue(b *testing.B)      { runWorkload(b, "GetValue", nil) }
func BenchmarkSnapshotWrite(b *testing.B) { runWorkload(b, "SnapshotWrite", nil) }
func BenchmarkReadFrom(b *testing.B)      { runWorkload(b, "ReadFrom", nil) }
func BenchmarkWriteTo(b *testing.B)       { runWorkload(b, "WriteTo", nil) }
func BenchmarkWriteToTCP(b *testing.B)    { runWorkload(b, "WriteToTCP", nil) }
func BenchmarkPeakHeap(b *testing.B)      { runWorkload(b, "PeakHeap", nil) }
func BenchmarkBimodal(b *testing.B)       { runWorkload(b, "Bimodal", nil) }

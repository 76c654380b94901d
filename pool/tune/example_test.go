package tune_test

import (
	"fmt"
	"strings"

	"github.com/bytesio-go/bytesio/pool"
	"github.com/bytesio-go/bytesio/pool/tune"
)

// A program or a test makes a report from the buffer sizes it saw. The
// measured numbers depend on the machine's sync.Pool, so this example
// prints only what the workload fixes; r.WriteText(os.Stdout) prints all of
// it.
func ExampleRun() {
	w := tune.Workload{
		Source: "sizes seen by a test",
		Sizes:  []tune.SizeCount{{Size: 200, Count: 60}, {Size: 900, Count: 30}, {Size: 50_000, Count: 10}},
	}
	r, err := tune.Run(w, tune.Options{Buffers: 200})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Buffers, "buffers, median", r.Median, "bytes")
	fmt.Println("fit on", r.FitBuffers, "held out", r.HeldOut.Buffers)
	fmt.Println("retention judged:", r.RetentionJudged)
	fmt.Println("first candidate is the default:", r.Candidates[0].Default)
	// Output:
	// 100 buffers, median 200 bytes
	// fit on 50 held out 50
	// retention judged: false
	// first candidate is the default: true
}

// A trace with open and close events tells how many buffers are live at
// once, so the report judges the retention cap. Times are line numbers.
func ExampleReadTrace() {
	trace := `# two requests overlap
open r1
open r2
close r1 3000
open r3
close r2 700
close r3 5000
`
	w, err := tune.ReadTrace("requests.trace", strings.NewReader(trace))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(w.Spans)
	// Output:
	// [{3000 2 4} {700 3 6} {5000 5 7}]
}

// Statistics saved from a pool carry its peak of chunks out, from which
// the number of buffers live at once follows.
func ExampleParseStats() {
	saved := `{"classes": [], "sizes": [{"max": 4096, "count": 50}],
		"first_chunk": 1024, "max_chunk": 65536, "peak_chunks_out": 300}`
	w, err := tune.ParseStats("saved.json", []byte(saved), "")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(w.Sizes, w.Live)
	fmt.Println(w.Notes[0])
	// Output:
	// [{4096 50}] 100
	// 100 buffers live at once: a peak of 300 chunks out over 3.00 chunks per buffer at the pool's layout (first chunk 1 KiB, max 64 KiB)
}

func ExampleGoCode() {
	fmt.Println(tune.GoCode(pool.Config{FirstChunk: 4 << 10, MaxChunk: 256 << 10, NoCalibration: true}))
	// Output:
	// p, err := pool.New(pool.Config{
	// 	MaxChunk:      256 << 10,
	// 	FirstChunk:    4 << 10,
	// 	NoCalibration: true,
	// })
	// if err != nil {
	// 	return err
	// }
	// b := buffer.NewWithPool(p)
}

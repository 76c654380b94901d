package bench

import (
	"bytes"
	"sync"
	"testing"
	"time"
)

// A child runs each leaf from LongSize up for LongWarmUp untimed, then
// times it; smaller leaves it times straight away.
func TestLeafWarmUp(t *testing.T) {
	type call struct {
		n    int64
		took time.Duration
	}
	var calls []call
	// What the untimed run leaves in a sync.Pool is gone by the timed run,
	// which testing.Benchmark starts with one collection, after which the
	// pool's victim cache would still hold it.
	var pool sync.Pool
	var leftovers int
	untimed := map[int64]bool{LongSize: true, 64 << 20: true}
	suite["Warming"] = map[string]leaf{"x": func(b *testing.B, n int64) {
		if untimed[n] {
			untimed[n] = false
			pool.Put(new(int))
		} else if pool.Get() != nil {
			leftovers++
		}
		start := time.Now()
		for b.Loop() {
			sink++
		}
		calls = append(calls, call{n, time.Since(start)})
	}}
	defer delete(suite, "Warming")
	w := Workload{Name: "Warming", Impls: []string{"x"}, Sizes: []string{"1KiB", "4MiB", "64MiB"}}
	var out bytes.Buffer
	if err := runChild(w, 1, "10x", nil, &out); err != nil {
		t.Fatal(err)
	}
	want := []int64{1 << 10, 4 << 20, 4 << 20, 64 << 20, 64 << 20}
	if len(calls) != len(want) {
		t.Fatalf("%d runs of the leaf %v; want %d, at sizes %v", len(calls), calls, len(want), want)
	}
	for i, c := range calls {
		if c.n != want[i] {
			t.Errorf("run %d at %d bytes; want %d", i, c.n, want[i])
		}
	}
	for _, i := range []int{1, 3} {
		if calls[i].took < LongWarmUp {
			t.Errorf("the untimed run at %d bytes took %v; want at least %v", calls[i].n, calls[i].took, LongWarmUp)
		}
	}
	if leftovers != 0 {
		t.Errorf("%d timed runs found what their untimed run put in a sync.Pool", leftovers)
	}
	// The timed runs are the -benchtime's 10 operations.
	if got := bytes.Count(out.Bytes(), []byte(" 10 ")); got != 3 {
		t.Errorf("%d results of 10 iterations; want 3:\n%s", got, out.String())
	}
}

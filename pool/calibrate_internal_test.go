package pool

import (
	"testing"
)

// ObserveN records up to decayAt/2 observations in one shard, and more in
// equal parts in every shard, as n calls of Observe that picked those
// shards would (calibrate.go's Window): each adds one to the class's count,
// and a shard's counts halve when one reaches decayAt. The count it leaves
// is checked against that rule run one observation at a time, for counts
// below, at and past the first decay, and past the count above which
// observeShard cuts n to as many decay cycles fewer.
func TestObserveNAsSingleObservations(t *testing.T) {
	const size = 1000 // class 10
	k := sizeClass(size)
	for _, n := range []int{1, minObserved, decayAt - 1, decayAt, decayAt + 1, decayAt + decayAt/2,
		3*decayAt + 5, 66 * decayAt, 66*decayAt + 1, 66*decayAt + decayAt/2 + 3, 70*decayAt + 7, 1000*decayAt + 12345} {
		p, err := New(Config{})
		if err != nil {
			t.Fatal(err)
		}
		p.ObserveN(size, n)
		var got uint64
		for i := range p.cal.shards {
			got += p.cal.shards[i].counts[k].Load()
		}
		// Up to decayAt/2 in one shard, more spread over them all, as
		// Observe spreads them: the rule, one observation at a time, in
		// each shard for its part.
		parts := []int{n}
		if n > decayAt/2 {
			parts = nil
			for i := range calShards {
				part := n / calShards
				if i < n%calShards {
					part++
				}
				parts = append(parts, part)
			}
		}
		var want uint64
		for _, part := range parts {
			c := uint64(0)
			for range part {
				if c++; c >= decayAt {
					c /= 2
				}
			}
			want += c
		}
		if got != want {
			t.Errorf("ObserveN(%d, %d): class count %d; %d single observations in %d shards leave %d", size, n, got, n, len(parts), want)
		}
	}
}

// Calibration starts once a class count of a shard reaches minObserved:
// ObserveN of minObserved-1 sizes of 1 MiB leaves the default layout, and
// of minObserved sizes sets the first chunk to 1 MiB.
func TestCalibrationStartsAtMinObserved(t *testing.T) {
	for _, n := range []int{minObserved - 1, minObserved} {
		p, err := New(Config{})
		if err != nil {
			t.Fatal(err)
		}
		before, _ := p.Layout()
		p.ObserveN(1<<20, n)
		first, _ := p.Layout()
		switch {
		case n < minObserved && first != before:
			t.Errorf("after %d observations of 1 MiB: first chunk %d; want the default %d", n, first, before)
		case n >= minObserved && first != 1<<20:
			t.Errorf("after %d observations of 1 MiB: first chunk %d; want 1 MiB", n, first)
		}
	}
}

// Before a shard's first decay, calibration runs when a class count of the
// shard passes a power of two from minObserved up, not at every report:
// after minObserved sizes of 4 KiB set the first chunk to 4 KiB, sizes of
// 64 KiB that pass the median at the 65th leave it until their count passes
// 128, where the first chunk becomes 64 KiB.
func TestEarlyCalibrationAtPowersOfTwo(t *testing.T) {
	const small, large = 4 << 10, 64 << 10
	p, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	s := &p.cal.shards[0]
	for range minObserved {
		p.observeStep(s, sizeClass(small), 1)
	}
	if first, _ := p.Layout(); first != small {
		t.Fatalf("after %d sizes of %d: first chunk %d; want %d", minObserved, small, first, small)
	}
	for n := 1; n <= 2*minObserved; n++ {
		p.observeStep(s, sizeClass(large), 1)
		want := small
		if n >= 2*minObserved {
			want = large
		}
		if first, _ := p.Layout(); first != want {
			t.Fatalf("after %d sizes of %d then %d of %d: first chunk %d; want %d", minObserved, small, n, large, first, want)
		}
	}
	if c := p.cal.changes.Load(); c != 2 {
		t.Errorf("calibration changed the layout %d times; want 2", c)
	}
}

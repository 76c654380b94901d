package pool

import "testing"

// The calibration rule (calibrate.go's file comment) takes the class that
// covers a quantile to be the smallest class whose cumulative count reaches
// it: a count of exactly half the total, or exactly 95% of it, covers the
// median or the 95th percentile. layoutFor must pick those classes at the
// exact edges, not the next ones.
func TestLayoutForAtExactQuantiles(t *testing.T) {
	const minShift, maxShift = 6, 26
	for _, tt := range []struct {
		name        string
		counts      map[int]uint64 // class: count
		first, maxs int
	}{
		// Class 17 holds exactly half: it covers the median. Classes 17
		// and 18 hold exactly 95%: 18 covers the 95th percentile.
		{"exact edges", map[int]uint64{17: 50, 18: 45, 20: 5}, 17, 18},
		// One count more past each edge moves neither.
		{"past the edges", map[int]uint64{17: 51, 18: 45, 20: 4}, 17, 18},
		// One count less before each edge moves both.
		{"below the edges", map[int]uint64{17: 49, 18: 45, 20: 6}, 18, 20},
		// The max chunk size is at least 64 KiB (class 16) and first.
		{"floor", map[int]uint64{10: 50, 12: 45, 14: 5}, 10, 16},
		// Both are clamped to [minShift, maxShift].
		{"clamped", map[int]uint64{2: 50, 30: 50}, minShift, maxShift},
	} {
		var h [sizeClasses]uint64
		var total uint64
		for k, v := range tt.counts {
			h[k] = v
			total += v
		}
		first, maxs := layoutFor(h[:], total, minShift, maxShift)
		if first != tt.first || maxs != tt.maxs {
			t.Errorf("%s: layoutFor = first %d, max %d; want %d, %d", tt.name, first, maxs, tt.first, tt.maxs)
		}
	}
}

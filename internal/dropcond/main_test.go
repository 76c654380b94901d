package main

import (
	"fmt"
	"slices"
	"testing"
)

// The mutants of a source: one per condition of each maximal chain,
// through parentheses, true in && chains and false in || chains, a chain
// of the other operator inside a condition on its own, and nothing of a
// chain that tests debug.
func TestMutants(t *testing.T) {
	const src = `package p

const debug = false

func f(a, b, c, d bool) bool {
	if debug && (a || b) {
		return true
	}
	if (!debug) || a {
		return false
	}
	return a && (b && c) && (c || !d)
}
`
	list := func(skipDebug bool) []string {
		ms, err := mutants("p.go", []byte(src), skipDebug)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range ms {
			if m.cond != src[m.start:m.end] {
				t.Errorf("mutant %+v: its offsets do not match its condition", m)
			}
			got = append(got, fmt.Sprintf("%d: %s -> %s", m.line, m.cond, m.repl))
		}
		return got
	}
	want := []string{"12: a -> true", "12: b -> true", "12: c -> true", "12: (c || !d) -> true", "12: c -> false", "12: !d -> false"}
	if got := list(true); !slices.Equal(got, want) {
		t.Errorf("mutants = %q; want %q", got, want)
	}
	// With the debug chains (-tags bytesio_debug), those come first.
	want = append([]string{"6: debug -> true", "6: (a || b) -> true", "6: a -> false", "6: b -> false",
		"9: (!debug) -> false", "9: a -> false"}, want...)
	if got := list(false); !slices.Equal(got, want) {
		t.Errorf("mutants with debug = %q; want %q", got, want)
	}
}

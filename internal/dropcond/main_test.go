package main

import (
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
	return a && (b && c) && (c || !d)
}
`
	ms, err := mutants("p.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		if m.cond != src[m.start:m.end] || m.line != 9 {
			t.Errorf("mutant %+v: its offsets or line do not match its condition", m)
		}
		got = append(got, m.cond+" -> "+m.repl)
	}
	want := []string{"a -> true", "b -> true", "c -> true", "(c || !d) -> true", "c -> false", "!d -> false"}
	if !slices.Equal(got, want) {
		t.Errorf("mutants = %q; want %q", got, want)
	}
}

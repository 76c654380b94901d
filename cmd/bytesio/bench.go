package main

import (
	"fmt"
	"io"
)

// runBench is replaced by the bench subcommand.
func runBench(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "bytesio bench: not built yet")
	return 1
}

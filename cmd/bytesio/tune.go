package main

import (
	"fmt"
	"io"
)

// runTune is replaced by the tune subcommand.
func runTune(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "bytesio tune: not built yet")
	return 1
}

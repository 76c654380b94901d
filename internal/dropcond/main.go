// Command dropcond is a mutation test that drops, one at a time, each
// condition of the && and || chains in Go files, and runs a package's tests
// against each such mutant: a condition whose loss no test notices is
// either redundant (another check, or a slower general path, gives the same
// result) or a behaviour no test holds. Gremlins, the mutation tool that
// .ci/run names, negates conditions and moves their boundaries, but never
// drops one, and its negations are mostly caught by any test of the path.
//
// Usage:
//
//	go run ./internal/dropcond [-tags list] [-run regexp] package file.go...
//
// for example
//
//	go run ./internal/dropcond ./buffer buffer/read.go buffer/write.go
//
// A condition is dropped by putting true in its place in an && chain and
// false in an || chain. Each mutant is built through go test's -overlay,
// so the files on disk never change, even when the run is interrupted.
// Chains that test the debug constant (debug or !debug) are skipped: their
// other conditions run only in bytesio_debug builds. With -tags
// bytesio_debug they are mutated too, the debug test among them. Chains
// that run only after an earlier return on !debug, as in buffer/debug.go,
// are not recognised as such: give those files with -tags bytesio_debug,
// or every such mutant survives.
// It prints each mutant that survived, or did not build, and a count of
// each outcome; about 5 seconds a mutant for ./buffer on 2 cores.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// A mutant is a file with one condition of a chain replaced.
type mutant struct {
	file       string // as given
	line       int
	start, end int    // byte offsets of the condition
	cond, repl string // the condition, and what replaces it
}

func main() {
	tags := flag.String("tags", "", "build tags for go test")
	run := flag.String("run", "", "run only the tests matching this regexp (go test -run)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: dropcond [-tags list] [-run regexp] package file.go...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() < 2 {
		flag.Usage()
		os.Exit(2)
	}
	args := []string{"test", "-count=1", "-failfast", "-timeout", "5m"}
	if *tags != "" {
		args = append(args, "-tags", *tags)
	}
	if *run != "" {
		args = append(args, "-run", *run)
	}
	skipDebug := !slices.Contains(strings.FieldsFunc(*tags, func(r rune) bool { return r == ',' || r == ' ' }), "bytesio_debug")
	if err := mutate(flag.Arg(0), flag.Args()[1:], args, skipDebug); err != nil {
		fmt.Fprintln(os.Stderr, "dropcond:", err)
		os.Exit(1)
	}
}

// mutate tests the mutants of files against the tests of pkg, run with
// go and args, and prints what it found; skipDebug leaves out the chains
// that test debug (see mutants).
func mutate(pkg string, files, args []string, skipDebug bool) error {
	dir, err := os.MkdirTemp("", "dropcond")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	mutated, overlay := filepath.Join(dir, "mutant.go"), filepath.Join(dir, "overlay.json")
	args = append(args[:len(args):len(args)], "-overlay", overlay)
	outcomes := map[string]int{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		ms, err := mutants(f, src, skipDebug)
		if err != nil {
			return err
		}
		// Every mutant of f is written to mutated, which the overlay puts
		// in f's place.
		abs, err := filepath.Abs(f)
		if err != nil {
			return err
		}
		ov, err := json.Marshal(map[string]map[string]string{"Replace": {abs: mutated}})
		if err != nil {
			return err
		}
		if err := os.WriteFile(overlay, ov, 0o600); err != nil {
			return err
		}
		for _, m := range ms {
			var b bytes.Buffer
			b.Write(src[:m.start])
			b.WriteString(m.repl)
			b.Write(src[m.end:])
			if err := os.WriteFile(mutated, b.Bytes(), 0o600); err != nil {
				return err
			}
			o, err := test(pkg, args)
			if err != nil {
				return err
			}
			outcomes[o]++
			if o != "killed" {
				fmt.Printf("%s:%d: %s: %s -> %s\n", m.file, m.line, o, m.cond, m.repl)
			}
		}
	}
	fmt.Printf("killed %d, survived %d, did not build %d\n", outcomes["killed"], outcomes["SURVIVED"], outcomes["no build"])
	return nil
}

// mutants returns the mutants of file f, whose source is src: one per
// condition of each maximal && or || chain, but for the chains that test
// debug (or !debug) when skipDebug is set.
func mutants(f string, src []byte, skipDebug bool) ([]mutant, error) {
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, f, src, 0)
	if err != nil {
		return nil, err
	}
	var ms []mutant
	inner := map[*ast.BinaryExpr]bool{} // links of a chain already listed
	ast.Inspect(af, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok || (b.Op != token.LAND && b.Op != token.LOR) || inner[b] {
			return true
		}
		conds := chain(b, b.Op, inner, nil)
		repl := "true"
		if b.Op == token.LOR {
			repl = "false"
		}
		if skipDebug && slices.ContainsFunc(conds, isDebug) {
			return false // nor the chains within it
		}
		for _, c := range conds {
			s, e := fset.Position(c.Pos()).Offset, fset.Position(c.End()).Offset
			ms = append(ms, mutant{file: f, line: fset.Position(c.Pos()).Line, start: s, end: e,
				cond: string(src[s:e]), repl: repl})
		}
		return true
	})
	return ms, nil
}

// isDebug reports whether c is the debug constant or its negation,
// through parentheses.
func isDebug(c ast.Expr) bool {
	for {
		switch x := c.(type) {
		case *ast.ParenExpr:
			c = x.X
		case *ast.UnaryExpr:
			if x.Op != token.NOT {
				return false
			}
			c = x.X
		case *ast.Ident:
			return x.Name == "debug"
		default:
			return false
		}
	}
}

// chain appends to conds the conditions of the chain of op rooted at e,
// through parentheses, and marks its links in inner.
func chain(e ast.Expr, op token.Token, inner map[*ast.BinaryExpr]bool, conds []ast.Expr) []ast.Expr {
	x := e
	for {
		p, ok := x.(*ast.ParenExpr)
		if !ok {
			break
		}
		x = p.X
	}
	if b, ok := x.(*ast.BinaryExpr); ok && b.Op == op {
		inner[b] = true
		conds = chain(b.X, op, inner, conds)
		return chain(b.Y, op, inner, conds)
	}
	return append(conds, e)
}

// test runs go with args and pkg, the tests of pkg against a mutant, and
// returns the outcome: "killed", "SURVIVED" or "no build".
func test(pkg string, args []string) (string, error) {
	out, err := exec.Command("go", append(args, pkg)...).CombinedOutput()
	switch {
	case err == nil:
		return "SURVIVED", nil
	case strings.Contains(string(out), "[build failed]") || strings.Contains(string(out), "[setup failed]"):
		return "no build", nil
	}
	if _, ok := err.(*exec.ExitError); !ok {
		return "", err // go itself did not run
	}
	return "killed", nil
}

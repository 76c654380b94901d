package bench

import (
	"os/exec"
	"strings"
	"testing"
)

// The pooled bytes.Buffer peer's get and put inline into the leaves, as
// bytesio's Get and Put do, so that neither side pays a call the other
// does not: with the Reset inside it, get cost 83 of the budget of 80.
func TestPeersInline(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(gobin, "build", "-gcflags=-m", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	for _, fn := range []string{"(*bufferPool).get", "(*bufferPool).put", "(*snapshotPool).give"} {
		if !strings.Contains(string(out), ": can inline "+fn+" ") && !strings.Contains(string(out), ": can inline "+fn+"\n") {
			t.Errorf("%s is not inlinable any more (go build -gcflags=-m)", fn)
		}
	}
}

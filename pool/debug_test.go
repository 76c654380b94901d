//go:build bytesio_debug

package pool_test

import (
	"bytes"
	"testing"

	"github.com/bytesio-go/bytesio/pool"
)

// In debug builds a released chunk holds only Poison bytes.
func TestDebugPoison(t *testing.T) {
	p, err := pool.New(pool.Config{})
	if err != nil {
		t.Fatal(err)
	}
	c := p.Get(4096)
	b := c.Bytes()
	for i := range b {
		b[i] = byte(i)
	}
	c.Release()
	if want := bytes.Repeat([]byte{pool.Poison}, len(b)); !bytes.Equal(b, want) {
		t.Errorf("released chunk holds %x...; want only %#x", b[:8], pool.Poison)
	}
}

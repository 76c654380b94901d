package pool_test

import (
	"fmt"

	"github.com/bytesio-go/bytesio/pool"
)

func ExamplePool() {
	p, err := pool.New(pool.Config{FirstChunk: 4 << 10, MaxRetained: 64 << 20})
	if err != nil {
		panic(err)
	}
	c := p.Get(3000) // the smallest class that holds 3000 bytes
	n := copy(c.Bytes(), "hello")
	fmt.Println(c.Size(), string(c.Bytes()[:n]))
	c.Release() // back to the pool; c must not be used any more

	for range 1000 { // buffers report their size when they close
		p.Observe(900)
	}
	first, max := p.Layout()
	s := p.Stats()
	fmt.Println(first, max, s.Misses, s.Sizes[0].Max)
	// Output:
	// 4096 hello
	// 1024 65536 1 1024
}

package pool

// Poison is the byte that debug builds (tag bytesio_debug) write over every
// chunk given back to a pool, so that a slice used after the chunk's release
// reads as Poison bytes.
const Poison = 0xDB

// poison fills b with Poison.
func poison(b []byte) {
	for i := range b {
		b[i] = Poison
	}
}

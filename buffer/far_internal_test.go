package buffer

import (
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/bytesio-go/bytesio/pool"
)

// The map of far pages goes with its last page: a Go map does not shrink,
// so a buffer, or the view state a view shares, that once held many far
// pages would otherwise keep the map's memory after it was emptied, on
// Reset, Close, Truncate and Release.
func TestFarPagesLeaveNoMap(t *testing.T) {
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 64, NoCalibration: true, MaxRetained: -1})
	if err != nil {
		t.Fatal(err)
	}
	const pages = 100
	fill := func() *Buffer {
		b := NewWithPool(p)
		b.SetLimit(MaxLimit)
		for i := range pages { // one chunk in every third page past page 0
			b.WriteAt([]byte{1}, int64(headChunks+(3*i+4)*pageLen)*64)
		}
		if len(b.far) < pages-1 { // one far chunk may be c1
			t.Fatalf("%d far pages after writing into %d", len(b.far), pages)
		}
		return b
	}
	for _, tt := range []struct {
		name  string
		empty func(b *Buffer)
	}{
		{"Reset", (*Buffer).Reset},
		{"Close", func(b *Buffer) { b.Close() }},
		{"Truncate(0)", func(b *Buffer) { b.Truncate(0) }},
		{"Truncate past page 0", func(b *Buffer) { b.Truncate(int64(headChunks+2*pageLen) * 64) }},
	} {
		b := fill()
		tt.empty(b)
		if b.far != nil {
			t.Errorf("%s: the buffer keeps a map of far pages with %d pages", tt.name, len(b.far))
		}
	}

	b := fill()
	v := b.GetValue()
	s := v.s
	if len(s.far) < pages-1 {
		t.Fatalf("the view's state holds %d far pages; want %d", len(s.far), pages)
	}
	b.Close()
	v.Release()
	if s.far != nil {
		t.Errorf("Release: the view's state keeps a map of far pages with %d pages", len(s.far))
	}
}

// A buffer that held many far pages and was truncated to a few keeps a map
// the size of those few (dropPage makes it anew), not of its peak.
func TestFarMapShrinks(t *testing.T) {
	if raceBuild {
		t.Skip("the race detector keeps the dropped chunks on the heap, which the measurement would count")
	}
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 64, NoCalibration: true, MaxRetained: -1})
	if err != nil {
		t.Fatal(err)
	}
	const pages = 20000
	heap := func() uint64 {
		var ms runtime.MemStats
		for range 5 { // chunks' cleanups run after a cycle
			runtime.GC()
			time.Sleep(time.Millisecond)
		}
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	base := heap()
	b := NewWithPool(p)
	b.SetLimit(MaxLimit)
	for i := range pages { // one chunk in every page past page 0
		b.WriteAt([]byte{1}, int64(headChunks+(i+1)*pageLen)*64)
	}
	peak := heap() - base
	// Keep the chunks of the first 3 far pages: the first is c1, the
	// others are in pages of the map.
	b.Truncate(int64(headChunks+4*pageLen) * 64)
	if len(b.far) != 2 || b.c1 == nil {
		t.Fatalf("%d far pages and c1 %v after the Truncate; want 2 and c1", len(b.far), b.c1 != nil)
	}
	after := heap() - base
	runtime.KeepAlive(b)
	// The 3 chunks, 2 pages and a map of 2: a few KiB. A map that kept
	// room for 20000 pages would hold hundreds of KiB.
	if after > 64<<10 {
		t.Errorf("after truncating %d far chunks to 3 the buffer holds %d bytes of heap (%d at the peak); want at most 64 KiB", pages, after, peak)
	}
}

// dropPage makes the map of far pages anew only when it holds a quarter of
// the most pages it held, and only once that most was over farShrinkMin:
// a map made anew at every dropped page would make a Truncate over n pages
// cost n² (the maps cost the same memory either way, so only this shows
// it). From 256 pages truncated one page at a time, the map is made anew
// once, at 64 pages, and kept from there down to its last page.
func TestFarMapRemadeAtAQuarter(t *testing.T) {
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 64, NoCalibration: true, MaxRetained: -1})
	if err != nil {
		t.Fatal(err)
	}
	b := NewWithPool(p)
	defer b.Close()
	b.SetLimit(MaxLimit)
	// One chunk at the start of far pages 1 to 257: page 1's is c1, the
	// others are in 256 pages of the map.
	const pagesWritten = 257
	pageStart := func(k int) int64 { return int64(headChunks+k*pageLen) * 64 }
	for k := 1; k <= pagesWritten; k++ {
		b.WriteAt([]byte{1}, pageStart(k))
	}
	if len(b.far) != pagesWritten-1 || b.farPeak != len(b.far) {
		t.Fatalf("%d far pages in the map, peak %d; want %d and %d", len(b.far), b.farPeak, pagesWritten-1, pagesWritten-1)
	}
	mapOf := func() uintptr { return uintptr(reflect.ValueOf(b.far).UnsafePointer()) }
	var remadeAt []int
	for k := pagesWritten; k > 2; k-- { // drop page k, keep pages 1 to k-1
		before := mapOf()
		b.Truncate(pageStart(k))
		if got, want := len(b.far), k-2; got != want {
			t.Fatalf("Truncate to page %d: %d far pages in the map; want %d", k, got, want)
		}
		if mapOf() != before {
			remadeAt = append(remadeAt, len(b.far))
			if b.farPeak != len(b.far) {
				t.Errorf("map made anew at %d pages with peak %d; want the peak to be its size", len(b.far), b.farPeak)
			}
		}
	}
	if want := []int{64}; !slices.Equal(remadeAt, want) {
		t.Errorf("from 256 far pages dropped one at a time, the map was made anew at %v pages; want %v", remadeAt, want)
	}
	b.Truncate(pageStart(2)) // the last page of the map goes, and the map with it
	if b.far != nil {
		t.Errorf("no far page left: the map is still there (%d pages)", len(b.far))
	}
}

// checkHeld fails when a page of the table counts a number of chunks (held)
// other than the chunks it holds: a page is dropped when its count reaches 0,
// so a count too high keeps an empty page and its map entry for good, and
// one too low drops a page that still holds chunks.
func checkHeld(t *testing.T, when string, c *content) {
	t.Helper()
	count := func(pg *page) (n int) {
		for _, ch := range pg.c {
			if ch != nil {
				n++
			}
		}
		return n
	}
	if c.p0 != nil && c.p0.held != count(c.p0) {
		t.Errorf("%s: page 0 counts %d chunks and holds %d", when, c.p0.held, count(c.p0))
	}
	for k, pg := range c.far {
		if pg.held != count(pg) {
			t.Errorf("%s: page %d counts %d chunks and holds %d", when, k, pg.held, count(pg))
		}
	}
}

// A chunk of the table that copy-on-write replaces (a view shared it) leaves
// its page's count as it was, so that the pages go when their chunks do.
func TestPageCountsThroughCopyOnWrite(t *testing.T) {
	p, err := pool.New(pool.Config{MinChunk: 64, FirstChunk: 64, MaxChunk: 64, NoCalibration: true, MaxRetained: -1})
	if err != nil {
		t.Fatal(err)
	}
	const pages = 6
	b := NewWithPool(p)
	defer b.Close()
	b.SetLimit(MaxLimit)
	// Chunks in page 0 and in far pages, two in each page.
	offs := []int64{int64(headChunks+3) * 64}
	for k := range pages {
		for _, j := range []int{5, 40} {
			offs = append(offs, int64(headChunks+(k+1)*pageLen+j)*64)
		}
	}
	for _, off := range offs {
		b.WriteAt([]byte{1}, off)
	}
	checkHeld(t, "after the writes", &b.content)
	v := b.GetValue()
	for _, off := range offs { // each chunk is shared: the write copies it
		b.WriteAt([]byte{2}, off+1)
	}
	checkHeld(t, "after the copies", &b.content)
	v.Release()
	b.Truncate(int64(headChunks+2*pageLen) * 64) // far pages 2 and up go
	checkHeld(t, "after the Truncate", &b.content)
	for k := range b.far {
		if k >= 2 {
			t.Errorf("page %d is kept after the Truncate that dropped its chunks", k)
		}
	}
	b.Truncate(0)
	if b.p0 != nil || b.far != nil || b.c1 != nil {
		t.Errorf("after Truncate(0) the table keeps page 0 %v, far pages %d, c1 %v; want none",
			b.p0 != nil, len(b.far), b.c1 != nil)
	}
}

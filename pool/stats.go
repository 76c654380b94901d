package pool

import (
	"fmt"
	"sync/atomic"
)

// classCounters counts the traffic of one size class.
type classCounters struct {
	hits, misses, puts, drops atomic.Int64
}

func (c *classCounters) hit()  { c.hits.Add(1) }
func (c *classCounters) miss() { c.misses.Add(1) }
func (c *classCounters) put()  { c.puts.Add(1) }
func (c *classCounters) drop() { c.drops.Add(1) }

// bufferCounters count what buffers report about their use of chunks.
var _ = 0

// NoteCopy records that a buffer copied n chunks because views still shared
// them (copy-on-write).
func (p *Pool) NoteCopy(n int) { p.cal.copies.Add(int64(n)) }

// NoteViews records that the number of live views over chunks of p changed by
// delta.
func (p *Pool) NoteViews(delta int) { p.cal.views.Add(int64(delta)) }

func configError(field string, v int) error {
	return fmt.Errorf("%w: %s = %d", ErrConfig, field, v)
}

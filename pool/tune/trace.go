package tune

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/bytesio-go/bytesio/buffer"
)

// ReadTrace reads a trace of buffer sizes from r; name titles the report and
// prefixes errors ("name:line: ..."). A trace is text, one record per line;
// blank lines and lines starting with # are skipped. It holds either sizes:
//
//	SIZE          one buffer of SIZE bytes
//	SIZE COUNT    COUNT buffers of SIZE bytes
//
// or, to carry how many buffers are live at once, events in time order:
//
//	open ID       a buffer opens; ID is any word without blanks
//	close ID SIZE the buffer opened as ID closes, holding SIZE bytes
//
// but not both. An ID may be used again once its buffer is closed. Buffers
// still open at the end of the trace are left out (the report notes how
// many). Sizes are whole numbers up to [buffer.DefaultLimit].
func ReadTrace(name string, r io.Reader) (Workload, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	var (
		sizes []SizeCount
		spans []Span
		open  = map[string]openAt{}
		total int64
		line  int
		kind  string // "sizes" or "events", from the first record
	)
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		fields := strings.Fields(text)
		k := "sizes"
		if fields[0] == "open" || fields[0] == "close" {
			k = "events"
		}
		if kind == "" {
			kind = k
		} else if k != kind {
			return Workload{}, fmt.Errorf("%s:%d: %s among %s: a trace holds sizes or open/close events, not both", name, line, k, kind)
		}
		switch fields[0] {
		case "open":
			if len(fields) != 2 {
				return Workload{}, fmt.Errorf("%s:%d: want \"open ID\", got %d fields", name, line, len(fields))
			}
			if o, ok := open[fields[1]]; ok {
				return Workload{}, fmt.Errorf("%s:%d: buffer %q opened again; it opened on line %d and has not closed", name, line, fields[1], o.line)
			}
			open[fields[1]] = openAt{int64(line), line}
		case "close":
			if len(fields) != 3 {
				return Workload{}, fmt.Errorf("%s:%d: want \"close ID SIZE\", got %d fields", name, line, len(fields))
			}
			o, ok := open[fields[1]]
			if !ok {
				return Workload{}, fmt.Errorf("%s:%d: buffer %q closes but is not open", name, line, fields[1])
			}
			size, err := parseCount(fields[2], buffer.DefaultLimit)
			if err != nil {
				return Workload{}, fmt.Errorf("%s:%d: size %v", name, line, err)
			}
			delete(open, fields[1])
			if total++; total > maxBuffers {
				return Workload{}, fmt.Errorf("%s:%d: more than %d buffers", name, line, int64(maxBuffers))
			}
			spans = append(spans, Span{Size: size, Open: o.at, Close: int64(line)})
		default:
			if len(fields) > 2 {
				return Workload{}, fmt.Errorf("%s:%d: want \"size\" or \"size count\", got %d fields", name, line, len(fields))
			}
			size, err := parseCount(fields[0], buffer.DefaultLimit)
			if err != nil {
				return Workload{}, fmt.Errorf("%s:%d: size %v", name, line, err)
			}
			count := int64(1)
			if len(fields) == 2 {
				if count, err = parseCount(fields[1], maxBuffers); err != nil {
					return Workload{}, fmt.Errorf("%s:%d: count %v", name, line, err)
				}
			}
			if total += count; total > maxBuffers {
				return Workload{}, fmt.Errorf("%s:%d: more than %d buffers", name, line, int64(maxBuffers))
			}
			if count > 0 {
				sizes = append(sizes, SizeCount{size, count})
			}
		}
	}
	if err := sc.Err(); err != nil {
		return Workload{}, fmt.Errorf("%s:%d: %v", name, line+1, err)
	}
	w := Workload{Source: "trace " + name, Sizes: sizes, Spans: spans}
	if len(open) > 0 {
		first := line + 1
		for _, o := range open {
			first = min(first, o.line)
		}
		note := fmt.Sprintf("1 buffer still open at the end of the trace is left out (it opened on line %d)", first)
		if len(open) > 1 {
			note = fmt.Sprintf("%d buffers still open at the end of the trace are left out (the first opened on line %d)", len(open), first)
		}
		w.Notes = append(w.Notes, note)
	}
	if len(sizes) == 0 && len(spans) == 0 {
		if kind == "events" {
			return Workload{}, fmt.Errorf("%s: no buffer closes (want \"open ID\" and \"close ID SIZE\" lines)", name)
		}
		return Workload{}, fmt.Errorf("%s: no buffer sizes (want one size, or \"size count\", per line)", name)
	}
	return w, nil
}

// openAt is where an open buffer of a trace opened.
type openAt struct {
	at   int64 // its time: the line number
	line int
}

// parseCount parses a decimal integer in [0, limit].
func parseCount(s string, limit int64) (int64, error) {
	v, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange):
		return 0, fmt.Errorf("%q is out of range (max %d)", s, limit)
	case err != nil:
		return 0, fmt.Errorf("%q is not a whole number", s)
	case v < 0:
		return 0, fmt.Errorf("%d is negative", v)
	case v > limit:
		return 0, fmt.Errorf("%d is larger than %d", v, limit)
	}
	return v, nil
}

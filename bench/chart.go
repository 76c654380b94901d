package bench

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// ChartWorkloads are the workloads WriteCharts draws.
var ChartWorkloads = []string{"Append", "Read"}

// WriteChart draws the throughput (median B/s) of each implementation of
// workload against size, both on log scales, as SVG to w. It returns false,
// without writing, when tables hold no B/s table for workload with a size
// that is a number of bytes.
func WriteChart(w io.Writer, tables []*Table, workload string) (bool, error) {
	var t *Table
	for _, tb := range tables {
		if tb.Workload == workload && tb.Unit == "B/s" {
			t = tb
		}
	}
	if t == nil {
		return false, nil
	}
	p := plot.New()
	p.Title.Text = workload + ": throughput vs size (median)"
	p.X.Label.Text = "size (bytes)"
	p.Y.Label.Text = "throughput (GB/s)"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	// The lines fall off at large sizes, leaving the top right free.
	p.Legend.Top, p.Legend.Left = true, false
	p.Add(plotter.NewGrid())
	var ticks sizeTicks
	for _, size := range t.Sizes {
		if n, err := ParseSize(size); err == nil && n > 0 {
			ticks = append(ticks, plot.Tick{Value: float64(n), Label: size})
		}
	}
	p.X.Tick.Marker = ticks
	if len(ticks) > 0 { // room for the first and last labels
		p.X.Min, p.X.Max = ticks[0].Value/2, ticks[len(ticks)-1].Value*2
	}
	var lines []any
	for c, impl := range t.Impls {
		var xys plotter.XYs
		for r, size := range t.Sizes {
			n, err := ParseSize(size)
			cell := t.Cells[r][c]
			if err != nil || cell == nil || !(cell.Summary.Center > 0) {
				continue
			}
			xys = append(xys, plotter.XY{X: float64(n), Y: cell.Summary.Center / 1e9})
		}
		if len(xys) > 0 {
			lines = append(lines, impl, xys)
		}
	}
	if len(lines) == 0 {
		return false, nil
	}
	if err := plotutil.AddLinePoints(p, lines...); err != nil {
		return false, err
	}
	wt, err := p.WriterTo(8*vg.Inch, 5*vg.Inch, "svg")
	if err != nil {
		return false, err
	}
	_, err = wt.WriteTo(w)
	return err == nil, err
}

// WriteCharts writes bench-<workload>.svg into dir for each of
// ChartWorkloads that has throughput data and returns the charts written,
// with file names relative to dir.
func WriteCharts(dir string, tables []*Table) ([]Chart, error) {
	var charts []Chart
	for _, wl := range ChartWorkloads {
		name := "bench-" + strings.ToLower(wl) + ".svg"
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return charts, err
		}
		ok, err := WriteChart(f, tables, wl)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return charts, fmt.Errorf("bench: chart %s: %w", name, err)
		}
		if !ok {
			os.Remove(filepath.Join(dir, name))
			continue
		}
		charts = append(charts, Chart{Title: wl + " throughput vs size", File: name})
	}
	return charts, nil
}

// sizeTicks marks the sizes that were measured, with their labels.
type sizeTicks []plot.Tick

// Ticks implements plot.Ticker.
func (ts sizeTicks) Ticks(lo, hi float64) []plot.Tick { return ts }

package bench

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// ChartWorkloads are the workloads drawn as throughput against size.
var ChartWorkloads = []string{"Append", "Read"}

// HotPathChart lists the rows of the small-buffer and hot-path chart:
// workload and size.
var HotPathChart = [][2]string{
	{"Encode", encodeSize}, {"Fprintf", fprintfSize}, {"AppendInt", appendIntSize},
	{"SmallCycle", "1KiB"}, {"ViewCycle", "16KiB"},
	{"Append", "64B"}, {"Append", "4KiB"}, {"Read", "64B"}, {"ReadSmall", "4KiB"},
}

// gib is the unit of the throughput charts: benchunit prints B/s with
// binary prefixes, so the charts use GiB/s as the tables do.
const gib = 1 << 30

// chartFont is the font of every chart: Liberation Sans, which gonum/plot
// carries (codeberg.org/go-fonts/liberation) and the SVG embeds, so text
// has the same size wherever the SVG is shown.
var chartFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// newPlot returns a plot whose text uses chartFont.
func newPlot() *plot.Plot {
	old := plot.DefaultFont
	plot.DefaultFont = chartFont
	defer func() { plot.DefaultFont = old }()
	return plot.New()
}

// writeSVG draws p as an SVG with its font embedded. gonum/plot panics on
// what it cannot draw (a value off a log scale); writeSVG returns that as
// an error, having written nothing.
func writeSVG(w io.Writer, p *plot.Plot, width, height vg.Length) error {
	c := vgsvg.NewWith(vgsvg.UseWH(width, height), vgsvg.EmbedFonts(true))
	if err := drawPlot(p, draw.New(c)); err != nil {
		return err
	}
	_, err := c.WriteTo(w)
	return err
}

// drawPlot draws p on c, turning a panic of the drawing into an error.
func drawPlot(p *plot.Plot, c draw.Canvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing %q: %v", p.Title.Text, r)
		}
	}()
	p.Draw(c)
	return nil
}

// WriteChart draws the throughput of each implementation of workload
// against size, both on log scales, as SVG to w: the median in GiB/s (the
// unit of the tables) with a bar for its 95% confidence interval. It
// returns false, without writing, when tables hold no B/s table for
// workload with a size that is a number of bytes.
func WriteChart(w io.Writer, tables []*Table, workload string) (bool, error) {
	p, err := throughputChart(tables, workload)
	if p == nil || err != nil {
		return false, err
	}
	return true, writeSVG(w, p, 9*vg.Inch, 5.5*vg.Inch)
}

// throughputChart builds the chart of WriteChart; nil when there is
// nothing to draw.
func throughputChart(tables []*Table, workload string) (*plot.Plot, error) {
	var t *Table
	for _, tb := range tables {
		if tb.Workload == workload && tb.Unit == "B/s" {
			t = tb
		}
	}
	if t == nil {
		return nil, nil
	}
	p := newPlot()
	p.Title.Text = workload + ": throughput against size (median, 95% CI)"
	p.X.Label.Text = "size"
	p.Y.Label.Text = "throughput (GiB/s, higher is better)"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Legend.Top, p.Legend.Left = true, true
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
	drawn, top := 0, 0.0
	for c, impl := range t.Impls {
		var pts errPoints
		for r, size := range t.Sizes {
			n, err := ParseSize(size)
			cell := t.Cells[r][c]
			if err != nil || n <= 0 || cell == nil || !(cell.Summary.Center > 0) {
				continue // a log scale has no place for 0 B
			}
			// In GiB/s: a tiny throughput (5e-318 B/s) is 0 there, off
			// the log scale too.
			y, lo, hi := cell.Summary.Center/gib, cell.Summary.Lo/gib, cell.Summary.Hi/gib
			if !(y > 0) || math.IsInf(y, 0) {
				continue
			}
			if !(lo > 0 && lo <= y && hi >= y) || math.IsInf(hi, 0) { // too few rounds: no bar
				lo, hi = y, y
			}
			pts = append(pts, errPoint{float64(n), y, lo, hi})
		}
		if len(pts) == 0 {
			continue
		}
		line, points, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		col := implColor(impl)
		line.Color, points.Color = col, col
		points.Shape = implShape(impl)
		top = max(top, slices.Max(pts.ys()))
		bars, err := plotter.NewYErrorBars(pts)
		if err != nil {
			return nil, err
		}
		bars.Color = col
		p.Add(line, points, bars)
		p.Legend.Add(impl, line, points)
		drawn++
	}
	if drawn == 0 {
		return nil, nil
	}
	p.Y.Max = top * 4 // room for the legend above the lines
	return p, nil
}

// WriteHotPathChart draws the rows of HotPathChart as SVG to w: for each
// workload and size, the time of every implementation relative to the
// fastest peer there (so that peer is at 1), with a bar for the 95%
// confidence interval of the ratio, paired by round. It returns false,
// without writing, when tables hold none of those rows.
func WriteHotPathChart(w io.Writer, tables []*Table) (bool, error) {
	p, err := hotPathChart(tables)
	if p == nil || err != nil {
		return false, err
	}
	return true, writeSVG(w, p, 10*vg.Inch, 6*vg.Inch)
}

// hotPathChart builds the chart of WriteHotPathChart; nil when there is
// nothing to draw.
func hotPathChart(tables []*Table) (*plot.Plot, error) {
	l := newLookup(tables)
	type row struct {
		label string
		t     *Table
		r     int
	}
	var rows []row
	var impls []string
	for _, rs := range HotPathChart {
		t := l[[2]string{rs[0], "sec/op"}]
		if t == nil {
			continue
		}
		r := slices.Index(t.Sizes, rs[1])
		if r < 0 || t.BestPeer(r) < 0 {
			continue
		}
		rows = append(rows, row{rs[0] + " " + rs[1], t, r})
		for c, impl := range t.Impls {
			if t.Cells[r][c] != nil && impl != ImplCopy && slices.Index(impls, impl) < 0 {
				impls = append(impls, impl)
			}
		}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	p := newPlot()
	p.Title.Text = "Small buffers and hot paths: time relative to the fastest peer (median, 95% CI)"
	p.Y.Label.Text = "time / fastest peer's time (lower is better)"
	p.Add(plotter.NewGrid())
	labels := make([]string, len(rows))
	for i, rw := range rows {
		labels[i] = rw.label
	}
	p.NominalX(labels...)
	p.X.Tick.Label.Rotation = math.Pi / 6
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	one, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: 1}, {X: float64(len(rows)) - 0.5, Y: 1}})
	if err != nil {
		return nil, err
	}
	one.Color = color.Gray{Y: 96}
	one.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(one)
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = ratioTicks{}
	top, bottom := 2.0, 0.5
	const spread = 0.7 // of one category's width, shared by the implementations
	for j, impl := range impls {
		var pts errPoints
		off := spread * (float64(j)/float64(max(len(impls)-1, 1)) - 0.5)
		for i, rw := range rows {
			c := rw.t.Column(impl)
			if c < 0 || rw.t.Cells[rw.r][c] == nil {
				continue
			}
			best := rw.t.Cells[rw.r][rw.t.BestPeer(rw.r)]
			rt := pairedRatio(rw.t.Cells[rw.r][c].Rounds, best.Rounds, 0)
			if !rt.Valid() || !(rt.Center > 0) || math.IsInf(rt.Center, 0) {
				continue // off a log scale: a ratio of 0 or past float64
			}
			lo, hi := rt.Lo, rt.Hi
			if !rt.Decided() || !(lo > 0) || math.IsInf(hi, 0) {
				lo, hi = rt.Center, rt.Center
			}
			pts = append(pts, errPoint{float64(i) + off, rt.Center, lo, hi})
		}
		if len(pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		col := implColor(impl)
		sc.Color, sc.Shape = col, implShape(impl)
		top, bottom = max(top, slices.Max(pts.ys())), min(bottom, slices.Min(pts.ys()))
		sc.Radius = vg.Points(3)
		bars, err := plotter.NewYErrorBars(pts)
		if err != nil {
			return nil, err
		}
		bars.Color = col
		p.Add(sc, bars)
		p.Legend.Add(impl, sc)
	}
	p.Legend.Top = true
	p.Y.Min, p.Y.Max = bottom/1.5, top*6 // room for the legend above the points
	return p, nil
}

// ratioTicks marks powers of two on a log axis of ratios.
type ratioTicks struct{}

// Ticks implements plot.Ticker.
func (ratioTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	if !(lo > 0) || math.IsInf(hi, 0) || !(lo <= hi) {
		return nil // no power of two to count from
	}
	for e := math.Floor(math.Log2(lo)); e <= math.Ceil(math.Log2(hi)); e++ {
		v := math.Exp2(e)
		if v >= lo && v <= hi {
			ts = append(ts, plot.Tick{Value: v, Label: strings.TrimSuffix(FormatRatio(v), "×") + "×"})
		}
	}
	return ts
}

// chartImpls fixes the colour and marker of each implementation across
// charts.
var chartImpls = []string{ImplBytesio, ImplBytesioNew, ImplBytesioNoPool, ImplBufferPool, ImplByteBufferPool,
	ImplBuffer, ImplReader, ImplAfero, ImplCopy, ImplClone, ImplBufferPoolNoCap}

// chartColors are distinct colours (Tableau 10 and black), one per entry
// of chartImpls.
var chartColors = []color.RGBA{
	{0xd6, 0x27, 0x28, 0xff}, {0xff, 0x7f, 0x0e, 0xff}, {0x8c, 0x56, 0x4b, 0xff}, {0x1f, 0x77, 0xb4, 0xff},
	{0x2c, 0xa0, 0x2c, 0xff}, {0x94, 0x67, 0xbd, 0xff}, {0x17, 0xbe, 0xcf, 0xff}, {0xe3, 0x77, 0xc2, 0xff},
	{0x7f, 0x7f, 0x7f, 0xff}, {0xbc, 0xbd, 0x22, 0xff}, {0x00, 0x00, 0x00, 0xff},
}

func implColor(impl string) color.Color {
	if i := slices.Index(chartImpls, impl); i >= 0 {
		return chartColors[i%len(chartColors)]
	}
	return color.Black
}

func implShape(impl string) draw.GlyphDrawer {
	return plotutil.Shape(max(slices.Index(chartImpls, impl), 0))
}

// errPoint is a point with the low and high ends of its error bar.
type errPoint struct{ x, y, lo, hi float64 }

// errPoints implements plotter.XYer and plotter.YErrorer.
type errPoints []errPoint

func (e errPoints) Len() int                      { return len(e) }
func (e errPoints) XY(i int) (x, y float64)       { return e[i].x, e[i].y }
func (e errPoints) YError(i int) (lo, hi float64) { return e[i].y - e[i].lo, e[i].hi - e[i].y }

// ys returns the values of the points including their error bars.
func (e errPoints) ys() []float64 {
	var ys []float64
	for _, p := range e {
		ys = append(ys, p.lo, p.hi)
	}
	return ys
}

// hotPathFile is the file name of the hot-path chart.
const hotPathFile = "bench-hotpath.svg"

// chartFile is the file name of the throughput chart of workload.
func chartFile(workload string) string { return "bench-" + strings.ToLower(workload) + ".svg" }

// ChartFiles returns the names of the files [WriteCharts] may write into
// its directory, whether or not the tables give them data.
func ChartFiles() []string {
	names := []string{hotPathFile}
	for _, wl := range ChartWorkloads {
		names = append(names, chartFile(wl))
	}
	return names
}

// writeChartFile draws a chart with draw into memory and writes it to the
// file name in dir, or removes that file when draw reports that it drew
// nothing (ok false); a chart that fails to draw leaves the file as it was.
func writeChartFile(dir, name string, draw func(io.Writer) (bool, error)) (ok bool, err error) {
	var svg bytes.Buffer
	if ok, err = draw(&svg); err != nil {
		return false, fmt.Errorf("bench: chart %s: %w", name, err)
	}
	path := filepath.Join(dir, name)
	if !ok {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return false, err
		}
		return false, nil
	}
	return true, os.WriteFile(path, svg.Bytes(), 0o666)
}

// WriteCharts writes into dir bench-<workload>.svg for each of
// ChartWorkloads that has throughput data and bench-hotpath.svg, and
// returns the charts written, with file names relative to dir.
func WriteCharts(dir string, tables []*Table) ([]Chart, error) {
	var charts []Chart
	write := func(name, title string, draw func(io.Writer) (bool, error)) error {
		ok, err := writeChartFile(dir, name, draw)
		if ok && err == nil {
			charts = append(charts, Chart{Title: title, File: name})
		}
		return err
	}
	if err := write(hotPathFile, "Small buffers and hot paths, relative to the fastest peer",
		func(w io.Writer) (bool, error) { return WriteHotPathChart(w, tables) }); err != nil {
		return charts, err
	}
	for _, wl := range ChartWorkloads {
		if err := write(chartFile(wl), wl+" throughput against size",
			func(w io.Writer) (bool, error) { return WriteChart(w, tables, wl) }); err != nil {
			return charts, err
		}
	}
	return charts, nil
}

// sizeTicks marks the sizes that were measured, with their labels.
type sizeTicks []plot.Tick

// Ticks implements plot.Ticker.
func (ts sizeTicks) Ticks(lo, hi float64) []plot.Tick { return ts }

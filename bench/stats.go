package bench

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchproc"
	"golang.org/x/perf/benchunit"
)

// Confidence is the confidence level of the ranges in the tables.
const Confidence = 0.95

// A Table summarises the measurements of one unit of one workload: rows are
// sizes, columns implementations, and the first column is the baseline every
// other column is compared with.
type Table struct {
	Workload string // benchmark name without "Benchmark"
	Unit     string // tidied unit, e.g. "sec/op", "B/s", "retained-B"
	// Better is +1 when higher values are better, -1 when lower are.
	Better int
	// Impls are the columns; Impls[0] is the baseline.
	Impls []string
	// Sizes are the rows, sorted by the number of bytes they stand for.
	Sizes []string
	// Cells[row][col] is nil where nothing was measured.
	Cells [][]*Cell
	// Geomean[col] is the geometric mean of the column's centres, and
	// GeoRatio[col] the geometric mean of its per-row ratios to the
	// baseline; NaN where undefined (a missing or non-positive value).
	Geomean, GeoRatio []float64
	// Notes are the statistical warnings, without duplicates.
	Notes []string
	// ByOrder reports that the results had no rounds (see RoundKey), as
	// from go test, and were paired by their order in each cell.
	ByOrder bool
}

// A Cell is the sample of one implementation at one size.
type Cell struct {
	// Values are the measurements, sorted.
	Values []float64
	// Rounds maps each round (see RoundKey; for results without one, the
	// order in which the cell's values came) to its measurement, for
	// comparisons paired by round.
	Rounds  map[int]float64
	Summary benchmath.Summary // median and confidence interval
	// Ratio is Summary.Center over the baseline's centre (1 for 0/0); NaN
	// when the row has no baseline or the baseline is 0.
	Ratio float64
	// Cmp is the comparison with the baseline; nil in the baseline column
	// and where the row has no baseline.
	Cmp *benchmath.Comparison
}

type cellKey struct {
	table, row, col benchproc.Key
}

// BuildTables groups results into one Table per workload and unit. Rows
// and columns come from the /size and /impl parts of the benchmark names;
// workloads and their baselines from [Workloads], in that order (unknown
// workloads follow, sorted, with their first implementation as baseline).
// Units come in the order sec/op, B/s, B/op, allocs/op, then the rest
// sorted. A cell's results are paired with other cells by their round (see
// RoundKey), or numbered by order where they have none. A value that is
// not a finite number, a second result of one round in a cell (a file
// read twice, a line repeated), results with rounds and without in one
// table (files concatenated), results numbered by order in a table
// whose cells hold different counts (a line missing), or results of
// several GOMAXPROCS in one table (the "-N" suffix of the names, as go
// test -cpu 1,2 writes them) is an error: pairing it with the wrong round,
// or with another GOMAXPROCS in one cell, would change the verdicts
// silently. A file without rounds read twice cannot be told from a run of
// twice the count.
func BuildTables(results []*benchfmt.Result, units benchfmt.UnitMetadataMap) ([]*Table, error) {
	var pp benchproc.ProjectionParser
	tableBy, unitField, err := pp.ParseWithUnit(".name", nil)
	if err != nil {
		return nil, err
	}
	rowBy, err := pp.Parse("/size", nil)
	if err != nil {
		return nil, err
	}
	colBy, err := pp.Parse("/impl", nil)
	if err != nil {
		return nil, err
	}
	procsBy, err := pp.Parse("/gomaxprocs", nil)
	if err != nil {
		return nil, err
	}
	nameField, sizeField, implField := tableBy.Fields()[0], rowBy.Fields()[0], colBy.Fields()[0]
	procsField := procsBy.Fields()[0]

	samples := map[cellKey][]float64{}
	rounds := map[cellKey][]int{}
	type tkey struct{ workload, unit string }
	rowsOf := map[tkey]map[string]bool{}
	colsOf := map[tkey]map[string]bool{}
	procsOf := map[tkey]map[int]bool{}                // the GOMAXPROCS of each table's results
	firstAt := map[cellKey]map[int]*benchfmt.Result{} // the result of each round of a cell
	for _, res := range results {
		row, col := rowBy.Project(res), colBy.Project(res)
		// The name's "-N" suffix; go test leaves it out when N is 1.
		procs, err := strconv.Atoi(procsBy.Project(res).Get(procsField))
		if err != nil {
			procs = 1
		}
		round, err := strconv.Atoi(res.GetConfig(RoundKey))
		if err != nil {
			round = 0 // numbered by order below
		}
		for i, tk := range tableBy.ProjectValues(res) {
			if x := res.Values[i].Value; math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%s%s: %v %s is not a finite number", pos(res), res.Name.Full(), x, res.Values[i].Unit)
			}
			k := cellKey{tk, row, col}
			if round != 0 {
				if firstAt[k] == nil {
					firstAt[k] = map[int]*benchfmt.Result{}
				}
				if prev := firstAt[k][round]; prev != nil && prev != res {
					msg := fmt.Sprintf("%s%s: a second result of round %d", pos(res), res.Name.Full(), round)
					if p := pos(prev); p != "" {
						msg += " (the first is at " + strings.TrimSuffix(p, ": ") + ")"
					}
					return nil, errors.New(msg)
				}
				firstAt[k][round] = res
			}
			samples[k] = append(samples[k], res.Values[i].Value)
			rounds[k] = append(rounds[k], round)
			t := tkey{tk.Get(nameField), tk.Get(unitField)}
			if rowsOf[t] == nil {
				rowsOf[t], colsOf[t], procsOf[t] = map[string]bool{}, map[string]bool{}, map[int]bool{}
			}
			procsOf[t][procs] = true
			rowsOf[t][row.Get(sizeField)] = true
			colsOf[t][col.Get(implField)] = true
		}
	}
	// Index the samples by strings, now that every Key is known.
	byName := map[[4]string]map[int]float64{}
	type count struct {
		byOrder, byRound  bool
		fewest, most      int
		fewCell, mostCell string
	}
	counts := map[tkey]*count{}
	for k, v := range samples {
		m := map[int]float64{}
		for i, x := range v {
			m[rounds[k][i]] = x
		}
		_, byOrder := m[0]
		byRound := slices.ContainsFunc(rounds[k], func(r int) bool { return r != 0 })
		if byOrder {
			// No round key: number by order.
			clear(m)
			for i, x := range v {
				m[i+1] = x
			}
		}
		name := [4]string{k.table.Get(nameField), k.table.Get(unitField), k.row.Get(sizeField), k.col.Get(implField)}
		byName[name] = m
		t, cell := tkey{name[0], name[1]}, name[3]+" at "+name[2]
		c := counts[t]
		if c == nil {
			c = &count{fewest: len(v), most: len(v), fewCell: cell, mostCell: cell}
			counts[t] = c
		}
		c.byOrder = c.byOrder || byOrder
		c.byRound = c.byRound || byRound
		if len(v) < c.fewest || len(v) == c.fewest && cell < c.fewCell {
			c.fewest, c.fewCell = len(v), cell
		}
		if len(v) > c.most || len(v) == c.most && cell < c.mostCell {
			c.most, c.mostCell = len(v), cell
		}
	}
	// Pairing by order pairs the nth result of every cell of a table: a
	// line missing from one cell, or more lines in another (a name with
	// an extra key), would pair results of different rounds.
	for _, t := range slices.SortedFunc(maps.Keys(counts), func(a, b tkey) int {
		return cmp.Or(cmp.Compare(a.workload, b.workload), cmp.Compare(a.unit, b.unit))
	}) {
		if len(procsOf[t]) > 1 {
			var ps []string
			for _, p := range slices.Sorted(maps.Keys(procsOf[t])) {
				ps = append(ps, strconv.Itoa(p))
			}
			return nil, fmt.Errorf("%s %s: results of several GOMAXPROCS (%s) would share its cells: "+
				"give the results of one (go test -cpu N)", t.workload, t.unit, strings.Join(ps, ", "))
		}
		c := counts[t]
		if c.byOrder && c.byRound {
			return nil, fmt.Errorf("%s %s: results with rounds and without: files of different runs put together "+
				"would pair results of different rounds", t.workload, t.unit)
		}
		if c.byOrder && c.fewest != c.most {
			return nil, fmt.Errorf("%s %s: results without rounds pair by order, but %s holds %d and %s %d: "+
				"a line missing or added would pair results of different rounds", t.workload, t.unit,
				c.fewCell, c.fewest, c.mostCell, c.most)
		}
	}

	var tables []*Table
	for t := range rowsOf {
		tb := &Table{Workload: t.workload, Unit: t.unit, Better: units.GetBetter(t.unit), ByOrder: counts[t].byOrder}
		if tb.Better == 0 {
			tb.Better = benchunitBetter(t.unit)
		}
		tb.Impls = orderImpls(t.workload, colsOf[t])
		tb.Sizes = orderSizes(t.workload, rowsOf[t])
		tb.fill(func(size, impl string) map[int]float64 {
			return byName[[4]string{t.workload, t.unit, size, impl}]
		}, units.GetAssumption(t.unit))
		tables = append(tables, tb)
	}
	slices.SortFunc(tables, func(a, b *Table) int {
		return cmp.Or(
			cmp.Compare(workloadRank(a.Workload), workloadRank(b.Workload)),
			cmp.Compare(a.Workload, b.Workload),
			cmp.Compare(unitRank(a.Unit), unitRank(b.Unit)),
			cmp.Compare(a.Unit, b.Unit))
	})
	return tables, nil
}

// pos is the file and line of res followed by ": ", or "" when res was
// not read from a file.
func pos(res *benchfmt.Result) string {
	if file, line := res.Pos(); file != "" {
		return fmt.Sprintf("%s:%d: ", file, line)
	}
	return ""
}

// benchunitBetter is the direction of the standard units.
func benchunitBetter(unit string) int {
	if unit == "B/s" {
		return +1
	}
	return -1
}

func workloadRank(name string) int {
	for i, w := range Workloads {
		if w.Name == name {
			return i
		}
	}
	return len(Workloads)
}

func unitRank(u string) int {
	if i := slices.Index([]string{"sec/op", "B/s", "B/op", "allocs/op"}, u); i >= 0 {
		return i
	}
	return 4
}

// orderImpls puts the baseline first, then the workload's order, then any
// unknown implementation sorted.
func orderImpls(workload string, seen map[string]bool) []string {
	w, _ := WorkloadNamed(workload)
	var out []string
	if seen[w.Baseline] {
		out = append(out, w.Baseline)
	}
	for _, impl := range w.Impls {
		if seen[impl] && impl != w.Baseline {
			out = append(out, impl)
		}
	}
	var rest []string
	for impl := range seen {
		if !slices.Contains(out, impl) {
			rest = append(rest, impl)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// orderSizes sorts sizes by bytes; labels that are not sizes follow,
// sorted.
func orderSizes(workload string, seen map[string]bool) []string {
	var out []string
	for s := range seen {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b string) int {
		na, ea := ParseSize(a)
		nb, eb := ParseSize(b)
		switch {
		case ea == nil && eb == nil:
			return cmp.Or(cmp.Compare(na, nb), cmp.Compare(a, b))
		case ea == nil:
			return -1
		case eb == nil:
			return +1
		}
		return cmp.Compare(a, b)
	})
	return out
}

// fill computes the cells, ratios and geomeans of t.
func (t *Table) fill(sample func(size, impl string) map[int]float64, assume benchmath.Assumption) {
	seen := map[string]bool{}
	note := func(errs []error) {
		for _, e := range errs {
			if s := e.Error(); !seen[s] {
				seen[s] = true
				t.Notes = append(t.Notes, s)
			}
		}
	}
	centres := make([][]float64, len(t.Impls))
	ratios := make([][]float64, len(t.Impls))
	t.Cells = make([][]*Cell, len(t.Sizes))
	for r, size := range t.Sizes {
		t.Cells[r] = make([]*Cell, len(t.Impls))
		var base *benchmath.Sample
		for c, impl := range t.Impls {
			byRound := sample(size, impl)
			if len(byRound) == 0 {
				continue
			}
			vals := slices.Collect(maps.Values(byRound))
			s := benchmath.NewSample(vals, &benchmath.DefaultThresholds) // sorts vals
			cell := &Cell{Values: vals, Rounds: byRound, Summary: assume.Summary(s, Confidence), Ratio: math.NaN()}
			note(s.Warnings)
			note(cell.Summary.Warnings)
			centres[c] = append(centres[c], cell.Summary.Center)
			if c == 0 {
				base = s
			} else if base != nil {
				cm := assume.Compare(base, s)
				cell.Cmp = &cm
				note(cm.Warnings)
			}
			t.Cells[r][c] = cell
		}
		if base == nil {
			continue
		}
		bc := t.Cells[r][0].Summary.Center
		for c, cell := range t.Cells[r] {
			if cell == nil {
				continue
			}
			cell.Ratio = ratio(cell.Summary.Center, bc)
			ratios[c] = append(ratios[c], cell.Ratio)
		}
	}
	t.Geomean = make([]float64, len(t.Impls))
	t.GeoRatio = make([]float64, len(t.Impls))
	for c := range t.Impls {
		t.Geomean[c], t.GeoRatio[c] = math.NaN(), math.NaN()
		if len(centres[c]) == len(t.Sizes) {
			t.Geomean[c] = geomean(centres[c])
		}
		if len(ratios[c]) == len(t.Sizes) {
			t.GeoRatio[c] = geomean(ratios[c])
		}
	}
}

// ratio is a/b, with 0/0 = 1 as in benchstat and NaN for x/0.
func ratio(a, b float64) float64 {
	switch {
	case a == b:
		return 1
	case b == 0:
		return math.NaN()
	}
	return a / b
}

// geomean returns the geometric mean of xs, or NaN if xs is empty or holds
// a value that is not positive and finite.
func geomean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var s float64
	for _, x := range xs {
		if !(x > 0) || math.IsInf(x, 1) {
			return math.NaN()
		}
		s += math.Log(x)
	}
	return math.Exp(s / float64(len(xs)))
}

// RoundsPerCell returns the fewest and the most rounds (samples) of any
// cell of tables: the rounds the results hold, which are fewer than a run
// asked for when steps failed or the run was stopped, or a file was cut
// short. Both are 0 when tables have no cell.
func RoundsPerCell(tables []*Table) (fewest, most int) {
	for _, t := range tables {
		for _, row := range t.Cells {
			for _, c := range row {
				if c == nil {
					continue
				}
				if n := len(c.Rounds); most == 0 || n < fewest {
					fewest = n
				}
				most = max(most, len(c.Rounds))
			}
		}
	}
	return fewest, most
}

// Cell returns the cell of impl at size, or nil.
func (t *Table) Cell(size, impl string) *Cell {
	r, c := slices.Index(t.Sizes, size), slices.Index(t.Impls, impl)
	if r < 0 || c < 0 {
		return nil
	}
	return t.Cells[r][c]
}

// Column returns the index of impl among the columns, or -1.
func (t *Table) Column(impl string) int { return slices.Index(t.Impls, impl) }

// Title is the table's heading, e.g. "Append sec/op".
func (t *Table) Title() string { return t.Workload + " " + t.Unit }

// scaler returns the common scale of a row's centres.
func (t *Table) scaler(r int) benchunit.Scaler {
	var centres []float64
	for _, c := range t.Cells[r] {
		if c != nil {
			centres = append(centres, c.Summary.Center)
		}
	}
	return benchunit.CommonScale(centres, benchunit.ClassOf(t.Unit))
}

// formatValue formats a cell as benchstat does: "1.234µ ± 2%".
func formatValue(sc benchunit.Scaler, c *Cell) string {
	return sc.Format(c.Summary.Center) + " ± " + c.Summary.PctRangeString()
}

// formatDelta formats a comparison as benchstat does: "-12.34% (p=0.002
// n=6)", or "~ (p=0.310 n=6)" when the difference is not significant.
func formatDelta(base, c *Cell) string {
	if c.Cmp == nil || base == nil {
		return ""
	}
	return c.Cmp.FormatDelta(base.Summary.Center, c.Summary.Center) + " (" + c.Cmp.String() + ")"
}

// FormatRatio formats a ratio to the baseline, e.g. "0.125×": three
// significant digits, whole numbers from 100 ("12346×"), and an exponent
// from a million ("1.23e+06×"); "?" when undefined.
func FormatRatio(r float64) string {
	switch {
	case math.IsNaN(r) || math.IsInf(r, 0):
		return "?"
	case r == 0:
		return "0×"
	case r >= 999999.5: // what %.0f would print as 1000000 or more
		return fmt.Sprintf("%.3g×", r) // 1.23e+06×, not 300 digits at 1e300
	case r >= 100:
		return fmt.Sprintf("%.0f×", r)
	case r >= 0.001:
		s := fmt.Sprintf("%.3g", r)
		if strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		return s + "×"
	}
	return fmt.Sprintf("%.2g×", r)
}

// WriteText writes t as a benchstat-style text table: one column per
// implementation with median ± range, and for each column after the
// baseline its delta and p-value.
func (t *Table) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\t", t.Title())
	for c, impl := range t.Impls {
		if c == 0 {
			fmt.Fprintf(tw, "%s (base)\t", impl)
		} else {
			fmt.Fprintf(tw, "%s\tvs base\t", impl)
		}
	}
	fmt.Fprintln(tw)
	for r, size := range t.Sizes {
		sc := t.scaler(r)
		fmt.Fprintf(tw, "%s\t", size)
		for c, cell := range t.Cells[r] {
			if cell != nil {
				fmt.Fprint(tw, formatValue(sc, cell))
			}
			fmt.Fprint(tw, "\t")
			if c > 0 {
				if cell != nil {
					fmt.Fprint(tw, formatDelta(t.Cells[r][0], cell))
				}
				fmt.Fprint(tw, "\t")
			}
		}
		fmt.Fprintln(tw)
	}
	if len(t.Sizes) > 1 {
		cls := benchunit.ClassOf(t.Unit)
		fmt.Fprint(tw, "geomean\t")
		for c := range t.Impls {
			if g := t.Geomean[c]; !math.IsNaN(g) {
				fmt.Fprint(tw, benchunit.Scale(g, cls))
			}
			fmt.Fprint(tw, "\t")
			if c > 0 {
				if g := t.GeoRatio[c]; !math.IsNaN(g) {
					fmt.Fprintf(tw, "%+.2f%%", (g-1)*100)
				} else {
					fmt.Fprint(tw, "?")
				}
				fmt.Fprint(tw, "\t")
			}
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range t.Notes {
		if _, err := fmt.Fprintf(w, "note: %s\n", n); err != nil {
			return err
		}
	}
	return nil
}

// WriteTables writes every table as text, separated by blank lines.
func WriteTables(w io.Writer, tables []*Table) error {
	for i, t := range tables {
		if i > 0 {
			if _, err := fmt.Fprintln(w); err != nil {
				return err
			}
		}
		if err := t.WriteText(w); err != nil {
			return err
		}
	}
	return nil
}

// scalerOf returns the common scale of some cells' centres in unit.
func scalerOf(unit string, cells ...*Cell) benchunit.Scaler {
	var centres []float64
	for _, c := range cells {
		if c != nil {
			centres = append(centres, c.Summary.Center)
		}
	}
	return benchunit.CommonScale(centres, benchunit.ClassOf(unit))
}

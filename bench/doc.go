// Package bench compares package buffer with bytes.Buffer, bytes.Reader and
// other in-memory buffers, and turns the measurements into benchstat-style
// tables, a BENCHMARKS.md report and SVG charts.
//
// The benchmarks live in the package's _test.go files and are generated from
// one table, [Workloads]: every leaf is named
//
//	BenchmarkWorkload/impl=NAME/size=SIZE
//
// so "go test -bench . ./bench" runs them directly and benchstat can group
// them with "-col /impl -row /size".
//
// The runner ([Run]) builds the benchmark binary once with "go test -c" and
// runs it in interleaved rounds: each round runs every selected workload once
// (one process per workload, -test.count=1), so machine drift between rounds
// hits every implementation alike. [BuildTables] summarises the results with
// golang.org/x/perf/benchmath (median, 95% confidence range, Mann-Whitney U
// test against the workload's baseline, geomean), [EvalTargets] checks the
// project's performance targets, and [WriteMarkdown] and [WriteCharts] write
// the report. Command "bytesio bench" drives all of it.
package bench

// Package bench compares package buffer with bytes.Buffer, bytes.Reader,
// bytebufferpool and other in-memory buffers, and turns the measurements
// into verdicts, benchstat-style tables, a BENCHMARKS.md report and SVG
// charts.
//
// The benchmarks are ordinary code of this package, generated from one
// table, [Workloads]: every leaf is named
//
//	BenchmarkWorkload/impl=NAME/size=SIZE
//
// so they are compiled into any program that imports the package. Command
// "bytesio bench" runs them with no Go toolchain and no source: [Run]
// starts every step (one workload in one round) as a child process of the
// running program ([ChildArg], [ChildMain]), which runs each leaf with
// testing.Benchmark and prints Go benchmark lines. Rounds are interleaved:
// each round runs every selected workload once, so machine drift between
// rounds hits every implementation alike. "go test -bench . ./bench" runs
// the same leaves through thin Benchmark functions.
//
// [BuildTables] summarises the results with golang.org/x/perf/benchmath
// (median, 95% confidence interval, Mann-Whitney U test against the
// workload's baseline column, geomean). [Summarize] compares bytesio with
// the strongest peer measured at each size (never the copy ceiling) by
// the median of the per-round ratios and its confidence interval, and
// [EvalTargets] checks the project's targets by the same intervals: met,
// NOT met, or undecided. [WriteMarkdown] and [WriteCharts] write the
// report.
package bench

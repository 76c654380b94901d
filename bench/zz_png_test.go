package bench

import (
	"os"
	"testing"
)

func TestZZPNG(t *testing.T) {
	f, err := os.Open(os.Getenv("RAW"))
	if err != nil {
		t.Skip()
	}
	d, _ := ReadResults(f, "raw")
	tables, _ := BuildTables(d.Results, d.Units)
	p, _ := hotPathChart(tables)
	p.Save(1000, 600, "/tmp/hot.png")
	p, _ = throughputChart(tables, "Append")
	p.Save(900, 550, "/tmp/append.png")
}

package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dlnb/course/dlnb/backend"
)

// TestReadWallsReadsWhatMarkdownWrites: the wall times of a results page
// come back by notebook, without the sum, total and elapsed rows.
func TestReadWallsReadsWhatMarkdownWrites(t *testing.T) {
	runs := []Run{{Notebook: "2_1_network_modified", Wall: 28 * time.Second,
		Cells: []CellTime{{Notebook: "2_1_network_modified", In: 7, What: "result: two layer network", Took: 21 * time.Second}}},
		{Notebook: "2_8_deep_convolution_net", Wall: 13*time.Minute + 37*time.Second}}
	for _, jobs := range []int{1, 2} {
		p := filepath.Join(t.TempDir(), "results.md")
		page := Page{Mode: "default", When: time.Now(), Jobs: jobs, Elapsed: 12 * time.Minute}
		if err := os.WriteFile(p, []byte(Markdown(runs, page)), 0o644); err != nil {
			t.Fatal(err)
		}
		walls, err := ReadWalls(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(walls) != 2 || walls["2_1_network_modified"] != 28*time.Second ||
			walls["2_8_deep_convolution_net"] != 13*time.Minute+37*time.Second {
			t.Errorf("jobs %d: %v", jobs, walls)
		}
	}
	if _, err := ReadWalls(filepath.Join(t.TempDir(), "none.md")); err == nil {
		t.Error("a missing page gave no error")
	}
}

// TestWallTable: the table printed at the end of a run has the rows of the
// results page's wall-time table, aligned (a notebook that failed has no
// wall time and no row), with the work of each notebook's matrix products
// and its rate when the run counted them; the HTML page has the same rows.
func TestWallTable(t *testing.T) {
	runs := []Run{{Notebook: "2_1_network_modified", Wall: 28 * time.Second, Work: backend.Work{Float64: 41_234_000_000}, Counted: true},
		{Notebook: "2_5_overfiting"},
		{Notebook: "2_8_deep_convolution_net", Wall: 19*time.Minute + 48*time.Second,
			Work: backend.Work{Float64: 17_511_600_000_000, Float32: 7_100_000_000_000}, Counted: true}}
	got := WallTable(runs, Page{Jobs: 2, Elapsed: 19*time.Minute + 50*time.Second})
	want := "Wall time per notebook. 2 notebooks at a time, sharing the cores: each wall time includes the time the others took from it, so the sum is more than the run's elapsed time.\n" +
		"  notebook                  wall time  float64 products  float32 products    per second\n" +
		"  2_1_network_modified            28s        41.2 GFLOP           0 GFLOP   1.5 GFLOP/s\n" +
		"  2_8_deep_convolution_net     19m48s      17,512 GFLOP       7,100 GFLOP  20.7 GFLOP/s\n" +
		"  sum                          20m16s      17,553 GFLOP       7,100 GFLOP\n" +
		"  elapsed (the whole run)      19m50s                                      20.7 GFLOP/s\n"
	if got != want {
		t.Errorf("two at a time:\n%s\nwant\n%s", got, want)
	}
	runs[0].Counted = false // a run that did not count: no work, no total, no rate
	got = WallTable(runs[:1], Page{Jobs: 1, Elapsed: 30 * time.Second})
	want = "Wall time per notebook. One notebook at a time.\n" +
		"  notebook                 wall time  float64 products  float32 products  per second\n" +
		"  2_1_network_modified           28s                 –                 –           –\n" +
		"  total                          28s\n" +
		"  elapsed (the whole run)        30s\n"
	if got != want {
		t.Errorf("one at a time, not counted:\n%s\nwant\n%s", got, want)
	}
	if got := WallTable(runs[1:2], Page{Jobs: 2}); got != "" {
		t.Errorf("no wall times: %q", got)
	}
	runs[0].Counted = true
	h := HTML(runs, Page{Jobs: 2, Elapsed: 19*time.Minute + 50*time.Second})
	for _, row := range []string{"<tr><td>2_1_network_modified</td><td>28s</td><td>41.2 GFLOP</td><td>0 GFLOP</td><td>1.5 GFLOP/s</td></tr>",
		"<tr><td>sum</td><td>20m16s</td><td>17,553 GFLOP</td><td>7,100 GFLOP</td><td></td></tr>",
		"<tr><th>elapsed (the whole run)</th><th>19m50s</th><th></th><th></th><th>20.7 GFLOP/s</th></tr>"} {
		if !strings.Contains(h, row) {
			t.Errorf("HTML lacks %s", row)
		}
	}
	if strings.Contains(h, "2_5_overfiting</td><td>") {
		t.Error("HTML has a wall-time row for a notebook without a wall time")
	}
	// Markdown renders a table only when its delimiter row has a cell per
	// header cell.
	md := Markdown(runs, Page{Jobs: 2, Elapsed: 19*time.Minute + 50*time.Second})
	_, table, _ := strings.Cut(md, "| notebook | wall time |")
	lines := strings.SplitN("| notebook | wall time |"+table, "\n", 4)
	for _, l := range lines[1:3] {
		if strings.Count(l, "|") != strings.Count(lines[0], "|") {
			t.Errorf("the Markdown wall-time table's rows do not match its header:\n%s\n%s", lines[0], l)
		}
	}
}

func TestGFLOP(t *testing.T) {
	for _, c := range []struct {
		flops float64
		want  string
	}{{0, "0 GFLOP"}, {41_234_000, "0.0412 GFLOP"}, {999_400_000_000, "999 GFLOP"}, {999_600_000_000, "1,000 GFLOP"}, {1_000_000_000_000, "1,000 GFLOP"},
		{1_234_567_800_000_000, "1,234,568 GFLOP"}} {
		if got := gflop(c.flops); got != c.want {
			t.Errorf("gflop(%g) = %q, want %q", c.flops, got, c.want)
		}
	}
}

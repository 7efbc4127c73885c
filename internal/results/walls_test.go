package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
// wall time and no row); the HTML page has the same rows.
func TestWallTable(t *testing.T) {
	runs := []Run{{Notebook: "2_1_network_modified", Wall: 28 * time.Second},
		{Notebook: "2_5_overfiting"},
		{Notebook: "2_8_deep_convolution_net", Wall: 19*time.Minute + 48*time.Second}}
	got := WallTable(runs, Page{Jobs: 2, Elapsed: 19*time.Minute + 50*time.Second})
	want := "Wall time per notebook. 2 notebooks at a time, sharing the cores: each wall time includes the time the others took from it, so the sum is more than the run's elapsed time.\n" +
		"  2_1_network_modified            28s\n" +
		"  2_8_deep_convolution_net     19m48s\n" +
		"  sum                          20m16s\n" +
		"  elapsed (the whole run)      19m50s\n"
	if got != want {
		t.Errorf("two at a time:\n%s\nwant\n%s", got, want)
	}
	got = WallTable(runs[:1], Page{Jobs: 1})
	want = "Wall time per notebook. One notebook at a time.\n" +
		"  2_1_network_modified        28s\n" +
		"  total                       28s\n"
	if got != want {
		t.Errorf("one at a time:\n%s\nwant\n%s", got, want)
	}
	if got := WallTable(runs[1:2], Page{Jobs: 2}); got != "" {
		t.Errorf("no wall times: %q", got)
	}
	h := HTML(runs, Page{Jobs: 2, Elapsed: 19*time.Minute + 50*time.Second})
	for _, row := range []string{"<tr><td>2_1_network_modified</td><td>28s</td></tr>", "<tr><td>sum</td><td>20m16s</td></tr>",
		"<tr><th>elapsed (the whole run)</th><th>19m50s</th></tr>"} {
		if !strings.Contains(h, row) {
			t.Errorf("HTML lacks %s", row)
		}
	}
	if strings.Contains(h, "2_5_overfiting</td><td>") {
		t.Error("HTML has a wall-time row for a notebook without a wall time")
	}
}

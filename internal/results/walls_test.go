package results

import (
	"os"
	"path/filepath"
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

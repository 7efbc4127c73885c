package results

import (
	"github.com/dlnb/course/dlnb/lesson"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dlnb/course/internal/nbrun"
)

// TestEveryMarkerIsListed keeps the published table and the notebooks'
// "// result:" markers in step.
func TestEveryMarkerIsListed(t *testing.T) {
	srcs, _ := filepath.Glob("../../notebooks/*.ipynb")
	seen := map[string]bool{}
	for _, p := range srcs {
		nb, err := nbrun.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".ipynb")
		for _, m := range Markers(nb) {
			if _, ok := lesson.Published[name][m]; !ok {
				t.Errorf("%s: result %q has no entry in Published", name, m)
			}
			seen[name+"/"+m] = true
		}
	}
	for nbName, m := range lesson.Published {
		for k := range m {
			if !seen[nbName+"/"+k] {
				t.Errorf("Published lists %s / %q, which no notebook marks", nbName, k)
			}
		}
	}
}

func TestExtractAndStatus(t *testing.T) {
	src := "#### code\n%%\n// result: SimpleConvNet\nrun()\n"
	b, _ := nbrun.FromSource(src)
	dir := t.TempDir()
	p := filepath.Join(dir, "2_6_simple_convolution_network.ipynb")
	// Add outputs as an executed notebook would have them.
	out := strings.Replace(string(b), `"outputs": []`, `"outputs": [{"output_type": "stream", "name": "stdout", "text": ["Generation: 990. 正答率(トレーニング) = 0.99\n", "                : 990. 正答率(テスト) = 0.95\n", "Generation: 1000. 正答率(トレーニング) = 0.9952\n", "                : 1000. 正答率(テスト) = 0.961\n"]}]`, 1)
	os.WriteFile(p, []byte(out), 0o644)
	runs, err := Collect(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := runs[0].Results[0]
	if r.Iter != 1000 || r.TrainAcc != 0.9952 || r.TestAcc != 0.961 || r.Status() != "in range" {
		t.Fatalf("%+v status %s", r, r.Status())
	}
	r.TestAcc = 0.95
	if r.Status() != "near" {
		t.Fatalf("0.95 vs 0.954–0.963: %s", r.Status())
	}
	r.TestAcc = 0.9
	if r.Status() != "outside" {
		t.Fatalf("0.9: %s", r.Status())
	}
}

// TestSlowestCells reads each executed cell's time from its execute_input and
// execute_reply timestamps and lists the slowest cells, longest first, by
// their result marker or first line of code, on both pages.
func TestSlowestCells(t *testing.T) {
	src := "#### markdown\n# title\n" +
		"#### code\nimport \"fmt\"\n" +
		"#### code\n%%\n// result: SimpleConvNet\nrun()\n" +
		"#### code\n%%\n\nfor _, s := range []string{\"a|b\", `c`} { fmt.Println(s) }\n" +
		"#### code\n%%\nfmt.Println(\"not run\")\n"
	b, _ := nbrun.FromSource(src)
	stamps := []string{
		`"execution": {"iopub.execute_input": "2026-12-01T09:20:33.000000Z", "shell.execute_reply": "2026-12-01T09:20:34.000000Z"}`,
		`"execution": {"iopub.execute_input": "2026-12-01T09:20:34.000000Z", "shell.execute_reply": "2026-12-01T09:21:16.000000Z"}`,
		`"execution": {"iopub.execute_input": "2026-12-01T09:21:16.000000Z", "shell.execute_reply": "2026-12-01T09:21:19.500000Z"}`,
	}
	out, n := string(b), 0
	for _, st := range stamps { // the first three code cells; the last one has no timestamps
		code := `"cell_type": "code",` + "\n" + `   "execution_count": null,` + "\n" + `   "metadata": {`
		if !strings.Contains(out, code+"}") {
			t.Fatalf("unexpected notebook layout:\n%s", out)
		}
		n++
		out = strings.Replace(out, code+"}", `"cell_type": "code",`+"\n"+`   "execution_count": `+strconv.Itoa(n)+",\n"+`   "metadata": {`+st+"}", 1)
	}
	dir := t.TempDir()
	// The marked cell's output, as in TestExtractAndStatus (the import cell's outputs come first).
	i := strings.Index(out, `"outputs": []`) + 1
	out = out[:i] + strings.Replace(out[i:], `"outputs": []`, `"outputs": [{"output_type": "stream", "name": "stdout", "text": ["Generation: 1000. 正答率(トレーニング) = 0.99\n", "                : 1000. 正答率(テスト) = 0.96\n"]}]`, 1)
	if err := os.WriteFile(filepath.Join(dir, "2_6_simple_convolution_network.ipynb"), []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	runs, err := Collect(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := Slowest(runs, 2)
	want := []CellTime{
		{"2_6_simple_convolution_network", 2, "result: SimpleConvNet", 42 * time.Second},
		{"2_6_simple_convolution_network", 3, "for _, s := range []string{\"a|b\", `c`} { fmt.Println(s) }", 3500 * time.Millisecond},
	}
	if len(runs[0].Cells) != 3 || !reflect.DeepEqual(got, want) {
		t.Fatalf("cells %+v, slowest two %+v, want %+v", runs[0].Cells, got, want)
	}
	md := Markdown(runs, Page{Mode: "default", Jobs: 2})
	for _, line := range []string{"## Slowest cells", "| 2_6_simple_convolution_network | In [2] | `result: SimpleConvNet` | 42s |",
		"| 2_6_simple_convolution_network | In [3] | `` for _, s := range []string{\"a\\|b\", `c`} { fmt.Println(s) } `` | 4s |"} {
		if !strings.Contains(md, line) {
			t.Errorf("Markdown lacks %q:\n%s", line, md)
		}
	}
	if h := HTML(runs, Page{Mode: "default", Jobs: 2}); !strings.Contains(h, "<td>In [2]</td><td><code>result: SimpleConvNet</code></td><td>42s</td>") {
		t.Errorf("HTML lacks the slowest cell:\n%s", h)
	}
}

package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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
			if _, ok := Published[name][m]; !ok {
				t.Errorf("%s: result %q has no entry in Published", name, m)
			}
			seen[name+"/"+m] = true
		}
	}
	for nbName, m := range Published {
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

package notebooks

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dlnb/course/internal/nbrun"
	"github.com/dlnb/course/internal/results"
)

var (
	executeOnce sync.Once
	executed    map[string]string // notebook name → executed path
	executeErr  map[string]error
	executedDir string // where executeAll wrote them
)

// TestMain removes the executed notebooks after the tests, unless
// DLNB_KEEP_TEST_NOTEBOOKS=1.
func TestMain(m *testing.M) {
	code := m.Run()
	if executedDir != "" && os.Getenv("DLNB_KEEP_TEST_NOTEBOOKS") != "1" {
		os.RemoveAll(executedDir)
	}
	os.Exit(code)
}

// requireKernel skips (or, with DLNB_REQUIRE_NOTEBOOKS=1, fails) when the
// notebook tools are not installed.
func requireKernel(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: notebooks are not executed")
	}
	if err := nbrun.CheckTools(); err != nil {
		if os.Getenv("DLNB_REQUIRE_NOTEBOOKS") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	if _, err := exec.LookPath("jupyter"); err != nil {
		t.Skip(err)
	}
}

// quickWalls are the notebooks' wall times in quick mode on 2 cores
// (2026-11-30), so that the longest start first.
var quickWalls = map[string]time.Duration{
	"2_5_overfiting": 210 * time.Second, "2_9_lenet_alexnet": 160 * time.Second, "2_4_optimizer": 122 * time.Second,
	"2_2_2_vanishing_gradient_modified": 106 * time.Second, "2_8_deep_convolution_net": 79 * time.Second,
	"2_2_1_vanishing_gradient": 64 * time.Second, "2_3_batch_normalization": 62 * time.Second,
	"2_7_double_comvolution_network": 61 * time.Second, "2_6_simple_convolution_network": 50 * time.Second,
	"0_chart_gallery": 29 * time.Second, "2_1_network_modified": 22 * time.Second, "0_setup_check": 10 * time.Second,
}

// executeAll runs every notebook once in quick mode (shared by the tests),
// two at a time: a notebook spends much of its time compiling cells and
// loading data on one core, which the other notebook's training fills.
func executeAll(t *testing.T) {
	executeOnce.Do(func() {
		executed, executeErr = map[string]string{}, map[string]error{}
		// A folder of its own, so that two clones or two users on one
		// machine can run the tests at once; TestMain removes it.
		out, err := os.MkdirTemp("", "dlnb-notebook-test-")
		if err != nil {
			t.Fatal(err)
		}
		executedDir = out
		t.Logf("executed notebooks in %s (DLNB_KEEP_TEST_NOTEBOOKS=1 keeps them)", out)
		nbs, _ := nbrun.List(".")
		start := time.Now()
		nbrun.ExecuteAll(context.Background(), nbs, out, nbrun.Options{Quick: true, CellTimeout: 20 * time.Minute,
			Env: []string{"DLNB_RUNS_DIR=" + filepath.Join(out, "runs")}},
			nbrun.Batch{Jobs: 2, Expected: quickWalls, Done: func(r nbrun.Result) {
				t.Logf("%s executed in %s", r.Src, r.Wall.Round(time.Second))
				executed[r.Src], executeErr[r.Src] = r.Executed, r.Err
			}})
		t.Logf("%d notebooks in %s", len(nbs), time.Since(start).Round(time.Second))
	})
}

func load(t *testing.T, name string) *nbrun.Notebook {
	t.Helper()
	executeAll(t)
	if err := executeErr[name]; err != nil {
		t.Fatal(err)
	}
	nb, err := nbrun.Read(executed[name])
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range nb.Cells {
		if errs := c.Errors(); len(errs) > 0 {
			t.Fatalf("%s cell %d: %v", name, i, errs)
		}
	}
	return nb
}

func TestSetupCheckNotebook(t *testing.T) {
	requireKernel(t)
	nb := load(t, "0_setup_check.ipynb")
	var out string
	pngs := 0
	for _, c := range nb.Cells {
		out += c.Stdout()
		pngs += c.PNGs()
	}
	for _, want := range []string{"データ読み込み完了", "x_train (60000, 784), d_train (60000, 10), x_test (10000, 784), d_test (10000, 10)", "BLAS: "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if pngs != 2 {
		t.Errorf("%d PNG charts displayed, want 2", pngs)
	}
}

var generation = regexp.MustCompile(`(?m)^Generation: (\d+)\. 正答率\(トレーニング\) = ([0-9.e-]+)\n {16}: (\d+)\. 正答率\(テスト\) = ([0-9.e-]+)$`)

// TestTrainingCellsPrintAndPlot checks every training cell of every notebook
// — an executable (%%) cell that calls lesson.PrintGeneration or feeds the
// results table — printed Generation line pairs and displayed a chart, and
// that the results table can be built from each executed notebook.
func TestTrainingCellsPrintAndPlot(t *testing.T) {
	requireKernel(t)
	nbs, _ := nbrun.List(".")
	for _, name := range nbs {
		nb := load(t, name)
		for i, c := range nb.Cells {
			src := string(c.Source)
			training := strings.Contains(src, "PrintGeneration(") || strings.Contains(src, "// result:")
			if c.Type != "code" || !strings.HasPrefix(strings.TrimSpace(src), "%%") || !training {
				continue
			}
			if n := len(generation.FindAllString(c.Stdout(), -1)); n == 0 {
				t.Errorf("%s cell %d: no Generation lines in its output:\n%s", name, i, c.Stdout())
			}
			if c.PNGs() == 0 {
				t.Errorf("%s cell %d: no chart displayed", name, i)
			}
		}
		res, err := results.Extract(strings.TrimSuffix(name, ".ipynb"), nb)
		if err != nil {
			t.Error(err)
		}
		if want := len(results.Markers(nb)); len(res) != want {
			t.Errorf("%s: %d results extracted for %d marked cells", name, len(res), want)
		}
	}
}

// TestNotebooksCarryNoOutputs keeps the committed notebooks free of outputs,
// execution counts and per-run metadata (go run ./dlnb/cmd/dlnb nbclean
// strips them; JupyterLab started with scripts/notebook.sh --edit does it on
// save).
func TestNotebooksCarryNoOutputs(t *testing.T) {
	nbs, _ := filepath.Glob("*.ipynb")
	if len(nbs) == 0 {
		t.Fatal("no notebooks")
	}
	if _, err := nbrun.CleanFiles(nbs, true); err != nil {
		t.Error(err)
	}
}

// TestWorkspaceCopiesCourseUpdates runs scripts/notebook.sh's start-up on a
// copy of the repository (with -- --version, so JupyterLab only prints its
// version): the first start copies the course notebook into workspace/; after
// the course notebook changes, the student's copy is kept and the new version
// is put beside it.
func TestWorkspaceCopiesCourseUpdates(t *testing.T) {
	if _, err := nbrun.Jupyter(); err != nil {
		t.Skip(err)
	}
	ws := workspace(t, "2_1_network_modified.ipynb")
	run := func() string {
		out, err := exec.Command(filepath.Join(ws, "scripts", "notebook.sh"), "--no-setup", "--", "--version").CombinedOutput()
		if err != nil {
			t.Fatalf("notebook.sh: %v\n%s", err, out)
		}
		return string(out)
	}
	out := run()
	copyPath := filepath.Join(ws, "workspace", "2_1_network_modified.ipynb")
	if !strings.Contains(out, "copied notebooks/2_1_network_modified.ipynb") {
		t.Fatalf("first start did not copy the notebook:\n%s", out)
	}
	os.WriteFile(copyPath, []byte(`{"student": "work"}`), 0o644)
	if out := run(); strings.Contains(out, "copied") || strings.Contains(out, "changed upstream") {
		t.Errorf("second start copied again:\n%s", out)
	}
	course := filepath.Join(ws, "notebooks", "2_1_network_modified.ipynb")
	b, _ := os.ReadFile(course)
	os.WriteFile(course, append(b, ' '), 0o644)
	if out := run(); !strings.Contains(out, "changed upstream") {
		t.Errorf("a changed course notebook was not announced:\n%s", out)
	}
	if b, _ := os.ReadFile(copyPath); string(b) != `{"student": "work"}` {
		t.Errorf("the student's copy was overwritten")
	}
	if _, err := os.Stat(filepath.Join(ws, "workspace", "2_1_network_modified.new.ipynb")); err != nil {
		t.Errorf("the new course version is not beside the student's copy: %v", err)
	}
}

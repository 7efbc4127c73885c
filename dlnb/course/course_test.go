package course

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlnb/course/internal/pyref"
)

func TestPyFloatKnown(t *testing.T) {
	for v, want := range map[float64]string{
		1: "1.0", 0.9: "0.9", 0.31333333333333335: "0.31333333333333335", 0.1135: "0.1135",
		0: "0.0", -2: "-2.0", 1e-5: "1e-05", 1e16: "1e+16", 1.5e-7: "1.5e-07", 123456789: "123456789.0",
		math.NaN(): "nan", math.Inf(1): "inf",
	} {
		if got := PyFloat(v); got != want {
			t.Errorf("PyFloat(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestPyFloatMatchesPython formats many values in Go and in Python.
func TestPyFloatMatchesPython(t *testing.T) {
	py := pyref.Python(t, "json")
	var vals []float64
	for i := range 300 {
		vals = append(vals, float64(i)/300, float64(i)/100, math.Pow(10, float64(i%40-20))*1.2345, float64(i)*1e14)
	}
	in, _ := json.Marshal(vals)
	out := pyref.Run(t, py, ".", "import json,sys\nfor v in json.loads('"+string(in)+"'): print(str(float(v)))")
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i, v := range vals {
		if got := PyFloat(v); got != lines[i] {
			t.Errorf("PyFloat(%v) = %q, Python %q", v, got, lines[i])
		}
	}
}

func TestGenerationLines(t *testing.T) {
	got := GenerationLines(10, 0.26, 0.1923)
	want := "Generation: 10. 正答率(トレーニング) = 0.26\n                : 10. 正答率(テスト) = 0.1923\n"
	if got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

func TestQuick(t *testing.T) {
	t.Setenv(QuickEnv, "1")
	if Iters(1000, 50) != 50 {
		t.Fatal("quick mode ignored")
	}
	t.Setenv(QuickEnv, "")
	if Iters(1000, 50) != 1000 {
		t.Fatal("full mode expected")
	}
}

func TestFull(t *testing.T) {
	t.Setenv(QuickEnv, "")
	t.Setenv(FullEnv, "yes")
	if !Full() {
		t.Fatal("DLNB_FULL=yes ignored")
	}
	t.Setenv(QuickEnv, "1")
	if Full() {
		t.Fatal("quick mode must win over DLNB_FULL")
	}
	t.Setenv(QuickEnv, "")
	t.Setenv(FullEnv, "0")
	if Full() {
		t.Fatal("DLNB_FULL=0 taken as on")
	}
}

func TestRunsDir(t *testing.T) {
	repo := t.TempDir()
	os.WriteFile(filepath.Join(repo, "go.mod"), []byte("module x\n"), 0o644)
	os.Mkdir(filepath.Join(repo, "notebooks"), 0o755)
	t.Setenv("DLNB_RUNS_DIR", "")
	t.Setenv("GONB_DIR", filepath.Join(repo, "notebooks"))
	if got, want := RunsDir(), filepath.Join(repo, "runs"); got != want {
		t.Errorf("notebook in a repository: %q, want %q", got, want)
	}
	t.Setenv("GONB_DIR", repo)
	if got, want := RunsDir(), filepath.Join(repo, "runs"); got != want {
		t.Errorf("notebook outside a repository's notebooks/: %q, want %q", got, want)
	}
	t.Setenv("GONB_DIR", "")
	if RunsDir() != "runs" {
		t.Errorf("outside a notebook: %q", RunsDir())
	}
	t.Setenv("DLNB_RUNS_DIR", "/data/runs")
	if RunsDir() != "/data/runs" {
		t.Errorf("DLNB_RUNS_DIR ignored: %q", RunsDir())
	}
}

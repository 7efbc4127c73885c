package lesson

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
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

// TestAccuracy: accuracies print with 4 significant digits (157/300 printed
// as 0.5233333333333333), and one below 1 never as 1.0.
func TestAccuracy(t *testing.T) {
	for v, want := range map[float64]string{
		157.0 / 300: "0.5233", 0.31: "0.31", 1: "1.0", 0: "0.0", 59999.0 / 60000: "0.9999", 2.0 / 3: "0.6667", 0.0001234: "0.0001234",
	} {
		if got := Accuracy(v); got != want {
			t.Errorf("Accuracy(%v) = %q, want %q", v, got, want)
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
		t.Fatal("the course's iterations expected without DLNB_QUICK")
	}
	t.Setenv(QuickEnv, "TRUE")
	if Iters(1000, 50) != 50 {
		t.Fatal("DLNB_QUICK=TRUE ignored")
	}
}

// TestEnvBoolStrict: yes/no variables accept the usual spellings in any case
// and refuse everything else with a message naming the variable, its value
// and the accepted values (DLNB_QUICK=abc used to mean "off" silently).
func TestEnvBoolStrict(t *testing.T) {
	for v, want := range map[string]bool{"1": true, "true": true, "Yes": true, "ON": true, "0": false,
		"false": false, "No": false, "off": false, "": false} {
		t.Setenv("DLNB_TEST_BOOL", v)
		got, err := EnvBool("DLNB_TEST_BOOL")
		if err != nil || got != want {
			t.Errorf("DLNB_TEST_BOOL=%q: %v, %v; want %v", v, got, err, want)
		}
	}
	for _, v := range []string{"abc", "2", "y", "enable"} {
		t.Setenv("DLNB_TEST_BOOL", v)
		_, err := EnvBool("DLNB_TEST_BOOL")
		var ee *EnvError
		if !errors.As(err, &ee) {
			t.Fatalf("DLNB_TEST_BOOL=%q: error %v, want an *EnvError", v, err)
		}
		for _, want := range []string{"DLNB_TEST_BOOL", strconv.Quote(v), "true/false", "unset DLNB_TEST_BOOL"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message %q lacks %q", err, want)
			}
		}
	}
}

// TestQuickPanicsOnInvalidValue: Quick and Full, which notebook cells call
// without an error return, stop with the readable *EnvError instead of
// running in the wrong mode.
func TestQuickPanicsOnInvalidValue(t *testing.T) {
	for _, c := range []struct {
		quick, full string
		call        func() bool
	}{{"abc", "", Quick}, {"abc", "", Full}, {"", "maybe", Full}} {
		t.Setenv(QuickEnv, c.quick)
		t.Setenv(FullEnv, c.full)
		func() {
			defer func() {
				r := recover()
				var ee *EnvError
				if err, ok := r.(error); !ok || !errors.As(err, &ee) {
					t.Errorf("DLNB_QUICK=%q DLNB_FULL=%q: recovered %v, want a panic carrying an *EnvError", c.quick, c.full, r)
					return
				}
				if !strings.Contains(ee.Error(), "is not a yes/no value") {
					t.Errorf("message %q", ee)
				}
			}()
			c.call()
		}()
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

// fakeRepo makes a checkout of this module (go.mod with its module line)
// with a notebooks/ folder, and a folder outside any checkout.
func fakeRepo(t *testing.T) (repo, outside string) {
	t.Helper()
	base := t.TempDir()
	repo, outside = filepath.Join(base, "repo"), filepath.Join(base, "elsewhere")
	for _, d := range []string{filepath.Join(repo, "notebooks"), filepath.Join(repo, "dlnb", "cmd"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(repo, "go.mod"), []byte("module github.com/dlnb/course\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return repo, outside
}

// TestRunsDir: the CLI and the notebooks find the same runs folder —
// $DLNB_RUNS_DIR, else the checkout's runs/ from any folder inside it (the
// CLI used to write ./runs of whatever folder it ran in), else the checkout
// that holds the notebook, else ./runs.
func TestRunsDir(t *testing.T) {
	repo, outside := fakeRepo(t)
	t.Setenv(RunsEnv, "")
	t.Setenv("GONB_DIR", "")
	runs := filepath.Join(repo, "runs")
	for _, wd := range []string{repo, filepath.Join(repo, "dlnb", "cmd"), filepath.Join(repo, "notebooks")} {
		t.Chdir(wd)
		if got := RunsDir(); got != runs {
			t.Errorf("working directory %s: %q, want %q", wd, got, runs)
		}
	}
	t.Chdir(outside) // GoNB runs cells in a temporary folder
	t.Setenv("GONB_DIR", filepath.Join(repo, "notebooks"))
	if got := RunsDir(); got != runs {
		t.Errorf("notebook in the repository: %q, want %q", got, runs)
	}
	other := t.TempDir()
	t.Setenv("GONB_DIR", other)
	if got, want := RunsDir(), filepath.Join(other, "runs"); got != want {
		t.Errorf("notebook outside the repository: %q, want %q", got, want)
	}
	t.Setenv("GONB_DIR", "")
	if got, want := RunsDir(), filepath.Join(outside, "runs"); got != want {
		t.Errorf("outside the repository and notebooks: %q, want %q", got, want)
	}
	t.Setenv(RunsEnv, "/data/runs")
	t.Chdir(repo)
	if got := RunsDir(); got != "/data/runs" {
		t.Errorf("DLNB_RUNS_DIR ignored: %q", got)
	}
	t.Setenv(RunsEnv, "rel")
	if got, want := RunsDir(), filepath.Join(repo, "rel"); got != want {
		t.Errorf("relative DLNB_RUNS_DIR: %q, want %q", got, want)
	}
}

// TestRepoRootNeedsThisModule: a go.mod of another module is not this
// repository.
func TestRepoRootNeedsThisModule(t *testing.T) {
	d := t.TempDir()
	os.WriteFile(filepath.Join(d, "go.mod"), []byte("module example.com/other\n"), 0o644)
	if got := RepoRoot(d); got != "" {
		t.Errorf("RepoRoot of another module: %q", got)
	}
	repo, _ := fakeRepo(t)
	if got := RepoRoot(filepath.Join(repo, "dlnb", "cmd")); got != repo {
		t.Errorf("RepoRoot from a subfolder: %q, want %q", got, repo)
	}
}

// TestVersusPublished: the sentence follows the numbers it is given, on
// every side of the range, and refuses to compare a run of another length.
func TestVersusPublished(t *testing.T) {
	const nb, cell = "2_1_network_modified", "two layer network" // published 0.9168–0.9218 at 1000
	for _, c := range []struct {
		iters int
		acc   float64
		want  string
	}{
		{1000, 0.9154, "**0.9154** で、講座の受講生の公開値 (1000 回目のテスト正答率 0.9168〜0.9218) より 0.0014 低い値です。"},
		{1000, 0.9168, "の範囲に入っています。"},
		{1000, 0.92, "**0.92** で、講座の受講生の公開値 (1000 回目のテスト正答率 0.9168〜0.9218) の範囲に入っています。"},
		{1000, 0.9218, "の範囲に入っています。"},
		{1000, 0.9301, "より 0.0083 高い値です。"},
		{100, 0.5, "100 回目のテスト正答率は 0.5 です。学習回数が違うので、講座の受講生の公開値 (1000 回目のテスト正答率 0.9168〜0.9218) とは比べられません。"},
	} {
		if got := VersusPublished(nb, cell, c.iters, c.acc); !strings.Contains(got, c.want) {
			t.Errorf("VersusPublished(%d, %v) = %q, want it to contain %q", c.iters, c.acc, got, c.want)
		}
	}
	if got := VersusPublished(nb, "no such cell", 1000, 0.9); !strings.Contains(got, "公開値はありません") {
		t.Errorf("a cell with no published range: %q", got)
	}
}

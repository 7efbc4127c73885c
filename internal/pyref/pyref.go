package pyref

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/dlnb/course/internal/nbrun"
)

// candidates lists the interpreters tried: $DLNB_PYTHON, then the project's
// .venv (scripts/setup.sh installs NumPy there from PyPI), then python3.
func candidates() []string {
	var c []string
	if p := os.Getenv("DLNB_PYTHON"); p != "" {
		c = append(c, p)
	}
	if v := nbrun.VenvBin(); v != "" {
		c = append(c, filepath.Join(v, "python"))
	}
	return append(c, "python3")
}

// Find returns the path of a Python interpreter that can import the given
// modules, or "" when there is none.
func Find(modules ...string) string {
	code := "import sys"
	for _, m := range modules {
		code += "; import " + m
	}
	for _, p := range candidates() {
		if exec.Command(p, "-c", code).Run() == nil {
			return p
		}
	}
	return ""
}

// Python returns an interpreter with the given modules (NumPy when none are
// named), skipping or failing the test as the package doc describes.
func Python(t testing.TB, modules ...string) string {
	t.Helper()
	if len(modules) == 0 {
		modules = []string{"numpy"}
	}
	if p := Find(modules...); p != "" {
		return p
	}
	if os.Getenv("DLNB_REQUIRE_PYTHON") == "1" {
		t.Fatalf("no python3 with %v found (DLNB_REQUIRE_PYTHON=1): run scripts/setup.sh", modules)
	}
	t.Skipf("no python3 with %v; run scripts/setup.sh (it installs NumPy into .venv) to run this check", modules)
	return ""
}

// Run executes code with the interpreter py in directory dir and returns its
// standard output, failing the test with stderr on error.
func Run(t testing.TB, py, dir, code string) []byte {
	t.Helper()
	cmd := exec.Command(py, "-c", code)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("python failed: %v\n%s", err, errb.String())
	}
	return out.Bytes()
}

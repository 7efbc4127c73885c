package nb

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOnlyTheNotebookFloorLinksGoNB: the library (tensor, np, layers, nets,
// optim, chart, …) reports mistakes by panicking with a *mistake.Error and
// links no GoNB package; only nb, its errbox and the programs built on them
// do. So a program that uses the library does not link the notebook's UI,
// and no library code can end the process on its own.
func TestOnlyTheNotebookFloorLinksGoNB(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "github.com/dlnb/course/dlnb/...", "github.com/dlnb/course/datasets/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var lib []string
	for _, p := range strings.Fields(string(out)) {
		if !allowedGoNB(p) {
			lib = append(lib, p)
		}
	}
	if len(lib) < 10 {
		t.Fatalf("go list found only %v", lib)
	}
	args := append([]string{"list", "-deps", "-f", "{{.ImportPath}}"}, lib...)
	out, err = exec.Command("go", args...).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.Contains(p, "janpfeifer/gonb") {
			t.Errorf("the library links %s (through one of %v): only dlnb/nb may", p, lib)
		}
	}
}

// allowedGoNB reports whether package p may link GoNB: the notebook floor
// and the commands built on it.
func allowedGoNB(p string) bool {
	const dlnb = "github.com/dlnb/course/dlnb/"
	return p == dlnb+"nb" || strings.HasPrefix(p, dlnb+"nb/") || strings.HasPrefix(p, dlnb+"cmd/")
}

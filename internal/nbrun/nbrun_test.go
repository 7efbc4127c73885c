package nbrun

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckToolsNamesTheMissingTool builds PATH directories holding some of
// the tools (empty executables) and checks the message for each one missing.
func TestCheckToolsNamesTheMissingTool(t *testing.T) {
	all := []string{"go", "gonb", "goimports", "jupyter"}
	for _, missing := range all {
		dir := t.TempDir()
		for _, tool := range all {
			if tool != missing {
				if err := os.WriteFile(filepath.Join(dir, tool), []byte("#!/bin/sh\n"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
		}
		// A non-executable file of that name does not count.
		os.WriteFile(filepath.Join(dir, missing), nil, 0o644)
		err := checkToolsIn(dir + string(os.PathListSeparator) + t.TempDir())
		if err == nil {
			t.Fatalf("%s missing: no error", missing)
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, missing+" is not installed or not on PATH") {
			t.Errorf("%s missing: %q", missing, msg)
		}
		if missing != "go" && !strings.Contains(msg, "scripts/setup.sh") {
			t.Errorf("%s missing: message does not say to run scripts/setup.sh: %q", missing, msg)
		}
	}
	dir := t.TempDir()
	for _, tool := range all {
		os.WriteFile(filepath.Join(dir, tool), []byte("#!/bin/sh\n"), 0o755)
	}
	if err := checkToolsIn(dir); err != nil {
		t.Errorf("all tools present: %v", err)
	}
}

// TestJupyterMissing runs Execute outside a checkout with a set-up .venv.
func TestJupyterMissing(t *testing.T) {
	t.Chdir(t.TempDir())
	_, err := Execute(t.Context(), "x.ipynb", t.TempDir(), Options{})
	if err == nil || !strings.Contains(err.Error(), "jupyter is not installed in .venv: run scripts/setup.sh") {
		t.Fatalf("got %v", err)
	}
}

func TestFromSource(t *testing.T) {
	if _, err := FromSource("just a comment\n"); err == nil || !strings.Contains(err.Error(), "no cells") {
		t.Errorf("source without cells: %v", err)
	}
	b, err := FromSource("comment\n#### markdown\n# Title\n#### code\n%%\nfmt.Println(1)\n\n\n")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.ipynb")
	os.WriteFile(path, b, 0o644)
	nb, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(nb.Cells) != 2 || nb.Cells[0].Type != "markdown" || string(nb.Cells[1].Source) != "%%\nfmt.Println(1)" {
		t.Errorf("cells: %+v", nb.Cells)
	}
}

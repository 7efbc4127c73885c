package backend

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestInternalLinking builds testdata/linkprobe with Go's internal linker, as
// scripts/setup.sh has the notebook kernel link every cell, and runs it. It
// fails if a C file gains thread-local (__thread) variables, which the
// internal linker cannot load (dlnb_thread.h), or if the per-thread state
// that replaces them gives wrong results on several threads.
func TestInternalLinking(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and links a program (a few seconds)")
	}
	if !Fast() {
		t.Skip("no C kernels in this build or on this CPU")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	exe := filepath.Join(t.TempDir(), "linkprobe")
	build := exec.Command(goBin, "build", "-ldflags=-w -linkmode=internal", "-o", exe, "./testdata/linkprobe")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -ldflags='-w -linkmode=internal' ./testdata/linkprobe: %v\n%s", err, out)
	}
	out, err := exec.Command(exe).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "ok ") {
		t.Fatalf("linkprobe built with the internal linker: %v\n%s", err, out)
	}
	t.Logf("%s", strings.TrimSpace(string(out)))
}

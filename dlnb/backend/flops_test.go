package backend

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestCountGemm(t *testing.T) {
	before := FLOPs()
	CountGemm[float64](3, 4, 5)
	CountGemm[float32](2, 2, 2)
	CountGemm[float64](0, 4, 5) // an empty product is no work
	CountGemm[float32](3, -1, 5)
	if got, want := FLOPs().Sub(before), (Work{Float32: 16, Float64: 120}); got != want {
		t.Errorf("two products and two empty ones added %+v, want %+v", got, want)
	}
	if got := (Work{Float32: 16, Float64: 120}).Total(); got != 136 {
		t.Errorf("Total = %d, want 136", got)
	}
}

// TestFLOPDirKeepsCountOfEndedProcess runs this test binary twice as a child
// that counts products and ends with os.Exit, running no deferred code (as a
// cell stopped by an error): the counts must still be in the folder.
func TestFLOPDirKeepsCountOfEndedProcess(t *testing.T) {
	if os.Getenv("DLNB_TEST_FLOP_CHILD") == "1" {
		CountGemm[float64](100, 200, 300)
		CountGemm[float32](7, 1, 1)
		os.Exit(3)
	}
	if runtime.GOOS == "windows" {
		t.Skip("DLNB_FLOP_DIR needs a Unix system")
	}
	dir := filepath.Join(t.TempDir(), "made-by-the-child")
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFLOPDirKeepsCountOfEndedProcess$")
		cmd.Env = append(os.Environ(), "DLNB_TEST_FLOP_CHILD=1", FLOPDirEnv+"="+dir)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 3 {
			t.Fatalf("child: %v, want exit status 3\n%s", err, out)
		}
	}
	total, files, err := ReadFLOPDir(dir)
	if want := (Work{Float32: 2 * 2 * 7, Float64: 2 * 2 * 100 * 200 * 300}); err != nil || total != want || files != 2 {
		t.Errorf("ReadFLOPDir = %+v in %d files, %v; want %+v in 2 files", total, files, err, want)
	}
}

func TestReadFLOPDir(t *testing.T) {
	if total, files, err := ReadFLOPDir(filepath.Join(t.TempDir(), "none")); total != (Work{}) || files != 0 || err != nil {
		t.Errorf("a missing folder: %d, %d, %v; want no counts and no error", total, files, err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("other files are not counts"), 0o644)
	os.WriteFile(filepath.Join(dir, "12.flops"), make([]byte, 8), 0o644) // the size of an older count file
	_, _, err := ReadFLOPDir(dir)
	if err == nil || !strings.Contains(err.Error(), "12.flops") || !strings.Contains(err.Error(), "remove the folder") {
		t.Errorf("an 8-byte count file: %v; want an error naming it and saying what to do", err)
	}
}

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dlnb/course/dlnb/npyio"
)

// buildCLI compiles the dlnb command once per test binary run.
func buildCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dlnb")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// trainArgs is a short SimpleConvNet run that checkpoints often.
func trainArgs(out string) []string {
	return []string{"train", "-net", "simpleconv", "-precision", "float64", "-train-samples", "1000",
		"-test-samples", "200", "-eval-train-samples", "200", "-iters", "300", "-eval-every", "100",
		"-checkpoint-every", "20", "-seed", "3", "-out", out}
}

func readModel(t *testing.T, path string) map[string]*npyio.Array {
	t.Helper()
	m, err := npyio.ReadNPZ(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestKilledRunResumes kills a training run with SIGKILL right after its
// first checkpoint, starts it again with the same flags, and checks that the
// final model is bit-for-bit the model of a run that was never interrupted.
// A second run is stopped with SIGINT (Ctrl-C) and must say how to resume.
func TestKilledRunResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("trains three short runs")
	}
	bin := buildCLI(t)
	dir := t.TempDir()

	whole := filepath.Join(dir, "whole")
	if out, err := exec.Command(bin, trainArgs(whole)...).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}

	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT} {
		out := filepath.Join(dir, "stopped-"+sig.String())
		cmd := exec.Command(bin, trainArgs(out)...)
		var log bytes.Buffer
		cmd.Stdout, cmd.Stderr = &log, &log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ckpt := filepath.Join(out, "checkpoint.npz")
		deadline := time.Now().Add(2 * time.Minute)
		for {
			if _, err := os.Stat(ckpt); err == nil {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("no checkpoint after 2 minutes:\n%s", log.String())
			}
			time.Sleep(2 * time.Millisecond)
		}
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		if _, statErr := os.Stat(filepath.Join(out, "model.npz")); statErr == nil {
			t.Fatalf("%v: the run finished before the signal arrived; make it longer:\n%s", sig, log.String())
		}
		if sig == syscall.SIGINT {
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
				t.Errorf("Ctrl-C: exit %v, want status 130", err)
			}
			if !strings.Contains(log.String(), "run the same command again to resume") {
				t.Errorf("Ctrl-C message does not say how to resume:\n%s", log.String())
			}
		}
		log.Reset()
		resumed := exec.Command(bin, trainArgs(out)...)
		b, err := resumed.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: resumed run: %v\n%s", sig, err, b)
		}
		if !strings.Contains(string(b), "resuming from iteration") {
			t.Errorf("%v: the second run did not resume:\n%s", sig, b)
		}
		want, got := readModel(t, filepath.Join(whole, "model.npz")), readModel(t, filepath.Join(out, "model.npz"))
		if len(got) != len(want) {
			t.Fatalf("%v: model has %d arrays, want %d", sig, len(got), len(want))
		}
		for k, w := range want {
			g := got[k]
			if g == nil || !equalArrays(g, w) {
				t.Errorf("%v: array %q differs from the uninterrupted run", sig, k)
			}
		}
	}
}

func equalArrays(a, b *npyio.Array) bool {
	if len(a.Shape) != len(b.Shape) {
		return false
	}
	for i := range a.Shape {
		if a.Shape[i] != b.Shape[i] {
			return false
		}
	}
	switch x := a.Data.(type) {
	case []float64:
		y, ok := b.Data.([]float64)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	case []byte:
		y, ok := b.Data.([]byte)
		return ok && bytes.Equal(x, y)
	}
	return false
}

// TestTrainErrors checks that bad flags give messages, not panics.
func TestTrainErrors(t *testing.T) {
	bin := buildCLI(t)
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "-net", "resnet", "-out", dir}, "unknown network"},
		{[]string{"train", "-optimizer", "adamw", "-out", dir}, "unknown optimizer"},
		{[]string{"train", "-lr", "-1", "-out", dir}, "learning rate"},
		{[]string{"train", "-dataset", "cifar", "-out", dir}, "unknown dataset"},
		{[]string{"train", "-batch", "0", "-out", dir}, "must be positive"},
		{[]string{"eval", "-model", filepath.Join(dir, "missing.npz")}, "missing.npz"},
	} {
		out, err := exec.Command(bin, c.args...).CombinedOutput()
		if err == nil {
			t.Errorf("%v: succeeded", c.args)
			continue
		}
		if !strings.Contains(string(out), c.want) || strings.Contains(string(out), "goroutine") {
			t.Errorf("%v: output %q, want a message containing %q", c.args, out, c.want)
		}
	}
}

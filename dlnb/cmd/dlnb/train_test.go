package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dlnb/course/dlnb/npyio"
)

var (
	cliOnce sync.Once
	cliBin  string
	cliErr  error
	cliDir  string // removed by TestMain
)

// TestMain removes the shared build of the command after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if cliDir != "" {
		os.RemoveAll(cliDir)
	}
	os.Exit(code)
}

// buildCLI compiles the dlnb command once per test binary run.
func buildCLI(t *testing.T) string {
	t.Helper()
	cliOnce.Do(func() {
		if cliDir, cliErr = os.MkdirTemp("", "dlnb-cli-"); cliErr != nil {
			return
		}
		cliBin = filepath.Join(cliDir, "dlnb")
		out, err := exec.Command("go", "build", "-o", cliBin, ".").CombinedOutput()
		if err != nil {
			cliErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return cliBin
}

// cliEnv is the environment of a test run of the command: runs go to a
// temporary DLNB_RUNS_DIR (never the repository's runs/), GoNB's and the
// mode variables are unset, and extra entries (NAME=value) come last.
func cliEnv(t *testing.T, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "DLNB_RUNS_DIR", "GONB_DIR", "DLNB_QUICK", "DLNB_FULL", "DLNB_BLAS", "PWD":
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "DLNB_RUNS_DIR="+filepath.Join(t.TempDir(), "runs"))
	return append(env, extra...)
}

// cli runs the command with args in dir (the test's folder when "") and
// the environment env (cliEnv when nil), returning its combined output.
func cli(t *testing.T, dir string, env []string, args ...string) (string, error) {
	t.Helper()
	return cliWithin(t, 10*time.Minute, dir, env, args...)
}

// cliWithin is cli that stops the command after limit: a refusal that
// regresses into a run must not hang the tests.
func cliWithin(t *testing.T, limit time.Duration, dir string, env []string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, buildCLI(t), args...)
	cmd.Dir = dir
	if env == nil {
		env = cliEnv(t)
	}
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Errorf("dlnb %s still ran after %v", strings.Join(args, " "), limit)
	}
	return string(out), err
}

// mustCLI is cli that fails the test when the command fails.
func mustCLI(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	out, err := cli(t, dir, env, args...)
	if err != nil {
		t.Fatalf("dlnb %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// wantError runs a command that must fail with a message containing every
// one of want, and no Go panic trace.
func wantError(t *testing.T, env []string, args []string, want ...string) string {
	t.Helper()
	return wantErrorWithin(t, 10*time.Minute, env, args, want...)
}

// wantErrorWithin is wantError for a command that must fail within limit.
func wantErrorWithin(t *testing.T, limit time.Duration, env []string, args []string, want ...string) string {
	t.Helper()
	out, err := cliWithin(t, limit, "", env, args...)
	if err == nil {
		t.Errorf("dlnb %s succeeded:\n%s", strings.Join(args, " "), out)
		return out
	}
	if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic:") {
		t.Errorf("dlnb %s panicked:\n%s", strings.Join(args, " "), out)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("dlnb %s: output lacks %q:\n%s", strings.Join(args, " "), w, out)
		}
	}
	return out
}

// tinyArgs is a SimpleConvNet run of a few seconds: 500 training and 100
// test images, float64, 5 iterations per epoch.
func tinyArgs(out string, extra ...string) []string {
	return append([]string{"train", "-net", "simpleconv", "-precision", "float64", "-train-samples", "500",
		"-test-samples", "100", "-eval-train-samples", "100", "-seed", "3", "-out", out}, extra...)
}

// field returns the word after label in out ("" when absent), without a
// trailing comma.
func field(out, label string) string {
	_, rest, ok := strings.Cut(out, label)
	if !ok {
		return ""
	}
	f := strings.Fields(rest)
	if len(f) == 0 {
		return ""
	}
	return strings.TrimRight(f[0], ",")
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
// A second run, started with -fresh, is stopped with SIGINT (Ctrl-C): the
// command it prints to resume must resume — it used to repeat -fresh, which
// deleted the checkpoint and started over.
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
		args := trainArgs(out)
		if sig == syscall.SIGINT {
			args = append(args, "-fresh")
		}
		log := stopAfterCheckpoint(t, bin, args, out, sig)
		again := args
		if sig == syscall.SIGINT {
			again = resumeHint(t, log)
			if strings.Contains(strings.Join(again, " "), "-fresh") {
				t.Errorf("the resume command repeats -fresh: %v", again)
			}
		}
		b, err := exec.Command(bin, again...).CombinedOutput()
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

// stopAfterCheckpoint starts a training run, sends it sig as soon as its
// first checkpoint exists, and returns its output.
func stopAfterCheckpoint(t *testing.T, bin string, args []string, out string, sig syscall.Signal) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
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
	}
	return log.String()
}

// resumeHint returns the arguments of the command an interrupted run
// prints after "To resume, run:".
func resumeHint(t *testing.T, log string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(log, "To resume, run:\n")
	if !ok {
		t.Fatalf("Ctrl-C message does not say how to resume:\n%s", log)
	}
	line, _, _ := strings.Cut(strings.TrimSpace(rest), "\n")
	f := strings.Fields(line)
	if len(f) < 2 || f[0] != "dlnb" {
		t.Fatalf("resume hint %q is not a dlnb command", line)
	}
	return f[1:]
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

package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/npyio"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/train"
)

// TestBadInputsAreRefusedUpFront holds the cases of issue 32 that must stop
// with a message in the CLI's words before anything is loaded or any run
// folder is made: -epochs whose iterations wrapped round (1844674407370955162
// trained 4 iterations and said "done"; 10^18 was refused late as "-8446…
// iterations" and advised a -fresh command), batches beyond the machine's
// memory (a fatal "out of memory" and a goroutine trace), a shuffled batch
// larger than the dataset (refused after loading, in the library's words,
// leaving a folder with only its lock), -lr-decay above 1 (accepted
// silently), a bench list with an unknown network (measured the first one
// before), run and data folders that cannot be used (raw mkdir/open errors
// not naming the variable or flag), and model files for another network or
// not of parameters at all (Go types and layer internals).
func TestBadInputsAreRefusedUpFront(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "run")
	file := filepath.Join(dir, "a-file")
	os.WriteFile(file, []byte("x"), 0o644)
	dangling := filepath.Join(dir, "dangling")
	os.Symlink(filepath.Join(dir, "nowhere"), dangling)
	mlp := func(extra ...string) []string {
		return append([]string{"train", "-net", "mlp", "-train-samples", "1000", "-test-samples", "100", "-out", out}, extra...)
	}
	deep, mixed := otherNetworksFiles(t, dir)
	for _, c := range []struct {
		env  []string
		args []string
		want []string
	}{
		{nil, mlp("-epochs", "1844674407370955162"), []string{"-epochs 1844674407370955162", "more iterations than a run can count", "-epochs 20"}},
		{nil, mlp("-epochs", "1000000000000000000"), []string{"-epochs 1000000000000000000", "more iterations than a run can count"}},
		{nil, mlp("-iters", "9223372036854775807"), []string{"-iters 9223372036854775807", "give fewer iterations"}},
		{nil, mlp("-train-samples", "0", "-batch", "100000000", "-shuffle=false"), []string{"-batch 100000000", "of memory", "free (", "use -batch"}},
		{nil, []string{"bench", "-net", "mlp", "-batch", "100000000", "-steps", "1", "-warmup", "0"}, []string{"-batch 100000000", "of memory", "use -batch"}},
		{nil, []string{"bench", "-net", "mlp", "-steps", "9223372036854775807"}, []string{"-steps 9223372036854775807", "fewer steps"}},
		{nil, mlp("-train-samples", "0", "-batch", "70000"), []string{"-batch 70000", "60000 training images", "-shuffle=false"}},
		{nil, mlp("-lr-decay", "1.5"), []string{"-lr-decay 1.5", "at most 1", "0.7"}},
		{nil, []string{"bench", "-net", "mlp,resnet", "-steps", "1", "-warmup", "0"}, []string{`unknown network "resnet"`, "comma-separated"}},
		{[]string{"DLNB_RUNS_DIR=" + file}, []string{"train", "-net", "mlp", "-iters", "1"}, []string{"DLNB_RUNS_DIR=" + file, "is a file, not a folder", "unset it"}},
		{[]string{"DLNB_RUNS_DIR=/proc/dlnb-runs"}, []string{"train", "-net", "mlp", "-iters", "1"}, []string{"DLNB_RUNS_DIR=/proc/dlnb-runs", "cannot be made", "a folder you can write"}},
		{nil, mlp("-iters", "1", "-out", dangling), []string{"-out " + dangling, "symbolic link to " + filepath.Join(dir, "nowhere"), "does not exist", "mkdir -p"}},
		{nil, mlp("-iters", "1", "-out", filepath.Join(file, "run")), []string{"-out " + filepath.Join(file, "run"), file + " is a file"}},
		{[]string{"DLNB_MNIST_DIR=" + filepath.Join(dir, "mnist")}, []string{"data", "-fashion=false"}, []string{"DLNB_MNIST_DIR=" + filepath.Join(dir, "mnist"), "no such folder", "unset DLNB_MNIST_DIR"}},
		{[]string{"DLNB_MNIST_DIR=" + file}, []string{"data", "-fashion=false"}, []string{"DLNB_MNIST_DIR=" + file + " is a file, not a folder"}},
		{nil, []string{"eval", "-model", pickleOfList(t, dir)}, []string{"the pickle holds a list", "not a dict of parameter arrays"}},
		{nil, []string{"eval", "-model", deep, "-net", "simpleconv"}, []string{"belong to another network than -net simpleconv", "fit deepconv", "-net deepconv"}},
		{nil, []string{"eval", "-model", mixed}, []string{"belong to another network than the one saved with them", "fit deepconv", "dlnb eval -model " + mixed + " -net deepconv"}},
	} {
		msg := wantErrorWithin(t, 20*time.Second, cliEnv(t, c.env...), c.args, c.want...)
		for _, bad := range []string{"fatal error", "run folder", "iterations (-", "Shuffle false", "interface {}", "Affine1", "img/s", "-fresh", "mkdir " + file} {
			if strings.Contains(msg, bad) {
				t.Errorf("%v %v: the message shows %q:\n%s", c.env, c.args, bad, msg)
			}
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v %v left a run folder behind", c.env, c.args)
			os.RemoveAll(out)
		}
	}
}

// otherNetworksFiles writes the parameters of a DeepConvNet as np.savez
// would (no architecture), and a model file whose saved architecture is
// SimpleConvNet's but whose parameters are DeepConvNet's.
func otherNetworksFiles(t *testing.T, dir string) (deep, mixed string) {
	state := func(name string) map[string]*npyio.Array {
		n, err := buildNet[float32](name, rng.New(0))
		if err != nil {
			t.Fatal(err)
		}
		st, err := n.State()
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	params := state("deepconv")
	delete(params, nets.SpecKey)
	deep = filepath.Join(dir, "deep-params.npz")
	if err := npyio.WriteNPZ(deep, params); err != nil {
		t.Fatal(err)
	}
	params[nets.SpecKey] = state("simpleconv")[nets.SpecKey]
	mixed = filepath.Join(dir, "mixed.npz")
	if err := npyio.WriteNPZ(mixed, params); err != nil {
		t.Fatal(err)
	}
	return deep, mixed
}

// pickleOfList writes pickle.dumps([1, 2, 3], protocol=2).
func pickleOfList(t *testing.T, dir string) string {
	p := filepath.Join(dir, "list.pkl")
	if err := os.WriteFile(p, []byte("\x80\x02]q\x00(K\x01K\x02K\x03e."), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestUnusableCacheIsReported: a DLNB_CACHE_DIR that is a file or cannot be
// made was ignored without a word, and dlnb data still printed "cached
// load"; now the load goes on uncached and a note says why.
func TestUnusableCacheIsReported(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, []byte("x"), 0o644)
	for _, c := range []struct{ dir, why string }{{file, "it is a file, not a folder"}, {"/proc/dlnb-cache", "mkdir /proc/dlnb-cache"}} {
		log := mustCLI(t, "", cliEnv(t, "DLNB_CACHE_DIR="+c.dir), "data", "-fashion=false")
		for _, want := range []string{"decoded cache cannot be used (DLNB_CACHE_DIR=" + c.dir, c.why, "every load decompresses"} {
			if !strings.Contains(log, want) {
				t.Errorf("DLNB_CACHE_DIR=%s: output lacks %q:\n%s", c.dir, want, log)
			}
		}
		if strings.Contains(log, " cached load") {
			t.Errorf("DLNB_CACHE_DIR=%s: dlnb data claims a cached load:\n%s", c.dir, log)
		}
	}
}

// TestEvalOutput: a result that cannot be written is an error (dlnb eval >
// /dev/full printed nothing and exited 0), and accuracies print with 4
// significant digits (0.5233333333333333 over 300 images before).
func TestEvalOutput(t *testing.T) {
	n, err := buildNet[float32]("mlp", rng.New(0))
	if err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(t.TempDir(), "model.npz")
	if err := n.SaveWithInfo(model, &nets.ModelInfo{Dataset: "mnist", Net: "mlp", Precision: "float32"}); err != nil {
		t.Fatal(err)
	}
	args := []string{"eval", "-model", model, "-test-samples", "999"}
	log := mustCLI(t, "", nil, args...)
	acc := field(log, "accuracy")
	if !regexp.MustCompile(`^0\.0*[1-9]\d{0,3}$`).MatchString(acc) {
		t.Errorf("accuracy over 999 images printed as %q, want 4 significant digits:\n%s", acc, log)
	}
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	cmd := exec.Command(buildCLI(t), args...)
	cmd.Env = cliEnv(t)
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = full, &stderr
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("eval > /dev/full: exit %v, want status 1", err)
	}
	for _, want := range []string{"dlnb eval: writing the standard output failed", "no space left on device", "incomplete"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("eval > /dev/full: stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}

// TestSignalsSaveACheckpoint: SIGHUP (the terminal was closed) ended a run
// at once, without a word, losing what it had trained since its last
// checkpoint; now it saves a checkpoint on the spot, like SIGTERM, says
// which signal stopped it and how to resume, and exits 128 + the signal.
// Checkpoints are otherwise never due in these runs.
func TestSignalsSaveACheckpoint(t *testing.T) {
	bin := buildCLI(t)
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM} {
		out := filepath.Join(t.TempDir(), "run")
		args := []string{"train", "-net", "mlp", "-train-samples", "500", "-test-samples", "100", "-eval-train-samples", "100",
			"-iters", "10000000", "-eval-every", "10000000", "-checkpoint-every", "10000000", "-out", out}
		logPath := filepath.Join(t.TempDir(), "log")
		log := runUntil(t, bin, args, logPath, "run folder", sig)
		want := map[syscall.Signal]string{syscall.SIGHUP: "stopped by SIGHUP (its terminal was closed) at iteration", syscall.SIGTERM: "stopped by SIGTERM at iteration"}[sig]
		for _, w := range []string{want, "checkpoint saved to " + filepath.Join(out, "checkpoint.npz"), "To resume, run:"} {
			if !strings.Contains(log, w) {
				t.Errorf("%v: output lacks %q:\n%s", sig, w, log)
			}
		}
		h, err := train.ReadHistory(filepath.Join(out, "checkpoint.npz"))
		if err != nil || len(h.Loss) == 0 {
			t.Errorf("%v: no checkpoint of the iterations done (%v)", sig, err)
		}
	}
}

// runUntil starts dlnb with args, its output going to logPath, sends it sig
// once the output holds ready, and returns the output; the exit status
// must be 128 + sig.
func runUntil(t *testing.T, bin string, args []string, logPath, ready string, sig syscall.Signal) string {
	t.Helper()
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(bin, args...)
	cmd.Env = cliEnv(t)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(5 * time.Millisecond) {
		if b, _ := os.ReadFile(logPath); strings.Contains(string(b), ready) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q within a minute", ready)
		}
	}
	time.Sleep(200 * time.Millisecond) // some iterations
	cmd.Process.Signal(sig)
	err = cmd.Wait()
	b, _ := os.ReadFile(logPath)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 128+int(sig) {
		t.Errorf("%v: exit %v, want status %d:\n%s", sig, err, 128+int(sig), b)
	}
	return string(b)
}

// TestFreshSaysWhatItSetsAside: a -fresh command run again (from the
// shell's history, say) dropped the saved run without a word. It still
// starts over, as asked and as dlnb's own advice says, but names the run it
// sets aside and keeps it, with the command that goes back to it.
func TestFreshSaysWhatItSetsAside(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	args := []string{"train", "-net", "mlp", "-train-samples", "500", "-test-samples", "100", "-eval-train-samples", "100", "-iters", "7", "-out", out}
	mustCLI(t, "", nil, args...)
	log := mustCLI(t, "", nil, cmdLine(args).with("iters", "3").withFresh()...)
	kept := filepath.Join(out, "checkpoint-before-fresh.npz")
	for _, want := range []string{"-fresh: starting over; the run saved at iteration 7", "in " + out, "set aside as checkpoint-before-fresh.npz",
		"mv " + kept + " " + filepath.Join(out, "checkpoint.npz") + " && dlnb train"} {
		if !strings.Contains(log, want) {
			t.Errorf("-fresh over a saved run: output lacks %q:\n%s", want, log)
		}
	}
	if h, err := train.ReadHistory(kept); err != nil || len(h.Loss) != 7 {
		t.Errorf("the run set aside is not the 7-iteration one: %v", err)
	}
	if log := mustCLI(t, "", nil, cmdLine(args).with("iters", "3").withFresh()...); !strings.Contains(log, "the run saved at iteration 3") {
		t.Errorf("a second -fresh does not name the run it sets aside:\n%s", log)
	}
}

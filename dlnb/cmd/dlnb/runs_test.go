package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/train"
)

// TestFinalAccuracyIsOfTheFinalModel: the accuracy printed at the end is the
// final model's, equal to what dlnb eval measures on the saved model — with
// fewer iterations than an epoch (it printed 0.0 and drew an empty chart)
// and with a remainder after the last epoch (it printed iteration 5's for
// -iters 7). -epochs 0 and -iters 0 train nothing: an error, not an
// untrained model.
func TestFinalAccuracyIsOfTheFinalModel(t *testing.T) {
	dir := t.TempDir()
	for _, iters := range []string{"3", "7"} { // 5 iterations per epoch
		out := filepath.Join(dir, "iters"+iters)
		log := mustCLI(t, "", nil, tinyArgs(out, "-iters", iters)...)
		if !strings.Contains(log, "(iteration "+iters+")") {
			t.Errorf("-iters %s: the final evaluation is not at iteration %s:\n%s", iters, iters, log)
		}
		final := field(log, "done: final train accuracy")
		test := field(log, ", test accuracy")
		if final == "" || test == "" || test == "0.0" {
			t.Errorf("-iters %s: final accuracies %q / %q:\n%s", iters, final, test, log)
		}
		ev := mustCLI(t, "", nil, "eval", "-model", filepath.Join(out, "model.npz"), "-precision", "float64", "-test-samples", "100")
		if got := field(ev, "accuracy"); got != test {
			t.Errorf("-iters %s: training reported test accuracy %s, dlnb eval measures %s on the same model:\n%s\n%s", iters, test, got, log, ev)
		}
		var h train.History
		b, _ := os.ReadFile(filepath.Join(out, "history.json"))
		if err := json.Unmarshal(b, &h); err != nil || h.Final().Iter != atoi(iters) {
			t.Errorf("-iters %s: history.json ends at iteration %d (%v)", iters, h.Final().Iter, err)
		}
	}
	wantError(t, nil, tinyArgs(filepath.Join(dir, "e0"), "-epochs", "0"), "nothing to train", "-epochs")
	wantError(t, nil, tinyArgs(filepath.Join(dir, "i0"), "-iters", "0"), "nothing to train", "-iters 0")
	if _, err := os.Stat(filepath.Join(dir, "e0", "model.npz")); err == nil {
		t.Error("-epochs 0 wrote a model")
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = 10*n + int(c-'0')
	}
	return n
}

// TestResumeChecksSettings: a run folder resumed with another seed, batch
// size, precision or sample count stops with a message naming the setting
// and both values, and the two commands that go on; the printed commands
// work. A damaged checkpoint's message gives the -fresh command.
func TestResumeChecksSettings(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	base := tinyArgs(out, "-iters", "6", "-batch", "50")
	mustCLI(t, "", nil, base...)
	for _, c := range []struct {
		flag, value, want string
	}{
		{"seed", "4", "-seed: 3 in the saved run, 4 now"},
		{"batch", "100", "-batch: 50 in the saved run, 100 now"},
		{"precision", "float32", "-precision: float64 in the saved run, float32 now"},
		{"train-samples", "400", "-train-samples: 500 in the saved run, 400 now"},
		{"dataset", "fashion", "-dataset: mnist in the saved run, fashion now"},
		{"optimizer", "sgd", "-optimizer: adam in the saved run, sgd now"},
		{"lr", "0.01", "-lr: 0.001 in the saved run, 0.01 now"},
	} {
		args := cmdLine(base).with(c.flag, c.value)
		msg := wantError(t, nil, args, c.want, "-fresh", "To resume the saved run instead")
		if strings.Contains(msg, "optim/") || strings.Contains(msg, "[]float") || strings.Contains(msg, "resuming from") {
			t.Errorf("-%s %s: message shows internals or resumed:\n%s", c.flag, c.value, msg)
		}
	}
	// The printed commands do what they say.
	msg, _ := cli(t, "", nil, cmdLine(base).with("seed", "4")...)
	resume := commandAfter(t, msg, "To resume the saved run instead, run:")
	if log := mustCLI(t, "", nil, resume...); !strings.Contains(log, "resuming from iteration 6") {
		t.Errorf("the printed resume command %v did not resume:\n%s", resume, log)
	}
	fresh := commandAfter(t, msg, "To start over with the new settings (the saved run is replaced), run:")
	log := mustCLI(t, "", nil, fresh...)
	if strings.Contains(log, "resuming") || !strings.Contains(log, "(iteration 6)") {
		t.Errorf("the printed -fresh command %v did not start over:\n%s", fresh, log)
	}
	// More iterations saved than asked for: not "0 iterations" and the old result.
	wantError(t, nil, cmdLine(fresh).without("fresh").with("iters", "4"), "has 6 iterations, more than the 4 asked for", "-iters 6", "-fresh")
	// A damaged checkpoint.
	ckpt := filepath.Join(out, "checkpoint.npz")
	b, _ := os.ReadFile(ckpt)
	os.WriteFile(ckpt, b[:len(b)/3], 0o644)
	wantError(t, nil, base, "checkpoint.npz is damaged", "-fresh")
}

// commandAfter returns the arguments of the dlnb command on the line after
// label in msg.
func commandAfter(t *testing.T, msg, label string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(msg, label+"\n")
	if !ok {
		t.Fatalf("no %q in:\n%s", label, msg)
	}
	line, _, _ := strings.Cut(strings.TrimSpace(rest), "\n")
	f := strings.Fields(line)
	if len(f) < 2 || f[0] != "dlnb" {
		t.Fatalf("%q is not a dlnb command", line)
	}
	return f[1:]
}

// TestRunsFolder: without -out, runs live where the notebooks keep them:
// $DLNB_RUNS_DIR, else the repository's runs/ from any folder inside the
// checkout — a run started in one subfolder resumes from another (the CLI
// used to write ./runs of the working directory). The folder is printed
// absolute.
func TestRunsFolder(t *testing.T) {
	base := t.TempDir()
	repo := filepath.Join(base, "repo")
	for _, d := range []string{filepath.Join(repo, "notebooks"), filepath.Join(repo, "dlnb")} {
		os.MkdirAll(d, 0o755)
	}
	os.WriteFile(filepath.Join(repo, "go.mod"), []byte("module github.com/dlnb/course\n\ngo 1.26\n"), 0o644)
	var env []string
	for _, kv := range cliEnv(t) {
		if !strings.HasPrefix(kv, "DLNB_RUNS_DIR=") {
			env = append(env, kv)
		}
	}
	args := []string{"train", "-precision", "float64", "-train-samples", "500", "-test-samples", "100", "-eval-train-samples", "100", "-iters", "2"}
	want := filepath.Join(repo, "runs", "simpleconv-mnist")
	log := mustCLI(t, filepath.Join(repo, "notebooks"), env, args...)
	if !strings.Contains(log, "run folder "+want) {
		t.Errorf("run from notebooks/: want the run folder %s:\n%s", want, log)
	}
	if _, err := os.Stat(filepath.Join(want, "model.npz")); err != nil {
		t.Errorf("no model in the repository's runs/: %v", err)
	}
	log = mustCLI(t, filepath.Join(repo, "dlnb"), env, cmdLine(args).with("iters", "4")...)
	if !strings.Contains(log, "resuming from iteration 2") {
		t.Errorf("run from dlnb/ did not resume the run started in notebooks/:\n%s", log)
	}
	elsewhere := filepath.Join(base, "elsewhere")
	log = mustCLI(t, base, append(env, "DLNB_RUNS_DIR="+elsewhere), args...)
	if _, err := os.Stat(filepath.Join(elsewhere, "simpleconv-mnist", "model.npz")); err != nil || !strings.Contains(log, "run folder "+filepath.Join(elsewhere, "simpleconv-mnist")) {
		t.Errorf("DLNB_RUNS_DIR ignored (%v):\n%s", err, log)
	}
}

// TestCommandLineHints: the commands printed in hints keep the flags as
// given, drop -fresh when resuming and replace a flag's value in place.
func TestCommandLineHints(t *testing.T) {
	c := cmdLine{"train", "-seed=4", "-fresh", "--batch", "50", "-out", "my runs/a"}
	if got, want := c.without("fresh").String(), "dlnb train -seed=4 --batch 50 -out 'my runs/a'"; got != want {
		t.Errorf("without -fresh: %s, want %s", got, want)
	}
	if got, want := c.with("seed", "3").with("batch", "100").withFresh().String(), "dlnb train -seed=3 --batch 100 -out 'my runs/a' -fresh"; got != want {
		t.Errorf("with: %s, want %s", got, want)
	}
	if got := (cmdLine{"train", "-fresh=true", "-shuffle=false", "-lr", "0.1"}).without("fresh").with("shuffle", "true").with("iters", "6").String(); got != "dlnb train -shuffle=true -lr 0.1 -iters 6" {
		t.Errorf("bool flags: %s", got)
	}
}

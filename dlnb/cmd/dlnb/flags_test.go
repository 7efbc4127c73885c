package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNumbersAndVariablesAreChecked: negative sample counts (silently "all"
// before), bench -steps 0 or less (img/s=0 or negative) and unknown
// DLNB_QUICK/DLNB_FULL values (silently default mode) are errors naming the
// flag or variable and the valid values.
func TestNumbersAndVariablesAreChecked(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	for _, c := range []struct {
		env  []string
		args []string
		want []string
	}{
		{nil, tinyArgs(out, "-train-samples", "-5"), []string{"-train-samples -5", "0 or more"}},
		{nil, tinyArgs(out, "-test-samples", "-1"), []string{"-test-samples -1", "0 or more"}},
		{nil, tinyArgs(out, "-eval-train-samples", "-1"), []string{"-eval-train-samples -1"}},
		{nil, tinyArgs(out, "-train-samples", "70000", "-iters", "1"), []string{"-train-samples 70000", "only 60000"}},
		{nil, tinyArgs(out, "-train-samples", "50", "-batch", "100"), []string{"-batch 100 with -train-samples 50", "-shuffle=false"}},
		{nil, []string{"eval", "-model", "x.npz", "-test-samples", "-1"}, []string{"-test-samples -1"}},
		{nil, []string{"bench", "-steps", "0"}, []string{"-steps 0", "at least 1"}},
		{nil, []string{"bench", "-steps", "-3"}, []string{"-steps -3", "at least 1"}},
		{nil, []string{"bench", "-warmup", "-1"}, []string{"-warmup -1"}},
		{[]string{"DLNB_QUICK=abc"}, []string{"notebooks", "-dir", t.TempDir()}, []string{`DLNB_QUICK="abc"`, "true/false"}},
		{[]string{"DLNB_FULL=sure"}, []string{"notebooks", "-dir", t.TempDir()}, []string{`DLNB_FULL="sure"`}},
		{nil, []string{"notebooks", "-jobs", "0", "-dir", t.TempDir()}, []string{"-jobs 0", "1 or more"}},
	} {
		msg := wantError(t, cliEnv(t, c.env...), c.args, c.want...)
		if strings.Contains(msg, "default mode") || strings.Contains(msg, "img/s") {
			t.Errorf("%v %v ran anyway:\n%s", c.env, c.args, msg)
		}
	}
}

// TestLeftoverArgumentsAreRefused: the flag package stops at the first
// argument that is not a flag, so "-shuffle false -net mlp" set -shuffle to
// true and never read -net, and anything after a stray word was dropped;
// each command ran anyway with other settings than those typed. Now each
// refuses, names the argument and says how to write it.
func TestLeftoverArgumentsAreRefused(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"train", "-shuffle", "false", "-net", "mlp", "-iters", "1", "-out", out}, []string{"-shuffle false", "write -shuffle=false"}},
		{tinyArgs(out, "-iters", "1", "extra", "-lr", "0.1"), []string{`unexpected argument "extra"`, "dlnb train -h"}},
		{[]string{"eval", "runs/x/model.npz"}, []string{"dlnb eval -model runs/x/model.npz"}},
		{[]string{"eval", "-model", "x.npz", "fashion"}, []string{`unexpected argument "fashion"`}},
		{[]string{"bench", "-infer", "true", "-net", "mlp", "-steps", "1"}, []string{"write -infer=true"}},
		{[]string{"data", "-fashion", "false"}, []string{"write -fashion=false"}},
		{[]string{"notebooks", "-dir", t.TempDir(), "2_8", "-quick"}, []string{"-quick comes after the notebook name 2_8", "put every flag before the names"}},
	} {
		msg := wantError(t, nil, c.args, c.want...)
		for _, ran := range []string{"run folder", "img/s", "mode\n", "MNIST"} {
			if strings.Contains(msg, ran) {
				t.Errorf("%v ran anyway (%q):\n%s", c.args, ran, msg)
			}
		}
	}
}

// TestNotebookModeIsReportedTruthfully: DLNB_QUICK=true runs quick mode and
// says so (it ran quick mode while printing "(full mode)" and titling
// results.md "full mode"), and the course's iterations are "default mode",
// as the README calls them, not "full mode", which read like -full's
// hours-long all-data runs.
func TestNotebookModeIsReportedTruthfully(t *testing.T) {
	for _, c := range []struct {
		env  string
		want string
	}{{"DLNB_QUICK=true", "quick mode (DLNB_QUICK=true)"}, {"DLNB_QUICK=Yes", "quick mode"},
		{"DLNB_FULL=on", "default + all-data runs mode (DLNB_FULL=on)"}, {"DLNB_QUICK=0", "default mode"}} {
		out, _ := cli(t, "", cliEnv(t, c.env), "notebooks", "-dir", t.TempDir())
		if !strings.Contains(out, c.want) {
			t.Errorf("%s: output lacks %q:\n%s", c.env, c.want, out)
		}
	}
	t.Setenv("DLNB_QUICK", "on")
	t.Setenv("DLNB_FULL", "1")
	m, err := notebookMode(false, false)
	if err != nil || m.name != "quick" || !m.quick || strings.Join(m.env, " ") != "DLNB_QUICK=1 DLNB_FULL=0" {
		t.Errorf("DLNB_QUICK=on DLNB_FULL=1: %+v, %v; want quick mode passed on to the notebooks", m, err)
	}
}

// TestBLASChoiceIsCheckedEverywhere: an unknown DLNB_BLAS stops every
// command with the same message (eval ignored it while train and bench
// refused it).
func TestBLASChoiceIsCheckedEverywhere(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	for _, args := range [][]string{
		tinyArgs(out, "-iters", "1"),
		{"eval", "-model", filepath.Join(out, "model.npz")},
		{"bench", "-steps", "1"},
		{"data", "-dir"},
	} {
		wantError(t, cliEnv(t, "DLNB_BLAS=mkl"), args, `DLNB_BLAS="mkl"`, "unset DLNB_BLAS")
	}
}

// TestHelpIsAnAnswer: "dlnb help" (and -h) lists the commands on standard
// output and exits 0; no command at all is an error (status 2, usage on
// standard error).
func TestHelpIsAnAnswer(t *testing.T) {
	bin := buildCLI(t)
	for _, arg := range []string{"help", "-h", "--help"} {
		cmd := exec.Command(bin, arg)
		cmd.Env = cliEnv(t)
		out, err := cmd.Output()
		if err != nil {
			t.Errorf("dlnb %s: %v", arg, err)
		}
		if !strings.Contains(string(out), "commands:") || !strings.Contains(string(out), "train") {
			t.Errorf("dlnb %s printed %q on standard output", arg, out)
		}
	}
	cmd := exec.Command(bin)
	cmd.Env = cliEnv(t)
	var ee *exec.ExitError
	if err := cmd.Run(); !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Errorf("dlnb with no command: %v, want exit status 2", err)
	}
}

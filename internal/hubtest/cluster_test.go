package hubtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestClusterRecipe checks the cluster recipe (scripts/hub/cluster) as far
// as a machine without Kubernetes or a container engine can: it makes a
// throw-away environment with JupyterHub 6.1.1 and KubeSpawner 7.1.0
// (pinned in scripts/hub/cluster/requirements.txt, from PyPI) and runs
// check.py, which loads values.yaml's single-user settings into a
// KubeSpawner and checks its traits, the pod and volume claim it would
// create, and the Dockerfile's paths. The chart, the image build and a
// cluster are not run.
func TestClusterRecipe(t *testing.T) {
	Asked(t) // no root needed, but PyPI: with the other hub tests
	start := time.Now()
	root := Root()
	venv := filepath.Join(t.TempDir(), "venv")
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		py = "python3"
	}
	for _, args := range [][]string{
		{py, "-m", "venv", venv},
		{filepath.Join(venv, "bin", "python"), "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-q",
			"-r", filepath.Join(root, "scripts", "hub", "cluster", "requirements.txt")},
	} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, tail(string(out), 20))
		}
	}
	t.Logf("throw-away environment with KubeSpawner made in %s", time.Since(start).Round(time.Second))
	out, err := exec.Command(filepath.Join(venv, "bin", "python"), filepath.Join(root, "scripts", "hub", "cluster", "check.py")).CombinedOutput()
	t.Logf("scripts/hub/cluster/check.py:\n%s", out)
	if err != nil {
		t.Fatalf("the cluster recipe's check failed: %v", err)
	}
	if !strings.Contains(string(out), "all checks passed") {
		t.Fatal("check.py did not say that all checks passed")
	}
}

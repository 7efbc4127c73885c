// Package scripts holds the tests of the set-up scripts: what a new user's
// machine meets before any Go code of dlnb runs.
package scripts

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pythons are the Pythons the README promises: Debian 12's, Ubuntu 24.04's
// and Debian 13's.
var pythons = []string{"3.11.2", "3.12.3", "3.13.5"}

// requirePython skips (or, with DLNB_REQUIRE_PYTHON=1, fails) when the
// project's Python environment is missing.
func requirePython(t *testing.T) string {
	t.Helper()
	pip := filepath.Join("..", ".venv", "bin", "pip")
	if _, err := os.Stat(pip); err != nil {
		if os.Getenv("DLNB_REQUIRE_PYTHON") == "1" {
			t.Fatalf("no .venv: run scripts/setup.sh (%v)", err)
		}
		t.Skipf("no .venv: run scripts/setup.sh (%v)", err)
	}
	return pip
}

// pins reads a requirements file of scripts/ and the files it includes
// with -r: package name (lower case, '-' for '_') → version.
func pins(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if inc, ok := strings.CutPrefix(line, "-r "); ok {
			for name, v := range pins(t, filepath.Join(filepath.Dir(path), strings.TrimSpace(inc))) {
				m[name] = v
			}
			continue
		}
		name, version, ok := strings.Cut(line, "==")
		if !ok {
			t.Fatalf("%s: %q is not pinned with ==", path, line)
		}
		m[normalise(name)] = version
	}
	return m
}

func normalise(name string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "_", "-")
}

// TestPinsInstallOnEachPython asks pip, for each Python the README promises,
// what it would install from scripts/requirements.txt (and from
// scripts/nbgrader/requirements.txt, nbgrader on top of it): exactly the
// pinned versions, wheels only (a new machine need not compile anything),
// none of them yanked (soupsieve 3.0.1 resolves on Python 3.11.2 but is
// yanked because it breaks there), and nothing unpinned.
func TestPinsInstallOnEachPython(t *testing.T) {
	pip := requirePython(t)
	for _, file := range []string{"requirements.txt", "nbgrader/requirements.txt"} {
		want := pins(t, file)
		for _, v := range pythons {
			t.Run(file+"/"+v, func(t *testing.T) { pinsInstall(t, pip, file, v, want) })
		}
	}
}

// pinsInstall checks the pins of one requirements file on Python v.
func pinsInstall(t *testing.T, pip, file, v string, want map[string]string) {
	report := filepath.Join(t.TempDir(), "report.json")
	cmd := exec.Command(pip, "install", "--dry-run", "--ignore-installed", "--quiet",
		"--disable-pip-version-check", "--target", t.TempDir(), "--python-version", v,
		"--implementation", "cp", "--only-binary=:all:", "--report", report, "-r", file)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the pins do not install on Python %s (%v):\n%s", v, err, out)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Install []struct {
			IsYanked bool `json:"is_yanked"`
			Metadata struct{ Name, Version string }
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, p := range r.Install {
		name := normalise(p.Metadata.Name)
		got[name] = true
		switch pinned, ok := want[name]; {
		case !ok:
			t.Errorf("Python %s: pip adds %s %s, which %s does not pin", v, name, p.Metadata.Version, file)
		case pinned != p.Metadata.Version:
			t.Errorf("Python %s: pip takes %s %s, not the pinned %s", v, name, p.Metadata.Version, pinned)
		case p.IsYanked:
			t.Errorf("Python %s: %s %s is yanked on PyPI: pin another version", v, name, pinned)
		}
	}
	for name := range want {
		if !got[name] {
			t.Errorf("Python %s: %s is pinned but pip would not install it", v, name)
		}
	}
	t.Logf("Python %s: %d pinned packages of %s, all wheels", v, len(r.Install), file)
}

// oldPython returns a working Python older than 3.11 on this machine, or "".
func oldPython() string {
	var cands []string
	for _, pat := range []string{"3.[6-9]*", "3.10*"} {
		m, _ := filepath.Glob(filepath.Join(os.Getenv("HOME"), ".pyenv", "versions", pat, "bin", "python3"))
		cands = append(cands, m...)
	}
	for _, name := range []string{"python3.10", "python3.9"} {
		if p, err := exec.LookPath(name); err == nil {
			cands = append(cands, p)
		}
	}
	for _, p := range cands {
		out, err := exec.Command(p, "-c", "import sys; print(sys.version_info < (3, 11))").Output()
		if err == nil && strings.TrimSpace(string(out)) == "True" {
			return p
		}
	}
	return ""
}

// TestSetupRefusesOldPython runs scripts/setup.sh with a Python older than
// the pins need: it must stop before it installs anything, saying which
// version it needs and how to get it.
func TestSetupRefusesOldPython(t *testing.T) {
	py := oldPython()
	if py == "" {
		t.Skip("no Python older than 3.11 on this machine")
	}
	cmd := exec.Command("bash", "setup.sh")
	cmd.Env = append(os.Environ(), "DLNB_PYTHON="+py)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("setup.sh with %s succeeded:\n%s", py, out)
	}
	for _, want := range []string{"is too old", "needs Python 3.11 or newer", "apt-get install python3 python3-venv", "DLNB_PYTHON="} {
		if !strings.Contains(string(out), want) {
			t.Errorf("setup.sh with %s does not say %q:\n%s", py, want, out)
		}
	}
	if strings.Contains(string(out), "installing") {
		t.Errorf("setup.sh with %s installed something before it refused:\n%s", py, out)
	}
}

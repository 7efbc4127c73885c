package lesson

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dlnb/course/dlnb/mistake"
)

// PyFloat formats v as Python's str(float) does: the shortest representation
// that reads back to the same value, always with a decimal point or exponent
// (1.0, 0.9, 0.31333333333333335, 1e-05, 1e+16, nan, inf).
func PyFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	abs := math.Abs(v)
	if abs != 0 && (abs < 1e-4 || abs >= 1e16) {
		// Python switches to exponent notation here: mantissa + "e-05" / "e+16".
		s := strconv.FormatFloat(v, 'e', -1, 64)
		mant, exp, _ := strings.Cut(s, "e")
		sign := exp[0]
		digits := strings.TrimLeft(exp[1:], "0")
		if len(digits) < 2 {
			digits = strings.Repeat("0", 2-len(digits)) + digits
		}
		return mant + "e" + string(sign) + digits
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// Accuracy formats an accuracy for a person to read: rounded to 4
// significant digits and written as PyFloat writes it (0.5233 for 157/300,
// not 0.5233333333333333; 0.31, 1.0, 0.0). A value below 1 never shows as
// 1.0: 59999/60000 is 0.9999.
func Accuracy(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return PyFloat(v)
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 4, 64), 64)
	if v < 1 && r >= 1 {
		r = 0.9999
	}
	return PyFloat(r)
}

// GenerationLines returns the two lines the course prints every plot_interval
// iterations:
//
//	Generation: 10. 正答率(トレーニング) = 0.26
//	                : 10. 正答率(テスト) = 0.1923
func GenerationLines(generation int, train, test float64) string {
	return fmt.Sprintf("Generation: %d. 正答率(トレーニング) = %s\n                : %d. 正答率(テスト) = %s\n",
		generation, PyFloat(train), generation, PyFloat(test))
}

// PrintGeneration writes GenerationLines to standard output.
func PrintGeneration(generation int, train, test float64) {
	fmt.Print(GenerationLines(generation, train, test))
}

// FprintGeneration writes GenerationLines to w.
func FprintGeneration(w io.Writer, generation int, train, test float64) {
	fmt.Fprint(w, GenerationLines(generation, train, test))
}

// DataLoaded is the line every course notebook prints after load_mnist.
const DataLoaded = "データ読み込み完了"

// QuickEnv is the environment variable that turns on quick mode.
const QuickEnv = "DLNB_QUICK"

// FullEnv is the environment variable that asks notebooks for their long,
// full-data runs (scripts/run.sh --full sets it).
const FullEnv = "DLNB_FULL"

// EnvError reports an environment variable whose value is not one of the
// accepted ones. Quick and Full panic with it (see dlnb/mistake: one
// readable line in a notebook cell, a panic elsewhere), since notebook cells
// cannot receive an error.
type EnvError struct {
	Var, Value string
}

// Error names the variable, its value and the values accepted.
func (e *EnvError) Error() string {
	return fmt.Sprintf("%s=%q is not a yes/no value (accepted: %s): set it to one of them, e.g. export %s=1, or unset %s",
		e.Var, e.Value, boolValues, e.Var, e.Var)
}

// boolValues are the accepted spellings of yes/no environment values.
const boolValues = "1/0, true/false, yes/no, on/off in any case, or empty"

// EnvBool parses the yes/no environment variable name strictly: 1, true, yes
// and on (any case) mean true; 0, false, no, off and the empty or unset
// variable mean false; anything else is an *EnvError.
func EnvBool(name string) (bool, error) {
	v := os.Getenv(name)
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true, nil
	case "", "0", "false", "no", "off":
		return false, nil
	}
	return false, &EnvError{Var: name, Value: v}
}

// QuickMode reports whether quick mode is on (DLNB_QUICK, parsed by
// EnvBool): notebooks then run a fraction of the course's iterations so that
// all of them execute in a few minutes, for CI.
func QuickMode() (bool, error) { return EnvBool(QuickEnv) }

// FullMode reports whether full-data runs are on (DLNB_FULL, parsed by
// EnvBool). Quick mode wins over it.
func FullMode() (bool, error) {
	q, err := QuickMode()
	if err != nil || q {
		return false, err
	}
	return EnvBool(FullEnv)
}

// Quick is QuickMode for notebook cells: an invalid DLNB_QUICK value stops
// with an *EnvError instead of being taken for "off".
func Quick() bool { return mustEnv(QuickMode()) }

// Full is FullMode for notebook cells: an invalid DLNB_QUICK or DLNB_FULL
// value stops with an *EnvError.
func Full() bool { return mustEnv(FullMode()) }

func mustEnv(on bool, err error) bool {
	mistake.Panic(err)
	return on
}

// Iters returns full, or quick when quick mode is on: the number of training
// iterations a notebook cell runs, e.g. itersNum := lesson.Iters(2000, 100).
func Iters(full, quick int) int {
	if Quick() {
		return quick
	}
	return full
}

// Module is the module path of this repository's go.mod.
const Module = "github.com/dlnb/course"

// RunsEnv is the environment variable naming the runs folder.
const RunsEnv = "DLNB_RUNS_DIR"

// RepoRoot returns the root of the checkout of this repository that holds
// dir (the nearest folder at or above dir whose go.mod declares module
// github.com/dlnb/course), or "" when dir is not inside one.
func RepoRoot(dir string) string {
	d, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		if isCourseModule(filepath.Join(d, "go.mod")) {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return ""
		}
		d = up
	}
}

// isCourseModule reports whether the go.mod at path declares this module.
func isCourseModule(path string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`) == Module
		}
	}
	return false
}

// RunsDir is where long runs keep their checkpoints and models, the same
// folder for dlnb train and for the notebooks:
//
//  1. $DLNB_RUNS_DIR when set;
//  2. else runs/ at the root of this repository when the working directory
//     is inside a checkout of it (the CLI run from any subfolder);
//  3. else runs/ at the root of the checkout that holds $GONB_DIR (GoNB sets
//     it to the notebook's folder, while cells run in a temporary folder);
//  4. else runs/ beside a notebook outside the repository ($GONB_DIR/runs);
//  5. else runs/ in the working directory.
//
// The result is absolute except in case 5 when the working directory is
// unknown.
func RunsDir() string {
	if d := os.Getenv(RunsEnv); d != "" {
		if abs, err := filepath.Abs(d); err == nil {
			return abs
		}
		return d
	}
	if wd, err := os.Getwd(); err == nil {
		if root := RepoRoot(wd); root != "" {
			return filepath.Join(root, "runs")
		}
	}
	if d := os.Getenv("GONB_DIR"); d != "" {
		if root := RepoRoot(d); root != "" {
			return filepath.Join(root, "runs")
		}
		if abs, err := filepath.Abs(filepath.Join(d, "runs")); err == nil {
			return abs
		}
	}
	if abs, err := filepath.Abs("runs"); err == nil {
		return abs
	}
	return "runs"
}

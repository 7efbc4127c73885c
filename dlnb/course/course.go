package course

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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

// Quick reports whether quick mode is on (DLNB_QUICK set to 1, true or yes):
// notebooks then run a fraction of the course's iterations so that all of
// them execute in a few minutes, for CI.
func Quick() bool {
	switch strings.ToLower(os.Getenv(QuickEnv)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// Iters returns full, or quick when quick mode is on: the number of training
// iterations a notebook cell runs, e.g. itersNum := course.Iters(2000, 100).
func Iters(full, quick int) int {
	if Quick() {
		return quick
	}
	return full
}

// FullEnv is the environment variable that asks notebooks for their long,
// full-data runs (scripts/run.sh --full sets it).
const FullEnv = "DLNB_FULL"

// Full reports whether full-data runs are on (DLNB_FULL set to 1, true or
// yes). Quick mode wins over it.
func Full() bool {
	if Quick() {
		return false
	}
	switch strings.ToLower(os.Getenv(FullEnv)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// RunsDir is where long runs keep their checkpoints and models:
// $DLNB_RUNS_DIR when set, else the repository's runs/ folder when called
// from a notebook in notebooks/ (GoNB sets GONB_DIR to the notebook's
// folder), else runs/ in the working directory.
func RunsDir() string {
	if d := os.Getenv("DLNB_RUNS_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("GONB_DIR"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "..", "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(filepath.Clean(d)), "runs")
		}
		return filepath.Join(d, "runs")
	}
	return "runs"
}

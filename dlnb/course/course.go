package course

import (
	"fmt"
	"io"
	"math"
	"os"
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

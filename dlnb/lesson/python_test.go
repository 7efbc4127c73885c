package lesson_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/lesson"
	"github.com/dlnb/course/internal/pyref"
)

// TestPyFloatMatchesPython formats many values in Go and in Python.
func TestPyFloatMatchesPython(t *testing.T) {
	py := pyref.Python(t, "json")
	var vals []float64
	for i := range 300 {
		vals = append(vals, float64(i)/300, float64(i)/100, math.Pow(10, float64(i%40-20))*1.2345, float64(i)*1e14)
	}
	in, _ := json.Marshal(vals)
	out := pyref.Run(t, py, ".", "import json,sys\nfor v in json.loads('"+string(in)+"'): print(str(float(v)))")
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i, v := range vals {
		if got := lesson.PyFloat(v); got != lines[i] {
			t.Errorf("PyFloat(%v) = %q, Python %q", v, got, lines[i])
		}
	}
}

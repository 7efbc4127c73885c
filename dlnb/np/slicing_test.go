package np

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
	"github.com/dlnb/course/internal/pyref"
)

// TestSlicingAgreesWithNumPy checks Get, Set and AddAt against NumPy's
// basic indexing, with the strided windows im2col and col2im use.
func TestSlicingAgreesWithNumPy(t *testing.T) {
	py := pyref.Python(t)
	r := rng.New(3)
	img := randArray(r, 2, 3, 7, 6)
	col := randArray(r, 2, 3, 2, 2, 3, 3)
	win := randArray(r, 2, 3, 3, 3)

	set := Copy(col)
	Set(set, win, All, All, 1, 0, All, All)
	setScalar := Copy(img)
	Set(setScalar, 5.0, 1, S(1, 3))
	add := Copy(img)
	AddAt(add, win, All, All, S(1, 7, 2), S(0, 100, 2)) // stop beyond the end is clipped
	addRow := Copy(img)
	AddAt(addRow, Values(1, 2, 3, 4, 5, 6), 0, 1) // broadcast over rows

	cases := []struct {
		name string
		got  *Array
		py   string
	}{
		{"strided window", Get(img, All, All, S(1, 7, 2), S(0, 6, 2)), "IMG[:, :, 1:7:2, 0:6:2]"},
		{"stop past the end", Get(img, All, All, S(2, 9, 3), S(1, 99, 2)), "IMG[:, :, 2:9:3, 1:99:2]"},
		{"ints drop axes", Get(col, All, All, 1, 0, All, All), "COL[:, :, 1, 0, :, :]"},
		{"negative", Get(img, -1, S(-2, 3), S(1, -1)), "IMG[-1, -2:3, 1:-1]"},
		{"trailing axes", Get(img, 1), "IMG[1]"},
		{"one element", Get(img, 1, 2, 3, 4), "IMG[1, 2, 3, 4]"},
		{"empty", Get(img, All, S(2, 1)), "IMG[:, 2:1]"},
		{"set", set, "S = COL.copy(); S[:, :, 1, 0, :, :] = WIN; S"},
		{"set scalar", setScalar, "S = IMG.copy(); S[1, 1:3] = 5.0; S"},
		{"add", add, "S = IMG.copy(); S[:, :, 1:7:2, 0:100:2] += WIN; S"},
		{"add broadcast", addRow, "S = IMG.copy(); S[0, 1] += np.array([1., 2, 3, 4, 5, 6]); S"},
		{"floor", Floor(Multiply(img, 10)), "np.floor(IMG * 10)"},
	}
	var code strings.Builder
	code.WriteString("import numpy as np, json\n")
	fmt.Fprintf(&code, "IMG = %s\nCOL = %s\nWIN = %s\nout = []\n", literal(img), literal(col), literal(win))
	for _, c := range cases {
		expr := c.py
		if i := strings.LastIndex(expr, "; "); i >= 0 {
			fmt.Fprintf(&code, "%s\n", strings.ReplaceAll(expr[:i], "; ", "\n"))
			expr = expr[i+2:]
		}
		fmt.Fprintf(&code, "r = np.asarray(%s, dtype=np.float64)\nout.append({'shape': list(r.shape), 'data': r.ravel().tolist()})\n", expr)
	}
	code.WriteString("print(json.dumps(out))\n")
	var want []struct {
		Shape []int
		Data  []float64
	}
	if err := json.Unmarshal(pyref.Run(t, py, t.TempDir(), code.String()), &want); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		if !tensor.SameShape(c.got.Shape, want[i].Shape) {
			t.Errorf("%s: shape %v, NumPy %v", c.name, c.got.Shape, want[i].Shape)
			continue
		}
		for j, v := range want[i].Data {
			if c.got.Data[j] != v {
				t.Errorf("%s: element %d = %v, NumPy %v", c.name, j, c.got.Data[j], v)
				break
			}
		}
	}
}

func TestSlicingMistakesAreReadable(t *testing.T) {
	img := Zeros(2, 1, 4, 4)
	for _, c := range []struct {
		f    func()
		want string
	}{
		{func() { Get(img, All, All, 4) }, "np.Get: index 4 is out of range for axis 2 of size 4"},
		{func() { Get(img, 0, 0, 0, 0, 0) }, "np.Get: 5 indices [0, 0, 0, 0, 0] for an array of shape (2, 1, 4, 4)"},
		{func() { Get(img, All, 1.5) }, "np.Get: index 1 is float64; use an int, np.All (:) or np.S(start, stop, step)"},
		{func() { Get(img, S(0, 2, 0)) }, "the step of 0:2:0 must be positive"},
		{func() { Set(img, Zeros(3, 3), All, All, S(0, 2), S(0, 2)) },
			"np.Set: shapes (2, 1, 2, 2) and (3, 3) do not match: the value does not broadcast to the selection a[:, :, 0:2, 0:2] of shape (2, 1, 2, 2)"},
		{func() { AddAt(img, Zeros(2), 0, 0) }, "np.AddAt: shapes (4, 4) and (2,)"},
	} {
		if err := mistake.Catch(c.f); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("message %v lacks %q", err, c.want)
		}
	}
}

package np

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
	"github.com/dlnb/course/internal/pyref"
)

// literal writes an array as a NumPy expression.
func literal(a *Array) string {
	b, _ := json.Marshal(a.Data)
	return fmt.Sprintf("np.array(%s, dtype=np.float64).reshape(%s)", b, pyShape(a.Shape))
}

func pyShape(s []int) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	return "(" + strings.Join(parts, ",") + ",)"
}

func randArray(r *rng.RandomState, shape ...int) *Array {
	a := tensor.New[float64](shape...)
	r.FillNorm(a.Data, 1)
	return a
}

// TestAgreesWithNumPy computes each case in Go and in NumPy (from the
// project's .venv) and requires the same shape and values.
func TestAgreesWithNumPy(t *testing.T) {
	py := pyref.Python(t)
	r := rng.New(7)
	x, w, b := randArray(r, 4, 3), randArray(r, 3, 5), randArray(r, 5)
	col, img := randArray(r, 4, 1), randArray(r, 2, 3, 4, 5)
	cases := []struct {
		name string
		got  *Array
		py   string
	}{
		{"dot+bias", Add(Dot(x, w), b), "np.dot(X, W) + B"},
		{"broadcast column", Subtract(x, col), "X - C"},
		{"scalar left", Subtract(1, x), "1 - X"},
		{"multiply scalar", Multiply(0.5, x), "0.5 * X"},
		{"divide", Divide(x, Add(Abs(col), 1)), "X / (np.abs(C) + 1)"},
		{"power", Power(x, 2), "X ** 2"},
		{"sqrt", Sqrt(Abs(x)), "np.sqrt(np.abs(X))"},
		{"exp log", Log(Add(Exp(x), 1e-7)), "np.log(np.exp(X) + 1e-7)"},
		{"maximum", Maximum(x, 0), "np.maximum(X, 0)"},
		{"sign", Sign(x), "np.sign(X)"},
		{"sum axis 0", Sum(x, 0), "np.sum(X, axis=0)"},
		{"sum axis 1", Sum(x, 1), "np.sum(X, axis=1)"},
		{"sum all", Sum(x), "np.sum(X)"},
		{"mean axis 0", Mean(x, 0), "np.mean(X, axis=0)"},
		{"max axis -1", Max(x, -1), "np.max(X, axis=-1)"},
		{"argmax", Argmax(x, 1), "np.argmax(X, axis=1).astype(np.float64)"},
		{"transpose", T(x), "X.T"},
		{"transpose axes", Transpose(img, 0, 2, 3, 1), "IMG.transpose(0, 2, 3, 1)"},
		{"reshape", Reshape(img, 2, -1), "IMG.reshape(2, -1)"},
		{"pad", Pad(img, [][2]int{{0, 0}, {0, 0}, {1, 2}, {2, 1}}), "np.pad(IMG, [(0, 0), (0, 0), (1, 2), (2, 1)], 'constant')"},
		{"where", Where(Greater(x, 0), 1, 0), "np.where(X > 0, 1, 0).astype(np.float64)"},
		{"mask times", Multiply(x, Greater(x, 0.5)), "X * (X > 0.5)"},
		{"take", Take(x, []int{3, 0, 3}), "X[[3, 0, 3]]"},
		{"pick", Pick(x, Values(2, 0, 1, 2)), "X[np.arange(4), [2, 0, 1, 2]]"},
	}
	var code strings.Builder
	code.WriteString("import numpy as np, json\n")
	fmt.Fprintf(&code, "X = %s\nW = %s\nB = %s\nC = %s\nIMG = %s\nout = []\n", literal(x), literal(w), literal(b), literal(col), literal(img))
	for _, c := range cases {
		fmt.Fprintf(&code, "r = np.asarray(%s, dtype=np.float64)\nout.append({'shape': list(r.shape), 'data': r.ravel().tolist()})\n", c.py)
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
			if d := math.Abs(c.got.Data[j] - v); d > 1e-12*math.Max(1, math.Abs(v)) {
				t.Errorf("%s: element %d = %v, NumPy %v", c.name, j, c.got.Data[j], v)
				break
			}
		}
	}
}

func TestMistakesAreReadable(t *testing.T) {
	a, b := Zeros(100, 10), Zeros(100, 40)
	for _, c := range []struct {
		f    func()
		want string
	}{
		{func() { Add(a, b) }, "np.Add: shapes (100, 10) and (100, 40) do not match: they do not broadcast"},
		{func() { Dot(a, b) }, "np.Dot: shapes (100, 10) and (100, 40) do not match"},
		{func() { Sum(a, 2) }, "np.Sum: axis 2 is out of range for an array of shape (100, 10)"},
		{func() { Reshape(a, 3, -1) }, "cannot reshape (100, 10)"},
		{func() { Random.Choice(0, 5) }, "empty population"},
		{func() { Pick(a, Values(11)) }, "(100, 10) and (1,)"},
		{func() { Sum(a).Item(); Zeros(2).Item() }, "Item of an array of shape (2,)"},
	} {
		if err := mistake.Catch(c.f); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("message %v lacks %q", err, c.want)
		}
	}
}

func TestRandomIsNumPys(t *testing.T) {
	py := pyref.Python(t)
	Random.Seed(0)
	w := Random.Randn(2, 3)
	idx := Random.Choice(60000, 5)
	out := pyref.Run(t, py, t.TempDir(), `import numpy as np, json
np.random.seed(0)
w = np.random.randn(2, 3)
idx = np.random.choice(60000, 5)
print(json.dumps([w.ravel().tolist(), idx.tolist()]))`)
	var want [2][]float64
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, v := range want[0] {
		if w.Data[i] != v {
			t.Errorf("randn[%d] = %v, NumPy %v", i, w.Data[i], v)
		}
	}
	for i, v := range want[1] {
		if float64(idx[i]) != v {
			t.Errorf("choice[%d] = %d, NumPy %v", i, idx[i], v)
		}
	}
}

// TestFloat32RoundTrip: np.Float32 and np.Float64 convert element by element
// and keep the shape.
func TestFloat32RoundTrip(t *testing.T) {
	x := Values(0.5, -2, 1e-3, 3).Reshape(2, 2)
	x32 := Float32(x)
	if x32.Shape[0] != 2 || x32.Shape[1] != 2 || x32.Data[2] != float32(1e-3) {
		t.Fatalf("Float32 gave %v %v", x32.Shape, x32.Data)
	}
	back := Float64(x32)
	for i, v := range []float64{0.5, -2, float64(float32(1e-3)), 3} {
		if back.Data[i] != v {
			t.Errorf("Float64(Float32(x))[%d] = %v, want %v", i, back.Data[i], v)
		}
	}
	if back.Shape[0] != 2 || back.Shape[1] != 2 {
		t.Errorf("shape %v", back.Shape)
	}
}

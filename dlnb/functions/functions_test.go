package functions

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/dlnb/course/dlnb/tensor"
	"github.com/dlnb/course/internal/pyref"
)

func mat(t *testing.T, rows, cols int, v ...float64) *tensor.Tensor[float64] {
	x, err := tensor.FromSlice(v, rows, cols)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestAgainstCourseFunctions evaluates the course's functions.py formulas in
// NumPy and compares every result.
func TestAgainstCourseFunctions(t *testing.T) {
	py := pyref.Python(t)
	out := pyref.Run(t, py, ".", `
import json, numpy as np
x = np.array([[1.0, -2.0, 0.5, 3.0], [0.0, 0.1, -0.3, 10.0], [-5.0, 2.0, 2.0, 1.0]])
def sigmoid(x): return 1/(1+np.exp(-x))
def softmax(x):
    x = x.T; x = x - np.max(x, axis=0); y = np.exp(x)/np.sum(np.exp(x), axis=0); return y.T
def cee(d, y):
    if y.ndim == 1: d = d.reshape(1, d.size); y = y.reshape(1, y.size)
    if d.size == y.size: d = d.argmax(axis=1)
    return -np.sum(np.log(y[np.arange(y.shape[0]), d] + 1e-7)) / y.shape[0]
d_int = np.array([3, 0, 1]); d_hot = np.eye(4)[d_int]
y = softmax(x)
def dswl(d, y):
    n = d.shape[0]
    if d.size == y.size: return (y - d) / n
    g = y.copy(); g[np.arange(n), d] -= 1; return g / n
res = {
 'sigmoid': sigmoid(x).ravel().tolist(), 'relu': np.maximum(0, x).ravel().tolist(),
 'softmax': y.ravel().tolist(), 'cee_int': cee(d_int, y), 'cee_hot': cee(d_hot, y),
 'd_sigmoid': ((1 - sigmoid(x)) * sigmoid(x)).ravel().tolist(),
 'dswl_int': dswl(d_int, y).ravel().tolist(), 'dswl_hot': dswl(d_hot, y).ravel().tolist(),
 'mse': np.mean((d_hot - y)**2) / 2,
 'softmax1d': (lambda v: np.exp(v - np.max(v)) / np.sum(np.exp(v - np.max(v))))(x[0]).tolist(),
}
print(json.dumps(res))`)
	var want map[string]json.RawMessage
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	x := mat(t, 3, 4, 1, -2, 0.5, 3, 0, 0.1, -0.3, 10, -5, 2, 2, 1)
	dInt, _ := tensor.FromSlice([]float64{3, 0, 1}, 3)
	dHot := mat(t, 3, 4, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0)
	y := Softmax(x)
	vec := func(name string, got *tensor.Tensor[float64]) {
		var w []float64
		json.Unmarshal(want[name], &w)
		for i := range w {
			if math.Abs(got.Data[i]-w[i]) > 1e-15*math.Max(1, math.Abs(w[i])) {
				t.Errorf("%s[%d] = %v, NumPy %v", name, i, got.Data[i], w[i])
			}
		}
	}
	num := func(name string, got float64) {
		var w float64
		json.Unmarshal(want[name], &w)
		if math.Abs(got-w) > 1e-14*math.Max(1, math.Abs(w)) {
			t.Errorf("%s = %v, NumPy %v", name, got, w)
		}
	}
	vec("sigmoid", Sigmoid(x))
	vec("relu", Relu(x))
	vec("softmax", y)
	vec("d_sigmoid", DSigmoid(x))
	num("cee_int", CrossEntropyError(dInt, y))
	num("cee_hot", CrossEntropyError(dHot, y))
	vec("dswl_int", DSoftmaxWithLoss(dInt, y))
	vec("dswl_hot", DSoftmaxWithLoss(dHot, y))
	num("mse", MeanSquaredError(dHot, y))
	vec("softmax1d", Softmax(x.Slice(0, 1).Reshape(4)))
}

func TestNumericalGradient(t *testing.T) {
	x := mat(t, 1, 3, 1, 2, 3)
	// f = Σ x², ∂f/∂x = 2x.
	g := NumericalGradient(func() float64 { return x.SumSquares() }, x)
	for i, v := range []float64{2, 4, 6} {
		if math.Abs(g.Data[i]-v) > 1e-8 {
			t.Errorf("numerical gradient %v, want %v", g.Data, v)
		}
	}
	if x.Data[1] != 2 {
		t.Error("x not restored")
	}
}

func TestConvOutSize(t *testing.T) {
	// The confirmation question: 6×6 input, 2×2 filter, stride 1, pad 1 → 7×7.
	if n, err := ConvOutSize(6, 2, 1, 1); err != nil || n != 7 {
		t.Errorf("ConvOutSize(6, 2, 1, 1) = %d, %v; want 7", n, err)
	}
	// 28 with a 5-filter at stride 2: (28 − 5) // 2 + 1 = 12, the course's
	// floor; the last column is never read.
	if n, err := ConvOutSize(28, 5, 2, 0); err != nil || n != 12 || LostPixels(28, 5, 2, 0) != 1 {
		t.Errorf("ConvOutSize(28, 5, 2, 0) = %d, %v (lost %d); want 12, 1 lost", n, err, LostPixels(28, 5, 2, 0))
	}
	if _, err := ConvOutSize(4, 5, 1, 0); err == nil {
		t.Error("a filter larger than the input: want an error")
	}
}

package layers

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/dlnb/course/dlnb/tensor"
	"github.com/dlnb/course/internal/pyref"
)

// TestSoftmaxWithLossAgainstNumPy evaluates the course's softmax,
// cross_entropy_error and the SoftmaxWithLoss gradient in NumPy and compares
// the layer's Forward and Backward with them, for class indices and one-hot
// labels.
func TestSoftmaxWithLossAgainstNumPy(t *testing.T) {
	py := pyref.Python(t)
	out := pyref.Run(t, py, ".", `
import json, numpy as np
x = np.array([[1.0, -2.0, 0.5, 3.0], [0.0, 0.1, -0.3, 10.0], [-5.0, 2.0, 2.0, 1.0]])
def softmax(x):
    x = x.T; x = x - np.max(x, axis=0); y = np.exp(x)/np.sum(np.exp(x), axis=0); return y.T
def cee(d, y):
    if d.size == y.size: d = d.argmax(axis=1)
    return -np.sum(np.log(y[np.arange(y.shape[0]), d] + 1e-7)) / y.shape[0]
def dswl(d, y):
    n = d.shape[0]
    if d.size == y.size: return (y - d) / n
    g = y.copy(); g[np.arange(n), d] -= 1; return g / n
d_int = np.array([3, 0, 1]); d_hot = np.eye(4)[d_int]
y = softmax(x)
print(json.dumps({'softmax': y.ravel().tolist(), 'cee_int': cee(d_int, y), 'cee_hot': cee(d_hot, y),
 'dswl_int': dswl(d_int, y).ravel().tolist(), 'dswl_hot': dswl(d_hot, y).ravel().tolist()}))`)
	var want map[string]json.RawMessage
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	x, _ := tensor.FromSlice([]float64{1, -2, 0.5, 3, 0, 0.1, -0.3, 10, -5, 2, 2, 1}, 3, 4)
	dInt, _ := tensor.FromSlice([]float64{3, 0, 1}, 3)
	dHot, _ := tensor.FromSlice([]float64{0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0}, 3, 4)
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
	for _, c := range []struct {
		d          *tensor.Tensor[float64]
		loss, grad string
	}{{dInt, "cee_int", "dswl_int"}, {dHot, "cee_hot", "dswl_hot"}} {
		l := &SoftmaxWithLoss[float64]{Delta: CrossEntropyDelta}
		num(c.loss, l.Forward(x, c.d))
		vec("softmax", l.Y)
		vec(c.grad, l.Backward())
	}
}

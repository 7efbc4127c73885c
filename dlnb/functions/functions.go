package functions

import (
	"fmt"
	"math"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// Sigmoid returns σ(x) = 1 / (1 + exp(−x)) element by element.
func Sigmoid[T tensor.Float](x *tensor.Tensor[T]) *tensor.Tensor[T] {
	if backend.Fast() { // the same numbers, four at a time
		out := tensor.New[T](x.Shape...)
		backend.Sigmoid(out.Data, x.Data)
		return out
	}
	return x.Map(func(v T) T { return T(1 / (1 + math.Exp(-float64(v)))) })
}

// Relu returns max(0, x) element by element.
func Relu[T tensor.Float](x *tensor.Tensor[T]) *tensor.Tensor[T] {
	return x.Map(func(v T) T { return max(0, v) })
}

// Step returns 1 where x > 0 and 0 elsewhere (the step function).
func Step[T tensor.Float](x *tensor.Tensor[T]) *tensor.Tensor[T] {
	return x.Map(func(v T) T {
		if v > 0 {
			return 1
		}
		return 0
	})
}

// Tanh returns tanh(x) element by element.
func Tanh[T tensor.Float](x *tensor.Tensor[T]) *tensor.Tensor[T] {
	return x.Map(func(v T) T { return T(math.Tanh(float64(v))) })
}

// DSigmoid returns (1 − σ(x))·σ(x), the sigmoid's derivative at x. Note that it
// applies σ to x: pass the pre-activation u, not the activation z = σ(u)
// (lesson 2_2_1 passes z, see the package doc).
func DSigmoid[T tensor.Float](x *tensor.Tensor[T]) *tensor.Tensor[T] {
	return x.Map(func(v T) T {
		s := 1 / (1 + math.Exp(-float64(v)))
		return T((1 - s) * s)
	})
}

// DSigmoidFromOutput returns z·(1 − z), the sigmoid's derivative expressed
// through its output z = σ(u) — the correct factor when only z is at hand
// (what the Sigmoid layer's backward uses).
func DSigmoidFromOutput[T tensor.Float](z *tensor.Tensor[T]) *tensor.Tensor[T] {
	return z.Map(func(v T) T { return v * (1 - v) })
}

// DRelu returns 1 where x > 0 and 0 elsewhere, the ReLU's derivative.
func DRelu[T tensor.Float](x *tensor.Tensor[T]) *tensor.Tensor[T] { return Step(x) }

// DStep returns zeros: the step function's derivative (away from 0).
func DStep[T tensor.Float](x *tensor.Tensor[T]) *tensor.Tensor[T] { return tensor.New[T](x.Shape...) }

// DTanh returns 1 − tanh²(x).
func DTanh[T tensor.Float](x *tensor.Tensor[T]) *tensor.Tensor[T] {
	return x.Map(func(v T) T {
		t := math.Tanh(float64(v))
		return T(1 - t*t)
	})
}

// Softmax returns the softmax of each row of a matrix, or of a whole vector:
// y = exp(x − max) / Σ exp(x − max). Subtracting the maximum keeps exp from
// overflowing and does not change the result.
func Softmax[T tensor.Float](x *tensor.Tensor[T]) *tensor.Tensor[T] {
	out := x.Clone()
	if len(x.Shape) == 1 {
		softmaxRow(out.Data)
		return out
	}
	SoftmaxRowsInto(out.Data, x.Data, x.Rows(), x.Cols())
	return out
}

// SoftmaxRowsInto writes the row-wise softmax of the rows×cols matrix x into y.
func SoftmaxRowsInto[T tensor.Float](y, x []T, rows, cols int) {
	copy(y, x[:rows*cols])
	for i := range rows {
		softmaxRow(y[i*cols : (i+1)*cols])
	}
}

func softmaxRow[T tensor.Float](r []T) {
	m := r[0]
	for _, v := range r {
		m = max(m, v)
	}
	s := 0.0
	for i, v := range r {
		e := math.Exp(float64(v - m))
		r[i] = T(e)
		s += e
	}
	for i := range r {
		r[i] = T(float64(r[i]) / s)
	}
}

// Delta is the 1e-7 added inside the logarithm of the cross-entropy so that
// log(0) never occurs.
const Delta = 1e-7

// CheckLabels verifies that labels d fit network outputs y of shape (N, C):
// one-hot rows (N, C) or N integral class indices in [0, C).
func CheckLabels[T tensor.Float](d, y *tensor.Tensor[T]) error {
	return CheckLabelsFor(d, y.Rows(), y.Cols())
}

// CheckLabelsFor verifies that labels d fit n samples of c classes.
func CheckLabelsFor[T tensor.Float](d *tensor.Tensor[T], n, c int) error {
	switch {
	case len(d.Shape) == 2 && d.Shape[0] == n && d.Shape[1] == c:
		return nil
	case len(d.Shape) == 1 && d.Shape[0] == n:
		for i, v := range d.Data {
			if v != T(math.Trunc(float64(v))) || v < 0 || int(v) >= c {
				return fmt.Errorf("label %v at position %d is not a class index in [0, %d)", v, i, c)
			}
		}
		return nil
	case d.Rows() != n:
		return fmt.Errorf("%d labels for %d samples (labels %s)", d.Rows(), n, tensor.ShapeString(d.Shape))
	default:
		return fmt.Errorf("labels of shape %s do not fit %d samples of %d classes: give one-hot rows (%d, %d) or class indices (%d,)",
			tensor.ShapeString(d.Shape), n, c, n, c, n)
	}
}

// label returns the class index of sample i.
func label[T tensor.Float](d *tensor.Tensor[T], i, c int) int {
	if len(d.Shape) == 1 {
		return int(d.Data[i])
	}
	row := d.Data[i*c : (i+1)*c]
	best := 0
	for j, v := range row {
		if v > row[best] {
			best = j
		}
	}
	return best
}

// CrossEntropyError returns −Σ log(y[i, d_i] + 1e-7) / N for probabilities y
// (N, C) and labels d (the course's cross_entropy_error(d, y); one-hot labels
// are converted with argmax). A vector y is treated as one sample.
func CrossEntropyError[T tensor.Float](d, y *tensor.Tensor[T]) float64 {
	if len(y.Shape) == 1 {
		y = &tensor.Tensor[T]{Shape: []int{1, y.Shape[0]}, Data: y.Data}
		if len(d.Shape) == 1 && d.Shape[0] == y.Shape[1] {
			d = &tensor.Tensor[T]{Shape: []int{1, d.Shape[0]}, Data: d.Data}
		}
	}
	if err := CheckLabels(d, y); err != nil {
		mistake.Panic(fmt.Errorf("cross entropy: %w", err))
	}
	n, c := y.Rows(), y.Cols()
	s := 0.0
	for i := range n {
		s += math.Log(float64(y.Data[i*c+label(d, i, c)]) + Delta)
	}
	return -s / float64(n)
}

// SoftmaxWithLoss returns the cross-entropy of softmax(x) against d.
func SoftmaxWithLoss[T tensor.Float](d, x *tensor.Tensor[T]) float64 {
	return CrossEntropyError(d, Softmax(x))
}

// DSoftmaxWithLoss returns the gradient of SoftmaxWithLoss with respect to x
// given y = softmax(x): (y − d)/N for one-hot d, and y with 1 subtracted at
// each sample's label, divided by N, for class indices.
func DSoftmaxWithLoss[T tensor.Float](d, y *tensor.Tensor[T]) *tensor.Tensor[T] {
	if err := CheckLabels(d, y); err != nil {
		mistake.Panic(fmt.Errorf("softmax with loss: %w", err))
	}
	dx := tensor.New[T](y.Shape...)
	SoftmaxLossGradInto(dx.Data, y.Data, d, y.Rows(), y.Cols())
	return dx
}

// SoftmaxLossGradInto writes (y − onehot(d)) / N into dx for y of shape (n, c).
func SoftmaxLossGradInto[T tensor.Float](dx, y []T, d *tensor.Tensor[T], n, c int) {
	inv := T(n)
	if len(d.Shape) == 2 {
		for i := range dx[:n*c] {
			dx[i] = (y[i] - d.Data[i]) / inv
		}
		return
	}
	copy(dx, y[:n*c])
	for i := range n {
		dx[i*c+int(d.Data[i])]--
	}
	for i := range dx[:n*c] {
		dx[i] /= inv
	}
}

// MeanSquaredError returns mean((d − y)²) / 2.
func MeanSquaredError[T tensor.Float](d, y *tensor.Tensor[T]) float64 {
	if !tensor.SameShape(d.Shape, y.Shape) {
		mistake.Panic(&tensor.ShapeError{Op: "MeanSquaredError", A: d.Shape, B: y.Shape})
	}
	s := 0.0
	for i, v := range y.Data {
		e := float64(d.Data[i] - v)
		s += e * e
	}
	return s / float64(len(y.Data)) / 2
}

// DMeanSquaredError returns (y − d)/N, the course's d_mean_squared_error for
// a batch of N rows.
func DMeanSquaredError[T tensor.Float](d, y *tensor.Tensor[T]) *tensor.Tensor[T] {
	if !tensor.SameShape(d.Shape, y.Shape) {
		mistake.Panic(&tensor.ShapeError{Op: "DMeanSquaredError", A: d.Shape, B: y.Shape})
	}
	out := y.Clone()
	n := T(d.Rows())
	for i := range out.Data {
		out.Data[i] = (out.Data[i] - d.Data[i]) / n
	}
	return out
}

// DSigmoidWithLoss returns y − d.
func DSigmoidWithLoss[T tensor.Float](d, y *tensor.Tensor[T]) *tensor.Tensor[T] {
	out := y.Clone()
	out.Sub(d)
	return out
}

// NumericalGradient returns the central-difference gradient of f at x,
// (f(x+h) − f(x−h)) / 2h with h = 1e-4 for each element. f must read x (it is
// changed in place during the evaluation and restored afterwards).
func NumericalGradient[T tensor.Float](f func() float64, x *tensor.Tensor[T]) *tensor.Tensor[T] {
	return NumericalGradientH(f, x, 1e-4)
}

// NumericalGradientH is NumericalGradient with step h.
func NumericalGradientH[T tensor.Float](f func() float64, x *tensor.Tensor[T], h float64) *tensor.Tensor[T] {
	g := tensor.New[T](x.Shape...)
	for i, v := range x.Data {
		x.Data[i] = T(float64(v) + h)
		fp := f()
		x.Data[i] = T(float64(v) - h)
		fm := f()
		x.Data[i] = v
		g.Data[i] = T((fp - fm) / (2 * h))
	}
	return g
}

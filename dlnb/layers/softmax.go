package layers

import (
	"fmt"
	"math"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// SoftmaxWithLoss is the output layer: softmax followed by the cross-entropy
// loss against the labels d (one-hot rows or class indices).
//
//	Forward:  y = softmax(x); loss = −Σ log(y[i, d_i] + δ) / N, δ = Delta
//	Backward: dx = (y − d) / N
//
// δ (the course's 1e-7) keeps log away from 0; Backward is the gradient of
// the loss without it. A zero SoftmaxWithLoss uses δ = 0: networks set the
// course's value, CrossEntropyDelta.
type SoftmaxWithLoss[T tensor.Float] struct {
	Delta float64

	Y *tensor.Tensor[T] // the probabilities of the last Forward
	d *tensor.Tensor[T]
	// Loss is the loss of the last Forward.
	Loss float64
	dx   *tensor.Tensor[T]
}

// Forward returns the mean cross-entropy loss of softmax(x) against d.
func (l *SoftmaxWithLoss[T]) Forward(x, d *tensor.Tensor[T]) float64 {
	if len(x.Shape) != 2 {
		mistake.Panicf("SoftmaxWithLoss: scores must be (N, classes), got %s", tensor.ShapeString(x.Shape))
	}
	if err := CheckLabels(d, x); err != nil {
		mistake.Panic(fmt.Errorf("SoftmaxWithLoss: %w", err))
	}
	n, c := x.Rows(), x.Cols()
	l.Y = tensor.Ensure(l.Y, n, c)
	softmaxRowsInto(l.Y.Data, x.Data, n, c)
	l.d = d
	s := 0.0
	for i := range n {
		k := 0
		if len(d.Shape) == 1 {
			k = int(d.Data[i])
		} else {
			row := d.Data[i*c : (i+1)*c]
			for j, v := range row {
				if v > row[k] {
					k = j
				}
			}
		}
		s += math.Log(float64(l.Y.Data[i*c+k]) + l.Delta)
	}
	l.Loss = -s / float64(n)
	return l.Loss
}

// Backward returns ∂loss/∂x; the incoming gradient is 1 (this is the last layer).
func (l *SoftmaxWithLoss[T]) Backward() *tensor.Tensor[T] {
	if l.Y == nil {
		mistake.Panic(fmt.Errorf("SoftmaxWithLoss: Backward called before Forward"))
	}
	l.dx = tensor.Ensure(l.dx, l.Y.Shape...)
	softmaxLossGradInto(l.dx.Data, l.Y.Data, l.d, l.Y.Rows(), l.Y.Cols())
	return l.dx
}

// softmaxRowsInto writes the row-wise softmax of the rows×cols matrix x into y.
func softmaxRowsInto[T tensor.Float](y, x []T, rows, cols int) {
	copy(y, x[:rows*cols])
	for i := range rows {
		softmaxRow(y[i*cols : (i+1)*cols])
	}
}

// softmaxRow replaces r by exp(r − max) / Σ exp(r − max), summing in float64.
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

// CrossEntropyDelta is the 1e-7 the course adds inside the logarithm of the
// cross-entropy so that log(0) never occurs.
const CrossEntropyDelta = 1e-7

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

// softmaxLossGradInto writes (y − onehot(d)) / N into dx for y of shape (n, c).
func softmaxLossGradInto[T tensor.Float](dx, y []T, d *tensor.Tensor[T], n, c int) {
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

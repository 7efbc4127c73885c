package layers

import (
	"fmt"
	"math"

	"github.com/dlnb/course/dlnb/mistake"

	"github.com/dlnb/course/dlnb/functions"
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
// course's value, functions.Delta.
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
	if err := functions.CheckLabels(d, x); err != nil {
		mistake.Panic(fmt.Errorf("SoftmaxWithLoss: %w", err))
	}
	n, c := x.Rows(), x.Cols()
	l.Y = tensor.Ensure(l.Y, n, c)
	functions.SoftmaxRowsInto(l.Y.Data, x.Data, n, c)
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
	functions.SoftmaxLossGradInto(l.dx.Data, l.Y.Data, l.d, l.Y.Rows(), l.Y.Cols())
	return l.dx
}

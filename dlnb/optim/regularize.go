package optim

import (
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// L2Penalty returns Σ ½·λ·‖W‖² over the given weights, the weight-decay term
// added to the loss.
func L2Penalty[T tensor.Float](lambda float64, ws ...*tensor.Tensor[T]) float64 {
	s := 0.0
	for _, w := range ws {
		s += 0.5 * lambda * w.SumSquares()
	}
	return s
}

// AddL2Grad adds the L2 penalty's gradient λ·W to grad.
func AddL2Grad[T tensor.Float](grad *tensor.Tensor[T], lambda float64, w *tensor.Tensor[T]) {
	grad.AddScaled(T(lambda), w)
}

// L1Penalty returns Σ λ·‖W‖₁ over the given weights.
func L1Penalty[T tensor.Float](lambda float64, ws ...*tensor.Tensor[T]) float64 {
	s := 0.0
	for _, w := range ws {
		s += lambda * w.SumAbs()
	}
	return s
}

// AddL1Grad adds the L1 penalty's (sub)gradient λ·sign(W) to grad
// (sign(0) = 0, as np.sign).
func AddL1Grad[T tensor.Float](grad *tensor.Tensor[T], lambda float64, w *tensor.Tensor[T]) {
	if !tensor.SameShape(grad.Shape, w.Shape) {
		mistake.Panic(&tensor.ShapeError{Op: "AddL1Grad (grad vs W)", A: grad.Shape, B: w.Shape})
	}
	l := T(lambda)
	for i, v := range w.Data {
		switch {
		case v > 0:
			grad.Data[i] += l
		case v < 0:
			grad.Data[i] -= l
		}
	}
}

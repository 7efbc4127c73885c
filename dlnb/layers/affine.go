package layers

import (
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// Affine is the fully connected layer out = x·W + b.
//
//	Forward:  x is flattened to (N, D); out = x·W + b
//	Backward: dx = dout·Wᵀ (reshaped to x's shape), dW = xᵀ·dout, db = Σ_rows dout
type Affine[T tensor.Float] struct {
	W, B   *tensor.Tensor[T] // (D, M) and (M,)
	DW, DB *tensor.Tensor[T] // their gradients
	// SkipInputGrad skips dx in Backward (returns nil): set on a network's
	// first layer, whose input gradient nobody uses.
	SkipInputGrad bool

	x       *tensor.Tensor[T] // the input seen as (N, D)
	inShape []int
	out, dx *tensor.Tensor[T]
	addBias func(lo, hi int) // adds B to rows [lo, hi) of out (Forward)
}

// NewAffine returns an Affine layer using (not copying) W of shape (D, M)
// and b of shape (M,).
func NewAffine[T tensor.Float](w, b *tensor.Tensor[T]) *Affine[T] {
	if len(w.Shape) != 2 || len(b.Shape) != 1 || b.Shape[0] != w.Shape[1] {
		mistake.Panic(&tensor.ShapeError{Op: "Affine (W and b)", A: w.Shape, B: b.Shape, Reason: "W must be (D, M) and b (M,)"})
	}
	return &Affine[T]{W: w, B: b, DW: tensor.New[T](w.Shape...), DB: tensor.New[T](b.Shape...)}
}

// Forward computes x·W + b for x of shape (N, D) or (N, …) with D elements per sample.
func (l *Affine[T]) Forward(x *tensor.Tensor[T], _ bool) *tensor.Tensor[T] {
	n, d, m := x.Rows(), x.Cols(), l.W.Shape[1]
	if len(x.Shape) < 2 || d != l.W.Shape[0] {
		mistake.Panic(&tensor.ShapeError{Op: "Affine Forward (x vs W)", A: x.Shape, B: l.W.Shape,
			Reason: "each sample must have as many values as W has rows"})
	}
	l.inShape = append(l.inShape[:0], x.Shape...)
	l.x = &tensor.Tensor[T]{Shape: []int{n, d}, Data: x.Data}
	l.out = tensor.Ensure(l.out, n, m)
	// out = x·W + b: each core adds b to its block of rows right after
	// multiplying it (the same sums as adding b after the whole product).
	if l.addBias == nil { // made once, so that a forward pass allocates nothing
		l.addBias = func(lo, hi int) {
			b, m := l.B.Data, l.W.Shape[1]
			for i := lo; i < hi; i++ {
				row := l.out.Data[i*m : (i+1)*m]
				for j := range row {
					row[j] += b[j]
				}
			}
		}
	}
	tensor.ParallelGemmThen(false, false, n, m, d, 1, x.Data, d, l.W.Data, m, 0, l.out.Data, m, l.addBias)
	return l.out
}

// Backward stores dW and db and returns dx.
func (l *Affine[T]) Backward(dout *tensor.Tensor[T]) *tensor.Tensor[T] {
	checkDout("Affine", dout, l.out)
	n, d, m := l.x.Shape[0], l.x.Shape[1], l.W.Shape[1]
	tensor.ParallelGemm(true, false, d, m, n, 1, l.x.Data, d, dout.Data, m, 0, l.DW.Data, m)
	tensor.SumRowsInto(l.DB.Data, dout.Data, n, m)
	if l.SkipInputGrad {
		return nil
	}
	l.dx = tensor.Ensure(l.dx, l.inShape...)
	tensor.ParallelGemm(false, true, n, d, m, 1, dout.Data, m, l.W.Data, m, 0, l.dx.Data, d)
	return l.dx
}

// Params returns W and b with their gradients.
func (l *Affine[T]) Params() []Param[T] {
	return []Param[T]{{"W", l.W, l.DW}, {"b", l.B, l.DB}}
}

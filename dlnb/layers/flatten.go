package layers

import (
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// Flatten lines up each sample's values in one row, (N, C, H, W) →
// (N, C·H·W), before dense layers. (Affine flattens its input itself; this
// layer makes the step visible, as AlexNet's description has it.)
//
//	Forward:  out = x.reshape(N, −1);  Backward: dx = dout.reshape(x.shape)
type Flatten[T tensor.Float] struct {
	inShape []int
	out     *tensor.Tensor[T]
}

// Forward returns x with one row per sample (sharing its values).
func (l *Flatten[T]) Forward(x *tensor.Tensor[T], _ bool) *tensor.Tensor[T] {
	if len(x.Shape) < 1 {
		mistake.Panicf("Flatten: input must have a batch dimension, got %s", tensor.ShapeString(x.Shape))
	}
	l.inShape = append(l.inShape[:0], x.Shape...)
	l.out = &tensor.Tensor[T]{Shape: []int{x.Rows(), x.Cols()}, Data: x.Data}
	return l.out
}

// Backward gives dout the input's shape back.
func (l *Flatten[T]) Backward(dout *tensor.Tensor[T]) *tensor.Tensor[T] {
	checkDout("Flatten", dout, l.out)
	return &tensor.Tensor[T]{Shape: append([]int(nil), l.inShape...), Data: dout.Data}
}

// Params returns nil: the layer has no parameters.
func (l *Flatten[T]) Params() []Param[T] { return nil }

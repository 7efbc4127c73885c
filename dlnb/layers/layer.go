package layers

import (
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// Layer is one step of a network. Forward and Backward have no error
// results: a shape that does not fit is a programming mistake, which stops
// with a readable message (a notebook cell shows it as one line; elsewhere it
// is a panic with a *mistake.Error, see dlnb/mistake).
type Layer[T tensor.Float] interface {
	// Forward computes the output for x; train selects training behaviour.
	Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T]
	// Backward takes ∂L/∂out and returns ∂L/∂x, storing parameter gradients.
	Backward(dout *tensor.Tensor[T]) *tensor.Tensor[T]
	// Params returns the learnable parameters and their gradients (nil if none).
	Params() []Param[T]
}

// Param is a learnable tensor of a layer with the tensor its gradient is
// stored in. Role names it within the layer: "W", "b", "gamma" or "beta".
type Param[T tensor.Float] struct {
	Role        string
	Value, Grad *tensor.Tensor[T]
}

// checkDout stops when dout does not have the shape of the forward output,
// or when Backward comes before any Forward.
func checkDout[T tensor.Float](kind string, dout, out *tensor.Tensor[T]) {
	if out == nil {
		mistake.Panicf("%s: Backward called before Forward", kind)
	}
	if !tensor.SameShape(dout.Shape, out.Shape) {
		mistake.Panic(&tensor.ShapeError{Op: kind + " Backward (dout vs forward output)", A: dout.Shape, B: out.Shape})
	}
}

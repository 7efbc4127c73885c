package layers

import (
	"fmt"

	"github.com/dlnb/course/dlnb/tensor"
)

// Layer is one step of a network.
type Layer[T tensor.Float] interface {
	// Forward computes the output for x; train selects training behaviour.
	Forward(x *tensor.Tensor[T], train bool) (*tensor.Tensor[T], error)
	// Backward takes ∂L/∂out and returns ∂L/∂x, storing parameter gradients.
	Backward(dout *tensor.Tensor[T]) (*tensor.Tensor[T], error)
	// Params returns the learnable parameters and their gradients (nil if none).
	Params() []Param[T]
}

// Param is a learnable tensor of a layer with the tensor its gradient is
// stored in. Role names it within the layer: "W", "b", "gamma" or "beta".
type Param[T tensor.Float] struct {
	Role        string
	Value, Grad *tensor.Tensor[T]
}

// errorf prefixes layer errors with the layer's kind.
func errorf(kind, format string, args ...any) error {
	return fmt.Errorf("%s: %s", kind, fmt.Sprintf(format, args...))
}

// sameShape returns a ShapeError when dout does not have the shape of the
// forward output.
func checkDout[T tensor.Float](kind string, dout, out *tensor.Tensor[T]) error {
	if out == nil {
		return errorf(kind, "Backward called before Forward")
	}
	if !tensor.SameShape(dout.Shape, out.Shape) {
		return &tensor.ShapeError{Op: kind + " Backward (dout vs forward output)", A: dout.Shape, B: out.Shape}
	}
	return nil
}

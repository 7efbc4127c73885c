package layers

import "github.com/dlnb/course/dlnb/tensor"

// ReluMaxPool computes max Pooling(Relu(x)) — the course's "Relu → Pool"
// pair — as Relu(Pooling(x)), which gives the same values because the
// maximum and max(0, ·) commute: max over a window of max(0, x) is
// max(0, max over the window of x). The ReLU then runs on the pooled tensor,
// a quarter of the size, and the backward pass masks the pooled gradient
// before routing it to the window maxima. Gradients are identical too: a
// window whose maximum is ≤ 0 passes no gradient either way.
//
// Networks use it for every Relu directly followed by max pooling; the two
// layers stay listed in the network as the course shows them.
type ReluMaxPool[T tensor.Float] struct {
	Pool *Pooling[T]
	relu Relu[T]
}

// NewReluMaxPool fuses a ReLU with the max pooling layer that follows it.
func NewReluMaxPool[T tensor.Float](pool *Pooling[T]) *ReluMaxPool[T] {
	return &ReluMaxPool[T]{Pool: pool}
}

// Forward returns max(0, maxpool(x)).
func (l *ReluMaxPool[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	return l.relu.Forward(l.Pool.Forward(x, train), train)
}

// Backward masks dout where the pooled maximum was ≤ 0 and routes the rest to
// the positions of the maxima.
func (l *ReluMaxPool[T]) Backward(dout *tensor.Tensor[T]) *tensor.Tensor[T] {
	return l.Pool.Backward(l.relu.Backward(dout))
}

// Params returns nil: neither layer has parameters.
func (l *ReluMaxPool[T]) Params() []Param[T] { return nil }

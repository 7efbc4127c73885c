package layers

import (
	"math"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/internal/loops"
	"github.com/dlnb/course/dlnb/tensor"
)

// Relu is the rectified linear unit.
//
//	Forward:  out = max(0, x)
//	Backward: dx = dout where x > 0, else 0
type Relu[T tensor.Float] struct {
	out, dx *tensor.Tensor[T] // out > 0 exactly where x > 0: it is the mask
}

// Forward returns max(0, x).
func (l *Relu[T]) Forward(x *tensor.Tensor[T], _ bool) *tensor.Tensor[T] {
	l.out = tensor.Ensure(l.out, x.Shape...)
	out := l.out.Data
	elementwise(len(out), func(lo, hi int) {
		if useFast {
			backend.ReluForward(out[lo:hi], x.Data[lo:hi])
			return
		}
		loops.ReluForward(out[lo:hi], x.Data[lo:hi])
	})
	return l.out
}

// Backward passes dout through where the input was positive.
func (l *Relu[T]) Backward(dout *tensor.Tensor[T]) *tensor.Tensor[T] {
	checkDout("Relu", dout, l.out)
	l.dx = tensor.Ensure(l.dx, dout.Shape...)
	dx, out := l.dx.Data, l.out.Data
	elementwise(len(dx), func(lo, hi int) {
		if useFast {
			backend.ReluBackward(dx[lo:hi], dout.Data[lo:hi], out[lo:hi])
			return
		}
		loops.ReluBackward(dx[lo:hi], dout.Data[lo:hi], out[lo:hi])
	})
	return l.dx
}

// Params returns nil: Relu has no parameters.
func (l *Relu[T]) Params() []Param[T] { return nil }

// Sigmoid is the logistic function.
//
//	Forward:  out = 1 / (1 + exp(−x))
//	Backward: dx = dout·(1 − out)·out
type Sigmoid[T tensor.Float] struct {
	out, dx *tensor.Tensor[T]
}

// Forward returns σ(x).
func (l *Sigmoid[T]) Forward(x *tensor.Tensor[T], _ bool) *tensor.Tensor[T] {
	l.out = tensor.Ensure(l.out, x.Shape...)
	mapFloat64(l.out.Data, x.Data, backend.Sigmoid[T], func(v float64) float64 { return 1 / (1 + math.Exp(-v)) })
	return l.out
}

// Backward returns dout·(1 − out)·out.
func (l *Sigmoid[T]) Backward(dout *tensor.Tensor[T]) *tensor.Tensor[T] {
	checkDout("Sigmoid", dout, l.out)
	l.dx = tensor.Ensure(l.dx, dout.Shape...)
	dx, out := l.dx.Data, l.out.Data
	elementwise(len(dx), func(lo, hi int) {
		for i, g := range dout.Data[lo:hi] {
			y := out[lo+i]
			dx[lo+i] = T(g*(1-y)) * y
		}
	})
	return l.dx
}

// Params returns nil: Sigmoid has no parameters.
func (l *Sigmoid[T]) Params() []Param[T] { return nil }

// Tanh is the hyperbolic tangent.
//
//	Forward:  out = tanh(x)
//	Backward: dx = dout·(1 − out²)
type Tanh[T tensor.Float] struct {
	out, dx *tensor.Tensor[T]
}

// Forward returns tanh(x).
func (l *Tanh[T]) Forward(x *tensor.Tensor[T], _ bool) *tensor.Tensor[T] {
	l.out = tensor.Ensure(l.out, x.Shape...)
	mapFloat64(l.out.Data, x.Data, backend.Tanh[T], math.Tanh)
	return l.out
}

// Backward returns dout·(1 − out²).
func (l *Tanh[T]) Backward(dout *tensor.Tensor[T]) *tensor.Tensor[T] {
	checkDout("Tanh", dout, l.out)
	l.dx = tensor.Ensure(l.dx, dout.Shape...)
	dx, out := l.dx.Data, l.out.Data
	elementwise(len(dx), func(lo, hi int) {
		for i, g := range dout.Data[lo:hi] {
			y := out[lo+i]
			dx[lo+i] = g * (1 - y*y)
		}
	})
	return l.dx
}

// Params returns nil: Tanh has no parameters.
func (l *Tanh[T]) Params() []Param[T] { return nil }

// mapFloat64 sets out[i] = T(f(float64(x[i]))) on both cores: through
// kernel, which gives the same numbers four at a time, when the vectorised
// kernels are in use (useFast), else element by element.
func mapFloat64[T tensor.Float](out, x []T, kernel func(out, x []T), f func(float64) float64) {
	elementwise(len(out), func(lo, hi int) {
		if useFast {
			kernel(out[lo:hi], x[lo:hi])
			return
		}
		for i, v := range x[lo:hi] {
			out[lo+i] = T(f(float64(v)))
		}
	})
}

// useFast selects the vectorised kernels of package backend (AVX-512 or AVX2);
// the Go loops beside them (package dlnb/internal/loops for those that a
// kernel replaces) are the reference, used elsewhere and in tests.
var useFast = backend.Fast()

// elementwise runs fn over [0, n) split across the cores; small tensors run
// on the calling goroutine.
func elementwise(n int, fn func(lo, hi int)) { backend.Parallel(n, 1<<15, fn) }

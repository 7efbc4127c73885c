package layers

import (
	"fmt"

	"github.com/dlnb/course/dlnb/mistake"

	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// Dropout drops each activation with probability Ratio during training.
//
// The course's form (Inverted false):
//
//	train:    mask = rand > Ratio; out = x·mask
//	test:     out = x·(1 − Ratio)
//	Backward: dx = dout·mask
//
// Inverted dropout (Inverted true) scales at training time instead, so the
// test pass is the identity: train out = x·mask/(1 − Ratio), test out = x.
type Dropout[T tensor.Float] struct {
	Ratio    float64
	Inverted bool
	Rand     *rng.RandomState // draws the masks (np.random.rand in the course)

	mask    []T
	out, dx *tensor.Tensor[T]
	train   bool
}

// NewDropout returns a course-style dropout layer drawing masks from r.
func NewDropout[T tensor.Float](ratio float64, r *rng.RandomState) *Dropout[T] {
	if ratio < 0 || ratio >= 1 {
		mistake.Panic(fmt.Errorf("Dropout: ratio %v must be in [0, 1)", ratio))
	}
	if r == nil {
		mistake.Panic(fmt.Errorf("Dropout: a random generator is required for the masks"))
	}
	return &Dropout[T]{Ratio: ratio, Rand: r}
}

// Forward applies a fresh mask (train) or the expected scaling (test).
func (l *Dropout[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	l.out = tensor.Ensure(l.out, x.Shape...)
	l.train = train
	out := l.out.Data
	if !train {
		scale := T(1 - l.Ratio)
		if l.Inverted {
			scale = 1
		}
		for i, v := range x.Data {
			out[i] = v * scale
		}
		return l.out
	}
	if cap(l.mask) < len(x.Data) {
		l.mask = make([]T, len(x.Data))
	}
	l.mask = l.mask[:len(x.Data)]
	keep := T(1)
	if l.Inverted {
		keep = T(1 / (1 - l.Ratio))
	}
	for i := range l.mask {
		if l.Rand.Float64() > l.Ratio {
			l.mask[i] = keep
		} else {
			l.mask[i] = 0
		}
	}
	mask := l.mask
	elementwise(len(out), func(lo, hi int) {
		for i, v := range x.Data[lo:hi] {
			out[lo+i] = v * mask[lo+i]
		}
	})
	return l.out
}

// Backward returns dout·mask (the mask of the last training Forward).
func (l *Dropout[T]) Backward(dout *tensor.Tensor[T]) *tensor.Tensor[T] {
	checkDout("Dropout", dout, l.out)
	if !l.train {
		mistake.Panic(fmt.Errorf("Dropout: Backward after a test-mode Forward (use train=true)"))
	}
	l.dx = tensor.Ensure(l.dx, dout.Shape...)
	for i, g := range dout.Data {
		l.dx.Data[i] = g * l.mask[i]
	}
	return l.dx
}

// Params returns nil: Dropout has no parameters.
func (l *Dropout[T]) Params() []Param[T] { return nil }

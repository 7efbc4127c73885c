package augment

import (
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// Apply is Augment for notebook cells: it returns a new batch with every image
// of x transformed by a, drawing from r, and has no error result. A mistake
// (samples that are not images of shape, settings out of range, no generator)
// panics with one readable *mistake.Error:
//
//	augmentation := augment.Augmentation{Pad: 2, Rotate: 10}
//	xBatch = augmentation.Apply(xBatch, []int{1, 28, 28}, augRand)
func (a Augmentation) Apply(x *tensor.Tensor[float64], shape []int, r *rng.RandomState) *tensor.Tensor[float64] {
	out, err := Augment(x, shape, a, r)
	mistake.Panic(err)
	return out
}

package augment

import (
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// PadImages returns a batch of images (N, C, H, W) with p zero pixels added
// on every side, (N, C, H+2p, W+2p): MNIST's 28×28 digits become the 32×32
// images LeNet-5 was designed for with p = 2. It is
// np.pad(x, ((0,0), (0,0), (p,p), (p,p))).
func PadImages[T tensor.Float](x *tensor.Tensor[T], p int) *tensor.Tensor[T] {
	if len(x.Shape) != 4 {
		mistake.Panicf("augment.PadImages: images must be (N, C, H, W), got %s", tensor.ShapeString(x.Shape))
	}
	if p < 0 {
		mistake.Panicf("augment.PadImages: padding %d must be 0 or more", p)
	}
	n, c, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	hp, wp := h+2*p, w+2*p
	out := tensor.New[T](n, c, hp, wp)
	for plane := range n * c {
		for y := range h {
			src := x.Data[(plane*h+y)*w : (plane*h+y+1)*w]
			copy(out.Data[(plane*hp+y+p)*wp+p:], src)
		}
	}
	return out
}

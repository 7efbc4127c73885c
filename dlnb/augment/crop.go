package augment

import (
	"fmt"

	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// RandomCrop cuts a random h×w window out of an image of shape (H, W, C),
// every position equally likely, and returns it as a new (h, w, C) tensor.
func RandomCrop[T tensor.Float](img *tensor.Tensor[T], h, w int, r *rng.RandomState) (*tensor.Tensor[T], error) {
	if len(img.Shape) != 3 {
		return nil, fmt.Errorf("augment: RandomCrop needs an (H, W, C) image, got shape %s", tensor.ShapeString(img.Shape))
	}
	H, W, C := img.Shape[0], img.Shape[1], img.Shape[2]
	if h < 1 || w < 1 || h > H || w > W {
		return nil, fmt.Errorf("augment: crop %d×%d does not fit in a %d×%d image", h, w, H, W)
	}
	top, left := r.Intn(H-h+1), r.Intn(W-w+1)
	out := tensor.New[T](h, w, C)
	for y := range h {
		copy(out.Data[y*w*C:(y+1)*w*C], img.Data[((top+y)*W+left)*C:((top+y)*W+left+w)*C])
	}
	return out, nil
}

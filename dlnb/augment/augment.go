package augment

import (
	"fmt"
	"math"

	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// Data augmentation: new training images made from the ones there are, by
// transforms that keep the label (a digit moved by two pixels is the same
// digit). The Day 2 material lists it as a cure for overfitting: the network
// never sees exactly the same image twice. Images are (C, H, W) tensors, the
// layout of dlnb's convolution networks; Augment works on a whole batch.

// checkImage verifies img is a (C, H, W) image.
func checkImage[T tensor.Float](op string, img *tensor.Tensor[T]) (c, h, w int, err error) {
	if len(img.Shape) != 3 {
		return 0, 0, 0, fmt.Errorf("augment: %s needs a (C, H, W) image, got shape %s", op, tensor.ShapeString(img.Shape))
	}
	return img.Shape[0], img.Shape[1], img.Shape[2], nil
}

// Shift moves the content of img by dy rows down and dx columns right
// (negative: up, left); pixels that come in from outside are 0.
func Shift[T tensor.Float](img *tensor.Tensor[T], dy, dx int) (*tensor.Tensor[T], error) {
	c, h, w, err := checkImage("Shift", img)
	if err != nil {
		return nil, err
	}
	out := tensor.New[T](c, h, w)
	for ch := range c {
		for y := max(0, dy); y < min(h, h+dy); y++ {
			src := img.Data[(ch*h+y-dy)*w : (ch*h+y-dy+1)*w]
			dst := out.Data[(ch*h+y)*w : (ch*h+y+1)*w]
			for x := max(0, dx); x < min(w, w+dx); x++ {
				dst[x] = src[x-dx]
			}
		}
	}
	return out, nil
}

// FlipH mirrors img left to right.
func FlipH[T tensor.Float](img *tensor.Tensor[T]) (*tensor.Tensor[T], error) {
	c, h, w, err := checkImage("FlipH", img)
	if err != nil {
		return nil, err
	}
	out := tensor.New[T](c, h, w)
	for r := range c * h {
		src, dst := img.Data[r*w:(r+1)*w], out.Data[r*w:(r+1)*w]
		for x := range w {
			dst[x] = src[w-1-x]
		}
	}
	return out, nil
}

// Rotate turns img by degrees counter-clockwise about its centre, with
// bilinear interpolation; corners that come from outside the image are 0.
func Rotate[T tensor.Float](img *tensor.Tensor[T], degrees float64) (*tensor.Tensor[T], error) {
	c, h, w, err := checkImage("Rotate", img)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(degrees) || math.IsInf(degrees, 0) {
		return nil, fmt.Errorf("augment: Rotate by %v degrees", degrees)
	}
	out := tensor.New[T](c, h, w)
	sin, cos := math.Sincos(degrees * math.Pi / 180)
	cy, cx := float64(h-1)/2, float64(w-1)/2
	at := func(ch, y, x int) float64 {
		if y < 0 || y >= h || x < 0 || x >= w {
			return 0
		}
		return float64(img.Data[(ch*h+y)*w+x])
	}
	for y := range h {
		for x := range w {
			// The source of output pixel (y, x): the inverse rotation
			// (y grows downwards, so counter-clockwise on screen).
			sx := cos*(float64(x)-cx) - sin*(float64(y)-cy) + cx
			sy := sin*(float64(x)-cx) + cos*(float64(y)-cy) + cy
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			fx, fy := sx-float64(x0), sy-float64(y0)
			for ch := range c {
				v := (1-fy)*((1-fx)*at(ch, y0, x0)+fx*at(ch, y0, x0+1)) + fy*((1-fx)*at(ch, y0+1, x0)+fx*at(ch, y0+1, x0+1))
				out.Data[(ch*h+y)*w+x] = T(v)
			}
		}
	}
	return out, nil
}

// AddNoise returns img plus Gaussian noise of standard deviation std.
func AddNoise[T tensor.Float](img *tensor.Tensor[T], std float64, r *rng.RandomState) (*tensor.Tensor[T], error) {
	if std < 0 || math.IsNaN(std) || math.IsInf(std, 0) {
		return nil, fmt.Errorf("augment: noise standard deviation %v must be a finite number ≥ 0", std)
	}
	out := img.Clone()
	for i := range out.Data {
		out.Data[i] += T(std * r.NormFloat64())
	}
	return out, nil
}

// Augmentation says which random transforms Augment applies to each image,
// in the order of the fields. The zero value changes nothing.
type Augmentation struct {
	// Pad > 0 is a random crop with padding back to size: the image is padded
	// with Pad zeros on every side and an H×W window is cut at a random
	// place, i.e. the digit moves by up to ±Pad pixels each way.
	Pad int
	// FlipH mirrors half of the images left to right (harmful for digits,
	// whose shape depends on the side; useful for clothes).
	FlipH bool
	// Rotate > 0 turns each image by a random angle in ±Rotate degrees.
	Rotate float64
	// Noise > 0 adds Gaussian noise with this standard deviation.
	Noise float64
}

// check verifies the settings against an image of h×w.
func (a Augmentation) check(h, w int) error {
	switch {
	case a.Pad < 0 || a.Pad >= h || a.Pad >= w:
		return fmt.Errorf("augment: augmentation padding %d must be ≥ 0 and smaller than the %d×%d image", a.Pad, h, w)
	case a.Rotate < 0 || a.Rotate > 180 || math.IsNaN(a.Rotate):
		return fmt.Errorf("augment: augmentation rotation %v must be between 0 and 180 degrees", a.Rotate)
	case a.Noise < 0 || math.IsNaN(a.Noise) || math.IsInf(a.Noise, 0):
		return fmt.Errorf("augment: augmentation noise %v must be a finite number ≥ 0", a.Noise)
	}
	return nil
}

// image transforms one (C, H, W) image with the random draws of r.
func (a Augmentation) image(img *tensor.Tensor[float64], r *rng.RandomState) (*tensor.Tensor[float64], error) {
	var err error
	if a.Pad > 0 {
		top, left := r.Intn(2*a.Pad+1), r.Intn(2*a.Pad+1)
		if img, err = Shift(img, a.Pad-top, a.Pad-left); err != nil {
			return nil, err
		}
	}
	if a.FlipH && r.Float64() < 0.5 {
		if img, err = FlipH(img); err != nil {
			return nil, err
		}
	}
	if a.Rotate > 0 {
		if img, err = Rotate(img, (2*r.Float64()-1)*a.Rotate); err != nil {
			return nil, err
		}
	}
	if a.Noise > 0 {
		img, err = AddNoise(img, a.Noise, r)
	}
	return img, err
}

// Augment returns a new batch with every image of x transformed by a, drawing
// from r (the same seed gives the same batch). x is (N, C, H, W), or (N, D)
// with shape the (C, H, W) of each flattened image (D = C·H·W), as the
// multilayer networks take MNIST.
func Augment[T tensor.Float](x *tensor.Tensor[T], shape []int, a Augmentation, r *rng.RandomState) (*tensor.Tensor[T], error) {
	if len(shape) != 3 || tensor.Size(shape) == 0 {
		return nil, fmt.Errorf("augment: Augment needs the (C, H, W) shape of an image, got %v", shape)
	}
	if x.Rows() == 0 || x.Cols() != tensor.Size(shape) {
		return nil, fmt.Errorf("augment: Augment: samples of shape %s are not %s images", tensor.ShapeString(x.Shape), tensor.ShapeString(shape))
	}
	if r == nil {
		return nil, fmt.Errorf("augment: Augment needs a random generator")
	}
	if err := a.check(shape[1], shape[2]); err != nil {
		return nil, err
	}
	out := tensor.New[T](x.Shape...)
	img := tensor.New[float64](shape...)
	for i := range x.Rows() {
		for j, v := range x.Row(i) {
			img.Data[j] = float64(v)
		}
		aug, err := a.image(img, r)
		if err != nil {
			return nil, err
		}
		dst := out.Row(i)
		for j, v := range aug.Data {
			dst[j] = T(v)
		}
	}
	return out, nil
}

package layers

import (
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// shape4 stops unless x is a batch of images (N, C, H, W).
func shape4[T tensor.Float](kind string, x *tensor.Tensor[T]) (n, c, h, w int) {
	if len(x.Shape) != 4 {
		mistake.Panicf("%s: input must be (N, C, H, W), got %s", kind, tensor.ShapeString(x.Shape))
	}
	return x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
}

// GlobalAvgPooling averages each channel over the whole image,
// (N, C, H, W) → (N, C): the alternative to Flatten before the dense layers
// (Lin et al. 2014), with C outputs whatever the image size.
//
//	Forward:  out[n, c] = (1/(H·W)) Σ_{h,w} x[n, c, h, w]
//	Backward: dx[n, c, h, w] = dout[n, c] / (H·W)
type GlobalAvgPooling[T tensor.Float] struct {
	inShape []int
	out, dx *tensor.Tensor[T]
}

// Forward returns each channel's mean.
func (l *GlobalAvgPooling[T]) Forward(x *tensor.Tensor[T], _ bool) *tensor.Tensor[T] {
	n, c, h, w := shape4("GlobalAvgPooling", x)
	l.inShape = append(l.inShape[:0], x.Shape...)
	l.out = tensor.Ensure(l.out, n, c)
	p := h * w
	for i := range n * c {
		s := T(0)
		for _, v := range x.Data[i*p : (i+1)*p] {
			s += v
		}
		l.out.Data[i] = s / T(p)
	}
	return l.out
}

// Backward spreads each channel's gradient evenly over its pixels.
func (l *GlobalAvgPooling[T]) Backward(dout *tensor.Tensor[T]) *tensor.Tensor[T] {
	checkDout("GlobalAvgPooling", dout, l.out)
	l.dx = tensor.Ensure(l.dx, l.inShape...)
	p := l.inShape[2] * l.inShape[3]
	for i, g := range dout.Data {
		v := g / T(p)
		dst := l.dx.Data[i*p : (i+1)*p]
		for j := range dst {
			dst[j] = v
		}
	}
	return l.dx
}

// Params returns nil: the layer has no parameters.
func (l *GlobalAvgPooling[T]) Params() []Param[T] { return nil }

// GlobalMaxPooling takes each channel's maximum over the whole image,
// (N, C, H, W) → (N, C).
//
//	Forward:  out[n, c] = max_{h,w} x[n, c, h, w] (the first maximum on ties)
//	Backward: dout[n, c] goes to the position of that maximum
type GlobalMaxPooling[T tensor.Float] struct {
	inShape []int
	argmax  []int
	out, dx *tensor.Tensor[T]
}

// Forward returns each channel's maximum.
func (l *GlobalMaxPooling[T]) Forward(x *tensor.Tensor[T], _ bool) *tensor.Tensor[T] {
	n, c, h, w := shape4("GlobalMaxPooling", x)
	l.inShape = append(l.inShape[:0], x.Shape...)
	l.out = tensor.Ensure(l.out, n, c)
	if cap(l.argmax) < n*c {
		l.argmax = make([]int, n*c)
	}
	l.argmax = l.argmax[:n*c]
	p := h * w
	for i := range n * c {
		plane := x.Data[i*p : (i+1)*p]
		best := 0
		for j, v := range plane {
			if v > plane[best] {
				best = j
			}
		}
		l.out.Data[i], l.argmax[i] = plane[best], best
	}
	return l.out
}

// Backward routes each gradient to its channel's maximum.
func (l *GlobalMaxPooling[T]) Backward(dout *tensor.Tensor[T]) *tensor.Tensor[T] {
	checkDout("GlobalMaxPooling", dout, l.out)
	l.dx = tensor.Ensure(l.dx, l.inShape...)
	clear(l.dx.Data)
	p := l.inShape[2] * l.inShape[3]
	for i, g := range dout.Data {
		l.dx.Data[i*p+l.argmax[i]] = g
	}
	return l.dx
}

// Params returns nil: the layer has no parameters.
func (l *GlobalMaxPooling[T]) Params() []Param[T] { return nil }

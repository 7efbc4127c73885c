package layers

import (
	"fmt"

	"github.com/dlnb/course/dlnb/internal/loops"
	"github.com/dlnb/course/dlnb/mistake"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/tensor"
)

// Pooling takes the maximum (or, with Average, the mean) of every PoolH×PoolW
// window of each channel, moving by Stride. Padding reads as zero, like the
// course's im2col.
//
//	Forward (max):  out = max over the window; the position of the maximum is kept
//	Backward (max): dx at that position = dout, 0 elsewhere (the course's
//	                dmax + col2im, done as a direct scatter)
//	Average:        out = mean of the window; dx = dout/(PoolH·PoolW) over the window
type Pooling[T tensor.Float] struct {
	PoolH, PoolW, Stride, Pad int
	Average                   bool

	inShape []int
	oh, ow  int
	argmax  []int32 // input offset within the channel plane, −1 for padding
	out, dx *tensor.Tensor[T]
}

// NewPooling returns a max-pooling layer (set Average for mean pooling).
func NewPooling[T tensor.Float](poolH, poolW, stride, pad int) *Pooling[T] {
	if poolH < 1 || poolW < 1 || stride < 1 || pad < 0 {
		mistake.Panic(fmt.Errorf("Pooling: window %d×%d, stride %d and pad %d must be positive (pad ≥ 0)", poolH, poolW, stride, pad))
	}
	return &Pooling[T]{PoolH: poolH, PoolW: poolW, Stride: stride, Pad: pad}
}

// OutShape returns the output shape for an input shape.
func (l *Pooling[T]) OutShape(in []int) ([]int, error) {
	if len(in) != 4 {
		return nil, fmt.Errorf("Pooling: input must be (N, C, H, W), got %s", tensor.ShapeString(in))
	}
	oh, err := ConvOutSize(in[2], l.PoolH, l.Stride, l.Pad)
	if err != nil {
		return nil, fmt.Errorf("Pooling: height: %w", err)
	}
	ow, err := ConvOutSize(in[3], l.PoolW, l.Stride, l.Pad)
	if err != nil {
		return nil, fmt.Errorf("Pooling: width: %w", err)
	}
	return []int{in[0], in[1], oh, ow}, nil
}

// Forward pools every channel of every image.
func (l *Pooling[T]) Forward(x *tensor.Tensor[T], _ bool) *tensor.Tensor[T] {
	outShape, err := l.OutShape(x.Shape)
	mistake.Panic(err)
	h, w := x.Shape[2], x.Shape[3]
	planes := x.Shape[0] * x.Shape[1]
	l.oh, l.ow = outShape[2], outShape[3]
	l.inShape = append(l.inShape[:0], x.Shape...)
	l.out = tensor.Ensure(l.out, outShape...)
	p := l.oh * l.ow
	if cap(l.argmax) < planes*p {
		l.argmax = make([]int32, planes*p)
	}
	l.argmax = l.argmax[:planes*p]
	fast2x2 := useFast && !l.Average && l.PoolH == 2 && l.PoolW == 2 && l.Stride == 2 && l.Pad == 0 && h%2 == 0 && w%2 == 0
	fastInside := useFast && l.Pad == 0
	backend.Parallel(planes, 8, func(lo, hi int) {
		out, am, in := l.out.Data[lo*p:hi*p], l.argmax[lo*p:hi*p], x.Data[lo*h*w:hi*h*w]
		switch {
		case fast2x2:
			backend.MaxPool2(out, am, in, hi-lo, h, w)
			return
		case fastInside && l.Average: // averageInside, vectorised
			backend.AvgPool(out, in, hi-lo, h, w, l.PoolH, l.PoolW, l.Stride, l.oh, l.ow, T(1)/T(l.PoolH*l.PoolW))
			return
		case fastInside: // maxInside, vectorised
			backend.MaxPool(out, am, in, hi-lo, h, w, l.PoolH, l.PoolW, l.Stride, l.oh, l.ow)
			return
		}
		for pl := lo; pl < hi; pl++ {
			src, dst, am := x.Data[pl*h*w:(pl+1)*h*w], l.out.Data[pl*p:(pl+1)*p], l.argmax[pl*p:(pl+1)*p]
			switch {
			case l.Pad > 0:
				l.poolPadded(dst, am, src, h, w)
			case l.Average:
				l.averageInside(dst, src, w)
			default:
				l.maxInside(dst, am, src, w)
			}
		}
	})
	return l.out
}

// poolPadded pools one plane (h×w at src) whose windows may reach into the
// padding, which reads as 0 and has the index −1.
func (l *Pooling[T]) poolPadded(dst []T, am []int32, src []T, h, w int) {
	inv := T(1) / T(l.PoolH*l.PoolW)
	for oy := range l.oh {
		for ox := range l.ow {
			var best T
			bi := int32(-2) // nothing seen yet
			sum := T(0)
			for ky := range l.PoolH {
				iy := oy*l.Stride - l.Pad + ky
				for kx := range l.PoolW {
					ix := ox*l.Stride - l.Pad + kx
					v, idx := T(0), int32(-1)
					if iy >= 0 && iy < h && ix >= 0 && ix < w {
						idx = int32(iy*w + ix)
						v = src[idx]
					}
					sum += v
					if bi == -2 || v > best { // first maximum wins, as np.argmax
						best, bi = v, idx
					}
				}
			}
			if l.Average {
				dst[oy*l.ow+ox] = sum * inv
			} else {
				dst[oy*l.ow+ox] = best
				am[oy*l.ow+ox] = bi
			}
		}
	}
}

// maxInside is poolPadded for max pooling without padding, where every
// window lies inside the plane (row width w): the same maxima and indices,
// the window read row by row without bounds tests.
func (l *Pooling[T]) maxInside(dst []T, am []int32, src []T, w int) {
	loops.MaxPool(dst, am, src, w, l.PoolH, l.PoolW, l.Stride, l.oh, l.ow)
}

// averageInside is poolPadded for average pooling without padding: the
// same sums, in the same order.
func (l *Pooling[T]) averageInside(dst, src []T, w int) {
	inv := T(1) / T(l.PoolH*l.PoolW)
	for oy := range l.oh {
		for ox := range l.ow {
			start := oy*l.Stride*w + ox*l.Stride
			sum := T(0)
			for ky := range l.PoolH {
				row := start + ky*w
				for _, v := range src[row : row+l.PoolW] {
					sum += v
				}
			}
			dst[oy*l.ow+ox] = sum * inv
		}
	}
}

// Backward routes each dout to the maximum's position (or spreads it evenly
// over the window for average pooling).
func (l *Pooling[T]) Backward(dout *tensor.Tensor[T]) *tensor.Tensor[T] {
	checkDout("Pooling", dout, l.out)
	h, w := l.inShape[2], l.inShape[3]
	planes := l.inShape[0] * l.inShape[1]
	p := l.oh * l.ow
	l.dx = tensor.Ensure(l.dx, l.inShape...)
	inv := T(1) / T(l.PoolH*l.PoolW)
	backend.Parallel(planes, 8, func(lo, hi int) {
		for pl := lo; pl < hi; pl++ {
			dst := l.dx.Data[pl*h*w : (pl+1)*h*w]
			clear(dst)
			g := dout.Data[pl*p : (pl+1)*p]
			if !l.Average {
				for j, idx := range l.argmax[pl*p : (pl+1)*p] {
					if idx >= 0 {
						dst[idx] += g[j]
					}
				}
				continue
			}
			for oy := range l.oh {
				for ox := range l.ow {
					v := g[oy*l.ow+ox] * inv
					for ky := range l.PoolH {
						iy := oy*l.Stride - l.Pad + ky
						if iy < 0 || iy >= h {
							continue
						}
						for kx := range l.PoolW {
							ix := ox*l.Stride - l.Pad + kx
							if ix >= 0 && ix < w {
								dst[iy*w+ix] += v
							}
						}
					}
				}
			}
		}
	})
	return l.dx
}

// Params returns nil: pooling has no parameters.
func (l *Pooling[T]) Params() []Param[T] { return nil }

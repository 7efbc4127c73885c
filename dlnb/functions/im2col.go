package functions

import (
	"fmt"

	"github.com/dlnb/course/dlnb/tensor"
)

// ConvOutSize returns the output length of a convolution or pooling window
// sliding over n positions: (n + 2·pad − filter)/stride + 1. It is an error
// when that is not a whole number ≥ 1.
func ConvOutSize(n, filter, stride, pad int) (int, error) {
	if stride < 1 {
		return 0, fmt.Errorf("stride must be at least 1, got %d", stride)
	}
	if pad < 0 {
		return 0, fmt.Errorf("pad must not be negative, got %d", pad)
	}
	span := n + 2*pad - filter
	if span < 0 {
		return 0, fmt.Errorf("filter %d is larger than the padded input %d+2·%d", filter, n, pad)
	}
	if span%stride != 0 {
		return 0, fmt.Errorf("output size (%d + 2·%d − %d)/%d + 1 = %.4g is not a whole number: change the stride, the padding or the filter size",
			n, pad, filter, stride, float64(span)/float64(stride)+1)
	}
	return span/stride + 1, nil
}

// geometry checks an (N, C, H, W) shape against a window and returns the
// output size.
func geometry(op string, shape []int, filterH, filterW, stride, pad int) (oh, ow int, err error) {
	if len(shape) != 4 {
		return 0, 0, fmt.Errorf("%s: input must be (N, C, H, W), got %s", op, tensor.ShapeString(shape))
	}
	if oh, err = ConvOutSize(shape[2], filterH, stride, pad); err != nil {
		return 0, 0, fmt.Errorf("%s: height: %w", op, err)
	}
	if ow, err = ConvOutSize(shape[3], filterW, stride, pad); err != nil {
		return 0, 0, fmt.Errorf("%s: width: %w", op, err)
	}
	return oh, ow, nil
}

// walk visits every (column entry, image pixel) pair of the im2col
// unrolling: col index (row·K + k) and the pixel's index in the (N, C, H, W)
// image, skipping entries that fall in the zero padding.
func walk(shape []int, filterH, filterW, stride, pad, oh, ow int, visit func(colIdx, imgIdx int)) {
	n, c, h, w := shape[0], shape[1], shape[2], shape[3]
	k := c * filterH * filterW
	for b := range n {
		for i := range oh {
			for j := range ow {
				row := ((b*oh+i)*ow + j) * k
				p := 0
				for ch := range c {
					for y := range filterH {
						iy := i*stride - pad + y
						for xx := range filterW {
							ix := j*stride - pad + xx
							if iy >= 0 && iy < h && ix >= 0 && ix < w {
								visit(row+p, ((b*c+ch)*h+iy)*w+ix)
							}
							p++
						}
					}
				}
			}
		}
	}
}

// Im2Col unrolls every filterH×filterW window of a batch of images x
// (N, C, H, W) into one row, exactly as the course's im2col: the result has
// N·outH·outW rows, row (n·outH + i)·outW + j holding the window at output
// position (i, j) of image n, and C·filterH·filterW columns ordered
// (channel, row, column). Padding adds zeros.
func Im2Col[T tensor.Float](x *tensor.Tensor[T], filterH, filterW, stride, pad int) (*tensor.Tensor[T], error) {
	oh, ow, err := geometry("im2col", x.Shape, filterH, filterW, stride, pad)
	if err != nil {
		return nil, err
	}
	col := tensor.New[T](x.Shape[0]*oh*ow, x.Shape[1]*filterH*filterW)
	walk(x.Shape, filterH, filterW, stride, pad, oh, ow, func(ci, xi int) { col.Data[ci] = x.Data[xi] })
	return col, nil
}

// Col2Im is the adjoint of Im2Col: it adds every row of col back into the
// window it came from, so overlapping windows are summed (the course's
// col2im). inputShape is the (N, C, H, W) shape given to Im2Col.
func Col2Im[T tensor.Float](col *tensor.Tensor[T], inputShape []int, filterH, filterW, stride, pad int) (*tensor.Tensor[T], error) {
	oh, ow, err := geometry("col2im", inputShape, filterH, filterW, stride, pad)
	if err != nil {
		return nil, err
	}
	rows, k := inputShape[0]*oh*ow, inputShape[1]*filterH*filterW
	if len(col.Shape) != 2 || col.Shape[0] != rows || col.Shape[1] != k {
		return nil, &tensor.ShapeError{Op: "Col2Im", A: col.Shape, B: []int{rows, k},
			Reason: "col must have N·outH·outW rows and C·filterH·filterW columns"}
	}
	img := tensor.New[T](inputShape...)
	walk(inputShape, filterH, filterW, stride, pad, oh, ow, func(ci, xi int) { img.Data[xi] += col.Data[ci] })
	return img, nil
}

package exercise

import (
	"fmt"

	"github.com/dlnb/course/dlnb/np"
	"github.com/dlnb/course/dlnb/ref"
)

// imCase is a batch of images and a window: the input of im2col, col2im,
// convolution and pooling.
type imCase struct {
	shape               []int // N, C, H, W
	fh, fw, stride, pad int
	x                   *np.Array // the images
	col                 *np.Array // col2im's input, (N·OH·OW, C·FH·FW)
	W, b, dout          *np.Array // a convolution's filters and gradient, or pooling's gradient
}

func (c imCase) outHW() (int, int) {
	return (c.shape[2]+2*c.pad-c.fh)/c.stride + 1, (c.shape[3]+2*c.pad-c.fw)/c.stride + 1
}

func (c imCase) window() string {
	return fmt.Sprintf("filter_h %d、filter_w %d、stride %d、pad %d", c.fh, c.fw, c.stride, c.pad)
}

// imCases are the windows the im2col checks use: the course's [try] example,
// stride 2 with padding, a window that is not square, and a stride that does
// not fit (the last row and column are never read).
func imCases() []imCase {
	cs := []imCase{
		{shape: []int{2, 1, 4, 4}, fh: 3, fw: 3, stride: 1},
		{shape: []int{1, 2, 5, 5}, fh: 3, fw: 3, stride: 2, pad: 1},
		{shape: []int{2, 3, 4, 5}, fh: 2, fw: 3, stride: 1},
		{shape: []int{1, 1, 6, 6}, fh: 3, fw: 3, stride: 2},
	}
	for k := range cs {
		c := &cs[k]
		n := c.shape[0] * c.shape[1] * c.shape[2] * c.shape[3]
		c.x = np.Reshape(np.Arange(n), c.shape...) // every pixel its own value
		oh, ow := c.outHW()
		c.col = randn(uint32(110+k), c.shape[0]*oh*ow, c.shape[1]*c.fh*c.fw)
	}
	return cs
}

// Im2col checks im2col(inputData, filterH, filterW, stride, pad) of 2_6.
func Im2col(im2col func(inputData *np.Array, filterH, filterW, stride, pad int) *np.Array) Result {
	return show(checkIm2col(im2col))
}

func checkIm2col(im2col func(inputData *np.Array, filterH, filterW, stride, pad int) *np.Array) Result {
	// permuted is im2col with the 6-D array's axes put in another order before the reshape.
	permuted := func(c imCase, axes ...int) outputs {
		N, C := c.shape[0], c.shape[1]
		oh, ow := c.outHW()
		col6 := np.Transpose(np.Reshape(ref.Im2Col(c.x, c.fh, c.fw, c.stride, c.pad), N, oh, ow, C, c.fh, c.fw), 0, 3, 4, 5, 1, 2)
		if axes != nil {
			col6 = np.Transpose(col6, axes...)
		}
		return outputs{array("col", np.Reshape(col6, N*oh*ow, -1))}
	}
	return spec[imCase]{
		name: "Im2col", title: "im2col",
		passed: "4 通りの入力 (講座の [try] の例、ストライド 2 とパディング、縦横の違うフィルタ、割り切れないストライド) で col が一致",
		cases:  imCases(),
		input: func(c imCase) string {
			return fmt.Sprintf("input_data %s (画素ごとに違う値 0, 1, 2, …)、%s", np.Shape(c.x), c.window())
		},
		student: func(c imCase) outputs {
			return outputs{array("col", im2col(np.Copy(c.x), c.fh, c.fw, c.stride, c.pad))}
		},
		ref: func(c imCase) outputs { return outputs{array("col", ref.Im2Col(c.x, c.fh, c.fw, c.stride, c.pad))} },
		mistakes: []mistake[imCase]{
			{"im2col-transpose", "transpose を忘れています (講座の [try] で transpose の行をコメントアウトしたときと同じ結果です)。col を (N, out_h, out_w, C, filter_h, filter_w) の順に並べ替えて (np.Transpose(col, 0, 4, 5, 1, 2, 3)) から、(N·out_h·out_w, −1) に変形します。",
				func(c imCase) outputs { return permuted(c) }},
			{"im2col-axes", "transpose の軸の順が違います: (N, C, filter_h, filter_w, out_h, out_w) → (N, out_h, out_w, C, filter_h, filter_w)、np.Transpose(col, 0, 4, 5, 1, 2, 3) です。",
				func(c imCase) outputs { return permuted(c, 0, 4, 5, 1, 3, 2) }},
		},
		general: "フィルタ内の位置 (y, x) ごとに img[:, :, y:y_max:stride, x:x_max:stride] を col[:, :, y, x, :, :] に入れ、transpose(0, 4, 5, 1, 2, 3) してから reshape します。",
	}.run()
}

// col2imVariant is col2im written out, with one mistake by kind (0: none;
// 1 overlapping windows overwrite instead of adding up; 2 the padding is not
// cut off; 3 no transpose before the windows are put back).
func col2imVariant(c imCase, kind int) *np.Array {
	N, C, H, W := c.shape[0], c.shape[1], c.shape[2], c.shape[3]
	oh, ow := c.outHW()
	col := np.Reshape(c.col, N, oh, ow, C, c.fh, c.fw)
	if kind == 3 {
		col = np.Reshape(c.col, N, C, c.fh, c.fw, oh, ow)
	} else {
		col = np.Transpose(col, 0, 3, 4, 5, 1, 2)
	}
	img := np.Zeros(N, C, H+2*c.pad+c.stride-1, W+2*c.pad+c.stride-1)
	for y := range c.fh {
		for x := range c.fw {
			window := np.Get(col, np.All, np.All, y, x, np.All, np.All)
			span := []any{np.All, np.All, np.S(y, y+c.stride*oh, c.stride), np.S(x, x+c.stride*ow, c.stride)}
			if kind == 1 {
				np.Set(img, window, span...)
			} else {
				np.AddAt(img, window, span...)
			}
		}
	}
	if kind == 2 {
		return img
	}
	return np.Get(img, np.All, np.All, np.S(c.pad, H+c.pad), np.S(c.pad, W+c.pad))
}

// Col2im checks col2im(col, inputShape, filterH, filterW, stride, pad) of 2_6.
func Col2im(col2im func(col *np.Array, inputShape []int, filterH, filterW, stride, pad int) *np.Array) Result {
	return show(checkCol2im(col2im))
}

func checkCol2im(col2im func(col *np.Array, inputShape []int, filterH, filterW, stride, pad int) *np.Array) Result {
	return spec[imCase]{
		name: "Col2im", title: "col2im",
		passed: "im2col の 4 通りの形の col で、重なる窓の足し合わせとパディングの切り取りまで一致",
		cases:  imCases(),
		input: func(c imCase) string {
			return fmt.Sprintf("col %s、input_shape %v、%s", np.Shape(c.col), c.shape, c.window())
		},
		student: func(c imCase) outputs {
			return outputs{array("img", col2im(np.Copy(c.col), append([]int(nil), c.shape...), c.fh, c.fw, c.stride, c.pad))}
		},
		ref: func(c imCase) outputs {
			return outputs{array("img", ref.Col2Im(c.col, c.shape, c.fh, c.fw, c.stride, c.pad))}
		},
		mistakes: []mistake[imCase]{
			{"col2im-add", "重なった窓の値を足し合わせていません (上書きしています): img[:, :, y:y_max:stride, x:x_max:stride] += …、np.AddAt です。",
				func(c imCase) outputs { return outputs{array("img", col2imVariant(c, 1))} }},
			{"col2im-crop", "最後にパディングの分を切り取ります: img[:, :, pad:H + pad, pad:W + pad]。",
				func(c imCase) outputs { return outputs{array("img", col2imVariant(c, 2))} }},
			{"col2im-transpose", "col を (N, out_h, out_w, C, filter_h, filter_w) に reshape してから transpose(0, 3, 4, 5, 1, 2) します。",
				func(c imCase) outputs { return outputs{array("img", col2imVariant(c, 3))} }},
		},
		general: "col を (N, out_h, out_w, C, filter_h, filter_w) に戻して transpose(0, 3, 4, 5, 1, 2)、(y, x) ごとに img に足し、最後にパディングを切り取ります。",
	}.run()
}

// convCases are convolutions of the shapes the course uses, smaller.
func convCases() []imCase {
	cs := []imCase{
		{shape: []int{2, 3, 5, 5}, fh: 3, fw: 3, stride: 1, pad: 1},
		{shape: []int{1, 2, 6, 6}, fh: 2, fw: 2, stride: 2},
		{shape: []int{2, 1, 4, 4}, fh: 3, fw: 3, stride: 1},
	}
	fn := []int{4, 3, 2}
	for k := range cs {
		c := &cs[k]
		c.x = randn(uint32(120+k), c.shape...)
		c.W = randn(uint32(130+k), fn[k], c.shape[1], c.fh, c.fw)
		c.b = randn(uint32(140+k), fn[k])
		oh, ow := c.outHW()
		c.dout = randn(uint32(150+k), c.shape[0], fn[k], oh, ow)
	}
	return cs
}

// ConvolutionBackward checks the Backward of 2_6's Convolution (which uses
// the notebook's im2col and col2im). The check cell:
//
//	exercise.ConvolutionBackward(func(x, W, b, dout *np.Array, stride, pad int) (out, dx, dW, db *np.Array) {
//		l := &Convolution{W: W, B: b, Stride: stride, Pad: pad}
//		out = l.Forward(x)
//		dx = l.Backward(dout)
//		return out, dx, l.DW, l.DB
//	})
func ConvolutionBackward(layer func(x, W, b, dout *np.Array, stride, pad int) (out, dx, dW, db *np.Array)) Result {
	return show(checkConvolutionBackward(layer))
}

func checkConvolutionBackward(layer func(x, W, b, dout *np.Array, stride, pad int) (out, dx, dW, db *np.Array)) Result {
	pack := func(out, dx, dW, db *np.Array) outputs {
		return outputs{array("out", out), array("dx", dx), array("dW", dW), array("db", db)}
	}
	forward := func(c imCase, x, W, b *np.Array) *np.Array {
		return ref.NewConvolution(W, b, c.stride, c.pad).Forward(x)
	}
	// variant is the course's backward pass with one mistake by kind (1: db summed over axis 1;
	// 2: dW reshaped without the transpose; 3: dout reshaped without its transpose).
	variant := func(kind int) func(c imCase) outputs {
		return func(c imCase) outputs {
			FN, C := c.W.Shape[0], c.W.Shape[1]
			out := forward(c, c.x, c.W, c.b)
			col := ref.Im2Col(c.x, c.fh, c.fw, c.stride, c.pad)
			colW := np.T(np.Reshape(c.W, FN, -1))
			dout := np.Reshape(np.Transpose(c.dout, 0, 2, 3, 1), -1, FN)
			if kind == 3 {
				dout = np.Reshape(c.dout, -1, FN)
			}
			axis := 0
			if kind == 1 {
				axis = 1
			}
			db := np.Sum(dout, axis)
			dW := np.Dot(np.T(col), dout)
			if kind == 2 {
				dW = np.Reshape(dW, FN, C, c.fh, c.fw)
			} else {
				dW = np.Reshape(np.Transpose(dW, 1, 0), FN, C, c.fh, c.fw)
			}
			dx := ref.Col2Im(np.Dot(dout, np.T(colW)), c.x.Shape, c.fh, c.fw, c.stride, c.pad)
			return pack(out, dx, dW, db)
		}
	}
	return spec[imCase]{
		name: "ConvolutionBackward", nilIsStub: true, title: "Convolution の逆伝播",
		passed: "3 通りの形 (パディング 1、ストライド 2、チャンネル 1) で dx, dW, db が一致、数値微分とも一致",
		cases:  convCases(),
		input: func(c imCase) string {
			return shapes("x, W, b, dout", c.x, c.W, c.b, c.dout) + fmt.Sprintf("、stride %d、pad %d", c.stride, c.pad)
		},
		student: func(c imCase) outputs {
			return pack(layer(np.Copy(c.x), np.Copy(c.W), np.Copy(c.b), np.Copy(c.dout), c.stride, c.pad))
		},
		ref: func(c imCase) outputs {
			l := ref.NewConvolution(c.W, c.b, c.stride, c.pad)
			out := l.Forward(c.x)
			dx := l.Backward(c.dout)
			return pack(out, dx, l.DW, l.DB)
		},
		blank: onlyOut[imCase],
		numeric: func(c imCase, name string) *np.Array {
			loss := func(x, W, b *np.Array) float64 { return dot(forward(c, x, W, b), c.dout) }
			return gradient3(name, [3]string{"dx", "dW", "db"}, loss, c.x, c.W, c.b)
		},
		mistakes: []mistake[imCase]{
			{"axis", "和の軸が違います: dout を (−1, FN) にしたあと、db はフィルタごとに axis=0 の方向に足します: np.Sum(dout, 0)。",
				variant(1)},
			{"transpose", "dW = colᵀ·dout は (C·FH·FW, FN) です。np.Transpose(dW, 1, 0) で (FN, C·FH·FW) にしてから (FN, C, FH, FW) に変形します。",
				variant(2)},
			{"dout-transpose", "dout は (N, FN, OH, OW) です。np.Transpose(dout, 0, 2, 3, 1) で (N, OH, OW, FN) にしてから (−1, FN) に変形します。",
				variant(3)},
		},
		general: "dout → (−1, FN)、db = Σ dout (axis=0)、dW = colᵀ·dout を転置して (FN, C, FH, FW)、dcol = dout·col_Wᵀ を col2im で dx にします。",
	}.run()
}

// poolCases are max poolings: the usual 2×2 with stride 2, overlapping 3×3
// windows with stride 2, and 2×2 with stride 1.
func poolCases() []imCase {
	cs := []imCase{
		{shape: []int{2, 2, 4, 4}, fh: 2, fw: 2, stride: 2},
		{shape: []int{1, 3, 5, 5}, fh: 3, fw: 3, stride: 2},
		{shape: []int{1, 1, 4, 4}, fh: 2, fw: 2, stride: 1},
	}
	for k := range cs {
		c := &cs[k]
		c.x = randn(uint32(160+k), c.shape...)
		oh, ow := c.outHW()
		c.dout = randn(uint32(170+k), c.shape[0], c.shape[1], oh, ow)
	}
	return cs
}

// PoolingBackward checks the Backward of 2_6's Pooling (max pooling). The
// check cell:
//
//	exercise.PoolingBackward(func(x, dout *np.Array, poolH, poolW, stride, pad int) (out, dx *np.Array) {
//		l := &Pooling{PoolH: poolH, PoolW: poolW, Stride: stride, Pad: pad}
//		out = l.Forward(x)
//		dx = l.Backward(dout)
//		return
//	})
func PoolingBackward(layer func(x, dout *np.Array, poolH, poolW, stride, pad int) (out, dx *np.Array)) Result {
	return show(checkPoolingBackward(layer))
}

func checkPoolingBackward(layer func(x, dout *np.Array, poolH, poolW, stride, pad int) (out, dx *np.Array)) Result {
	forward := func(c imCase, x *np.Array) *np.Array { return ref.NewPooling(c.fh, c.fw, c.stride, c.pad).Forward(x) }
	// variant routes the gradient with one mistake by kind (1: dout not transposed;
	// 2: spread evenly over the window; 3: to every position of the window).
	variant := func(kind int) func(c imCase) outputs {
		return func(c imCase) outputs {
			N, C := c.shape[0], c.shape[1]
			oh, ow := c.outHW()
			size := c.fh * c.fw
			col := np.Reshape(ref.Im2Col(c.x, c.fh, c.fw, c.stride, c.pad), -1, size)
			argMax := np.Argmax(col, 1)
			dout := np.Transpose(c.dout, 0, 2, 3, 1)
			if kind == 1 {
				dout = np.Reshape(c.dout, N, oh, ow, C)
			}
			var dmax *np.Array
			switch kind {
			case 2:
				dmax = np.Divide(np.Multiply(np.Reshape(np.Flatten(dout), -1, 1), np.Ones(1, size)), size)
			case 3:
				dmax = np.Multiply(np.Reshape(np.Flatten(dout), -1, 1), np.Ones(1, size))
			default:
				dmax = np.Zeros(dout.Size(), size)
				np.PutPick(dmax, argMax, np.Flatten(dout))
			}
			dcol := np.Reshape(dmax, N*oh*ow, -1)
			return outputs{array("out", forward(c, c.x)), array("dx", ref.Col2Im(dcol, c.x.Shape, c.fh, c.fw, c.stride, c.pad))}
		}
	}
	return spec[imCase]{
		name: "PoolingBackward", nilIsStub: true, title: "Pooling の逆伝播",
		passed: "3 通り (2×2 ストライド 2、重なる 3×3 ストライド 2、2×2 ストライド 1) で dx が一致、数値微分とも一致",
		cases:  poolCases(),
		input: func(c imCase) string {
			return shapes("x, dout", c.x, c.dout) + fmt.Sprintf("、pool_h %d、pool_w %d、stride %d、pad %d", c.fh, c.fw, c.stride, c.pad)
		},
		student: func(c imCase) outputs {
			out, dx := layer(np.Copy(c.x), np.Copy(c.dout), c.fh, c.fw, c.stride, c.pad)
			return outputs{array("out", out), array("dx", dx)}
		},
		ref: func(c imCase) outputs {
			l := ref.NewPooling(c.fh, c.fw, c.stride, c.pad)
			out := l.Forward(c.x)
			return outputs{array("out", out), array("dx", l.Backward(c.dout))}
		},
		blank: onlyOut[imCase],
		numeric: func(c imCase, name string) *np.Array {
			if name != "dx" {
				return nil
			}
			return numericalGradient(func(x *np.Array) float64 { return dot(forward(c, x), c.dout) }, c.x)
		},
		mistakes: []mistake[imCase]{
			{"pool-transpose", "dout は (N, C, OH, OW) です。np.Transpose(dout, 0, 2, 3, 1) で (N, OH, OW, C) の順にしてから平らにします (col の行の順に合わせる)。",
				variant(1)},
			{"pool-spread", "勾配を窓全体に均等に配っています (平均プーリングの逆伝播)。Max プーリングでは最大値をとった位置 (argMax) にだけ流します。",
				variant(2)},
			{"pool-max-only", "勾配を窓のすべての位置に流しています。最大値をとった位置 (argMax) にだけ流します: np.PutPick(dmax, l.argMax, np.Flatten(dout))。",
				variant(3)},
		},
		general: "dout を transpose(0, 2, 3, 1) し、dmax の argMax の位置に dout を入れ (np.PutPick)、reshape して col2im します。",
	}.run()
}

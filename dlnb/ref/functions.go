package ref

import (
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/np"
	"github.com/dlnb/course/dlnb/tensor"
)

// sigmoid is 1 / (1 + exp(−x)) (functions.sigmoid).
func sigmoid(x *np.Array) *np.Array {
	return np.Divide(1, np.Add(1, np.Exp(np.Multiply(-1, x))))
}

// Softmax normalises each row of x (N, classes) to probabilities; the row
// maximum is subtracted first so that exp cannot overflow (functions.softmax,
// which works on the transpose: columns of x.T).
func Softmax(x *np.Array) *np.Array {
	if x.Dims() == 2 {
		x = np.T(x)
		x = np.Subtract(x, np.Max(x, 0))
		y := np.Divide(np.Exp(x), np.Sum(np.Exp(x), 0))
		return np.T(y)
	}
	x = np.Subtract(x, np.Max(x)) // オーバーフロー対策
	return np.Divide(np.Exp(x), np.Sum(np.Exp(x)))
}

// CrossEntropyError is −Σ log(y[i, d_i] + 1e-7) / N for probabilities y
// (N, classes) and labels d, one-hot rows or class indices
// (functions.cross_entropy_error(d, y); the course puts d first).
func CrossEntropyError(d, y *np.Array) float64 {
	if y.Dims() == 1 {
		d, y = np.Reshape(d, 1, d.Size()), np.Reshape(y, 1, y.Size())
	}
	// 教師データが one-hot-vector の場合、正解ラベルのインデックスに変換
	if d.Size() == y.Size() {
		d = np.Argmax(d, 1)
	}
	batchSize := y.Shape[0]
	return -np.Sum(np.Log(np.Add(np.Pick(y, d), 1e-7))).Item() / float64(batchSize)
}

// convOutSize is (size + 2·pad − filter) // stride + 1, Python's floor
// division: a stride that does not divide the padded size drops the last
// rows or columns, as in the course.
func convOutSize(what string, size, filter, stride, pad int) int {
	if stride < 1 || pad < 0 {
		mistake.Panicf("%s: stride %d must be ≥ 1 and pad %d ≥ 0", what, stride, pad)
	}
	if size+2*pad < filter {
		mistake.Panicf("%s: the filter (%d) is larger than the padded input (%d + 2·%d)", what, filter, size, pad)
	}
	return (size+2*pad-filter)/stride + 1
}

func shape4(what string, x *np.Array) (n, c, h, w int) {
	if x.Dims() != 4 {
		mistake.Panicf("%s: input must be (N, C, H, W), got %s", what, tensor.ShapeString(x.Shape))
	}
	return x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
}

// Im2Col unrolls the filterH×filterW windows of a batch of images
// inputData (N, C, H, W) into the rows of a matrix (N·OH·OW, C·FH·FW), so that
// a convolution becomes one matrix product (functions.im2col). Row
// (n·OH + i)·OW + j holds the window whose top-left corner is at
// (i·stride − pad, j·stride − pad) of image n; padding reads as 0.
func Im2Col(inputData *np.Array, filterH, filterW, stride, pad int) *np.Array {
	N, C, H, W := shape4("Im2Col", inputData)
	outH := convOutSize("Im2Col height", H, filterH, stride, pad)
	outW := convOutSize("Im2Col width", W, filterW, stride, pad)

	img := np.Pad(inputData, [][2]int{{0, 0}, {0, 0}, {pad, pad}, {pad, pad}})
	col := np.Zeros(N, C, filterH, filterW, outH, outW)
	for y := range filterH {
		for x := range filterW {
			// col[:, :, y, x, :, :] = img[:, :, y:y_max:stride, x:x_max:stride]
			for n := range N {
				for c := range C {
					for i := range outH {
						for j := range outW {
							col.Set(img.At(n, c, y+stride*i, x+stride*j), n, c, y, x, i, j)
						}
					}
				}
			}
		}
	}
	col = np.Reshape(np.Transpose(col, 0, 4, 5, 1, 2, 3), N*outH*outW, -1)
	return col
}

// Col2Im is the adjoint of Im2Col: it adds every entry of col back onto the
// pixel it was read from, into an array of inputShape (N, C, H, W); pixels
// covered by several windows receive the sum (functions.col2im).
func Col2Im(col *np.Array, inputShape []int, filterH, filterW, stride, pad int) *np.Array {
	if len(inputShape) != 4 {
		mistake.Panicf("Col2Im: input shape must be (N, C, H, W), got %s", tensor.ShapeString(inputShape))
	}
	N, C, H, W := inputShape[0], inputShape[1], inputShape[2], inputShape[3]
	outH := convOutSize("Col2Im height", H, filterH, stride, pad)
	outW := convOutSize("Col2Im width", W, filterW, stride, pad)
	col = np.Transpose(np.Reshape(col, N, outH, outW, C, filterH, filterW), 0, 3, 4, 5, 1, 2)

	img := np.Zeros(N, C, H+2*pad+stride-1, W+2*pad+stride-1)
	for y := range filterH {
		for x := range filterW {
			// img[:, :, y:y_max:stride, x:x_max:stride] += col[:, :, y, x, :, :]
			for n := range N {
				for c := range C {
					for i := range outH {
						for j := range outW {
							v := img.At(n, c, y+stride*i, x+stride*j) + col.At(n, c, y, x, i, j)
							img.Set(v, n, c, y+stride*i, x+stride*j)
						}
					}
				}
			}
		}
	}
	// return img[:, :, pad:H + pad, pad:W + pad]
	out := np.Zeros(N, C, H, W)
	for n := range N {
		for c := range C {
			for i := range H {
				for j := range W {
					out.Set(img.At(n, c, i+pad, j+pad), n, c, i, j)
				}
			}
		}
	}
	return out
}

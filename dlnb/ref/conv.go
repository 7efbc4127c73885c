package ref

import (
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/np"
	"github.com/dlnb/course/dlnb/tensor"
)

// Convolution applies FN filters W (FN, C, FH, FW) with bias b (FN,) to a
// batch x (N, C, H, W), moving by Stride over x padded by Pad: the output is
// (N, FN, OH, OW), OH = (H + 2·Pad − FH) // Stride + 1 (rounded down: a stride
// that does not fit drops the last rows, as in the course).
//
//	Forward:  col = im2col(x); out = col·W_colᵀ + b, reshaped to (N, FN, OH, OW)
//	Backward: db = Σ dout, dW = colᵀ·dout, dx = col2im(dout·W_col)
type Convolution struct {
	W, B        *np.Array
	Stride, Pad int
	DW, DB      *np.Array

	// 中間データ（backward 時に使用）
	x, col, colW *np.Array
}

// NewConvolution returns a convolution layer with filters W and bias b.
func NewConvolution(W, b *np.Array, stride, pad int) *Convolution {
	return &Convolution{W: W, B: b, Stride: stride, Pad: pad}
}

// Forward convolves x.
func (l *Convolution) Forward(x *np.Array) *np.Array {
	FN, C, FH, FW := shape4("Convolution W", l.W)
	N, _, H, W := shape4("Convolution", x)
	if x.Shape[1] != C {
		mistake.Panic(&tensor.ShapeError{Op: "Convolution (x vs W)", A: x.Shape, B: l.W.Shape, Reason: "x has another number of channels than the filters"})
	}
	outH := convOutSize("Convolution height", H, FH, l.Stride, l.Pad)
	outW := convOutSize("Convolution width", W, FW, l.Stride, l.Pad)

	col := Im2Col(x, FH, FW, l.Stride, l.Pad)
	colW := np.T(np.Reshape(l.W, FN, -1))

	out := np.Add(np.Dot(col, colW), l.B)
	out = np.Transpose(np.Reshape(out, N, outH, outW, -1), 0, 3, 1, 2)

	l.x, l.col, l.colW = x, col, colW
	return out
}

// Backward stores dW and db and returns dx.
func (l *Convolution) Backward(dout *np.Array) *np.Array {
	FN, C, FH, FW := shape4("Convolution W", l.W)
	dout = np.Reshape(np.Transpose(dout, 0, 2, 3, 1), -1, FN)

	l.DB = np.Sum(dout, 0)
	l.DW = np.Dot(np.T(l.col), dout)
	l.DW = np.Reshape(np.Transpose(l.DW, 1, 0), FN, C, FH, FW)

	dcol := np.Dot(dout, np.T(l.colW))
	dx := Col2Im(dcol, l.x.Shape, FH, FW, l.Stride, l.Pad)
	return dx
}

// Pooling takes the maximum of every PoolH×PoolW window of each channel,
// moving by Stride (max pooling).
//
//	Forward:  col = im2col(x) as rows of one window; out = max of each row
//	Backward: the gradient goes to the position of each maximum (col2im)
type Pooling struct {
	PoolH, PoolW, Stride, Pad int

	x      *np.Array
	argMax *np.Array
}

// NewPooling returns a max-pooling layer.
func NewPooling(poolH, poolW, stride, pad int) *Pooling {
	return &Pooling{PoolH: poolH, PoolW: poolW, Stride: stride, Pad: pad}
}

// Forward returns the maximum of every window.
func (l *Pooling) Forward(x *np.Array) *np.Array {
	N, C, H, W := shape4("Pooling", x)
	outH := convOutSize("Pooling height", H, l.PoolH, l.Stride, l.Pad)
	outW := convOutSize("Pooling width", W, l.PoolW, l.Stride, l.Pad)

	col := Im2Col(x, l.PoolH, l.PoolW, l.Stride, l.Pad)
	col = np.Reshape(col, -1, l.PoolH*l.PoolW)

	argMax := np.Argmax(col, 1)
	out := np.Max(col, 1)
	out = np.Transpose(np.Reshape(out, N, outH, outW, C), 0, 3, 1, 2)

	l.x, l.argMax = x, argMax
	return out
}

// Backward routes each gradient to its window's maximum.
func (l *Pooling) Backward(dout *np.Array) *np.Array {
	dout = np.Transpose(dout, 0, 2, 3, 1)

	poolSize := l.PoolH * l.PoolW
	dmax := np.Zeros(dout.Size(), poolSize)
	np.PutPick(dmax, l.argMax, np.Flatten(dout))
	dmax = np.Reshape(dmax, append(append([]int{}, dout.Shape...), poolSize)...)

	dcol := np.Reshape(dmax, dmax.Shape[0]*dmax.Shape[1]*dmax.Shape[2], -1)
	dx := Col2Im(dcol, l.x.Shape, l.PoolH, l.PoolW, l.Stride, l.Pad)
	return dx
}

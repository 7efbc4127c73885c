package ref

import (
	"github.com/dlnb/course/dlnb/np"
)

// AvgPooling takes the mean of every PoolH×PoolW window of each channel,
// moving by Stride (average pooling, LeNet's subsampling layers).
//
//	Forward:  out = mean of each window (a row of im2col)
//	Backward: each window's gradient is spread evenly over it: dout/(PoolH·PoolW)
type AvgPooling struct {
	PoolH, PoolW, Stride, Pad int

	x *np.Array
}

// NewAvgPooling returns an average-pooling layer.
func NewAvgPooling(poolH, poolW, stride, pad int) *AvgPooling {
	return &AvgPooling{PoolH: poolH, PoolW: poolW, Stride: stride, Pad: pad}
}

// Forward returns the mean of every window.
func (l *AvgPooling) Forward(x *np.Array) *np.Array {
	N, C, H, W := shape4("AvgPooling", x)
	outH := convOutSize("AvgPooling height", H, l.PoolH, l.Stride, l.Pad)
	outW := convOutSize("AvgPooling width", W, l.PoolW, l.Stride, l.Pad)

	col := np.Reshape(Im2Col(x, l.PoolH, l.PoolW, l.Stride, l.Pad), -1, l.PoolH*l.PoolW)
	out := np.Mean(col, 1)
	out = np.Transpose(np.Reshape(out, N, outH, outW, C), 0, 3, 1, 2)
	l.x = x
	return out
}

// Backward spreads each window's gradient evenly over the window.
func (l *AvgPooling) Backward(dout *np.Array) *np.Array {
	dout = np.Transpose(dout, 0, 2, 3, 1)
	poolSize := l.PoolH * l.PoolW
	// Every position of a window gets dout / poolSize: a column of ones times dout.
	dcol := np.Divide(np.Multiply(np.Reshape(np.Flatten(dout), -1, 1), np.Ones(1, poolSize)), poolSize)
	dcol = np.Reshape(dcol, dout.Shape[0]*dout.Shape[1]*dout.Shape[2], -1)
	return Col2Im(dcol, l.x.Shape, l.PoolH, l.PoolW, l.Stride, l.Pad)
}

// GlobalAvgPooling averages each channel over the whole image:
// (N, C, H, W) → (N, C). It replaces Flatten before the dense layers of
// modern networks (Lin et al. 2014), with no parameters and C outputs.
//
//	Forward:  out[n, c] = mean over h, w of x[n, c, h, w]
//	Backward: dx[n, c, h, w] = dout[n, c] / (H·W)
type GlobalAvgPooling struct {
	inputShape []int
}

// Forward returns each channel's mean.
func (l *GlobalAvgPooling) Forward(x *np.Array) *np.Array {
	N, C, _, _ := shape4("GlobalAvgPooling", x)
	l.inputShape = x.Shape
	return np.Reshape(np.Mean(np.Reshape(x, N, C, -1), 2), N, C)
}

// Backward spreads each channel's gradient over its pixels.
func (l *GlobalAvgPooling) Backward(dout *np.Array) *np.Array {
	N, C, H, W := l.inputShape[0], l.inputShape[1], l.inputShape[2], l.inputShape[3]
	dx := np.Multiply(np.Reshape(dout, N, C, 1), np.Ones(1, 1, H*W))
	return np.Reshape(np.Divide(dx, H*W), N, C, H, W)
}

// GlobalMaxPooling takes each channel's maximum over the whole image:
// (N, C, H, W) → (N, C).
//
//	Forward:  out[n, c] = max over h, w of x[n, c, h, w]
//	Backward: dout[n, c] goes to the position of that maximum
type GlobalMaxPooling struct {
	inputShape []int
	argMax     *np.Array
}

// Forward returns each channel's maximum.
func (l *GlobalMaxPooling) Forward(x *np.Array) *np.Array {
	N, C, _, _ := shape4("GlobalMaxPooling", x)
	l.inputShape = x.Shape
	flat := np.Reshape(x, N*C, -1)
	l.argMax = np.Argmax(flat, 1)
	return np.Reshape(np.Max(flat, 1), N, C)
}

// Backward routes each gradient to its channel's maximum.
func (l *GlobalMaxPooling) Backward(dout *np.Array) *np.Array {
	N, C, H, W := l.inputShape[0], l.inputShape[1], l.inputShape[2], l.inputShape[3]
	dx := np.Zeros(N*C, H*W)
	np.PutPick(dx, l.argMax, np.Flatten(dout))
	return np.Reshape(dx, N, C, H, W)
}

// Flatten lines up each sample's values in one row, (N, C, H, W) → (N, C·H·W),
// before the dense layers.
//
//	Forward:  out = x.reshape(N, −1)
//	Backward: dx = dout.reshape(x.shape)
type Flatten struct {
	inputShape []int
}

// Forward returns x with one row per sample.
func (l *Flatten) Forward(x *np.Array) *np.Array {
	l.inputShape = x.Shape
	return np.Reshape(x, x.Shape[0], -1)
}

// Backward gives dout the input's shape back.
func (l *Flatten) Backward(dout *np.Array) *np.Array { return np.Reshape(dout, l.inputShape...) }

// Tanh is the hyperbolic tangent, the activation of the original LeNet-5.
//
//	Forward:  out = tanh(x)
//	Backward: dx = dout·(1 − out²)
type Tanh struct {
	out *np.Array
}

// Forward returns tanh(x).
func (l *Tanh) Forward(x *np.Array) *np.Array {
	l.out = np.Tanh(x)
	return l.out
}

// Backward returns dout·(1 − out²).
func (l *Tanh) Backward(dout *np.Array) *np.Array {
	return np.Multiply(dout, np.Subtract(1, np.Power(l.out, 2)))
}

// LRN is AlexNet's local response normalisation (Krizhevsky et al. 2012,
// §3.3): each activation is divided by a power of the sum of squares of the
// same position in the N neighbouring channels,
//
//	s[c] = K + Alpha · Σ_{c′ = c−N/2 … c+N/2} x[c′]²     (channels that exist)
//	out[c] = x[c] / s[c]^Beta
//
// with the paper's K = 2, N = 5, Alpha = 1e-4, Beta = 0.75. (Caffe and
// PyTorch divide Alpha by N; this is the paper's formula.)
//
//	Backward: dx[c] = dout[c]/s[c]^Beta
//	                 − 2·Alpha·Beta·x[c] · Σ_{c′ whose window holds c} dout[c′]·x[c′]/s[c′]^(Beta+1)
type LRN struct {
	K, Alpha, Beta float64
	N              int

	x, s *np.Array
}

// NewLRN returns AlexNet's normalisation with the paper's constants.
func NewLRN() *LRN { return &LRN{K: 2, N: 5, Alpha: 1e-4, Beta: 0.75} }

// window sums v[:, c−N/2 … c+N/2] over the channel axis of (B, C, P) data.
func (l *LRN) window(v *np.Array) *np.Array {
	B, C, P := v.Shape[0], v.Shape[1], v.Shape[2]
	out := np.Zeros(B, C, P)
	for b := range B {
		for c := range C {
			for cc := max(0, c-l.N/2); cc <= min(C-1, c+l.N/2); cc++ {
				for p := range P {
					out.Set(out.At(b, c, p)+v.At(b, cc, p), b, c, p)
				}
			}
		}
	}
	return out
}

// Forward normalises x (N, C, H, W) across channels.
func (l *LRN) Forward(x *np.Array) *np.Array {
	N, C, H, W := shape4("LRN", x)
	l.x = np.Reshape(x, N, C, H*W)
	l.s = np.Add(l.K, np.Multiply(l.Alpha, l.window(np.Power(l.x, 2))))
	out := np.Divide(l.x, np.Power(l.s, l.Beta))
	return np.Reshape(out, N, C, H, W)
}

// Backward returns dx.
func (l *LRN) Backward(dout *np.Array) *np.Array {
	shape := dout.Shape
	dout = np.Reshape(dout, l.x.Shape...)
	direct := np.Divide(dout, np.Power(l.s, l.Beta))
	// The windows are symmetric: c′'s window holds c exactly when c's holds c′.
	through := l.window(np.Divide(np.Multiply(dout, l.x), np.Power(l.s, l.Beta+1)))
	dx := np.Subtract(direct, np.Multiply(2*l.Alpha*l.Beta, np.Multiply(l.x, through)))
	return np.Reshape(dx, shape...)
}

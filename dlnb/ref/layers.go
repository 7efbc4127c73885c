package ref

import (
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/np"
	"github.com/dlnb/course/dlnb/tensor"
)

// Relu is the rectified linear unit.
//
//	Forward:  out = max(0, x); the mask remembers where x <= 0
//	Backward: dx = dout, set to 0 where the mask is true
type Relu struct {
	mask *np.Mask
}

// Forward returns max(0, x).
func (l *Relu) Forward(x *np.Array) *np.Array {
	l.mask = np.LessEqual(x, 0)
	out := np.Copy(x)
	np.Putmask(out, l.mask, 0)
	return out
}

// Backward passes dout where x was positive. (The course changes dout in
// place; this returns a new array.)
func (l *Relu) Backward(dout *np.Array) *np.Array {
	dx := np.Copy(dout)
	np.Putmask(dx, l.mask, 0)
	return dx
}

// Sigmoid is the logistic function.
//
//	Forward:  out = 1 / (1 + exp(−x))
//	Backward: dx = dout·(1 − out)·out
type Sigmoid struct {
	out *np.Array
}

// Forward returns σ(x).
func (l *Sigmoid) Forward(x *np.Array) *np.Array {
	l.out = sigmoid(x)
	return l.out
}

// Backward returns dout·(1 − out)·out.
func (l *Sigmoid) Backward(dout *np.Array) *np.Array {
	return np.Multiply(np.Multiply(dout, np.Subtract(1.0, l.out)), l.out)
}

// Affine is the fully connected layer out = x·W + b.
//
//	Forward:  x is flattened to (N, D) (テンソル対応); out = x·W + b
//	Backward: dx = dout·Wᵀ (reshaped to x's shape), dW = xᵀ·dout, db = Σ_rows dout
type Affine struct {
	W, B   *np.Array
	DW, DB *np.Array

	x              *np.Array
	originalXShape []int
}

// NewAffine returns an Affine layer using W (D, M) and b (M,).
func NewAffine(W, b *np.Array) *Affine { return &Affine{W: W, B: b} }

// Forward returns x·W + b.
func (l *Affine) Forward(x *np.Array) *np.Array {
	l.originalXShape = x.Shape
	x = np.Reshape(x, x.Shape[0], -1)
	l.x = x
	out := np.Add(np.Dot(l.x, l.W), l.B)
	return out
}

// Backward stores dW and db and returns dx.
func (l *Affine) Backward(dout *np.Array) *np.Array {
	dx := np.Dot(dout, np.T(l.W))
	l.DW = np.Dot(np.T(l.x), dout)
	l.DB = np.Sum(dout, 0)
	dx = np.Reshape(dx, l.originalXShape...) // 入力データの形状に戻す（テンソル対応）
	return dx
}

// SoftmaxWithLoss is the output layer: softmax, then the cross-entropy
// against the labels d (one-hot rows or class indices).
//
//	Forward:  y = softmax(x); loss = −Σ log(y[i, d_i] + 1e-7) / N
//	Backward: dx = (y − d) / N
type SoftmaxWithLoss struct {
	Loss float64
	Y    *np.Array // softmax の出力
	D    *np.Array // 教師データ
}

// Forward returns the loss of x against the labels d.
func (l *SoftmaxWithLoss) Forward(x, d *np.Array) float64 {
	l.D = d
	l.Y = Softmax(x)
	l.Loss = CrossEntropyError(l.D, l.Y)
	return l.Loss
}

// Backward returns ∂loss/∂x (dout is 1 for the last layer).
func (l *SoftmaxWithLoss) Backward(dout float64) *np.Array {
	batchSize := l.D.Shape[0]
	if l.D.Size() == l.Y.Size() { // 教師データが one-hot-vector の場合
		return np.Multiply(dout, np.Divide(np.Subtract(l.Y, l.D), batchSize))
	}
	dx := np.Copy(l.Y)
	rows := np.Pick(dx, l.D)
	np.PutPick(dx, l.D, np.Subtract(rows, 1))
	return np.Multiply(dout, np.Divide(dx, batchSize))
}

// Dropout drops each activation with probability DropoutRatio during
// training and scales by the keep rate at test time (the course's form,
// not inverted dropout).
//
//	train:    mask = rand > ratio; out = x·mask
//	test:     out = x·(1 − ratio)
//	Backward: dx = dout·mask
//
// The masks are drawn from np.Random.
type Dropout struct {
	DropoutRatio float64
	mask         *np.Mask
}

// Forward applies a fresh mask (trainFlg) or the expected scaling.
func (l *Dropout) Forward(x *np.Array, trainFlg bool) *np.Array {
	if trainFlg {
		l.mask = np.Greater(np.Random.Rand(x.Shape...), l.DropoutRatio)
		return np.Multiply(x, l.mask)
	}
	return np.Multiply(x, 1.0-l.DropoutRatio)
}

// Backward passes dout where the mask kept the activation.
func (l *Dropout) Backward(dout *np.Array) *np.Array {
	return np.Multiply(dout, l.mask)
}

// BatchNormalization normalises each feature over the mini-batch, then
// scales by γ and shifts by β (Ioffe & Szegedy 2015; the course's layer).
//
//	train: μ = mean(x), xc = x − μ, σ² = mean(xc²), std = √(σ² + 10e-7),
//	       xn = xc/std, out = γ·xn + β; running averages with Momentum
//	test:  xn = (x − running mean)/√(running var + 10e-7)
//	Backward: dβ = Σ dout, dγ = Σ xn·dout, then back through xn, std, μ
//
// A 4-D input (N, C, H, W) is normalised as (N, C·H·W).
type BatchNormalization struct {
	Gamma, Beta             *np.Array
	Momentum                float64
	RunningMean, RunningVar *np.Array // テスト時に使用する平均・分散
	DGamma, DBeta           *np.Array
	inputShape              []int
	batchSize               int
	xc, xn, std             *np.Array
}

// NewBatchNormalization returns a batch-norm layer with the course's
// momentum 0.9.
func NewBatchNormalization(gamma, beta *np.Array) *BatchNormalization {
	return &BatchNormalization{Gamma: gamma, Beta: beta, Momentum: 0.9}
}

// Forward normalises x with the batch statistics (trainFlg) or the running
// averages.
func (l *BatchNormalization) Forward(x *np.Array, trainFlg bool) *np.Array {
	l.inputShape = x.Shape
	if x.Dims() != 2 {
		x = np.Reshape(x, x.Shape[0], -1)
	}
	out := l.forward(x, trainFlg)
	return np.Reshape(out, l.inputShape...)
}

func (l *BatchNormalization) forward(x *np.Array, trainFlg bool) *np.Array {
	if l.RunningMean == nil {
		D := x.Shape[1]
		l.RunningMean = np.Zeros(D)
		l.RunningVar = np.Zeros(D)
	}
	var xn *np.Array
	if trainFlg {
		mu := np.Mean(x, 0)
		xc := np.Subtract(x, mu)
		variance := np.Mean(np.Power(xc, 2), 0)
		std := np.Sqrt(np.Add(variance, 10e-7))
		xn = np.Divide(xc, std)

		l.batchSize = x.Shape[0]
		l.xc, l.xn, l.std = xc, xn, std
		l.RunningMean = np.Add(np.Multiply(l.Momentum, l.RunningMean), np.Multiply(1-l.Momentum, mu))
		l.RunningVar = np.Add(np.Multiply(l.Momentum, l.RunningVar), np.Multiply(1-l.Momentum, variance))
	} else {
		xc := np.Subtract(x, l.RunningMean)
		xn = np.Divide(xc, np.Sqrt(np.Add(l.RunningVar, 10e-7)))
	}
	out := np.Add(np.Multiply(l.Gamma, xn), l.Beta)
	return out
}

// Backward stores dγ and dβ and returns dx.
func (l *BatchNormalization) Backward(dout *np.Array) *np.Array {
	if l.xn == nil {
		mistake.Panicf("BatchNormalization: Backward before a training Forward")
	}
	if dout.Dims() != 2 {
		dout = np.Reshape(dout, dout.Shape[0], -1)
	}
	if !tensor.SameShape(dout.Shape, l.xn.Shape) {
		mistake.Panic(&tensor.ShapeError{Op: "BatchNormalization Backward (dout vs forward input)", A: dout.Shape, B: l.xn.Shape})
	}
	dbeta := np.Sum(dout, 0)
	dgamma := np.Sum(np.Multiply(l.xn, dout), 0)
	dxn := np.Multiply(l.Gamma, dout)
	dxc := np.Divide(dxn, l.std)
	dstd := np.Multiply(-1, np.Sum(np.Divide(np.Multiply(dxn, l.xc), np.Multiply(l.std, l.std)), 0))
	dvar := np.Divide(np.Multiply(0.5, dstd), l.std)
	dxc = np.Add(dxc, np.Multiply(np.Multiply(2.0/float64(l.batchSize), l.xc), dvar))
	dmu := np.Sum(dxc, 0)
	dx := np.Subtract(dxc, np.Divide(dmu, l.batchSize))

	l.DGamma, l.DBeta = dgamma, dbeta
	return np.Reshape(dx, l.inputShape...)
}

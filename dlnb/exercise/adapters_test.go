package exercise_test

import (
	"github.com/dlnb/course/dlnb/np"
)

// The check cells of the layer exercises build the student's layer in a
// closure. These build the notebook's layer with another Backward: the
// answer's, a stub's, or one with a mistake.

func reluWith(back func(l *Relu, dout *np.Array) *np.Array) func(x, dout *np.Array) (out, dx *np.Array) {
	return func(x, dout *np.Array) (out, dx *np.Array) {
		l := &Relu{}
		out = l.Forward(x)
		dx = back(l, dout)
		return
	}
}

func sigmoidWith(back func(l *Sigmoid, dout *np.Array) *np.Array) func(x, dout *np.Array) (out, dx *np.Array) {
	return func(x, dout *np.Array) (out, dx *np.Array) {
		l := &Sigmoid{}
		out = l.Forward(x)
		dx = back(l, dout)
		return
	}
}

func affineWith(back func(l *Affine, dout *np.Array) *np.Array) func(x, W, b, dout *np.Array) (out, dx, dW, db *np.Array) {
	return func(x, W, b, dout *np.Array) (out, dx, dW, db *np.Array) {
		l := &Affine{W: W, B: b}
		out = l.Forward(x)
		dx = back(l, dout)
		return out, dx, l.DW, l.DB
	}
}

func softmaxWith(back func(l *SoftmaxWithLoss, dout float64) *np.Array) func(x, d *np.Array) (loss float64, dx *np.Array) {
	return func(x, d *np.Array) (loss float64, dx *np.Array) {
		l := &SoftmaxWithLoss{}
		loss = l.Forward(x, d)
		dx = back(l, 1)
		return
	}
}

func dropoutWith(back func(l *Dropout, dout *np.Array) *np.Array) func(x, dout *np.Array, ratio float64) (out, dx *np.Array) {
	return func(x, dout *np.Array, ratio float64) (out, dx *np.Array) {
		l := NewDropout(ratio)
		out = l.Forward(x, true)
		dx = back(l, dout)
		return
	}
}

// bnWith replaces the inner backward of the notebook's BatchNormalization
// (the exercise), keeping its Backward around it.
func bnWith(back func(l *BatchNormalization, dout *np.Array) *np.Array) func(x, gamma, beta, dout *np.Array) (out, dx, dgamma, dbeta *np.Array) {
	return func(x, gamma, beta, dout *np.Array) (out, dx, dgamma, dbeta *np.Array) {
		l := NewBatchNormalization(gamma, beta)
		out = l.Forward(x, true)
		if dout.Dims() != 2 {
			dout = np.Reshape(dout, dout.Shape[0], -1)
		}
		dx = np.Reshape(back(l, dout), l.inputShape...)
		return out, dx, l.DGamma, l.DBeta
	}
}

func convWith(back func(l *Convolution, dout *np.Array) *np.Array) func(x, W, b, dout *np.Array, stride, pad int) (out, dx, dW, db *np.Array) {
	return func(x, W, b, dout *np.Array, stride, pad int) (out, dx, dW, db *np.Array) {
		l := &Convolution{W: W, B: b, Stride: stride, Pad: pad}
		out = l.Forward(x)
		dx = back(l, dout)
		return out, dx, l.DW, l.DB
	}
}

func poolWith(back func(l *Pooling, dout *np.Array) *np.Array) func(x, dout *np.Array, poolH, poolW, stride, pad int) (out, dx *np.Array) {
	return func(x, dout *np.Array, poolH, poolW, stride, pad int) (out, dx *np.Array) {
		l := &Pooling{PoolH: poolH, PoolW: poolW, Stride: stride, Pad: pad}
		out = l.Forward(x)
		dx = back(l, dout)
		return
	}
}

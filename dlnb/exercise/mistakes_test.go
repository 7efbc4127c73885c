package exercise_test

import (
	"math"

	"github.com/dlnb/course/dlnb/np"
)

// Answers with one mistake each, written the way a student would get the
// notebook's code wrong.

// bnMistake is the notebook's BatchNormalization.backward with a mistake:
// 1 sums over axis 1, 2 forgets / batch_size, 3 dgamma without xn, 4 the
// sign of dstd, 5 no path through the variance.
func bnMistake(kind int) func(l *BatchNormalization, dout *np.Array) *np.Array {
	return func(l *BatchNormalization, dout *np.Array) *np.Array {
		axis := 0
		if kind == 1 {
			axis = 1
		}
		dbeta := np.Sum(dout, axis)
		dgamma := np.Sum(np.Multiply(l.xn, dout), axis)
		if kind == 3 {
			dgamma = np.Sum(dout, 0)
		}
		dxn := np.Multiply(l.Gamma, dout)
		dxc := np.Divide(dxn, l.std)
		sign := -1.0
		if kind == 4 {
			sign = 1
		}
		dstd := np.Multiply(sign, np.Sum(np.Divide(np.Multiply(dxn, l.xc), np.Multiply(l.std, l.std)), 0))
		dvar := np.Divide(np.Multiply(0.5, dstd), l.std)
		if kind != 5 {
			dxc = np.Add(dxc, np.Multiply(np.Multiply(2.0/float64(l.batchSize), l.xc), dvar))
		}
		dmu := np.Sum(dxc, 0)
		dx := np.Subtract(dxc, np.Divide(dmu, l.batchSize))
		if kind == 2 {
			dx = np.Subtract(dxc, dmu)
		}
		l.DGamma, l.DBeta = dgamma, dbeta
		return dx
	}
}

// momentumMistake: 1 adds the gradient, 2 keeps no velocity, 3 moves W
// before updating v, 4 swaps μ and η.
func momentumMistake(kind int) updateMomentumFunc {
	return func(i int, key string, params, grad, v map[string]*np.Array, lr, momentum float64) {
		if i == 0 {
			v[key] = np.ZerosLike(params[key])
		}
		switch kind {
		case 1:
			v[key] = np.Add(np.Multiply(momentum, v[key]), np.Multiply(lr, grad[key]))
		case 2:
			v[key] = np.Multiply(-lr, grad[key])
		case 3:
			params[key].Add(v[key])
			v[key] = np.Subtract(np.Multiply(momentum, v[key]), np.Multiply(lr, grad[key]))
			return
		case 4:
			v[key] = np.Subtract(np.Multiply(lr, v[key]), np.Multiply(momentum, grad[key]))
		}
		params[key].Add(v[key])
	}
}

// adaGradMistake: 1 adds the step, 2 sets h = g², 3 never grows h, 4 adds g²
// on the first step too, 5 adds ε, 6 divides by h, 7 starts h at 0.
func adaGradMistake(kind int) updateHFunc {
	return func(i int, key string, params, grad, h map[string]*np.Array, lr, theta float64) {
		switch {
		case i == 0 && kind == 7:
			h[key] = np.ZerosLike(params[key])
			h[key].Add(np.Multiply(grad[key], grad[key]))
		case i == 0 && kind == 4:
			h[key] = np.FullLike(params[key], theta)
			h[key].Add(np.Multiply(grad[key], grad[key]))
		case i == 0:
			h[key] = np.FullLike(params[key], theta)
		case kind == 2:
			h[key] = np.Multiply(grad[key], grad[key])
		case kind == 3:
		default:
			h[key].Add(np.Multiply(grad[key], grad[key]))
		}
		den := np.Sqrt(h[key])
		if kind == 5 {
			den = np.Add(np.Sqrt(h[key]), 1e-7)
		}
		if kind == 6 {
			den = h[key]
		}
		step := np.Divide(np.Multiply(lr, grad[key]), den)
		if kind == 1 {
			params[key].Add(step)
		} else {
			params[key].Sub(step)
		}
	}
}

// rmspropMistake: 1 adds the step, 2 ε inside the root, 3 ρ and 1 − ρ
// swapped, 4 h not kept, 5 no ε, 6 no root.
func rmspropMistake(kind int) updateHFunc {
	return func(i int, key string, params, grad, h map[string]*np.Array, lr, decayRate float64) {
		if i == 0 {
			h[key] = np.ZerosLike(params[key])
		}
		switch kind {
		case 3:
			h[key].Scale(1 - decayRate)
			h[key].Add(np.Multiply(np.Multiply(decayRate, grad[key]), grad[key]))
		case 4:
			h[key] = np.Multiply(np.Multiply(1-decayRate, grad[key]), grad[key])
		default:
			h[key].Scale(decayRate)
			h[key].Add(np.Multiply(np.Multiply(1-decayRate, grad[key]), grad[key]))
		}
		den := np.Add(np.Sqrt(h[key]), 1e-7)
		switch kind {
		case 2:
			den = np.Sqrt(np.Add(h[key], 1e-7))
		case 5:
			den = np.Sqrt(h[key])
		case 6:
			den = np.Add(h[key], 1e-7)
		}
		step := np.Divide(np.Multiply(lr, grad[key]), den)
		if kind == 1 {
			params[key].Add(step)
		} else {
			params[key].Sub(step)
		}
	}
}

// adamMistake: 1 adds the step, 2 ε inside the root, 3 no bias correction,
// 4 t = i, 5 β1 and β2 swapped in m and v, 6 swapped in η_t.
func adamMistake(kind int) updateAdamFunc {
	return func(i int, key string, params, grad, m, v map[string]*np.Array, lr, beta1, beta2 float64) {
		if i == 0 {
			m[key] = np.ZerosLike(params[key])
			v[key] = np.ZerosLike(params[key])
		}
		t := float64(i + 1)
		if kind == 4 {
			t = float64(i)
		}
		lrT := lr * math.Sqrt(1.0-math.Pow(beta2, t)) / (1.0 - math.Pow(beta1, t))
		if kind == 3 {
			lrT = lr
		}
		if kind == 6 {
			lrT = lr * math.Sqrt(1.0-math.Pow(beta1, t)) / (1.0 - math.Pow(beta2, t))
		}
		b1, b2 := beta1, beta2
		if kind == 5 {
			b1, b2 = beta2, beta1
		}
		m[key] = np.Add(np.Multiply(b1, m[key]), np.Multiply(1-b1, grad[key]))                         // m = β1·m + (1 − β1)·g (教科書の形)
		v[key] = np.Add(np.Multiply(b2, v[key]), np.Multiply(1-b2, np.Multiply(grad[key], grad[key]))) // v = β2·v + (1 − β2)·g²
		den := np.Add(np.Sqrt(v[key]), 1e-7)
		if kind == 2 {
			den = np.Sqrt(np.Add(v[key], 1e-7))
		}
		step := np.Divide(np.Multiply(lrT, m[key]), den)
		if kind == 1 {
			params[key].Add(step)
		} else {
			params[key].Sub(step)
		}
	}
}

// regMistake fills the blank of grad += rate * (…) with term(param).
func regMistake(term func(p *np.Array) *np.Array) func(grad, param *np.Array, rate float64) *np.Array {
	return func(grad, param *np.Array, rate float64) *np.Array {
		return np.Add(grad, np.Multiply(rate, term(param))) // grad += rate * (…)
	}
}

// im2colMistake is the notebook's im2col with axes instead of (0, 4, 5, 1, 2, 3)
// in its transpose, or without the transpose (nil: the course's [try]).
func im2colMistake(axes []int) func(inputData *np.Array, filterH, filterW, stride, pad int) *np.Array {
	return func(inputData *np.Array, filterH, filterW, stride, pad int) *np.Array {
		N, C, H, W := inputData.Shape[0], inputData.Shape[1], inputData.Shape[2], inputData.Shape[3]
		outH := (H+2*pad-filterH)/stride + 1
		outW := (W+2*pad-filterW)/stride + 1
		img := np.Pad(inputData, [][2]int{{0, 0}, {0, 0}, {pad, pad}, {pad, pad}})
		col := np.Zeros(N, C, filterH, filterW, outH, outW)
		for y := range filterH {
			for x := range filterW {
				window := np.Get(img, np.All, np.All, np.S(y, y+stride*outH, stride), np.S(x, x+stride*outW, stride))
				np.Set(col, window, np.All, np.All, y, x, np.All, np.All)
			}
		}
		if axes != nil {
			col = np.Transpose(col, axes...)
		}
		return np.Reshape(col, N*outH*outW, -1)
	}
}

// col2imMistake is the notebook's col2im with 1 Set instead of AddAt, 2 the
// padded image returned, 3 no transpose.
func col2imMistake(kind int) func(col *np.Array, inputShape []int, filterH, filterW, stride, pad int) *np.Array {
	return func(col *np.Array, inputShape []int, filterH, filterW, stride, pad int) *np.Array {
		N, C, H, W := inputShape[0], inputShape[1], inputShape[2], inputShape[3]
		outH := (H+2*pad-filterH)/stride + 1
		outW := (W+2*pad-filterW)/stride + 1
		if kind == 3 {
			col = np.Reshape(col, N, C, filterH, filterW, outH, outW)
		} else {
			col = np.Transpose(np.Reshape(col, N, outH, outW, C, filterH, filterW), 0, 3, 4, 5, 1, 2)
		}
		img := np.Zeros(N, C, H+2*pad+stride-1, W+2*pad+stride-1)
		for y := range filterH {
			for x := range filterW {
				window := np.Get(col, np.All, np.All, y, x, np.All, np.All)
				if kind == 1 {
					np.Set(img, window, np.All, np.All, np.S(y, y+stride*outH, stride), np.S(x, x+stride*outW, stride))
				} else {
					np.AddAt(img, window, np.All, np.All, np.S(y, y+stride*outH, stride), np.S(x, x+stride*outW, stride))
				}
			}
		}
		if kind == 2 {
			return img
		}
		return np.Get(img, np.All, np.All, np.S(pad, H+pad), np.S(pad, W+pad))
	}
}

// convMistake is the notebook's Convolution.Backward with 1 db over axis 1,
// 2 dW without its transpose, 3 dout without its transpose.
func convMistake(kind int) func(l *Convolution, dout *np.Array) *np.Array {
	return func(l *Convolution, dout *np.Array) *np.Array {
		FN, C, FH, FW := l.W.Shape[0], l.W.Shape[1], l.W.Shape[2], l.W.Shape[3]
		if kind == 3 {
			dout = np.Reshape(dout, -1, FN)
		} else {
			dout = np.Reshape(np.Transpose(dout, 0, 2, 3, 1), -1, FN)
		}
		if kind == 1 {
			l.DB = np.Sum(dout, 1)
		} else {
			l.DB = np.Sum(dout, 0)
		}
		l.DW = np.Dot(np.T(l.col), dout)
		if kind == 2 {
			l.DW = np.Reshape(l.DW, FN, C, FH, FW)
		} else {
			l.DW = np.Reshape(np.Transpose(l.DW, 1, 0), FN, C, FH, FW)
		}
		dcol := np.Dot(dout, np.T(l.colW))
		return col2im(dcol, l.x.Shape, FH, FW, l.Stride, l.Pad)
	}
}

// poolMistake is the notebook's Pooling.Backward with 1 dout not
// transposed, 2 the gradient spread evenly, 3 the gradient everywhere.
func poolMistake(kind int) func(l *Pooling, dout *np.Array) *np.Array {
	return func(l *Pooling, dout *np.Array) *np.Array {
		if kind != 1 {
			dout = np.Transpose(dout, 0, 2, 3, 1)
		}
		poolSize := l.PoolH * l.PoolW
		dmax := np.Zeros(dout.Size(), poolSize)
		switch kind {
		case 2:
			dmax = np.Divide(np.Multiply(np.Reshape(np.Flatten(dout), -1, 1), np.Ones(1, poolSize)), poolSize)
		case 3:
			dmax = np.Multiply(np.Reshape(np.Flatten(dout), -1, 1), np.Ones(1, poolSize))
		default:
			np.PutPick(dmax, l.argMax, np.Flatten(dout))
		}
		dmax = np.Reshape(dmax, append(dout.Shape, poolSize)...)
		dcol := np.Reshape(dmax, dmax.Shape[0]*dmax.Shape[1]*dmax.Shape[2], -1)
		return col2im(dcol, l.x.Shape, l.PoolH, l.PoolW, l.Stride, l.Pad)
	}
}

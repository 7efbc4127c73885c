package exercise_test

// The answers of the exercises as the course notebooks hold them: each
// solution region is what nbgrader and dlnb exercises replace in the
// student's copy, and what docs/exercises.md lists (TestDocsShowTheAnswers
// compares them). The arithmetic is the notebooks' own, operation for
// operation, so that the training cells that call these functions give the
// course's numbers unchanged.

import (
	"math"

	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/np"
	"github.com/dlnb/course/dlnb/ref"
)

// ---- 2_1_network_modified ----

// dzdx は z = t², t = x + y のときの dz/dx です (連鎖律)。
func dzdx(x, y float64) (d float64) {
	// BEGIN SOLUTION
	d = 2 * (x + y) // dz/dx = dz/dt · dt/dx = 2t · 1
	// END SOLUTION
	return
}

// Relu is the rectified linear unit (class Relu).
type Relu struct {
	mask *np.Mask
}

func (l *Relu) Forward(x *np.Array) *np.Array {
	l.mask = np.LessEqual(x, 0) // self.mask = (x <= 0)
	out := np.Copy(x)           // out = x.copy()
	np.Putmask(out, l.mask, 0)  // out[self.mask] = 0
	return out
}

func (l *Relu) Backward(dout *np.Array) (dx *np.Array) {
	// BEGIN SOLUTION
	dx = np.Copy(dout)
	np.Putmask(dx, l.mask, 0) // dout[self.mask] = 0
	// END SOLUTION
	return
}

// Affine is the fully connected layer x·W + b (class Affine).
type Affine struct {
	W, B   *np.Array
	x      *np.Array
	DW, DB *np.Array
}

func (l *Affine) Forward(x *np.Array) *np.Array {
	l.x = x
	out := np.Add(np.Dot(x, l.W), l.B) // out = np.dot(x, self.W) + self.b
	return out
}

func (l *Affine) Backward(dout *np.Array) (dx *np.Array) {
	// BEGIN SOLUTION
	dx = np.Dot(dout, np.T(l.W))   // dx = np.dot(dout, self.W.T)
	l.DW = np.Dot(np.T(l.x), dout) // self.dW = np.dot(self.x.T, dout)
	l.DB = np.Sum(dout, 0)         // self.db = np.sum(dout, axis=0)
	// END SOLUTION
	return
}

// SoftmaxWithLoss is the output layer: softmax, then the cross-entropy
// error (class SoftmaxWithLoss).
type SoftmaxWithLoss struct {
	Loss float64
	Y    *np.Array // softmax の出力
	D    *np.Array // 教師データ
}

func (l *SoftmaxWithLoss) Forward(x, d *np.Array) float64 {
	l.D = d
	l.Y = ref.Softmax(x)                     // self.y = softmax(x)
	l.Loss = ref.CrossEntropyError(l.D, l.Y) // self.loss = cross_entropy_error(self.d, self.y)
	return l.Loss
}

func (l *SoftmaxWithLoss) Backward(dout float64) (dx *np.Array) {
	// BEGIN SOLUTION
	batchSize := l.D.Shape[0]
	if l.D.Size() == l.Y.Size() { // 教師データが one-hot-vector の場合
		dx = np.Multiply(dout, np.Divide(np.Subtract(l.Y, l.D), batchSize)) // dx = (self.y - self.d) / batch_size
	} else {
		dx = np.Copy(l.Y)
		np.PutPick(dx, l.D, np.Subtract(np.Pick(dx, l.D), 1)) // dx[np.arange(batch_size), self.d] -= 1
		dx = np.Multiply(dout, np.Divide(dx, batchSize))      // dx = dx / batch_size
	}
	// END SOLUTION
	return
}

// ---- 2_2_1_vanishing_gradient ----

func sigmoid(x *np.Array) *np.Array { return np.Divide(1, np.Add(1, np.Exp(np.Multiply(-1, x)))) } // 1/(1 + np.exp(-x))

// dSigmoid is functions.d_sigmoid: the sigmoid's derivative at x.
func dSigmoid(x *np.Array) (dy *np.Array) {
	// BEGIN SOLUTION
	dy = np.Multiply(np.Subtract(1, sigmoid(x)), sigmoid(x)) // (1 - sigmoid(x)) * sigmoid(x)
	// END SOLUTION
	return
}

// sigmoidGradMax は sigmoid の微分の最大値です。
func sigmoidGradMax() (answer float64) {
	// BEGIN SOLUTION
	x := np.Linspace(-6, 6, 1201)
	answer = np.Max(dSigmoid(x)).Item() // x = 0 のとき (1 − 0.5)·0.5
	// END SOLUTION
	return
}

// ---- 2_2_2_vanishing_gradient_modified ----

// Sigmoid is the sigmoid layer (class Sigmoid); backward uses the output it keeps.
type Sigmoid struct {
	out *np.Array
}

func (l *Sigmoid) Forward(x *np.Array) *np.Array {
	l.out = np.Divide(1, np.Add(1, np.Exp(np.Multiply(-1, x)))) // out = 1 / (1 + np.exp(-x))
	return l.out
}

func (l *Sigmoid) Backward(dout *np.Array) (dx *np.Array) {
	// BEGIN SOLUTION
	dx = np.Multiply(np.Multiply(dout, np.Subtract(1.0, l.out)), l.out) // dx = dout * (1.0 - self.out) * self.out
	// END SOLUTION
	return
}

// ---- 2_3_batch_normalization ----

// BatchNormalization is the course's batch normalization layer (common/layers.py).
type BatchNormalization struct {
	Gamma, Beta *np.Array
	Momentum    float64
	inputShape  []int // Conv層の場合は4次元、全結合層の場合は2次元

	// テスト時に使用する平均と分散
	RunningMean, RunningVar *np.Array

	// backward時に使用する中間データ
	batchSize     int
	xc, xn, std   *np.Array
	DGamma, DBeta *np.Array
}

func NewBatchNormalization(gamma, beta *np.Array) *BatchNormalization {
	return &BatchNormalization{Gamma: gamma, Beta: beta, Momentum: 0.9}
}

func (l *BatchNormalization) Forward(x *np.Array, trainFlg bool) *np.Array {
	l.inputShape = x.Shape
	if x.Dims() != 2 {
		x = np.Reshape(x, x.Shape[0], -1) // x = x.reshape(N, -1)
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
		mu := np.Mean(x, 0)                     // mu = x.mean(axis=0)
		xc := np.Subtract(x, mu)                // xc = x - mu
		variance := np.Mean(np.Power(xc, 2), 0) // var = np.mean(xc**2, axis=0)
		std := np.Sqrt(np.Add(variance, 10e-7)) // std = np.sqrt(var + 10e-7)
		xn = np.Divide(xc, std)                 // xn = xc / std

		l.batchSize = x.Shape[0]
		l.xc, l.xn, l.std = xc, xn, std
		l.RunningMean = np.Add(np.Multiply(l.Momentum, l.RunningMean), np.Multiply(1-l.Momentum, mu))
		l.RunningVar = np.Add(np.Multiply(l.Momentum, l.RunningVar), np.Multiply(1-l.Momentum, variance))
	} else {
		xc := np.Subtract(x, l.RunningMean)
		xn = np.Divide(xc, np.Sqrt(np.Add(l.RunningVar, 10e-7)))
	}
	return np.Add(np.Multiply(l.Gamma, xn), l.Beta) // out = self.gamma * xn + self.beta
}

func (l *BatchNormalization) Backward(dout *np.Array) *np.Array {
	if dout.Dims() != 2 {
		dout = np.Reshape(dout, dout.Shape[0], -1)
	}
	dx := l.backward(dout)
	return np.Reshape(dx, l.inputShape...)
}

func (l *BatchNormalization) backward(dout *np.Array) (dx *np.Array) {
	// BEGIN SOLUTION
	dbeta := np.Sum(dout, 0)                     // dbeta = dout.sum(axis=0)
	dgamma := np.Sum(np.Multiply(l.xn, dout), 0) // dgamma = np.sum(self.xn * dout, axis=0)
	dxn := np.Multiply(l.Gamma, dout)
	dxc := np.Divide(dxn, l.std)
	dstd := np.Multiply(-1, np.Sum(np.Divide(np.Multiply(dxn, l.xc), np.Multiply(l.std, l.std)), 0))
	dvar := np.Divide(np.Multiply(0.5, dstd), l.std)
	dxc = np.Add(dxc, np.Multiply(np.Multiply(2.0/float64(l.batchSize), l.xc), dvar)) // dxc += (2.0 / self.batch_size) * self.xc * dvar
	dmu := np.Sum(dxc, 0)
	dx = np.Subtract(dxc, np.Divide(dmu, l.batchSize))

	l.DGamma, l.DBeta = dgamma, dbeta
	// END SOLUTION
	return
}

// miniBatch is the blank (き) of the mini-batch program: the samples
// shuffleIdx[i:iEnd] of the data and of the labels.
func miniBatch(dataX, dataT *np.Array, shuffleIdx []int, i, iEnd int) (batchX, batchT *np.Array) {
	// BEGIN SOLUTION
	idx := shuffleIdx[i:iEnd]
	batchX, batchT = dataX.Take(idx), dataT.Take(idx) // data_x[shuffle_idx[i:i_end]], data_t[shuffle_idx[i:i_end]]
	// END SOLUTION
	return
}

// ---- 2_4_optimizer ----

// updateSGD updates params[key] for one iteration (the body of the loop over the keys).
func updateSGD(key string, params, grad map[string]*np.Array, learningRate float64) {
	// BEGIN SOLUTION
	params[key].Sub(np.Multiply(learningRate, grad[key])) // network.params[key] -= learning_rate * grad[key]
	// END SOLUTION
}

// updateMomentum updates params[key] and its velocity v[key] at iteration i.
func updateMomentum(i int, key string, params, grad, v map[string]*np.Array, learningRate, momentum float64) {
	if i == 0 {
		v[key] = np.ZerosLike(params[key])
	}
	// BEGIN SOLUTION
	v[key] = np.Subtract(np.Multiply(momentum, v[key]), np.Multiply(learningRate, grad[key])) // v[key] = momentum * v[key] - learning_rate * grad[key]
	params[key].Add(v[key])                                                                   // network.params[key] += v[key]
	// END SOLUTION
}

// updateAdaGrad updates params[key] and h[key] at iteration i (θ = theta).
func updateAdaGrad(i int, key string, params, grad, h map[string]*np.Array, learningRate, theta float64) {
	// BEGIN SOLUTION
	if i == 0 {
		h[key] = np.FullLike(params[key], theta) // h[key] = np.full_like(network.params[key], theta)
	} else {
		h[key].Add(np.Multiply(grad[key], grad[key])) // h[key] += np.square(grad[key])
	}
	params[key].Sub(np.Divide(np.Multiply(learningRate, grad[key]), np.Sqrt(h[key]))) // network.params[key] -= learning_rate * grad[key] / (np.sqrt(h[key]))
	// END SOLUTION
}

// updateRMSprop updates params[key] and h[key] at iteration i.
func updateRMSprop(i int, key string, params, grad, h map[string]*np.Array, learningRate, decayRate float64) {
	if i == 0 {
		h[key] = np.ZerosLike(params[key])
	}
	// BEGIN SOLUTION
	h[key].Scale(decayRate)                                                                         // h[key] *= decay_rate
	h[key].Add(np.Multiply(np.Multiply(1-decayRate, grad[key]), grad[key]))                         // h[key] += (1 - decay_rate) * grad[key] * grad[key]
	params[key].Sub(np.Divide(np.Multiply(learningRate, grad[key]), np.Add(np.Sqrt(h[key]), 1e-7))) // network.params[key] -= learning_rate * grad[key] / (np.sqrt(h[key]) + 1e-7)
	// END SOLUTION
}

// updateAdam updates params[key], m[key] and v[key] at iteration i.
func updateAdam(i int, key string, params, grad, m, v map[string]*np.Array, learningRate, beta1, beta2 float64) {
	if i == 0 {
		m[key] = np.ZerosLike(params[key])
		v[key] = np.ZerosLike(params[key])
	}
	// BEGIN SOLUTION
	learningRateT := learningRate * math.Sqrt(1.0-math.Pow(beta2, float64(i+1))) / (1.0 - math.Pow(beta1, float64(i+1)))
	m[key].Add(np.Multiply(1-beta1, np.Subtract(grad[key], m[key])))                              // m[key] += (1 - beta1) * (grad[key] - m[key])
	v[key].Add(np.Multiply(1-beta2, np.Subtract(np.Multiply(grad[key], grad[key]), v[key])))      // v[key] += (1 - beta2) * (grad[key] ** 2 - v[key])
	params[key].Sub(np.Divide(np.Multiply(learningRateT, m[key]), np.Add(np.Sqrt(v[key]), 1e-7))) // network.params[key] -= learning_rate_t * m[key] / (np.sqrt(v[key]) + 1e-7)
	// END SOLUTION
}

// ---- 2_5_overfiting ----

// ridgeGrad is the L2 update grad += rate * (え); it returns the new gradient.
func ridgeGrad(grad, param *np.Array, rate float64) (newGrad *np.Array) {
	// BEGIN SOLUTION
	newGrad = np.Add(grad, np.Multiply(rate, param)) // grad += rate * param
	// END SOLUTION
	return
}

// lassoGrad is the L1 update grad += rate * (お); it returns the new gradient.
func lassoGrad(grad, param *np.Array, rate float64) (newGrad *np.Array) {
	// BEGIN SOLUTION
	newGrad = np.Add(grad, np.Multiply(rate, np.Sign(param))) // grad += rate * np.sign(param)
	// END SOLUTION
	return
}

// Dropout is the course's dropout layer (class Dropout).
type Dropout struct {
	dropoutRatio float64
	mask         *np.Mask
}

func NewDropout(dropoutRatio float64) *Dropout {
	return &Dropout{dropoutRatio: dropoutRatio}
}

func (l *Dropout) Forward(x *np.Array, trainFlg bool) *np.Array {
	if trainFlg {
		l.mask = np.Greater(np.Random.Rand(x.Shape...), l.dropoutRatio) // self.mask = np.random.rand(*x.shape) > self.dropout_ratio
		return np.Multiply(x, l.mask)                                   // return x * self.mask
	}
	return np.Multiply(x, 1.0-l.dropoutRatio) // return x * (1.0 - self.dropout_ratio)
}

func (l *Dropout) Backward(dout *np.Array) (dx *np.Array) {
	// BEGIN SOLUTION
	dx = np.Multiply(dout, l.mask) // return dout * self.mask
	// END SOLUTION
	return
}

// crop is the blank (か) of random_crop: image[top:bottom, left:right, :].
func crop(image *np.Array, top, bottom, left, right int) (cropped *np.Array) {
	// BEGIN SOLUTION
	cropped = np.Get(image, np.S(top, bottom), np.S(left, right), np.All) // image[top:bottom, left:right, :]
	// END SOLUTION
	return
}

// ---- 2_6_simple_convolution_network ----

// im2col unrolls the filterH×filterW windows of inputData (N, C, H, W) into
// the rows of a matrix (N·out_h·out_w, C·filter_h·filter_w).
func im2col(inputData *np.Array, filterH, filterW, stride, pad int) (col *np.Array) {
	// BEGIN SOLUTION
	N, C, H, W := inputData.Shape[0], inputData.Shape[1], inputData.Shape[2], inputData.Shape[3] // N, C, H, W = input_data.shape

	outH := (H+2*pad-filterH)/stride + 1 // out_h = (H + 2 * pad - filter_h)//stride + 1
	outW := (W+2*pad-filterW)/stride + 1 // out_w = (W + 2 * pad - filter_w)//stride + 1

	img := np.Pad(inputData, [][2]int{{0, 0}, {0, 0}, {pad, pad}, {pad, pad}}) // img = np.pad(input_data, [(0,0), (0,0), (pad, pad), (pad, pad)], 'constant')
	col = np.Zeros(N, C, filterH, filterW, outH, outW)                         // col = np.zeros((N, C, filter_h, filter_w, out_h, out_w))

	for y := range filterH {
		yMax := y + stride*outH // y_max = y + stride * out_h
		for x := range filterW {
			xMax := x + stride*outW // x_max = x + stride * out_w
			// col[:, :, y, x, :, :] = img[:, :, y:y_max:stride, x:x_max:stride]
			window := np.Get(img, np.All, np.All, np.S(y, yMax, stride), np.S(x, xMax, stride))
			np.Set(col, window, np.All, np.All, y, x, np.All, np.All)
		}
	}
	col = np.Transpose(col, 0, 4, 5, 1, 2, 3) // (N, C, filter_h, filter_w, out_h, out_w) → (N, out_h, out_w, C, filter_h, filter_w)
	col = np.Reshape(col, N*outH*outW, -1)    // col = col.reshape(N * out_h * out_w, -1)
	// END SOLUTION
	return
}

// col2im puts every window (row) of col back at its place in an image of
// inputShape (N, C, H, W); where windows overlap their values are added.
func col2im(col *np.Array, inputShape []int, filterH, filterW, stride, pad int) (img *np.Array) {
	// BEGIN SOLUTION
	N, C, H, W := inputShape[0], inputShape[1], inputShape[2], inputShape[3] // N, C, H, W = input_shape

	outH := (H+2*pad-filterH)/stride + 1                      // out_h = (H + 2 * pad - filter_h)//stride + 1
	outW := (W+2*pad-filterW)/stride + 1                      // out_w = (W + 2 * pad - filter_w)//stride + 1
	col = np.Reshape(col, N, outH, outW, C, filterH, filterW) // col = col.reshape(N, out_h, out_w, C, filter_h, filter_w)
	col = np.Transpose(col, 0, 3, 4, 5, 1, 2)                 // .transpose(0, 3, 4, 5, 1, 2)

	img = np.Zeros(N, C, H+2*pad+stride-1, W+2*pad+stride-1) // img = np.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1))
	for y := range filterH {
		yMax := y + stride*outH // y_max = y + stride * out_h
		for x := range filterW {
			xMax := x + stride*outW // x_max = x + stride * out_w
			// img[:, :, y:y_max:stride, x:x_max:stride] += col[:, :, y, x, :, :]
			window := np.Get(col, np.All, np.All, y, x, np.All, np.All)
			np.AddAt(img, window, np.All, np.All, np.S(y, yMax, stride), np.S(x, xMax, stride))
		}
	}
	img = np.Get(img, np.All, np.All, np.S(pad, H+pad), np.S(pad, W+pad)) // return img[:, :, pad:H + pad, pad:W + pad]
	// END SOLUTION
	return
}

// convOutputSize is the output size of a convolution (確認テスト).
func convOutputSize(inputSize, filterSize, stride, pad int) (outputSize int) {
	// BEGIN SOLUTION
	outputSize = (inputSize+2*pad-filterSize)/stride + 1 // (H + 2·pad − filter) // stride + 1
	// END SOLUTION
	return
}

// Convolution is the convolution layer of the course's common/layers.py.
type Convolution struct {
	W, B        *np.Array
	Stride, Pad int

	// 中間データ（backward時に使用）
	x, col, colW *np.Array

	// 重み・バイアスパラメータの勾配
	DW, DB *np.Array
}

func (l *Convolution) Forward(x *np.Array) *np.Array {
	FN, FH, FW := l.W.Shape[0], l.W.Shape[2], l.W.Shape[3] // FN, C, FH, FW = self.W.shape
	N, H, W := x.Shape[0], x.Shape[2], x.Shape[3]          // N, C, H, W = x.shape
	outH := 1 + (H+2*l.Pad-FH)/l.Stride                    // out_h = 1 + int((H + 2*self.pad - FH) / self.stride)
	outW := 1 + (W+2*l.Pad-FW)/l.Stride                    // out_w = 1 + int((W + 2*self.pad - FW) / self.stride)

	col := im2col(x, FH, FW, l.Stride, l.Pad) // col = im2col(x, FH, FW, self.stride, self.pad)
	colW := np.T(np.Reshape(l.W, FN, -1))     // col_W = self.W.reshape(FN, -1).T

	out := np.Add(np.Dot(col, colW), l.B)                              // out = np.dot(col, col_W) + self.b
	out = np.Transpose(np.Reshape(out, N, outH, outW, -1), 0, 3, 1, 2) // out = out.reshape(N, out_h, out_w, -1).transpose(0, 3, 1, 2)

	l.x = x       // self.x = x
	l.col = col   // self.col = col
	l.colW = colW // self.col_W = col_W

	return out
}

func (l *Convolution) Backward(dout *np.Array) (dx *np.Array) {
	// BEGIN SOLUTION
	FN, C, FH, FW := l.W.Shape[0], l.W.Shape[1], l.W.Shape[2], l.W.Shape[3] // FN, C, FH, FW = self.W.shape
	dout = np.Reshape(np.Transpose(dout, 0, 2, 3, 1), -1, FN)               // dout = dout.transpose(0,2,3,1).reshape(-1, FN)

	l.DB = np.Sum(dout, 0)                                     // self.db = np.sum(dout, axis=0)
	l.DW = np.Dot(np.T(l.col), dout)                           // self.dW = np.dot(self.col.T, dout)
	l.DW = np.Reshape(np.Transpose(l.DW, 1, 0), FN, C, FH, FW) // self.dW = self.dW.transpose(1, 0).reshape(FN, C, FH, FW)

	dcol := np.Dot(dout, np.T(l.colW))                    // dcol = np.dot(dout, self.col_W.T)
	dx = col2im(dcol, l.x.Shape, FH, FW, l.Stride, l.Pad) // dx = col2im(dcol, self.x.shape, FH, FW, self.stride, self.pad)
	// END SOLUTION
	return
}

// Pooling is the max-pooling layer of the course's common/layers.py.
type Pooling struct {
	PoolH, PoolW, Stride, Pad int

	x      *np.Array
	argMax *np.Array
}

func (l *Pooling) Forward(x *np.Array) *np.Array {
	N, C, H, W := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3] // N, C, H, W = x.shape
	outH := 1 + (H-l.PoolH)/l.Stride                             // out_h = int(1 + (H - self.pool_h) / self.stride)
	outW := 1 + (W-l.PoolW)/l.Stride                             // out_w = int(1 + (W - self.pool_w) / self.stride)

	col := im2col(x, l.PoolH, l.PoolW, l.Stride, l.Pad) // col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad)
	col = np.Reshape(col, -1, l.PoolH*l.PoolW)          // col = col.reshape(-1, self.pool_h*self.pool_w)

	argMax := np.Argmax(col, 1)                                       // arg_max = np.argmax(col, axis=1)
	out := np.Max(col, 1)                                             // out = np.max(col, axis=1)
	out = np.Transpose(np.Reshape(out, N, outH, outW, C), 0, 3, 1, 2) // out = out.reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)

	l.x = x           // self.x = x
	l.argMax = argMax // self.arg_max = arg_max

	return out
}

func (l *Pooling) Backward(dout *np.Array) (dx *np.Array) {
	// BEGIN SOLUTION
	dout = np.Transpose(dout, 0, 2, 3, 1) // dout = dout.transpose(0, 2, 3, 1)

	poolSize := l.PoolH * l.PoolW                            // pool_size = self.pool_h * self.pool_w
	dmax := np.Zeros(dout.Size(), poolSize)                  // dmax = np.zeros((dout.size, pool_size))
	np.PutPick(dmax, l.argMax, np.Flatten(dout))             // dmax[np.arange(self.arg_max.size), self.arg_max.flatten()] = dout.flatten()
	dmax = np.Reshape(dmax, append(dout.Shape, poolSize)...) // dmax = dmax.reshape(dout.shape + (pool_size,))

	dcol := np.Reshape(dmax, dmax.Shape[0]*dmax.Shape[1]*dmax.Shape[2], -1) // dcol = dmax.reshape(dmax.shape[0] * dmax.shape[1] * dmax.shape[2], -1)
	dx = col2im(dcol, l.x.Shape, l.PoolH, l.PoolW, l.Stride, l.Pad)         // dx = col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)
	// END SOLUTION
	return
}

// ---- 2_7_double_comvolution_network ----

// afterLayers is the [try] answer: the base DoubleConvNet with one pooling layer less.
func afterLayers() (defs []nets.LayerDef) {
	// BEGIN SOLUTION
	// conv - relu - conv - relu - pool - affine - relu - affine - softmax
	defs = []nets.LayerDef{
		nets.Conv(10, 7).Pad(1), nets.Relu(),
		nets.Conv(20, 3).Pad(1), nets.Relu(), nets.MaxPool(2, 2),
		nets.Affine(100), nets.Relu(),
		nets.Affine(10)}
	// END SOLUTION
	return
}

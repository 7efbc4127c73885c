package layers

import (
	"fmt"
	"math"

	"github.com/dlnb/course/dlnb/mistake"

	"github.com/dlnb/course/dlnb/tensor"
)

// BNEpsilon is the course's 10e-7 (= 1e-6) added to the variance.
const BNEpsilon = 10e-7

// BatchNormalization normalises each feature over the mini-batch, then scales
// and shifts it: out = γ·x̂ + β. A 4-D input (N, C, H, W) is flattened to
// (N, C·H·W) first, as in the course, so every position is a feature.
//
//	train: μ = mean(x), xc = x − μ, σ² = mean(xc²), std = √(σ² + 1e-6), x̂ = xc/std
//	       running_mean = m·running_mean + (1−m)·μ, running_var likewise (m = Momentum)
//	test:  x̂ = (x − running_mean) / √(running_var + 1e-6)
//	Backward: dβ = Σ dout, dγ = Σ x̂·dout, dx̂ = γ·dout, dxc = dx̂/std,
//	          dstd = −Σ dx̂·xc/std², dσ² = dstd/(2·std), dxc += (2/N)·xc·dσ²,
//	          dμ = Σ dxc, dx = dxc − dμ/N
type BatchNormalization[T tensor.Float] struct {
	Gamma, Beta   *tensor.Tensor[T] // (D,)
	DGamma, DBeta *tensor.Tensor[T]
	Momentum      float64
	// RunningMean and RunningVar start as zeros at the first Forward.
	RunningMean, RunningVar *tensor.Tensor[T]

	n, d             int
	inShape          []int
	xc, xn, std, out *tensor.Tensor[T]
	dx               *tensor.Tensor[T]
	mu, dsum         []T
	trained          bool
}

// NewBatchNormalization returns a layer using γ and β of shape (D,) with
// the course's momentum 0.9.
func NewBatchNormalization[T tensor.Float](gamma, beta *tensor.Tensor[T]) *BatchNormalization[T] {
	if len(gamma.Shape) != 1 || !tensor.SameShape(gamma.Shape, beta.Shape) {
		mistake.Panic(&tensor.ShapeError{Op: "BatchNormalization (gamma and beta)", A: gamma.Shape, B: beta.Shape})
	}
	return &BatchNormalization[T]{Gamma: gamma, Beta: beta, Momentum: 0.9,
		DGamma: tensor.New[T](gamma.Shape...), DBeta: tensor.New[T](beta.Shape...)}
}

// Forward normalises x with batch statistics (train) or running ones (test),
// then scales and shifts it: out = γ·x̂ + β.
func (l *BatchNormalization[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	l.prepare(x)
	if train {
		l.normaliseBatch(x.Data)
	} else {
		l.normaliseRunning(x.Data)
	}
	l.trained = train
	n, d := l.n, l.d
	g, b, xn, out := l.Gamma.Data, l.Beta.Data, l.xn.Data, l.out.Data
	for i := range n {
		for j := range d {
			out[i*d+j] = g[j]*xn[i*d+j] + b[j]
		}
	}
	return l.out
}

// prepare checks x against γ and sizes the layer's buffers for it.
func (l *BatchNormalization[T]) prepare(x *tensor.Tensor[T]) {
	n, d := x.Rows(), x.Cols()
	if len(x.Shape) < 2 || d != l.Gamma.Shape[0] {
		mistake.Panic(&tensor.ShapeError{Op: "BatchNormalization Forward (x vs gamma)", A: x.Shape, B: l.Gamma.Shape,
			Reason: "each sample must have one value per feature"})
	}
	if l.RunningMean == nil {
		l.RunningMean, l.RunningVar = tensor.New[T](d), tensor.New[T](d)
	}
	l.n, l.d = n, d
	l.inShape = append(l.inShape[:0], x.Shape...)
	l.out = tensor.Ensure(l.out, x.Shape...)
	l.xc = tensor.Ensure(l.xc, n, d)
	l.xn = tensor.Ensure(l.xn, n, d)
	l.std = tensor.Ensure(l.std, d)
	if cap(l.mu) < d {
		l.mu, l.dsum = make([]T, d), make([]T, d)
	}
}

// normaliseBatch is the training pass: μ = mean(x), xc = x − μ,
// σ² = mean(xc²), std = √(σ² + 1e-6), x̂ = xc/std, and the running mean and
// variance move towards μ and σ² (m·running + (1−m)·batch, m = Momentum).
func (l *BatchNormalization[T]) normaliseBatch(xs []T) {
	n, d := l.n, l.d
	if n == 0 {
		mistake.Panic(fmt.Errorf("BatchNormalization: empty batch"))
	}
	mu, std, xc, xn := l.mu[:d], l.std.Data, l.xc.Data, l.xn.Data
	clear(mu)
	for i := range n {
		for j, v := range xs[i*d : (i+1)*d] {
			mu[j] += v
		}
	}
	for j := range mu {
		mu[j] /= T(n)
	}
	clear(std) // holds the variance first
	for i := range n {
		row := xc[i*d : (i+1)*d]
		for j, v := range xs[i*d : (i+1)*d] {
			c := v - mu[j]
			row[j] = c
			std[j] += c * c
		}
	}
	m := T(l.Momentum)
	rm, rv := l.RunningMean.Data, l.RunningVar.Data
	for j := range std {
		v := std[j] / T(n)
		rm[j] = m*rm[j] + (1-m)*mu[j]
		rv[j] = m*rv[j] + (1-m)*v
		std[j] = T(math.Sqrt(float64(v) + BNEpsilon))
	}
	for i := range n {
		for j := range d {
			xn[i*d+j] = xc[i*d+j] / std[j]
		}
	}
}

// normaliseRunning is the test pass: x̂ = (x − running_mean) /
// √(running_var + 1e-6).
func (l *BatchNormalization[T]) normaliseRunning(xs []T) {
	n, d := l.n, l.d
	std, xc, xn := l.std.Data, l.xc.Data, l.xn.Data
	rm, rv := l.RunningMean.Data, l.RunningVar.Data
	for j := range std {
		std[j] = T(math.Sqrt(float64(rv[j]) + BNEpsilon))
	}
	for i := range n {
		for j := range d {
			c := xs[i*d+j] - rm[j]
			xc[i*d+j] = c
			xn[i*d+j] = c / std[j]
		}
	}
}

// Backward stores dγ and dβ and returns dx (after a training Forward).
func (l *BatchNormalization[T]) Backward(dout *tensor.Tensor[T]) *tensor.Tensor[T] {
	checkDout("BatchNormalization", dout, l.out)
	if !l.trained {
		mistake.Panic(fmt.Errorf("BatchNormalization: Backward after a test-mode Forward (use train=true)"))
	}
	n, d := l.n, l.d
	l.dx = tensor.Ensure(l.dx, l.inShape...)
	g, xc, xn, std := l.Gamma.Data, l.xc.Data, l.xn.Data, l.std.Data
	dg, db, dx := l.DGamma.Data, l.DBeta.Data, l.dx.Data
	dstd := l.dsum[:d]
	clear(dg)
	clear(db)
	clear(dstd)
	for i := range n {
		for j := range d {
			k := i*d + j
			o := dout.Data[k]
			db[j] += o
			dg[j] += xn[k] * o
			dxn := g[j] * o
			dx[k] = dxn / std[j] // dxc
			dstd[j] += dxn * xc[k]
		}
	}
	// dvar = 0.5·dstd/std with dstd = −Σ dxn·xc / std²; then dxc += (2/N)·xc·dvar.
	for j := range dstd {
		s := std[j]
		dstd[j] = 0.5 * (-dstd[j] / (s * s)) / s
	}
	dmu := l.mu[:d] // reuse: the forward mean is no longer needed
	clear(dmu)
	for i := range n {
		for j := range d {
			k := i*d + j
			dx[k] += (2 / T(n)) * xc[k] * dstd[j]
			dmu[j] += dx[k]
		}
	}
	for i := range n {
		for j := range d {
			dx[i*d+j] -= dmu[j] / T(n)
		}
	}
	return l.dx
}

// Params returns γ and β with their gradients.
func (l *BatchNormalization[T]) Params() []Param[T] {
	return []Param[T]{{"gamma", l.Gamma, l.DGamma}, {"beta", l.Beta, l.DBeta}}
}

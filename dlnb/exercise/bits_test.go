package exercise_test

import (
	"math"
	"testing"

	"github.com/dlnb/course/dlnb/np"
	"github.com/dlnb/course/dlnb/ref"
	"github.com/dlnb/course/dlnb/rng"
)

// same reports whether a and b hold the same bits.
func same(a, b *np.Array) bool {
	if a == nil || b == nil || len(a.Data) != len(b.Data) {
		return false
	}
	for i, x := range a.Data {
		if math.Float64bits(x) != math.Float64bits(b.Data[i]) {
			return false
		}
	}
	return true
}

// TestAnswersComputeAsTheCourse: the answers compute exactly, bit for bit,
// what the course notebooks compute today — the optimizer updates their
// training loops write inline, and the layers of package ref they use — so
// that the training cells give the same numbers once they call the answers.
func TestAnswersComputeAsTheCourse(t *testing.T) {
	r := np.RandomState{RandomState: rng.New(7)}
	keys := []string{"W1", "b1", "W2"}
	fresh := func() (map[string]*np.Array, []map[string]*np.Array) {
		r.Seed(1)
		p := map[string]*np.Array{"W1": r.Randn(4, 3), "b1": r.Randn(3), "W2": r.Randn(3, 2)}
		var gs []map[string]*np.Array
		for range 5 {
			gs = append(gs, map[string]*np.Array{"W1": r.Randn(4, 3), "b1": r.Randn(3), "W2": r.Randn(3, 2)})
		}
		return p, gs
	}
	// equal compares the parameters and the optimizer's state maps, in pairs.
	equal := func(name string, maps ...map[string]*np.Array) {
		for j := 0; j < len(maps); j += 2 {
			for _, k := range keys {
				if !same(maps[j][k], maps[j+1][k]) {
					t.Errorf("%s: map %d, [%q] differs from the notebook's inline update", name, j/2, k)
				}
			}
		}
	}
	// The loops of 2_4's cells, as they are written there, against the answers.
	{
		learningRate := 0.01
		inline, grads := fresh()
		answer, _ := fresh()
		for _, grad := range grads {
			for _, key := range keys {
				inline[key].Sub(np.Multiply(learningRate, grad[key]))
				updateSGD(key, answer, grad, learningRate)
			}
		}
		equal("SGD", inline, answer)
	}
	{
		learningRate, momentum := 0.3, 0.9
		inline, grads := fresh()
		answer, _ := fresh()
		v, v2 := map[string]*np.Array{}, map[string]*np.Array{}
		for i, grad := range grads {
			for _, key := range keys {
				if i == 0 {
					v[key] = np.ZerosLike(inline[key])
				}
				v[key] = np.Subtract(np.Multiply(momentum, v[key]), np.Multiply(learningRate, grad[key]))
				inline[key].Add(v[key])
				updateMomentum(i, key, answer, grad, v2, learningRate, momentum)
			}
		}
		equal("Momentum", inline, answer, v, v2)
	}
	{
		learningRate, theta := 0.1, 1e-4
		inline, grads := fresh()
		answer, _ := fresh()
		h, h2 := map[string]*np.Array{}, map[string]*np.Array{}
		for i, grad := range grads {
			for _, key := range keys {
				if i == 0 {
					h[key] = np.FullLike(inline[key], theta)
				} else {
					h[key].Add(np.Multiply(grad[key], grad[key]))
				}
				inline[key].Sub(np.Divide(np.Multiply(learningRate, grad[key]), np.Sqrt(h[key])))
				updateAdaGrad(i, key, answer, grad, h2, learningRate, theta)
			}
		}
		equal("AdaGrad", inline, answer, h, h2)
	}
	{
		learningRate, decayRate := 0.01, 0.99
		inline, grads := fresh()
		answer, _ := fresh()
		h, h2 := map[string]*np.Array{}, map[string]*np.Array{}
		for i, grad := range grads {
			for _, key := range keys {
				if i == 0 {
					h[key] = np.ZerosLike(inline[key])
				}
				h[key].Scale(decayRate)
				h[key].Add(np.Multiply(np.Multiply(1-decayRate, grad[key]), grad[key]))
				inline[key].Sub(np.Divide(np.Multiply(learningRate, grad[key]), np.Add(np.Sqrt(h[key]), 1e-7)))
				updateRMSprop(i, key, answer, grad, h2, learningRate, decayRate)
			}
		}
		equal("RMSprop", inline, answer, h, h2)
	}
	{
		learningRate, beta1, beta2 := 0.01, 0.9, 0.999
		inline, grads := fresh()
		answer, _ := fresh()
		m, v, m2, v2 := map[string]*np.Array{}, map[string]*np.Array{}, map[string]*np.Array{}, map[string]*np.Array{}
		for i, grad := range grads {
			learningRateT := learningRate * math.Sqrt(1.0-math.Pow(beta2, float64(i+1))) / (1.0 - math.Pow(beta1, float64(i+1)))
			for _, key := range keys {
				if i == 0 {
					m[key] = np.ZerosLike(inline[key])
					v[key] = np.ZerosLike(inline[key])
				}
				m[key].Add(np.Multiply(1-beta1, np.Subtract(grad[key], m[key])))
				v[key].Add(np.Multiply(1-beta2, np.Subtract(np.Multiply(grad[key], grad[key]), v[key])))
				inline[key].Sub(np.Divide(np.Multiply(learningRateT, m[key]), np.Add(np.Sqrt(v[key]), 1e-7)))
				updateAdam(i, key, answer, grad, m2, v2, learningRate, beta1, beta2)
			}
		}
		equal("Adam", inline, answer, m, m2, v, v2)
	}

	// The layers the notebooks take from package ref today.
	x, d := r.Randn(5, 4), np.Values(3, 0, 1, 2, 3)
	onehot := np.Zeros(5, 4)
	for i, k := range d.Data {
		onehot.Set(1, i, int(k))
	}
	for _, labels := range []*np.Array{d, onehot} {
		a, b := &SoftmaxWithLoss{}, &ref.SoftmaxWithLoss{}
		if la, lb := a.Forward(x, labels), b.Forward(x, labels); la != lb || !same(a.Backward(1), b.Backward(1)) {
			t.Errorf("SoftmaxWithLoss differs from ref.SoftmaxWithLoss (labels %s)", np.Shape(labels))
		}
	}
	dout := r.Randn(5, 4)
	sa, sb := &Sigmoid{}, &ref.Sigmoid{}
	if !same(sa.Forward(x), sb.Forward(x)) || !same(sa.Backward(dout), sb.Backward(dout)) {
		t.Error("Sigmoid differs from ref.Sigmoid")
	}
	W, bias, dout3 := r.Randn(4, 3), r.Randn(3), r.Randn(5, 3)
	aa, ab := &Affine{W: W, B: bias}, ref.NewAffine(W, bias)
	if !same(aa.Forward(x), ab.Forward(x)) || !same(aa.Backward(dout3), ab.Backward(dout3)) || !same(aa.DW, ab.DW) || !same(aa.DB, ab.DB) {
		t.Error("Affine differs from ref.Affine")
	}
	gamma, beta := r.Randn(4), r.Randn(4)
	ba, bb := NewBatchNormalization(gamma, beta), ref.NewBatchNormalization(gamma, beta)
	if !same(ba.Forward(x, true), bb.Forward(x, true)) || !same(ba.Backward(dout), bb.Backward(dout)) || !same(ba.DGamma, bb.DGamma) {
		t.Error("BatchNormalization differs from ref.BatchNormalization")
	}
	img, F, fb := r.Randn(2, 3, 7, 7), r.Randn(4, 3, 3, 3), r.Randn(4)
	ca, cb := &Convolution{W: F, B: fb, Stride: 2, Pad: 1}, ref.NewConvolution(F, fb, 2, 1)
	out := ca.Forward(img)
	dconv := r.Randn(out.Shape...)
	if !same(out, cb.Forward(img)) || !same(ca.Backward(dconv), cb.Backward(dconv)) || !same(ca.DW, cb.DW) || !same(ca.DB, cb.DB) {
		t.Error("Convolution (with the notebook's im2col and col2im) differs from ref.Convolution")
	}
	pa, pb := &Pooling{PoolH: 3, PoolW: 3, Stride: 2}, ref.NewPooling(3, 3, 2, 0)
	out = pa.Forward(img)
	dpool := r.Randn(out.Shape...)
	if !same(out, pb.Forward(img)) || !same(pa.Backward(dpool), pb.Backward(dpool)) {
		t.Error("Pooling differs from ref.Pooling")
	}
	if !same(dSigmoid(x), np.Multiply(np.Subtract(1, sigmoid(x)), sigmoid(x))) {
		t.Error("dSigmoid differs from 2_2_1's")
	}
}

package exercise

import (
	"fmt"

	"github.com/dlnb/course/dlnb/np"
	"github.com/dlnb/course/dlnb/ref"
)

// A layer exercise is the Backward of a layer the notebook defines: the
// check cell builds the student's layer in a closure, runs Forward then
// Backward, and returns what they give (see the examples of each check).

// xdCase is the input of an activation's backward pass.
type xdCase struct{ x, dout *np.Array }

func (c xdCase) input() string {
	return fmt.Sprintf("x %s = %s、dout %s = %s", np.Shape(c.x), head(c.x), np.Shape(c.dout), head(c.dout))
}

// onlyOut: a stub's backward leaves every gradient nil (the forward pass,
// given in the notebook, still runs).
func onlyOut[C any](_ C, o outputs) bool {
	for _, v := range o {
		if v.name != "out" && v.name != "loss" && v.a != nil {
			return false
		}
	}
	return true
}

func activationCases() []xdCase {
	x1 := np.Matrix([]float64{1, -0.5, 0}, []float64{-2, 3, 0.25})
	return []xdCase{
		{x1, randn(31, 2, 3)},
		{np.Values(-1, 2, -3, 4, 0.5), randn(32, 5)},
		{np.Reshape(randn(33, 12), 2, 3, 2), randn(34, 2, 3, 2)},
	}
}

// xdRun runs a forward-backward closure on copies of a case's arrays.
func xdRun(c xdCase, f func(x, dout *np.Array) (out, dx *np.Array)) outputs {
	out, dx := f(np.Copy(c.x), np.Copy(c.dout))
	return outputs{array("out", out), array("dx", dx)}
}

// ReluBackward checks the Backward of 2_1's Relu: the gradient passes where
// x > 0 and is 0 where the mask (x <= 0) is set. The check cell:
//
//	exercise.ReluBackward(func(x, dout *np.Array) (out, dx *np.Array) {
//		l := &Relu{}
//		out = l.Forward(x)
//		dx = l.Backward(dout)
//		return
//	})
func ReluBackward(layer func(x, dout *np.Array) (out, dx *np.Array)) Result {
	return show(checkReluBackward(layer))
}

func checkReluBackward(layer func(x, dout *np.Array) (out, dx *np.Array)) Result {
	with := func(c xdCase, back func(dout *np.Array) *np.Array) outputs {
		l := &ref.Relu{}
		return outputs{array("out", l.Forward(c.x)), array("dx", back(c.dout))}
	}
	refRun := func(c xdCase) outputs {
		l := &ref.Relu{}
		out := l.Forward(c.x)
		return outputs{array("out", out), array("dx", l.Backward(c.dout))}
	}
	return spec[xdCase]{
		name: "ReluBackward", title: "Relu の逆伝播", passed: "1〜3 次元の入力 3 通り、x = 0 の要素も含めて dx が一致、数値微分とも一致",
		cases: activationCases(), input: xdCase.input,
		student: func(c xdCase) outputs { return xdRun(c, layer) },
		ref:     refRun,
		blank:   onlyOut[xdCase],
		numeric: func(c xdCase, name string) *np.Array {
			if name != "dx" {
				return nil
			}
			return numericalGradient(func(x *np.Array) float64 { return dot((&ref.Relu{}).Forward(x), c.dout) }, c.x)
		},
		mistakes: []mistake[xdCase]{
			{"mask-inverted", "mask の向きが逆です: 勾配を 0 にするのは x <= 0 の場所 (mask が true の場所) です。",
				func(c xdCase) outputs {
					return with(c, func(d *np.Array) *np.Array { dx := np.Copy(d); np.Putmask(dx, np.Greater(c.x, 0), 0); return dx })
				}},
			{"no-mask", "mask を使っていません: 順伝播で x <= 0 だった場所の勾配は 0 にします (np.Putmask(dx, l.mask, 0))。",
				func(c xdCase) outputs { return with(c, np.Copy) }},
			{"relu-dout", "dout を ReLU に通しています (dout の正負で決めている)。0 にするのは x <= 0 だった場所、順伝播で覚えた mask の場所です。",
				func(c xdCase) outputs { return with(c, func(d *np.Array) *np.Array { return np.Maximum(0, d) }) }},
		},
		general: "dx := np.Copy(dout) のあと np.Putmask(dx, l.mask, 0) です。",
	}.run()
}

// SigmoidBackward checks the Backward of a Sigmoid layer (2_2_2):
// dx = dout·(1 − out)·out, with the out that Forward kept. The check cell is
// the one of ReluBackward with &Sigmoid{}.
func SigmoidBackward(layer func(x, dout *np.Array) (out, dx *np.Array)) Result {
	return show(checkSigmoidBackward(layer))
}

func checkSigmoidBackward(layer func(x, dout *np.Array) (out, dx *np.Array)) Result {
	with := func(c xdCase, dx func(out *np.Array) *np.Array) outputs {
		out := sigmoid(c.x)
		return outputs{array("out", out), array("dx", dx(out))}
	}
	return spec[xdCase]{
		name: "SigmoidBackward", title: "Sigmoid の逆伝播", passed: "1〜3 次元の入力 3 通りで dx = dout·(1 − out)·out と一致、数値微分とも一致",
		cases: activationCases(), input: xdCase.input,
		student: func(c xdCase) outputs { return xdRun(c, layer) },
		ref: func(c xdCase) outputs {
			l := &ref.Sigmoid{}
			out := l.Forward(c.x)
			return outputs{array("out", out), array("dx", l.Backward(c.dout))}
		},
		blank: onlyOut[xdCase],
		numeric: func(c xdCase, name string) *np.Array {
			if name != "dx" {
				return nil
			}
			return numericalGradient(func(x *np.Array) float64 { return dot(sigmoid(x), c.dout) }, c.x)
		},
		mistakes: []mistake[xdCase]{
			{"sigmoid-input", "入力 x ではなく、順伝播の出力 out を使います: dx = dout·(1 − out)·out。",
				func(c xdCase) outputs {
					return with(c, func(_ *np.Array) *np.Array { return np.Multiply(np.Multiply(c.dout, np.Subtract(1, c.x)), c.x) })
				}},
			{"sigmoid-twice", "out はすでに σ(x) です。もう一度 sigmoid を通さずに dout·(1 − out)·out とします (2_2_1 の講座のコードの癖と同じ間違いです)。",
				func(c xdCase) outputs {
					return with(c, func(out *np.Array) *np.Array {
						s := sigmoid(out)
						return np.Multiply(np.Multiply(c.dout, np.Subtract(1, s)), s)
					})
				}},
			{"no-dout", "dout を掛けていません: 上の層から来た勾配 dout に、この層の微分 (1 − out)·out を掛けます。",
				func(c xdCase) outputs {
					return with(c, func(out *np.Array) *np.Array { return np.Multiply(np.Subtract(1, out), out) })
				}},
		},
		general: "dx = np.Multiply(np.Multiply(dout, np.Subtract(1.0, l.out)), l.out) です。",
	}.run()
}

// affineCase is an input of Affine's backward pass.
type affineCase struct{ x, W, b, dout *np.Array }

// AffineBackward checks the Backward of 2_1's Affine: dx = dout·Wᵀ,
// dW = xᵀ·dout, db = Σ dout over the batch. The check cell:
//
//	exercise.AffineBackward(func(x, W, b, dout *np.Array) (out, dx, dW, db *np.Array) {
//		l := &Affine{W: W, B: b}
//		out = l.Forward(x)
//		dx = l.Backward(dout)
//		return out, dx, l.DW, l.DB
//	})
func AffineBackward(layer func(x, W, b, dout *np.Array) (out, dx, dW, db *np.Array)) Result {
	return show(checkAffineBackward(layer))
}

func checkAffineBackward(layer func(x, W, b, dout *np.Array) (out, dx, dW, db *np.Array)) Result {
	mk := func(seed uint32, n, d, m int) affineCase {
		return affineCase{randn(seed, n, d), randn(seed+1, d, m), randn(seed+2, m), randn(seed+3, n, m)}
	}
	pack := func(out, dx, dW, db *np.Array) outputs {
		return outputs{array("out", out), array("dx", dx), array("dW", dW), array("db", db)}
	}
	// variant: the course's formulas, with one of them replaced
	variant := func(c affineCase, dW, db func() *np.Array) outputs {
		out := np.Add(np.Dot(c.x, c.W), c.b)
		return pack(out, np.Dot(c.dout, np.T(c.W)), dW(), db())
	}
	refDW := func(c affineCase) func() *np.Array { return func() *np.Array { return np.Dot(np.T(c.x), c.dout) } }
	refDB := func(c affineCase) func() *np.Array { return func() *np.Array { return np.Sum(c.dout, 0) } }
	return spec[affineCase]{
		name: "AffineBackward", title: "Affine の逆伝播",
		passed: "形 3 通り (正方行列、バッチ 1 も) で dx, dW, db が一致、数値微分とも一致",
		cases:  []affineCase{mk(40, 2, 3, 4), mk(50, 3, 3, 3), mk(60, 1, 2, 5)},
		input: func(c affineCase) string {
			return shapes("x, W, b, dout", c.x, c.W, c.b, c.dout)
		},
		student: func(c affineCase) outputs {
			return pack(layer(np.Copy(c.x), np.Copy(c.W), np.Copy(c.b), np.Copy(c.dout)))
		},
		ref: func(c affineCase) outputs {
			l := ref.NewAffine(c.W, c.b)
			out := l.Forward(c.x)
			dx := l.Backward(c.dout)
			return pack(out, dx, l.DW, l.DB)
		},
		blank: onlyOut[affineCase],
		numeric: func(c affineCase, name string) *np.Array {
			loss := func(x, W, b *np.Array) float64 { return dot(np.Add(np.Dot(x, W), b), c.dout) }
			return gradient3(name, [3]string{"dx", "dW", "db"}, loss, c.x, c.W, c.b)
		},
		mistakes: []mistake[affineCase]{
			{"transpose", "dW が転置した積になっています: dW = xᵀ·dout (形 (入力の数, 出力の数)、W と同じ形)。np.Dot(np.T(l.x), dout) です。",
				func(c affineCase) outputs {
					return variant(c, func() *np.Array { return np.Dot(np.T(c.dout), c.x) }, refDB(c))
				}},
			{"axis", "和の軸が違います: db はバッチの方向 (axis=0) に足します: np.Sum(dout, 0)。",
				func(c affineCase) outputs {
					return variant(c, refDW(c), func() *np.Array { return np.Sum(c.dout, 1) })
				}},
			{"axis-all", "db は全部の和ではなく、出力ごとにバッチの方向 (axis=0) に足します: np.Sum(dout, 0)。",
				func(c affineCase) outputs {
					return variant(c, refDW(c), func() *np.Array { return np.Sum(c.dout) })
				}},
			{"mean", "db は平均ではなく和です (バッチの大きさで割るのは SoftmaxWithLoss の逆伝播で済んでいます)。",
				func(c affineCase) outputs {
					return variant(c, refDW(c), func() *np.Array { return np.Mean(c.dout, 0) })
				}},
		},
		general: "dx = np.Dot(dout, np.T(l.W))、l.DW = np.Dot(np.T(l.x), dout)、l.DB = np.Sum(dout, 0) です。",
	}.run()
}

// softmaxCase is an input of SoftmaxWithLoss: scores and labels (one-hot
// rows or class numbers).
type softmaxCase struct {
	x, d *np.Array
	note string
}

// SoftmaxWithLossBackward checks the Backward of a SoftmaxWithLoss layer:
// dx = (y − d)/batch_size for one-hot labels d, and for class numbers y with
// 1 taken from the right class, divided by batch_size. The check cell:
//
//	exercise.SoftmaxWithLossBackward(func(x, d *np.Array) (loss float64, dx *np.Array) {
//		l := &SoftmaxWithLoss{}
//		loss = l.Forward(x, d)
//		dx = l.Backward(1)
//		return
//	})
func SoftmaxWithLossBackward(layer func(x, d *np.Array) (loss float64, dx *np.Array)) Result {
	return show(checkSoftmaxWithLossBackward(layer))
}

func checkSoftmaxWithLossBackward(layer func(x, d *np.Array) (loss float64, dx *np.Array)) Result {
	onehot := func(n, c int, labels ...int) *np.Array {
		d := np.Zeros(n, c)
		for i, k := range labels {
			d.Set(1, i, k)
		}
		return d
	}
	pack := func(loss float64, dx *np.Array) outputs { return outputs{scalar("loss", loss), array("dx", dx)} }
	with := func(c softmaxCase, dx func(y, d *np.Array, n int) *np.Array) outputs {
		y := ref.Softmax(c.x)
		return pack(ref.CrossEntropyError(c.d, y), dx(y, c.d, c.x.Shape[0]))
	}
	return spec[softmaxCase]{
		name: "SoftmaxWithLossBackward", title: "SoftmaxWithLoss の逆伝播",
		passed: "one-hot の教師データ (バッチ 3 と 1、大きな値も) と正解の番号の教師データで dx = (y − d)/batch_size と一致、数値微分とも一致",
		cases: []softmaxCase{
			{randn(70, 3, 4), onehot(3, 4, 2, 0, 3), "d は one-hot"},
			{randn(71, 2, 5), np.Values(4, 1), "d は正解の番号 (one-hot でない)"},
			{np.Multiply(50, randn(72, 4, 3)), onehot(4, 3, 0, 1, 2, 1), "d は one-hot、x は大きな値"},
			{randn(73, 1, 3), onehot(1, 3, 1), "d は one-hot、バッチ 1"},
		},
		input: func(c softmaxCase) string {
			return shapes("x, d", c.x, c.d) + " (" + c.note + ")"
		},
		student: func(c softmaxCase) outputs { return pack(layer(np.Copy(c.x), np.Copy(c.d))) },
		ref: func(c softmaxCase) outputs {
			l := &ref.SoftmaxWithLoss{}
			loss := l.Forward(c.x, c.d)
			return pack(loss, l.Backward(1))
		},
		blank: onlyOut[softmaxCase],
		numeric: func(c softmaxCase, name string) *np.Array {
			if name != "dx" {
				return nil
			}
			return numericalGradient(func(x *np.Array) float64 { return (&ref.SoftmaxWithLoss{}).Forward(x, c.d) }, c.x)
		},
		mistakes: []mistake[softmaxCase]{
			{"batch", "バッチの大きさで割るのを忘れています: dx = (y − d) / batch_size (損失がバッチの平均なので)。",
				func(c softmaxCase) outputs {
					return with(c, func(y, d *np.Array, n int) *np.Array { return np.Multiply(float64(n), refSoftmaxDx(y, d)) })
				}},
			{"sign", "符号が逆です: dx = (y − d) / batch_size (出力 y から教師 d を引く)。",
				func(c softmaxCase) outputs {
					return with(c, func(y, d *np.Array, n int) *np.Array { return np.Multiply(-1, refSoftmaxDx(y, d)) })
				}},
			{"batch-classes", "割るのはバッチの大きさ (d.Shape[0]、行の数) で、クラスの数ではありません。",
				func(c softmaxCase) outputs {
					return with(c, func(y, d *np.Array, n int) *np.Array {
						return np.Divide(np.Multiply(float64(n), refSoftmaxDx(y, d)), y.Shape[1])
					})
				}},
		},
		general: "one-hot なら dx = (y − d) / batch_size、正解の番号なら y の正解の位置から 1 を引いて batch_size で割ります。",
	}.run()
}

// refSoftmaxDx is (y − d)/N for labels d of either form.
func refSoftmaxDx(y, d *np.Array) *np.Array {
	l := &ref.SoftmaxWithLoss{Y: y, D: d}
	return l.Backward(1)
}

// dropoutCase is an input of Dropout: the mask is drawn from np.Random
// seeded with seed just before the student's Forward.
type dropoutCase struct {
	x, dout *np.Array
	ratio   float64
	seed    int
}

// DropoutBackward checks the Backward of 2_5's Dropout: dx = dout·mask with
// the mask Forward drew. The check seeds np.Random before each run. The
// check cell:
//
//	exercise.DropoutBackward(func(x, dout *np.Array, dropoutRatio float64) (out, dx *np.Array) {
//		l := NewDropout(dropoutRatio)
//		out = l.Forward(x, true)
//		dx = l.Backward(dout)
//		return
//	})
func DropoutBackward(layer func(x, dout *np.Array, dropoutRatio float64) (out, dx *np.Array)) Result {
	return show(checkDropoutBackward(layer))
}

func checkDropoutBackward(layer func(x, dout *np.Array, dropoutRatio float64) (out, dx *np.Array)) Result {
	mask := func(c dropoutCase) *np.Array { // the mask of the forward pass
		np.Random.Seed(c.seed)
		return np.Greater(np.Random.Rand(c.x.Shape...), c.ratio).Float()
	}
	with := func(c dropoutCase, dx func(m *np.Array) *np.Array) outputs {
		m := mask(c)
		return outputs{array("out", np.Multiply(c.x, m)), array("dx", dx(m))}
	}
	return spec[dropoutCase]{
		name: "DropoutBackward", title: "Dropout の逆伝播",
		passed: "形 3 通り、比率 0.5・0.15・0.8 で、順伝播と同じノードの勾配だけが 0 になる",
		cases: []dropoutCase{
			{randn(80, 3, 4), randn(81, 3, 4), 0.5, 1},
			{randn(82, 2, 3, 2), randn(83, 2, 3, 2), 0.15, 2},
			{randn(84, 8), randn(85, 8), 0.8, 3},
		},
		input: func(c dropoutCase) string {
			return shapes("x, dout", c.x, c.dout) + fmt.Sprintf("、dropout_ratio %g (np.Random.Seed(%d) のあと順伝播)", c.ratio, c.seed)
		},
		student: func(c dropoutCase) outputs {
			np.Random.Seed(c.seed)
			out, dx := layer(np.Copy(c.x), np.Copy(c.dout), c.ratio)
			return outputs{array("out", out), array("dx", dx)}
		},
		ref: func(c dropoutCase) outputs {
			np.Random.Seed(c.seed)
			l := &ref.Dropout{DropoutRatio: c.ratio}
			out := l.Forward(c.x, true)
			return outputs{array("out", out), array("dx", l.Backward(c.dout))}
		},
		blank: onlyOut[dropoutCase],
		numeric: func(c dropoutCase, name string) *np.Array {
			if name != "dx" {
				return nil
			}
			return np.Multiply(c.dout, mask(c))
		},
		mistakes: []mistake[dropoutCase]{
			{"mask-reuse", "逆伝播で新しいマスクを作っています。順伝播で覚えた l.mask をそのまま使います (順伝播で消したノードの勾配を 0 にする)。",
				func(c dropoutCase) outputs {
					m := mask(c) // np.Random has drawn the forward mask; backward draws another
					again := np.Greater(np.Random.Rand(c.x.Shape...), c.ratio).Float()
					return outputs{array("out", np.Multiply(c.x, m)), array("dx", np.Multiply(c.dout, again))}
				}},
			{"no-mask", "mask を掛けていません: dx = dout·mask (順伝播で消したノードには勾配を流さない)。",
				func(c dropoutCase) outputs { return with(c, func(*np.Array) *np.Array { return c.dout }) }},
			{"inverted", "講座のドロップアウトは逆ドロップアウトではないので、1/(1 − ratio) を掛けません: dx = dout·mask。",
				func(c dropoutCase) outputs {
					return with(c, func(m *np.Array) *np.Array { return np.Divide(np.Multiply(c.dout, m), 1-c.ratio) })
				}},
			{"test-scale", "(1 − ratio) を掛けるのは推論時の順伝播です。学習時の逆伝播は dx = dout·mask。",
				func(c dropoutCase) outputs {
					return with(c, func(*np.Array) *np.Array { return np.Multiply(c.dout, 1-c.ratio) })
				}},
		},
		general: "dx = np.Multiply(dout, l.mask) です。",
	}.run()
}

// bnCase is an input of BatchNormalization.
type bnCase struct{ x, gamma, beta, dout *np.Array }

// BatchNormBackward checks the backward pass of 2_3's BatchNormalization
// (dbeta, dgamma, then back through xn, std, var and mu). The check cell:
//
//	exercise.BatchNormBackward(func(x, gamma, beta, dout *np.Array) (out, dx, dgamma, dbeta *np.Array) {
//		l := NewBatchNormalization(gamma, beta)
//		out = l.Forward(x, true)
//		dx = l.Backward(dout)
//		return out, dx, l.DGamma, l.DBeta
//	})
func BatchNormBackward(layer func(x, gamma, beta, dout *np.Array) (out, dx, dgamma, dbeta *np.Array)) Result {
	return show(checkBatchNormBackward(layer))
}

func checkBatchNormBackward(layer func(x, gamma, beta, dout *np.Array) (out, dx, dgamma, dbeta *np.Array)) Result {
	mk := func(seed uint32, shape ...int) bnCase {
		d := 1
		for _, s := range shape[1:] {
			d *= s
		}
		x := np.Add(np.Multiply(3, randn(seed, shape...)), 1)
		return bnCase{x, np.Add(1, np.Multiply(0.5, randn(seed+1, d))), randn(seed+2, d), randn(seed+3, shape...)}
	}
	pack := func(out, dx, dg, db *np.Array) outputs {
		return outputs{array("out", out), array("dx", dx), array("dgamma", dg), array("dbeta", db)}
	}
	forward := func(c bnCase, x, gamma, beta *np.Array) *np.Array {
		return ref.NewBatchNormalization(gamma, beta).Forward(x, true)
	}
	variant := func(kind int) func(c bnCase) outputs {
		return func(c bnCase) outputs {
			out := forward(c, c.x, c.gamma, c.beta)
			dx, dg, db := bnBackward(c, kind)
			return pack(out, dx, dg, db)
		}
	}
	return spec[bnCase]{
		name: "BatchNormBackward", nilIsStub: true, title: "BatchNormalization の逆伝播",
		passed: "(4, 3)・(6, 2)・(2, 3, 2, 2) の入力で dx, dgamma, dbeta が一致、数値微分とも一致",
		cases:  []bnCase{mk(90, 4, 3), mk(95, 6, 2), mk(100, 2, 3, 2, 2)},
		input:  func(c bnCase) string { return shapes("x, gamma, beta, dout", c.x, c.gamma, c.beta, c.dout) },
		student: func(c bnCase) outputs {
			return pack(layer(np.Copy(c.x), np.Copy(c.gamma), np.Copy(c.beta), np.Copy(c.dout)))
		},
		ref: func(c bnCase) outputs {
			l := ref.NewBatchNormalization(c.gamma, c.beta)
			out := l.Forward(c.x, true)
			dx := l.Backward(c.dout)
			return pack(out, dx, l.DGamma, l.DBeta)
		},
		blank: onlyOut[bnCase],
		numeric: func(c bnCase, name string) *np.Array {
			loss := func(x, g, b *np.Array) float64 { return dot(forward(c, x, g, b), c.dout) }
			return gradient3(name, [3]string{"dx", "dgamma", "dbeta"}, loss, c.x, c.gamma, c.beta)
		},
		mistakes: []mistake[bnCase]{
			{"axis", "和の軸が違います: dbeta, dgamma はバッチの方向 (axis=0) に足します: np.Sum(dout, 0)。",
				variant(1)},
			{"batch", "dmu をバッチの大きさで割るのを忘れています: dx = dxc − dmu / batch_size。",
				variant(2)},
			{"dgamma", "dgamma = Σ xn·dout です (正規化した xn を掛けてから足す)。",
				variant(3)},
			{"sign", "dstd の符号が逆です: dstd = −Σ(dxn·xc / std²)。",
				variant(4)},
			{"var-path", "分散 (std) を通る経路を忘れています: dxc += (2.0 / batch_size)·xc·dvar。",
				variant(5)},
		},
		general: "dbeta → dgamma → dxn → dxc → dstd → dvar → dxc += … → dmu → dx の順に、講座の式を 1 行ずつ確かめましょう。",
	}.run()
}

// bnBackward is the course's batch-norm backward pass on a case, with one
// mistake by kind (0: none; 1 sums over axis 1; 2 forgets / batch; 3 dgamma
// without xn; 4 the sign of dstd; 5 no path through the variance).
func bnBackward(c bnCase, kind int) (dx, dgamma, dbeta *np.Array) {
	x := np.Reshape(c.x, c.x.Shape[0], -1)
	dout := np.Reshape(c.dout, c.dout.Shape[0], -1)
	n := x.Shape[0]
	mu := np.Mean(x, 0)
	xc := np.Subtract(x, mu)
	std := np.Sqrt(np.Add(np.Mean(np.Power(xc, 2), 0), 10e-7))
	xn := np.Divide(xc, std)
	axis := 0
	if kind == 1 {
		axis = 1
	}
	dbeta = np.Sum(dout, axis)
	dgamma = np.Sum(np.Multiply(xn, dout), axis)
	if kind == 3 {
		dgamma = np.Sum(dout, 0)
	}
	dxn := np.Multiply(c.gamma, dout)
	dxc := np.Divide(dxn, std)
	dstd := np.Multiply(-1, np.Sum(np.Divide(np.Multiply(dxn, xc), np.Multiply(std, std)), 0))
	if kind == 4 {
		dstd = np.Multiply(-1, dstd)
	}
	dvar := np.Divide(np.Multiply(0.5, dstd), std)
	if kind != 5 {
		dxc = np.Add(dxc, np.Multiply(np.Multiply(2.0/float64(n), xc), dvar))
	}
	dmu := np.Sum(dxc, 0)
	if kind == 2 {
		dx = np.Subtract(dxc, dmu)
	} else {
		dx = np.Subtract(dxc, np.Divide(dmu, n))
	}
	return np.Reshape(dx, c.x.Shape...), dgamma, dbeta
}

package exercise_test

import (
	"math"
	"sync/atomic"

	"github.com/dlnb/course/dlnb/exercise"
	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/np"
)

// exTest is one exercise's test: its check run on the answer, on the stub,
// on answers with each known mistake (by the hint id it must get), on code
// that panics and on code that never ends (until stop is set).
type exTest struct {
	name     string
	answer   func() exercise.Result
	stub     func() exercise.Result
	mistakes map[string]func() exercise.Result
	panics   func() exercise.Result
	loops    func(stop *atomic.Bool) exercise.Result
}

// spin is a student's endless loop; the test ends it after the check.
func spin(stop *atomic.Bool) {
	for !stop.Load() {
	}
}

// shapeMistake is code that stops with np's shape error.
func shapeMistake() *np.Array { return np.Dot(np.Zeros(2, 3), np.Zeros(4, 5)) }

// index is code that panics with a runtime error.
func index() int { var a []int; return a[3] }

type (
	updateSGDFunc      = func(key string, params, grad map[string]*np.Array, lr float64)
	updateMomentumFunc = func(i int, key string, params, grad, v map[string]*np.Array, lr, momentum float64)
	updateHFunc        = func(i int, key string, params, grad, h map[string]*np.Array, lr, c float64)
	updateAdamFunc     = func(i int, key string, params, grad, m, v map[string]*np.Array, lr, beta1, beta2 float64)
)

func tests() []exTest {
	return []exTest{
		{
			name:   "ChainRule",
			answer: func() exercise.Result { return exercise.ChainRule(dzdx) },
			stub:   func() exercise.Result { return exercise.ChainRule(func(x, y float64) (d float64) { return }) },
			mistakes: map[string]func() exercise.Result{
				"chain-z": func() exercise.Result {
					return exercise.ChainRule(func(x, y float64) float64 { t := x + y; return t * t })
				},
				"chain-inner-only": func() exercise.Result { return exercise.ChainRule(func(x, y float64) float64 { return 1 }) },
				"chain-t":          func() exercise.Result { return exercise.ChainRule(func(x, y float64) float64 { return 2 * x }) },
				"chain-two":        func() exercise.Result { return exercise.ChainRule(func(x, y float64) float64 { return x + y }) },
			},
			panics: func() exercise.Result {
				return exercise.ChainRule(func(x, y float64) float64 { return float64(index()) })
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.ChainRule(func(x, y float64) float64 { spin(s); return 0 })
			},
		},
		{
			name: "ReluBackward",
			answer: func() exercise.Result {
				return exercise.ReluBackward(func(x, dout *np.Array) (out, dx *np.Array) {
					l := &Relu{}
					out = l.Forward(x)
					dx = l.Backward(dout)
					return
				})
			},
			stub: func() exercise.Result {
				return exercise.ReluBackward(reluWith(func(l *Relu, dout *np.Array) (dx *np.Array) { return }))
			},
			mistakes: map[string]func() exercise.Result{
				"mask-inverted": func() exercise.Result {
					return exercise.ReluBackward(reluWith(func(l *Relu, dout *np.Array) *np.Array { return np.Multiply(dout, l.mask) }))
				},
				"no-mask": func() exercise.Result {
					return exercise.ReluBackward(reluWith(func(l *Relu, dout *np.Array) *np.Array { return dout }))
				},
				"relu-dout": func() exercise.Result {
					return exercise.ReluBackward(reluWith(func(l *Relu, dout *np.Array) *np.Array {
						dx := np.Copy(dout)
						np.Putmask(dx, np.LessEqual(dout, 0), 0)
						return dx
					}))
				},
			},
			panics: func() exercise.Result {
				return exercise.ReluBackward(reluWith(func(l *Relu, dout *np.Array) *np.Array { return shapeMistake() }))
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.ReluBackward(reluWith(func(l *Relu, dout *np.Array) *np.Array { spin(s); return nil }))
			},
		},
		{
			name: "AffineBackward",
			answer: func() exercise.Result {
				return exercise.AffineBackward(func(x, W, b, dout *np.Array) (out, dx, dW, db *np.Array) {
					l := &Affine{W: W, B: b}
					out = l.Forward(x)
					dx = l.Backward(dout)
					return out, dx, l.DW, l.DB
				})
			},
			stub: func() exercise.Result {
				return exercise.AffineBackward(affineWith(func(l *Affine, dout *np.Array) (dx *np.Array) { return }))
			},
			mistakes: map[string]func() exercise.Result{
				"transpose": func() exercise.Result {
					return exercise.AffineBackward(affineWith(func(l *Affine, dout *np.Array) *np.Array {
						l.DW = np.Dot(np.T(dout), l.x) // 積の順番を間違えた
						l.DB = np.Sum(dout, 0)
						return np.Dot(dout, np.T(l.W))
					}))
				},
				"axis": func() exercise.Result {
					return exercise.AffineBackward(affineWith(func(l *Affine, dout *np.Array) *np.Array {
						l.DW = np.Dot(np.T(l.x), dout)
						l.DB = np.Sum(dout, 1)
						return np.Dot(dout, np.T(l.W))
					}))
				},
				"axis-all": func() exercise.Result {
					return exercise.AffineBackward(affineWith(func(l *Affine, dout *np.Array) *np.Array {
						l.DW = np.Dot(np.T(l.x), dout)
						l.DB = np.Sum(dout)
						return np.Dot(dout, np.T(l.W))
					}))
				},
				"mean": func() exercise.Result {
					return exercise.AffineBackward(affineWith(func(l *Affine, dout *np.Array) *np.Array {
						l.DW = np.Dot(np.T(l.x), dout)
						l.DB = np.Mean(dout, 0)
						return np.Dot(dout, np.T(l.W))
					}))
				},
			},
			panics: func() exercise.Result {
				return exercise.AffineBackward(affineWith(func(l *Affine, dout *np.Array) *np.Array {
					return np.Dot(dout, l.W) // W を転置し忘れ: 形が合わない
				}))
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.AffineBackward(affineWith(func(l *Affine, dout *np.Array) *np.Array { spin(s); return nil }))
			},
		},
		{
			name: "SoftmaxWithLossBackward",
			answer: func() exercise.Result {
				return exercise.SoftmaxWithLossBackward(func(x, d *np.Array) (loss float64, dx *np.Array) {
					l := &SoftmaxWithLoss{}
					loss = l.Forward(x, d)
					dx = l.Backward(1)
					return
				})
			},
			stub: func() exercise.Result {
				return exercise.SoftmaxWithLossBackward(softmaxWith(func(l *SoftmaxWithLoss, dout float64) (dx *np.Array) { return }))
			},
			mistakes: map[string]func() exercise.Result{
				"batch": func() exercise.Result {
					return exercise.SoftmaxWithLossBackward(softmaxWith(func(l *SoftmaxWithLoss, dout float64) *np.Array {
						if l.D.Size() == l.Y.Size() {
							return np.Subtract(l.Y, l.D)
						}
						dx := np.Copy(l.Y)
						np.PutPick(dx, l.D, np.Subtract(np.Pick(dx, l.D), 1))
						return dx
					}))
				},
				"sign": func() exercise.Result {
					return exercise.SoftmaxWithLossBackward(softmaxWith(func(l *SoftmaxWithLoss, dout float64) *np.Array {
						if l.D.Size() == l.Y.Size() {
							return np.Divide(np.Subtract(l.D, l.Y), l.D.Shape[0])
						}
						dx := np.Multiply(-1, l.Y)
						np.PutPick(dx, l.D, np.Add(np.Pick(dx, l.D), 1))
						return np.Divide(dx, l.D.Shape[0])
					}))
				},
				"batch-classes": func() exercise.Result {
					return exercise.SoftmaxWithLossBackward(softmaxWith(func(l *SoftmaxWithLoss, dout float64) *np.Array {
						if l.D.Size() == l.Y.Size() {
							return np.Divide(np.Subtract(l.Y, l.D), l.Y.Shape[1])
						}
						dx := np.Copy(l.Y)
						np.PutPick(dx, l.D, np.Subtract(np.Pick(dx, l.D), 1))
						return np.Divide(dx, l.Y.Shape[1])
					}))
				},
			},
			panics: func() exercise.Result {
				return exercise.SoftmaxWithLossBackward(softmaxWith(func(l *SoftmaxWithLoss, dout float64) *np.Array {
					return np.Divide(np.Subtract(l.Y, l.D), l.D.Shape[0]) // 正解の番号の教師データを考えていない
				}))
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.SoftmaxWithLossBackward(softmaxWith(func(l *SoftmaxWithLoss, dout float64) *np.Array { spin(s); return nil }))
			},
		},
		{
			name:   "SigmoidGrad",
			answer: func() exercise.Result { return exercise.SigmoidGrad(dSigmoid) },
			stub:   func() exercise.Result { return exercise.SigmoidGrad(func(x *np.Array) (dy *np.Array) { return }) },
			mistakes: map[string]func() exercise.Result{
				"sigmoid-output-form": func() exercise.Result {
					return exercise.SigmoidGrad(func(x *np.Array) *np.Array { return np.Multiply(x, np.Subtract(1, x)) })
				},
				"sigmoid-itself": func() exercise.Result { return exercise.SigmoidGrad(sigmoid) },
				"sigmoid-twice": func() exercise.Result {
					return exercise.SigmoidGrad(func(x *np.Array) *np.Array { return dSigmoid(sigmoid(x)) })
				},
			},
			panics: func() exercise.Result {
				return exercise.SigmoidGrad(func(x *np.Array) *np.Array { return shapeMistake() })
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.SigmoidGrad(func(x *np.Array) *np.Array { spin(s); return nil })
			},
		},
		{
			name:   "SigmoidGradMax",
			answer: func() exercise.Result { return exercise.SigmoidGradMax(sigmoidGradMax) },
			stub:   func() exercise.Result { return exercise.SigmoidGradMax(func() (answer float64) { return }) },
			mistakes: map[string]func() exercise.Result{
				"sigma-value": func() exercise.Result {
					return exercise.SigmoidGradMax(func() float64 { return sigmoid(np.Values(0)).Item() })
				},
				"sigma-limit": func() exercise.Result { return exercise.SigmoidGradMax(func() float64 { return 1 }) },
				"choice":      func() exercise.Result { return exercise.SigmoidGradMax(func() float64 { return 0.45 }) },
			},
			panics: func() exercise.Result { return exercise.SigmoidGradMax(func() float64 { return float64(index()) }) },
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.SigmoidGradMax(func() float64 { spin(s); return 0 })
			},
		},
		{
			name: "SigmoidBackward",
			answer: func() exercise.Result {
				return exercise.SigmoidBackward(func(x, dout *np.Array) (out, dx *np.Array) {
					l := &Sigmoid{}
					out = l.Forward(x)
					dx = l.Backward(dout)
					return
				})
			},
			stub: func() exercise.Result {
				return exercise.SigmoidBackward(sigmoidWith(func(l *Sigmoid, dout *np.Array) (dx *np.Array) { return }))
			},
			mistakes: map[string]func() exercise.Result{
				"sigmoid-input": func() exercise.Result {
					return exercise.SigmoidBackward(func(x, dout *np.Array) (out, dx *np.Array) {
						l := &Sigmoid{}
						out = l.Forward(x)
						dx = np.Multiply(np.Multiply(dout, np.Subtract(1.0, x)), x) // 出力でなく入力を使った
						return
					})
				},
				"sigmoid-twice": func() exercise.Result {
					return exercise.SigmoidBackward(sigmoidWith(func(l *Sigmoid, dout *np.Array) *np.Array {
						return np.Multiply(dout, dSigmoid(l.out))
					}))
				},
				"no-dout": func() exercise.Result {
					return exercise.SigmoidBackward(sigmoidWith(func(l *Sigmoid, dout *np.Array) *np.Array {
						return np.Multiply(np.Subtract(1.0, l.out), l.out)
					}))
				},
			},
			panics: func() exercise.Result {
				return exercise.SigmoidBackward(sigmoidWith(func(l *Sigmoid, dout *np.Array) *np.Array { return shapeMistake() }))
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.SigmoidBackward(sigmoidWith(func(l *Sigmoid, dout *np.Array) *np.Array { spin(s); return nil }))
			},
		},
		{
			name: "BatchNormBackward",
			answer: func() exercise.Result {
				return exercise.BatchNormBackward(func(x, gamma, beta, dout *np.Array) (out, dx, dgamma, dbeta *np.Array) {
					l := NewBatchNormalization(gamma, beta)
					out = l.Forward(x, true)
					dx = l.Backward(dout)
					return out, dx, l.DGamma, l.DBeta
				})
			},
			stub: func() exercise.Result {
				return exercise.BatchNormBackward(bnWith(func(l *BatchNormalization, dout *np.Array) (dx *np.Array) { return }))
			},
			mistakes: map[string]func() exercise.Result{
				"axis":     func() exercise.Result { return exercise.BatchNormBackward(bnWith(bnMistake(1))) },
				"batch":    func() exercise.Result { return exercise.BatchNormBackward(bnWith(bnMistake(2))) },
				"dgamma":   func() exercise.Result { return exercise.BatchNormBackward(bnWith(bnMistake(3))) },
				"sign":     func() exercise.Result { return exercise.BatchNormBackward(bnWith(bnMistake(4))) },
				"var-path": func() exercise.Result { return exercise.BatchNormBackward(bnWith(bnMistake(5))) },
			},
			panics: func() exercise.Result {
				return exercise.BatchNormBackward(bnWith(func(l *BatchNormalization, dout *np.Array) *np.Array { return shapeMistake() }))
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.BatchNormBackward(bnWith(func(l *BatchNormalization, dout *np.Array) *np.Array { spin(s); return nil }))
			},
		},
		{
			name:   "BlankKi",
			answer: func() exercise.Result { return exercise.BlankKi(miniBatch) },
			stub: func() exercise.Result {
				return exercise.BlankKi(func(dataX, dataT *np.Array, shuffleIdx []int, i, iEnd int) (batchX, batchT *np.Array) { return })
			},
			mistakes: map[string]func() exercise.Result{
				"no-shuffle": func() exercise.Result {
					return exercise.BlankKi(func(dataX, dataT *np.Array, shuffleIdx []int, i, iEnd int) (*np.Array, *np.Array) {
						return np.Slice(dataX, i, iEnd), np.Slice(dataT, i, iEnd) // data_x[i:i_end], data_t[i:i_end]
					})
				},
				"to-end": func() exercise.Result {
					return exercise.BlankKi(func(dataX, dataT *np.Array, shuffleIdx []int, i, iEnd int) (*np.Array, *np.Array) {
						return dataX.Take(shuffleIdx[i:]), dataT.Take(shuffleIdx[i:])
					})
				},
				"from-start": func() exercise.Result {
					return exercise.BlankKi(func(dataX, dataT *np.Array, shuffleIdx []int, i, iEnd int) (*np.Array, *np.Array) {
						return dataX.Take(shuffleIdx[:iEnd]), dataT.Take(shuffleIdx[:iEnd])
					})
				},
				"labels": func() exercise.Result {
					return exercise.BlankKi(func(dataX, dataT *np.Array, shuffleIdx []int, i, iEnd int) (*np.Array, *np.Array) {
						return dataX.Take(shuffleIdx[i:iEnd]), np.Slice(dataT, i, iEnd)
					})
				},
			},
			panics: func() exercise.Result {
				return exercise.BlankKi(func(dataX, dataT *np.Array, shuffleIdx []int, i, iEnd int) (*np.Array, *np.Array) {
					idx := shuffleIdx[iEnd:i] // (2) 範囲が逆
					return dataX.Take(idx), dataT.Take(idx)
				})
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.BlankKi(func(dataX, dataT *np.Array, shuffleIdx []int, i, iEnd int) (*np.Array, *np.Array) {
					spin(s)
					return nil, nil
				})
			},
		},
		{
			name:   "SGD",
			answer: func() exercise.Result { return exercise.SGD(updateSGD) },
			stub: func() exercise.Result {
				return exercise.SGD(func(key string, params, grad map[string]*np.Array, lr float64) {})
			},
			mistakes: map[string]func() exercise.Result{
				"sign": func() exercise.Result {
					return exercise.SGD(func(key string, params, grad map[string]*np.Array, lr float64) {
						params[key].Add(np.Multiply(lr, grad[key]))
					})
				},
				"no-lr": func() exercise.Result {
					return exercise.SGD(func(key string, params, grad map[string]*np.Array, lr float64) { params[key].Sub(grad[key]) })
				},
			},
			panics: func() exercise.Result {
				return exercise.SGD(func(key string, params, grad map[string]*np.Array, lr float64) {
					params[key].Sub(np.Multiply(lr, grad["W"+key])) // 存在しないキー: nil
				})
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.SGD(func(key string, params, grad map[string]*np.Array, lr float64) { spin(s) })
			},
		},
		{
			name:   "Momentum",
			answer: func() exercise.Result { return exercise.Momentum(updateMomentum) },
			stub: func() exercise.Result {
				return exercise.Momentum(func(i int, key string, params, grad, v map[string]*np.Array, lr, momentum float64) {
					if i == 0 {
						v[key] = np.ZerosLike(params[key])
					}
				})
			},
			mistakes: map[string]func() exercise.Result{
				"sign":     func() exercise.Result { return exercise.Momentum(momentumMistake(1)) },
				"velocity": func() exercise.Result { return exercise.Momentum(momentumMistake(2)) },
				"order":    func() exercise.Result { return exercise.Momentum(momentumMistake(3)) },
				"swapped":  func() exercise.Result { return exercise.Momentum(momentumMistake(4)) },
			},
			panics: func() exercise.Result {
				return exercise.Momentum(func(i int, key string, params, grad, v map[string]*np.Array, lr, momentum float64) {
					v[key].Scale(momentum) // i == 0 で v を作っていない
				})
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.Momentum(func(i int, key string, params, grad, v map[string]*np.Array, lr, momentum float64) { spin(s) })
			},
		},
		{
			name:   "AdaGrad",
			answer: func() exercise.Result { return exercise.AdaGrad(updateAdaGrad) },
			stub: func() exercise.Result {
				return exercise.AdaGrad(func(i int, key string, params, grad, h map[string]*np.Array, lr, theta float64) {})
			},
			mistakes: map[string]func() exercise.Result{
				"sign":         func() exercise.Result { return exercise.AdaGrad(adaGradMistake(1)) },
				"accumulate":   func() exercise.Result { return exercise.AdaGrad(adaGradMistake(2)) },
				"accumulate-0": func() exercise.Result { return exercise.AdaGrad(adaGradMistake(3)) },
				"first-step":   func() exercise.Result { return exercise.AdaGrad(adaGradMistake(4)) },
				"epsilon":      func() exercise.Result { return exercise.AdaGrad(adaGradMistake(5)) },
				"sqrt":         func() exercise.Result { return exercise.AdaGrad(adaGradMistake(6)) },
				"theta":        func() exercise.Result { return exercise.AdaGrad(adaGradMistake(7)) },
			},
			panics: func() exercise.Result {
				return exercise.AdaGrad(func(i int, key string, params, grad, h map[string]*np.Array, lr, theta float64) {
					h[key].Add(np.Multiply(grad[key], grad[key])) // h を作る前に足している
				})
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.AdaGrad(func(i int, key string, params, grad, h map[string]*np.Array, lr, theta float64) { spin(s) })
			},
		},
		{
			name: "RMSprop",
			answer: func() exercise.Result {
				return exercise.RMSprop(updateRMSprop)
			},
			stub: func() exercise.Result {
				return exercise.RMSprop(func(i int, key string, params, grad, h map[string]*np.Array, lr, decayRate float64) {
					if i == 0 {
						h[key] = np.ZerosLike(params[key])
					}
				})
			},
			mistakes: map[string]func() exercise.Result{
				"sign":       func() exercise.Result { return exercise.RMSprop(rmspropMistake(1)) },
				"epsilon":    func() exercise.Result { return exercise.RMSprop(rmspropMistake(2)) },
				"decay":      func() exercise.Result { return exercise.RMSprop(rmspropMistake(3)) },
				"accumulate": func() exercise.Result { return exercise.RMSprop(rmspropMistake(4)) },
				"no-epsilon": func() exercise.Result { return exercise.RMSprop(rmspropMistake(5)) },
				"sqrt":       func() exercise.Result { return exercise.RMSprop(rmspropMistake(6)) },
			},
			panics: func() exercise.Result {
				return exercise.RMSprop(func(i int, key string, params, grad, h map[string]*np.Array, lr, decayRate float64) {
					h[key] = shapeMistake()
				})
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.RMSprop(func(i int, key string, params, grad, h map[string]*np.Array, lr, decayRate float64) { spin(s) })
			},
		},
		{
			name:   "Adam",
			answer: func() exercise.Result { return exercise.Adam(updateAdam) },
			stub: func() exercise.Result {
				return exercise.Adam(func(i int, key string, params, grad, m, v map[string]*np.Array, lr, beta1, beta2 float64) {
					if i == 0 {
						m[key] = np.ZerosLike(params[key])
						v[key] = np.ZerosLike(params[key])
					}
				})
			},
			mistakes: map[string]func() exercise.Result{
				"sign":            func() exercise.Result { return exercise.Adam(adamMistake(1)) },
				"epsilon":         func() exercise.Result { return exercise.Adam(adamMistake(2)) },
				"bias-correction": func() exercise.Result { return exercise.Adam(adamMistake(3)) },
				"t":               func() exercise.Result { return exercise.Adam(adamMistake(4)) },
				"betas":           func() exercise.Result { return exercise.Adam(adamMistake(5)) },
				"betas-lr":        func() exercise.Result { return exercise.Adam(adamMistake(6)) },
			},
			panics: func() exercise.Result {
				return exercise.Adam(func(i int, key string, params, grad, m, v map[string]*np.Array, lr, beta1, beta2 float64) {
					_ = index()
				})
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.Adam(func(i int, key string, params, grad, m, v map[string]*np.Array, lr, beta1, beta2 float64) { spin(s) })
			},
		},
		{
			name:   "BlankE",
			answer: func() exercise.Result { return exercise.BlankE(ridgeGrad) },
			stub: func() exercise.Result {
				return exercise.BlankE(func(grad, param *np.Array, rate float64) (newGrad *np.Array) { return })
			},
			mistakes: map[string]func() exercise.Result{
				"sum-of-squares": func() exercise.Result {
					return exercise.BlankE(regMistake(func(p *np.Array) *np.Array { return np.Sum(np.Power(p, 2)) }))
				},
				"sum": func() exercise.Result {
					return exercise.BlankE(regMistake(func(p *np.Array) *np.Array { return np.Sum(p) }))
				},
				"square": func() exercise.Result {
					return exercise.BlankE(regMistake(func(p *np.Array) *np.Array { return np.Power(p, 2) }))
				},
				"factor-two": func() exercise.Result {
					return exercise.BlankE(regMistake(func(p *np.Array) *np.Array { return np.Multiply(2, p) }))
				},
				"l1-answer": func() exercise.Result { return exercise.BlankE(regMistake(np.Sign)) },
				"forgot-grad": func() exercise.Result {
					return exercise.BlankE(func(grad, param *np.Array, rate float64) *np.Array { return np.Multiply(rate, param) })
				},
			},
			panics: func() exercise.Result {
				return exercise.BlankE(func(grad, param *np.Array, rate float64) *np.Array { return shapeMistake() })
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.BlankE(func(grad, param *np.Array, rate float64) *np.Array { spin(s); return nil })
			},
		},
		{
			name:   "BlankO",
			answer: func() exercise.Result { return exercise.BlankO(lassoGrad) },
			stub: func() exercise.Result {
				return exercise.BlankO(func(grad, param *np.Array, rate float64) (newGrad *np.Array) { return })
			},
			mistakes: map[string]func() exercise.Result{
				"maximum": func() exercise.Result {
					return exercise.BlankO(regMistake(func(p *np.Array) *np.Array { return np.Maximum(p, 0) }))
				},
				"minimum": func() exercise.Result {
					return exercise.BlankO(regMistake(func(p *np.Array) *np.Array { return np.Minimum(p, 0) }))
				},
				"abs":       func() exercise.Result { return exercise.BlankO(regMistake(np.Abs)) },
				"l2-answer": func() exercise.Result { return exercise.BlankO(ridgeGrad) },
				"forgot-grad": func() exercise.Result {
					return exercise.BlankO(func(grad, param *np.Array, rate float64) *np.Array { return np.Multiply(rate, np.Sign(param)) })
				},
			},
			panics: func() exercise.Result {
				return exercise.BlankO(func(grad, param *np.Array, rate float64) *np.Array { return shapeMistake() })
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.BlankO(func(grad, param *np.Array, rate float64) *np.Array { spin(s); return nil })
			},
		},
		{
			name: "DropoutBackward",
			answer: func() exercise.Result {
				return exercise.DropoutBackward(func(x, dout *np.Array, dropoutRatio float64) (out, dx *np.Array) {
					l := NewDropout(dropoutRatio)
					out = l.Forward(x, true)
					dx = l.Backward(dout)
					return
				})
			},
			stub: func() exercise.Result {
				return exercise.DropoutBackward(dropoutWith(func(l *Dropout, dout *np.Array) (dx *np.Array) { return }))
			},
			mistakes: map[string]func() exercise.Result{
				"mask-reuse": func() exercise.Result {
					return exercise.DropoutBackward(dropoutWith(func(l *Dropout, dout *np.Array) *np.Array {
						mask := np.Greater(np.Random.Rand(dout.Shape...), l.dropoutRatio) // 逆伝播で新しいマスク
						return np.Multiply(dout, mask)
					}))
				},
				"no-mask": func() exercise.Result {
					return exercise.DropoutBackward(dropoutWith(func(l *Dropout, dout *np.Array) *np.Array { return dout }))
				},
				"inverted": func() exercise.Result {
					return exercise.DropoutBackward(dropoutWith(func(l *Dropout, dout *np.Array) *np.Array {
						return np.Divide(np.Multiply(dout, l.mask), 1-l.dropoutRatio)
					}))
				},
				"test-scale": func() exercise.Result {
					return exercise.DropoutBackward(dropoutWith(func(l *Dropout, dout *np.Array) *np.Array {
						return np.Multiply(dout, 1-l.dropoutRatio)
					}))
				},
			},
			panics: func() exercise.Result {
				return exercise.DropoutBackward(dropoutWith(func(l *Dropout, dout *np.Array) *np.Array { return shapeMistake() }))
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.DropoutBackward(dropoutWith(func(l *Dropout, dout *np.Array) *np.Array { spin(s); return nil }))
			},
		},
		{
			name:   "BlankKa",
			answer: func() exercise.Result { return exercise.BlankKa(crop) },
			stub: func() exercise.Result {
				return exercise.BlankKa(func(image *np.Array, top, bottom, left, right int) (cropped *np.Array) { return })
			},
			mistakes: map[string]func() exercise.Result{
				"axis-shift": func() exercise.Result {
					return exercise.BlankKa(func(image *np.Array, top, bottom, left, right int) *np.Array {
						return np.Get(image, np.All, np.S(top, bottom), np.S(left, right))
					})
				},
				"reversed": func() exercise.Result {
					return exercise.BlankKa(func(image *np.Array, top, bottom, left, right int) *np.Array {
						return np.Get(image, np.S(bottom, top), np.S(right, left), np.All)
					})
				},
				"rows-cols": func() exercise.Result {
					return exercise.BlankKa(func(image *np.Array, top, bottom, left, right int) *np.Array {
						return np.Get(image, np.S(left, right), np.S(top, bottom), np.All)
					})
				},
			},
			panics: func() exercise.Result {
				return exercise.BlankKa(func(image *np.Array, top, bottom, left, right int) *np.Array {
					return np.Get(image, top, bottom, left, right) // 添字が多すぎる
				})
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.BlankKa(func(image *np.Array, top, bottom, left, right int) *np.Array { spin(s); return nil })
			},
		},
		{
			name:   "Im2col",
			answer: func() exercise.Result { return exercise.Im2col(im2col) },
			stub: func() exercise.Result {
				return exercise.Im2col(func(inputData *np.Array, filterH, filterW, stride, pad int) (col *np.Array) { return })
			},
			mistakes: map[string]func() exercise.Result{
				"im2col-transpose": func() exercise.Result { return exercise.Im2col(im2colMistake(nil)) },
				"im2col-axes":      func() exercise.Result { return exercise.Im2col(im2colMistake([]int{0, 4, 5, 1, 3, 2})) },
			},
			panics: func() exercise.Result {
				return exercise.Im2col(func(inputData *np.Array, filterH, filterW, stride, pad int) *np.Array {
					return np.Reshape(inputData, -1, filterH*filterW+1)
				})
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.Im2col(func(inputData *np.Array, filterH, filterW, stride, pad int) *np.Array { spin(s); return nil })
			},
		},
		{
			name:   "Col2im",
			answer: func() exercise.Result { return exercise.Col2im(col2im) },
			stub: func() exercise.Result {
				return exercise.Col2im(func(col *np.Array, inputShape []int, filterH, filterW, stride, pad int) (img *np.Array) { return })
			},
			mistakes: map[string]func() exercise.Result{
				"col2im-add":       func() exercise.Result { return exercise.Col2im(col2imMistake(1)) },
				"col2im-crop":      func() exercise.Result { return exercise.Col2im(col2imMistake(2)) },
				"col2im-transpose": func() exercise.Result { return exercise.Col2im(col2imMistake(3)) },
			},
			panics: func() exercise.Result {
				return exercise.Col2im(func(col *np.Array, inputShape []int, filterH, filterW, stride, pad int) *np.Array {
					return np.Reshape(col, inputShape...)
				})
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.Col2im(func(col *np.Array, inputShape []int, filterH, filterW, stride, pad int) *np.Array {
					spin(s)
					return nil
				})
			},
		},
		{
			name:   "ConvOutputSize",
			answer: func() exercise.Result { return exercise.ConvOutputSize(convOutputSize) },
			stub: func() exercise.Result {
				return exercise.ConvOutputSize(func(inputSize, filterSize, stride, pad int) (outputSize int) { return })
			},
			mistakes: map[string]func() exercise.Result{
				"pad-once": func() exercise.Result {
					return exercise.ConvOutputSize(func(h, f, s, p int) int { return (h+p-f)/s + 1 })
				},
				"no-pad": func() exercise.Result {
					return exercise.ConvOutputSize(func(h, f, s, p int) int { return (h-f)/s + 1 })
				},
				"no-plus-one": func() exercise.Result {
					return exercise.ConvOutputSize(func(h, f, s, p int) int { return (h + 2*p - f) / s })
				},
				"round-up": func() exercise.Result {
					return exercise.ConvOutputSize(func(h, f, s, p int) int {
						return int(math.Ceil(float64(h+2*p-f)/float64(s))) + 1
					})
				},
			},
			panics: func() exercise.Result {
				return exercise.ConvOutputSize(func(h, f, s, p int) int { return (h + 2*p - f) / (s - s) })
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.ConvOutputSize(func(h, f, st, p int) int { spin(s); return 0 })
			},
		},
		{
			name: "ConvolutionBackward",
			answer: func() exercise.Result {
				return exercise.ConvolutionBackward(func(x, W, b, dout *np.Array, stride, pad int) (out, dx, dW, db *np.Array) {
					l := &Convolution{W: W, B: b, Stride: stride, Pad: pad}
					out = l.Forward(x)
					dx = l.Backward(dout)
					return out, dx, l.DW, l.DB
				})
			},
			stub: func() exercise.Result {
				return exercise.ConvolutionBackward(convWith(func(l *Convolution, dout *np.Array) (dx *np.Array) { return }))
			},
			mistakes: map[string]func() exercise.Result{
				"axis":           func() exercise.Result { return exercise.ConvolutionBackward(convWith(convMistake(1))) },
				"transpose":      func() exercise.Result { return exercise.ConvolutionBackward(convWith(convMistake(2))) },
				"dout-transpose": func() exercise.Result { return exercise.ConvolutionBackward(convWith(convMistake(3))) },
			},
			panics: func() exercise.Result {
				return exercise.ConvolutionBackward(convWith(func(l *Convolution, dout *np.Array) *np.Array {
					return np.Dot(dout, l.colW) // 4 次元のまま
				}))
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.ConvolutionBackward(convWith(func(l *Convolution, dout *np.Array) *np.Array { spin(s); return nil }))
			},
		},
		{
			name: "PoolingBackward",
			answer: func() exercise.Result {
				return exercise.PoolingBackward(func(x, dout *np.Array, poolH, poolW, stride, pad int) (out, dx *np.Array) {
					l := &Pooling{PoolH: poolH, PoolW: poolW, Stride: stride, Pad: pad}
					out = l.Forward(x)
					dx = l.Backward(dout)
					return
				})
			},
			stub: func() exercise.Result {
				return exercise.PoolingBackward(poolWith(func(l *Pooling, dout *np.Array) (dx *np.Array) { return }))
			},
			mistakes: map[string]func() exercise.Result{
				"pool-transpose": func() exercise.Result { return exercise.PoolingBackward(poolWith(poolMistake(1))) },
				"pool-spread":    func() exercise.Result { return exercise.PoolingBackward(poolWith(poolMistake(2))) },
				"pool-max-only":  func() exercise.Result { return exercise.PoolingBackward(poolWith(poolMistake(3))) },
			},
			panics: func() exercise.Result {
				return exercise.PoolingBackward(poolWith(func(l *Pooling, dout *np.Array) *np.Array {
					return col2im(dout, l.x.Shape, l.PoolH, l.PoolW, l.Stride, l.Pad) // dout を col の形にしていない
				}))
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.PoolingBackward(poolWith(func(l *Pooling, dout *np.Array) *np.Array { spin(s); return nil }))
			},
		},
		{
			name:   "DoubleConvAfter",
			answer: func() exercise.Result { return exercise.DoubleConvAfter(afterLayers) },
			stub:   func() exercise.Result { return exercise.DoubleConvAfter(func() (defs []nets.LayerDef) { return }) },
			mistakes: map[string]func() exercise.Result{
				"base": func() exercise.Result {
					return exercise.DoubleConvAfter(func() []nets.LayerDef {
						return []nets.LayerDef{nets.Conv(10, 7).Pad(1), nets.Relu(), nets.MaxPool(2, 2),
							nets.Conv(20, 3).Pad(1), nets.Relu(), nets.MaxPool(2, 2), nets.Affine(100), nets.Relu(), nets.Affine(10)}
					})
				},
				"second-pool": func() exercise.Result {
					return exercise.DoubleConvAfter(func() []nets.LayerDef {
						return []nets.LayerDef{nets.Conv(10, 7).Pad(1), nets.Relu(), nets.MaxPool(2, 2),
							nets.Conv(20, 3).Pad(1), nets.Relu(), nets.Affine(100), nets.Relu(), nets.Affine(10)}
					})
				},
				"shape": func() exercise.Result {
					return exercise.DoubleConvAfter(func() []nets.LayerDef {
						return []nets.LayerDef{nets.Conv(10, 7).Pad(1), nets.Relu(), nets.MaxPool(2, 2), nets.MaxPool(2, 2),
							nets.Conv(20, 7), nets.Relu(), nets.Affine(100), nets.Relu(), nets.Affine(10)}
					})
				},
			},
			panics: func() exercise.Result {
				return exercise.DoubleConvAfter(func() []nets.LayerDef { return []nets.LayerDef{nets.Conv(10, 7).Pad(1), nets.Relu()}[:index()] })
			},
			loops: func(s *atomic.Bool) exercise.Result {
				return exercise.DoubleConvAfter(func() []nets.LayerDef { spin(s); return nil })
			},
		},
	}
}

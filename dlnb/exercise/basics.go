package exercise

import (
	"fmt"
	"math"

	"github.com/dlnb/course/dlnb/np"
	"github.com/dlnb/course/dlnb/rng"
)

// randn draws a reproducible array of standard normal values for a check.
func randn(seed uint32, shape ...int) *np.Array {
	return np.RandomState{RandomState: rng.New(seed)}.Randn(shape...)
}

// sigmoid is 1 / (1 + exp(−x)).
func sigmoid(x *np.Array) *np.Array { return np.Divide(1, np.Add(1, np.Exp(np.Multiply(-1, x)))) }

// ChainRule checks the answer to 確認テスト 1 of 2_1: dz/dx for z = t²,
// t = x + y, written as dzdx(x, y).
func ChainRule(dzdx func(x, y float64) float64) Result { return show(checkChainRule(dzdx)) }

func checkChainRule(dzdx func(x, y float64) float64) Result {
	type xy struct{ x, y float64 }
	f := func(p xy, d func(x, y float64) float64) outputs { return outputs{scalar("dz/dx", d(p.x, p.y))} }
	return spec[xy]{
		name: "ChainRule", title: "連鎖律 dz/dx (z = t², t = x + y)",
		passed:  "x, y の 5 通りで 2(x + y) と一致、数値微分とも一致",
		cases:   []xy{{2, 3}, {-1.5, 0.5}, {0.25, 4}, {-3, -2}, {1, -1}},
		input:   func(p xy) string { return fmt.Sprintf("x = %g, y = %g", p.x, p.y) },
		student: func(p xy) outputs { return f(p, dzdx) },
		ref:     func(p xy) outputs { return f(p, func(x, y float64) float64 { return 2 * (x + y) }) },
		blank:   func(_ xy, o outputs) bool { return o[0].a.Item() == 0 },
		numeric: func(p xy, _ string) *np.Array {
			return numericalGradient(func(x *np.Array) float64 { t := x.Item() + p.y; return t * t }, np.Values(p.x))
		},
		mistakes: []mistake[xy]{
			{"chain-z", "z そのもの (t²) を返しています。dz/dx は z を x で微分したもの: dz/dt · dt/dx です。",
				func(p xy) outputs { return f(p, func(x, y float64) float64 { return (x + y) * (x + y) }) }},
			{"chain-inner-only", "dt/dx = 1 だけです。外側の微分 dz/dt = 2t も掛けます。",
				func(p xy) outputs { return f(p, func(x, y float64) float64 { return 1 }) }},
			{"chain-t", "t = x + y です。2x ではなく dz/dt = 2t = 2(x + y) を使います。",
				func(p xy) outputs { return f(p, func(x, y float64) float64 { return 2 * x }) }},
			{"chain-two", "t² の微分は 2t です (2 を忘れていませんか)。",
				func(p xy) outputs { return f(p, func(x, y float64) float64 { return x + y }) }},
		},
		general: "dz/dx = dz/dt · dt/dx = 2t · 1 = 2(x + y) を計算しましょう。",
	}.run()
}

// SigmoidGrad checks dSigmoid(x), the derivative of the sigmoid at its input
// x (functions.d_sigmoid: (1 − σ(x))·σ(x)), in 2_2_1.
func SigmoidGrad(dSigmoid func(x *np.Array) *np.Array) Result {
	return show(checkSigmoidGrad(dSigmoid))
}

func checkSigmoidGrad(dSigmoid func(x *np.Array) *np.Array) Result {
	cases := []*np.Array{
		np.Linspace(-6, 6, 13),
		np.Matrix([]float64{0, -30, 30}, []float64{0.5, -2, 1e-3}),
		np.Reshape(randn(1, 12), 2, 3, 2),
	}
	f := func(x *np.Array, d func(*np.Array) *np.Array) outputs {
		return outputs{array("dSigmoid(x)", d(np.Copy(x)))}
	}
	ref := func(x *np.Array) *np.Array { return np.Multiply(np.Subtract(1, sigmoid(x)), sigmoid(x)) }
	return spec[*np.Array]{
		name: "SigmoidGrad", title: "sigmoid の微分 dSigmoid(x)",
		passed:  "1 次元・2 次元・3 次元の入力、x = 0, ±30 も含めて (1 − σ(x))σ(x) と一致、数値微分とも一致",
		cases:   cases,
		input:   func(x *np.Array) string { return fmt.Sprintf("x %s = %s", np.Shape(x), head(x)) },
		student: func(x *np.Array) outputs { return f(x, dSigmoid) },
		ref:     func(x *np.Array) outputs { return f(x, ref) },
		numeric: func(x *np.Array, _ string) *np.Array {
			out := np.ZerosLike(x)
			for i, v := range x.Data {
				out.Data[i] = numericalGradient(func(u *np.Array) float64 { return sigmoid(u).Item() }, np.Values(v)).Item()
			}
			return out
		},
		mistakes: []mistake[*np.Array]{
			{"sigmoid-output-form", "x(1 − x) は出力 z = σ(u) から微分を求める形です。この関数は入力 x を受け取るので、まず σ(x) を計算して (1 − σ(x))·σ(x) にします。",
				func(x *np.Array) outputs {
					return f(x, func(x *np.Array) *np.Array { return np.Multiply(x, np.Subtract(1, x)) })
				}},
			{"sigmoid-itself", "σ(x) そのものです。微分は (1 − σ(x))·σ(x) です。",
				func(x *np.Array) outputs { return f(x, sigmoid) }},
			{"sigmoid-twice", "sigmoid を 2 回通しています (σ(σ(x)))。引数の x にそのまま σ を 1 回だけ使います。",
				func(x *np.Array) outputs { return f(x, func(x *np.Array) *np.Array { return ref(sigmoid(x)) }) }},
		},
		general: "σ′(x) = (1 − σ(x))·σ(x) です。np.Multiply(np.Subtract(1, sigmoid(x)), sigmoid(x))。",
	}.run()
}

// SigmoidGradMax checks the answer to 確認テスト 2 of 2_2_1: the maximum of
// the sigmoid's derivative, returned by answer().
func SigmoidGradMax(answer func() float64) Result { return show(checkSigmoidGradMax(answer)) }

func checkSigmoidGradMax(answer func() float64) Result {
	title := "sigmoid の微分の最大値"
	var got float64
	if h := newRunner().call(func() { got = answer() }); h != nil {
		return h.result("SigmoidGradMax", title, "(なし)", true)
	}
	res := Result{Exercise: "SigmoidGradMax"}
	switch {
	case got == 0:
		res.Status = Unanswered
		res.Lines = []string{"未回答: " + title + " — 0 のままです", "  答えの値を返すように書いて、そのセルとこのセルを実行しましょう。"}
		return res
	case math.Abs(got-0.25) < 1e-3:
		res.Status = Correct
		res.Lines = []string{fmt.Sprintf("正解: %s (%v: x = 0 で σ′(0) = 0.5 × 0.5 = 0.25、選択肢 (2))", title, got)}
		return res
	}
	res.Status = Wrong
	res.Lines = []string{"不正解: " + title, fmt.Sprintf("  結果: %v", got)}
	hints := []struct {
		v        float64
		id, hint string
	}{
		{0.5, "sigma-value", "0.5 は σ(0) の値 (sigmoid そのもの) です。微分は σ′(0) = (1 − σ(0))·σ(0) です。"},
		{1, "sigma-limit", "1 は sigmoid の上限です。その微分の最大値を求めます。"},
		{0.15, "choice", "選択肢 (1) です。σ′(x) = (1 − σ(x))·σ(x) を x = 0 で計算してみましょう。"},
		{0.35, "choice", "選択肢 (3) です。σ′(x) = (1 − σ(x))·σ(x) を x = 0 で計算してみましょう。"},
		{0.45, "choice", "選択肢 (4) です。σ′(x) = (1 − σ(x))·σ(x) を x = 0 で計算してみましょう。"},
	}
	for _, h := range hints {
		if math.Abs(got-h.v) < 1e-3 {
			res.Hint = h.id
			res.Lines = append(res.Lines, "  ヒント: "+h.hint)
			return res
		}
	}
	res.Lines = append(res.Lines, "  ヒント: σ′(x) は x = 0 で最大になります。σ(0) = 0.5 から σ′(0) を計算しましょう。")
	return res
}

// ConvOutputSize checks convOutputSize(inputSize, filterSize, stride, pad),
// the output size of a convolution (確認テスト of 2_6).
func ConvOutputSize(convOutputSize func(inputSize, filterSize, stride, pad int) int) Result {
	return show(checkConvOutputSize(convOutputSize))
}

func checkConvOutputSize(convOutputSize func(inputSize, filterSize, stride, pad int) int) Result {
	type conv struct{ h, f, s, p int }
	f := func(c conv, g func(h, f, s, p int) int) outputs {
		return outputs{scalar("出力サイズ", float64(g(c.h, c.f, c.s, c.p)))}
	}
	formula := func(h, fs, s, p int) int { return (h+2*p-fs)/s + 1 }
	return spec[conv]{
		name: "ConvOutputSize", title: "畳み込みの出力サイズ",
		passed: "確認テストの 6×6・2×2・ストライド 1・パディング 1 → 7 のほか 6 通り、割り切れない (切り捨てる) 場合も",
		cases:  []conv{{6, 2, 1, 1}, {28, 5, 1, 0}, {28, 5, 2, 0}, {7, 3, 2, 1}, {4, 3, 1, 0}, {12, 3, 1, 1}, {5, 5, 1, 0}},
		input: func(c conv) string {
			return fmt.Sprintf("入力 %d、フィルタ %d、ストライド %d、パディング %d", c.h, c.f, c.s, c.p)
		},
		student: func(c conv) outputs { return f(c, convOutputSize) },
		ref:     func(c conv) outputs { return f(c, formula) },
		blank:   func(_ conv, o outputs) bool { return o[0].a.Item() == 0 },
		mistakes: []mistake[conv]{
			{"pad-once", "パディングは両側 (上と下、左と右) に入るので 2·pad です。",
				func(c conv) outputs { return f(c, func(h, fs, s, p int) int { return (h+p-fs)/s + 1 }) }},
			{"no-pad", "パディングを使っていません: (入力 + 2·pad − フィルタ) // ストライド + 1。",
				func(c conv) outputs { return f(c, func(h, fs, s, p int) int { return (h-fs)/s + 1 }) }},
			{"no-plus-one", "+ 1 を忘れています (フィルタを最初の位置に置いた分)。",
				func(c conv) outputs { return f(c, func(h, fs, s, p int) int { return (h + 2*p - fs) / s }) }},
			{"round-up", "割り切れないときは切り捨てです (28、5、ストライド 2、パディング 0 → 12)。Go の整数の割り算 / は切り捨てます。",
				func(c conv) outputs {
					return f(c, func(h, fs, s, p int) int { return int(math.Ceil(float64(h+2*p-fs)/float64(s))) + 1 })
				}},
		},
		general: "出力サイズ = (入力 + 2·パディング − フィルタ) // ストライド + 1 です。",
	}.run()
}

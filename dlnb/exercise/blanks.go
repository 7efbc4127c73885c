package exercise

import (
	"fmt"

	"github.com/dlnb/course/dlnb/np"
)

// regCase is an input of the regularisation blanks: a gradient, the
// parameter and the rate.
type regCase struct {
	grad, param *np.Array
	rate        float64
}

func regCases() []regCase {
	return []regCase{
		{np.Values(0.1, -0.2, 0.3, 0), np.Values(0.8, -0.5, 0.05, 0), 0.1},
		{randn(2, 2, 3), np.Matrix([]float64{1.5, -2, 0}, []float64{0.25, -0.75, 3}), 0.01},
		{randn(3, 3, 2, 2), np.Reshape(randn(4, 12), 3, 2, 2), 0.5},
	}
}

func regInput(c regCase) string {
	return fmt.Sprintf("grad %s = %s、param = %s、rate = %g", np.Shape(c.grad), head(c.grad), head(c.param), c.rate)
}

func regRun(c regCase, f func(grad, param *np.Array, rate float64) *np.Array) outputs {
	return outputs{array("最終的な勾配 grad", f(np.Copy(c.grad), np.Copy(c.param), c.rate))}
}

// regSpec is the check of a regularisation blank whose answer is term.
func regSpec(name, title, passed, general string, f func(grad, param *np.Array, rate float64) *np.Array,
	term func(p *np.Array) *np.Array, mistakes ...mistake[regCase]) spec[regCase] {
	return spec[regCase]{
		name: name, title: title, passed: passed, cases: regCases(), input: regInput,
		student:  func(c regCase) outputs { return regRun(c, f) },
		ref:      regMistake("", "", term).f,
		mistakes: mistakes,
		general:  general,
	}
}

// regMistake is a wrong blank: grad + rate·term(param).
func regMistake(id, hint string, term func(p *np.Array) *np.Array) mistake[regCase] {
	return mistake[regCase]{id, hint, func(c regCase) outputs {
		return regRun(c, func(g, p *np.Array, r float64) *np.Array { return np.Add(g, np.Multiply(r, term(p))) })
	}}
}

// BlankE checks 練習問題 1 of 2_5, the blank (え) of the L2 update
// grad += rate * (え), written as ridgeGrad(grad, param, rate) returning the
// new gradient.
func BlankE(ridgeGrad func(grad, param *np.Array, rate float64) *np.Array) Result {
	return show(checkBlankE(ridgeGrad))
}

func checkBlankE(ridgeGrad func(grad, param *np.Array, rate float64) *np.Array) Result {
	return regSpec("BlankE", "L2 正則化の勾配 grad += rate * (え)", "形 3 通り、正・負・0 の重みで grad + rate·param と一致",
		"罰則 ½·rate·Σparam² を param で微分すると rate·param です。",
		ridgeGrad, func(p *np.Array) *np.Array { return p },
		regMistake("sum-of-squares", "(1) np.sum(param**2) は罰則の値 (1 つの数) で、勾配ではありません。どの要素にも同じ数が足されてしまいます。",
			func(p *np.Array) *np.Array { return np.Sum(np.Power(p, 2)) }),
		regMistake("sum", "(2) np.sum(param) はどの要素にも同じ数を足してしまいます。罰則 ½·rate·Σparam² を param で微分します。",
			func(p *np.Array) *np.Array { return np.Sum(p) }),
		regMistake("square", "(3) param**2 は負の重みをさらに負の方向へ押してしまいます。½·param² の微分は param です。",
			func(p *np.Array) *np.Array { return np.Power(p, 2) }),
		regMistake("factor-two", "罰則を ½·rate·‖param‖² とすると、微分の 2 は ½ と打ち消し合って rate·param です。",
			func(p *np.Array) *np.Array { return np.Multiply(2, p) }),
		regMistake("l1-answer", "np.sign(param) は L1 正則化の (お) の答えです。L2 では param そのものです。", np.Sign),
		forgotGrad("(え)", func(p *np.Array) *np.Array { return p }),
	).run()
}

// BlankO checks 練習問題 2 of 2_5, the blank (お) of the L1 update
// grad += rate * (お), written as lassoGrad(grad, param, rate).
func BlankO(lassoGrad func(grad, param *np.Array, rate float64) *np.Array) Result {
	return show(checkBlankO(lassoGrad))
}

func checkBlankO(lassoGrad func(grad, param *np.Array, rate float64) *np.Array) Result {
	return regSpec("BlankO", "L1 正則化の勾配 grad += rate * (お)", "形 3 通り、正・負・0 の重みで grad + rate·sign(param) と一致",
		"罰則 rate·Σ|param| の微分は rate·sign(param) です (0 では 0)。",
		lassoGrad, np.Sign,
		regMistake("maximum", "(1) np.maximum(param, 0) は負の重みを引き戻しません。|x| の微分は x > 0 で 1、x < 0 で −1 です。",
			func(p *np.Array) *np.Array { return np.Maximum(p, 0) }),
		regMistake("minimum", "(2) np.minimum(param, 0) は正の重みを引き戻しません。|x| の微分は x > 0 で 1、x < 0 で −1 です。",
			func(p *np.Array) *np.Array { return np.Minimum(p, 0) }),
		regMistake("abs", "(4) np.abs(param) は罰則の中身で、微分ではありません。負の重みを逆向きに押してしまいます。", np.Abs),
		regMistake("l2-answer", "param は L2 正則化の (え) の答えです。L1 では符号 np.sign(param) です。",
			func(p *np.Array) *np.Array { return p }),
		forgotGrad("(お)", np.Sign),
	).run()
}

// forgotGrad is the mistake of returning rate·term(param) without grad.
func forgotGrad(blank string, term func(p *np.Array) *np.Array) mistake[regCase] {
	return mistake[regCase]{"forgot-grad", "元の勾配 grad に足すのを忘れています: grad + rate·" + blank + "。",
		func(c regCase) outputs {
			return outputs{array("最終的な勾配 grad", np.Multiply(c.rate, term(c.param)))}
		}}
}

// cropCase is an input of (か): an image (height, width, channels) and the
// window to cut.
type cropCase struct {
	image                    *np.Array
	top, bottom, left, right int
}

// BlankKa checks 練習問題 of 2_5's data augmentation, the blank (か) of
// random_crop, written as crop(image, top, bottom, left, right) returning
// image[top:bottom, left:right, :].
func BlankKa(crop func(image *np.Array, top, bottom, left, right int) *np.Array) Result {
	return show(checkBlankKa(crop))
}

func checkBlankKa(crop func(image *np.Array, top, bottom, left, right int) *np.Array) Result {
	img := func(h, w, c int) *np.Array { // pixel (i, j, k) holds 100·i + 10·j + k: every value says where it was
		a := np.Zeros(h, w, c)
		for i := range h {
			for j := range w {
				for k := range c {
					a.Set(float64(100*i+10*j+k), i, j, k)
				}
			}
		}
		return a
	}
	run := func(c cropCase, f func(image *np.Array, top, bottom, left, right int) *np.Array) outputs {
		return outputs{array("切り取った画像", f(np.Copy(c.image), c.top, c.bottom, c.left, c.right))}
	}
	variant := func(id, hint string, index func(c cropCase) []any) mistake[cropCase] {
		return mistake[cropCase]{id, hint, func(c cropCase) outputs { return outputs{array("切り取った画像", np.Get(c.image, index(c)...))} }}
	}
	return spec[cropCase]{
		name: "BlankKa", title: "random_crop の (か) image[top:bottom, left:right, :]",
		passed: "(高さ, 幅, チャンネル) の画像 4 通り (チャンネル 1 と 3、全体を切る場合も) で、切り取った画素の位置まで一致",
		cases: []cropCase{
			{img(6, 5, 1), 1, 4, 2, 5}, {img(5, 7, 3), 0, 3, 3, 7}, {img(4, 4, 2), 0, 4, 0, 4}, {img(8, 6, 1), 5, 7, 1, 3},
		},
		input: func(c cropCase) string {
			return fmt.Sprintf("image %s (画素 [i, j, k] の値は 100i + 10j + k)、top %d, bottom %d, left %d, right %d",
				np.Shape(c.image), c.top, c.bottom, c.left, c.right)
		},
		student: func(c cropCase) outputs { return run(c, crop) },
		ref: func(c cropCase) outputs {
			return outputs{array("切り取った画像", np.Get(c.image, np.S(c.top, c.bottom), np.S(c.left, c.right), np.All))}
		},
		mistakes: []mistake[cropCase]{
			variant("axis-shift", "(1) image[:, top:bottom, left:right] は 1 つずれた軸を切っています。画像は (高さ, 幅, チャンネル) の順なので、1 つ目の添字で縦、2 つ目で横を切ります。",
				func(c cropCase) []any { return []any{np.All, np.S(c.top, c.bottom), np.S(c.left, c.right)} }),
			variant("reversed", "始まりと終わりが逆です (bottom:top は空になります)。image[top:bottom, left:right, :] の順です。",
				func(c cropCase) []any { return []any{np.S(c.bottom, c.top), np.S(c.right, c.left), np.All} }),
			variant("rows-cols", "縦と横が入れ替わっています: 1 つ目の添字 (高さ) に top:bottom、2 つ目 (幅) に left:right です。",
				func(c cropCase) []any { return []any{np.S(c.left, c.right), np.S(c.top, c.bottom), np.All} }),
		},
		general: "np.Get(image, np.S(top, bottom), np.S(left, right), np.All) が image[top:bottom, left:right, :] です。",
	}.run()
}

// batchCase is an input of (き): data whose rows say which sample they are,
// the shuffled sample numbers, and the mini-batch [i, iEnd) to take.
type batchCase struct {
	dataX, dataT *np.Array
	shuffleIdx   []int
	i, iEnd      int
}

// BlankKi checks 練習問題 (き) of 2_3, the mini-batch of the training loop,
// written as miniBatch(dataX, dataT, shuffleIdx, i, iEnd) returning the
// samples shuffleIdx[i:iEnd] of both (data_x[i:i_end] in the course's
// question, taken through the shuffled numbers as its loop means to).
func BlankKi(miniBatch func(dataX, dataT *np.Array, shuffleIdx []int, i, iEnd int) (batchX, batchT *np.Array)) Result {
	return show(checkBlankKi(miniBatch))
}

func checkBlankKi(miniBatch func(dataX, dataT *np.Array, shuffleIdx []int, i, iEnd int) (batchX, batchT *np.Array)) Result {
	const n = 10
	dataX, dataT := np.Zeros(n, 3), np.Zeros(n) // row r of data_x is (r, r + 0.1, r + 0.2); its label 100 + r
	for r := range n {
		copy(dataX.Row(r), []float64{float64(r), float64(r) + 0.1, float64(r) + 0.2})
		dataT.Data[r] = float64(100 + r)
	}
	perm := []int{3, 7, 0, 9, 4, 1, 8, 2, 6, 5}
	take := func(c batchCase, idx []int) outputs {
		return outputs{array("batch_x", c.dataX.Take(idx)), array("batch_t", c.dataT.Take(idx))}
	}
	seq := func(lo, hi int) []int {
		var s []int
		for k := lo; k < hi; k++ {
			s = append(s, k)
		}
		return s
	}
	return spec[batchCase]{
		name: "BlankKi", title: "ミニバッチ (き) data_x[i:i_end], data_t[i:i_end] (並べ替えた番号で)",
		passed: "10 個のデータの 1 エポック (4 + 4 + 2 個)、並べ替えた番号 shuffleIdx[i:iEnd] の行を data_x と data_t の両方から取り出している",
		cases: []batchCase{
			{dataX, dataT, perm, 0, 4}, {dataX, dataT, perm, 4, 8}, {dataX, dataT, perm, 8, 10},
		},
		input: func(c batchCase) string {
			return fmt.Sprintf("data_x (10, 3) (行 r は (r, r+0.1, r+0.2))、data_t (10,) (100 + r)、shuffle_idx %v、i = %d、i_end = %d",
				c.shuffleIdx, c.i, c.iEnd)
		},
		student: func(c batchCase) outputs {
			bx, bt := miniBatch(np.Copy(c.dataX), np.Copy(c.dataT), append([]int(nil), c.shuffleIdx...), c.i, c.iEnd)
			return outputs{array("batch_x", bx), array("batch_t", bt)}
		},
		ref: func(c batchCase) outputs { return take(c, c.shuffleIdx[c.i:c.iEnd]) },
		mistakes: []mistake[batchCase]{
			{"no-shuffle", "並べ替えた番号 shuffleIdx を使っていません (問題文の (1) data_x[i:i_end] そのまま)。shuffleIdx[i:iEnd] の番号で取り出すと、エポックごとに違うミニバッチになります。",
				func(c batchCase) outputs { return take(c, seq(c.i, c.iEnd)) }},
			{"to-end", "(3) のように i から最後まで取り出しています。取り出すのは i から i_end − 1 までです。",
				func(c batchCase) outputs { return take(c, c.shuffleIdx[c.i:]) }},
			{"from-start", "(4) のように先頭から取り出しています。取り出すのは i から i_end − 1 までです。",
				func(c batchCase) outputs { return take(c, c.shuffleIdx[:c.iEnd]) }},
			{"labels", "data_t を data_x と同じ番号で取り出していません。",
				func(c batchCase) outputs {
					o := take(c, c.shuffleIdx[c.i:c.iEnd])
					o[1] = take(c, seq(c.i, c.iEnd))[1]
					return o
				}},
		},
		general: "idx := shuffleIdx[i:iEnd] の番号で dataX.Take(idx), dataT.Take(idx) を返します。",
	}.run()
}

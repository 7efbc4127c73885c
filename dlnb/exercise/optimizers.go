package exercise

import (
	"fmt"
	"math"
	"strings"

	"github.com/dlnb/course/dlnb/np"
)

// The optimizer exercises of 2_4 are the body of the course's loop over the
// parameters, for one key at iteration i: the function updates params[key]
// in place and keeps its state (v, h, m) in the maps, as the course's cells
// do:
//
//	for _, key := range []string{"W1", "W2", "W3", "b1", "b2", "b3"} {
//		updateAdaGrad(i, key, network.Params, grad, h, learningRate, theta)
//	}

// optCase is a run of an optimizer exercise: parameters of several shapes,
// a gradient for each step, and the hyper-parameters.
type optCase struct {
	keys   []string
	params map[string]*np.Array
	grads  []map[string]*np.Array // one per step
	hyper  []float64              // learning rate, then the optimizer's own
	names  []string               // the hyper-parameters' names
	states []string               // the state maps' names (v; h; m, v)
}

// step runs one optimizer update for one key; state holds the maps of the
// optimizer's state.
type step func(i int, key string, params, grad map[string]*np.Array, state []map[string]*np.Array, hyper []float64)

// optCases returns two runs: the course's hyper-parameters, then others (a
// constant written into the update instead of its variable shows there).
// The gradients have zeros, tiny entries and large ones.
func optCases(states []string, names []string, course, other []float64) []optCase {
	mk := func(seed uint32, hyper []float64) optCase {
		c := optCase{keys: []string{"W1", "b1", "W2"}, hyper: hyper, names: names, states: states}
		shape := map[string][]int{"W1": {3, 2}, "b1": {2}, "W2": {2, 2, 2}}
		c.params = map[string]*np.Array{}
		for k, key := range c.keys {
			c.params[key] = randn(seed+uint32(k), shape[key]...)
		}
		for s := range 3 {
			g := map[string]*np.Array{}
			for k, key := range c.keys {
				a := randn(seed+uint32(10*(s+1)+k), shape[key]...)
				a.Data[0] = 0                  // no gradient
				a.Data[len(a.Data)-1] *= 1e-6  // a tiny one
				if len(a.Data) > 2 && s == 1 { // and a large one
					a.Data[1] = 10
				}
				g[key] = a
			}
			c.grads = append(c.grads, g)
		}
		return c
	}
	return []optCase{mk(10, course), mk(20, other)}
}

func (c optCase) input() string {
	var ps, hs []string
	for _, key := range c.keys {
		ps = append(ps, key+" "+np.Shape(c.params[key]))
	}
	for k, n := range c.names {
		hs = append(hs, fmt.Sprintf("%s = %g", n, c.hyper[k]))
	}
	return fmt.Sprintf("パラメータ %s、%d 回の更新 (i = 0, 1, 2; 勾配には 0、ごく小さい値、大きい値も)、%s",
		strings.Join(ps, "、"), len(c.grads), strings.Join(hs, "、"))
}

// run applies f for every step and key, on fresh copies, and returns the
// parameters and the state after every step.
func (c optCase) run(f step) outputs {
	params := map[string]*np.Array{}
	for key, p := range c.params {
		params[key] = np.Copy(p)
	}
	state := make([]map[string]*np.Array, len(c.states))
	for k := range state {
		state[k] = map[string]*np.Array{}
	}
	var o outputs
	for i, g := range c.grads {
		grad := map[string]*np.Array{}
		for key, a := range g {
			grad[key] = np.Copy(a)
		}
		for _, key := range c.keys {
			f(i, key, params, grad, state, c.hyper)
		}
		when := fmt.Sprintf(" (%d 回目の更新の後)", i+1)
		for _, key := range c.keys {
			o = append(o, array(fmt.Sprintf("params[%q]", key)+when, params[key]))
		}
		for k, n := range c.states {
			for _, key := range c.keys {
				o = append(o, array(fmt.Sprintf("%s[%q]", n, key)+when, state[k][key]))
			}
		}
	}
	return o
}

// blank: the parameters never moved and the state is unset or zero.
func (c optCase) blank(o outputs) bool {
	for _, v := range o {
		name := v.name
		switch {
		case strings.HasPrefix(name, "params["):
			key := name[len(`params["`):strings.Index(name, `"]`)]
			if !near(v.a, c.params[key], 0, 0) {
				return false
			}
		case v.a != nil && !near(v.a, np.ZerosLike(v.a), 0, 0):
			return false
		}
	}
	return true
}

// optSpec is the check of an optimizer exercise.
func optSpec(name, title, passed, general string, cases []optCase, student, ref step, mistakes map[string]struct {
	hint string
	f    step
}, order []string) Result {
	var ms []mistake[optCase]
	for _, id := range order {
		m := mistakes[id]
		ms = append(ms, mistake[optCase]{id, m.hint, func(c optCase) outputs { return c.run(m.f) }})
	}
	return spec[optCase]{
		name: name, title: title, passed: passed, cases: cases,
		input:    optCase.input,
		student:  func(c optCase) outputs { return c.run(student) },
		ref:      func(c optCase) outputs { return c.run(ref) },
		blank:    func(c optCase, o outputs) bool { return c.blank(o) },
		mistakes: ms,
		general:  general,
	}.run()
}

type hinted = struct {
	hint string
	f    step
}

const hintSign = "更新の符号が逆です。パラメータは勾配と逆の向きに動かします (W ← W − …)。"

// SGD checks updateSGD(key, params, grad, learningRate), the loop body of
// 2_4's SGD cell: params[key] -= learning_rate * grad[key].
func SGD(updateSGD func(key string, params, grad map[string]*np.Array, learningRate float64)) Result {
	return show(checkSGD(updateSGD))
}

func checkSGD(updateSGD func(key string, params, grad map[string]*np.Array, learningRate float64)) Result {
	body := func(sign float64, lr bool) step {
		return func(_ int, key string, p, g map[string]*np.Array, _ []map[string]*np.Array, hy []float64) {
			eta := hy[0]
			if !lr {
				eta = 1
			}
			p[key].Sub(np.Multiply(sign*eta, g[key]))
		}
	}
	return optSpec("SGD", "SGD の更新", "形 3 通りのパラメータ、3 回の更新、学習率 2 通り",
		"W ← W − η·∂L/∂W: params[key].Sub(np.Multiply(learningRate, grad[key]))。",
		optCases(nil, []string{"learningRate"}, []float64{0.01}, []float64{0.5}),
		func(i int, key string, p, g map[string]*np.Array, _ []map[string]*np.Array, hy []float64) {
			updateSGD(key, p, g, hy[0])
		},
		body(1, true),
		map[string]hinted{
			"sign":  {hintSign, body(-1, true)},
			"no-lr": {"学習率 learningRate を掛けていません: W ← W − η·∂L/∂W。", body(1, false)},
		}, []string{"sign", "no-lr"})
}

// Momentum checks updateMomentum(i, key, params, grad, v, learningRate,
// momentum), the loop body of 2_4's Momentum cell:
// v ← μ·v − η·g, W ← W + v.
func Momentum(updateMomentum func(i int, key string, params, grad, v map[string]*np.Array, learningRate, momentum float64)) Result {
	return show(checkMomentum(updateMomentum))
}

func checkMomentum(updateMomentum func(i int, key string, params, grad, v map[string]*np.Array, learningRate, momentum float64)) Result {
	// kind: 0 the course's, 1 sign, 2 no velocity kept, 3 W moved before v is updated, 4 μ and η swapped
	body := func(kind int) step {
		return func(i int, key string, p, g map[string]*np.Array, st []map[string]*np.Array, hy []float64) {
			v, lr, mu := st[0], hy[0], hy[1]
			if i == 0 {
				v[key] = np.ZerosLike(p[key])
			}
			switch kind {
			case 1:
				v[key] = np.Add(np.Multiply(mu, v[key]), np.Multiply(lr, g[key]))
			case 2:
				v[key] = np.Multiply(-lr, g[key])
			case 3:
				p[key].Add(v[key])
				v[key] = np.Subtract(np.Multiply(mu, v[key]), np.Multiply(lr, g[key]))
				return
			case 4:
				v[key] = np.Subtract(np.Multiply(lr, v[key]), np.Multiply(mu, g[key]))
			default:
				v[key] = np.Subtract(np.Multiply(mu, v[key]), np.Multiply(lr, g[key]))
			}
			p[key].Add(v[key])
		}
	}
	return optSpec("Momentum", "Momentum の更新", "形 3 通りのパラメータ、3 回続けた更新で v も確認、ハイパーパラメータ 2 通り",
		"v ← μ·v − η·g のあとで W ← W + v です。",
		optCases([]string{"v"}, []string{"learningRate", "momentum"}, []float64{0.01, 0.9}, []float64{0.3, 0.5}),
		func(i int, key string, p, g map[string]*np.Array, st []map[string]*np.Array, hy []float64) {
			updateMomentum(i, key, p, g, st[0], hy[0], hy[1])
		},
		body(0),
		map[string]hinted{
			"sign":     {hintSign + "v ← μ·v − η·g (勾配を引く)。", body(1)},
			"velocity": {"v が前の値を引き継いでいません: v ← μ·v − η·g (慣性 μ·v を残す)。", body(2)},
			"order":    {"順番が逆です: 先に v を更新してから W ← W + v です。", body(3)},
			"swapped":  {"学習率 η と慣性 μ が入れ替わっています: v ← μ·v − η·g。", body(4)},
		}, []string{"sign", "velocity", "order", "swapped"})
}

// AdaGrad checks updateAdaGrad(i, key, params, grad, h, learningRate,
// theta), the answer (_after) of 2_4's AdaGrad exercise: on the first
// iteration h is filled with θ, after that h ← h + g²; then
// W ← W − η·g/√h (no ε: θ keeps h above 0).
func AdaGrad(updateAdaGrad func(i int, key string, params, grad, h map[string]*np.Array, learningRate, theta float64)) Result {
	return show(checkAdaGrad(updateAdaGrad))
}

func checkAdaGrad(updateAdaGrad func(i int, key string, params, grad, h map[string]*np.Array, learningRate, theta float64)) Result {
	// kind: 0 the course's answer, 1 sign, 2 h not accumulated (h = g²), 3 h never grows,
	// 4 g² added on the first step too, 5 ε 1e-7 added, 6 no square root, 7 h starts at 0
	body := func(kind int) step {
		return func(i int, key string, p, g map[string]*np.Array, st []map[string]*np.Array, hy []float64) {
			h, lr, theta := st[0], hy[0], hy[1]
			gg := np.Multiply(g[key], g[key])
			switch {
			case i == 0 && kind == 7:
				h[key] = np.Add(np.ZerosLike(p[key]), gg)
			case i == 0 && kind == 4:
				h[key] = np.Add(np.FullLike(p[key], theta), gg)
			case i == 0:
				h[key] = np.FullLike(p[key], theta)
			case kind == 2:
				h[key] = gg
			case kind == 3:
			default:
				h[key].Add(gg)
			}
			den := np.Sqrt(h[key])
			switch kind {
			case 5:
				den = np.Add(den, 1e-7)
			case 6:
				den = h[key]
			}
			u := np.Divide(np.Multiply(lr, g[key]), den)
			if kind == 1 {
				p[key].Add(u)
			} else {
				p[key].Sub(u)
			}
		}
	}
	return optSpec("AdaGrad", "AdaGrad の更新 (講座の解答)", "形 3 通りのパラメータ、3 回続けて h の累積も確認 (1 回目は h = θ)、勾配 0 の要素も、ハイパーパラメータ 2 通り",
		"1 回目 (i == 0) は h[key] = np.FullLike(params[key], theta)、2 回目から h[key] += g²、そして W ← W − η·g/√h です。",
		optCases([]string{"h"}, []string{"learningRate", "theta"}, []float64{0.1, 1e-4}, []float64{0.5, 1e-2}),
		func(i int, key string, p, g map[string]*np.Array, st []map[string]*np.Array, hy []float64) {
			updateAdaGrad(i, key, p, g, st[0], hy[0], hy[1])
		},
		body(0),
		map[string]hinted{
			"sign":         {hintSign + "W ← W − η·g/√h。", body(1)},
			"accumulate":   {"h が累積されていません: 2 回目からは前の h に g² を足します (h ← h + g²、h[key].Add(...))。", body(2)},
			"accumulate-0": {"h が θ のまま増えていません: 2 回目からは h ← h + g² です。", body(3)},
			"first-step":   {"1 回目 (i == 0) は h を θ で埋めるだけで、g² を足すのは 2 回目からです (講座の解答)。", body(4)},
			"epsilon":      {"講座の解答は √h に ε (1e-7) を足しません: h を θ で始めるので 0 で割ることはありません。", body(5)},
			"sqrt":         {"h ではなく √h で割ります (np.Sqrt)。", body(6)},
			"theta":        {"h は 0 ではなく θ で始めます: np.FullLike(params[key], theta)。", body(7)},
		}, []string{"sign", "accumulate", "accumulate-0", "first-step", "epsilon", "sqrt", "theta"})
}

// RMSprop checks updateRMSprop(i, key, params, grad, h, learningRate,
// decayRate), the loop body of 2_4's RMSprop cell (h starts at 0 on the
// first iteration): h ← ρ·h + (1 − ρ)·g², W ← W − η·g/(√h + 1e-7).
func RMSprop(updateRMSprop func(i int, key string, params, grad, h map[string]*np.Array, learningRate, decayRate float64)) Result {
	return show(checkRMSprop(updateRMSprop))
}

func checkRMSprop(updateRMSprop func(i int, key string, params, grad, h map[string]*np.Array, learningRate, decayRate float64)) Result {
	// kind: 0 the course's, 1 sign, 2 ε inside the root, 3 ρ and 1 − ρ swapped, 4 h not kept, 5 no ε, 6 no root
	body := func(kind int) step {
		return func(i int, key string, p, g map[string]*np.Array, st []map[string]*np.Array, hy []float64) {
			h, lr, rho := st[0], hy[0], hy[1]
			if i == 0 {
				h[key] = np.ZerosLike(p[key])
			}
			gg := np.Multiply(g[key], g[key])
			switch kind {
			case 3:
				h[key].Scale(1 - rho)
				h[key].Add(np.Multiply(rho, gg))
			case 4:
				h[key] = np.Multiply(np.Multiply(1-rho, g[key]), g[key])
			default:
				h[key].Scale(rho)
				h[key].Add(np.Multiply(np.Multiply(1-rho, g[key]), g[key]))
			}
			var den *np.Array
			switch kind {
			case 2:
				den = np.Sqrt(np.Add(h[key], 1e-7))
			case 5:
				den = np.Sqrt(h[key])
			case 6:
				den = np.Add(h[key], 1e-7)
			default:
				den = np.Add(np.Sqrt(h[key]), 1e-7)
			}
			u := np.Divide(np.Multiply(lr, g[key]), den)
			if kind == 1 {
				p[key].Add(u)
			} else {
				p[key].Sub(u)
			}
		}
	}
	return optSpec("RMSprop", "RMSprop の更新", "形 3 通りのパラメータ、3 回続けて h の移動平均も確認、ごく小さい勾配 (ε の位置が効く) も、ハイパーパラメータ 2 通り",
		"h ← ρ·h + (1 − ρ)·g² (h[key].Scale(decayRate) のあと足す)、W ← W − η·g/(√h + 1e-7) です。",
		optCases([]string{"h"}, []string{"learningRate", "decayRate"}, []float64{0.01, 0.99}, []float64{0.1, 0.9}),
		func(i int, key string, p, g map[string]*np.Array, st []map[string]*np.Array, hy []float64) {
			updateRMSprop(i, key, p, g, st[0], hy[0], hy[1])
		},
		body(0),
		map[string]hinted{
			"sign":       {hintSign + "W ← W − η·g/(√h + ε)。", body(1)},
			"epsilon":    {"ε の位置が違います: √(h + ε) ではなく √h + ε (np.Add(np.Sqrt(h[key]), 1e-7))。勾配がごく小さい要素で大きく違います。", body(2)},
			"decay":      {"ρ と 1 − ρ が逆です: h ← ρ·h + (1 − ρ)·g² (ρ = decayRate は前の h に掛けます)。", body(3)},
			"accumulate": {"h が前の値を引き継いでいません: h ← ρ·h + (1 − ρ)·g² (前の h に ρ を掛けて残す)。", body(4)},
			"no-epsilon": {"√h に ε = 1e-7 を足していません。h が 0 の要素で 0 で割ってしまいます。", body(5)},
			"sqrt":       {"h ではなく √h で割ります (np.Sqrt)。", body(6)},
		}, []string{"sign", "epsilon", "decay", "accumulate", "no-epsilon", "sqrt"})
}

// Adam checks updateAdam(i, key, params, grad, m, v, learningRate, beta1,
// beta2), the loop body of 2_4's Adam cell (m and v start at 0 on the first
// iteration): η_t = η·√(1 − β2ᵗ)/(1 − β1ᵗ) with t = i + 1,
// m ← m + (1 − β1)(g − m), v ← v + (1 − β2)(g² − v),
// W ← W − η_t·m/(√v + 1e-7).
func Adam(updateAdam func(i int, key string, params, grad, m, v map[string]*np.Array, learningRate, beta1, beta2 float64)) Result {
	return show(checkAdam(updateAdam))
}

func checkAdam(updateAdam func(i int, key string, params, grad, m, v map[string]*np.Array, learningRate, beta1, beta2 float64)) Result {
	// kind: 0 the course's, 1 sign, 2 ε inside the root, 3 no bias correction, 4 t = i, 5 β1 and β2 swapped,
	// 6 m without the gradient's square root (v used as m), 7 η_t with β1 and β2 swapped
	body := func(kind int) step {
		return func(i int, key string, p, g map[string]*np.Array, st []map[string]*np.Array, hy []float64) {
			m, v, lr, b1, b2 := st[0], st[1], hy[0], hy[1], hy[2]
			t := float64(i + 1)
			if kind == 4 {
				t = float64(i)
			}
			lrT := lr * math.Sqrt(1.0-math.Pow(b2, t)) / (1.0 - math.Pow(b1, t))
			switch kind {
			case 3:
				lrT = lr
			case 7:
				lrT = lr * math.Sqrt(1.0-math.Pow(b1, t)) / (1.0 - math.Pow(b2, t))
			}
			if i == 0 {
				m[key] = np.ZerosLike(p[key])
				v[key] = np.ZerosLike(p[key])
			}
			mb1, vb2 := b1, b2
			if kind == 5 {
				mb1, vb2 = b2, b1
			}
			m[key].Add(np.Multiply(1-mb1, np.Subtract(g[key], m[key])))
			v[key].Add(np.Multiply(1-vb2, np.Subtract(np.Multiply(g[key], g[key]), v[key])))
			den := np.Add(np.Sqrt(v[key]), 1e-7)
			if kind == 2 {
				den = np.Sqrt(np.Add(v[key], 1e-7))
			}
			u := np.Divide(np.Multiply(lrT, m[key]), den)
			if kind == 1 {
				p[key].Add(u)
			} else {
				p[key].Sub(u)
			}
		}
	}
	return optSpec("Adam", "Adam の更新", "形 3 通りのパラメータ、3 回続けて m・v とバイアス補正した学習率を確認、ごく小さい勾配も、ハイパーパラメータ 2 通り",
		"η_t = η·√(1 − β2ᵗ)/(1 − β1ᵗ) (t = i + 1)、m ← m + (1 − β1)(g − m)、v ← v + (1 − β2)(g² − v)、W ← W − η_t·m/(√v + 1e-7) です。",
		optCases([]string{"m", "v"}, []string{"learningRate", "beta1", "beta2"}, []float64{0.01, 0.9, 0.999}, []float64{0.001, 0.8, 0.99}),
		func(i int, key string, p, g map[string]*np.Array, st []map[string]*np.Array, hy []float64) {
			updateAdam(i, key, p, g, st[0], st[1], hy[0], hy[1], hy[2])
		},
		body(0),
		map[string]hinted{
			"sign":            {hintSign + "W ← W − η_t·m/(√v + ε)。", body(1)},
			"epsilon":         {"ε の位置が違います: √(v + ε) ではなく √v + ε (np.Add(np.Sqrt(v[key]), 1e-7))。", body(2)},
			"bias-correction": {"学習率のバイアス補正を忘れています: η_t = η·√(1 − β2ᵗ)/(1 − β1ᵗ)。", body(3)},
			"t":               {"t は i + 1 です (i は 0 から始まるので、t = i だと 1 回目に 0 で割ります)。", body(4)},
			"betas":           {"β1 と β2 が入れ替わっています: m には β1、v (勾配の二乗) には β2 を使います。", body(5)},
			"betas-lr":        {"η_t の β1 と β2 が入れ替わっています: η_t = η·√(1 − β2ᵗ)/(1 − β1ᵗ)。", body(7)},
		}, []string{"sign", "epsilon", "bias-correction", "t", "betas", "betas-lr"})
}

package exercise

import (
	"fmt"
	"math"
	"strings"

	"github.com/dlnb/course/dlnb/np"
	"github.com/dlnb/course/dlnb/tensor"
)

// Tolerances of a comparison: a student's answer may sum in another order
// than the reference (1e-16 apart), a known mistake is much further off.
const (
	rtol = 1e-8
	atol = 1e-10
)

// value is one result of a student's function: an array (nil when the
// student left it unset), named as the student knows it ("dx", `params["W1"]`).
type value struct {
	name string
	a    *np.Array
}

// outputs are the results of one case, in a fixed order.
type outputs []value

// mistake is a known wrong answer: a variant of the reference that makes the
// mistake, and the hint for an answer that matches it.
type mistake[C any] struct {
	id, hint string
	f        func(C) outputs
}

// spec is one exercise's check: cases of input C, the student's results on
// each, the reference's, and the known mistakes.
type spec[C any] struct {
	name, title string
	passed      string // what a pass checked, after the title
	cases       []C
	input       func(C) string  // the case as the student reads it
	student     func(C) outputs // runs the student's code (under the runner)
	ref         func(C) outputs
	mistakes    []mistake[C]
	// blank reports a stub's result on the first case; nil: every value nil.
	blank func(C, outputs) bool
	// numeric, when set, returns the numerical gradient of the value named
	// so (nil when there is none), for the message of a wrong gradient.
	numeric func(c C, name string) *np.Array
	general string // the hint when no known mistake matches
	// nilIsStub: a nil array that stops the student's code comes from a
	// stub (the layer's own backward, or im2col that the forward pass
	// uses), so it is 未回答.
	nilIsStub bool
}

// run checks the student's function on every case.
func (s spec[C]) run() Result {
	r := newRunner()
	got := make([]outputs, len(s.cases))
	for i, c := range s.cases {
		if h := r.call(func() { got[i] = s.student(c) }); h != nil {
			return h.result(s.name, s.title, s.input(c), s.nilIsStub)
		}
		if i == 0 && s.isBlank(c, got[0]) {
			return Result{Exercise: s.name, Status: Unanswered, Lines: []string{
				fmt.Sprintf("未回答: %s — まだ何も計算していません", s.title),
				"  「// ここにコードを書く」のところに答えを書いて、そのセルとこのセルを実行しましょう。",
			}}
		}
	}
	for i, c := range s.cases {
		want := s.ref(c)
		if k := firstDiff(got[i], want); k >= 0 {
			return s.wrong(c, got, i, want, k)
		}
	}
	return Result{Exercise: s.name, Status: Correct, Lines: []string{fmt.Sprintf("正解: %s (%s)", s.title, s.passed)}}
}

func (s spec[C]) isBlank(c C, o outputs) bool {
	if s.blank != nil {
		return s.blank(c, o)
	}
	for _, v := range o {
		if v.a != nil {
			return false
		}
	}
	return true
}

// wrong explains the k-th value of case i that differs from the reference;
// all holds the student's results on every case.
func (s spec[C]) wrong(c C, all []outputs, i int, want outputs, k int) Result {
	res := Result{Exercise: s.name, Status: Wrong}
	lines := []string{"不正解: " + s.title, "  入力: " + s.input(c)}
	got := all[i]
	g, w := got[k], want[k]
	lines = append(lines, describe(g.name, g.a, w.a)...)
	if s.numeric != nil && g.a != nil && w.a != nil && tensor.SameShape(g.a.Shape, w.a.Shape) {
		if num := s.numeric(c, g.name); num != nil && !near(g.a, num, 1e-5, 1e-6) {
			lines = append(lines, fmt.Sprintf("  数値微分とも合いません (最大の差 %.3g)。", maxDiff(g.a, num)))
		}
	}
	for _, m := range s.mistakes {
		if s.matches(m, all) {
			res.Hint = m.id
			lines = append(lines, "  ヒント: "+m.hint)
			res.Lines = lines
			return res
		}
	}
	id, hint := generic(g.a, w.a)
	if hint == "" {
		hint = s.general
	}
	res.Hint = id
	if hint != "" {
		lines = append(lines, "  ヒント: "+hint)
	}
	res.Lines = lines
	return res
}

// matches reports whether the student's results are the mistake's on every
// case (one case can make two mistakes give the same answer).
func (s spec[C]) matches(m mistake[C], all []outputs) bool {
	for i, c := range s.cases {
		o, ok := try(func() outputs { return m.f(c) })
		if !ok || firstDiff(all[i], o) >= 0 {
			return false
		}
	}
	return true
}

// try runs a variant of the reference, which may stop on some inputs.
func try(f func() outputs) (o outputs, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return f(), true
}

// firstDiff returns the index of the first value of got that is not close to
// want's, or -1.
func firstDiff(got, want outputs) int {
	for i := range want {
		if i >= len(got) || !near(got[i].a, want[i].a, rtol, atol) {
			return i
		}
	}
	return -1
}

// near reports whether a and b have the same shape and values within the
// tolerances (NaN matches NaN: a variant that divides by zero is recognised).
func near(a, b *np.Array, rt, at float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if !tensor.SameShape(a.Shape, b.Shape) {
		return false
	}
	for i, x := range a.Data {
		y := b.Data[i]
		switch {
		case math.IsNaN(x) || math.IsNaN(y):
			if !(math.IsNaN(x) && math.IsNaN(y)) {
				return false
			}
		case math.IsInf(x, 0) || math.IsInf(y, 0):
			if x != y {
				return false
			}
		case math.Abs(x-y) > at+rt*math.Abs(y):
			return false
		}
	}
	return true
}

func maxDiff(a, b *np.Array) float64 {
	m := 0.0
	for i, x := range a.Data {
		d := math.Abs(x - b.Data[i])
		if d > m || math.IsNaN(d) {
			m = d
		}
	}
	return m
}

// describe says how got differs from want.
func describe(name string, got, want *np.Array) []string {
	switch {
	case got == nil:
		return []string{fmt.Sprintf("  %s が nil です (まだ値を入れていません)。期待する形は %s です。", name, np.Shape(want))}
	case want == nil:
		return []string{fmt.Sprintf("  %s は nil のはずです。", name)}
	case !tensor.SameShape(got.Shape, want.Shape):
		line := fmt.Sprintf("  %s の形が違います: 期待 %s、結果 %s", name, np.Shape(want), np.Shape(got))
		switch {
		case len(got.Shape) == 2 && len(want.Shape) == 2 && got.Shape[0] == want.Shape[1] && got.Shape[1] == want.Shape[0]:
			line += " — 転置を忘れていませんか? (または余分な転置)"
		case got.Size() == want.Size():
			line += " — 要素の数は同じです。reshape の形か軸の並べ方を確かめましょう"
		case got.Size() == 0:
			line += " — 空の配列です。スライスの範囲 (始まりと終わり) を確かめましょう"
		}
		return []string{line}
	}
	n := 0
	first := -1
	for i, x := range got.Data {
		if !near(&np.Array{Shape: []int{}, Data: []float64{x}}, &np.Array{Shape: []int{}, Data: []float64{want.Data[i]}}, rtol, atol) {
			n++
			if first < 0 {
				first = i
			}
		}
	}
	return []string{
		fmt.Sprintf("  %s の値が違います (%d 個中 %d 個、最初は %s 番目)", name, want.Size(), n, position(want.Shape, first)),
		"    期待: " + head(want),
		"    結果: " + head(got),
	}
}

// position writes the flat index i of shape as NumPy's index tuple.
func position(shape []int, i int) string {
	if len(shape) == 0 {
		return "[]"
	}
	idx := make([]string, len(shape))
	for ax := len(shape) - 1; ax >= 0; ax-- {
		idx[ax] = fmt.Sprint(i % shape[ax])
		i /= shape[ax]
	}
	return "[" + strings.Join(idx, ", ") + "]"
}

// head writes the first few entries of a (flattened).
func head(a *np.Array) string {
	const n = 5
	var parts []string
	for i, x := range a.Data {
		if i == n {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("%.6g", x))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// generic recognises mistakes any array can have: the opposite sign, a
// transposed matrix, a constant factor.
func generic(got, want *np.Array) (id, hint string) {
	if got == nil || want == nil {
		return "", ""
	}
	if tensor.SameShape(got.Shape, want.Shape) && want.Size() > 0 && !near(want, np.ZerosLike(want), 0, atol) {
		if near(got, np.Multiply(-1, want), rtol, atol) {
			return "sign", "符号が逆です。式の + と − (引くか足すか) を確かめましょう。"
		}
		if k, ok := ratio(got, want); ok {
			return "scale", fmt.Sprintf("結果は期待のちょうど %.6g 倍です。係数 (学習率、バッチの大きさで割るところなど) を確かめましょう。", k)
		}
	}
	if len(got.Shape) == 2 && len(want.Shape) == 2 && got.Shape[0] == want.Shape[1] && got.Shape[1] == want.Shape[0] &&
		near(np.T(got), want, rtol, atol) {
		return "transpose", "行列が転置されています。積の順番と、どちらに .T (np.T) をつけるかを確かめましょう。"
	}
	return "", ""
}

// ratio returns k when got = k·want for one k ≠ 1.
func ratio(got, want *np.Array) (float64, bool) {
	k := math.NaN()
	for i, y := range want.Data {
		if math.Abs(y) > 1e-12 {
			k = got.Data[i] / y
			break
		}
	}
	if math.IsNaN(k) || math.Abs(k-1) < 1e-6 || k == 0 {
		return 0, false
	}
	return k, near(got, np.Multiply(k, want), 1e-9, atol)
}

// scalar is a number as a value.
func scalar(name string, x float64) value { return value{name, np.Values(x)} }

// array is an array as a value, copied so that later changes by the
// student's code do not change it.
func array(name string, a *np.Array) value {
	if a == nil {
		return value{name, nil}
	}
	return value{name, np.Copy(a)}
}

// shapes writes the shapes of arrays for an input description.
func shapes(names string, arrays ...*np.Array) string {
	parts := strings.Split(names, ",")
	var out []string
	for i, a := range arrays {
		out = append(out, strings.TrimSpace(parts[i])+" "+np.Shape(a))
	}
	return strings.Join(out, "、")
}

// numericalGradient is the central difference of f at x, entry by entry,
// with h = 1e-4 (the course's numerical_gradient).
func numericalGradient(f func(x *np.Array) float64, x *np.Array) *np.Array {
	const h = 1e-4
	x = np.Copy(x)
	grad := np.ZerosLike(x)
	for i, v := range x.Data {
		x.Data[i] = v + h
		fp := f(x)
		x.Data[i] = v - h
		fm := f(x)
		x.Data[i] = v
		grad.Data[i] = (fp - fm) / (2 * h)
	}
	return grad
}

// gradient3 is the numerical gradient of loss(a, b, c) with respect to the
// input named name (names lists the gradients' names for a, b and c), or nil.
func gradient3(name string, names [3]string, loss func(a, b, c *np.Array) float64, a, b, c *np.Array) *np.Array {
	switch name {
	case names[0]:
		return numericalGradient(func(x *np.Array) float64 { return loss(x, b, c) }, a)
	case names[1]:
		return numericalGradient(func(x *np.Array) float64 { return loss(a, x, c) }, b)
	case names[2]:
		return numericalGradient(func(x *np.Array) float64 { return loss(a, b, x) }, c)
	}
	return nil
}

// dot is Σ a·b, the loss whose gradient with respect to a layer's output is b.
func dot(a, b *np.Array) float64 { return np.Sum(np.Multiply(a, b)).Item() }

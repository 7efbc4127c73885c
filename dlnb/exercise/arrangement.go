package exercise

import (
	"fmt"
	"strings"

	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/rng"
)

// DoubleConvAfter checks the answer to 2_7's [try] (DoubleConvNetをアレンジしよう):
// the layers of the course's DoubleConvNet with one pooling layer less,
// conv - relu - conv - relu - pool - affine - relu - affine, returned by
// layers() as the list nets.Builder builds (the training cell builds the
// same list).
func DoubleConvAfter(layers func() []nets.LayerDef) Result { return show(checkDoubleConvAfter(layers)) }

// arrangement describes the layers of a network built from defs for MNIST
// images, or the builder's message when they do not fit.
func arrangement(defs []nets.LayerDef) (desc []string, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%v", v)
		}
	}()
	n := nets.Builder{Name: "DoubleConvNet (after)", Input: []int{1, 28, 28}, Init: nets.Std(0.01), Rand: rng.New(0)}.Build(defs...)
	for _, l := range n.Spec.Layers {
		switch l.Kind {
		case "Conv":
			w := n.Params[l.Params[0]].Shape
			desc = append(desc, fmt.Sprintf("conv(%d 枚 %d×%d, stride %d, pad %d)", w[0], w[2], w[3], l.Stride, l.Pad))
		case "Pool":
			desc = append(desc, fmt.Sprintf("pool(%d×%d, stride %d)", l.PoolH, l.PoolW, l.Stride))
		case "Affine":
			desc = append(desc, fmt.Sprintf("affine(%d → %d)", n.Params[l.Params[0]].Shape[0], n.Params[l.Params[0]].Shape[1]))
		default:
			desc = append(desc, strings.ToLower(l.Kind))
		}
	}
	return desc, nil
}

func checkDoubleConvAfter(layers func() []nets.LayerDef) Result {
	const name, title = "DoubleConvAfter", "DoubleConvNet の並べ替え (プーリングを 1 つ減らす)"
	var defs []nets.LayerDef
	if h := newRunner().call(func() { defs = layers() }); h != nil {
		return h.result(name, title, "(なし)", false)
	}
	if len(defs) == 0 {
		return Result{Exercise: name, Status: Unanswered, Lines: []string{
			"未回答: " + title + " — 層がありません",
			"  「// ここにコードを書く」のところに層のリストを書いて、そのセルとこのセルを実行しましょう。",
		}}
	}
	conv1, conv2 := nets.Conv(10, 7).Pad(1), nets.Conv(20, 3).Pad(1)
	head := []nets.LayerDef{nets.Affine(100), nets.Relu(), nets.Affine(10)}
	want, _ := arrangement(append([]nets.LayerDef{conv1, nets.Relu(), conv2, nets.Relu(), nets.MaxPool(2, 2)}, head...))
	base, _ := arrangement(append([]nets.LayerDef{conv1, nets.Relu(), nets.MaxPool(2, 2), conv2, nets.Relu(), nets.MaxPool(2, 2)}, head...))
	second, _ := arrangement(append([]nets.LayerDef{conv1, nets.Relu(), nets.MaxPool(2, 2), conv2, nets.Relu()}, head...))
	got, err := arrangement(defs)
	wrong := func(id string, lines ...string) Result {
		return Result{Exercise: name, Status: Wrong, Hint: id, Lines: append([]string{"不正解: " + title}, lines...)}
	}
	if err != nil {
		return wrong("shape", "  層の形が合いません: "+err.Error(),
			"  ヒント: 入力は (1, 28, 28) の画像です。層を減らすと次の層の入力の大きさも変わります (Build が自動で計算します)。")
	}
	same := func(a, b []string) bool { return strings.Join(a, " - ") == strings.Join(b, " - ") }
	if same(got, want) {
		return Result{Exercise: name, Status: Correct, Lines: []string{"正解: " + title + " (" + strings.Join(want, " - ") + ")"}}
	}
	lines := []string{"  期待: " + strings.Join(want, " - "), "  結果: " + strings.Join(got, " - ")}
	switch {
	case same(got, base):
		return wrong("base", append(lines, "  ヒント: 基本版のままです。プーリング層を 1 つ減らします (1 つ目のプーリングを消す)。")...)
	case same(got, second):
		return wrong("second-pool", append(lines, "  ヒント: 2 つ目のプーリングを消しています。講座の解答は 1 つ目を消します: conv - relu - conv - relu - pool - affine - relu - affine。")...)
	}
	return wrong("", append(lines, "  ヒント: 講座の解答の並び conv - relu - conv - relu - pool - affine - relu - affine と、各層の設定 (フィルタ 10 枚 7×7 パディング 1、20 枚 3×3 パディング 1、隠れ層 100) を見比べましょう。")...)
}

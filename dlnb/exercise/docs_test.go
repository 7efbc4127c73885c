package exercise_test

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/exercise"
)

var update = flag.Bool("update", false, "rewrite the generated part of docs/exercises.md")

// cell says where an exercise goes in its notebook: the declarations of
// solutions_test.go its solution cell holds, its check cell, and what the
// notebook's cells then call.
type cell struct {
	decls []string // functions, types (T) and methods (T.M) of solutions_test.go
	check string   // the check cell
	where string   // Markdown: where they go and what calls the answer
}

var cells = map[string]cell{
	"ChainRule": {[]string{"dzdx"}, "%%\nexercise.ChainRule(dzdx)",
		"before the cell of `## 確認テスト: 連鎖律 (chain rule)`; that cell's `analytic := 2 * (x.Item() + y)` becomes `analytic := dzdx(x.Item(), y)`."},
	"ReluBackward": {[]string{"Relu", "Relu.Forward", "Relu.Backward"},
		"%%\nexercise.ReluBackward(func(x, dout *np.Array) (out, dx *np.Array) {\n\tl := &Relu{}\n\tout = l.Forward(x)\n\tdx = l.Backward(dout)\n\treturn\n})",
		"the `## layers` cell (its `Relu`, with `Backward` now returning a named `dx`); the check cell right after it. `TwoLayerNet` uses it as before."},
	"AffineBackward": {[]string{"Affine", "Affine.Forward", "Affine.Backward"},
		"%%\nexercise.AffineBackward(func(x, W, b, dout *np.Array) (out, dx, dW, db *np.Array) {\n\tl := &Affine{W: W, B: b}\n\tout = l.Forward(x)\n\tdx = l.Backward(dout)\n\treturn out, dx, l.DW, l.DB\n})",
		"the `## layers` cell, beside `Relu` (one solution cell may hold several regions; give it one grade_id)."},
	"SoftmaxWithLossBackward": {[]string{"SoftmaxWithLoss", "SoftmaxWithLoss.Forward", "SoftmaxWithLoss.Backward"},
		"%%\nexercise.SoftmaxWithLossBackward(func(x, d *np.Array) (loss float64, dx *np.Array) {\n\tl := &SoftmaxWithLoss{}\n\tloss = l.Forward(x, d)\n\tdx = l.Backward(1)\n\treturn\n})",
		"a new type in the `## layers` cell (the course defines it in `common/layers.py`); `TwoLayerNet` then uses `*SoftmaxWithLoss` and `&SoftmaxWithLoss{}` instead of `ref`'s. Its arithmetic is `ref.SoftmaxWithLoss`'s, operation for operation, so the comparison with `nets` stays below 1e-12 and the losses are the same."},
	"SigmoidGrad": {[]string{"sigmoid", "dSigmoid"}, "%%\nexercise.SigmoidGrad(dSigmoid)",
		"the functions cell under `## 活性化関数とその微分` (`dSigmoid` gains a named result); every training cell keeps calling it."},
	"SigmoidGradMax": {[]string{"sigmoidGradMax"}, "%%\nexercise.SigmoidGradMax(sigmoidGradMax)",
		"before the cell of `## 確認テスト: sigmoid 関数の微分の最大値`, which keeps drawing σ and σ′."},
	"SigmoidBackward": {[]string{"Sigmoid", "Sigmoid.Forward", "Sigmoid.Backward"},
		"%%\nexercise.SigmoidBackward(func(x, dout *np.Array) (out, dx *np.Array) {\n\tl := &Sigmoid{}\n\tout = l.Forward(x)\n\tdx = l.Backward(dout)\n\treturn\n})",
		"a new cell before `MultiLayerNet` (the course's class uses `common/layers.py`'s `Sigmoid`); in `NewMultiLayerNet`, `\"sigmoid\": func() layer { return &Sigmoid{} }` instead of `&ref.Sigmoid{}` (the same arithmetic)."},
	"BatchNormBackward": {[]string{"BatchNormalization", "NewBatchNormalization", "BatchNormalization.Forward", "BatchNormalization.forward", "BatchNormalization.Backward", "BatchNormalization.backward"},
		"%%\nexercise.BatchNormBackward(func(x, gamma, beta, dout *np.Array) (out, dx, dgamma, dbeta *np.Array) {\n\tl := NewBatchNormalization(gamma, beta)\n\tout = l.Forward(x, true)\n\tdx = l.Backward(dout)\n\treturn out, dx, l.DGamma, l.DBeta\n})",
		"the `## BatchNormalization クラス` cell, whose `backward` gains a named `dx` and the region; the check cell before the small example."},
	"BlankKi": {[]string{"miniBatch"}, "%%\nexercise.BlankKi(miniBatch)",
		"a cell before `train` under `## 練習問題: ミニバッチ学習のプログラム`; in `train`, `idx := shuffleIdx[i:iEnd]` and `batchX, batchT := dataX.Take(idx), dataT.Take(idx)` become `batchX, batchT := miniBatch(dataX, dataT, shuffleIdx, i, iEnd) // (き)`."},
	"SGD": {[]string{"updateSGD"}, "%%\nexercise.SGD(updateSGD)",
		"a cell under `## SGD`, before its training cell, whose loop body becomes `updateSGD(key, network.Params, grad, learningRate)`."},
	"Momentum": {[]string{"updateMomentum"}, "%%\nexercise.Momentum(updateMomentum)",
		"a cell under `## Momentum`; both Momentum training cells (η 0.01 and 0.3) call `updateMomentum(i, key, network.Params, grad, v, learningRate, momentum)` in their loop over the keys."},
	"AdaGrad": {[]string{"updateAdaGrad"}, "%%\nexercise.AdaGrad(updateAdaGrad)",
		"the exercise of `## MomentumをもとにAdaGradを作ってみよう`: a cell after the stub cell (which stays, as the course's practice version); the `_after` training cell calls `updateAdaGrad(i, key, network.Params, grad, h, learningRate, theta)`."},
	"RMSprop": {[]string{"updateRMSprop"}, "%%\nexercise.RMSprop(updateRMSprop)",
		"a cell under `## RMSprop`; its training cell calls `updateRMSprop(i, key, network.Params, grad, h, learningRate, decayRate)`."},
	"Adam": {[]string{"updateAdam"}, "%%\nexercise.Adam(updateAdam)",
		"a cell under `## Adam`; the Adam training cells (and `byHand` in the `optim` comparison) call `updateAdam(i, key, network.Params, grad, m, v, learningRate, beta1, beta2)` and no longer compute `learningRateT` themselves (the function computes the same value for every key)."},
	"BlankE": {[]string{"ridgeGrad"}, "%%\nexercise.BlankE(ridgeGrad)",
		"a cell under `## 練習問題 1: L2 正則化の勾配`; the L2 training cells write `grad[W] = ridgeGrad(grad[W], network.Params[W], weightDecayLambda)`, and the candidates cell keeps showing the four choices."},
	"BlankO": {[]string{"lassoGrad"}, "%%\nexercise.BlankO(lassoGrad)",
		"a cell under `## 練習問題 2: L1 正則化の勾配`; the L1 training cells write `grad[W] = lassoGrad(grad[W], network.Params[W], weightDecayLambda)`."},
	"DropoutBackward": {[]string{"Dropout", "NewDropout", "Dropout.Forward", "Dropout.Backward"},
		"%%\nexercise.DropoutBackward(func(x, dout *np.Array, dropoutRatio float64) (out, dx *np.Array) {\n\tl := NewDropout(dropoutRatio)\n\tout = l.Forward(x, true)\n\tdx = l.Backward(dout)\n\treturn\n})",
		"the `## Dropout` cell (`Backward` gains a named `dx`)."},
	"BlankKa": {[]string{"crop"}, "%%\nexercise.BlankKa(crop)",
		"a cell under `### 練習問題: random_crop`, before `randomCrop`, whose `(か)` line becomes `image = crop(image, top, bottom, left, right) // (か)`."},
	"Im2col": {[]string{"im2col"}, "%%\nexercise.Im2col(im2col)",
		"the `## image to column` cell; the check cell before `## [try] im2colの処理を確認しよう`."},
	"Col2im": {[]string{"col2im"}, "%%\nexercise.Col2im(col2im)",
		"the `## column to image` cell."},
	"ConvOutputSize": {[]string{"convOutputSize"}, "%%\nexercise.ConvOutputSize(convOutputSize)",
		"before the cell of `## 確認テスト: 畳み込みの出力サイズ`, whose `(H+2*pad-filter)/stride+1` becomes `convOutputSize(H, filter, stride, pad)`."},
	"ConvolutionBackward": {[]string{"Convolution", "Convolution.Forward", "Convolution.Backward"},
		"%%\nexercise.ConvolutionBackward(func(x, W, b, dout *np.Array, stride, pad int) (out, dx, dW, db *np.Array) {\n\tl := &Convolution{W: W, B: b, Stride: stride, Pad: pad}\n\tout = l.Forward(x)\n\tdx = l.Backward(dout)\n\treturn out, dx, l.DW, l.DB\n})",
		"the `## convolution class` cell (it uses the notebook's `im2col` and `col2im`: until they are answered this check says 未回答)."},
	"PoolingBackward": {[]string{"Pooling", "Pooling.Forward", "Pooling.Backward"},
		"%%\nexercise.PoolingBackward(func(x, dout *np.Array, poolH, poolW, stride, pad int) (out, dx *np.Array) {\n\tl := &Pooling{PoolH: poolH, PoolW: poolW, Stride: stride, Pad: pad}\n\tout = l.Forward(x)\n\tdx = l.Backward(dout)\n\treturn\n})",
		"the `## pooling class` cell."},
	"DoubleConvAfter": {[]string{"afterLayers"}, "%%\nexercise.DoubleConvAfter(afterLayers)",
		"a cell under `## [try] DoubleConvNetをアレンジしよう`; the `_after` training cell builds `nets.Builder{…}.Build(afterLayers()...)` and the comparison cell's second arrangement is `afterLayers()` (the same layers, so the same numbers)."},
}

// declSources returns the source of every top-level declaration of
// solutions_test.go, with its doc comment, by name (T.M for methods).
func declSources(t *testing.T) map[string]string {
	src, err := os.ReadFile("solutions_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "solutions_test.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	text := func(n ast.Node, doc *ast.CommentGroup) string {
		start := n.Pos()
		if doc != nil {
			start = doc.Pos()
		}
		return string(src[fset.Position(start).Offset:fset.Position(n.End()).Offset])
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			if d.Recv != nil {
				typ := d.Recv.List[0].Type
				if s, ok := typ.(*ast.StarExpr); ok {
					typ = s.X
				}
				name = typ.(*ast.Ident).Name + "." + name
			}
			out[name] = text(d, d.Doc)
		case *ast.GenDecl:
			if d.Tok == token.TYPE {
				out[d.Specs[0].(*ast.TypeSpec).Name.Name] = text(d, d.Doc)
			}
		}
	}
	return out
}

// generated is the part of docs/exercises.md made from the package and its
// tests: for each exercise its cells, its check and its known mistakes.
func generated(t *testing.T) string {
	decls := declSources(t)
	hints := map[string][][2]string{}
	for _, x := range tests() {
		for id, f := range x.mistakes {
			r := f()
			for _, l := range r.Lines {
				if h, ok := strings.CutPrefix(l, "  ヒント: "); ok {
					hints[x.name] = append(hints[x.name], [2]string{id, h})
				}
			}
		}
		sort.Slice(hints[x.name], func(i, j int) bool { return hints[x.name][i][0] < hints[x.name][j][0] })
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "| # | check | notebook | what the student writes | points | mistakes with a hint |\n|---|---|---|---|---|---|\n")
	total := 0
	for i, e := range exercise.All {
		fmt.Fprintf(&b, "| %d | [`exercise.%s`](#%s) | `%s` | %s | %d | %d |\n", i+1, e.Name, strings.ToLower(e.Name), e.Notebook, e.Title, e.Points, len(hints[e.Name]))
		total += len(hints[e.Name])
	}
	fmt.Fprintf(&b, "\n%d exercises, %d known mistakes with their own hint.\n", len(exercise.All), total)
	for _, e := range exercise.All {
		c, ok := cells[e.Name]
		if !ok {
			t.Fatalf("%s: no cells in docs_test.go", e.Name)
		}
		fmt.Fprintf(&b, "\n### %s\n\n`%s` — %s (%s). Where: %s\n\nSolution cell (`{\"nbgrader\": {\"solution\": true, \"grade\": false, \"locked\": false, \"grade_id\": \"answer-%s\", \"schema_version\": 3}}`):\n\n```go\n",
			e.Name, e.Notebook, e.Title, pointsText(e.Points), c.where, e.Name)
		for k, d := range c.decls {
			s, ok := decls[d]
			if !ok {
				t.Fatalf("%s: no declaration %s in solutions_test.go", e.Name, d)
			}
			if k > 0 {
				b.WriteString("\n")
			}
			b.WriteString(s + "\n")
		}
		fmt.Fprintf(&b, "```\n\nCheck cell (`{\"nbgrader\": {\"solution\": false, \"grade\": true, \"locked\": true, \"points\": %d, \"grade_id\": \"%s\", \"schema_version\": 3}}`):\n\n```go\n%s\n```\n\nKnown mistakes:\n\n",
			e.Points, e.Name, c.check)
		for _, h := range hints[e.Name] {
			fmt.Fprintf(&b, "- `%s`: 「%s」\n", h[0], h[1])
		}
	}
	return b.String()
}

func pointsText(n int) string {
	if n == 1 {
		return "1 point"
	}
	return fmt.Sprintf("%d points", n)
}

const (
	genBegin = "<!-- generated by go test ./dlnb/exercise -run TestDocs -update: do not edit below -->\n"
	genEnd   = "<!-- end of the generated part -->\n"
)

// TestDocs: docs/exercises.md shows every exercise with the answers of
// solutions_test.go (which pass their checks), its check cell and the hint
// of each known mistake, and the README gives their number.
func TestDocs(t *testing.T) {
	const path = "../../docs/exercises.md"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head, rest, ok1 := strings.Cut(string(doc), genBegin)
	_, tail, ok2 := strings.Cut(rest, genEnd)
	if !ok1 || !ok2 {
		t.Fatalf("%s lacks the markers of its generated part", path)
	}
	want := head + genBegin + generated(t) + genEnd + tail
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if want != string(doc) {
		t.Errorf("%s is out of date: run go test ./dlnb/exercise -run TestDocs -update", path)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, x := range tests() {
		total += len(x.mistakes)
	}
	for _, n := range []string{fmt.Sprintf("%d exercises", len(exercise.All)), fmt.Sprintf("%d known mistakes", total)} {
		if !strings.Contains(string(readme), n) {
			t.Errorf("README.md does not say %q", n)
		}
	}
}

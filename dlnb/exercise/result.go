package exercise

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// Status is the outcome of a check.
type Status int

// The three outcomes of a check.
const (
	Correct    Status = iota + 1 // 正解
	Unanswered                   // 未回答: the stub is still there
	Wrong                        // 不正解
)

// String returns the Japanese word the check prints.
func (s Status) String() string {
	switch s {
	case Correct:
		return "正解"
	case Unanswered:
		return "未回答"
	case Wrong:
		return "不正解"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Result is what a check found.
type Result struct {
	Exercise string // the check's name, as in All ("AdaGrad")
	Status   Status
	// Hint names the known mistake the answer was recognised as ("sign",
	// "epsilon", "batch", "accumulate", "transpose", "axis", "mask-reuse", …;
	// see the checks), "" when none was.
	Hint string
	// Lines is the message: the first line starts with the status word
	// (正解: …, 未回答: …, 不正解: …), the others are indented details.
	Lines []string
}

// String returns the message, one line each.
func (r Result) String() string { return strings.Join(r.Lines, "\n") }

// Stdout and Stderr are where checks print: a pass on Stdout, everything
// else on Stderr (nbgrader takes output on standard error for a failed test).
var (
	Stdout io.Writer = os.Stdout
	Stderr io.Writer = os.Stderr
)

// show prints r where it belongs and returns it.
func show(r Result) Result {
	w := Stderr
	if r.Status == Correct {
		w = Stdout
	}
	fmt.Fprintln(w, r.String())
	return r
}

// Info describes one exercise: its check and where it belongs.
type Info struct {
	Name     string // the check function of this package ("AdaGrad")
	Notebook string // the course notebook ("2_4_optimizer")
	Title    string // what the student writes, in Japanese
	Points   int    // nbgrader points of its check cell
}

// All lists every exercise, in course order.
var All = []Info{
	{"ChainRule", "2_1_network_modified", "確認テスト: 連鎖律 dz/dx", 1},
	{"ReluBackward", "2_1_network_modified", "Relu の逆伝播", 1},
	{"AffineBackward", "2_1_network_modified", "Affine の逆伝播", 2},
	{"SoftmaxWithLossBackward", "2_1_network_modified", "SoftmaxWithLoss の逆伝播", 2},
	{"SigmoidGrad", "2_2_1_vanishing_gradient", "sigmoid の微分 dSigmoid", 1},
	{"SigmoidGradMax", "2_2_1_vanishing_gradient", "確認テスト: sigmoid の微分の最大値", 1},
	{"SigmoidBackward", "2_2_2_vanishing_gradient_modified", "Sigmoid の逆伝播", 1},
	{"BatchNormBackward", "2_3_batch_normalization", "BatchNormalization の逆伝播", 3},
	{"BlankKi", "2_3_batch_normalization", "練習問題 (き): ミニバッチの取り出し", 1},
	{"SGD", "2_4_optimizer", "SGD の更新", 1},
	{"Momentum", "2_4_optimizer", "Momentum の更新", 2},
	{"AdaGrad", "2_4_optimizer", "AdaGrad の更新 (講座の解答の形)", 2},
	{"RMSprop", "2_4_optimizer", "RMSprop の更新", 2},
	{"Adam", "2_4_optimizer", "Adam の更新", 3},
	{"BlankE", "2_5_overfiting", "練習問題 (え): L2 正則化の勾配", 1},
	{"BlankO", "2_5_overfiting", "練習問題 (お): L1 正則化の勾配", 1},
	{"DropoutBackward", "2_5_overfiting", "Dropout の逆伝播", 1},
	{"BlankKa", "2_5_overfiting", "練習問題 (か): random_crop の切り取り", 1},
	{"Im2col", "2_6_simple_convolution_network", "im2col", 3},
	{"Col2im", "2_6_simple_convolution_network", "col2im", 3},
	{"ConvOutputSize", "2_6_simple_convolution_network", "確認テスト: 畳み込みの出力サイズ", 1},
	{"ConvolutionBackward", "2_6_simple_convolution_network", "Convolution の逆伝播", 3},
	{"PoolingBackward", "2_6_simple_convolution_network", "Pooling の逆伝播", 2},
	{"DoubleConvAfter", "2_7_double_comvolution_network", "[try] DoubleConvNet の層の並べ替え (解答版)", 1},
}

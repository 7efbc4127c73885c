package lesson

import (
	"fmt"
	"math"
)

// Range is the span of final test accuracies students published for one
// training cell of the course (docs/course.md §3); Min == Max == 0 means no
// published figure (a cell dlnb adds, such as a corrected version).
type Range struct {
	Min, Max float64
	Source   string // who published it, or what it is compared with
	// Iters is the iteration the published accuracies were read at: a run
	// of another length (quick mode) cannot be set against them.
	Iters int
}

// Published maps notebook → the training cell's "// result:" name → the
// published range of its final test accuracy. The results page
// (internal/results) and the cells' own sentences (VersusPublished) read it.
var Published = map[string]map[string]Range{
	"2_1_network_modified": {
		"two layer network": {0.9168, 0.9218, "5 student runs, iteration 1000", 1000},
	},
	"2_2_1_vanishing_gradient": {
		"sigmoid - gauss":                       {0.098, 0.1135, "6 runs, iteration 2000", 2000},
		"ReLU - gauss":                          {0.9154, 0.9262, "6 runs", 2000},
		"sigmoid - Xavier":                      {0.7895, 0.8411, "6 runs", 2000},
		"ReLU - He":                             {0.9511, 0.9555, "6 runs", 2000},
		"sigmoid - Xavier (correct derivative)": {0.868, 0.8844, "not in the course: compare 2_2_2's sigmoid - Xavier", 0},
	},
	"2_2_2_vanishing_gradient_modified": {
		"sigmoid - gauss":  {0.101, 0.1135, "6 runs, iteration 2000", 2000},
		"ReLU - gauss":     {0.909, 0.9258, "6 runs", 2000},
		"sigmoid - Xavier": {0.868, 0.8844, "6 runs", 2000},
		"ReLU - He":        {0.9544, 0.9592, "6 runs", 2000},
	},
	"2_3_batch_normalization": {
		"sigmoid - Xavier + BN":                     {0.7777, 0.8315, "6 runs, iteration 1000", 1000},
		"sigmoid - Xavier + BN, gamma/beta trained": {},
	},
	"2_4_optimizer": {
		"SGD":                                 {0.1135, 0.1135, "8 runs (base and after)", 1000},
		"Momentum (lr 0.01)":                  {0.0958, 0.1135, "4 runs (base)", 1000},
		"Momentum (lr 0.3, after)":            {0.9338, 0.9402, "4 runs (after)", 1000},
		"AdaGrad stub (base)":                 {0.1028, 0.1135, "4 runs (base)", 1000},
		"AdaGrad (after)":                     {0.9177, 0.9301, "4 runs (after)", 1000},
		"AdaGrad (optimizer.py form, lr 0.1)": {},
		"RMSprop":                             {0.9358, 0.9467, "8 runs", 1000},
		"Adam":                                {0.9416, 0.9483, "8 runs", 1000},
	},
	"2_5_overfiting": {
		"overfitting (no regularisation)": {0.7449, 0.7694, "6 runs, iteration 1000", 1000},
		"L2 (lambda 0.1)":                 {0.6615, 0.727, "6 runs", 1000},
		"L1 (lambda 0.005)":               {0.618, 0.7367, "6 runs", 1000},
		"dropout 0.15 (+ L2 0.005)":       {0.6377, 0.722, "5 runs", 1000},
		"dropout 0.08 + L1 0.004":         {0.6882, 0.7106, "4 runs", 1000},
		"L2 (lambda 0.1), all 7 layers":   {},
		"L1 (lambda 0.005), all 7 layers": {},
		"overfitting + data augmentation": {Source: "not in the course: the overfitting set-up trained on augmented mini-batches (shifts, rotations, noise)"},
	},
	"2_6_simple_convolution_network": {
		"SimpleConvNet": {0.954, 0.963, "8 runs, iteration 1000", 1000},
	},
	"2_7_double_comvolution_network": {
		"DoubleConvNet (base)":  {0.745, 0.792, "4 runs, iteration 100", 100},
		"DoubleConvNet (after)": {0.821, 0.866, "4 runs, iteration 100", 100},
	},
	"2_8_deep_convolution_net": {
		"DeepConvNet, all 60,000 images": {0, 0, "not in the course: all 60,000 images, float32; 1 epoch, or 20 with DLNB_FULL=1", 0},
		"DeepConvNet":                    {0.974, 0.983, "3 runs, iteration 1000", 1000},
	},
	"2_9_lenet_alexnet": {
		"LeNet-5 (modern)":                          {0, 0, "not in the course: MNIST padded to 32×32, float32; 1 epoch, or 10 with DLNB_FULL=1 (target ≥ 0.989; LeCun et al. 1998: 0.95 % error)", 0},
		"LeNet-5 (original)":                        {0, 0, "not in the course: tanh and average pooling, as in 1998", 0},
		"AlexNet-style":                             {0, 0, "not in the course: Fashion-MNIST, float32; 0.25 epoch, or 8 with DLNB_FULL=1 (target ≥ 0.92)", 0},
		"AlexNet-style without LRN":                 {},
		"AlexNet-style without dropout":             {},
		"AlexNet-style with global average pooling": {},
	},
}

// PublishedRange returns the published range of the cell "// result: name"
// of notebook (its file name without .ipynb), and whether there is one.
func PublishedRange(notebook, name string) (Range, bool) {
	r, ok := Published[notebook][name]
	return r, ok && r.Max > 0
}

// Contains reports whether acc lies in the range (to 1e-9).
func (r Range) Contains(acc float64) bool { return acc >= r.Min-1e-9 && acc <= r.Max+1e-9 }

// VersusPublished says in Japanese where acc, the final test accuracy of the
// cell "// result: name" of notebook after iters iterations, stands against
// what students published for that cell: in the range, or how far below or
// above it. A run of another length than the published one (quick mode)
// says that it cannot be compared. The sentence is computed from the
// numbers it is given, so it stays true whatever they are.
func VersusPublished(notebook, name string, iters int, acc float64) string {
	r, ok := PublishedRange(notebook, name)
	if !ok {
		return fmt.Sprintf("%d 回目のテスト正答率は %s です (講座の受講生の公開値はありません)。", iters, PyFloat(acc))
	}
	pub := fmt.Sprintf("講座の受講生の公開値 (%d 回目のテスト正答率 %s〜%s)", r.Iters, PyFloat(r.Min), PyFloat(r.Max))
	switch {
	case r.Iters != 0 && iters != r.Iters:
		return fmt.Sprintf("%d 回目のテスト正答率は %s です。学習回数が違うので、%s とは比べられません。", iters, PyFloat(acc), pub)
	case r.Contains(acc):
		return fmt.Sprintf("%d 回目のテスト正答率は **%s** で、%s の範囲に入っています。", iters, PyFloat(acc), pub)
	case acc < r.Min:
		return fmt.Sprintf("%d 回目のテスト正答率は **%s** で、%s より %s 低い値です。", iters, PyFloat(acc), pub, gap(r.Min-acc))
	}
	return fmt.Sprintf("%d 回目のテスト正答率は **%s** で、%s より %s 高い値です。", iters, PyFloat(acc), pub, gap(acc-r.Max))
}

// gap writes a difference of accuracies to 4 decimals (0.0014), as the
// course's accuracies over 10,000 images have.
func gap(d float64) string { return fmt.Sprintf("%.4f", math.Abs(d)) }

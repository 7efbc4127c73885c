package results

// Range is the span of test accuracies published for one cell; Min == Max ==
// 0 means no published figure (a cell dlnb adds, such as a corrected version).
type Range struct {
	Min, Max float64
	Source   string // who published it, or what it is compared with
}

// Published maps notebook → the cell's "// result:" name → published range of
// the final test accuracy.
var Published = map[string]map[string]Range{
	"2_1_network_modified": {
		"two layer network": {0.9168, 0.9218, "5 student runs, iteration 1000"},
	},
	"2_2_1_vanishing_gradient": {
		"sigmoid - gauss":                       {0.098, 0.1135, "6 runs, iteration 2000"},
		"ReLU - gauss":                          {0.9154, 0.9262, "6 runs"},
		"sigmoid - Xavier":                      {0.7895, 0.8411, "6 runs"},
		"ReLU - He":                             {0.9511, 0.9555, "6 runs"},
		"sigmoid - Xavier (correct derivative)": {0.868, 0.8844, "not in the course: compare 2_2_2's sigmoid - Xavier"},
	},
	"2_2_2_vanishing_gradient_modified": {
		"sigmoid - gauss":  {0.101, 0.1135, "6 runs, iteration 2000"},
		"ReLU - gauss":     {0.909, 0.9258, "6 runs"},
		"sigmoid - Xavier": {0.868, 0.8844, "6 runs"},
		"ReLU - He":        {0.9544, 0.9592, "6 runs"},
	},
	"2_3_batch_normalization": {
		"sigmoid - Xavier + BN":                     {0.7777, 0.8315, "6 runs, iteration 1000"},
		"sigmoid - Xavier + BN, gamma/beta trained": {},
	},
	"2_4_optimizer": {
		"SGD":                                 {0.1135, 0.1135, "8 runs (base and after)"},
		"Momentum (lr 0.01)":                  {0.0958, 0.1135, "4 runs (base)"},
		"Momentum (lr 0.3, after)":            {0.9338, 0.9402, "4 runs (after)"},
		"AdaGrad stub (base)":                 {0.1028, 0.1135, "4 runs (base)"},
		"AdaGrad (after)":                     {0.9177, 0.9301, "4 runs (after)"},
		"AdaGrad (optimizer.py form, lr 0.1)": {},
		"RMSprop":                             {0.9358, 0.9467, "8 runs"},
		"Adam":                                {0.9416, 0.9483, "8 runs"},
	},
	"2_5_overfiting": {
		"overfitting (no regularisation)": {0.7449, 0.7694, "6 runs, iteration 1000"},
		"L2 (lambda 0.1)":                 {0.6615, 0.727, "6 runs"},
		"L1 (lambda 0.005)":               {0.618, 0.7367, "6 runs"},
		"dropout 0.15 (+ L2 0.005)":       {0.6377, 0.722, "5 runs"},
		"dropout 0.08 + L1 0.004":         {0.6882, 0.7106, "4 runs"},
		"L2 (lambda 0.1), all 7 layers":   {},
		"L1 (lambda 0.005), all 7 layers": {},
		"overfitting + data augmentation": {Source: "not in the course: the overfitting set-up trained on augmented mini-batches (shifts, rotations, noise)"},
	},
	"2_6_simple_convolution_network": {
		"SimpleConvNet": {0.954, 0.963, "8 runs, iteration 1000"},
	},
	"2_7_double_comvolution_network": {
		"DoubleConvNet (base)":  {0.745, 0.792, "4 runs, iteration 100"},
		"DoubleConvNet (after)": {0.821, 0.866, "4 runs, iteration 100"},
	},
	"2_8_deep_convolution_net": {
		"DeepConvNet, all 60,000 images": {0, 0, "not in the course: all 60,000 images, float32; 1 epoch, or 20 with DLNB_FULL=1"},
		"DeepConvNet":                    {0.974, 0.983, "3 runs, iteration 1000"},
	},
	"2_9_lenet_alexnet": {
		"LeNet-5 (modern)":                          {0, 0, "not in the course: MNIST padded to 32×32, float32; 1 epoch, or 10 with DLNB_FULL=1 (target ≥ 0.989; LeCun et al. 1998: 0.95 % error)"},
		"LeNet-5 (original)":                        {0, 0, "not in the course: tanh and average pooling, as in 1998"},
		"AlexNet-style":                             {0, 0, "not in the course: Fashion-MNIST, float32; 0.25 epoch, or 8 with DLNB_FULL=1 (target ≥ 0.92)"},
		"AlexNet-style without LRN":                 {},
		"AlexNet-style without dropout":             {},
		"AlexNet-style with global average pooling": {},
	},
}

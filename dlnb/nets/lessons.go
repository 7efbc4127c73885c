package nets

import (
	"fmt"
	"strings"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// The networks of the lessons 2_1 to 2_8 (the classic ones of 2_9 are in
// classic.go). Each constructor draws the initial weights in the
// course's order from np.Random (rng.Global; WithRand picks another
// generator) in float64, the course's precision; Float32 converts a network
// to the fast precision. A configuration that cannot work (a size ≤ 0, an
// unknown activation) panics with a readable *mistake.Error.

// paramSet collects initial parameters drawn in the course's draw order.
type paramSet struct {
	r *rng.RandomState
	m map[string]*tensor.Tensor[float64]
}

func newParamSet(r *rng.RandomState) *paramSet {
	return &paramSet{r: r, m: map[string]*tensor.Tensor[float64]{}}
}

// normal draws scale·randn(shape) in C order, like scale * np.random.randn(*shape).
func (p *paramSet) normal(name string, scale float64, shape ...int) {
	t := tensor.New[float64](shape...)
	p.r.FillNorm(t.Data, scale)
	p.m[name] = t
}

func (p *paramSet) zeros(name string, shape ...int) { p.m[name] = tensor.New[float64](shape...) }
func (p *paramSet) ones(name string, shape ...int)  { p.m[name] = tensor.Full(1.0, shape...) }

// mustBuild builds a network the constructors described; their specs always
// fit, so an error here is a bug.
func mustBuild(spec Spec, p *paramSet) *Net[float64] {
	n, err := Build(spec, p.m, p.r)
	mistake.Panic(err)
	return n
}

func positive(name string, vals ...int) {
	for _, v := range vals {
		if v <= 0 {
			mistake.Panicf("%s: sizes must be positive, got %v", name, vals)
		}
	}
}

// NewTwoLayerNet builds lesson 2_1's TwoLayerNet: Affine1 → Relu1 → Affine2 →
// SoftmaxWithLoss, with W1 = std·randn(input, hidden) and W2 =
// std·randn(hidden, output) drawn in that order and zero biases
// (TwoLayerNet(input_size, hidden_size, output_size, weight_init_std=0.01)).
func NewTwoLayerNet(inputSize, hiddenSize, outputSize int, weightInitStd float64, opts ...Option) *Net[float64] {
	positive("TwoLayerNet", inputSize, hiddenSize, outputSize)
	if err := Std(weightInitStd).check(); err != nil {
		mistake.Panic(fmt.Errorf("TwoLayerNet: %w", err))
	}
	p := newParamSet(buildOptions(opts).rand)
	p.normal("W1", weightInitStd, inputSize, hiddenSize)
	p.normal("W2", weightInitStd, hiddenSize, outputSize)
	p.zeros("b1", hiddenSize)
	p.zeros("b2", outputSize)
	spec := Spec{Name: "TwoLayerNet", Input: []int{inputSize}, Layers: []LayerSpec{
		{Kind: "Affine", Name: "Affine1", Params: []string{"W1", "b1"}},
		{Kind: "Relu", Name: "Relu1"},
		{Kind: "Affine", Name: "Affine2", Params: []string{"W2", "b2"}},
	}}
	return mustBuild(spec, p)
}

// Activation names a hidden layer's activation function: "relu" (the
// course's default), "sigmoid" or "tanh".
type Activation string

// layerKind returns the layer kind of an activation name.
func (a Activation) layerKind() (string, error) {
	switch strings.ToLower(string(a)) {
	case "", "relu":
		return "Relu", nil
	case "sigmoid":
		return "Sigmoid", nil
	case "tanh":
		return "Tanh", nil
	}
	return "", fmt.Errorf("unknown activation %q: use \"relu\", \"sigmoid\" or \"tanh\"", string(a))
}

// MultiLayerNetConfig holds the arguments of the course's MultiLayerNet. The
// zero values of Activation, WeightInitStd and DropoutRatio mean the course's
// defaults: "relu", He and 0.5.
type MultiLayerNetConfig struct {
	InputSize         int
	HiddenSizeList    []int
	OutputSize        int
	Activation        Activation // "relu", "sigmoid" or "tanh"
	WeightInitStd     Init       // He, Xavier or Std(0.01)
	WeightDecayLambda float64
	UseDropout        bool
	DropoutRatio      float64
	UseBatchnorm      bool
}

// NewMultiLayerNet builds the lesson's MultiLayerNet: for every hidden layer
// Affine → [BatchNorm] → activation → [Dropout], then a last Affine and
// SoftmaxWithLoss. Weights W1, W2, … are drawn in order with the scale
// cfg.WeightInitStd gives; biases are zero, γ ones and β zeros.
func NewMultiLayerNet(cfg MultiLayerNetConfig, opts ...Option) *Net[float64] {
	positive("MultiLayerNet", append([]int{cfg.InputSize, cfg.OutputSize}, cfg.HiddenSizeList...)...)
	actKind, err := cfg.Activation.layerKind()
	if err == nil {
		err = cfg.WeightInitStd.check()
	}
	if err != nil {
		mistake.Panic(fmt.Errorf("MultiLayerNet: %w", err))
	}
	ratio := cfg.DropoutRatio
	if ratio == 0 {
		ratio = 0.5
	}
	sizes := append(append([]int{cfg.InputSize}, cfg.HiddenSizeList...), cfg.OutputSize)
	p := newParamSet(buildOptions(opts).rand)
	for i := 1; i < len(sizes); i++ {
		p.normal(fmt.Sprint("W", i), cfg.WeightInitStd.Scale(sizes[i-1]), sizes[i-1], sizes[i])
		p.zeros(fmt.Sprint("b", i), sizes[i])
	}
	spec := Spec{Name: "MultiLayerNet", Input: []int{cfg.InputSize}, WeightDecayLambda: cfg.WeightDecayLambda}
	hidden := len(cfg.HiddenSizeList)
	for i := 1; i <= hidden; i++ {
		spec.Layers = append(spec.Layers, LayerSpec{Kind: "Affine", Name: fmt.Sprint("Affine", i), Params: []string{fmt.Sprint("W", i), fmt.Sprint("b", i)}})
		if cfg.UseBatchnorm {
			p.ones(fmt.Sprint("gamma", i), sizes[i])
			p.zeros(fmt.Sprint("beta", i), sizes[i])
			spec.Layers = append(spec.Layers, LayerSpec{Kind: "BatchNorm", Name: fmt.Sprint("BatchNorm", i),
				Params: []string{fmt.Sprint("gamma", i), fmt.Sprint("beta", i)}, Momentum: 0.9})
		}
		spec.Layers = append(spec.Layers, LayerSpec{Kind: actKind, Name: fmt.Sprint("Activation_function", i)})
		if cfg.UseDropout {
			spec.Layers = append(spec.Layers, LayerSpec{Kind: "Dropout", Name: fmt.Sprint("Dropout", i), DropoutRatio: ratio})
		}
	}
	spec.Layers = append(spec.Layers, LayerSpec{Kind: "Affine", Name: fmt.Sprint("Affine", hidden+1),
		Params: []string{fmt.Sprint("W", hidden+1), fmt.Sprint("b", hidden+1)}})
	return mustBuild(spec, p)
}

// ConvParam is a convolution's filter count, filter size, padding and stride
// (the course's conv_param dictionaries).
type ConvParam struct {
	FilterNum, FilterSize, Pad, Stride int
}

func (c ConvParam) orDefault(d ConvParam) ConvParam {
	if c == (ConvParam{}) {
		return d
	}
	if c.Stride == 0 {
		c.Stride = 1
	}
	return c
}

// SimpleConvNetConfig holds SimpleConvNet's arguments; zero fields take the
// course's defaults: input (1, 28, 28), 30 filters of 5×5, pad 0, stride 1,
// 100 hidden units, 10 outputs, weight std 0.01.
type SimpleConvNetConfig struct {
	InputDim      [3]int
	Conv          ConvParam
	HiddenSize    int
	OutputSize    int
	WeightInitStd float64
}

func defaultInt(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}

func defaultFloat(v, d float64) float64 {
	if v == 0 {
		return d
	}
	return v
}

// inputDim returns the configured input shape, (1, 28, 28) by default.
func inputDim(d [3]int) []int {
	if d == [3]int{} {
		return []int{1, 28, 28}
	}
	return d[:]
}

// convBuilder is the Builder of the course's convolution networks: batched
// accuracy in chunks of 100, weights from opts' generator.
func convBuilder(name string, input []int, init Init, opts []Option) Builder {
	return Builder{Name: name, Input: input, Init: init, Rand: buildOptions(opts).rand, EvalBatch: 100}
}

// conv is a course conv_param as a layer.
func conv(cp ConvParam) LayerDef {
	return Conv(cp.FilterNum, cp.FilterSize).Stride(cp.Stride).Pad(cp.Pad)
}

// NewSimpleConvNet builds lesson 2_6's SimpleConvNet:
// Conv1 → Relu1 → Pool1(2×2, stride 2) → Affine1 → Relu2 → Affine2 → SoftmaxWithLoss.
func NewSimpleConvNet(cfg SimpleConvNetConfig, opts ...Option) *Net[float64] {
	input := inputDim(cfg.InputDim)
	cp := cfg.Conv.orDefault(ConvParam{FilterNum: 30, FilterSize: 5, Pad: 0, Stride: 1})
	hidden, out := defaultInt(cfg.HiddenSize, 100), defaultInt(cfg.OutputSize, 10)
	std := defaultFloat(cfg.WeightInitStd, 0.01)
	positive("SimpleConvNet", append(append([]int{}, input...), cp.FilterNum, cp.FilterSize, hidden, out)...)
	return convBuilder("SimpleConvNet", input, Std(std), opts).Build(
		conv(cp), Relu(), MaxPool(2, 2),
		Affine(hidden), Relu(), Affine(out))
}

// DoubleConvNetConfig holds DoubleConvNet's arguments; zero fields take the
// course's defaults: input (1, 28, 28), conv 1 = 10 filters 7×7 pad 1, conv 2 =
// 20 filters 3×3 pad 1, 100 hidden units, 10 outputs, std 0.01.
type DoubleConvNetConfig struct {
	InputDim      [3]int
	Conv1, Conv2  ConvParam
	HiddenSize    int
	OutputSize    int
	WeightInitStd float64
	// After selects lesson 2_7's "_after" architecture with one pooling layer
	// (conv - relu - conv - relu - pool - affine - relu - affine) instead of
	// the base conv - relu - pool - conv - relu - pool - affine - relu - affine.
	After bool
}

// NewDoubleConvNet builds lesson 2_7's DoubleConvNet (base or After).
func NewDoubleConvNet(cfg DoubleConvNetConfig, opts ...Option) *Net[float64] {
	input := inputDim(cfg.InputDim)
	c1 := cfg.Conv1.orDefault(ConvParam{FilterNum: 10, FilterSize: 7, Pad: 1, Stride: 1})
	c2 := cfg.Conv2.orDefault(ConvParam{FilterNum: 20, FilterSize: 3, Pad: 1, Stride: 1})
	hidden, out := defaultInt(cfg.HiddenSize, 100), defaultInt(cfg.OutputSize, 10)
	std := defaultFloat(cfg.WeightInitStd, 0.01)
	name := "DoubleConvNet"
	defs := []LayerDef{conv(c1), Relu(), MaxPool(2, 2), conv(c2), Relu(), MaxPool(2, 2)}
	if cfg.After {
		name = "DoubleConvNet (after)"
		defs = []LayerDef{conv(c1), Relu(), conv(c2), Relu(), MaxPool(2, 2)}
	}
	defs = append(defs, Affine(hidden), Relu(), Affine(out))
	return convBuilder(name, input, Std(std), opts).Build(defs...)
}

// DeepConvNetConfig holds DeepConvNet's arguments; the zero value is the
// course's (and the book's ch08) network: six 3×3 convolutions with 16, 16,
// 32, 32, 64, 64 filters (pad 1, except pad 2 for the fourth), three 2×2
// poolings, Affine 1024→50, Relu, Dropout(0.5), Affine 50→10, Dropout(0.5).
type DeepConvNetConfig struct {
	InputDim   [3]int
	Convs      [6]ConvParam
	HiddenSize int
	OutputSize int
}

// NewDeepConvNet builds lesson 2_8's DeepConvNet with He initialisation
// (scale √(2/fan-in), fan-in = channels·3·3 for convolutions). Its Loss runs
// in training mode, with dropout active, as in the course.
func NewDeepConvNet(cfg DeepConvNetConfig, opts ...Option) *Net[float64] {
	input := inputDim(cfg.InputDim)
	defaults := [6]ConvParam{{16, 3, 1, 1}, {16, 3, 1, 1}, {32, 3, 1, 1}, {32, 3, 2, 1}, {64, 3, 1, 1}, {64, 3, 1, 1}}
	hidden, out := defaultInt(cfg.HiddenSize, 50), defaultInt(cfg.OutputSize, 10)
	var defs []LayerDef
	for i, cp := range cfg.Convs {
		defs = append(defs, conv(cp.orDefault(defaults[i])), Relu())
		if i%2 == 1 {
			defs = append(defs, MaxPool(2, 2))
		}
	}
	defs = append(defs, Affine(hidden), Relu(), Dropout(0.5), Affine(out), Dropout(0.5))
	b := convBuilder("DeepConvNet", input, He, opts)
	b.LossInTrainMode = true
	return b.Build(defs...)
}

package nets

import (
	"fmt"
	"math"
	"strings"

	"github.com/dlnb/course/dlnb/functions"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// paramSet collects initial parameters drawn in float64 (the course's
// precision and draw order) and converts them to T.
type paramSet[T tensor.Float] struct {
	r *rng.RandomState
	m map[string]*tensor.Tensor[T]
}

func newParamSet[T tensor.Float](r *rng.RandomState) *paramSet[T] {
	return &paramSet[T]{r: r, m: map[string]*tensor.Tensor[T]{}}
}

// normal draws scale·randn(shape) in C order, like scale * np.random.randn(*shape).
func (p *paramSet[T]) normal(name string, scale float64, shape ...int) {
	v := make([]float64, tensor.Size(shape))
	p.r.FillNorm(v, scale)
	t := tensor.New[T](shape...)
	for i, x := range v {
		t.Data[i] = T(x)
	}
	p.m[name] = t
}

func (p *paramSet[T]) zeros(name string, shape ...int) { p.m[name] = tensor.New[T](shape...) }
func (p *paramSet[T]) ones(name string, shape ...int)  { p.m[name] = tensor.Full(T(1), shape...) }

func positive(name string, vals ...int) error {
	for _, v := range vals {
		if v <= 0 {
			return fmt.Errorf("%s: sizes must be positive, got %v", name, vals)
		}
	}
	return nil
}

// NewTwoLayerNet builds lesson 2_1's TwoLayerNet: Affine1 → Relu1 → Affine2 →
// SoftmaxWithLoss, with W1 = std·randn(input, hidden) and W2 =
// std·randn(hidden, output) drawn in that order and zero biases.
func NewTwoLayerNet[T tensor.Float](inputSize, hiddenSize, outputSize int, weightInitStd float64, r *rng.RandomState) (*Net[T], error) {
	if err := positive("TwoLayerNet", inputSize, hiddenSize, outputSize); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, fmt.Errorf("TwoLayerNet: %w", errNoRand)
	}
	std, err := checkStd(weightInitStd)
	if err != nil {
		return nil, fmt.Errorf("TwoLayerNet: %w", err)
	}
	p := newParamSet[T](r)
	p.normal("W1", std, inputSize, hiddenSize)
	p.normal("W2", std, hiddenSize, outputSize)
	p.zeros("b1", hiddenSize)
	p.zeros("b2", outputSize)
	spec := Spec{Name: "TwoLayerNet", Input: []int{inputSize}, Layers: []LayerSpec{
		{Kind: "Affine", Name: "Affine1", Params: []string{"W1", "b1"}},
		{Kind: "Relu", Name: "Relu1"},
		{Kind: "Affine", Name: "Affine2", Params: []string{"W2", "b2"}},
	}}
	return Build(spec, p.m, r)
}

// MultiLayerNetConfig holds the arguments of the course's MultiLayerNet. The
// zero values of Activation, WeightInitStd and DropoutRatio mean the course's
// defaults: "relu", "relu" (He) and 0.5.
type MultiLayerNetConfig struct {
	InputSize      int
	HiddenSizeList []int
	OutputSize     int
	Activation     string // "relu" or "sigmoid" (also "tanh")
	// WeightInitStd is "relu"/"he", "sigmoid"/"xavier" or a number (std).
	WeightInitStd     any
	WeightDecayLambda float64
	UseDropout        bool
	DropoutRatio      float64
	UseBatchnorm      bool
}

// NewMultiLayerNet builds the lesson's MultiLayerNet: for every hidden layer
// Affine → [BatchNorm] → activation → [Dropout], then a last Affine and
// SoftmaxWithLoss. Weights W1, W2, … are drawn in order with the scale
// InitScale gives; biases are zero, γ ones and β zeros.
func NewMultiLayerNet[T tensor.Float](cfg MultiLayerNetConfig, r *rng.RandomState) (*Net[T], error) {
	if err := positive("MultiLayerNet", append([]int{cfg.InputSize, cfg.OutputSize}, cfg.HiddenSizeList...)...); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, fmt.Errorf("MultiLayerNet: %w", errNoRand)
	}
	act := strings.ToLower(cfg.Activation)
	actKind := map[string]string{"": "Relu", "relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh"}[act]
	if actKind == "" {
		return nil, fmt.Errorf("MultiLayerNet: unknown activation %q: use \"relu\", \"sigmoid\" or \"tanh\"", cfg.Activation)
	}
	ratio := cfg.DropoutRatio
	if ratio == 0 {
		ratio = 0.5
	}
	sizes := append(append([]int{cfg.InputSize}, cfg.HiddenSizeList...), cfg.OutputSize)
	p := newParamSet[T](r)
	for i := 1; i < len(sizes); i++ {
		scale, err := InitScale(cfg.WeightInitStd, sizes[i-1])
		if err != nil {
			return nil, fmt.Errorf("MultiLayerNet: %w", err)
		}
		p.normal(fmt.Sprint("W", i), scale, sizes[i-1], sizes[i])
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
	return Build(spec, p.m, r)
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

// stackOutput returns the per-sample shape after the conv/pool layers of ls,
// for sizing the first Affine layer, with the same checks as the layers.
func stackOutput(name string, input []int, ls []LayerSpec, params map[string][]int) ([]int, error) {
	shape := append([]int{}, input...)
	for _, l := range ls {
		fh, fw, ch := l.PoolH, l.PoolW, shape[0]
		if l.Kind == "Conv" {
			w := params[l.Params[0]]
			fh, fw, ch = w[2], w[3], w[0]
		} else if l.Kind != "Pool" {
			continue
		}
		oh, err := functions.ConvOutSize(shape[1], fh, l.Stride, l.Pad)
		if err == nil {
			var ow int
			if ow, err = functions.ConvOutSize(shape[2], fw, l.Stride, l.Pad); err == nil {
				shape = []int{ch, oh, ow}
				continue
			}
		}
		return nil, fmt.Errorf("%s: %s: %w", name, l.Name, err)
	}
	return shape, nil
}

// inputDim returns the configured input shape, (1, 28, 28) by default.
func inputDim(d [3]int) []int {
	if d == [3]int{} {
		return []int{1, 28, 28}
	}
	return d[:]
}

// convNet assembles a network of conv/pool layers followed by
// Affine → Relu → [Dropout] → Affine → [Dropout], drawing weights in order.
type convNet[T tensor.Float] struct {
	name   string
	input  []int
	p      *paramSet[T]
	ls     []LayerSpec
	shapes map[string][]int
	nW     int
}

func (c *convNet[T]) conv(cp ConvParam, scale func(fanIn int) float64) {
	in := c.input[0]
	if len(c.ls) > 0 {
		for i := len(c.ls) - 1; i >= 0; i-- {
			if c.ls[i].Kind == "Conv" {
				in = c.shapes[c.ls[i].Params[0]][0]
				break
			}
		}
	}
	c.nW++
	w, b := fmt.Sprint("W", c.nW), fmt.Sprint("b", c.nW)
	shape := []int{cp.FilterNum, in, cp.FilterSize, cp.FilterSize}
	c.p.normal(w, scale(in*cp.FilterSize*cp.FilterSize), shape...)
	c.p.zeros(b, cp.FilterNum)
	c.shapes[w] = shape
	nConv := 0
	for _, l := range c.ls {
		if l.Kind == "Conv" {
			nConv++
		}
	}
	c.ls = append(c.ls, LayerSpec{Kind: "Conv", Name: fmt.Sprint("Conv", nConv+1), Params: []string{w, b}, Stride: cp.Stride, Pad: cp.Pad})
	c.layer("Relu")
}

func (c *convNet[T]) layer(kind string) {
	n := 1
	for _, l := range c.ls {
		if l.Kind == kind {
			n++
		}
	}
	ls := LayerSpec{Kind: kind, Name: fmt.Sprint(kind, n)}
	if kind == "Pool" {
		ls.PoolH, ls.PoolW, ls.Stride = 2, 2, 2
	}
	if kind == "Dropout" {
		ls.DropoutRatio = 0.5
	}
	c.ls = append(c.ls, ls)
}

func (c *convNet[T]) affine(in, out int, scale float64) {
	c.nW++
	w, b := fmt.Sprint("W", c.nW), fmt.Sprint("b", c.nW)
	c.p.normal(w, scale, in, out)
	c.p.zeros(b, out)
	n := 1
	for _, l := range c.ls {
		if l.Kind == "Affine" {
			n++
		}
	}
	c.ls = append(c.ls, LayerSpec{Kind: "Affine", Name: fmt.Sprint("Affine", n), Params: []string{w, b}})
}

// flat returns the number of values per sample after the conv/pool layers.
func (c *convNet[T]) flat() (int, error) {
	s, err := stackOutput(c.name, c.input, c.ls, c.shapes)
	if err != nil {
		return 0, err
	}
	return tensor.Size(s), nil
}

// head adds the classifier after the conv/pool layers — Affine → Relu →
// [Dropout] → Affine → [Dropout] with weights scaled by scale(fan-in) — and
// builds the network. With dropout (DeepConvNet) the loss runs in training mode.
func (c *convNet[T]) head(hidden, out int, scale func(fanIn int) float64, dropout bool) (*Net[T], error) {
	flat, err := c.flat()
	if err != nil {
		return nil, err
	}
	c.affine(flat, hidden, scale(flat))
	c.layer("Relu")
	if dropout {
		c.layer("Dropout")
	}
	c.affine(hidden, out, scale(hidden))
	if dropout {
		c.layer("Dropout")
	}
	return Build(Spec{Name: c.name, Input: c.input, Layers: c.ls, LossInTrainMode: dropout, EvalBatch: 100}, c.p.m, c.p.r)
}

func newConvNet[T tensor.Float](name string, input []int, r *rng.RandomState) *convNet[T] {
	return &convNet[T]{name: name, input: input, p: newParamSet[T](r), shapes: map[string][]int{}}
}

// NewSimpleConvNet builds lesson 2_6's SimpleConvNet:
// Conv1 → Relu1 → Pool1(2×2, stride 2) → Affine1 → Relu2 → Affine2 → SoftmaxWithLoss.
func NewSimpleConvNet[T tensor.Float](cfg SimpleConvNetConfig, r *rng.RandomState) (*Net[T], error) {
	if r == nil {
		return nil, fmt.Errorf("SimpleConvNet: %w", errNoRand)
	}
	input := inputDim(cfg.InputDim)
	cp := cfg.Conv.orDefault(ConvParam{FilterNum: 30, FilterSize: 5, Pad: 0, Stride: 1})
	hidden, out := defaultInt(cfg.HiddenSize, 100), defaultInt(cfg.OutputSize, 10)
	std := defaultFloat(cfg.WeightInitStd, 0.01)
	if err := positive("SimpleConvNet", append(append([]int{}, input...), cp.FilterNum, cp.FilterSize, hidden, out)...); err != nil {
		return nil, err
	}
	c := newConvNet[T]("SimpleConvNet", input, r)
	c.conv(cp, func(int) float64 { return std })
	c.layer("Pool")
	return c.head(hidden, out, func(int) float64 { return std }, false)
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
func NewDoubleConvNet[T tensor.Float](cfg DoubleConvNetConfig, r *rng.RandomState) (*Net[T], error) {
	if r == nil {
		return nil, fmt.Errorf("DoubleConvNet: %w", errNoRand)
	}
	input := inputDim(cfg.InputDim)
	c1 := cfg.Conv1.orDefault(ConvParam{FilterNum: 10, FilterSize: 7, Pad: 1, Stride: 1})
	c2 := cfg.Conv2.orDefault(ConvParam{FilterNum: 20, FilterSize: 3, Pad: 1, Stride: 1})
	hidden, out := defaultInt(cfg.HiddenSize, 100), defaultInt(cfg.OutputSize, 10)
	std := defaultFloat(cfg.WeightInitStd, 0.01)
	name := "DoubleConvNet"
	if cfg.After {
		name = "DoubleConvNet (after)"
	}
	c := newConvNet[T](name, input, r)
	fixed := func(int) float64 { return std }
	c.conv(c1, fixed)
	if !cfg.After {
		c.layer("Pool")
	}
	c.conv(c2, fixed)
	c.layer("Pool")
	return c.head(hidden, out, fixed, false)
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
func NewDeepConvNet[T tensor.Float](cfg DeepConvNetConfig, r *rng.RandomState) (*Net[T], error) {
	if r == nil {
		return nil, fmt.Errorf("DeepConvNet: %w", errNoRand)
	}
	input := inputDim(cfg.InputDim)
	defaults := [6]ConvParam{{16, 3, 1, 1}, {16, 3, 1, 1}, {32, 3, 1, 1}, {32, 3, 2, 1}, {64, 3, 1, 1}, {64, 3, 1, 1}}
	hidden, out := defaultInt(cfg.HiddenSize, 50), defaultInt(cfg.OutputSize, 10)
	he := func(fanIn int) float64 { return math.Sqrt(2.0 / float64(fanIn)) }
	c := newConvNet[T]("DeepConvNet", input, r)
	for i, cp := range cfg.Convs {
		c.conv(cp.orDefault(defaults[i]), he)
		if i%2 == 1 {
			c.layer("Pool")
		}
	}
	return c.head(hidden, out, he, true)
}

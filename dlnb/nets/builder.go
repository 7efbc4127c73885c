package nets

import (
	"fmt"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// LayerDef describes one layer of a network to build: its kind and
// settings. Conv, MaxPool, Affine, Relu … make one; Builder.Build and
// Sequential turn a list of them into a network.
type LayerDef struct {
	spec        LayerSpec
	filters     int   // Conv: number of filters
	size        int   // Conv: filter size
	out         int   // Affine: outputs
	init        *Init // Conv, Affine: overrides the builder's Init
	description string
}

// Conv is a convolution with filters filters of size×size (stride 1, pad 0
// unless set with Stride and Pad).
func Conv(filters, size int) LayerDef {
	return LayerDef{spec: LayerSpec{Kind: "Conv", Stride: 1}, filters: filters, size: size,
		description: fmt.Sprintf("convolution %d@%d×%d", filters, size, size)}
}

// Stride sets a convolution's or pooling's stride.
func (d LayerDef) Stride(s int) LayerDef { d.spec.Stride = s; return d }

// Pad sets a convolution's or pooling's zero padding.
func (d LayerDef) Pad(p int) LayerDef { d.spec.Pad = p; return d }

// Init sets how a Conv or Affine layer's weights are drawn (He, Xavier or
// Std(0.01)), instead of the builder's.
func (d LayerDef) Init(i Init) LayerDef { d.init = &i; return d }

// MaxPool is max pooling over size×size windows moving by stride.
func MaxPool(size, stride int) LayerDef {
	return LayerDef{spec: LayerSpec{Kind: "Pool", PoolH: size, PoolW: size, Stride: stride},
		description: fmt.Sprintf("max pooling %d×%d", size, size)}
}

// AvgPool is average pooling over size×size windows moving by stride
// (LeNet's subsampling).
func AvgPool(size, stride int) LayerDef {
	d := MaxPool(size, stride)
	d.spec.Kind, d.spec.Average = "AvgPool", true
	d.description = fmt.Sprintf("average pooling %d×%d", size, size)
	return d
}

// Affine is a fully connected layer with out outputs; its input is
// flattened (an image of C×H×W values is one row of C·H·W).
func Affine(out int) LayerDef {
	return LayerDef{spec: LayerSpec{Kind: "Affine"}, out: out, description: fmt.Sprintf("affine → %d", out)}
}

// Relu is the ReLU activation.
func Relu() LayerDef { return simple("Relu", "ReLU") }

// Sigmoid is the sigmoid activation.
func Sigmoid() LayerDef { return simple("Sigmoid", "sigmoid") }

// Tanh is the tanh activation (LeNet-5's).
func Tanh() LayerDef { return simple("Tanh", "tanh") }

// Dropout drops activations with probability ratio while training (the
// course's form: test-time outputs are scaled by 1 − ratio).
func Dropout(ratio float64) LayerDef {
	d := simple("Dropout", fmt.Sprintf("dropout %g", ratio))
	d.spec.DropoutRatio = ratio
	return d
}

// BatchNorm is batch normalisation over the features of its input.
func BatchNorm() LayerDef { return simple("BatchNorm", "batch normalisation") }

// LRN is AlexNet's local response normalisation (k 2, n 5, α 1e-4, β 0.75).
func LRN() LayerDef { return simple("LRN", "local response normalisation") }

// GlobalAvgPool averages each channel: (C, H, W) → (C,).
func GlobalAvgPool() LayerDef { return simple("GlobalAvgPool", "global average pooling") }

// GlobalMaxPool takes each channel's maximum: (C, H, W) → (C,).
func GlobalMaxPool() LayerDef { return simple("GlobalMaxPool", "global max pooling") }

// Flatten lines up each sample's values in one row: (C, H, W) → (C·H·W,).
func Flatten() LayerDef { return simple("Flatten", "flatten") }

func simple(kind, description string) LayerDef {
	return LayerDef{spec: LayerSpec{Kind: kind}, description: description}
}

// Builder builds a sequential network from layer descriptions, drawing the
// weights W1, W2, … in layer order as the course's networks do.
type Builder struct {
	Name  string
	Input []int // the shape of one sample, e.g. (1, 28, 28)
	// Init draws Conv and Affine weights unless a layer sets its own; the
	// zero value is He.
	Init Init
	// Rand draws the weights and the dropout masks; nil means np.Random
	// (rng.Global).
	Rand *rng.RandomState
	// LossInTrainMode makes Loss run in training mode (dropout on), as the
	// course's DeepConvNet does.
	LossInTrainMode bool
	// EvalBatch is the evaluation chunk size (0: 1000).
	EvalBatch int
}

// Sequential builds the network of the given layers for samples of shape
// input, with He initialisation, drawing from np.Random:
//
//	network := nets.Sequential("my net", []int{1, 28, 28},
//		nets.Conv(16, 3).Pad(1), nets.Relu(), nets.MaxPool(2, 2),
//		nets.Affine(100), nets.Relu(), nets.Affine(10))
//
// A layer that does not fit the output of the one before stops with a
// message naming the layer and the shapes.
func Sequential(name string, input []int, defs ...LayerDef) *Net[float64] {
	return Builder{Name: name, Input: input}.Build(defs...)
}

// Build builds the network; see Sequential.
func (b Builder) Build(defs ...LayerDef) *Net[float64] {
	r := b.Rand
	if r == nil {
		r = rng.Global
	}
	if len(b.Input) == 0 || tensor.Size(b.Input) <= 0 {
		mistake.Panicf("%s: the input shape %v must have positive sizes", b.Name, b.Input)
	}
	p := newParamSet(r)
	n := &Net[float64]{Spec: Spec{Name: b.Name, Input: append([]int(nil), b.Input...), LossInTrainMode: b.LossInTrainMode, EvalBatch: b.EvalBatch},
		Params: map[string]*tensor.Tensor[float64]{}, Rand: r, grads: map[string]*tensor.Tensor[float64]{}}
	shape := append([]int{1}, b.Input...)
	counts := map[string]int{}
	for i, d := range defs {
		ls := b.spec(d, p, shape, counts)
		l, err := newLayer(ls, p.m, r, i == 0)
		if err == nil {
			shape, err = outShape(l, shape)
		}
		if err != nil {
			mistake.Panicf("%s: layer %d (%s, %s) does not fit its input of shape %s: %v", b.Name, i+1, ls.Name, d.description,
				tensor.ShapeString(shapeOf(n, b.Input)), err)
		}
		n.add(ls, l)
		n.Spec.Layers = append(n.Spec.Layers, ls)
	}
	if len(shape) != 2 {
		mistake.Panicf("%s: the last layer gives samples of shape %s, not a vector of class scores: end with Affine(classes)", b.Name, tensor.ShapeString(shape[1:]))
	}
	n.Last = newLast[float64]()
	n.classes = shape[1]
	return n
}

// shapeOf returns the sample shape after the layers n has so far.
func shapeOf(n *Net[float64], input []int) []int {
	shape := append([]int{1}, input...)
	for _, l := range n.Layers {
		shape, _ = outShape(l.Layer, shape)
	}
	return shape[1:]
}

// spec names a layer (Conv1, Relu2, …) and draws its parameters for an
// input of the given batch shape.
func (b Builder) spec(d LayerDef, p *paramSet, shape []int, counts map[string]int) LayerSpec {
	ls := d.spec
	kind := ls.Kind
	if kind == "AvgPool" {
		ls.Kind = "Pool"
	}
	counts[kind]++
	ls.Name = fmt.Sprint(kind, counts[kind])
	init := b.Init
	if d.init != nil {
		init = *d.init
	}
	switch kind {
	case "Conv", "Affine":
		counts["W"]++
		w, bias := fmt.Sprint("W", counts["W"]), fmt.Sprint("b", counts["W"])
		ls.Params = []string{w, bias}
		if kind == "Conv" {
			in := 0
			if len(shape) == 4 {
				in = shape[1]
			}
			positive(ls.Name, d.filters, d.size, max(in, 1))
			p.normal(w, init.Scale(in*d.size*d.size), d.filters, in, d.size, d.size)
			p.zeros(bias, d.filters)
		} else {
			in := tensor.Size(shape[1:])
			positive(ls.Name, d.out)
			p.normal(w, init.Scale(in), in, d.out)
			p.zeros(bias, d.out)
		}
	case "BatchNorm":
		g, be := fmt.Sprint("gamma", counts[kind]), fmt.Sprint("beta", counts[kind])
		ls.Params = []string{g, be}
		ls.Momentum = 0.9
		p.ones(g, tensor.Size(shape[1:]))
		p.zeros(be, tensor.Size(shape[1:]))
	}
	return ls
}

package nets

import "github.com/dlnb/course/dlnb/mistake"

// LeNetConfig selects a LeNet-5 (LeCun, Bottou, Bengio & Haffner 1998).
type LeNetConfig struct {
	// Original gives the 1998 network's tanh activations and average
	// pooling (its "subsampling"), with Xavier initialisation; the zero
	// value is the modern LeNet-5 with ReLU, max pooling and He
	// initialisation.
	Original   bool
	OutputSize int // classes; 0 means 10
}

// LeNetLayers returns LeNet-5's layers for 32×32 gray images, shapes as
// the Day 2 report writes them ([H, W, C]):
//
//	[32,32,1] → conv 5×5, 6 filters → [28,28,6] → pool 2×2 → [14,14,6]
//	→ conv 5×5, 16 filters → [10,10,16] → pool 2×2 → [5,5,16]
//	→ affine 120 → affine 84 → affine 10
//
// with tanh or ReLU after every convolution and hidden affine layer.
func LeNetLayers(cfg LeNetConfig) []LayerDef {
	act, pool := Relu, MaxPool
	if cfg.Original {
		act, pool = Tanh, AvgPool
	}
	return []LayerDef{
		Conv(6, 5), act(), pool(2, 2),
		Conv(16, 5), act(), pool(2, 2),
		Affine(120), act(), Affine(84), act(), Affine(defaultInt(cfg.OutputSize, 10)),
	}
}

// NewLeNet builds LeNet-5 for (1, 32, 32) inputs (MNIST padded by 2 pixels
// on every side); see LeNetLayers.
func NewLeNet(cfg LeNetConfig, opts ...Option) *Net[float64] {
	name, init := "LeNet-5", He
	if cfg.Original {
		name, init = "LeNet-5 (original)", Xavier
	}
	return convBuilder(name, []int{1, 32, 32}, init, opts).Build(LeNetLayers(cfg)...)
}

// Head is how an AlexNet-style network turns its last feature maps into the
// vector its dense layers take.
type Head string

// The heads of AlexNetConfig.
const (
	FlattenHead   Head = "flatten"                // all C·H·W values, as AlexNet does
	GlobalAvgHead Head = "global average pooling" // one mean per channel
	GlobalMaxHead Head = "global max pooling"     // one maximum per channel
)

// AlexNetConfig selects an AlexNet-style network (Krizhevsky, Sutskever &
// Hinton 2012) scaled to 28×28 gray images; the zero value has LRN, dropout
// and Flatten, like AlexNet itself.
type AlexNetConfig struct {
	NoLRN      bool // leave out the two local response normalisations
	NoDropout  bool // leave out the dropout before the dense layers
	Head       Head // "" means FlattenHead
	InputDim   [3]int
	OutputSize int
}

// AlexNetLayers returns the layers of the AlexNet-style network: AlexNet's
// five convolutions (its 11×11 first filter scaled to 5×5 for 28×28 images,
// then 5×5, 3×3, 3×3, 3×3), ReLU after each, LRN after the first two,
// overlapping 3×3 max pooling with stride 2 after the first and second, then
// the head, and two dense layers of 256 with dropout 0.5 before each:
//
//	[28,28,1] → [28,28,16] → [13,13,16] → [13,13,32] → [6,6,32]
//	→ [6,6,48] → [6,6,48] → [6,6,32] → 1152 (Flatten) or 32 (global pooling)
//	→ 256 → 256 → 10
//
// AlexNet pools a third time before its dense layers (13×13 → 6×6). At this
// scale that pooling would leave 2×2 maps, 128 values for the dense layers,
// and the network could not even fit its training set (0.89 training
// accuracy after 4 epochs on Fashion-MNIST), so the Flatten head takes the
// 6×6 maps as they are.
func AlexNetLayers(cfg AlexNetConfig) []LayerDef {
	lrn := func() []LayerDef {
		if cfg.NoLRN {
			return nil
		}
		return []LayerDef{LRN()}
	}
	drop := func() []LayerDef {
		if cfg.NoDropout {
			return nil
		}
		return []LayerDef{Dropout(0.5)}
	}
	var defs []LayerDef
	add := func(d ...LayerDef) { defs = append(defs, d...) }
	add(Conv(16, 5).Pad(2), Relu())
	add(lrn()...)
	add(MaxPool(3, 2), Conv(32, 5).Pad(2), Relu())
	add(lrn()...)
	add(MaxPool(3, 2), Conv(48, 3).Pad(1), Relu(), Conv(48, 3).Pad(1), Relu(), Conv(32, 3).Pad(1), Relu())
	switch cfg.Head {
	case GlobalAvgHead:
		add(GlobalAvgPool())
	case GlobalMaxHead:
		add(GlobalMaxPool())
	default:
		add(Flatten())
	}
	add(drop()...)
	add(Affine(256), Relu())
	add(drop()...)
	add(Affine(256), Relu(), Affine(defaultInt(cfg.OutputSize, 10)))
	return defs
}

// NewAlexNet builds the AlexNet-style network of AlexNetLayers with He
// initialisation.
func NewAlexNet(cfg AlexNetConfig, opts ...Option) *Net[float64] {
	name := "AlexNet-style"
	switch {
	case cfg.Head != "" && cfg.Head != FlattenHead && cfg.Head != GlobalAvgHead && cfg.Head != GlobalMaxHead:
		mistake.Panicf("AlexNetConfig.Head %q: use nets.FlattenHead, nets.GlobalAvgHead or nets.GlobalMaxHead", cfg.Head)
	case cfg.Head != "" && cfg.Head != FlattenHead:
		name += ", " + string(cfg.Head)
	}
	if cfg.NoLRN {
		name += ", no LRN"
	}
	if cfg.NoDropout {
		name += ", no dropout"
	}
	return convBuilder(name, inputDim(cfg.InputDim), He, opts).Build(AlexNetLayers(cfg)...)
}

// Shapes returns the shape of one sample at the input and after every
// layer, e.g. for LeNet-5 (1, 32, 32), (6, 28, 28), (6, 28, 28), (6, 14, 14), ….
func (n *Net[T]) Shapes() [][]int {
	shape := append([]int{1}, n.Spec.Input...)
	out := [][]int{append([]int(nil), n.Spec.Input...)}
	for _, l := range n.Layers {
		shape, _ = outShape(l.Layer, shape)
		out = append(out, append([]int(nil), shape[1:]...))
	}
	return out
}

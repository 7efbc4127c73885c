package nets

import (
	"fmt"
	"strings"

	"github.com/dlnb/course/dlnb/layers"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// Spec describes a network's architecture, independently of its parameter
// values and precision: enough to rebuild it (Build) in float32 or float64,
// or from saved parameters.
type Spec struct {
	Name              string      // e.g. "SimpleConvNet"
	Input             []int       // shape of one sample, e.g. (784,) or (1, 28, 28)
	Layers            []LayerSpec // in order; SoftmaxWithLoss follows implicitly
	WeightDecayLambda float64     // L2 penalty λ on every Affine/Convolution weight
	LossInTrainMode   bool        // Loss runs the network in training mode (DeepConvNet)
	EvalBatch         int         // evaluation chunk size (0: 1000)
}

// LayerSpec describes one layer.
type LayerSpec struct {
	Kind   string   // Affine, Relu, Sigmoid, Tanh, Dropout, BatchNorm, Conv, Pool, GlobalAvgPool, GlobalMaxPool, Flatten, LRN
	Name   string   // e.g. Affine1
	Params []string // parameter names: W and b, or gamma and beta
	// Conv and Pool
	Stride, Pad  int
	PoolH, PoolW int
	Average      bool
	// Dropout
	DropoutRatio float64
	Inverted     bool
	// BatchNorm
	Momentum float64
	// LRN: k, n, α, β of local response normalisation (zero: AlexNet's)
	LRNK, LRNAlpha, LRNBeta float64
	LRNN                    int
}

// Build creates the network described by spec with the given parameter
// tensors (used, not copied). It checks that every parameter is present with
// a shape its layer can use, and that the shapes chain from spec.Input to a
// vector of class scores; what does not fit is an error (Build is how saved
// models are loaded, so its input may come from a file).
func Build[T tensor.Float](spec Spec, params map[string]*tensor.Tensor[T], r *rng.RandomState) (*Net[T], error) {
	if r == nil {
		return nil, fmt.Errorf("%s: %w", spec.Name, errNoRand)
	}
	n := &Net[T]{Spec: spec, Params: map[string]*tensor.Tensor[T]{}, Rand: r,
		grads: map[string]*tensor.Tensor[T]{}, Last: newLast[T](), EvalBatch: spec.EvalBatch}
	shape := append([]int{1}, spec.Input...)
	for i, ls := range spec.Layers {
		l, err := newLayer(ls, params, r, i == 0)
		if err == nil {
			shape, err = outShape(l, shape)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: layer %s: %w", spec.Name, ls.Name, err)
		}
		n.add(ls, l)
	}
	if len(shape) != 2 {
		return nil, fmt.Errorf("%s: the last layer gives samples of shape %s, not a vector of class scores", spec.Name, tensor.ShapeString(shape[1:]))
	}
	n.classes = shape[1]
	return n, nil
}

// newLast returns the output layer of every network: softmax with the
// cross-entropy loss, with the course's 1e-7 inside the logarithm.
func newLast[T tensor.Float]() *layers.SoftmaxWithLoss[T] {
	return &layers.SoftmaxWithLoss[T]{Delta: layers.CrossEntropyDelta}
}

// add appends a built layer and registers its parameters and gradients.
func (n *Net[T]) add(ls LayerSpec, l layers.Layer[T]) {
	n.Layers = append(n.Layers, NamedLayer[T]{ls.Name, l})
	for k, p := range l.Params() {
		name := ls.Params[k]
		n.Params[name] = p.Value
		n.ParamNames = append(n.ParamNames, name)
		n.grads[name] = p.Grad
		if p.Role == "W" {
			n.decayed = append(n.decayed, name)
		}
	}
}

// layerParams returns the want parameters ls names, checking each exists.
func layerParams[T tensor.Float](ls LayerSpec, params map[string]*tensor.Tensor[T], want int) ([]*tensor.Tensor[T], error) {
	if len(ls.Params) != want {
		return nil, fmt.Errorf("needs %d parameter names, has %v", want, ls.Params)
	}
	var out []*tensor.Tensor[T]
	for _, p := range ls.Params {
		t, ok := params[p]
		if !ok {
			return nil, fmt.Errorf("parameter %s is missing", p)
		}
		out = append(out, t)
	}
	return out, nil
}

// newLayer builds one layer of a spec; first marks the network's first
// layer, whose input gradient nobody needs.
func newLayer[T tensor.Float](ls LayerSpec, params map[string]*tensor.Tensor[T], r *rng.RandomState, first bool) (layers.Layer[T], error) {
	switch ls.Kind {
	case "Affine", "Conv", "BatchNorm":
		p, err := layerParams(ls, params, 2)
		if err != nil {
			return nil, err
		}
		return paramLayer(ls, p[0], p[1], first)
	case "Pool":
		if ls.PoolH < 1 || ls.PoolW < 1 || ls.Stride < 1 || ls.Pad < 0 {
			return nil, fmt.Errorf("pooling window %d×%d, stride %d and pad %d must be positive (pad ≥ 0)", ls.PoolH, ls.PoolW, ls.Stride, ls.Pad)
		}
		p := layers.NewPooling[T](ls.PoolH, ls.PoolW, ls.Stride, ls.Pad)
		p.Average = ls.Average
		return p, nil
	case "Dropout":
		if ls.DropoutRatio < 0 || ls.DropoutRatio >= 1 {
			return nil, fmt.Errorf("dropout ratio %v must be in [0, 1)", ls.DropoutRatio)
		}
		d := layers.NewDropout[T](ls.DropoutRatio, r)
		d.Inverted = ls.Inverted
		return d, nil
	case "Relu":
		return &layers.Relu[T]{}, nil
	case "Sigmoid":
		return &layers.Sigmoid[T]{}, nil
	case "Tanh":
		return &layers.Tanh[T]{}, nil
	case "GlobalAvgPool":
		return &layers.GlobalAvgPooling[T]{}, nil
	case "GlobalMaxPool":
		return &layers.GlobalMaxPooling[T]{}, nil
	case "Flatten":
		return &layers.Flatten[T]{}, nil
	case "LRN":
		l := layers.NewLRN[T]()
		if ls.LRNN != 0 {
			l.K, l.N, l.Alpha, l.Beta = ls.LRNK, ls.LRNN, ls.LRNAlpha, ls.LRNBeta
		}
		return l, nil
	}
	return nil, fmt.Errorf("unknown layer kind %q", ls.Kind)
}

// paramLayer builds an Affine, Conv or BatchNorm layer after checking the
// shapes of its two parameters.
func paramLayer[T tensor.Float](ls LayerSpec, a, b *tensor.Tensor[T], first bool) (layers.Layer[T], error) {
	switch ls.Kind {
	case "Affine":
		if len(a.Shape) != 2 || len(b.Shape) != 1 || b.Shape[0] != a.Shape[1] {
			return nil, &tensor.ShapeError{Op: "Affine (W and b)", A: a.Shape, B: b.Shape, Reason: "W must be (D, M) and b (M,)"}
		}
		l := layers.NewAffine(a, b)
		l.SkipInputGrad = first
		return l, nil
	case "Conv":
		if len(a.Shape) != 4 || len(b.Shape) != 1 || b.Shape[0] != a.Shape[0] {
			return nil, &tensor.ShapeError{Op: "Convolution (W and b)", A: a.Shape, B: b.Shape, Reason: "W must be (FN, C, FH, FW) and b (FN,)"}
		}
		if ls.Stride < 1 || ls.Pad < 0 {
			return nil, fmt.Errorf("stride %d must be ≥ 1 and pad %d ≥ 0", ls.Stride, ls.Pad)
		}
		l := layers.NewConvolution(a, b, ls.Stride, ls.Pad)
		l.SkipInputGrad = first
		return l, nil
	}
	if len(a.Shape) != 1 || !tensor.SameShape(a.Shape, b.Shape) {
		return nil, &tensor.ShapeError{Op: "BatchNormalization (gamma and beta)", A: a.Shape, B: b.Shape}
	}
	bn := layers.NewBatchNormalization(a, b)
	if ls.Momentum != 0 {
		bn.Momentum = ls.Momentum
	}
	return bn, nil
}

// outShape propagates a batch shape through a layer, checking it fits.
func outShape[T tensor.Float](l layers.Layer[T], in []int) ([]int, error) {
	switch l := l.(type) {
	case *layers.Affine[T]:
		if d := tensor.Size(in[1:]); d != l.W.Shape[0] {
			return nil, &tensor.ShapeError{Op: "Affine (input vs W)", A: in, B: l.W.Shape}
		}
		return []int{in[0], l.W.Shape[1]}, nil
	case *layers.Convolution[T]:
		return l.OutShape(in)
	case *layers.Pooling[T]:
		return l.OutShape(in)
	case *layers.ReluMaxPool[T]:
		return l.Pool.OutShape(in)
	case *layers.GlobalAvgPooling[T], *layers.GlobalMaxPooling[T]:
		if len(in) != 4 {
			return nil, fmt.Errorf("global pooling needs images (N, C, H, W), got %s", tensor.ShapeString(in))
		}
		return []int{in[0], in[1]}, nil
	case *layers.Flatten[T]:
		return []int{in[0], tensor.Size(in[1:])}, nil
	case *layers.LRN[T]:
		if len(in) != 4 {
			return nil, fmt.Errorf("LRN needs images (N, C, H, W), got %s", tensor.ShapeString(in))
		}
	case *layers.BatchNormalization[T]:
		if d := tensor.Size(in[1:]); d != l.Gamma.Shape[0] {
			return nil, &tensor.ShapeError{Op: "BatchNormalization (input vs gamma)", A: in, B: l.Gamma.Shape}
		}
	}
	return in, nil
}

// Convert returns a copy of n computing in precision U (e.g. float32 for
// speed) with the same parameter values and batch-norm statistics.
func Convert[U, T tensor.Float](n *Net[T]) (*Net[U], error) {
	params := map[string]*tensor.Tensor[U]{}
	for k, v := range n.Params {
		params[k] = tensor.Cast[U](v)
	}
	out, err := Build(n.Spec, params, n.Rand)
	if err != nil {
		return nil, err
	}
	if n.Fused() {
		out.Fuse()
	}
	for i, l := range n.Layers {
		if bn, ok := l.Layer.(*layers.BatchNormalization[T]); ok && bn.RunningMean != nil {
			dst := out.Layers[i].Layer.(*layers.BatchNormalization[U])
			dst.RunningMean, dst.RunningVar = tensor.Cast[U](bn.RunningMean), tensor.Cast[U](bn.RunningVar)
		}
	}
	return out, nil
}

// Summary lists the layers with their output shapes and parameter counts,
// as the network runs them: a fused layer (see Fuse) is one line, and a
// window whose stride leaves the last rows or columns of its input unread says
// so.
func (n *Net[T]) Summary() string {
	var b strings.Builder
	shape := append([]int{1}, n.Spec.Input...)
	fmt.Fprintf(&b, "%s: input %s\n", n.Spec.Name, tensor.ShapeString(n.Spec.Input))
	for _, l := range n.Layers {
		in := shape
		shape, _ = outShape(l.Layer, shape)
		cnt := 0
		var names []string
		for _, p := range l.Layer.Params() {
			cnt += p.Value.Size()
			names = append(names, tensor.ShapeString(p.Value.Shape))
		}
		extra := ""
		if cnt > 0 {
			extra = fmt.Sprintf("  params %s = %d", strings.Join(names, " + "), cnt)
		}
		if _, ok := l.Layer.(*layers.ReluMaxPool[T]); ok {
			extra += "  (ReLU and max pooling fused: same result, less work)"
		}
		extra += lostNote(l.Layer, in)
		fmt.Fprintf(&b, "  %-22s → %-16s%s\n", l.Name, tensor.ShapeString(shape[1:]), extra)
	}
	fmt.Fprintf(&b, "  SoftmaxWithLoss\n  total parameters: %d\n", n.ParamCount())
	return b.String()
}

// lostNote says when a convolution or pooling window's stride leaves the last
// rows or columns of the (padded) input unread, as the course's rounding down
// of the output size does.
func lostNote[T tensor.Float](l layers.Layer[T], in []int) string {
	var fh, fw, stride, pad int
	switch l := l.(type) {
	case *layers.Convolution[T]:
		fh, fw, stride, pad = l.W.Shape[2], l.W.Shape[3], l.Stride, l.Pad
	case *layers.Pooling[T]:
		fh, fw, stride, pad = l.PoolH, l.PoolW, l.Stride, l.Pad
	case *layers.ReluMaxPool[T]:
		fh, fw, stride, pad = l.Pool.PoolH, l.Pool.PoolW, l.Pool.Stride, l.Pool.Pad
	default:
		return ""
	}
	if len(in) != 4 {
		return ""
	}
	rh, rw := layers.LostPixels(in[2], fh, stride, pad), layers.LostPixels(in[3], fw, stride, pad)
	if rh == 0 && rw == 0 {
		return ""
	}
	return fmt.Sprintf("  (stride %d leaves the last %d row(s) and %d column(s) unread)", stride, rh, rw)
}

package nets

import (
	"fmt"
	"strings"

	"github.com/dlnb/course/dlnb/functions"
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
	Kind   string   // Affine, Relu, Sigmoid, Tanh, Dropout, BatchNorm, Conv, Pool
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
}

// Build creates the network described by spec with the given parameter
// tensors (used, not copied). It checks that every parameter is present and
// that the shapes chain from spec.Input to a vector of class scores.
func Build[T tensor.Float](spec Spec, params map[string]*tensor.Tensor[T], r *rng.RandomState) (*Net[T], error) {
	if r == nil {
		return nil, fmt.Errorf("%s: %w", spec.Name, errNoRand)
	}
	n := &Net[T]{Spec: spec, Params: map[string]*tensor.Tensor[T]{}, Rand: r,
		grads: map[string]*tensor.Tensor[T]{}, Last: &layers.SoftmaxWithLoss[T]{Delta: functions.Delta}, EvalBatch: spec.EvalBatch}
	get := func(ls LayerSpec, want int) ([]*tensor.Tensor[T], error) {
		if len(ls.Params) != want {
			return nil, fmt.Errorf("layer %s needs %d parameter names, has %v", ls.Name, want, ls.Params)
		}
		var out []*tensor.Tensor[T]
		for _, p := range ls.Params {
			t, ok := params[p]
			if !ok {
				return nil, fmt.Errorf("layer %s: parameter %s is missing", ls.Name, p)
			}
			out = append(out, t)
		}
		return out, nil
	}
	shape := append([]int{1}, spec.Input...)
	for i, ls := range spec.Layers {
		var l layers.Layer[T]
		var err error
		switch ls.Kind {
		case "Affine":
			var p []*tensor.Tensor[T]
			if p, err = get(ls, 2); err == nil {
				var a *layers.Affine[T]
				if a, err = layers.NewAffine(p[0], p[1]); err == nil {
					a.SkipInputGrad = i == 0
					l = a
				}
			}
		case "Conv":
			var p []*tensor.Tensor[T]
			if p, err = get(ls, 2); err == nil {
				var c *layers.Convolution[T]
				if c, err = layers.NewConvolution(p[0], p[1], ls.Stride, ls.Pad); err == nil {
					c.SkipInputGrad = i == 0
					l = c
				}
			}
		case "BatchNorm":
			var p []*tensor.Tensor[T]
			if p, err = get(ls, 2); err == nil {
				var bn *layers.BatchNormalization[T]
				if bn, err = layers.NewBatchNormalization(p[0], p[1]); err == nil {
					if ls.Momentum != 0 {
						bn.Momentum = ls.Momentum
					}
					l = bn
				}
			}
		case "Pool":
			var p *layers.Pooling[T]
			if p, err = layers.NewPooling[T](ls.PoolH, ls.PoolW, ls.Stride, ls.Pad); err == nil {
				p.Average = ls.Average
				l = p
			}
		case "Dropout":
			var d *layers.Dropout[T]
			if d, err = layers.NewDropout[T](ls.DropoutRatio, r); err == nil {
				d.Inverted = ls.Inverted
				l = d
			}
		case "Relu":
			l = &layers.Relu[T]{}
		case "Sigmoid":
			l = &layers.Sigmoid[T]{}
		case "Tanh":
			l = &layers.Tanh[T]{}
		default:
			err = fmt.Errorf("unknown layer kind %q", ls.Kind)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: layer %s: %w", spec.Name, ls.Name, err)
		}
		if shape, err = outShape(l, shape); err != nil {
			return nil, fmt.Errorf("%s: layer %s: %w", spec.Name, ls.Name, err)
		}
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
	if len(shape) != 2 {
		return nil, fmt.Errorf("%s: the last layer gives samples of shape %s, not a vector of class scores", spec.Name, tensor.ShapeString(shape[1:]))
	}
	return n, nil
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
	for i, l := range n.Layers {
		if bn, ok := l.Layer.(*layers.BatchNormalization[T]); ok && bn.RunningMean != nil {
			dst := out.Layers[i].Layer.(*layers.BatchNormalization[U])
			dst.RunningMean, dst.RunningVar = tensor.Cast[U](bn.RunningMean), tensor.Cast[U](bn.RunningVar)
		}
	}
	return out, nil
}

// Summary lists the layers with their output shapes and parameter counts.
func (n *Net[T]) Summary() string {
	var b strings.Builder
	shape := append([]int{1}, n.Spec.Input...)
	fmt.Fprintf(&b, "%s: input %s\n", n.Spec.Name, tensor.ShapeString(n.Spec.Input))
	for _, l := range n.Layers {
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
		fmt.Fprintf(&b, "  %-22s → %-16s%s\n", l.Name, tensor.ShapeString(shape[1:]), extra)
	}
	fmt.Fprintf(&b, "  SoftmaxWithLoss\n  total parameters: %d\n", n.ParamCount())
	return b.String()
}

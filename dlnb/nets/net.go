package nets

import (
	"errors"
	"fmt"

	"github.com/dlnb/course/dlnb/layers"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// NamedLayer is a layer with the name the course gives it ("Affine1", "Relu1", …).
type NamedLayer[T tensor.Float] struct {
	Name  string
	Layer layers.Layer[T]
}

// Net is a sequential network ending in SoftmaxWithLoss.
type Net[T tensor.Float] struct {
	Spec   Spec
	Layers []NamedLayer[T]
	Last   *layers.SoftmaxWithLoss[T]
	// Params maps parameter names (W1, b1, gamma1, …) to the tensors the
	// layers use: changing them changes the network.
	Params map[string]*tensor.Tensor[T]
	// ParamNames lists Params' keys in layer order.
	ParamNames []string
	// Rand draws the dropout masks.
	Rand *rng.RandomState
	// EvalBatch is how many samples Accuracy and PredictAll push through the
	// network at once (memory stays bounded for 10,000 test images).
	EvalBatch int

	// exec is what Predict and Gradient run: Layers, with each Relu directly
	// followed by max pooling replaced by one layers.ReluMaxPool (same
	// results, less work). noFusion turns that off (tests compare both).
	exec     []NamedLayer[T]
	noFusion bool

	grads   map[string]*tensor.Tensor[T] // name → gradient tensor of its layer
	decayed []string                     // the weights the L2 penalty applies to
	eval    *tensor.Tensor[T]            // scratch for PredictAll
}

// WeightDecayLambda returns the L2 penalty strength λ.
func (n *Net[T]) WeightDecayLambda() float64 { return n.Spec.WeightDecayLambda }

// errNilNet is what every method returns on a nil *Net.
var errNilNet = errors.New("nets: the network is nil: build it first, e.g. net, err := nets.NewSimpleConvNet[float64](nets.SimpleConvNetConfig{}, rng.New(0)), and check err")

// checkInput verifies n exists and x holds samples of the network's input shape.
func (n *Net[T]) checkInput(x *tensor.Tensor[T]) error {
	if n == nil {
		return errNilNet
	}
	if x == nil {
		return fmt.Errorf("%s: the input data are nil: pass the images, e.g. ds.Test.X", n.Spec.Name)
	}
	if len(x.Shape) == 0 || x.Shape[0] == 0 {
		return fmt.Errorf("%s: empty batch (input shape %s)", n.Spec.Name, tensor.ShapeString(x.Shape))
	}
	in := n.Spec.Input
	sample := x.Shape[1:]
	if len(in) > 1 && !tensor.SameShape(sample, in) || tensor.Size(sample) != tensor.Size(in) {
		hint := ""
		if len(in) == 3 && len(sample) == 1 {
			hint = " (load the images with datasets.Flatten(false))"
		}
		return fmt.Errorf("%s: expects samples of shape %s, got a batch of shape %s%s",
			n.Spec.Name, tensor.ShapeString(in), tensor.ShapeString(x.Shape), hint)
	}
	return nil
}

// Predict runs the layers on x and returns the scores before softmax,
// shape (N, classes). train turns on dropout masks and batch statistics.
// The result is owned by the last layer and overwritten by the next call.
func (n *Net[T]) Predict(x *tensor.Tensor[T], train bool) (*tensor.Tensor[T], error) {
	if err := n.checkInput(x); err != nil {
		return nil, err
	}
	var err error
	for _, l := range n.steps() {
		if x, err = l.Layer.Forward(x, train); err != nil {
			return nil, fmt.Errorf("%s: layer %s: %w", n.Spec.Name, l.Name, err)
		}
	}
	return x, nil
}

// steps returns the layers to execute.
func (n *Net[T]) steps() []NamedLayer[T] {
	if n.noFusion {
		return n.Layers
	}
	if n.exec == nil {
		for i := 0; i < len(n.Layers); i++ {
			_, relu := n.Layers[i].Layer.(*layers.Relu[T])
			if relu && i+1 < len(n.Layers) {
				if p, ok := n.Layers[i+1].Layer.(*layers.Pooling[T]); ok && !p.Average {
					n.exec = append(n.exec, NamedLayer[T]{n.Layers[i].Name + "+" + n.Layers[i+1].Name, layers.NewReluMaxPool(p)})
					i++
					continue
				}
			}
			n.exec = append(n.exec, n.Layers[i])
		}
	}
	return n.exec
}

// Loss returns the loss on (x, d): the cross-entropy of softmax(Predict(x))
// plus the weight decay ½·λ·Σ‖W‖². Like the course, it runs the network in
// test mode, except for DeepConvNet whose loss always uses training mode.
func (n *Net[T]) Loss(x, d *tensor.Tensor[T]) (float64, error) {
	if n == nil {
		return 0, errNilNet
	}
	return n.LossMode(x, d, n.Spec.LossInTrainMode)
}

// LossMode is Loss with the mode chosen explicitly.
func (n *Net[T]) LossMode(x, d *tensor.Tensor[T], train bool) (float64, error) {
	y, err := n.Predict(x, train)
	if err != nil {
		return 0, err
	}
	if err := checkLabelCount(n.Spec.Name, x, d); err != nil {
		return 0, err
	}
	loss, err := n.Last.Forward(y, d)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", n.Spec.Name, err)
	}
	if lam := n.Spec.WeightDecayLambda; lam != 0 {
		wd := 0.0
		for _, name := range n.decayed {
			wd += 0.5 * lam * n.Params[name].SumSquares()
		}
		loss += wd
	}
	return loss, nil
}

// Gradient computes the gradients of the loss by backpropagation (training
// mode) and returns them by parameter name. With weight decay, the gradient
// of every weight includes λ·W. The tensors are reused by the next call.
func (n *Net[T]) Gradient(x, d *tensor.Tensor[T]) (map[string]*tensor.Tensor[T], error) {
	if _, err := n.LossMode(x, d, true); err != nil {
		return nil, err
	}
	dout, err := n.Last.Backward()
	if err != nil {
		return nil, err
	}
	steps := n.steps()
	for i := len(steps) - 1; i >= 0; i-- {
		l := steps[i]
		if dout, err = l.Layer.Backward(dout); err != nil {
			return nil, fmt.Errorf("%s: layer %s backward: %w", n.Spec.Name, l.Name, err)
		}
		if dout == nil { // the first layer skipped its input gradient
			break
		}
	}
	if lam := T(n.Spec.WeightDecayLambda); lam != 0 {
		for _, name := range n.decayed {
			n.grads[name].AddScaled(lam, n.Params[name])
		}
	}
	return n.grads, nil
}

// Grads returns the gradients of the last Gradient call by name.
func (n *Net[T]) Grads() map[string]*tensor.Tensor[T] { return n.grads }

// evalBatch is the chunk size for evaluation.
func (n *Net[T]) evalBatch() int {
	if n.EvalBatch > 0 {
		return n.EvalBatch
	}
	return 1000
}

// PredictAll returns the test-mode scores for all of x, evaluated in chunks of
// EvalBatch samples, in a new tensor.
func (n *Net[T]) PredictAll(x *tensor.Tensor[T]) (*tensor.Tensor[T], error) {
	if err := n.checkInput(x); err != nil {
		return nil, err
	}
	var out *tensor.Tensor[T]
	bs := n.evalBatch()
	for lo := 0; lo < x.Shape[0]; lo += bs {
		xb, _ := x.Slice(lo, min(lo+bs, x.Shape[0]))
		y, err := n.Predict(xb, false)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = tensor.New[T](x.Shape[0], y.Cols())
		}
		copy(out.Data[lo*y.Cols():], y.Data)
	}
	return out, nil
}

// correct counts the samples of a chunk whose highest score is the label.
func correct[T tensor.Float](y, d *tensor.Tensor[T]) int {
	pred := y.ArgMaxRows()
	c := 0
	if len(d.Shape) == 2 {
		for i, k := range d.ArgMaxRows() {
			if pred[i] == k {
				c++
			}
		}
		return c
	}
	for i, v := range d.Data {
		if pred[i] == int(v) {
			c++
		}
	}
	return c
}

func checkLabelCount[T tensor.Float](name string, x, d *tensor.Tensor[T]) error {
	if d == nil {
		return fmt.Errorf("%s: the labels are nil: pass the labels of the %d samples, e.g. ds.Test.D", name, x.Rows())
	}
	if len(d.Shape) == 0 || d.Shape[0] != x.Shape[0] {
		return fmt.Errorf("%s: %d labels for %d samples (labels %s, data %s)", name, d.Rows(), x.Rows(),
			tensor.ShapeString(d.Shape), tensor.ShapeString(x.Shape))
	}
	return nil
}

// Accuracy returns the fraction of samples whose highest test-mode score is
// the label (labels one-hot or class indices).
func (n *Net[T]) Accuracy(x, d *tensor.Tensor[T]) (float64, error) {
	if err := n.checkInput(x); err != nil {
		return 0, err
	}
	if err := checkLabelCount(n.Spec.Name, x, d); err != nil {
		return 0, err
	}
	bs := n.evalBatch()
	c := 0
	for lo := 0; lo < x.Shape[0]; lo += bs {
		hi := min(lo+bs, x.Shape[0])
		xb, _ := x.Slice(lo, hi)
		db, _ := d.Slice(lo, hi)
		y, err := n.Predict(xb, false)
		if err != nil {
			return 0, err
		}
		c += correct(y, db)
	}
	return float64(c) / float64(x.Shape[0]), nil
}

// AccuracyBatched is the course's accuracy(x, d, batch_size) of the
// convolution nets: it counts correct predictions over the int(N/batchSize)
// full batches and divides by N, so leftover samples count as wrong.
func (n *Net[T]) AccuracyBatched(x, d *tensor.Tensor[T], batchSize int) (float64, error) {
	if err := n.checkInput(x); err != nil {
		return 0, err
	}
	if batchSize < 1 {
		return 0, fmt.Errorf("%s: batch size %d must be positive", n.Spec.Name, batchSize)
	}
	if err := checkLabelCount(n.Spec.Name, x, d); err != nil {
		return 0, err
	}
	c := 0
	for i := range x.Shape[0] / batchSize {
		xb, _ := x.Slice(i*batchSize, (i+1)*batchSize)
		db, _ := d.Slice(i*batchSize, (i+1)*batchSize)
		y, err := n.Predict(xb, false)
		if err != nil {
			return 0, err
		}
		c += correct(y, db)
	}
	return float64(c) / float64(x.Shape[0]), nil
}

// Layer returns the layer with the given name, or nil.
func (n *Net[T]) Layer(name string) layers.Layer[T] {
	for _, l := range n.Layers {
		if l.Name == name {
			return l.Layer
		}
	}
	return nil
}

// ParamCount returns the number of learnable values.
func (n *Net[T]) ParamCount() int {
	c := 0
	for _, p := range n.Params {
		c += p.Size()
	}
	return c
}

var errNoRand = errors.New("a random generator (*rng.RandomState) is required: pass rng.New(seed)")

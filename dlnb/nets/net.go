package nets

import (
	"errors"
	"fmt"

	"github.com/dlnb/course/dlnb/layers"
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// NamedLayer is a layer with the name the course gives it ("Affine1", "Relu1", …).
type NamedLayer[T tensor.Float] struct {
	Name  string
	Layer layers.Layer[T]
}

// Net is a sequential network ending in SoftmaxWithLoss. Its methods read
// like the course's network classes (predict, loss, accuracy, gradient) and
// have no error results: data of the wrong shape panic with a readable
// *mistake.Error (see dlnb/mistake); Check reports the same as an error for
// code that must not panic.
type Net[T tensor.Float] struct {
	Spec Spec
	// Layers are the layers Predict runs, in order. They are the course's
	// layers unless Fuse has merged each ReLU with the max pooling after it
	// (then an entry named "Relu1+Pool1" runs both).
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

	unfused []NamedLayer[T] // the course's layers while fused
	classes int             // the number of class scores

	grads   map[string]*tensor.Tensor[T] // name → gradient tensor of its layer
	decayed []string                     // the weights the L2 penalty applies to
}

// WeightDecayLambda returns the L2 penalty strength λ.
func (n *Net[T]) WeightDecayLambda() float64 { return n.Spec.WeightDecayLambda }

// errNilNet is what every method reports on a nil *Net.
var errNilNet = errors.New("nets: the network is nil: build it first, e.g. network := nets.NewSimpleConvNet(nets.SimpleConvNetConfig{})")

// checkInput verifies n exists and x holds samples of the network's input shape.
func (n *Net[T]) checkInput(x *tensor.Tensor[T]) error {
	if n == nil {
		return errNilNet
	}
	if x == nil {
		return fmt.Errorf("%s: the input data are nil: pass the images, e.g. xTest", n.Spec.Name)
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

// checkLabels verifies there is one label per sample, a class index or a
// one-hot row of the network's classes.
func (n *Net[T]) checkLabels(x, d *tensor.Tensor[T]) error {
	if d == nil {
		return fmt.Errorf("%s: the labels are nil: pass the labels of the %d samples, e.g. dTest", n.Spec.Name, x.Rows())
	}
	if len(d.Shape) == 0 || d.Shape[0] != x.Shape[0] {
		return fmt.Errorf("%s: %d labels for %d samples (labels %s, data %s)", n.Spec.Name, d.Rows(), x.Rows(),
			tensor.ShapeString(d.Shape), tensor.ShapeString(x.Shape))
	}
	if err := layers.CheckLabelsFor(d, x.Rows(), n.Classes()); err != nil {
		return fmt.Errorf("%s: %w", n.Spec.Name, err)
	}
	return nil
}

// Classes returns the number of class scores the network outputs.
func (n *Net[T]) Classes() int { return n.classes }

// Check reports what is wrong with data x and labels d for this network (nil
// network, wrong sample shape, label count), as an error; the other methods
// stop on the same mistakes. d may be nil to check x alone.
func (n *Net[T]) Check(x, d *tensor.Tensor[T]) error {
	if d == nil {
		return n.checkInput(x)
	}
	return n.checkData(x, d)
}

// checkData verifies the input and that d holds its labels.
func (n *Net[T]) checkData(x, d *tensor.Tensor[T]) error {
	if err := n.checkInput(x); err != nil {
		return err
	}
	return n.checkLabels(x, d)
}

// Predict runs the layers on x and returns the scores before softmax,
// shape (N, classes). train turns on dropout masks and batch statistics.
// The result is owned by the last layer and overwritten by the next call.
func (n *Net[T]) Predict(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	mistake.Panic(n.checkInput(x))
	for _, l := range n.Layers {
		x = l.Layer.Forward(x, train)
	}
	return x
}

// Loss returns the loss on (x, d): the cross-entropy of softmax(Predict(x))
// plus the weight decay ½·λ·Σ‖W‖². Like the course, it runs the network in
// test mode, except for DeepConvNet whose loss always uses training mode.
func (n *Net[T]) Loss(x, d *tensor.Tensor[T]) float64 {
	mistake.Panic(n.checkInput(x))
	return n.LossMode(x, d, n.Spec.LossInTrainMode)
}

// LossMode is Loss with the mode chosen explicitly.
func (n *Net[T]) LossMode(x, d *tensor.Tensor[T], train bool) float64 {
	mistake.Panic(n.checkData(x, d))
	y := n.Predict(x, train)
	loss := n.Last.Forward(y, d)
	if lam := n.Spec.WeightDecayLambda; lam != 0 {
		wd := 0.0
		for _, name := range n.decayed {
			wd += 0.5 * lam * n.Params[name].SumSquares()
		}
		loss += wd
	}
	return loss
}

// Gradient computes the gradients of the loss by backpropagation (training
// mode) and returns them by parameter name. With weight decay, the gradient
// of every weight includes λ·W. The tensors are reused by the next call; the
// map is new on every call, so a cell may replace an entry, as the course
// does with grad['W1'] = dW1 + λ·W1, without touching the network's own
// gradient buffers.
func (n *Net[T]) Gradient(x, d *tensor.Tensor[T]) map[string]*tensor.Tensor[T] {
	n.LossMode(x, d, true)
	dout := n.Last.Backward()
	for i := len(n.Layers) - 1; i >= 0 && dout != nil; i-- {
		dout = n.Layers[i].Layer.Backward(dout) // nil from a first layer that skips its input gradient
	}
	if lam := T(n.Spec.WeightDecayLambda); lam != 0 {
		for _, name := range n.decayed {
			n.grads[name].AddScaled(lam, n.Params[name])
		}
	}
	out := make(map[string]*tensor.Tensor[T], len(n.grads))
	for name, g := range n.grads {
		out[name] = g
	}
	return out
}

// Grads returns the gradients of the last Gradient call by name.
func (n *Net[T]) Grads() map[string]*tensor.Tensor[T] { return n.grads }

// evalBatch is the chunk size for evaluation.
// EvalBatchSize is how many samples Accuracy and PredictAll push through
// the network at once: EvalBatch, or 1000 when it is 0.
func (n *Net[T]) EvalBatchSize() int { return n.evalBatch() }

func (n *Net[T]) evalBatch() int {
	if n.EvalBatch > 0 {
		return n.EvalBatch
	}
	return 1000
}

// PredictAll returns the test-mode scores for all of x, evaluated in chunks of
// EvalBatch samples, in a new tensor.
func (n *Net[T]) PredictAll(x *tensor.Tensor[T]) *tensor.Tensor[T] {
	mistake.Panic(n.checkInput(x))
	var out *tensor.Tensor[T]
	bs := n.evalBatch()
	for lo := 0; lo < x.Shape[0]; lo += bs {
		y := n.Predict(x.Slice(lo, min(lo+bs, x.Shape[0])), false)
		if out == nil {
			out = tensor.New[T](x.Shape[0], y.Cols())
		}
		copy(out.Data[lo*y.Cols():], y.Data)
	}
	return out
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

// Accuracy returns the fraction of samples whose highest test-mode score is
// the label (labels one-hot or class indices).
func (n *Net[T]) Accuracy(x, d *tensor.Tensor[T]) float64 {
	mistake.Panic(n.checkData(x, d))
	bs := n.evalBatch()
	c := 0
	for lo := 0; lo < x.Shape[0]; lo += bs {
		hi := min(lo+bs, x.Shape[0])
		c += correct(n.Predict(x.Slice(lo, hi), false), d.Slice(lo, hi))
	}
	return float64(c) / float64(x.Shape[0])
}

// AccuracyBatched is the course's accuracy(x, d, batch_size) of the
// convolution nets: it counts correct predictions over the int(N/batchSize)
// full batches and divides by N, so leftover samples count as wrong.
func (n *Net[T]) AccuracyBatched(x, d *tensor.Tensor[T], batchSize int) float64 {
	mistake.Panic(n.checkData(x, d))
	if batchSize < 1 {
		mistake.Panicf("%s: batch size %d must be positive", n.Spec.Name, batchSize)
	}
	c := 0
	for i := range x.Shape[0] / batchSize {
		lo, hi := i*batchSize, (i+1)*batchSize
		c += correct(n.Predict(x.Slice(lo, hi), false), d.Slice(lo, hi))
	}
	return float64(c) / float64(x.Shape[0])
}

// Layer returns the course's layer with the given name ("Conv1", "Relu1"),
// or nil; a fused network still finds the layers it fused.
func (n *Net[T]) Layer(name string) layers.Layer[T] {
	all := n.Layers
	if n.unfused != nil {
		all = n.unfused
	}
	for _, l := range all {
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

// Fuse makes the network run every ReLU that is directly followed by max
// pooling as one layer, layers.ReluMaxPool, which pools first and applies the
// ReLU to a quarter of the values. The results and gradients are the same to
// the last bit (see layers.ReluMaxPool); the work is less. Layers and
// Summary show the fused entries ("Relu1+Pool1"); Unfuse restores the
// course's layers. It returns n, so that a cell can write
// network := nets.NewDeepConvNet(cfg).Fuse().
func (n *Net[T]) Fuse() *Net[T] {
	if n.unfused != nil {
		return n
	}
	var fused []NamedLayer[T]
	for i := 0; i < len(n.Layers); i++ {
		_, relu := n.Layers[i].Layer.(*layers.Relu[T])
		if relu && i+1 < len(n.Layers) {
			if p, ok := n.Layers[i+1].Layer.(*layers.Pooling[T]); ok && !p.Average {
				fused = append(fused, NamedLayer[T]{n.Layers[i].Name + "+" + n.Layers[i+1].Name, layers.NewReluMaxPool(p)})
				i++
				continue
			}
		}
		fused = append(fused, n.Layers[i])
	}
	if len(fused) < len(n.Layers) {
		n.unfused, n.Layers = n.Layers, fused
	}
	return n
}

// Unfuse undoes Fuse: every layer runs on its own again.
func (n *Net[T]) Unfuse() *Net[T] {
	if n.unfused != nil {
		n.Layers, n.unfused = n.unfused, nil
	}
	return n
}

// Fused reports whether Fuse merged any layers.
func (n *Net[T]) Fused() bool { return n.unfused != nil }

// Float32 returns a float32 copy of the network (same parameters, batch-norm
// statistics and fusion): the fast precision, network :=
// nets.Float32(nets.NewDeepConvNet(cfg)).
//
// Float32 and Float64 are functions and not methods of Net because Go
// compiles every method of each generic type a program instantiates: a
// method of Net[float64] returning a Net[float32] made every notebook cell
// that uses a float64 network compile the whole float32 network code too
// (361 of the 716 functions compiled for a typical cell, about 0.6 s of its
// build time); see TestFloat64CellsCompileNoFloat32.
func Float32(n *Net[float64]) *Net[float32] { return convertOrStop[float32](n) }

// Float64 returns a float64 copy of a float32 network.
func Float64(n *Net[float32]) *Net[float64] { return convertOrStop[float64](n) }

func convertOrStop[U, T tensor.Float](n *Net[T]) *Net[U] {
	out, err := Convert[U](n)
	mistake.Panic(err)
	return out
}

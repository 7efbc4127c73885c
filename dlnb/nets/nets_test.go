package nets

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/internal/gradcheck"
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/optim"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
	"github.com/dlnb/course/internal/pyref"
)

func TestParamCountsMatchCourse(t *testing.T) {
	r := rng.New(1)
	for _, c := range []struct {
		build func() *Net[float64]
		want  int
	}{
		{func() *Net[float64] { return NewSimpleConvNet(SimpleConvNetConfig{}, WithRand(r)) }, 433890},
		{func() *Net[float64] { return NewDoubleConvNet(DoubleConvNetConfig{}, WithRand(r)) }, 75430},
		{func() *Net[float64] { return NewDoubleConvNet(DoubleConvNetConfig{After: true}, WithRand(r)) }, 291430},
		{func() *Net[float64] { return NewDeepConvNet(DeepConvNetConfig{}, WithRand(r)) }, 123552},
	} {
		n := c.build()
		if got := n.ParamCount(); got != c.want {
			t.Errorf("%s: %d parameters, course has %d\n%s", n.Spec.Name, got, c.want, n.Summary())
		}
	}
	deep := NewDeepConvNet(DeepConvNetConfig{}, WithRand(r))
	if s := deep.Params["W7"].Shape; s[0] != 1024 || s[1] != 50 {
		t.Errorf("DeepConvNet W7 %v, want (1024, 50)", s)
	}
}

func digest(t *tensor.Tensor[float64]) string {
	h := sha256.New()
	var b [8]byte
	for _, v := range t.Data {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestInitialWeightsMatchNumPy builds every net with a seed and compares each
// weight tensor, bit for bit, with the course's Python initialisation.
func TestInitialWeightsMatchNumPy(t *testing.T) {
	if !rng.BitExact {
		t.Skip("built without cgo: normal samples may differ from NumPy in the last bit")
	}
	py := pyref.Python(t)
	out := pyref.Run(t, py, ".", `
import numpy as np, hashlib, json
def h(a): return hashlib.sha256(np.ascontiguousarray(a, dtype='<f8').tobytes()).hexdigest()
res = {}
np.random.seed(1)
res['two'] = [h(0.01*np.random.randn(784,40)), h(0.01*np.random.randn(40,10))]
def multi(seed, sizes, init):
    np.random.seed(seed); r = []
    for i in range(1, len(sizes)):
        s = str(init).lower()
        scale = np.sqrt(2.0/sizes[i-1]) if s in ('relu','he') else np.sqrt(1.0/sizes[i-1]) if s in ('sigmoid','xavier') else init
        r.append(h(scale*np.random.randn(sizes[i-1], sizes[i])))
    return r
res['multi_he'] = multi(2, [784]+[100]*6+[10], 'relu')
res['multi_xavier'] = multi(3, [784,40,20,10], 'Xavier')
res['multi_std'] = multi(4, [784,40,20,10], 0.01)
np.random.seed(5)
res['simple'] = [h(0.01*np.random.randn(30,1,5,5)), h(0.01*np.random.randn(4320,100)), h(0.01*np.random.randn(100,10))]
np.random.seed(6)
res['double'] = [h(0.01*np.random.randn(10,1,7,7)), h(0.01*np.random.randn(20,10,3,3)), h(0.01*np.random.randn(720,100)), h(0.01*np.random.randn(100,10))]
np.random.seed(7)
pre = np.array([1*3*3, 16*3*3, 16*3*3, 32*3*3, 32*3*3, 64*3*3, 64*4*4, 50])
sc = np.sqrt(2.0 / pre); r = []; c = 1
for i, fn in enumerate([16,16,32,32,64,64]):
    r.append(h(sc[i]*np.random.randn(fn, c, 3, 3))); c = fn
r.append(h(sc[6]*np.random.randn(64*4*4, 50))); r.append(h(sc[7]*np.random.randn(50, 10)))
res['deep'] = r
print(json.dumps(res))`)
	var want map[string][]string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	got := map[string]*Net[float64]{}
	got["two"] = NewTwoLayerNet(784, 40, 10, 0.01, WithRand(rng.New(1)))
	got["multi_he"] = NewMultiLayerNet(MultiLayerNetConfig{InputSize: 784, HiddenSizeList: []int{100, 100, 100, 100, 100, 100}, OutputSize: 10}, WithRand(rng.New(2)))
	got["multi_xavier"] = NewMultiLayerNet(MultiLayerNetConfig{InputSize: 784, HiddenSizeList: []int{40, 20}, OutputSize: 10, Activation: "sigmoid", WeightInitStd: Xavier, UseBatchnorm: true}, WithRand(rng.New(3)))
	got["multi_std"] = NewMultiLayerNet(MultiLayerNetConfig{InputSize: 784, HiddenSizeList: []int{40, 20}, OutputSize: 10, WeightInitStd: Std(0.01)}, WithRand(rng.New(4)))
	got["simple"] = NewSimpleConvNet(SimpleConvNetConfig{}, WithRand(rng.New(5)))
	got["double"] = NewDoubleConvNet(DoubleConvNetConfig{}, WithRand(rng.New(6)))
	got["deep"] = NewDeepConvNet(DeepConvNetConfig{}, WithRand(rng.New(7)))
	for name, hashes := range want {
		n := got[name]
		for i, h := range hashes {
			key := "W" + string(rune('1'+i))
			if d := digest(n.Params[key]); d != h {
				t.Errorf("%s %s differs from NumPy's initial weights", name, key)
			}
		}
	}
}

// lossAndGrads checks a net's backpropagated gradients against numerical
// ones on a few entries of every parameter tensor.
func checkNet(t *testing.T, n *Net[float64], x, d *tensor.Tensor[float64], perTensor int) {
	t.Helper()
	seed := uint32(31)
	// The exact loss: cross-entropy without the 1e-7 guard inside the log
	// (backpropagation differentiates the loss without it) plus weight decay.
	loss := func() float64 {
		n.Rand.Seed(seed) // the same dropout masks for every evaluation
		y := n.Predict(x, true)
		c := y.Cols()
		s := 0.0
		for i := range y.Rows() {
			row := y.Data[i*c : (i+1)*c]
			m := row[0]
			for _, v := range row {
				m = math.Max(m, v)
			}
			z := 0.0
			for _, v := range row {
				z += math.Exp(v - m)
			}
			k := 0
			if len(d.Shape) == 1 {
				k = int(d.Data[i])
			} else {
				k = d.ArgMaxRows()[i]
			}
			s -= row[k] - m - math.Log(z)
		}
		s /= float64(y.Rows())
		for _, name := range n.decayed {
			s += 0.5 * n.WeightDecayLambda() * n.Params[name].SumSquares()
		}
		return s
	}
	n.Rand.Seed(seed)
	g := n.Gradient(x, d)
	analytic := map[string]*tensor.Tensor[float64]{}
	for k, v := range g {
		analytic[k] = v.Clone()
	}
	pick := rng.New(5)
	for _, name := range n.ParamNames {
		p := n.Params[name]
		res := gradcheck.Sampled(loss, p, analytic[name], perTensor, pick)
		if res.RelErr > 1e-6 || res.Kinks > res.Checked/4 {
			t.Errorf("%s %s: relative error %.3g over %d entries (%d skipped at kinks)", n.Spec.Name, name, res.RelErr, res.Checked, res.Kinks)
		} else if res.Kinks > 0 {
			t.Logf("%s %s: %d entries checked (rel. error %.2g), %d skipped at kinks", n.Spec.Name, name, res.Checked, res.RelErr, res.Kinks)
		}
	}
}

func batch(r *rng.RandomState, n int, sample []int, classes int, oneHot bool) (*tensor.Tensor[float64], *tensor.Tensor[float64]) {
	x := tensor.New[float64](append([]int{n}, sample...)...)
	r.FillUniform(x.Data)
	var d *tensor.Tensor[float64]
	if oneHot {
		d = tensor.New[float64](n, classes)
		for i := range n {
			d.Data[i*classes+r.Intn(classes)] = 1
		}
	} else {
		d = tensor.New[float64](n)
		for i := range n {
			d.Data[i] = float64(r.Intn(classes))
		}
	}
	return x, d
}

func TestGradTwoLayerNet(t *testing.T) {
	r := rng.New(11)
	n := NewTwoLayerNet(20, 8, 5, 0.5, WithRand(r))
	x, d := batch(r, 6, []int{20}, 5, true)
	checkNet(t, n, x, d, 0)
}

func TestGradMultiLayerNet(t *testing.T) {
	r := rng.New(12)
	for _, cfg := range []MultiLayerNetConfig{
		{InputSize: 12, HiddenSizeList: []int{9, 7}, OutputSize: 4, Activation: "sigmoid", WeightInitStd: Xavier, UseBatchnorm: true},
		{InputSize: 12, HiddenSizeList: []int{9, 7, 6}, OutputSize: 4, WeightDecayLambda: 0.1, UseDropout: true, DropoutRatio: 0.2, UseBatchnorm: true},
		{InputSize: 12, HiddenSizeList: []int{8}, OutputSize: 4, Activation: "tanh", WeightInitStd: Std(0.3), WeightDecayLambda: 0.05},
	} {
		n := NewMultiLayerNet(cfg, WithRand(r))
		x, d := batch(r, 8, []int{12}, 4, false)
		checkNet(t, n, x, d, 0)
	}
}

func TestGradConvNets(t *testing.T) {
	r := rng.New(13)
	simple := NewSimpleConvNet(SimpleConvNetConfig{InputDim: [3]int{2, 10, 10},
		Conv: ConvParam{FilterNum: 3, FilterSize: 3, Pad: 1, Stride: 1}, HiddenSize: 6, OutputSize: 4, WeightInitStd: 0.3}, WithRand(r))
	x, d := batch(r, 3, []int{2, 10, 10}, 4, false)
	checkNet(t, simple, x, d, 0)
	for _, after := range []bool{false, true} {
		dbl := NewDoubleConvNet(DoubleConvNetConfig{InputDim: [3]int{1, 12, 12},
			Conv1: ConvParam{3, 3, 1, 1}, Conv2: ConvParam{4, 3, 1, 1}, HiddenSize: 5, OutputSize: 3, WeightInitStd: 0.3, After: after}, WithRand(r))
		x, d := batch(r, 3, []int{1, 12, 12}, 3, true)
		checkNet(t, dbl, x, d, 0)
	}
}

// TestGradDeepConvNet checks the full-size DeepConvNet (with its dropout) on
// two images, sampling 12 entries of every parameter tensor.
func TestGradDeepConvNet(t *testing.T) {
	r := rng.New(14)
	n := NewDeepConvNet(DeepConvNetConfig{}, WithRand(r))
	x, d := batch(r, 2, []int{1, 28, 28}, 10, false)
	checkNet(t, n, x, d, 12)
}

func TestWeightDecayInLossAndGradient(t *testing.T) {
	r := rng.New(15)
	cfg := MultiLayerNetConfig{InputSize: 6, HiddenSizeList: []int{5}, OutputSize: 3}
	plain := NewMultiLayerNet(cfg, WithRand(rng.New(1)))
	cfg.WeightDecayLambda = 0.3
	decayed := NewMultiLayerNet(cfg, WithRand(rng.New(1)))
	x, d := batch(r, 4, []int{6}, 3, false)
	l0 := plain.Loss(x, d)
	l1 := decayed.Loss(x, d)
	pen := 0.5 * 0.3 * (plain.Params["W1"].SumSquares() + plain.Params["W2"].SumSquares())
	if math.Abs(l1-l0-pen) > 1e-12 {
		t.Errorf("loss with decay %v, want %v + %v", l1, l0, pen)
	}
	g0 := plain.Gradient(x, d)
	w1 := g0["W1"].Clone()
	g1 := decayed.Gradient(x, d)
	for i, v := range g1["W1"].Data {
		if want := w1.Data[i] + 0.3*plain.Params["W1"].Data[i]; math.Abs(v-want) > 1e-12 {
			t.Fatalf("dW1 with decay %v, want dW + λW = %v", v, want)
		}
	}
}

func TestAccuracyBatchedCourseQuirk(t *testing.T) {
	r := rng.New(16)
	n := NewTwoLayerNet(5, 4, 3, 0.1, WithRand(r))
	x, _ := batch(r, 250, []int{5}, 3, false)
	y := n.PredictAll(x)
	d := tensor.New[float64](250)
	for i, k := range y.ArgMaxRows() {
		d.Data[i] = float64(k) // labels the net gets right
	}
	if a := n.Accuracy(x, d); a != 1 {
		t.Fatalf("Accuracy = %v, want 1", a)
	}
	if a := n.AccuracyBatched(x, d, 100); a != 0.8 {
		t.Fatalf("AccuracyBatched(250 samples, batch 100) = %v, want 0.8 (200 counted / 250)", a)
	}
}

func TestConvertFloat32(t *testing.T) {
	r := rng.New(17)
	n64 := NewSimpleConvNet(SimpleConvNetConfig{}, WithRand(r))
	n32, err := Convert[float32](n64)
	if err != nil {
		t.Fatal(err)
	}
	x, d := batch(r, 20, []int{1, 28, 28}, 10, false)
	y64 := n64.PredictAll(x)
	y32 := n32.PredictAll(tensor.Cast[float32](x))
	for i, v := range y64.Data {
		if math.Abs(v-float64(y32.Data[i])) > 1e-5*(1+math.Abs(v)) {
			t.Fatalf("score %d: float64 %v, float32 %v", i, v, y32.Data[i])
		}
	}
	l64 := n64.Loss(x, d)
	l32 := n32.Loss(tensor.Cast[float32](x), tensor.Cast[float32](d))
	if math.Abs(l64-l32) > 1e-5 {
		t.Fatalf("loss float64 %v vs float32 %v", l64, l32)
	}
}

func TestNetErrors(t *testing.T) {
	r := rng.New(18)
	conv := NewSimpleConvNet(SimpleConvNetConfig{}, WithRand(r))
	flat := tensor.New[float64](10, 784)
	for _, c := range []struct {
		f    func()
		want string
	}{
		{func() { conv.Loss(flat, tensor.New[float64](10)) }, "Flatten(false)"},
		{func() { NewTwoLayerNet(784, 10, 10, 0.01, WithRand(r)).Accuracy(flat, tensor.New[float64](9)) }, "9 labels for 10 samples"},
		{func() {
			NewTwoLayerNet(784, 10, 10, 0.01, WithRand(r)).Gradient(tensor.New[float64](0, 784), tensor.New[float64](0))
		}, "empty batch"},
		{func() { NewTwoLayerNet(784, 10, 3, 0.01, WithRand(r)).Loss(flat, tensor.Full(3.0, 10)) }, "label 3 at position 0 is not a class index in [0, 3)"},
		{func() {
			NewMultiLayerNet(MultiLayerNetConfig{InputSize: 4, HiddenSizeList: []int{3}, OutputSize: 2, Activation: "softplus"}, WithRand(r))
		}, `unknown activation "softplus"`},
		{func() {
			NewMultiLayerNet(MultiLayerNetConfig{InputSize: 4, HiddenSizeList: []int{3}, OutputSize: 2, WeightInitStd: Std(-1)}, WithRand(r))
		}, "standard deviation -1 must be a finite number ≥ 0"},
		{func() { NewTwoLayerNet(784, 0, 10, 0.01) }, "sizes must be positive"},
		{func() { NewTwoLayerNet(784, 40, 10, 0.01, WithRand(nil)) }, "a random generator is required"},
	} {
		if err := mistake.Catch(c.f); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
	// A stride that does not fit rounds down, as the course does, and the
	// summary says which pixels are not read.
	n := NewSimpleConvNet(SimpleConvNetConfig{Conv: ConvParam{FilterNum: 30, FilterSize: 5, Stride: 2}}, WithRand(r))
	if s := n.Summary(); !strings.Contains(s, "(30, 12, 12)") || !strings.Contains(s, "stride 2 leaves the last 1 row(s) and 1 column(s) unread") {
		t.Errorf("SimpleConvNet with stride 2:\n%s", s)
	}
}

func TestInit(t *testing.T) {
	for _, c := range []struct {
		init Init
		want float64
		name string
	}{{He, math.Sqrt(2.0 / 50), "He"}, {Init{}, math.Sqrt(2.0 / 50), "He"}, {Xavier, math.Sqrt(1.0 / 50), "Xavier"}, {Std(0.01), 0.01, "0.01"}, {Std(0), 0, "0"}} {
		if got := c.init.Scale(50); got != c.want || c.init.String() != c.name {
			t.Errorf("%v.Scale(50) = %v, want %v", c.init, got, c.want)
		}
	}
}

// TestFuse checks that Fuse shows in Layers and Summary, that Unfuse
// restores the course's layers, and that fusion does not change a bit of
// training: two copies of SimpleConvNet and DeepConvNet, one fused, are
// bit-identical after a few Adam steps.
func TestFuse(t *testing.T) {
	n := NewDeepConvNet(DeepConvNetConfig{}, WithRand(rng.New(1)))
	if len(n.Layers) != 20 || n.Fused() {
		t.Fatalf("%d layers before Fuse", len(n.Layers))
	}
	n.Fuse()
	if len(n.Layers) != 17 || n.Layers[3].Name != "Relu2+Pool1" || !strings.Contains(n.Summary(), "Relu2+Pool1") ||
		!strings.Contains(n.Summary(), "fused") || n.Layer("Relu2") == nil {
		t.Fatalf("after Fuse: %d layers, %q\n%s", len(n.Layers), n.Layers[3].Name, n.Summary())
	}
	if n.Unfuse(); len(n.Layers) != 20 || n.Fused() {
		t.Fatalf("Unfuse left %d layers", len(n.Layers))
	}
}

// TestFusionIdentical trains two copies of SimpleConvNet and DeepConvNet,
// one with the Relu→Pool fusion and one layer by layer, and requires
// bit-identical parameters after a few Adam steps.
func TestFusionIdentical(t *testing.T) {
	for _, build := range []func(r *rng.RandomState) *Net[float64]{
		func(r *rng.RandomState) *Net[float64] { return NewSimpleConvNet(SimpleConvNetConfig{}, WithRand(r)) },
		func(r *rng.RandomState) *Net[float64] { return NewDeepConvNet(DeepConvNetConfig{}, WithRand(r)) },
	} {
		var params [2]map[string]*tensor.Tensor[float64]
		for k, fuse := range []bool{true, false} {
			r := rng.New(3)
			n := build(r)
			if fuse {
				n.Fuse()
			}
			x, d := batch(rng.New(9), 20, []int{1, 28, 28}, 10, false)
			x.Apply(func(v float64) float64 { return v - 0.5 }) // negative inputs: windows with maxima ≤ 0
			opt := optim.NewAdam(0.01)
			for range 3 {
				g := n.Gradient(x, d)
				opt.Update(n.Params, g)
			}
			params[k] = n.Params
		}
		for name, p := range params[0] {
			for i, v := range p.Data {
				if v != params[1][name].Data[i] {
					t.Fatalf("%s[%d]: fused %v, layer by layer %v", name, i, v, params[1][name].Data[i])
				}
			}
		}
	}
}

// TestNilInputsAreErrors: a nil network, nil data or nil labels give
// messages that say what is missing, instead of a panic inside the library.
func TestNilInputsAreErrors(t *testing.T) {
	var none *Net[float64]
	x, d := tensor.New[float64](3, 4), tensor.New[float64](3)
	for name, call := range map[string]func(){
		"Accuracy":        func() { none.Accuracy(x, d) },
		"AccuracyBatched": func() { none.AccuracyBatched(x, d, 0) },
		"PredictAll":      func() { none.PredictAll(x) },
		"Predict":         func() { none.Predict(x, false) },
		"Loss":            func() { none.Loss(x, d) },
		"Gradient":        func() { none.Gradient(x, d) },
	} {
		if err := mistake.Catch(call); err == nil || !strings.Contains(err.Error(), "the network is nil") {
			t.Errorf("%s on a nil network: %v", name, err)
		}
	}
	if err := none.Check(x, d); err == nil || !strings.Contains(err.Error(), "the network is nil") {
		t.Errorf("Check on a nil network: %v", err)
	}
	n := NewTwoLayerNet(4, 3, 2, 0.1, WithRand(rng.New(1)))
	if err := mistake.Catch(func() { n.Accuracy(nil, d) }); err == nil || !strings.Contains(err.Error(), "input data are nil") {
		t.Errorf("nil data: %v", err)
	}
	if err := mistake.Catch(func() { n.Accuracy(x, nil) }); err == nil || !strings.Contains(err.Error(), "labels are nil") {
		t.Errorf("nil labels: %v", err)
	}
	if err := mistake.Catch(func() { n.Loss(x, nil) }); err == nil || !strings.Contains(err.Error(), "labels are nil") {
		t.Errorf("nil labels in Loss: %v", err)
	}
}

// TestGradientEntriesReplaceable replaces an entry of the map Gradient
// returns, as the course's weight-decay loop does (grad['W1'] = dW1 + λ·W1),
// and checks that the next Gradient call still returns the new gradient of
// W1, not the replaced tensor.
func TestGradientEntriesReplaceable(t *testing.T) {
	n := NewMultiLayerNet(MultiLayerNetConfig{InputSize: 4, HiddenSizeList: []int{3}, OutputSize: 2}, WithRand(rng.New(1)))
	x, _ := tensor.FromSlice([]float64{1, 2, 3, 4, -1, 0.5, 2, -3}, 2, 4)
	d, _ := tensor.FromSlice([]float64{0, 1}, 2)
	grad := n.Gradient(x, d)
	first := grad["W1"].Clone()
	grad["W1"] = tensor.New[float64](4, 3) // replaced by the cell
	n.Params["W1"].Data[0] += 0.5          // the network changes
	again := n.Gradient(x, d)
	if again["W1"].Data[0] == 0 && first.Data[0] != 0 {
		t.Fatalf("Gradient returned the tensor a cell put into the previous call's map")
	}
	same := true
	for i := range first.Data {
		same = same && first.Data[i] == again["W1"].Data[i]
	}
	if same {
		t.Fatalf("W1's gradient did not change after W1 changed")
	}
}

package lossparity

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/dlnb/course/datasets"
	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/optim"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/internal/pyref"
)

// A case is one training run: the Python side builds the network from the
// reference module, Go from dlnb; both draw the initial weights and the
// mini-batches from the same seed.
type testCase struct {
	name   string
	python string // builds `network`, `update(network, grad)`, data options, train_size
	iters  int
	build  func(r *rng.RandomState) (*nets.Net[float64], optim.Optimizer[float64])
	opts   []datasets.Option
	subset int // training samples used (0: all)
}

var cases = []testCase{
	{
		name: "2_1 TwoLayerNet, SGD 0.1, one-hot", iters: 60,
		python: `network = TwoLayerNet(784, 40, 10)
opt = SGD(0.1)
data = dict(one_hot_label=True)`,
		build: func(r *rng.RandomState) (*nets.Net[float64], optim.Optimizer[float64]) {
			n := nets.NewTwoLayerNet(784, 40, 10, 0.01, nets.WithRand(r))
			return n, optim.NewSGD(0.1)
		},
		opts: []datasets.Option{datasets.OneHotLabel(true)},
	},
	{
		name: "2_3 MultiLayerNet sigmoid-Xavier + BN, SGD 0.01", iters: 40,
		python: `network = MultiLayerNet(784, [40, 20], 10, activation='sigmoid', weight_init_std='Xavier', use_batchnorm=True)
opt = SGD(0.01)
data = dict()`,
		build: func(r *rng.RandomState) (*nets.Net[float64], optim.Optimizer[float64]) {
			n := nets.NewMultiLayerNet(nets.MultiLayerNetConfig{InputSize: 784, HiddenSizeList: []int{40, 20}, OutputSize: 10,
				Activation: "sigmoid", WeightInitStd: nets.Xavier, UseBatchnorm: true}, nets.WithRand(r))
			return n, optim.NewSGD(0.01)
		},
	},
	{
		name: "2_5 MultiLayerNet [100]*6, dropout 0.15, L2 0.005, 300 samples", iters: 40, subset: 300,
		python: `network = MultiLayerNet(784, [100]*6, 10, weight_decay_lambda=0.005, use_dropout=True, dropout_ratio=0.15)
opt = SGD(0.01)
data = dict()`,
		build: func(r *rng.RandomState) (*nets.Net[float64], optim.Optimizer[float64]) {
			n := nets.NewMultiLayerNet(nets.MultiLayerNetConfig{InputSize: 784, HiddenSizeList: []int{100, 100, 100, 100, 100, 100}, OutputSize: 10,
				WeightDecayLambda: 0.005, UseDropout: true, DropoutRatio: 0.15}, nets.WithRand(r))
			return n, optim.NewSGD(0.01)
		},
	},
	{
		name: "2_6 SimpleConvNet, Adam", iters: 6, subset: 5000,
		python: `network = SimpleConvNet()
opt = Adam()
data = dict(flatten=False)`,
		build: func(r *rng.RandomState) (*nets.Net[float64], optim.Optimizer[float64]) {
			n := nets.NewSimpleConvNet(nets.SimpleConvNetConfig{}, nets.WithRand(r))
			return n, optim.NewAdam(0.001)
		},
		opts: []datasets.Option{datasets.Flatten(false)},
	},
	{
		name: "2_8 DeepConvNet, Adam (dropout, loss in training mode)", iters: 3, subset: 5000,
		python: `network = DeepConvNet()
opt = Adam()
data = dict(flatten=False)`,
		build: func(r *rng.RandomState) (*nets.Net[float64], optim.Optimizer[float64]) {
			n := nets.NewDeepConvNet(nets.DeepConvNetConfig{}, nets.WithRand(r))
			return n, optim.NewAdam(0.001)
		},
		opts: []datasets.Option{datasets.Flatten(false)},
	},
}

// TestSameLossesAsTheCourse runs every case in both implementations.
func TestSameLossesAsTheCourse(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	py := pyref.Python(t)
	dir, err := filepath.Abs("../../scripts/reference")
	if err != nil {
		t.Fatal(err)
	}
	mnist := datasets.MNIST
	mnistDir, err := mnist.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			script := fmt.Sprintf(`
import json, numpy as np
from course_common import *
np.random.seed(0)
%s
(x_train, d_train), _ = load_mnist(%q, normalize=True, **data)
n = %d or x_train.shape[0]
x_train, d_train = x_train[:n], d_train[:n]
losses = []
for i in range(%d):
    mask = np.random.choice(n, 100)
    grad = network.gradient(x_train[mask], d_train[mask])
    opt.update(network.params, grad)
    losses.append(float(network.loss(x_train[mask], d_train[mask], train_flg=network.loss_train)))
print(json.dumps(losses))`, c.python, mnistDir, c.subset, c.iters)
			var want []float64
			if err := json.Unmarshal(pyref.Run(t, py, dir, script), &want); err != nil {
				t.Fatal(err)
			}
			ds, err := datasets.LoadMNIST(c.opts...)
			if err != nil {
				t.Fatal(err)
			}
			x, d := ds.Train.X, ds.Train.D
			if c.subset > 0 {
				x, d = x.Slice(0, c.subset), d.Slice(0, c.subset)
			}
			r := rng.New(0)
			network, opt := c.build(r)
			worst := 0.0
			for i := range c.iters {
				mask, _ := r.ChoiceN(x.Rows(), 100)
				xb, db := x.Take(mask), d.Take(mask)
				g := network.Gradient(xb, db)
				opt.Update(network.Params, g)
				loss := network.Loss(xb, db)
				rel := math.Abs(loss-want[i]) / math.Abs(want[i])
				worst = math.Max(worst, rel)
				if rel > 1e-9 {
					t.Fatalf("iteration %d: loss %.17g, course code %.17g (relative difference %.2g)", i+1, loss, want[i], rel)
				}
			}
			t.Logf("%d iterations, largest relative loss difference %.2g", c.iters, worst)
		})
	}
}

package nets

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlnb/course/datasets"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
	"github.com/dlnb/course/internal/pyref"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	r := rng.New(1)
	n := NewMultiLayerNet(MultiLayerNetConfig{InputSize: 6, HiddenSizeList: []int{5, 4}, OutputSize: 3, UseBatchnorm: true}, WithRand(r))
	x, d := batch(r, 8, []int{6}, 3, false)
	g := n.Gradient(x, d) // trains the running statistics once
	for k, p := range n.Params {
		p.AddScaled(-0.1, g[k])
	}
	path := filepath.Join(t.TempDir(), "net.npz")
	if err := n.Save(path); err != nil {
		t.Fatal(err)
	}
	m, err := Load[float64](path, rng.New(2))
	if err != nil {
		t.Fatal(err)
	}
	y1 := n.PredictAll(x)
	y2 := m.PredictAll(x)
	for i := range y1.Data {
		if y1.Data[i] != y2.Data[i] {
			t.Fatalf("prediction %d differs after reload: %v vs %v", i, y1.Data[i], y2.Data[i])
		}
	}
	m32, err := Load[float32](path, rng.New(2)) // a float64 file into the fast path
	if err != nil {
		t.Fatal(err)
	}
	y3 := m32.PredictAll(tensor.Cast[float32](x))
	for i := range y1.Data {
		if math.Abs(y1.Data[i]-float64(y3.Data[i])) > 1e-5*math.Max(1, math.Abs(y1.Data[i])) {
			t.Fatalf("float32 reload differs: %v vs %v", y1.Data[i], y3.Data[i])
		}
	}
}

func TestLoadParamsErrors(t *testing.T) {
	r := rng.New(3)
	n := NewTwoLayerNet(4, 3, 2, 0.1, WithRand(r))
	other := NewTwoLayerNet(4, 5, 2, 0.1, WithRand(r))
	dir := t.TempDir()
	p := filepath.Join(dir, "other.npz")
	other.Save(p)
	if err := n.LoadParams(p); err == nil || !strings.Contains(err.Error(), "W1 is (4, 5) in the file, (4, 3) in the network") {
		t.Errorf("wrong shapes: %v", err)
	}
	small := NewMultiLayerNet(MultiLayerNetConfig{InputSize: 4, HiddenSizeList: []int{3, 3}, OutputSize: 2}, WithRand(r))
	n.Save(p)
	if err := small.LoadParams(p); err == nil || !strings.Contains(err.Error(), "missing W3") {
		t.Errorf("missing parameter: %v", err)
	}
	b, _ := os.ReadFile(p)
	os.WriteFile(p, b[:len(b)-40], 0o644)
	if err := n.LoadParams(p); err == nil || !strings.Contains(err.Error(), "truncated or corrupt") {
		t.Errorf("truncated file: %v", err)
	}
	os.WriteFile(p, []byte("hello"), 0o644)
	if err := n.LoadParams(p); err == nil || !strings.Contains(err.Error(), "neither an .npz archive nor a pickle") {
		t.Errorf("text file: %v", err)
	}
	if err := n.LoadParams(filepath.Join(dir, "nope.npz")); err == nil || !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("missing file: %v", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

// TestPredictionsMatchNumPy saves a SimpleConvNet from Go, loads the file in
// NumPy into the course's SimpleConvNet (scripts/reference), and compares the
// scores on 50 test images; then loads a pickle the Python side writes
// (save_params style) into a Go network and compares again.
func TestPredictionsMatchNumPy(t *testing.T) {
	py := pyref.Python(t)
	ref, _ := filepath.Abs("../../scripts/reference")
	dir := t.TempDir()
	r := rng.New(4)
	n := NewSimpleConvNet(SimpleConvNetConfig{}, WithRand(r))
	for _, p := range n.Params { // make the weights less trivial than the init
		for i := range p.Data {
			p.Data[i] += 0.01 * math.Sin(float64(i))
		}
	}
	if err := n.Save(filepath.Join(dir, "simple.npz")); err != nil {
		t.Fatal(err)
	}
	ds, err := datasets.LoadMNIST(datasets.Flatten(false))
	if err != nil {
		t.Fatal(err)
	}
	x := ds.Test.X.Slice(0, 50)
	mnistDir, _ := datasets.MNIST.Default()
	out := pyref.Run(t, py, ref, `
import json, pickle, numpy as np
from course_common import SimpleConvNet, load_mnist
_, (x, _) = load_mnist(`+"'"+mnistDir+"'"+`, flatten=False)
net = SimpleConvNet()
z = np.load('`+dir+`/simple.npz')
for k in net.params:
    net.params[k][...] = z[k]
y = net.predict(x[:50])
np.random.seed(7)
net2 = SimpleConvNet()
with open('`+dir+`/params.pkl', 'wb') as f:
    pickle.dump({k: v for k, v in net2.params.items()}, f)
print(json.dumps([y.ravel().tolist(), net2.predict(x[:50]).ravel().tolist()]))`)
	var want [2][]float64
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	y := n.PredictAll(x)
	for i, v := range want[0] {
		if math.Abs(v-y.Data[i]) > 1e-12*math.Max(1, math.Abs(v)) {
			t.Fatalf("score %d: Go %v, NumPy %v", i, y.Data[i], v)
		}
	}
	m := NewSimpleConvNet(SimpleConvNetConfig{}, WithRand(rng.New(9)))
	if err := m.LoadParams(filepath.Join(dir, "params.pkl")); err != nil {
		t.Fatal(err)
	}
	y2 := m.PredictAll(x)
	for i, v := range want[1] {
		if math.Abs(v-y2.Data[i]) > 1e-12*math.Max(1, math.Abs(v)) {
			t.Fatalf("pickle-loaded score %d: Go %v, NumPy %v", i, y2.Data[i], v)
		}
	}
}

// TestLoadDetectsFormatByContent: nets.Load of a valid book pickle (named
// .npz here, to show the extension does not matter) says it holds
// parameters only, not "truncated or corrupt"; LoadParams reads it; an .npz
// named .pkl loads; a folder is reported as a folder.
func TestLoadDetectsFormatByContent(t *testing.T) {
	py := pyref.Python(t)
	dir := t.TempDir()
	pyref.Run(t, py, dir, `
import pickle, numpy as np
rng = np.random.RandomState(0)
params = {'W1': rng.randn(4, 3), 'b1': rng.randn(3), 'W2': rng.randn(3, 2), 'b2': rng.randn(2)}
with open('params.npz', 'wb') as f:
    pickle.dump(params, f)
`)
	pkl := filepath.Join(dir, "params.npz")
	_, err := Load[float64](pkl, rng.New(1))
	var po *ParamsOnlyError
	if !errors.As(err, &po) || strings.Contains(err.Error(), "corrupt") || !strings.Contains(err.Error(), "LoadParams") {
		t.Errorf("Load of a pickle: %v, want a ParamsOnlyError pointing at LoadParams", err)
	}
	n := NewTwoLayerNet(4, 3, 2, 0.1, WithRand(rng.New(2)))
	if err := n.LoadParams(pkl); err != nil {
		t.Errorf("LoadParams of the same pickle: %v", err)
	}
	npz := filepath.Join(dir, "model.pkl")
	if err := n.Save(npz); err != nil {
		t.Fatal(err)
	}
	if _, err := Load[float64](npz, rng.New(1)); err != nil {
		t.Errorf("Load of an .npz named .pkl: %v", err)
	}
	run := filepath.Join(dir, "run")
	os.Mkdir(run, 0o755)
	for _, load := range []func(string) error{
		func(p string) error { _, err := Load[float64](p, rng.New(1)); return err },
		func(p string) error { return n.LoadParams(p) },
	} {
		err := load(run)
		if err == nil || !strings.Contains(err.Error(), "is a folder") || strings.Contains(err.Error(), "corrupt") {
			t.Errorf("a folder: %v", err)
		}
	}
	n.Save(filepath.Join(run, "model.npz"))
	if err := n.LoadParams(run); err == nil || !strings.Contains(err.Error(), filepath.Join(run, "model.npz")) {
		t.Errorf("a run folder: %v, want the model.npz inside named", err)
	}
}

// TestModelInfoAndFiniteWeights: SaveWithInfo records how a model was
// trained (ReadInfo returns it; Save records nothing), and CheckFinite names
// the parameters holding NaN or Inf.
func TestModelInfoAndFiniteWeights(t *testing.T) {
	n := Float32(NewTwoLayerNet(4, 3, 2, 0.1, WithRand(rng.New(2))))
	dir := t.TempDir()
	info := &ModelInfo{Dataset: "fashion", Net: "twolayer", Precision: "float32", Seed: 3, Iters: 40}
	if err := n.SaveWithInfo(filepath.Join(dir, "a.npz"), info); err != nil {
		t.Fatal(err)
	}
	arrays, err := ReadParams(filepath.Join(dir, "a.npz"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadInfo(arrays, "a.npz")
	if err != nil || got == nil || *got != *info {
		t.Errorf("ReadInfo: %+v, %v; want %+v", got, err, info)
	}
	if _, err := Load[float64](filepath.Join(dir, "a.npz"), rng.New(1)); err != nil {
		t.Errorf("a model with info does not load: %v", err)
	}
	n.Save(filepath.Join(dir, "b.npz"))
	arrays, _ = ReadParams(filepath.Join(dir, "b.npz"))
	if got, err := ReadInfo(arrays, "b.npz"); got != nil || err != nil {
		t.Errorf("ReadInfo without info: %+v, %v", got, err)
	}
	if err := n.CheckFinite(); err != nil {
		t.Errorf("finite weights: %v", err)
	}
	n.Params["W2"].Data[1] = float32(math.NaN())
	n.Params["b1"].Data[0] = float32(math.Inf(1))
	err = n.CheckFinite()
	if err == nil || !strings.Contains(err.Error(), "W2 has 1 NaN") || !strings.Contains(err.Error(), "b1 has 0 NaN and 1 infinite") {
		t.Errorf("NaN weights: %v", err)
	}
}

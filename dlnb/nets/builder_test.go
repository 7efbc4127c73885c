package nets

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// TestBuilderMatchesDoubleConvNet: DoubleConvNet written as a layer list
// draws the same weights as the course's constructor.
func TestBuilderMatchesDoubleConvNet(t *testing.T) {
	want := NewDoubleConvNet(DoubleConvNetConfig{}, WithRand(rng.New(3)))
	got := Builder{Name: "mine", Input: []int{1, 28, 28}, Init: Std(0.01), Rand: rng.New(3)}.Build(
		Conv(10, 7).Pad(1), Relu(), MaxPool(2, 2),
		Conv(20, 3).Pad(1), Relu(), MaxPool(2, 2),
		Affine(100), Relu(), Affine(10))
	for _, name := range want.ParamNames {
		for i, v := range want.Params[name].Data {
			if got.Params[name].Data[i] != v {
				t.Fatalf("%s differs", name)
			}
		}
	}
	if got.Summary() == "" || len(got.Layers) != len(want.Layers) || got.Layers[5].Name != "Pool2" {
		t.Fatalf("layers %v", got.Layers)
	}
}

// TestBuilderMistakes: a layer that does not fit names itself and the shape.
func TestBuilderMistakes(t *testing.T) {
	for _, c := range []struct {
		defs []LayerDef
		want string
	}{
		{[]LayerDef{Conv(6, 5), Relu(), MaxPool(2, 2), Conv(16, 5), Relu(), MaxPool(2, 2), Conv(8, 5), Affine(10)},
			"layer 7 (Conv3, convolution 8@5×5) does not fit its input of shape (16, 4, 4)"},
		{[]LayerDef{Affine(10), Conv(3, 3)}, "layer 2 (Conv1, convolution 3@3×3) does not fit its input of shape (10,)"},
		{[]LayerDef{Conv(4, 3), Relu()}, "not a vector of class scores: end with Affine(classes)"},
		{[]LayerDef{Conv(0, 3), Affine(10)}, "sizes must be positive"},
	} {
		err := mistake.Catch(func() { Sequential("try", []int{1, 28, 28}, c.defs...) })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}

// TestLeNetAndAlexNetLayersSaveAndLoad builds a net with every new kind of
// layer, saves it and loads it back.
func TestLeNetAndAlexNetLayersSaveAndLoad(t *testing.T) {
	n := Builder{Name: "all kinds", Input: []int{1, 32, 32}, Rand: rng.New(1)}.Build(
		Conv(6, 5), Tanh(), AvgPool(2, 2), Conv(16, 5).Init(Std(0.1)), Relu(), LRN(), MaxPool(3, 2),
		Conv(8, 3).Pad(1), Relu(), GlobalAvgPool(), Affine(20), Sigmoid(), BatchNorm(), Dropout(0.3), Affine(10))
	x := tensor.New[float64](4, 1, 32, 32)
	rng.New(2).FillUniform(x.Data)
	y := n.PredictAll(x)
	path := filepath.Join(t.TempDir(), "m.npz")
	if err := n.Save(path); err != nil {
		t.Fatal(err)
	}
	m, err := Load[float64](path, rng.New(1))
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range m.PredictAll(x).Data {
		if v != y.Data[i] {
			t.Fatalf("loaded model predicts %v, saved %v", v, y.Data[i])
		}
	}
	g := Sequential("flat vs global max", []int{3, 8, 8}, Conv(4, 3), Relu(), GlobalMaxPool(), Affine(5))
	f := Sequential("flatten", []int{3, 8, 8}, Conv(4, 3), Relu(), Flatten(), Affine(5))
	if g.ParamCount() >= f.ParamCount() {
		t.Errorf("global pooling (%d parameters) should need fewer than flatten (%d)", g.ParamCount(), f.ParamCount())
	}
}

package augment

import (
	"math"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

func img3x3() *tensor.Tensor[float64] {
	t, _ := tensor.FromSlice([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3)
	return t
}

func same(t *testing.T, what string, got *tensor.Tensor[float64], want []float64, tol float64) {
	t.Helper()
	for i, v := range want {
		if math.Abs(got.Data[i]-v) > tol {
			t.Fatalf("%s = %v, want %v", what, got.Data, want)
		}
	}
}

func TestShiftFlipRotate(t *testing.T) {
	s, _ := Shift(img3x3(), 1, -1)
	same(t, "shift down 1, left 1", s, []float64{0, 0, 0, 2, 3, 0, 5, 6, 0}, 0)
	f, _ := FlipH(img3x3())
	same(t, "flip", f, []float64{3, 2, 1, 6, 5, 4, 9, 8, 7}, 0)
	r0, _ := Rotate(img3x3(), 0)
	same(t, "rotate 0°", r0, img3x3().Data, 1e-12)
	r90, _ := Rotate(img3x3(), 90) // counter-clockwise: the top row becomes the left column
	same(t, "rotate 90°", r90, []float64{3, 6, 9, 2, 5, 8, 1, 4, 7}, 1e-9)
	r360, _ := Rotate(img3x3(), 360)
	same(t, "rotate 360°", r360, img3x3().Data, 1e-9)
}

func TestNoise(t *testing.T) {
	x := tensor.New[float64](1, 100, 100)
	n, _ := AddNoise(x, 0.1, rng.New(1))
	if m, s := n.Mean(), math.Sqrt(n.SumSquares()/1e4); math.Abs(m) > 0.005 || math.Abs(s-0.1) > 0.005 {
		t.Errorf("noise mean %v, std %v; want 0, 0.1", m, s)
	}
}

func TestAugmentIsDeterministicForASeed(t *testing.T) {
	r := rng.New(0)
	x := tensor.New[float64](4, 784)
	r.FillUniform(x.Data)
	a := Augmentation{Pad: 2, FlipH: true, Rotate: 10, Noise: 0.05}
	shape := []int{1, 28, 28}
	y1, err := Augment(x, shape, a, rng.New(7))
	if err != nil {
		t.Fatal(err)
	}
	y2, _ := Augment(x, shape, a, rng.New(7))
	y3, _ := Augment(x, shape, a, rng.New(8))
	for i := range y1.Data {
		if y1.Data[i] != y2.Data[i] {
			t.Fatal("the same seed gave another batch")
		}
	}
	diff := 0
	for i := range y1.Data {
		if y1.Data[i] != y3.Data[i] {
			diff++
		}
	}
	if diff == 0 {
		t.Fatal("another seed gave the same batch")
	}
	if !tensor.SameShape(y1.Shape, x.Shape) {
		t.Fatalf("shape %v", y1.Shape)
	}
	// The zero Augmentation changes nothing.
	z, _ := Augment(x, shape, Augmentation{}, rng.New(1))
	for i := range z.Data {
		if z.Data[i] != x.Data[i] {
			t.Fatal("Augmentation{} changed the images")
		}
	}
	// float32 batches too.
	if _, err := Augment(tensor.Cast[float32](x), shape, a, rng.New(7)); err != nil {
		t.Fatal(err)
	}
}

func TestAugmentBadArguments(t *testing.T) {
	x := tensor.New[float64](2, 784)
	r := rng.New(0)
	for _, c := range []struct {
		shape []int
		a     Augmentation
		want  string
	}{
		{[]int{1, 28, 27}, Augmentation{}, "are not (1, 28, 27) images"},
		{[]int{784}, Augmentation{}, "needs the (C, H, W) shape"},
		{[]int{1, 28, 28}, Augmentation{Pad: 28}, "padding 28 must be ≥ 0 and smaller than the 28×28 image"},
		{[]int{1, 28, 28}, Augmentation{Noise: -1}, "noise -1"},
		{[]int{1, 28, 28}, Augmentation{Rotate: 200}, "between 0 and 180"},
	} {
		if _, err := Augment(x, c.shape, c.a, r); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %+v: %v, want %q", c.shape, c.a, err, c.want)
		}
	}
	if _, err := RandomCrop(tensor.New[float64](28, 28, 1), 29, 10, r); err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Errorf("crop larger than the image: %v", err)
	}
	if _, err := Shift(tensor.New[float64](28, 28), 1, 1); err == nil || !strings.Contains(err.Error(), "(C, H, W)") {
		t.Errorf("Shift of a 2-D array: %v", err)
	}
}

func TestApplyIsAugmentAndStopsOnMistakes(t *testing.T) {
	x := tensor.New[float64](4, 9)
	for i := range x.Data {
		x.Data[i] = float64(i % 7)
	}
	a := Augmentation{Pad: 1, Rotate: 20, Noise: 0.1}
	want, err := Augment(x, []int{1, 3, 3}, a, rng.New(3))
	if err != nil {
		t.Fatal(err)
	}
	got := a.Apply(x, []int{1, 3, 3}, rng.New(3))
	same(t, "Apply", got, want.Data, 0)
	err = mistake.Catch(func() { Augmentation{Pad: 3}.Apply(x, []int{1, 3, 3}, rng.New(0)) })
	if err == nil || !strings.Contains(err.Error(), "padding 3") {
		t.Fatalf("Apply with padding 3 on 3×3 images: %v", err)
	}
	err = mistake.Catch(func() { a.Apply(x, []int{1, 28, 28}, rng.New(0)) })
	if err == nil || !strings.Contains(err.Error(), "are not (1, 28, 28) images") {
		t.Fatalf("Apply on samples of the wrong size: %v", err)
	}
}

package augment

import (
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

func TestPadImages(t *testing.T) {
	x := tensor.New[float32](2, 1, 2, 3)
	for i := range x.Data {
		x.Data[i] = float32(i + 1)
	}
	got := PadImages(x, 1)
	if s := tensor.ShapeString(got.Shape); s != "(2, 1, 4, 5)" {
		t.Fatalf("shape %s", s)
	}
	want := []float32{
		0, 0, 0, 0, 0,
		0, 1, 2, 3, 0,
		0, 4, 5, 6, 0,
		0, 0, 0, 0, 0,
		0, 0, 0, 0, 0,
		0, 7, 8, 9, 0,
		0, 10, 11, 12, 0,
		0, 0, 0, 0, 0,
	}
	for i, v := range want {
		if got.Data[i] != v {
			t.Fatalf("padded[%d] = %v, want %v\n%v", i, got.Data[i], v, got.Data)
		}
	}
	if err := mistake.Catch(func() { PadImages(tensor.New[float64](3, 784), 2) }); err == nil || !strings.Contains(err.Error(), "(N, C, H, W)") {
		t.Errorf("flat images: %v", err)
	}
}

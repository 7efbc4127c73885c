package augment

import (
	"testing"

	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

func TestRandomCrop(t *testing.T) {
	img := tensor.New[float64](5, 6, 3)
	for i := range img.Data {
		img.Data[i] = float64(i)
	}
	r := rng.New(3)
	corners := map[float64]bool{}
	for range 200 {
		c, err := RandomCrop(img, 4, 4, r)
		if err != nil {
			t.Fatal(err)
		}
		// The crop is a contiguous window: its pixel (y, x, ch) is the image's
		// (top+y, left+x, ch).
		top, left := int(c.Data[0])/(6*3), (int(c.Data[0])%(6*3))/3
		for y := range 4 {
			for x := range 4 {
				for ch := range 3 {
					if c.At(y, x, ch) != img.At(top+y, left+x, ch) {
						t.Fatal("crop is not a window of the image")
					}
				}
			}
		}
		corners[c.Data[0]] = true
	}
	if len(corners) != 2*3 { // (5−4+1)·(6−4+1) positions, all reached
		t.Fatalf("%d distinct crop positions, want 6", len(corners))
	}
	if _, err := RandomCrop(img, 6, 2, r); err == nil {
		t.Error("crop taller than the image accepted")
	}
}

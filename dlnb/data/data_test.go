package data

import (
	"testing"

	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

func TestSamplerWithReplacementIsNumPyChoice(t *testing.T) {
	s, err := NewSampler(60000, 100, false, rng.New(42))
	if err != nil {
		t.Fatal(err)
	}
	ref := rng.New(42)
	for range 3 {
		want, _ := ref.Choice(make([]int, 100), 60000)
		got := s.Next()
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("batch differs from np.random.choice at %d", i)
			}
		}
	}
}

func TestSamplerEpochs(t *testing.T) {
	s, _ := NewSampler(10, 3, true, rng.New(1))
	seen := map[int]int{}
	for range 3 {
		for _, i := range s.Next() {
			seen[i]++
		}
	}
	for i, c := range seen {
		if c != 1 {
			t.Fatalf("index %d drawn %d times in one epoch", i, c)
		}
	}
	s.Next()
	if s.Epoch() != 1 {
		t.Fatalf("epoch %d after 4 batches of 3 out of 10", s.Epoch())
	}
	if _, err := NewSampler(0, 3, false, rng.New(1)); err == nil {
		t.Error("empty dataset accepted")
	}
}

func TestBatcherAndSlices(t *testing.T) {
	x, _ := tensor.FromSlice([]float64{0, 1, 2, 3, 4, 5}, 3, 2)
	d, _ := tensor.FromSlice([]float64{7, 8, 9}, 3)
	var b Batcher[float64]
	xb, db, err := b.Take(x, d, []int{2, 0})
	if err != nil || xb.Data[0] != 4 || xb.Data[3] != 1 || db.Data[0] != 9 {
		t.Fatalf("Take = %v %v %v", xb, db, err)
	}
	if _, _, err := b.Take(x, tensor.New[float64](2), []int{0}); err == nil {
		t.Error("3 samples with 2 labels accepted")
	}
	s, _ := Slices(250, 100)
	if len(s) != 3 || s[2] != [2]int{200, 250} {
		t.Fatalf("Slices = %v", s)
	}
}

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

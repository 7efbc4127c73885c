package batch

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

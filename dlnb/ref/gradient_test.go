package ref

import (
	"math"
	"testing"

	"github.com/dlnb/course/dlnb/np"
)

func TestNumericalGradient(t *testing.T) {
	x := np.Reshape(np.Add(np.Arange(3), 1), 1, 3)
	// f = Σ x², ∂f/∂x = 2x.
	g := NumericalGradient(func() float64 { return x.SumSquares() }, x)
	for i, v := range []float64{2, 4, 6} {
		if math.Abs(g.Data[i]-v) > 1e-8 {
			t.Errorf("numerical gradient %v, want %v", g.Data, v)
		}
	}
	if x.Data[1] != 2 {
		t.Error("x not restored")
	}
}

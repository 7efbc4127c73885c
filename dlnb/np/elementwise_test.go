package np

import (
	"fmt"
	"math"
	"testing"

	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// naiveBroadcast is broadcasting written out: for every output index, the
// index into each operand with its broadcast axes held at 0.
func naiveBroadcast(a, b *Array, f func(x, y float64) float64) *Array {
	shape, ok := broadcastShape(a.Shape, b.Shape)
	if !ok {
		panic("no broadcast")
	}
	out := tensor.New[float64](shape...)
	at := func(x *Array, idx []int) float64 {
		off := 0
		for d, n := range x.Shape {
			i := idx[len(idx)-len(x.Shape)+d]
			if n == 1 {
				i = 0
			}
			off = off*n + i
		}
		return x.Data[off]
	}
	idx := make([]int, len(shape))
	for k := range out.Data {
		rem := k
		for d := len(shape) - 1; d >= 0; d-- {
			idx[d] = rem % shape[d]
			rem /= shape[d]
		}
		out.Data[k] = f(at(a, idx), at(b, idx))
	}
	return out
}

// TestBroadcastMatchesNaive checks the run-by-run broadcast against the
// written-out one, bit for bit, on shapes that broadcast along every kind of
// axis, including outputs large enough to be split across the cores.
func TestBroadcastMatchesNaive(t *testing.T) {
	r := rng.New(3)
	pairs := [][2][]int{
		{{4, 3}, {4, 3}}, {{4, 3}, {3}}, {{3}, {4, 3}}, {{4, 3}, {4, 1}}, {{4, 1}, {4, 3}},
		{{4, 1}, {1, 3}}, {{4, 1}, {1}}, {{}, {2, 5}}, {{2, 5}, {}}, {{}, {}},
		{{2, 1, 4, 1}, {3, 1, 5}}, {{2, 3, 4, 5}, {3, 1, 5}}, {{2, 3, 1, 5}, {2, 1, 4, 1}},
		{{1000, 40}, {40}}, {{40}, {1000, 40}}, {{10000, 10}, {10000, 1}}, {{70, 600}, {1, 600}},
		{{3, 5000, 1}, {1, 1, 7}}, {{50000}, {50000}}, {{0, 3}, {3}}, {{3, 0}, {1, 0}},
	}
	ops := map[string]func(x, y float64) float64{
		"sub": func(x, y float64) float64 { return x - y },
		"div": func(x, y float64) float64 { return x / y },
	}
	for _, p := range pairs {
		a, b := randArray(r, p[0]...), randArray(r, p[1]...)
		for name, f := range ops {
			t.Run(fmt.Sprintf("%v%s%v", p[0], name, p[1]), func(t *testing.T) {
				got, want := broadcast("test", a, b, f), naiveBroadcast(a, b, f)
				if !tensor.SameShape(got.Shape, want.Shape) {
					t.Fatalf("shape %v, want %v", got.Shape, want.Shape)
				}
				for i := range want.Data {
					if math.Float64bits(got.Data[i]) != math.Float64bits(want.Data[i]) {
						t.Fatalf("element %d = %v, want %v", i, got.Data[i], want.Data[i])
					}
				}
			})
		}
	}
}

// TestDotSplitMatchesSingleCall checks that np.Dot, whose rows are split
// across the cores, gives bit for bit the single GEMM call's numbers.
func TestDotSplitMatchesSingleCall(t *testing.T) {
	r := rng.New(4)
	for _, s := range [][3]int{{10000, 40, 784}, {100, 40, 784}, {784, 40, 100}, {999, 100, 300}, {3000, 10, 20}} {
		m, n, k := s[0], s[1], s[2]
		a, b := randArray(r, m, k), randArray(r, k, n)
		want := tensor.New[float64](m, n)
		tensor.Gemm(false, false, m, n, k, 1, a.Data, k, b.Data, n, 0, want.Data, n)
		got := Dot(a, b)
		for i := range want.Data {
			if math.Float64bits(got.Data[i]) != math.Float64bits(want.Data[i]) {
				t.Fatalf("%v: element %d = %v, single call %v", s, i, got.Data[i], want.Data[i])
			}
		}
	}
}

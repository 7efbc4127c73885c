package main

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/gomlx/gomlx/backends"
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

func init() {
	installConvGradient()
	installGemmDotGradient()
}

func testBackend(t *testing.T) backends.Backend {
	b, err := newBackend(runtime.NumCPU())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Finalize)
	return b
}

func randomData(r *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = r.NormFloat64()
	}
	return v
}

func flat(t *testing.T, x *tensors.Tensor) []float64 {
	v, err := tensors.CopyFlatData[float64](x)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkGradients compares the gradients of loss = Σ f(a, b)·r with respect to
// a and b (GoMLX's autodiff, with this package's gradient functions) against
// central differences. f is bilinear in a and b, so the differences are exact
// up to rounding.
func checkGradients(t *testing.T, name string, f func(a, b *Node) *Node, aDims, bDims, outDims []int) {
	t.Helper()
	backend := testBackend(t)
	r := rand.New(rand.NewPCG(1, 2))
	size := func(d []int) int {
		n := 1
		for _, v := range d {
			n *= v
		}
		return n
	}
	a := randomData(r, size(aDims))
	b := randomData(r, size(bDims))
	weights := randomData(r, size(outDims))
	lossFn := func(a, b, w *Node) *Node { return ReduceAllSum(Mul(f(a, b), w)) }
	gradExec, err := NewExec(backend, func(a, b, w *Node) []*Node {
		a2 := Neg(Neg(a)) // not a Parameter: convDirect's gradient skips the input images
		loss := lossFn(a2, b, w)
		return Gradient(loss, a2, b)
	})
	if err != nil {
		t.Fatal(err)
	}
	lossExec, err := NewExec(backend, lossFn)
	if err != nil {
		t.Fatal(err)
	}
	tw := tensors.FromFlatDataAndDimensions(weights, outDims...)
	eval := func(a, b []float64) float64 {
		out, err := lossExec.Exec(tensors.FromFlatDataAndDimensions(a, aDims...), tensors.FromFlatDataAndDimensions(b, bDims...), tw)
		if err != nil {
			t.Fatal(err)
		}
		return flat(t, out[0])[0]
	}
	grads, err := gradExec.Exec(tensors.FromFlatDataAndDimensions(a, aDims...), tensors.FromFlatDataAndDimensions(b, bDims...), tw)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	const eps = 1e-3
	for gi, v := range [][]float64{a, b} {
		got := flat(t, grads[gi])
		for i := range v {
			keep := v[i]
			v[i] = keep + eps
			up := eval(a, b)
			v[i] = keep - eps
			down := eval(a, b)
			v[i] = keep
			want := (up - down) / (2 * eps)
			if math.Abs(got[i]-want) > 1e-6*(1+math.Abs(want)) {
				t.Fatalf("%s: gradient %d [%d] = %g, central difference %g", name, gi, i, got[i], want)
			}
		}
	}
}

func TestConvGradients(t *testing.T) {
	for _, c := range []struct{ k, pad, cin, cout int }{{3, 0, 1, 4}, {3, 1, 3, 4}, {3, 2, 2, 3}, {5, 0, 1, 2}, {7, 1, 1, 2}} {
		h := 8
		ho := h + 2*c.pad - c.k + 1
		for _, im2col := range []bool{false, true} {
			conv := convDirect
			name := "direct"
			if im2col {
				conv, name = convIm2col, "im2col"
			}
			pad := c.pad
			checkGradients(t, name, func(x, w *Node) *Node { return conv(x, w, pad) },
				[]int{2, h, h, c.cin}, []int{c.k, c.k, c.cin, c.cout}, []int{2, ho, ho, c.cout})
		}
	}
}

func TestDotGradient(t *testing.T) {
	checkGradients(t, "dot", Dot, []int{5, 7}, []int{7, 3}, []int{5, 3})
}

// TestIm2colMatchesConvolve checks convIm2col against GoMLX's Convolve, and
// pool2 against GoMLX's MaxPool.
func TestIm2colMatchesConvolve(t *testing.T) {
	backend := testBackend(t)
	r := rand.New(rand.NewPCG(3, 4))
	x := tensors.FromFlatDataAndDimensions(randomData(r, 2*12*12*3), 2, 12, 12, 3)
	w := tensors.FromFlatDataAndDimensions(randomData(r, 3*3*3*5), 3, 3, 3, 5)
	exec, err := NewExec(backend, func(x, w *Node) []*Node {
		return []*Node{convDirect(x, w, 2), convIm2col(x, w, 2), pool2(x), MaxPool(x).Window(2).Done()}
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Exec(x, w)
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]int{{0, 1}, {2, 3}} {
		a, b := flat(t, out[pair[0]]), flat(t, out[pair[1]])
		if len(a) != len(b) {
			t.Fatalf("outputs %v: sizes %d and %d", pair, len(a), len(b))
		}
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-9 {
				t.Fatalf("outputs %v differ at %d: %g and %g", pair, i, a[i], b[i])
			}
		}
	}
}

package tensor

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/internal/pyref"
)

func mustT(t *testing.T, data []float64, shape ...int) *Tensor[float64] {
	t.Helper()
	x, err := FromSlice(data, shape...)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestMatMulAndShapeErrors(t *testing.T) {
	a := mustT(t, []float64{1, 2, 3, 4, 5, 6}, 2, 3)
	b := mustT(t, []float64{7, 8, 9, 10, 11, 12}, 3, 2)
	c := MatMul(a, b)
	want := []float64{58, 64, 139, 154}
	for i, v := range want {
		if c.Data[i] != v {
			t.Fatalf("MatMul = %v, want %v", c.Data, want)
		}
	}
	err := mistake.Catch(func() { MatMul(a, a) })
	var se *ShapeError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "(2, 3) and (2, 3)") || !strings.Contains(err.Error(), "inner dimensions 3 and 2") {
		t.Fatalf("MatMul(2×3, 2×3) error = %v", err)
	}
	if err := mistake.Catch(func() { a.AddScaled(1, b) }); err == nil || !strings.Contains(err.Error(), "(2, 3) and (3, 2)") {
		t.Fatalf("AddScaled with mismatched shapes: %v", err)
	}
	// Transposed operands: aᵀ·a is 3×3.
	ata := New[float64](3, 3)
	if MatMulInto(ata, a, a, true, false); ata.Data[0] != 17 || ata.Data[8] != 45 {
		t.Fatalf("aᵀa = %v", ata.Data)
	}
}

func TestParallelGemmMatchesNaive(t *testing.T) {
	for _, tc := range []struct {
		m, n, k int
		ta, tb  bool
	}{{100, 100, 4320, false, false}, {4320, 100, 100, true, false}, {100, 4320, 100, false, true}, {7, 3, 5, true, true}} {
		a := New[float64](tc.m*tc.k + 1)
		b := New[float64](tc.k*tc.n + 1)
		for i := range a.Data {
			a.Data[i] = math.Sin(float64(i))
		}
		for i := range b.Data {
			b.Data[i] = math.Cos(float64(i) * 0.7)
		}
		lda, ldb := tc.k, tc.n
		if tc.ta {
			lda = tc.m
		}
		if tc.tb {
			ldb = tc.k
		}
		c := make([]float64, tc.m*tc.n)
		ParallelGemm(tc.ta, tc.tb, tc.m, tc.n, tc.k, 1, a.Data, lda, b.Data, ldb, 0, c, tc.n)
		for i := range tc.m {
			for j := range tc.n {
				s := 0.0
				for p := range tc.k {
					ia, ib := i*lda+p, p*ldb+j
					if tc.ta {
						ia = p*lda + i
					}
					if tc.tb {
						ib = j*ldb + p
					}
					av, bv := a.Data[ia], b.Data[ib]
					s += av * bv
				}
				if math.Abs(s-c[i*tc.n+j]) > 1e-9*(1+math.Abs(s)) {
					t.Fatalf("%+v: c[%d,%d] = %v, want %v", tc, i, j, c[i*tc.n+j], s)
				}
			}
		}
	}
}

func TestReshapePermute(t *testing.T) {
	x := mustT(t, []float64{0, 1, 2, 3, 4, 5}, 1, 2, 3)
	if y := x.Reshape(-1, 3); !SameShape(y.Shape, []int{2, 3}) {
		t.Fatalf("reshape -1: %v", y)
	}
	if err := mistake.Catch(func() { x.Reshape(4, -1) }); err == nil || !strings.Contains(err.Error(), "cannot reshape (1, 2, 3)") {
		t.Fatalf("reshape 6 elements to (4, -1): %v", err)
	}
	p := Permute(x, 2, 0, 1) // (3, 1, 2)
	want := []float64{0, 3, 1, 4, 2, 5}
	for i, v := range want {
		if p.Data[i] != v {
			t.Fatalf("permute = %v, want %v", p.Data, want)
		}
	}
}

func TestTakeSliceAndArgMax(t *testing.T) {
	x := mustT(t, []float64{0, 1, 5, 2, 3, 3}, 3, 2)
	if s := x.Take([]int{2, 0, 2}); s.Data[0] != 3 || s.Data[2] != 0 || s.Shape[0] != 3 {
		t.Fatalf("Take = %v", s)
	}
	if err := mistake.Catch(func() { x.Take([]int{3}) }); err == nil || !strings.Contains(err.Error(), "row 3 out of range") {
		t.Fatalf("row out of range: %v", err)
	}
	if s := x.Slice(1, 3); s.Shape[0] != 2 || s.Data[0] != 5 {
		t.Fatalf("Slice = %v", s)
	}
	if err := mistake.Catch(func() { x.Slice(2, 4) }); err == nil || !strings.Contains(err.Error(), "slice [2:4] out of range for shape (3, 2)") {
		t.Fatalf("slice out of range: %v", err)
	}
	am := x.ArgMaxRows()
	if am[0] != 1 || am[1] != 0 || am[2] != 0 {
		t.Fatalf("ArgMaxRows = %v (ties go to the first index)", am)
	}
}

// TestStringMatchesNumPy prints arrays in Go and NumPy and compares the text.
func TestStringMatchesNumPy(t *testing.T) {
	py := pyref.Python(t)
	cases := []struct {
		expr  string
		data  []float64
		shape []int
	}{
		{"np.array([[[[55,70,29],[51,89,89]]],[[[12,20,5],[44,2,45]]]],dtype=float)",
			[]float64{55, 70, 29, 51, 89, 89, 12, 20, 5, 44, 2, 45}, []int{2, 1, 2, 3}},
		{"np.array([[0.1,0.25,0.125],[1.5,-2,3]])", []float64{0.1, 0.25, 0.125, 1.5, -2, 3}, []int{2, 3}},
		{"np.array([1e-5,1.0,3.0])", []float64{1e-5, 1, 3}, []int{3}},
		{"np.arange(2000.).reshape(40,50)", arange(2000), []int{40, 50}},
		{"np.array([0.31333333333333335, 1.0])", []float64{0.31333333333333335, 1}, []int{2}},
		{"np.array([0.25000000000000006, 2.5, 40.0])", []float64{0.25000000000000006, 2.5, 40}, []int{3}},
		{"np.array([1.23456789012e-7, 3.0])", []float64{1.23456789012e-7, 3}, []int{2}},
		{"np.array([[-1.3416402454, 0.1], [2.0, 1e3]])", []float64{-1.3416402454, 0.1, 2, 1e3}, []int{2, 2}},
	}
	code := "import numpy as np\n"
	for _, c := range cases {
		code += "print(" + c.expr + ")\nprint('@@')\n"
	}
	outs := strings.Split(string(pyref.Run(t, py, ".", code)), "@@\n")
	for i, c := range cases {
		got := mustT(t, c.data, c.shape...).String()
		if want := strings.TrimRight(outs[i], "\n"); got != want {
			t.Errorf("%s:\n got:\n%s\nwant:\n%s", c.expr, got, want)
		}
	}
}

func arange(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(i)
	}
	return out
}

// TestPermuteEveryOrder checks Permute against the index formula
// out[i0, i1, i2, i3] = t[i_axes⁻¹...] for all 24 orders of a 4-D tensor, and
// on 0-D, 1-D and empty tensors.
func TestPermuteEveryOrder(t *testing.T) {
	shape := []int{2, 3, 4, 5}
	x := New[float64](shape...)
	for i := range x.Data {
		x.Data[i] = float64(i)
	}
	var perms [][]int
	var gen func(p []int, used int)
	gen = func(p []int, used int) {
		if len(p) == 4 {
			perms = append(perms, append([]int(nil), p...))
			return
		}
		for a := range 4 {
			if used&(1<<a) == 0 {
				gen(append(p, a), used|1<<a)
			}
		}
	}
	gen(nil, 0)
	for _, axes := range perms {
		p := Permute(x, axes...)
		var idx [4]int // index into p
		for k, v := range p.Data {
			rem := k
			for d := 3; d >= 0; d-- {
				idx[d] = rem % p.Shape[d]
				rem /= p.Shape[d]
			}
			var src [4]int // index into x: axis axes[d] of x is axis d of p
			for d, a := range axes {
				src[a] = idx[d]
			}
			want := float64(((src[0]*3+src[1])*4+src[2])*5 + src[3])
			if v != want {
				t.Fatalf("Permute%v: element %d = %v, want %v", axes, k, v, want)
			}
		}
	}
	if s := Permute(mustT(t, []float64{7}), []int{}...); s.Data[0] != 7 {
		t.Fatalf("0-D: %v", s.Data)
	}
	if s := Permute(mustT(t, []float64{1, 2, 3}, 3), 0); s.Data[2] != 3 {
		t.Fatalf("1-D: %v", s.Data)
	}
	if s := Permute(New[float64](0, 3), 1, 0); !SameShape(s.Shape, []int{3, 0}) {
		t.Fatalf("empty: %v", s.Shape)
	}
}

// TestGemmCountsFLOPs checks that every product counts its 2·m·n·k
// operations in backend.FLOPs once, in its precision, also when
// ParallelGemm splits it into blocks of rows across the cores, and through
// MatMulT.
func TestGemmCountsFLOPs(t *testing.T) {
	for _, c := range []struct {
		name    string
		m, n, k int
		run     func(m, n, k int, a, b, out []float64)
	}{
		{"Gemm", 2, 3, 4, func(m, n, k int, a, b, out []float64) { Gemm(false, false, m, n, k, 1, a, k, b, n, 0, out, n) }},
		{"ParallelGemm", 300, 70, 200, func(m, n, k int, a, b, out []float64) {
			ParallelGemm(false, false, m, n, k, 1, a, k, b, n, 0, out, n)
		}},
		{"MatMulT", 5, 6, 7, func(m, n, k int, a, b, out []float64) {
			MatMulT(&Tensor[float64]{Shape: []int{k, m}, Data: a}, &Tensor[float64]{Shape: []int{k, n}, Data: b}, true, false)
		}},
	} {
		a, b, out := make([]float64, c.m*c.k), make([]float64, c.k*c.n), make([]float64, c.m*c.n)
		before := backend.FLOPs()
		c.run(c.m, c.n, c.k, a, b, out)
		if got, want := backend.FLOPs().Sub(before), (backend.Work{Float64: uint64(2 * c.m * c.n * c.k)}); got != want {
			t.Errorf("%s %d×%d×%d counted %+v, want %+v", c.name, c.m, c.n, c.k, got, want)
		}
	}
	a, b, out := make([]float32, 6*7), make([]float32, 7*8), make([]float32, 6*8)
	before := backend.FLOPs()
	ParallelGemm(false, false, 6, 8, 7, 1, a, 7, b, 8, 0, out, 8)
	if got, want := backend.FLOPs().Sub(before), (backend.Work{Float32: 2 * 6 * 7 * 8}); got != want {
		t.Errorf("float32 ParallelGemm 6×8×7 counted %+v, want %+v", got, want)
	}
}

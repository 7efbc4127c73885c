//go:build cgo && amd64

package backend_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/internal/loops"
	"github.com/dlnb/course/dlnb/layers"
)

// The element-wise kernels (kernels_body.h) against the Go loops they
// replace, for lengths around the vector widths 4, 8 and 16 so that every
// tail runs, in every build of the C code (see gemm_test.go). The reference
// is the library's own fallback: package dlnb/internal/loops (ReLU, Adam,
// row sums, max pooling), which layers and optim run without the kernels,
// and layers' Im2ColImage and Col2ImImage.

// TestKernelsNative tests the native build.
func TestKernelsNative(t *testing.T) { testKernels(t, backend.NativeOrSkip(t)) }

// TestKernelsSIMDe tests the SIMDe build (-tags dlnb_simde).
func TestKernelsSIMDe(t *testing.T) { testKernels(t, backend.SIMDeOrSkip(t)) }

// TestKernelsAVX2 tests the AVX2 implementation (kernels_avx2.c).
func TestKernelsAVX2(t *testing.T) { testKernels(t, backend.AVX2OrSkip(t)) }

func testKernels(t *testing.T, im *backend.CImpl) {
	t.Logf("build: %s", im.Name())
	t.Run("float32", func(t *testing.T) { kernels[float32](t, im) })
	t.Run("float64", func(t *testing.T) { kernels[float64](t, im) })
}

var lengths = []int{1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 31, 32, 33, 63, 64, 65, 1000, 1001}

const marker = -4321.25 // in the guard zone after every output slice

// guarded returns a slice of n values with a guard zone of markers after it
// (in its capacity-capped backing array) and the whole array.
func guarded[T float32 | float64](n int) (view, full []T) {
	full = make([]T, n+16*backend.GuardOn)
	for i := range full {
		full[i] = marker
	}
	return full[:n:n], full
}

func guardIntact[T float32 | float64](full []T, n int) bool {
	for _, v := range full[n:] {
		if v != marker {
			return false
		}
	}
	return true
}

// eq compares values: NaN equals NaN, and −0 equals +0 (MAXPS returns −0 for
// max(0, −0) where Go's max gives +0; no caller can tell them apart).
func eq[T float32 | float64](x, y T) bool { return x == y || (x != x && y != y) }

// values returns n random values in [−1, 1], with zeros, −0 and a NaN mixed
// in when special is set.
func values[T float32 | float64](r *rand.Rand, n int, special bool) []T {
	x := make([]T, n)
	for i := range x {
		x[i] = T(2*r.Float64() - 1)
		if special {
			switch r.IntN(16) {
			case 0:
				x[i] = 0
			case 1:
				x[i] = T(math.Copysign(0, -1))
			case 2:
				x[i] = T(math.NaN())
			}
		}
	}
	return x
}

func kernels[T float32 | float64](t *testing.T, im *backend.CImpl) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range lengths {
		// ReLU forward: out = max(v, 0) (layers.Relu.Forward).
		x := values[T](r, n, true)
		out, outFull := guarded[T](n)
		backend.ReluForwardOn(im, out, x)
		wantOut := make([]T, n)
		loops.ReluForward(wantOut, x)
		for i, v := range x {
			if want := wantOut[i]; !eq(out[i], want) {
				t.Errorf("relu forward n=%d: out[%d] = %v, want %v (x = %v)", n, i, out[i], want, v)
				break
			}
		}
		if !guardIntact(outFull, n) {
			t.Errorf("relu forward n=%d wrote past the end", n)
		}

		// ReLU backward: dx = dout where out > 0, else 0 (layers.Relu.Backward).
		dout := values[T](r, n, true)
		dx, dxFull := guarded[T](n)
		backend.ReluBackwardOn(im, dx, dout, out)
		wantDx := make([]T, n)
		loops.ReluBackward(wantDx, dout, out)
		for i := range dout {
			if want := wantDx[i]; !eq(dx[i], want) {
				t.Errorf("relu backward n=%d: dx[%d] = %v, want %v", n, i, dx[i], want)
				break
			}
		}
		if !guardIntact(dxFull, n) {
			t.Errorf("relu backward n=%d wrote past the end", n)
		}

		// Adam (optim.Adam.Update).
		testAdam[T](t, im, r, n)

		// Row sums: dst[r] += Σ row r (layers' rowSumAdd), on exact data
		// (multiples of 1/16: every order of summation gives the same sum) and
		// on random data (within the rounding error of either order).
		for _, exact := range []bool{true, false} {
			rows := 1 + n%5
			src := values[T](r, rows*n, false)
			if exact {
				for i := range src {
					src[i] = T(math.Round(float64(src[i])*16) / 16)
				}
			}
			dst, dstFull := guarded[T](rows)
			want := make([]T, rows)
			for i := range rows {
				dst[i] = T(i)
				want[i] = T(i)
			}
			loops.RowSumAdd(want, src, rows, n)
			backend.RowSumAddOn(im, dst, src, rows, n)
			u := math.Ldexp(1, -53)
			if _, ok := any(T(0)).(float32); ok {
				u = math.Ldexp(1, -24)
			}
			for i := range rows {
				mag := float64(i)
				for _, v := range src[i*n : (i+1)*n] {
					mag += math.Abs(float64(v))
				}
				tol := 2 * float64(n+1) * u * mag
				if exact {
					tol = 0
				}
				if d := math.Abs(float64(dst[i] - want[i])); !(d <= tol) {
					t.Errorf("row sums rows=%d cols=%d exact=%v: dst[%d] = %v, want %v (tolerance %.3g)",
						rows, n, exact, i, dst[i], want[i], tol)
				}
			}
			if !guardIntact(dstFull, rows) {
				t.Errorf("row sums rows=%d cols=%d wrote past the end", rows, n)
			}
		}
	}

	// im2col and col2im against layers.Im2ColImage and layers.Col2ImImage
	// (stride 1), with output widths around the vector widths, pads up to and
	// beyond FH−1 (the flipped-filter backward pass pads by FH−1−Pad).
	for _, s := range []struct{ c, h, w, fh, fw, pad int }{
		{1, 1, 1, 1, 1, 0}, {1, 3, 3, 3, 3, 0}, {1, 28, 28, 5, 5, 0}, {1, 28, 28, 7, 7, 1},
		{10, 12, 12, 3, 3, 1}, {16, 14, 14, 3, 3, 2}, {64, 8, 8, 3, 3, 1}, {32, 16, 16, 3, 3, 0},
		{3, 5, 7, 3, 3, 1}, {2, 4, 4, 3, 3, 2}, {1, 5, 5, 3, 3, 3}, {2, 17, 33, 3, 3, 1},
		{1, 9, 20, 4, 2, 3}, {2, 6, 9, 2, 3, 0}, {1, 15, 18, 3, 3, 1}, {1, 8, 16, 1, 1, 0},
	} {
		oh, ow := s.h+2*s.pad-s.fh+1, s.w+2*s.pad-s.fw+1
		what := fmt.Sprintf("c=%d h=%d w=%d filter %d×%d pad %d", s.c, s.h, s.w, s.fh, s.fw, s.pad)
		img := values[T](r, s.c*s.h*s.w, false)
		nc := s.c * s.fh * s.fw * oh * ow
		col, colFull := guarded[T](nc)
		want := make([]T, nc)
		backend.Im2ColOn(im, col, img, s.c, s.h, s.w, s.fh, s.fw, s.pad, oh, ow)
		layers.Im2ColImage(want, img, s.c, s.h, s.w, s.fh, s.fw, 1, s.pad, oh, ow)
		if i := firstDiff(col, want); i >= 0 {
			t.Errorf("im2col %s: col[%d] = %v, want %v", what, i, col[i], want[i])
		}
		if !guardIntact(colFull, nc) {
			t.Errorf("im2col %s wrote past the end", what)
		}
		dcol := values[T](r, nc, false)
		got, gotFull := guarded[T](len(img))
		wantImg := make([]T, len(img))
		backend.Col2ImOn(im, got, dcol, s.c, s.h, s.w, s.fh, s.fw, s.pad, oh, ow)
		layers.Col2ImImage(wantImg, dcol, s.c, s.h, s.w, s.fh, s.fw, 1, s.pad, oh, ow)
		if i := firstDiff(got, wantImg); i >= 0 {
			t.Errorf("col2im %s: img[%d] = %v, want %v", what, i, got[i], wantImg[i])
		}
		if !guardIntact(gotFull, len(img)) {
			t.Errorf("col2im %s wrote past the end", what)
		}
	}

	// 2×2 max pooling, stride 2 (the general loop of layers.Pooling.Forward,
	// loops.MaxPool): small integers make ties, where the first maximum must
	// win; NaN is never a maximum unless first in its window.
	for _, s := range [][3]int{{1, 2, 2}, {3, 4, 6}, {2, 28, 28}, {5, 14, 30}, {1, 2, 34}, {4, 8, 8}} {
		planes, h, w := s[0], s[1], s[2]
		x := make([]T, planes*h*w)
		for i := range x {
			x[i] = T(r.IntN(5))
			if r.IntN(20) == 0 {
				x[i] = T(math.NaN())
			}
		}
		np := planes * (h / 2) * (w / 2)
		out, outFull := guarded[T](np)
		argmax := make([]int32, np)
		backend.MaxPool2On(im, out, argmax, x, planes, h, w)
		p := (h / 2) * (w / 2)
		wantOut, wantAm := make([]T, np), make([]int32, np)
		for pl := range planes {
			loops.MaxPool(wantOut[pl*p:(pl+1)*p], wantAm[pl*p:(pl+1)*p], x[pl*h*w:(pl+1)*h*w], w, 2, 2, 2, h/2, w/2)
			for oy := range h / 2 {
				for ox := range w / 2 {
					o := pl*p + oy*(w/2) + ox
					best, bi := wantOut[o], wantAm[o]
					if !eq(out[o], best) || argmax[o] != bi {
						t.Errorf("maxpool %v plane %d (%d, %d): %v at %d, want %v at %d", s, pl, oy, ox,
							out[o], argmax[o], best, bi)
					}
				}
			}
		}
		if !guardIntact(outFull, np) {
			t.Errorf("maxpool %v wrote past the end", s)
		}
	}
}

func testAdam[T float32 | float64](t *testing.T, im *backend.CImpl, r *rand.Rand, n int) {
	const eps = 1e-7 // optim.Eps
	lr, b1, b2 := T(0.001*math.Sqrt(1-0.999*0.999)/(1-0.9*0.9)), T(0.1), T(0.001)
	p, g, m := values[T](r, n, false), values[T](r, n, false), values[T](r, n, false)
	v := values[T](r, n, false)
	for i := range v {
		v[i] = v[i] * v[i]
	}
	wp, wm, wv := append([]T(nil), p...), append([]T(nil), m...), append([]T(nil), v...)
	loops.Adam(wp, g, wm, wv, lr, b1, b2, eps)
	backend.AdamOn(im, p, g, m, v, lr, b1, b2, eps)
	for i := range p {
		if p[i] != wp[i] || m[i] != wm[i] || v[i] != wv[i] {
			t.Errorf("adam n=%d: element %d: p, m, v = %v, %v, %v, want %v, %v, %v", n, i, p[i], m[i], v[i],
				wp[i], wm[i], wv[i])
			break
		}
	}
}

// firstDiff returns the first index where x and y differ (bit for bit,
// except that NaNs are equal), or −1.
func firstDiff[T float32 | float64](x, y []T) int {
	for i := range x {
		if x[i] != y[i] && !(x[i] != x[i] && y[i] != y[i]) {
			return i
		}
		if x[i] == 0 && math.Signbit(float64(x[i])) != math.Signbit(float64(y[i])) {
			return i
		}
	}
	return -1
}

//go:build cgo && amd64

package backend

import (
	"math"
	"math/rand/v2"
	"testing"
)

// expInputs are the values the exp kernels are checked on: the special
// cases and the edges of each branch of Go's assembly (not finite, the
// overflow threshold, exponents that make 2^k subnormal or vanish, inputs
// beyond int32 after scaling), dense sweeps over the subnormal and overflow
// ranges, and random values over every scale.
func expInputs() []float64 {
	x := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), -math.NaN(),
		7.09782712893384e+02, 709.78, 710, 1e10, 1.5e9, -1.5e9, -1e10, math.MaxFloat64, -math.MaxFloat64,
		math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 1e-300, -1e-300, 0.5, -0.5, 1, -1,
		-708.3964185322641, -708.4, -744.44, -745.1332191019411, -745.1332191019412, -745.2, -746, -1000}
	for _, v := range x[:len(x):len(x)] {
		x = append(x, math.Nextafter(v, math.Inf(1)), math.Nextafter(v, math.Inf(-1)))
	}
	for v := -746.0; v <= -707; v += 0.001 { // 2^k subnormal, and 0
		x = append(x, v)
	}
	for v := 705.0; v <= 710; v += 0.0001 { // up to the overflow threshold
		x = append(x, v)
	}
	r := rand.New(rand.NewPCG(7, 11))
	for _, scale := range []float64{1e-12, 1e-6, 1e-3, 0.1, 1, 3, 10, 100, 700, 1e4} {
		for range 20000 {
			x = append(x, scale*r.NormFloat64())
		}
	}
	for range 20000 {
		x = append(x, math.Float64frombits(r.Uint64())) // any bit pattern
	}
	return x
}

func sameFloat(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

// TestExpMatchesGo checks that the AVX2 kernels give bit for bit what Go
// gives: Exp what math.Exp gives, Sigmoid what 1 / (1 + math.Exp(−x)) and
// Tanh what math.Tanh gives, in float64 and in float32, for every input of
// expInputs and tanh's own edges, at every alignment and with every length
// of tail.
func TestExpMatchesGo(t *testing.T) {
	if !avx2.supported() {
		t.Skip("NOT TESTED: this CPU has no AVX2 and FMA, so the exp kernels cannot run here")
	}
	x := expInputs()
	// tanh's branches: ±0, |x| = 0.625, |x| = MAXLOG/2, each with its
	// neighbours, and a sweep across the first two.
	for _, v := range []float64{0.625, 0.5 * 8.8029691931113054295988e+01, 1e-8, 0.3, 19, 22} {
		for _, w := range []float64{v, math.Nextafter(v, 0), math.Nextafter(v, 100)} {
			x = append(x, w, -w)
		}
	}
	for v := -1.0; v <= 1; v += 1e-4 {
		x = append(x, v)
	}
	out := make([]float64, len(x))
	sig := make([]float64, len(x))
	th := make([]float64, len(x))
	x32 := make([]float32, len(x))
	sig32 := make([]float32, len(x))
	th32 := make([]float32, len(x))
	for i, v := range x {
		x32[i] = float32(v)
	}
	for _, off := range []int{0, 1, 2, 3} { // every alignment and tail length
		for i := range out {
			out[i], sig[i], sig32[i], th[i], th32[i] = 7, 7, 7, 7, 7
		}
		Exp(out[off:], x[off:])
		Sigmoid(sig[off:], x[off:])
		Sigmoid(sig32[off:], x32[off:])
		Tanh(th[off:], x[off:])
		Tanh(th32[off:], x32[off:])
		bad := 0
		for i := off; i < len(x) && bad < 10; i++ {
			if want := math.Tanh(x[i]); !sameFloat(th[i], want) {
				t.Errorf("Tanh(%v = %#x) = %v, math.Tanh gives %v", x[i], math.Float64bits(x[i]), th[i], want)
				bad++
			}
			if want := float32(math.Tanh(float64(x32[i]))); !sameFloat(float64(th32[i]), float64(want)) {
				t.Errorf("Tanh(float32 %v) = %v, Go gives %v", x32[i], th32[i], want)
				bad++
			}
			if want := math.Exp(x[i]); !sameFloat(out[i], want) {
				t.Errorf("Exp(%v = %#x) = %v (%#x), math.Exp gives %v (%#x)", x[i], math.Float64bits(x[i]), out[i],
					math.Float64bits(out[i]), want, math.Float64bits(want))
				bad++
			}
			if want := 1 / (1 + math.Exp(-x[i])); !sameFloat(sig[i], want) {
				t.Errorf("Sigmoid(%v) = %v, Go gives %v", x[i], sig[i], want)
				bad++
			}
			if want := float32(1 / (1 + math.Exp(-float64(x32[i])))); !sameFloat(float64(sig32[i]), float64(want)) {
				t.Errorf("Sigmoid(float32 %v) = %v, Go gives %v", x32[i], sig32[i], want)
				bad++
			}
		}
		for i := range off { // nothing before the slice is written
			if out[i] != 7 || sig[i] != 7 || sig32[i] != 7 || th[i] != 7 || th32[i] != 7 {
				t.Errorf("offset %d: element %d written", off, i)
			}
		}
	}
	t.Logf("%d inputs × 4 offsets", len(x))
	for n := range 9 { // short slices: nothing written past the end
		o := make([]float64, 9)
		for i := range o {
			o[i] = 7
		}
		Exp(o[:n], x[:n])
		Sigmoid(o[:n], x[:n])
		Tanh(o[:n], x[:n])
		for i := n; i < len(o); i++ {
			if o[i] != 7 {
				t.Errorf("length %d: element %d written", n, i)
			}
		}
	}
}

// BenchmarkSigmoid compares the kernel with Go's loop on the 1000×40
// activations of an MLP's evaluation chunk.
func BenchmarkSigmoid(b *testing.B) {
	x := make([]float64, 40000)
	r := rand.New(rand.NewPCG(1, 1))
	for i := range x {
		x[i] = 4 * r.NormFloat64()
	}
	out := make([]float64, len(x))
	b.Run("go", func(b *testing.B) {
		for b.Loop() {
			for i, v := range x {
				out[i] = 1 / (1 + math.Exp(-v))
			}
		}
	})
	if !avx2.supported() {
		return
	}
	b.Run("avx2", func(b *testing.B) {
		for b.Loop() {
			Sigmoid(out, x)
		}
	})
}

package layers

import (
	"math"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// LRN is AlexNet's local response normalisation across channels
// (Krizhevsky, Sutskever & Hinton 2012, §3.3):
//
//	s[c] = K + Alpha · Σ_{c′ = c−⌊N/2⌋ … c+⌊N/2⌋} x[c′]²   (channels that exist)
//	out[c] = x[c] · s[c]^(−Beta)
//
// at every position, with the paper's K = 2, N = 5, Alpha = 1e-4, Beta = 0.75
// (NewLRN). Caffe and PyTorch divide Alpha by N; this is the paper's form.
//
//	Backward: dx[c] = dout[c]·s[c]^(−Beta)
//	        − 2·Alpha·Beta·x[c]·Σ_{c′ : |c′−c| ≤ ⌊N/2⌋} dout[c′]·x[c′]·s[c′]^(−Beta−1)
type LRN[T tensor.Float] struct {
	K, Alpha, Beta float64
	N              int

	x       *tensor.Tensor[T]
	s       []float64 // the denominators' bases s, per element
	pw      []float64 // s^(−Beta), per element
	out, dx *tensor.Tensor[T]
}

// NewLRN returns local response normalisation with AlexNet's constants.
func NewLRN[T tensor.Float]() *LRN[T] { return &LRN[T]{K: 2, N: 5, Alpha: 1e-4, Beta: 0.75} }

// windowSum sets dst[c] = Σ_{c′ = c−N/2 … c+N/2} src[c′] for the C planes of
// p values of one image, with a running sum over channels kept in run (p
// values of scratch, the caller's: one per chunk of images, not per image).
func (l *LRN[T]) windowSum(dst, src, run []float64, c, p int) {
	half := l.N / 2
	if useFast {
		backend.WindowSum(dst, src, run, c, p, half)
		return
	}
	clear(run)
	for ch := range min(half, c) {
		addTo(run, src[ch*p:(ch+1)*p])
	}
	for ch := range c {
		if in := ch + half; in < c {
			addTo(run, src[in*p:(in+1)*p])
		}
		if out := ch - half - 1; out >= 0 {
			subFrom(run, src[out*p:(out+1)*p])
		}
		copy(dst[ch*p:(ch+1)*p], run)
	}
}

func addTo(dst, src []float64) {
	for j, v := range src {
		dst[j] += v
	}
}

func subFrom(dst, src []float64) {
	for j, v := range src {
		dst[j] -= v
	}
}

// negPow returns s^(−beta), with AlexNet's beta = 0.75 computed by square
// roots (1/(√s·√√s)), which is exact to rounding and much faster than Pow.
func negPow(s, beta float64) float64 {
	if beta == 0.75 {
		r := math.Sqrt(s)
		return 1 / (r * math.Sqrt(r))
	}
	return math.Pow(s, -beta)
}

// Forward normalises x across channels.
func (l *LRN[T]) Forward(x *tensor.Tensor[T], _ bool) *tensor.Tensor[T] {
	n, c, h, w := shape4("LRN", x)
	if l.N < 1 {
		mistake.Panicf("LRN: the window N = %d must be at least 1", l.N)
	}
	p, per := h*w, c*h*w
	l.x = x
	l.out = tensor.Ensure(l.out, x.Shape...)
	l.s = grow(l.s, len(x.Data))
	l.pw = grow(l.pw, len(x.Data))
	backend.Parallel(n, 1, func(lo, hi int) {
		sq, run := make([]float64, per), make([]float64, p)
		for i := lo; i < hi; i++ {
			xi, si, pwi := x.Data[i*per:(i+1)*per], l.s[i*per:(i+1)*per], l.pw[i*per:(i+1)*per]
			for k, v := range xi {
				sq[k] = float64(v) * float64(v)
			}
			l.windowSum(si, sq, run, c, p)
			if useFast && l.Beta == 0.75 { // the loop below, four at a time
				backend.LRNScale(l.out.Data[i*per:(i+1)*per], si, pwi, xi, l.K, l.Alpha)
				continue
			}
			for k := range si {
				si[k] = l.K + float64(l.Alpha*si[k]) // no fused multiply-add, as backend.LRNScale
				pwi[k] = negPow(si[k], l.Beta)
				l.out.Data[i*per+k] = T(float64(xi[k]) * pwi[k])
			}
		}
	})
	return l.out
}

func grow(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}

// Backward returns dx.
func (l *LRN[T]) Backward(dout *tensor.Tensor[T]) *tensor.Tensor[T] {
	checkDout("LRN", dout, l.out)
	n, c, h, w := l.x.Shape[0], l.x.Shape[1], l.x.Shape[2], l.x.Shape[3]
	p, per := h*w, c*h*w
	l.dx = tensor.Ensure(l.dx, l.x.Shape...)
	backend.Parallel(n, 1, func(lo, hi int) {
		term, through, run := make([]float64, per), make([]float64, per), make([]float64, p)
		for i := lo; i < hi; i++ {
			xi, si, pwi, gi := l.x.Data[i*per:(i+1)*per], l.s[i*per:(i+1)*per], l.pw[i*per:(i+1)*per], dout.Data[i*per:(i+1)*per]
			for k := range term { // dout[c′]·x[c′]·s[c′]^(−Beta−1)
				term[k] = float64(gi[k]) * float64(xi[k]) * pwi[k] / si[k]
			}
			// The windows are symmetric: c′'s window holds c exactly when c's holds c′.
			l.windowSum(through, term, run, c, p)
			for k := range si {
				l.dx.Data[i*per+k] = T(float64(gi[k])*pwi[k] - 2*l.Alpha*l.Beta*float64(xi[k])*through[k])
			}
		}
	})
	return l.dx
}

// Params returns nil: the layer has no parameters.
func (l *LRN[T]) Params() []Param[T] { return nil }

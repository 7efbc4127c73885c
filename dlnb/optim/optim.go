package optim

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/internal/loops"
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// Optimizer updates parameters from their gradients.
type Optimizer[T tensor.Float] interface {
	// Update applies one step to every parameter in params. A parameter
	// without a gradient of its shape, or a learning rate that is not a
	// positive number, panics with a readable *mistake.Error.
	Update(params, grads map[string]*tensor.Tensor[T])
	// Name describes the optimizer and its settings.
	Name() string
}

// Eps is the 1e-7 the course adds to square roots in denominators.
const Eps = 1e-7

// each calls fn for every parameter in a fixed (sorted) order after checking
// its gradient exists with the same shape and the learning rate is positive.
func each[T tensor.Float](kind string, lr float64, params, grads map[string]*tensor.Tensor[T], fn func(key string, p, g []T)) {
	mistake.Panic(check(kind, lr, params, grads))
	for _, k := range sortedKeys(params) {
		fn(k, params[k].Data, grads[k].Data)
	}
}

// check reports a learning rate that is not a positive number, or a
// parameter without a gradient of its shape.
func check[T tensor.Float](kind string, lr float64, params, grads map[string]*tensor.Tensor[T]) error {
	if !(lr > 0) || math.IsInf(lr, 0) {
		return fmt.Errorf("%s: learning rate must be a positive number, got %v", kind, lr)
	}
	for _, k := range sortedKeys(params) {
		g, ok := grads[k]
		if !ok {
			return fmt.Errorf("%s: no gradient for parameter %s (gradients given: %s)", kind, k, strings.Join(sortedKeys(grads), ", "))
		}
		if !tensor.SameShape(params[k].Shape, g.Shape) {
			return &tensor.ShapeError{Op: kind + " update of " + k + " (param vs grad)", A: params[k].Shape, B: g.Shape}
		}
	}
	return nil
}

// useFast selects the vectorised Adam kernel of package backend; the Go
// loop is the reference (and the path without AVX-512).
var useFast = backend.Fast()

// par runs an element loop over [0, n) on all cores.
func par(n int, fn func(lo, hi int)) { backend.Parallel(n, 1<<14, fn) }

func sortedKeys[T tensor.Float](m map[string]*tensor.Tensor[T]) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	sort.Strings(k)
	return k
}

// state returns the per-parameter buffer named key, creating zeros.
func state[T tensor.Float](m map[string][]T, key string, n int) []T {
	s, ok := m[key]
	if !ok || len(s) != n {
		s = make([]T, n)
		m[key] = s
	}
	return s
}

// SGD is stochastic gradient descent: p −= lr·g.
type SGD[T tensor.Float] struct {
	LR float64 // learning rate (course default 0.01)
}

// NewSGD returns SGD with the given learning rate.
func NewSGD(lr float64) *SGD[float64] { return newSGD[float64](lr) }

func newSGD[T tensor.Float](lr float64) *SGD[T] { return &SGD[T]{LR: lr} }

// Update applies p −= lr·g.
func (o *SGD[T]) Update(params, grads map[string]*tensor.Tensor[T]) {
	lr := T(o.LR)
	each("SGD", o.LR, params, grads, func(_ string, p, g []T) {
		par(len(p), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				p[i] -= T(lr * g[i])
			}
		})
	})
}

// Name describes the optimizer.
func (o *SGD[T]) Name() string { return fmt.Sprintf("SGD(lr=%g)", o.LR) }

// Momentum is SGD with momentum: v = μ·v − lr·g; p += v.
type Momentum[T tensor.Float] struct {
	LR, Momentum float64 // course defaults 0.01 and 0.9
	V            map[string][]T
}

// NewMomentum returns Momentum with the given learning rate and μ = 0.9.
func NewMomentum(lr float64) *Momentum[float64] { return newMomentum[float64](lr) }

func newMomentum[T tensor.Float](lr float64) *Momentum[T] {
	return &Momentum[T]{LR: lr, Momentum: 0.9, V: map[string][]T{}}
}

// Update applies v = μ·v − lr·g; p += v.
func (o *Momentum[T]) Update(params, grads map[string]*tensor.Tensor[T]) {
	mu, lr := T(o.Momentum), T(o.LR)
	each("Momentum", o.LR, params, grads, func(k string, p, g []T) {
		v := state(o.V, k, len(p))
		par(len(p), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				v[i] = T(mu*v[i]) - T(lr*g[i])
				p[i] += v[i]
			}
		})
	})
}

// Name describes the optimizer.
func (o *Momentum[T]) Name() string {
	return fmt.Sprintf("Momentum(lr=%g, momentum=%g)", o.LR, o.Momentum)
}

// Nesterov is Nesterov's accelerated gradient in the book's form
// (http://arxiv.org/abs/1212.0901). The corrected update (the default, the
// book's fix of 2021-01-18) moves p with the previous velocity, then updates v:
//
//	p += μ²·v − (1+μ)·lr·g;  v = μ·v − lr·g
//
// CourseOrder reproduces the course's optimizer.py, which updates v first and
// then uses the new v in p += μ²·v − (1+μ)·lr·g (the book's original code).
type Nesterov[T tensor.Float] struct {
	LR, Momentum float64
	CourseOrder  bool
	V            map[string][]T
}

// NewNesterov returns the corrected Nesterov with μ = 0.9.
func NewNesterov(lr float64) *Nesterov[float64] { return newNesterov[float64](lr) }

func newNesterov[T tensor.Float](lr float64) *Nesterov[T] {
	return &Nesterov[T]{LR: lr, Momentum: 0.9, V: map[string][]T{}}
}

// Update applies one Nesterov step.
func (o *Nesterov[T]) Update(params, grads map[string]*tensor.Tensor[T]) {
	mu, lr := T(o.Momentum), T(o.LR)
	mu2, step := T(o.Momentum*o.Momentum), T((1+o.Momentum)*o.LR)
	each("Nesterov", o.LR, params, grads, func(k string, p, g []T) {
		v := state(o.V, k, len(p))
		par(len(p), func(lo, hi int) {
			o.step(p[lo:hi], g[lo:hi], v[lo:hi], mu, lr, mu2, step)
		})
	})
}

// step applies the update to one chunk of a parameter.
func (o *Nesterov[T]) step(p, g, v []T, mu, lr, mu2, step T) {
	for i := range p {
		if o.CourseOrder {
			v[i] *= mu
			v[i] -= T(lr * g[i])
			p[i] += T(mu2 * v[i])
			p[i] -= T(step * g[i])
			continue
		}
		p[i] += T(mu2 * v[i])
		p[i] -= T(step * g[i])
		v[i] *= mu
		v[i] -= T(lr * g[i])
	}
}

// Name describes the optimizer.
func (o *Nesterov[T]) Name() string {
	order := ""
	if o.CourseOrder {
		order = ", course order"
	}
	return fmt.Sprintf("Nesterov(lr=%g, momentum=%g%s)", o.LR, o.Momentum, order)
}

// AdaGrad adapts the step per parameter: h += g²; p −= lr·g / (√h + 1e-7).
type AdaGrad[T tensor.Float] struct {
	LR float64 // course default 0.01
	H  map[string][]T
}

// NewAdaGrad returns AdaGrad with the given learning rate.
func NewAdaGrad(lr float64) *AdaGrad[float64] { return newAdaGrad[float64](lr) }

func newAdaGrad[T tensor.Float](lr float64) *AdaGrad[T] {
	return &AdaGrad[T]{LR: lr, H: map[string][]T{}}
}

// Update applies h += g²; p −= lr·g/(√h + 1e-7).
func (o *AdaGrad[T]) Update(params, grads map[string]*tensor.Tensor[T]) {
	lr := T(o.LR)
	each("AdaGrad", o.LR, params, grads, func(k string, p, g []T) {
		h := state(o.H, k, len(p))
		par(len(p), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				h[i] += g[i] * g[i]
				p[i] -= T(lr*g[i]) / (T(math.Sqrt(float64(h[i]))) + Eps)
			}
		})
	})
}

// Name describes the optimizer.
func (o *AdaGrad[T]) Name() string { return fmt.Sprintf("AdaGrad(lr=%g)", o.LR) }

// RMSprop keeps a decaying average of g²: h = ρ·h + (1−ρ)·g²;
// p −= lr·g / (√h + 1e-7).
type RMSprop[T tensor.Float] struct {
	LR, DecayRate float64 // course defaults 0.01 and 0.99
	H             map[string][]T
}

// NewRMSprop returns RMSprop with the given learning rate and ρ = 0.99.
func NewRMSprop(lr float64) *RMSprop[float64] { return newRMSprop[float64](lr) }

func newRMSprop[T tensor.Float](lr float64) *RMSprop[T] {
	return &RMSprop[T]{LR: lr, DecayRate: 0.99, H: map[string][]T{}}
}

// Update applies one RMSprop step.
func (o *RMSprop[T]) Update(params, grads map[string]*tensor.Tensor[T]) {
	lr, rho, one := T(o.LR), T(o.DecayRate), T(1-o.DecayRate)
	each("RMSprop", o.LR, params, grads, func(k string, p, g []T) {
		h := state(o.H, k, len(p))
		par(len(p), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				h[i] *= rho
				h[i] += T(one*g[i]) * g[i]
				p[i] -= T(lr*g[i]) / (T(math.Sqrt(float64(h[i]))) + Eps)
			}
		})
	})
}

// Name describes the optimizer.
func (o *RMSprop[T]) Name() string {
	return fmt.Sprintf("RMSprop(lr=%g, decay_rate=%g)", o.LR, o.DecayRate)
}

// Adam (http://arxiv.org/abs/1412.6980) in the course's form, with the bias
// correction folded into the step size:
//
//	t += 1; lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ)
//	m += (1−β1)·(g − m); v += (1−β2)·(g² − v); p −= lr_t·m/(√v + 1e-7)
type Adam[T tensor.Float] struct {
	LR, Beta1, Beta2 float64 // course defaults 0.001, 0.9, 0.999
	Iter             int     // steps taken
	M, V             map[string][]T
}

// NewAdam returns Adam with the given learning rate, β1 = 0.9, β2 = 0.999.
func NewAdam(lr float64) *Adam[float64] { return newAdam[float64](lr) }

func newAdam[T tensor.Float](lr float64) *Adam[T] {
	return &Adam[T]{LR: lr, Beta1: 0.9, Beta2: 0.999, M: map[string][]T{}, V: map[string][]T{}}
}

// Update applies one Adam step.
func (o *Adam[T]) Update(params, grads map[string]*tensor.Tensor[T]) {
	mistake.Panic(check("Adam", o.LR, params, grads))
	o.Iter++
	lrT := T(o.LR * math.Sqrt(1.0-math.Pow(o.Beta2, float64(o.Iter))) / (1.0 - math.Pow(o.Beta1, float64(o.Iter))))
	b1, b2 := T(1-o.Beta1), T(1-o.Beta2)
	each("Adam", o.LR, params, grads, func(k string, p, g []T) {
		m, v := state(o.M, k, len(p)), state(o.V, k, len(p))
		par(len(p), func(lo, hi int) {
			if useFast {
				backend.Adam(p[lo:hi], g[lo:hi], m[lo:hi], v[lo:hi], lrT, b1, b2, Eps)
				return
			}
			loops.Adam(p[lo:hi], g[lo:hi], m[lo:hi], v[lo:hi], lrT, b1, b2, Eps)
		})
	})
}

// Name describes the optimizer.
func (o *Adam[T]) Name() string {
	return fmt.Sprintf("Adam(lr=%g, beta1=%g, beta2=%g)", o.LR, o.Beta1, o.Beta2)
}

// Names lists the optimizers New knows.
var Names = []string{"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"}

// New returns an optimizer by name (case-insensitive: sgd, momentum, nesterov,
// adagrad, rmsprop, adam) with a learning rate; lr = 0 selects the course's
// default for that optimizer (0.001 for Adam, 0.01 for the others). A
// negative, NaN or infinite lr is an error.
func New[T tensor.Float](name string, lr float64) (Optimizer[T], error) {
	if lr < 0 || math.IsNaN(lr) || math.IsInf(lr, 0) {
		return nil, fmt.Errorf("optimizer %s: learning rate must be a positive number (or 0 for the course's default), got %v", name, lr)
	}
	def := func(d float64) float64 {
		if lr == 0 {
			return d
		}
		return lr
	}
	switch strings.ToLower(name) {
	case "sgd":
		return newSGD[T](def(0.01)), nil
	case "momentum":
		return newMomentum[T](def(0.01)), nil
	case "nesterov":
		return newNesterov[T](def(0.01)), nil
	case "adagrad":
		return newAdaGrad[T](def(0.01)), nil
	case "rmsprop", "rmsprpo": // the course's trainer.py spells it rmsprpo
		return newRMSprop[T](def(0.01)), nil
	case "adam":
		return newAdam[T](def(0.001)), nil
	}
	return nil, fmt.Errorf("unknown optimizer %q: choose one of %s", name, strings.Join(Names, ", "))
}

// Float32 returns a float32 optimizer of o's kind with o's settings and a
// fresh state: optim.Float32(optim.NewAdam(0.001)) trains a float32 network
// (nets.Float32). o must be one of this package's optimizers; any other
// stops with a readable message.
//
// It is a function and not a method of each optimizer because a method of a
// generic type that returns its float32 instantiation would make every
// program using the float64 type compile the float32 one too: Go compiles
// all methods of each instantiated type in every program that uses it (see
// nets.Float32).
func Float32(o Optimizer[float64]) Optimizer[float32] {
	switch o := o.(type) {
	case *SGD[float64]:
		return newSGD[float32](o.LR)
	case *Momentum[float64]:
		c := newMomentum[float32](o.LR)
		c.Momentum = o.Momentum
		return c
	case *Nesterov[float64]:
		c := newNesterov[float32](o.LR)
		c.Momentum, c.CourseOrder = o.Momentum, o.CourseOrder
		return c
	case *AdaGrad[float64]:
		return newAdaGrad[float32](o.LR)
	case *RMSprop[float64]:
		c := newRMSprop[float32](o.LR)
		c.DecayRate = o.DecayRate
		return c
	case *Adam[float64]:
		c := newAdam[float32](o.LR)
		c.Beta1, c.Beta2 = o.Beta1, o.Beta2
		return c
	}
	mistake.Panic(fmt.Errorf("optim.Float32: %T is not one of dlnb's optimizers (SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam); build the float32 version of your own optimizer yourself", o))
	return nil
}

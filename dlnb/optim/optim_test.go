package optim

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

type T64 = tensor.Tensor[float64]

func vec(v ...float64) *T64 {
	t, _ := tensor.FromSlice(append([]float64(nil), v...), len(v))
	return t
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-15*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.17g, want %.17g", what, got, want)
	}
}

// The tests follow one parameter p through several steps with gradients
// g1, g2, g3 and compare with the formulas evaluated by hand.
var gs = []float64{0.5, -0.2, 0.1}

func run(t *testing.T, o Optimizer[float64]) []float64 {
	p := map[string]*T64{"W": vec(1.0)}
	var out []float64
	for _, g := range gs {
		o.Update(p, map[string]*T64{"W": vec(g)})
		out = append(out, p["W"].Data[0])
	}
	return out
}

func TestSGD(t *testing.T) {
	got := run(t, NewSGD(0.1))
	near(t, "p1", got[0], 1-0.1*0.5)
	near(t, "p2", got[1], 1-0.1*0.5+0.1*0.2)
	near(t, "p3", got[2], 1-0.1*0.5+0.1*0.2-0.1*0.1)
}

func TestMomentum(t *testing.T) {
	got := run(t, NewMomentum(0.1))
	v1 := -0.1 * 0.5        // v = 0.9·0 − 0.05
	v2 := 0.9*v1 - 0.1*-0.2 // −0.045 + 0.02 = −0.025
	v3 := 0.9*v2 - 0.1*0.1  // −0.0225 − 0.01 = −0.0325
	near(t, "p1", got[0], 1+v1)
	near(t, "p2", got[1], 1+v1+v2)
	near(t, "p3", got[2], 1+v1+v2+v3)
	near(t, "p3 by hand", got[2], 0.8925)
}

func TestNesterovBothOrders(t *testing.T) {
	lr, mu := 0.1, 0.9
	// Corrected: p += μ²v − (1+μ)lr·g with the old v, then v = μv − lr·g.
	p, v := 1.0, 0.0
	var want []float64
	for _, g := range gs {
		p += mu * mu * v
		p -= (1 + mu) * lr * g
		v = mu*v - lr*g
		want = append(want, p)
	}
	got := run(t, NewNesterov(lr))
	for i := range want {
		near(t, "corrected step", got[i], want[i])
	}
	near(t, "corrected first step", got[0], 1-1.9*0.1*0.5) // v starts at 0
	// Course order: v first, then p with the new v.
	p, v, want = 1.0, 0.0, nil
	for _, g := range gs {
		v = mu*v - lr*g
		p += mu * mu * v
		p -= (1 + mu) * lr * g
		want = append(want, p)
	}
	o := NewNesterov(lr)
	o.CourseOrder = true
	got = run(t, o)
	for i := range want {
		near(t, "course-order step", got[i], want[i])
	}
	near(t, "course-order first step", got[0], 1+0.81*-0.05-0.095)
}

func TestAdaGrad(t *testing.T) {
	got := run(t, NewAdaGrad(0.1))
	h1 := 0.25
	p1 := 1 - 0.1*0.5/(math.Sqrt(h1)+1e-7)
	h2 := h1 + 0.04
	p2 := p1 - 0.1*-0.2/(math.Sqrt(h2)+1e-7)
	h3 := h2 + 0.01
	p3 := p2 - 0.1*0.1/(math.Sqrt(h3)+1e-7)
	near(t, "p1", got[0], p1)
	near(t, "p2", got[1], p2)
	near(t, "p3", got[2], p3)
	if math.Abs(got[0]-0.90000002) > 1e-12 { // 1 − 0.05/0.5000001
		t.Errorf("p1 = %v, want ≈ 0.90000002", got[0])
	}
}

func TestRMSprop(t *testing.T) {
	got := run(t, NewRMSprop(0.01))
	h, p := 0.0, 1.0
	for i, g := range gs {
		h *= 0.99
		h += (1 - 0.99) * g * g
		p -= 0.01 * g / (math.Sqrt(h) + 1e-7)
		near(t, "p", got[i], p)
	}
	// First step: h = 0.01·0.25 = 0.0025, √h = 0.05: p = 1 − 0.005/0.0500001.
	near(t, "p1 by hand", got[0], 1-0.005/(0.05+1e-7))
}

func TestAdam(t *testing.T) {
	got := run(t, NewAdam(0.001))
	m, v, p := 0.0, 0.0, 1.0
	for i, g := range gs {
		it := float64(i + 1)
		lrT := 0.001 * math.Sqrt(1-math.Pow(0.999, it)) / (1 - math.Pow(0.9, it))
		m += (1 - 0.9) * (g - m)
		v += (1 - 0.999) * (g*g - v)
		p -= lrT * m / (math.Sqrt(v) + 1e-7)
		near(t, "p", got[i], p)
	}
	// First step of Adam moves by ≈ lr whatever g is: m = 0.05, v = 0.00025,
	// lr_t = 0.001·√0.001/0.1, step = lr_t·m/√v = 0.001·(0.05/0.1)·√(0.001/0.00025)/2 ≈ 0.001.
	if math.Abs(got[0]-(1-0.001)) > 1e-6 {
		t.Errorf("first Adam step %v, want ≈ 0.999", got[0])
	}
}

func TestFloat32AgreesWithFloat64(t *testing.T) {
	for _, name := range Names {
		o64, _ := New[float64](name, 0.05)
		o32, _ := New[float32](name, 0.05)
		p64 := map[string]*T64{"W": vec(1, -2, 3)}
		p32 := map[string]*tensor.Tensor[float32]{"W": tensor.Cast[float32](p64["W"])}
		for _, g := range gs {
			g64 := vec(g, -g, 2*g)
			o64.Update(p64, map[string]*T64{"W": g64})
			o32.Update(p32, map[string]*tensor.Tensor[float32]{"W": tensor.Cast[float32](g64)})
		}
		for i, v := range p64["W"].Data {
			if math.Abs(v-float64(p32["W"].Data[i])) > 1e-5 {
				t.Errorf("%s: float32 %v vs float64 %v", name, p32["W"].Data[i], v)
			}
		}
	}
}

// TestFloat32KeepsSettings checks that Float32 gives each optimizer's
// float32 kind with its settings (not the defaults) and a fresh state, and
// that an optimizer of another package stops with a message.
func TestFloat32KeepsSettings(t *testing.T) {
	used := NewAdam(0.002)
	used.Beta1, used.Beta2 = 0.8, 0.99
	used.Update(map[string]*T64{"W": vec(1)}, map[string]*T64{"W": vec(1)})
	mom := NewMomentum(0.02)
	mom.Momentum = 0.5
	nes := NewNesterov(0.03)
	nes.Momentum, nes.CourseOrder = 0.7, true
	rms := NewRMSprop(0.04)
	rms.DecayRate = 0.95
	cases := []struct {
		in   Optimizer[float64]
		want Optimizer[float32]
	}{
		{NewSGD(0.1), &SGD[float32]{LR: 0.1}},
		{mom, &Momentum[float32]{LR: 0.02, Momentum: 0.5, V: map[string][]float32{}}},
		{nes, &Nesterov[float32]{LR: 0.03, Momentum: 0.7, CourseOrder: true, V: map[string][]float32{}}},
		{NewAdaGrad(0.05), &AdaGrad[float32]{LR: 0.05, H: map[string][]float32{}}},
		{rms, &RMSprop[float32]{LR: 0.04, DecayRate: 0.95, H: map[string][]float32{}}},
		{used, &Adam[float32]{LR: 0.002, Beta1: 0.8, Beta2: 0.99, M: map[string][]float32{}, V: map[string][]float32{}}},
	}
	for _, c := range cases {
		if got := Float32(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Float32(%s) = %#v, want %#v", c.in.Name(), got, c.want)
		}
	}
	err := mistake.Catch(func() { Float32(notOurs{}) })
	if err == nil || !strings.Contains(err.Error(), "optim.notOurs is not one of dlnb's optimizers") {
		t.Errorf("Float32 of another optimizer: %v", err)
	}
}

type notOurs struct{}

func (notOurs) Update(params, grads map[string]*T64) {}
func (notOurs) Name() string                         { return "mine" }

func TestErrors(t *testing.T) {
	p := map[string]*T64{"W1": vec(1, 2), "b1": vec(0)}
	if err := mistake.Catch(func() { NewSGD(0.1).Update(p, map[string]*T64{"W1": vec(1, 1)}) }); err == nil || !strings.Contains(err.Error(), "no gradient for parameter b1") {
		t.Errorf("missing gradient: %v", err)
	}
	if err := mistake.Catch(func() { NewSGD(0.1).Update(p, map[string]*T64{"W1": vec(1), "b1": vec(0)}) }); err == nil || !strings.Contains(err.Error(), "(2,) and (1,)") {
		t.Errorf("shape mismatch: %v", err)
	}
	for _, lr := range []float64{0, -0.1, math.NaN()} {
		for _, name := range Names {
			o, _ := New[float64](name, 1)
			switch o := o.(type) {
			case *SGD[float64]:
				o.LR = lr
			case *Momentum[float64]:
				o.LR = lr
			case *Nesterov[float64]:
				o.LR = lr
			case *AdaGrad[float64]:
				o.LR = lr
			case *RMSprop[float64]:
				o.LR = lr
			case *Adam[float64]:
				o.LR = lr
			}
			if err := mistake.Catch(func() { o.Update(p, map[string]*T64{"W1": vec(1, 1), "b1": vec(0)}) }); err == nil || !strings.Contains(err.Error(), "learning rate must be a positive number") {
				t.Errorf("%s with lr %v: %v", name, lr, err)
			}
		}
	}
	if _, err := New[float64]("adamw", 0.1); err == nil || !strings.Contains(err.Error(), "unknown optimizer") {
		t.Errorf("unknown optimizer: %v", err)
	}
	for _, lr := range []float64{-0.1, math.NaN(), math.Inf(1)} {
		if _, err := New[float64]("sgd", lr); err == nil || !strings.Contains(err.Error(), "learning rate must be a positive number") {
			t.Errorf("New with lr %v: %v", lr, err)
		}
	}
	if o, err := New[float64]("adam", 0); err != nil || o.(*Adam[float64]).LR != 0.001 {
		t.Errorf("New(adam, 0) should give the course's default lr 0.001: %v %v", o, err)
	}
}

func TestRegularizers(t *testing.T) {
	w := vec(1, -2, 0)
	near(t, "L2 penalty", L2Penalty(0.1, w), 0.5*0.1*5)
	near(t, "L1 penalty", L1Penalty(0.1, w), 0.1*3)
	g := vec(0, 0, 0)
	AddL1Grad(g, 0.5, w)
	if g.Data[0] != 0.5 || g.Data[1] != -0.5 || g.Data[2] != 0 {
		t.Errorf("L1 grad %v, want λ·sign(W) = [0.5 -0.5 0]", g.Data)
	}
	g = vec(0, 0, 0)
	AddL2Grad(g, 0.5, w)
	if g.Data[0] != 0.5 || g.Data[1] != -1 {
		t.Errorf("L2 grad %v, want λW", g.Data)
	}
}

// TestFastAdamMatchesGo compares the vectorised Adam with the Go loop bit
// for bit, in both precisions.
func TestFastAdamMatchesGo(t *testing.T) {
	if !useFast {
		t.Skip("no vectorised kernels on this CPU/build")
	}
	defer func() { useFast = true }()
	run := func(fast bool) ([]float64, []float32) {
		useFast = fast
		p64 := map[string]*T64{"W": vec(make([]float64, 1003)...)}
		p32 := map[string]*tensor.Tensor[float32]{"W": tensor.New[float32](1003)}
		o64, o32 := NewAdam(0.01), Float32(NewAdam(0.01))
		for step := range 5 {
			g := vec(make([]float64, 1003)...)
			for i := range g.Data {
				g.Data[i] = math.Sin(float64(i*(step+1))) * float64(step+1)
			}
			o64.Update(p64, map[string]*T64{"W": g})
			o32.Update(p32, map[string]*tensor.Tensor[float32]{"W": tensor.Cast[float32](g)})
		}
		return p64["W"].Data, p32["W"].Data
	}
	f64, f32 := run(true)
	s64, s32 := run(false)
	for i := range f64 {
		if f64[i] != s64[i] || f32[i] != s32[i] {
			t.Fatalf("element %d: fast (%v, %v) vs Go (%v, %v)", i, f64[i], f32[i], s64[i], s32[i])
		}
	}
}

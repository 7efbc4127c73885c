package nets

import (
	"errors"
	"fmt"
	"math"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/rng"
)

// Init chooses the standard deviation of a layer's initial weights from the
// number of inputs n of the layer (its fan-in), like the course's
// weight_init_std argument:
//
//	He        √(2/n)   ('relu' or 'he' in the course; for ReLU networks)
//	Xavier    √(1/n)   ('sigmoid' or 'xavier'; for sigmoid and tanh)
//	Std(0.01) 0.01     (a number: a Gaussian with that standard deviation)
//
// The zero Init is the course's default, He.
type Init struct {
	kind string // "", "he", "xavier" or "std"
	std  float64
}

var (
	// He initialisation: std √(2/n) (He et al. 2015).
	He = Init{kind: "he"}
	// Xavier initialisation: std √(1/n) (Glorot & Bengio 2010).
	Xavier = Init{kind: "xavier"}
)

// Std is a Gaussian initialisation with a fixed standard deviation s (the
// course's weight_init_std=0.01). Std(0) gives all-zero weights.
func Std(s float64) Init { return Init{kind: "std", std: s} }

// Scale returns the standard deviation for a layer with fanIn inputs.
func (i Init) Scale(fanIn int) float64 {
	switch i.kind {
	case "", "he":
		return math.Sqrt(2.0 / float64(fanIn))
	case "xavier":
		return math.Sqrt(1.0 / float64(fanIn))
	}
	return i.std
}

// String names the initialisation like the course's argument.
func (i Init) String() string {
	switch i.kind {
	case "", "he":
		return "He"
	case "xavier":
		return "Xavier"
	}
	return fmt.Sprint(i.std)
}

// check reports a standard deviation that is not a finite number ≥ 0.
func (i Init) check() error {
	if i.kind == "std" && (i.std < 0 || math.IsNaN(i.std) || math.IsInf(i.std, 0)) {
		return fmt.Errorf("weight initialisation standard deviation %v must be a finite number ≥ 0", i.std)
	}
	return nil
}

// Option changes how a course network is built.
type Option func(*options)

type options struct {
	rand *rng.RandomState
}

// WithRand makes a network draw its initial weights and its dropout masks
// from r instead of the global generator (rng.Global, np.Random in
// notebooks).
func WithRand(r *rng.RandomState) Option { return func(o *options) { o.rand = r } }

func buildOptions(opts []Option) options {
	o := options{rand: rng.Global}
	for _, f := range opts {
		f(&o)
	}
	if o.rand == nil {
		mistake.Panic(errNoRand)
	}
	return o
}

var errNoRand = errors.New("a random generator is required: leave it out (np.Random is used) or pass nets.WithRand(rng.New(seed))")

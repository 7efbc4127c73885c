package gradcheck

import (
	"math"

	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// Steps are the two central-difference steps. Where their estimates disagree
// the perturbation crossed a point where the loss is not differentiable (a
// ReLU at 0, a tie in max pooling), and the entry is not compared.
const (
	Step1 = 1e-5
	Step2 = 2.5e-6
)

// Floor is the gradient magnitude below which values are compared in
// absolute terms (a relative error of 1e-6 then means 1e-10): a relative
// error between two numbers that are both noise (the gradient of a bias in
// front of batch normalisation is exactly 0; the central difference at step
// 1e-5 carries ~1e-11 of rounding noise) means nothing.
const Floor = 1e-4

// Result of a check.
type Result struct {
	RelErr  float64 // max |analytic − numerical| / max(|analytic|, |numerical|, Floor)
	Checked int     // entries compared
	Kinks   int     // entries skipped because they straddle a kink
}

// Sampled compares analytic with the central difference of loss with respect
// to p on k entries chosen with r (all entries when k ≤ 0 or k ≥ p.Size()).
func Sampled(loss func() float64, p, analytic *tensor.Tensor[float64], k int, r *rng.RandomState) Result {
	var idx []int
	if k <= 0 || k >= p.Size() {
		for i := range p.Size() {
			idx = append(idx, i)
		}
	} else {
		for range k {
			idx = append(idx, r.Intn(p.Size()))
		}
	}
	central := func(i int, h float64) float64 {
		v := p.Data[i]
		p.Data[i] = v + h
		fp := loss()
		p.Data[i] = v - h
		fm := loss()
		p.Data[i] = v
		return (fp - fm) / (2 * h)
	}
	var res Result
	diff, mag := 0.0, Floor
	for _, i := range idx {
		n1, n2 := central(i, Step1), central(i, Step2)
		if math.Abs(n1-n2) > 1e-7+1e-4*math.Abs(n1) {
			res.Kinks++
			continue
		}
		res.Checked++
		diff = math.Max(diff, math.Abs(n1-analytic.Data[i]))
		mag = math.Max(mag, math.Max(math.Abs(n1), math.Abs(analytic.Data[i])))
	}
	res.RelErr = diff / mag
	return res
}

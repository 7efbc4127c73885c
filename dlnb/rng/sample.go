package rng

import "fmt"

// Choice fills dst with indices drawn uniformly from [0, n) with replacement,
// like np.random.choice(n, len(dst)): the course's mini-batch sampler.
// It returns dst, or an error when n is not positive.
func (r *RandomState) Choice(dst []int, n int) ([]int, error) {
	if n <= 0 {
		return nil, fmt.Errorf("rng: choice from an empty population (n=%d)", n)
	}
	for i := range dst {
		dst[i] = r.Intn(n)
	}
	return dst, nil
}

// Permutation returns a random permutation of 0..n-1 like
// np.random.permutation(n) (Fisher–Yates from the end, as NumPy's shuffle).
func (r *RandomState) Permutation(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	r.Shuffle(p)
	return p
}

// Shuffle permutes p in place like np.random.shuffle on a 1-D array.
func (r *RandomState) Shuffle(p []int) {
	for i := len(p) - 1; i > 0; i-- {
		j := int(r.interval(uint32(i)))
		p[i], p[j] = p[j], p[i]
	}
}

// FillNorm fills dst with scale·N(0,1) samples, in order, like
// scale * np.random.randn(*shape) for a C-ordered array of len(dst) values.
func (r *RandomState) FillNorm(dst []float64, scale float64) {
	for i := range dst {
		dst[i] = scale * r.NormFloat64()
	}
}

// FillUniform fills dst with uniform samples in [0, 1) like np.random.rand.
func (r *RandomState) FillUniform(dst []float64) {
	for i := range dst {
		dst[i] = r.Float64()
	}
}

// ChoiceN returns size indices drawn uniformly from [0, n) with replacement:
// np.random.choice(n, size), the course's batch_mask.
func (r *RandomState) ChoiceN(n, size int) ([]int, error) {
	return r.Choice(make([]int, size), n)
}

// Randn returns rows×cols values of scale·N(0,1) in C order, like
// scale * np.random.randn(rows, cols), as a flat slice.
func (r *RandomState) Randn(n int, scale float64) []float64 {
	v := make([]float64, n)
	r.FillNorm(v, scale)
	return v
}

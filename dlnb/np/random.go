package np

import (
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// RandomState is NumPy's random generator (np.random): the same Mersenne
// Twister and the same algorithms, so a seed draws the same numbers as in the
// course's Python.
type RandomState struct{ *rng.RandomState }

// Random is the global generator, np.random: seed it at the top of a cell
// with np.Random.Seed(0). dlnb's networks draw their initial weights from it
// (rng.Global) unless given another generator.
var Random = RandomState{rng.Global}

// Seed restarts the generator (np.random.seed(seed)).
func (r RandomState) Seed(seed int) {
	if seed < 0 || seed > 1<<32-1 {
		mistake.Panicf("np.Random.Seed: seed %d must be between 0 and 2**32 - 1", seed)
	}
	r.RandomState.Seed(uint32(seed))
}

// Randn returns samples of the standard normal distribution in an array of
// the given shape (np.random.randn(d0, d1, …)).
func (r RandomState) Randn(shape ...int) *Array {
	out := Zeros(shape...)
	r.FillNorm(out.Data, 1)
	return out
}

// Rand returns uniform samples in [0, 1) (np.random.rand(d0, d1, …)).
func (r RandomState) Rand(shape ...int) *Array {
	out := Zeros(shape...)
	r.FillUniform(out.Data)
	return out
}

// Choice returns size integers drawn uniformly from [0, n) with replacement
// (np.random.choice(n, size), the course's batch_mask).
func (r RandomState) Choice(n, size int) []int {
	if size < 0 {
		mistake.Panicf("np.Random.Choice: size %d is negative", size)
	}
	idx, err := r.ChoiceN(n, size)
	if err != nil {
		mistake.Panic(err)
	}
	return idx
}

// Permutation returns the numbers 0 … n−1 in random order
// (np.random.permutation(n)).
func (r RandomState) Permutation(n int) []int {
	if n < 0 {
		mistake.Panicf("np.Random.Permutation: n = %d is negative", n)
	}
	return r.RandomState.Permutation(n)
}

// Randint returns an integer drawn uniformly from [lo, hi)
// (np.random.randint(lo, hi)).
func (r RandomState) Randint(lo, hi int) int {
	if hi <= lo {
		mistake.Panicf("np.Random.Randint: the range [%d, %d) is empty", lo, hi)
	}
	return lo + r.Intn(hi-lo)
}

// Ints returns idx as an array of float64 (an index list as an array, e.g.
// to print it or to compare it with np.Equal).
func Ints(idx []int) *Array {
	out := tensor.New[float64](len(idx))
	for i, v := range idx {
		out.Data[i] = float64(v)
	}
	return out
}

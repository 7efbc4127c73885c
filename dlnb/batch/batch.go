package batch

import (
	"fmt"

	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// Sampler yields the sample indices of successive mini-batches.
type Sampler struct {
	N, BatchSize int
	// Shuffle draws epochs: a fresh permutation cut into ⌊N/BatchSize⌋
	// batches. Without it every batch is BatchSize indices drawn with
	// replacement, as np.random.choice(N, BatchSize) in the course.
	Shuffle bool
	Rand    *rng.RandomState

	idx   []int
	perm  []int
	pos   int
	epoch int
}

// NewSampler returns a sampler over n samples.
func NewSampler(n, batchSize int, shuffle bool, r *rng.RandomState) (*Sampler, error) {
	switch {
	case n <= 0:
		return nil, fmt.Errorf("batch: cannot sample mini-batches from an empty dataset")
	case batchSize <= 0:
		return nil, fmt.Errorf("batch: batch size must be positive, got %d", batchSize)
	case shuffle && batchSize > n:
		return nil, fmt.Errorf("batch: a shuffled epoch of %d samples cannot fill a batch of %d: use a batch size of %d or less, more samples, or batches drawn with replacement (Shuffle false, as the course draws them)", n, batchSize, n)
	case r == nil:
		return nil, fmt.Errorf("batch: a random generator is required")
	}
	return &Sampler{N: n, BatchSize: batchSize, Shuffle: shuffle, Rand: r, idx: make([]int, batchSize)}, nil
}

// Next returns the indices of the next mini-batch (reused by the next call).
func (s *Sampler) Next() []int {
	if !s.Shuffle {
		s.Rand.Choice(s.idx, s.N)
		return s.idx
	}
	if s.perm == nil || s.pos+s.BatchSize > s.N {
		if s.perm != nil {
			s.epoch++
		}
		s.perm = s.Rand.Permutation(s.N)
		s.pos = 0
	}
	copy(s.idx, s.perm[s.pos:s.pos+s.BatchSize])
	s.pos += s.BatchSize
	return s.idx
}

// PermState returns the current epoch's permutation (shuffled sampling).
func (s *Sampler) PermState() []int { return s.perm }

// Position returns how far into the epoch the sampler is and how many epochs
// it has completed.
func (s *Sampler) Position() (pos, epoch int) { return s.pos, s.epoch }

// Restore resumes shuffled sampling from a permutation, position and epoch
// saved with PermState and Position.
func (s *Sampler) Restore(perm []int, pos, epoch int) error {
	if len(perm) != s.N || pos < 0 || pos > s.N {
		return fmt.Errorf("batch: sampler state for %d samples does not fit %d", len(perm), s.N)
	}
	s.perm, s.pos, s.epoch = append([]int(nil), perm...), pos, epoch
	return nil
}

// Epoch returns the number of completed epochs (shuffled sampling), or the
// number of samples drawn so far divided by N (with replacement).
func (s *Sampler) Epoch() int { return s.epoch }

// Batcher gathers mini-batches into buffers it reuses.
type Batcher[T tensor.Float] struct {
	x, d *tensor.Tensor[T]
}

// Take returns x[idx] and d[idx] (x_batch, d_batch), valid until the next call.
func (b *Batcher[T]) Take(x, d *tensor.Tensor[T], idx []int) (*tensor.Tensor[T], *tensor.Tensor[T], error) {
	if x.Rows() != d.Rows() {
		return nil, nil, fmt.Errorf("batch: %d samples but %d labels (x %s, d %s)", x.Rows(), d.Rows(),
			tensor.ShapeString(x.Shape), tensor.ShapeString(d.Shape))
	}
	b.x = tensor.Ensure(b.x, append([]int{len(idx)}, x.Shape[1:]...)...)
	b.d = tensor.Ensure(b.d, append([]int{len(idx)}, d.Shape[1:]...)...)
	if err := tensor.SelectRowsInto(b.x, x, idx); err != nil {
		return nil, nil, err
	}
	if err := tensor.SelectRowsInto(b.d, d, idx); err != nil {
		return nil, nil, err
	}
	return b.x, b.d, nil
}

// Slices cuts n samples into consecutive mini-batches [lo, hi) of batchSize
// (the last one shorter when batchSize does not divide n): the practice
// question's for i in range(0, N, batch_size): x[i:i+batch_size].
func Slices(n, batchSize int) ([][2]int, error) {
	if batchSize <= 0 {
		return nil, fmt.Errorf("batch: batch size must be positive, got %d", batchSize)
	}
	var out [][2]int
	for lo := 0; lo < n; lo += batchSize {
		out = append(out, [2]int{lo, min(lo+batchSize, n)})
	}
	return out, nil
}

// Package data prepares mini-batches: the course's sampler (indices drawn with
// replacement, np.random.choice), shuffled epochs as an alternative, a batch
// gatherer that reuses its buffers, and the practice-question helpers
// (slicing a dataset into consecutive mini-batches, random crops).
package data

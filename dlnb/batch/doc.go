// Package batch draws the mini-batches of a training run: the course's
// sampler (indices drawn with replacement, np.random.choice) or shuffled
// epochs as an alternative (Sampler), a gatherer that copies the chosen
// samples into buffers it reuses (Batcher), and the practice question's
// consecutive mini-batches (Slices). Package train uses it for every step.
package batch

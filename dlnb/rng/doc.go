// Package rng is the random number generator of dlnb: a seeded source that
// reproduces NumPy's legacy global generator (np.random.seed, np.random.randn,
// np.random.rand, np.random.choice, np.random.permutation) bit for bit.
//
// The course's Python code draws every random number from np.random: initial
// weights (randn), mini-batch indices (choice with replacement) and dropout
// masks (rand). A RandomState created with New(seed) produces the same stream as
// np.random.seed(seed), so a Go network built and trained with the same seed
// starts from the same weights and sees the same mini-batches as the Python
// notebook. Global is the program's shared generator, like np.random itself
// (package np's np.Random wraps it); library functions that draw random
// numbers take a *RandomState, so that a caller can give each run its own.
package rng

// Package optim holds the course's optimizers (common/optimizer.py): SGD,
// Momentum, Nesterov, AdaGrad, RMSprop and Adam, with the course's defaults,
// plus the L2 and L1 regularisation helpers of lesson 2_5.
//
// Update(params, grads) changes params in place, as optimizer.update does in
// the course. Every parameter needs a gradient of the same shape. Each update
// is written the way NumPy evaluates the Python line, so the arithmetic rounds
// at the same places.
package optim

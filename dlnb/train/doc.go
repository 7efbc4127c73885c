// Package train runs the course's training loop: sample a mini-batch,
// backpropagate, update with an optimizer, record the loss, and every
// EvalEvery iterations measure training and test accuracy. It keeps the
// history for the charts, calls hooks (progress bars, live charts,
// checkpoints) and stops with a clear error when the loss becomes NaN or Inf.
package train

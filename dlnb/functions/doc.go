// Package functions holds the course's common/functions.py in Go: activation
// functions and their derivatives, softmax, the losses, the numerical
// gradient, and im2col / col2im.
//
// Functions return new tensors and never modify their arguments. The
// derivatives follow the course's definitions exactly, including DSigmoid,
// which applies the sigmoid to its argument (d_sigmoid(x) = (1−σ(x))·σ(x)):
// the hand-written network of lesson 2_2_1 passes it the activation z = σ(u)
// instead of u, a quirk its published results depend on.
//
// Labels d are either one-hot rows (N, C) or class indices (N,), as in the
// course's notebooks.
package functions

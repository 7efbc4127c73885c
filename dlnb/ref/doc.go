// Package ref is the course's common/ in Go, the clean reference of every
// layer dlnb has: each one a small type written with package np line by line
// like the course's common/layers.py and common/functions.py (and the book's
// "Deep Learning from Scratch"), with its formula beside it, plus the
// functions of those files (Softmax, CrossEntropyError, Im2Col, Col2Im) and
// the book's NumericalGradient. It is what the notebooks show and what a
// student reads. Files: functions.go (common/functions.py), layers.go and
// conv.go (common/layers.py), classic.go (the layers of 2_9's LeNet and
// AlexNet), gradient.go.
//
// The fast layers of package layers compute the same functions with
// optimised kernels (one image at a time, reused buffers, AVX-512/AVX2, a
// fused ReLU + max pooling); their tests compare them with this package on
// batches of real data, outputs and gradients, to 1e-12 in float64.
//
// Like the course's classes, these take and return float64 arrays, keep what
// Backward needs in fields, and stop with a readable message on a shape
// mistake (package np).
package ref

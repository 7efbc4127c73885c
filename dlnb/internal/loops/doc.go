// Package loops holds the plain Go loops that dlnb's C kernels replace
// (package backend: ReLU, Adam, row sums, max pooling without padding): the
// fallback that packages layers and optim run when the kernels are not in
// use (backend.Fast is false), and the reference that backend's kernel
// tests check each build of each kernel against, bit for bit, the way
// llm.c checks each fast kernel against its plain CPU version.
//
// Each function computes exactly what its kernel computes, in the same
// order, with every rounding step of the kernel: a multiply and an add are
// kept apart by a conversion wherever the kernel keeps them apart, so that
// Go fuses no multiply-add there either.
package loops

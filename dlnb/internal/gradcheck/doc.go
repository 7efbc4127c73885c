// Package gradcheck compares backpropagated gradients with numerical ones.
package gradcheck

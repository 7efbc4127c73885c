package nb

import "github.com/dlnb/course/dlnb/mistake"

// Try runs f and returns the mistake it stopped with — a shape that does not
// fit, a layer that does not fit its input — as an error, instead of ending
// the cell; nil when f finished. A [try] cell uses it to show what a mistake
// looks like and go on:
//
//	err := nb.Try(func() {
//		nets.Sequential("too small", []int{1, 28, 28}, nets.Conv(10, 29), nets.Relu(), nets.Affine(10))
//	})
//	fmt.Println(err)
//
// Only mistakes of f's own goroutine are caught.
func Try(f func()) error { return mistake.Catch(f) }

//go:build !cgo

package rng

import "math"

// log is Go's math.Log: without cgo the C library's log is not reachable, so
// about 3% of normal samples differ from NumPy's in the last bit.
func log(x float64) float64 { return math.Log(x) }

// BitExact reports whether NormFloat64 reproduces NumPy bit for bit; false
// without cgo (see log).
const BitExact = false

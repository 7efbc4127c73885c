package ref

import "github.com/dlnb/course/dlnb/np"

// NumericalGradient returns the central-difference gradient of f at x,
// (f(x+h) − f(x−h)) / 2h with h = 1e-4 for each element (the book's
// numerical_gradient). f must read x: x is changed in place during the
// evaluation and restored afterwards.
func NumericalGradient(f func() float64, x *np.Array) *np.Array {
	const h = 1e-4
	g := np.ZerosLike(x)
	for i, v := range x.Data {
		x.Data[i] = v + h
		fp := f()
		x.Data[i] = v - h
		fm := f()
		x.Data[i] = v
		g.Data[i] = (fp - fm) / (2 * h)
	}
	return g
}

package np

import (
	"math"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// reduce folds a along one axis (or all of it when axis is empty) with f,
// starting from init; the result drops that axis (a 0-dimensional array for
// a full reduction), as NumPy does.
func reduce(op string, a *Array, axis []int, init float64, f func(acc, x float64) float64) *Array {
	if len(axis) == 0 {
		acc := init
		for _, x := range a.Data {
			acc = f(acc, x)
		}
		return &Array{Shape: []int{}, Data: []float64{acc}}
	}
	ax := checkAxis(op, a, axis)
	outer, n, inner := split(a.Shape, ax)
	shape := append(append([]int{}, a.Shape[:ax]...), a.Shape[ax+1:]...)
	out := tensor.Full(init, shape...)
	for o := range outer {
		for k := range n {
			src := a.Data[(o*n+k)*inner : (o*n+k+1)*inner]
			dst := out.Data[o*inner : (o+1)*inner]
			for j, x := range src {
				dst[j] = f(dst[j], x)
			}
		}
	}
	return out
}

// checkAxis allows one axis, counted from the end when negative.
func checkAxis(op string, a *Array, axis []int) int {
	if len(axis) != 1 {
		mistake.Panicf("%s: one axis at a time, got %v", op, axis)
	}
	ax := axis[0]
	if ax < 0 {
		ax += len(a.Shape)
	}
	if ax < 0 || ax >= len(a.Shape) {
		mistake.Panicf("%s: axis %d is out of range for an array of shape %s", op, axis[0], tensor.ShapeString(a.Shape))
	}
	return ax
}

// split returns the number of blocks before axis ax, its size, and the
// number of elements after it.
func split(shape []int, ax int) (outer, n, inner int) {
	return tensor.Size(shape[:ax]), shape[ax], tensor.Size(shape[ax+1:])
}

// Sum adds the elements along axis (np.sum(a, axis=0)), or all of them into
// a 0-dimensional array when no axis is given (np.sum(a); .Item() gives the
// number).
func Sum(a *Array, axis ...int) *Array {
	return reduce("np.Sum", asArray(a), axis, 0, func(acc, x float64) float64 { return acc + x })
}

// Mean averages the elements along axis (np.mean(a, axis=0)), or all of them.
func Mean(a *Array, axis ...int) *Array {
	a = asArray(a)
	s := Sum(a, axis...)
	n := len(a.Data)
	if len(axis) > 0 {
		n = a.Shape[checkAxis("np.Mean", a, axis)]
	}
	for i := range s.Data {
		s.Data[i] /= float64(n)
	}
	return s
}

// Max returns the largest element along axis (np.max(a, axis=0)), or of all.
func Max(a *Array, axis ...int) *Array {
	a = asArray(a)
	if len(a.Data) == 0 {
		mistake.Panicf("np.Max: the array of shape %s is empty", tensor.ShapeString(a.Shape))
	}
	return reduce("np.Max", a, axis, math.Inf(-1), func(acc, x float64) float64 {
		if x > acc || x != x {
			return x
		}
		return acc
	})
}

// Argmax returns the index of the largest element along axis, the first one
// on ties (np.argmax(a, axis=1) for the predicted class of each row).
func Argmax(a *Array, axis int) *Array {
	a = asArray(a)
	ax := checkAxis("np.Argmax", a, []int{axis})
	outer, n, inner := split(a.Shape, ax)
	if n == 0 {
		mistake.Panicf("np.Argmax: axis %d of shape %s is empty", axis, tensor.ShapeString(a.Shape))
	}
	shape := append(append([]int{}, a.Shape[:ax]...), a.Shape[ax+1:]...)
	out := tensor.New[float64](shape...)
	for o := range outer {
		for j := range inner {
			best, bi := a.Data[o*n*inner+j], 0
			for k := 1; k < n; k++ {
				if v := a.Data[(o*n+k)*inner+j]; v > best {
					best, bi = v, k
				}
			}
			out.Data[o*inner+j] = float64(bi)
		}
	}
	return out
}

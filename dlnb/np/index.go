package np

import (
	"fmt"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// Take returns the rows idx of a along its first axis, in a new array
// (x_train[batch_mask], np.take(a, idx, axis=0)).
func Take(a *Array, idx []int) *Array {
	return asArray(a).Take(idx)
}

// Slice returns rows [lo, hi) of a along its first axis, sharing memory
// (x_train[:5000] is np.Slice(xTrain, 0, 5000)).
func Slice(a *Array, lo, hi int) *Array {
	return asArray(a).Slice(lo, hi)
}

// Pick returns, for each row i of the matrix y, the element y[i, d[i]]:
// y[np.arange(N), d] in NumPy, the probabilities of the right answers in
// the cross-entropy. d holds class indices.
func Pick(y, d *Array) *Array {
	y, d = asArray(y), asArray(d)
	if len(y.Shape) != 2 || len(d.Shape) != 1 || d.Shape[0] != y.Shape[0] {
		mistake.Panic(&tensor.ShapeError{Op: "np.Pick (y[np.arange(N), d])", A: y.Shape, B: d.Shape,
			Reason: "y must be (N, classes) and d (N,) class indices"})
	}
	out := tensor.New[float64](y.Shape[0])
	c := y.Shape[1]
	for i, k := range d.Data {
		j := int(k)
		if j < 0 || j >= c || float64(j) != k {
			mistake.Panicf("np.Pick: d[%d] = %v is not a class index in [0, %d)", i, k, c)
		}
		out.Data[i] = y.Data[i*c+j]
	}
	return out
}

// Pad surrounds a with zeros: pads[i] = {before, after} for axis i
// (np.pad(x, [(0, 0), (0, 0), (p, p), (p, p)], 'constant')).
func Pad(a *Array, pads [][2]int) *Array {
	a = asArray(a)
	if len(pads) != len(a.Shape) {
		mistake.Panicf("np.Pad: %d (before, after) pairs for an array of %d dimensions", len(pads), len(a.Shape))
	}
	shape := make([]int, len(a.Shape))
	for i, p := range pads {
		if p[0] < 0 || p[1] < 0 {
			mistake.Panicf("np.Pad: negative padding %v", p)
		}
		shape[i] = a.Shape[i] + p[0] + p[1]
	}
	out := tensor.New[float64](shape...)
	if len(a.Data) == 0 {
		return out
	}
	// Copy each innermost row of a to its place in out.
	last := len(shape) - 1
	w := a.Shape[last]
	idx := make([]int, last)
	for src := 0; src < len(a.Data); src += w {
		dst := 0
		for d := range last {
			dst = dst*shape[d] + idx[d] + pads[d][0]
		}
		dst = dst*shape[last] + pads[last][0]
		copy(out.Data[dst:dst+w], a.Data[src:src+w])
		for d := last - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < a.Shape[d] {
				break
			}
			idx[d] = 0
		}
	}
	return out
}

// PutPick sets, for each row i of the matrix a, the element a[i, idx[i]] to
// v[i], in place: a[np.arange(N), idx] = v (how max pooling's backward pass
// routes each gradient to the position of its maximum).
func PutPick(a, idx, v *Array) {
	a, idx, v = asArray(a), asArray(idx), asArray(v)
	if len(a.Shape) != 2 || len(idx.Data) != a.Shape[0] || len(v.Data) != a.Shape[0] {
		mistake.Panic(&tensor.ShapeError{Op: "np.PutPick (a[np.arange(N), idx] = v)", A: a.Shape, B: idx.Shape,
			Reason: fmt.Sprintf("a must be (N, K) with N = %d indices and values (got %d values)", len(idx.Data), len(v.Data))})
	}
	c := a.Shape[1]
	for i, k := range idx.Data {
		j := int(k)
		if j < 0 || j >= c || float64(j) != k {
			mistake.Panicf("np.PutPick: idx[%d] = %v is not an index in [0, %d)", i, k, c)
		}
		a.Data[i*c+j] = v.Data[i]
	}
}

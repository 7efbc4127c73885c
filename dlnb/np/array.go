package np

import (
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// Array is NumPy's ndarray of float64: a row-major tensor with an explicit
// Shape. It is dlnb's tensor type, so its methods (Clone, Row, At, Set, …)
// and the rest of the library apply to it.
type Array = tensor.Tensor[float64]

// Mask is a boolean array, the result of a comparison (x <= 0 in NumPy). It
// selects elements in Putmask and Where, and counts as 0/1 in arithmetic.
type Mask struct {
	Shape []int
	Data  []bool
}

// Float returns the mask as an array of 0 and 1.
func (m *Mask) Float() *Array {
	out := tensor.New[float64](m.Shape...)
	for i, v := range m.Data {
		if v {
			out.Data[i] = 1
		}
	}
	return out
}

// Count returns how many elements are true (np.sum(mask), np.count_nonzero).
func (m *Mask) Count() int {
	n := 0
	for _, v := range m.Data {
		if v {
			n++
		}
	}
	return n
}

// operand is what the arithmetic functions take on either side: a scalar or
// an array (a Mask counts as 0/1, as NumPy's bool arrays do).
type operand interface {
	float64 | int | *Array | *Mask
}

// asArray returns an operand as an array; scalars become 0-dimensional.
func asArray[A operand](a A) *Array {
	switch v := any(a).(type) {
	case float64:
		return &Array{Shape: []int{}, Data: []float64{v}}
	case int:
		return &Array{Shape: []int{}, Data: []float64{float64(v)}}
	case *Array:
		if v == nil {
			mistake.Panicf("np: nil array (an array that was never created)")
		}
		return v
	case *Mask:
		if v == nil {
			mistake.Panicf("np: nil mask")
		}
		return v.Float()
	}
	panic("unreachable")
}

func checkShape(op string, shape []int) {
	for _, d := range shape {
		if d < 0 {
			mistake.Panicf("%s: negative dimension in shape %s", op, tensor.ShapeString(shape))
		}
	}
}

// Zeros returns an array of the given shape filled with 0 (np.zeros).
func Zeros(shape ...int) *Array {
	checkShape("np.Zeros", shape)
	return tensor.New[float64](shape...)
}

// Ones returns an array of the given shape filled with 1 (np.ones).
func Ones(shape ...int) *Array {
	checkShape("np.Ones", shape)
	return tensor.Full(1.0, shape...)
}

// Full returns an array of the given shape filled with v (np.full(shape, v)).
func Full(v float64, shape ...int) *Array {
	checkShape("np.Full", shape)
	return tensor.Full(v, shape...)
}

// ZerosLike returns zeros of a's shape (np.zeros_like).
func ZerosLike(a *Array) *Array { return tensor.New[float64](asArray(a).Shape...) }

// OnesLike returns ones of a's shape (np.ones_like).
func OnesLike(a *Array) *Array { return tensor.Full(1.0, asArray(a).Shape...) }

// FullLike returns an array of a's shape filled with v (np.full_like).
func FullLike(a *Array, v float64) *Array { return tensor.Full(v, asArray(a).Shape...) }

// Values returns a one-dimensional array of the given values
// (np.array([1.0, 2.0, 3.0])); Reshape gives it more dimensions.
func Values(v ...float64) *Array {
	return &Array{Shape: []int{len(v)}, Data: append([]float64(nil), v...)}
}

// Matrix returns a two-dimensional array from its rows
// (np.array([[1, 2], [3, 4]])). All rows must have the same length.
func Matrix(rows ...[]float64) *Array {
	if len(rows) == 0 {
		return Zeros(0, 0)
	}
	out := Zeros(len(rows), len(rows[0]))
	for i, r := range rows {
		if len(r) != len(rows[0]) {
			mistake.Panicf("np.Matrix: row %d has %d values, row 0 has %d", i, len(r), len(rows[0]))
		}
		copy(out.Row(i), r)
	}
	return out
}

// Arange returns 0, 1, …, n−1 (np.arange(n)).
func Arange(n int) *Array {
	out := Zeros(max(n, 0))
	for i := range out.Data {
		out.Data[i] = float64(i)
	}
	return out
}

// Linspace returns n evenly spaced values from lo to hi inclusive
// (np.linspace(lo, hi, n)).
func Linspace(lo, hi float64, n int) *Array {
	if n < 1 {
		mistake.Panicf("np.Linspace: n = %d, need at least 1 value", n)
	}
	out := Zeros(n)
	for i := range out.Data {
		if n == 1 {
			out.Data[i] = lo
			continue
		}
		out.Data[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return out
}

// Reshape returns a's values with a new shape, sharing memory (a.reshape).
// One dimension may be -1: it is inferred from the others.
func Reshape(a *Array, shape ...int) *Array {
	return asArray(a).Reshape(shape...)
}

// Flatten returns a copy of a as one dimension (a.flatten()).
func Flatten(a *Array) *Array {
	c := asArray(a).Clone()
	c.Shape = []int{len(c.Data)}
	return c
}

// Copy returns a copy of a (a.copy()).
func Copy(a *Array) *Array { return asArray(a).Clone() }

// Shape formats a's shape the way NumPy prints a.shape, as a tuple:
// "(60000, 784)", "(10,)".
func Shape(a *Array) string { return tensor.ShapeString(asArray(a).Shape) }

// Float32 returns a float32 copy of x, for float32 networks (nets.Float32),
// as x.astype(np.float32) in NumPy.
func Float32(x *Array) *tensor.Tensor[float32] { return tensor.Cast[float32](x) }

// Float64 returns a float64 copy of a float32 tensor (a float32 network's
// weights or outputs), as x.astype(np.float64) in NumPy.
func Float64(x *tensor.Tensor[float32]) *Array { return tensor.Cast[float64](x) }

package tensor

import (
	"fmt"
	"math"

	"github.com/dlnb/course/dlnb/mistake"
)

// Fill sets every element to v.
func (t *Tensor[T]) Fill(v T) {
	for i := range t.Data {
		t.Data[i] = v
	}
}

// Scale multiplies every element by alpha.
func (t *Tensor[T]) Scale(alpha T) {
	for i := range t.Data {
		t.Data[i] *= alpha
	}
}

// AddScaled computes t += alpha·x element by element (x must have t's
// shape). With alpha = −lr it is the SGD step p -= lr·g: the product is
// rounded before the addition, exactly as NumPy evaluates p -= lr * g.
func (t *Tensor[T]) AddScaled(alpha T, x *Tensor[T]) {
	t.mustMatch("AddScaled", x)
	for i, v := range x.Data {
		t.Data[i] += T(alpha * v)
	}
}

// Add computes t += x element by element (NumPy's t += x for equal shapes).
func (t *Tensor[T]) Add(x *Tensor[T]) {
	t.mustMatch("Add", x)
	for i, v := range x.Data {
		t.Data[i] += v
	}
}

// Sub computes t -= x element by element (params[key] -= step).
func (t *Tensor[T]) Sub(x *Tensor[T]) {
	t.mustMatch("Sub", x)
	for i, v := range x.Data {
		t.Data[i] -= v
	}
}

// Mul computes t *= x element by element (the Hadamard product).
func (t *Tensor[T]) Mul(x *Tensor[T]) {
	t.mustMatch("Mul", x)
	for i, v := range x.Data {
		t.Data[i] *= v
	}
}

// mustMatch panics with a *mistake.Error when x does not have t's shape.
func (t *Tensor[T]) mustMatch(op string, x *Tensor[T]) {
	if x == nil || !SameShape(t.Shape, x.Shape) {
		var xs []int
		if x != nil {
			xs = x.Shape
		}
		mistake.Panic(&ShapeError{Op: op, A: t.Shape, B: xs})
	}
}

// Apply replaces every element v by f(v).
func (t *Tensor[T]) Apply(f func(T) T) {
	for i, v := range t.Data {
		t.Data[i] = f(v)
	}
}

// Map returns a new tensor with f applied to every element.
func (t *Tensor[T]) Map(f func(T) T) *Tensor[T] {
	out := t.Clone()
	out.Apply(f)
	return out
}

// Sum returns the sum of all elements, accumulated in float64.
func (t *Tensor[T]) Sum() float64 {
	s := 0.0
	for _, v := range t.Data {
		s += float64(v)
	}
	return s
}

// SumSquares returns Σ v², accumulated in float64 (the L2 penalty's ‖W‖²).
func (t *Tensor[T]) SumSquares() float64 {
	s := 0.0
	for _, v := range t.Data {
		s += float64(v) * float64(v)
	}
	return s
}

// SumAbs returns Σ |v| (the L1 penalty's ‖W‖₁).
func (t *Tensor[T]) SumAbs() float64 {
	s := 0.0
	for _, v := range t.Data {
		s += math.Abs(float64(v))
	}
	return s
}

// Mean returns the arithmetic mean of all elements (NaN for an empty tensor).
func (t *Tensor[T]) Mean() float64 { return t.Sum() / float64(len(t.Data)) }

// Max returns the largest element (−Inf for an empty tensor).
func (t *Tensor[T]) Max() T {
	m := T(math.Inf(-1))
	for _, v := range t.Data {
		if v > m {
			m = v
		}
	}
	return m
}

// Min returns the smallest element (+Inf for an empty tensor).
func (t *Tensor[T]) Min() T {
	m := T(math.Inf(1))
	for _, v := range t.Data {
		if v < m {
			m = v
		}
	}
	return m
}

// HasNaNOrInf reports whether any element is NaN or ±Inf.
func (t *Tensor[T]) HasNaNOrInf() bool {
	for _, v := range t.Data {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return true
		}
	}
	return false
}

// ArgMaxRows returns, for each row of t seen as Rows()×Cols(), the index of
// its largest element (the first one on ties, as np.argmax(axis=1)).
func (t *Tensor[T]) ArgMaxRows() []int {
	n, c := t.Rows(), t.Cols()
	out := make([]int, n)
	for i := range n {
		row := t.Data[i*c : (i+1)*c]
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		out[i] = best
	}
	return out
}

// SumRows returns the column sums of t seen as Rows()×Cols(): np.sum(t, axis=0)
// for a matrix, the bias gradient db = Σ_rows dout.
func (t *Tensor[T]) SumRows() *Tensor[T] {
	out := New[T](t.Cols())
	SumRowsInto(out.Data, t.Data, t.Rows(), t.Cols())
	return out
}

// SumRowsInto writes the column sums of the rows×cols matrix m into dst.
func SumRowsInto[T Float](dst, m []T, rows, cols int) {
	clear(dst[:cols])
	for i := range rows {
		row := m[i*cols : (i+1)*cols]
		for j, v := range row {
			dst[j] += v
		}
	}
}

// Take returns a new tensor made of the given rows of t along its first
// dimension, like x[idx] in NumPy (a mini-batch: x_train[batch_mask]). An
// index out of range panics with a *mistake.Error (package mistake).
func (t *Tensor[T]) Take(idx []int) *Tensor[T] {
	out := New[T](append([]int{len(idx)}, t.Shape[min(1, len(t.Shape)):]...)...)
	mistake.Panic(SelectRowsInto(out, t, idx))
	return out
}

// SelectRowsInto copies the rows idx of x into dst, which must have shape
// (len(idx), x.Shape[1:]...).
func SelectRowsInto[T Float](dst, x *Tensor[T], idx []int) error {
	if len(x.Shape) == 0 || len(dst.Shape) == 0 || dst.Shape[0] != len(idx) || !SameShape(dst.Shape[1:], x.Shape[1:]) {
		return &ShapeError{Op: "SelectRows", A: dst.Shape, B: x.Shape, Reason: fmt.Sprintf("%d rows selected", len(idx))}
	}
	c := x.Cols()
	for i, r := range idx {
		if r < 0 || r >= x.Shape[0] {
			return fmt.Errorf("tensor: SelectRows: row %d out of range [0, %d)", r, x.Shape[0])
		}
		copy(dst.Data[i*c:(i+1)*c], x.Data[r*c:(r+1)*c])
	}
	return nil
}

// Slice returns rows [lo, hi) of t along its first dimension, sharing
// memory (x[lo:hi] in NumPy; x_train[:5000] is x.Slice(0, 5000)). A range
// outside the rows panics with a *mistake.Error (package mistake).
func (t *Tensor[T]) Slice(lo, hi int) *Tensor[T] {
	if len(t.Shape) == 0 || lo < 0 || hi > t.Shape[0] || lo > hi {
		mistake.Panicf("tensor: slice [%d:%d] out of range for shape %s", lo, hi, ShapeString(t.Shape))
	}
	c := t.Cols()
	s := append([]int{hi - lo}, t.Shape[1:]...)
	return &Tensor[T]{Shape: s, Data: t.Data[lo*c : hi*c]}
}

// Transpose returns the transpose of a matrix (a new tensor).
func Transpose[T Float](m *Tensor[T]) *Tensor[T] {
	if len(m.Shape) != 2 {
		mistake.Panicf("tensor: Transpose needs a matrix, got shape %s", ShapeString(m.Shape))
	}
	r, c := m.Shape[0], m.Shape[1]
	out := New[T](c, r)
	for i := range r {
		for j := range c {
			out.Data[j*r+i] = m.Data[i*c+j]
		}
	}
	return out
}

// Permute returns a copy of t with its axes reordered: out's axis i is t's
// axis axes[i] (NumPy's x.transpose(axes)).
func Permute[T Float](t *Tensor[T], axes ...int) *Tensor[T] {
	nd := len(t.Shape)
	if len(axes) != nd {
		mistake.Panicf("tensor: Permute: %d axes for shape %s", len(axes), ShapeString(t.Shape))
	}
	seen := make([]bool, nd)
	shape := make([]int, nd)
	for i, a := range axes {
		if a < 0 || a >= nd || seen[a] {
			mistake.Panicf("tensor: Permute: axes %v are not a permutation of 0..%d", axes, nd-1)
		}
		seen[a] = true
		shape[i] = t.Shape[a]
	}
	// Strides of t, reordered to out's axes.
	strides := make([]int, nd)
	s := 1
	for i := nd - 1; i >= 0; i-- {
		strides[i] = s
		s *= t.Shape[i]
	}
	ps := make([]int, nd)
	for i, a := range axes {
		ps[i] = strides[a]
	}
	out := New[T](shape...)
	if nd == 0 || len(out.Data) == 0 {
		copy(out.Data, t.Data)
		return out
	}
	// Walk out in runs along its last axis (step ps[nd-1] in t); only
	// between runs does the odometer move over the other axes.
	n, step := shape[nd-1], ps[nd-1]
	idx := make([]int, nd)
	src := 0
	for k := 0; k < len(out.Data); k += n {
		dst, s := out.Data[k:k+n], src
		for j := range dst {
			dst[j] = t.Data[s]
			s += step
		}
		for d := nd - 2; d >= 0; d-- {
			idx[d]++
			src += ps[d]
			if idx[d] < shape[d] {
				break
			}
			src -= ps[d] * shape[d]
			idx[d] = 0
		}
	}
	return out
}

// AddRows adds the vector b to every row of t (NumPy's broadcasting in
// np.dot(x, W) + b); b must have Cols() elements.
func (t *Tensor[T]) AddRows(b *Tensor[T]) {
	c := t.Cols()
	if len(b.Data) != c || len(b.Shape) != 1 {
		mistake.Panic(&ShapeError{Op: "AddRows (matrix vs row vector)", A: t.Shape, B: b.Shape})
	}
	for i := range t.Rows() {
		row := t.Data[i*c : (i+1)*c]
		for j, v := range b.Data {
			row[j] += v
		}
	}
}

package tensor

import (
	"fmt"
	"strings"

	"github.com/dlnb/course/dlnb/mistake"
)

// Float is the element type of a Tensor: float32 or float64.
type Float interface{ float32 | float64 }

// Tensor is an N-dimensional array stored in row-major order: the element at
// index (i0, i1, …, ik) is Data[((i0·Shape[1]+i1)·Shape[2]+…)+ik]. len(Data)
// always equals the product of Shape. A Tensor with an empty Shape is a scalar.
type Tensor[T Float] struct {
	Shape []int
	Data  []T
}

// New returns a zero-filled tensor of the given shape. A negative dimension
// panics with a *mistake.Error (package mistake).
func New[T Float](shape ...int) *Tensor[T] {
	n := checkedSize(shape)
	return &Tensor[T]{Shape: append([]int(nil), shape...), Data: make([]T, n)}
}

func checkedSize(shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			mistake.Panicf("tensor: negative dimension in shape %s", ShapeString(shape))
		}
		n *= d
	}
	return n
}

// FromSlice wraps data (without copying) in a tensor of the given shape. The
// length of data must equal the product of the dimensions.
func FromSlice[T Float](data []T, shape ...int) (*Tensor[T], error) {
	for _, d := range shape {
		if d < 0 {
			return nil, fmt.Errorf("tensor: negative dimension in shape %s", ShapeString(shape))
		}
	}
	if n := Size(shape); n != len(data) {
		return nil, fmt.Errorf("tensor: %d values do not fill shape %s (%d elements)", len(data), ShapeString(shape), n)
	}
	return &Tensor[T]{Shape: append([]int(nil), shape...), Data: data}, nil
}

// Full returns a tensor of the given shape with every element set to v.
func Full[T Float](v T, shape ...int) *Tensor[T] {
	t := New[T](shape...)
	t.Fill(v)
	return t
}

// Size returns the number of elements of a shape: the product of its dimensions.
func Size(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// Size returns the number of elements.
func (t *Tensor[T]) Size() int { return len(t.Data) }

// Dims returns the number of dimensions (ndim).
func (t *Tensor[T]) Dims() int { return len(t.Shape) }

// Rows returns the size of the first dimension (the batch size N), or 1 for a scalar.
func (t *Tensor[T]) Rows() int {
	if len(t.Shape) == 0 {
		return 1
	}
	return t.Shape[0]
}

// Cols returns the number of elements per row: Size()/Rows(). For a batch of
// N×C×H×W images it is C·H·W, the width of the batch flattened to 2-D.
func (t *Tensor[T]) Cols() int {
	if r := t.Rows(); r > 0 {
		return len(t.Data) / r
	}
	return Size(t.Shape[min(1, len(t.Shape)):])
}

// Row returns row i of the tensor seen as Rows()×Cols(), sharing memory.
func (t *Tensor[T]) Row(i int) []T {
	c := t.Cols()
	return t.Data[i*c : (i+1)*c]
}

// SameShape reports whether two shapes are equal.
func SameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ShapeString formats a shape like a Python tuple: (100, 784), (10,), ().
func ShapeString(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	if len(parts) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// Clone returns a deep copy.
func (t *Tensor[T]) Clone() *Tensor[T] {
	return &Tensor[T]{Shape: append([]int(nil), t.Shape...), Data: append([]T(nil), t.Data...)}
}

// CopyFrom copies src's values into t; the shapes must be equal.
func (t *Tensor[T]) CopyFrom(src *Tensor[T]) {
	t.mustMatch("CopyFrom", src)
	copy(t.Data, src.Data)
}

// Reshape returns a tensor sharing t's data with a new shape. One dimension
// may be -1: it is inferred from the others, as in NumPy. A shape that does
// not hold t's elements panics with a *mistake.Error (package mistake).
func (t *Tensor[T]) Reshape(shape ...int) *Tensor[T] {
	s, err := t.reshaped(shape)
	mistake.Panic(err)
	return &Tensor[T]{Shape: s, Data: t.Data}
}

// reshaped returns the shape Reshape gives t, with -1 resolved.
func (t *Tensor[T]) reshaped(shape []int) ([]int, error) {
	s := append([]int(nil), shape...)
	infer, known := -1, 1
	for i, d := range s {
		switch {
		case d == -1 && infer < 0:
			infer = i
		case d < 0:
			return nil, fmt.Errorf("tensor: cannot reshape %s to %s", ShapeString(t.Shape), ShapeString(shape))
		default:
			known *= d
		}
	}
	if infer >= 0 {
		if known == 0 || len(t.Data)%known != 0 {
			return nil, fmt.Errorf("tensor: cannot reshape %s (%d elements) to %s", ShapeString(t.Shape), len(t.Data), ShapeString(shape))
		}
		s[infer] = len(t.Data) / known
	} else if known != len(t.Data) {
		return nil, fmt.Errorf("tensor: cannot reshape %s (%d elements) to %s (%d elements)",
			ShapeString(t.Shape), len(t.Data), ShapeString(shape), known)
	}
	return s, nil
}

// offset returns the position in Data of a full index, or an error.
func (t *Tensor[T]) offset(idx []int) (int, error) {
	if len(idx) != len(t.Shape) {
		return 0, fmt.Errorf("tensor: index %v has %d coordinates for shape %s", idx, len(idx), ShapeString(t.Shape))
	}
	off := 0
	for i, v := range idx {
		if v < 0 || v >= t.Shape[i] {
			return 0, fmt.Errorf("tensor: index %v out of range for shape %s", idx, ShapeString(t.Shape))
		}
		off = off*t.Shape[i] + v
	}
	return off, nil
}

// At returns the element at the given index. An index outside the shape
// panics with a *mistake.Error (package mistake), like a slice access out of range.
func (t *Tensor[T]) At(idx ...int) T {
	off, err := t.offset(idx)
	mistake.Panic(err)
	return t.Data[off]
}

// Set stores v at the given index. An index outside the shape stops.
func (t *Tensor[T]) Set(v T, idx ...int) {
	off, err := t.offset(idx)
	mistake.Panic(err)
	t.Data[off] = v
}

// Cast converts a tensor to another element type, copying the data.
func Cast[U, T Float](t *Tensor[T]) *Tensor[U] {
	out := New[U](t.Shape...)
	for i, v := range t.Data {
		out.Data[i] = U(v)
	}
	return out
}

// Ensure returns buf when it already has the given shape and a new zeroed
// tensor otherwise. Layers use it to reuse their output buffers from one
// step to the next. The contents of a reused buffer are not cleared.
func Ensure[T Float](buf *Tensor[T], shape ...int) *Tensor[T] {
	if buf != nil && SameShape(buf.Shape, shape) {
		return buf
	}
	if buf != nil && cap(buf.Data) >= Size(shape) {
		buf.Shape = append(buf.Shape[:0], shape...)
		buf.Data = buf.Data[:Size(shape)]
		return buf
	}
	return New[T](shape...)
}

// ShapeError reports operands whose shapes do not fit an operation.
type ShapeError struct {
	Op     string // the operation, e.g. "MatMul"
	A, B   []int  // the two shapes
	Reason string // optional detail
}

// Error describes the operation, the shapes and what is wrong with them.
func (e *ShapeError) Error() string {
	msg := fmt.Sprintf("tensor: %s: shapes %s and %s do not match", e.Op, ShapeString(e.A), ShapeString(e.B))
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Item returns the only element of a tensor of size 1, such as the
// 0-dimensional result of np.Sum (NumPy's a.item()). Any other size is a
// mistake: a panic with a *mistake.Error.
func (t *Tensor[T]) Item() T {
	if len(t.Data) != 1 {
		mistake.Panicf("tensor: Item of an array of shape %s (%d elements); it needs exactly one", ShapeString(t.Shape), len(t.Data))
	}
	return t.Data[0]
}

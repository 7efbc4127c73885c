package np

import (
	"fmt"
	"math"
	"strings"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// Span is a slice start:stop:step of one axis, an index of Get, Set and
// AddAt: All (":") or S(start, stop, step).
type Span struct {
	Start, Stop, Step int
	all               bool
}

// All is the whole axis, NumPy's ":" (img[:, :, 0, 0]).
var All = Span{Step: 1, all: true}

// S is the slice start:stop:step of an axis (img[:, :, y:y_max:stride] is
// np.Get(img, np.All, np.All, np.S(y, yMax, stride))); the step is 1 when left
// out. As in Python, a stop beyond the end of the axis stops at the end,
// and a negative start or stop counts from the end.
func S(start, end int, step ...int) Span {
	st := 1
	if len(step) > 1 {
		mistake.Panicf("np.S: one step at most, got %v", step)
	}
	if len(step) == 1 {
		st = step[0]
	}
	return Span{Start: start, Stop: end, Step: st}
}

// String writes the span as NumPy does in an index: ":" or "start:stop:step".
func (s Span) String() string {
	if s.all {
		return ":"
	}
	if s.Step == 1 {
		return fmt.Sprintf("%d:%d", s.Start, s.Stop)
	}
	return fmt.Sprintf("%d:%d:%d", s.Start, s.Stop, s.Step)
}

// selection is an index resolved against a shape: for each axis the
// positions it takes, and the shape of the result (axes indexed by an int
// are dropped, as in NumPy).
type selection struct {
	pos   [][]int
	shape []int
	text  string
}

// indexText writes idx as NumPy's a[...] would, for messages.
func indexText(idx []any) string {
	parts := make([]string, len(idx))
	for i, v := range idx {
		parts[i] = fmt.Sprint(v)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// resolve turns idx into a selection of a's elements. Missing trailing
// indices mean the whole axis, as in NumPy.
func resolve(op string, a *Array, idx []any) selection {
	text := indexText(idx)
	if len(idx) > len(a.Shape) {
		mistake.Panicf("%s: %d indices %s for an array of shape %s", op, len(idx), text, tensor.ShapeString(a.Shape))
	}
	sel := selection{pos: make([][]int, len(a.Shape)), text: text}
	for ax, n := range a.Shape {
		var v any = All
		if ax < len(idx) {
			v = idx[ax]
		}
		switch v := v.(type) {
		case int:
			i := v
			if i < 0 {
				i += n
			}
			if i < 0 || i >= n {
				mistake.Panicf("%s: index %d is out of range for axis %d of size %d (a%s, shape %s)", op, v, ax, n, text, tensor.ShapeString(a.Shape))
			}
			sel.pos[ax] = []int{i}
		case Span:
			if v.Step <= 0 {
				mistake.Panicf("%s: the step of %v must be positive (a%s)", op, v, text)
			}
			start, end := 0, n
			if !v.all {
				start, end = clip(v.Start, n), clip(v.Stop, n)
			}
			for i := start; i < end; i += v.Step {
				sel.pos[ax] = append(sel.pos[ax], i)
			}
			sel.shape = append(sel.shape, len(sel.pos[ax]))
		default:
			mistake.Panicf("%s: index %d is %T; use an int, np.All (:) or np.S(start, stop, step)", op, ax, v)
		}
	}
	if sel.shape == nil {
		sel.shape = []int{}
	}
	return sel
}

// clip maps a slice bound to [0, n] the way Python does.
func clip(i, n int) int {
	if i < 0 {
		i += n
	}
	return min(max(i, 0), n)
}

// each calls f with the offset in a's data of every selected element, in
// the row-major order of the selection.
func (s selection) each(a *Array, f func(k, off int)) {
	strides := make([]int, len(a.Shape))
	st := 1
	for ax := len(a.Shape) - 1; ax >= 0; ax-- {
		strides[ax] = st
		st *= a.Shape[ax]
	}
	for _, p := range s.pos {
		if len(p) == 0 {
			return
		}
	}
	ctr := make([]int, len(a.Shape))
	for k := 0; ; k++ {
		off := 0
		for ax, c := range ctr {
			off += s.pos[ax][c] * strides[ax]
		}
		f(k, off)
		ax := len(ctr) - 1
		for ; ax >= 0; ax-- {
			ctr[ax]++
			if ctr[ax] < len(s.pos[ax]) {
				break
			}
			ctr[ax] = 0
		}
		if ax < 0 {
			return
		}
	}
}

// Get returns a[idx] as a new array: each index is an int (one position;
// the axis disappears), np.All (":") or np.S(start, stop, step). So
//
//	np.Get(img, np.All, np.All, np.S(y, yMax, stride), np.S(x, xMax, stride))
//
// is img[:, :, y:y_max:stride, x:x_max:stride]. (NumPy returns a view; Get
// copies, which only matters when the result is written to.)
func Get(a *Array, idx ...any) *Array {
	a = asArray(a)
	sel := resolve("np.Get", a, idx)
	out := tensor.New[float64](sel.shape...)
	sel.each(a, func(k, off int) { out.Data[k] = a.Data[off] })
	return out
}

// Set assigns v to the elements a[idx] selects, in place: a[idx] = v.
// v is a number or an array that broadcasts to the selection's shape:
//
//	np.Set(col, window, np.All, np.All, y, x, np.All, np.All) // col[:, :, y, x, :, :] = window
func Set[V operand](a *Array, v V, idx ...any) {
	update("np.Set", a, asArray(v), idx, func(_, x float64) float64 { return x })
}

// AddAt adds v to the elements a[idx] selects, in place: a[idx] += v
// (np.add.at(a, idx, v)). v is a number or an array that broadcasts to the
// selection's shape:
//
//	np.AddAt(img, window, np.All, np.All, np.S(y, yMax, stride), np.S(x, xMax, stride))
//	// img[:, :, y:y_max:stride, x:x_max:stride] += window
func AddAt[V operand](a *Array, v V, idx ...any) {
	update("np.AddAt", a, asArray(v), idx, func(old, x float64) float64 { return old + x })
}

func update(op string, a, v *Array, idx []any, f func(old, x float64) float64) {
	if a == nil {
		mistake.Panicf("%s: nil array (an array that was never created)", op)
	}
	sel := resolve(op, a, idx)
	shape, ok := broadcastShape(sel.shape, v.Shape)
	if !ok || !tensor.SameShape(shape, sel.shape) {
		mistake.Panic(&tensor.ShapeError{Op: op, A: sel.shape, B: v.Shape,
			Reason: fmt.Sprintf("the value does not broadcast to the selection a%s of shape %s", sel.text, tensor.ShapeString(sel.shape))})
	}
	if len(v.Data) == 1 {
		x := v.Data[0]
		sel.each(a, func(_, off int) { a.Data[off] = f(a.Data[off], x) })
		return
	}
	vs := stridesFor(v.Shape, sel.shape)
	sel.each(a, func(k, off int) {
		// the index of element k of the selection, mapped into v
		j, rest := 0, k
		for ax := len(sel.shape) - 1; ax >= 0; ax-- {
			j += (rest % sel.shape[ax]) * vs[ax]
			rest /= sel.shape[ax]
		}
		a.Data[off] = f(a.Data[off], v.Data[j])
	})
}

// Floor rounds down elementwise (np.floor; x // 1 for floats).
func Floor(a *Array) *Array { return unary(asArray(a), math.Floor) }

package np

import (
	"math"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/tensor"
)

// broadcastShape returns the shape NumPy broadcasts a and b to: dimensions
// aligned from the right, each pair equal or one of them 1.
func broadcastShape(a, b []int) ([]int, bool) {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := 1; i <= n; i++ {
		da, db := 1, 1
		if i <= len(a) {
			da = a[len(a)-i]
		}
		if i <= len(b) {
			db = b[len(b)-i]
		}
		switch {
		case da == db, db == 1:
			out[n-i] = da
		case da == 1:
			out[n-i] = db
		default:
			return nil, false
		}
	}
	return out, true
}

// stridesFor returns, for each axis of out, the step in a's data when that
// axis advances: 0 where a is broadcast along it.
func stridesFor(a, out []int) []int {
	st := make([]int, len(out))
	s := 1
	for i := 1; i <= len(a); i++ {
		d := a[len(a)-i]
		if d != 1 {
			st[len(out)-i] = s
		}
		s *= d
	}
	return st
}

// broadcast applies f to every pair of broadcast elements of a and b.
//
// The output is walked in runs along its last axis: within a run, a and b
// step by 1 (or 0 where that axis is broadcast), and only between runs are
// their offsets worked out from the other axes. Large outputs split their
// runs across the cores; every element is computed the same way either way.
func broadcast(op string, a, b *Array, f func(x, y float64) float64) *Array {
	shape := a.Shape
	if !tensor.SameShape(a.Shape, b.Shape) {
		var ok bool
		if shape, ok = broadcastShape(a.Shape, b.Shape); !ok {
			mistake.Panic(&tensor.ShapeError{Op: op, A: a.Shape, B: b.Shape, Reason: "they do not broadcast (NumPy aligns shapes from the right; each pair of sizes must be equal or 1)"})
		}
	}
	out := tensor.New[float64](shape...)
	if len(out.Data) == 0 {
		return out
	}
	sa, sb := stridesFor(a.Shape, shape), stridesFor(b.Shape, shape)
	n, sx, sy := 1, 0, 0
	if d := len(shape) - 1; d >= 0 {
		n, sx, sy = shape[d], sa[d], sb[d]
	}
	runs := len(out.Data) / n
	backend.Parallel(runs, max(1, parallelGrain/n), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			ia, ib := runOffset(r, shape, sa), runOffset(r, shape, sb)
			applyRun(out.Data[r*n:(r+1)*n], a.Data, b.Data, ia, ib, sx, sy, f)
		}
	})
	return out
}

// parallelGrain is the fewest elements worth handing to another core.
const parallelGrain = 1 << 15

// runOffset returns where run r (the r-th position over all axes but the
// last, in row-major order) starts in an array with strides st along shape.
func runOffset(r int, shape, st []int) int {
	off := 0
	for d := len(shape) - 2; d >= 0 && r > 0; d-- {
		off += (r % shape[d]) * st[d]
		r /= shape[d]
	}
	return off
}

// applyRun sets dst[j] = f(x[ix + j·sx], y[iy + j·sy]); sx and sy are 0 or 1.
func applyRun(dst, x, y []float64, ix, iy, sx, sy int, f func(x, y float64) float64) {
	n := len(dst)
	switch {
	case sx == 1 && sy == 1:
		x, y = x[ix:ix+n], y[iy:iy+n]
		for j := range dst {
			dst[j] = f(x[j], y[j])
		}
	case sx == 1:
		x, v := x[ix:ix+n], y[iy]
		for j := range dst {
			dst[j] = f(x[j], v)
		}
	case sy == 1:
		u, y := x[ix], y[iy:iy+n]
		for j := range dst {
			dst[j] = f(u, y[j])
		}
	default:
		v := f(x[ix], y[iy])
		for j := range dst {
			dst[j] = v
		}
	}
}

// Add returns a + b elementwise, with broadcasting (np.add, the + operator).
func Add[A, B operand](a A, b B) *Array {
	return broadcast("np.Add", asArray(a), asArray(b), func(x, y float64) float64 { return x + y })
}

// Subtract returns a − b (np.subtract, the - operator).
func Subtract[A, B operand](a A, b B) *Array {
	return broadcast("np.Subtract", asArray(a), asArray(b), func(x, y float64) float64 { return x - y })
}

// Multiply returns a · b elementwise (np.multiply, the * operator).
func Multiply[A, B operand](a A, b B) *Array {
	return broadcast("np.Multiply", asArray(a), asArray(b), func(x, y float64) float64 { return x * y })
}

// Divide returns a / b elementwise (np.divide, the / operator).
func Divide[A, B operand](a A, b B) *Array {
	return broadcast("np.Divide", asArray(a), asArray(b), func(x, y float64) float64 { return x / y })
}

// Power returns a ** b elementwise (np.power, the ** operator). Squares are
// computed as x·x, as NumPy does.
func Power[A, B operand](a A, b B) *Array {
	return broadcast("np.Power", asArray(a), asArray(b), func(x, y float64) float64 {
		if y == 2 {
			return x * x
		}
		return math.Pow(x, y)
	})
}

// Maximum returns the larger of a and b elementwise (np.maximum).
func Maximum[A, B operand](a A, b B) *Array {
	return broadcast("np.Maximum", asArray(a), asArray(b), func(x, y float64) float64 {
		if x != x || x > y { // NaN propagates, as in NumPy
			return x
		}
		return y
	})
}

// Minimum returns the smaller of a and b elementwise (np.minimum).
func Minimum[A, B operand](a A, b B) *Array {
	return broadcast("np.Minimum", asArray(a), asArray(b), func(x, y float64) float64 {
		if x != x || x < y {
			return x
		}
		return y
	})
}

// unary applies f to every element of a in a new array.
func unary(a *Array, f func(float64) float64) *Array {
	out := tensor.New[float64](a.Shape...)
	for i, x := range a.Data {
		out.Data[i] = f(x)
	}
	return out
}

// Exp returns eˣ elementwise (np.exp), math.Exp's numbers.
func Exp(a *Array) *Array {
	if backend.Fast() { // the same numbers, four at a time
		a = asArray(a)
		out := tensor.New[float64](a.Shape...)
		backend.Exp(out.Data, a.Data)
		return out
	}
	return unary(asArray(a), math.Exp)
}

// Log returns the natural logarithm elementwise (np.log).
func Log(a *Array) *Array { return unary(asArray(a), math.Log) }

// Sqrt returns the square root elementwise (np.sqrt).
func Sqrt(a *Array) *Array { return unary(asArray(a), math.Sqrt) }

// Abs returns |x| elementwise (np.abs).
func Abs(a *Array) *Array { return unary(asArray(a), math.Abs) }

// Tanh returns tanh(x) elementwise (np.tanh).
func Tanh(a *Array) *Array { return unary(asArray(a), math.Tanh) }

// Sign returns −1, 0 or 1 by the sign of each element (np.sign).
func Sign(a *Array) *Array {
	return unary(asArray(a), func(x float64) float64 {
		switch {
		case x > 0:
			return 1
		case x < 0:
			return -1
		}
		return x // 0, or NaN
	})
}

// compare returns the mask of pairs for which f holds, with broadcasting.
func compare(op string, a, b *Array, f func(x, y float64) bool) *Mask {
	r := broadcast(op, a, b, func(x, y float64) float64 {
		if f(x, y) {
			return 1
		}
		return 0
	})
	m := &Mask{Shape: r.Shape, Data: make([]bool, len(r.Data))}
	for i, v := range r.Data {
		m.Data[i] = v != 0
	}
	return m
}

// Greater returns the mask a > b (the > operator).
func Greater[A, B operand](a A, b B) *Mask {
	return compare("np.Greater", asArray(a), asArray(b), func(x, y float64) bool { return x > y })
}

// GreaterEqual returns the mask a >= b.
func GreaterEqual[A, B operand](a A, b B) *Mask {
	return compare("np.GreaterEqual", asArray(a), asArray(b), func(x, y float64) bool { return x >= y })
}

// Less returns the mask a < b.
func Less[A, B operand](a A, b B) *Mask {
	return compare("np.Less", asArray(a), asArray(b), func(x, y float64) bool { return x < y })
}

// LessEqual returns the mask a <= b (Relu's self.mask = (x <= 0)).
func LessEqual[A, B operand](a A, b B) *Mask {
	return compare("np.LessEqual", asArray(a), asArray(b), func(x, y float64) bool { return x <= y })
}

// Equal returns the mask a == b (np.sum(y == d) counts correct answers).
func Equal[A, B operand](a A, b B) *Mask {
	return compare("np.Equal", asArray(a), asArray(b), func(x, y float64) bool { return x == y })
}

// Where returns a where cond is true and b elsewhere (np.where(cond, a, b)),
// with the three broadcast together.
func Where[A, B operand](cond *Mask, a A, b B) *Array {
	if cond == nil {
		mistake.Panicf("np.Where: nil mask")
	}
	c, x, y := cond.Float(), asArray(a), asArray(b)
	shape, ok := broadcastShape(c.Shape, x.Shape)
	if ok {
		shape, ok = broadcastShape(shape, y.Shape)
	}
	if !ok {
		mistake.Panicf("np.Where: mask %s and values %s and %s do not broadcast", tensor.ShapeString(c.Shape),
			tensor.ShapeString(x.Shape), tensor.ShapeString(y.Shape))
	}
	c, x, y = broadcastTo(c, shape), broadcastTo(x, shape), broadcastTo(y, shape)
	out := tensor.New[float64](shape...)
	for i := range out.Data {
		if c.Data[i] != 0 {
			out.Data[i] = x.Data[i]
		} else {
			out.Data[i] = y.Data[i]
		}
	}
	return out
}

// broadcastTo returns a broadcast to shape (np.broadcast_to, as a copy).
func broadcastTo(a *Array, shape []int) *Array {
	return broadcast("np.broadcast_to", a, tensor.New[float64](shape...), func(x, _ float64) float64 { return x })
}

// Putmask sets the elements of a where mask is true to v, in place
// (a[mask] = v, np.putmask(a, mask, v)).
func Putmask(a *Array, mask *Mask, v float64) {
	a = asArray(a)
	if mask == nil || !tensor.SameShape(a.Shape, mask.Shape) {
		var ms []int
		if mask != nil {
			ms = mask.Shape
		}
		mistake.Panic(&tensor.ShapeError{Op: "np.Putmask (array vs mask)", A: a.Shape, B: ms})
	}
	for i, m := range mask.Data {
		if m {
			a.Data[i] = v
		}
	}
}

package np

import (
	"math"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/internal/stop"
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
func broadcast(op string, a, b *Array, f func(x, y float64) float64) *Array {
	if tensor.SameShape(a.Shape, b.Shape) {
		out := tensor.New[float64](a.Shape...)
		for i, x := range a.Data {
			out.Data[i] = f(x, b.Data[i])
		}
		return out
	}
	shape, ok := broadcastShape(a.Shape, b.Shape)
	if !ok {
		stop.With(&tensor.ShapeError{Op: op, A: a.Shape, B: b.Shape, Reason: "they do not broadcast (NumPy aligns shapes from the right; each pair of sizes must be equal or 1)"})
	}
	out := tensor.New[float64](shape...)
	if len(b.Data) == 1 {
		y := b.Data[0]
		for i, x := range a.Data {
			out.Data[i] = f(x, y)
		}
		return out
	}
	if len(a.Data) == 1 {
		x := a.Data[0]
		for i, y := range b.Data {
			out.Data[i] = f(x, y)
		}
		return out
	}
	sa, sb := stridesFor(a.Shape, shape), stridesFor(b.Shape, shape)
	idx := make([]int, len(shape))
	ia, ib := 0, 0
	for k := range out.Data {
		out.Data[k] = f(a.Data[ia], b.Data[ib])
		for d := len(shape) - 1; d >= 0; d-- {
			idx[d]++
			ia += sa[d]
			ib += sb[d]
			if idx[d] < shape[d] {
				break
			}
			ia -= sa[d] * shape[d]
			ib -= sb[d] * shape[d]
			idx[d] = 0
		}
	}
	return out
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
		stop.Errorf("np.Where: nil mask")
	}
	c, x, y := cond.Float(), asArray(a), asArray(b)
	shape, ok := broadcastShape(c.Shape, x.Shape)
	if ok {
		shape, ok = broadcastShape(shape, y.Shape)
	}
	if !ok {
		stop.Errorf("np.Where: mask %s and values %s and %s do not broadcast", tensor.ShapeString(c.Shape),
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
		stop.With(&tensor.ShapeError{Op: "np.Putmask (array vs mask)", A: a.Shape, B: ms})
	}
	for i, m := range mask.Data {
		if m {
			a.Data[i] = v
		}
	}
}

package tensor

import (
	"math"
	"strconv"
	"strings"
)

// printThreshold and edgeItems follow NumPy's print options: arrays with more
// than 1000 elements are summarised with "..." keeping 3 items at each edge.
const (
	printThreshold = 1000
	edgeItems      = 3
	maxPrecision   = 8
)

// String formats the tensor the way NumPy prints an array: nested brackets,
// aligned columns, "54." for whole numbers, at most 8 decimals, scientific
// notation for very large or small magnitudes, and "..." for big arrays.
func (t *Tensor[T]) String() string {
	if len(t.Shape) == 0 {
		if len(t.Data) == 0 {
			return "[]"
		}
		return formatOne(float64(t.Data[0]), numFormat(t.Data, false))
	}
	summarise := len(t.Data) > printThreshold
	f := numFormat(visible(t, summarise), summarise)
	var sb strings.Builder
	writeArray(&sb, t, f, 0, 0, summarise)
	return sb.String()
}

// format describes how every element of one array is printed.
type format struct {
	sci     bool
	intOnly bool
	frac    int // digits after the point
	width   int // total width of a field
}

// visible returns the elements that will be printed.
func visible[T Float](t *Tensor[T], summarise bool) []T {
	if !summarise {
		return t.Data
	}
	var out []T
	var walk func(off, dim int)
	walk = func(off, dim int) {
		stride := Size(t.Shape[dim+1:])
		for _, i := range indices(t.Shape[dim], true) {
			if i < 0 {
				continue
			}
			if dim == len(t.Shape)-1 {
				out = append(out, t.Data[off+i])
			} else {
				walk(off+i*stride, dim+1)
			}
		}
	}
	walk(0, 0)
	return out
}

// indices lists which positions of a dimension of size n are printed.
func indices(n int, summarise bool) []int {
	var idx []int
	if summarise && n > 2*edgeItems {
		for i := range edgeItems {
			idx = append(idx, i)
		}
		idx = append(idx, -1) // the "..." marker
		for i := n - edgeItems; i < n; i++ {
			idx = append(idx, i)
		}
		return idx
	}
	for i := range n {
		idx = append(idx, i)
	}
	return idx
}

func numFormat[T Float](data []T, _ bool) format {
	f := format{intOnly: true}
	maxAbs, minAbs := 0.0, math.Inf(1)
	finite := false
	for _, v := range data {
		x := float64(v)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		finite = true
		a := math.Abs(x)
		maxAbs = math.Max(maxAbs, a)
		if a != 0 {
			minAbs = math.Min(minAbs, a)
		}
		if x != math.Trunc(x) {
			f.intOnly = false
		}
	}
	if finite && (maxAbs >= 1e8 || minAbs < 1e-4 || (minAbs != math.Inf(1) && maxAbs/minAbs > 1e3)) {
		f.sci = true
		for _, v := range data {
			s := strconv.FormatFloat(float64(v), 'e', maxPrecision, 64)
			if mant, _, ok := strings.Cut(s, "e"); ok {
				if _, fr, ok := strings.Cut(mant, "."); ok {
					f.frac = max(f.frac, len(strings.TrimRight(fr, "0")))
				}
			}
		}
	} else if !f.intOnly {
		// Digits needed after rounding to 8 decimals (NumPy's "maxprec").
		for _, v := range data {
			s := strconv.FormatFloat(float64(v), 'f', maxPrecision, 64)
			if _, fr, ok := strings.Cut(s, "."); ok {
				f.frac = max(f.frac, len(strings.TrimRight(fr, "0")))
			}
		}
	}
	for _, v := range data {
		f.width = max(f.width, len(formatOne(float64(v), f)))
	}
	return f
}

func formatOne(x float64, f format) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	case f.sci:
		mant, exp, _ := strings.Cut(strconv.FormatFloat(x, 'e', f.frac, 64), "e")
		if f.frac == 0 {
			mant += "." // NumPy prints 1.e-05
		}
		return mant + "e" + exp
	case f.intOnly:
		return strconv.FormatFloat(x, 'f', 0, 64) + "."
	default:
		s := strconv.FormatFloat(x, 'f', f.frac, 64)
		// NumPy drops trailing zeros of each value and pads with spaces instead.
		if strings.Contains(s, ".") {
			trimmed := strings.TrimRight(s, "0")
			s = trimmed + strings.Repeat(" ", len(s)-len(trimmed))
		}
		return s
	}
}

func writeArray[T Float](sb *strings.Builder, t *Tensor[T], f format, off, dim int, summarise bool) {
	sb.WriteByte('[')
	n := t.Shape[dim]
	stride := Size(t.Shape[dim+1:])
	last := dim == len(t.Shape)-1
	for k, i := range indices(n, summarise) {
		if k > 0 {
			if last {
				sb.WriteByte(' ')
			} else {
				sb.WriteString(strings.Repeat("\n", len(t.Shape)-dim-1))
				sb.WriteString(strings.Repeat(" ", dim+1))
			}
		}
		if i < 0 {
			sb.WriteString("...")
			continue
		}
		if last {
			s := formatOne(float64(t.Data[off+i]), f)
			sb.WriteString(strings.Repeat(" ", f.width-len(s)))
			sb.WriteString(s)
		} else {
			writeArray(sb, t, f, off+i*stride, dim+1, summarise)
		}
	}
	sb.WriteByte(']')
}

package loops

import (
	"math"

	"github.com/dlnb/course/dlnb/tensor"
)

// ReluForward writes max(x, 0) to out (layers.Relu's forward pass).
func ReluForward[T tensor.Float](out, x []T) {
	for i, v := range x {
		out[i] = max(v, 0)
	}
}

// ReluBackward writes dout where out > 0, else 0, to dx (layers.Relu's
// backward pass).
func ReluBackward[T tensor.Float](dx, dout, out []T) {
	for i, g := range dout {
		if out[i] > 0 {
			dx[i] = g
		} else {
			dx[i] = 0
		}
	}
}

// Adam applies the course's Adam step to p with moments m and v (optim.Adam):
// m += b1·(g − m); v += b2·(g² − v); p −= lr·m/(√v + eps).
func Adam[T tensor.Float](p, g, m, v []T, lr, b1, b2, eps T) {
	for i := range p {
		gi := g[i]
		m[i] += T(b1 * (gi - m[i]))
		v[i] += T(b2 * (T(gi*gi) - v[i]))
		p[i] -= T(lr*m[i]) / (T(math.Sqrt(float64(v[i]))) + eps)
	}
}

// RowSumAdd adds the sum of each row of the rows×cols matrix m to dst, each
// sum taken from 0 in the order of the row (a convolution's bias gradient).
func RowSumAdd[T tensor.Float](dst, m []T, rows, cols int) {
	for r := range rows {
		s := T(0)
		for _, v := range m[r*cols : (r+1)*cols] {
			s += v
		}
		dst[r] += s
	}
}

// MaxPool pools one plane (row width w) by ph×pw windows moving by stride,
// every window inside the plane (no padding): oh×ow maxima to dst and the
// index of each within the plane to am. The first maximum of a window, in
// the order of its rows and columns, wins, as np.argmax; a NaN wins only
// when it comes first.
func MaxPool[T tensor.Float](dst []T, am []int32, src []T, w, ph, pw, stride, oh, ow int) {
	for oy := range oh {
		for ox := range ow {
			start := oy*stride*w + ox*stride
			best, bi := src[start], start
			for ky := range ph {
				row := start + ky*w
				for i, v := range src[row : row+pw] {
					if v > best { // first maximum wins, as np.argmax
						best, bi = v, row+i
					}
				}
			}
			dst[oy*ow+ox], am[oy*ow+ox] = best, int32(bi)
		}
	}
}

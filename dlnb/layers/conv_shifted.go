package layers

import (
	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/tensor"
)

// useShifted lets convolutions leave their column matrices implicit (see
// shiftedCols) when the kernels allow it; tests and benchmarks turn it off
// to compare with the written-out matrices; alwaysShift makes them leave
// the matrices implicit whenever that gives the same numbers, paying or not.
var useShifted, alwaysShift = true, false

// shiftedCols is the column matrix of a stride-1 convolution over one
// (C, H, W) image, left implicit. Rather than writing out its C·FH·FW rows
// of OH·OW values (im2col), the layer pads the image into a buffer of C
// planes of Hp×Wp = (H+2·Pad)×(W+2·Pad); row (c, ky, kx) of the matrix is
// then that buffer read from offset c·Hp·Wp + ky·Wp + kx on (the padded
// image shifted by one filter tap), provided the output is laid out Wp
// values per row: product column oy·Wp + ox holds output pixel (oy, ox), and
// the last Wp − OW columns of each row are junk. backend.GemmRows multiplies
// by such a matrix directly; multiply then drops the junk columns.
//
// For example, a 3×3 filter with Pad 1 over a 4×4 plane: Wp = 6, and the
// row of tap (ky, kx) = (1, 2) starts at 1·6 + 2 = 8 in the padded plane:
//
//	padded plane (6×6)        row (1, 2), read from offset 8
//	0 0 0 0 0 0               x01 x02 x03 0 │ . .   ← output row 0, 2 junk
//	0 x00 x01 x02 x03 0       x11 x12 x13 0 │ . .   ← output row 1
//	0 x10 ...                 ...
//
// which is the im2col row of that tap: x[oy][ox+1] for ox < 3, and the
// padding's 0 for ox = 3. For K > 16 the product sums every entry in the
// order tensor.Gemm sums it on the written-out matrix, so both ways give the
// same numbers bit for bit (pays never picks this way for K ≤ 16). The padded
// image is about FH·FW times smaller than the column matrix and stays in
// cache.
type shiftedCols struct {
	c, h, w, pad int // the image and its padding
	oh, ow       int // the output plane
	hp, wp       int // the padded plane
	n            int // product columns: (OH−1)·Wp + OW
	off          []int
	size         int // buffer length: C·Hp·Wp, then n ones when ones is set
}

// set describes the image (c, h, w) under fh×fw filters with padding pad;
// with ones, the matrix gets a last row of ones (for the bias). It returns s.
func (s *shiftedCols) set(c, h, w, fh, fw, pad int, ones bool) *shiftedCols {
	s.c, s.h, s.w, s.pad = c, h, w, pad
	s.hp, s.wp = h+2*pad, w+2*pad
	s.oh, s.ow = s.hp-fh+1, s.wp-fw+1
	s.n = (s.oh-1)*s.wp + s.ow
	s.off = s.off[:0]
	for ch := range c {
		for ky := range fh {
			for kx := range fw {
				s.off = append(s.off, ch*s.hp*s.wp+ky*s.wp+kx)
			}
		}
	}
	s.size = c * s.hp * s.wp
	if ones {
		s.off = append(s.off, s.size)
		s.size += s.n
	}
	return s
}

// pays reports whether multiplying rows filters by the implicit matrix is
// likely faster than writing it out. It costs rows·(n − OH·OW)·K multiply-adds
// on the junk columns, against K·OH·OW values written and read again; on
// this project's machines (AVX2, measured with BenchmarkConv) the junk wins
// up to about 4 columns' worth of multiply-adds per value: a 28×28 or 14×14
// map under 16 to 32 filters, or any map under a single one. For K ≤ 16
// (one input channel) the written-out matrix takes the GEMM's faster
// small-k path, so it stays.
func (s *shiftedCols) pays(rows int) bool {
	p := s.oh * s.ow
	return len(s.off) > 16 && (alwaysShift || rows*(s.n-p) <= 4*p)
}

// padInto writes img (c, h, w) into buf with pad zeros around each plane
// and, when s has a row of ones, the ones after the planes.
func padInto[T tensor.Float](s *shiftedCols, buf, img []T) {
	i := 0
	for ch := range s.c {
		plane := img[ch*s.h*s.w : (ch+1)*s.h*s.w]
		for r := range s.hp {
			row := buf[i : i+s.wp]
			i += s.wp
			y := r - s.pad
			if y < 0 || y >= s.h {
				clear(row)
				continue
			}
			clear(row[:s.pad])
			copy(row[s.pad:], plane[y*s.w:(y+1)*s.w])
			clear(row[s.pad+s.w:])
		}
	}
	for j := i; j < s.size; j++ {
		buf[j] = 1
	}
}

// multiply computes out (rows, OH, OW) = a (rows × len(off), row stride lda)
// times the column matrix of the image padded in buf, through ext (rows ×
// n values of scratch).
func multiply[T tensor.Float](s *shiftedCols, out []T, rows int, a []T, lda int, buf, ext []T) {
	backend.GemmRows(rows, s.n, len(s.off), a, lda, buf, s.off, ext, s.n)
	for r := range rows {
		for oy := range s.oh {
			copy(out[(r*s.oh+oy)*s.ow:(r*s.oh+oy+1)*s.ow], ext[r*s.n+oy*s.wp:])
		}
	}
}

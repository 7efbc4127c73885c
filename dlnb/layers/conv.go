package layers

import (
	"fmt"

	"github.com/dlnb/course/dlnb/internal/loops"
	"github.com/dlnb/course/dlnb/mistake"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/tensor"
)

// Convolution applies FN filters of shape (C, FH, FW) to a batch of images
// (N, C, H, W), giving (N, FN, OH, OW) with OH = (H + 2·Pad − FH)/Stride + 1.
//
// It computes the same function as the course's im2col-based layer,
// out = im2col(x)·W_flatᵀ + b, but one image at a time in the transposed
// column layout (C·FH·FW rows × OH·OW columns, see Im2ColImage): then each
// image's output is a single matrix product W_flat·col that lands directly in
// NCHW order, with no transpose copy, and the batch is processed in parallel.
// The column matrices are not kept for Backward (for a batch of 100 they can
// reach 90 MB, far beyond the caches): Backward rebuilds each image's columns
// from the input of the last Forward, which must not change in between, into
// a per-worker buffer that stays in cache.
// In the forward pass the bias rides along in the product: W_flat gets b as
// an extra column and col an extra row of ones, so [W_flat | b]·[col; 1] =
// W_flat·col + b with no separate pass over the output.
//
//	Forward:  out[n] = W_flat · col[n] + b
//	Backward: db = Σ dout, dW = Σ_n dout[n] · col[n]ᵀ,
//	          dx[n] = col2im(W_flatᵀ · dout[n])
//
// For stride 1 and square filters with Pad ≤ FH−1 (every course network),
// Backward computes the same dx as a forward convolution of dout with the
// filters flipped and their channel axes swapped, padded by FH−1−Pad:
//
//	dx[n][c][y][x] = Σ_f Σ_ky,kx dout[n][f][y−Pad′+ky][x−Pad′+kx] · W[f][c][FH−1−ky][FW−1−kx]
//	              = W_flip · im2col(dout[n], Pad′),   Pad′ = FH−1−Pad
//
// (substitute ky → FH−1−ky in the col2im sum to see it). The matrix product
// then has FN·FH·FW as its inner dimension instead of FN, which keeps the
// multiply units busy, and no col2im scatter is needed. Other shapes use
// col2im.
//
// With dlnb's own kernels (backend.Fast) and stride 1, the forward product
// and this backward one do not write their column matrices out: they read
// them from the padded image (see shiftedCols), with the same numbers bit for
// bit. dW still uses the written-out columns.
type Convolution[T tensor.Float] struct {
	W, B        *tensor.Tensor[T] // (FN, C, FH, FW) and (FN,)
	DW, DB      *tensor.Tensor[T]
	Stride, Pad int
	// SkipInputGrad skips dx in Backward (returns nil): set on a network's
	// first layer, whose input gradient nobody uses.
	SkipInputGrad bool

	x         *tensor.Tensor[T] // input of the last training-mode Forward
	inShape   []int
	oh, ow    int
	colBuf    [][]T // per-chunk column matrices (K+1 rows, the last all ones)
	dcolBuf   [][]T // per-chunk dcol buffers (Backward)
	wAug      []T   // [W_flat | b], FN × (K+1)
	wFlip     []T   // W_flip for Backward, C × (FN·FH·FW)
	dwPart    [][]T // per-chunk dW accumulators, FN × K
	dbPart    [][]T // per-chunk db accumulators
	out, dx   *tensor.Tensor[T]
	trainMode bool
	// The implicit column matrices of Forward and of Backward's dx (stride 1
	// with backend.Fast), their per-chunk padded images and product scratch.
	fwdCols, bwdCols shiftedCols
	padBuf, extBuf   [][]T
}

// NewConvolution returns a convolution layer using W (FN, C, FH, FW) and b (FN,).
func NewConvolution[T tensor.Float](w, b *tensor.Tensor[T], stride, pad int) *Convolution[T] {
	if len(w.Shape) != 4 || len(b.Shape) != 1 || b.Shape[0] != w.Shape[0] {
		mistake.Panic(&tensor.ShapeError{Op: "Convolution (W and b)", A: w.Shape, B: b.Shape, Reason: "W must be (FN, C, FH, FW) and b (FN,)"})
	}
	if stride < 1 || pad < 0 {
		mistake.Panic(fmt.Errorf("Convolution: stride %d must be ≥ 1 and pad %d ≥ 0", stride, pad))
	}
	return &Convolution[T]{W: w, B: b, Stride: stride, Pad: pad,
		DW: tensor.New[T](w.Shape...), DB: tensor.New[T](b.Shape...)}
}

// OutShape returns the output shape for an input shape, or an error when the
// sizes do not fit (channels differ, a filter larger than the padded input).
// A stride that does not divide the padded size rounds the output size down,
// as the course does; LostPixels says how many rows are not used.
func (l *Convolution[T]) OutShape(in []int) ([]int, error) {
	if len(in) != 4 {
		return nil, fmt.Errorf("Convolution: input must be (N, C, H, W), got %s", tensor.ShapeString(in))
	}
	fn, c, fh, fw := l.W.Shape[0], l.W.Shape[1], l.W.Shape[2], l.W.Shape[3]
	if in[1] != c {
		return nil, &tensor.ShapeError{Op: "Convolution (x vs W)", A: in, B: l.W.Shape,
			Reason: fmt.Sprintf("the input has %d channels, the filters %d", in[1], c)}
	}
	oh, err := ConvOutSize(in[2], fh, l.Stride, l.Pad)
	if err != nil {
		return nil, fmt.Errorf("Convolution: height: %w", err)
	}
	ow, err := ConvOutSize(in[3], fw, l.Stride, l.Pad)
	if err != nil {
		return nil, fmt.Errorf("Convolution: width: %w", err)
	}
	return []int{in[0], fn, oh, ow}, nil
}

// ensureBufs makes bufs hold chunks buffers of size elements each.
func ensureBufs[T tensor.Float](bufs *[][]T, chunks, size int) {
	for len(*bufs) < chunks {
		*bufs = append(*bufs, nil)
	}
	for i := range chunks {
		if cap((*bufs)[i]) < size {
			(*bufs)[i] = make([]T, size)
		}
		(*bufs)[i] = (*bufs)[i][:size]
	}
}

// fillCol writes image i's column matrix with its row of ones into col.
func (l *Convolution[T]) fillCol(col []T, x *tensor.Tensor[T], i int) {
	c, h, w := x.Shape[1], x.Shape[2], x.Shape[3]
	fh, fw := l.W.Shape[2], l.W.Shape[3]
	k, p := c*fh*fw, l.oh*l.ow
	im2colImage(col, x.Data[i*c*h*w:(i+1)*c*h*w], c, h, w, fh, fw, l.Stride, l.Pad, l.oh, l.ow)
	ones := col[k*p : (k+1)*p]
	for j := range ones {
		ones[j] = 1
	}
}

// Forward convolves x. In training mode it remembers x for Backward.
func (l *Convolution[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	outShape, err := l.OutShape(x.Shape)
	mistake.Panic(err)
	n, c := x.Shape[0], x.Shape[1]
	fn, fh, fw := l.W.Shape[0], l.W.Shape[2], l.W.Shape[3]
	l.oh, l.ow = outShape[2], outShape[3]
	l.inShape = append(l.inShape[:0], x.Shape...)
	k, p := c*fh*fw, l.oh*l.ow
	ka := k + 1 // with the bias row of ones
	l.out = tensor.Ensure(l.out, outShape...)
	l.trainMode, l.x = train, nil
	if train {
		l.x = x
	}
	if cap(l.wAug) < fn*ka {
		l.wAug = make([]T, fn*ka)
	}
	l.wAug = l.wAug[:fn*ka]
	for f := range fn {
		copy(l.wAug[f*ka:f*ka+k], l.W.Data[f*k:(f+1)*k])
		l.wAug[f*ka+k] = l.B.Data[f]
	}
	if l.shifted() && l.fwdCols.set(c, x.Shape[2], x.Shape[3], fh, fw, l.Pad, true).pays(fn) {
		l.forwardShifted(x)
		return l.out
	}
	ensureBufs(&l.colBuf, backend.Chunks(n, 1), ka*p)
	backend.ParallelChunks(n, 1, func(ci, lo, hi int) {
		col := l.colBuf[ci]
		for i := lo; i < hi; i++ {
			l.fillCol(col, x, i)
			tensor.Gemm(false, false, fn, p, ka, 1, l.wAug, ka, col, p, 0, l.out.Data[i*fn*p:(i+1)*fn*p], p)
		}
	})
	return l.out
}

// shifted reports whether the column matrices may stay implicit (see
// shiftedCols): stride 1, with dlnb's own kernels.
func (l *Convolution[T]) shifted() bool { return useFast && useShifted && l.Stride == 1 }

// forwardShifted is Forward's product for each image, out[n] = [W_flat | b] ·
// [col[n]; 1], with col[n] read from the padded image (l.fwdCols, set).
func (l *Convolution[T]) forwardShifted(x *tensor.Tensor[T]) {
	n, c, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	fn := l.W.Shape[0]
	s := &l.fwdCols
	chunks := backend.Chunks(n, 1)
	ensureBufs(&l.padBuf, chunks, s.size)
	ensureBufs(&l.extBuf, chunks, fn*s.n)
	ka, p := len(s.off), s.oh*s.ow
	backend.ParallelChunks(n, 1, func(ci, lo, hi int) {
		for i := lo; i < hi; i++ {
			padInto(s, l.padBuf[ci], x.Data[i*c*h*w:(i+1)*c*h*w])
			multiply(s, l.out.Data[i*fn*p:(i+1)*fn*p], fn, l.wAug, ka, l.padBuf[ci], l.extBuf[ci])
		}
	})
}

// gradChunks is how many parts Backward sums a batch's dW and db in: images
// [0, ⌈N/2⌉) and the rest, each in image order, then the two sums added. It
// is fixed, not the number of cores, so that a network trains to the same
// numbers bit for bit on any machine (reports/results.md was computed this
// way on 2 cores); one core sums the two parts one after the other, and on
// more cores the backward pass uses two of them.
const gradChunks = 2

// Backward stores dW and db and returns dx (nil when SkipInputGrad is set).
// Each of the gradChunks parts of the batch sums its images' dW and db
// (weightGrad) and computes their dx (inputGrad); sumGradParts adds the
// parts.
func (l *Convolution[T]) Backward(dout *tensor.Tensor[T]) *tensor.Tensor[T] {
	checkDout("Convolution", dout, l.out)
	if !l.trainMode {
		mistake.Panic(fmt.Errorf("Convolution: Backward after a test-mode Forward (use train=true)"))
	}
	n, fn, p := l.inShape[0], l.W.Shape[0], l.oh*l.ow
	way := l.prepareBackward(min(gradChunks, n))
	used := backend.ParallelSplit(n, gradChunks, func(ci, lo, hi int) {
		clear(l.dbPart[ci])
		for i := lo; i < hi; i++ {
			d := dout.Data[i*fn*p : (i+1)*fn*p]
			l.weightGrad(ci, i, d, i == lo)
			if way != dxNone {
				l.inputGrad(ci, i, d, way)
			}
		}
	})
	l.sumGradParts(used)
	if way == dxNone {
		return nil
	}
	return l.dx
}

// dxWay is how Backward computes an image's dx (inputGrad).
type dxWay int

const (
	dxNone    dxWay = iota // SkipInputGrad: no dx
	dxShifted              // W_flip · im2col(dout[n]), its rows read from the padded dout[n]
	dxFlip                 // W_flip · im2col(dout[n]), the column matrix written out
	dxCol2im               // col2im(W_flatᵀ · dout[n]): any stride and padding
)

// prepareBackward picks the way to compute dx and makes the buffers the
// chunks parts of the batch need.
func (l *Convolution[T]) prepareBackward(chunks int) dxWay {
	c, h, w := l.inShape[1], l.inShape[2], l.inShape[3]
	fn, fh, fw := l.W.Shape[0], l.W.Shape[2], l.W.Shape[3]
	k, p := c*fh*fw, l.oh*l.ow
	for len(l.dwPart) < chunks {
		l.dwPart = append(l.dwPart, make([]T, fn*k))
		l.dbPart = append(l.dbPart, make([]T, fn))
	}
	ensureBufs(&l.colBuf, chunks, (k+1)*p)
	if l.SkipInputGrad {
		return dxNone
	}
	l.dx = tensor.Ensure(l.dx, l.inShape...)
	// dx is the convolution of dout with the flipped filters when the
	// stride is 1 and the padding at most FH−1 (see flipFilters).
	if l.Stride != 1 || fh != fw || l.Pad > fh-1 {
		ensureBufs(&l.dcolBuf, chunks, k*p)
		return dxCol2im
	}
	l.flipFilters()
	if l.shifted() && l.bwdCols.set(fn, l.oh, l.ow, fh, fw, fh-1-l.Pad, false).pays(c) {
		ensureBufs(&l.padBuf, chunks, l.bwdCols.size)
		ensureBufs(&l.extBuf, chunks, c*l.bwdCols.n)
		return dxShifted
	}
	ensureBufs(&l.dcolBuf, chunks, fn*fh*fw*h*w)
	return dxFlip
}

// weightGrad adds image i's dW = dout[i]·colᵀ and db = Σ dout[i] to part
// ci's sums (the first image of a part starts its dW sum).
func (l *Convolution[T]) weightGrad(ci, i int, d []T, first bool) {
	fn, k, p := l.W.Shape[0], l.inShape[1]*l.W.Shape[2]*l.W.Shape[3], l.oh*l.ow
	rowSumAdd(l.dbPart[ci], d, fn, p)
	l.fillCol(l.colBuf[ci], l.x, i)
	col := l.colBuf[ci][:k*p] // without the row of ones
	beta := T(1)
	if first {
		beta = 0
	}
	tensor.Gemm(false, true, fn, k, p, 1, d, p, col, p, beta, l.dwPart[ci], k)
}

// inputGrad computes image i's dx from its dout d, the way prepareBackward
// chose, in part ci's buffers.
func (l *Convolution[T]) inputGrad(ci, i int, d []T, way dxWay) {
	c, h, w := l.inShape[1], l.inShape[2], l.inShape[3]
	fn, fh, fw := l.W.Shape[0], l.W.Shape[2], l.W.Shape[3]
	kf := fn * fh * fw // W_flip's columns
	dxi := l.dx.Data[i*c*h*w : (i+1)*c*h*w]
	switch way {
	case dxShifted: // as dxFlip, with im2col(dout[n], FH−1−Pad) read from the padded dout[n]
		padInto(&l.bwdCols, l.padBuf[ci], d)
		multiply(&l.bwdCols, dxi, c, l.wFlip, kf, l.padBuf[ci], l.extBuf[ci])
	case dxFlip: // dx[n] = W_flip · im2col(dout[n], FH−1−Pad)
		dcol := l.dcolBuf[ci]
		im2colImage(dcol, d, fn, l.oh, l.ow, fh, fw, 1, fh-1-l.Pad, h, w)
		tensor.Gemm(false, false, c, h*w, kf, 1, l.wFlip, kf, dcol, h*w, 0, dxi, h*w)
	case dxCol2im: // W_flatᵀ · dout[n], then each column added back where im2col took it
		k, p := c*fh*fw, l.oh*l.ow
		dcol := l.dcolBuf[ci]
		tensor.Gemm(true, false, k, p, fn, 1, l.wAug, k+1, d, p, 0, dcol, p)
		col2imImage(dxi, dcol, c, h, w, fh, fw, l.Stride, l.Pad, l.oh, l.ow)
	}
}

// sumGradParts sets DW and DB to the sums of the used parts, in part order.
func (l *Convolution[T]) sumGradParts(used int) {
	if used == 0 { // an empty batch has no gradient
		clear(l.DW.Data)
		clear(l.DB.Data)
		return
	}
	copy(l.DW.Data, l.dwPart[0])
	copy(l.DB.Data, l.dbPart[0])
	for ci := 1; ci < used; ci++ {
		for j, v := range l.dwPart[ci] {
			l.DW.Data[j] += v
		}
		for j, v := range l.dbPart[ci] {
			l.DB.Data[j] += v
		}
	}
}

// flipFilters fills wFlip (C × FN·FH·FW) with
// W_flip[c][f][ky][kx] = W[f][c][FH−1−ky][FW−1−kx].
func (l *Convolution[T]) flipFilters() {
	fn, c, fh, fw := l.W.Shape[0], l.W.Shape[1], l.W.Shape[2], l.W.Shape[3]
	if cap(l.wFlip) < c*fn*fh*fw {
		l.wFlip = make([]T, c*fn*fh*fw)
	}
	l.wFlip = l.wFlip[:c*fn*fh*fw]
	for f := range fn {
		for ch := range c {
			src := l.W.Data[(f*c+ch)*fh*fw : (f*c+ch+1)*fh*fw]
			dst := l.wFlip[(ch*fn+f)*fh*fw : (ch*fn+f+1)*fh*fw]
			for j, v := range src {
				dst[len(dst)-1-j] = v // (ky, kx) → (FH−1−ky, FW−1−kx)
			}
		}
	}
}

// Params returns W and b with their gradients.
func (l *Convolution[T]) Params() []Param[T] {
	return []Param[T]{{"W", l.W, l.DW}, {"b", l.B, l.DB}}
}

// rowSumAdd adds each row's sum of the rows×cols matrix m to dst (the bias
// gradient: Σ over positions of dout for each filter).
func rowSumAdd[T tensor.Float](dst, m []T, rows, cols int) {
	if useFast {
		backend.RowSumAdd(dst, m, rows, cols)
		return
	}
	loops.RowSumAdd(dst, m, rows, cols)
}

// im2colImage is Im2ColImage through the vectorised kernel when available.
func im2colImage[T tensor.Float](col, img []T, c, h, w, fh, fw, stride, pad, oh, ow int) {
	if useFast && stride == 1 {
		backend.Im2ColImage(col, img, c, h, w, fh, fw, pad, oh, ow)
		return
	}
	Im2ColImage(col, img, c, h, w, fh, fw, stride, pad, oh, ow)
}

// col2imImage is Col2ImImage through the vectorised kernel when available.
func col2imImage[T tensor.Float](img, col []T, c, h, w, fh, fw, stride, pad, oh, ow int) {
	if useFast && stride == 1 {
		backend.Col2ImImage(img, col, c, h, w, fh, fw, pad, oh, ow)
		return
	}
	Col2ImImage(img, col, c, h, w, fh, fw, stride, pad, oh, ow)
}

// Im2ColImage writes the column matrix of one image img (C, H, W) into col:
// C·FH·FW rows (channel, filter row, filter column) of OH·OW values, the
// transpose of the rows the course's im2col produces for that image. Padding
// reads as zero.
func Im2ColImage[T tensor.Float](col, img []T, c, h, w, fh, fw, stride, pad, oh, ow int) {
	p := oh * ow
	r := 0
	for ch := range c {
		plane := img[ch*h*w : (ch+1)*h*w]
		for ky := range fh {
			for kx := range fw {
				dst := col[r*p : (r+1)*p]
				r++
				for oy := range oh {
					iy := oy*stride - pad + ky
					line := dst[oy*ow : (oy+1)*ow]
					if iy < 0 || iy >= h {
						clear(line)
						continue
					}
					src := plane[iy*w : (iy+1)*w]
					if stride == 1 {
						// ix = ox − pad + kx: a shifted copy with zeros at the edges.
						off := kx - pad
						lo, hi := span(off, w, ow)
						clear(line[:lo])
						copy(line[lo:hi], src[lo+off:hi+off])
						clear(line[hi:])
						continue
					}
					for ox := range ow {
						ix := ox*stride - pad + kx
						if ix >= 0 && ix < w {
							line[ox] = src[ix]
						} else {
							line[ox] = 0
						}
					}
				}
			}
		}
	}
}

// Col2ImImage is the adjoint of Im2ColImage: it overwrites img (C, H, W) with
// the sum of every column entry at the pixel it was read from.
func Col2ImImage[T tensor.Float](img, col []T, c, h, w, fh, fw, stride, pad, oh, ow int) {
	clear(img)
	p := oh * ow
	r := 0
	for ch := range c {
		plane := img[ch*h*w : (ch+1)*h*w]
		for ky := range fh {
			for kx := range fw {
				src := col[r*p : (r+1)*p]
				r++
				for oy := range oh {
					iy := oy*stride - pad + ky
					if iy < 0 || iy >= h {
						continue
					}
					line := src[oy*ow : (oy+1)*ow]
					dst := plane[iy*w : (iy+1)*w]
					if stride == 1 {
						off := kx - pad
						lo, hi := span(off, w, ow)
						for ox := lo; ox < hi; ox++ {
							dst[ox+off] += line[ox]
						}
						continue
					}
					for ox := range ow {
						ix := ox*stride - pad + kx
						if ix >= 0 && ix < w {
							dst[ix] += line[ox]
						}
					}
				}
			}
		}
	}
}

// span returns the output columns [lo, hi) whose input column ox+off lies in
// [0, w), for stride 1.
func span(off, w, ow int) (lo, hi int) {
	lo = min(max(0, -off), ow)
	hi = max(min(ow, w-off), lo)
	return lo, hi
}

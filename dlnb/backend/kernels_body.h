// kernels_body.h: the element-wise kernels of every build for one
// precision, written once against the vocabulary of simd.h: Adam, ReLU,
// im2col and col2im for one image (stride 1), row sums, 2×2 max pooling.
// kernels_build.h includes it twice per build, for float32 (DLNB_D = 0) and
// float64 (DLNB_D = 1), after the build's ISA header.
//
// Each kernel gives bit for bit what its Go loop gives (package
// dlnb/internal/loops, and layers' Im2ColImage and Col2ImImage): every
// operation is written with separate multiply and add steps, and the files
// that include this one turn contraction into fused multiply-adds off, so
// results round exactly like the scalar Go code. The tests
// (kernels_test.go) check each against its Go loop.

/* ---------------- Adam: m += b1·(g − m); v += b2·(g² − v); p −= lr·m/(√v + eps) ---------------- */
void DLNB_FN(adam)(T *p, const T *g, T *m, T *v, long n, T lr, T b1, T b2, T eps) {
	V vlr = VSET1(lr), vb1 = VSET1(b1), vb2 = VSET1(b2), ve = VSET1(eps);
	long i = 0;
	for (; i + W <= n; i += W) {
		V gi = VLOADU(g + i), mi = VLOADU(m + i), vi = VLOADU(v + i);
		mi = VADD(mi, VMUL(vb1, VSUB(gi, mi)));
		vi = VADD(vi, VMUL(vb2, VSUB(VMUL(gi, gi), vi)));
		V step = VDIV(VMUL(vlr, mi), VADD(VSQRT(vi), ve));
		VSTOREU(m + i, mi);
		VSTOREU(v + i, vi);
		VSTOREU(p + i, VSUB(VLOADU(p + i), step));
	}
	for (; i < n; i++) {
		m[i] += b1 * (g[i] - m[i]);
		v[i] += b2 * (g[i] * g[i] - v[i]);
		p[i] -= (lr * m[i]) / (DLNB_SD(sqrtf, sqrt)(v[i]) + eps);
	}
}

/* ---------------- ReLU ---------------- */
// out = max(0, x); a NaN input stays NaN (MAXPS returns its second operand).
void DLNB_FN(relu_fwd)(T *out, const T *x, long n) {
	V z = VZERO();
	long i = 0;
	for (; i + W <= n; i += W) VSTOREU(out + i, VMAX(z, VLOADU(x + i)));
	for (; i < n; i++) out[i] = x[i] > 0 || x[i] != x[i] ? x[i] : 0;
}

// dx = dout where out > 0, else +0.
void DLNB_FN(relu_bwd)(T *dx, const T *dout, const T *out, long n) {
	long i = 0;
	for (; i + W <= n; i += W) VSTOREU(dx + i, VKEEP_GT0(VLOADU(out + i), VLOADU(dout + i)));
	for (; i < n; i++) dx[i] = out[i] > 0 ? dout[i] : 0;
}

/* ---------------- im2col / col2im for one image, stride 1 ---------------- */
// im2col_plain is im2col without a buffer, for when there is no memory for one.
static void F(im2col_plain)(T *col, const T *img, int c, int h, int w, int fh, int fw, int pad, int oh, int ow) {
	long q = (long)oh * ow, r = 0;
	for (int ch = 0; ch < c; ch++)
		for (int ky = 0; ky < fh; ky++)
			for (int kx = 0; kx < fw; kx++, r++)
				for (int oy = 0; oy < oh; oy++)
					for (int ox = 0; ox < ow; ox++) {
						int iy = oy - pad + ky, ix = ox - pad + kx;
						col[r * q + (long)oy * ow + ox] =
						    iy >= 0 && iy < h && ix >= 0 && ix < w ? img[((long)ch * h + iy) * w + ix] : 0;
					}
}

// col has C·fh·fw rows of oh·ow values (see layers.Im2ColImage). Each channel
// is first copied into a zero-padded plane (h+2·pad)×(w+2·pad); then line oy
// of row (ch, ky, kx) is the ow values of padded line oy+ky from column kx: a
// plain copy, done W values at a time with whole vectors. The last vector of
// a line may run past it into the next line, which is written after it
// (writes only move forward), and past the padded plane into its slack of W
// values; a line whose last vector would run past the end of col ends with a
// masked vector instead. The padded planes live in a per-thread buffer
// (struct dlnb_planes, dlnb_thread.h), grown as needed; without memory for
// it, a plain loop.
void DLNB_FN(im2col)(T *col, const T *img, int c, int h, int w, int fh, int fw, int pad, int oh, int ow) {
	int hp = h + 2 * pad, wp = w + 2 * pad;
	long need = (long)hp * wp + W;
	struct dlnb_planes *st = this_thread();
	if (st && need > st->F(cap)) {
		free(st->F(buf));
		st->F(buf) = DLNB_BUILD_FN(aligned_alloc)(sizeof(T) * need);
		st->F(cap) = st->F(buf) ? need : 0;
	}
	T *buf = st ? st->F(buf) : NULL;
	if (!buf) {
		F(im2col_plain)(col, img, c, h, w, fh, fw, pad, oh, ow);
		return;
	}
	memset(buf, 0, sizeof(T) * need);
	long p = (long)oh * ow;
	const T *end = col + (long)c * fh * fw * p;
	int whole = (ow + W - 1) / W * W; // values a line writes with whole vectors
	long r = 0;
	for (int ch = 0; ch < c; ch++) {
		const T *plane = img + (long)ch * h * w;
		for (int y = 0; y < h; y++) memcpy(buf + (long)(y + pad) * wp + pad, plane + (long)y * w, sizeof(T) * w);
		for (int ky = 0; ky < fh; ky++)
			for (int kx = 0; kx < fw; kx++, r++) {
				T *dst = col + r * p;
				const T *src = buf + (long)ky * wp + kx;
				for (int oy = 0; oy < oh; oy++, dst += ow, src += wp) {
					if (dst + whole <= end) {
						for (int x = 0; x < ow; x += W) VSTOREU(dst + x, VLOADU(src + x));
						continue;
					}
					int x = 0;
					for (; x + W <= ow; x += W) VSTOREU(dst + x, VLOADU(src + x));
					if (x < ow) {
						VM mk = VMASK(ow - x);
						VMSTORE(dst + x, mk, VMLOAD(mk, src + x));
					}
				}
			}
	}
}

// img (C, H, W) = the sum of every column entry at the pixel it was read
// from, in the order of the Go loop (the compiler vectorises the inner loop).
void DLNB_FN(col2im)(T *img, const T *col, int c, int h, int w, int fh, int fw, int pad, int oh, int ow) {
	memset(img, 0, sizeof(T) * (long)c * h * w);
	long p = (long)oh * ow;
	long r = 0;
	for (int ch = 0; ch < c; ch++) {
		T *plane = img + (long)ch * h * w;
		for (int ky = 0; ky < fh; ky++)
			for (int kx = 0; kx < fw; kx++, r++) {
				const T *src = col + r * p;
				int off = kx - pad;
				int lo = -off > 0 ? -off : 0, hi = w - off < ow ? w - off : ow;
				if (lo > ow) lo = ow;
				if (hi < lo) hi = lo;
				for (int oy = 0; oy < oh; oy++) {
					int iy = oy - pad + ky;
					if (iy < 0 || iy >= h) continue;
					T *dst = plane + (long)iy * w + off;
					const T *line = src + (long)oy * ow;
					for (int ox = lo; ox < hi; ox++) dst[ox] += line[ox];
				}
			}
	}
}

/* ---------------- row sums: dst[r] += Σ_j src[r·cols + j] ---------------- */
// With DLNB_ROWSUM_ACCS = 2, two accumulators (even and odd vectors) halve
// the chain of dependent adds; the lanes are then summed by VREDUCE.
void DLNB_FN(rowsum_add)(T *dst, const T *src, long rows, long cols) {
	for (long r = 0; r < rows; r++) {
		const T *x = src + r * cols;
		V s0 = VZERO();
		long j = 0;
#if DLNB_ROWSUM_ACCS == 2
		V s1 = VZERO();
		for (; j + 2 * W <= cols; j += 2 * W) {
			s0 = VADD(s0, VLOADU(x + j));
			s1 = VADD(s1, VLOADU(x + j + W));
		}
		if (j + W <= cols) s0 = VADD(s0, VLOADU(x + j)), j += W;
		V s = VADD(s0, s1);
#else
		for (; j + W <= cols; j += W) s0 = VADD(s0, VLOADU(x + j));
		V s = s0;
#endif
		T t = VREDUCE(s);
		for (; j < cols; j++) t += x[j];
		dst[r] += t;
	}
}

/* ---------------- 2×2 max pooling, stride 2, no padding ---------------- */
// For each plane (h×w, both even) writes the window maxima and the index of
// the first maximum (window order: top-left, top-right, bottom-left,
// bottom-right), as the general Go loop does.
void DLNB_FN(maxpool2)(T *out, int *argmax, const T *x, long planes, int h, int w) {
	int oh = h / 2, ow = w / 2;
	for (long pl = 0; pl < planes; pl++) {
		const T *src = x + pl * h * w;
		T *dst = out + pl * oh * ow;
		int *am = argmax + pl * oh * ow;
		for (int oy = 0; oy < oh; oy++) {
			const T *r0 = src + (2 * oy) * w, *r1 = r0 + w;
			for (int ox = 0; ox < ow; ox++) {
				int i0 = 2 * oy * w + 2 * ox;
				T best = r0[2 * ox];
				int bi = i0;
				if (r0[2 * ox + 1] > best) best = r0[2 * ox + 1], bi = i0 + 1;
				if (r1[2 * ox] > best) best = r1[2 * ox], bi = i0 + w;
				if (r1[2 * ox + 1] > best) best = r1[2 * ox + 1], bi = i0 + w + 1;
				dst[oy * ow + ox] = best;
				am[oy * ow + ox] = bi;
			}
		}
	}
}
